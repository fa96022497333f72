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

from .detectors._user import UNKNOWN_SERVICE, user_attributes
from .detectors.platform import DetectorRun, PlatformDetector
from .entities.flag import apply_flag_from_environment


@dataclass(frozen=True)
class DetectionReport:
    resource: Resource
    runs: tuple[DetectorRun, ...]

    def sources(self) -> dict[str, str]:
        """Where each ``service.*`` attribute of the resource (and any other a detector named a
        source for) came from: a user setting, a detector's input, or the SDK's default."""
        found: dict[str, str] = {}
        for run in self.runs:
            for key, source in run.sources:
                found[key] = f"{run.name}: {source}"
        user = user_attributes(os.environ)
        for key, value in self.resource.attributes.items():
            if key not in found and not key.startswith("service."):
                continue  # only what a detector computed, and the service.* keys, are explained
            if key in user and user[key] == value and not str(value).startswith(UNKNOWN_SERVICE):
                found[key] = (
                    "user setting OTEL_SERVICE_NAME"
                    if key == "service.name" and os.environ.get("OTEL_SERVICE_NAME", "").strip()
                    else "user setting OTEL_RESOURCE_ATTRIBUTES"
                )
            elif key.startswith("service.") and key not in found:
                found[key] = "SDK default"
        return {key: found[key] for key in sorted(found) if key in self.resource.attributes}


# This package's names in OTEL_EXPERIMENTAL_RESOURCE_DETECTORS: when the SDK runs
# one of them, Resource.create() has already done (and cached) the detection.
_OUR_DETECTORS = "resource_identity"


def _timed(name: str, detect: Callable[[], Resource]) -> tuple[DetectorRun, Resource]:
    started = time.perf_counter()
    resource = detect()
    outcome = "detected" if resource.attributes else "not present"
    return DetectorRun(name, outcome, time.perf_counter() - started, resource), resource


def _sdk_runs_ours() -> bool:
    names = os.environ.get("OTEL_EXPERIMENTAL_RESOURCE_DETECTORS", "")
    return any(name.strip().startswith(_OUR_DETECTORS) for name in names.split(","))


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
    entity flag is on. When the SDK's own list already names this package's
    detectors (and nothing else is asked for), their detection is part of the
    ``sdk`` step: its per-platform runs are reported *within* it, not run twice.
    """
    apply_flag_from_environment()
    sdk_run, resource = _timed("sdk", Resource.create)
    within = "sdk" if _sdk_runs_ours() and os.fspath(root) == "/" and timeout is None and not detectors else ""
    platform = PlatformDetector(root=root, timeout=timeout, detectors=list(detectors) if detectors else None)
    platform_resource = platform.detect()  # within the SDK's run: the cached result of that same detection
    user_run, user = _timed("OTEL_RESOURCE_ATTRIBUTES", OTELResourceDetector().detect)
    if not within:
        resource = resource.merge(platform_resource)
    resource = resource.merge(user)
    runs = tuple(run._replace(within=within) for run in platform.runs)
    return DetectionReport(resource, (sdk_run, *runs, user_run))


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
