"""OTLP ``entity_refs``: real exporters, HTTP and gRPC, to receivers on 127.0.0.1."""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from opentelemetry._logs import LogRecord
from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter as GrpcLogExporter
from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter as GrpcMetricExporter
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcSpanExporter
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter as HttpLogExporter
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter as HttpMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpSpanExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from otel_resource_identity import Entity, disable_entity_merge, enable_entity_merge, resource_from_entities
from otel_resource_identity.entities import wire

from conftest import clean_environment, run_python
from otlp_receiver import Received, otlp_grpc_receiver, otlp_receiver

SCHEMA = "https://opentelemetry.io/schemas/1.41.0"
SERVICE = Entity("service", {"service.name": "shop"}, {"service.version": "2.0"}, SCHEMA)
HOST = Entity("host", {"host.id": "H1"}, {"host.name": "web-1"}, SCHEMA)
RESOURCE = resource_from_entities([SERVICE, HOST], {"env": "prod"}, SCHEMA)


def _send(receiver: Received, transport: str) -> None:
    if transport == "http":
        spans: Any = HttpSpanExporter(endpoint=f"{receiver.endpoint}/v1/traces")
        metrics: Any = HttpMetricExporter(endpoint=f"{receiver.endpoint}/v1/metrics")
        logs: Any = HttpLogExporter(endpoint=f"{receiver.endpoint}/v1/logs")
    else:
        spans = GrpcSpanExporter(endpoint=receiver.endpoint, insecure=True)
        metrics = GrpcMetricExporter(endpoint=receiver.endpoint, insecure=True)
        logs = GrpcLogExporter(endpoint=receiver.endpoint, insecure=True)
    tracer_provider = TracerProvider(resource=RESOURCE)
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    tracer_provider.get_tracer("t").start_span("work").end()
    reader = PeriodicExportingMetricReader(metrics, export_interval_millis=3_600_000)
    meter_provider = MeterProvider(resource=RESOURCE, metric_readers=[reader])
    meter_provider.get_meter("t").create_counter("orders").add(1)
    meter_provider.force_flush()
    logger_provider = LoggerProvider(resource=RESOURCE)
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(logs))
    logger_provider.get_logger("t").emit(LogRecord(body="hello"))
    for provider in (tracer_provider, meter_provider, logger_provider):
        provider.shutdown()


RECEIVERS: dict[str, Callable[[], AbstractContextManager[Received]]] = {
    "http": otlp_receiver,
    "grpc": otlp_grpc_receiver,
}


@pytest.fixture
def flag_on() -> Iterator[None]:
    enable_entity_merge()
    yield
    disable_entity_merge()


@pytest.mark.parametrize("transport", ["http", "grpc"])
def test_every_signal_carries_one_ref_per_entity(transport: str, flag_on: None) -> None:
    with RECEIVERS[transport]() as receiver:
        _send(receiver, transport)
    resources = receiver.resources()
    for signal in ("traces", "metrics", "logs"):
        assert resources[signal], signal
        for encoded, schema_url in resources[signal]:
            refs = {ref.type: ref for ref in encoded.entity_refs}
            assert set(refs) == {"service", "host"}, signal
            assert list(refs["service"].id_keys) == ["service.name"]
            assert list(refs["service"].description_keys) == ["service.version"]
            assert list(refs["host"].id_keys) == ["host.id"]
            assert refs["host"].schema_url == SCHEMA
            # Every key a reference names is an attribute of the encoded resource.
            keys = {pair.key for pair in encoded.attributes}
            assert all(set(ref.id_keys) | set(ref.description_keys) <= keys for ref in refs.values())
            assert schema_url == RESOURCE.schema_url


@pytest.mark.parametrize("transport", ["http", "grpc"])
def test_with_the_flag_off_no_refs_are_sent(transport: str) -> None:
    enable_entity_merge()
    disable_entity_merge()
    assert not wire.installed()
    with RECEIVERS[transport]() as receiver:
        _send(receiver, transport)
    for items in receiver.resources().values():
        assert items
        for encoded, _ in items:
            assert len(encoded.entity_refs) == 0


def test_with_the_flag_off_the_bytes_are_the_sdks() -> None:
    from opentelemetry.exporter.otlp.proto.common import trace_encoder

    tracer_provider = TracerProvider(resource=RESOURCE)
    span = tracer_provider.get_tracer("t").start_span("work", start_time=1)
    span.end(end_time=2)
    before = trace_encoder.encode_spans([span]).SerializeToString()  # type: ignore[list-item]
    enable_entity_merge()
    with_refs = trace_encoder.encode_spans([span]).SerializeToString()  # type: ignore[list-item]
    disable_entity_merge()
    after = trace_encoder.encode_spans([span]).SerializeToString()  # type: ignore[list-item]
    assert before == after
    assert with_refs != before


def test_refs_name_only_keys_that_survived() -> None:
    refs = wire.entity_refs_for(RESOURCE, {"service.name", "host.name", "env"})
    assert refs == [
        {"type": "service", "schema_url": SCHEMA, "id_keys": ["service.name"], "description_keys": []},
    ]
    assert wire.entity_refs(Resource({"a": 1})) == []


def test_an_encoder_that_changed_turns_the_integration_off(caplog: pytest.LogCaptureFixture) -> None:
    def changed_encoder(resource: Resource) -> object:
        return types.SimpleNamespace(attributes=None)  # not what the wrapper expects

    from opentelemetry.proto.common.v1.common_pb2 import EntityRef

    enable_entity_merge()
    wrapper = wire._wrap_resource_encoder(changed_encoder, EntityRef)
    with caplog.at_level("WARNING"):
        result = wrapper(RESOURCE)
    assert result.attributes is None
    assert "OTLP entity_refs are off" in caplog.text
    assert not wire.installed()
    disable_entity_merge()


def test_a_missing_encoder_is_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        wire._prepare(wire.Target("_gone", "nowhere", ()), types.ModuleType("nowhere"))
    assert "nowhere._gone is missing" in caplog.text


@pytest.mark.subprocess
def test_exporters_imported_after_the_flag_are_wrapped_as_they_load() -> None:
    code = """
import json, sys
from otel_resource_identity import Entity, enable_entity_merge, resource_from_entities
enable_entity_merge()
assert "opentelemetry.exporter.otlp.proto.common._internal" not in sys.modules
from opentelemetry.exporter.otlp.proto.common._internal import _encode_resource
resource = resource_from_entities([Entity("host", {"host.id": "H1"})])
print(json.dumps([ref.type for ref in _encode_resource(resource).entity_refs]))
"""
    assert json.loads(run_python(code, clean_environment()).stdout) == ["host"]


@pytest.mark.subprocess
def test_detect_json_shows_the_refs() -> None:
    code = "from otel_resource_identity.cli import main; main(['detect', '--json'])"
    env = clean_environment(OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true", OTEL_ENTITIES="service{service.name=shop}")
    document = json.loads(run_python(code, env).stdout)
    assert {"type": "service", "schema_url": "", "id_keys": ["service.name"], "description_keys": []} in (
        document["entity_refs"]
    )
