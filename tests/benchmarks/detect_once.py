"""One cold detection in a fresh interpreter: ``python detect_once.py ours|peers|peer-ecs|peer-gcp``.

Prints ``{"seconds": …, "warnings": …}``: the time of the first detection in
the process (imports done beforehand, not counted) and the warnings logged.
Run by bench_detection.py, with the scenario's environment.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import time

PEERS = {
    "peer-ecs": [("opentelemetry.sdk.extension.aws.resource.ecs", "AwsEcsResourceDetector")],
    "peer-gcp": [("opentelemetry.resourcedetector.gcp_resource_detector", "GoogleCloudResourceDetector")],
    "peer-ec2": [("opentelemetry.sdk.extension.aws.resource.ec2", "AwsEc2ResourceDetector")],
    "peers": [
        ("opentelemetry.sdk.extension.aws.resource.ecs", "AwsEcsResourceDetector"),
        ("opentelemetry.sdk.extension.aws.resource._lambda", "AwsLambdaResourceDetector"),
        ("opentelemetry.sdk.extension.aws.resource.eks", "AwsEksResourceDetector"),
        ("opentelemetry.resourcedetector.gcp_resource_detector", "GoogleCloudResourceDetector"),
        ("opentelemetry.resource.detector.containerid", "ContainerResourceDetector"),
    ],
}


class _Counter(logging.Handler):
    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        _Counter.count += 1


def main(side: str) -> None:
    logging.getLogger().addHandler(_Counter(logging.WARNING))
    if side == "ours":
        from otel_resource_identity import PlatformDetector

        # BENCH_ROOT: a recorded filesystem (a cloud VM's DMI) for the simulated platforms.
        detectors = [PlatformDetector(root=os.environ.get("BENCH_ROOT", "/"))]
    else:
        detectors = [getattr(importlib.import_module(module), name)() for module, name in PEERS[side]]
    started = time.perf_counter()
    for detector in detectors:
        detector.detect()
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "warnings": _Counter.count}))


if __name__ == "__main__":
    main(sys.argv[1])
