"""service.* on Kubernetes, computed as the Collector's k8sattributes processor and the Operator do.

Vectors: the OpenTelemetry Operator's ``internal/instrumentation/sdk_test.go`` (TestSDKInjection,
TestChooseServiceName, the registry-port cases), the Collector's ``internal/common/docker``
image tests, and one coherent pod served by a TLS API on 127.0.0.1 and as a downward-API volume.
Sources in tests/fixtures/README.md.
"""

from __future__ import annotations

import json
import logging
import os
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from otel_resource_identity import KubernetesDetector, PlatformDetector, entities_of
from otel_resource_identity.detectors.azure.aks import aks_cluster
from otel_resource_identity.detectors.kubernetes.service import (
    Pod,
    go_unquote,
    owners_known_from_labels,
    parse_image,
    parse_podinfo,
    repo_digest,
    service_attributes,
    workloads_from_labels,
)

from conftest import clean_environment, run_cli
from platforms import FIXTURES, SECRET, Reply, fixture_text, make_root, serve

SA = "/var/run/secrets/kubernetes.io/serviceaccount"
AKS_ID = "/subscriptions/s-1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod-aks"
POD_NAME = "checkout-api-7d9c5b8f6d-x2k4p"
POD_UID = "f57400dc-94ce-4806-a52e-d2726f448f15"
DIGEST = "sha256:232a180dbcbcfa7250917507f3827d88a9ae89bb1cdd8fe3ac4db7b764ebb25a"


def _json(relative: str) -> Any:
    return json.loads(fixture_text(f"kubernetes/{relative}"))


# -- image references (distribution/reference), the Collector's and the Operator's vectors


@pytest.mark.parametrize(
    ("image", "name", "tags", "version"),
    [
        # The Collector's internal/common/docker TestDockerImageToElements.
        ("alpine", "alpine", ["latest"], None),
        ("alpine:v1.0.0", "alpine", ["v1.0.0"], "v1.0.0"),
        ("alpine/alpine", "alpine/alpine", ["latest"], None),
        ("alpine/alpine:2.0.0", "alpine/alpine", ["2.0.0"], "2.0.0"),
        ("example.com/alpine/alpine", "example.com/alpine/alpine", ["latest"], None),
        ("example.com/alpine/alpine:1", "example.com/alpine/alpine", ["1"], "1"),
        ("example.com:3000/alpine/alpine", "example.com:3000/alpine/alpine", ["latest"], None),
        ("example.com:3000/alpine/alpine:test", "example.com:3000/alpine/alpine", ["test"], "test"),
        # The Operator's TestSDKInjection and its registry-port cases.
        (f"app:v1@{DIGEST}", "app", ["v1"], f"v1@{DIGEST}"),
        ("app:latest", "app", ["latest"], "latest"),
        ("fictional.registry.example:10443/imagename", "fictional.registry.example:10443/imagename", ["latest"], None),
        (
            "fictional.registry.example:10443/imagename:latest",
            "fictional.registry.example:10443/imagename",
            ["latest"],
            "latest",
        ),
        # A digest alone is the version.
        (f"ghcr.io/org/app@{DIGEST}", "ghcr.io/org/app", ["latest"], DIGEST),
    ],
)
def test_image_references_parse_as_distribution_reference_does(
    image: str, name: str, tags: list[str], version: str | None
) -> None:
    parsed = parse_image(image)
    assert parsed is not None
    assert (parsed.name, parsed.tags, parsed.version) == (name, tags, version)


@pytest.mark.parametrize(
    "image",
    ["", "aaa:", "Upper/Case:1", "app:v1@sha256:abc", f"app@{DIGEST.upper()}", "app@md5:" + "0" * 32, "a" * 300],
)
def test_what_is_not_a_reference_is_refused(image: str) -> None:
    assert parse_image(image) is None


def test_hostile_references_are_refused_fast() -> None:
    started = time.perf_counter()
    for hostile in ("a" + "-" * 5000 + "!", ("a." * 2000) + ":", "a" * 100_000, ("a-" * 400) + "/"):
        assert parse_image(hostile) is None
    assert time.perf_counter() - started < 1.0


# -- the convention: the Operator's TestChooseServiceName table


@pytest.mark.parametrize(
    ("workloads", "pod_name", "labels", "annotation", "use_labels", "expected"),
    [
        ({}, None, {}, None, False, "1st"),
        ({}, "my-pod", {}, None, False, "my-pod"),
        ({}, "my-pod", {"app.kubernetes.io/name": "annotation"}, None, False, "my-pod"),
        ({}, "my-pod", {"app.kubernetes.io/name": "label"}, None, True, "label"),
        (
            {},
            "my-pod",
            {"app.kubernetes.io/instance": "label", "app.kubernetes.io/name": "secondary-label"},
            None,
            True,
            "label",
        ),
        ({}, "my-pod", {"app.kubernetes.io/name": "label"}, "annotation", False, "annotation"),
        ({}, "my-pod", {"app.kubernetes.io/name": "label"}, "annotation", True, "annotation"),
        ({"k8s.replicaset.name": "my-rs"}, "my-rs-pod", {}, None, False, "my-rs"),
        (
            {"k8s.deployment.name": "my-deploy", "k8s.replicaset.name": "my-deploy-rs"},
            "my-deploy-rs-pod",
            {},
            None,
            False,
            "my-deploy",
        ),
        ({"k8s.cronjob.name": "my-cronjob", "k8s.job.name": "my-cronjob-job"}, "p", {}, None, False, "my-cronjob"),
        ({"k8s.job.name": "my-job"}, "my-job-pod", {}, None, False, "my-job"),
        ({"k8s.statefulset.name": "my-statefulset"}, "my-statefulset-pod", {}, None, False, "my-statefulset"),
        ({"k8s.daemonset.name": "my-daemonset"}, "my-daemonset-pod", {}, None, False, "my-daemonset"),
    ],
)
def test_service_name_follows_the_operators_vectors(  # noqa: PLR0917 - one parameter per column of the table
    workloads: dict[str, str],
    pod_name: str | None,
    labels: dict[str, str],
    annotation: str | None,
    use_labels: bool,
    expected: str,
) -> None:
    annotations = {"resource.opentelemetry.io/service.name": annotation} if annotation else {}
    pod = Pod(
        name=pod_name,
        container="1st",
        workloads=workloads,
        labels=labels,
        annotations=annotations,
        owners_known=True,
    )
    assert service_attributes(pod, use_labels=use_labels)["service.name"][0] == expected


def test_without_known_owners_the_pod_name_is_not_the_service() -> None:
    """A pod whose owners nothing told us may have a Deployment the Collector sees: say nothing."""
    computed = service_attributes(Pod(namespace="ns", name="web-7d9c5b8f6d-x2k4p", container="app"), use_labels=False)
    assert "service.name" not in computed
    assert computed["service.instance.id"][0] == "ns.web-7d9c5b8f6d-x2k4p.app"
    assert computed["service.namespace"][0] == "ns"


# -- the downward API volume format


def test_go_quoted_values_are_decoded_as_the_kubelet_wrote_them() -> None:
    assert go_unquote(r'"plain"') == "plain"
    assert go_unquote(r'"a\"b\\c\n\t"') == 'a"b\\c\n\t'
    assert go_unquote(r'"caf\u00e9 \U0001F600 \xc3\xa9 \101"') == "café 😀 é A"
    for bad in ('"unterminated', "no quotes", r'"bad \q escape"', r'"\x4"', r'"\ud800"', '"a"b"'):
        assert go_unquote(bad) is None


def test_podinfo_files_parse_and_count_bad_lines() -> None:
    labels, malformed = parse_podinfo(fixture_text("kubernetes/podinfo/labels"))
    assert malformed == 0
    assert labels["pod-template-hash"] == "7d9c5b8f6d"
    found, malformed = parse_podinfo('good="1"\nno-equals\nkey=unquoted\nx y="2"\n\n')
    assert found == {"good": "1"}
    assert malformed == 3


# -- the TLS API on loopback, the Operator's pod


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls(certificate_authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


def _api_root(base: Path, ca: trustme.CA, namespace: str, extra: dict[str, str | Path] | None = None) -> Path:
    ca_path = base / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    return make_root(
        base / "root",
        {f"{SA}/ca.crt": ca_path, f"{SA}/token": "token-" + SECRET, f"{SA}/namespace": namespace, **(extra or {})},
    )


def _api_environ(port: int, **variables: str) -> dict[str, str]:
    return {
        "KUBERNETES_SERVICE_HOST": "127.0.0.1",
        "KUBERNETES_SERVICE_PORT": str(port),
        "RESOURCE_IDENTITY_K8S_API": "true",
        **variables,
    }


def _operator_expected() -> dict[str, str]:
    """The Operator's injected OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, the pod name filled in."""
    injected = _json("operator/sdk-injection-expected-env.json")
    pairs = injected["OTEL_RESOURCE_ATTRIBUTES"].replace("$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)", "app").split(",")
    expected = dict(pair.split("=", 1) for pair in pairs)
    expected["service.name"] = injected["OTEL_SERVICE_NAME"]
    return expected


def test_the_operators_pod_gives_the_operators_service_attributes(
    tmp_path: Path, certificate_authority: trustme.CA, tls: ssl.SSLContext
) -> None:
    routes = {
        "/api/v1/namespaces/project1/pods/app": Reply(_json("operator/sdk-injection-pod.json")),
        "/apis/apps/v1/namespaces/project1/replicasets/my-replicaset": Reply(
            _json("operator/sdk-injection-replicaset.json")
        ),
    }
    with serve(routes, tls=tls) as server:
        root = _api_root(tmp_path, certificate_authority, "project1")
        detector = KubernetesDetector(environ=_api_environ(server.port, K8S_POD_NAME="app"), root=root, timeout=2)
        attributes = dict(detector.detect().attributes)
    expected = _operator_expected()
    for key in ("service.name", "service.namespace", "service.version", "service.instance.id", "foo"):
        assert attributes[key] == expected[key], key
    for key in ("k8s.container.name", "k8s.deployment.name", "k8s.replicaset.name"):
        assert attributes[key] == expected[key], key
    # The Operator's test uids ("pod-uid", "rsuid", "depuid") are placeholders, not the UUIDs
    # Kubernetes assigns: as values that cannot be true they are left out.
    for key in ("k8s.pod.uid", "k8s.replicaset.uid", "k8s.deployment.uid"):
        assert key not in attributes
    assert attributes["container.image.name"] == "app"
    assert attributes["container.image.tags"] == ("v1",)
    assert detector.sources["service.name"] == "workload k8s.deployment.name"
    assert detector.sources["service.version"] == "image tag and digest"
    assert detector.sources["foo"] == "annotation resource.opentelemetry.io/foo"
    # The labels were not opted in: app.kubernetes.io/name does not name the service.
    assert attributes["service.name"] != "app-name"


API_ROUTES = {
    f"/api/v1/namespaces/shop/pods/{POD_NAME}": "api-pod-deployment-owned.json",
    "/apis/apps/v1/namespaces/shop/replicasets/checkout-api-7d9c5b8f6d": "api-replicaset.json",
}
SERVICE_KEYS = ("service.name", "service.namespace", "service.version", "service.instance.id")


@pytest.fixture
def api_server(tls: ssl.SSLContext) -> Iterator[Any]:
    with serve({path: Reply(_json(name)) for path, name in API_ROUTES.items()}, tls=tls) as server:
        yield server


def _podinfo_root(tmp_path: Path) -> Path:
    return make_root(
        tmp_path / "podinfo-root",
        {
            "/etc/podinfo/labels": FIXTURES / "kubernetes/podinfo/labels",
            "/etc/podinfo/annotations": FIXTURES / "kubernetes/podinfo/annotations",
            f"{SA}/namespace": "shop",
        },
    )


def test_the_api_and_the_downward_api_volume_agree(
    tmp_path: Path, certificate_authority: trustme.CA, api_server: Any
) -> None:
    api_root = _api_root(tmp_path, certificate_authority, "shop")
    from_api = dict(
        KubernetesDetector(
            environ=_api_environ(api_server.port, K8S_POD_NAME=POD_NAME, RESOURCE_IDENTITY_K8S_LABELS="true"),
            root=api_root,
            timeout=2,
        )
        .detect()
        .attributes
    )
    from_volume = dict(
        KubernetesDetector(
            environ={
                "KUBERNETES_SERVICE_HOST": "10.0.0.1",
                "K8S_POD_NAME": POD_NAME,
                "K8S_CONTAINER_NAME": "api",
                "RESOURCE_IDENTITY_K8S_LABELS": "true",
            },
            root=_podinfo_root(tmp_path),
        )
        .detect()
        .attributes
    )
    assert from_api["service.name"] == from_volume["service.name"] == "checkout"  # the annotation
    assert from_api["service.namespace"] == from_volume["service.namespace"] == "shop"
    assert from_api["service.version"] == from_volume["service.version"] == "1.42.0"  # image tag; the label
    assert from_api["service.instance.id"] == from_volume["service.instance.id"] == f"shop.{POD_NAME}.api"
    # pod-template-hash makes the owners certain without the API.
    assert from_volume["k8s.deployment.name"] == from_api["k8s.deployment.name"] == "checkout-api"
    assert from_volume["k8s.replicaset.name"] == from_api["k8s.replicaset.name"]
    assert from_api["container.image.name"] == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/checkout-api"
    assert from_api["container.image.repo_digests"] == (
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/checkout-api@sha256:"
        "4c8f0b6a2e1d3f5a7c9e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a",
    )


def test_without_the_label_opt_in_the_volume_names_the_workload(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        {"/etc/podinfo/labels": FIXTURES / "kubernetes/podinfo/labels", f"{SA}/namespace": "shop"},
    )
    detector = KubernetesDetector(environ={"K8S_POD_NAME": POD_NAME, "K8S_CONTAINER_NAME": "api"}, root=root)
    resource = detector.detect()
    assert resource.attributes["service.name"] == "checkout-api"
    assert "service.version" not in resource.attributes  # no image without the API, no label without opt-in
    assert detector.sources["service.name"] == "workload k8s.deployment.name"
    service = next(entity for entity in entities_of(resource) if entity.type == "service")
    assert service.id == {"service.name": "checkout-api"}
    assert next(e for e in entities_of(resource) if e.type == "service.instance").id == {
        "service.instance.id": f"shop.{POD_NAME}.api"
    }


def test_the_users_settings_always_win(tmp_path: Path) -> None:
    environ = {
        "K8S_POD_NAME": POD_NAME,
        "K8S_CONTAINER_NAME": "api",
        "OTEL_SERVICE_NAME": "from-user",
        "OTEL_RESOURCE_ATTRIBUTES": "service.instance.id=mine,service.version=9",
    }
    detector = KubernetesDetector(environ=environ, root=_podinfo_root(tmp_path))
    attributes = detector.detect().attributes
    assert (attributes["service.name"], attributes["service.instance.id"]) == ("from-user", "mine")
    assert attributes["service.namespace"] == "shop"
    assert detector.sources["service.name"] == "user setting OTEL_SERVICE_NAME"
    # The SDK's placeholder is no name: the convention's value stands.
    unknown = KubernetesDetector(
        environ={**environ, "OTEL_SERVICE_NAME": "unknown_service:python3"}, root=_podinfo_root(tmp_path)
    )
    assert unknown.detect().attributes["service.name"] == "checkout"


def test_hostile_labels_and_annotations_are_skipped_with_one_warning_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    annotations = "\n".join(
        [
            'resource.opentelemetry.io/k8s.pod.uid="forged"',
            'resource.opentelemetry.io/deployment.environment.name="prod\\u001b[31m"',
            'resource.opentelemetry.io/team="' + "x" * 5000 + '"',
            "resource.opentelemetry.io/service.name=checkout",
            'resource.opentelemetry.io/owner="payments"',
        ]
    )
    root = make_root(tmp_path, {"/etc/podinfo/annotations": annotations, f"{SA}/namespace": "shop"})
    (root / "etc" / "podinfo" / "labels").write_bytes(b"\x00\xff\xfe binary")
    environ = {"K8S_POD_NAME": POD_NAME, "K8S_POD_UID": POD_UID, "K8S_CONTAINER_NAME": "api"}
    with caplog.at_level(logging.WARNING):
        attributes = KubernetesDetector(environ=environ, root=root).detect().attributes
    assert attributes["k8s.pod.uid"] == POD_UID
    assert attributes["owner"] == "payments"
    for key in ("deployment.environment.name", "team"):
        assert key not in attributes
    messages = [record.getMessage() for record in caplog.records]
    assert any("k8s.pod.uid" in message and "ignored" in message for message in messages)
    assert any("deployment.environment.name" in message for message in messages)
    assert any("malformed" in message and "annotations" in message for message in messages)
    assert not any("forged" in message or "x" * 50 in message or "prod" in message for message in messages)


def test_a_fifo_for_the_podinfo_volume_never_blocks(tmp_path: Path) -> None:
    root = make_root(tmp_path, {f"{SA}/namespace": "shop"})
    (root / "etc" / "podinfo").mkdir(parents=True)
    os.mkfifo(root / "etc" / "podinfo" / "labels")
    started = time.perf_counter()
    attributes = KubernetesDetector(environ={"K8S_POD_NAME": POD_NAME}, root=root).detect().attributes
    assert time.perf_counter() - started < 1.0
    assert attributes["k8s.pod.name"] == POD_NAME


def test_an_image_that_is_not_a_reference_leaves_out_the_version(
    tmp_path: Path, certificate_authority: trustme.CA, tls: ssl.SSLContext, caplog: pytest.LogCaptureFixture
) -> None:
    pod = _json("api-pod-deployment-owned.json")
    pod["spec"]["containers"][0]["image"] = "Not A Reference:::"
    routes = {f"/api/v1/namespaces/shop/pods/{POD_NAME}": Reply(pod)}
    with serve(routes, tls=tls) as server, caplog.at_level(logging.WARNING):
        root = _api_root(tmp_path, certificate_authority, "shop")
        attributes = (
            KubernetesDetector(environ=_api_environ(server.port, K8S_POD_NAME=POD_NAME), root=root, timeout=2)
            .detect()
            .attributes
        )
    assert "service.version" not in attributes
    assert "container.image.name" not in attributes
    assert attributes["service.name"] == "checkout"
    assert "not an image reference" in caplog.text
    assert "Not A Reference" not in caplog.text


# -- the cluster name without RBAC


@pytest.mark.parametrize(
    ("files", "environ"),
    [
        ({}, {"CLUSTER_RESOURCE_ID": AKS_ID}),
        ({"/etc/kubernetes/aks-cluster-metadata": f"clusterResourceId={AKS_ID}\n"}, {}),
        ({"/etc/kubernetes/aks-cluster-metadata/clusterResourceId": f"{AKS_ID}\n"}, {}),
    ],
    ids=["variable", "file", "configmap folder"],
)
def test_aks_names_the_cluster(tmp_path: Path, files: dict[str, str | Path], environ: dict[str, str]) -> None:
    root = make_root(tmp_path, {f"{SA}/namespace": "shop", **files})
    attributes = KubernetesDetector(environ={"K8S_POD_NAME": POD_NAME, **environ}, root=root).detect().attributes
    assert attributes["k8s.cluster.name"] == "prod-aks"


def test_a_malformed_aks_resource_id_is_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_root(tmp_path, {f"{SA}/namespace": "shop"})
    with caplog.at_level(logging.WARNING):
        attributes = (
            KubernetesDetector(
                environ={"K8S_POD_NAME": POD_NAME, "CLUSTER_RESOURCE_ID": "not-a-resource-id-" + SECRET}, root=root
            )
            .detect()
            .attributes
        )
    assert "k8s.cluster.name" not in attributes
    assert "CLUSTER_RESOURCE_ID" in caplog.text
    assert SECRET not in caplog.text


def test_eksctl_node_label_names_the_cluster(
    tmp_path: Path, certificate_authority: trustme.CA, tls: ssl.SSLContext
) -> None:
    node = _json("api-node.json")
    node["metadata"]["labels"]["alpha.eksctl.io/cluster-name"] = "shop-eks"
    routes = {
        f"/api/v1/namespaces/shop/pods/{POD_NAME}": Reply(_json("api-pod-deployment-owned.json")),
        "/api/v1/nodes/ip-10-0-12-34.eu-west-1.compute.internal": Reply(node),
    }
    with serve(routes, tls=tls) as server:
        root = _api_root(tmp_path, certificate_authority, "shop")
        attributes = (
            KubernetesDetector(environ=_api_environ(server.port, K8S_POD_NAME=POD_NAME), root=root, timeout=2)
            .detect()
            .attributes
        )
    assert attributes["k8s.cluster.name"] == "shop-eks"
    assert (attributes["cloud.provider"], attributes["cloud.platform"]) == ("aws", "aws_eks")


# -- pre-fork servers: one service.instance.id per container, process.pid per worker


def test_every_process_reports_its_pid_with_the_shared_instance_id(tmp_path: Path) -> None:
    environ = {"K8S_POD_NAME": POD_NAME, "K8S_CONTAINER_NAME": "api"}
    detector = PlatformDetector(environ=environ, root=_podinfo_root(tmp_path), detectors=["k8s"])
    assert detector.is_process_dependent()
    parent = detector.detect().attributes
    assert parent["process.pid"] == os.getpid()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        attributes = PlatformDetector(environ=environ, root=_podinfo_root(tmp_path), detectors=["k8s"]).detect()
        os.write(write, json.dumps(dict(attributes.attributes)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        in_child = json.loads(pipe.read())
    assert in_child["process.pid"] == child
    assert in_child["service.instance.id"] == parent["service.instance.id"] == f"shop.{POD_NAME}.api"


# -- what the CLI says about it


@pytest.mark.subprocess
def test_detect_says_where_each_service_value_came_from(tmp_path: Path) -> None:
    podinfo = tmp_path / "podinfo"
    podinfo.mkdir()
    for name in ("labels", "annotations"):
        (podinfo / name).write_text(fixture_text(f"kubernetes/podinfo/{name}"), encoding="utf-8")
    env = clean_environment(
        KUBERNETES_SERVICE_HOST="10.96.0.1",
        K8S_POD_NAME=POD_NAME,
        K8S_NAMESPACE_NAME="shop",
        K8S_CONTAINER_NAME="api",
        RESOURCE_IDENTITY_K8S_PODINFO=str(podinfo),
        RESOURCE_IDENTITY_DETECTORS="k8s",
        OTEL_RESOURCE_ATTRIBUTES="service.version=7",
    )
    done = run_cli("detect", env=env)
    assert done.returncode == 0, done.stderr
    sources = done.stdout.split("Where they came from\n", 1)[1].split("\n\n", 1)[0]
    lines = {line.split()[0]: line.split(None, 1)[1] for line in sources.splitlines()}
    assert lines["service.name"] == "k8s: annotation resource.opentelemetry.io/service.name"
    assert lines["service.instance.id"] == "k8s: <k8s.namespace.name>.<k8s.pod.name>.<k8s.container.name>"
    assert lines["service.version"] == "user setting OTEL_RESOURCE_ATTRIBUTES"
    document = run_cli("detect", "--json", env=env)
    assert document.returncode == 0, document.stderr
    assert json.loads(document.stdout)["sources"]["service.namespace"] == (
        "k8s: annotation resource.opentelemetry.io/service.namespace"
    )


def test_a_huge_podinfo_file_is_refused_and_a_label_is_no_free_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root(
        tmp_path,
        {
            "/etc/podinfo/annotations": 'a="' + "x" * 300_000 + '"',
            "/etc/podinfo/labels": 'batch.kubernetes.io/job-name="Not A Name\\u202e"',
            f"{SA}/namespace": "shop",
        },
    )
    with caplog.at_level(logging.WARNING):
        attributes = KubernetesDetector(environ={"K8S_POD_NAME": POD_NAME}, root=root).detect().attributes
    assert "k8s.job.name" not in attributes
    assert "annotations" in caplog.text
    assert "x" * 50 not in caplog.text


def test_more_escapes_and_canonical_names() -> None:
    assert go_unquote('"ends with \\"') is None
    assert go_unquote('"\\777"') is None
    assert go_unquote('"\\08x"') is None
    hexes = DIGEST.split(":")[1]
    for image, canonical in [
        (f"nginx@{DIGEST}", f"docker.io/library/nginx@{DIGEST}"),
        (f"org/app@{DIGEST}", f"docker.io/org/app@{DIGEST}"),
        (f"index.docker.io/org/app@{DIGEST}", f"docker.io/org/app@{DIGEST}"),
        (f"localhost/app@{DIGEST}", f"localhost/app@{DIGEST}"),
        (f"registry.example:5000/app@{DIGEST}", f"registry.example:5000/app@{DIGEST}"),
    ]:
        assert repo_digest(image) == canonical
    assert repo_digest(f"sha256:{hexes}") is None  # a bare image id names no repository
    # Docker-based nodes (cri-dockerd) write the digest behind a scheme; the reference follows it.
    assert repo_digest(f"docker-pullable://nginx@{DIGEST}") == f"docker.io/library/nginx@{DIGEST}"
    assert repo_digest(f"ftp://nginx@{DIGEST}") is None
    assert repo_digest("nginx:1.27") is None


@pytest.mark.parametrize(
    ("pod_name", "labels", "workloads", "known"),
    [
        ("web-0", {"statefulset.kubernetes.io/pod-name": "web-0"}, {"k8s.statefulset.name": "web"}, True),
        ("pi-x7k2p", {"batch.kubernetes.io/job-name": "pi"}, {"k8s.job.name": "pi"}, True),
        ("pi-x7k2p", {"job-name": "pi"}, {"k8s.job.name": "pi"}, True),
        ("agent-x7k2p", {"controller-revision-hash": "6b7d9", "pod-template-generation": "1"}, {}, False),
        ("web-7d9c5b8f6d-x2k4p", {"pod-template-hash": "other"}, {}, True),
        ("lonely", {"team": "a"}, {}, True),
    ],
    ids=["statefulset", "job", "old job label", "daemonset: unknown", "hash of another", "bare pod"],
)
def test_owners_the_labels_make_certain(
    pod_name: str, labels: dict[str, str], workloads: dict[str, str], known: bool
) -> None:
    found = workloads_from_labels(pod_name, labels)
    assert found == workloads
    assert owners_known_from_labels(labels, found) is known


def test_aks_metadata_forms(tmp_path: Path) -> None:
    upper = AKS_ID.upper().replace("MANAGEDCLUSTERS/PROD-AKS", "managedClusters/prod-aks")
    cluster = aks_cluster({"CLUSTER_RESOURCE_ID": upper}, str(tmp_path))
    assert cluster is not None
    assert (cluster.name, cluster.subscription) == ("prod-aks", "S-1")
    assert aks_cluster({}, str(tmp_path)) is None
    for text in (f"{AKS_ID}\n", f"other=1\nclusterResourceId={AKS_ID}\n"):
        root = make_root(tmp_path / str(len(text)), {"/etc/kubernetes/aks-cluster-metadata": text})
        found = aks_cluster({}, str(root))
        assert found is not None
        assert found.resource_id == AKS_ID
    broken = aks_cluster({"CLUSTER_RESOURCE_ID": AKS_ID.rsplit("/", 1)[0] + "/"}, str(tmp_path))
    assert broken is not None
    assert broken.name is None


def test_the_report_names_user_settings_and_sdk_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from otel_resource_identity.detection import run_detection

    monkeypatch.setenv("OTEL_SERVICE_NAME", "from-user")
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "service.namespace=team-a")
    monkeypatch.setenv("RESOURCE_IDENTITY_DETECTORS", "host")
    sources = run_detection(root=tmp_path).sources()
    assert sources["service.name"] == "user setting OTEL_SERVICE_NAME"
    assert sources["service.namespace"] == "user setting OTEL_RESOURCE_ATTRIBUTES"
    monkeypatch.delenv("OTEL_SERVICE_NAME")
    assert run_detection(root=tmp_path).sources()["service.name"] == "SDK default"


# -- the Collector's k8sattributes TestExtractionRules (internal/kube/client_test.go): its pod and
#    ReplicaSet, served by the TLS API; the service cases with their extra labels and annotations


COLLECTOR_CASES = [
    (
        "service-attributes-label-values",
        {"app.kubernetes.io/name": "label-service", "app.kubernetes.io/version": "label-version"},
        {},
        {"service.name": "label-service", "service.version": "label-version", "service.namespace": "ns1"},
    ),
    (
        "service-attributes-label-values-instance",
        {
            "app.kubernetes.io/instance": "instance-service",
            "app.kubernetes.io/name": "label-service",
            "app.kubernetes.io/version": "label-version",
        },
        {},
        {"service.name": "instance-service", "service.version": "label-version", "service.namespace": "ns1"},
    ),
    (
        "service-attributes-annotation-override",
        {},
        {
            "resource.opentelemetry.io/service.instance.id": "annotation-id",
            "resource.opentelemetry.io/service.version": "annotation-version",
            "resource.opentelemetry.io/service.name": "annotation-service",
            "resource.opentelemetry.io/service.namespace": "annotation-namespace",
        },
        {
            "service.instance.id": "annotation-id",
            "service.name": "annotation-service",
            "service.version": "annotation-version",
            "service.namespace": "annotation-namespace",
        },
    ),
]


@pytest.mark.parametrize(
    ("labels", "annotations", "expected"),
    [case[1:] for case in COLLECTOR_CASES],
    ids=[case[0] for case in COLLECTOR_CASES],
)
def test_the_collectors_extraction_vectors(  # noqa: PLR0917 - fixtures and the table's columns
    tmp_path: Path,
    certificate_authority: trustme.CA,
    tls: ssl.SSLContext,
    labels: dict[str, str],
    annotations: dict[str, str],
    expected: dict[str, str],
) -> None:
    pod = json.loads(fixture_text("collector/k8sattributes-extraction-rules-pod.json"))
    pod["metadata"]["labels"].update(labels)
    pod["metadata"]["annotations"].update(annotations)
    routes = {
        "/api/v1/namespaces/ns1/pods/auth-service-abc12-xyz3": Reply(pod),
        "/apis/apps/v1/namespaces/ns1/replicasets/auth-service-66f5996c7c": Reply(
            json.loads(fixture_text("collector/k8sattributes-extraction-rules-replicaset.json"))
        ),
    }
    environ = {"K8S_POD_NAME": "auth-service-abc12-xyz3", "RESOURCE_IDENTITY_K8S_LABELS": "true"}
    with serve(routes, tls=tls) as server:
        root = _api_root(tmp_path, certificate_authority, "ns1")
        from_api = KubernetesDetector(environ=_api_environ(server.port, **environ), root=root, timeout=2).detect()
    # The same labels and annotations as a downward-API volume (the kubelet's format).
    podinfo = {
        f"/etc/podinfo/{name}": "\n".join(f"{key}={json.dumps(value)}" for key, value in sorted(values.items()))
        for name, values in (("labels", pod["metadata"]["labels"]), ("annotations", pod["metadata"]["annotations"]))
    }
    volume_root = make_root(tmp_path / "volume", {**podinfo, f"{SA}/namespace": "ns1"})
    from_volume = KubernetesDetector(environ=environ, root=volume_root).detect()
    for resource in (from_api, from_volume):
        assert {key: resource.attributes.get(key) for key in expected} == expected


def test_without_labels_the_collectors_pod_is_named_after_its_deployment(
    tmp_path: Path, certificate_authority: trustme.CA, tls: ssl.SSLContext
) -> None:
    routes = {
        "/api/v1/namespaces/ns1/pods/auth-service-abc12-xyz3": Reply(
            json.loads(fixture_text("collector/k8sattributes-extraction-rules-pod.json"))
        ),
        "/apis/apps/v1/namespaces/ns1/replicasets/auth-service-66f5996c7c": Reply(
            json.loads(fixture_text("collector/k8sattributes-extraction-rules-replicaset.json"))
        ),
    }
    with serve(routes, tls=tls) as server:
        root = _api_root(tmp_path, certificate_authority, "ns1")
        attributes = (
            KubernetesDetector(
                environ=_api_environ(server.port, K8S_POD_NAME="auth-service-abc12-xyz3"), root=root, timeout=2
            )
            .detect()
            .attributes
        )
    # The Collector's own "service-name" case expects the StatefulSet only because that test enables
    # no Deployment-name extraction; with its default metadata the Deployment comes first, as here.
    assert attributes["k8s.deployment.name"] == "auth-service"
    assert attributes["k8s.replicaset.name"] == "auth-service-66f5996c7c"
    assert attributes["service.name"] == "auth-service"
    assert attributes["service.namespace"] == "ns1"
