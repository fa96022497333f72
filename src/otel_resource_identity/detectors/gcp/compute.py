"""``GcpComputeDetector``: the Compute Engine VM (or GKE node) this process runs on.

Signalled by the DMI alone (``product_name`` ``Google Compute Engine``, vendor
``Google``), so off Google Cloud it costs a few file reads and no network.
Without the network it reports ``cloud.provider`` and ``cloud.platform``; then,
within the deadline, the metadata server (see ``gcp.metadata``): instance id,
name, machine type, zone and project, and on GKE nodes the cluster's name and
location, as the Collector's ``gcp`` detector reports them. A pod that cannot
reach the metadata server keeps the local facts with one DEBUG line.
"""

from __future__ import annotations

import logging

from opentelemetry.sdk.resources import Resource

from .. import _signals
from .._base import NetworkDetector
from .._emit import detected
from .._names import (
    CLOUD_ACCOUNT_ID,
    CLOUD_AVAILABILITY_ZONE,
    CLOUD_PLATFORM,
    CLOUD_PROVIDER,
    CLOUD_REGION,
    HOST_ID,
    HOST_NAME,
    HOST_TYPE,
    K8S_CLUSTER_NAME,
    CloudPlatformValues,
    CloudProviderValues,
)
from ..inputs.deadline import Deadline
from .metadata import Answers, ask, last_segment, metadata_base, record

_logger = logging.getLogger(__name__)

# Metadata path -> attribute, for values taken as they come.
PLAIN: dict[str, str] = {
    "instance/id": HOST_ID,
    "instance/name": HOST_NAME,
    "project/project-id": CLOUD_ACCOUNT_ID,
}
ZONE, MACHINE_TYPE = "instance/zone", "instance/machine-type"
CLUSTER_NAME, CLUSTER_LOCATION = "instance/attributes/cluster-name", "instance/attributes/cluster-location"
PATHS = (*PLAIN, MACHINE_TYPE, ZONE, CLUSTER_NAME, CLUSTER_LOCATION)


def region_of(zone: str) -> str:
    """``us-central1-a`` -> ``us-central1``."""
    return zone.rsplit("-", 1)[0] if zone.count("-") >= 2 else zone


def gcp_attributes(answers: Answers) -> dict[str, object]:
    """The attributes the metadata server's answers give."""
    found: dict[str, object] = {}
    record(answers, PLAIN, found)
    if MACHINE_TYPE in answers.values:
        # As the server gives it (projects/N/machineTypes/e2-medium): the Collector's gcp detector,
        # the JS and the Python detectors report it so, and one host must show one value.
        found[HOST_TYPE] = answers.values[MACHINE_TYPE]
    if ZONE in answers.values:
        zone = last_segment(answers.values[ZONE])
        found[CLOUD_AVAILABILITY_ZONE], found[CLOUD_REGION] = zone, region_of(zone)
    if CLUSTER_NAME in answers.values:  # a GKE node
        found[CLOUD_PLATFORM] = CloudPlatformValues.GCP_KUBERNETES_ENGINE
        found[K8S_CLUSTER_NAME] = answers.values[CLUSTER_NAME]
        location = answers.values.get(CLUSTER_LOCATION, "")
        if location.count("-") < 2:  # a regional cluster: its location is a region, not this node's zone
            found[CLOUD_REGION] = location or found.get(CLOUD_REGION)
    return found


class GcpComputeDetector(NetworkDetector):
    """A Compute Engine VM or GKE node: ``cloud.*``, ``host.id``, ``host.name``, ``host.type``, ``k8s.cluster.name``."""

    def applies(self) -> bool:
        return _signals.gcp_compute(self.environ, self.root)

    def detect_within(self, deadline: Deadline) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        found = self.partial = {
            CLOUD_PROVIDER: CloudProviderValues.GCP,
            CLOUD_PLATFORM: CloudPlatformValues.GCP_COMPUTE_ENGINE,
        }
        base = metadata_base(self.environ)
        if base is None:
            return detected(found, source="the DMI or the GCP metadata server", environ=self.environ)
        answers = ask(base, PATHS, deadline, optional=(CLUSTER_NAME, CLUSTER_LOCATION))
        found.update(gcp_attributes(answers))
        if answers.failed:
            level = logging.WARNING if answers.reached else logging.DEBUG  # out of reach is normal in a pod
            _logger.log(
                level,
                "Google Compute Engine: the metadata server at %s did not answer %s (%s); reported what it did answer",
                base,
                ", ".join(answers.failed),
                answers.problem,
            )
        return detected(found, source="the DMI or the GCP metadata server", environ=self.environ)
