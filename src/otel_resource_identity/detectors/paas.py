"""The platforms told by their environment variables alone, as rows of one table.

Each row names the platform's signal, the constant attributes it reports, and
which variable becomes which attribute; a row may add a step of its own (the
Vercel repository URL, the Heroku hint). Only the variables named here are
read: these platforms put secrets in the same environment (config vars,
``VERCEL_OIDC_TOKEN``, database URLs).

Where the semantic conventions register no ``cloud.provider`` value (Fly.io,
Render, Railway), the row uses the platform's own lower-case name; where a
platform names one instance (a Heroku dyno, a Render instance, a Railway
replica), that id is ``service.instance.id`` and every process of it adds its
``process.pid`` (see ``_emit.per_process``), as on Kubernetes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import NamedTuple

from opentelemetry.sdk.resources import Resource

from . import _signals
from ._base import BaseDetector
from ._emit import detected
from ._names import (
    CLOUD_PROVIDER,
    CLOUD_REGION,
    CLOUD_RESOURCE_ID,
    DEPLOYMENT_ENVIRONMENT_NAME,
    DEPLOYMENT_ID,
    HOST_ID,
    SERVICE_INSTANCE_ID,
    SERVICE_NAME,
    SERVICE_NAMESPACE,
    SERVICE_VERSION,
    CloudProviderValues,
    heroku,
    vcs,
)

_logger = logging.getLogger(__name__)

# Vercel's own attribute names, as vercel/otel emits them.
VERCEL_DEPLOYMENT_ID = "vercel.deployment_id"
VERCEL_PROJECT_ID = "vercel.project_id"
CLOUD_PROVIDER_VERCEL = "Vercel"  # the value Dash0's Vercel rule keys on

# Git providers whose repository URL can be built from owner and slug.
_REPOSITORY_HOSTS = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}


class Platform(NamedTuple):
    """One platform: its ``RESOURCE_IDENTITY_DETECTORS`` name, title, signal, constants and mapping."""

    name: str
    title: str
    signal: Callable[[Mapping[str, str], str], bool]
    constants: Mapping[str, str]
    mapping: tuple[tuple[str, str], ...]  # (variable, attribute), in order; a later row for a key wins
    finish: Callable[[Mapping[str, str], dict[str, object]], None] | None = None


def _heroku_hint(environ: Mapping[str, str], found: dict[str, object]) -> None:
    if not environ.get("HEROKU_APP_ID"):
        _logger.warning(
            "Heroku: dyno metadata is off, so the app and dyno ids are unknown; "
            "run 'heroku labs:enable runtime-dyno-metadata' and deploy again"
        )


def _vercel_repository(environ: Mapping[str, str], found: dict[str, object]) -> None:
    if found.get(vcs.VCS_REF_HEAD_NAME):
        found[vcs.VCS_REF_HEAD_TYPE] = vcs.VcsRefHeadTypeValues.BRANCH
    host = _REPOSITORY_HOSTS.get(environ.get("VERCEL_GIT_PROVIDER", ""))
    owner, slug = environ.get("VERCEL_GIT_REPO_OWNER", "").strip(), environ.get("VERCEL_GIT_REPO_SLUG", "").strip()
    if host and owner and slug:
        found[vcs.VCS_REPOSITORY_URL_FULL] = f"https://{host}/{owner}/{slug}"


def _render_branch(environ: Mapping[str, str], found: dict[str, object]) -> None:
    if found.get(vcs.VCS_REF_HEAD_NAME):
        found[vcs.VCS_REF_HEAD_TYPE] = vcs.VcsRefHeadTypeValues.BRANCH


PLATFORMS: Mapping[str, Platform] = {
    "heroku": Platform(
        "heroku",
        "Heroku",
        _signals.heroku,
        {CLOUD_PROVIDER: CloudProviderValues.HEROKU},
        # The semantic conventions' mapping (and the Collector's heroku detector).
        (
            ("HEROKU_APP_ID", heroku.HEROKU_APP_ID),
            ("HEROKU_APP_NAME", SERVICE_NAME),
            ("HEROKU_DYNO_ID", SERVICE_INSTANCE_ID),
            ("HEROKU_RELEASE_CREATED_AT", heroku.HEROKU_RELEASE_CREATION_TIMESTAMP),
            ("HEROKU_RELEASE_VERSION", SERVICE_VERSION),
            ("HEROKU_SLUG_COMMIT", heroku.HEROKU_RELEASE_COMMIT),
        ),
        _heroku_hint,
    ),
    "vercel": Platform(
        "vercel",
        "Vercel",
        _signals.vercel,
        {CLOUD_PROVIDER: CLOUD_PROVIDER_VERCEL},
        (
            ("VERCEL_REGION", CLOUD_REGION),
            ("VERCEL_ENV", DEPLOYMENT_ENVIRONMENT_NAME),
            ("VERCEL_DEPLOYMENT_ID", DEPLOYMENT_ID),
            ("VERCEL_DEPLOYMENT_ID", VERCEL_DEPLOYMENT_ID),
            ("VERCEL_PROJECT_ID", VERCEL_PROJECT_ID),
            ("VERCEL_GIT_COMMIT_REF", vcs.VCS_REF_HEAD_NAME),
            ("VERCEL_GIT_COMMIT_SHA", vcs.VCS_REF_HEAD_REVISION),
            ("VERCEL_GIT_REPO_SLUG", vcs.VCS_REPOSITORY_NAME),
            ("VERCEL_GIT_REPO_OWNER", vcs.VCS_OWNER_NAME),
            ("VERCEL_GIT_PROVIDER", vcs.VCS_PROVIDER_NAME),
            ("VERCEL_GIT_PULL_REQUEST_ID", vcs.VCS_CHANGE_ID),
        ),
        _vercel_repository,
    ),
    # Fly.io's "Machine runtime environment": a Machine is a VM, so its id is the host's.
    "fly": Platform(
        "fly",
        "Fly.io",
        _signals.fly,
        {CLOUD_PROVIDER: "fly_io"},
        (
            ("FLY_APP_NAME", SERVICE_NAME),
            ("FLY_MACHINE_ID", HOST_ID),
            ("FLY_REGION", CLOUD_REGION),
        ),
    ),
    # Render's "Default environment variables".
    "render": Platform(
        "render",
        "Render",
        _signals.render,
        {CLOUD_PROVIDER: "render"},
        (
            ("RENDER_SERVICE_NAME", SERVICE_NAME),
            ("RENDER_SERVICE_ID", CLOUD_RESOURCE_ID),
            ("RENDER_INSTANCE_ID", SERVICE_INSTANCE_ID),
            ("RENDER_GIT_COMMIT", vcs.VCS_REF_HEAD_REVISION),
            ("RENDER_GIT_BRANCH", vcs.VCS_REF_HEAD_NAME),
        ),
        _render_branch,
    ),
    # Railway's "Railway-provided variables".
    "railway": Platform(
        "railway",
        "Railway",
        _signals.railway,
        {CLOUD_PROVIDER: "railway"},
        (
            ("RAILWAY_SERVICE_NAME", SERVICE_NAME),
            ("RAILWAY_PROJECT_NAME", SERVICE_NAMESPACE),
            ("RAILWAY_REPLICA_ID", SERVICE_INSTANCE_ID),
            ("RAILWAY_REPLICA_REGION", CLOUD_REGION),
            ("RAILWAY_ENVIRONMENT_NAME", DEPLOYMENT_ENVIRONMENT_NAME),
            ("RAILWAY_DEPLOYMENT_ID", DEPLOYMENT_ID),
            ("RAILWAY_GIT_COMMIT_SHA", vcs.VCS_REF_HEAD_REVISION),
        ),
    ),
}


class _TableDetector(BaseDetector):
    """One row of :data:`PLATFORMS`, as a detector."""

    platform: Platform

    def applies(self) -> bool:
        return self.platform.signal(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        found: dict[str, object] = dict(self.platform.constants)
        for variable, attribute in self.platform.mapping:
            found[attribute] = environ.get(variable, "").strip()
        if self.platform.finish is not None:
            self.platform.finish(environ, found)
        return detected(found, source=f"the {self.platform.title} variables", environ=environ)


class HerokuDetector(_TableDetector):
    """A Heroku dyno: ``cloud.provider``, ``heroku.*``, ``service.*``. ``DYNO`` signals it; the
    ``HEROKU_*`` variables exist once dyno metadata is on (``heroku labs:enable runtime-dyno-metadata``),
    and without them the detector says so, once."""

    platform = PLATFORMS["heroku"]


class VercelDetector(_TableDetector):
    """A Vercel deployment: ``cloud.provider=Vercel``, ``cloud.region`` (the Vercel region id), the
    deployment, the project and git. Vercel functions run on AWS Lambda; the Lambda detector stands aside."""

    platform = PLATFORMS["vercel"]


class FlyDetector(_TableDetector):
    """A Fly.io Machine: ``service.name`` (the app), ``host.id`` (the Machine), ``cloud.region``."""

    platform = PLATFORMS["fly"]


class RenderDetector(_TableDetector):
    """A Render instance: ``service.name``, ``service.instance.id`` (the instance), the service id, git."""

    platform = PLATFORMS["render"]


class RailwayDetector(_TableDetector):
    """A Railway replica: ``service.name``, ``service.namespace`` (the project), ``service.instance.id``
    (the replica), region, environment, deployment, commit."""

    platform = PLATFORMS["railway"]
