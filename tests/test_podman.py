"""Real containers: podman runs this package inside one, and ``podman inspect`` says what is true.

The image is this machine's root mounted as an overlay (``--rootfs /:O``), so nothing is
downloaded; the container has no network. In a private and in the host's cgroup namespace, the
detected ``container.id`` must be the id podman gives the container, and ``host.name`` the
``--hostname`` it was started with. Skips with one line where podman cannot run containers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.subprocess, pytest.mark.timeout(180)]

PROBE = """
import json
from otel_resource_identity import ContainerDetector, HostDetector
container = dict(ContainerDetector().detect().attributes)
host = dict(HostDetector().detect().attributes)
print(json.dumps({"container": container, "host.name": host.get("host.name")}))
"""
MISSING = "podman tests need podman and runc (apt-get install podman runc) on a machine that can run containers"


def _config(tmp_path: Path) -> dict[str, str]:
    # Some sandboxes refuse to let the runtime set resource limits on the container's process: ask
    # podman for none (everything else as configured).
    config = tmp_path / "containers.conf"
    config.write_text("[containers]\ndefault_ulimits = []\n", encoding="utf-8")
    return {"CONTAINERS_CONF": str(config), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}


def _podman(arguments: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["podman", *arguments], env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def podman(tmp_path: Path) -> dict[str, str]:
    if shutil.which("podman") is None:
        pytest.skip(MISSING)
    env = _config(tmp_path)
    probe = _podman(["run", "--rm", "--network", "none", "--rootfs", "/:O", "/bin/true"], env)
    if probe.returncode != 0:
        pytest.skip(f"{MISSING} ({probe.stderr.strip().splitlines()[-1:]})")
    return env


@pytest.mark.parametrize("cgroupns", ["private", "host"])
def test_container_id_and_host_name_are_what_podman_says(cgroupns: str, podman: dict[str, str]) -> None:
    name = f"otel-resource-identity-test-{uuid.uuid4().hex[:12]}"
    hostname = f"probe-{cgroupns}"
    command = [
        "run", "--name", name, "--network", "none", "--hostname", hostname, f"--cgroupns={cgroupns}",
        "--rootfs", "/:O", sys.executable, "-c", PROBE,
    ]  # fmt: skip
    try:
        ran = _podman(command, podman)
        assert ran.returncode == 0, ran.stderr[-2000:]
        inspected = _podman(["inspect", "--format", "{{.Id}}", name], podman)
        assert inspected.returncode == 0, inspected.stderr
    finally:
        _podman(["rm", "--force", name], podman)
    found = json.loads(ran.stdout.strip().splitlines()[-1])
    assert found["container"]["container.id"] == inspected.stdout.strip()
    assert found["container"]["container.runtime.name"] == "podman"
    assert found["host.name"] == hostname
