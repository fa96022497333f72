"""Pieces both Dash0 rulesets share."""

from __future__ import annotations

from ..conditions import (
    AnyOf,
    AsText,
    Attr,
    Equals,
    IfSet,
    Name,
    NoneOf,
    OrEmpty,
    Prefixed,
    TypeFromKey,
    first_of,
    name_from,
)
from ..rules import Rule

WORKLOAD_KINDS = ("deployment", "daemonset", "replicaset", "statefulset", "cronjob", "job")
WORKLOAD_UIDS = tuple(f"k8s.{kind}.uid" for kind in WORKLOAD_KINDS)
WORKLOAD_NAMES = tuple(f"k8s.{kind}.name" for kind in WORKLOAD_KINDS)
POD_OR_WORKLOAD = ("k8s.pod.uid", "k8s.pod.name", *WORKLOAD_UIDS, *WORKLOAD_NAMES)

BROWSER = AnyOf((Equals("telemetry.sdk.language", "webjs"), Equals("process.runtime.name", "browser")))
# Each browser configuration is its own resource: the service triplet, every
# browser.* attribute and the user agent all take part in the key.
BROWSER_KEYS = (
    IfSet("service.namespace"),
    IfSet("service.name"),
    IfSet("service.instance.id"),
    Prefixed("browser."),
    IfSet("user_agent.original"),
)
API_GATEWAY_URL = r"^https://([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:/|$)"

# The Kubernetes rules, in order: the same in both rulesets.
KUBERNETES_RULES = (
    Rule(
        "k8s.pod.uid",
        "Kubernetes workload",
        (),
        (Attr("k8s.pod.uid"),),
        "k8s.pod",
        name_from("k8s.pod.name", "k8s.pod.uid"),
    ),
    Rule(
        "k8s.pod.name+workload.uid",
        "Kubernetes workload",
        (),
        (Attr("k8s.pod.name"), first_of("k8s.namespace.uid", *WORKLOAD_UIDS)),
        "k8s.pod",
        name_from("k8s.pod.name"),
        note="'one of' takes the first present, in the order listed",
    ),
    Rule(
        "k8s.pod.name+workload.name+namespace",
        "Kubernetes workload",
        (),
        (Attr("k8s.pod.name"), first_of(*WORKLOAD_NAMES), Attr("k8s.namespace.name")),
        "k8s.pod",
        name_from("k8s.pod.name"),
    ),
    Rule(
        "k8s.workload.uid",
        "Kubernetes resource",
        (),
        (first_of(*WORKLOAD_UIDS),),
        TypeFromKey(".uid"),
        name_from(*WORKLOAD_NAMES, *WORKLOAD_UIDS),
    ),
    Rule(
        "k8s.node",
        "Kubernetes node",
        (NoneOf(POD_OR_WORKLOAD),),
        # Dash0 documents "k8s.node.id OR k8s.node.name"; k8s.node.uid (the
        # semantic conventions' name for the id) comes only after the name, so
        # that a node seen by name alone (kubelet stats) and by name and uid
        # (cluster receiver, API) is one node.
        (first_of("k8s.node.id", "k8s.node.name", "k8s.node.uid"),),
        "k8s.node",
        name_from("k8s.node.name", "k8s.node.id", "k8s.node.uid"),
        origin="decided",
        note="ranked above namespace and cluster, which a node's resource usually carries too; "
        "k8s.node.uid only after k8s.node.name",
    ),
    Rule(
        "k8s.namespace",
        "Kubernetes resource",
        (),
        (first_of("k8s.namespace.uid", "k8s.namespace.name"),),
        "k8s.namespace",
        name_from("k8s.namespace.name", "k8s.namespace.uid"),
    ),
    Rule(
        "k8s.cluster",
        "Kubernetes resource",
        (),
        (first_of("k8s.cluster.uid", "k8s.cluster.name", "aws.eks.cluster.arn"),),
        "k8s.cluster",
        name_from("k8s.cluster.name", "k8s.cluster.uid", "aws.eks.cluster.arn"),
    ),
)

ECS_TASK = Rule(
    "aws.ecs.task",
    "AWS",
    (),
    (Attr("aws.ecs.task.arn"),),
    "aws.ecs.task",
    name_from("aws.ecs.task.id", "aws.ecs.task.arn"),
)

ECS_CLUSTER = Rule(
    "aws.ecs.cluster", "AWS", (), (Attr("aws.ecs.cluster.arn"),), "aws.ecs.cluster", name_from("aws.ecs.cluster.arn")
)

HEROKU_DYNO = Rule(
    "heroku.dyno",
    "Heroku",
    (),
    (Attr("heroku.app.id"), Attr("service.instance.id")),
    "heroku.dyno",
    Name(("{heroku.app.id}:{service.instance.id}", "{heroku.app.id}")),
)

CICD_RUN = Rule(
    "cicd.pipeline.run",
    "CI/CD",
    (),
    (OrEmpty("cicd.pipeline.name"), AsText("cicd.pipeline.run.id")),
    "cicd.pipeline.run",
    name_from("cicd.pipeline.name", "cicd.pipeline.run.id"),
    origin="decided",
    note="the run id as text (the Collector's receivers send an int); an unnamed pipeline "
    "(absent or empty name, as GitLab's receiver sends it) is one name",
)

BROWSER_RULE = Rule(
    "browser",
    "Browser / RUM",
    (BROWSER,),
    BROWSER_KEYS,
    "browser",
    name_from("service.name"),
    origin="decided",
    note="the key set (service triplet, browser.*, user agent) and the type are this package's reading",
)
