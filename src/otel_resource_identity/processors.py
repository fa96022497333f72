"""Span and log record processors that stamp the predicted identity on every span and log record.

The identity is computed once per resource (a provider has one) and kept;
``on_start``/``on_emit`` only copy three precomputed values, skipping any key
the span or record already has. Nothing here ever raises into the
application: a failure is logged once and the telemetry goes on unstamped.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping

from opentelemetry.context import Context
from opentelemetry.sdk._logs import LogRecordProcessor, ReadWriteLogRecord
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor

from ._settings import warn_once


def _warn(signal: str, problem: Exception) -> None:
    warn_once((signal, type(problem).__name__), "Could not stamp the resource identity on %s: %r", signal, problem)


class _Stamps:
    """The values to stamp, per resource: computed once, then only looked up.

    Resources are held weakly: a process that builds many short-lived
    providers does not keep their resources (or their entries) alive. No lock:
    each update is one dict assignment or one tuple swap, atomic under the
    GIL, and two threads computing the same values at once agree.
    """

    def __init__(self, prefix: str | None, ruleset: str | None) -> None:
        self._prefix = prefix
        self._ruleset = ruleset
        self._by_resource: dict[int, tuple[weakref.ref[Resource], Mapping[str, str]]] = {}
        # A provider has one resource: the last one answers almost every call
        # with one identity check (a tuple, so that it is swapped atomically).
        self._last: tuple[weakref.ref[Resource] | None, Mapping[str, str]] = (None, {})

    def for_resource(self, resource: Resource) -> Mapping[str, str]:
        last_ref, last_values = self._last
        if last_ref is not None and last_ref() is resource:
            return last_values
        key = id(resource)
        known = self._by_resource.get(key)
        if known is not None and known[0]() is resource:
            self._last = known
            return known[1]
        # The rule tables load with the first resource stamped, not at start-up.
        from .stamping import identity_attributes  # noqa: PLC0415

        values = identity_attributes(resource, prefix=self._prefix, ruleset=self._ruleset)
        entries = self._by_resource

        def forget(_: weakref.ref[Resource]) -> None:
            # Only this resource's entry: its id() may already belong to a newer one.
            entry = entries.get(key)
            if entry is not None and entry[0]() is None:
                entries.pop(key, None)

        entry = (weakref.ref(resource, forget), values)
        entries[key] = entry
        self._last = entry
        return values


class ResourceIdentitySpanProcessor(SpanProcessor):
    """Stamps ``dash0.resource.id``/``.name``/``.type`` on every span when it starts.

    ``prefix`` changes the keys (default ``RESOURCE_IDENTITY_ATTRIBUTE_PREFIX``,
    else ``dash0.resource.``); ``ruleset`` picks the rule table.
    """

    def __init__(self, *, prefix: str | None = None, ruleset: str | None = None) -> None:
        self._stamps = _Stamps(prefix, ruleset)

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        try:
            values = self._stamps.for_resource(span.resource)
            existing = span.attributes
            if existing:
                # Iterating the span's few keys is cheaper than asking the
                # bounded attribute map for ours, which raises KeyError per miss.
                taken = [key for key in existing if key in values]
                if taken:
                    values = {key: value for key, value in values.items() if key not in taken}
            if values:
                span.set_attributes(values)
        except Exception as problem:  # never into the application
            _warn("spans", problem)

    def on_end(self, span: ReadableSpan) -> None:
        return

    def shutdown(self) -> None:
        return

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class ResourceIdentityLogRecordProcessor(LogRecordProcessor):
    """Stamps ``dash0.resource.id``/``.name``/``.type`` on every log record when it is emitted."""

    def __init__(self, *, prefix: str | None = None, ruleset: str | None = None) -> None:
        self._stamps = _Stamps(prefix, ruleset)

    def on_emit(self, log_record: ReadWriteLogRecord) -> None:
        try:
            resource = log_record.resource
            if resource is None:
                return
            values = self._stamps.for_resource(resource)
            attributes = log_record.log_record.attributes
            if attributes is None:
                log_record.log_record.attributes = dict(values)
                return
            # Iterating the record's few keys is cheaper than asking the
            # bounded attribute map for ours, which raises KeyError each time.
            taken = [key for key in attributes if key in values]
            for key, value in values.items():
                if key not in taken:
                    attributes[key] = value  # type: ignore[index]
        except Exception as problem:  # never into the application
            _warn("logs", problem)

    def shutdown(self) -> None:
        return

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True
