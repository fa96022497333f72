"""Resources that carry entities, and the way in and out of them.

A resource that carries entities is an ``opentelemetry.sdk.resources.Resource``
in every respect: its ``attributes`` hold every attribute, the entities' ones
included (flattened), so exporters and processors work unchanged. The entities
ride along privately and are read with :func:`entities_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from json import dumps
from typing import Any, NamedTuple

from opentelemetry.sdk.resources import Resource

from .model import Entity


class _EntityResource(Resource):
    """A Resource plus its entities, highest priority first.

    Kept private: users build one with :func:`resource_from_entities` and read
    it with :func:`entities_of`, so the carrier can change without notice.
    """

    _entities: tuple[Entity, ...]

    def __init__(self, attributes: Mapping[str, Any], schema_url: str | None, entities: tuple[Entity, ...]) -> None:
        super().__init__(attributes, schema_url)
        self._entities = entities

    # Two resources are the same only if they carry the same entities too
    # (entities.md, point 5). A plain Resource carries none.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Resource):
            return False
        return Resource.__eq__(self, other) and entities_of(other) == self._entities

    def __hash__(self) -> int:
        return hash((Resource.__hash__(self), self._entities))

    def to_json(self, indent: int | None = 4) -> str:
        document = {
            "attributes": dict(self.attributes),
            "schema_url": self.schema_url,
            "entities": [entity_to_dict(entity) for entity in self._entities],
        }
        return dumps(document, indent=indent, default=str)

    def __repr__(self) -> str:
        return (
            f"Resource(attributes={dict(self.attributes)!r}, schema_url={self.schema_url!r}, "
            f"entities={self._entities!r})"
        )


def entity_to_dict(entity: Entity) -> dict[str, object]:
    """A JSON-ready view of an entity (used by ``to_json`` and the CLI)."""
    return {
        "type": entity.type,
        "id": dict(entity.id),
        "description": dict(entity.description),
        "schema_url": entity.schema_url,
    }


def entities_of(resource: Resource) -> tuple[Entity, ...]:
    """The entities ``resource`` carries, highest priority first (none for a plain Resource)."""
    if isinstance(resource, _EntityResource):
        return resource._entities
    return ()


class ResourceParts(NamedTuple):
    """A resource taken apart: entities (priority order), loose attributes, schema URL.

    Loose attributes are those no entity owns. This is the shape the merge
    policy works on; it never sees SDK objects.
    """

    entities: tuple[Entity, ...]
    loose: Mapping[str, Any]
    schema_url: str


def parts_of(resource: Resource) -> ResourceParts:
    entities = entities_of(resource)
    owned: set[str] = set()
    for entity in entities:
        owned |= entity.keys
    loose = {key: value for key, value in resource.attributes.items() if key not in owned}
    return ResourceParts(entities, loose, resource.schema_url)


def build(parts: ResourceParts) -> Resource:
    """The Resource for ``parts``: flattened attributes, entities alongside.

    With no entity left the result is a plain SDK Resource, so nothing downstream
    can tell it from one the SDK built.
    """
    if not parts.entities:
        return Resource(dict(parts.loose), parts.schema_url)
    attributes: dict[str, Any] = {}
    for entity in parts.entities:
        attributes.update(entity.attributes())
    attributes.update(parts.loose)
    return _EntityResource(attributes, parts.schema_url, parts.entities)


def resource_from_entities(
    entities: Iterable[Entity],
    attributes: Mapping[str, object] | None = None,
    schema_url: str | None = None,
) -> Resource:
    """A Resource that carries ``entities`` (highest priority first) and loose ``attributes``.

    The entities are merged in with the specification's algorithm, so the result
    is always consistent: of two entities of one type the first wins (or they
    merge when their identities agree), of two entities that claim one key the
    lower-priority one is dropped, and an entity's attribute replaces a loose
    attribute of the same key. ``schema_url`` defaults to the entities' common
    schema URL (empty when they disagree).
    """
    # Imported here because the merge module builds on this one.
    from .merge import merge_entities_into  # noqa: PLC0415

    entity_list = tuple(entities)
    for entity in entity_list:
        if not isinstance(entity, Entity):
            raise TypeError(f"resource_from_entities() takes Entity values, got {type(entity).__name__}")
    base = ResourceParts((), dict(attributes or {}), "")
    merged = merge_entities_into(base, entity_list)
    if schema_url is not None:
        merged = ResourceParts(merged.entities, merged.loose, schema_url)
    return build(merged)
