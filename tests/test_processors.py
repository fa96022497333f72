"""The span and log record processors on real SDK providers."""

from __future__ import annotations

import logging
import threading

import pytest
from opentelemetry._logs import LogRecord
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otel_resource_identity import ResourceIdentityLogRecordProcessor, ResourceIdentitySpanProcessor, predict

POD = Resource(
    {
        "k8s.pod.uid": "f57400dc-94ce-4806-a52e-d2726f448f15",
        "k8s.pod.name": "checkout-7d9c",
        "service.name": "checkout",
    }
)


def _tracing(resource: Resource, **options: str) -> tuple[TracerProvider, InMemorySpanExporter]:
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(ResourceIdentitySpanProcessor(**options))
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def _logging(resource: Resource, **options: str) -> tuple[LoggerProvider, InMemoryLogRecordExporter]:
    provider = LoggerProvider(resource=resource)
    provider.add_log_record_processor(ResourceIdentityLogRecordProcessor(**options))
    exporter = InMemoryLogRecordExporter()  # type: ignore[no-untyped-call]
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    return provider, exporter


def test_spans_carry_the_predicted_identity() -> None:
    provider, exporter = _tracing(POD)
    with provider.get_tracer("t").start_as_current_span("work"):
        pass
    [span] = exporter.get_finished_spans()
    identity = predict(POD)
    assert span.attributes is not None
    assert span.attributes["dash0.resource.id"] == identity.id
    assert span.attributes["dash0.resource.name"] == "checkout-7d9c"
    assert span.attributes["dash0.resource.type"] == "k8s.pod"


def test_a_value_the_user_set_is_never_overwritten() -> None:
    provider, exporter = _tracing(POD)
    provider.get_tracer("t").start_span("work", attributes={"dash0.resource.name": "mine"}).end()
    [span] = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["dash0.resource.name"] == "mine"
    assert span.attributes["dash0.resource.id"] == predict(POD).id


def test_an_unnamed_resource_gets_no_name_key() -> None:
    provider, exporter = _tracing(Resource({"x": 1}))
    provider.get_tracer("t").start_span("work").end()
    [span] = exporter.get_finished_spans()
    assert span.attributes is not None
    assert set(span.attributes) == {"dash0.resource.id"}


def test_the_keys_can_be_changed() -> None:
    provider, exporter = _tracing(POD, prefix="predicted.resource.")
    provider.get_tracer("t").start_span("work").end()
    [span] = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["predicted.resource.type"] == "k8s.pod"
    assert "dash0.resource.type" not in span.attributes


def test_log_records_carry_the_predicted_identity() -> None:
    provider, exporter = _logging(POD)
    provider.get_logger("t").emit(LogRecord(body="hello", attributes={"dash0.resource.type": "user-set"}))
    provider.get_logger("t").emit(LogRecord(body="no attributes"))
    record, bare = exporter.get_finished_logs()
    attributes = record.log_record.attributes
    assert attributes is not None
    assert attributes["dash0.resource.id"] == predict(POD).id
    assert attributes["dash0.resource.type"] == "user-set"
    assert bare.log_record.attributes is not None
    assert bare.log_record.attributes["dash0.resource.name"] == "checkout-7d9c"


def test_many_threads_at_once() -> None:
    provider, exporter = _tracing(POD)
    tracer = provider.get_tracer("t")
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        for _ in range(100):
            tracer.start_span("s").end()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spans = exporter.get_finished_spans()
    assert len(spans) == 800
    assert {span.attributes["dash0.resource.id"] for span in spans if span.attributes} == {predict(POD).id}


def test_a_failure_never_reaches_the_application(caplog: pytest.LogCaptureFixture) -> None:
    provider, exporter = _tracing(POD, ruleset="no-such-ruleset")
    with caplog.at_level(logging.WARNING):
        provider.get_tracer("t").start_span("a").end()
        provider.get_tracer("t").start_span("b").end()
    assert len(exporter.get_finished_spans()) == 2
    assert len([r for r in caplog.records if "Could not stamp" in r.getMessage()]) == 1
    log_provider, log_exporter = _logging(POD, ruleset="no-such-ruleset")
    with caplog.at_level(logging.WARNING):
        log_provider.get_logger("t").emit(LogRecord(body="still exported"))
    assert len(log_exporter.get_finished_logs()) == 1
    assert "Could not stamp the resource identity on logs" in caplog.text


def test_processors_have_nothing_to_flush() -> None:
    for processor in (ResourceIdentitySpanProcessor(), ResourceIdentityLogRecordProcessor()):
        assert processor.force_flush() is True
        processor.shutdown()


def test_one_processor_shared_by_two_providers_stamps_each_resources_identity() -> None:
    """A processor instance added to two providers (an app and a library with its own) stamps each
    span with its own provider's identity, also when the resources alternate."""
    other = Resource({"service.name": "billing", "service.instance.id": "b-1", "host.id": "i-0a1b2c3d4e5f67890"})
    shared = ResourceIdentitySpanProcessor()
    exporter = InMemorySpanExporter()
    providers = []
    for resource in (POD, other):
        provider = TracerProvider(resource=resource)
        provider.add_span_processor(shared)
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        providers.append(provider)
    for provider in (*providers, *providers):
        provider.get_tracer("t").start_span("work").end()
    stamped = [
        (span.resource, (span.attributes or {}).get("dash0.resource.id")) for span in exporter.get_finished_spans()
    ]
    assert [identity for _, identity in stamped] == [predict(resource).id for resource, _ in stamped]
    assert len({identity for _, identity in stamped}) == 2
