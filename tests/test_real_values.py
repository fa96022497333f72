"""Values real platforms produce are never refused.

Two collections, each entry with its evidence: the shared one (``../shared/reference/fixtures/
real-values/corpus.json`` beside the project, where it is present) and this project's own
(``tests/fixtures/real-values/corpus.json``). Every value, in the form the detector emits it,
passes the syntax table; every value a detector reads from an environment variable is given to
the real detectors and appears on the resource as documented (values from metadata replies and
files: ``tests/agreement/test_real_value_replies.py``, which also holds why the rest are read by
no detector).
"""

from __future__ import annotations

import importlib
import json
import logging
import pkgutil
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import pytest
from opentelemetry.semconv._incubating import attributes as semconv_attributes

from otel_resource_identity import PlatformDetector
from otel_resource_identity.detectors._syntax import check

from conftest import ROOT
from platforms import FIXTURES, load_env

OURS = FIXTURES / "real-values" / "corpus.json"
SHARED = ROOT.parent / "shared" / "reference" / "fixtures" / "real-values" / "corpus.json"
NO_METADATA = {
    "AWS_EC2_METADATA_DISABLED": "true",
    "GCE_METADATA_HOST": "127.0.0.1:9",
    "RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT": "http://127.0.0.1:9",
}


def _collection() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(OURS.read_text(encoding="utf-8"))
    if SHARED.exists():
        entries += json.loads(SHARED.read_text(encoding="utf-8"))
    return entries


ENTRIES = _collection()


def _last_segment(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def _web_address(value: str) -> str:
    """An ssh clone URL as the repository's https address: no user, no ssh port, no ``.git``."""
    host_and_path = value.split("://", 1)[-1].split("@", 1)[-1]
    host, _, path = host_and_path.partition("/")
    return f"https://{host.split(':', 1)[0]}/{path.removesuffix('.git')}"


# The fixture the Azure Pipelines entries are fed with (cicd/azure-pipelines-pr.env) sets
# SYSTEM_COLLECTIONURI=https://dev.azure.com/acme/ and BUILD_BUILDID=48213.
_AZURE_RUN = "https://dev.azure.com/acme/{}/_build/results?buildId=48213"


# Raw forms the detectors transform before emitting (the entry's source says which).
TRANSFORMS: dict[str, Callable[[str], str]] = {
    "instance/zone (raw": _last_segment,  # GCE zone path -> 'us-central1-a'
    "runtime prefix": lambda v: v.split("://", 1)[-1],  # docker://<id> -> <id>
    "containerd:// prefix": lambda v: v.split("://", 1)[-1],
    "underscores instead of hyphens": lambda v: v.replace("_", "-"),  # cgroup slice pod uid
    "UPPERCASE; detector lowerc": str.lower,  # Vultr region code
    "UPPERCASE, semconv enum is low": str.lower,  # ECS launch type: the conventions' enum value
    "WEBSITE_OWNER_NAME (raw)": lambda v: v.split("+", 1)[0],  # the subscription id before '+'
    "ECS task metadata Image (": lambda v: v.rsplit(":", 1)[0] if ":" in v.rsplit("/", 1)[-1] else v,  # tag apart
    "in MiB; emitted in bytes": lambda v: str(int(v) * 1024 * 1024),  # faas.max_memory is in bytes
    "the ARN's last segment": _last_segment,  # aws.ecs.task.id
    "docker-pullable:// prefix": lambda v: v.split("://", 1)[-1],  # an image digest without the scheme
    "percent-encoded in the run URL": lambda v: _AZURE_RUN.format(quote(v, safe="")),
    "(pr/<number>)": lambda v: v.removeprefix("pr/"),
    "as an https web address": _web_address,
    "(without .git)": lambda v: v.removesuffix(".git"),
    "(http; as https)": lambda v: "https://" + v.removeprefix("http://"),
    "origin/ prefix removed": lambda v: v.removeprefix("origin/"),
    "refs/heads/ removed": lambda v: v.removeprefix("refs/heads/"),
}


def emitted(entry: Mapping[str, Any]) -> str:
    value = str(entry["value"])
    for marker, transform in TRANSFORMS.items():
        if marker in entry["source"]:
            return transform(value)
    return value


def _id(entry: Mapping[str, Any]) -> str:
    return f"{entry['attribute']}={str(entry['value'])[:40]}"


def test_the_collections_are_there_and_every_entry_has_its_evidence() -> None:
    assert len(ENTRIES) >= 7
    for entry in ENTRIES:
        assert set(entry) >= {"attribute", "source", "platform", "value", "evidence", "kind"}, entry
        assert entry["kind"] in {"real dump", "official docs", "issue report", "unit test"}, entry


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_every_real_value_in_its_emitted_form_passes_the_syntax(entry: Mapping[str, Any]) -> None:
    # Jenkins' BUILD_DISPLAY_NAME ('#1337') is not what this package reads for the run id (BUILD_TAG).
    if "BUILD_DISPLAY_NAME" in entry["source"]:
        pytest.skip("this package takes the Jenkins run id from BUILD_TAG, not BUILD_DISPLAY_NAME")
    violated = check(entry["attribute"], emitted(entry))
    assert violated is None, f"{entry['value']!r} refused as {violated.description if violated else ''}"


class Feed(NamedTuple):
    """How an environment variable reaches a detector: the platform's other variables, and the
    attribute the value appears as (``None``: the entry's own attribute)."""

    base: Mapping[str, str]
    attribute: str | None = None
    listed: bool = False  # the attribute is a list holding the value
    wrap: Callable[[str], str] | None = None  # how the platform writes the value into the variable


_LAMBDA = load_env("lambda/env-lambda-python-zip.env")
_APP_SERVICE = {"WEBSITE_SITE_NAME": "contoso", "WEBSITE_OWNER_NAME": "47d488d2-f662-46c2-8183-8fce2aefa6aa+rg"}
_FUNCTIONS = {**_APP_SERVICE, "FUNCTIONS_WORKER_RUNTIME": "python"}
_GAE_FLEX = load_env("appengine/flex-pycontrib.env")
_POD = {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "9"}
_HEROKU = {"DYNO": "web.1", "HEROKU_APP_ID": "a"}
_GITLAB = load_env("cicd/gitlab-ci-tag.env")
_GITLAB_MR = load_env("cicd/gitlab-ci-merge-request.env")
_JENKINS = load_env("cicd/jenkins-freestyle.env")
_AZURE_PIPELINES = load_env("cicd/azure-pipelines-pr.env")
_BITBUCKET = load_env("cicd/bitbucket-pipelines.env")
_DRONE = load_env("cicd/drone.env")
# CodeBuild runs its builds as ECS tasks; the walk leaves the task metadata endpoint out.
_CODEBUILD = {k: v for k, v in load_env("cicd/aws-codebuild-webhook.env").items() if not k.startswith("ECS_")}
_CIRCLE_1 = {"CIRCLECI": "true", "CIRCLE_BUILD_NUM": "1337"}  # a CircleCI 1.0 build: no workflow
_AKS = "/subscriptions/47d488d2-f662-46c2-8183-8fce2aefa6aa/resourcegroups/myResourceGroup/providers/"
FEEDS: dict[tuple[str, str], Feed] = {
    ("aws.log.group.names", "AWS_LAMBDA_LOG_GROUP_NAME"): Feed(_LAMBDA, listed=True),
    ("faas.instance", "AWS_LAMBDA_LOG_STREAM_NAME"): Feed(_LAMBDA),
    ("faas.name", "AWS_LAMBDA_FUNCTION_NAME"): Feed(_LAMBDA),
    ("faas.version", "AWS_LAMBDA_FUNCTION_VERSION"): Feed(_LAMBDA),
    ("cloud.region", "REGION_NAME"): Feed(_APP_SERVICE),
    ("service.instance.id", "WEBSITE_INSTANCE_ID"): Feed(_APP_SERVICE, "azure.app_service.instance.id"),
    ("faas.instance", "WEBSITE_INSTANCE_ID"): Feed(_FUNCTIONS),
    ("deployment.environment.name", "WEBSITE_SLOT_NAME"): Feed(_FUNCTIONS),
    ("faas.instance", "CONTAINER_APP_REPLICA_NAME"): Feed(
        {"CONTAINER_APP_NAME": "my-app"}, "azure.container_app.instance.id"
    ),
    ("faas.instance", "GAE_INSTANCE"): Feed(_GAE_FLEX),
    ("faas.version", "GAE_VERSION"): Feed(_GAE_FLEX),
    ("cloud.account.id", "GOOGLE_CLOUD_PROJECT"): Feed(_GAE_FLEX),
    ("faas.version", "K_REVISION"): Feed({"K_SERVICE": "hello", "K_CONFIGURATION": "hello"}),
    ("cloud.region", "FLY_REGION"): Feed({"FLY_APP_NAME": "app", "FLY_MACHINE_ID": "1857501f1034d8"}),
    ("host.id", "FLY_MACHINE_ID"): Feed({"FLY_APP_NAME": "app"}),
    ("cloud.region", "RAILWAY_REPLICA_REGION"): Feed(load_env("paas/railway.env")),
    ("service.instance.id", "RENDER_INSTANCE_ID"): Feed(load_env("paas/render.env")),
    ("vcs.ref.head.revision", "RENDER_GIT_COMMIT"): Feed(load_env("paas/render.env")),
    ("service.instance.id", "VERCEL_DEPLOYMENT_ID"): Feed({"VERCEL": "1"}, "vercel.deployment_id"),
    ("cloud.account.id", "VERCEL_PROJECT_ID"): Feed({"VERCEL": "1"}, "vercel.project_id"),
    ("cloud.region", "VERCEL_REGION"): Feed({"VERCEL": "1"}),
    ("heroku.release.commit", "HEROKU_SLUG_COMMIT"): Feed({"DYNO": "web.1", "HEROKU_APP_ID": "a"}),
    ("heroku.release.creation_timestamp", "HEROKU_RELEASE_CREATED_AT"): Feed({"DYNO": "web.1", "HEROKU_APP_ID": "a"}),
    ("service.version", "HEROKU_RELEASE_VERSION"): Feed({"DYNO": "web.1", "HEROKU_APP_ID": "a"}),
    ("service.instance.id", "HEROKU_DYNO_ID"): Feed({"DYNO": "web.1", "HEROKU_APP_ID": "a"}),
    ("cicd.pipeline.name", "GITHUB_WORKFLOW"): Feed(load_env("cicd/github-actions-push.env")),
    ("cicd.pipeline.run.id", "GITHUB_RUN_ID"): Feed(load_env("cicd/github-actions-push.env")),
    ("cicd.pipeline.name", "BUILD_DEFINITIONNAME"): Feed(load_env("cicd/azure-pipelines-pr.env")),
    ("cicd.worker.name", "CI_RUNNER_DESCRIPTION"): Feed(load_env("cicd/gitlab-ci-tag.env")),
    ("cicd.pipeline.run.id", "BUILD_TAG"): Feed(load_env("cicd/jenkins-freestyle.env")),
    ("cloud.account.id", "WEBSITE_OWNER_NAME"): Feed(_FUNCTIONS),
    ("k8s.pod.name", "K8S_POD_NAME"): Feed(_POD),
    ("k8s.namespace.name", "K8S_NAMESPACE_NAME"): Feed(_POD),
    ("k8s.node.name", "K8S_NODE_NAME"): Feed(_POD),
    ("k8s.container.name", "K8S_CONTAINER_NAME"): Feed(_POD),
    ("k8s.cluster.name", "CLUSTER_RESOURCE_ID"): Feed(
        _POD, wrap=lambda v: f"{_AKS}Microsoft.ContainerService/managedClusters/{v}"
    ),
    ("service.namespace", "K8S_NAMESPACE_NAME"): Feed({**_POD, "K8S_POD_NAME": "web-0"}),
    ("aws.log.stream.names", "AWS_LAMBDA_LOG_STREAM_NAME"): Feed(_LAMBDA, listed=True),
    ("service.name", "AWS_LAMBDA_FUNCTION_NAME"): Feed(_LAMBDA),
    ("faas.max_memory", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"): Feed(_LAMBDA),
    ("azure.app_service.instance.id", "WEBSITE_INSTANCE_ID"): Feed(_APP_SERVICE),
    ("azure.resource_group.name", "WEBSITE_RESOURCE_GROUP"): Feed(_APP_SERVICE),
    ("service.name", "WEBSITE_SITE_NAME"): Feed({"WEBSITE_OWNER_NAME": _APP_SERVICE["WEBSITE_OWNER_NAME"]}),
    ("azure.container_app.instance.id", "CONTAINER_APP_REPLICA_NAME"): Feed({"CONTAINER_APP_NAME": "my-app"}),
    ("gcp.cloud_run.job.execution", "CLOUD_RUN_EXECUTION"): Feed({"CLOUD_RUN_JOB": "sample-job"}),
    ("gcp.cloud_run.job.task_index", "CLOUD_RUN_TASK_INDEX"): Feed({"CLOUD_RUN_JOB": "sample-job"}),
    ("service.name", "K_SERVICE"): Feed({"K_REVISION": "hello-world.1", "K_CONFIGURATION": "hello-world"}),
    ("heroku.app.id", "HEROKU_APP_ID"): Feed({"DYNO": "web.1"}),
    ("service.name", "HEROKU_APP_NAME"): Feed(_HEROKU),
    ("vercel.deployment_id", "VERCEL_DEPLOYMENT_ID"): Feed({"VERCEL": "1"}),
    ("deployment.id", "VERCEL_DEPLOYMENT_ID"): Feed({"VERCEL": "1"}),
    ("vercel.project_id", "VERCEL_PROJECT_ID"): Feed({"VERCEL": "1"}),
    ("cloud.resource_id", "RENDER_SERVICE_ID"): Feed(load_env("paas/render.env")),
    ("cicd.worker.id", "NODE_NAME"): Feed(_JENKINS),
    ("cicd.worker.id", "CI_RUNNER_ID"): Feed(_GITLAB),
    ("cicd.worker.id", "AGENT_ID"): Feed(_AZURE_PIPELINES),
    ("cicd.pipeline.task.run.id", "CI_BUILD_ID"): Feed({k: v for k, v in _GITLAB.items() if k != "CI_JOB_ID"}),
    ("cicd.pipeline.task.run.id", "CI_JOB_ID"): Feed(_GITLAB),
    ("cicd.pipeline.task.run.id", "SYSTEM_JOBID"): Feed(_AZURE_PIPELINES),
    ("cicd.pipeline.task.run.url.full", "CI_JOB_URL"): Feed(_GITLAB),
    ("cicd.pipeline.run.url.full", "CI_PIPELINE_URL"): Feed(_GITLAB),
    ("cicd.pipeline.run.url.full", "BUILD_URL"): Feed(_JENKINS),
    ("cicd.pipeline.run.url.full", "DRONE_BUILD_LINK"): Feed(_DRONE),
    ("cicd.pipeline.run.url.full", "CIRCLE_BUILD_URL"): Feed(_CIRCLE_1),
    ("cicd.pipeline.run.url.full", "SYSTEM_TEAMPROJECT"): Feed(_AZURE_PIPELINES),
    ("vcs.change.id", "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER"): Feed(_AZURE_PIPELINES),
    ("vcs.change.id", "DRONE_PULL_REQUEST"): Feed(_DRONE),
    ("vcs.change.id", "BITBUCKET_PR_ID"): Feed(_BITBUCKET),
    ("vcs.change.id", "CODEBUILD_WEBHOOK_TRIGGER"): Feed(_CODEBUILD),
    ("vcs.repository.url.full", "CI_PROJECT_URL"): Feed(_GITLAB),
    ("vcs.repository.url.full", "BUILD_REPOSITORY_URI"): Feed(
        {k: v for k, v in _AZURE_PIPELINES.items() if k != "SYSTEM_PULLREQUEST_SOURCEREPOSITORYURI"}
    ),
    ("vcs.repository.url.full", "GIT_URL"): Feed(_JENKINS),
    ("vcs.repository.url.full", "CODEBUILD_SOURCE_REPO_URL"): Feed(_CODEBUILD),
    ("vcs.repository.url.full", "BITBUCKET_GIT_HTTP_ORIGIN"): Feed(_BITBUCKET),
    ("vcs.repository.url.full", "DRONE_GIT_HTTP_URL"): Feed(_DRONE),
    ("cicd.pipeline.task.name", "GITHUB_JOB"): Feed(load_env("cicd/github-actions-push.env")),
    ("cicd.pipeline.task.name", "CI_BUILD_NAME"): Feed({k: v for k, v in _GITLAB.items() if k != "CI_JOB_NAME"}),
    ("cicd.pipeline.task.name", "SYSTEM_JOBDISPLAYNAME"): Feed(_AZURE_PIPELINES),
    ("vcs.ref.head.name", "CI_BUILD_REF_NAME"): Feed(
        {k: v for k, v in _GITLAB.items() if not k.startswith(("CI_COMMIT_", "CI_BUILD_TAG"))}
    ),
    ("vcs.ref.head.name", "BITBUCKET_BRANCH"): Feed(_BITBUCKET),
    ("vcs.ref.head.name", "GIT_BRANCH"): Feed(_JENKINS),
    ("vcs.ref.head.name", "SYSTEM_PULLREQUEST_SOURCEBRANCH"): Feed(_AZURE_PIPELINES),
    ("vcs.repository.name", "CI_PROJECT_NAME"): Feed(_GITLAB),
    ("vcs.repository.name", "BITBUCKET_REPO_SLUG"): Feed(_BITBUCKET),
    ("vcs.owner.name", "GITHUB_REPOSITORY_OWNER"): Feed(load_env("cicd/github-actions-push.env")),
    ("vcs.owner.name", "BITBUCKET_WORKSPACE"): Feed(_BITBUCKET),
    ("vcs.owner.name", "CI_PROJECT_NAMESPACE"): Feed(_GITLAB),
    ("vcs.ref.base.name", "SYSTEM_PULLREQUEST_TARGETBRANCH"): Feed(_AZURE_PIPELINES),
    ("vcs.ref.base.name", "CODEBUILD_WEBHOOK_BASE_REF"): Feed(_CODEBUILD),
}


def variable_of(entry: Mapping[str, Any]) -> str | None:
    """The environment variable the entry's source names that feeds its attribute, if any."""
    tokens: list[str] = re.findall(r"[A-Z][A-Z0-9_]{2,}", str(entry["source"]))
    for token in tokens:
        if (entry["attribute"], token) in FEEDS:
            return token
    return None


FED = [entry for entry in ENTRIES if variable_of(entry) is not None]


def test_the_environment_walk_covers_the_environment_entries() -> None:
    assert len(FED) >= 20


@pytest.mark.parametrize("entry", FED, ids=_id)
def test_every_real_value_from_the_environment_reaches_the_resource(
    entry: Mapping[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    variable = variable_of(entry)
    assert variable is not None
    feed = FEEDS[(entry["attribute"], variable)]
    value = str(entry["value"])
    environ = {**NO_METADATA, **feed.base, variable: feed.wrap(value) if feed.wrap else value}
    with caplog.at_level(logging.WARNING, logger="otel_resource_identity"):
        attributes = dict(PlatformDetector(environ=environ, root=tmp_path, cache=False).detect().attributes)
    reported: object = attributes.get(feed.attribute or entry["attribute"])
    if feed.listed and isinstance(reported, tuple | list):
        reported = list(reported)
    elif isinstance(reported, int):  # faas.max_memory, task indexes: the number, written out
        reported = str(reported)
    expected = emitted(entry)
    assert reported == ([expected] if feed.listed else expected)
    assert not [r for r in caplog.records if "left it out" in r.getMessage()]


def _enum_members(attribute: str) -> set[str] | None:
    """The conventions' enum members of ``attribute`` (semantic-conventions package), if it is an enum."""
    for module_info in pkgutil.iter_modules(semconv_attributes.__path__):
        module = importlib.import_module(f"{semconv_attributes.__name__}.{module_info.name}")
        for constant, value in vars(module).items():
            if value == attribute and constant.isupper():
                enum = getattr(module, "".join(word.capitalize() for word in constant.split("_")) + "Values", None)
                return {member.value for member in enum} if enum is not None else None
    return None


@pytest.mark.parametrize(
    "entry", [e for e in ENTRIES if str(e["source"]).startswith("decided by the detector")], ids=_id
)
def test_every_decided_value_is_the_conventions(entry: Mapping[str, Any]) -> None:
    members = _enum_members(str(entry["attribute"]))
    if members is None:  # container.runtime.name: examples, no enum
        pytest.skip(f"{entry['attribute']} has no enum in the conventions")
    assert entry["value"] in members
