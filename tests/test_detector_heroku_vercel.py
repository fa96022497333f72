"""HerokuDetector and VercelDetector on their platforms' environments."""

from __future__ import annotations

import json
import logging

import pytest

from otel_resource_identity import HerokuDetector, VercelDetector, entities_of

from platforms import SECRET, load_env, with_secrets


def test_heroku_with_dyno_metadata(caplog: pytest.LogCaptureFixture) -> None:
    environ = with_secrets(load_env("heroku/env-heroku-dyno-metadata-enabled.env"))
    with caplog.at_level(logging.DEBUG):
        resource = HerokuDetector(environ=environ).detect()
    assert dict(resource.attributes) == {
        "cloud.provider": "heroku",
        "heroku.app.id": "9daa2797-e49b-4624-932f-ec3f9688e3da",
        "service.name": "example-app",
        "service.instance.id": "1vac4117-c29f-4312-521e-ba4d8638c1ac",
        "heroku.release.creation_timestamp": "2026-08-20T18:00:42Z",
        "service.version": "v42",
        "heroku.release.commit": "2c3a0b24069af49b3de35b8e8c26765c1dba9ff0",
    }
    assert {"service", "service.instance"} <= {entity.type for entity in entities_of(resource)}
    assert caplog.records == []
    assert "REDACTED" not in json.dumps(dict(resource.attributes))


def test_heroku_without_dyno_metadata_says_how_to_enable_it(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        attributes = dict(HerokuDetector(environ=load_env("heroku/env-heroku-no-labs-feature.env")).detect().attributes)
    assert attributes == {"cloud.provider": "heroku"}
    [warning] = [r.getMessage() for r in caplog.records]
    assert "heroku labs:enable runtime-dyno-metadata" in warning


def test_vercel_production() -> None:
    environ = with_secrets(load_env("vercel/env-vercel-runtime-production.env"))
    attributes = dict(VercelDetector(environ=environ).detect().attributes)
    assert attributes["cloud.provider"] == "Vercel"
    assert attributes["cloud.region"] == "iad1"
    assert attributes["deployment.environment.name"] == "production"
    assert attributes["deployment.id"] == "dpl_2euZBFqxYdDMDG1jTrHFnNZ2eUVa"
    assert attributes["vercel.project_id"] == "prj_5kL8dT3Qx1mN7pR2vW9yZ4aB6cD0"
    assert attributes["vcs.ref.head.name"] == "main"
    assert attributes["vcs.ref.head.revision"] == "fa1eade47b73733d6312d5abfad33ce9e4068081"
    assert attributes["vcs.repository.url.full"] == "https://github.com/acme/shop"
    assert "vcs.change.id" not in attributes
    assert "cloud.platform" not in attributes
    text = json.dumps(attributes)
    assert SECRET not in text
    assert "REDACTED" not in text


def test_vercel_preview_has_the_pull_request() -> None:
    attributes = dict(VercelDetector(environ=load_env("vercel/env-vercel-runtime-preview.env")).detect().attributes)
    assert attributes["deployment.environment.name"] == "preview"
    assert attributes["vcs.change.id"] == "231"


@pytest.mark.parametrize("detector", [HerokuDetector, VercelDetector])
def test_elsewhere_they_are_empty_and_silent(
    detector: type[HerokuDetector] | type[VercelDetector], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert dict(detector(environ={"PORT": "8080"}).detect().attributes) == {}
    assert caplog.records == []
