"""A service name on every platform that names the service; the user's always wins.

Recorded environments (tests/fixtures, sources in its README) give each
platform's ``service.name``; with ``OTEL_SERVICE_NAME`` set the user's; the
predicted ``dash0.resource.name`` stays the platform rule's; and under
``opentelemetry-instrument``, end to end, for Lambda and Cloud Run (metadata
on 127.0.0.1), the name arrives on the wire over OTLP.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otel_resource_identity import (
    AwsEcsDetector,
    AwsLambdaDetector,
    GcpCloudRunDetector,
    HerokuDetector,
    PlatformDetector,
    predict,
)

from conftest import ROOT, clean_environment, run_instrumented
from otlp_receiver import otlp_receiver
from platforms import Reply, fixture_text, load_env, make_root, serve

FLAVOR = {"Metadata-Flavor": "Google"}
METADATA: dict[str, str] = json.loads(fixture_text("gcp/metadata-cloud-run-per-path.json"))["responses"]


def _gcp_routes() -> dict[str, Reply]:
    return {
        f"/computeMetadata/v1/{path}": Reply(METADATA[path], headers=FLAVOR)
        for path in ("project/project-id", "instance/id", "instance/region", "instance/zone")
    }


def _cloud_run(environ: dict[str, str], root: Path | None = None) -> dict[str, Any]:
    with serve(_gcp_routes()) as server:
        detector = GcpCloudRunDetector(
            environ=environ | {"GCE_METADATA_HOST": server.host}, root=root or "/", timeout=2
        )
        return dict(detector.detect().attributes)


# -- Lambda: the function, as the OpenTelemetry Lambda layer names it


@pytest.mark.parametrize(
    ("fixture", "name", "version"),
    [
        ("lambda/env-lambda-python-zip.env", "checkout-handler", None),
        ("lambda/env-lambda-published-version-alias.env", "orders-consumer", "17"),
    ],
)
def test_lambda_names_the_function(fixture: str, name: str, version: str | None, tmp_path: Path) -> None:
    environ = load_env(fixture)
    attributes = dict(AwsLambdaDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes["service.name"] == name
    assert attributes.get("service.version") == version
    # The layer's wrapper script: OTEL_SERVICE_NAME defaults to AWS_LAMBDA_FUNCTION_NAME. With it
    # (the layer) and without it (this package alone) the service is named alike.
    with_layer = {**environ, "OTEL_SERVICE_NAME": environ["AWS_LAMBDA_FUNCTION_NAME"]}
    layered = dict(AwsLambdaDetector(environ=with_layer, root=tmp_path).detect().attributes)
    assert layered["service.name"] == attributes["service.name"]


# -- Cloud Run: services, functions, jobs, worker pools


@pytest.mark.parametrize(
    ("environ", "name", "version"),
    [
        (load_env("gcp/env-cloud-run-service.env"), "checkout", "checkout-00042-xiz"),
        (load_env("gcp/env-cloud-functions-gen2.env"), "handle-upload", "handle-upload-00007-gov"),
        ({"CLOUD_RUN_JOB": "nightly-export", "CLOUD_RUN_EXECUTION": "nightly-export-x7k2p"}, "nightly-export", None),
        (
            {"CLOUD_RUN_WORKER_POOL": "queue-workers", "CLOUD_RUN_REVISION": "queue-workers-00003-abc"},
            "queue-workers",
            "queue-workers-00003-abc",
        ),
    ],
    ids=["service", "function", "job", "worker pool"],
)
def test_cloud_run_names_the_workload(environ: dict[str, str], name: str, version: str | None) -> None:
    attributes = _cloud_run(environ)
    assert attributes["service.name"] == name
    assert attributes.get("service.version") == version
    assert attributes["faas.name"] == name


def test_knative_in_a_pod_leaves_the_name_to_the_kubernetes_convention(tmp_path: Path) -> None:
    """Knative (Cloud Run for Anthos) sets K_SERVICE in a pod: there the pod's convention names it."""
    labels = 'pod-template-hash="5d8f7c9b6"\nserving.knative.dev/service="checkout"'
    root = make_root(
        tmp_path,
        {"/etc/podinfo/labels": labels, "/var/run/secrets/kubernetes.io/serviceaccount/namespace": "shop"},
    )
    environ = load_env("gcp/env-cloud-run-service.env") | {
        "KUBERNETES_SERVICE_HOST": "10.96.0.1",
        "K8S_POD_NAME": "checkout-00042-deployment-5d8f7c9b6-x2k4p",
        "K8S_CONTAINER_NAME": "user-container",
        "GCE_METADATA_HOST": "127.0.0.1:9",
    }
    assert "service.name" not in _cloud_run(environ, root)
    resource = PlatformDetector(
        environ=environ, root=root, detectors=["k8s", "gcp_cloud_run"], cache=False, timeout=0.5
    ).detect()
    assert resource.attributes["service.name"] == "checkout-00042-deployment"  # the Deployment, as the Collector
    assert resource.attributes["faas.name"] == "checkout"


# -- ECS: the ECS service, else the task definition's family


def _ecs_routes(task_changes: dict[str, Any]) -> dict[str, Reply]:
    container = json.loads(fixture_text("ecs/jscontrib-metadatav4-response-container-fargate.json"))
    task = json.loads(fixture_text("ecs/jscontrib-metadatav4-response-task-fargate.json")) | task_changes
    return {"/v4/abc": Reply(container), "/v4/abc/task": Reply(task)}


@pytest.mark.parametrize(
    ("task_changes", "name"),
    [({}, "curltest"), ({"ServiceName": "checkout-service"}, "checkout-service")],
    ids=["family", "ECS service"],
)
def test_ecs_names_the_service_or_the_family(task_changes: dict[str, Any], name: str, tmp_path: Path) -> None:
    with serve(_ecs_routes(task_changes)) as server:
        environ = {"ECS_CONTAINER_METADATA_URI_V4": server.base + "/v4/abc"}
        attributes = AwsEcsDetector(environ=environ, root=tmp_path, timeout=2).detect().attributes
    assert attributes["service.name"] == name


# -- the user always wins, in every detector's own result


@pytest.mark.parametrize(
    "detect",
    [
        lambda env, root: AwsLambdaDetector(environ=env | load_env("lambda/env-lambda-python-zip.env"), root=root),
        lambda env, root: HerokuDetector(
            environ=env | load_env("heroku/env-heroku-dyno-metadata-enabled.env"), root=root
        ),
    ],
    ids=["lambda", "heroku"],
)
def test_the_users_name_wins_and_the_sdk_placeholder_never_does(detect: Any, tmp_path: Path) -> None:
    assert detect({"OTEL_SERVICE_NAME": "mine"}, tmp_path).detect().attributes["service.name"] == "mine"
    attributes = detect({"OTEL_RESOURCE_ATTRIBUTES": "service.name=from%20attributes"}, tmp_path).detect().attributes
    assert attributes["service.name"] == "from attributes"
    placeholder = detect({"OTEL_SERVICE_NAME": "unknown_service:python3"}, tmp_path).detect().attributes
    assert not str(placeholder["service.name"]).startswith("unknown_service")


# -- the predicted name is the platform rule's, not the service's


def test_the_predicted_name_does_not_change_where_a_platform_rule_names_the_resource(tmp_path: Path) -> None:
    lambda_attributes = dict(
        AwsLambdaDetector(environ=load_env("lambda/env-lambda-python-zip.env"), root=tmp_path).detect().attributes
    )
    cloud_run_attributes = _cloud_run(load_env("gcp/env-cloud-run-service.env"))
    for attributes in (lambda_attributes, cloud_run_attributes):
        without = {key: value for key, value in attributes.items() if not key.startswith("service.")}
        assert predict(attributes).name == predict(without).name == attributes["faas.name"]
        assert predict(attributes).id == predict(without).id


# -- end to end, under opentelemetry-instrument, on the wire

APP = ROOT / "examples" / "auto_instrumented_app.py"


def _instrumented_service_names(**variables: str) -> set[object]:
    with otlp_receiver() as receiver:
        settings = receiver.exporting_here() | {"OTEL_EXPERIMENTAL_RESOURCE_DETECTORS": "otel,resource_identity"}
        run_instrumented(APP, clean_environment(**(settings | variables)))
    resources = [resource for resource, _ in receiver.spans()] + [resource for resource, _ in receiver.log_records()]
    assert resources
    return {resource.get("service.name") for resource in resources}


@pytest.mark.subprocess
def test_a_lambda_function_is_named_on_the_wire() -> None:
    environ = {
        key: value
        for key, value in load_env("lambda/env-lambda-python-zip.env").items()
        if key != "AWS_LAMBDA_RUNTIME_API"
    }
    assert _instrumented_service_names(**environ) == {"checkout-handler"}
    assert _instrumented_service_names(**environ, OTEL_SERVICE_NAME="mine") == {"mine"}


@pytest.mark.subprocess
def test_a_cloud_run_service_is_named_on_the_wire() -> None:
    with serve(_gcp_routes()) as server:
        names = _instrumented_service_names(**load_env("gcp/env-cloud-run-service.env"), GCE_METADATA_HOST=server.host)
    assert names == {"checkout"}
