"""A pod's ``service.*``, computed by the Kubernetes attributes convention.

The semantic conventions' non-normative Kubernetes page defines how every
source that watches a pod names its service; the Collector's ``k8sattributes``
processor and the OpenTelemetry Operator implement it. This module is that
convention as pure functions over what the pod says about itself (its
annotations, labels, owners, image), so that the SDK in the pod reports the
same ``service.*`` as a log agent enriched by the Collector.

Every computed value carries its source (``annotation resource.opentelemetry.io/service.name``,
``workload k8s.deployment.name``, ...), which ``otel-resource detect`` prints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

ANNOTATION_PREFIX = "resource.opentelemetry.io/"

# The well-known labels, most specific first, used only when opted in
# (RESOURCE_IDENTITY_K8S_LABELS), as the convention requires.
NAME_LABELS = ("app.kubernetes.io/instance", "app.kubernetes.io/name")
VERSION_LABEL = "app.kubernetes.io/version"

# The convention's service.name fallbacks, ancestor first, then the pod and the container.
WORKLOAD_NAMES = (
    "k8s.deployment.name",
    "k8s.replicaset.name",
    "k8s.statefulset.name",
    "k8s.daemonset.name",
    "k8s.cronjob.name",
    "k8s.job.name",
)

# Keys an annotation may not set: facts this package observes about the pod,
# its owners, its node and its container. An annotation is the deployer's
# word about the service; it cannot make the pod another pod.
RESERVED_KEYS = frozenset(
    {
        "k8s.pod.uid",
        "k8s.pod.name",
        "k8s.namespace.name",
        "k8s.node.name",
        "k8s.node.uid",
        "k8s.container.name",
        "k8s.cluster.uid",
        "container.id",
        "host.id",
        "process.pid",
        *WORKLOAD_NAMES,
        *(name.replace(".name", ".uid") for name in WORKLOAD_NAMES),
    }
)

# Longest value taken from a label, an annotation or an injected variable.
# Kubernetes caps all annotations of an object together at 256 KiB; a value
# this package copies onto every span must stay far smaller.
MAX_VALUE = 4096
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def usable(value: str) -> bool:
    """Whether ``value`` may become an attribute: within ``MAX_VALUE``, no control or bidi characters."""
    return 0 < len(value) <= MAX_VALUE and _CONTROL.search(value) is None


# -- the downward API volume (kubelet's format: key="Go-quoted value" per line)

_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, '"': 34, "'": 39}
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}
_HEX = frozenset("0123456789abcdefABCDEF")


def go_unquote(quoted: str) -> str | None:  # noqa: PLR0911, PLR0912 - one branch per escape kind
    """The string a Go ``%q`` literal stands for, or ``None`` when ``quoted`` is not one."""
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        return None
    body = quoted[1:-1]
    out = bytearray()
    index = 0
    while index < len(body):
        char = body[index]
        if char == '"':
            return None
        if char != "\\":
            out += char.encode("utf-8", "replace")
            index += 1
            continue
        if index + 1 >= len(body):
            return None
        kind = body[index + 1]
        if kind in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[kind])
            index += 2
        elif kind in _HEX_WIDTH:
            digits = body[index + 2 : index + 2 + _HEX_WIDTH[kind]]
            if len(digits) != _HEX_WIDTH[kind] or not set(digits) <= _HEX:
                return None
            value = int(digits, 16)
            if kind == "x":
                out.append(value)
            elif value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
                return None
            else:
                out += chr(value).encode()
            index += 2 + _HEX_WIDTH[kind]
        elif kind in "01234567":
            digits = body[index + 1 : index + 4]
            if len(digits) != 3 or not set(digits) <= set("01234567") or int(digits, 8) > 255:
                return None
            out.append(int(digits, 8))
            index += 4
        else:
            return None
    return out.decode("utf-8", "replace")


# A label or annotation key: a DNS-subdomain prefix (253), "/", a name (63).
_MAX_KEY = 317


def parse_podinfo(text: str) -> tuple[dict[str, str], int]:
    """The ``key="value"`` lines of a downward-API ``labels`` or ``annotations`` file, and how many
    lines were not of that form (the caller warns once, naming the file)."""
    found: dict[str, str] = {}
    malformed = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        key, equals, quoted = line.partition("=")
        value = go_unquote(quoted) if equals else None
        if not key or len(key) > _MAX_KEY or value is None or not key.isprintable() or " " in key:
            malformed += 1
            continue
        found[key] = value
    return found, malformed


# -- container images, as github.com/distribution/reference parses them

_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_REFERENCE = re.compile(
    rf"(?P<name>{_NAME})(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?",
    re.ASCII,
)
# The digests go-digest knows, with their lengths; any other fails to parse there too.
_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_MAX_NAME = 255
_MAX_REFERENCE = 1024


class Image(NamedTuple):
    """A parsed image reference: ``name`` (as written, without tag and digest), ``tag``, ``digest``."""

    name: str
    tag: str | None
    digest: str | None

    @property
    def version(self) -> str | None:
        """The convention's ``service.version``: ``<tag>@<digest>``, ``<digest>`` or ``<tag>``."""
        if self.tag and self.digest:
            return f"{self.tag}@{self.digest}"
        return self.digest or self.tag

    @property
    def tags(self) -> list[str]:
        """``container.image.tags`` as the Collector reports it (``latest`` when no tag is written)."""
        return [self.tag or "latest"]

    def canonical(self) -> str | None:
        """``<normalized name>@<digest>`` (``docker.io/library/...`` spelled out), for ``repo_digests``."""
        if not self.digest:
            return None
        first, slash, rest = self.name.partition("/")
        if not slash or ("." not in first and ":" not in first and first != "localhost"):
            domain, path = "docker.io", self.name
        else:
            domain, path = ("docker.io" if first == "index.docker.io" else first), rest
        if domain == "docker.io" and "/" not in path:
            path = f"library/{path}"
        return f"{domain}/{path}@{self.digest}"


def parse_image(reference: str) -> Image | None:
    """``reference`` parsed as distribution/reference does, or ``None`` when it is not one."""
    if len(reference) > _MAX_REFERENCE:
        return None
    match = _REFERENCE.fullmatch(reference)
    if match is None or len(match["name"]) > _MAX_NAME:
        return None
    digest = match["digest"]
    if digest is not None:
        algorithm, _, encoded = digest.partition(":")
        if _DIGEST_LENGTHS.get(algorithm) != len(encoded) or encoded != encoded.lower():
            return None
    return Image(match["name"], match["tag"], digest)


def repo_digest(image_id: str) -> str | None:
    """A container status's ``imageID`` as a canonical ``name@digest``, when it is one.

    Docker-based nodes (dockershim, cri-dockerd) write it behind a scheme
    (``docker-pullable://registry/name@sha256:…``); the reference is what follows it.
    """
    scheme, separator, rest = image_id.partition("://")
    image = parse_image(rest if separator and scheme.startswith("docker") else image_id)
    return image.canonical() if image is not None and image.tag is None else None


# -- the convention


class Pod(NamedTuple):
    """What is known of this process's pod and container, from whichever inputs were available."""

    namespace: str | None = None
    name: str | None = None
    container: str | None = None
    workloads: Mapping[str, str] = {}
    annotations: Mapping[str, str] = {}
    labels: Mapping[str, str] = {}
    image: Image | None = None
    # service.* the Dash0 operator computed from the pod's labels and annotations (OTEL_INJECTOR_SERVICE_*).
    injected: Mapping[str, str] = {}
    # Whether ``workloads`` is known to be complete (the API's owner references were followed, or the
    # labels Kubernetes sets on a controller's pods were read and named them). Only then may the pod's
    # or the container's name stand for the service: otherwise it may have a Deployment we cannot see,
    # and the Collector, which sees it, would name the service after that.
    owners_known: bool = False


Computed = dict[str, tuple[object, str]]


def _first(*candidates: tuple[str | None, str]) -> tuple[str, str] | None:
    for value, source in candidates:
        if value:
            return value, source
    return None


def service_attributes(pod: Pod, *, use_labels: bool) -> Computed:
    """``service.*`` and every ``resource.opentelemetry.io/<key>`` annotation, each with its source.

    Precedence per attribute, as the convention (and the Operator's docs) order
    it: annotation; well-known label (only with ``use_labels``); the value the
    Dash0 operator injected from those same labels and annotations; then the
    fallback computed from the pod (workload, pod, container name; the image;
    the namespace; ``<namespace>.<pod>.<container>``).
    """
    computed: Computed = {}
    for key, value in pod.annotations.items():
        if key.startswith(ANNOTATION_PREFIX) and len(key) > len(ANNOTATION_PREFIX):
            computed[key[len(ANNOTATION_PREFIX) :]] = (value, f"annotation {key}")

    def annotation(key: str) -> tuple[str | None, str]:
        return pod.annotations.get(ANNOTATION_PREFIX + key), f"annotation {ANNOTATION_PREFIX}{key}"

    def label(key: str) -> tuple[str | None, str]:
        return (pod.labels.get(key) if use_labels else None), f"label {key}"

    def injected(key: str, variable: str) -> tuple[str | None, str]:
        return pod.injected.get(key), f"Dash0 operator {variable}"

    workloads = [(pod.workloads.get(key), f"workload {key}") for key in WORKLOAD_NAMES]
    chosen = {
        "service.name": _first(
            annotation("service.name"),
            *(label(key) for key in NAME_LABELS),
            injected("service.name", "OTEL_INJECTOR_SERVICE_NAME"),
            *workloads,
            (pod.name if pod.owners_known else None, "k8s.pod.name"),
            (pod.container if pod.owners_known else None, "k8s.container.name"),
        ),
        "service.version": _first(
            annotation("service.version"),
            label(VERSION_LABEL),
            injected("service.version", "OTEL_INJECTOR_SERVICE_VERSION"),
            (pod.image.version if pod.image else None, "image tag and digest"),
        ),
        "service.namespace": _first(
            annotation("service.namespace"),
            injected("service.namespace", "OTEL_INJECTOR_SERVICE_NAMESPACE"),
            (pod.namespace, "k8s.namespace.name"),
        ),
        "service.instance.id": _first(
            annotation("service.instance.id"),
            (
                f"{pod.namespace}.{pod.name}.{pod.container}" if pod.namespace and pod.name and pod.container else None,
                "<k8s.namespace.name>.<k8s.pod.name>.<k8s.container.name>",
            ),
        ),
    }
    for key, found in chosen.items():
        if found is not None:
            computed[key] = found
    if pod.image is not None:
        computed["container.image.name"] = (pod.image.name, "pod spec image")
        computed["container.image.tags"] = (pod.image.tags, "pod spec image")
    return computed


# -- workloads that Kubernetes itself writes into a pod's labels

_HASH_SUFFIX = re.compile(r"-[a-z0-9]{5}")
_OBJECT_NAME = re.compile(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")
_ORDINAL = re.compile(r"(.+)-(0|[1-9][0-9]*)")


def workloads_from_labels(pod_name: str | None, labels: Mapping[str, str]) -> dict[str, str]:
    """Owner names that the labels Kubernetes sets on a pod make certain, without the API.

    - ``pod-template-hash`` (Deployment-owned): the ReplicaSet is
      ``<deployment>-<hash>`` and its pods ``<replicaset>-<5 characters>``;
      the Collector derives the Deployment from the ReplicaSet name the same way.
    - ``statefulset.kubernetes.io/pod-name`` (StatefulSet-owned): pods are
      ``<statefulset>-<ordinal>``.
    - ``batch.kubernetes.io/job-name`` or ``job-name`` (Job-owned): the Job's name itself.

    A DaemonSet's or CronJob's name is not in any label: it needs the API.
    """
    found: dict[str, str] = {}
    template_hash = labels.get("pod-template-hash", "")
    if pod_name and template_hash:
        marker = f"-{template_hash}"
        replicaset, _, suffix = pod_name.rpartition("-")
        if replicaset.endswith(marker) and len(replicaset) > len(marker) and _HASH_SUFFIX.fullmatch(f"-{suffix}"):
            found["k8s.replicaset.name"] = replicaset
            found["k8s.deployment.name"] = replicaset[: -len(marker)]
    ordinal = _ORDINAL.fullmatch(pod_name or "")
    if ordinal and labels.get("statefulset.kubernetes.io/pod-name") == pod_name:
        found["k8s.statefulset.name"] = ordinal[1]
    job = labels.get("batch.kubernetes.io/job-name") or labels.get("job-name")
    if job:
        found["k8s.job.name"] = job
    # A name from a label is a Kubernetes object name: a DNS subdomain, never free text.
    return {key: name for key, name in found.items() if _OBJECT_NAME.fullmatch(name)}


# Labels a controller sets on its pods whose owner's name no label tells (a DaemonSet's, a
# custom controller's): with one of them and no owner found, the owners are not known.
CONTROLLER_LABELS = ("controller-revision-hash", "pod-template-generation", "rollouts-pod-template-hash")


def owners_known_from_labels(labels: Mapping[str, str], found: Mapping[str, str]) -> bool:
    """Whether the labels of a pod name all its owners: either a workload was found in them, or
    no label says a controller whose name is hidden owns the pod."""
    return bool(found) or not any(label in labels for label in CONTROLLER_LABELS)
