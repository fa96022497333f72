"""``VmCloudDetector``: the VM clouds the semantic conventions register, as rows of one table.

Each row is classified from the DMI alone (the firmware string cloud-init's
``ds-identify`` checks for that cloud), read once per process, so off these
clouds the detector costs nothing more than the DMI the EC2, Compute Engine
and Azure detectors already read, and asks no network. A signalled cloud
reports ``cloud.provider`` and ``cloud.platform`` (the conventions' values
where they register one, else the Collector's detector's); a row with a
metadata service (DigitalOcean, Hetzner, Vultr) also asks it, within the one
deadline, for ``host.id``, ``host.name`` and ``cloud.region`` (Hetzner also the
zone) as the Collector (or the go-contrib detector it delegates to) reports
them. The other rows' metadata services are not asked yet (docs/detectors.md).

The Collector's detectors for these clouds probe the metadata address with no
local check; the DMI gate is why this one is silent and free elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import NamedTuple

from opentelemetry.sdk.resources import Resource

from . import _signals
from ._base import NetworkDetector
from ._emit import detected
from ._names import CLOUD_AVAILABILITY_ZONE, CLOUD_PLATFORM, CLOUD_PROVIDER, CLOUD_REGION, HOST_ID, HOST_NAME
from .inputs.deadline import Deadline
from .inputs.http import Response, get_json, get_text
from .inputs.reply import Fields
from .inputs.urls import parse_endpoint

_logger = logging.getLogger(__name__)


Answer = dict[str, object]
Fetch = Callable[[str, Deadline], "tuple[Answer, Response | None]"]


class Metadata(NamedTuple):
    """A cloud's metadata service: the variable that overrides its base URL (for tests), the
    default base, and how to read it (the attributes found, and the failed reply if any)."""

    variable: str
    default: str
    fetch: Fetch


def _json_document(path: str, read: Callable[[Fields], Answer], what: str) -> Fetch:
    def fetch(base: str, deadline: Deadline) -> tuple[Answer, Response | None]:
        reply = get_json(base + path, deadline=deadline)
        if not reply.ok:
            return {}, reply
        document = Fields(reply.document, what)
        found = read(document)
        document.report(_logger)
        return found, None

    return fetch


def _digitalocean(document: Fields) -> Answer:
    # As the Collector's digitalocean detector (droplet_id is a number there).
    return {
        HOST_ID: document.label("droplet_id"),
        HOST_NAME: document.text("hostname"),
        CLOUD_REGION: document.text("region"),
    }


def _vultr(document: Fields) -> Answer:
    # As go-contrib's vultr detector: the v2 UUID, else the legacy id; the region code in lower case.
    region = document.object("region").text("regioncode")
    return {
        HOST_ID: document.text("instance-v2-id") or document.label("instanceid"),
        HOST_NAME: document.text("hostname"),
        CLOUD_REGION: region.lower() if region else None,
    }


def _hetzner(base: str, deadline: Deadline) -> tuple[Answer, Response | None]:
    # As go-contrib's hetzner detector (hcloud-go's metadata client): one text path per attribute.
    found: Answer = {}
    failed: Response | None = None
    for path, attribute in (
        ("/instance-id", HOST_ID),
        ("/hostname", HOST_NAME),
        ("/region", CLOUD_REGION),
        ("/availability-zone", CLOUD_AVAILABILITY_ZONE),
    ):
        reply = get_text(base + path, deadline=deadline)
        if reply.ok:
            found[attribute] = reply.document
        elif failed is None:
            failed = reply
    return found, failed


class VmCloud(NamedTuple):
    title: str
    provider: str
    platform: str | None
    metadata: Metadata | None = None


# Keyed as _signals.VM_CLOUD_DMI, which holds the DMI signal of each (cheap enough for start-up).
VM_CLOUDS: Mapping[str, VmCloud] = {
    "digitalocean": VmCloud(
        "DigitalOcean",
        "digitalocean",  # not registered by the conventions: the Collector's value
        None,
        Metadata(
            "RESOURCE_IDENTITY_DIGITALOCEAN_METADATA_ENDPOINT",
            "http://169.254.169.254",
            _json_document("/metadata/v1.json", _digitalocean, "DigitalOcean metadata"),
        ),
    ),
    "hetzner": VmCloud(
        "Hetzner Cloud",
        "hetzner",
        "hetzner.cloud_server",
        Metadata("RESOURCE_IDENTITY_HETZNER_METADATA_ENDPOINT", "http://169.254.169.254/hetzner/v1/metadata", _hetzner),
    ),
    "vultr": VmCloud(
        "Vultr",
        "vultr",
        "vultr.cloud_compute",
        Metadata(
            "RESOURCE_IDENTITY_VULTR_METADATA_ENDPOINT",
            "http://169.254.169.254",
            _json_document("/v1.json", _vultr, "Vultr metadata"),
        ),
    ),
    "scaleway": VmCloud("Scaleway", "scaleway_cloud", "scaleway_cloud_compute"),
    "upcloud": VmCloud("UpCloud", "upcloud", None),  # not registered: the Collector's value
    "akamai": VmCloud("Akamai Cloud (Linode)", "akamai_cloud", "akamai_cloud.compute"),
    "oracle": VmCloud("Oracle Cloud", "oracle_cloud", "oracle_cloud_compute"),
    "alibaba": VmCloud("Alibaba Cloud", "alibaba_cloud", "alibaba_cloud_ecs"),
    "openstack": VmCloud("OpenStack", "openstack", None),
}


class VmCloudDetector(NetworkDetector):
    """A VM on one of the clouds of :data:`VM_CLOUDS`: ``cloud.provider``, ``cloud.platform`` and, where the
    row has a metadata document, ``host.id``, ``host.name``, ``cloud.region``."""

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
            found.update(self._metadata(cloud, cloud.metadata, deadline))
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
