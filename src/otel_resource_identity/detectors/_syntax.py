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


# Each row's characters and length come from the platform's own definition of the value, cited
# next to it, widened wherever a real value (tests/fixtures/real-values/, the shared collection)
# goes beyond it. A row errs wide: refusing a true value loses an attribute on every instance of a
# platform, while a wide row still stops control characters, escapes and megabyte values.

# Kubernetes "Object Names and IDs": most object names are DNS subdomains (RFC 1123), at most
# 253 lower-case alphanumerics, '-' and '.', starting and ending alphanumeric.
DNS_SUBDOMAIN = Syntax("a DNS subdomain (a Kubernetes object name)", _DIGITS + _LOWER + "-.", 253, "dns")
# Same page: namespaces and container names are RFC 1123 labels, at most 63 characters.
DNS_LABEL = Syntax("a DNS label", _DIGITS + _LOWER + "-", 63, "dns")
# Same page: "Kubernetes UIDs are universally unique identifiers (also known as UUIDs)", ISO/IEC 9834-8.
UUID = Syntax("a UUID", _HEX + "-", 36, "uuid")
# Docker and the OCI runtime spec: a container id is 64 hex digits; ECS task metadata v4 docs: on
# Fargate DockerId is "<32 hex>-<digits>" (real values: 'cd189a933e5849daa93386466019ab50-2495160603').
CONTAINER_ID = Syntax(
    "a container id (64 hex digits, or ECS Fargate's task id, a hyphen and a number)", _HEX + "-", 75, "container"
)
# Cloud instance, account, image and type ids: EC2 'i-…', AWS accounts (12 digits), GCP project ids
# and numbers, Azure subscription GUIDs and VM sizes ('Standard_DS2_v2'), OCI OCIDs
# ('ocid1.instance.oc1.iad.…', 'ocid1.tenancy.oc1..…') and shapes ('VM.Standard.E4.Flex'), GCE paths
# ('projects/123/machineTypes/e2-medium'), Vercel ids ('prj_…', 'dpl_…'), ISO timestamps (Heroku).
# None of these platforms allows spaces or other punctuation in them; the longest OCID is under 256.
IDENTIFIER = Syntax("an identifier (letters, digits and . _ - : / + = @)", _ALNUM + "_.:/+=@-", 256)
# A CI worker: GitLab runner and Azure Pipelines agent ids are numbers, Buildkite's a UUID, but
# Jenkins has no id apart from the node's name, and a node name may hold spaces and any letter
# (Jenkins core refuses only ?*/\%!@#$^&|<>[]:; in it): printable text.
WORKER = Syntax("a worker name or id (no control characters)", None, 512)
# A CI run id: numbers on most systems, but Jenkins' BUILD_TAG is jenkins-${JOB_NAME}-${BUILD_NUMBER}
# and a job name may hold spaces (Jenkins docs): printable text.
RUN_ID = Syntax("a run id (no control characters)", None, 512)
# EKS cluster names (1-100 alphanumerics, '-' and '_', alphanumeric first: EKS CreateCluster API),
# GKE (lower-case, digits, '-', 40), AKS (63: alphanumerics, '_' and '-'); Docker container names
# ('[a-zA-Z0-9][a-zA-Z0-9_.-]+'; App Service's 'site_0_6c25cfe7'); ECS families (255: letters,
# digits, '-' and '_': "Up to 255 letters ..., numbers, underscores, and hyphens", ECS
# RegisterTaskDefinition); Cloud Run execution names (DNS labels). The longest of them sets the limit.
NAME = Syntax("a name (letters, digits and . _ -)", _ALNUM + "_.-", 255, "first")
# RFC 1123 host names, NetBIOS names ('RD281878EF37E3'), container short ids: never a space.
HOST_NAME = Syntax("a host name (no spaces or control characters)", None, 253, "nospace")
# Regions and zones: AWS ('us-east-1d'), GCP ('us-central1-a'), Alibaba ('cn-zhangjiakou-a'), Azure's
# programmatic names ('westeurope', IMDS 'GermanyCentral', zones '3', physical zones 'uscentral-AZ01')
# and its display names in REGION_NAME ('West Europe', 'East US 2': App Service and Functions set
# them so), OCI availability domains with their tenancy prefix ('Uocm:PHX-AD-1', OCI instance
# metadata docs), Railway's 'us-east4-eqdc4a'. The longest real name is under 40 characters.
CODE = Syntax("a region or zone name (letters, digits, spaces and _ - . :)", _ALNUM + "_-.: ", 64, "first")
# AWS ARNs are at most 2048 characters of visible ASCII (IAM identifiers reference); Azure resource
# ids are visible ASCII paths; Lambda log stream names ('2026/08/21/[$LATEST]2f39…').
RESOURCE_ID = Syntax("a cloud resource id or ARN (visible ASCII)", "ascii", 2048)
# RFC 3986: a URL is visible ASCII; 2048 is the length browsers and CI systems keep.
URL = Syntax("a URL (visible ASCII)", "ascii", 2048)
# The Docker reference grammar: a name of at most 255 characters, a tag of 128, a digest.
IMAGE = Syntax("an image reference (visible ASCII)", "ascii", 512)
# The Docker reference grammar: a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
TAG = Syntax("an image tag", _ALNUM + "_.-", 128, "first")
# Free text that names something for a person: versions ('$LATEST', 'v42', 'Deploy 2c3a0b2'),
# service attributes, everything else. Only control characters and size are refused.
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
    "cicd.pipeline.run.id": RUN_ID,
    "cicd.pipeline.task.run.id": RUN_ID,
    "cicd.worker.id": WORKER,
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
