"""The command line as a newcomer meets it: pipes, --version, help, types, errors that say where."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from otel_resource_identity.cli import main

from conftest import clean_environment


def _run(*arguments: str, stdin: str = "", **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otel_resource_identity", *arguments],
        env=clean_environment(**variables),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _main(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.subprocess
def test_a_closed_pipe_is_quiet() -> None:
    command = [sys.executable, "-m", "otel_resource_identity", "detect"]
    with subprocess.Popen(command, env=clean_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None
        child.stdout.readline()  # as `| head -1` would
        child.stdout.close()
        _, err = child.communicate(timeout=60)
    assert child.returncode == 0
    assert b"Traceback" not in err
    assert b"BrokenPipe" not in err


@pytest.mark.subprocess
def test_version() -> None:
    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("otel-resource ")
    assert done.stdout.split()[1][0].isdigit()


@pytest.mark.subprocess
def test_the_top_level_help_describes_every_command() -> None:
    done = _run("--help")
    assert done.returncode == 0
    for command in ("detect", "predict", "compare"):
        assert f"\n  {command} " in done.stdout
    assert "--version" in done.stdout


@pytest.mark.parametrize("command", ["detect", "predict", "compare"])
def test_every_command_has_a_description(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]
    assert len(description) > 60, description


def test_types_show_where_they_decide(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _main(capsys, "compare", "count:=3", "count=3")
    assert status == 1
    assert "different resources" in out
    assert 'count: 3 OR "3"' in out
    assert "key      count = 3\n" in out
    assert 'key      count = "3"\n' in out


def test_compare_of_different_resources_lists_the_keys_that_differ(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _main(capsys, "compare", "k8s.pod.uid=a,team=x,zone=1", "k8s.pod.uid=b,team=x")
    assert status == 1
    assert 'Keys with different values\n  k8s.pod.uid: "a" OR "b"' in out
    assert "Keys not in every set\n  zone" in out
    assert "team:" not in out


def test_a_comma_inside_an_inline_value(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _main(capsys, "compare", "k8s.pod.uid=a,b,team=x", "k8s.pod.uid=a,b")
    assert status == 0
    assert 'key k8s.pod.uid = "a,b"' in out
    status, out, _ = _main(capsys, "predict", "k8s.pod.uid=a,b", "--json")
    assert json.loads(out)["key"] == {"k8s.pod.uid": "a,b"}


def test_errors_name_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _main(capsys, "predict", 'k:={"nested": 1}')
    assert status == 2
    assert "'k' holds dict" in err
    status, _, err = _main(capsys, "predict", "n:=null")
    assert "'n' holds null" in err


@pytest.mark.subprocess
def test_errors_name_the_line_of_bad_json() -> None:
    done = _run("predict", "-", stdin='{\n  "a": 1,\n  oops\n}')
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "standard input is not JSON" in done.stderr
    assert "line 3, column 3" in done.stderr


def test_json_is_one_meaning_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"host.name": "h"}))
    for arguments in (
        ("predict", "--json", "host.name=h"),
        ("predict", str(path), "--json"),
        ("predict", "--json", str(path)),
    ):
        status, out, _ = _main(capsys, *arguments)
        assert status == 0
        assert json.loads(out)["type"] == "host", arguments
    status, out, _ = _main(capsys, "predict", str(path))
    assert out.startswith("id ")
    status, out, _ = _main(capsys, "compare", "--json", "host.name=h", str(path))
    assert json.loads(out)["coalesce"] is True


@pytest.mark.subprocess
def test_an_unknown_ruleset_is_one_line() -> None:
    done = _run("predict", "--ruleset", "nope", "a=b")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "invalid choice: 'nope'" in done.stderr
    assert "dash0-2026-04" in done.stderr


# `otel-resource detect` -----------------------------------------------------------------------------


@pytest.mark.subprocess
def test_detect_rows_say_what_they_are() -> None:
    done = _run("detect", OTEL_RESOURCE_ATTRIBUTES="team=a")
    out = done.stdout
    assert "  OTEL_RESOURCE_ATTRIBUTES " in out
    assert "\n  otel " not in out
    assert "with the flag off the SDK's plain merge keeps no entities" in out
    assert "a prediction of Dash0's grouping" in out


@pytest.mark.subprocess
def test_detection_the_sdk_already_ran_is_shown_once() -> None:
    done = _run("detect", "--json", OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity")
    document = json.loads(done.stdout)
    platform_runs = [run for run in document["detectors"] if run["name"] in ("host", "container")]
    assert platform_runs
    assert all(run["within"] == "sdk" for run in platform_runs)
    text = _run("detect", OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity").stdout
    assert "\n    host " in text  # indented under the sdk row


@pytest.mark.subprocess
def test_a_wholly_malformed_otel_entities_is_not_reported_as_absent() -> None:
    done = _run("detect", OTEL_ENTITIES="{{{not entities")
    [row] = [line for line in done.stdout.splitlines() if line.strip().startswith("entities ")]
    assert "nothing usable" in row
    assert "OTEL_ENTITIES" in done.stderr  # the parser's warning says why
