from __future__ import annotations

import pytest

from otel_resource_identity import Entity


def test_entity_is_a_frozen_hashable_value() -> None:
    one = Entity("host", {"host.id": "H1"}, {"host.name": "a"}, "https://opentelemetry.io/schemas/1.44.0")
    same = Entity("host", {"host.id": "H1"}, {"host.name": "a"}, "https://opentelemetry.io/schemas/1.44.0")
    assert one == same
    assert hash(one) == hash(same)
    assert len({one, same}) == 1
    with pytest.raises(AttributeError):
        one.type = "other"
    with pytest.raises(TypeError):
        one.id["host.id"] = "H2"  # type: ignore[index]


def test_entity_copies_its_inputs() -> None:
    identity = {"host.id": "H1"}
    entity = Entity("host", identity)
    identity["host.id"] = "changed"
    assert entity.id == {"host.id": "H1"}


def test_description_defaults_to_empty_and_keys_cover_both_maps() -> None:
    entity = Entity("service", {"service.name": "s"}, {"service.version": "1"})
    assert Entity("service", {"service.name": "s"}).description == {}
    assert entity.keys == {"service.name", "service.version"}
    assert entity.attributes() == {"service.name": "s", "service.version": "1"}


def test_values_are_typed() -> None:
    # 1, 1.0, True and "1" are four different attribute values.
    entities = {Entity("t", {"k": value}) for value in (1, 1.0, True, "1")}
    assert len(entities) == 4
    assert Entity("t", {"k": 1}) != Entity("t", {"k": True})


def test_arrays_become_tuples_and_compare_in_order() -> None:
    entity = Entity("t", {"k": ["a", "b"]})
    assert entity.id["k"] == ("a", "b")
    assert entity == Entity("t", {"k": ("a", "b")})
    assert entity != Entity("t", {"k": ["b", "a"]})
    assert Entity("t", {"k": []}).id["k"] == ()


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (("", {"k": "v"}), ValueError, "must match"),
        (("9host", {"k": "v"}), ValueError, "must match"),
        (("host", {}), ValueError, "at least one identifying attribute"),
        (("host", {"k": "v"}, {"k": "w"}), ValueError, "both identifying and descriptive"),
        (("host", {"k": None}), TypeError, "not an attribute value"),
        (("host", {"k": {"nested": 1}}), TypeError, "not an attribute value"),
        (("host", {"k": [1, "a"]}), TypeError, "one primitive type"),
        (("host", {"k": [1, True]}), TypeError, "one primitive type"),
        (("host", {"": "v"}), TypeError, "non-empty strings"),
    ],
)
def test_invalid_entities_say_what_to_fix(arguments: tuple[object, ...], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        Entity(*arguments)  # type: ignore[arg-type]


def test_schema_url_must_be_text() -> None:
    with pytest.raises(TypeError, match="schema_url"):
        Entity("host", {"k": "v"}, None, None)  # type: ignore[arg-type]


def test_attribute_map_compares_with_plain_mappings() -> None:
    entity = Entity("t", {"a": 1, "b": "x"})
    assert entity.id == {"b": "x", "a": 1}
    assert entity.id != {"a": 1}
    assert entity.id != {"a": 1, "c": "x"}
    assert entity.id.__eq__(["a", "b"]) is NotImplemented
    assert repr(entity.id) == "{'a': 1, 'b': 'x'}"
