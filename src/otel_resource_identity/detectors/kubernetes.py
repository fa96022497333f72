"""``KubernetesDetector``: the pod this process runs in.

Without any API call (the default) it combines, most trusted first:

1. the downward-API variables the OpenTelemetry Operator and common charts set
   (``OTEL_RESOURCE_ATTRIBUTES_POD_NAME``, ``K8S_POD_NAME``, ``POD_NAME``, …);
2. the service account's ``namespace`` file;
3. the pod UID and container name from ``/proc/self/cgroup`` and ``/proc/self/mountinfo``;
4. ``HOSTNAME`` as the pod name, last, and only when it can be trusted (the
   kubelet-managed ``/etc/hosts`` is present and not a host-network pod's,
   and the name is not cut at 63 characters).

With ``RESOURCE_IDENTITY_K8S_API=true`` it also asks the API server, over HTTPS
with the service account's CA and token (re-read for every request, never
logged), for the owning workloads (ReplicaSet→Deployment, Job→CronJob,
StatefulSet, DaemonSet), the node's UID and the cluster's UID. A 401 or 403
is "not allowed": one warning, no retry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from opentelemetry.sdk.resources import Resource

from .._settings import K8S_API
from . import _signals
from ._base import NetworkDetector
from ._deadline import Deadline
from ._emit import detected
from ._files import read_text, under_root
from ._http import Response, get_json
from ._names import CLOUD_AVAILABILITY_ZONE, CLOUD_REGION, HOST_ID, k8s
from ._reply import Fields, report
from ._urls import split_host_port
from .container import container_facts

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
ENVIRONMENT_VARIABLES: Mapping[str, tuple[str, ...]] = {
    k8s.K8S_POD_NAME: ("OTEL_RESOURCE_ATTRIBUTES_POD_NAME", "K8S_POD_NAME", "POD_NAME"),
    k8s.K8S_POD_UID: ("OTEL_RESOURCE_ATTRIBUTES_POD_UID", "K8S_POD_UID", "POD_UID"),
    k8s.K8S_NAMESPACE_NAME: ("OTEL_RESOURCE_ATTRIBUTES_POD_NAMESPACE", "K8S_NAMESPACE_NAME", "POD_NAMESPACE"),
    k8s.K8S_NODE_NAME: ("OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", "K8S_NODE_NAME", "NODE_NAME"),
    k8s.K8S_CONTAINER_NAME: ("K8S_CONTAINER_NAME",),
}

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
    for reference in document.object("metadata").objects("ownerReferences"):
        if reference.flag("controller"):
            return reference
    return None


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


class KubernetesDetector(NetworkDetector):
    """The pod: ``k8s.pod.*``, ``k8s.namespace.name``, ``k8s.node.*``, ``k8s.container.name``, owners."""

    def applies(self) -> bool:
        return _signals.kubernetes(self.environ, self.root)

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

        if K8S_API.read(self._environ):
            self.partial = dict(attributes)  # what PlatformDetector keeps if the API outlasts the deadline
            attributes.update(self._from_api(attributes, deadline))
        return detected(attributes)

    def _hostname_as_pod_name(self, hosts: str) -> str | None:
        first_line = hosts.splitlines()[0] if hosts else ""
        if not first_line.startswith(_HOSTS_MARKER) or "host network" in first_line:
            return None
        hostname = self.environ.get("HOSTNAME", "").strip()
        if not hostname or len(hostname) >= _MAX_HOSTNAME:
            return None
        return hostname

    def _from_api(self, known: Mapping[str, object], deadline: Deadline) -> dict[str, object]:
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
                under_root(self.root, ca_file),
            )
            return {}
        host_part = f"[{address[0]}]" if ":" in address[0] else address[0]
        api = _Api(f"https://{host_part}:{address[1]}", self.root, f"{SERVICE_ACCOUNT}/token", tls, deadline)
        found = self._query(api, known)
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

    def _query(self, api: _Api, known: Mapping[str, object]) -> dict[str, object]:
        found: dict[str, object] = {}
        namespace, pod_name = known.get(k8s.K8S_NAMESPACE_NAME), known.get(k8s.K8S_POD_NAME)
        node_name = known.get(k8s.K8S_NODE_NAME)
        if namespace and pod_name:
            pod = api.get(f"/api/v1/namespaces/{quote(str(namespace))}/pods/{quote(str(pod_name))}", "pods")
            if pod is not None:
                found[k8s.K8S_POD_UID] = pod.object("metadata").text("uid")
                node_name = node_name or pod.object("spec").text("nodeName")
                found[k8s.K8S_NODE_NAME] = node_name
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
