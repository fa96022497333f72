"""What the SDK offers no public way to do: put a log record processor first, stamp a built MeterProvider.

The SDK calls log record processors in the order they were added, and an
exporting processor (``SimpleLogRecordProcessor``, ``BatchLogRecordProcessor``)
exports or queues the record in its ``on_emit``. A stamping processor added
after it stamps too late (simple) or races the export thread (batch). So the
stamping processor is moved to the front of the provider's processor chain.

A ``MeterProvider`` takes its resource when it is built; with
``RESOURCE_IDENTITY_STAMP=resource`` a provider built before ``configure()``
gets the predicted values added to it, as the SDK itself does when it updates
a provider's resource after a fork.

Both reach into SDK internals, so each access is guarded: the attributes are
checked for the expected shape first, and when they are not there (a future
SDK), nothing is changed and one warning says what to do instead. Both are
tested against the lowest and the newest supported SDK.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from opentelemetry.sdk._logs import LoggerProvider, LogRecordProcessor
from opentelemetry.sdk.resources import Resource

from ._settings import warn_once

_logger = logging.getLogger(__name__)


def _chain_of(provider: LoggerProvider) -> Any | None:
    chain = getattr(provider, "_multi_log_record_processor", None)
    processors = getattr(chain, "_log_record_processors", None)
    lock = getattr(chain, "_lock", None)
    if isinstance(processors, tuple) and hasattr(lock, "__enter__") and hasattr(lock, "__exit__"):
        return chain
    return None


def put_first(provider: LoggerProvider, processor: LogRecordProcessor) -> bool:
    """Move ``processor`` (already added to ``provider``) before every other processor; ``True`` when done."""
    chain = _chain_of(provider)
    if chain is None:
        warn_once(
            ("chain", type(provider).__name__),
            "Could not put the resource identity log record processor before the exporting processors of this "
            "LoggerProvider (its SDK has no processor chain this package knows); add "
            "ResourceIdentityLogRecordProcessor to the provider before any exporting processor",
        )
        return False
    with chain._lock:
        current = chain._log_record_processors
        if processor in current:
            chain._log_record_processors = (processor, *(item for item in current if item is not processor))
    return True


def add_to_meter_provider_resource(provider: Any, values: Mapping[str, str]) -> bool:
    """Add ``values`` that its resource lacks to a built ``MeterProvider``; ``True`` when done (or nothing to add)."""
    config = getattr(provider, "_sdk_config", None)
    resource = getattr(config, "resource", None)
    if not isinstance(resource, Resource):
        warn_once(
            ("meter resource", type(provider).__name__),
            "Could not add the predicted identity to this MeterProvider's resource; build the MeterProvider "
            "with resource=configure(...).resource instead",
        )
        return False
    missing = {key: value for key, value in values.items() if key not in resource.attributes}
    if not missing:
        return True
    update = getattr(provider, "_update_resource", None)
    if callable(update):  # newer SDKs: the provider's own way, under its lock
        update(Resource(missing))
    else:
        config.resource = resource.merge(Resource(missing))  # type: ignore[union-attr]
    _logger.debug("added %s to the MeterProvider's resource", sorted(missing))
    return True


def global_providers() -> tuple[object, object, object]:
    """The global tracer, meter and logger providers (SDK ones, or the API's proxies), for the hooks
    that act on every provider after a fork, a restore or before a worker ends."""
    from opentelemetry import metrics, trace  # noqa: PLC0415
    from opentelemetry._logs import get_logger_provider  # noqa: PLC0415

    return trace.get_tracer_provider(), metrics.get_meter_provider(), get_logger_provider()
