"""How a detector turns what it found into a Resource with entities.

Entity types are declared once, as data: which attributes identify an entity
and which describe it. A detector only collects attributes; the entities
follow from this table (an entity is emitted when all its identifying
attributes were found). The semantic conventions assign most roles; the rows
marked "decided here" are this package's choices, listed in docs/detectors.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from opentelemetry.sdk.resources import Resource

from .._settings import warn_once
from ..entities.model import Entity
from ..entities.resource import ResourceParts, build, parts_of, resource_from_entities
from ._syntax import check

# The semantic-conventions version every detector of this package writes: the
# newest schema the oldest supported opentelemetry-semantic-conventions knows.
SCHEMA_URL = "https://opentelemetry.io/schemas/1.41.0"
_INT64 = (-(2**63), 2**63 - 1)

# Attribute names as plain strings: importing the semantic-convention modules
# that define them costs more start-up time than a whole detection (the vcs and
# k8s modules alone, about 6 ms). tests/test_attribute_names.py checks every
# name here against the constant it stands for.


class EntityType(NamedTuple):
    """One entity type: its identifying and descriptive attributes, and, where the semantic
    conventions assign no roles for it (or this package reports more than they list), why this
    package decided as it did. tests/test_entity_conventions.py holds the table against the
    conventions' model (``model/*/entities.yaml`` of the pinned release)."""

    name: str
    id: tuple[str, ...]
    description: tuple[str, ...] = ()
    decided: str = ""


def _workload(kind: str) -> EntityType:
    return EntityType(f"k8s.{kind}", (f"k8s.{kind}.uid",), (f"k8s.{kind}.name",))


ENTITY_TYPES: tuple[EntityType, ...] = (
    EntityType("service", ("service.name",), ("service.version",)),
    EntityType("service.instance", ("service.instance.id",)),
    EntityType("service.namespace", ("service.namespace",)),
    EntityType("telemetry.sdk", ("telemetry.sdk.name", "telemetry.sdk.language"), ("telemetry.sdk.version",)),
    EntityType("process", ("process.pid", "process.creation.time")),
    EntityType(
        "container",
        ("container.id",),
        ("container.name", "container.image.name", "container.image.tags"),
        decided="the conventions list container.id without a role; it is the one id every runtime and "
        "observer of the container reports. The image attributes describe the container: the "
        "conventions' container.image group has no identifying attributes, so it can be no entity",
    ),
    # The runtime is identified by its name and version, as the conventions say: where the version is
    # not visible (from inside a container it rarely is) no entity is emitted and the name stays a
    # loose attribute (docs/entities.md, "Outside every entity").
    EntityType("container.runtime", ("container.runtime.name", "container.runtime.version")),
    EntityType("k8s.container", ("k8s.container.name",), ("k8s.container.restart_count",)),
    EntityType("k8s.pod", ("k8s.pod.uid",), ("k8s.pod.name",)),
    *(_workload(kind) for kind in ("replicaset", "deployment", "statefulset", "daemonset", "job", "cronjob")),
    EntityType("k8s.namespace", ("k8s.namespace.name",)),
    EntityType("k8s.node", ("k8s.node.uid",), ("k8s.node.name",)),
    EntityType("k8s.cluster", ("k8s.cluster.uid",), ("k8s.cluster.name",)),
    EntityType(
        "aws.ecs.task",
        ("aws.ecs.task.arn",),
        ("aws.ecs.task.id", "aws.ecs.task.family", "aws.ecs.task.revision", "aws.ecs.launchtype"),
        decided="the conventions' aws.ecs group lists cluster, task and container attributes without roles; "
        "a task is identified by its ARN, which names the cluster too",
    ),
    EntityType(
        "azure.app_service.instance",
        ("azure.app_service.instance.id",),
        decided="not in the conventions: an App Service instance is identified by WEBSITE_INSTANCE_ID "
        "(go-contrib's attribute name)",
    ),
    EntityType(
        "azure.container_app.instance",
        ("azure.container_app.instance.id",),
        decided="not in the conventions: a Container Apps replica (or job execution) is identified by its "
        "name (go-contrib's attribute name)",
    ),
    EntityType(
        "faas",
        ("faas.name",),
        ("faas.version", "faas.instance", "faas.max_memory"),
        decided="the conventions list the faas attributes without roles; a function is identified by its "
        "name within its cloud account and region, its version and instance describe it",
    ),
    EntityType("cicd.pipeline", ("cicd.pipeline.name",)),
    EntityType("cicd.pipeline.run", ("cicd.pipeline.run.id",), ("cicd.pipeline.run.url.full",)),
    EntityType("cicd.worker", ("cicd.worker.id",), ("cicd.worker.name", "cicd.worker.url.full")),
    EntityType("vcs.repository", ("vcs.repository.url.full",), ("vcs.repository.name",)),
    EntityType(
        "vcs.ref",
        ("vcs.ref.head.revision",),
        ("vcs.ref.head.name", "vcs.ref.head.type", "vcs.ref.type"),
        decided="vcs.ref.head.type (branch or tag) also describes the ref: the conventions list "
        "vcs.ref.head.name and vcs.ref.type only",
    ),
    EntityType(
        "host",
        ("host.id",),
        ("host.name", "host.arch", "host.type", "host.image.id"),
        decided="the conventions list the host attributes without roles; host.id is the one the "
        "conventions tell every detector how to find, and Dash0's host rule keys on it",
    ),
    EntityType(
        "os",
        ("os.type",),
        ("os.name", "os.version", "os.description", "os.build_id"),
        decided="the conventions list the os attributes without roles; the type identifies it, the rest "
        "describe a system that is upgraded in place",
    ),
)


def attribute_value(key: str, value: object, origin: Callable[[], str] = lambda: "a detector") -> object:  # noqa: PLR0911 - one return per value type
    """``value`` as an attribute may hold it, or ``None`` when it may not (one warning naming ``key``
    and, for a value that cannot be true, ``origin()``: where it came from).

    Every detector's attributes pass through here: strings lose any URL
    credentials and must have the attribute's syntax and length (``_syntax``),
    integers must fit int64 (the OTLP encoder refuses others on every export),
    and arrays must be of one primitive type. ``None`` and ``""`` mean "not found".
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if "@" in value:  # the URL cleaner loads only for a value that may hold credentials
            from .inputs.urls import strip_credentials  # noqa: PLC0415

            value = strip_credentials(value)
        violated = check(key, value)
        if violated is None:
            return value
        where = origin()
        warn_once(
            ("syntax", f"{key} {where} {len(value)} {value[:128]}"),  # once per value; the value is never logged
            "The value found for %s (from %s) is not %s of at most %d characters; left it out "
            "(if the platform really sets such a value, report it with this line: docs/reliability.md)",
            key,
            where,
            violated.description,
            violated.limit,
        )
        return None
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
        items = [attribute_value(key, item, origin) for item in value]
        if any(item is None for item in items):
            return None  # an item that cannot be true (warned about above), or no value at all
        kinds = {type(item) for item in items}
        if len(kinds) <= 1 and not kinds & {list, tuple}:
            return items
    warn_once(
        ("attribute", f"{key}={value!r}"[:256]), "The value found for %s is not an attribute value; left it out", key
    )
    return None


def _origin(
    key: str, raw: object, origins: Mapping[str, str] | None, environ: Mapping[str, str] | None, source: str
) -> Callable[[], str]:
    """Where ``raw`` came from, worked out only when it is refused: the origin the detector named,
    else the environment variable that holds it, else the detector's source."""

    def find() -> str:
        if origins and key in origins:
            return origins[key]
        if environ is not None and isinstance(raw, str):
            for name in sorted(environ):
                text = environ[name]
                if text == raw or text.strip() == raw:
                    return f"the variable {name}"
        return source or "a detector"

    return find


def admitted(
    attributes: Mapping[str, object],
    *,
    source: str = "",
    environ: Mapping[str, str] | None = None,
    origins: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The attributes that may be reported (see :func:`attribute_value`); one warning for each other.

    A detector that computes more from what it found (the Kubernetes service
    attributes from the pod's names) passes its inputs here first, so that
    nothing is computed from a value that cannot be true.
    """
    found = {}
    for key, raw in attributes.items():
        value = attribute_value(key, raw, _origin(key, raw, origins, environ, source))
        if value is not None:
            found[key] = value
    return found


def detected(
    attributes: Mapping[str, object],
    *,
    schema_url: str = SCHEMA_URL,
    source: str = "",
    environ: Mapping[str, str] | None = None,
    origins: Mapping[str, str] | None = None,
) -> Resource:
    """A detector's result: ``attributes`` (see :func:`attribute_value`) with their entities.

    ``source`` names where the detector's values come from (a file, an
    endpoint), ``origins`` where single attributes come from, and ``environ``
    lets a refused value be traced to the variable that holds it: the warning
    for a value that cannot be true names one of these, never the value. With
    ``environ``, what the user set there (``OTEL_SERVICE_NAME``,
    ``OTEL_RESOURCE_ATTRIBUTES``) replaces the detector's value of the same key:
    the one place that decides the user always wins (see ``_user``).
    Nothing found gives the empty Resource, with no schema URL, so a detector
    that does not apply leaves no trace in a merge.
    """
    found = admitted(attributes, source=source, environ=environ, origins=origins)
    if environ is not None and (environ.get("OTEL_SERVICE_NAME") or environ.get("OTEL_RESOURCE_ATTRIBUTES")):
        from ._user import user_wins  # noqa: PLC0415 - only when the user set something

        found, _ = user_wins(found, {}, environ)
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


def per_process(resource: Resource) -> Resource:
    """``resource`` with this process's ``process.pid`` and ``process.creation.time`` (the
    conventions' ``process`` entity) when its ``service.instance.id`` is not the process's own (a
    pod's container, a dyno, a replica, or one the user fixed).

    Such an id names the container or instance, so every worker of a pre-fork
    server (gunicorn, uvicorn ``--workers``, Celery) reports the same one, as
    the other sources that watch it do. Their metric streams stay apart by
    ``process.pid``; the SDK (1.44 and newer) re-runs process-dependent
    detectors in a forked child, which refreshes it.
    """
    attributes = resource.attributes
    if not any(key in attributes for key in ("service.instance.id", "k8s.pod.uid", "k8s.pod.name")):
        return resource
    from .inputs.process import creation_time  # noqa: PLC0415 - only where a process is told apart

    parts = parts_of(resource)
    created = creation_time()
    if created is None:  # not Linux: the pid alone, outside any entity (docs/entities.md)
        return build(ResourceParts(parts.entities, {**parts.loose, "process.pid": os.getpid()}, parts.schema_url))
    # The conventions' process entity: the pid with its creation time, since pids are reused.
    process = Entity("process", {"process.pid": os.getpid(), "process.creation.time": created}, {}, SCHEMA_URL)
    entities = (*(entity for entity in parts.entities if entity.type != "process"), process)
    # A resource detected before a fork holds the parent's values, loose where the SDK's plain merge
    # flattened them: this process's replace them.
    loose = {key: value for key, value in parts.loose.items() if key not in process.keys}
    return build(ResourceParts(entities, loose, parts.schema_url))
