"""What the package declares agrees with what it ships, tests and documents."""

from __future__ import annotations

import importlib.util
import re
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from otel_resource_identity import _settings
from otel_resource_identity.detectors._base import BaseDetector

ROOT = Path(__file__).resolve().parent.parent
if sys.version_info >= (3, 11):
    import tomllib

    PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
else:  # pragma: no cover - Python 3.10 has no tomllib; those tests skip there
    PYPROJECT: dict[str, Any] = {}
README = (ROOT / "README.md").read_text(encoding="utf-8")
DETECTORS_PAGE = (ROOT / "docs" / "detectors.md").read_text(encoding="utf-8")
IDENTITY_PAGE = (ROOT / "docs" / "identity.md").read_text(encoding="utf-8")
needs_tomllib = pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is new in Python 3.11")


def _ci_runner_pins() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("ci_test", ROOT / ".ci" / "test.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pins: tuple[str, ...] = module.LOWEST_PINS
    return pins


@needs_tomllib
def test_the_lowest_tested_versions_are_the_declared_lower_bounds() -> None:
    declared = {}
    for requirement in PYPROJECT["project"]["dependencies"]:
        match = re.fullmatch(r"([a-z-]+)>=([^,]+)(,.*)?", requirement)
        assert match, requirement
        declared[match[1]] = match[2]
    pinned = dict(pin.split("==") for pin in _ci_runner_pins())
    assert pinned == declared


@needs_tomllib
def test_runtime_dependencies_are_only_the_opentelemetry_trio() -> None:
    names = {re.split(r"[<>=!~ ]", requirement)[0] for requirement in PYPROJECT["project"]["dependencies"]}
    assert names == {"opentelemetry-api", "opentelemetry-sdk", "opentelemetry-semantic-conventions"}


def test_detector_entry_points_load_detectors() -> None:
    group = entry_points(group="opentelemetry_resource_detector")
    ours = {ep.name: ep for ep in group if ep.value.startswith("otel_resource_identity")}
    assert "resource_identity_entities" in ours
    for entry in ours.values():
        detector = entry.load()()
        assert isinstance(detector, BaseDetector)


def test_every_setting_is_documented_in_the_readme() -> None:
    for setting in _settings.ALL_SETTINGS:
        assert f"`{setting.name}`" in README, setting.name


def test_readme_quick_start_has_the_two_commands() -> None:
    assert "python3 .ci/test.py" in README
    assert ".venv/bin/otel-resource detect" in README
    assert "python3 .ci/test.py" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_detectors_page_lists_every_entity_type_and_ci_system() -> None:
    from otel_resource_identity.detectors._emit import ENTITY_TYPES
    from otel_resource_identity.detectors._signals import CI_SIGNALS

    for entity_type in ENTITY_TYPES:
        row = next((line for line in DETECTORS_PAGE.splitlines() if line.startswith(f"| `{entity_type.name}`")), "")
        assert all(f"`{key}`" in row for key in entity_type.id + entity_type.description), entity_type.name
    for system in CI_SIGNALS:
        assert system.split(" ")[0] in DETECTORS_PAGE, system


def test_the_identity_page_rule_tables_are_the_rulesets() -> None:
    from otel_resource_identity.identity.rulesets import BY_NAME
    from otel_resource_identity.identity.table import markdown

    for ruleset in BY_NAME.values():
        assert markdown(ruleset) in IDENTITY_PAGE, f"regenerate the docs/identity.md table for {ruleset.name}"


def test_the_readme_links_every_docs_page_and_every_page_links_back() -> None:
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in README, page.name
        assert "(../README.md)" in page.read_text(encoding="utf-8"), page.name
