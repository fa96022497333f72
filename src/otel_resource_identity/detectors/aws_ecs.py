"""``AwsEcsDetector``: the ECS task and container, from the task metadata endpoint.

Signalled by ``ECS_CONTAINER_METADATA_URI_V4`` (or ``ECS_CONTAINER_METADATA_URI``
for agents that only offer v3); only then does it call ``${URI}`` and
``${URI}/task``. The metadata's ``DockerId`` is the container id (right on
Fargate, where cgroup paths do not carry a 64-hex id); the cgroup files are
the fallback when the endpoint fails.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from opentelemetry.sdk.resources import Resource
from opentelemetry.semconv._incubating.attributes import aws_attributes as aws
from opentelemetry.semconv._incubating.attributes.cloud_attributes import (
    CLOUD_ACCOUNT_ID,
    CLOUD_AVAILABILITY_ZONE,
    CLOUD_PLATFORM,
    CLOUD_PROVIDER,
    CLOUD_REGION,
    CLOUD_RESOURCE_ID,
    CloudPlatformValues,
    CloudProviderValues,
)
from opentelemetry.semconv._incubating.attributes.container_attributes import (
    CONTAINER_ID,
    CONTAINER_IMAGE_NAME,
    CONTAINER_IMAGE_TAGS,
    CONTAINER_NAME,
)

from . import _signals
from ._base import NetworkDetector
from ._emit import detected
from ._http import Deadline, get_json
from .container import container_facts

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


def _log_attributes(container: Mapping[str, Any], partition: str, region: str, account: str) -> dict[str, object]:
    if container.get("LogDriver") != "awslogs":
        return {}
    options = container.get("LogOptions") or {}
    group = options.get("awslogs-group")
    if not isinstance(group, str) or not group:
        return {}
    region = options.get("awslogs-region") or region
    group_arn = f"arn:{partition}:logs:{region}:{account}:log-group:{group}"
    found: dict[str, object] = {aws.AWS_LOG_GROUP_NAMES: [group], aws.AWS_LOG_GROUP_ARNS: [f"{group_arn}:*"]}
    stream = options.get("awslogs-stream")
    if isinstance(stream, str) and stream:
        found[aws.AWS_LOG_STREAM_NAMES] = [stream]
        found[aws.AWS_LOG_STREAM_ARNS] = [f"{group_arn}:log-stream:{stream}"]
    return found


def ecs_attributes(container: Mapping[str, Any], task: Mapping[str, Any]) -> dict[str, object]:
    """The semantic-convention attributes of one container and its task (metadata v4 or v3)."""
    task_arn = str(task.get("TaskARN") or container.get("Labels", {}).get("com.amazonaws.ecs.task-arn") or "")
    container_arn = str(container.get("ContainerARN") or "")
    arn_parts = parse_arn(task_arn) or parse_arn(container_arn)
    found: dict[str, object] = {
        aws.AWS_ECS_TASK_ARN: task_arn or None,
        aws.AWS_ECS_TASK_ID: task_arn.rsplit("/", 1)[-1] if "/" in task_arn else None,
        aws.AWS_ECS_TASK_FAMILY: task.get("Family"),
        aws.AWS_ECS_TASK_REVISION: str(task["Revision"]) if task.get("Revision") is not None else None,
        aws.AWS_ECS_CONTAINER_ARN: container_arn or None,
        CLOUD_RESOURCE_ID: container_arn or None,
        CLOUD_AVAILABILITY_ZONE: task.get("AvailabilityZone"),
        CONTAINER_ID: container.get("DockerId"),
        CONTAINER_NAME: container.get("DockerName") or container.get("Name"),
    }
    launch_type = str(task.get("LaunchType") or "").lower()
    if launch_type in ("ec2", "fargate"):
        found[aws.AWS_ECS_LAUNCHTYPE] = launch_type
    image = container.get("Image")
    if isinstance(image, str) and image:
        name, tag = split_image(image)
        found[CONTAINER_IMAGE_NAME] = name
        if tag:
            found[CONTAINER_IMAGE_TAGS] = [tag]
    cluster = str(task.get("Cluster") or "")
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
        found: dict[str, object] = {
            CLOUD_PROVIDER: CloudProviderValues.AWS.value,
            CLOUD_PLATFORM: CloudPlatformValues.AWS_ECS.value,
        }
        uri = uri.rstrip("/")
        container = get_json(uri, deadline=deadline)
        task = get_json(f"{uri}/task", deadline=deadline) if container.ok else container
        if container.ok and task.ok and isinstance(container.document, dict) and isinstance(task.document, dict):
            found.update(ecs_attributes(container.document, task.document))
        else:
            problem = container.problem or task.problem or "the reply is not a JSON object"
            _logger.warning(
                "AWS ECS: the task metadata endpoint (from ECS_CONTAINER_METADATA_URI%s) failed: %s; "
                "reported what the local files say",
                "_V4" if self.environ.get("ECS_CONTAINER_METADATA_URI_V4") else "",
                problem,
            )
            found[CONTAINER_ID] = container_facts(self.root).container_id
        return detected(found)
