"""The entity value: what one observer says identifies one thing.

An entity has a type, identifying attributes (``id``) and descriptive attributes
(``description``), and the schema URL its attribute names follow. It is immutable
and hashable, so it can sit in sets and be compared by value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import TypeAlias

# The attribute values a resource may carry: primitives and homogeneous arrays
# of primitives. Arrays are stored as tuples so an entity stays hashable, which
# is also what the SDK's immutable attribute maps do with lists.
Primitive: TypeAlias = str | bool | int | float
EntityValue: TypeAlias = Primitive | tuple[Primitive, ...]


class FrozenInstanceError(AttributeError):
    """Assigning to a field of an entity (entities are immutable values)."""


# The entity type grammar of the specification (also used by OTEL_ENTITIES).
TYPE_PATTERN = re.compile(r"[a-zA-Z][a-zA-Z0-9._-]*")


def _normalise_value(key: str, value: object) -> EntityValue:
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        items: tuple[object, ...] = tuple(value)
        kinds = {type(item) for item in items}
        if not kinds:
            return ()
        if len(kinds) == 1 and next(iter(kinds)) in (str, bool, int, float):
            return tuple(item for item in items if isinstance(item, (str, bool, int, float)))
        kind_names = sorted(kind.__name__ for kind in kinds)
        raise TypeError(f"attribute {key!r}: an array must hold values of one primitive type, got {kind_names}")
    raise TypeError(
        f"attribute {key!r}: {type(value).__name__} is not an attribute value "
        "(use str, bool, int, float, or a list of one of those)"
    )


class AttributeMap(Mapping[str, EntityValue]):
    """A read-only, hashable attribute mapping that keeps insertion order."""

    __slots__ = ("_hash", "_items")

    def __init__(self, attributes: Mapping[str, object] | None = None) -> None:
        items: dict[str, EntityValue] = {}
        for key, value in (attributes or {}).items():
            if not isinstance(key, str) or not key:
                raise TypeError(f"attribute keys must be non-empty strings, got {key!r}")
            items[key] = _normalise_value(key, value)
        self._items = items
        self._hash: int | None = None

    def __getitem__(self, key: str) -> EntityValue:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    # The dict's own views: the Mapping defaults go through __getitem__ per key.
    def keys(self) -> KeysView[str]:
        return self._items.keys()

    def items(self) -> ItemsView[str, EntityValue]:
        return self._items.items()

    def values(self) -> ValuesView[EntityValue]:
        return self._items.values()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __hash__(self) -> int:
        if self._hash is None:
            # Order-independent, like equality of mappings. ``type`` keeps
            # ``1`` and ``True`` apart, which dict equality does not.
            self._hash = hash(frozenset((k, type(v), v) for k, v in self._items.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        if len(self) != len(other):
            return False
        # Typed comparison: the attribute value 1 is not the value True.
        return all(key in other and same_value(value, other[key]) for key, value in self._items.items())

    def __repr__(self) -> str:
        return repr(self._items)


def same_value(left: object, right: object) -> bool:
    """Typed equality of attribute values: ``1``, ``1.0``, ``True`` and ``"1"`` differ; arrays compare in order."""
    if isinstance(left, tuple) and isinstance(right, (tuple, list)):
        return len(left) == len(right) and all(same_value(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and left == right


class Entity:
    """One entity: ``type``, identifying ``id`` and descriptive ``description``.

    ``id`` must hold at least one attribute; ``id`` and ``description`` must not
    share a key. Values are attribute values (str, bool, int, float, or a list of
    one of those). Raises ``ValueError`` or ``TypeError`` when that is not so.
    """

    # A plain class with slots, not a dataclass: creating dataclasses costs start-up time, and an
    # entity is built for every detector's result. Frozen all the same.
    __slots__ = ("_attributes", "_keys", "description", "id", "schema_url", "type")

    type: str
    id: AttributeMap
    description: AttributeMap
    schema_url: str
    # Derived once: merges ask for them over and over.
    _keys: frozenset[str]
    _attributes: Mapping[str, EntityValue]

    def __init__(
        self,
        type: str,  # noqa: A002 - the field is called ``type`` in the data model
        id: Mapping[str, object],  # noqa: A002 - the field is called ``id`` in the data model
        description: Mapping[str, object] | None = None,
        schema_url: str = "",
    ) -> None:
        if not isinstance(type, str) or not TYPE_PATTERN.fullmatch(type):
            raise ValueError(f"entity type {type!r} must match {TYPE_PATTERN.pattern}")
        identity = AttributeMap(id)
        if not identity:
            raise ValueError(f"entity {type!r} needs at least one identifying attribute")
        details = AttributeMap(description)
        shared = sorted(set(identity) & set(details))
        if shared:
            raise ValueError(f"entity {type!r}: {shared} cannot be both identifying and descriptive")
        if not isinstance(schema_url, str):
            raise TypeError(f"entity {type!r}: schema_url must be a string")
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "id", identity)
        object.__setattr__(self, "description", details)
        object.__setattr__(self, "schema_url", schema_url)
        object.__setattr__(self, "_keys", frozenset(identity.keys()) | frozenset(details.keys()))
        object.__setattr__(self, "_attributes", {**identity._items, **details._items})

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _fields(self) -> tuple[str, AttributeMap, AttributeMap, str]:
        return (self.type, self.id, self.description, self.schema_url)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Entity(type={self.type!r}, id={self.id!r}, description={self.description!r}, "
            f"schema_url={self.schema_url!r})"
        )

    def __reduce__(self) -> tuple[Callable[..., Entity], tuple[str, AttributeMap, AttributeMap, str]]:
        return (Entity, self._fields())

    @property
    def keys(self) -> frozenset[str]:
        """Every attribute key this entity owns, identifying and descriptive."""
        return self._keys

    def attributes(self) -> dict[str, EntityValue]:
        """The entity's attributes as they appear on a resource, id first."""
        return dict(self._attributes)
