"""Adding this package's processors to providers, once each: what ``configure()`` and the
auto-instrumentation hook share (kept small: the hook runs at start-up)."""

from __future__ import annotations

import weakref

from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk.trace import TracerProvider

from ._providers import put_first
from .processors import ResourceIdentityLogRecordProcessor, ResourceIdentitySpanProcessor

# Providers that already have this package's processor, so that configuring
# twice (configure() and auto-instrumentation, say) never stamps twice.
_stamped_tracer_providers: weakref.WeakSet[TracerProvider] = weakref.WeakSet()
_stamped_logger_providers: weakref.WeakSet[LoggerProvider] = weakref.WeakSet()


def add_span_processor(provider: TracerProvider, *, prefix: str | None = None, ruleset: str | None = None) -> bool:
    """Add the span processor to ``provider`` unless it already has it; ``True`` when added."""
    if provider in _stamped_tracer_providers:
        return False
    provider.add_span_processor(ResourceIdentitySpanProcessor(prefix=prefix, ruleset=ruleset))
    _stamped_tracer_providers.add(provider)
    return True


def add_log_record_processor(
    provider: LoggerProvider, *, prefix: str | None = None, ruleset: str | None = None
) -> bool:
    """Add the log record processor to ``provider``, *before* every processor it already has.

    Exporting processors export (or queue) a record when it is emitted, so the
    stamping processor must run first, whatever order the providers were set
    up in. ``False`` when the provider already had it.
    """
    if provider in _stamped_logger_providers:
        return False
    processor = ResourceIdentityLogRecordProcessor(prefix=prefix, ruleset=ruleset)
    provider.add_log_record_processor(processor)
    put_first(provider, processor)
    _stamped_logger_providers.add(provider)
    return True
