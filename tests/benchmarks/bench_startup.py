"""Start-up as a Lambda user sees it: whole processes, side by side, in one run.

* ``opentelemetry-instrument python app.py`` (an empty app, exporters ``none``)
  with ``OTEL_EXPERIMENTAL_RESOURCE_DETECTORS=otel,resource_identity``, against
  the same with this package disabled (``otel`` only, the instrumentor off):
  wall time and peak memory of the process.
* The first ``PlatformDetector().detect()`` off every platform in a fresh
  process after ``opentelemetry.sdk.resources`` is imported, this package's
  imports included.
* On a platform (ECS, Cloud Run; metadata on 127.0.0.1): the whole process,
  import plus first detection, ours against the peers' detector (detection
  alone is in bench_detection).

Every case runs in fresh interpreters with compiled bytecode, rounds
alternating the sides; medians and ratios within this run.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import bench_detection
from platforms import serve

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Pair:
    title: str
    ours: float
    baseline: float
    ratio: float
    extra: str = ""


def _environment(variables: dict[str, str]) -> dict[str, str]:
    return bench_detection._clean_environment(variables)


# The app reports its own peak resident memory: opentelemetry-instrument execs it,
# and a process's rusage high-water mark would include the launcher before the exec.
_APP = """
import os, sys
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        open(sys.argv[1], "w").write(line.split()[1])
"""


def _process(command: list[str], env: dict[str, str], report: Path) -> tuple[float, int]:
    """Wall seconds and the app's peak resident memory (KiB) of one process."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command} exited with {done.returncode}")
    peak = int(report.read_text() or 0) if report.exists() else 0
    return seconds, peak


def instrumented_app(rounds: int) -> tuple[Pair, Pair]:
    instrument = shutil.which("opentelemetry-instrument", path=str(Path(sys.executable).parent))
    if instrument is None:
        raise RuntimeError("opentelemetry-instrument is not installed")
    with tempfile.TemporaryDirectory() as folder:
        app, report = Path(folder) / "app.py", Path(folder) / "peak"
        app.write_text(_APP)
        common = {"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "none"}
        on = _environment(common | {"OTEL_EXPERIMENTAL_RESOURCE_DETECTORS": "otel,resource_identity"})
        off = _environment(
            common
            | {
                "OTEL_EXPERIMENTAL_RESOURCE_DETECTORS": "otel",
                "OTEL_PYTHON_DISABLED_INSTRUMENTATIONS": "resource_identity",
            }
        )
        command = [instrument, sys.executable, str(app), str(report)]
        for env in (on, off):  # compiled bytecode, warm file cache
            _process(command, env, report)
        times: dict[str, list[float]] = {"on": [], "off": []}
        memory: dict[str, list[int]] = {"on": [], "off": []}
        for _ in range(rounds):
            for side, env in (("on", on), ("off", off)):
                seconds, peak = _process(command, env, report)
                times[side].append(seconds)
                memory[side].append(peak)
    on_s, off_s = statistics.median(times["on"]), statistics.median(times["off"])
    on_m, off_m = statistics.median(memory["on"]), statistics.median(memory["off"])
    return (
        Pair(
            "opentelemetry-instrument, empty app: wall time",
            on_s,
            off_s,
            on_s / off_s,
            f"+{(on_s - off_s) * 1000:.1f} ms",
        ),
        Pair(
            "opentelemetry-instrument, empty app: peak memory (MiB)",
            on_m / 1024,
            off_m / 1024,
            on_m / off_m,
            f"+{(on_m - off_m) / 1024:.2f} MiB",
        ),
    )


_FIRST_DETECTION = """
import sys, time, opentelemetry.sdk.resources
started = time.perf_counter()
from otel_resource_identity import PlatformDetector
PlatformDetector(detectors=sys.argv[1].split(",") if len(sys.argv) > 1 else None).detect()
print(time.perf_counter() - started)
"""

# The platforms of the release before the Azure managed platforms were added (this round's
# "off Azure, the new signals cost no measurable time" is this pair's ratio).
BEFORE_AZURE_PAAS = (
    "host,aws_ec2,gcp_compute,azure_vm,container,k8s,aws_ecs,aws_lambda,gcp_cloud_run,heroku,vercel,cicd,entities"
)


def _first(arguments: list[str]) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_DETECTION, *arguments],
        env=_environment({}),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return float(done.stdout.strip())


def new_platform_signals(rounds: int) -> Pair:
    """First detection off every platform: every platform considered, against those of the release before."""
    _first([])
    _first([BEFORE_AZURE_PAAS])
    ours, before, ratios = [], [], []
    for _ in range(rounds):
        mine, theirs = _first([]), _first([BEFORE_AZURE_PAAS])
        ours.append(mine)
        before.append(theirs)
        ratios.append(mine / theirs)
    return Pair(
        "first detection: every platform vs the platforms before Azure PaaS",
        statistics.median(ours),
        statistics.median(before),
        statistics.median(ratios),
    )


def first_detection(rounds: int) -> float:
    """Median seconds of import plus the first detection, off every platform."""
    env = _environment({})
    samples = []
    for _ in range(rounds + 1):
        done = subprocess.run(
            [sys.executable, "-c", _FIRST_DETECTION], env=env, capture_output=True, text=True, check=True, timeout=120
        )
        samples.append(float(done.stdout.strip()))
    return statistics.median(samples[1:])  # the first run compiles


_WHOLE = """
import sys, time
started = time.perf_counter()
import opentelemetry.sdk.resources
if sys.argv[1] == "ours":
    from otel_resource_identity import PlatformDetector
    PlatformDetector().detect()
else:
    import importlib
    module, name = sys.argv[2].rsplit(":", 1)
    getattr(importlib.import_module(module), name)().detect()
print(time.perf_counter() - started)
"""


def _whole(side: str, peer: str, variables: dict[str, str]) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _WHOLE, side, peer],
        env=_environment(variables),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return float(done.stdout.strip().splitlines()[-1])


def whole_process(rounds: int) -> list[Pair]:
    """Import plus first detection on a simulated platform, ours against the peer's detector."""
    if not bench_detection.peers_installed():
        return []
    with serve(bench_detection._ecs_routes()) as server:
        ecs = {"ECS_CONTAINER_METADATA_URI_V4": f"{server.base}/v4/t"}
        results = [_pair("ECS", "opentelemetry.sdk.extension.aws.resource.ecs:AwsEcsResourceDetector", ecs, rounds)]
    with serve(bench_detection._gcp_routes()) as server:
        cloud_run = {
            "K_SERVICE": "checkout",
            "K_REVISION": "checkout-00042-xiz",
            "K_CONFIGURATION": "checkout",
            "GCE_METADATA_HOST": server.host,
            "HTTP_PROXY": server.base,
            "NO_PROXY": "",
        }
        peer = "opentelemetry.resourcedetector.gcp_resource_detector:GoogleCloudResourceDetector"
        results.append(_pair("Cloud Run", peer, cloud_run, rounds))
    return results


def _pair(title: str, peer: str, variables: dict[str, str], rounds: int) -> Pair:
    _whole("ours", peer, variables)
    _whole("peer", peer, variables)
    ours, theirs, ratios = [], [], []
    for _ in range(rounds):
        mine, other = _whole("ours", peer, variables), _whole("peer", peer, variables)
        ours.append(mine)
        theirs.append(other)
        ratios.append(mine / other)
    return Pair(
        f"{title}: import + first detection, whole process",
        statistics.median(ours),
        statistics.median(theirs),
        statistics.median(ratios),
    )
