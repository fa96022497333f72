"""``GcpAppEngineDetector``: an App Engine instance, standard or flexible.

The environment names the service, version and instance (``GAE_SERVICE``,
``GAE_VERSION``, ``GAE_INSTANCE``; standard also sets ``GAE_ENV=standard``),
and ``GOOGLE_CLOUD_PROJECT`` the project; the metadata server is asked only
for what the environment lacks: the region and zone (and the project when
the variable is missing), within the one deadline. The attributes are those
of Google's detector (``opentelemetry-resourcedetector-gcp``), with
``service.name``/``service.version`` as the platform names them.

App Engine flexible runs in a container on a Compute Engine VM, whose DMI
says Google: this detector outranks the Compute Engine one, whose
``host.id`` (the VM) it keeps.
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
    SERVICE_NAME,
    SERVICE_VERSION,
    CloudPlatformValues,
    CloudProviderValues,
    faas,
)
from ..inputs.deadline import Deadline
from .metadata import ask, last_segment, metadata_base

_logger = logging.getLogger(__name__)


class GcpAppEngineDetector(NetworkDetector):
    """An App Engine instance: ``faas.*`` and ``service.*`` (service, version, instance), ``cloud.*``."""

    def applies(self) -> bool:
        return _signals.gcp_app_engine(self.environ, self.root)

    def detect_within(self, deadline: Deadline) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        service, version = environ["GAE_SERVICE"].strip(), environ["GAE_VERSION"].strip()
        found: dict[str, object] = {
            CLOUD_PROVIDER: CloudProviderValues.GCP,
            CLOUD_PLATFORM: CloudPlatformValues.GCP_APP_ENGINE,
            faas.FAAS_NAME: service,
            faas.FAAS_VERSION: version,
            faas.FAAS_INSTANCE: environ["GAE_INSTANCE"].strip(),
            SERVICE_NAME: service,
            SERVICE_VERSION: version,
            CLOUD_ACCOUNT_ID: environ.get("GOOGLE_CLOUD_PROJECT", "").strip() or None,
        }
        self.partial = found  # what PlatformDetector keeps if the metadata server outlasts the deadline
        base = metadata_base(environ)
        if base is not None:
            paths = ("instance/region", "instance/zone") + (() if found[CLOUD_ACCOUNT_ID] else ("project/project-id",))
            answers = ask(base, paths, deadline)
            if "instance/region" in answers.values:
                found[CLOUD_REGION] = last_segment(answers.values["instance/region"])
            if "instance/zone" in answers.values:
                found[CLOUD_AVAILABILITY_ZONE] = last_segment(answers.values["instance/zone"])
            if "project/project-id" in answers.values:
                found[CLOUD_ACCOUNT_ID] = answers.values["project/project-id"]
            if answers.failed:
                level = logging.WARNING if answers.reached else logging.DEBUG
                _logger.log(
                    level,
                    "App Engine: the metadata server at %s did not answer %s (%s); reported what the environment says",
                    base,
                    ", ".join(answers.failed),
                    answers.problem,
                )
        return detected(found, source="the App Engine environment or the metadata server", environ=environ)
