"""``AwsEcsDetector``: the ECS task and container, from the task metadata endpoint.

Signalled by ``ECS_CONTAINER_METADATA_URI_V4`` (or ``ECS_CONTAINER_METADATA_URI``
for agents that only offer v3); only then does it call ``${URI}`` and
``${URI}/task``. The metadata's ``DockerId`` is the container id (right on
Fargate, where cgroup paths do not carry a 64-hex id); the cgroup files are
the fallback when the endpoint fails.
"""

from __future__ import annotations

import logging

from opentelemetry.sdk.resources import Resource

from .. import _signals
from .._base import NetworkDetector
from .._emit import detected
from .._names import (
    CLOUD_ACCOUNT_ID,
    CLOUD_AVAILABILITY_ZONE,
    CLOUD_PLATFORM,
    CLOUD_PROVIDER,
    CLOUD_REGION,
    CLOUD_RESOURCE_ID,
    CONTAINER_ID,
    CONTAINER_IMAGE_NAME,
    CONTAINER_IMAGE_TAGS,
    CONTAINER_NAME,
    SERVICE_NAME,
    CloudPlatformValues,
    CloudProviderValues,
    aws,
)
from ..container import container_facts
from ..inputs.deadline import Deadline
from ..inputs.http import get_json
from ..inputs.reply import Fields
from ..inputs.urls import parse_endpoint

_logger = logging.getLogger(__name__)


def parse_arn(arn: str) -> tuple[str, str, str] | None:
    """(partition, region, account) of an ARN, or ``None`` when it is not one."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or not parts[3] or not parts[4]:
        return None
    return parts[1], parts[3], parts[4]


def split_image(image: str) -> tuple[str, str | None]:
    """(name, tag) of an image reference ``repo[:tag][@digest]``; the tag defaults to ``latest``."""
    name = image.split("@", 1)[0]
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > last_slash:
        return name[:colon], name[colon + 1 :]
    return name, None if "@" in image else "latest"


def _log_attributes(container: Fields, partition: str, region: str, account: str) -> dict[str, object]:
    if container.text("LogDriver") != "awslogs":
        return {}
    options = container.object("LogOptions")
    group = options.text("awslogs-group")
    if not group:
        return {}
    region = options.text("awslogs-region") or region
    # The group's ARN without the ":*" suffix IAM policies use: the Collector, the JS and the
    # Python detectors report it so (the conventions' example has the suffix; no reporter does).
    group_arn = f"arn:{partition}:logs:{region}:{account}:log-group:{group}"
    found: dict[str, object] = {aws.AWS_LOG_GROUP_NAMES: [group], aws.AWS_LOG_GROUP_ARNS: [group_arn]}
    stream = options.text("awslogs-stream")
    if stream:
        found[aws.AWS_LOG_STREAM_NAMES] = [stream]
        found[aws.AWS_LOG_STREAM_ARNS] = [f"{group_arn}:log-stream:{stream}"]
    return found


def ecs_attributes(container: Fields, task: Fields) -> dict[str, object]:
    """The semantic-convention attributes of one container and its task (metadata v4 or v3)."""
    task_arn = task.text("TaskARN") or container.object("Labels").text("com.amazonaws.ecs.task-arn") or ""
    container_arn = container.text("ContainerARN") or ""
    arn_parts = parse_arn(task_arn) or parse_arn(container_arn)
    found: dict[str, object] = {
        aws.AWS_ECS_TASK_ARN: task_arn or None,
        aws.AWS_ECS_TASK_ID: task_arn.rsplit("/", 1)[-1] if "/" in task_arn else None,
        aws.AWS_ECS_TASK_FAMILY: task.text("Family"),
        aws.AWS_ECS_TASK_REVISION: task.label("Revision"),
        # The ECS service the task runs for (ServiceName, agent 1.63.1 and newer), else the task
        # definition's family: what ECS names the application by. AWS's own OpenTelemetry tooling
        # leaves service.name to the user; theirs still wins (docs/detectors.md, service names).
        SERVICE_NAME: task.text("ServiceName") or task.text("Family"),
        aws.AWS_ECS_CONTAINER_ARN: container_arn or None,
        CLOUD_RESOURCE_ID: container_arn or None,
        CLOUD_AVAILABILITY_ZONE: task.text("AvailabilityZone"),
        CONTAINER_ID: container.text("DockerId"),
        CONTAINER_NAME: container.text("DockerName") or container.text("Name"),
    }
    launch_type = (task.text("LaunchType") or "").lower()
    if launch_type in ("ec2", "fargate"):
        found[aws.AWS_ECS_LAUNCHTYPE] = launch_type
    image = container.text("Image")
    if image:
        name, tag = split_image(image)
        found[CONTAINER_IMAGE_NAME] = name
        if tag:
            found[CONTAINER_IMAGE_TAGS] = [tag]
    cluster = task.text("Cluster") or ""
    if arn_parts:
        partition, region, account = arn_parts
        found[CLOUD_REGION] = region
        found[CLOUD_ACCOUNT_ID] = account
        if cluster and not cluster.startswith("arn:"):
            cluster = f"arn:{partition}:ecs:{region}:{account}:cluster/{cluster}"
        found.update(_log_attributes(container, partition, region, account))
    found[aws.AWS_ECS_CLUSTER_ARN] = cluster if cluster.startswith("arn:") else None
    return found


class AwsEcsDetector(NetworkDetector):
    """An ECS task's container: ``aws.ecs.*``, ``aws.log.*``, ``cloud.*``, ``container.*``."""

    def applies(self) -> bool:
        return _signals.aws_ecs(self.environ, self.root)

    def detect_within(self, deadline: Deadline) -> Resource:
        uri = _signals.ecs_metadata_uri(self.environ)
        if not uri:
            return Resource.get_empty()
        variable = (
            "ECS_CONTAINER_METADATA_URI_V4"
            if self.environ.get("ECS_CONTAINER_METADATA_URI_V4")
            else ("ECS_CONTAINER_METADATA_URI")
        )
        found = self.partial = {
            CLOUD_PROVIDER: CloudProviderValues.AWS,
            CLOUD_PLATFORM: CloudPlatformValues.AWS_ECS,
            CONTAINER_ID: container_facts(self.root).container_id,
        }
        endpoint = parse_endpoint(uri)
        if isinstance(endpoint, str):
            _logger.warning(
                "AWS ECS: %s is not a usable endpoint (%s); reported what the local files say", variable, endpoint
            )
            return detected(found, source="the ECS task metadata endpoint", environ=self.environ)
        base = f"{endpoint.safe}{endpoint.path.rstrip('/')}"
        container = get_json(base, deadline=deadline)
        task = get_json(f"{base}/task", deadline=deadline) if container.ok else container
        if container.ok and task.ok and isinstance(container.document, dict) and isinstance(task.document, dict):
            container_fields = Fields(container.document, "AWS ECS container metadata")
            task_fields = Fields(task.document, "AWS ECS task metadata")
            found.update({key: value for key, value in ecs_attributes(container_fields, task_fields).items() if value})
            container_fields.report(_logger)
            task_fields.report(_logger)
        else:
            problem = container.problem or task.problem or "the reply is not a JSON object"
            _logger.warning(
                "AWS ECS: the task metadata endpoint (%s, from %s) failed: %s; reported what the local files say",
                endpoint.safe,
                variable,
                problem,
            )
        return detected(found, source="the ECS task metadata endpoint", environ=self.environ)
