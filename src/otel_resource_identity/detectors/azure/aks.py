"""Where an AKS pod finds its cluster without RBAC, as Azure's own detectors read it.

``CLUSTER_RESOURCE_ID``, else the ``aks-cluster-metadata`` ConfigMap of
``kube-public`` mounted at ``/etc/kubernetes/aks-cluster-metadata`` (a file
holding the resource id or a ``clusterResourceId=<id>`` line, or the
ConfigMap's folder with a ``clusterResourceId`` file). The cluster's name is
the segment after ``managedClusters/``, its subscription the segment after
``subscriptions/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from ..._settings import warn_once
from .._signals import AKS_METADATA
from ..inputs.files import read_text, shown_path, under_root

AKS_CLUSTER_RESOURCE_ID = "CLUSTER_RESOURCE_ID"


class AksCluster(NamedTuple):
    """The cluster's resource id, name and subscription (each ``None`` when it cannot be had), and where
    they came from (for a warning)."""

    resource_id: str | None
    name: str | None
    subscription: str | None
    where: str


def _segment_after(resource_id: str, marker: str) -> str | None:
    segments = resource_id.strip().strip("/").split("/")
    lowered = [segment.lower() for segment in segments]
    if marker not in lowered:
        return None
    index = lowered.index(marker)
    return segments[index + 1] or None if index + 1 < len(segments) else None


def _resource_id_in(text: str) -> str | None:
    for line in text.splitlines():
        key, equals, value = line.partition("=")
        candidate = value if equals and key.strip() == "clusterResourceId" else line
        if candidate.strip().lower().startswith(("/subscriptions/", "subscriptions/")):
            return candidate.strip()
    return None


def aks_cluster(environ: Mapping[str, str], root: str) -> AksCluster | None:
    """The AKS cluster this pod runs in, or ``None`` when nothing names one; one warning when the
    resource id is not an AKS cluster's."""
    resource_id = environ.get(AKS_CLUSTER_RESOURCE_ID, "").strip()
    where = f"the variable {AKS_CLUSTER_RESOURCE_ID}"
    if not resource_id:
        text = read_text(root, AKS_METADATA, limit=4096)
        if text is None:
            text = read_text(root, f"{AKS_METADATA}/clusterResourceId", limit=4096)
        if text is None:
            return None
        resource_id, where = _resource_id_in(text) or "", shown_path(under_root(root, AKS_METADATA))
    lowered = resource_id.strip().strip("/").lower()
    name = _segment_after(resource_id, "managedclusters")
    if not lowered.startswith("subscriptions/") or name is None:
        warn_once(
            ("aks", where),
            "Azure AKS: %s is not an AKS cluster resource id (/subscriptions/.../managedClusters/<name>); "
            "no cluster facts from it",
            where,
        )
        return AksCluster(None, None, None, where)
    return AksCluster(resource_id, name, _segment_after(resource_id, "subscriptions"), where)
