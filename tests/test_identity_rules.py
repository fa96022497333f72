"""Every row of both rulesets: a positive case and a near miss."""

from __future__ import annotations

import pytest

from otel_resource_identity import DEFAULT_RULESET, RULESETS, predict
from otel_resource_identity._settings import RULESET_NAMES
from otel_resource_identity.identity.rulesets import BY_NAME

POD = {"k8s.pod.name": "checkout-7d9c", "k8s.namespace.name": "shop"}
SERVICE = {"service.name": "checkout", "service.instance.id": "i-1"}

# rule id -> (matching attributes, expected type, expected name, near miss that must not match it)
CASES_2026_04: dict[str, tuple[dict[str, object], str | None, str | None, dict[str, object]]] = {
    "browser": (
        {"telemetry.sdk.language": "webjs", "service.name": "shop-web", "browser.platform": "macOS"},
        "browser",
        "shop-web",
        {"telemetry.sdk.language": "nodejs", "service.name": "shop-web"},
    ),
    "k8s.pod.uid": ({"k8s.pod.uid": "u-1", "k8s.pod.name": "p"}, "k8s.pod", "p", {"k8s.pod.name": "p"}),
    "k8s.pod.name+workload.uid": (
        {"k8s.pod.name": "p", "k8s.deployment.uid": "d-1"},
        "k8s.pod",
        "p",
        {"k8s.pod.name": "p", "k8s.deployment.name": "d"},
    ),
    "k8s.pod.name+workload.name+namespace": (
        {**POD, "k8s.deployment.name": "checkout"},
        "k8s.pod",
        "checkout-7d9c",
        {"k8s.pod.name": "p", "k8s.deployment.name": "checkout"},
    ),
    "k8s.workload.uid": (
        {"k8s.deployment.uid": "d-1", "k8s.deployment.name": "checkout"},
        "k8s.deployment",
        "checkout",
        {"k8s.deployment.name": "checkout"},
    ),
    "k8s.node": (
        {"k8s.node.name": "node-1", "k8s.cluster.name": "prod"},
        "k8s.node",
        "node-1",
        {"k8s.node.name": "node-1", "k8s.pod.name": "p"},
    ),
    "k8s.namespace": ({"k8s.namespace.name": "shop"}, "k8s.namespace", "shop", {"k8s.namespace.label": "shop"}),
    "k8s.cluster": ({"k8s.cluster.name": "prod"}, "k8s.cluster", "prod", {"k8s.clustername": "prod"}),
    "aws.lambda.invocation": (
        {"cloud.provider": "aws", "faas.instance": "2026/08/21/[$LATEST]abc", "faas.name": "checkout"},
        "aws.lambda.function",
        "checkout",
        {"cloud.provider": "gcp-not", "faas.instance": "x"},
    ),
    "aws.ecs.task": (
        {"aws.ecs.task.arn": "arn:aws:ecs:us-west-2:1:task/c/t1", "aws.ecs.task.id": "t1"},
        "aws.ecs.task",
        "t1",
        {"aws.ecs.task.id": "t1"},
    ),
    "aws.ecs.cluster": (
        {"aws.ecs.cluster.arn": "arn:aws:ecs:us-west-2:1:cluster/c"},
        "aws.ecs.cluster",
        "arn:aws:ecs:us-west-2:1:cluster/c",
        {"aws.ecs.cluster.name": "c"},
    ),
    "aws.sqs": (
        {"cloud.provider": "aws", "messaging.system": "aws_sqs", "messaging.destination.name": "orders"},
        "aws.sqs.queue",
        "orders",
        {"cloud.provider": "aws", "messaging.system": "kafka", "messaging.destination.name": "orders"},
    ),
    "aws.sns": (
        {"cloud.provider": "aws", "messaging.system": "aws_sns", "messaging.destination.name": "events"},
        "aws.sns.topic",
        "events",
        {"cloud.provider": "aws", "messaging.system": "aws_sns"},
    ),
    "aws.api_gateway": (
        {
            "cloud.provider": "aws",
            "faas.trigger": "http",
            "cloud.region": "us-east-1",
            "url.full": "https://a1b2c3.execute-api.us-east-1.amazonaws.com/prod/orders",
        },
        "aws.api_gateway",
        "a1b2c3",
        {
            "cloud.provider": "aws",
            "faas.trigger": "http",
            "url.full": "https://a1b2c3.execute-api.us-east-1.amazonaws.com/",
        },
    ),
    "gcp.cloud_run.instance": (
        {"cloud.provider": "gcp", "faas.instance": "00f2a1", "faas.name": "checkout"},
        "gcp.cloud_run.service",
        "checkout",
        {"cloud.provider": "aws", "faas.instance": "00f2a1", "faas.name": "checkout", "cloud.platform": "x"},
    ),
    "gcp.pubsub": (
        {"cloud.provider": "gcp", "messaging.system": "gcp_pubsub", "messaging.destination.name": "orders"},
        "gcp.pubsub.topic",
        "orders",
        {"cloud.provider": "gcp", "messaging.system": "aws_sqs", "messaging.destination.name": "orders"},
    ),
    "gcp.gcs": (
        {"cloud.provider": "gcp", "gcp.gcs.bucket.name": "assets"},
        "gcp.gcs.bucket",
        "assets",
        {"cloud.provider": "azure", "gcp.gcs.bucket.name": "assets"},
    ),
    "vercel.function": (
        {"cloud.provider": "Vercel", "cloud.region": "iad1", "faas.name": "api/checkout"},
        "vercel.function",
        "api/checkout",
        {"cloud.provider": "vercel", "cloud.region": "iad1", "faas.name": "api/checkout"},
    ),
    "heroku.dyno": (
        {"heroku.app.id": "app-1", "service.instance.id": "dyno-1", "service.name": "shop"},
        "heroku.dyno",
        "app-1:dyno-1",
        {"heroku.app.id": "app-1", "service.name": "shop"},
    ),
    "cicd.pipeline.run": (
        {"cicd.pipeline.name": "CI", "cicd.pipeline.run.id": "42"},
        "cicd.pipeline.run",
        "CI",
        {"cicd.pipeline.name": "CI"},
    ),
    "container": (
        {"container.id": "abc", "container.name": "web"},
        "container",
        "web",
        {"container.id": "abc", "k8s.pod.name": "p"},
    ),
    "host": ({"host.name": "web-1", "host.arch": "amd64"}, "host", "web-1", {"host.arch": "amd64"}),
    "service": (
        {**SERVICE, "service.namespace": "shop"},
        "service",
        "checkout",
        {"service.name": "checkout", "service.namespace": "shop"},
    ),
}

CASES_2026_05: dict[str, tuple[dict[str, object], str | None, str | None, dict[str, object]]] = {
    "browser": CASES_2026_04["browser"],
    "mobile": (
        {"os.name": "iOS", "service.name": "shop-app", "device.model.identifier": "iPhone15,2"},
        "mobile",
        "shop-app",
        {"os.name": "Linux", "service.name": "shop-app"},
    ),
    **{rule: CASES_2026_04[rule] for rule in CASES_2026_04 if rule.startswith("k8s.")},
    "aws.lambda.function": (
        {"cloud.platform": "aws_lambda", "cloud.account.id": "1", "cloud.region": "eu-west-1", "faas.name": "f"},
        "aws.lambda",
        "f",
        {"cloud.platform": "aws_lambda", "cloud.region": "eu-west-1", "faas.name": "f"},
    ),
    "aws.ecs.task": CASES_2026_04["aws.ecs.task"],
    "aws.ecs.cluster": CASES_2026_04["aws.ecs.cluster"],
    "aws.sqs": (
        {"cloud.platform": "aws_sqs", "cloud.resource_id": "arn:aws:sqs:us-east-1:1:orders"},
        "aws.sqs.queue",
        "arn:aws:sqs:us-east-1:1:orders",
        {"cloud.platform": "aws_sqs", "messaging.destination.name": "orders"},
    ),
    "aws.sns": (
        {
            "cloud.platform": "aws_sns",
            "cloud.resource_id": "arn:aws:sns:us-east-1:1:events",
            "messaging.destination.name": "events",
        },
        "aws.sns.topic",
        "events",
        {"cloud.platform": "aws_sqs-not", "cloud.resource_id": "arn:aws:sns:us-east-1:1:events"},
    ),
    "aws.api_gateway": (
        {
            "cloud.platform": "aws_api_gateway",
            "cloud.resource_id": "arn:aws:apigateway:us-east-1::/restapis/a1",
            "faas.name": "orders",
        },
        "aws.api_gateway",
        "orders",
        {"cloud.platform": "aws_api_gateway", "faas.name": "orders"},
    ),
    "gcp.cloud_run": (
        {
            "cloud.platform": "gcp_cloud_run",
            "cloud.account.id": "p",
            "cloud.availability_zone": "us-central1-1",
            "faas.name": "checkout",
        },
        "gcp.cloud.run",
        "checkout",
        {"cloud.platform": "gcp_cloud_run", "cloud.account.id": "p", "faas.name": "checkout"},
    ),
    "gcp.cloud_run.resource_id": (
        {"cloud.provider": "gcp", "cloud.resource_id": "//run.googleapis.com/projects/p/locations/r/services/checkout"},
        "gcp.cloud.run",
        "//run.googleapis.com/projects/p/locations/r/services/checkout",
        {"cloud.provider": "gcp", "cloud.resource_id": "//compute.googleapis.com/projects/p/zones/z/instances/i"},
    ),
    "gcp.pubsub": (
        {"cloud.provider": "gcp", "cloud.resource_id": "//pubsub.googleapis.com/projects/p/topics/orders"},
        "gcp.pubsub.topic",
        "//pubsub.googleapis.com/projects/p/topics/orders",
        {"cloud.provider": "aws", "cloud.resource_id": "//pubsub.googleapis.com/projects/p/topics/orders"},
    ),
    "gcp.gcs": (
        {
            "cloud.provider": "gcp",
            "cloud.resource_id": "//storage.googleapis.com/projects/_/buckets/assets",
            "gcp.gcs.bucket.name": "assets",
        },
        "gcp.gcs.bucket",
        "assets",
        {"cloud.provider": "gcp", "gcp.gcs.bucket.name": "assets"},
    ),
    "vercel.project": (
        {"vercel.deployment_id": "dpl_1", "vercel.project_id": "prj_1", "vercel.project_name": "shop"},
        "vercel.project",
        "shop",
        {"vercel.project_id": "prj_1", "vercel.project_name": "shop"},
    ),
    "vercel.deployment+service": (
        {"vercel.sha": "fa1e", **SERVICE},
        "vercel.project",
        "checkout",
        {"vercel.sha": "fa1e", "service.name": "checkout"},
    ),
    "heroku.dyno": CASES_2026_04["heroku.dyno"],
    "cicd.pipeline.run": CASES_2026_04["cicd.pipeline.run"],
    "container.id": ({"container.id": "abc", **SERVICE}, "container", "abc", {"container.name": "web", **SERVICE}),
    "host.id": ({"host.id": "i-1", **SERVICE}, "host", "i-1", {"host.name": "web-1", **SERVICE}),
    "service": (
        {**SERVICE, "container.name": "web", "host.name": "h"},
        "service",
        "checkout",
        {"service.name": "checkout", "container.name": "web"},
    ),
    "container.name": (
        {"container.name": "web", "host.name": "h"},
        "container",
        "web",
        {"host.name": "h", "container.label": "web"},
    ),
    "host.name": ({"host.name": "web-1"}, "host", "web-1", {"hostname": "web-1"}),
}

CASES = {"dash0-2026-04": CASES_2026_04, "dash0-2026-05": CASES_2026_05}
ALL = [(ruleset, rule, case) for ruleset, cases in CASES.items() for rule, case in cases.items()]


def test_the_shipped_rulesets() -> None:
    assert RULESETS == ("dash0-2026-04", "dash0-2026-05") == RULESET_NAMES
    assert DEFAULT_RULESET == "dash0-2026-04"


@pytest.mark.parametrize("ruleset", list(CASES))
def test_every_rule_has_a_case(ruleset: str) -> None:
    assert [rule.id for rule in BY_NAME[ruleset].rules] == list(CASES[ruleset])


@pytest.mark.parametrize(("ruleset", "rule", "case"), ALL, ids=[f"{r}:{rule}" for r, rule, _ in ALL])
def test_positive_case(ruleset: str, rule: str, case: tuple[dict[str, object], str | None, str | None, object]) -> None:
    attributes, expected_type, expected_name, _ = case
    identity = predict(attributes, ruleset=ruleset)
    assert identity.rule == rule
    assert identity.type == expected_type
    assert identity.name == expected_name
    assert identity.ruleset == ruleset


@pytest.mark.parametrize(("ruleset", "rule", "case"), ALL, ids=[f"{r}:{rule}" for r, rule, _ in ALL])
def test_near_miss(ruleset: str, rule: str, case: tuple[object, object, object, dict[str, object]]) -> None:
    assert predict(case[3], ruleset=ruleset).rule != rule
