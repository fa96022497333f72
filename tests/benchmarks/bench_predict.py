"""``predict`` on a 20-attribute resource against a plain SHA-256 of its sorted JSON.

The baseline is the least any id needs: serialise the attributes canonically
and hash them once. ``predict`` also finds the rule, builds the key, hashes
twice (id and hash) and renders name and type. Three resources: one decided
by the first Kubernetes rule, one that falls through every rule to the
service triplet, and one that reaches identity.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from otel_resource_identity import predict

from harness import CaseResult, compare

BASE = {
    "service.name": "checkout",
    "service.version": "2.4.1",
    "service.instance.id": "3c1e9f2a-0b4d-4c6e-8f1a-2b3c4d5e6f70",
    "deployment.environment.name": "prod",
    "telemetry.sdk.language": "python",
    "telemetry.sdk.name": "opentelemetry",
    "telemetry.sdk.version": "1.45.2",
    "process.pid": 1,
    "process.runtime.name": "cpython",
    "process.runtime.version": "3.13.0",
    "os.type": "linux",
    "os.description": "Debian GNU/Linux 12 (bookworm)",
    "cloud.provider": "aws",
    "cloud.region": "eu-west-1",
    "cloud.account.id": "123456789012",
    "team": "payments",
}
POD = {
    **BASE,
    "k8s.pod.uid": "f57400dc-94ce-4806-a52e-d2726f448f15",
    "k8s.pod.name": "checkout-7d9c5b8f6d-x2k4p",
    "k8s.namespace.name": "shop",
    "k8s.node.name": "ip-10-0-12-34",
}
SERVICE = {**BASE, "app.tier": "web", "app.region": "eu", "app.shard": 7, "app.canary": False}
IDENTITY = {key: value for key, value in SERVICE.items() if key != "service.instance.id"} | {"app.extra": 1.5}


def _sha256(attributes: dict[str, object]) -> Callable[[], object]:
    return lambda: hashlib.sha256(json.dumps(attributes, sort_keys=True).encode()).digest()


def cases() -> dict[str, Callable[[], object]]:
    assert len(POD) == len(SERVICE) == len(IDENTITY) == 20
    assert predict(POD).rule == "k8s.pod.uid"
    assert predict(SERVICE).rule == "service"
    assert predict(IDENTITY).rule == "identity"
    return {
        "sha256 of sorted JSON (baseline)": _sha256(POD),
        "predict: pod (first Kubernetes rule)": lambda: predict(POD),
        "predict: service triplet (every rule tried)": lambda: predict(SERVICE),
        "predict: identity (no rule matches)": lambda: predict(IDENTITY),
    }


def run(rounds: int, number: int) -> list[CaseResult]:
    return compare(cases(), baseline="sha256 of sorted JSON (baseline)", rounds=rounds, number=number)
