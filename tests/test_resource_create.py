"""The SDK's own path: ``Resource.create()`` in a fresh process, set up by environment alone."""

from __future__ import annotations

import json

import pytest

from conftest import clean_environment, run_python

CREATE = """
import json
from opentelemetry.sdk.resources import Resource
from otel_resource_identity import entities_of, entity_merge_enabled
resource = Resource.create()
print(json.dumps({
    "attributes": dict(resource.attributes),
    "entities": [entity.type for entity in entities_of(resource)],
    "flag": entity_merge_enabled(),
}))
"""


def _create(**variables: str) -> dict[str, object]:
    env = clean_environment(OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity_entities", **variables)
    document: dict[str, object] = json.loads(run_python(CREATE, env).stdout)
    return document


@pytest.mark.subprocess
def test_otel_resource_attributes_evict_an_entity_only_with_the_flag() -> None:
    variables = {
        "OTEL_ENTITIES": "host{host.id=H1}[host.name=detected];service{service.name=shop}",
        "OTEL_RESOURCE_ATTRIBUTES": "host.id=from-user,deployment.environment.name=prod",
    }

    off = _create(**variables)
    on = _create(OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true", **variables)

    assert off["flag"] is False
    assert on["flag"] is True
    off_attributes = off["attributes"]
    on_attributes = on["attributes"]
    assert isinstance(off_attributes, dict)
    assert isinstance(on_attributes, dict)
    # Flag off: the SDK's plain merge. The user's host.id wins, the detected
    # host.name stays beside it: a resource describing two different hosts.
    assert off_attributes["host.id"] == "from-user"
    assert off_attributes["host.name"] == "detected"
    assert off["entities"] == []
    # Flag on: the user's host.id evicts the detected host entity with its
    # attributes; the service entity survives and the result carries it.
    assert on_attributes["host.id"] == "from-user"
    assert "host.name" not in on_attributes
    assert on_attributes["service.name"] == "shop"
    assert on_attributes["deployment.environment.name"] == "prod"
    assert on["entities"] == ["service"]
    # Everything else is what the SDK adds either way.
    assert on_attributes["telemetry.sdk.language"] == off_attributes["telemetry.sdk.language"] == "python"


@pytest.mark.subprocess
def test_otel_service_name_wins_over_an_entity() -> None:
    on = _create(
        OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true",
        OTEL_ENTITIES="service{service.name=from-entity}[service.version=1]",
        OTEL_SERVICE_NAME="from-user",
    )
    attributes = on["attributes"]
    assert isinstance(attributes, dict)
    assert attributes["service.name"] == "from-user"
    assert "service.version" not in attributes
    assert on["entities"] == []


@pytest.mark.subprocess
def test_without_our_detector_named_nothing_changes() -> None:
    env = clean_environment(OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true", OTEL_ENTITIES="host{host.id=H1}")
    document = json.loads(run_python(CREATE, env).stdout)
    assert document["flag"] is False
    assert "host.id" not in document["attributes"]
