"""``dash0-2026-05``: the rules of Dash0's platform pages of 2026-05-07.

The same engine as ``dash0-2026-04``, with these differences: browser and
mobile resources are detected first; AWS Lambda is one resource per function
(not per invocation); SQS, SNS, API Gateway, Cloud Run, Pub/Sub and Cloud
Storage are keyed by ``cloud.platform``/``cloud.provider`` and
``cloud.resource_id``; Vercel is keyed by deployment and project; and among
the generic rules the service triplet outranks ``container.name``, with
``host.name`` the lowest rule of all.
"""

from __future__ import annotations

from ..conditions import (
    AnyOf,
    Attr,
    Equals,
    IfSet,
    Matches,
    NoneOf,
    OneOf,
    Prefixed,
    first_of,
    name_from,
)
from ..rules import Rule, Ruleset
from .common import BROWSER_RULE, CICD_RUN, ECS_CLUSTER, ECS_TASK, HEROKU_DYNO, KUBERNETES_RULES

GCP = Equals("cloud.provider", "gcp")
SERVICE_TRIPLET = (IfSet("service.namespace"), Attr("service.name"), Attr("service.instance.id"))
VERCEL_DEPLOYMENT = ("vercel.deployment_id", "vercel.deploymentId", "vercel.sha")
NOT_ON_KUBERNETES = NoneOf(("k8s.pod.uid", "k8s.pod.name"))


def _by_resource_id(rule_id: str, family: str, platform: str, type_: str, name: str) -> Rule:
    return Rule(
        rule_id,
        family,
        (Equals("cloud.platform", platform),),
        (Attr("cloud.resource_id"),),
        type_,
        name_from(name, "cloud.resource_id"),
    )


def _gcp_by_resource_id(rule_id: str, prefix: str, type_: str, name: str) -> Rule:
    return Rule(
        rule_id,
        "GCP",
        (GCP, Matches("cloud.resource_id", f"^{prefix}")),
        (Attr("cloud.resource_id"),),
        type_,
        name_from(name, "cloud.resource_id"),
    )


RULESET = Ruleset(
    name="dash0-2026-05",
    source="Dash0, platform resource pages, 2026-05-07",
    rules=(
        BROWSER_RULE,
        Rule(
            "mobile",
            "Mobile",
            (
                AnyOf(
                    (
                        OneOf("os.name", ("iOS", "iPadOS", "Android")),
                        OneOf("telemetry.sdk.language", ("swift", "android")),
                    )
                ),
            ),
            (
                IfSet("service.namespace"),
                IfSet("service.name"),
                IfSet("service.instance.id"),
                Prefixed("device."),
                IfSet("os.name"),
                IfSet("os.version"),
            ),
            "mobile",
            name_from("service.name"),
            origin="decided",
            note="Dash0 names mobile detection without its conditions: an iOS/iPadOS/Android os.name or "
            "a Swift/Android SDK, keyed like browsers by the service triplet and the device",
        ),
        *KUBERNETES_RULES,
        Rule(
            "aws.lambda.function",
            "AWS",
            (Equals("cloud.platform", "aws_lambda"),),
            (Attr("cloud.account.id"), Attr("cloud.region"), Attr("faas.name")),
            "aws.lambda",
            name_from("faas.name"),
            note="one resource per function, not per invocation",
        ),
        ECS_TASK,
        ECS_CLUSTER,
        _by_resource_id("aws.sqs", "AWS", "aws_sqs", "aws.sqs.queue", "messaging.destination.name"),
        _by_resource_id("aws.sns", "AWS", "aws_sns", "aws.sns.topic", "messaging.destination.name"),
        _by_resource_id("aws.api_gateway", "AWS", "aws_api_gateway", "aws.api_gateway", "faas.name"),
        Rule(
            "gcp.cloud_run",
            "GCP",
            (Equals("cloud.platform", "gcp_cloud_run"),),
            (Attr("cloud.account.id"), first_of("cloud.region", "cloud.availability_zone"), Attr("faas.name")),
            "gcp.cloud.run",
            name_from("faas.name"),
        ),
        _gcp_by_resource_id("gcp.cloud_run.resource_id", "//run.googleapis.com/", "gcp.cloud.run", "faas.name"),
        _gcp_by_resource_id("gcp.pubsub", "//pubsub.googleapis.com/", "gcp.pubsub.topic", "messaging.destination.name"),
        _gcp_by_resource_id("gcp.gcs", "//storage.googleapis.com/", "gcp.gcs.bucket", "gcp.gcs.bucket.name"),
        Rule(
            "vercel.project",
            "Vercel",
            (),
            (first_of(*VERCEL_DEPLOYMENT), first_of("vercel.project_id", "vercel.projectId")),
            "vercel.project",
            name_from("vercel.project_name", "vercel.project_id", "vercel.projectId"),
            hash_excludes=VERCEL_DEPLOYMENT,
        ),
        Rule(
            "vercel.deployment+service",
            "Vercel",
            (),
            (first_of(*VERCEL_DEPLOYMENT), *SERVICE_TRIPLET),
            "vercel.project",
            name_from("vercel.project_name", "service.name"),
            hash_excludes=VERCEL_DEPLOYMENT,
            note="without a project id: the deployment id and the service triplet",
        ),
        HEROKU_DYNO,
        CICD_RUN,
        Rule(
            "container.id",
            "Container",
            (NOT_ON_KUBERNETES,),
            (Attr("container.id"),),
            "container",
            name_from("container.name", "container.id"),
        ),
        Rule("host.id", "Host", (), (Attr("host.id"),), "host", name_from("host.id")),
        Rule(
            "service",
            "Service",
            (),
            SERVICE_TRIPLET,
            "service",
            name_from("service.name"),
            origin="decided",
            note="service.name and service.instance.id are required; a missing service.namespace counts as absent",
        ),
        Rule(
            "container.name",
            "Container",
            (NOT_ON_KUBERNETES,),
            (Attr("container.name"),),
            "container",
            name_from("container.name"),
        ),
        Rule("host.name", "Host", (), (Attr("host.name"),), "host", name_from("host.name")),
    ),
)
