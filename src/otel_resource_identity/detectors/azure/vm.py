"""``AzureVmDetector``: the Azure virtual machine this process runs on.

Signalled by the DMI alone (the chassis asset tag every Azure VM carries; a
Hyper-V VM elsewhere has Microsoft's vendor name but not the tag), so off Azure
it costs a file read and no network. Without the network it reports
``cloud.provider`` and ``cloud.platform``; then, within the deadline, the
instance metadata service's compute document (``Metadata: true``), mapped as
the Collector's ``azure`` detector maps it. The service's base URL is
``RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT`` (default ``http://169.254.169.254``).
A pod that cannot reach it keeps the local facts with one DEBUG line.
"""

from __future__ import annotations

import logging

from opentelemetry.sdk.resources import Resource

from ..._settings import AZURE_IMDS_ENDPOINT
from .. import _signals
from .._base import NetworkDetector
from .._emit import detected
from .._names import (
    CLOUD_ACCOUNT_ID,
    CLOUD_AVAILABILITY_ZONE,
    CLOUD_PLATFORM,
    CLOUD_PROVIDER,
    CLOUD_REGION,
    CLOUD_RESOURCE_ID,
    HOST_ID,
    HOST_NAME,
    HOST_TYPE,
    K8S_CLUSTER_NAME,
    CloudPlatformValues,
    CloudProviderValues,
)
from ..inputs.deadline import Deadline
from ..inputs.http import get_json
from ..inputs.reply import Fields
from ..inputs.urls import parse_endpoint

_logger = logging.getLogger(__name__)

COMPUTE_PATH = "/metadata/instance/compute?api-version=2021-02-01&format=json"

# The Collector's own names for what the semantic conventions have no attribute for.
AZURE_VM_NAME = "azure.vm.name"
AZURE_VM_SIZE = "azure.vm.size"
AZURE_VM_SCALESET_NAME = "azure.vm.scaleset.name"
AZURE_RESOURCEGROUP_NAME = "azure.resourcegroup.name"

# Compute document field -> attributes.
COMPUTE_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vmId", (HOST_ID,)),
    ("name", (HOST_NAME, AZURE_VM_NAME)),
    ("location", (CLOUD_REGION,)),
    ("zone", (CLOUD_AVAILABILITY_ZONE,)),
    ("subscriptionId", (CLOUD_ACCOUNT_ID,)),
    ("vmSize", (HOST_TYPE, AZURE_VM_SIZE)),
    ("vmScaleSetName", (AZURE_VM_SCALESET_NAME,)),
    ("resourceGroupName", (AZURE_RESOURCEGROUP_NAME,)),
    ("resourceId", (CLOUD_RESOURCE_ID,)),
)


def azure_attributes(compute: Fields) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, attributes in COMPUTE_FIELDS:
        value = compute.text(key)
        for attribute in attributes:
            found[attribute] = value
    return found


def aks_cluster_from_group(group: str) -> str | None:
    """The cluster in an AKS node resource group ``MC_<resource group>_<cluster>_<location>``."""
    parts = group.split("_")
    return parts[2] if len(parts) == 4 and parts[0].lower() == "mc" and parts[2] else None


class AzureVmDetector(NetworkDetector):
    """An Azure VM: ``cloud.*``, ``host.id`` (the vmId), ``host.name``, ``host.type``, ``azure.*``."""

    def applies(self) -> bool:
        return _signals.azure_vm(self.environ, self.root)

    def detect_within(self, deadline: Deadline) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        found = self.partial = {
            CLOUD_PROVIDER: CloudProviderValues.AZURE,
            CLOUD_PLATFORM: CloudPlatformValues.AZURE_VM,
        }
        endpoint = parse_endpoint(AZURE_IMDS_ENDPOINT.read(self._environ))
        if isinstance(endpoint, str):
            _logger.warning(
                "Azure: RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT is not an http(s) URL (%s); reported what the DMI says",
                endpoint,
            )
            return detected(found, source="the DMI or the Azure instance metadata service", environ=self.environ)
        base = f"{endpoint.safe}{endpoint.path.rstrip('/')}"
        reply = get_json(base + COMPUTE_PATH, deadline=deadline, headers={"Metadata": "true"})
        if not reply.ok:
            level = logging.DEBUG if reply.status == 0 else logging.WARNING  # out of reach is normal in a pod
            _logger.log(level, "Azure: the instance metadata service at %s did not answer (%s)", base, reply.problem)
            return detected(found, source="the DMI or the Azure instance metadata service", environ=self.environ)
        compute = Fields(reply.document, "Azure instance metadata (compute)")
        found.update({key: value for key, value in azure_attributes(compute).items() if value})
        if _signals.kubernetes(self.environ, self.root):
            # An AKS node's resource group is MC_<group>_<cluster>_<location>: the cluster's name, as
            # the Collector's aks detector reads it (the pod rarely reaches IMDS: hop limit 1).
            found[K8S_CLUSTER_NAME] = aks_cluster_from_group(compute.text("resourceGroupName") or "")
        compute.report(_logger)
        return detected(found, source="the DMI or the Azure instance metadata service", environ=self.environ)
