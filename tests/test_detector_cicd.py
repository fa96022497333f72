"""CicdDetector on every CI system's environment in the fixture corpus."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from otel_resource_identity import CicdDetector, entities_of
from otel_resource_identity.detectors._signals import CI_SIGNALS, ci_system
from otel_resource_identity.detectors._syntax import check
from otel_resource_identity.detectors.cicd import VENDORS, ref_name, repository_url, resolve

from platforms import FIXTURES, SECRET, load_env, make_root, with_secrets

SHA = "9d59409acf479dfa0df1aa568182e43e43df8bb2"
REPO = "https://github.com/acme/checkout-api"

EXPECTED: dict[str, dict[str, object]] = {
    "github-actions-pull-request.env": {
        "cicd.pipeline.name": "CI",
        "cicd.pipeline.run.id": "10234599111",
        "cicd.pipeline.run.url.full": f"{REPO}/actions/runs/10234599111",
        "cicd.pipeline.task.name": "unit-tests",
        "vcs.repository.url.full": REPO,
        "vcs.repository.name": "checkout-api",
        "vcs.owner.name": "acme",
        # The head of the pull request, not the synthetic merge commit or ref.
        "vcs.ref.head.revision": SHA,
        "vcs.ref.head.name": "feature/rounding-fix",
        "vcs.ref.base.name": "main",
        "vcs.change.id": "57",
        "vcs.provider.name": "github",
    },
    "github-actions-push.env": {"vcs.ref.head.name": "main", "vcs.ref.head.type": "branch", "cicd.pipeline.name": "CI"},
    "gitea-actions.env": {
        "vcs.provider.name": "gitea",
        "vcs.repository.url.full": "https://gitea.example.com/acme/checkout-api",
    },
    "gitlab-ci-merge-request.env": {
        "cicd.pipeline.name": "MR pipeline",
        "cicd.pipeline.run.id": "1402758311",
        "cicd.pipeline.task.run.id": "7650392114",
        "cicd.worker.id": "12270837",
        "vcs.repository.url.full": "https://gitlab.com/acme/backend/checkout-api",
        "vcs.ref.head.name": "feature/rounding-fix",
        "vcs.ref.base.name": "main",
        "vcs.change.id": "57",
    },
    "gitlab-ci-tag.env": {"vcs.ref.head.name": "v1.42.0", "vcs.ref.head.type": "tag", "cicd.worker.id": "42"},
    "jenkins-freestyle.env": {
        "cicd.pipeline.name": "nightly-build",
        "vcs.ref.head.name": "main",
        "cicd.worker.id": "built-in",
    },
    "jenkins-multibranch-pr.env": {
        "cicd.pipeline.name": "acme/checkout-api",
        "vcs.ref.head.name": "feature/rounding-fix",
        "vcs.ref.base.name": "main",
        "vcs.change.id": "57",
    },
    "circleci.env": {"cicd.pipeline.run.id": "6a1e9f2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "vcs.repository.url.full": REPO},
    "azure-pipelines-pr.env": {
        "cicd.pipeline.name": "checkout-api-ci",
        "cicd.pipeline.run.url.full": "https://dev.azure.com/acme/Shop/_build/results?buildId=48213",
        "cicd.worker.id": "17",
        "vcs.ref.head.name": "feature/rounding-fix",
        "vcs.change.id": "57",
    },
    "buildkite.env": {"cicd.pipeline.name": "checkout-api", "cicd.worker.id": "01919e00-1111-4222-8333-444455556666"},
    "bitbucket-pipelines.env": {
        "cicd.pipeline.run.id": "4b7e1c2d-3f4a-4b5c-9d6e-7f8a9b0c1d2e",
        "cicd.pipeline.task.run.id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "vcs.repository.url.full": "https://bitbucket.org/acme/checkout-api",
    },
    "travis-ci-pr.env": {
        "vcs.ref.head.name": "feature/rounding-fix",
        "vcs.ref.base.name": "main",
        "vcs.change.id": "57",
    },
    "aws-codebuild-webhook.env": {"cicd.pipeline.name": "checkout-api-ci", "vcs.change.id": "57"},
    "aws-codebuild-codepipeline.env": {"cicd.pipeline.name": "deploy-stage"},
    "google-cloud-build-with-user-mapped-substitutions.env": {"cicd.pipeline.name": "checkout-api-main"},
    "teamcity.env": {
        "cicd.pipeline.run.id": "318204",
        "cicd.pipeline.run.url.full": "https://teamcity.example.com/buildConfiguration/Shop_CheckoutApi_UnitTests/318204",
        "cicd.worker.name": "linux-agent-03",
    },
    "drone.env": {"cicd.pipeline.run.id": "77", "vcs.change.id": "57", "cicd.worker.name": "drone-runner-7c9d"},
    "woodpecker.env": {
        "cicd.pipeline.run.id": "1204",
        "vcs.ref.head.name": "feature/rounding-fix",
        "vcs.change.id": "57",
    },
}


def _root_for(environ: dict[str, str], base: Path) -> Path:
    files: dict[str, str | Path] = {}
    if "GITHUB_EVENT_PATH" in environ:
        files[environ["GITHUB_EVENT_PATH"]] = FIXTURES / "cicd/github-actions-pull-request.event.json"
    if "TEAMCITY_BUILD_PROPERTIES_FILE" in environ:
        files[environ["TEAMCITY_BUILD_PROPERTIES_FILE"]] = FIXTURES / "cicd/teamcity.build.properties.sample"
    return make_root(base, files)


@pytest.mark.parametrize(("fixture", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_each_ci_system(
    tmp_path: Path, fixture: str, expected: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    environ = with_secrets(load_env(f"cicd/{fixture}"))
    with caplog.at_level(logging.DEBUG):
        attributes = dict(CicdDetector(environ=environ, root=_root_for(environ, tmp_path)).detect().attributes)
    assert {key: attributes.get(key) for key in expected} == expected
    # No credential from the environment or the TeamCity properties file leaks.
    text = json.dumps(attributes)
    assert SECRET not in text
    assert "REDACTED" not in text
    assert "@" not in str(attributes.get("vcs.repository.url.full", ""))
    assert SECRET not in caplog.text


def test_every_fixture_is_recognised_by_the_right_vendor() -> None:
    names = {
        "gitea-actions.env": "Gitea Actions",
        "woodpecker.env": "Woodpecker",
        "github-actions-push.env": "GitHub Actions",
    }
    for fixture, vendor_name in names.items():
        environ = load_env(f"cicd/{fixture}")
        assert ci_system(environ) == vendor_name


def test_every_ci_system_has_a_signal_and_a_row() -> None:
    assert [vendor.name for vendor in VENDORS] == list(CI_SIGNALS)


def test_the_run_and_repository_are_entities(tmp_path: Path) -> None:
    environ = load_env("cicd/gitlab-ci-merge-request.env")
    types = {entity.type: entity for entity in entities_of(CicdDetector(environ=environ, root=tmp_path).detect())}
    assert types["cicd.pipeline.run"].id == {"cicd.pipeline.run.id": "1402758311"}
    assert types["cicd.worker"].id == {"cicd.worker.id": "12270837"}
    assert types["vcs.repository"].id == {"vcs.repository.url.full": "https://gitlab.com/acme/backend/checkout-api"}
    assert types["vcs.ref"].id == {"vcs.ref.head.revision": SHA}


def test_older_gitlab_variable_generations(tmp_path: Path) -> None:
    environ = {
        "GITLAB_CI": "true",
        "CI_BUILD_ID": "55",
        "CI_BUILD_NAME": "rspec",
        "CI_BUILD_REF": SHA,
        "CI_BUILD_REF_NAME": "main",
    }
    attributes = dict(CicdDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes["cicd.pipeline.task.run.id"] == "55"
    assert attributes["cicd.pipeline.task.name"] == "rspec"
    assert attributes["vcs.ref.head.revision"] == SHA
    assert attributes["vcs.ref.head.name"] == "main"


def test_a_github_pull_request_without_its_event_file_keeps_the_rest(tmp_path: Path) -> None:
    environ = load_env("cicd/github-actions-pull-request.env")
    attributes = dict(CicdDetector(environ=environ, root=tmp_path).detect().attributes)
    assert attributes["vcs.ref.head.name"] == "feature/rounding-fix"
    # GITHUB_SHA is the synthetic merge commit: never reported as the head revision.
    assert "vcs.ref.head.revision" not in attributes


def test_a_garbage_event_file_is_ignored(tmp_path: Path) -> None:
    environ = load_env("cicd/github-actions-pull-request.env")
    root = make_root(tmp_path, {environ["GITHUB_EVENT_PATH"]: "{not json"})
    attributes = dict(CicdDetector(environ=environ, root=root).detect().attributes)
    assert "vcs.ref.head.revision" not in attributes
    assert attributes["vcs.ref.head.name"] == "feature/rounding-fix"


@pytest.mark.parametrize("environ", [{}, {"CI": "true"}, {"GITHUB_ACTIONS": "false"}])
def test_outside_ci_it_is_empty_and_silent(
    tmp_path: Path, environ: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert dict(CicdDetector(environ=environ, root=tmp_path).detect().attributes) == {}
    assert caplog.records == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://gitlab-ci-token:s3cret@gitlab.com/acme/app.git", "https://gitlab.com/acme/app"),
        ("git@github.com:acme/app.git", "https://github.com/acme/app"),
        ("ssh://git@bitbucket.org:7999/acme/app.git", "https://bitbucket.org/acme/app"),
        ("http://bitbucket.org/acme/app", "https://bitbucket.org/acme/app"),
        ("https://git.example.com:8443/acme/app/", "https://git.example.com:8443/acme/app"),
        ("not a url", None),
        ("file:///srv/repo.git", None),
    ],
)
def test_repository_urls_are_canonical_and_without_credentials(url: str, expected: str | None) -> None:
    assert repository_url(url) == expected


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("refs/heads/feature/x", ("feature/x", "branch")),
        ("refs/tags/v1.0", ("v1.0", "tag")),
        ("origin/main", ("main", "branch")),
        ("refs/pull/57/merge", None),
        ("57/merge", None),
        ("merge", None),
        ("", None),
    ],
)
def test_ref_names(ref: str, expected: tuple[str, str] | None) -> None:
    assert ref_name(ref) == expected


def test_every_url_template_encodes_the_names_people_chose() -> None:
    """Each URL a CI vendor's template builds holds its fields percent-encoded (a base URL opening
    the template aside), so a project, repository or job named with spaces, '#', '?' or any letter
    still gives a URL."""
    chosen = "Fabrikam Fiber #1? ü"
    templates = [
        (vendor.name, key, alternative)
        for vendor in VENDORS
        for key, source in vendor.fields.items()
        for alternative in source
        if "{" in alternative
    ]
    assert len(templates) >= 8
    for vendor_name, key, template in templates:
        fields = re.findall(r"\{([A-Za-z0-9_]+)\}", template)
        environ = dict.fromkeys(fields, chosen)
        if template.startswith("{"):
            environ[fields[0]] = "https://ci.example.com/base/"
        url = resolve((template,), environ)
        assert url is not None, (vendor_name, template)
        assert check(key, url) is None, (vendor_name, template, url)
        assert quote(chosen, safe="/") in url
