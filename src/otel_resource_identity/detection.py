"""One call that detects this process's resource, with a report of how.

The report (which detector found what, how long it took) is what
``otel-resource detect`` prints; :func:`detect_resource` returns just the
resource.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from opentelemetry.sdk.resources import OTELResourceDetector, Resource

from .detectors.platform import DetectorRun, PlatformDetector
from .entities.flag import apply_flag_from_environment


@dataclass(frozen=True)
class DetectionReport:
    resource: Resource
    runs: tuple[DetectorRun, ...]


def _timed(name: str, detect: Callable[[], Resource]) -> tuple[DetectorRun, Resource]:
    started = time.perf_counter()
    resource = detect()
    outcome = "detected" if resource.attributes else "not present"
    return DetectorRun(name, outcome, time.perf_counter() - started, resource), resource


def run_detection(
    *,
    root: str | os.PathLike[str] = "/",
    timeout: float | None = None,
    detectors: Sequence[str] | None = None,
) -> DetectionReport:
    """Detect the resource and keep each step's result and timing.

    Precedence, lowest first: the SDK's ``Resource.create()`` (its defaults and
    the detectors in ``OTEL_EXPERIMENTAL_RESOURCE_DETECTORS``), this package's
    ``PlatformDetector``, then ``OTEL_RESOURCE_ATTRIBUTES`` and
    ``OTEL_SERVICE_NAME``, which always win. Every step merges with
    ``Resource.merge``, so the result is the SDK's plain merge unless the
    entity flag is on.
    """
    apply_flag_from_environment()
    sdk_run, resource = _timed("sdk", Resource.create)
    platform = PlatformDetector(root=root, timeout=timeout, detectors=list(detectors) if detectors else None)
    platform_resource = platform.detect()
    user_run, user = _timed("otel", OTELResourceDetector().detect)
    resource = resource.merge(platform_resource).merge(user)
    return DetectionReport(resource, (sdk_run, *platform.runs, user_run))


def detect_resource(
    *,
    root: str | os.PathLike[str] = "/",
    timeout: float | None = None,
    detectors: Sequence[str] | None = None,
) -> Resource:
    """This process's resource: the SDK's, this package's detectors, the user's variables on top.

    ``root``, ``timeout`` and ``detectors`` are passed to ``PlatformDetector``.
    """
    return run_detection(root=root, timeout=timeout, detectors=detectors).resource
