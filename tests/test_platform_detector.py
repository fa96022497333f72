"""PlatformDetector: classification, one deadline, precedence, caching, secrets."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest
from opentelemetry.sdk.resources import Resource

from otel_resource_identity import PlatformDetector, enable_entity_merge, entities_of
from otel_resource_identity._settings import PLATFORM_NAMES
from otel_resource_identity.detectors._base import BaseDetector
from otel_resource_identity.detectors._emit import SCHEMA_URL
from otel_resource_identity.detectors.inputs.deadline import Deadline
from otel_resource_identity.detectors.platform import PLATFORMS, _run_one

from platforms import FIXTURES, SECRET, Reply, fixture_text, load_env, make_root, serve, with_secrets

ALL_ENV_FIXTURES = sorted(str(path.relative_to(FIXTURES)) for path in FIXTURES.glob("*/*.env"))


def _ecs_routes(delay: float = 0.0) -> dict[str, Reply]:
    return {
        "/v4/t": Reply(
            json.loads(fixture_text("ecs/jscontrib-metadatav4-response-container-fargate.json")), delay=delay
        ),
        "/v4/t/task": Reply(
            json.loads(fixture_text("ecs/jscontrib-metadatav4-response-task-fargate.json")), delay=delay
        ),
    }


def test_the_platform_table_and_the_setting_agree() -> None:
    assert tuple(entry[0] for entry in PLATFORMS) == PLATFORM_NAMES


def test_off_every_platform_only_local_detectors_run_and_nothing_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    detector = PlatformDetector(environ={}, root=tmp_path)
    with caplog.at_level(logging.DEBUG):
        resource = detector.detect()
    assert caplog.records == []
    outcomes = {run.name: run.outcome for run in detector.runs}
    assert outcomes["host"] == "detected"  # os.type is always known
    assert {name for name, outcome in outcomes.items() if outcome == "detected"} == {"host"}
    assert set(resource.attributes) >= {"os.type", "host.arch"}


def test_on_ecs_the_metadata_wins_over_the_cgroup_guess(tmp_path: Path) -> None:
    root = make_root(tmp_path, {"/proc/self/cgroup": FIXTURES / "ecs/cgroup-ecs-ec2-v1.txt"})
    with serve(_ecs_routes()) as server:
        environ = {"ECS_CONTAINER_METADATA_URI_V4": f"{server.base}/v4/t"}
        resource = PlatformDetector(environ=environ, root=root).detect()
    assert resource.attributes["container.id"] == "cd189a933e5849daa93386466019ab50-2495160603"
    assert resource.attributes["cloud.platform"] == "aws_ecs"
    assert resource.schema_url.startswith("https://opentelemetry.io/schemas/")


def test_a_hung_endpoint_never_holds_detection_past_its_budget(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with serve(_ecs_routes(delay=10)) as server:
        environ = {"ECS_CONTAINER_METADATA_URI_V4": f"{server.base}/v4/t"}
        detector = PlatformDetector(environ=environ, root=tmp_path, timeout=0.3)
        started = time.monotonic()
        with caplog.at_level(logging.WARNING):
            resource = detector.detect()
        took = time.monotonic() - started
    assert took < 1.5
    assert resource.attributes["cloud.platform"] == "aws_ecs"
    assert len([r for r in caplog.records if "ECS" in r.getMessage()]) == 1


def test_the_result_is_cached_for_the_process(tmp_path: Path) -> None:
    with serve(_ecs_routes()) as server:
        environ = {"ECS_CONTAINER_METADATA_URI_V4": f"{server.base}/v4/t"}
        first = PlatformDetector(environ=environ, root=tmp_path).detect()
        second = PlatformDetector(environ=environ, root=tmp_path).detect()
        assert len(server.requests) == 2
    assert first is second


def test_the_detectors_setting_narrows_what_runs(tmp_path: Path) -> None:
    environ = load_env("heroku/env-heroku-dyno-metadata-enabled.env") | {"RESOURCE_IDENTITY_DETECTORS": "heroku,cicd"}
    detector = PlatformDetector(environ=environ, root=tmp_path)
    resource = detector.detect()
    assert [run.name for run in detector.runs] == ["heroku", "cicd"]
    assert "os.type" not in resource.attributes
    assert resource.attributes["cloud.provider"] == "heroku"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("RESOURCE_IDENTITY_DETECTORS", "heroku,mainframe"), ("RESOURCE_IDENTITY_DETECTION_TIMEOUT", "soon")],
)
def test_invalid_settings_warn_once_and_use_the_default(
    tmp_path: Path, variable: str, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        detector = PlatformDetector(environ={variable: value}, root=tmp_path)
        detector.detect()
    [warning] = [r.getMessage() for r in caplog.records]
    assert variable in warning
    assert value not in warning
    assert len(detector.runs) == len(PLATFORM_NAMES)


def test_otel_entities_rank_above_the_platforms(tmp_path: Path) -> None:
    environ = load_env("heroku/env-heroku-dyno-metadata-enabled.env") | {
        "OTEL_ENTITIES": f"service{{service.name=example-app}}[service.version=v43]@{SCHEMA_URL};"
        "deployment{deployment.id=d-1}"
    }
    plain = PlatformDetector(environ=environ, root=tmp_path).detect()
    assert plain.attributes["service.version"] == "v43"
    enable_entity_merge()
    resource = PlatformDetector(environ=environ, root=tmp_path).detect()
    # Same type and identity: the descriptions unite, OTEL_ENTITIES winning.
    [service] = [entity for entity in entities_of(resource) if entity.type == "service"]
    assert service.description["service.version"] == "v43"
    assert resource.attributes["deployment.id"] == "d-1"


def test_a_conflicting_otel_entity_of_a_detected_type_is_dropped_with_the_flag(tmp_path: Path) -> None:
    # The specification's rule: an entity of a type already present with
    # another identity changes nothing.
    enable_entity_merge()
    environ = load_env("heroku/env-heroku-dyno-metadata-enabled.env") | {"OTEL_ENTITIES": "service{service.name=other}"}
    resource = PlatformDetector(environ=environ, root=tmp_path).detect()
    assert resource.attributes["service.name"] == "example-app"


@pytest.mark.parametrize("fixture", ALL_ENV_FIXTURES)
def test_no_secret_reaches_an_attribute_or_a_log_line(
    tmp_path: Path, fixture: str, caplog: pytest.LogCaptureFixture
) -> None:
    environ = with_secrets(load_env(fixture))
    # Metadata endpoints named in fixtures are link-local; point them nowhere.
    for name in ("ECS_CONTAINER_METADATA_URI_V4", "ECS_CONTAINER_METADATA_URI"):
        if name in environ:
            environ[name] = "http://127.0.0.1:9/v4/x"
    environ["GCE_METADATA_HOST"] = "127.0.0.1:9"
    environ["RESOURCE_IDENTITY_DETECTION_TIMEOUT"] = "0.5"
    with caplog.at_level(logging.DEBUG):
        resource = PlatformDetector(environ=environ, root=tmp_path).detect()
    text = json.dumps(dict(resource.attributes))
    assert SECRET not in text
    assert "REDACTED" not in text
    assert SECRET not in caplog.text


class _Broken(BaseDetector):
    def detect(self) -> Resource:
        raise RuntimeError("a bug")


def test_a_detector_bug_is_logged_and_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    results: dict[str, object] = {}
    with caplog.at_level(logging.INFO):
        _run_one("broken", _Broken(environ={}), Deadline.after(1), results, time.perf_counter())  # type: ignore[arg-type]
    # One clear line, no traceback above DEBUG.
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "the broken detector failed" in record.getMessage()
    assert record.exc_info is None


def test_stamping_the_resource_predicts_what_the_sdk_will_build(tmp_path: Path) -> None:
    environ = load_env("heroku/env-heroku-dyno-metadata-enabled.env") | {
        "RESOURCE_IDENTITY_STAMP": "resource",
        "OTEL_RESOURCE_ATTRIBUTES": "service.instance.id=from%20user,broken-pair",
    }
    resource = PlatformDetector(environ=environ, root=tmp_path).detect()
    assert resource.attributes["dash0.resource.name"] == "9daa2797-e49b-4624-932f-ec3f9688e3da:from user"
    assert resource.attributes["dash0.resource.type"] == "heroku.dyno"
    # The user's value wins in the detector's own result too (the SDK merges it on top anyway, but
    # re-runs the detector after a fork and merges it over the user's: see detectors/_user.py).
    assert resource.attributes["service.instance.id"] == "from user"


def test_stamping_without_a_service_name_uses_the_sdks_default(tmp_path: Path) -> None:
    resource = PlatformDetector(
        environ={"RESOURCE_IDENTITY_STAMP": "resource", "RESOURCE_IDENTITY_DETECTORS": "container"}, root=tmp_path
    ).detect()
    assert "dash0.resource.id" in resource.attributes
