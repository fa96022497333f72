"""``otel-resource predict`` and ``otel-resource compare``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from otel_resource_identity import predict
from otel_resource_identity.cli import main

from test_identity_predict import FLUENT_BIT, SDK


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _file(tmp_path: Path, name: str, document: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return str(path)


def test_the_seed_eks_example_with_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    agent, sdk = _file(tmp_path, "agent.json", FLUENT_BIT), _file(tmp_path, "sdk.json", SDK)
    status, out, _ = _run(capsys, "compare", agent, sdk)
    assert status == 0
    assert (
        'These 2 attribute sets coalesce: rule k8s.pod.uid, key k8s.pod.uid = "f57400dc-94ce-4806-a52e-d2726f448f15"'
        in out
    )
    assert "type k8s.pod, name checkout-api-7d9c5b8f6d-x2k4p" in out
    assert "Keys not in every set" in out
    status, out, _ = _run(capsys, "compare", "--json", agent, sdk)
    document = json.loads(out)
    assert document["coalesce"] is True
    assert {identity["id"] for identity in document["identities"]} == {predict(SDK).id}


def test_compare_shows_differing_values_and_different_resources(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "compare", "k8s.pod.uid=u,team=a", "k8s.pod.uid=u,team=b")
    assert status == 0
    assert 'team: "a" OR "b"' in out
    status, out, _ = _run(capsys, "compare", "host.name=a", "host.name=b")
    assert status == 1
    assert "different resources" in out
    assert "#2" in out
    status, out, _ = _run(capsys, "compare", "--json", "host.name=a", "host.name=b")
    assert status == 1
    assert json.loads(out)["coalesce"] is False


def test_predict_inline_typed_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "predict", "service.name=checkout", "service.instance.id:=7")
    assert status == 0
    assert f"id       {predict({'service.name': 'checkout', 'service.instance.id': 7}).id}" in out
    assert "rule     service (dash0-2026-04)" in out
    assert "k8s.pod.uid                              k8s.pod.uid is absent" in out
    assert "host                                     none of host.id, host.name is set" in out


def test_predict_json_file_and_ruleset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    attributes = {"cloud.platform": "aws_lambda", "cloud.account.id": "1", "cloud.region": "r", "faas.name": "f"}
    status, out, _ = _run(
        capsys, "predict", "--json", _file(tmp_path, "a.json", attributes), "--ruleset", "dash0-2026-05"
    )
    assert status == 0
    document = json.loads(out)
    assert document["rule"] == "aws.lambda.function"
    assert document["type"] == "aws.lambda"
    assert {"rule": "browser", "because": "telemetry.sdk.language is absent and process.runtime.name is absent"} in (
        document["not_matched"]
    )


def test_predict_accepts_a_resource_to_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from opentelemetry.sdk.resources import Resource

    path = tmp_path / "resource.json"
    path.write_text(Resource(SDK).to_json())
    status, out, _ = _run(capsys, "predict", "--json", str(path))
    assert status == 0
    assert json.loads(out)["id"] == predict(SDK).id


def test_predict_output_json_for_inline_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "predict", "--output", "json", "host.name=h")
    assert json.loads(out)["type"] == "host"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("predict",), "give the attributes"),
        (("predict", "novalue"), "give KEY=VALUE pairs, or a JSON file"),
        (("predict", "=x"), "empty key"),
        (("predict", "n:=not-json"), "needs a JSON value"),
        (("predict", "--json", "/nonexistent/file.json"), "cannot read"),
        (("predict", "--json", "-", "a=b"), "not both"),
        (("compare", "a=b"), "at least two"),
        (("predict", 'k:={"nested": 1}'), "not an attribute value"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], arguments: tuple[str, ...], message: str
) -> None:
    status, out, err = _run(capsys, *arguments)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("otel-resource: error:")
    assert message in err


def test_a_file_that_is_not_an_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "predict", "--json", _file(tmp_path, "list.json", [1, 2]))
    assert status == 2
    assert "must hold a JSON object" in err
    (tmp_path / "bad.json").write_text("{nope")
    status, _, err = _run(capsys, "predict", "--json", str(tmp_path / "bad.json"))
    assert "is not JSON" in err


def test_detect_shows_the_predicted_identity(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "detect")
    assert status == 0
    assert "the number itself is not the one Dash0 shows)\n  id       " in out
    status, out, _ = _run(capsys, "detect", "--json")
    assert json.loads(out)["identity"]["rule"]
