"""How each VM cloud's metadata service is read, as the Collector's detector for that cloud (or the
go-contrib detector it delegates to) reads it, so the attributes agree with what it reports.

Each reader takes the service's base URL and the one deadline and returns the attributes found and
the first failed reply, if any (the detector logs it once). Every exchange goes through
``inputs.http``; every JSON field through ``inputs.reply.Fields``; session tokens through
``get_token``. Nothing here decides whether the cloud is present: the DMI did that already.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from ._names import (
    CLOUD_ACCOUNT_ID,
    CLOUD_AVAILABILITY_ZONE,
    CLOUD_PLATFORM,
    CLOUD_REGION,
    CLOUD_RESOURCE_ID,
    HOST_ID,
    HOST_IMAGE_ID,
    HOST_IMAGE_NAME,
    HOST_NAME,
    HOST_TYPE,
    K8S_CLUSTER_NAME,
)
from .inputs.deadline import Deadline
from .inputs.http import Response, get_json, get_text, get_token
from .inputs.reply import Fields

_logger = logging.getLogger(__name__)

Answer = dict[str, object]
Fetch = Callable[[str, Deadline], "tuple[Answer, Response | None]"]


def json_document(
    path: str, read: Callable[[Fields], Answer], what: str, *, headers: Mapping[str, str] | None = None
) -> Fetch:
    """A reader for a service that answers with one JSON document at ``path``."""

    def fetch(base: str, deadline: Deadline) -> tuple[Answer, Response | None]:
        reply = get_json(base + path, deadline=deadline, headers=dict(headers or {}))
        if not reply.ok:
            return {}, reply
        document = Fields(reply.document, what)
        found = read(document)
        document.report(_logger)
        return found, None

    return fetch


def text_paths(paths: tuple[tuple[str, str], ...], *, token: tuple[str, Mapping[str, str], str] | None = None) -> Fetch:
    """A reader for a service with one text path per attribute; a path that fails is left out.

    ``token`` is (token path, headers of the PUT, header that carries it) where a session is needed.
    """

    def fetch(base: str, deadline: Deadline) -> tuple[Answer, Response | None]:
        headers: dict[str, str] = {}
        if token is not None:
            path, put_headers, header = token
            reply = get_token(base + path, deadline=deadline, headers=put_headers)
            if not reply.ok:
                return {}, reply
            headers[header] = str(reply.document)
        found: Answer = {}
        failed: Response | None = None
        for path, attribute in paths:
            reply = get_text(base + path, deadline=deadline, headers=headers)
            if reply.ok:
                found[attribute] = reply.document
            elif failed is None:
                failed = reply
        return found, failed

    return fetch


def _zone_region(zone: str | None) -> str | None:
    # Scaleway's zones are their region plus a number ("nl-ams-1" in "nl-ams"), as the Collector derives it.
    head, dash, _ = (zone or "").rpartition("-")
    return head if dash and head else None


def digitalocean(document: Fields) -> Answer:
    # The Collector's digitalocean detector (droplet_id is a number there).
    return {
        HOST_ID: document.label("droplet_id"),
        HOST_NAME: document.text("hostname"),
        CLOUD_REGION: document.text("region"),
    }


def vultr(document: Fields) -> Answer:
    # go-contrib's vultr detector: the v2 UUID, else the legacy id; the region code in lower case.
    region = document.object("region").text("regioncode")
    return {
        HOST_ID: document.text("instance-v2-id") or document.label("instanceid"),
        HOST_NAME: document.text("hostname"),
        CLOUD_REGION: region.lower() if region else None,
    }


def scaleway(document: Fields) -> Answer:
    # The Collector's scaleway detector (through scaleway-sdk-go's metadata client).
    zone = document.object("location").text("zone_id")
    image = document.object("image")
    return {
        CLOUD_ACCOUNT_ID: document.text("organization"),
        CLOUD_AVAILABILITY_ZONE: zone,
        CLOUD_REGION: _zone_region(zone),
        HOST_ID: document.text("id"),
        HOST_IMAGE_ID: image.text("id"),
        HOST_IMAGE_NAME: image.text("name"),
        HOST_NAME: document.text("name"),
        HOST_TYPE: document.text("commercial_type"),
    }


def upcloud(document: Fields) -> Answer:
    # The Collector's upcloud detector; its cloud.provider comes from cloud_name, ours from the row.
    return {
        HOST_ID: document.text("instance_id"),
        HOST_NAME: document.text("hostname"),
        CLOUD_REGION: document.text("region"),
    }


def oracle(document: Fields) -> Answer:
    # The Collector's oraclecloud detector, except that it says oracle_cloud_oke on every instance:
    # here OKE only where the instance belongs to an OKE cluster (docs/detectors.md).
    cluster = document.object("metadata").text("oke-cluster-display-name")
    instance = document.text("id")
    return {
        CLOUD_PLATFORM: "oracle_cloud_oke" if cluster else None,
        CLOUD_REGION: document.text("canonicalRegionName"),
        CLOUD_RESOURCE_ID: instance,
        CLOUD_AVAILABILITY_ZONE: document.text("availabilityDomain"),
        HOST_ID: instance,
        HOST_NAME: document.text("displayName"),
        HOST_TYPE: document.text("shape"),
        K8S_CLUSTER_NAME: cluster,
    }


def akamai(base: str, deadline: Deadline) -> tuple[Answer, Response | None]:
    # The Collector's akamai detector (through linode/go-metadata): a session token, then the instance.
    reply = get_token(base + "/v1/token", deadline=deadline, headers={"Metadata-Token-Expiry-Seconds": "60"})
    if not reply.ok:
        return {}, reply
    read = json_document(
        "/v1/instance", _akamai_instance, "Akamai metadata", headers={"Metadata-Token": str(reply.document)}
    )
    return read(base, deadline)


def _akamai_instance(document: Fields) -> Answer:
    image = document.object("image")
    return {
        CLOUD_ACCOUNT_ID: document.text("account_euuid"),
        CLOUD_REGION: document.text("region"),
        HOST_ID: document.label("id"),
        HOST_IMAGE_ID: image.text("id"),
        HOST_IMAGE_NAME: image.text("label"),
        HOST_NAME: document.text("label"),
        HOST_TYPE: document.text("type"),
    }


# go-contrib's hetzner detector (hcloud-go's metadata client).
hetzner = text_paths(
    (
        ("/instance-id", HOST_ID),
        ("/hostname", HOST_NAME),
        ("/region", CLOUD_REGION),
        ("/availability-zone", CLOUD_AVAILABILITY_ZONE),
    )
)

# The Collector's alibabacloud_ecs detector: a session token, then one text path per attribute.
alibaba = text_paths(
    (
        ("/latest/meta-data/owner-account-id", CLOUD_ACCOUNT_ID),
        ("/latest/meta-data/region-id", CLOUD_REGION),
        ("/latest/meta-data/zone-id", CLOUD_AVAILABILITY_ZONE),
        ("/latest/meta-data/instance-id", HOST_ID),
        ("/latest/meta-data/hostname", HOST_NAME),
        ("/latest/meta-data/image-id", HOST_IMAGE_ID),
        ("/latest/meta-data/instance/instance-type", HOST_TYPE),
    ),
    token=("/latest/api/token", {"X-aliyun-ecs-metadata-token-ttl-seconds": "60"}, "X-aliyun-ecs-metadata-token"),
)
