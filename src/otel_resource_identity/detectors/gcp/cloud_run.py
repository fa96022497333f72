"""``GcpCloudRunDetector``: Cloud Run services, jobs, worker pools, and functions.

The environment says which kind of workload this is (checked in the table's
order: Cloud Functions gen2 also sets every ``K_*`` variable of a service).
Only then does the detector ask the metadata server (see ``gcp.metadata``)
for project, region, zone and instance id.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import NamedTuple

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
    CLOUD_RESOURCE_ID,
    SERVICE_NAME,
    SERVICE_VERSION,
    CloudPlatformValues,
    CloudProviderValues,
    faas,
    gcp,
)
from ..inputs.deadline import Deadline
from ..inputs.environ import whole_number
from .metadata import ask, last_segment, metadata_base

_logger = logging.getLogger(__name__)


class Workload(NamedTuple):
    """A kind of Cloud Run workload; its signal is ``_signals.CLOUD_RUN_SIGNALS[kind]``."""

    version_variable: str | None
    platform: str
    resource_id: str


WORKLOADS: Mapping[str, Workload] = {
    "function": Workload(
        "K_REVISION",
        CloudPlatformValues.GCP_CLOUD_FUNCTIONS,
        "//cloudfunctions.googleapis.com/projects/{project}/locations/{region}/functions/{name}",
    ),
    "service": Workload(
        "K_REVISION",
        CloudPlatformValues.GCP_CLOUD_RUN,
        "//run.googleapis.com/projects/{project}/locations/{region}/services/{name}",
    ),
    "job": Workload(
        None,
        CloudPlatformValues.GCP_CLOUD_RUN,
        "//run.googleapis.com/projects/{project}/locations/{region}/jobs/{name}",
    ),
    "worker pool": Workload(
        "CLOUD_RUN_REVISION",
        CloudPlatformValues.GCP_CLOUD_RUN,
        "//run.googleapis.com/projects/{project}/locations/{region}/workerPools/{name}",
    ),
}

# Metadata paths and the attribute each answers.
_METADATA: tuple[tuple[str, str], ...] = (
    ("project/project-id", CLOUD_ACCOUNT_ID),
    ("instance/region", CLOUD_REGION),
    ("instance/zone", CLOUD_AVAILABILITY_ZONE),
    ("instance/id", faas.FAAS_INSTANCE),
)


class GcpCloudRunDetector(NetworkDetector):
    """A Cloud Run workload: ``faas.*``, ``cloud.*``, ``gcp.cloud_run.job.*``."""

    def applies(self) -> bool:
        return _signals.gcp_cloud_run(self.environ, self.root)

    def detect_within(self, deadline: Deadline) -> Resource:
        environ = self.environ
        kind = _signals.cloud_run_workload(environ)
        if kind is None:
            return Resource.get_empty()
        workload = WORKLOADS[kind]
        name = environ[_signals.CLOUD_RUN_SIGNALS[kind][1]].strip()
        found: dict[str, object] = {
            CLOUD_PROVIDER: CloudProviderValues.GCP,
            CLOUD_PLATFORM: workload.platform,
            faas.FAAS_NAME: name,
            faas.FAAS_VERSION: environ.get(workload.version_variable, "").strip()
            if workload.version_variable
            else None,
        }
        if not _signals.kubernetes(environ, self.root):
            # The workload's name names the service (users ask for it: no Google tooling sets it). In a
            # pod (Knative, Cloud Run for Anthos) the Kubernetes convention names it instead, as the
            # Collector's k8sattributes processor does for the pod's other telemetry.
            found[SERVICE_NAME] = name
            found[SERVICE_VERSION] = found[faas.FAAS_VERSION]
        if kind == "job":
            found[gcp.GCP_CLOUD_RUN_JOB_EXECUTION] = environ.get("CLOUD_RUN_EXECUTION", "").strip()
            found[gcp.GCP_CLOUD_RUN_JOB_TASK_INDEX] = self._task_index()
        self.partial = dict(found)
        found.update(self._metadata(deadline))
        project, region = found.get(CLOUD_ACCOUNT_ID), found.get(CLOUD_REGION)
        if project and region:
            found[CLOUD_RESOURCE_ID] = workload.resource_id.format(project=project, region=region, name=name)
        return detected(found, source="the Cloud Run environment or the metadata server", environ=self.environ)

    def _task_index(self) -> int | None:
        return whole_number(self.environ, "CLOUD_RUN_TASK_INDEX", what=gcp.GCP_CLOUD_RUN_JOB_TASK_INDEX)

    def _metadata(self, deadline: Deadline) -> dict[str, object]:
        base = metadata_base(self.environ)
        if base is None:
            return {}
        answers = ask(base, tuple(path for path, _ in _METADATA), deadline)
        found: dict[str, object] = {}
        for path, attribute in _METADATA:
            if path in answers.values:
                value = answers.values[path]
                found[attribute] = (
                    last_segment(value) if attribute in (CLOUD_REGION, CLOUD_AVAILABILITY_ZONE) else value
                )
        self.partial.update(found)
        if answers.failed:
            _logger.warning(
                "Google Cloud: the metadata server at %s did not answer %s (%s); reported what it did answer "
                "and what the environment says",
                base,
                ", ".join(answers.failed),
                answers.problem,
            )
        return found
