"""The points the specification leaves open, each decided once (README, "Entity merge")."""

from __future__ import annotations

import logging

import pytest
from opentelemetry.sdk.resources import Resource

from otel_resource_identity import Entity, entities_of, merge, resource_from_entities

SEMCONV_1 = "https://opentelemetry.io/schemas/1.43.0"
SEMCONV_2 = "https://opentelemetry.io/schemas/1.44.0"


def test_plain_resources_merge_exactly_as_the_sdk_does() -> None:
    old = Resource({"a": 1, "b": "x"}, SEMCONV_1)
    updating = Resource({"b": "y", "c": True})
    result = merge(old, updating)
    expected = Resource.merge(old, updating)
    assert type(result) is Resource
    assert result == expected
    assert result.to_json() == expected.to_json()


def test_same_type_same_identity_unites_descriptions_updating_wins() -> None:
    old = resource_from_entities([Entity("host", {"host.id": "H1"}, {"host.name": "a", "host.arch": "amd64"})])
    updating = resource_from_entities([Entity("host", {"host.id": "H1"}, {"host.name": "b", "host.type": "m5"})])
    result = merge(old, updating)
    assert entities_of(result) == (
        Entity("host", {"host.id": "H1"}, {"host.name": "b", "host.arch": "amd64", "host.type": "m5"}),
    )


@pytest.mark.parametrize(
    "incoming",
    [
        Entity("host", {"host.id": "H2"}, {"host.name": "b"}),
        Entity("host", {"host.id": "H1"}, {"host.name": "b"}, SEMCONV_2),
        Entity("host", {"host.id": "H1", "extra": "x"}, {"host.name": "b"}),
    ],
    ids=["other identity", "other schema URL", "other identity keys"],
)
def test_decision_1_same_type_that_cannot_merge_changes_nothing(incoming: Entity) -> None:
    existing = Entity("host", {"host.id": "H1"}, {"host.name": "a"})
    result = merge(resource_from_entities([existing]), resource_from_entities([incoming]))
    assert entities_of(result) == (existing,)
    assert dict(result.attributes) == {"host.id": "H1", "host.name": "a"}


def test_decision_2_a_loose_updating_attribute_evicts_the_entity_with_its_attributes() -> None:
    old = resource_from_entities([Entity("host", {"host.id": "H1"}, {"host.name": "a", "host.arch": "amd64"})])
    result = merge(old, Resource({"host.name": "user-set"}))
    assert entities_of(result) == ()
    assert type(result) is Resource
    assert dict(result.attributes) == {"host.name": "user-set"}


def test_decision_3_flattening_ranks_updating_types_first() -> None:
    # The updating resource's entity types rank first, in their order, then the
    # types only the old resource had. A later-ranked entity that claims a key
    # an earlier one owns is removed with all its attributes.
    old = resource_from_entities([Entity("container", {"container.id": "c1"}, {"shared": "old"})])
    updating = resource_from_entities([Entity("k8s.pod", {"k8s.pod.uid": "u1"}, {"shared": "new"})])
    result = merge(old, updating)
    assert [e.type for e in entities_of(result)] == ["k8s.pod"]
    assert dict(result.attributes) == {"k8s.pod.uid": "u1", "shared": "new"}


def test_decision_3_old_only_types_keep_their_relative_order() -> None:
    old = resource_from_entities([Entity("a", {"a.id": 1}), Entity("b", {"b.id": 2})])
    updating = resource_from_entities([Entity("c", {"c.id": 3})])
    assert [e.type for e in entities_of(merge(old, updating))] == ["c", "a", "b"]


def test_loose_attributes_never_vanish_for_an_entity_that_did_not_survive() -> None:
    # env is loose on the old side; the incoming service would own it but is
    # dropped for claiming host.name, which the higher-ranked host owns.
    old = Resource({"env": "prod"})
    host = Entity("host", {"host.id": "H1"}, {"host.name": "n"})
    service = Entity("service", {"service.name": "s"}, {"env": "dev", "host.name": "other"})
    result = merge(old, _two(host, service))
    assert entities_of(result) == (host,)
    assert result.attributes["env"] == "prod"


def _two(first: Entity, second: Entity) -> Resource:
    # resource_from_entities keeps the first entity on a key conflict.
    resource = resource_from_entities([first, second])
    assert entities_of(resource) == (first,)
    return resource


def test_decision_4_schema_url_is_the_entities_common_one() -> None:
    old = resource_from_entities([Entity("a", {"a.id": 1}, schema_url=SEMCONV_1)])
    updating = resource_from_entities([Entity("b", {"b.id": 1}, schema_url=SEMCONV_1)])
    assert merge(old, updating).schema_url == SEMCONV_1


def test_decision_4_schema_url_is_empty_when_entities_disagree() -> None:
    old = resource_from_entities([Entity("a", {"a.id": 1}, schema_url=SEMCONV_1)])
    updating = resource_from_entities([Entity("b", {"b.id": 1}, schema_url=SEMCONV_2)])
    result = merge(old, updating)
    assert result.schema_url == ""
    assert len(entities_of(result)) == 2


def test_decision_4_entities_without_schema_url_take_no_side() -> None:
    old = resource_from_entities([Entity("a", {"a.id": 1}, schema_url=SEMCONV_1)])
    updating = resource_from_entities([Entity("b", {"b.id": 1})])
    assert merge(old, updating).schema_url == SEMCONV_1


def test_decision_4_without_entity_schema_urls_the_sdk_rule_applies() -> None:
    entity = Entity("a", {"a.id": 1})
    with_entity = resource_from_entities([entity])
    assert merge(Resource({"x": 1}, SEMCONV_1), with_entity).schema_url == SEMCONV_1
    assert merge(with_entity, Resource({"x": 1}, SEMCONV_2)).schema_url == SEMCONV_2
    same = resource_from_entities([entity], schema_url=SEMCONV_1)
    assert merge(same, Resource({"x": 1}, SEMCONV_1)).schema_url == SEMCONV_1


def test_decision_4_a_schema_conflict_keeps_every_attribute(caplog: pytest.LogCaptureFixture) -> None:
    old = resource_from_entities([Entity("a", {"a.id": 1})], {"x": 1}, schema_url=SEMCONV_1)
    updating = Resource({"y": 2}, SEMCONV_2)
    with caplog.at_level(logging.WARNING):
        result = merge(old, updating)
    # The SDK's plain merge would return `old` and lose y; this merge keeps both.
    assert dict(result.attributes) == {"a.id": 1, "x": 1, "y": 2}
    assert result.schema_url == ""
    assert "schema URLs" in caplog.text
    assert SEMCONV_1 in caplog.text


def test_decision_5_equality_compares_entities_too() -> None:
    attributes = {"host.id": "H1"}
    with_entity = resource_from_entities([Entity("host", attributes)])
    plain = Resource(attributes)
    assert with_entity != plain
    assert plain != with_entity
    assert with_entity == resource_from_entities([Entity("host", attributes)])
    assert hash(with_entity) == hash(resource_from_entities([Entity("host", attributes)]))
    assert with_entity != "host"


def test_decision_5_merge_is_not_associative() -> None:
    a = resource_from_entities([Entity("x", {"x.id": 1}, {"shared": "a"})])
    b = resource_from_entities([Entity("y", {"y.id": 1}, {"shared": "b"})])
    c = resource_from_entities([Entity("x", {"x.id": 1})])
    left = merge(merge(a, b), c)
    right = merge(a, merge(b, c))
    assert left.attributes["shared"] == "b"
    assert right.attributes["shared"] == "a"
    assert left != right


def test_resource_from_entities_first_of_a_type_wins_and_same_identity_merges() -> None:
    first = Entity("host", {"host.id": "H1"}, {"host.name": "first"})
    other_identity = Entity("host", {"host.id": "H2"})
    same_identity = Entity("host", {"host.id": "H1"}, {"host.name": "second", "host.arch": "arm64"})
    assert entities_of(resource_from_entities([first, other_identity])) == (first,)
    merged = entities_of(resource_from_entities([first, same_identity]))
    assert merged == (Entity("host", {"host.id": "H1"}, {"host.name": "first", "host.arch": "arm64"}),)


def test_resource_from_entities_is_a_real_sdk_resource() -> None:
    resource = resource_from_entities([Entity("service", {"service.name": "s"})], {"env": "prod"}, SEMCONV_1)
    assert isinstance(resource, Resource)
    assert resource.schema_url == SEMCONV_1
    assert dict(resource.attributes) == {"service.name": "s", "env": "prod"}
    assert '"entities"' in resource.to_json()
    assert "entities=" in repr(resource)
    assert resource_from_entities([]) == Resource({})


def test_resource_from_entities_rejects_non_entities() -> None:
    with pytest.raises(TypeError, match="Entity values"):
        resource_from_entities([{"type": "host"}])  # type: ignore[list-item]


def test_decision_2_a_loose_attribute_that_repeats_the_entitys_value_is_no_conflict() -> None:
    old = resource_from_entities(
        [Entity("service", {"service.name": "shop", "service.instance.id": "i1"}, {"service.version": "2"})]
    )
    result = merge(old, Resource({"service.name": "shop", "deployment.environment.name": "prod"}))
    assert [entity.type for entity in entities_of(result)] == ["service"]
    assert dict(result.attributes) == {
        "service.name": "shop",
        "service.instance.id": "i1",
        "service.version": "2",
        "deployment.environment.name": "prod",
    }
    # Another value is a conflict: the entity goes whole (the data model's Example 2).
    renamed = merge(old, Resource({"service.name": "checkout"}))
    assert entities_of(renamed) == ()
    assert dict(renamed.attributes) == {"service.name": "checkout"}
