"""A real application under ``opentelemetry-instrument``, exporting OTLP/HTTP to a receiver on 127.0.0.1."""

from __future__ import annotations

import subprocess

import pytest

from otel_resource_identity import predict

from conftest import ROOT, clean_environment, run_instrumented
from otlp_receiver import Received, otlp_receiver

APP = ROOT / "examples" / "auto_instrumented_app.py"


def _instrumented(receiver: Received, **variables: str) -> subprocess.CompletedProcess[str]:
    settings = receiver.exporting_here() | {
        "OTEL_SERVICE_NAME": "checkout",
        "OTEL_RESOURCE_ATTRIBUTES": "service.instance.id=instance-1,deployment.environment.name=test",
        "OTEL_EXPERIMENTAL_RESOURCE_DETECTORS": "resource_identity",
    }
    return run_instrumented(APP, clean_environment(**(settings | variables)))


@pytest.mark.subprocess
def test_spans_and_logs_carry_the_predicted_identity() -> None:
    with otlp_receiver() as receiver:
        _instrumented(receiver, DYNO="web.1", HEROKU_APP_ID="app-1", HEROKU_DYNO_ID="dyno-1")
    spans, records = receiver.spans(), receiver.log_records()
    assert spans
    assert records
    for resource, attributes in spans + records:
        identity = predict(resource)
        assert attributes["dash0.resource.id"] == identity.id
        # OTEL_RESOURCE_ATTRIBUTES set service.instance.id, which wins over HEROKU_DYNO_ID.
        assert attributes["dash0.resource.name"] == identity.name == "app-1:instance-1"
        assert attributes["dash0.resource.type"] == identity.type == "heroku.dyno"
        assert resource["cloud.provider"] == "heroku"
        assert "dash0.resource.id" not in resource


@pytest.mark.subprocess
def test_stamp_none_carries_nothing() -> None:
    with otlp_receiver() as receiver:
        _instrumented(receiver, RESOURCE_IDENTITY_STAMP="none")
    spans, records = receiver.spans(), receiver.log_records()
    assert spans
    assert records
    for resource, attributes in spans + records:
        assert not [key for key in {**resource, **attributes} if key.startswith("dash0.")]


@pytest.mark.subprocess
def test_stamp_resource_puts_the_identity_on_the_resource() -> None:
    with otlp_receiver() as receiver:
        _instrumented(
            receiver,
            RESOURCE_IDENTITY_STAMP="spans,resource",
            DYNO="web.1",
            HEROKU_APP_ID="app-1",
            HEROKU_DYNO_ID="dyno-1",
        )
    spans = receiver.spans()
    assert spans
    for resource, attributes in spans:
        identity = predict(resource)
        assert resource["dash0.resource.id"] == identity.id
        assert resource["dash0.resource.type"] == "heroku.dyno"
        assert attributes["dash0.resource.id"] == identity.id
    assert receiver.log_records()
    for resource, attributes in receiver.log_records():
        assert "dash0.resource.id" not in attributes
        assert resource["dash0.resource.id"] == predict(resource).id


@pytest.mark.subprocess
def test_disabled_like_any_instrumentation() -> None:
    with otlp_receiver() as receiver:
        _instrumented(receiver, OTEL_PYTHON_DISABLED_INSTRUMENTATIONS="resource_identity")
    for _, attributes in receiver.spans():
        assert "dash0.resource.id" not in attributes


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "platform",
    [
        {"DYNO": "web.1", "HEROKU_APP_ID": "app-1", "HEROKU_APP_NAME": "checkout"},
        {
            "KUBERNETES_SERVICE_HOST": "127.0.0.1",
            "KUBERNETES_SERVICE_PORT": "9",
            "K8S_POD_NAME": "checkout-7d9c5-x2k9p",
        },
    ],
    ids=["heroku dyno", "kubernetes pod"],
)
def test_entity_refs_with_nothing_but_the_flag(platform: dict[str, str]) -> None:
    with otlp_receiver() as receiver:
        _instrumented(receiver, OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true", **platform)
    resources = receiver.resources()
    for signal in ("traces", "logs"):
        assert resources[signal], signal
        for encoded, _ in resources[signal]:
            refs = {ref.type: ref for ref in encoded.entity_refs}
            keys = {pair.key: pair.value for pair in encoded.attributes}
            assert keys["service.name"].string_value == "checkout"
            if "DYNO" in platform:
                # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (checkout, instance-1) say what the
                # detected service and instance say: no conflict, both entities stay.
                assert list(refs["service"].id_keys) == ["service.name"]
                assert list(refs["service.instance"].id_keys) == ["service.instance.id"]
            # The SDK's attributes and this process, as the conventions' entities.
            assert list(refs["telemetry.sdk"].id_keys) == ["telemetry.sdk.name", "telemetry.sdk.language"]
            assert list(refs["telemetry.sdk"].description_keys) == ["telemetry.sdk.version"]
            assert list(refs["process"].id_keys) == ["process.pid", "process.creation.time"]
            assert keys["process.creation.time"].string_value.endswith("Z")
            assert "os" in refs
            assert all(set(ref.id_keys) | set(ref.description_keys) <= keys.keys() for ref in refs.values())
