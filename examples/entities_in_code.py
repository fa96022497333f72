"""Entities in code: build resources from entities and merge them the entity-aware way.

Shows: the SDK's plain merge next to the entity-aware merge of the same two
resources, and a provider built with the result. Needs: nothing else running.
Run it: ``python examples/entities_in_code.py``.
"""

from __future__ import annotations

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

from otel_resource_identity import (
    Entity,
    disable_entity_merge,
    enable_entity_merge,
    entities_of,
    merge,
    resource_from_entities,
)


def main() -> None:
    detected = resource_from_entities(
        [
            Entity("host", {"host.id": "i-0abc"}, {"host.name": "web-1"}),
            Entity("service", {"service.name": "shop"}),
        ]
    )
    user = Resource({"host.id": "my-host", "deployment.environment.name": "prod"})

    print("SDK plain merge:   ", dict(detected.merge(user).attributes))
    merged = merge(detected, user)
    print("entity-aware merge:", dict(merged.attributes))
    print("entities:          ", [entity.type for entity in entities_of(merged)])

    # With the flag on, every Resource.merge in the process is entity-aware,
    # and providers take such a resource like any other.
    enable_entity_merge()
    try:
        provider = TracerProvider(resource=detected.merge(user))
        print("provider resource: ", dict(provider.resource.attributes))
    finally:
        disable_entity_merge()


if __name__ == "__main__":
    main()
