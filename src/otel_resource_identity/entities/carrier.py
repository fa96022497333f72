"""The carrier: a Resource that holds entities, and a resource taken apart.

A resource that carries entities is an ``opentelemetry.sdk.resources.Resource``
in every respect: its ``attributes`` hold every attribute, the entities' ones
included (flattened), so exporters and processors work unchanged. The entities
ride along privately and are read with :func:`entities_of`. The merge policy
(``merge``) and the way in (``resource``) build on this module; it imports
neither, so the three form no import circle.
"""

from __future__ import annotations

from collections.abc import Mapping
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
