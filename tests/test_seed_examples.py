"""The three worked examples of the Resource data model, result for result.

Each runs three ways: through ``merge()``, through ``Resource.merge`` with the
flag on, and through the SDK's own ``Resource.create()`` path where it applies
(see test_resource_create.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from opentelemetry.sdk.resources import Resource

from otel_resource_identity import Entity, enable_entity_merge, entities_of, merge, resource_from_entities

Merge = Callable[[Resource, Resource], Resource]


def _merge_function(old: Resource, updating: Resource) -> Resource:
    return merge(old, updating)


def _flagged_sdk_merge(old: Resource, updating: Resource) -> Resource:
    enable_entity_merge()
    return old.merge(updating)


MERGES = pytest.mark.parametrize("merge_with", [_merge_function, _flagged_sdk_merge], ids=["merge()", "Resource.merge"])

HOST_H1 = Entity("host", {"host.id": "H1"}, {"host.name": "new-name"})
SERVICE = Entity("service", {"service.name": "my-svc"})
EXAMPLE_1_ATTRIBUTES = {"host.id": "H1", "host.name": "new-name", "service.name": "my-svc", "env": "prod"}


@MERGES
def test_example_1_entity_replaces_loose_attribute(merge_with: Merge) -> None:
    initial = Resource({"host.name": "old-name", "env": "prod"})
    incoming = resource_from_entities([HOST_H1, SERVICE])

    result = merge_with(initial, incoming)

    assert entities_of(result) == (HOST_H1, SERVICE)
    assert dict(result.attributes) == EXAMPLE_1_ATTRIBUTES
    # What is loose after the merge: just env.
    assert set(result.attributes) - HOST_H1.keys - SERVICE.keys == {"env"}


@MERGES
def test_example_2_loose_attribute_replaces_entity_attribute(merge_with: Merge) -> None:
    process = Entity("process", {"process.pid": 12345})
    initial = resource_from_entities([Entity("host", {"host.id": "H1"}, {"host.name": "detected-name"}), process])
    incoming = Resource({"host.id": "h2", "env": "prod"})

    result = merge_with(initial, incoming)

    assert entities_of(result) == (process,)
    assert dict(result.attributes) == {"process.pid": 12345, "host.id": "h2", "env": "prod"}
    assert "host.name" not in result.attributes


@MERGES
def test_example_3_identity_and_attribute_conflicts(merge_with: Merge) -> None:
    host_h1 = Entity("host", {"host.id": "H1"}, {"env": "prod"})
    initial = resource_from_entities([host_h1])
    # Entities to merge, by priority: a host with another identity, then a
    # service whose description claims env.
    incoming_host = Entity("host", {"host.id": "H2"})
    incoming_service = Entity("service", {"service.name": "S1"}, {"env": "dev"})
    incoming = resource_from_entities([incoming_host, incoming_service])
    assert entities_of(incoming) == (incoming_host, incoming_service)

    result = merge_with(initial, incoming)

    assert entities_of(result) == (host_h1,)
    assert dict(result.attributes) == {"host.id": "H1", "env": "prod"}


def test_example_1_as_entities_merged_into_a_resource() -> None:
    # The seed phrases Examples 1 and 3 as "entities to merge (by priority)"
    # into an initial resource; resource_from_entities is that operation.
    result = resource_from_entities([HOST_H1, SERVICE], attributes={"host.name": "old-name", "env": "prod"})
    assert entities_of(result) == (HOST_H1, SERVICE)
    assert dict(result.attributes) == EXAMPLE_1_ATTRIBUTES
