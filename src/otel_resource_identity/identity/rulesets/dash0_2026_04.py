"""``dash0-2026-04``: the rules of Dash0's "Understand Resource Equality" (2026-04-16).

The page lists the families without ranking them against each other, except
that browser resources are handled first, the service triplet is the lowest
semantic-convention rule and identity comes last. The order here is this
package's reading: the most specific identity wins (a pod over its node and
host, the node over its namespace and cluster).
"""

from __future__ import annotations

from ..conditions import (
    Attr,
    Equals,
    Extract,
    FirstOf,
    IfSet,
    NoneOf,
    Present,
    first_of,
    name_from,
)
from ..rules import Rule, Ruleset
from .common import (
    API_GATEWAY_URL,
    BROWSER_RULE,
    CICD_RUN,
    ECS_CLUSTER,
    ECS_TASK,
    HEROKU_DYNO,
    KUBERNETES_RULES,
)

AWS = Equals("cloud.provider", "aws")
GCP = Equals("cloud.provider", "gcp")

RULESET = Ruleset(
    name="dash0-2026-04",
    source="Dash0, Understand Resource Equality, 2026-04-16",
    rules=(
        BROWSER_RULE,
        *KUBERNETES_RULES,
        Rule(
            "aws.lambda.invocation",
            "AWS",
            (AWS,),
            (Attr("faas.instance"),),
            "aws.lambda.function",
            name_from("faas.name"),
            note="every invocation environment is its own resource",
        ),
        ECS_TASK,
        ECS_CLUSTER,
        Rule(
            "aws.sqs",
            "AWS",
            (AWS, Equals("messaging.system", "aws_sqs")),
            (Attr("messaging.destination.name"),),
            "aws.sqs.queue",
            name_from("messaging.destination.name"),
        ),
        Rule(
            "aws.sns",
            "AWS",
            (AWS, Equals("messaging.system", "aws_sns")),
            (Attr("messaging.destination.name"),),
            "aws.sns.topic",
            name_from("messaging.destination.name"),
        ),
        Rule(
            "aws.api_gateway",
            "AWS",
            (AWS, Equals("faas.trigger", "http"), Present("cloud.region")),
            (
                Attr("cloud.region"),
                FirstOf(
                    (
                        Extract("url.full", API_GATEWAY_URL, "aws.api_gateway.id"),
                        Extract("http.url", API_GATEWAY_URL, "aws.api_gateway.id"),
                        Attr("faas.name"),
                    )
                ),
            ),
            "aws.api_gateway",
            name_from("faas.name", "aws.api_gateway.id"),
        ),
        Rule(
            "gcp.cloud_run.instance",
            "GCP",
            (GCP,),
            (Attr("faas.instance"),),
            "gcp.cloud_run.service",
            name_from("faas.name"),
        ),
        Rule(
            "gcp.pubsub",
            "GCP",
            (GCP, Equals("messaging.system", "gcp_pubsub")),
            (Attr("messaging.destination.name"),),
            "gcp.pubsub.topic",
            name_from("messaging.destination.name"),
        ),
        Rule(
            "gcp.gcs", "GCP", (GCP,), (Attr("gcp.gcs.bucket.name"),), "gcp.gcs.bucket", name_from("gcp.gcs.bucket.name")
        ),
        Rule(
            "vercel.function",
            "Vercel",
            (Equals("cloud.provider", "Vercel"),),
            (Attr("cloud.region"), Attr("faas.name")),
            "vercel.function",
            name_from("faas.name"),
        ),
        HEROKU_DYNO,
        CICD_RUN,
        Rule(
            "container",
            "Container",
            (NoneOf(("k8s.pod.uid", "k8s.pod.name")),),
            (first_of("container.id", "container.name"),),
            "container",
            name_from("container.name", "container.id"),
            note="'not on Kubernetes': a pod's containers are covered by the pod rules above",
        ),
        Rule("host", "Host", (), (first_of("host.id", "host.name"),), "host", name_from("host.id", "host.name")),
        Rule(
            "service",
            "Service",
            (),
            (IfSet("service.namespace"), Attr("service.name"), Attr("service.instance.id")),
            "service",
            name_from("service.name"),
            origin="decided",
            note="service.name and service.instance.id are required; a missing service.namespace counts as absent",
        ),
    ),
)
