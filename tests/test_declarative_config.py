"""The detectors named in an OTEL_CONFIG_FILE ``detection/development`` block."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import clean_environment

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("opentelemetry.configuration") is None,
    reason="declarative configuration needs opentelemetry-configuration (SDK 1.44 and newer)",
)

CONFIG = """\
file_format: "1.1"
resource:
  attributes:
    - name: service.name
      value: shop
  detection/development:
    detectors:
      - resource_identity:
          timeout: 0.5
tracer_provider:
  processors:
    - simple:
        exporter:
          console:
"""

APP = """
import json
from opentelemetry import trace
print(json.dumps(dict(trace.get_tracer_provider().resource.attributes)))
"""


@pytest.mark.subprocess
def test_detectors_in_a_config_file(tmp_path: Path) -> None:
    (tmp_path / "otel.yaml").write_text(CONFIG)
    (tmp_path / "app.py").write_text(APP)
    instrument = shutil.which("opentelemetry-instrument", path=str(Path(sys.executable).parent))
    assert instrument is not None
    env = clean_environment(
        OTEL_CONFIG_FILE=str(tmp_path / "otel.yaml"), DYNO="web.1", HEROKU_APP_ID="app-1", HEROKU_DYNO_ID="dyno-1"
    )
    done = subprocess.run(
        [instrument, sys.executable, str(tmp_path / "app.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    attributes = json.loads(done.stdout.strip().splitlines()[-1])
    assert attributes["cloud.provider"] == "heroku"
    assert attributes["heroku.app.id"] == "app-1"
    assert attributes["service.name"] == "shop"  # the file's own attributes win
    assert attributes["os.type"]
