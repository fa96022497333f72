"""The cloud VM detectors: recorded DMI folders as ``root``, metadata served on 127.0.0.1.

Every test points the metadata endpoints at 127.0.0.1 (or disables the
service); the suite's network guard fails any test that reaches elsewhere.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from hostile import answer, drip, hang, http_reply, raw_server
from otel_resource_identity import (
    AwsEc2Detector,
    AzureVmDetector,
    GcpComputeDetector,
    PlatformDetector,
    predict,
)

from conftest import clean_environment
from platforms import FIXTURES, Reply, fixture_text, make_root, serve

pytestmark = pytest.mark.timeout(60)

CLOUD = FIXTURES / "cloud"
IDENTITY: dict[str, Any] = json.loads(fixture_text("cloud/ec2-instance-identity-document.json"))
AZURE: dict[str, Any] = json.loads(fixture_text("cloud/azure-imds-compute.json"))
GCE: dict[str, Any] = json.loads(fixture_text("gcp/metadata-gce-recursive.json"))
GKE: dict[str, Any] = json.loads(fixture_text("gcp/metadata-gke-node-recursive.json"))
HOSTNAME = "ip-10-158-112-84.us-west-2.compute.internal"
HOSTNAME_PATH = "/latest/meta-data/hostname"
FLAVOR = {"Metadata-Flavor": "Google"}
NOWHERE = "127.0.0.1:9"  # the discard port: nothing listens


def _root(tmp_path: Path, cloud: str, *, container: bool = False) -> Path:
    root = tmp_path / cloud
    shutil.copytree(CLOUD / cloud, root)
    if container:
        make_root(root, {"/.dockerenv": "", "/proc/self/cgroup": FIXTURES / "containers/cgroup-docker-v1-cgroupfs.txt"})
    return root


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# --- EC2 ---------------------------------------------------------------------------------------------


def _ec2_routes(identity: object = IDENTITY) -> dict[str, Reply]:
    return {
        "PUT /latest/api/token": Reply("AQAEAFake-session-token=="),
        "/latest/dynamic/instance-identity/document": Reply(identity),
        "/latest/meta-data/hostname": Reply(HOSTNAME),
    }


def _ec2(root: Path, base: str, timeout: float = 2, **extra: str) -> dict[str, object]:
    environ = {"AWS_EC2_METADATA_SERVICE_ENDPOINT": base, **extra}
    return dict(AwsEc2Detector(environ=environ, root=root, timeout=timeout).detect().attributes)


def test_ec2_with_imdsv2(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with serve(_ec2_routes()) as server, caplog.at_level(logging.DEBUG):
        attributes = _ec2(_root(tmp_path, "ec2-nitro"), server.base)
    assert attributes == {
        "cloud.provider": "aws",
        "cloud.platform": "aws_ec2",
        "cloud.account.id": "123456789012",
        "cloud.region": "us-west-2",
        "cloud.availability_zone": "us-west-2b",
        "host.id": "i-1234567890abcdef0",
        "host.image.id": "ami-5fb8c835",
        "host.type": "t2.micro",
        "host.name": HOSTNAME,
    }
    paths = [path for path, _ in server.requests]
    assert paths == [
        "PUT /latest/api/token",
        "/latest/dynamic/instance-identity/document",
        "/latest/meta-data/hostname",
    ]
    token_headers = dict(server.requests[0][1])
    assert "X-aws-ec2-metadata-token-ttl-seconds" in token_headers
    assert all(
        headers.get("X-aws-ec2-metadata-token") == "AQAEAFake-session-token==" for _, headers in server.requests[1:]
    )
    assert not any("credentials" in path for path in paths)
    assert "AQAEAFake" not in caplog.text
    assert _warnings(caplog) == []


def test_ec2_on_xen_is_signalled_by_the_hypervisor_uuid(tmp_path: Path) -> None:
    with serve(_ec2_routes()) as server:
        attributes = _ec2(_root(tmp_path, "ec2-xen"), server.base)
    assert attributes["host.id"] == "i-1234567890abcdef0"
    assert attributes["cloud.platform"] == "aws_ec2"


def test_ec2_without_the_network_reports_what_the_dmi_says(tmp_path: Path) -> None:
    root = _root(tmp_path, "ec2-nitro")
    disabled = _ec2(root, "http://" + NOWHERE, AWS_EC2_METADATA_DISABLED="true")
    assert disabled == {"cloud.provider": "aws", "cloud.platform": "aws_ec2", "host.id": "i-1234567890abcdef0"}
    # Xen has no instance id in the DMI: provider and platform only.
    assert _ec2(_root(tmp_path, "ec2-xen"), "http://" + NOWHERE, AWS_EC2_METADATA_DISABLED="TRUE") == {
        "cloud.provider": "aws",
        "cloud.platform": "aws_ec2",
    }


@pytest.mark.parametrize("container", [False, True], ids=["on the host", "in a container"])
def test_ec2_out_of_reach_keeps_the_local_facts_with_one_debug_line(
    container: bool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _root(tmp_path, "ec2-nitro", container=container)
    with caplog.at_level(logging.DEBUG, logger="otel_resource_identity"):
        attributes = _ec2(root, "http://" + NOWHERE, timeout=0.5)
    assert attributes["host.id"] == "i-1234567890abcdef0"
    assert _warnings(caplog) == []
    assert [r for r in caplog.records if "out of reach" in r.getMessage()]


def test_imdsv1_only_instances_are_asked_without_a_token(tmp_path: Path) -> None:
    routes = _ec2_routes()
    routes["PUT /latest/api/token"] = Reply("forbidden", 403)
    with serve(routes) as server:
        attributes = _ec2(_root(tmp_path, "ec2-nitro"), server.base)
    assert attributes["cloud.account.id"] == "123456789012"
    assert "X-aws-ec2-metadata-token" not in dict(server.requests[1][1])


def test_ec2_a_missing_hostname_keeps_the_rest(tmp_path: Path) -> None:
    routes = _ec2_routes()
    del routes["/latest/meta-data/hostname"]
    with serve(routes) as server:
        attributes = _ec2(_root(tmp_path, "ec2-nitro"), server.base)
    assert attributes["host.type"] == "t2.micro"
    assert "host.name" not in attributes


@pytest.mark.parametrize(
    "identity", [None, ["a"], "text", {"instanceId": {"x": 1}, "region": 7, "accountId": "123456789012"}]
)
def test_ec2_a_garbage_identity_document_is_one_warning(
    identity: object, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with serve(_ec2_routes(identity)) as server, caplog.at_level(logging.WARNING):
        attributes = _ec2(_root(tmp_path, "ec2-nitro"), server.base)
    assert attributes["host.id"] == "i-1234567890abcdef0"  # from the DMI
    assert len(_warnings(caplog)) == 1


@pytest.mark.parametrize("behaviour", ["hang", "drip", "junk"])
def test_ec2_a_hostile_endpoint_meets_the_deadline(behaviour: str, tmp_path: Path) -> None:
    chosen = {"hang": hang, "drip": drip(http_reply(b"token")), "junk": answer(b"\x00\xff garbage")}[behaviour]
    with raw_server(chosen) as server:
        started = time.monotonic()
        attributes = _ec2(_root(tmp_path, "ec2-nitro"), server.base, timeout=0.5)
        assert time.monotonic() - started < 0.85
    assert attributes["cloud.platform"] == "aws_ec2"


def test_an_invalid_ec2_endpoint_is_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        attributes = _ec2(_root(tmp_path, "ec2-nitro"), "http://user:secret@[::1")
    assert attributes["host.id"] == "i-1234567890abcdef0"
    [warning] = _warnings(caplog)
    assert "AWS_EC2_METADATA_SERVICE_ENDPOINT" in warning
    assert "secret" not in caplog.text


# --- Compute Engine and GKE ------------------------------------------------------------------------------


def _gcp_routes(document: dict[str, Any]) -> dict[str, Reply]:
    instance, project = document["instance"], document["project"]
    values = {
        "instance/id": str(instance["id"]),
        "instance/name": instance["name"],
        "instance/machine-type": instance["machineType"],
        "instance/zone": instance["zone"],
        "project/project-id": project["projectId"],
    }
    for key in ("cluster-name", "cluster-location"):
        if key in instance["attributes"]:
            values[f"instance/attributes/{key}"] = instance["attributes"][key]
    routes = {f"/computeMetadata/v1/{path}": Reply(value, headers=FLAVOR) for path, value in values.items()}
    # A missing path answers 404 with the flavor header, as the metadata server does.
    for key in ("cluster-name", "cluster-location"):
        routes.setdefault(f"/computeMetadata/v1/instance/attributes/{key}", Reply("not found", 404, headers=FLAVOR))
    return routes


def _gcp(root: Path, host: str, timeout: float = 2) -> dict[str, object]:
    return dict(GcpComputeDetector(environ={"GCE_METADATA_HOST": host}, root=root, timeout=timeout).detect().attributes)


def test_compute_engine(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with serve(_gcp_routes(GCE)) as server, caplog.at_level(logging.DEBUG):
        attributes = _gcp(_root(tmp_path, "gce"), server.host)
    assert attributes == {
        "cloud.provider": "gcp",
        "cloud.platform": "gcp_compute_engine",
        "cloud.account.id": "acme-shop-prod",
        "cloud.region": "us-central1",
        "cloud.availability_zone": "us-central1-a",
        "host.id": "4520031799277581759",
        "host.name": "web-igm-7x2k",
        "host.type": "projects/123456789012/machineTypes/e2-medium",
    }
    assert all(headers.get("Metadata-Flavor") == "Google" for _, headers in server.requests)
    assert _warnings(caplog) == []


def test_a_gke_node(tmp_path: Path) -> None:
    with serve(_gcp_routes(GKE)) as server:
        attributes = _gcp(_root(tmp_path, "gce", container=True), server.host)
    assert attributes["cloud.platform"] == "gcp_kubernetes_engine"
    assert attributes["k8s.cluster.name"] == "prod-autopilot"
    assert attributes["cloud.region"] == "us-central1"  # a regional cluster
    assert attributes["host.id"] == "4520031799277581759"


def test_compute_engine_partial_and_out_of_reach(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    routes = _gcp_routes(GCE)
    routes["/computeMetadata/v1/instance/machine-type"] = Reply("oops", 500, headers=FLAVOR)
    with serve(routes) as server, caplog.at_level(logging.WARNING):
        attributes = _gcp(_root(tmp_path, "gce"), server.host)
    assert attributes["host.id"] == "4520031799277581759"
    assert "host.type" not in attributes
    assert len(_warnings(caplog)) == 1
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="otel_resource_identity"):
        attributes = _gcp(_root(tmp_path / "b", "gce"), NOWHERE, timeout=0.5)
    assert attributes == {"cloud.provider": "gcp", "cloud.platform": "gcp_compute_engine"}
    assert _warnings(caplog) == []


def test_a_reply_without_the_flavor_header_is_not_the_metadata_server(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Something else answers in the metadata server's place (a proxy, a captive portal): present but broken."""
    routes = {path: Reply(reply.body) for path, reply in _gcp_routes(GCE).items()}
    with serve(routes) as server, caplog.at_level(logging.DEBUG):
        attributes = _gcp(_root(tmp_path, "gce"), server.host)
    assert attributes == {"cloud.provider": "gcp", "cloud.platform": "gcp_compute_engine"}
    [warning] = _warnings(caplog)
    assert "Metadata-Flavor: Google" in warning


# --- Azure ------------------------------------------------------------------------------------------------


def _azure(root: Path, base: str, timeout: float = 2) -> dict[str, object]:
    environ = {"RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": base}
    return dict(AzureVmDetector(environ=environ, root=root, timeout=timeout).detect().attributes)


AZURE_PATH = "/metadata/instance/compute?api-version=2021-02-01&format=json"


def test_azure_vm(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with serve({AZURE_PATH: Reply(AZURE)}) as server, caplog.at_level(logging.DEBUG):
        attributes = _azure(_root(tmp_path, "azure"), server.base)
    assert attributes == {
        "cloud.provider": "azure",
        "cloud.platform": "azure.vm",
        "cloud.region": "westus",
        "cloud.account.id": "8d10da13-8125-4ba9-a717-bf7490507b3d",
        "cloud.resource_id": AZURE["resourceId"],
        "host.id": "02aab8a4-74ef-476e-8182-f6d2ba4166a6",
        "host.name": "examplevmname",
        "host.type": "Standard_A3",
        "azure.vm.name": "examplevmname",
        "azure.vm.size": "Standard_A3",
        "azure.vm.scaleset.name": "crpteste9vflji9",
        "azure.resourcegroup.name": "macikgo-test-may-23",
    }
    [(_, headers)] = server.requests
    assert headers.get("Metadata") == "true"
    assert _warnings(caplog) == []


def test_azure_out_of_reach_hung_and_garbage(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    local = {"cloud.provider": "azure", "cloud.platform": "azure.vm"}
    with caplog.at_level(logging.DEBUG, logger="otel_resource_identity"):
        assert _azure(_root(tmp_path / "a", "azure"), "http://" + NOWHERE, timeout=0.5) == local
    assert _warnings(caplog) == []
    with raw_server(hang) as server:
        started = time.monotonic()
        assert _azure(_root(tmp_path / "b", "azure"), server.base, timeout=0.5) == local
        assert time.monotonic() - started < 0.85
    with serve({AZURE_PATH: Reply({"vmId": ["x"], "name": {"a": 1}, "location": "westus"})}) as server:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            attributes = _azure(_root(tmp_path / "c", "azure"), server.base)
    assert attributes == local | {"cloud.region": "westus"}
    assert len(_warnings(caplog)) == 1


# --- Off every cloud ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("machine", ["hyperv-not-azure", "qemu-kvm"])
def test_a_vm_on_no_cloud_reports_nothing_and_logs_nothing(
    machine: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _root(tmp_path, machine)
    with caplog.at_level(logging.DEBUG, logger="otel_resource_identity"):
        for detector in (AwsEc2Detector, GcpComputeDetector, AzureVmDetector):
            assert detector(environ={}, root=root).detect().attributes == {}
        detection = PlatformDetector(environ={}, root=root, cache=False)
        detection.detect()
    outcomes = {run.name: run.outcome for run in detection.runs}
    assert outcomes["aws_ec2"] == outcomes["gcp_compute"] == outcomes["azure_vm"] == "not present"
    assert caplog.records == []


def test_this_machine_is_on_no_cloud_it_can_see(caplog: pytest.LogCaptureFixture) -> None:
    environ = {
        "AWS_EC2_METADATA_DISABLED": "true",
        "GCE_METADATA_HOST": NOWHERE,
        "RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": "http://" + NOWHERE,
    }
    with caplog.at_level(logging.DEBUG, logger="otel_resource_identity"):
        detection = PlatformDetector(environ=environ, cache=False, detectors=["aws_ec2", "gcp_compute", "azure_vm"])
        detection.detect()
    if any(run.outcome != "not present" for run in detection.runs):
        pytest.skip("this machine is a cloud VM")
    assert caplog.records == []


# --- Under PlatformDetector, next to Kubernetes, and against the Collector --------------------------------


def test_platform_detector_ranks_the_cloud_below_ecs_and_above_the_host(tmp_path: Path) -> None:
    root = _root(tmp_path, "ec2-nitro")
    make_root(root, {"/etc/machine-id": "4c4c4544004d3510804bb4c04f4a4d32\n"})
    environ = {"AWS_EC2_METADATA_DISABLED": "true"}
    resource = PlatformDetector(environ=environ, root=root, cache=False).detect()
    assert resource.attributes["host.id"] == "i-1234567890abcdef0"  # not the machine-id
    assert resource.attributes["cloud.platform"] == "aws_ec2"
    ecs = environ | {"ECS_CONTAINER_METADATA_URI_V4": f"http://{NOWHERE}/v4/x"}
    on_ecs = PlatformDetector(environ=ecs, root=root, cache=False, timeout=0.5).detect()
    assert on_ecs.attributes["cloud.platform"] == "aws_ecs"
    assert on_ecs.attributes["host.id"] == "i-1234567890abcdef0"


@pytest.mark.parametrize(
    ("cloud", "collector", "routes", "environ"),
    [
        ("ec2-nitro", "collector-ec2-resource.json", _ec2_routes(), "AWS_EC2_METADATA_SERVICE_ENDPOINT"),
        ("gce", "collector-gcp-resource.json", _gcp_routes(GCE), "GCE_METADATA_HOST"),
        ("azure", "collector-azure-resource.json", {AZURE_PATH: Reply(AZURE)}, "RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT"),
    ],
)
def test_the_vm_coalesces_with_what_the_collector_reports(
    cloud: str, collector: str, routes: dict[str, Reply], environ: str, tmp_path: Path
) -> None:
    root = _root(tmp_path, cloud)
    with serve(routes) as server:
        endpoint = server.host if environ == "GCE_METADATA_HOST" else server.base
        variables = {environ: endpoint, "AWS_EC2_METADATA_DISABLED": "false"}
        ours = dict(PlatformDetector(environ=variables, root=root, cache=False, timeout=2).detect().attributes)
    theirs = json.loads(fixture_text(f"cloud/{collector}"))
    assert ours["host.id"] == theirs["host.id"]
    assert predict(ours).id == predict(theirs).id
    assert predict(theirs).type == "host"
    (tmp_path / "ours.json").write_text(json.dumps(ours))
    (tmp_path / "theirs.json").write_text(json.dumps(theirs))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "otel_resource_identity",
            "compare",
            str(tmp_path / "ours.json"),
            str(tmp_path / "theirs.json"),
        ],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    assert f'coalesce: rule host, key host.id = "{theirs["host.id"]}"' in done.stdout


def test_an_eks_pod_takes_the_cluster_name_from_the_instance_tags(tmp_path: Path) -> None:
    """Only in a pod, only where instance metadata tags are enabled (elsewhere IMDS answers 404)."""
    routes = _ec2_routes()
    routes["/latest/meta-data/tags/instance/aws:eks:cluster-name"] = Reply("shop-eks")
    root = _root(tmp_path, "ec2-nitro")
    with serve(routes) as server:
        on_the_node = _ec2(root, server.base)
        in_a_pod = _ec2(root, server.base, KUBERNETES_SERVICE_HOST="10.96.0.1")
    assert "k8s.cluster.name" not in on_the_node
    assert on_the_node["cloud.platform"] == "aws_ec2"
    assert in_a_pod["k8s.cluster.name"] == "shop-eks"
    assert in_a_pod["cloud.platform"] == "aws_eks"
    assert [path for path, _ in server.requests].count("/latest/meta-data/tags/instance/aws:eks:cluster-name") == 1
    del routes["/latest/meta-data/tags/instance/aws:eks:cluster-name"]
    with serve(routes) as server:
        assert "k8s.cluster.name" not in _ec2(root, server.base, KUBERNETES_SERVICE_HOST="10.96.0.1")
