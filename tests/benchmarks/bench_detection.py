"""Detection, side by side with the peers users would install instead.

Detection runs once per process, so every figure is the *first* detection in
a fresh interpreter (modules imported beforehand, compiled bytecode allowed),
round after round, ours and the peers' alternating.

* Off every platform: ``PlatformDetector`` (all nine platforms, uncached)
  against the peers' five detectors for the same platforms
  (opentelemetry-sdk-extension-aws ECS, Lambda and EKS,
  opentelemetry-resourcedetector-gcp, opentelemetry-resource-detector-containerid),
  run one after another as ``get_aggregated_resources`` would. Warnings each
  side logs are counted too.
* On simulated platforms: ECS and Cloud Run metadata served on 127.0.0.1. The
  GCP peer has its metadata host built in, so its requests reach the loopback
  server through ``HTTP_PROXY`` (which it honours; this package never uses a
  proxy for metadata endpoints).
* On simulated cloud VMs: the EC2 and Compute Engine DMI as the filesystem
  root, their metadata on 127.0.0.1; the peers' EC2 and GCP detectors have the
  link-local address built in and reach the loopback server through
  ``HTTP_PROXY`` too.
* A hung ECS endpoint: how long start-up waits.
* Import time over the SDK's trace module, in fresh interpreters.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
sys.path.insert(0, str(FIXTURES.parent))

from harness import quartile_spread  # noqa: E402
from platforms import Reply, serve  # noqa: E402 - the helper lives one folder up

PEERS = (
    ("opentelemetry.sdk.extension.aws.resource.ecs", "AwsEcsResourceDetector"),
    ("opentelemetry.sdk.extension.aws.resource._lambda", "AwsLambdaResourceDetector"),
    ("opentelemetry.sdk.extension.aws.resource.eks", "AwsEksResourceDetector"),
    ("opentelemetry.resourcedetector.gcp_resource_detector", "GoogleCloudResourceDetector"),
    ("opentelemetry.resource.detector.containerid", "ContainerResourceDetector"),
)


def peers_installed() -> bool:
    try:
        _peer_classes()
    except ImportError:
        return False
    return True


def _peer_classes() -> list[type]:
    import importlib

    return [getattr(importlib.import_module(module), name) for module, name in PEERS]


def _clean_environment(variables: dict[str, str]) -> dict[str, str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OTEL_", "RESOURCE_IDENTITY_", "ECS_", "AWS_", "K_", "HTTP", "GCE_", "KUBERNETES_"))
        and key != "PYTHONDONTWRITEBYTECODE"  # compiled modules, as after a real install
    }
    return environ | variables


def cold(side: str, variables: dict[str, str]) -> tuple[float, int]:
    """(seconds, warnings) of the first detection in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("detect_once.py")), side],
        env=_clean_environment(variables),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), int(result["warnings"])


@dataclass(frozen=True)
class Sides:
    title: str
    ours: tuple[float, float]
    peers: tuple[float, float]
    ratio: float
    warnings: tuple[int, int]


def _sides(title: str, ours: str, peers: str, variables: dict[str, str], rounds: int) -> Sides:
    mine: list[float] = []
    theirs: list[float] = []
    ratios: list[float] = []
    warnings = (0, 0)
    for _ in range(rounds):
        our_seconds, our_warnings = cold(ours, variables)
        peer_seconds, peer_warnings = cold(peers, variables)
        mine.append(our_seconds)
        theirs.append(peer_seconds)
        ratios.append(our_seconds / peer_seconds)
        warnings = (our_warnings, peer_warnings)
    return Sides(
        title,
        (statistics.median(mine), quartile_spread(mine)),
        (statistics.median(theirs), quartile_spread(theirs)),
        statistics.median(ratios),
        warnings,
    )


def _fixture(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _ecs_routes(delay: float = 0.0) -> dict[str, Reply]:
    container = _fixture("ecs/jscontrib-metadatav4-response-container-fargate.json")
    task = _fixture("ecs/jscontrib-metadatav4-response-task-fargate.json")
    return {"/v4/t": Reply(container, delay=delay), "/v4/t/task": Reply(task, delay=delay)}


def _gcp_routes() -> dict[str, Reply]:
    flavor = {"Metadata-Flavor": "Google"}
    per_path = _fixture("gcp/metadata-cloud-run-per-path.json")
    assert isinstance(per_path, dict)
    routes = {
        f"/computeMetadata/v1/{path}": Reply(value, headers=flavor)
        for path, value in per_path["responses"].items()
        if path in ("project/project-id", "instance/id", "instance/region", "instance/zone")
    }
    # The peer, through HTTP_PROXY, asks with absolute URLs.
    peer_base = "http://metadata.google.internal/computeMetadata/v1/"
    routes[peer_base + "instance/"] = Reply("", headers=flavor)
    routes[peer_base + "?recursive=true"] = Reply(_fixture("gcp/metadata-cloud-run-recursive.json"), headers=flavor)
    return routes


def _ec2_routes() -> dict[str, Reply]:
    identity = _fixture("cloud/ec2-instance-identity-document.json")
    hostname = "ip-10-158-112-84.us-west-2.compute.internal"
    routes: dict[str, Reply] = {}
    for base in ("", "http://169.254.169.254"):  # ours asks the server itself; the peer, through the proxy
        routes[f"PUT {base}/latest/api/token"] = Reply("AQAEAFake-session-token==")
        routes[f"{base}/latest/dynamic/instance-identity/document"] = Reply(identity)
        routes[f"{base}/latest/meta-data/hostname"] = Reply(hostname)
    return routes


def _gce_routes() -> dict[str, Reply]:
    flavor = {"Metadata-Flavor": "Google"}
    document = _fixture("gcp/metadata-gce-recursive.json")
    assert isinstance(document, dict)
    instance, project = document["instance"], document["project"]
    values = {
        "instance/id": str(instance["id"]),
        "instance/name": instance["name"],
        "instance/machine-type": instance["machineType"],
        "instance/zone": instance["zone"],
        "project/project-id": project["projectId"],
    }
    routes = {f"/computeMetadata/v1/{path}": Reply(value, headers=flavor) for path, value in values.items()}
    for key in ("cluster-name", "cluster-location"):  # not a GKE node: 404, as the metadata server answers
        routes[f"/computeMetadata/v1/instance/attributes/{key}"] = Reply("not found", 404, headers=flavor)
    peer_base = "http://metadata.google.internal/computeMetadata/v1/"
    routes[peer_base + "instance/"] = Reply("", headers=flavor)
    routes[peer_base + "?recursive=true"] = Reply(document, headers=flavor)
    return routes


def detection(rounds: int) -> list[Sides]:
    """Cold detection, ours against the peers, off-platform and on simulated platforms."""
    results = [_sides("off every platform (12 platforms vs the peers' 5 detectors)", "ours", "peers", {}, rounds)]
    with serve(_ecs_routes()) as server:
        variables = {"ECS_CONTAINER_METADATA_URI_V4": f"{server.base}/v4/t"}
        results.append(_sides("ECS, metadata on loopback", "ours", "peer-ecs", variables, rounds))
    with serve(_gcp_routes()) as server:
        variables = {
            "K_SERVICE": "checkout",
            "K_REVISION": "checkout-00042-xiz",
            "K_CONFIGURATION": "checkout",
            "GCE_METADATA_HOST": server.host,
            "HTTP_PROXY": server.base,
            "NO_PROXY": "",
        }
        results.append(_sides("Cloud Run, metadata on loopback", "ours", "peer-gcp", variables, rounds))
    with serve(_ec2_routes()) as server:
        variables = {
            "BENCH_ROOT": str(FIXTURES / "cloud" / "ec2-nitro"),
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base,
            "HTTP_PROXY": server.base,
            "NO_PROXY": "",
        }
        results.append(_sides("EC2 VM, IMDSv2 on loopback", "ours", "peer-ec2", variables, rounds))
    with serve(_gce_routes()) as server:
        variables = {
            "BENCH_ROOT": str(FIXTURES / "cloud" / "gce"),
            "GCE_METADATA_HOST": server.host,
            "HTTP_PROXY": server.base,
            "NO_PROXY": "",
        }
        results.append(_sides("Compute Engine VM, metadata on loopback", "ours", "peer-gcp", variables, rounds))
    return results


def hung_endpoint(quick: bool) -> dict[str, float]:
    """Seconds of the first detection when the ECS endpoint never answers."""
    waited: dict[str, float] = {}
    with serve(_ecs_routes(delay=60)) as server:
        variables = {"ECS_CONTAINER_METADATA_URI_V4": f"{server.base}/v4/t"}
        if quick:
            variables["RESOURCE_IDENTITY_DETECTION_TIMEOUT"] = "0.2"
        budget = "0.2 s budget" if quick else "default 1 s budget"
        waited[f"PlatformDetector ({budget})"] = cold("ours", variables)[0]
        if not quick:
            waited["peer ECS detector"] = cold("peer-ecs", variables)[0]
    return waited


def _import_seconds(statement: str) -> float:
    code = (
        "import time, opentelemetry.sdk.trace\n"
        f"started = time.perf_counter()\n{statement}\nprint(time.perf_counter() - started)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_clean_environment({}),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return float(done.stdout.strip())


def import_time(rounds: int) -> dict[str, float]:
    """Median seconds each import adds over ``opentelemetry.sdk.trace``, in fresh interpreters."""
    statements = {
        "import otel_resource_identity": "import otel_resource_identity",
        "+ PlatformDetector (all detectors)": "import otel_resource_identity.detectors.platform",
    }
    if peers_installed():
        statements["peers' 5 detector modules"] = "\n".join(f"import {module}" for module, _ in PEERS)
    samples: dict[str, list[float]] = {name: [] for name in statements}
    for statement in statements.values():  # a first run writes the compiled modules
        _import_seconds(statement)
    for _ in range(rounds):
        for name, statement in statements.items():
            samples[name].append(_import_seconds(statement))
    return {name: statistics.median(values) for name, values in samples.items()}
