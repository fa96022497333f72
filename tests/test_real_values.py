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

import json
import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pytest

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


_LAMBDA = load_env("lambda/env-lambda-python-zip.env")
_APP_SERVICE = {"WEBSITE_SITE_NAME": "contoso", "WEBSITE_OWNER_NAME": "47d488d2-f662-46c2-8183-8fce2aefa6aa+rg"}
_FUNCTIONS = {**_APP_SERVICE, "FUNCTIONS_WORKER_RUNTIME": "python"}
_GAE_FLEX = load_env("appengine/flex-pycontrib.env")
_POD = {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "9"}
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
    environ = {**NO_METADATA, **feed.base, variable: str(entry["value"])}
    with caplog.at_level(logging.WARNING, logger="otel_resource_identity"):
        attributes = dict(PlatformDetector(environ=environ, root=tmp_path, cache=False).detect().attributes)
    reported: object = attributes.get(feed.attribute or entry["attribute"])
    if feed.listed and isinstance(reported, tuple | list):
        reported = list(reported)
    expected = emitted(entry)
    assert reported == ([expected] if feed.listed else expected)
    assert not [r for r in caplog.records if "left it out" in r.getMessage()]
