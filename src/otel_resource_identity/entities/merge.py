"""The specification's entity-aware Resource merge.

The algorithm is the Resource data model's "Merging Entities into a Resource"
(OpenTelemetry specification, Resource data model), with the points the text
leaves open decided as docs/entities.md ("Entity merge") documents. The policy
is a pure function over :class:`ResourceParts`; :func:`merge` is the only place
that turns SDK resources into parts and back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from opentelemetry.sdk.resources import Resource

from .carrier import ResourceParts, build, entities_of, parts_of
from .model import Entity, same_value

_logger = logging.getLogger(__name__)

MergePolicy = Callable[[ResourceParts, ResourceParts], ResourceParts]


def _sdk_plain_merge() -> Callable[[Resource, Resource], Resource]:
    """The SDK's own ``Resource.merge``, even while the flag has replaced it."""
    current = Resource.__dict__["merge"]
    return getattr(current, "__wrapped__", current)  # type: ignore[no-any-return]


_PLAIN_MERGE = _sdk_plain_merge()


def merge_entity(existing: Entity, incoming: Entity, *, incoming_wins: bool = True) -> Entity | None:
    """The entity data model merge, or ``None`` when the two cannot merge.

    Two entities merge only when type, schema URL and identity (same keys, same
    typed values) are all equal; their descriptions are then united, the
    higher-priority side winning conflicting keys.
    """
    if existing.type != incoming.type or existing.schema_url != incoming.schema_url or existing.id != incoming.id:
        return None
    if incoming_wins:
        description = {**existing.description, **incoming.description}
    else:
        description = {**incoming.description, **existing.description}
    return Entity(existing.type, existing.id, description, existing.schema_url)


def merge_entities_into(base: ResourceParts, incoming: Sequence[Entity]) -> ResourceParts:
    """Merge ``incoming`` entities (highest priority first) into ``base``.

    Steps, as in the specification:

    1. An incoming entity whose type is already present is merged with that
       entity; when they cannot merge (other identity or schema URL) nothing
       changes and the incoming entity is dropped with its attributes.
       Otherwise the incoming entity is added.
    2. Flattening: when two entities claim the same attribute key, the
       lower-priority one is removed with all its attributes. Priority ranks
       the incoming entities' types first, in their order, then the types only
       ``base`` had, in its order.
    3. Loose attributes that a surviving entity owns are removed (the entity's
       value wins). Loose attributes are never removed for an entity that did
       not survive.
    """
    by_type: dict[str, Entity] = {entity.type: entity for entity in base.entities}
    added_here: set[str] = set()
    for entity in incoming:
        existing = by_type.get(entity.type)
        if existing is None:
            by_type[entity.type] = entity
            added_here.add(entity.type)
            continue
        # Within one batch the earlier entity has the higher priority.
        merged = merge_entity(existing, entity, incoming_wins=entity.type not in added_here)
        if merged is None:
            _logger.debug(
                "entity merge: kept the existing %r entity; the incoming one has another identity or schema URL",
                entity.type,
            )
        else:
            by_type[entity.type] = merged

    ranking = list(dict.fromkeys([entity.type for entity in incoming] + [entity.type for entity in base.entities]))
    kept: list[Entity] = []
    claimed: set[str] = set()
    for entity_type in ranking:
        entity = by_type[entity_type]
        clash = entity.keys & claimed
        if clash:
            _logger.debug(
                "entity merge: dropped the %r entity; a higher-priority entity owns %s", entity_type, sorted(clash)
            )
            continue
        kept.append(entity)
        claimed |= entity.keys

    loose = {key: value for key, value in base.loose.items() if key not in claimed}
    return ResourceParts(tuple(kept), loose, resource_schema_url(kept, base.schema_url, ""))


def resource_schema_url(entities: Sequence[Entity], old: str, updating: str) -> str:
    """The merged resource's schema URL.

    The entities' common schema URL when they name one (an entity without a
    schema URL takes no side); empty when they disagree. When no entity names
    one, the Resource SDK's rule over the two resources' schema URLs applies,
    except that a conflict yields an empty schema URL and keeps every
    attribute instead of dropping the updating resource.
    """
    named = {entity.schema_url for entity in entities if entity.schema_url}
    if len(named) == 1:
        return named.pop()
    if named:
        return ""
    if not old or old == updating:
        return updating
    if not updating:
        return old
    _logger.warning(
        "Resource merge: schema URLs %s and %s disagree; kept every attribute and left the schema URL empty",
        old,
        updating,
    )
    return ""


def spec_merge(old: ResourceParts, updating: ResourceParts) -> ResourceParts:
    """The default policy: the specification's entity-aware merge.

    The updating resource has the higher priority. Its loose attributes come
    first of all: an old entity one of whose attributes they give another value
    is removed with all its attributes (the specification's Example 2). A loose
    attribute that repeats an entity's value is no conflict: the entity stays
    (a user who sets ``OTEL_SERVICE_NAME`` to the detected service's name keeps
    its version and instance). Then the updating entities are merged in
    (:func:`merge_entities_into`), and the updating loose attributes are laid
    over the old ones, except where a surviving entity owns the key.
    """
    loose_update = updating.loose
    updating_keys = set(loose_update)
    survivors = []
    repeated: list[str] = []  # keys an old entity keeps, the user's loose value being its own
    for entity in old.entities:
        hit = entity.keys & updating_keys
        if not hit:
            survivors.append(entity)
            continue
        contradicted = sorted(
            key for key in hit if not same_value(loose_update[key], entity.id.get(key, entity.description.get(key)))
        )
        if contradicted:
            _logger.debug(
                "entity merge: dropped the %r entity; the updating resource sets %s", entity.type, contradicted
            )
        else:
            survivors.append(entity)
            repeated.extend(hit)
    merged = merge_entities_into(ResourceParts(tuple(survivors), old.loose, old.schema_url), updating.entities)
    loose: dict[str, object] = {**merged.loose, **loose_update}
    if repeated:
        owned = {key for entity in merged.entities for key in entity.keys}
        for key in repeated:
            if key in owned:
                del loose[key]
    schema_url = resource_schema_url(merged.entities, old.schema_url, updating.schema_url)
    return ResourceParts(merged.entities, loose, schema_url)


def merge(old: Resource, updating: Resource, *, policy: MergePolicy = spec_merge) -> Resource:
    """Merge ``updating`` into ``old``: entity-aware when either carries entities.

    When neither side carries entities this is exactly the SDK's
    ``Resource.merge``. Works whether or not the process-wide flag is on.
    """
    if not entities_of(old) and not entities_of(updating):
        return _PLAIN_MERGE(old, updating)
    return build(policy(parts_of(old), parts_of(updating)))
