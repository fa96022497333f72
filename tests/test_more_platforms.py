"""Elastic Beanstalk, App Engine, Fly.io, Render, Railway and the VM clouds, on recorded data.

Each platform's recorded environment or file (tests/fixtures/README.md names
the sources) gives the documented attributes, ``predict()`` one id per
instance, and the peers' or the Collector's keys and values where they exist.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest

from otel_resource_identity import (
    AwsElasticBeanstalkDetector,
    FlyDetector,
    GcpAppEngineDetector,
    PlatformDetector,
    RailwayDetector,
    RenderDetector,
    VmCloudDetector,
    predict,
)
from otel_resource_identity.detectors.vm_clouds import VM_CLOUDS

from platforms import FIXTURES, Reply, fixture_text, load_env, make_root, serve

BEANSTALK = "/var/elasticbeanstalk/xray/environment.conf"
FLAVOR = {"Metadata-Flavor": "Google"}


def _expected(name: str) -> dict[str, Any]:
    return {key: value for key, value in json.loads(fixture_text(name)).items() if not key.startswith("_")}


# -- Elastic Beanstalk: go-contrib's attribute set (the Collector moves to it)


@pytest.mark.parametrize(
    ("fixture", "deployment_id", "environment", "version"),
    [
        ("beanstalk/environment.conf-gocontrib.json", "23", "BETA", "env-version-1234"),
        ("beanstalk/environment.conf-pycontrib.json", "42", "mock-env-name", "app-zip-label"),
    ],
)
def test_beanstalk(fixture: str, deployment_id: str, environment: str, version: str, tmp_path: Path) -> None:
    root = make_root(tmp_path, {BEANSTALK: FIXTURES / fixture})
    attributes = dict(AwsElasticBeanstalkDetector(root=root).detect().attributes)
    assert attributes == {
        "cloud.provider": "aws",
        "cloud.platform": "aws_elastic_beanstalk",
        "deployment.id": deployment_id,  # text, whether the file holds a number or a string
        "deployment.environment.name": environment,
        "service.version": version,
    }
    # Neither the Python peer's constant service.name nor the deployment counter as service.instance.id.
    assert "service.name" not in attributes
    assert "service.instance.id" not in attributes


def test_beanstalk_instances_are_their_ec2_instances(tmp_path: Path) -> None:
    identities = []
    for instance in ("i-0a1b2c3d4e5f67890", "i-0fedcba9876543210"):
        root = make_root(
            tmp_path / instance,
            {
                BEANSTALK: FIXTURES / "beanstalk/environment.conf-gocontrib.json",
                "/sys/class/dmi/id/sys_vendor": "Amazon EC2\n",
                "/sys/class/dmi/id/board_asset_tag": f"{instance}\n",
            },
        )
        environ = {"AWS_EC2_METADATA_DISABLED": "true"}
        resource = PlatformDetector(
            environ=environ, root=root, detectors=["aws_ec2", "aws_elastic_beanstalk"], cache=False
        ).detect()
        assert resource.attributes["cloud.platform"] == "aws_elastic_beanstalk"
        assert resource.attributes["host.id"] == instance
        identities.append(predict(resource))
    assert identities[0].id != identities[1].id
    assert {identity.type for identity in identities} == {"host"}


@pytest.mark.parametrize(
    ("content", "warned"),
    [
        ("not json {", "not JSON"),
        ('{"deployment_id": 1, "environment_name": 5, "version_label": "v"}', "environment_name"),
    ],
    ids=["not JSON", "a number where text belongs"],
)
def test_a_broken_beanstalk_file_is_one_warning(
    content: str, warned: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root(tmp_path, {BEANSTALK: content})
    with caplog.at_level(logging.WARNING):
        attributes = AwsElasticBeanstalkDetector(root=root).detect().attributes
    assert attributes["cloud.platform"] == "aws_elastic_beanstalk"
    [warning] = [record.getMessage() for record in caplog.records]
    assert warned in warning
    assert "environment.conf" in warning


# -- App Engine: Google's detector's attribute set, with the service named


def _gae_routes(zone: str = "projects/233510669999/zones/us-east4-b") -> dict[str, Reply]:
    values = {
        "project/project-id": "fakeProject",
        "instance/region": "projects/233510669999/regions/us-east4",
        "instance/zone": zone,
    }
    return {f"/computeMetadata/v1/{path}": Reply(value, headers=FLAVOR) for path, value in values.items()}


@pytest.mark.parametrize("kind", ["standard", "flex"])
def test_app_engine_as_googles_detector(kind: str) -> None:
    environ = load_env(f"appengine/{kind}-pycontrib.env")
    with serve(_gae_routes()) as server:
        detector = GcpAppEngineDetector(environ=environ | {"GCE_METADATA_HOST": server.host}, timeout=2)
        attributes = dict(detector.detect().attributes)
    expected = _expected(f"appengine/{kind}-pycontrib-expected.json")
    assert {key: attributes.get(key) for key in expected} == expected
    assert attributes["service.name"] == "fake-service"
    assert attributes["service.version"] == "fake-version"


def test_app_engine_flexible_outranks_the_compute_engine_vm_it_runs_on(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "cloud" / "gce", root)
    environ = load_env("appengine/flex-pycontrib.env")
    with serve(_gae_routes()) as server:
        resource = PlatformDetector(
            environ=environ | {"GCE_METADATA_HOST": server.host},
            root=root,
            detectors=["gcp_compute", "gcp_app_engine"],
            cache=False,
            timeout=2,
        ).detect()
    assert resource.attributes["cloud.platform"] == "gcp_app_engine"
    # Dash0's 2026-04 rules: cloud.provider=gcp with faas.instance is the Cloud Run family.
    assert predict(resource).type == "gcp.cloud_run.service"


def test_app_engine_asks_the_metadata_server_only_for_what_the_environment_lacks() -> None:
    environ = load_env("appengine/standard-doc.env")
    with serve(_gae_routes(zone="us16")) as server:
        attributes = GcpAppEngineDetector(environ=environ | {"GCE_METADATA_HOST": server.host}, timeout=2).detect()
        paths = sorted(path for path, _ in server.requests)
    assert attributes.attributes["cloud.account.id"] == "my-project"  # GOOGLE_CLOUD_PROJECT
    assert attributes.attributes["cloud.availability_zone"] == "us16"  # standard's bare zone, as Google's detector
    assert paths == ["/computeMetadata/v1/instance/region", "/computeMetadata/v1/instance/zone"]


# -- Fly.io, Render, Railway: rows of one table


@pytest.mark.parametrize(
    ("fixture", "detector", "expected", "instance_variable"),
    [
        (
            "paas/fly-io.env",
            FlyDetector,
            {
                "cloud.provider": "fly_io",
                "service.name": "my-app-name",
                "host.id": "3d8d9e1f0a1b28",
                "cloud.region": "ams",
            },
            "FLY_MACHINE_ID",
        ),
        (
            "paas/render.env",
            RenderDetector,
            {
                "cloud.provider": "render",
                "service.name": "web",
                "service.instance.id": "srv-abc123-5d8f7b9c4-xk2lq",
                "cloud.resource_id": "srv-abc123",
                "vcs.ref.head.name": "main",
            },
            "RENDER_INSTANCE_ID",
        ),
        (
            "paas/railway.env",
            RailwayDetector,
            {
                "cloud.provider": "railway",
                "service.name": "api",
                "service.namespace": "acme",
                "service.instance.id": "6b5f0c1e-0000-4000-8000-000000000006",
                "cloud.region": "us-west2",
                "deployment.environment.name": "production",
            },
            "RAILWAY_REPLICA_ID",
        ),
    ],
    ids=["fly", "render", "railway"],
)
def test_paas_hosts(
    fixture: str, detector: Any, expected: dict[str, str], instance_variable: str, tmp_path: Path
) -> None:
    environ = load_env(fixture)
    attributes = dict(detector(environ=environ, root=tmp_path).detect().attributes)
    assert {key: attributes.get(key) for key in expected} == expected
    # One id per instance: another instance of the same app is another resource.
    other = dict(
        detector(environ=environ | {instance_variable: "another-instance-1"}, root=tmp_path).detect().attributes
    )
    assert predict(attributes).id != predict(other).id
    assert "DATABASE_URL" not in json.dumps(attributes)


def test_every_process_of_an_instance_reports_its_pid(tmp_path: Path) -> None:
    import os

    resource = PlatformDetector(environ=load_env("paas/render.env"), root=tmp_path, detectors=["render"], cache=False)
    assert resource.detect().attributes["process.pid"] == os.getpid()


# -- VM clouds: classified from the DMI, silent and free elsewhere


# Every metadata service a row asks, pointed at a closed loopback port where the DMI alone is under test.
_CLOSED = {row.metadata.variable: "http://127.0.0.1:9" for row in VM_CLOUDS.values() if row.metadata is not None}


@pytest.mark.parametrize(
    ("folder", "provider", "platform"),
    [
        ("digitalocean", "digitalocean", None),
        ("hetzner", "hetzner", "hetzner.cloud_server"),
        ("vultr", "vultr", "vultr.cloud_compute"),
        ("scaleway", "scaleway_cloud", "scaleway_cloud_compute"),
        ("upcloud", "upcloud", None),
        ("akamai", "akamai_cloud", "akamai_cloud.compute"),
        ("akamai-linode", "akamai_cloud", "akamai_cloud.compute"),
        ("oracle", "oracle_cloud", "oracle_cloud_compute"),
        ("alibaba", "alibaba_cloud", "alibaba_cloud_ecs"),
        ("openstack-nova", "openstack", None),
        ("openstack-compute", "openstack", None),
    ],
)
def test_vm_clouds_from_the_dmi(folder: str, provider: str, platform: str | None, tmp_path: Path) -> None:
    root = tmp_path / folder
    shutil.copytree(FIXTURES / "vm-clouds" / folder, root)
    attributes = dict(VmCloudDetector(environ=_CLOSED, root=root, timeout=0.5).detect().attributes)
    assert attributes.get("cloud.provider") == provider
    assert attributes.get("cloud.platform") == platform


def test_digitalocean_metadata_as_the_collector_reports_it(tmp_path: Path) -> None:
    """The Collector's digitalocean_test.go document and the attributes it expects."""
    root = tmp_path / "do"
    shutil.copytree(FIXTURES / "vm-clouds" / "digitalocean", root)
    document = {"droplet_id": 2756294, "hostname": "sample-droplet", "region": "nyc3", "public_keys": []}
    with serve({"/metadata/v1.json": Reply(document)}) as server:
        environ = {"RESOURCE_IDENTITY_DIGITALOCEAN_METADATA_ENDPOINT": server.base}
        attributes = dict(VmCloudDetector(environ=environ, root=root, timeout=2).detect().attributes)
    assert attributes == {
        "cloud.provider": "digitalocean",
        "host.id": "2756294",
        "host.name": "sample-droplet",
        "cloud.region": "nyc3",
    }


def _asking(folder: str, base: str, tmp_path: Path) -> dict[str, object]:
    """What the detector reports on ``folder``'s DMI with its metadata service at ``base``."""
    root = tmp_path / folder
    shutil.copytree(FIXTURES / "vm-clouds" / folder, root)
    environ = {f"RESOURCE_IDENTITY_{folder.upper()}_METADATA_ENDPOINT": base}
    return dict(VmCloudDetector(environ=environ, root=root, timeout=2).detect().attributes)


def test_hetzner_metadata_as_go_contribs_detector_reports_it(tmp_path: Path) -> None:
    """go-contrib's hetzner_test.go TestDetect_OK: one text path per attribute."""
    routes = {
        "/hostname": Reply("srv-123"),
        "/instance-id": Reply("987654321"),
        "/region": Reply("nbg1"),
        "/availability-zone": Reply("nbg1-dc3"),
    }
    with serve(routes) as server:
        attributes = _asking("hetzner", server.base, tmp_path)
    assert attributes == {
        "cloud.provider": "hetzner",
        "cloud.platform": "hetzner.cloud_server",
        "host.id": "987654321",
        "host.name": "srv-123",
        "cloud.region": "nbg1",
        "cloud.availability_zone": "nbg1-dc3",
    }


def test_a_hetzner_path_that_fails_is_left_out_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """go-contrib's TestDetect_PartialFailure: what answered is kept, the rest is absent."""
    routes = {
        "/hostname": Reply("srv-456"),
        "/instance-id": Reply("unavailable", status=500),
        "/region": Reply("unavailable", status=500),
        "/availability-zone": Reply("unavailable", status=500),
    }
    with serve(routes) as server, caplog.at_level(logging.DEBUG):
        attributes = _asking("hetzner", server.base, tmp_path)
    assert attributes == {"cloud.provider": "hetzner", "cloud.platform": "hetzner.cloud_server", "host.name": "srv-456"}
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "Hetzner Cloud" in warnings[0]
    assert "500" in warnings[0]


@pytest.mark.parametrize(
    ("document", "host_id", "host_name", "region"),
    [
        # go-contrib's vultr_test.go TestDetect_OK: the v2 UUID wins over the legacy id.
        (
            {
                "hostname": "srv-abc",
                "instanceid": "legacy-id",
                "instance-v2-id": "550e8400-e29b-41d4-a716-446655440000",
                "region": {"regioncode": "ewr"},
            },
            "550e8400-e29b-41d4-a716-446655440000",
            "srv-abc",
            "ewr",
        ),
        # TestDetect_OK_LegacyInstanceID: no v2 id, the legacy one; region codes are reported in lower case.
        (
            {"hostname": "srv-legacy", "instanceid": "legacy-only-id", "region": {"regioncode": "SJC"}},
            "legacy-only-id",
            "srv-legacy",
            "sjc",
        ),
    ],
)
def test_vultr_metadata_as_go_contribs_detector_reports_it(
    document: dict[str, object], host_id: str, host_name: str, region: str, tmp_path: Path
) -> None:
    with serve({"/v1.json": Reply(document)}) as server:
        attributes = _asking("vultr", server.base, tmp_path)
    assert attributes == {
        "cloud.provider": "vultr",
        "cloud.platform": "vultr.cloud_compute",
        "host.id": host_id,
        "host.name": host_name,
        "cloud.region": region,
    }


def test_a_vultr_document_of_the_wrong_shape_keeps_the_cloud_and_names_the_field(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    document = {"hostname": ["not", "text"], "instance-v2-id": 5, "region": "ewr"}
    with serve({"/v1.json": Reply(document)}) as server, caplog.at_level(logging.WARNING):
        attributes = _asking("vultr", server.base, tmp_path)
    assert attributes == {"cloud.provider": "vultr", "cloud.platform": "vultr.cloud_compute"}
    assert caplog.records, "a wrong-typed field is reported"
    assert any("hostname" in record.getMessage() for record in caplog.records)


def test_scaleway_metadata_as_the_collector_reports_it(tmp_path: Path) -> None:
    """The Collector's scaleway_test.go sample and the attributes it expects (region from the zone)."""
    document = json.loads((FIXTURES / "vm-clouds" / "metadata" / "scaleway-conf.json").read_text())
    with serve({"/conf?format=json": Reply(document)}) as server:
        attributes = _asking("scaleway", server.base, tmp_path)
    assert attributes == {
        "cloud.provider": "scaleway_cloud",
        "cloud.platform": "scaleway_cloud_compute",
        "cloud.account.id": "10542306-0c75-4265-9c2c-1fbfe4ea0bf0",
        "cloud.availability_zone": "nl-ams-1",
        "cloud.region": "nl-ams",
        "host.id": "daa2ea5a-0ee6-4cdc-9f1a-e0d1cb4e6d86",
        "host.image.id": "01fe25a9-2e95-41e2-9f3f-f7d3a00604be",
        "host.image.name": "Ubuntu 24.04 Noble Numbat",
        "host.name": "scw-interesting-bassi",
        "host.type": "STARDUST1-S",
    }


def test_upcloud_metadata_as_the_collector_reports_it(tmp_path: Path) -> None:
    document = {
        "cloud_name": "upcloud",
        "hostname": "ubuntu-1cpu-1gb-es-mad1",
        "instance_id": "00133099-f1fd-4ed2-b1c7-d027eb43a8f5",
        "region": "es-mad1",
    }
    with serve({"/metadata/v1.json": Reply(document)}) as server:
        attributes = _asking("upcloud", server.base, tmp_path)
    assert attributes == {
        "cloud.provider": "upcloud",
        "cloud.region": "es-mad1",
        "host.id": "00133099-f1fd-4ed2-b1c7-d027eb43a8f5",
        "host.name": "ubuntu-1cpu-1gb-es-mad1",
    }


_ORACLE = {
    "id": "ocid1.instance.oc1..aaaaaaa",
    "displayName": "my-instance",
    "shape": "VM.Standard.E4.Flex",
    "canonicalRegionName": "us-ashburn-1",
    "availabilityDomain": "AD-1",
}


@pytest.mark.parametrize(
    ("metadata", "platform", "cluster"),
    [
        # The Collector's oraclecloud_test.go TestDetect: a node of an OKE cluster.
        ({"oke-cluster-display-name": "my-oke-cluster"}, "oracle_cloud_oke", "my-oke-cluster"),
        # A plain instance: compute, where the Collector says OKE regardless (docs/detectors.md).
        ({}, "oracle_cloud_compute", None),
    ],
)
def test_oracle_metadata_as_the_collector_reports_it(
    metadata: dict[str, str], platform: str, cluster: str | None, tmp_path: Path
) -> None:
    with serve({"/opc/v2/instance/": Reply(_ORACLE | {"metadata": metadata})}) as server:
        attributes = _asking("oracle", server.base, tmp_path)
        (_, headers), *_ = server.requests
    expected: dict[str, object] = {
        "cloud.provider": "oracle_cloud",
        "cloud.platform": platform,
        "cloud.region": "us-ashburn-1",
        "cloud.resource_id": "ocid1.instance.oc1..aaaaaaa",
        "cloud.availability_zone": "AD-1",
        "host.id": "ocid1.instance.oc1..aaaaaaa",
        "host.name": "my-instance",
        "host.type": "VM.Standard.E4.Flex",
    }
    if cluster:
        expected["k8s.cluster.name"] = cluster
    assert attributes == expected
    assert {name.lower(): value for name, value in headers.items()}["authorization"] == "Bearer Oracle"


def test_akamai_metadata_with_its_session_token_as_the_collector_reports_it(tmp_path: Path) -> None:
    """The Collector's akamai_test.go instance, served as the Metadata API serves it (token first)."""
    instance = {
        "id": 4242,
        "label": "linode-4242",
        "region": "us-southeast",
        "type": "g6-standard-4",
        "host_uuid": "3a3ddd59d9a78bb8de041391075df44de62bfec8",
        "tags": [],
        "specs": {"vcpus": 4, "memory": 8192, "gpus": 0, "transfer": 5000, "disk": 163840},
        "backups": {"enabled": False, "status": None},
        "image": {"id": "linode/ubuntu24.04", "label": "Ubuntu 24.04 LTS"},
        "account_euuid": "acc-eeee-uuuu-iiiii-dddd",
    }
    token = "e80eb80986f17fcd3df8fcb6ea944774cae47b26ed6d68df63a15b294b7a6e3f"
    with serve({"PUT /v1/token": Reply(token), "/v1/instance": Reply(instance)}) as server:
        attributes = _asking("akamai", server.base, tmp_path)
        sent = {path: {name.lower(): value for name, value in headers.items()} for path, headers in server.requests}
    assert attributes == {
        "cloud.provider": "akamai_cloud",
        "cloud.platform": "akamai_cloud.compute",
        "cloud.region": "us-southeast",
        "cloud.account.id": "acc-eeee-uuuu-iiiii-dddd",
        "host.id": "4242",
        "host.name": "linode-4242",
        "host.type": "g6-standard-4",
        "host.image.id": "linode/ubuntu24.04",
        "host.image.name": "Ubuntu 24.04 LTS",
    }
    assert "metadata-token-expiry-seconds" in sent["PUT /v1/token"]
    assert sent["/v1/instance"]["metadata-token"] == token


_ALIBABA: dict[str, str] = json.loads(fixture_text("vm-clouds/metadata/alibaba-ecs-text-paths.json"))


def test_alibaba_metadata_with_its_session_token_as_the_collector_reports_it(tmp_path: Path) -> None:
    """The Collector's alibabacloud ecs_test.go values, one text path each, after the token."""
    routes = {f"/latest/meta-data/{path}": Reply(value) for path, value in _ALIBABA.items()}
    routes["PUT /latest/api/token"] = Reply("AQAAAKnTx0nIc2xkX1Y5Zg==")
    with serve(routes) as server:
        attributes = _asking("alibaba", server.base, tmp_path)
        asked = [{name.lower(): value for name, value in headers.items()} for _, headers in server.requests[1:]]
    assert attributes == {
        "cloud.provider": "alibaba_cloud",
        "cloud.platform": "alibaba_cloud_ecs",
        "cloud.account.id": "1234567890123456",
        "cloud.region": "cn-hangzhou",
        "cloud.availability_zone": "cn-hangzhou-a",
        "host.id": "i-abcdef123456",
        "host.name": "ecs-instance-01",
        "host.image.id": "m-abcdef123456",
        "host.type": "ecs.g6.large",
    }
    assert asked
    assert all(headers["x-aliyun-ecs-metadata-token"] == "AQAAAKnTx0nIc2xkX1Y5Zg==" for headers in asked)


@pytest.mark.parametrize("cloud", ["akamai", "alibaba"])
def test_a_token_that_is_not_one_is_never_sent_back(
    cloud: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A garbage token reply ends the exchange: the DMI's facts stay, one warning, no header injected."""
    path = {"akamai": "PUT /v1/token", "alibaba": "PUT /latest/api/token"}[cloud]
    with serve({path: Reply("line one\r\nX-Injected: yes")}) as server, caplog.at_level(logging.WARNING):
        attributes = _asking(cloud, server.base, tmp_path)
        asked = [request for request, _ in server.requests]
    assert asked == [path]
    assert set(attributes) == {"cloud.provider", "cloud.platform"}
    assert len([record for record in caplog.records if record.levelno >= logging.WARNING]) == 1


@pytest.mark.parametrize("cloud", sorted(key for key, row in VM_CLOUDS.items() if row.metadata is not None))
def test_a_metadata_service_that_answers_500_keeps_the_dmi_facts_with_one_warning(
    cloud: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = cloud
    with serve({}) as server, caplog.at_level(logging.DEBUG):
        server.routes.update({path: Reply("unavailable", 500) for path in _EVERY_PATH})
        attributes = _asking(folder, server.base, tmp_path)
    assert set(attributes) <= {"cloud.provider", "cloud.platform"}
    assert attributes["cloud.provider"] == VM_CLOUDS[cloud].provider
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    assert VM_CLOUDS[cloud].title in warnings[0]


_EVERY_PATH = (
    "/metadata/v1.json",
    "/instance-id",
    "/hostname",
    "/region",
    "/availability-zone",
    "/v1.json",
    "/conf?format=json",
    "PUT /v1/token",
    "/opc/v2/instance/",
    "PUT /latest/api/token",
)


@pytest.mark.parametrize("folder", ["qemu-kvm", "hyperv-not-azure"])
def test_off_every_vm_cloud_it_is_silent_and_asks_nothing(
    folder: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / folder
    shutil.copytree(FIXTURES / "cloud" / folder, root)
    with caplog.at_level(logging.DEBUG):
        assert VmCloudDetector(root=root).detect().attributes == {}
    assert caplog.records == []


def _hetzner_server(instance_id: str) -> dict[str, Reply]:
    return {
        "/instance-id": Reply(instance_id),
        "/hostname": Reply(f"srv-{instance_id}"),
        "/region": Reply("nbg1"),
        "/availability-zone": Reply("nbg1-dc3"),
    }


def test_one_predicted_id_per_vm(tmp_path: Path) -> None:
    """Two processes on one server share its id; another server has its own. Dash0's host rule decides."""
    seen = []
    for number, instance in enumerate(("987654321", "987654321", "123456789")):
        with serve(_hetzner_server(instance)) as server:
            seen.append(predict(_asking("hetzner", server.base, tmp_path / str(number))))
    assert seen[0] == seen[1]
    assert seen[0].id != seen[2].id
    assert {identity.type for identity in seen} == {"host"}
    assert seen[2].name == "123456789"  # Dash0 names a host by host.id first


def test_a_metadata_endpoint_that_is_not_a_url_is_one_warning_naming_the_variable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "upcloud"
    shutil.copytree(FIXTURES / "vm-clouds" / "upcloud", root)
    environ = {"RESOURCE_IDENTITY_UPCLOUD_METADATA_ENDPOINT": "ftp://user:hunter2@metadata.internal/"}
    with caplog.at_level(logging.DEBUG):
        attributes = dict(VmCloudDetector(environ=environ, root=root, timeout=1).detect().attributes)
    assert attributes == {"cloud.provider": "upcloud"}
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "RESOURCE_IDENTITY_UPCLOUD_METADATA_ENDPOINT" in warnings[0]
    assert "hunter2" not in caplog.text
