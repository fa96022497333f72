"""Azure App Service, Functions, Container Apps and AKS, on recorded environments.

The environments and expected resources are go-contrib's (whose detectors the
Collector now uses), the Python peer's and Microsoft's documentation's
(tests/fixtures/README.md names each). Differences from go-contrib and the
peer are deliberate and listed in docs/detectors.md; these tests hold them.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest

from otel_resource_identity import (
    AzureAksDetector,
    AzureAppServiceDetector,
    AzureContainerAppsDetector,
    AzureFunctionsDetector,
    AzureVmDetector,
    PlatformDetector,
    entities_of,
    predict,
)

from conftest import clean_environment, run_cli
from platforms import FIXTURES, Reply, fixture_text, load_env, make_root, serve

AZURE = FIXTURES / "azure"
SA = "/var/run/secrets/kubernetes.io/serviceaccount"
AZURE_PATH = "/metadata/instance/compute?api-version=2021-02-01&format=json"


def _expected(name: str) -> dict[str, Any]:
    return {key: value for key, value in json.loads(fixture_text(f"azure/{name}")).items() if key != "_comment"}


def _azure_dmi_root(base: Path) -> Path:
    """A root whose DMI says Azure (the VM under every one of these platforms)."""
    root = base / "root"
    shutil.copytree(FIXTURES / "cloud" / "azure", root)
    return root


# -- App Service


def test_app_service_is_what_go_contrib_and_the_collector_report(tmp_path: Path) -> None:
    attributes = dict(
        AzureAppServiceDetector(environ=load_env("azure/app-service-gocontrib.env"), root=tmp_path).detect().attributes
    )
    assert attributes == _expected("app-service-gocontrib-expected.json")


def test_app_service_differs_from_the_python_peer_where_the_peer_is_wrong(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environ = load_env("azure/app-service-pycontrib.env")
    with caplog.at_level(logging.WARNING):
        attributes = dict(AzureAppServiceDetector(environ=environ, root=tmp_path).detect().attributes)
    peer = _expected("app-service-pycontrib-expected.json")
    assert attributes["service.name"] == peer["service.name"]
    assert attributes["cloud.region"] == peer["cloud.region"]
    # Never an app-wide host.id (every instance would be one host) nor the VM's id as service.instance.id.
    assert "host.id" not in attributes
    assert "service.instance.id" not in attributes
    assert attributes["azure.app_service.instance.id"] == "TEST_WEBSITE_INSTANCE_ID"
    assert attributes["cloud.platform"] == "azure.app_service"  # the conventions' spelling, not azure_app_service
    assert attributes["deployment.environment.name"] == "TEST_WEBSITE_SLOT_NAME"  # not the deprecated key
    # A placeholder owner without '+' names no subscription: no resource id built from it, one warning.
    assert "cloud.account.id" not in attributes
    assert "cloud.resource_id" not in attributes
    assert [r.getMessage() for r in caplog.records if "WEBSITE_OWNER_NAME" in r.getMessage()]
    assert "TEST_WEBSITE_OWNER_NAME" not in caplog.text


# -- Functions


def test_functions_is_what_go_contrib_reports_plus_the_memory_in_bytes(tmp_path: Path) -> None:
    environ = load_env("azure/functions-gocontrib.env")
    attributes = dict(AzureFunctionsDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes == _expected("functions-gocontrib-expected.json")
    with_memory = environ | {"WEBSITE_MEMORY_LIMIT_MB": "1536", "FUNCTIONS_EXTENSION_VERSION": "~4"}
    attributes = dict(AzureFunctionsDetector(environ=with_memory, root=tmp_path).detect().attributes)
    assert attributes["faas.max_memory"] == 1536 * 1024 * 1024  # bytes, as the conventions define it


def test_functions_without_an_instance_id_take_the_pod(tmp_path: Path) -> None:
    environ = load_env("azure/functions-gocontrib-flex-pod.env")
    attributes = AzureFunctionsDetector(environ=environ, root=tmp_path).detect().attributes
    assert attributes["faas.instance"] == "pod-abc123"


def test_a_memory_limit_that_is_not_a_number_is_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    environ = load_env("azure/functions-gocontrib.env") | {"WEBSITE_MEMORY_LIMIT_MB": "lots-SECRET"}
    with caplog.at_level(logging.WARNING):
        attributes = AzureFunctionsDetector(environ=environ, root=tmp_path).detect().attributes
    assert "faas.max_memory" not in attributes
    assert attributes["service.name"] == "my-function-app"
    assert "WEBSITE_MEMORY_LIMIT_MB" in caplog.text
    assert "SECRET" not in caplog.text


# -- Container Apps


@pytest.mark.parametrize(
    ("fixture", "name", "version", "replica"),
    [
        ("container-apps-gocontrib.env", "my-app", None, "my-app--abc123-0"),
        ("container-apps-jscontrib.env", "test-container-app", "test-revision", "test-replica-name"),
        ("container-apps-doc-example.env", "my-containerapp", "my-containerapp--20mh1s9", None),
    ],
)
def test_container_apps(fixture: str, name: str, version: str | None, replica: str | None, tmp_path: Path) -> None:
    resource = AzureContainerAppsDetector(environ=load_env(f"azure/{fixture}"), root=tmp_path).detect()
    attributes = dict(resource.attributes)
    assert attributes["cloud.provider"] == "azure"
    assert attributes["cloud.platform"] == "azure.container_apps"
    assert attributes["service.name"] == name
    assert attributes.get("service.version") == version
    assert attributes.get("azure.container_app.instance.id") == replica
    assert "host.name" not in attributes  # CONTAINER_APP_HOSTNAME is the revision's, shared by every replica
    assert "service.instance.id" not in attributes
    if replica:
        assert "azure.container_app.instance" in {entity.type for entity in entities_of(resource)}


def test_a_container_apps_job_execution(tmp_path: Path) -> None:
    environ = {"CONTAINER_APP_JOB_NAME": "nightly", "CONTAINER_APP_JOB_EXECUTION_NAME": "nightly-x7k2p"}
    attributes = AzureContainerAppsDetector(environ=environ, root=tmp_path).detect().attributes
    assert attributes["service.name"] == "nightly"
    assert attributes["azure.container_app.instance.id"] == "nightly-x7k2p"


# -- AKS


def test_aks_from_the_mounted_cluster_metadata_merges_into_the_pod(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        {
            "/etc/kubernetes/aks-cluster-metadata": AZURE / "aks-cluster-metadata-pycontrib.txt",
            f"{SA}/namespace": "shop",
        },
    )
    aks = dict(AzureAksDetector(environ={}, root=root).detect().attributes)
    assert aks == {
        "cloud.provider": "azure",
        "cloud.platform": "azure.aks",
        "cloud.resource_id": fixture_text("azure/aks-cluster-metadata-pycontrib.txt").strip(),
        "cloud.account.id": "test-sub",
        "k8s.cluster.name": "test-aks-cluster",  # as the JS detector; the Python peer reports none
    }
    environ = {"KUBERNETES_SERVICE_HOST": "10.0.0.1", "K8S_POD_NAME": "web-0", "K8S_CONTAINER_NAME": "web"}
    pod = PlatformDetector(environ=environ, root=root, detectors=["azure_aks", "k8s"], cache=False).detect()
    assert pod.attributes["k8s.cluster.name"] == "test-aks-cluster"
    assert pod.attributes["cloud.platform"] == "azure.aks"
    assert pod.attributes["k8s.pod.name"] == "web-0"


def test_aks_cluster_name_from_the_node_resource_group_as_the_collector(tmp_path: Path) -> None:
    root = make_root(_azure_dmi_root(tmp_path / "pod"), {f"{SA}/namespace": "shop"})
    vm_root = _azure_dmi_root(tmp_path / "vm")
    with serve({AZURE_PATH: Reply(_expected("imds-compute-aks-node.json"))}) as server:
        environ = {"RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": server.base, "KUBERNETES_SERVICE_HOST": "10.0.0.1"}
        in_pod = AzureVmDetector(environ=environ, root=root, timeout=2).detect().attributes
        environ.pop("KUBERNETES_SERVICE_HOST")
        on_vm = AzureVmDetector(environ=environ, root=vm_root, timeout=2).detect().attributes
    assert in_pod["k8s.cluster.name"] == "my-cluster"
    assert "k8s.cluster.name" not in on_vm


@pytest.mark.parametrize(
    "resource_id",
    ["/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c", "\x00\xff binary garbage"],
    ids=["no subscription segment", "binary"],
)
def test_a_bad_cluster_resource_id_is_one_warning(
    resource_id: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root(tmp_path, {"/etc/kubernetes/aks-cluster-metadata": resource_id})
    with caplog.at_level(logging.WARNING):
        assert AzureAksDetector(environ={}, root=root).detect().attributes == {}
    [warning] = [r.getMessage() for r in caplog.records]
    assert "aks-cluster-metadata" in warning
    assert "garbage" not in warning


# -- the VM's metadata service is never asked inside a managed platform


@pytest.mark.parametrize(
    "fixture", ["app-service-gocontrib.env", "functions-gocontrib.env", "container-apps-gocontrib.env"]
)
def test_inside_a_managed_platform_imds_is_never_asked(fixture: str, tmp_path: Path) -> None:
    root = _azure_dmi_root(tmp_path)
    with serve({AZURE_PATH: Reply(json.loads(fixture_text("cloud/azure-imds-compute.json")))}) as server:
        environ = load_env(f"azure/{fixture}") | {"RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": server.base}
        resource = PlatformDetector(environ=environ, root=root, cache=False, timeout=1).detect()
        assert server.requests == []
    assert str(resource.attributes["cloud.platform"]).startswith("azure.")
    assert resource.attributes["cloud.platform"] != "azure.vm"


# -- one resource per instance, never one per app (Dash0's rules)


def _process(fixture: str, detector: Any, instance: str, pid: int, tmp_path: Path) -> dict[str, Any]:
    environ = load_env(f"azure/{fixture}")
    for key in ("WEBSITE_INSTANCE_ID", "CONTAINER_APP_REPLICA_NAME"):
        if key in environ:
            environ[key] = instance
    attributes = dict(detector(environ=environ, root=tmp_path).detect().attributes)
    # The SDK (1.43 and newer) gives each process its own service.instance.id.
    return attributes | {"service.instance.id": f"00000000-0000-4000-8000-{pid:012d}"}


@pytest.mark.parametrize(
    ("fixture", "detector"),
    [
        ("app-service-gocontrib.env", AzureAppServiceDetector),
        ("functions-gocontrib.env", AzureFunctionsDetector),
        ("container-apps-gocontrib.env", AzureContainerAppsDetector),
    ],
    ids=["app service", "functions", "container apps"],
)
def test_each_instance_and_each_process_is_its_own_resource(fixture: str, detector: Any, tmp_path: Path) -> None:
    one = _process(fixture, detector, "instance-a", 1, tmp_path)
    same_instance_other_worker = _process(fixture, detector, "instance-a", 2, tmp_path)
    other_instance = _process(fixture, detector, "instance-b", 3, tmp_path)
    identities = [predict(attributes) for attributes in (one, same_instance_other_worker, other_instance)]
    assert len({identity.id for identity in identities}) == 3
    for identity in identities:
        assert identity.rule == "service"  # no Azure rule in Dash0's table: the service rule decides
        assert identity.type == "service"
        assert identity.name == one["service.name"]
    # Without the SDK's per-process id (SDK 1.42), the instance attribute still tells them apart.
    without = [{k: v for k, v in a.items() if k != "service.instance.id"} for a in (one, other_instance)]
    assert predict(without[0]).id != predict(without[1]).id


# -- otel-resource detect shows the platform


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("fixture", "row"),
    [
        ("app-service-gocontrib.env", "azure_app_service"),
        ("functions-gocontrib.env", "azure_functions"),
        ("container-apps-jscontrib.env", "azure_container_apps"),
    ],
)
def test_detect_shows_the_platform(fixture: str, row: str) -> None:
    env = clean_environment(**load_env(f"azure/{fixture}"))
    done = run_cli("detect", env=env)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.strip().startswith(row))
    assert "attribute" in line
