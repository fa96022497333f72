"""Set up tracing and logging in code, with the predicted identity stamped on spans and log records.

Shows: a ``TracerProvider`` and a ``LoggerProvider`` whose console exporters
were added *before* this package's processors, as most setups do, and
``configure()`` putting the log record processor ahead of them, so what the
exporters print already carries ``dash0.resource.id``/``.name``/``.type``.
Needs: nothing running; it prints one span and one log record as JSON.
Run it: ``python examples/code_setup.py``.
"""

from __future__ import annotations

from opentelemetry._logs import LogRecord
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import ConsoleLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

from otel_resource_identity import configure, detect_resource


def main() -> None:
    resource = detect_resource()  # the SDK's defaults, this package's detectors, your OTEL_* variables

    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(ConsoleLogRecordExporter()))

    # Installs the span and log record processors (RESOURCE_IDENTITY_STAMP decides which); the log
    # record processor goes before the exporting processor added above, so the printed record is stamped.
    configure(tracer_provider=tracer_provider, logger_provider=logger_provider, resource=resource)

    with tracer_provider.get_tracer(__name__).start_as_current_span("checkout"):
        logger_provider.get_logger(__name__).emit(LogRecord(body="order placed"))


if __name__ == "__main__":
    main()
