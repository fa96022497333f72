"""``otel-resource`` as users run it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from otel_resource_identity import detect_resource
from otel_resource_identity.cli import main

from conftest import clean_environment


def _run(*arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otel_resource_identity", *arguments],
        env=clean_environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.subprocess
def test_detect_shows_detectors_entities_and_attributes() -> None:
    done = _run(
        "detect",
        OTEL_ENTITIES="service{service.name=shop}[service.version=2]",
        OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Entity-aware merge: on" in out
    for detector in ("sdk", "entities", "OTEL_RESOURCE_ATTRIBUTES"):
        assert f"  {detector} " in out
    assert "  service\n    id           service.name = shop" in out
    assert "description  service.version = 2" in out
    assert "telemetry.sdk.language = python" in out


@pytest.mark.subprocess
def test_detect_json_is_one_document_for_scripts() -> None:
    done = _run("detect", "--json", OTEL_ENTITIES="host{host.id=H1}@https://opentelemetry.io/schemas/1.44.0")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["entity_merge_enabled"] is False
    # Flag off: the resource is the SDK's plain merge, so it carries no entities;
    # the detector that found the host still shows it.
    assert document["resource"]["entities"] == []
    assert document["resource"]["attributes"]["host.id"] == "H1"
    [entities_run] = [run for run in document["detectors"] if run["name"] == "entities"]
    assert entities_run["entities"] == [
        {
            "type": "host",
            "id": {"host.id": "H1"},
            "description": {},
            "schema_url": "https://opentelemetry.io/schemas/1.44.0",
        }
    ]
    assert all(run["milliseconds"] >= 0 for run in document["detectors"])


def test_detect_in_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_ENTITIES", "host{host.id=H1}[host.name=n]@https://opentelemetry.io/schemas/1.44.0")
    monkeypatch.setenv("OTEL_EXPERIMENTAL_ENTITIES_ENABLED", "true")
    assert main(["detect"]) == 0
    out = capsys.readouterr().out
    assert "schema URL   https://opentelemetry.io/schemas/1.44.0" in out
    assert "entities: host" in out


def test_detect_json_in_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_ENTITIES", "service{service.name=shop}")
    monkeypatch.setenv("OTEL_EXPERIMENTAL_ENTITIES_ENABLED", "true")
    assert main(["detect", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["entity_merge_enabled"] is True
    assert document["resource"]["entities"][0]["type"] == "service"


def test_detect_resource_applies_the_user_variables_last(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_ENTITIES", "service{service.name=from-entity}[service.version=1]")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "from-user")
    resource = detect_resource()
    assert resource.attributes["service.name"] == "from-user"
    assert resource.attributes["service.version"] == "1"


def test_detect_without_entities_says_none(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_ENTITIES", raising=False)
    assert main(["detect"]) == 0
    out = capsys.readouterr().out
    assert "Entities on the resource\n  (none: with the flag off the SDK's plain merge keeps no entities" in out


@pytest.mark.subprocess
@pytest.mark.parametrize("arguments", [(), ("nonsense",), ("detect", "--bogus")])
def test_bad_usage_exits_non_zero_with_a_reason(arguments: tuple[str, ...]) -> None:
    done = _run(*arguments)
    assert done.returncode == 2
    assert "otel-resource: error:" in done.stderr
