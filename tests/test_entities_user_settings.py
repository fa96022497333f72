"""``OTEL_SERVICE_NAME`` and ``OTEL_RESOURCE_ATTRIBUTES`` over ``OTEL_ENTITIES``, as a user meets it.

docs/entities.md, "When you set both": the user's variables win; a value that repeats an entity's
keeps the entity whole, one that differs drops it with one warning naming the keys it loses.
"""

from __future__ import annotations

import json
import logging

import pytest

from otel_resource_identity import EnvEntitiesDetector

from conftest import clean_environment, run_cli

ENTITIES = "service{service.name=shop,service.instance.id=i1}[service.version=2]"


def _detect_json(**variables: str) -> tuple[dict[str, object], str]:
    env = clean_environment(
        OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true",
        OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity",
        OTEL_ENTITIES=ENTITIES,
        **variables,
    )
    done = run_cli("detect", "--json", env=env)
    assert done.returncode == 0, done.stderr
    attributes: dict[str, object] = json.loads(done.stdout)["resource"]["attributes"]
    return attributes, done.stderr


@pytest.mark.subprocess
def test_a_service_name_that_repeats_the_entitys_keeps_its_instance_and_version() -> None:
    attributes, stderr = _detect_json(OTEL_SERVICE_NAME="shop")
    assert (attributes["service.name"], attributes["service.instance.id"], attributes["service.version"]) == (
        "shop",
        "i1",
        "2",
    )
    assert "OTEL_ENTITIES" not in stderr


@pytest.mark.subprocess
def test_another_service_name_drops_the_entity_with_one_warning() -> None:
    attributes, stderr = _detect_json(OTEL_SERVICE_NAME="checkout")
    assert attributes["service.name"] == "checkout"
    assert attributes.get("service.instance.id") != "i1"
    assert "service.version" not in attributes
    warnings = [line for line in stderr.splitlines() if "OTEL_ENTITIES" in line]
    assert len(warnings) == 1
    assert "service.instance.id, service.version" in warnings[0]
    assert "shop" not in stderr  # keys, never values
    assert "checkout" not in stderr


@pytest.mark.subprocess
def test_detect_lists_what_is_outside_every_entity_with_why() -> None:
    env = clean_environment(
        OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true",
        OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity",
        OTEL_SERVICE_NAME="checkout",
    )
    done = run_cli("detect", env=env)
    assert done.returncode == 0, done.stderr
    section = done.stdout.split("Outside every entity", 1)[1].split("\n\n", 1)[0]
    assert "service.name" in section
    assert "the user's (OTEL_SERVICE_NAME" in section
    assert "telemetry.sdk" not in section  # an entity now


def test_the_detector_warns_once_and_only_on_a_contradiction(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        EnvEntitiesDetector(environ={"OTEL_ENTITIES": ENTITIES, "OTEL_SERVICE_NAME": "shop"}).detect()
        assert not caplog.records
        environ = {"OTEL_ENTITIES": ENTITIES, "OTEL_RESOURCE_ATTRIBUTES": "service.instance.id=other"}
        EnvEntitiesDetector(environ=environ).detect()
        EnvEntitiesDetector(environ=environ).detect()
    [record] = caplog.records
    assert "OTEL_RESOURCE_ATTRIBUTES" in record.getMessage()
    assert "service.name, service.version" in record.getMessage()
