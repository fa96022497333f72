"""``EnvEntitiesDetector``: the entities named in ``OTEL_ENTITIES``."""

from __future__ import annotations

from opentelemetry.sdk.resources import Resource

from .._settings import ENTITIES
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
        return resource_from_entities(reversed(entities))
