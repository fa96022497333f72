"""Resources that carry entities, and the way in and out of them.

The carrier (``carrier``: the Resource subclass, ``entities_of``, a resource
taken apart and built again) is re-exported here; :func:`resource_from_entities`
builds one with the specification's merge (``merge``), loaded only when first
needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from opentelemetry.sdk.resources import Resource

from .carrier import ResourceParts, build, entities_of, entity_to_dict, parts_of
from .model import Entity

__all__ = ["ResourceParts", "build", "entities_of", "entity_to_dict", "parts_of", "resource_from_entities"]


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
    # Imported here: the merge policy loads only when a resource with entities is first built.
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
