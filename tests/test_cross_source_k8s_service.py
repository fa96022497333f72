"""One pod, four sources, one service: no "value1 OR value2" on what a person reads.

The pod is ``kubernetes/api-pod-deployment-owned.json`` (annotated
``resource.opentelemetry.io/service.name: checkout``). Its sources:

1. this package in the pod, asking the API (served over TLS on 127.0.0.1);
2. a log agent: ``filelog`` + the Collector's ``k8sattributes`` with
   ``extract.otel_annotations: true`` (``collector/filelog-k8sattributes-pod-log-resource.json``);
3. an SDK the OpenTelemetry Operator injected (its ``OTEL_SERVICE_NAME`` and
   ``OTEL_RESOURCE_ATTRIBUTES`` for this pod) with this package's detectors;
4. this package in a pod the Dash0 operator instrumented (its ``OTEL_INJECTOR_*`` variables), no API.

Every pair must coalesce, and ``otel-resource compare`` must show no ``OR`` on ``service.*``,
``k8s.*``, ``container.*`` or ``cloud.*``.
"""

from __future__ import annotations

import itertools
import json
import re
import ssl
from pathlib import Path
from typing import Any

import pytest
import trustme
from opentelemetry.sdk.resources import OTELResourceDetector, get_aggregated_resources

from otel_resource_identity import PlatformDetector, predict

from conftest import clean_environment, run_cli
from platforms import FIXTURES, SECRET, Reply, fixture_text, load_env, make_root, serve

SA = "/var/run/secrets/kubernetes.io/serviceaccount"
POD_NAME = "checkout-api-7d9c5b8f6d-x2k4p"
SERVICE = {
    "service.name": "checkout",
    "service.namespace": "shop",
    "service.version": "1.42.0",
    "service.instance.id": f"shop.{POD_NAME}.api",
}
_PERSON_READS = re.compile(r"^\s+(service|k8s|container|cloud)\.\S+: .* OR ", re.MULTILINE)


def _json(relative: str) -> Any:
    return json.loads(fixture_text(relative))


def _pod_root(base: Path) -> Path:
    return make_root(
        base,
        {
            f"{SA}/namespace": "shop",
            "/proc/self/cgroup": FIXTURES / "kubernetes/dash0-proc-self-cgroup-k8s-containerd-systemd-v1.txt",
        },
    )


def _sdk(environ: dict[str, str], root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the SDK builds in that pod: this package's detectors, then the user's variables last."""
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    platform = PlatformDetector(environ=environ, root=root, detectors=["container", "k8s"], cache=False, timeout=2)
    resource = get_aggregated_resources([platform, OTELResourceDetector()])
    return {key: list(value) if isinstance(value, tuple) else value for key, value in resource.attributes.items()}


@pytest.fixture
def four_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    ca = trustme.CA()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(tls)
    routes = {
        f"/api/v1/namespaces/shop/pods/{POD_NAME}": Reply(_json("kubernetes/api-pod-deployment-owned.json")),
        "/apis/apps/v1/namespaces/shop/replicasets/checkout-api-7d9c5b8f6d": Reply(
            _json("kubernetes/api-replicaset.json")
        ),
    }
    with serve(routes, tls=tls) as server:
        ca_path = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_path))
        api_root = make_root(_pod_root(tmp_path / "api"), {f"{SA}/ca.crt": ca_path, f"{SA}/token": SECRET})
        with monkeypatch.context() as scoped:
            in_pod = _sdk(
                {
                    "KUBERNETES_SERVICE_HOST": "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT": str(server.port),
                    "RESOURCE_IDENTITY_K8S_API": "true",
                    "K8S_POD_NAME": POD_NAME,
                },
                api_root,
                scoped,
            )
    with monkeypatch.context() as scoped:
        operator = _sdk(
            load_env("kubernetes/env-otel-operator-injected-annotated.env"), _pod_root(tmp_path / "op"), scoped
        )
    with monkeypatch.context() as scoped:
        dash0 = _sdk(load_env("kubernetes/env-dash0-operator-injected.env"), _pod_root(tmp_path / "d0"), scoped)
    return {
        "this package (API)": in_pod,
        "filelog + k8sattributes": _json("collector/filelog-k8sattributes-pod-log-resource.json"),
        "OpenTelemetry Operator": operator,
        "Dash0 operator": dash0,
    }


def test_every_source_names_the_same_service(four_sources: dict[str, dict[str, Any]]) -> None:
    for name, attributes in four_sources.items():
        assert {key: attributes.get(key) for key in SERVICE} == SERVICE, name


def test_every_pair_coalesces_with_no_or_on_what_a_person_reads(
    four_sources: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    for (first, one), (second, other) in itertools.combinations(four_sources.items(), 2):
        assert predict(one).id == predict(other).id, (first, second)
        paths = []
        for index, attributes in enumerate((one, other)):
            path = tmp_path / f"{first}-{second}-{index}.json".replace(" ", "_")
            path.write_text(json.dumps(attributes), encoding="utf-8")
            paths.append(str(path))
        done = run_cli("compare", *paths, env=clean_environment())
        assert done.returncode == 0, (first, second, done.stdout)
        assert "coalesce" in done.stdout
        assert not _PERSON_READS.search(done.stdout), (first, second, done.stdout)


def test_without_the_convention_the_sdk_and_the_log_agent_disagree(
    four_sources: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    """The problem this solves: the SDK's defaults against the log agent's convention."""
    plain_sdk = {
        key: value for key, value in four_sources["this package (API)"].items() if not key.startswith("service.")
    } | {"service.name": "unknown_service:python3", "service.instance.id": "8d3c1f0e-random"}
    path_a, path_b = tmp_path / "a.json", tmp_path / "b.json"
    path_a.write_text(json.dumps(plain_sdk), encoding="utf-8")
    path_b.write_text(json.dumps(four_sources["filelog + k8sattributes"]), encoding="utf-8")
    done = run_cli("compare", str(path_a), str(path_b), env=clean_environment())
    assert done.returncode == 0  # one pod by k8s.pod.uid ...
    assert 'service.name: "unknown_service:python3" OR "checkout"' in done.stdout  # ... with two names
