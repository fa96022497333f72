"""The package's entity types against the semantic conventions' entity model.

``tests/fixtures/semconv/entities.json`` holds the entity groups of the pinned
semantic-conventions release (``model/**/*entities.yaml``, written by ``extract_entities.py``
beside it). Where the conventions give a type identifying attributes, this package identifies it
by the same ones and describes it only with attributes the conventions let describe it; every
other choice is a row marked "decided" with its reason, listed in docs/entities.md. Moving the
pin re-runs all of this: a role the conventions change fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from otel_resource_identity.detectors._emit import ENTITY_TYPES, EntityType

from conftest import ROOT
from platforms import FIXTURES

CONVENTIONS: dict[str, Any] = json.loads((FIXTURES / "semconv" / "entities.json").read_text(encoding="utf-8"))
TYPES: dict[str, dict[str, list[str]]] = CONVENTIONS["types"]
ENTITIES_PAGE = (ROOT / "docs" / "entities.md").read_text(encoding="utf-8")


def test_the_pin_says_where_it_comes_from() -> None:
    assert CONVENTIONS["release"] == "v1.44.0"
    assert "open-telemetry/semantic-conventions v1.44.0 (" in CONVENTIONS["_source"]
    assert len(TYPES) >= 60


@pytest.mark.parametrize("entity_type", ENTITY_TYPES, ids=lambda t: t.name)
def test_each_entity_type_follows_the_conventions_or_says_why_not(entity_type: EntityType) -> None:
    conventions = TYPES.get(entity_type.name)
    if conventions and conventions["identifying"]:
        assert set(entity_type.id) == set(conventions["identifying"]), "the conventions' identifying attributes"
        allowed = set(conventions["descriptive"]) | set(conventions["unassigned"])
        extra = set(entity_type.description) - allowed
        assert not extra or entity_type.decided, f"{sorted(extra)} describe it here: say why (decided=...)"
        assert not entity_type.decided or extra, "a row the conventions fully define needs no decision"
    else:
        assert entity_type.decided, "the conventions give this type no identifying attributes: say why"


@pytest.mark.parametrize("entity_type", [t for t in ENTITY_TYPES if t.decided], ids=lambda t: t.name)
def test_every_decision_is_on_the_entities_page(entity_type: EntityType) -> None:
    row = next((line for line in ENTITIES_PAGE.splitlines() if line.startswith(f"| `{entity_type.name}` |")), "")
    assert entity_type.decided in row, f"docs/entities.md: a row for {entity_type.name} with its reason"


def test_the_types_the_conventions_define_for_what_every_process_reports_are_here() -> None:
    ours = {entity_type.name for entity_type in ENTITY_TYPES}
    assert {"telemetry.sdk", "process", "service", "service.instance", "container.runtime"} <= ours
    assert set(TYPES["process"]["identifying"]) == {"process.pid", "process.creation.time"}
    assert set(TYPES["container.runtime"]["identifying"]) == {"container.runtime.name", "container.runtime.version"}


def test_every_reason_for_an_attribute_outside_entities_is_on_the_page() -> None:
    from otel_resource_identity.entities.outside import OUTSIDE

    for pattern, reason in OUTSIDE:
        shown = f"`{pattern}*`" if pattern.endswith(".") else f"`{pattern}`"
        row = next((line for line in ENTITIES_PAGE.splitlines() if line.startswith(f"| {shown} |")), "")
        assert reason in row, pattern
