"""How a detector turns what it found into a Resource with entities.

Entity types are declared once, as data: which attributes identify an entity
and which describe it. A detector only collects attributes; the entities
follow from this table (an entity is emitted when all its identifying
attributes were found). The semantic conventions assign most roles; the rows
marked "decided here" are this package's choices, listed in docs/detectors.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opentelemetry.sdk.resources import Resource
from opentelemetry.semconv._incubating.attributes import (
    aws_attributes as aws,
)
from opentelemetry.semconv._incubating.attributes import (
    cicd_attributes as cicd,
)
from opentelemetry.semconv._incubating.attributes import (
    container_attributes as container,
)
from opentelemetry.semconv._incubating.attributes import (
    faas_attributes as faas,
)
from opentelemetry.semconv._incubating.attributes import (
    host_attributes as host,
)
from opentelemetry.semconv._incubating.attributes import (
    k8s_attributes as k8s,
)
from opentelemetry.semconv._incubating.attributes import (
    os_attributes as os_,
)
from opentelemetry.semconv._incubating.attributes import (
    service_attributes as service,
)
from opentelemetry.semconv._incubating.attributes import (
    vcs_attributes as vcs,
)
from opentelemetry.semconv.schemas import Schemas

from .._settings import warn_once
from ..entities.model import Entity
from ..entities.resource import resource_from_entities
from ._urls import strip_credentials

_INT64 = (-(2**63), 2**63 - 1)

# The semantic-conventions version every detector of this package writes: the
# newest schema the oldest supported opentelemetry-semantic-conventions knows.
SCHEMA_URL = Schemas.V1_41_0.value


@dataclass(frozen=True)
class EntityType:
    name: str
    id: tuple[str, ...]
    description: tuple[str, ...] = ()


def _workload(kind: str, uid: str, name: str) -> EntityType:
    return EntityType(f"k8s.{kind}", (uid,), (name,))


ENTITY_TYPES: tuple[EntityType, ...] = (
    EntityType("service", (service.SERVICE_NAME,), (service.SERVICE_VERSION,)),
    EntityType("service.instance", (service.SERVICE_INSTANCE_ID,)),
    EntityType("service.namespace", (service.SERVICE_NAMESPACE,)),
    EntityType(
        "container",
        (container.CONTAINER_ID,),
        (container.CONTAINER_NAME, container.CONTAINER_IMAGE_NAME, container.CONTAINER_IMAGE_TAGS),
    ),
    # Decided here: the runtime's name identifies it (its version is rarely
    # visible from inside a container).
    EntityType("container.runtime", (container.CONTAINER_RUNTIME_NAME,), (container.CONTAINER_RUNTIME_VERSION,)),
    EntityType("k8s.container", (k8s.K8S_CONTAINER_NAME,), (k8s.K8S_CONTAINER_RESTART_COUNT,)),
    EntityType("k8s.pod", (k8s.K8S_POD_UID,), (k8s.K8S_POD_NAME,)),
    _workload("replicaset", k8s.K8S_REPLICASET_UID, k8s.K8S_REPLICASET_NAME),
    _workload("deployment", k8s.K8S_DEPLOYMENT_UID, k8s.K8S_DEPLOYMENT_NAME),
    _workload("statefulset", k8s.K8S_STATEFULSET_UID, k8s.K8S_STATEFULSET_NAME),
    _workload("daemonset", k8s.K8S_DAEMONSET_UID, k8s.K8S_DAEMONSET_NAME),
    _workload("job", k8s.K8S_JOB_UID, k8s.K8S_JOB_NAME),
    _workload("cronjob", k8s.K8S_CRONJOB_UID, k8s.K8S_CRONJOB_NAME),
    EntityType("k8s.namespace", (k8s.K8S_NAMESPACE_NAME,)),
    EntityType("k8s.node", (k8s.K8S_NODE_UID,), (k8s.K8S_NODE_NAME,)),
    EntityType("k8s.cluster", (k8s.K8S_CLUSTER_UID,), (k8s.K8S_CLUSTER_NAME,)),
    # Decided here: an ECS task is identified by its ARN.
    EntityType(
        "aws.ecs.task",
        (aws.AWS_ECS_TASK_ARN,),
        (aws.AWS_ECS_TASK_ID, aws.AWS_ECS_TASK_FAMILY, aws.AWS_ECS_TASK_REVISION, aws.AWS_ECS_LAUNCHTYPE),
    ),
    # Decided here: a function is identified by its name.
    EntityType("faas", (faas.FAAS_NAME,), (faas.FAAS_VERSION, faas.FAAS_INSTANCE, faas.FAAS_MAX_MEMORY)),
    EntityType("cicd.pipeline", (cicd.CICD_PIPELINE_NAME,)),
    EntityType("cicd.pipeline.run", (cicd.CICD_PIPELINE_RUN_ID,), (cicd.CICD_PIPELINE_RUN_URL_FULL,)),
    EntityType("cicd.worker", (cicd.CICD_WORKER_ID,), (cicd.CICD_WORKER_NAME, cicd.CICD_WORKER_URL_FULL)),
    EntityType("vcs.repository", (vcs.VCS_REPOSITORY_URL_FULL,), (vcs.VCS_REPOSITORY_NAME,)),
    EntityType(
        "vcs.ref", (vcs.VCS_REF_HEAD_REVISION,), (vcs.VCS_REF_HEAD_NAME, vcs.VCS_REF_HEAD_TYPE, vcs.VCS_REF_TYPE)
    ),
    # Decided here: the host is identified by host.id (semantic-conventions work in progress agrees).
    EntityType("host", (host.HOST_ID,), (host.HOST_NAME, host.HOST_ARCH, host.HOST_TYPE, host.HOST_IMAGE_ID)),
    # Decided here: the operating system is identified by its type.
    EntityType("os", (os_.OS_TYPE,), (os_.OS_NAME, os_.OS_VERSION, os_.OS_DESCRIPTION, os_.OS_BUILD_ID)),
)


def attribute_value(key: str, value: object) -> object:  # noqa: PLR0911 - one return per value type
    """``value`` as an attribute may hold it, or ``None`` when it may not (one warning naming ``key``).

    Every detector's attributes pass through here: strings lose any URL
    credentials, integers must fit int64 (the OTLP encoder refuses others on
    every export), and arrays must be of one primitive type. ``None`` and
    ``""`` mean "not found".
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return strip_credentials(value)
    if isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        if _INT64[0] <= value <= _INT64[1]:
            return value
        warn_once(
            ("attribute", f"{key}={value}"[:256]), "The value found for %s is beyond the int64 range; left it out", key
        )
        return None
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        items = [attribute_value(key, item) for item in value]
        kinds = {type(item) for item in items}
        if None not in kinds and len(kinds) <= 1 and not kinds & {list, tuple}:
            return items
    warn_once(
        ("attribute", f"{key}={value!r}"[:256]), "The value found for %s is not an attribute value; left it out", key
    )
    return None


def detected(attributes: Mapping[str, object], *, schema_url: str = SCHEMA_URL) -> Resource:
    """A detector's result: ``attributes`` (see :func:`attribute_value`) with their entities.

    Nothing found gives the empty Resource, with no schema URL, so a detector
    that does not apply leaves no trace in a merge.
    """
    found = {}
    for key, raw in attributes.items():
        value = attribute_value(key, raw)
        if value is not None:
            found[key] = value
    if not found:
        return Resource.get_empty()
    entities = []
    owned: set[str] = set()
    for entity_type in ENTITY_TYPES:
        if all(key in found for key in entity_type.id):
            identity = {key: found[key] for key in entity_type.id}
            description = {key: found[key] for key in entity_type.description if key in found}
            entities.append(Entity(entity_type.name, identity, description, schema_url))
            owned |= identity.keys() | description.keys()
    loose = {key: value for key, value in found.items() if key not in owned}
    return resource_from_entities(entities, loose, schema_url)
