"""Azure App Service, Azure Functions, Azure Container Apps and AKS, as go-contrib reports them.

The Collector delegates these platforms to opentelemetry-go-contrib's
detectors, so agreeing with the Collector means their keys and values. All
three PaaS platforms are told by environment variables alone (read only the
variables named here: the same settings hold storage keys and connection
strings); the VM under them is the platform's, and its instance metadata
service is never asked (``_signals.azure_vm`` says no there).

Never an app-wide value in ``host.id`` or ``service.instance.id``: each
instance is told apart by the platform's own instance attribute
(``azure.app_service.instance.id``, ``faas.instance``,
``azure.container_app.instance.id``) and each process by the SDK's
``service.instance.id``. Deliberate differences from go-contrib and from the
Python peer (``opentelemetry-resource-detector-azure``) are listed in
docs/detectors.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry.sdk.resources import Resource

from ..._settings import warn_once
from .. import _signals
from .._base import BaseDetector
from .._emit import detected
from .._names import (
    AZURE_APP_SERVICE_INSTANCE_ID,
    AZURE_CONTAINER_APP_INSTANCE_ID,
    AZURE_RESOURCE_GROUP_NAME,
    CLOUD_ACCOUNT_ID,
    CLOUD_PLATFORM,
    CLOUD_PROVIDER,
    CLOUD_REGION,
    CLOUD_RESOURCE_ID,
    DEPLOYMENT_ENVIRONMENT_NAME,
    K8S_CLUSTER_NAME,
    SERVICE_NAME,
    SERVICE_VERSION,
    CloudPlatformValues,
    CloudProviderValues,
    faas,
)
from ..inputs.environ import INT64_MAX, whole_number
from .aks import aks_cluster

_MEBIBYTE = 1024 * 1024


def _text(environ: Mapping[str, str], name: str) -> str | None:
    return environ.get(name, "").strip() or None


def _subscription(environ: Mapping[str, str]) -> str | None:
    """The subscription id: ``WEBSITE_OWNER_NAME`` is ``<subscription>+<resource group>-<region>webspace``."""
    owner = _text(environ, "WEBSITE_OWNER_NAME")
    if owner is None:
        return None
    subscription, plus, _ = owner.partition("+")
    if not plus or not subscription:
        warn_once(
            ("azure owner", "WEBSITE_OWNER_NAME"),
            "Azure: WEBSITE_OWNER_NAME is not <subscription>+<webspace>; no cloud.account.id or cloud.resource_id",
        )
        return None
    return subscription


def _site(environ: Mapping[str, str], platform: str) -> dict[str, object]:
    """What App Service and Functions share: the site, its subscription, resource group, region, slot."""
    site = _text(environ, "WEBSITE_SITE_NAME")
    subscription = _subscription(environ)
    group = _text(environ, "WEBSITE_RESOURCE_GROUP")
    found: dict[str, object] = {
        CLOUD_PROVIDER: CloudProviderValues.AZURE,
        CLOUD_PLATFORM: platform,
        SERVICE_NAME: site,
        CLOUD_REGION: _text(environ, "REGION_NAME"),
        AZURE_RESOURCE_GROUP_NAME: group,
        CLOUD_ACCOUNT_ID: subscription,
        DEPLOYMENT_ENVIRONMENT_NAME: _text(environ, "WEBSITE_SLOT_NAME"),
    }
    if site and subscription and group:
        found[CLOUD_RESOURCE_ID] = (
            f"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Web/sites/{site}"
        )
    return found


class AzureAppServiceDetector(BaseDetector):
    """An App Service instance: the site as ``service.name``, ``azure.app_service.instance.id``, ``cloud.*``.

    Signalled by ``WEBSITE_SITE_NAME`` without a Functions runtime.
    """

    def applies(self) -> bool:
        return _signals.azure_app_service(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        found = _site(environ, CloudPlatformValues.AZURE_APP_SERVICE)
        # The VM the instance runs on: each instance of the app has its own (never host.id, which
        # Dash0's host rule would share between the processes of every app on that VM).
        found[AZURE_APP_SERVICE_INSTANCE_ID] = _text(environ, "WEBSITE_INSTANCE_ID")
        return detected(found, source="the App Service settings", environ=environ)


class AzureFunctionsDetector(BaseDetector):
    """An Azure Functions host: the function app as ``service.name``, ``faas.instance``, ``faas.max_memory``.

    Signalled by ``FUNCTIONS_WORKER_RUNTIME`` or ``FUNCTIONS_EXTENSION_VERSION``.
    """

    def applies(self) -> bool:
        return _signals.azure_functions(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        found = _site(environ, CloudPlatformValues.AZURE_FUNCTIONS)
        # As go-contrib: the instance, else (plans without one) the pod, else the container.
        found[faas.FAAS_INSTANCE] = (
            _text(environ, "WEBSITE_INSTANCE_ID")
            or _text(environ, "WEBSITE_POD_NAME")
            or _text(environ, "CONTAINER_NAME")
        )
        megabytes = whole_number(
            environ, "WEBSITE_MEMORY_LIMIT_MB", maximum=INT64_MAX // _MEBIBYTE, what=faas.FAAS_MAX_MEMORY
        )
        # In bytes, as the conventions define it (the Python peer reports the megabytes).
        found[faas.FAAS_MAX_MEMORY] = None if megabytes is None else megabytes * _MEBIBYTE
        return detected(found, source="the Functions host settings", environ=environ)


class AzureContainerAppsDetector(BaseDetector):
    """A Container Apps replica (or job execution): the app as ``service.name``, its revision as
    ``service.version``, the replica as ``azure.container_app.instance.id``.

    Signalled by ``CONTAINER_APP_NAME`` (an app) or ``CONTAINER_APP_JOB_NAME`` (a job).
    """

    def applies(self) -> bool:
        return _signals.azure_container_apps(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        job = _text(environ, "CONTAINER_APP_JOB_NAME")
        found: dict[str, object] = {
            CLOUD_PROVIDER: CloudProviderValues.AZURE,
            CLOUD_PLATFORM: CloudPlatformValues.AZURE_CONTAINER_APPS,
            SERVICE_NAME: _text(environ, "CONTAINER_APP_NAME") or job,
            # The revision names the code a replica runs (as the Java and .NET detectors report it).
            SERVICE_VERSION: _text(environ, "CONTAINER_APP_REVISION"),
            # The replica (an app) or the execution (a job): each its own.
            AZURE_CONTAINER_APP_INSTANCE_ID: _text(environ, "CONTAINER_APP_REPLICA_NAME")
            or (_text(environ, "CONTAINER_APP_JOB_EXECUTION_NAME") if job else None),
        }
        return detected(found, source="the Container Apps variables", environ=environ)


class AzureAksDetector(BaseDetector):
    """An AKS cluster's facts for the pod: ``cloud.platform=azure.aks``, ``cloud.resource_id`` (the
    cluster), ``cloud.account.id``, ``k8s.cluster.name``; merged into the Kubernetes pod's resource.

    Signalled by ``CLUSTER_RESOURCE_ID`` or the mounted AKS cluster metadata (see ``azure.aks``).
    """

    def applies(self) -> bool:
        return _signals.azure_aks(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        cluster = aks_cluster(self.environ, self.root)
        if cluster is None or cluster.resource_id is None:
            return Resource.get_empty()
        found: dict[str, object] = {
            CLOUD_PROVIDER: CloudProviderValues.AZURE,
            CLOUD_PLATFORM: CloudPlatformValues.AZURE_AKS,
            CLOUD_RESOURCE_ID: cluster.resource_id,
            CLOUD_ACCOUNT_ID: cluster.subscription,
            K8S_CLUSTER_NAME: cluster.name,
        }
        return detected(found, source=cluster.where, environ=self.environ)
