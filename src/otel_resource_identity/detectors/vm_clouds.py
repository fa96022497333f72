"""``VmCloudDetector``: the VM clouds the semantic conventions register, as rows of one table.

Each row is classified from the DMI alone (the firmware string cloud-init's
``ds-identify`` checks for that cloud), read once per process, so off these
clouds the detector costs nothing more than the DMI the EC2, Compute Engine
and Azure detectors already read, and asks no network. A signalled cloud
reports ``cloud.provider`` and ``cloud.platform`` (the conventions' values
where they register one, else the Collector's detector's), then asks the
cloud's metadata service, within the one deadline, for ``host.*`` and
``cloud.*`` as the Collector (or the go-contrib detector it delegates to)
reports them (``vm_cloud_metadata``). OpenStack has no such detector to agree
with, so only the DMI speaks for it (docs/detectors.md).

The Collector's detectors for these clouds probe the metadata address with no
local check; the DMI gate is why this one is silent and free elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import NamedTuple

from opentelemetry.sdk.resources import Resource

from . import _signals
from . import vm_cloud_metadata as read
from ._base import NetworkDetector
from ._emit import detected
from ._names import CLOUD_PLATFORM, CLOUD_PROVIDER
from .inputs.deadline import Deadline
from .inputs.urls import parse_endpoint
from .vm_cloud_metadata import Fetch

_logger = logging.getLogger(__name__)


class Metadata(NamedTuple):
    """A cloud's metadata service: the variable that overrides its base URL (for tests), the
    default base, and its reader (``vm_cloud_metadata``)."""

    variable: str
    default: str
    fetch: Fetch


class VmCloud(NamedTuple):
    title: str
    provider: str
    platform: str | None
    metadata: Metadata | None = None


# Keyed as _signals.VM_CLOUD_DMI, which holds the DMI signal of each (cheap enough for start-up).
_LINK_LOCAL = "http://169.254.169.254"

VM_CLOUDS: Mapping[str, VmCloud] = {
    "digitalocean": VmCloud(
        "DigitalOcean",
        "digitalocean",  # not registered by the conventions: the Collector's value
        None,
        Metadata(
            "RESOURCE_IDENTITY_DIGITALOCEAN_METADATA_ENDPOINT",
            _LINK_LOCAL,
            read.json_document("/metadata/v1.json", read.digitalocean, "DigitalOcean metadata"),
        ),
    ),
    "hetzner": VmCloud(
        "Hetzner Cloud",
        "hetzner",
        "hetzner.cloud_server",
        Metadata("RESOURCE_IDENTITY_HETZNER_METADATA_ENDPOINT", f"{_LINK_LOCAL}/hetzner/v1/metadata", read.hetzner),
    ),
    "vultr": VmCloud(
        "Vultr",
        "vultr",
        "vultr.cloud_compute",
        Metadata(
            "RESOURCE_IDENTITY_VULTR_METADATA_ENDPOINT",
            _LINK_LOCAL,
            read.json_document("/v1.json", read.vultr, "Vultr metadata"),
        ),
    ),
    "scaleway": VmCloud(
        "Scaleway",
        "scaleway_cloud",
        "scaleway_cloud_compute",
        Metadata(
            "RESOURCE_IDENTITY_SCALEWAY_METADATA_ENDPOINT",
            "http://169.254.42.42",
            read.json_document("/conf?format=json", read.scaleway, "Scaleway metadata"),
        ),
    ),
    "upcloud": VmCloud(
        "UpCloud",
        "upcloud",  # not registered: the Collector's value
        None,
        Metadata(
            "RESOURCE_IDENTITY_UPCLOUD_METADATA_ENDPOINT",
            _LINK_LOCAL,
            read.json_document("/metadata/v1.json", read.upcloud, "UpCloud metadata"),
        ),
    ),
    "akamai": VmCloud(
        "Akamai Cloud (Linode)",
        "akamai_cloud",
        "akamai_cloud.compute",
        Metadata("RESOURCE_IDENTITY_AKAMAI_METADATA_ENDPOINT", _LINK_LOCAL, read.akamai),
    ),
    "oracle": VmCloud(
        "Oracle Cloud",
        "oracle_cloud",
        "oracle_cloud_compute",
        Metadata(
            "RESOURCE_IDENTITY_ORACLE_METADATA_ENDPOINT",
            _LINK_LOCAL,
            read.json_document(
                "/opc/v2/instance/", read.oracle, "Oracle Cloud metadata", headers={"Authorization": "Bearer Oracle"}
            ),
        ),
    ),
    "alibaba": VmCloud(
        "Alibaba Cloud",
        "alibaba_cloud",
        "alibaba_cloud_ecs",
        Metadata("RESOURCE_IDENTITY_ALIBABA_METADATA_ENDPOINT", "http://100.100.100.200", read.alibaba),
    ),
    "openstack": VmCloud("OpenStack", "openstack", None),
}


class VmCloudDetector(NetworkDetector):
    """A VM on one of the clouds of :data:`VM_CLOUDS`: ``cloud.provider``, ``cloud.platform`` and, where the
    row has a metadata service, ``host.*`` and ``cloud.*`` as the Collector reports them."""

    def applies(self) -> bool:
        return _signals.vm_clouds(self.environ, self.root)

    def detect_within(self, deadline: Deadline) -> Resource:
        key = _signals.vm_cloud(self.root)
        if key is None:
            return Resource.get_empty()
        cloud = VM_CLOUDS[key]
        found: dict[str, object] = {CLOUD_PROVIDER: cloud.provider, CLOUD_PLATFORM: cloud.platform}
        self.partial = dict(found)
        if cloud.metadata is not None:
            # A reader's None (a field absent) never erases what the row says.
            found.update(
                (key, value)
                for key, value in self._metadata(cloud, cloud.metadata, deadline).items()
                if value is not None
            )
        return detected(found, source=f"the DMI or the {cloud.title} metadata service", environ=self.environ)

    def _metadata(self, cloud: VmCloud, metadata: Metadata, deadline: Deadline) -> dict[str, object]:
        endpoint = parse_endpoint(self.environ.get(metadata.variable, "").strip() or metadata.default)
        if isinstance(endpoint, str):
            _logger.warning(
                "%s: %s is not an http(s) URL (%s); reported what the DMI says",
                cloud.title,
                metadata.variable,
                endpoint,
            )
            return {}
        base = f"{endpoint.safe}{endpoint.path.rstrip('/')}"
        found, failed = metadata.fetch(base, deadline)
        if failed is not None:
            level = logging.DEBUG if failed.status == 0 else logging.WARNING  # out of reach is normal in a container
            _logger.log(level, "%s: the metadata service at %s did not answer (%s)", cloud.title, base, failed.problem)
        return found
