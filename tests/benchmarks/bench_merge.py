"""The entity-aware merge against the SDK's plain merge, on resources of realistic size.

The resources are what a Kubernetes pod running a Python service reports: about
thirty attributes in seven entities, merged with the user's handful of
``OTEL_RESOURCE_ATTRIBUTES`` (the last merge of ``Resource.create()``), and two
detectors' results merged with each other.
"""

from __future__ import annotations

from collections.abc import Callable

from opentelemetry.sdk.resources import Resource

from otel_resource_identity import Entity, disable_entity_merge, enable_entity_merge, resource_from_entities

from harness import CaseResult, compare

SCHEMA = "https://opentelemetry.io/schemas/1.44.0"

POD = [
    Entity(
        "k8s.pod",
        {"k8s.pod.uid": "1f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
        {"k8s.pod.name": "checkout-7d9f8b6c5d-x2x4z", "k8s.pod.label.app": "checkout"},
        SCHEMA,
    ),
    Entity("k8s.namespace", {"k8s.namespace.name": "shop"}, None, SCHEMA),
    Entity("k8s.node", {"k8s.node.uid": "9a8b7c6d-5e4f-3a2b-1c0d-ffeeddccbbaa"}, {"k8s.node.name": "node-3"}, SCHEMA),
    Entity("k8s.deployment", {"k8s.deployment.uid": "0a1b2c3d"}, {"k8s.deployment.name": "checkout"}, SCHEMA),
    Entity("container", {"container.id": "3f" * 32}, {"container.runtime.name": "containerd"}, SCHEMA),
    Entity("k8s.container", {"k8s.container.name": "app"}, None, SCHEMA),
    Entity(
        "host",
        {"host.id": "i-0abc123def4567890"},
        {"host.name": "ip-10-0-3-17.ec2.internal", "host.arch": "amd64", "host.type": "m5.large"},
        SCHEMA,
    ),
]
LOOSE = {
    "cloud.provider": "aws",
    "cloud.platform": "aws_eks",
    "cloud.region": "eu-west-1",
    "cloud.account.id": "123456789012",
    "cloud.availability_zone": "eu-west-1a",
    "k8s.cluster.name": "prod-eu",
    "os.type": "linux",
    "os.name": "Debian GNU/Linux",
    "os.version": "12",
    "os.description": "Debian GNU/Linux 12 (bookworm)",
    "telemetry.sdk.language": "python",
    "telemetry.sdk.name": "opentelemetry",
    "telemetry.sdk.version": "1.45.2",
    "process.pid": 1,
    "process.runtime.name": "cpython",
}
USER = {"service.name": "checkout", "deployment.environment.name": "prod", "service.version": "2.4.1"}
SERVICE = [Entity("service", {"service.name": "checkout"}, {"service.version": "2.4.1"})]


def cases() -> dict[str, Callable[[], object]]:
    with_entities = resource_from_entities(POD, LOOSE, SCHEMA)
    plain = Resource(dict(with_entities.attributes), SCHEMA)
    user = Resource(USER)
    service = resource_from_entities(SERVICE)

    def sdk_plain() -> object:
        disable_entity_merge()
        return plain.merge(user)

    def flag_on_plain() -> object:
        enable_entity_merge()
        return plain.merge(user)

    def flag_on_entities_and_user() -> object:
        enable_entity_merge()
        return with_entities.merge(user)

    def flag_on_entities_and_entities() -> object:
        enable_entity_merge()
        return with_entities.merge(service)

    return {
        "SDK plain merge (30 attributes + 3 user attributes)": sdk_plain,
        "flag on, neither side carries entities": flag_on_plain,
        "flag on, 7 entities + 3 user attributes": flag_on_entities_and_user,
        "flag on, 7 entities + 1 entity": flag_on_entities_and_entities,
    }


def run(rounds: int, number: int) -> list[CaseResult]:
    try:
        return compare(
            cases(), baseline="SDK plain merge (30 attributes + 3 user attributes)", rounds=rounds, number=number
        )
    finally:
        disable_entity_merge()
