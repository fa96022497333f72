"""The conventions' ``process`` and ``telemetry.sdk`` entities on a detected resource.

A pid alone is reused, so the conventions identify a process by ``process.pid`` and
``process.creation.time``; the creation time is checked against ``ps``, an independent reader
of the same kernel record, and each forked worker has its own.
"""

from __future__ import annotations

import calendar
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from otel_resource_identity import PlatformDetector, enable_entity_merge, entities_of
from otel_resource_identity.detectors.inputs.process import creation_time

POD = {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "9", "K8S_POD_NAME": "checkout-7d9-x2k9p"}

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process.creation.time needs Linux /proc")


def _ps_start(pid: int) -> float:
    """The process's start as procps's ``ps`` reports it (whole seconds, read as UTC)."""
    text = subprocess.run(
        ["ps", "-o", "lstart=", "-p", str(pid)],
        capture_output=True,
        text=True,
        check=True,
        env={"TZ": "UTC", "LC_ALL": "C", "PATH": os.environ.get("PATH", "")},
    ).stdout.strip()
    return float(calendar.timegm(time.strptime(text, "%a %b %d %H:%M:%S %Y")))


def _seconds(iso: str) -> float:
    whole, _, fraction = iso.rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) + int(fraction) / 1000


@needs_proc
@pytest.mark.skipif(shutil.which("ps") is None, reason="needs procps's ps to compare with")
def test_the_creation_time_is_the_kernels_as_ps_reads_it() -> None:
    created = creation_time()
    assert created is not None
    assert created.endswith("Z")
    assert len(created.rpartition(".")[2]) == 4  # milliseconds and the zone
    assert abs(_seconds(created) - _ps_start(os.getpid())) < 1.0
    # A process started later: another value, and ps agrees with it too.
    script = "from otel_resource_identity.detectors.inputs.process import creation_time; print(creation_time())"
    later = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    assert later != created
    assert _seconds(later) >= _seconds(created)


@needs_proc
def test_in_a_pod_with_the_flag_on_the_process_and_sdk_are_entities(tmp_path: Path) -> None:
    enable_entity_merge()
    resource = PlatformDetector(environ=POD, root=tmp_path, detectors=["k8s"], cache=False).detect()
    entities = {entity.type: entity for entity in entities_of(resource)}
    assert dict(entities["process"].id) == {"process.pid": os.getpid(), "process.creation.time": creation_time()}
    assert dict(entities["telemetry.sdk"].id) == {
        "telemetry.sdk.name": "opentelemetry",
        "telemetry.sdk.language": "python",
    }
    assert set(entities["telemetry.sdk"].description) == {"telemetry.sdk.version"}
    assert resource.attributes["process.pid"] == os.getpid()


@needs_proc
def test_with_the_flag_off_the_resource_gains_only_the_creation_time(tmp_path: Path) -> None:
    attributes = dict(PlatformDetector(environ=POD, root=tmp_path, detectors=["k8s"], cache=False).detect().attributes)
    assert attributes["process.pid"] == os.getpid()
    assert attributes["process.creation.time"] == creation_time()
    assert not any(key.startswith("telemetry.sdk.") for key in attributes)  # the SDK's defaults hold them


@needs_proc
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_each_forked_worker_is_its_own_process_entity(tmp_path: Path) -> None:
    enable_entity_merge()
    detector = PlatformDetector(environ=POD, root=tmp_path, detectors=["k8s"])
    parent = {entity.type: dict(entity.id) for entity in entities_of(detector.detect())}["process"]
    time.sleep(0.05)  # the child's start is at least one clock tick later
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        found = {entity.type: dict(entity.id) for entity in entities_of(detector.detect())}
        os.write(write, json.dumps(found.get("process")).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        in_child = json.loads(pipe.read())
    assert in_child["process.pid"] == child != parent["process.pid"]
    assert in_child["process.creation.time"] > parent["process.creation.time"]
