"""Values real platforms produce are never refused.

Two collections, each entry with its evidence: the shared one (``../shared/reference/fixtures/
real-values/corpus.json`` beside the project, where it is present) and this project's own
(``tests/fixtures/real-values/corpus.json``). Every value, in the form the detector emits it,
passes the syntax table; every value a detector reads from an environment variable or a
metadata reply is given to the real detector and appears on the resource as documented.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from otel_resource_identity import PlatformDetector, VmCloudDetector
from otel_resource_identity.detectors._syntax import check

from conftest import ROOT
from platforms import FIXTURES, Reply, load_env, serve

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
}


def _variable(entry: Mapping[str, Any]) -> str:
    return str(entry["source"]).split(" ", 1)[0]


FED = [entry for entry in ENTRIES if (entry["attribute"], _variable(entry)) in FEEDS]


def test_the_environment_walk_covers_the_environment_entries() -> None:
    assert len(FED) >= 20


@pytest.mark.parametrize("entry", FED, ids=_id)
def test_every_real_value_from_the_environment_reaches_the_resource(
    entry: Mapping[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feed = FEEDS[(entry["attribute"], _variable(entry))]
    environ = {**NO_METADATA, **feed.base, _variable(entry): str(entry["value"])}
    with caplog.at_level(logging.WARNING, logger="otel_resource_identity"):
        attributes = dict(PlatformDetector(environ=environ, root=tmp_path, cache=False).detect().attributes)
    reported: object = attributes.get(feed.attribute or entry["attribute"])
    if feed.listed and isinstance(reported, tuple | list):
        reported = list(reported)
    expected = emitted(entry)
    assert reported == ([expected] if feed.listed else expected)
    assert not [r for r in caplog.records if "left it out" in r.getMessage()]


# Metadata replies: the availability domains of the collection through the real Oracle detector.
OCI_DOMAINS = [entry for entry in ENTRIES if entry["source"] == "OCI IMDS availabilityDomain"]


@pytest.mark.parametrize("entry", OCI_DOMAINS, ids=_id)
def test_oracle_availability_domains_reach_the_resource(entry: Mapping[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "oracle"
    shutil.copytree(FIXTURES / "vm-clouds" / "oracle", root)
    instance = {
        "id": "ocid1.instance.oc1.us-sanjose-1.anzwuljruwpiejqcshxer5x7zcsln2bk27vx4r5oy3qbaftkozjxd4ilbdha",
        "availabilityDomain": entry["value"],
        "canonicalRegionName": "us-sanjose-1",
        "compartmentId": "ocid1.tenancy.oc1..exampleuniqueID",
        "displayName": "web-1",
        "shape": "VM.Standard.E4.Flex",
        "image": "ocid1.image.oc1.us-sanjose-1.aaaaaaaasgfnf2zpd45xotkww5fqv5xu4fedeypucu7vdc4ph6daxb72bcqa",
    }
    with serve({"/opc/v2/instance/": Reply(instance)}, any_query=True) as server:
        environ = {**NO_METADATA, "RESOURCE_IDENTITY_ORACLE_METADATA_ENDPOINT": server.base}
        attributes = dict(VmCloudDetector(environ=environ, root=root, timeout=2).detect().attributes)
    assert attributes["cloud.availability_zone"] == entry["value"]
    assert attributes["host.type"] == "VM.Standard.E4.Flex"
