"""The global providers, in this process: configure() builds them, auto-instrumentation finds them.

Global providers can be set once per process, so this module sets them once
and checks both paths against them.
"""

from __future__ import annotations

import logging

import pytest
from opentelemetry import trace
from opentelemetry._logs import get_logger_provider
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from otel_resource_identity import configure, entity_merge_enabled, predict
from otel_resource_identity._auto import ResourceIdentityInstrumentor, pre_instrument

RESOURCE = Resource({"service.name": "shop", "service.instance.id": "i-1"})


def test_before_any_global_provider_exists_nothing_is_added() -> None:
    instrumentor = ResourceIdentityInstrumentor()
    assert tuple(instrumentor.instrumentation_dependencies()) == ()
    instrumentor.instrument()  # the global providers are still proxies: nothing to do
    instrumentor.uninstrument()
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)


@pytest.mark.parametrize("disabled", ["resource_identity", "flask, resource_identity", "*"])
def test_the_hook_is_disabled_like_any_instrumentation(
    disabled: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OTEL_PYTHON_DISABLED_INSTRUMENTATIONS", disabled)
    with caplog.at_level(logging.DEBUG, logger="otel_resource_identity"):
        pre_instrument()
    assert "not installed" in caplog.text


def test_the_hook_installs_when_not_disabled(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="otel_resource_identity"):
        pre_instrument()  # the globals are proxies here: nothing to add, but it ran
    assert "processors installed" in caplog.text


def test_without_setting_globals_configure_builds_private_providers() -> None:
    configuration = configure(resource=RESOURCE, set_global=False)
    assert isinstance(configuration.tracer_provider, TracerProvider)
    assert configuration.tracer_provider is not trace.get_tracer_provider()


def test_configure_sets_the_globals_and_auto_instrumentation_adds_nothing_twice(
    monkeypatch: object,
) -> None:
    configuration = configure(resource=RESOURCE, entities=True)
    assert trace.get_tracer_provider() is configuration.tracer_provider
    assert get_logger_provider() is configuration.logger_provider
    assert isinstance(configuration.logger_provider, LoggerProvider)
    assert entity_merge_enabled()
    exporter = InMemorySpanExporter()
    assert configuration.tracer_provider is not None
    configuration.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    ResourceIdentityInstrumentor().instrument()  # finds the providers configure() stamped already
    configure(resource=RESOURCE)  # and configure() reuses the globals
    trace.get_tracer("t").start_span("s").end()
    [span] = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["dash0.resource.id"] == predict(RESOURCE).id
