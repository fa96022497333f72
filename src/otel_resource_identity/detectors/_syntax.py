"""What each attribute this package reports can look like, and how long it can be.

Every string a detector reports passes :func:`check` (called where attribute
values are emitted, ``_emit.attribute_value``). The syntaxes come from the
platforms' and the conventions' definitions: a Kubernetes object name is a DNS
subdomain of at most 253 characters (a namespace or container name a DNS
label of 63), a Kubernetes uid is a UUID, a container id 64 hex digits, a
region a short code, a URL visible ASCII. A value that cannot be true (a
megabyte pod name, a uid with an escape sequence, a region with a newline) is
not reported: the caller warns once, naming the attribute and where the value
came from, never the value. Values the user sets directly
(``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_SERVICE_NAME``, ``OTEL_ENTITIES``) never
pass here: they are the user's.

The table is data: docs/reliability.md lists it, and tests walk every row.
"""

from __future__ import annotations

from collections.abc import Mapping

_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ALNUM = _DIGITS + _LOWER + _LOWER.upper()
_HEX = _DIGITS + "abcdefABCDEF"


class Syntax:
    """A kind of value: what it is (for messages and docs), the characters it may hold (``None``:
    any printable character; ``"ascii"``: visible ASCII), its longest length, and its shape.

    Checked with ``str`` methods, not regular expressions, and a plain class, not a named tuple:
    the host and container detectors run at every start-up, and compiling patterns or building
    tuple classes would cost more than their whole detection.
    """

    __slots__ = ("allowed", "description", "limit", "shape")

    def __init__(self, description: str, allowed: str | None, limit: int, shape: str = "") -> None:
        self.description = description
        self.allowed = allowed
        self.limit = limit
        # "dns" (first and last alphanumeric), "first" (first alphanumeric), "nospace", "uuid", "container"
        self.shape = shape


DNS_SUBDOMAIN = Syntax("a DNS subdomain (a Kubernetes object name)", _DIGITS + _LOWER + "-.", 253, "dns")
DNS_LABEL = Syntax("a DNS label", _DIGITS + _LOWER + "-", 63, "dns")
UUID = Syntax("a UUID", _HEX + "-", 36, "uuid")
CONTAINER_ID = Syntax(
    "a container id (64 hex digits, or ECS Fargate's task id, a hyphen and a number)", _HEX + "-", 75, "container"
)
IDENTIFIER = Syntax("an identifier (letters, digits and . _ - : / + = @)", _ALNUM + "_.:/+=@-", 256)
NAME = Syntax("a name (letters, digits and . _ -)", _ALNUM + "_.-", 253, "first")
HOST_NAME = Syntax("a host name (no spaces or control characters)", None, 253, "nospace")
CODE = Syntax("a region or zone name (letters, digits, spaces and _ - . :)", _ALNUM + "_-.: ", 64, "first")
RESOURCE_ID = Syntax("a cloud resource id or ARN (visible ASCII)", "ascii", 2048)
URL = Syntax("a URL (visible ASCII)", "ascii", 2048)
IMAGE = Syntax("an image reference (visible ASCII)", "ascii", 512)
TAG = Syntax("an image tag", _ALNUM + "_.-", 128, "first")
VERSION = Syntax("a version (no control characters)", None, 256)
SERVICE = Syntax("a service attribute (no control characters)", None, 512)
TEXT = Syntax("text (no control characters)", None, 4096)

_K8S_NAMES = ("pod", "deployment", "replicaset", "statefulset", "daemonset", "job", "cronjob", "node")
_K8S_UIDS = (*_K8S_NAMES, "namespace", "cluster")

# Attribute -> syntax. An attribute not listed is free text (TEXT).
SYNTAX: Mapping[str, Syntax] = {
    **{f"k8s.{kind}.name": DNS_SUBDOMAIN for kind in _K8S_NAMES},
    **{f"k8s.{kind}.uid": UUID for kind in _K8S_UIDS},
    "k8s.namespace.name": DNS_LABEL,
    "k8s.container.name": DNS_LABEL,
    "k8s.cluster.name": NAME,
    "container.id": CONTAINER_ID,
    "container.name": NAME,
    "container.runtime.name": DNS_LABEL,
    "container.image.name": IMAGE,
    "container.image.tags": TAG,
    "container.image.repo_digests": IMAGE,
    "host.id": IDENTIFIER,
    "host.name": HOST_NAME,
    "host.image.id": IDENTIFIER,
    "host.type": IDENTIFIER,
    "host.arch": IDENTIFIER,
    "cloud.provider": IDENTIFIER,
    "cloud.platform": IDENTIFIER,
    "cloud.account.id": IDENTIFIER,
    "cloud.region": CODE,
    "cloud.availability_zone": CODE,
    "cloud.resource_id": RESOURCE_ID,
    "aws.ecs.cluster.arn": RESOURCE_ID,
    "aws.ecs.container.arn": RESOURCE_ID,
    "aws.ecs.task.arn": RESOURCE_ID,
    "aws.ecs.task.id": IDENTIFIER,
    "aws.ecs.task.family": NAME,
    "aws.ecs.task.revision": IDENTIFIER,
    "aws.ecs.launchtype": IDENTIFIER,
    "aws.log.group.names": RESOURCE_ID,
    "aws.log.group.arns": RESOURCE_ID,
    "aws.log.stream.names": RESOURCE_ID,
    "aws.log.stream.arns": RESOURCE_ID,
    "azure.vm.size": IDENTIFIER,
    "faas.name": IDENTIFIER,
    "faas.version": VERSION,
    "faas.instance": RESOURCE_ID,
    "gcp.cloud_run.job.execution": NAME,
    "heroku.app.id": IDENTIFIER,
    "heroku.release.commit": IDENTIFIER,
    "heroku.release.creation_timestamp": IDENTIFIER,
    "vercel.deployment_id": IDENTIFIER,
    "vercel.project_id": IDENTIFIER,
    "deployment.id": IDENTIFIER,
    "service.name": SERVICE,
    "service.namespace": SERVICE,
    "service.version": VERSION,
    "service.instance.id": SERVICE,
    "cicd.pipeline.run.id": IDENTIFIER,
    "cicd.pipeline.task.run.id": IDENTIFIER,
    "cicd.worker.id": IDENTIFIER,
    "cicd.pipeline.run.url.full": URL,
    "cicd.pipeline.task.run.url.full": URL,
    "cicd.worker.url.full": URL,
    "vcs.repository.url.full": URL,
    "vcs.ref.head.revision": IDENTIFIER,
    "vcs.change.id": IDENTIFIER,
}

_tables: dict[str, dict[int, int | None]] = {}


def syntax_of(key: str) -> Syntax:
    """The syntax ``key``'s values must have."""
    return SYNTAX.get(key, TEXT)


def _characters_allowed(value: str, allowed: str | None) -> bool:
    # isprintable() is False for C0/C1 controls, DEL, line and paragraph separators and the
    # bidirectional formatting characters (all of category Cf), which is what "no control
    # characters" means here.
    if allowed is None:
        return value.isprintable()
    if allowed == "ascii":
        return value.isascii() and value.isprintable() and " " not in value
    table = _tables.get(allowed)
    if table is None:
        table = _tables.setdefault(allowed, str.maketrans("", "", allowed))
    return not value.translate(table)


def _shaped(value: str, shape: str) -> bool:  # noqa: PLR0911 - one return per shape
    if shape == "dns":
        return value[0].isalnum() and value[-1].isalnum()
    if shape == "first":
        return value[0].isalnum()
    if shape == "nospace":
        return " " not in value
    if shape == "uuid":
        return len(value) == 36 and all(value[i] == "-" for i in (8, 13, 18, 23)) and value.count("-") == 4
    if shape == "container":
        head, _, tail = value.partition("-")
        if not tail:
            return len(head) == 64 and "-" not in head  # a full container id
        return len(head) == 32 and tail.isdigit() and tail.isascii()  # a Fargate task id
    return True


def check(key: str, value: str) -> Syntax | None:
    """``None`` when ``value`` may be reported as ``key``; else the syntax it violates."""
    syntax = syntax_of(key)
    if not value or len(value) > syntax.limit:
        return syntax
    if not _characters_allowed(value, syntax.allowed) or not _shaped(value, syntax.shape):
        return syntax
    return None
