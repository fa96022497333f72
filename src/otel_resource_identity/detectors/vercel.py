"""``VercelDetector``: a Vercel deployment, from Vercel's system environment variables.

``cloud.provider`` is ``Vercel`` and ``cloud.region`` the Vercel region id
(``iad1``), the values Dash0's Vercel rule keys on; Vercel functions run on AWS
Lambda, and the Lambda detector stands aside when ``VERCEL`` is set. Secrets
Vercel injects (``VERCEL_OIDC_TOKEN``, ``VERCEL_AUTOMATION_BYPASS_SECRET``) are
never read.
"""

from __future__ import annotations

from opentelemetry.sdk.resources import Resource

from . import _signals
from ._base import BaseDetector
from ._emit import detected
from ._names import CLOUD_PROVIDER, CLOUD_REGION, DEPLOYMENT_ENVIRONMENT_NAME, DEPLOYMENT_ID, vcs

# Vercel's own attribute names, as vercel/otel emits them.
VERCEL_DEPLOYMENT_ID = "vercel.deployment_id"
VERCEL_PROJECT_ID = "vercel.project_id"
CLOUD_PROVIDER_VERCEL = "Vercel"

# Git providers whose repository URL can be built from owner and slug.
_REPOSITORY_HOSTS = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}

MAPPING: tuple[tuple[str, str], ...] = (
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
)


class VercelDetector(BaseDetector):
    """A Vercel deployment: ``cloud.provider=Vercel``, ``cloud.region``, deployment, project and git."""

    def applies(self) -> bool:
        return _signals.vercel(self.environ, self.root)

    def detect(self) -> Resource:
        if not self.applies():
            return Resource.get_empty()
        environ = self.environ
        found: dict[str, object] = {CLOUD_PROVIDER: CLOUD_PROVIDER_VERCEL}
        for variable, attribute in MAPPING:
            found[attribute] = environ.get(variable, "").strip()
        if found[vcs.VCS_REF_HEAD_NAME]:
            found[vcs.VCS_REF_HEAD_TYPE] = vcs.VcsRefHeadTypeValues.BRANCH
        host = _REPOSITORY_HOSTS.get(environ.get("VERCEL_GIT_PROVIDER", ""))
        owner, slug = environ.get("VERCEL_GIT_REPO_OWNER", "").strip(), environ.get("VERCEL_GIT_REPO_SLUG", "").strip()
        if host and owner and slug:
            found[vcs.VCS_REPOSITORY_URL_FULL] = f"https://{host}/{owner}/{slug}"
        return detected(found, source="the deployment's variables", environ=self.environ)
