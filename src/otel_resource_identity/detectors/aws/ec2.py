"""``AwsEc2Detector``: the EC2 instance this process runs on, as the Collector's ``ec2`` detector reports it.

Signalled by the DMI alone (``sys_vendor``/``bios_vendor`` ``Amazon EC2`` on
Nitro, ``/sys/hypervisor/uuid`` starting with ``ec2`` on Xen), so off EC2 it
costs a few file reads and no network. Without the network it reports
``cloud.provider``, ``cloud.platform`` and, on Nitro, ``host.id`` (the
instance id is the board asset tag). Then, within the deadline, IMDSv2: a
session token (``PUT /latest/api/token``), the instance identity document and
the hostname, never any credentials path. ``AWS_EC2_METADATA_SERVICE_ENDPOINT``
and ``AWS_EC2_METADATA_DISABLED`` work as in the AWS SDKs. A pod or container
that cannot reach IMDS (the default hop limit of 1) keeps the local facts with
one DEBUG line.
"""

from __future__ import annotations

import logging
import re

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
    HOST_IMAGE_ID,
    HOST_NAME,
    HOST_TYPE,
    K8S_CLUSTER_NAME,
    CloudPlatformValues,
    CloudProviderValues,
)
from ..inputs.deadline import Deadline
from ..inputs.http import Response, get_json, get_text, get_token
from ..inputs.reply import Fields
from ..inputs.urls import parse_endpoint

_logger = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "http://169.254.169.254"
TOKEN_PATH = "/latest/api/token"
IDENTITY_PATH = "/latest/dynamic/instance-identity/document"
HOSTNAME_PATH = "/latest/meta-data/hostname"
# Asked only in a pod (an EKS node labels its instance with its cluster): answered only where
# instance metadata tags are enabled, a 404 elsewhere.
EKS_CLUSTER_TAG_PATH = "/latest/meta-data/tags/instance/aws:eks:cluster-name"
_CLUSTER_NAME = re.compile(r"[0-9A-Za-z][A-Za-z0-9\-_]{0,99}")
_INSTANCE_ID = re.compile(r"i-[0-9a-f]{8,32}")
_TTL = {"X-aws-ec2-metadata-token-ttl-seconds": "60"}

# Identity document field -> attribute, as the Collector's ec2 detector maps them.
IDENTITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("accountId", CLOUD_ACCOUNT_ID),
    ("region", CLOUD_REGION),
    ("availabilityZone", CLOUD_AVAILABILITY_ZONE),
    ("instanceId", HOST_ID),
    ("imageId", HOST_IMAGE_ID),
    ("instanceType", HOST_TYPE),
)


def instance_id_from_dmi(root: str) -> str | None:
    """The instance id in the board asset tag (Nitro), if it is one."""
    tag = _signals.dmi(root).board_asset_tag
    return tag if _INSTANCE_ID.fullmatch(tag) else None


class AwsEc2Detector(NetworkDetector):
    """An EC2 instance: ``cloud.*``, ``host.id``, ``host.name``, ``host.type``, ``host.image.id``."""

    def applies(self) -> bool:
        return _signals.aws_ec2(self.environ, self.root)

    def detect_within(self, deadline: Deadline) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        found = self.partial = {
            CLOUD_PROVIDER: CloudProviderValues.AWS,
            CLOUD_PLATFORM: CloudPlatformValues.AWS_EC2,
            HOST_ID: instance_id_from_dmi(self.root),
        }
        if self.environ.get("AWS_EC2_METADATA_DISABLED", "").strip().lower() == "true":
            return detected(found, source="the DMI or the EC2 instance metadata service", environ=self.environ)
        base = self._endpoint()
        if base is not None:
            found.update(self._metadata(base, deadline))
        return detected(found, source="the DMI or the EC2 instance metadata service", environ=self.environ)

    def _endpoint(self) -> str | None:
        text = self.environ.get("AWS_EC2_METADATA_SERVICE_ENDPOINT", "").strip() or DEFAULT_ENDPOINT
        endpoint = parse_endpoint(text)
        if isinstance(endpoint, str):
            _logger.warning(
                "AWS EC2: AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http(s) URL (%s); reported what the DMI says",
                endpoint,
            )
            return None
        return f"{endpoint.safe}{endpoint.path.rstrip('/')}"

    def _metadata(self, base: str, deadline: Deadline) -> dict[str, object]:
        token = get_token(base + TOKEN_PATH, deadline=deadline, headers=_TTL)
        if token.status == 0:
            return self._unreachable(base, token)
        if not token.ok and not token.http_error:
            _logger.warning(
                "AWS EC2: the instance metadata service at %s gave no usable token (%s); reported what the DMI says",
                base,
                token.problem,
            )
            return {}
        # IMDSv1-only instances refuse the PUT: ask without a token, as the AWS SDKs fall back.
        headers = {"X-aws-ec2-metadata-token": str(token.document)} if token.ok else {}
        identity = get_json(base + IDENTITY_PATH, deadline=deadline, headers=headers)
        if not identity.ok:
            if identity.status == 0:
                return self._unreachable(base, identity)
            _logger.warning(
                "AWS EC2: the instance metadata service at %s did not give the identity document (%s); "
                "reported what the DMI says",
                base,
                identity.problem,
            )
            return {}
        document = Fields(identity.document, "AWS EC2 instance identity document")
        found: dict[str, object] = {}
        for key, attribute in IDENTITY_FIELDS:
            value = document.text(key)
            if value:  # what the document lacks, the DMI may still say
                found[attribute] = value
        document.report(_logger)
        self.partial.update(found)
        hostname = get_text(base + HOSTNAME_PATH, deadline=deadline, headers=headers)
        if hostname.ok:
            found[HOST_NAME] = str(hostname.document)
        if _signals.kubernetes(self.environ, self.root):
            cluster = get_text(base + EKS_CLUSTER_TAG_PATH, deadline=deadline, headers=headers)
            if cluster.ok and _CLUSTER_NAME.fullmatch(str(cluster.document).strip()):
                found[K8S_CLUSTER_NAME] = str(cluster.document).strip()
                # A pod of an EKS cluster: the platform is EKS, as the Collector's, the JS and the
                # Python EKS detectors say for it (the node's own resource stays aws_ec2).
                found[CLOUD_PLATFORM] = CloudPlatformValues.AWS_EKS
        return found

    def _unreachable(self, base: str, response: Response) -> dict[str, object]:
        # Normal in a pod or a bridge-networked container (IMDS hop limit 1): not worth a warning.
        _logger.debug("AWS EC2: the instance metadata service at %s is out of reach (%s)", base, response.problem)
        return {}
