"""Lambda SnapStart: an identity of its own for each execution environment restored from a snapshot.

With SnapStart, Lambda initialises a function once, snapshots its memory, and restores every
execution environment from that snapshot: whatever identity was computed at init (the SDK's
random ``service.instance.id``) is the same in all of them, and Dash0 would see one resource. The
pid does not change on restore, so the SDK's own per-process refresh does not help.

Where Lambda says the function runs with SnapStart (``AWS_LAMBDA_INITIALIZATION_TYPE=snap-start``)
and AWS's runtime-hooks module is there (``snapshot_restore_py``, in the Python runtimes that
support SnapStart), this registers an after-restore hook that gives the global providers' resources
a new ``service.instance.id`` (unless the user set one) and this environment's Lambda attributes
(``faas.instance``, the log stream, once Lambda sets it). The stamped identity follows the resource.
"""

from __future__ import annotations

import logging
import os
import uuid

from ._settings import warn_once

_logger = logging.getLogger(__name__)
_installed: list[bool] = []


def install() -> None:
    """Register the after-restore hook where SnapStart applies; nothing elsewhere. Idempotent."""
    if _installed or os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE", "").strip() != "snap-start":
        return
    try:
        from snapshot_restore_py import register_after_restore  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError:
        _logger.warning(
            "Lambda SnapStart without the snapshot_restore_py module: every restored execution environment "
            "would report the same service.instance.id; use a Python runtime with SnapStart runtime hooks, "
            "or set service.instance.id yourself (docs/setup.md)"
        )
        return
    register_after_restore(after_restore)
    _installed.append(True)


def after_restore() -> None:
    """This environment's identity on the global providers' resources. Never raises into the runtime."""
    try:
        from opentelemetry.sdk.resources import Resource  # noqa: PLC0415

        from ._providers import global_providers  # noqa: PLC0415
        from .detectors._user import user_attributes  # noqa: PLC0415
        from .detectors.aws.lambda_function import AwsLambdaDetector  # noqa: PLC0415

        fresh = dict(AwsLambdaDetector().detect().attributes)
        if "service.instance.id" not in user_attributes(os.environ):
            fresh["service.instance.id"] = str(uuid.uuid4())
        update = Resource(fresh)
        updated = 0
        for provider in global_providers():
            refresh = getattr(provider, "_update_resource", None)  # the SDK's own (1.44 and newer)
            if callable(refresh):
                refresh(update)
                updated += 1
            elif hasattr(provider, "force_flush"):  # an SDK provider that cannot update its resource
                warn_once(
                    ("snapstart", type(provider).__name__),
                    "Lambda SnapStart: this SDK (older than 1.44) cannot give a restored environment its own "
                    "service.instance.id; upgrade opentelemetry-sdk, or set service.instance.id yourself",
                )
        _logger.debug("SnapStart restore: a new identity for %d providers", updated)
    except Exception:  # the function must run whatever happens here
        _logger.warning("Lambda SnapStart: could not give the restored environment its own identity", exc_info=True)
