"""Shared test fixtures.

The entity flag is process-wide state; every test starts and ends with the SDK's
own ``Resource.merge`` in place, so no test depends on another's order.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from opentelemetry.sdk import version as _sdk_version

from otel_resource_identity import disable_entity_merge

ROOT = Path(__file__).resolve().parent.parent
# The SDK refreshes a provider's resource after a fork (and lets it be updated) from 1.44 on.
OLD_SDK = tuple(int(part) for part in _sdk_version.__version__.split(".")[:2]) < (1, 44)


# A subprocess is outside the audit-hook guard: on a machine that is itself a cloud VM its
# detectors would ask the real metadata services. These keep every such request on loopback.
_NO_CLOUD_METADATA = {
    "AWS_EC2_METADATA_DISABLED": "true",
    "GCE_METADATA_HOST": "127.0.0.1:9",
    "RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": "http://127.0.0.1:9",
}


# The network guard: no test may make a detector (or anything else) reach an
# address off this machine, link-local metadata addresses above all. An audit
# hook sees every socket connect and name lookup in the test process; one to
# elsewhere is refused at once (the code under test sees an OSError, as off
# the network) and fails the test that made it.
_off_machine: list[str] = []


def _loopback(host: object) -> bool:
    if not isinstance(host, str):
        return True  # a Unix socket path or similar: not the network
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _network_guard(event: str, arguments: tuple[object, ...]) -> None:
    if event == "socket.connect":
        address = arguments[1]
        host = address[0] if isinstance(address, tuple) and address else address
    elif event == "socket.getaddrinfo":
        host = arguments[0]
    else:
        return
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not _loopback(host):
        _off_machine.append(f"{event} {host}")
        raise ConnectionRefusedError(f"the test suite's network guard refused {event} to {host}")


sys.addaudithook(_network_guard)


@pytest.fixture(autouse=True)
def _nothing_leaves_the_machine() -> Iterator[None]:
    _off_machine.clear()
    yield
    tried = list(_off_machine)
    _off_machine.clear()
    assert not tried, f"the test tried to reach addresses off this machine: {tried}"


@pytest.fixture(autouse=True)
def _warnings_as_in_a_new_process() -> None:
    # "Once" means once per process; each test starts as a process that has warned nothing yet,
    # so a test that expects a warning does not depend on which tests ran before it.
    from otel_resource_identity import _settings

    _settings._warned.clear()


@pytest.fixture(autouse=True)
def _sdk_merge_restored() -> Iterator[None]:
    disable_entity_merge()
    yield
    disable_entity_merge()


@pytest.fixture(autouse=True)
def _no_settings_from_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests set what they need; nothing leaks in from the shell running them.
    for key in list(os.environ):
        if key.startswith(("OTEL_", "RESOURCE_IDENTITY_")):
            monkeypatch.delenv(key)
    # On a machine that is itself a cloud VM, detection from the process environment
    # would ask the real metadata services: kept on loopback (the guard would fail it).
    for key, value in _NO_CLOUD_METADATA.items():
        monkeypatch.setenv(key, value)


def clean_environment(**variables: str) -> dict[str, str]:
    """The process environment without OpenTelemetry settings, plus ``variables`` (metadata kept on loopback)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "RESOURCE_IDENTITY_"))}
    env.update(_NO_CLOUD_METADATA)
    env.update(variables)
    return env


def run_instrumented(script: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``script`` under this environment's ``opentelemetry-instrument``; fail loudly if it fails."""
    instrument = shutil.which("opentelemetry-instrument", path=str(Path(sys.executable).parent))
    assert instrument is not None
    done = subprocess.run(
        [instrument, sys.executable, str(script)],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def run_cli(*arguments: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """``otel-resource <arguments>`` in a fresh interpreter, as a person runs it; the caller checks the exit."""
    command = [sys.executable, "-m", "otel_resource_identity", *arguments]
    return subprocess.run(command, env=dict(env), capture_output=True, text=True, timeout=60, check=False)


def run_python(code: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter of this environment; fail loudly if it fails."""
    done = subprocess.run(
        [sys.executable, "-c", code], env=dict(env), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done
