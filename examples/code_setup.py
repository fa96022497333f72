"""Set up tracing and logging in code, with the predicted identity stamped on both.

Run it: ``python examples/code_setup.py``. It prints the attributes of one span
and one log record, exported to the console-free in-memory exporters.
"""

from __future__ import annotations

import json

from opentelemetry._logs import LogRecord
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otel_resource_identity import configure, detect_resource


def main() -> None:
    resource = detect_resource()  # the SDK's defaults, this package's detectors, your OTEL_* variables

    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    logs = InMemoryLogRecordExporter()  # type: ignore[no-untyped-call]
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(logs))

    # Installs the span and log record processors (RESOURCE_IDENTITY_STAMP decides which).
    configure(tracer_provider=tracer_provider, logger_provider=logger_provider, resource=resource)

    with tracer_provider.get_tracer(__name__).start_as_current_span("checkout"):
        logger_provider.get_logger(__name__).emit(LogRecord(body="order placed"))

    [span] = spans.get_finished_spans()
    [record] = logs.get_finished_logs()
    print(json.dumps({"span": dict(span.attributes or {}), "log": dict(record.log_record.attributes or {})}))


if __name__ == "__main__":
    main()
