"""Stamps are present when an exporter sees a span or record, whatever order the processors were added in.

Asserted at export time: the exporters copy attributes when ``export()`` is
called (or print them, or send them over OTLP to a receiver on 127.0.0.1), so
a stamp added after the export cannot pass.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from opentelemetry._logs import LogRecord
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk._logs import LoggerProvider, LogRecordProcessor
from opentelemetry.sdk._logs.export import (
    BatchLogRecordProcessor,
    ConsoleLogRecordExporter,
    SimpleLogRecordProcessor,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor

from exporters import CopyingLogExporter, CopyingSpanExporter
from otel_resource_identity import (
    ResourceIdentityLogRecordProcessor,
    ResourceIdentitySpanProcessor,
    configure,
    predict,
)

from conftest import clean_environment, run_instrumented
from otlp_receiver import attributes_of, otlp_receiver

pytestmark = pytest.mark.timeout(120)

POD = Resource({"service.name": "checkout", "k8s.pod.uid": "f57400dc-94ce-4806-a52e-d2726f448f15", "k8s.pod.name": "p"})
IDENTITY = predict(POD)
THREADS, PER_THREAD = 4, 50


def _emit_from_threads(emit: Callable[[int], None]) -> None:
    def run(thread: int) -> None:
        for i in range(PER_THREAD):
            emit(thread * PER_THREAD + i)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _stamped(attributes: dict[str, Any]) -> bool:
    return attributes.get("dash0.resource.id") == IDENTITY.id and attributes.get("dash0.resource.type") == "k8s.pod"


# --- Log records ------------------------------------------------------------------------------------

LOG_PROCESSORS: dict[str, Callable[[Any], LogRecordProcessor]] = {
    "simple": SimpleLogRecordProcessor,
    "batch": lambda exporter: BatchLogRecordProcessor(exporter, schedule_delay_millis=10, max_export_batch_size=7),
}


def _with_ours(provider: LoggerProvider, how: str) -> None:
    if how == "configure()":
        configure(logger_provider=provider, tracer_provider=TracerProvider(), resource=POD, set_global=False)
    else:  # by hand, first, as the README says
        provider.add_log_record_processor(ResourceIdentityLogRecordProcessor())


@pytest.mark.parametrize("processor", list(LOG_PROCESSORS))
@pytest.mark.parametrize(
    ("how", "exporting_added"),
    # By hand, the README says to add it first; configure() takes either order.
    [("configure()", "before ours"), ("configure()", "after ours"), ("by hand", "after ours")],
)
def test_every_log_record_is_stamped_when_exported(processor: str, exporting_added: str, how: str) -> None:
    provider = LoggerProvider(resource=POD)
    exporter = CopyingLogExporter()
    if exporting_added == "before ours":
        provider.add_log_record_processor(LOG_PROCESSORS[processor](exporter))
        _with_ours(provider, how)
    else:
        _with_ours(provider, how)
        provider.add_log_record_processor(LOG_PROCESSORS[processor](exporter))
    logger = provider.get_logger("t")
    _emit_from_threads(lambda i: logger.emit(LogRecord(body=f"r{i}", attributes={"i": i})))
    provider.force_flush()
    provider.shutdown()
    assert len(exporter.exported) == THREADS * PER_THREAD
    assert all(_stamped(attributes) for attributes in exporter.exported)


def test_the_console_exporter_prints_stamped_records() -> None:
    out = io.StringIO()
    provider = LoggerProvider(resource=POD)
    provider.add_log_record_processor(SimpleLogRecordProcessor(ConsoleLogRecordExporter(out=out)))
    configure(logger_provider=provider, tracer_provider=TracerProvider(), resource=POD, set_global=False)
    provider.get_logger("t").emit(LogRecord(body="hello"))
    printed = json.loads(out.getvalue())
    assert _stamped(printed["attributes"])


def test_otlp_log_records_are_stamped_on_the_wire() -> None:
    with otlp_receiver() as receiver:
        provider = LoggerProvider(resource=POD)
        exporter = OTLPLogExporter(endpoint=f"{receiver.endpoint}/v1/logs")
        provider.add_log_record_processor(BatchLogRecordProcessor(exporter, schedule_delay_millis=10))
        configure(logger_provider=provider, tracer_provider=TracerProvider(), resource=POD, set_global=False)
        logger = provider.get_logger("t")
        _emit_from_threads(lambda i: logger.emit(LogRecord(body=f"r{i}")))
        provider.shutdown()
    records = receiver.log_records()
    assert len(records) == THREADS * PER_THREAD
    assert all(_stamped(attributes) for _, attributes in records)


def test_configure_twice_keeps_one_processor_first() -> None:
    provider = LoggerProvider(resource=POD)
    exporter = CopyingLogExporter()
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    for _ in range(2):
        configure(logger_provider=provider, tracer_provider=TracerProvider(), resource=POD, set_global=False)
    provider.get_logger("t").emit(LogRecord(body="x"))
    assert len(exporter.exported) == 1
    assert _stamped(exporter.exported[0])


class _Provider(LoggerProvider):
    """A provider whose processor chain is not the SDK's (as a future SDK might have it)."""

    def __init__(self) -> None:
        super().__init__(resource=POD, shutdown_on_exit=False)
        self._multi_log_record_processor = object()  # type: ignore[assignment]

    def add_log_record_processor(self, log_record_processor: LogRecordProcessor) -> None:
        return


def test_an_unknown_processor_chain_is_one_warning_saying_what_to_do(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        configure(logger_provider=_Provider(), tracer_provider=TracerProvider(), resource=POD, set_global=False)
    [warning] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "add ResourceIdentityLogRecordProcessor to the provider before any exporting processor" in warning


# --- Spans ------------------------------------------------------------------------------------------

SPAN_PROCESSORS: dict[str, Callable[[Any], SpanProcessor]] = {
    "simple": SimpleSpanProcessor,
    "batch": lambda exporter: BatchSpanProcessor(exporter, schedule_delay_millis=10, max_export_batch_size=7),
}


@pytest.mark.parametrize("processor", list(SPAN_PROCESSORS))
@pytest.mark.parametrize("exporting_added", ["before ours", "after ours"])
@pytest.mark.parametrize("how", ["configure()", "by hand"])
def test_every_span_is_stamped_when_exported(processor: str, exporting_added: str, how: str) -> None:
    provider = TracerProvider(resource=POD)
    exporter = CopyingSpanExporter()

    def ours() -> None:
        if how == "configure()":
            configure(tracer_provider=provider, logger_provider=LoggerProvider(), resource=POD, set_global=False)
        else:
            provider.add_span_processor(ResourceIdentitySpanProcessor())

    if exporting_added == "before ours":
        provider.add_span_processor(SPAN_PROCESSORS[processor](exporter))
        ours()
    else:
        ours()
        provider.add_span_processor(SPAN_PROCESSORS[processor](exporter))
    tracer = provider.get_tracer("t")
    _emit_from_threads(lambda i: tracer.start_span(f"s{i}").end())
    provider.shutdown()
    assert len(exporter.exported) == THREADS * PER_THREAD
    assert all(_stamped(attributes) for attributes in exporter.exported)


def test_the_console_exporter_prints_stamped_spans() -> None:
    out = io.StringIO()
    provider = TracerProvider(resource=POD)
    provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=out)))
    configure(tracer_provider=provider, logger_provider=LoggerProvider(), resource=POD, set_global=False)
    provider.get_tracer("t").start_span("s").end()
    assert _stamped(json.loads(out.getvalue())["attributes"])


def test_otlp_spans_are_stamped_on_the_wire() -> None:
    with otlp_receiver() as receiver:
        provider = TracerProvider(resource=POD)
        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{receiver.endpoint}/v1/traces"), schedule_delay_millis=10)
        )
        configure(tracer_provider=provider, logger_provider=LoggerProvider(), resource=POD, set_global=False)
        tracer = provider.get_tracer("t")
        _emit_from_threads(lambda i: tracer.start_span(f"s{i}").end())
        provider.shutdown()
    spans = receiver.spans()
    assert len(spans) == THREADS * PER_THREAD
    assert all(_stamped(attributes) for _, attributes in spans)


# --- Metrics ----------------------------------------------------------------------------------------


def test_configure_stamps_a_meter_providers_resource_for_metrics_on_the_wire() -> None:
    with otlp_receiver() as receiver:
        reader = PeriodicExportingMetricReader(
            OTLPMetricExporter(endpoint=f"{receiver.endpoint}/v1/metrics"), export_interval_millis=60_000
        )
        meters = MeterProvider(metric_readers=[reader], resource=POD)
        configuration = configure(
            meter_provider=meters,
            tracer_provider=TracerProvider(resource=POD),
            logger_provider=LoggerProvider(resource=POD),
            resource=POD,
            stamp=["spans", "logs", "resource"],
            set_global=False,
        )
        assert configuration.meter_provider is meters
        meters.get_meter("t").create_counter("orders").add(1)
        meters.force_flush()
        meters.shutdown()
    exported = receiver.resources()["metrics"]
    assert exported
    for resource, _ in exported:
        attributes = attributes_of(resource.attributes)
        assert attributes["dash0.resource.id"] == IDENTITY.id
        assert attributes["dash0.resource.type"] == "k8s.pod"
        assert attributes["k8s.pod.name"] == "p"


def test_without_resource_stamping_a_meter_provider_is_left_as_it_is() -> None:
    meters = MeterProvider(resource=POD)
    configure(
        meter_provider=meters,
        tracer_provider=TracerProvider(),
        logger_provider=LoggerProvider(),
        resource=POD,
        stamp=["spans"],
        set_global=False,
    )
    with otlp_receiver() as receiver:
        reader = PeriodicExportingMetricReader(
            OTLPMetricExporter(endpoint=f"{receiver.endpoint}/v1/metrics"), export_interval_millis=60_000
        )
        other = MeterProvider(metric_readers=[reader], resource=POD)
        configure(
            meter_provider=other,
            tracer_provider=TracerProvider(),
            logger_provider=LoggerProvider(),
            resource=POD,
            stamp=["spans"],
            set_global=False,
        )
        other.get_meter("t").create_counter("orders").add(1)
        other.shutdown()
    exported = receiver.resources()["metrics"]
    assert exported
    assert all("dash0.resource.id" not in attributes_of(resource.attributes) for resource, _ in exported)


# --- Under opentelemetry-instrument -----------------------------------------------------------------

THREADED_APP = """
import logging, threading
from opentelemetry import trace

def work(n):
    for i in range(50):
        with trace.get_tracer("app").start_as_current_span(f"s{n}-{i}"):
            logging.getLogger("app").warning("record %d-%d", n, i)

threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
for t in threads: t.start()
for t in threads: t.join()
"""


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("handler", "expected_records"),
    [
        # The current way: opentelemetry-instrumentation-logging's instrumentor installs the handler.
        ({}, 200),
        # The SDK's deprecated handler: the logging instrumentor then logs, while instrumenting, that it
        # skips its own; that record, emitted before any post-instrument hook, is stamped too.
        ({"OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED": "true"}, 201),
    ],
    ids=["instrumentation-logging", "deprecated SDK handler"],
)
def test_under_opentelemetry_instrument_every_stdlib_record_is_stamped(
    tmp_path: Path, handler: dict[str, str], expected_records: int
) -> None:
    app = tmp_path / "app.py"
    app.write_text(THREADED_APP)
    with otlp_receiver() as receiver:
        settings = receiver.exporting_here(delay_ms="5") | {
            "OTEL_SERVICE_NAME": "checkout",
            "OTEL_RESOURCE_ATTRIBUTES": "k8s.pod.uid=f57400dc-94ce-4806-a52e-d2726f448f15,k8s.pod.name=p",
        }
        run_instrumented(app, clean_environment(**(settings | handler)))
    records = receiver.log_records()
    assert len(records) == expected_records
    assert all(_stamped(attributes) for _, attributes in records), "some records were exported unstamped"
    assert len(receiver.spans()) == 200
    assert all(_stamped(attributes) for _, attributes in receiver.spans())
