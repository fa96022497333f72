"""configure(): detection, providers, processors and the flag in one call."""

from __future__ import annotations

import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otel_resource_identity import configure, entity_merge_enabled, predict

from conftest import clean_environment, run_python

RESOURCE = Resource({"host.name": "web-1", "service.name": "shop"})


def test_given_providers_get_the_processors_once() -> None:
    tracer_provider = TracerProvider(resource=RESOURCE)
    exporter = InMemorySpanExporter()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    logger_provider = LoggerProvider(resource=RESOURCE)
    first = configure(tracer_provider=tracer_provider, logger_provider=logger_provider, resource=RESOURCE)
    configure(tracer_provider=tracer_provider, logger_provider=logger_provider, resource=RESOURCE)
    assert first.tracer_provider is tracer_provider
    assert first.logger_provider is logger_provider
    tracer_provider.get_tracer("t").start_span("s").end()
    [span] = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["dash0.resource.id"] == predict(RESOURCE).id


def test_stamping_the_resource() -> None:
    configuration = configure(
        tracer_provider=TracerProvider(), logger_provider=LoggerProvider(), resource=RESOURCE, stamp=["resource"]
    )
    assert configuration.resource.attributes["dash0.resource.type"] == "host"
    assert configuration.resource.attributes["dash0.resource.id"] == predict(RESOURCE).id


def test_the_flag_can_be_set_in_code() -> None:
    configure(tracer_provider=TracerProvider(), logger_provider=LoggerProvider(), resource=RESOURCE, entities=True)
    assert entity_merge_enabled()
    configure(tracer_provider=TracerProvider(), logger_provider=LoggerProvider(), resource=RESOURCE, entities=False)
    assert not entity_merge_enabled()


def test_an_unknown_stamp_target_says_what_is_accepted() -> None:
    with pytest.raises(ValueError, match="unknown target"):
        configure(
            resource=RESOURCE, stamp=["metrics"], tracer_provider=TracerProvider(), logger_provider=LoggerProvider()
        )


@pytest.mark.subprocess
def test_with_nothing_given_it_detects_and_sets_the_global_providers() -> None:
    code = """
import json
from opentelemetry import trace
from opentelemetry._logs import get_logger_provider
from otel_resource_identity import configure, entity_merge_enabled
first = configure()
again = configure()
print(json.dumps({
    "same": trace.get_tracer_provider() is first.tracer_provider is again.tracer_provider,
    "logs": get_logger_provider() is first.logger_provider,
    "flag": entity_merge_enabled(),
    "resource": dict(first.resource.attributes),
}))
"""
    env = clean_environment(
        OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true", DYNO="web.1", HEROKU_APP_ID="a", RESOURCE_IDENTITY_STAMP="resource"
    )
    import json

    document = json.loads(run_python(code, env).stdout)
    assert document["same"] is True
    assert document["logs"] is True
    assert document["flag"] is True
    assert document["resource"]["cloud.provider"] == "heroku"
    assert document["resource"]["dash0.resource.id"]
