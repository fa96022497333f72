"""``KubernetesDetector``: the pod this process runs in, and its service.

Without any API call (the default) it combines, most trusted first:

1. the downward-API variables the OpenTelemetry Operator, the Dash0 operator
   and common charts set (``OTEL_RESOURCE_ATTRIBUTES_POD_NAME``,
   ``OTEL_INJECTOR_K8S_POD_NAME``, ``K8S_POD_NAME``, ``POD_NAME``, …);
2. the service account's ``namespace`` file;
3. the pod UID and container name from ``/proc/self/cgroup`` and ``/proc/self/mountinfo``;
4. ``HOSTNAME`` as the pod name, last, and only when it can be trusted (the
   kubelet-managed ``/etc/hosts`` is present and not a host-network pod's,
   and the name is not cut at 63 characters);
5. a downward-API volume with the pod's ``labels`` and ``annotations``
   (``RESOURCE_IDENTITY_K8S_PODINFO``, default ``/etc/podinfo``), when mounted.

With ``RESOURCE_IDENTITY_K8S_API=true`` it also asks the API server, over HTTPS
with the service account's CA and token (re-read for every request, never
logged), for the pod itself (labels, annotations, images, container ids), the
owning workloads (ReplicaSet→Deployment, Job→CronJob, StatefulSet,
DaemonSet), the node's UID and the cluster's UID. A 401 or 403 is "not
allowed": one warning, no retry.

From all of that it computes ``service.*`` by the Kubernetes attributes
convention (``kubernetes.service``), so the SDK names the service as the Collector's
``k8sattributes`` processor and the OpenTelemetry Operator do. What the user
set (``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``) always wins.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from opentelemetry.sdk.resources import Resource

from ..._settings import K8S_API, K8S_LABELS, K8S_PODINFO, warn_once
from .. import _signals
from .._base import NetworkDetector
from .._emit import admitted, detected, per_process
from .._names import (
    CLOUD_AVAILABILITY_ZONE,
    CLOUD_PLATFORM,
    CLOUD_PROVIDER,
    CLOUD_REGION,
    HOST_ID,
    K8S_CLUSTER_NAME,
    CloudPlatformValues,
    k8s,
)
from .._user import user_wins
from ..azure.aks import aks_cluster
from ..container import container_facts
from ..inputs.deadline import Deadline
from ..inputs.files import read_text, shown_path, under_root
from ..inputs.http import Response, get_json
from ..inputs.reply import Fields, report
from ..inputs.urls import split_host_port
from . import service as convention

if TYPE_CHECKING:
    import ssl

_logger = logging.getLogger(__name__)

SERVICE_ACCOUNT = _signals.SERVICE_ACCOUNT
_HOSTS_MARKER = _signals.KUBERNETES_HOSTS_MARKER
_MAX_HOSTNAME = 63
# A bearer token as Kubernetes issues them (a JWT or a legacy token): visible
# ASCII on one line. Anything else would corrupt the request header.
_TOKEN = re.compile(r"[\x21-\x7e]{1,16384}")

# Each attribute's downward-API variables, most specific first.
# The OpenTelemetry Operator's (OTEL_RESOURCE_ATTRIBUTES_*) and the Dash0
# operator's (OTEL_INJECTOR_K8S_*) injected names come first.
ENVIRONMENT_VARIABLES: Mapping[str, tuple[str, ...]] = {
    k8s.K8S_POD_NAME: ("OTEL_RESOURCE_ATTRIBUTES_POD_NAME", "OTEL_INJECTOR_K8S_POD_NAME", "K8S_POD_NAME", "POD_NAME"),
    k8s.K8S_POD_UID: ("OTEL_RESOURCE_ATTRIBUTES_POD_UID", "OTEL_INJECTOR_K8S_POD_UID", "K8S_POD_UID", "POD_UID"),
    k8s.K8S_NAMESPACE_NAME: (
        "OTEL_RESOURCE_ATTRIBUTES_POD_NAMESPACE",
        "OTEL_INJECTOR_K8S_NAMESPACE_NAME",
        "K8S_NAMESPACE_NAME",
        "POD_NAMESPACE",
    ),
    k8s.K8S_NODE_NAME: ("OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", "K8S_NODE_NAME", "NODE_NAME"),
    k8s.K8S_CONTAINER_NAME: ("OTEL_INJECTOR_K8S_CONTAINER_NAME", "K8S_CONTAINER_NAME"),
}

# The service.* values the Dash0 operator computes from the pod's labels and
# annotations and injects for its injector to turn into resource attributes.
DASH0_INJECTED: Mapping[str, str] = {
    "service.name": "OTEL_INJECTOR_SERVICE_NAME",
    "service.namespace": "OTEL_INJECTOR_SERVICE_NAMESPACE",
    "service.version": "OTEL_INJECTOR_SERVICE_VERSION",
}
# The eksctl label naming a node's cluster (EKS has no supported in-pod source).
EKSCTL_CLUSTER_LABEL = "alpha.eksctl.io/cluster-name"
_PODINFO_LIMIT = 256 * 1024
_LOCAL_FACTS = (
    "the downward API, the pod's files or the Kubernetes API"  # Kubernetes' cap on all annotations of one object
)

# Owner kinds: the API path of the object (to follow its own owner), and the
# attributes its name and UID go to. StatefulSet and DaemonSet own pods directly.
_OWNERS: Mapping[str, tuple[str | None, str, str]] = {
    "ReplicaSet": ("/apis/apps/v1/namespaces/{ns}/replicasets/{name}", k8s.K8S_REPLICASET_NAME, k8s.K8S_REPLICASET_UID),
    "Deployment": (None, k8s.K8S_DEPLOYMENT_NAME, k8s.K8S_DEPLOYMENT_UID),
    "StatefulSet": (None, k8s.K8S_STATEFULSET_NAME, k8s.K8S_STATEFULSET_UID),
    "DaemonSet": (None, k8s.K8S_DAEMONSET_NAME, k8s.K8S_DAEMONSET_UID),
    "Job": ("/apis/batch/v1/namespaces/{ns}/jobs/{name}", k8s.K8S_JOB_NAME, k8s.K8S_JOB_UID),
    "CronJob": (None, k8s.K8S_CRONJOB_NAME, k8s.K8S_CRONJOB_UID),
}


def _first(environ: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def _controller(document: Fields) -> Fields | None:
    """The owner reference marked ``controller``; else, as the Collector reads owners, the first one
    of a kind this detector follows."""
    references = document.object("metadata").objects("ownerReferences")
    for reference in references:
        if reference.flag("controller"):
            return reference
    return next((reference for reference in references if reference.text("kind") in _OWNERS), None)


def aws_instance_id(provider_id: str) -> str | None:
    """The EC2 instance id in a node's ``spec.providerID`` (``aws:///<zone>/<id>``)."""
    if provider_id.startswith("aws://"):
        last = provider_id.rstrip("/").rsplit("/", 1)[-1]
        if last.startswith("i-"):
            return last
    return None


class _Api:
    """The few GETs the detector makes; remembers what it was not allowed to read."""

    def __init__(self, base: str, root: str, token_path: str, tls: ssl.SSLContext, deadline: Deadline) -> None:
        self._base = base
        self._root = root
        self._token_path = token_path
        self._tls = tls
        self._deadline = deadline
        self.denied: list[str] = []
        self.failure: str | None = None
        # Fields of an unexpected type in any reply, reported in one warning.
        self.problems: list[str] = []

    def get(self, path: str, what: str) -> Fields | None:  # noqa: PLR0911 - one return per refusal
        if self.failure:
            return None
        # Read afresh for every request (tokens rotate), through the one file reader.
        token = (read_text(self._root, self._token_path, limit=16384) or "").strip()
        if not token:
            self.failure = "the service account token cannot be read"
            return None
        if not _TOKEN.fullmatch(token):
            self.failure = "the service account token is not one line of visible ASCII characters"
            return None
        response: Response = get_json(
            self._base + path,
            deadline=self._deadline,
            headers={"Authorization": f"Bearer {token}"},
            tls=self._tls,
        )
        if response.status == 401:
            self.failure = "the API server rejected the service account token (HTTP 401)"
            return None
        if response.status == 403:
            self.denied.append(what)
            return None
        if not response.ok or not isinstance(response.document, dict):
            if response.status != 404:
                self.failure = f"GET {path.split('?', maxsplit=1)[0]} failed: {response.problem or 'not a JSON object'}"
            return None
        return Fields(response.document, "Kubernetes API", _problems=self.problems)


class _PodMetadata:
    """What the API's pod object adds to the local facts: labels, annotations, this container's image."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}
        self.annotations: dict[str, str] = {}
        self.image: convention.Image | None = None
        self.repo_digest: str | None = None
        self.complete = False  # the pod object was read

    def read_pod(self, pod: Fields, container_name: object, container_id: str | None) -> str | None:
        """Take labels, annotations and the image of this process's container; return its name."""
        self.complete = True
        metadata = pod.object("metadata")
        self.labels = metadata.object("labels").strings()
        self.annotations = metadata.object("annotations").strings()
        statuses = pod.object("status").objects("containerStatuses")
        name = container_name if isinstance(container_name, str) and container_name else None
        if name is None and container_id:
            # The Collector's association: the container whose status carries this container id.
            name = next(
                (s.text("name") for s in statuses if (s.text("containerID") or "").endswith(container_id)), None
            )
        specs = pod.object("spec").objects("containers")
        if name is None and len(specs) == 1:
            name = specs[0].text("name")
        spec = next((c for c in specs if name and c.text("name") == name), None)
        image = spec.text("image") if spec is not None else None
        if image:
            self.image = convention.parse_image(image)
            if self.image is None:
                warn_once(
                    ("k8s image", name or ""),
                    "Kubernetes API: the image of container %s is not an image reference; "
                    "left out service.version and container.image.*",
                    name,
                )
        status = next((s for s in statuses if name and s.text("name") == name), None)
        digest = convention.repo_digest((status.text("imageID") or "") if status is not None else "")
        if self.image is not None:
            self.repo_digest = digest
        return name


class KubernetesDetector(NetworkDetector):
    """The pod: ``k8s.pod.*``, ``k8s.namespace.name``, ``k8s.node.*``, ``k8s.container.name``, owners,
    and its service (``service.*``) by the Kubernetes attributes convention.

    After ``detect()``, ``sources`` names where each ``service.*`` (and
    annotation-given) attribute came from.
    """

    def __init__(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        root: str | os.PathLike[str] = "/",
        timeout: float | None = None,
        raise_on_error: bool = False,
    ) -> None:
        super().__init__(environ=environ, root=root, timeout=timeout, raise_on_error=raise_on_error)
        self.sources: dict[str, str] = {}

    def applies(self) -> bool:
        return _signals.kubernetes(self.environ, self.root)

    def is_process_dependent(self) -> bool:
        """``process.pid`` (see :func:`per_process`) must be refreshed in every forked worker."""
        return True

    def detect_within(self, deadline: Deadline) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        hosts = read_text(self.root, "/etc/hosts", limit=4096) or ""

        attributes: dict[str, object] = {key: _first(environ, names) for key, names in ENVIRONMENT_VARIABLES.items()}
        if not attributes[k8s.K8S_NAMESPACE_NAME]:
            attributes[k8s.K8S_NAMESPACE_NAME] = (
                read_text(self.root, f"{SERVICE_ACCOUNT}/namespace", 256) or ""
            ).strip()
        facts = container_facts(self.root, with_name=not attributes[k8s.K8S_CONTAINER_NAME])
        attributes[k8s.K8S_POD_UID] = attributes[k8s.K8S_POD_UID] or facts.pod_uid
        attributes[k8s.K8S_CONTAINER_NAME] = attributes[k8s.K8S_CONTAINER_NAME] or facts.container_name
        if not attributes[k8s.K8S_POD_NAME]:
            attributes[k8s.K8S_POD_NAME] = self._hostname_as_pod_name(hosts)
        attributes[K8S_CLUSTER_NAME], cluster_from = self._aks_cluster_name()
        # Nothing is computed from a value that cannot be true (a megabyte pod name, a uid with an
        # escape sequence): the local facts pass the attribute syntax check first.
        attributes = admitted(
            attributes, source=_LOCAL_FACTS, environ=environ, origins={K8S_CLUSTER_NAME: cluster_from}
        )

        pod = _PodMetadata()
        origins: dict[str, str] = {}
        if K8S_API.read(self._environ):
            # What PlatformDetector keeps if the API outlasts the deadline: the local facts and their service.
            self.partial = self._with_service(dict(attributes), pod)
            from_api = self._from_api(attributes, deadline, pod, facts.container_id)
            attributes.update(from_api)
            origins.update(dict.fromkeys(from_api, "the Kubernetes API"))
        found = self._with_service(attributes, pod)
        return per_process(
            detected(
                found,
                source=_LOCAL_FACTS,
                environ=environ,
                origins={**origins, **self.sources},
            )
        )

    def _with_service(self, attributes: dict[str, object], pod: _PodMetadata) -> dict[str, object]:
        """``attributes`` with ``service.*`` and the annotations' attributes, by the convention."""
        labels, annotations = pod.labels, pod.annotations
        podinfo_labels: dict[str, str] | None = None
        if not pod.complete:
            podinfo_labels = self._podinfo("labels")
            labels, annotations = podinfo_labels or {}, self._podinfo("annotations") or {}
        # The Dash0 operator passes the pod's resource.opentelemetry.io/ annotations on in this variable.
        injected_attributes = _pairs(self.environ.get("OTEL_INJECTOR_RESOURCE_ATTRIBUTES", ""))
        relayed = {f"annotation {convention.ANNOTATION_PREFIX}{key}" for key in injected_attributes} - {
            f"annotation {key}" for key in annotations
        }
        annotations = {
            **{convention.ANNOTATION_PREFIX + key: value for key, value in injected_attributes.items()},
            **annotations,
        }
        workloads = convention.workloads_from_labels(_text(attributes.get(k8s.K8S_POD_NAME)), labels)
        owners_known = pod.complete or (
            podinfo_labels is not None and convention.owners_known_from_labels(labels, workloads)
        )
        workloads.update(
            {key: value for key in convention.WORKLOAD_NAMES if isinstance(value := attributes.get(key), str)}
        )
        facts = convention.Pod(
            namespace=_text(attributes.get(k8s.K8S_NAMESPACE_NAME)),
            name=_text(attributes.get(k8s.K8S_POD_NAME)),
            container=_text(attributes.get(k8s.K8S_CONTAINER_NAME)),
            workloads=workloads,
            annotations=annotations,
            labels=labels,
            image=pod.image,
            owners_known=owners_known,
            injected={
                key: self.environ[name].strip()
                for key, name in DASH0_INJECTED.items()
                if self.environ.get(name, "").strip()
            },
        )
        computed = convention.service_attributes(facts, use_labels=K8S_LABELS.read(self._environ))
        found = dict(attributes)
        # Owner names that the labels made certain are reported too (the Collector reports them).
        for key, name in workloads.items():
            found.setdefault(key, name)
        sources: dict[str, str] = {}
        for key, (value, original) in computed.items():
            source = "Dash0 operator OTEL_INJECTOR_RESOURCE_ATTRIBUTES" if original in relayed else original
            if key in convention.RESERVED_KEYS:
                warn_once(
                    ("k8s reserved", key),
                    "Kubernetes: the %s sets %s, which the pod itself reports; ignored it",
                    source,
                    key,
                )
                continue
            if isinstance(value, str) and not convention.usable(value):
                warn_once(
                    ("k8s value", f"{source} {key}"),
                    "Kubernetes: the value of %s (for %s) is empty, longer "
                    "than %d characters or holds control characters; left it out",
                    source,
                    key,
                    convention.MAX_VALUE,
                )
                continue
            found[key], sources[key] = value, source
        if pod.repo_digest:
            found["container.image.repo_digests"] = [pod.repo_digest]
            sources["container.image.repo_digests"] = "pod status imageID"
        found, self.sources = user_wins(found, sources, self.environ)
        return found

    def _podinfo(self, name: str) -> dict[str, str] | None:
        """The downward-API volume's ``labels`` or ``annotations``; ``None`` when it is not mounted."""
        path = f"{K8S_PODINFO.read(self._environ).rstrip('/')}/{name}"
        text = read_text(self.root, path, limit=_PODINFO_LIMIT, whole=True)
        if text is None:
            return None
        found, malformed = convention.parse_podinfo(text)
        if malformed:
            warn_once(
                ("podinfo", path),
                "Kubernetes: skipped %d malformed lines of %s (RESOURCE_IDENTITY_K8S_PODINFO); kept the rest",
                malformed,
                shown_path(under_root(self.root, path)),
            )
        return found

    def _aks_cluster_name(self) -> tuple[str | None, str]:
        """The AKS cluster's name (see ``azure.aks``), and where it came from."""
        cluster = aks_cluster(self.environ, self.root)
        return (cluster.name, cluster.where) if cluster is not None else (None, "")

    def _hostname_as_pod_name(self, hosts: str) -> str | None:
        first_line = hosts.splitlines()[0] if hosts else ""
        if not first_line.startswith(_HOSTS_MARKER) or "host network" in first_line:
            return None
        hostname = self.environ.get("HOSTNAME", "").strip()
        if not hostname or len(hostname) >= _MAX_HOSTNAME:
            return None
        return hostname

    def _from_api(
        self, known: Mapping[str, object], deadline: Deadline, pod: _PodMetadata, container_id: str | None
    ) -> dict[str, object]:
        host = self.environ.get("KUBERNETES_SERVICE_HOST", "").strip()
        if not host:
            _logger.warning("RESOURCE_IDENTITY_K8S_API is true but KUBERNETES_SERVICE_HOST is not set; skipped the API")
            return {}
        port = self.environ.get("KUBERNETES_SERVICE_PORT", "").strip() or "443"
        address = split_host_port(f"[{host}]:{port}" if ":" in host else f"{host}:{port}", 443)
        if isinstance(address, str):
            _logger.warning(
                "RESOURCE_IDENTITY_K8S_API is true but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not "
                "a host and port (%s); skipped the API",
                address,
            )
            return {}
        import ssl  # noqa: PLC0415 - only with the API enabled; ssl is slow to import

        ca_file = f"{SERVICE_ACCOUNT}/ca.crt"
        ca = read_text(self.root, ca_file, limit=1024 * 1024, whole=True)
        try:
            if not ca or not ca.isascii():
                raise ValueError(ca_file)
            tls = ssl.create_default_context(cadata=ca)
        except (OSError, ssl.SSLError, ValueError, TypeError):
            _logger.warning(
                "RESOURCE_IDENTITY_K8S_API is true but the service account CA %s cannot be used; "
                "mount the service account token (automountServiceAccountToken: true)",
                shown_path(under_root(self.root, ca_file)),
            )
            return {}
        host_part = f"[{address[0]}]" if ":" in address[0] else address[0]
        api = _Api(f"https://{host_part}:{address[1]}", self.root, f"{SERVICE_ACCOUNT}/token", tls, deadline)
        found = self._query(api, known, pod, container_id)
        if api.failure:
            _logger.warning("Kubernetes API: %s; kept what was found without it", api.failure)
        elif api.denied:
            _logger.warning(
                "Kubernetes API: the service account may not read %s (HTTP 403); grant 'get' on them "
                "or unset RESOURCE_IDENTITY_K8S_API",
                ", ".join(api.denied),
            )
        if api.problems:
            report(_logger, "Kubernetes API", api.problems)
        return found

    def _query(
        self, api: _Api, known: Mapping[str, object], pod_metadata: _PodMetadata, container_id: str | None
    ) -> dict[str, object]:
        found: dict[str, object] = {}
        namespace, pod_name = known.get(k8s.K8S_NAMESPACE_NAME), known.get(k8s.K8S_POD_NAME)
        node_name = known.get(k8s.K8S_NODE_NAME)
        if namespace and pod_name:
            pod = api.get(f"/api/v1/namespaces/{quote(str(namespace))}/pods/{quote(str(pod_name))}", "pods")
            if pod is not None:
                found[k8s.K8S_POD_UID] = pod.object("metadata").text("uid")
                node_name = node_name or pod.object("spec").text("nodeName")
                found[k8s.K8S_NODE_NAME] = node_name
                found[k8s.K8S_CONTAINER_NAME] = pod_metadata.read_pod(
                    pod, known.get(k8s.K8S_CONTAINER_NAME), container_id
                )
                found.update(self._owners(api, str(namespace), _controller(pod)))
        if node_name:
            node = api.get(f"/api/v1/nodes/{quote(str(node_name))}", "nodes")
            if node is not None:
                metadata = node.object("metadata")
                found[k8s.K8S_NODE_UID] = metadata.text("uid")
                found[HOST_ID] = aws_instance_id(node.object("spec").text("providerID") or "")
                labels = metadata.object("labels")
                found[CLOUD_REGION] = labels.text("topology.kubernetes.io/region")
                found[CLOUD_AVAILABILITY_ZONE] = labels.text("topology.kubernetes.io/zone")
                eks_cluster = labels.text(EKSCTL_CLUSTER_LABEL)
                if eks_cluster:
                    # An EKS cluster's pod: the platform is EKS, as the Collector's, the JS and the
                    # Python EKS detectors report it (the EC2 detector says so from the instance tag).
                    found[CLOUD_PROVIDER], found[CLOUD_PLATFORM] = "aws", CloudPlatformValues.AWS_EKS
                if not known.get(K8S_CLUSTER_NAME):
                    found[K8S_CLUSTER_NAME] = eks_cluster
        cluster = api.get("/api/v1/namespaces/kube-system", "namespaces")
        if cluster is not None:
            found[k8s.K8S_CLUSTER_UID] = cluster.object("metadata").text("uid")
        return {key: value for key, value in found.items() if isinstance(value, str) and value}

    def _owners(self, api: _Api, namespace: str, owner: Fields | None) -> dict[str, object]:
        found: dict[str, object] = {}
        # At most two hops: ReplicaSet→Deployment, Job→CronJob.
        for _ in range(2):
            kind = owner.text("kind") if owner is not None else None
            if owner is None or kind is None or kind not in _OWNERS:
                break
            path, name_key, uid_key = _OWNERS[kind]
            name = owner.text("name")
            found[name_key], found[uid_key] = name, owner.text("uid")
            if path is None or not name:
                break
            plural = path.split("/")[-2]
            document = api.get(path.format(ns=quote(namespace), name=quote(name)), plural)
            owner = _controller(document) if document is not None else None
        return found


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _pairs(text: str) -> dict[str, str]:
    """``key=value,...`` as the Dash0 operator writes OTEL_INJECTOR_RESOURCE_ATTRIBUTES."""
    found = {}
    for pair in text.split(","):
        key, equals, value = pair.partition("=")
        if equals and key.strip() and value.strip():
            found[key.strip()] = value.strip()
    return found
