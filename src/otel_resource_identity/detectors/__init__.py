"""Resource detectors: one module per platform, all built on ``BaseDetector``."""
