"""The detectors through the SDK's own entry points, in fresh processes set up by environment alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import clean_environment, run_python

PRINT_RESOURCE = """
import json
from opentelemetry.sdk.resources import Resource
print(json.dumps(dict(Resource.create().attributes)))
"""

APP = """
import json
from opentelemetry import trace
print(json.dumps(dict(trace.get_tracer_provider().resource.attributes)))
"""

DETECTOR_NAMES = [
    "resource_identity",
    "resource_identity_k8s",
    "resource_identity_aws_ecs",
    "resource_identity_aws_lambda",
    "resource_identity_gcp_cloud_run",
    "resource_identity_heroku",
    "resource_identity_vercel",
    "resource_identity_cicd",
    "resource_identity_container",
    "resource_identity_host",
    "resource_identity_entities",
]

HEROKU = {"DYNO": "web.1", "HEROKU_APP_ID": "app-1", "HEROKU_APP_NAME": "shop", "HEROKU_DYNO_ID": "dyno-1"}


@pytest.mark.subprocess
def test_resource_identity_with_the_plain_sdk() -> None:
    env = clean_environment(OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity", **HEROKU)
    attributes = json.loads(run_python(PRINT_RESOURCE, env).stdout)
    assert attributes["cloud.provider"] == "heroku"
    assert attributes["service.name"] == "shop"
    assert attributes["os.type"]
    assert attributes["telemetry.sdk.language"] == "python"


@pytest.mark.subprocess
def test_otel_service_name_still_wins_over_a_detector() -> None:
    env = clean_environment(
        OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity", OTEL_SERVICE_NAME="mine", **HEROKU
    )
    assert json.loads(run_python(PRINT_RESOURCE, env).stdout)["service.name"] == "mine"


@pytest.mark.subprocess
def test_every_per_platform_name_loads_alone() -> None:
    code = (
        "import json, logging\n"
        "from opentelemetry.sdk.resources import Resource\n"
        "from otel_resource_identity.detectors._base import BaseDetector\n"
        "from opentelemetry.util._importlib_metadata import entry_points\n"
        f"names = {DETECTOR_NAMES!r}\n"
        "found = {ep.name: ep for ep in entry_points(group='opentelemetry_resource_detector')}\n"
        "print(json.dumps({name: isinstance(found[name].load()(), BaseDetector) for name in names}))\n"
    )
    loaded = json.loads(run_python(code, clean_environment()).stdout)
    assert loaded == dict.fromkeys(DETECTOR_NAMES, True)
    for name in DETECTOR_NAMES:
        env = clean_environment(OTEL_EXPERIMENTAL_RESOURCE_DETECTORS=name, **HEROKU)
        done = run_python(PRINT_RESOURCE, env)
        assert "Failed to load" not in done.stderr, name
    heroku_only = json.loads(
        run_python(
            PRINT_RESOURCE, clean_environment(OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity_heroku", **HEROKU)
        ).stdout
    )
    assert heroku_only["heroku.app.id"] == "app-1"
    assert "os.type" not in heroku_only


@pytest.mark.subprocess
def test_under_opentelemetry_instrument(tmp_path: Path) -> None:
    instrument = shutil.which("opentelemetry-instrument", path=str(Path(sys.executable).parent))
    assert instrument is not None
    app = tmp_path / "app.py"
    app.write_text(APP)
    env = clean_environment(
        OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity",
        OTEL_TRACES_EXPORTER="none",
        OTEL_METRICS_EXPORTER="none",
        OTEL_LOGS_EXPORTER="none",
        **HEROKU,
    )
    done = subprocess.run(
        [instrument, sys.executable, str(app)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    attributes = json.loads(done.stdout.strip().splitlines()[-1])
    assert attributes["cloud.provider"] == "heroku"
    assert attributes["service.instance.id"] == "dyno-1"


@pytest.mark.subprocess
def test_nothing_is_logged_off_platform_at_startup(tmp_path: Path) -> None:
    env = clean_environment(OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity")
    setup = "import logging\nlogging.basicConfig(level=logging.DEBUG)\n"
    code = setup + "logging.getLogger('otel_resource_identity').setLevel(logging.INFO)\n" + PRINT_RESOURCE
    done = run_python(code, env)
    assert "otel_resource_identity" not in done.stderr
