"""Every example runs, and does what the README says it does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from otel_resource_identity import predict

from conftest import ROOT, clean_environment
from otlp_receiver import otlp_receiver

EXAMPLES = ROOT / "examples"


def _run(*command: str, **variables: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        list(command), env=clean_environment(**variables), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    return done


def _env_file(path: Path) -> dict[str, str]:
    variables: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            variables[key] = value
    return variables


@pytest.mark.subprocess
def test_entities_in_code() -> None:
    done = _run(sys.executable, str(EXAMPLES / "entities_in_code.py"))
    lines = dict(line.split(":", 1) for line in done.stdout.splitlines())
    assert "'host.name': 'web-1'" in lines["SDK plain merge"]
    expected = "{'service.name': 'shop', 'host.id': 'my-host', 'deployment.environment.name': 'prod'}"
    assert lines["entity-aware merge"].strip() == expected
    assert lines["entities"].strip() == "['service']"
    assert lines["provider resource"].strip() == expected


@pytest.mark.subprocess
def test_code_setup() -> None:
    done = _run(
        sys.executable, str(EXAMPLES / "code_setup.py"), DYNO="web.1", HEROKU_APP_ID="app-1", HEROKU_DYNO_ID="d-1"
    )
    # The console exporters print what they were handed at export time: a log record, then a span.
    decoder, text, documents = json.JSONDecoder(), done.stdout.strip(), []
    while text:
        document, end = decoder.raw_decode(text)
        documents.append(document)
        text = text[end:].strip()
    log, span = documents
    assert log["body"] == "order placed"
    assert span["name"] == "checkout"
    identity = predict(span["resource"]["attributes"])
    for item in (log, span):
        assert item["attributes"]["dash0.resource.id"] == identity.id
        assert item["attributes"]["dash0.resource.type"] == identity.type == "heroku.dyno"


@pytest.mark.subprocess
def test_environment_only_setup() -> None:
    instrument = shutil.which("opentelemetry-instrument", path=str(Path(sys.executable).parent))
    assert instrument is not None
    # The documented settings, sent over OTLP instead of printed.
    variables = _env_file(EXAMPLES / "environment-only.env") | {
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_LOGS_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
    }
    with otlp_receiver() as receiver:
        _run(
            instrument,
            sys.executable,
            str(EXAMPLES / "auto_instrumented_app.py"),
            **variables,
            OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint,
            OTEL_BSP_SCHEDULE_DELAY="50",
            OTEL_BLRP_SCHEDULE_DELAY="50",
        )
    spans = receiver.spans()
    assert spans
    for resource, attributes in spans + receiver.log_records():
        identity = predict(resource)
        assert resource["dash0.resource.id"] == attributes["dash0.resource.id"] == identity.id
        assert resource["service.name"] == "checkout"


@pytest.mark.subprocess
def test_the_examples_show_their_result_with_nothing_else_running() -> None:
    instrument = shutil.which("opentelemetry-instrument", path=str(Path(sys.executable).parent))
    assert instrument is not None
    started = time.monotonic()
    done = _run(
        instrument,
        sys.executable,
        str(EXAMPLES / "auto_instrumented_app.py"),
        **_env_file(EXAMPLES / "environment-only.env"),
    )
    assert time.monotonic() - started < 10
    assert done.returncode == 0, done.stderr
    assert done.stdout.count('"dash0.resource.id"') >= 3  # two log records and a span, on the console
    for example in [*sorted(EXAMPLES.glob("*.py")), EXAMPLES / "environment-only.env"]:
        head = example.read_text(encoding="utf-8")[:1200]
        assert "Shows" in head or "shows" in head, example.name
        assert "Needs" in head or "needs" in head or "Run it" in head, example.name


@pytest.mark.subprocess
def test_kubernetes_pod_and_fluent_bit_coalesce(tmp_path: Path) -> None:
    environment = _env_file(EXAMPLES / "kubernetes" / "pod-environment.env")
    detected = _run(sys.executable, "-m", "otel_resource_identity", "detect", "--json", **environment)
    sdk_attributes = json.loads(detected.stdout)["resource"]["attributes"]
    (tmp_path / "sdk.json").write_text(json.dumps(sdk_attributes))
    compared = _run(
        sys.executable,
        "-m",
        "otel_resource_identity",
        "compare",
        str(EXAMPLES / "kubernetes" / "fluent-bit-attributes.json"),
        str(tmp_path / "sdk.json"),
    )
    assert compared.returncode == 0
    assert "coalesce: rule k8s.pod.uid" in compared.stdout
    assert "type k8s.pod, name checkout-api-7d9c5b8f6d-x2k4p" in compared.stdout
    manifest = (EXAMPLES / "kubernetes" / "deployment.yaml").read_text()
    for variable in ("K8S_POD_NAME", "K8S_POD_UID", "K8S_NAMESPACE_NAME", "K8S_NODE_NAME"):
        assert variable in manifest
        assert variable in environment
    # The downward-API volume where the detector looks for it by default (RESOURCE_IDENTITY_K8S_PODINFO).
    from otel_resource_identity._settings import K8S_PODINFO

    assert f"mountPath: {K8S_PODINFO.default}" in manifest
    for item in ("labels", "annotations"):
        assert f"- path: {item}\n                fieldRef: {{fieldPath: metadata.{item}}}" in manifest
