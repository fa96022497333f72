"""The command line shows a person nothing a terminal would act on, and reads nothing without bound.

Hostile values (ANSI colours, an OSC clipboard write, a C1 CSI, a bidirectional
override, a newline that would forge a line) go through every command's human
output, in subprocesses and on a real pseudo-terminal; ``--json`` stays exact.
Inputs have one reader with a cap: ``/dev/zero``, a file larger than the cap, a
pipe and process substitution.
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from otel_resource_identity._terminal import visible
from otel_resource_identity.cli import INPUT_LIMIT

from conftest import clean_environment

# What a terminal acts on: CSI colours and clear-screen, OSC 52 (write the clipboard), OSC 0 (set
# the title), a C1 CSI, BEL, a right-to-left override, and a newline forging a report line.
HOSTILE = {
    "csi": "a\x1b[31mRED\x1b[2J",
    "osc52": "\x1b]52;c;ZXZpbA==\x07",
    "title": "\x1b]0;pwned\x1b\\",
    "c1": "\x9b31mred",
    "bidi": "\u202etxt.exe",
    "forged": "value\n  service.name = admin",
    "ke\x1by": "key with an escape",
}
DANGEROUS = ("\x1b", "\x9b", "\x07", "\u202e")


def _percent(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode())


def _cli(*arguments: str, stdin: str | None = None, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otel_resource_identity", *arguments],
        env=clean_environment(RESOURCE_IDENTITY_DETECTORS="host", **variables),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _assert_inert(output: str) -> None:
    for char in DANGEROUS:
        assert char not in output, repr(char)
    assert "\n  service.name = admin" not in output


def test_escape_characters_are_shown_escaped() -> None:
    assert visible("a\x1b[31m") == "a\\x1b[31m"
    assert visible("\u202e") == "\\u202e"
    assert visible("x\ny") == "x\\ny"
    assert visible("x\ny", newlines=True) == "x\ny"
    assert visible("\U000e0041") == "\\U000e0041"  # a tag character
    assert visible("plain café") == "plain café"


@pytest.mark.subprocess
def test_detect_escapes_keys_and_values_and_json_stays_exact() -> None:
    # The SDK percent-decodes values only; a key reaches the resource as written.
    attributes = ",".join(f"{key}={_percent(value)}" for key, value in HOSTILE.items())
    human = _cli("detect", OTEL_RESOURCE_ATTRIBUTES=attributes, OTEL_SERVICE_NAME="svc\x1b[5m")
    assert human.returncode == 0, human.stderr
    _assert_inert(human.stdout)
    assert "a\\x1b[31mRED\\x1b[2J" in human.stdout
    assert "ke\\x1by = key with an escape" in human.stdout
    assert "\\u202etxt.exe" in human.stdout
    document = json.loads(_cli("detect", "--json", OTEL_RESOURCE_ATTRIBUTES=attributes).stdout)
    for key, value in HOSTILE.items():
        assert document["resource"]["attributes"][key] == value


@pytest.mark.subprocess
def test_predict_and_compare_escape_what_they_print(tmp_path: Path) -> None:
    pairs = [f"{key}={value}" for key, value in HOSTILE.items()]
    predicted = _cli("predict", *pairs)
    assert predicted.returncode == 0, predicted.stderr
    _assert_inert(predicted.stdout)
    named = _cli("predict", "k8s.pod.uid=u-1", "k8s.pod.name=\x1b]0;x\x07pod\u202e")
    _assert_inert(named.stdout)
    assert "name     \\x1b]0;x\\x07pod\\u202e" in named.stdout
    one, other = tmp_path / "one.json", tmp_path / "other.json"
    one.write_text(json.dumps({"k8s.pod.uid": "u-1", **HOSTILE}), encoding="utf-8")
    other.write_text(json.dumps({"k8s.pod.uid": "u-1", "csi": "\x1b[0m", "only\x1b[8mhere": "x"}), encoding="utf-8")
    compared = _cli("compare", str(one), str(other))
    assert compared.returncode == 0
    _assert_inert(compared.stdout)
    assert "only\\x1b[8mhere" in compared.stdout
    exact = json.loads(_cli("compare", "--json", str(one), str(other)).stdout)
    assert exact["differing"]["csi"] == [HOSTILE["csi"], "\x1b[0m"]


@pytest.mark.subprocess
def test_errors_escape_what_they_quote() -> None:
    failed = _cli("predict", "\x1b[2Jno-equals-sign\u202e")
    assert failed.returncode == 2
    _assert_inert(failed.stderr)
    assert failed.stderr.count("\n") == 1


@pytest.mark.subprocess
def test_on_a_real_terminal_nothing_reaches_it_raw() -> None:
    """The report as a terminal receives it, through a pseudo-terminal."""
    attributes = ",".join(f"{key}={_percent(value)}" for key, value in HOSTILE.items())
    env = clean_environment(RESOURCE_IDENTITY_DETECTORS="host", OTEL_RESOURCE_ATTRIBUTES=attributes)
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the command
        os.execve(sys.executable, [sys.executable, "-m", "otel_resource_identity", "detect"], env)
    received = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    text = received.decode("utf-8")
    assert "Resource attributes" in text
    _assert_inert(text)


# -- inputs


@pytest.mark.subprocess
@pytest.mark.timeout(60)
def test_an_endless_device_is_refused_in_bounded_memory() -> None:
    """``predict /dev/zero`` stops at the cap, under an address-space limit it could not read past."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1024 * 1024 * 1024, 1024 * 1024 * 1024))\n"
        "from otel_resource_identity.cli import main\n"
        "sys.exit(main(['predict', '/dev/zero']))\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code], env=clean_environment(), capture_output=True, text=True, timeout=60, check=False
    )
    assert time.monotonic() - started < 30
    assert done.returncode == 2
    assert done.stderr.strip() == "otel-resource: error: /dev/zero is larger than 8 MiB, the most otel-resource reads"


@pytest.mark.subprocess
def test_a_file_larger_than_the_cap_is_one_line(tmp_path: Path) -> None:
    large = tmp_path / "large.json"
    with large.open("wb") as handle:
        handle.truncate(INPUT_LIMIT + 1)
    done = _cli("compare", str(large), "k8s.pod.uid=u")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "larger than 8 MiB" in done.stderr
    piped = _cli("predict", "-", stdin=" " * (INPUT_LIMIT + 1))
    assert piped.returncode == 2
    assert "standard input is larger than 8 MiB" in piped.stderr


@pytest.mark.subprocess
def test_pipes_and_process_substitution_keep_working() -> None:
    document = json.dumps({"k8s.pod.uid": "u-1", "k8s.pod.name": "pod"})
    piped = _cli("predict", "-", stdin=document)
    assert piped.returncode == 0, piped.stderr
    assert "rule     k8s.pod.uid" in piped.stdout
    bash = shutil.which("bash")
    if bash is None:  # pragma: no cover - every CI machine has bash
        pytest.skip("process substitution needs bash")
    substituted = subprocess.run(
        [bash, "-c", f"{sys.executable} -m otel_resource_identity predict <(echo '{document}')"],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert substituted.returncode == 0, substituted.stderr
    assert "rule     k8s.pod.uid" in substituted.stdout
