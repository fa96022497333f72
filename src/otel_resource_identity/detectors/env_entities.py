"""``EnvEntitiesDetector``: the entities named in ``OTEL_ENTITIES``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from opentelemetry.sdk.resources import Resource

from .._settings import ENTITIES, warn_once
from ..entities.model import Entity, same_value
from ..entities.propagation import parse_entities
from ..entities.resource import resource_from_entities
from . import _signals
from ._base import BaseDetector


class EnvEntitiesDetector(BaseDetector):
    """The specification's ``EnvEntityDetector``: entities from ``OTEL_ENTITIES``.

    Runs after the platform detectors and before ``OTEL_RESOURCE_ATTRIBUTES`` and
    ``OTEL_SERVICE_NAME``, which win: name it after this package's platform
    detectors in ``OTEL_EXPERIMENTAL_RESOURCE_DETECTORS``. An entity given later
    in the variable has the higher priority.
    """

    def applies(self) -> bool:
        return _signals.otel_entities(self.environ, self.root)

    def detect(self) -> Resource:
        entities = parse_entities(ENTITIES.read(self.environ))
        if not entities:
            return Resource.get_empty()
        if self.environ.get("OTEL_SERVICE_NAME") or self.environ.get("OTEL_RESOURCE_ATTRIBUTES"):
            _said_otherwise(entities, self.environ)
        return resource_from_entities(reversed(entities))


def _said_otherwise(entities: Sequence[Entity], environ: Mapping[str, str]) -> None:
    """One warning for each entity that the user's own variables contradict: the variables win, and
    with the entity flag on the entity goes whole, its other attributes with it (docs/entities.md,
    "When you set both"). Keys are named, values never."""
    from ._user import user_attributes  # noqa: PLC0415 - only when the user set something

    user = user_attributes(environ)
    for entity in entities:
        contradicted = sorted(
            key for key in entity.keys if key in user and not same_value(user[key], entity_value(entity, key))
        )
        if contradicted:
            dropped = sorted(entity.keys - set(contradicted))
            warn_once(
                ("entities", f"{entity.type} {contradicted}"),
                "OTEL_ENTITIES: the %s entity gives %s another value than %s; the variable wins%s "
                "(docs/entities.md, 'When you set both')",
                entity.type,
                ", ".join(contradicted),
                "OTEL_SERVICE_NAME"
                if contradicted == ["service.name"] and environ.get("OTEL_SERVICE_NAME")
                else "OTEL_RESOURCE_ATTRIBUTES",
                f", and with the entity flag on the entity is dropped with {', '.join(dropped)}" if dropped else "",
            )


def entity_value(entity: Entity, key: str) -> object:
    return entity.id[key] if key in entity.id else entity.description.get(key)
