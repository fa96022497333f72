"""KubernetesDetector: downward API, files under ``root``, and the API server over TLS on loopback."""

from __future__ import annotations

import json
import logging
import os
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from otel_resource_identity import AwsEc2Detector, KubernetesDetector, PlatformDetector, entities_of

from platforms import FIXTURES, SECRET, Reply, fixture_text, load_env, make_root, serve

POD_UID = "f57400dc-94ce-4806-a52e-d2726f448f15"
POD_NAME = "checkout-api-7d9c5b8f6d-x2k4p"
NODE = "ip-10-0-12-34.eu-west-1.compute.internal"
SA = "/var/run/secrets/kubernetes.io/serviceaccount"


def _detect(root: Path, environ: dict[str, str]) -> dict[str, object]:
    return dict(KubernetesDetector(environ=environ, root=root).detect().attributes)


def test_off_kubernetes_it_is_empty_and_silent(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_root(tmp_path, {"/etc/hosts": "127.0.0.1 localhost\n"})
    with caplog.at_level(logging.DEBUG):
        assert _detect(root, {"HOSTNAME": "laptop", "POD_NAME": "not-a-pod"}) == {}
    assert caplog.records == []


def test_downward_api_variables(tmp_path: Path) -> None:
    attributes = _detect(tmp_path, load_env("kubernetes/env-downward-api.env"))
    assert attributes["k8s.pod.name"] == POD_NAME
    assert attributes["k8s.pod.uid"] == POD_UID
    assert attributes["k8s.namespace.name"] == "shop"
    assert attributes["k8s.node.name"] == NODE
    assert attributes["k8s.container.name"] == "api"


def test_operator_injected_variables_win_over_hostname(tmp_path: Path) -> None:
    environ = load_env("kubernetes/env-otel-operator-injected.env") | {"HOSTNAME": "something-else"}
    root = make_root(tmp_path, {f"{SA}/namespace": FIXTURES / "kubernetes/serviceaccount-namespace.txt"})
    attributes = _detect(root, environ)
    assert attributes["k8s.pod.name"] == POD_NAME
    assert attributes["k8s.pod.uid"] == POD_UID
    assert attributes["k8s.node.name"] == NODE
    assert attributes["k8s.namespace.name"] == fixture_text("kubernetes/serviceaccount-namespace.txt").strip()


def test_files_alone_give_the_pod(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        {
            "/etc/hosts": FIXTURES / "kubernetes/etc-hosts-kubernetes-managed.txt",
            f"{SA}/namespace": FIXTURES / "kubernetes/serviceaccount-namespace.txt",
            "/proc/self/cgroup": FIXTURES / "kubernetes/dash0-proc-self-cgroup-k8s-containerd-systemd-v1.txt",
            "/proc/self/mountinfo": FIXTURES / "kubernetes/dash0-proc-self-mountinfo-k8s-containerd-cgroupv1.txt",
        },
    )
    resource = KubernetesDetector(environ={"HOSTNAME": POD_NAME}, root=root).detect()
    attributes = dict(resource.attributes)
    assert attributes["k8s.pod.uid"] == POD_UID
    assert attributes["k8s.pod.name"] == POD_NAME
    assert attributes["k8s.container.name"] == "api"
    types = {entity.type for entity in entities_of(resource)}
    assert {"k8s.pod", "k8s.namespace", "k8s.container"} <= types


@pytest.mark.parametrize(
    ("hosts", "hostname"),
    [
        ("# Kubernetes-managed hosts file (host network).\n", POD_NAME),
        ("127.0.0.1 localhost\n", POD_NAME),
        ("# Kubernetes-managed hosts file.\n", "x" * 63),
    ],
    ids=["host network", "unmanaged hosts", "truncated at 63"],
)
def test_hostname_is_not_trusted_as_the_pod_name(tmp_path: Path, hosts: str, hostname: str) -> None:
    root = make_root(tmp_path, {"/etc/hosts": hosts})
    attributes = _detect(root, {"KUBERNETES_SERVICE_HOST": "10.0.0.1", "HOSTNAME": hostname})
    assert "k8s.pod.name" not in attributes


# The API server, on loopback, with a test CA.


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


def _api_root(tmp_path: Path, ca: trustme.CA, token: str = "token-" + SECRET) -> Path:
    ca_path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    return make_root(
        tmp_path / "root",
        {
            f"{SA}/ca.crt": ca_path,
            f"{SA}/token": token,
            f"{SA}/namespace": "shop",
            "/proc/self/cgroup": FIXTURES / "kubernetes/dash0-proc-self-cgroup-k8s-containerd-systemd-v1.txt",
        },
    )


def _json(name: str) -> Any:
    return json.loads(fixture_text(f"kubernetes/{name}"))


API_ROUTES = {
    f"/api/v1/namespaces/shop/pods/{POD_NAME}": Reply(_json("api-pod-deployment-owned.json")),
    "/apis/apps/v1/namespaces/shop/replicasets/checkout-api-7d9c5b8f6d": Reply(_json("api-replicaset.json")),
    f"/api/v1/nodes/{NODE}": Reply(_json("api-node.json")),
    "/api/v1/namespaces/kube-system": Reply(_json("api-namespace-kube-system.json")),
}


@pytest.fixture
def api_server(certificate_authority: trustme.CA) -> Iterator[Any]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    with serve(dict(API_ROUTES), tls=context) as server:
        yield server


def _api_environ(server: Any) -> dict[str, str]:
    return {
        "KUBERNETES_SERVICE_HOST": "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": str(server.port),
        "K8S_POD_NAME": POD_NAME,
        "RESOURCE_IDENTITY_K8S_API": "true",
    }


def test_the_api_adds_owners_node_and_cluster(
    tmp_path: Path, certificate_authority: trustme.CA, api_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    root = _api_root(tmp_path, certificate_authority)
    with caplog.at_level(logging.DEBUG):
        attributes = _detect(root, _api_environ(api_server))
    assert attributes["k8s.pod.uid"] == POD_UID
    assert attributes["k8s.replicaset.name"] == "checkout-api-7d9c5b8f6d"
    assert attributes["k8s.replicaset.uid"] == "8c1d3e5f-7a9b-4c2d-8e0f-1a2b3c4d5e6f"
    assert attributes["k8s.deployment.name"] == "checkout-api"
    assert attributes["k8s.deployment.uid"] == "2f4e6a8c-0b1d-4e3f-9a5b-7c9d1e3f5a7b"
    assert attributes["k8s.node.uid"] == "517eb86e-b863-451b-bf70-86cb61439a3a"
    assert attributes["k8s.cluster.uid"] == "218fc5a9-a5f1-4b54-aa05-46717d0ab26d"
    assert attributes["host.id"] == "i-0a1b2c3d4e5f67890"
    # The token went to the server, and nowhere else.
    assert all(headers.get("Authorization") == f"Bearer token-{SECRET}" for _, headers in api_server.requests)
    assert SECRET not in json.dumps(attributes)
    assert SECRET not in caplog.text
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_pods_host_id_is_its_nodes_instance_on_ec2(
    tmp_path: Path, certificate_authority: trustme.CA, api_server: Any
) -> None:
    """On EKS the pod's node (the API's spec.providerID) and the EC2 DMI name the same instance."""
    root = _api_root(tmp_path, certificate_authority)
    # The EC2 Nitro firmware of that node: vendor and the instance id as board asset tag.
    make_root(
        root,
        {"/sys/class/dmi/id/sys_vendor": "Amazon EC2\n", "/sys/class/dmi/id/board_asset_tag": "i-0a1b2c3d4e5f67890\n"},
    )
    environ = _api_environ(api_server) | {"AWS_EC2_METADATA_DISABLED": "true"}
    from_api = KubernetesDetector(environ=environ, root=root, timeout=2).detect().attributes["host.id"]
    from_dmi = AwsEc2Detector(environ=environ, root=root).detect().attributes["host.id"]
    assert from_api == from_dmi == "i-0a1b2c3d4e5f67890"
    merged = PlatformDetector(environ=environ, root=root, timeout=2, cache=False).detect()
    assert merged.attributes["host.id"] == from_api
    assert merged.attributes["cloud.platform"] == "aws_ec2"


def test_the_token_is_read_again_for_every_request(
    tmp_path: Path, certificate_authority: trustme.CA, api_server: Any
) -> None:
    root = _api_root(tmp_path, certificate_authority, token="first")
    detector = KubernetesDetector(environ=_api_environ(api_server), root=root)
    detector.detect()
    (root / SA.lstrip("/") / "token").write_text("rotated")
    detector.detect()
    tokens = [headers["Authorization"] for _, headers in api_server.requests]
    assert tokens[0] == "Bearer first"
    assert tokens[-1] == "Bearer rotated"


def test_forbidden_is_one_warning_and_the_rest_is_kept(
    tmp_path: Path, certificate_authority: trustme.CA, api_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    forbidden = Reply(_json("api-status-403-forbidden.json"), status=403)
    api_server.routes[f"/api/v1/nodes/{NODE}"] = forbidden
    api_server.routes["/api/v1/namespaces/kube-system"] = forbidden
    root = _api_root(tmp_path, certificate_authority)
    with caplog.at_level(logging.WARNING):
        attributes = _detect(root, _api_environ(api_server))
    assert attributes["k8s.deployment.name"] == "checkout-api"
    assert "k8s.node.uid" not in attributes
    [warning] = [r.getMessage() for r in caplog.records]
    assert "nodes, namespaces" in warning
    assert "403" in warning


def test_unauthorized_stops_at_once(
    tmp_path: Path, certificate_authority: trustme.CA, api_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    for path in list(api_server.routes):
        api_server.routes[path] = Reply(_json("api-status-401-unauthorized.json"), status=401)
    root = _api_root(tmp_path, certificate_authority)
    with caplog.at_level(logging.WARNING):
        attributes = _detect(root, _api_environ(api_server))
    assert attributes["k8s.pod.name"] == POD_NAME
    assert len(api_server.requests) == 1
    [warning] = [r.getMessage() for r in caplog.records]
    assert "401" in warning


def test_a_server_with_another_ca_is_refused(tmp_path: Path, api_server: Any, caplog: pytest.LogCaptureFixture) -> None:
    root = _api_root(tmp_path, trustme.CA())
    with caplog.at_level(logging.WARNING):
        attributes = _detect(root, _api_environ(api_server))
    assert "k8s.deployment.name" not in attributes
    assert "TLS" in caplog.text
    assert api_server.requests == []


def test_without_the_flag_the_api_is_never_called(
    tmp_path: Path, certificate_authority: trustme.CA, api_server: Any
) -> None:
    root = _api_root(tmp_path, certificate_authority)
    environ = _api_environ(api_server) | {"RESOURCE_IDENTITY_K8S_API": "false"}
    attributes = _detect(root, environ)
    assert attributes["k8s.pod.uid"] == POD_UID
    assert api_server.requests == []


def test_api_enabled_without_a_service_account_says_what_to_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "RESOURCE_IDENTITY_K8S_API": "true", "K8S_POD_NAME": "p"}
    with caplog.at_level(logging.WARNING):
        attributes = _detect(tmp_path, environ)
    # Without the API or the downward-API labels the owners are unknown: no service.name from the pod.
    assert attributes.pop("process.creation.time")  # this process: see test_process_entity.py
    assert attributes == {"k8s.pod.name": "p", "process.pid": os.getpid()}
    assert "automountServiceAccountToken" in caplog.text
