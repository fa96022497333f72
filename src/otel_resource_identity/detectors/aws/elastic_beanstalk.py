"""``AwsElasticBeanstalkDetector``: the Beanstalk environment this EC2 instance serves.

Read from ``/var/elasticbeanstalk/xray/environment.conf``, the file Beanstalk
writes when X-Ray is enabled on the environment (every peer reads it; there is
no other local source), with the attribute set of opentelemetry-go-contrib's
detector, which the Collector moves to: ``deployment.id``,
``deployment.environment.name``, ``service.version``. Neither a
``service.name`` (the Python peer's constant ``aws_elastic_beanstalk`` would
name every Beanstalk app alike) nor a ``service.instance.id`` (the deployment
counter is the same on every instance): the instances are EC2 instances, and
the EC2 detector's ``host.id`` tells them apart.
"""

from __future__ import annotations

import logging

from opentelemetry.sdk.resources import Resource

from ..._settings import warn_once
from .. import _signals
from .._base import BaseDetector
from .._emit import detected
from .._names import (
    CLOUD_PLATFORM,
    CLOUD_PROVIDER,
    DEPLOYMENT_ENVIRONMENT_NAME,
    DEPLOYMENT_ID,
    SERVICE_VERSION,
    CloudPlatformValues,
    CloudProviderValues,
)
from ..inputs.files import read_text, shown_path, under_root
from ..inputs.http import parse_json
from ..inputs.reply import Fields

_logger = logging.getLogger(__name__)
_LIMIT = 64 * 1024


class AwsElasticBeanstalkDetector(BaseDetector):
    """An Elastic Beanstalk instance: ``cloud.platform=aws_elastic_beanstalk``, ``deployment.*``,
    ``service.version``."""

    def applies(self) -> bool:
        return _signals.aws_elastic_beanstalk(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        found: dict[str, object] = {
            CLOUD_PROVIDER: CloudProviderValues.AWS,
            CLOUD_PLATFORM: CloudPlatformValues.AWS_ELASTIC_BEANSTALK,
        }
        path = _signals.BEANSTALK_CONF
        text = read_text(self.root, path, limit=_LIMIT, whole=True)
        shown = shown_path(under_root(self.root, path))
        try:
            document = Fields(parse_json(text) if text else {}, f"Elastic Beanstalk {shown}")
        except ValueError:
            warn_once(("file", shown), "AWS Elastic Beanstalk: %s is not JSON; reported the platform only", shown)
            return detected(found, source=shown)
        # The Go ports decode deployment_id as a number, the Python peer's tests write it as text: both are it.
        found[DEPLOYMENT_ID] = document.label("deployment_id")
        found[DEPLOYMENT_ENVIRONMENT_NAME] = document.text("environment_name")
        found[SERVICE_VERSION] = document.text("version_label")
        document.report(_logger)
        return detected(found, source=shown, environ=self.environ)
