"""Hostile files: every file a detector reads may be a FIFO, a device, a directory, a symlink loop, huge or binary.

Each case is built in ``tmp_path`` and read through the detectors for real
(``root=``), with the environment that makes the detector read that file.
Detection must return promptly, never raise, keep what else it found, and
name the file in one warning.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme

from otel_resource_identity import CicdDetector, PlatformDetector
from otel_resource_identity.detectors.inputs.files import read_text

from platforms import FIXTURES, load_env

pytestmark = pytest.mark.timeout(30)

SA = "/var/run/secrets/kubernetes.io/serviceaccount"
GITHUB = load_env("cicd/github-actions-pull-request.env")
TEAMCITY = load_env("cicd/teamcity.env")

# Each file a detector reads, and an environment under which it is read.
READ_FILES: dict[str, dict[str, str]] = {
    "/proc/self/cgroup": {},
    "/proc/self/mountinfo": {},
    "/etc/hosts": {},
    "/etc/machine-id": {},
    "/etc/hostname": {},
    "/etc/os-release": {},
    "/proc/sys/kernel/osrelease": {},
    GITHUB["GITHUB_EVENT_PATH"]: GITHUB,
    TEAMCITY.get("TEAMCITY_BUILD_PROPERTIES_FILE", "/teamcity/build.properties"): TEAMCITY,
    "/tmp/.otel-aws-account-id": {"AWS_LAMBDA_FUNCTION_NAME": "f", "AWS_REGION": "eu-west-1"},
    f"{SA}/namespace": {"KUBERNETES_SERVICE_HOST": "127.0.0.1"},
    "/sys/class/dmi/id/sys_vendor": {"AWS_EC2_METADATA_DISABLED": "true"},
    "/sys/class/dmi/id/chassis_asset_tag": {"RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": "http://127.0.0.1:9"},
    "/sys/hypervisor/uuid": {"AWS_EC2_METADATA_DISABLED": "true"},
    f"{SA}/token": {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "RESOURCE_IDENTITY_K8S_API": "true", "K8S_POD_NAME": "p"},
    f"{SA}/ca.crt": {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "RESOURCE_IDENTITY_K8S_API": "true", "K8S_POD_NAME": "p"},
}


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _directory(path: Path) -> None:
    path.mkdir()


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: 64 MiB of NUL bytes


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64 + b"\xff\xfe\xc0\x80")


KINDS: dict[str, Callable[[Path], None]] = {
    "a FIFO": _fifo,
    "a device": _device,
    "a directory": _directory,
    "a symlink loop": _loop,
    "huge": _huge,
    "binary, not UTF-8": _binary,
}


def _plant(root: Path, path: str, kind: str) -> Path:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    KINDS[kind](target)
    return target


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("path", list(READ_FILES))
def test_detection_survives_any_special_file(
    path: str, kind: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    _plant(root, path, kind)
    if path.endswith("/token"):  # a usable CA, so that the token is what gets read
        trustme.CA().cert_pem.write_to_path(str(root / SA.lstrip("/") / "ca.crt"))
    environ = READ_FILES[path]
    with caplog.at_level(logging.DEBUG):
        started = time.monotonic()
        detector = PlatformDetector(environ=environ, root=root, timeout=0.5, cache=False)
        resource = detector.detect()
        elapsed = time.monotonic() - started
    assert elapsed < 2, f"{kind} at {path}: {elapsed:.2f} s"
    assert "failed" not in {run.outcome for run in detector.runs}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    for value in resource.attributes.values():
        assert "\x00" not in str(value)
    if kind in ("a FIFO", "a device", "a directory", "a symlink loop"):
        assert any(path.lstrip("/") in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING), (
            f"no warning names {path}"
        )


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_reader_itself_never_blocks_or_raises(kind: str, tmp_path: Path) -> None:
    _plant(tmp_path, "/f", kind)
    started = time.monotonic()
    text = read_text(str(tmp_path), "/f", limit=4096)
    assert time.monotonic() - started < 1
    if kind in ("huge", "binary, not UTF-8"):
        assert text is not None
        assert len(text) <= 4096
        assert "\x00" not in text
    else:
        assert text is None


def test_a_path_with_nul_is_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert read_text(str(tmp_path), "/etc/\x00passwd") is None
    assert "NUL" in caplog.text


def test_a_github_event_file_over_its_cap_never_reports_the_merge_commit(tmp_path: Path) -> None:
    root = tmp_path / "root"
    event = _plant(root, GITHUB["GITHUB_EVENT_PATH"], "binary, not UTF-8")
    # A real event, padded past the 25 MB cap with trailing whitespace: its
    # head commit cannot be trusted from a cut read.
    real = (FIXTURES / "cicd/github-actions-pull-request.event.json").read_bytes()
    with event.open("wb") as handle:
        handle.write(real)
        handle.write(b" " * (25 * 1024 * 1024))
    attributes = dict(CicdDetector(environ=GITHUB, root=root).detect().attributes)
    assert attributes.get("vcs.ref.head.revision") != GITHUB["GITHUB_SHA"]
    assert "vcs.ref.head.revision" not in attributes
    assert attributes["vcs.ref.head.name"] == "feature/rounding-fix"
