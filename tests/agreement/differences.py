"""Where this package and a peer deliberately report different things, and why.

``DIFFERENCES``: one row per (case, peer, attribute) where the values differ, or where the peer
reports an attribute that names the resource or decides a Dash0 rule and this package does not.
Any other disagreement fails the harness; a row that no longer matches what the peer does fails
it too, so the table cannot keep stale excuses. ``SAME_MEANING``: a peer's attribute that is
an older or vendor name for one of this package's, compared as that attribute.
"""

from __future__ import annotations

from typing import NamedTuple


class Difference(NamedTuple):
    cases: tuple[str, ...]  # case names
    peer: str  # a prefix of the peer's key ("py:", "js:aws:", "py:opentelemetry.resource.detector.azure")
    attribute: str
    reason: str


# What a person reads and rules decide on: a peer's value here that this package lacks is a failure
# unless a row below explains it.
IMPORTANT_PREFIXES = ("cloud.", "faas.", "service.")
IMPORTANT = frozenset(
    {"host.id", "k8s.cluster.name", "container.id", "aws.ecs.cluster.arn", "aws.ecs.task.arn", "aws.ecs.container.arn"}
)


def important(attribute: str) -> bool:
    return attribute in IMPORTANT or attribute.startswith(IMPORTANT_PREFIXES)


SAME_MEANING = {
    # the conventions renamed it (semantic conventions 1.27)
    "deployment.environment": "deployment.environment.name",
    # @opentelemetry/resource-detector-github predates the CI/CD conventions
    "github.workflow": "cicd.pipeline.name",
    "github.run_id": "cicd.pipeline.run.id",
    "github.sha": "vcs.ref.head.revision",
}

_MEGABYTES = (
    "the peer reports megabytes; the conventions define faas.max_memory in bytes "
    '("the amount of memory available to the serverless function converted to Bytes")'
)
_APP_SERVICE = ("App Service", "Functions")

DIFFERENCES: tuple[Difference, ...] = (
    Difference(("Lambda", "Lambda, published version", "Functions"), "", "faas.max_memory", _MEGABYTES),
    Difference(
        ("ECS on EC2", "ECS on Fargate"),
        "",
        "container.name",
        "the peers report the host name, which on ECS is the short container id (bridge network) or the "
        "task's DNS name (awsvpc); this package reports the container's name from the task metadata",
    ),
    Difference(
        ("ECS on Fargate",),
        "py:",
        "container.id",
        "the Python peer takes the last 64 characters of the cgroup line, which on Fargate include part of "
        "the task id and a slash; the JS peer and this package take the last path segment",
    ),
    Difference(
        ("EKS",),
        "",
        "container.id",
        "the peers take the last 64 characters of the cgroup line and keep the systemd '.scope' suffix, "
        "cutting the id's first characters; this package reports the 64-hex id",
    ),
    Difference(
        ("Elastic Beanstalk",),
        "",
        "service.name",
        "the peers report the constant 'aws_elastic_beanstalk' for every application, which would make all "
        "Beanstalk services one; the service name stays the user's (or the SDK's default)",
    ),
    Difference(
        ("Elastic Beanstalk",),
        "",
        "service.instance.id",
        "the peers report the deployment id (an integer, the same on every instance of the environment), "
        "which breaks instance identity; this package reports it as deployment.id",
    ),
    Difference(
        ("Elastic Beanstalk",),
        "",
        "service.namespace",
        "the peers report the environment name as the namespace; this package reports it as "
        "deployment.environment.name, as go-contrib's detector does",
    ),
    Difference(
        (*_APP_SERVICE, "Azure VM"),
        "py:opentelemetry.resource.detector.azure",
        "cloud.platform",
        "the Python peer predates the conventions' azure.* values (azure_vm, azure_app_service, "
        "azure_functions); this package and the JS peer report azure.vm, azure.app_service, azure.functions",
    ),
    Difference(
        ("Azure VM",),
        "py:",
        "os.type",
        "the Python peer copies IMDS's osType ('Linux'); the conventions' os.type values are lower case "
        "('linux'), which this package reports from the running system",
    ),
    Difference(
        ("Azure VM",),
        "py:",
        "service.instance.id",
        "the Python peer reports the VM's vmId as service.instance.id, which every process and service on "
        "the VM would share; this package reports it as host.id, as the Collector and the JS peer do",
    ),
    Difference(
        _APP_SERVICE,
        "",
        "host.id",
        "the peers report WEBSITE_HOSTNAME, the app's DNS name, the same on every instance: as a host id "
        "Dash0's host rule would make the whole app one resource",
    ),
    Difference(
        _APP_SERVICE,
        "",
        "service.instance.id",
        "the peers report WEBSITE_INSTANCE_ID, the instance VM's id, shared by every worker process on it; "
        "this package reports it as azure.app_service.instance.id (go-contrib's name) and leaves "
        "service.instance.id to the SDK (one per process)",
    ),
    Difference(
        ("containerd, cgroup v2 private namespace (mountinfo)", "Podman, cgroup v2 private namespace (mountinfo)"),
        "py:",
        "container.id",
        "the Python peer takes a 64-hex id from another mount of this capture (a sandbox or an image layer); "
        "OpenTelemetry Java instrumentation's tests for these captures expect the id this package reports "
        "(tests/fixtures/containers/expected-and-measured-container-ids.json)",
    ),
)


def explained(case: str, peer: str, attribute: str) -> Difference | None:
    for row in DIFFERENCES:
        if case in row.cases and peer.startswith(row.peer) and attribute == row.attribute:
            return row
    return None
