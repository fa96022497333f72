"""The README's and docs' code blocks run as they stand.

Every ``python`` block runs in a fresh interpreter with a clean environment;
every ``yaml`` block (a configuration file) is given to a real application
under ``opentelemetry-instrument`` as ``OTEL_CONFIG_FILE``; every
``otel-resource`` command in an ``sh`` block runs. A block that drifts from
the code fails here.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, clean_environment

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(language: str) -> list[tuple[str, str]]:
    pattern = re.compile(rf"^```{language}\n(.*?)^```", re.DOTALL | re.MULTILINE)
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((f"{document.relative_to(ROOT)}:{line}", match.group(1)))
    return found


BLOCKS = _blocks("python")
# A yaml block is a configuration file, unless it is an excerpt of the example Kubernetes manifest.
MANIFEST = ROOT / "examples" / "kubernetes" / "deployment.yaml"
YAML_BLOCKS = [(where, block) for where, block in _blocks("yaml") if not block.startswith("# examples/kubernetes/")]
MANIFEST_BLOCKS = [(where, block) for where, block in _blocks("yaml") if block.startswith("# examples/kubernetes/")]
CLI_COMMANDS = [
    (where, line.strip())
    for where, block in _blocks("sh")
    for line in block.splitlines()
    if line.strip().startswith("otel-resource ") and "<" not in line
]


@pytest.mark.parametrize(("where", "excerpt"), MANIFEST_BLOCKS, ids=[where for where, _ in MANIFEST_BLOCKS])
def test_the_manifest_excerpt_is_in_the_example_manifest(where: str, excerpt: str) -> None:
    """A manifest shown in the docs is a verbatim excerpt of the one tests/test_examples.py checks."""
    lines = excerpt.splitlines()[1:]
    assert lines
    assert "\n".join(lines) in MANIFEST.read_text(encoding="utf-8"), where


def test_there_are_blocks_to_run() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.subprocess
@pytest.mark.parametrize(("where", "code"), BLOCKS, ids=[where for where, _ in BLOCKS])
def test_the_block_runs(where: str, code: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=clean_environment(OTEL_TRACES_EXPORTER="none", OTEL_METRICS_EXPORTER="none", OTEL_LOGS_EXPORTER="none"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{where}:\n{done.stderr}"


# An application that uses only the OpenTelemetry API: what a configuration file sets up must stamp it.
CONFIGURED_APP = """
from opentelemetry import trace
from opentelemetry._logs import LogRecord, get_logger

with trace.get_tracer("app").start_as_current_span("checkout"):
    get_logger("app").emit(LogRecord(body="order placed"))
print("service.name =", trace.get_tracer_provider().resource.attributes["service.name"])
"""


@pytest.mark.subprocess
@pytest.mark.skipif(
    importlib.util.find_spec("opentelemetry.configuration") is None,
    reason="declarative configuration needs opentelemetry-configuration (SDK 1.44 and newer)",
)
@pytest.mark.parametrize(("where", "config"), YAML_BLOCKS, ids=[where for where, _ in YAML_BLOCKS])
def test_the_configuration_file_stamps_spans_and_logs(where: str, config: str, tmp_path: Path) -> None:
    (tmp_path / "otel.yaml").write_text(config)
    (tmp_path / "app.py").write_text(CONFIGURED_APP)
    instrument = shutil.which("opentelemetry-instrument", path=str(Path(sys.executable).parent))
    assert instrument is not None
    done = subprocess.run(
        [instrument, sys.executable, str(tmp_path / "app.py")],
        cwd=tmp_path,
        env=clean_environment(OTEL_CONFIG_FILE=str(tmp_path / "otel.yaml")),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{where}:\n{done.stderr}"
    assert done.stdout.count('"dash0.resource.id"') == 2, f"{where}: the span and the log record are stamped"
    assert "service.name = " in done.stdout


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("where", "command"), CLI_COMMANDS, ids=[f"{where} {command}" for where, command in CLI_COMMANDS]
)
def test_the_documented_cli_commands_run(where: str, command: str, tmp_path: Path) -> None:
    arguments = shlex.split(command.split("#", 1)[0])
    done = subprocess.run(
        [sys.executable, "-m", "otel_resource_identity", *arguments[1:]],
        cwd=ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), f"{where}: {command}\n{done.stderr}"
    assert done.stdout
