"""The flag: install, remove and query the entity-aware ``Resource.merge``."""

from __future__ import annotations

import logging
import threading

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from opentelemetry.sdk.resources import Resource

from otel_resource_identity import (
    Entity,
    EnvEntitiesDetector,
    disable_entity_merge,
    enable_entity_merge,
    entities_of,
    entity_merge_enabled,
    resource_from_entities,
)
from otel_resource_identity.entities.flag import apply_flag_from_environment

# The SDK's own function, taken before anything could replace it.
SDK_MERGE = Resource.__dict__["merge"]

KEYS = st.sampled_from(["host.id", "host.name", "service.name", "env", "k8s.pod.uid", "a", "b"])
SCALARS = st.one_of(
    st.text(max_size=8),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False),
)
VALUES = st.one_of(SCALARS, st.lists(st.text(max_size=4), max_size=3), st.lists(st.integers(), max_size=3))
SCHEMAS = st.sampled_from(["", "https://opentelemetry.io/schemas/1.43.0", "https://opentelemetry.io/schemas/1.44.0"])
ATTRIBUTES = st.dictionaries(KEYS, VALUES, max_size=6)


@st.composite
def entities(draw: st.DrawFn) -> Entity:
    identity = draw(st.dictionaries(KEYS, SCALARS, min_size=1, max_size=2))
    description = draw(st.dictionaries(KEYS.filter(lambda k: k not in identity), VALUES, max_size=2))
    return Entity(draw(st.sampled_from(["host", "service", "k8s.pod"])), identity, description, draw(SCHEMAS))


PLAIN = st.builds(Resource, ATTRIBUTES, SCHEMAS)
WITH_ENTITIES = st.builds(resource_from_entities, st.lists(entities(), max_size=3), ATTRIBUTES, st.none() | SCHEMAS)
ANY_RESOURCE = st.one_of(PLAIN, WITH_ENTITIES)


def _same_bytes(left: Resource, right: Resource) -> None:
    assert type(left) is type(right)
    assert list(left.attributes.items()) == list(right.attributes.items())
    assert left.schema_url == right.schema_url
    assert left.to_json() == right.to_json()


@settings(max_examples=300, deadline=None)
@given(old=ANY_RESOURCE, updating=ANY_RESOURCE)
def test_with_the_flag_off_merge_is_byte_for_byte_the_sdks(old: Resource, updating: Resource) -> None:
    assert not entity_merge_enabled()
    _same_bytes(old.merge(updating), SDK_MERGE(old, updating))


@settings(max_examples=300, deadline=None)
@given(old=PLAIN, updating=PLAIN)
def test_with_the_flag_on_plain_merges_stay_byte_for_byte_the_sdks(old: Resource, updating: Resource) -> None:
    enable_entity_merge()
    _same_bytes(old.merge(updating), SDK_MERGE(old, updating))


@settings(max_examples=200, deadline=None)
@given(old=ANY_RESOURCE, updating=ANY_RESOURCE)
def test_with_the_flag_on_results_are_consistent(old: Resource, updating: Resource) -> None:
    # Without entities on either side the SDK's rules apply (tested above).
    assume(entities_of(old) or entities_of(updating))
    enable_entity_merge()
    result = old.merge(updating)
    owned: list[str] = [key for entity in entities_of(result) for key in entity.keys]
    # No key is owned twice, every entity attribute is on the resource with its
    # value, and updating loose attributes always survive.
    assert len(owned) == len(set(owned))
    for entity in entities_of(result):
        for key, owned_value in entity.attributes().items():
            assert result.attributes[key] == owned_value
    updating_owned = {key for entity in entities_of(updating) for key in entity.keys}
    for key, value in updating.attributes.items():
        if key not in updating_owned:
            assert result.attributes[key] == value


def test_enable_and_disable_are_idempotent_and_reversible() -> None:
    assert not entity_merge_enabled()
    enable_entity_merge()
    enable_entity_merge()
    assert entity_merge_enabled()
    assert Resource.__dict__["merge"] is not SDK_MERGE
    disable_entity_merge()
    disable_entity_merge()
    assert not entity_merge_enabled()
    assert Resource.__dict__["merge"] is SDK_MERGE


def test_the_flag_changes_resource_merge_everywhere() -> None:
    old = resource_from_entities([Entity("host", {"host.id": "H1"}, {"host.name": "n"})])
    user = Resource({"host.id": "mine"})
    assert dict(old.merge(user).attributes) == {"host.id": "mine", "host.name": "n"}
    enable_entity_merge()
    assert dict(old.merge(user).attributes) == {"host.id": "mine"}


def test_enabling_from_many_threads_at_once_is_safe() -> None:
    barrier = threading.Barrier(16)
    old = resource_from_entities([Entity("host", {"host.id": "H1"}, {"host.name": "n"})])
    results: list[Resource] = []

    def toggle(index: int) -> None:
        barrier.wait()
        for _ in range(200):
            if index % 2:
                enable_entity_merge()
            else:
                disable_entity_merge()
            results.append(old.merge(Resource({"env": "x"})))

    threads = [threading.Thread(target=toggle, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Whatever the interleaving, Resource.merge is always one of the two functions.
    assert entity_merge_enabled() or Resource.__dict__["merge"] is SDK_MERGE
    assert all(dict(result.attributes) == {"host.id": "H1", "host.name": "n", "env": "x"} for result in results)
    enable_entity_merge()
    assert entity_merge_enabled()
    disable_entity_merge()
    assert Resource.__dict__["merge"] is SDK_MERGE


def test_another_replacement_of_resource_merge_is_left_alone(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def someone_elses_merge(self: Resource, other: Resource) -> Resource:
        return self

    monkeypatch.setattr(Resource, "merge", someone_elses_merge)
    with caplog.at_level(logging.WARNING):
        enable_entity_merge()
    assert not entity_merge_enabled()
    assert Resource.__dict__["merge"] is someone_elses_merge
    assert "has been replaced" in caplog.text


@pytest.mark.parametrize("value", ["true", "TRUE", " True "])
def test_the_environment_variable_turns_the_flag_on(value: str) -> None:
    apply_flag_from_environment({"OTEL_EXPERIMENTAL_ENTITIES_ENABLED": value})
    assert entity_merge_enabled()


@pytest.mark.parametrize("value", ["false", "", "FALSE"])
def test_the_environment_variable_leaves_the_flag_off(value: str) -> None:
    apply_flag_from_environment({"OTEL_EXPERIMENTAL_ENTITIES_ENABLED": value})
    assert not entity_merge_enabled()


def test_the_environment_never_turns_an_enabled_flag_off() -> None:
    enable_entity_merge()
    apply_flag_from_environment({"OTEL_EXPERIMENTAL_ENTITIES_ENABLED": "false"})
    assert entity_merge_enabled()


def test_an_invalid_value_warns_once_naming_the_variable(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        apply_flag_from_environment({"OTEL_EXPERIMENTAL_ENTITIES_ENABLED": "s3cr3t-yes"})
        apply_flag_from_environment({"OTEL_EXPERIMENTAL_ENTITIES_ENABLED": "s3cr3t-yes"})
    assert not entity_merge_enabled()
    warnings = [r for r in caplog.records if "OTEL_EXPERIMENTAL_ENTITIES_ENABLED" in r.getMessage()]
    assert len(warnings) == 1
    assert "true or false" in warnings[0].getMessage()
    assert "s3cr3t" not in caplog.text


def test_constructing_a_detector_applies_the_flag() -> None:
    EnvEntitiesDetector(environ={})
    assert not entity_merge_enabled()
    EnvEntitiesDetector(environ={"OTEL_EXPERIMENTAL_ENTITIES_ENABLED": "true"})
    assert entity_merge_enabled()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RESOURCE_IDENTITY_STAMP", "spans,metrics"),
        ("RESOURCE_IDENTITY_ATTRIBUTE_PREFIX", "no-dot"),
        ("RESOURCE_IDENTITY_RULESET", "dash0-1999"),
        ("RESOURCE_IDENTITY_DETECTION_TIMEOUT", "-1"),
    ],
)
def test_every_setting_warns_once_and_falls_back(variable: str, value: str, caplog: pytest.LogCaptureFixture) -> None:
    from otel_resource_identity import _settings

    [setting] = [s for s in _settings.ALL_SETTINGS if s.name == variable]
    with caplog.at_level(logging.WARNING):
        assert setting.read({variable: value}) == setting.default
        assert setting.read({variable: value}) == setting.default
    [warning] = [r.getMessage() for r in caplog.records]
    assert variable in warning
    assert warning.endswith("Using the default.")


def test_stamp_and_prefix_values() -> None:
    from otel_resource_identity._settings import ATTRIBUTE_PREFIX, STAMP

    assert STAMP.read({"RESOURCE_IDENTITY_STAMP": "none"}) == frozenset()
    assert STAMP.read({"RESOURCE_IDENTITY_STAMP": " Spans , RESOURCE "}) == {"spans", "resource"}
    assert STAMP.read({}) == {"spans", "logs"}
    assert ATTRIBUTE_PREFIX.read({"RESOURCE_IDENTITY_ATTRIBUTE_PREFIX": "predicted.resource."}) == "predicted.resource."
