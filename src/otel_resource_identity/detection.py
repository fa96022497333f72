"""One call that detects this process's resource, with a report of how.

The report (which detector found what, how long it took) is what
``otel-resource detect`` prints; :func:`detect_resource` returns just the
resource.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from opentelemetry.sdk.resources import OTELResourceDetector, Resource

from .detectors.env_entities import EnvEntitiesDetector
from .entities.flag import apply_flag_from_environment


@dataclass(frozen=True)
class DetectorRun:
    """One detector's contribution: its name, its result, and its wall time."""

    name: str
    resource: Resource
    seconds: float


@dataclass(frozen=True)
class DetectionReport:
    resource: Resource
    runs: tuple[DetectorRun, ...]


def _timed(name: str, detect: Callable[[], Resource]) -> DetectorRun:
    started = time.perf_counter()
    resource = detect()
    return DetectorRun(name, resource, time.perf_counter() - started)


def run_detection() -> DetectionReport:
    """Detect the resource and keep each step's result and timing.

    Precedence, lowest first: the SDK's ``Resource.create()`` (its defaults and
    the detectors in ``OTEL_EXPERIMENTAL_RESOURCE_DETECTORS``), this package's
    detectors, then ``OTEL_RESOURCE_ATTRIBUTES`` and ``OTEL_SERVICE_NAME``, which
    always win. Every step merges with ``Resource.merge``, so the result is the
    SDK's plain merge unless the entity flag is on.
    """
    apply_flag_from_environment()
    runs = [
        _timed("sdk", Resource.create),
        _timed("entities", EnvEntitiesDetector().detect),
        _timed("otel", OTELResourceDetector().detect),
    ]
    resource = runs[0].resource
    for run in runs[1:]:
        resource = resource.merge(run.resource)
    return DetectionReport(resource, tuple(runs))


def detect_resource() -> Resource:
    """This process's resource: the SDK's, this package's detectors, the user's variables on top."""
    return run_detection().resource
