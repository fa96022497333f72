"""Why an attribute is left outside every entity (what ``otel-resource detect`` prints beside it).

By the data model, an attribute outside every entity is identifying: if it changes, the resource
is another one. Each row says why an attribute can stay outside anyway, or what to do about it.
docs/entities.md lists the same rows ("Outside every entity"); a test keeps them equal.
"""

from __future__ import annotations

# (key, or prefix ending in "."), reason. The first row that matches a key applies.
OUTSIDE: tuple[tuple[str, str], ...] = (
    (
        "service.name",
        "the user's (OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES) or the SDK's default: a service entity "
        "is made only from a detected name",
    ),
    ("service.instance.id", "the user's or the SDK's random one: it changes on restart, as an instance does"),
    ("service.", "set by the user: it stays as given"),
    (
        "host.name",
        "no host.id can be known (in a container, without privileged sources): the host entity needs it. "
        "In a container this is the container's host name, which changes with the container",
    ),
    ("host.arch", "no host.id can be known, so no host entity; the architecture never changes"),
    (
        "container.runtime.name",
        "the conventions identify a runtime by name and version; from inside a container the version is "
        "not visible. The name never changes for a container",
    ),
    ("process.pid", "this system does not expose the process's creation time (not Linux)"),
    ("telemetry.sdk.", "set by the SDK outside resource_identity (which adds the telemetry.sdk entity)"),
    ("telemetry.distro.", "set by the distro's own detector; it never changes within a deployment"),
    ("telemetry.auto.", "set by the instrumentation; it never changes within a deployment"),
    (
        "cloud.",
        "the conventions list the cloud attributes without roles; they describe where the entities above run "
        "and never change for them",
    ),
    (
        "k8s.",
        "the conventions identify Kubernetes objects by uid; without the API only the name is known. "
        "Set RESOURCE_IDENTITY_K8S_API=true for the uids",
    ),
    ("deployment.", "the deployment's attributes have no entity in the conventions"),
    ("aws.log.", "the conventions' aws.log group has no roles; the log group never changes for a task or function"),
    ("dash0.resource.", "the predicted identity, derived from the entities: it changes only when they do"),
)


def why_outside(key: str) -> str:
    """The reason ``key`` may stay outside every entity, or a general one."""
    for pattern, reason in OUTSIDE:
        if key == pattern or (pattern.endswith(".") and key.startswith(pattern)):
            return reason
    return "no entity type of the conventions or of this package holds it"
