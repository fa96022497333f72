"""Stamping spans and log records: this package's processors against the least possible.

For each signal, three providers that differ only in their one processor:
none at all, a minimal processor that sets three precomputed attributes, and
this package's processor. The timed operation is starting and ending a span
(emitting a log record). Goal: within 1.25 times the minimal processor.
"""

from __future__ import annotations

from collections.abc import Callable

from opentelemetry._logs import LogRecord
from opentelemetry.context import Context
from opentelemetry.sdk._logs import LoggerProvider, LogRecordProcessor, ReadWriteLogRecord
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Span, SpanProcessor, TracerProvider

from otel_resource_identity import ResourceIdentityLogRecordProcessor, ResourceIdentitySpanProcessor
from otel_resource_identity.stamping import identity_attributes

from harness import CaseResult, compare

RESOURCE = Resource(
    {
        "service.name": "checkout",
        "service.instance.id": "3c1e9f2a",
        "k8s.pod.uid": "f57400dc-94ce-4806-a52e-d2726f448f15",
        "k8s.pod.name": "checkout-7d9c5b8f6d-x2k4p",
        "k8s.namespace.name": "shop",
        "host.name": "ip-10-0-12-34",
    }
)
PRECOMPUTED = identity_attributes(RESOURCE)


class MinimalSpanProcessor(SpanProcessor):
    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        span.set_attributes(PRECOMPUTED)


class MinimalLogRecordProcessor(LogRecordProcessor):
    def on_emit(self, log_record: ReadWriteLogRecord) -> None:
        attributes = log_record.log_record.attributes
        for key, value in PRECOMPUTED.items():
            attributes[key] = value  # type: ignore[index]

    def shutdown(self) -> None:
        return

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def _span_case(processor: SpanProcessor | None) -> Callable[[], object]:
    provider = TracerProvider(resource=RESOURCE)
    if processor is not None:
        provider.add_span_processor(processor)
    tracer = provider.get_tracer("bench")
    attributes = {"http.request.method": "GET", "url.path": "/checkout"}

    def run() -> object:
        span = tracer.start_span("checkout", attributes=attributes)
        span.end()
        return span

    return run


def _log_case(processor: LogRecordProcessor | None) -> Callable[[], object]:
    provider = LoggerProvider(resource=RESOURCE)
    if processor is not None:
        provider.add_log_record_processor(processor)
    logger = provider.get_logger("bench")

    def run() -> object:
        logger.emit(LogRecord(body="order placed", attributes={"order.id": "o-1"}))
        return None

    return run


def run(rounds: int, number: int) -> list[tuple[str, list[CaseResult]]]:
    spans = compare(
        {
            "no processor": _span_case(None),
            "minimal processor (3 precomputed attributes)": _span_case(MinimalSpanProcessor()),
            "ResourceIdentitySpanProcessor": _span_case(ResourceIdentitySpanProcessor()),
        },
        baseline="minimal processor (3 precomputed attributes)",
        rounds=rounds,
        number=number,
    )
    logs = compare(
        {
            "no processor": _log_case(None),
            "minimal processor (3 precomputed attributes)": _log_case(MinimalLogRecordProcessor()),
            "ResourceIdentityLogRecordProcessor": _log_case(ResourceIdentityLogRecordProcessor()),
        },
        baseline="minimal processor (3 precomputed attributes)",
        rounds=rounds,
        number=number,
    )
    return [("Span start and end", spans), ("Log record emit", logs)]
