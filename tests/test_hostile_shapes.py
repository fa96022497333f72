"""Hostile shapes: metadata replies and event files whose fields have any JSON type.

A field of the wrong type is skipped, the rest kept, one warning names the
field (never its value), and whatever comes out is something the OTLP
encoder accepts.
"""

from __future__ import annotations

import copy
import json
import logging
import ssl
from pathlib import Path
from typing import Any

import pytest
import trustme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanContext

from otel_resource_identity import AwsEcsDetector, CicdDetector, KubernetesDetector
from otel_resource_identity.detectors._emit import detected
from otel_resource_identity.detectors.aws.ecs import ecs_attributes
from otel_resource_identity.detectors.inputs.reply import Fields

from platforms import FIXTURES, SECRET, Reply, fixture_text, load_env, make_root, serve

pytestmark = pytest.mark.timeout(60)

CONTAINER: dict[str, Any] = json.loads(fixture_text("ecs/jscontrib-metadatav4-response-container-fargate.json"))
TASK: dict[str, Any] = json.loads(fixture_text("ecs/jscontrib-metadatav4-response-task-fargate.json"))
SA = "/var/run/secrets/kubernetes.io/serviceaccount"
POD_NAME = "checkout-api-7d9c5b8f6d-x2k4p"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


def encodes_cleanly(resource: Resource, caplog: pytest.LogCaptureFixture) -> bool:
    """Whether the OTLP encoder takes every attribute (it logs an error for each one it cannot)."""
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="opentelemetry"):
        encode_spans([ReadableSpan(name="n", context=SpanContext(1, 1, False), resource=resource)])
    return not [r for r in caplog.records if r.levelno >= logging.ERROR]


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# Fields the ECS detector reads, and the wrong shapes each is given.
ECS_CASES: list[tuple[str, str, object]] = [
    ("container", "Labels", None),
    ("container", "Labels", ["com.amazonaws.ecs.task-arn"]),
    ("container", "Labels", "task"),
    ("container", "Labels", 7),
    ("container", "LogOptions", ["awslogs-group"]),
    ("container", "LogOptions", None),
    ("container", "DockerId", {"id": "x"}),
    ("container", "Image", 12),
    ("task", "TaskARN", {"arn": "x"}),
    ("task", "Revision", 2**70),
    ("task", "Revision", [3]),
    ("task", "LaunchType", False),
    ("task", "Cluster", ["default"]),
]


@pytest.mark.parametrize(("document", "key", "value"), ECS_CASES)
def test_ecs_skips_a_wrong_field_and_keeps_the_rest(
    document: str, key: str, value: object, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    container, task = copy.deepcopy(CONTAINER), copy.deepcopy(TASK)
    (container if document == "container" else task)[key] = value
    if key == "Labels":
        del task["TaskARN"]  # the labels are read only when the task has no ARN
    routes = {"/v4/abc": Reply(container), "/v4/abc/task": Reply(task)}
    with serve(routes) as server, caplog.at_level(logging.WARNING):
        environ = {"ECS_CONTAINER_METADATA_URI_V4": f"{server.base}/v4/abc"}
        resource = AwsEcsDetector(environ=environ, root=tmp_path, timeout=2).detect()
    attributes = resource.attributes
    assert attributes["cloud.platform"] == "aws_ecs"
    assert attributes["aws.ecs.task.family"] == "curltest"  # the rest is kept
    warnings = _warnings(caplog)
    if value is not None:
        [warning] = warnings
        assert key in warning
        assert "unexpected type" in warning
    assert encodes_cleanly(resource, caplog)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    container_changes=st.dictionaries(st.sampled_from(sorted(CONTAINER)), json_values, max_size=4),
    task_changes=st.dictionaries(st.sampled_from(sorted(TASK)), json_values, max_size=4),
    label_changes=st.dictionaries(st.sampled_from(sorted(CONTAINER["Labels"])), json_values, max_size=2),
)
def test_ecs_attributes_take_any_shape(
    container_changes: dict[str, Any],
    task_changes: dict[str, Any],
    label_changes: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    container = copy.deepcopy(CONTAINER) | container_changes
    if isinstance(container.get("Labels"), dict):
        container["Labels"] = container["Labels"] | label_changes
    task = copy.deepcopy(TASK) | task_changes
    resource = detected(ecs_attributes(Fields(container, "container"), Fields(task, "task")))
    assert encodes_cleanly(resource, caplog)


@given(value=json_values)
def test_fields_never_raise_and_give_only_the_type_asked_for(value: object) -> None:
    fields = Fields({"k": value, "o": {"k": value}}, "test")
    assert fields.text("k") is None or isinstance(fields.text("k"), str)
    assert fields.label("k") is None or isinstance(fields.label("k"), str)
    assert fields.flag("k") in (None, True, False)
    assert isinstance(fields.object("k"), Fields)
    assert all(isinstance(item, Fields) for item in fields.objects("k"))
    assert fields.object("o").text("k") is None or isinstance(fields.object("o").text("k"), str)


def test_a_problem_names_the_field_and_its_type_never_the_value(caplog: pytest.LogCaptureFixture) -> None:
    fields = Fields({"metadata": {"uid": {"token": SECRET}}}, "Kubernetes API")
    assert fields.object("metadata").text("uid") is None
    with caplog.at_level(logging.WARNING):
        fields.report(logging.getLogger("test"))
    assert "metadata.uid is an object, not a string" in caplog.text
    assert SECRET not in caplog.text


# --- Kubernetes API replies of the wrong shape, over TLS on loopback -------------------------------


def _json(name: str) -> Any:
    return json.loads(fixture_text(f"kubernetes/{name}"))


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def api_root(tmp_path: Path, certificate_authority: trustme.CA) -> Path:
    ca_path = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(ca_path))
    return make_root(
        tmp_path / "root",
        {f"{SA}/ca.crt": ca_path, f"{SA}/token": "token", f"{SA}/namespace": "shop"},
    )


def _pod_with(path: tuple[str, ...], value: object) -> Any:
    pod = _json("api-pod-deployment-owned.json")
    target = pod
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return pod


KUBERNETES_CASES: list[tuple[str, object]] = [
    ("metadata", None),
    ("metadata", ["uid"]),
    ("spec", "node-1"),
    ("metadata.labels", ["a"]),
    ("metadata.ownerReferences", "ReplicaSet"),
    ("metadata.ownerReferences", [None, 3, "x"]),
    ("metadata.ownerReferences.0.kind", {"kind": "ReplicaSet"}),
    ("metadata.ownerReferences.0.controller", "yes"),
    ("metadata.uid", 2**70),
]


@pytest.fixture
def serve_api(certificate_authority: trustme.CA) -> Any:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)

    def start(pod: Any) -> Any:
        routes = {
            f"/api/v1/namespaces/shop/pods/{POD_NAME}": Reply(pod),
            "/apis/apps/v1/namespaces/shop/replicasets/checkout-api-7d9c5b8f6d": Reply(_json("api-replicaset.json")),
            "/api/v1/namespaces/kube-system": Reply({"metadata": 5}),
        }
        return serve(routes, tls=context)

    return start


@pytest.mark.parametrize(("where", "value"), KUBERNETES_CASES)
def test_kubernetes_skips_a_wrong_field_and_keeps_the_rest(
    where: str, value: object, api_root: Path, serve_api: Any, caplog: pytest.LogCaptureFixture
) -> None:
    path = tuple(int(part) if part.isdigit() else part for part in where.split("."))
    pod = _pod_with(path, value)  # type: ignore[arg-type]
    with serve_api(pod) as server, caplog.at_level(logging.WARNING):
        environ = {
            "KUBERNETES_SERVICE_HOST": "127.0.0.1",
            "KUBERNETES_SERVICE_PORT": str(server.port),
            "K8S_POD_NAME": POD_NAME,
            "RESOURCE_IDENTITY_K8S_API": "true",
        }
        resource = KubernetesDetector(environ=environ, root=api_root, timeout=2).detect()
    assert resource.attributes["k8s.pod.name"] == POD_NAME
    assert resource.attributes["k8s.namespace.name"] == "shop"
    warnings = _warnings(caplog)
    # One warning for the replies' shapes (the kube-system namespace's metadata is a number), nothing above it.
    [shapes] = [w for w in warnings if "unexpected type" in w]
    assert "metadata is a number" in shapes
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert encodes_cleanly(resource, caplog)


# --- The GitHub event file ----------------------------------------------------------------------------

GITHUB = load_env("cicd/github-actions-pull-request.env")
EVENT: dict[str, Any] = json.loads((FIXTURES / "cicd/github-actions-pull-request.event.json").read_text())


@pytest.mark.parametrize(
    "event",
    [
        EVENT | {"pull_request": None},
        EVENT | {"pull_request": ["head"]},
        EVENT | {"pull_request": EVENT["pull_request"] | {"head": "abc"}},
        EVENT | {"pull_request": EVENT["pull_request"] | {"head": [1]}},
        EVENT | {"pull_request": EVENT["pull_request"] | {"head": {"sha": {"x": 1}}}},
        EVENT | {"number": 2**70},
        EVENT | {"number": [1]},
        [EVENT],
        "event",
        None,
    ],
)
def test_a_github_event_of_any_shape_never_raises(
    event: object, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root(tmp_path, {GITHUB["GITHUB_EVENT_PATH"]: json.dumps(event)})
    with caplog.at_level(logging.WARNING):
        resource = CicdDetector(environ=GITHUB, root=root).detect()
    attributes = resource.attributes
    assert attributes["cicd.pipeline.name"] == GITHUB["GITHUB_WORKFLOW"]
    # Without a usable head commit, the merge commit is never reported in its place.
    assert attributes.get("vcs.ref.head.revision") != GITHUB["GITHUB_SHA"]
    assert len(_warnings(caplog)) <= 1
    assert encodes_cleanly(resource, caplog)


def test_a_github_event_nested_100000_deep(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make_root(tmp_path, {GITHUB["GITHUB_EVENT_PATH"]: '{"pull_request":' + "[" * 100_000 + "]" * 100_000 + "}"})
    with caplog.at_level(logging.WARNING):
        attributes = CicdDetector(environ=GITHUB, root=root).detect().attributes
    assert "vcs.ref.head.revision" not in attributes
    [warning] = _warnings(caplog)
    assert "not JSON" in warning
