"""``CicdDetector``: the pipeline run, worker and commit a CI/CD job is working on.

One table row per CI system: the variable that signals it, and for each
attribute where its value comes from. A source is a list of alternatives,
each a variable name or a template of ``{VARIABLES}``; the first whose
variables are all set wins. Rows are checked in order, so that systems that
imitate another (Gitea and Forgejo Actions set ``GITHUB_ACTIONS``; Woodpecker
uses GitLab-style ``CI_*`` names) are recognised first.

Only the variables named here are read: CI systems put tokens in the
environment, and nothing is copied wholesale. Repository URLs lose any
``user:password@`` part; pull requests report their head branch and commit,
not the synthetic merge ref.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import NamedTuple
from urllib.parse import quote

from opentelemetry.sdk.resources import Resource

from .._settings import warn_once
from . import _signals
from ._base import BaseDetector
from ._emit import detected
from ._names import cicd, vcs
from .inputs.files import read_text
from .inputs.http import parse_json
from .inputs.reply import Fields
from .inputs.urls import parse_endpoint, strip_credentials

_logger = logging.getLogger(__name__)

Source = tuple[str, ...]
Extras = Callable[[Mapping[str, str], str], dict[str, object]]

# Pseudo-attribute: a tag name, which becomes vcs.ref.head.name with type "tag".
HEAD_TAG = "head.tag"
# A value from an extras function that removes what the table found (the merge
# commit of a pull request whose head commit is unknown).
DROP = object()

P_NAME, P_RUN, P_RUN_URL = cicd.CICD_PIPELINE_NAME, cicd.CICD_PIPELINE_RUN_ID, cicd.CICD_PIPELINE_RUN_URL_FULL
T_NAME, T_RUN, T_RUN_URL = (
    cicd.CICD_PIPELINE_TASK_NAME,
    cicd.CICD_PIPELINE_TASK_RUN_ID,
    cicd.CICD_PIPELINE_TASK_RUN_URL_FULL,
)
W_ID, W_NAME = cicd.CICD_WORKER_ID, cicd.CICD_WORKER_NAME
REPO_URL, REPO_NAME, OWNER = vcs.VCS_REPOSITORY_URL_FULL, vcs.VCS_REPOSITORY_NAME, vcs.VCS_OWNER_NAME
HEAD, REVISION, BASE, CHANGE = (
    vcs.VCS_REF_HEAD_NAME,
    vcs.VCS_REF_HEAD_REVISION,
    vcs.VCS_REF_BASE_NAME,
    vcs.VCS_CHANGE_ID,
)


class Vendor(NamedTuple):
    """A CI system: its name (its signal is ``_signals.CI_SIGNALS[name]``) and where each attribute comes from."""

    name: str
    fields: Mapping[str, Source]
    provider: str | None = None
    extras: Extras | None = None


_TEMPLATE_FIELD = re.compile(r"\{([A-Za-z0-9_]+)\}")


def resolve(source: Source, environ: Mapping[str, str]) -> str | None:
    """The first alternative of ``source`` whose variables are all set.

    Templates build URLs: a field that opens the template is a base URL and goes in as it is; every
    other field goes in percent-encoded ('/' kept), because CI systems put names people chose into
    them (an Azure DevOps project named 'Fabrikam Fiber') and a URL holds no spaces.
    """
    for alternative in source:
        names = _TEMPLATE_FIELD.findall(alternative) or [alternative]
        values = {name: environ.get(name, "").strip() for name in names}
        if all(values.values()):
            if not _TEMPLATE_FIELD.search(alternative):
                return values[alternative]
            base = names[0] if alternative.startswith("{") else None
            return alternative.format_map({k: v if k == base else quote(v, safe="/") for k, v in values.items()})
    return None


def repository_url(text: str) -> str | None:
    """A canonical https repository URL: no credentials, no ``.git``, scp and ssh forms converted."""
    text = text.strip()
    if "://" not in text:
        # "user:password@host/path" is a URL without its scheme (the colon comes
        # before the '@'); "[user@]host:path" is git's scp form.
        at, colon = text.find("@"), text.find(":")
        if 0 <= colon < at:
            text = "https://" + text
        elif scp := re.fullmatch(r"(?:[^@/:]+@)?([^:/@]+):(?!//)(.+)", text):
            text = f"https://{scp.group(1)}/{scp.group(2)}"
    text = strip_credentials(text)
    scheme = text.partition("://")[0].lower()
    if scheme not in ("http", "https", "ssh", "git"):
        return None
    endpoint = parse_endpoint("https" + text[len(scheme) :])
    if isinstance(endpoint, str):
        return None
    # An ssh or git URL's port says nothing about the web address.
    host = endpoint.host_header if scheme in ("http", "https") else endpoint.host
    if scheme == "http" and endpoint.port == 80:
        host = endpoint.host
    path = endpoint.path.split("?", 1)[0].rstrip("/").removesuffix(".git")
    return f"https://{host}{path}"


def ref_name(text: str) -> tuple[str, str] | None:
    """(name, type) of a ref as CI systems give it, or ``None`` for a pull request merge ref."""
    name = text.strip()
    if re.fullmatch(r"(?:refs/pull/)?\d+/(?:merge|head)|merge", name):
        return None
    if name.startswith("refs/tags/"):
        return name.removeprefix("refs/tags/"), vcs.VcsRefHeadTypeValues.TAG
    for prefix in ("refs/heads/", "origin/"):
        name = name.removeprefix(prefix)
    return (name, vcs.VcsRefHeadTypeValues.BRANCH) if name else None


# GitHub caps webhook payloads at 25 MB; event files on runners are that size at most.
_EVENT_FILE_LIMIT = 25 * 1024 * 1024


def _github_pull_request(environ: Mapping[str, str], root: str) -> dict[str, object]:
    # On pull_request events GITHUB_SHA is the synthetic merge commit; the
    # event payload holds the real head commit and the PR number. When the
    # payload cannot be used, no head revision is reported rather than the
    # merge commit.
    if environ.get("GITHUB_EVENT_NAME") not in ("pull_request", "pull_request_target"):
        return {}
    path = environ.get("GITHUB_EVENT_PATH", "").strip()
    text = read_text(root, path, limit=_EVENT_FILE_LIMIT, whole=True) if path else None
    try:
        event = Fields(parse_json(text) if text else {}, "GitHub Actions event file (GITHUB_EVENT_PATH)")
    except ValueError:
        event = Fields({}, "")
        warn_once(
            ("file", f"{root}:{path}"), "GitHub Actions: the event file (GITHUB_EVENT_PATH) is not JSON; skipped it"
        )
    pull_request = event.object("pull_request")
    head = pull_request.object("head").text("sha")
    number = event.label("number") or pull_request.label("number")
    event.report(_logger)
    return {REVISION: head or DROP, CHANGE: number}


def _jenkins(environ: Mapping[str, str], root: str) -> dict[str, object]:
    # A multibranch job's name ends with the branch; the pipeline is the rest.
    job, branch = environ.get("JOB_NAME", "").strip(), environ.get("BRANCH_NAME", "").strip()
    number = environ.get("BUILD_NUMBER", "").strip() or environ.get("BUILD_ID", "").strip()
    found: dict[str, object] = {}
    if job and number and not environ.get("BUILD_TAG", "").strip():
        # What Jenkins puts in BUILD_TAG, for agents that do not pass it on.
        found[P_RUN] = f"jenkins-{job.replace('/', '-')}-{number}"
    if job and branch and job.endswith("/" + branch):
        found[P_NAME] = job[: -len(branch) - 1]
    return found


def _properties(text: str, wanted: set[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        key, _, value = _split_property(line)
        if key in wanted:
            values[key] = re.sub(r"\\(.)", r"\1", value)
    return values


def _split_property(line: str) -> tuple[str, str, str]:
    match = re.match(r"((?:\\.|[^=:\\])*)([=:])(.*)", line)
    if not match:
        return line, "", ""
    return match.group(1).strip(), match.group(2), match.group(3).strip()


def _teamcity(environ: Mapping[str, str], root: str) -> dict[str, object]:
    # The build properties file also holds the build's credentials: only the
    # named keys are taken from it.
    path = environ.get("TEAMCITY_BUILD_PROPERTIES_FILE", "").strip()
    text = read_text(root, path, limit=4 * 1024 * 1024) if path else None
    if not text:
        return {}
    values = _properties(text, {"teamcity.build.id", "teamcity.buildType.id", "teamcity.serverUrl", "agent.name"})
    found: dict[str, object] = {P_RUN: values.get("teamcity.build.id"), W_NAME: values.get("agent.name")}
    server, build_type, build = (
        values.get(k) for k in ("teamcity.serverUrl", "teamcity.buildType.id", "teamcity.build.id")
    )
    if server and build_type and build:
        found[P_RUN_URL] = f"{server.rstrip('/')}/buildConfiguration/{build_type}/{build}"
    return found


GITHUB_STYLE: Mapping[str, Source] = {
    P_NAME: ("GITHUB_WORKFLOW",),
    P_RUN: ("GITHUB_RUN_ID",),
    P_RUN_URL: ("{GITHUB_SERVER_URL}/{GITHUB_REPOSITORY}/actions/runs/{GITHUB_RUN_ID}",),
    T_NAME: ("GITHUB_JOB",),
    W_NAME: ("RUNNER_NAME",),
    REPO_URL: ("{GITHUB_SERVER_URL}/{GITHUB_REPOSITORY}",),
    REPO_NAME: ("GITHUB_REPOSITORY",),
    OWNER: ("GITHUB_REPOSITORY_OWNER",),
    HEAD: ("GITHUB_HEAD_REF", "GITHUB_REF"),
    REVISION: ("GITHUB_SHA",),
    BASE: ("GITHUB_BASE_REF",),
}

VENDORS: tuple[Vendor, ...] = (
    Vendor("Gitea Actions", GITHUB_STYLE, "gitea"),
    Vendor("Forgejo Actions", GITHUB_STYLE, "gitea"),
    Vendor("GitHub Actions", GITHUB_STYLE, "github", _github_pull_request),
    Vendor(
        "Woodpecker",
        {
            P_NAME: ("CI_WORKFLOW_NAME", "CI_REPO"),
            P_RUN: ("CI_PIPELINE_NUMBER", "CI_BUILD_NUMBER"),
            P_RUN_URL: ("CI_PIPELINE_URL", "CI_PIPELINE_LINK", "CI_BUILD_LINK"),
            T_NAME: ("CI_STEP_NAME",),
            W_NAME: ("CI_MACHINE",),
            REPO_URL: ("CI_REPO_URL", "CI_REPO_CLONE_URL"),
            REPO_NAME: ("CI_REPO_NAME", "CI_REPO"),
            OWNER: ("CI_REPO_OWNER",),
            HEAD: ("CI_COMMIT_SOURCE_BRANCH", "CI_COMMIT_BRANCH"),
            HEAD_TAG: ("CI_COMMIT_TAG",),
            REVISION: ("CI_COMMIT_SHA",),
            BASE: ("CI_COMMIT_TARGET_BRANCH",),
            CHANGE: ("CI_COMMIT_PULL_REQUEST",),
        },
    ),
    Vendor(
        "GitLab CI",
        {
            # Only a named pipeline (workflow:name) has a name, as the Collector's
            # GitLab receiver sees it: the project path is the repository's name.
            P_NAME: ("CI_PIPELINE_NAME",),
            P_RUN: ("CI_PIPELINE_ID",),
            P_RUN_URL: ("CI_PIPELINE_URL",),
            T_NAME: ("CI_JOB_NAME", "CI_BUILD_NAME"),
            T_RUN: ("CI_JOB_ID", "CI_BUILD_ID"),
            T_RUN_URL: ("CI_JOB_URL",),
            W_ID: ("CI_RUNNER_ID",),
            W_NAME: ("CI_RUNNER_DESCRIPTION",),
            REPO_URL: ("CI_PROJECT_URL",),
            REPO_NAME: ("CI_PROJECT_NAME", "CI_PROJECT_PATH"),
            OWNER: ("CI_PROJECT_NAMESPACE",),
            HEAD: (
                "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
                "CI_COMMIT_BRANCH",
                "CI_COMMIT_REF_NAME",
                "CI_BUILD_REF_NAME",
            ),
            HEAD_TAG: ("CI_COMMIT_TAG", "CI_BUILD_TAG"),
            REVISION: ("CI_COMMIT_SHA", "CI_BUILD_REF"),
            BASE: ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME",),
            CHANGE: ("CI_MERGE_REQUEST_IID",),
        },
        "gitlab",
    ),
    Vendor(
        "AWS CodeBuild",
        {
            P_RUN: ("CODEBUILD_BUILD_ID",),
            P_RUN_URL: ("CODEBUILD_BUILD_URL", "CODEBUILD_PUBLIC_BUILD_URL"),
            REPO_URL: ("CODEBUILD_SOURCE_REPO_URL",),
            HEAD: ("CODEBUILD_WEBHOOK_HEAD_REF",),
            REVISION: ("CODEBUILD_RESOLVED_SOURCE_VERSION",),
            BASE: ("CODEBUILD_WEBHOOK_BASE_REF",),
        },
        extras=lambda environ, root: {
            P_NAME: environ.get("CODEBUILD_BUILD_ID", "").partition(":")[0],
            CHANGE: _codebuild_pull_request(environ),
        },
    ),
    Vendor(
        "Jenkins",
        {
            P_NAME: ("JOB_NAME",),
            # BUILD_NUMBER repeats in every job; BUILD_TAG (jenkins-<job, '/' as '-'>-<number>)
            # is Jenkins's own unique name for a run (see _jenkins for the fallback).
            P_RUN: ("BUILD_TAG",),
            P_RUN_URL: ("BUILD_URL",),
            T_NAME: ("STAGE_NAME",),
            W_ID: ("NODE_NAME",),
            W_NAME: ("NODE_NAME",),
            REPO_URL: ("GIT_URL", "GIT_URL_1"),
            HEAD: ("CHANGE_BRANCH", "BRANCH_NAME", "GIT_BRANCH"),
            REVISION: ("GIT_COMMIT",),
            BASE: ("CHANGE_TARGET",),
            CHANGE: ("CHANGE_ID",),
        },
        extras=_jenkins,
    ),
    Vendor(
        "CircleCI",
        {
            P_NAME: ("CIRCLE_PROJECT_REPONAME",),
            # CircleCI 1.0 and 2.0 jobs run without a workflow: the build is the run.
            P_RUN: ("CIRCLE_WORKFLOW_ID", "CIRCLE_BUILD_NUM"),
            P_RUN_URL: ("https://app.circleci.com/pipelines/workflows/{CIRCLE_WORKFLOW_ID}", "CIRCLE_BUILD_URL"),
            T_NAME: ("CIRCLE_JOB",),
            T_RUN: ("CIRCLE_WORKFLOW_JOB_ID", "CIRCLE_BUILD_NUM"),
            T_RUN_URL: ("CIRCLE_BUILD_URL",),
            REPO_URL: ("CIRCLE_REPOSITORY_URL",),
            REPO_NAME: ("CIRCLE_PROJECT_REPONAME",),
            OWNER: ("CIRCLE_PROJECT_USERNAME",),
            HEAD: ("CIRCLE_BRANCH",),
            HEAD_TAG: ("CIRCLE_TAG",),
            REVISION: ("CIRCLE_SHA1",),
            CHANGE: ("CIRCLE_PR_NUMBER",),
        },
        extras=lambda environ, root: {CHANGE: environ.get("CIRCLE_PULL_REQUEST", "").rstrip("/").rpartition("/")[2]},
    ),
    Vendor(
        "Azure Pipelines",
        {
            P_NAME: ("BUILD_DEFINITIONNAME",),
            P_RUN: ("BUILD_BUILDID",),
            P_RUN_URL: ("{SYSTEM_COLLECTIONURI}{SYSTEM_TEAMPROJECT}/_build/results?buildId={BUILD_BUILDID}",),
            T_NAME: ("SYSTEM_JOBDISPLAYNAME", "SYSTEM_JOBNAME"),
            T_RUN: ("SYSTEM_JOBID",),
            W_ID: ("AGENT_ID",),
            W_NAME: ("AGENT_NAME",),
            REPO_URL: ("SYSTEM_PULLREQUEST_SOURCEREPOSITORYURI", "BUILD_REPOSITORY_URI"),
            REPO_NAME: ("BUILD_REPOSITORY_NAME",),
            HEAD: ("SYSTEM_PULLREQUEST_SOURCEBRANCH", "BUILD_SOURCEBRANCH"),
            REVISION: ("SYSTEM_PULLREQUEST_SOURCECOMMITID", "BUILD_SOURCEVERSION"),
            BASE: ("SYSTEM_PULLREQUEST_TARGETBRANCH",),
            CHANGE: ("SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", "SYSTEM_PULLREQUEST_PULLREQUESTID"),
        },
    ),
    Vendor(
        "Buildkite",
        {
            P_NAME: ("BUILDKITE_PIPELINE_SLUG",),
            P_RUN: ("BUILDKITE_BUILD_ID",),
            P_RUN_URL: ("BUILDKITE_BUILD_URL",),
            T_NAME: ("BUILDKITE_STEP_KEY", "BUILDKITE_LABEL"),
            T_RUN: ("BUILDKITE_JOB_ID",),
            T_RUN_URL: ("{BUILDKITE_BUILD_URL}#{BUILDKITE_JOB_ID}",),
            W_ID: ("BUILDKITE_AGENT_ID",),
            W_NAME: ("BUILDKITE_AGENT_NAME",),
            REPO_URL: ("BUILDKITE_REPO",),
            HEAD: ("BUILDKITE_BRANCH",),
            HEAD_TAG: ("BUILDKITE_TAG",),
            REVISION: ("BUILDKITE_COMMIT",),
            BASE: ("BUILDKITE_PULL_REQUEST_BASE_BRANCH",),
            CHANGE: ("BUILDKITE_PULL_REQUEST",),
        },
    ),
    Vendor(
        "Bitbucket Pipelines",
        {
            P_NAME: ("BITBUCKET_REPO_FULL_NAME",),
            P_RUN: ("BITBUCKET_PIPELINE_UUID", "BITBUCKET_BUILD_NUMBER"),
            P_RUN_URL: ("https://bitbucket.org/{BITBUCKET_REPO_FULL_NAME}/pipelines/results/{BITBUCKET_BUILD_NUMBER}",),
            T_RUN: ("BITBUCKET_STEP_UUID",),
            REPO_URL: ("BITBUCKET_GIT_HTTP_ORIGIN", "BITBUCKET_GIT_SSH_ORIGIN"),
            REPO_NAME: ("BITBUCKET_REPO_SLUG",),
            OWNER: ("BITBUCKET_WORKSPACE",),
            HEAD: ("BITBUCKET_BRANCH",),
            HEAD_TAG: ("BITBUCKET_TAG",),
            REVISION: ("BITBUCKET_COMMIT",),
            BASE: ("BITBUCKET_PR_DESTINATION_BRANCH",),
            CHANGE: ("BITBUCKET_PR_ID",),
        },
        "bitbucket",
    ),
    Vendor(
        "Travis CI",
        {
            P_NAME: ("TRAVIS_REPO_SLUG",),
            P_RUN: ("TRAVIS_BUILD_ID",),
            P_RUN_URL: ("TRAVIS_BUILD_WEB_URL",),
            T_NAME: ("TRAVIS_JOB_NAME",),
            T_RUN: ("TRAVIS_JOB_ID",),
            T_RUN_URL: ("TRAVIS_JOB_WEB_URL",),
            REPO_URL: ("https://github.com/{TRAVIS_REPO_SLUG}",),
            REPO_NAME: ("TRAVIS_REPO_SLUG",),
            # On pull request builds TRAVIS_BRANCH is the *target* branch.
            HEAD: ("TRAVIS_PULL_REQUEST_BRANCH", "TRAVIS_BRANCH"),
            HEAD_TAG: ("TRAVIS_TAG",),
            REVISION: ("TRAVIS_PULL_REQUEST_SHA", "TRAVIS_COMMIT"),
            CHANGE: ("TRAVIS_PULL_REQUEST",),
        },
        extras=lambda environ, root: (
            {BASE: environ.get("TRAVIS_BRANCH")} if environ.get("TRAVIS_PULL_REQUEST_BRANCH") else {}
        ),
    ),
    Vendor(
        "Google Cloud Build",
        {
            P_NAME: ("TRIGGER_NAME",),
            P_RUN: ("BUILD_ID",),
            P_RUN_URL: (
                "https://console.cloud.google.com/cloud-build/builds;region={LOCATION}/{BUILD_ID}?project={PROJECT_ID}",
            ),
            REPO_NAME: ("REPO_NAME",),
            HEAD: ("BRANCH_NAME",),
            HEAD_TAG: ("TAG_NAME",),
            REVISION: ("COMMIT_SHA",),
        },
    ),
    Vendor(
        "TeamCity",
        {
            P_NAME: ("TEAMCITY_BUILDCONF_NAME",),
            P_RUN: ("BUILD_NUMBER",),
            REVISION: ("BUILD_VCS_NUMBER",),
        },
        extras=_teamcity,
    ),
    Vendor(
        "Drone",
        {
            P_NAME: ("DRONE_REPO",),
            P_RUN: ("DRONE_BUILD_NUMBER",),
            P_RUN_URL: ("DRONE_BUILD_LINK",),
            T_NAME: ("DRONE_STEP_NAME",),
            W_NAME: ("DRONE_STAGE_MACHINE",),
            REPO_URL: ("DRONE_GIT_HTTP_URL", "DRONE_REPO_LINK"),
            REPO_NAME: ("DRONE_REPO_NAME", "DRONE_REPO"),
            OWNER: ("DRONE_REPO_OWNER", "DRONE_REPO_NAMESPACE"),
            HEAD: ("DRONE_SOURCE_BRANCH", "DRONE_BRANCH", "DRONE_COMMIT_BRANCH"),
            HEAD_TAG: ("DRONE_TAG",),
            REVISION: ("DRONE_COMMIT_SHA", "DRONE_COMMIT"),
            BASE: ("DRONE_TARGET_BRANCH",),
            CHANGE: ("DRONE_PULL_REQUEST",),
        },
    ),
)


def _codebuild_pull_request(environ: Mapping[str, str]) -> str | None:
    for variable in ("CODEBUILD_WEBHOOK_TRIGGER", "CODEBUILD_SOURCE_VERSION"):
        found = re.fullmatch(r"pr/(\d+)", environ.get(variable, "").strip())
        if found:
            return found.group(1)
    return None


def vendor_of(environ: Mapping[str, str]) -> Vendor | None:
    """The CI system the environment belongs to, if any."""
    name = _signals.ci_system(environ)
    return next((vendor for vendor in VENDORS if vendor.name == name), None)


def _normalised(found: dict[str, object]) -> dict[str, object]:
    if isinstance(found.get(REPO_URL), str):
        found[REPO_URL] = repository_url(str(found[REPO_URL]))
    if isinstance(found.get(REPO_NAME), str):
        found[REPO_NAME] = str(found[REPO_NAME]).rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    for run_id in (P_RUN, T_RUN):  # Bitbucket wraps its UUIDs in braces
        if isinstance(found.get(run_id), str):
            found[run_id] = str(found[run_id]).strip("{}")
    if str(found.get(CHANGE, "")).lower() in ("", "false"):
        found[CHANGE] = None
    tag = found.pop(HEAD_TAG, None)
    head = ref_name(str(found[HEAD])) if found.get(HEAD) else None
    if tag:
        head = (str(tag), vcs.VcsRefHeadTypeValues.TAG)
    found[HEAD] = head[0] if head else None
    found[vcs.VCS_REF_HEAD_TYPE] = head[1] if head else None
    if found.get(BASE):
        base = ref_name(str(found[BASE]))
        found[BASE] = base[0] if base else None
    return found


class CicdDetector(BaseDetector):
    """A CI/CD job: ``cicd.pipeline.*``, ``cicd.worker.*``, ``vcs.*``."""

    def applies(self) -> bool:
        return _signals.cicd(self.environ, self.root)

    def detect(self) -> Resource:
        environ = self.environ
        vendor = vendor_of(environ)
        if vendor is None:
            return Resource.get_empty()
        found: dict[str, object] = {key: resolve(source, environ) for key, source in vendor.fields.items()}
        if vendor.extras is not None:
            for key, value in vendor.extras(environ, self.root).items():
                if value is DROP:
                    found[key] = None
                elif value:
                    found[key] = value
        if vendor.provider:
            found[vcs.VCS_PROVIDER_NAME] = vendor.provider
        return detected(_normalised(found), source="the CI system's variables", environ=self.environ)
