"""Write the golden vectors: ``python tests/golden/generate.py``.

Run it only when the encoding or a rule changes on purpose (and bump the
encoding version when ids change); the tests check the file against the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from otel_resource_identity import predict  # noqa: E402
from otel_resource_identity.identity import encoding  # noqa: E402

from test_identity_rules import CASES  # noqa: E402

EXTRA: list[tuple[str, dict[str, object]]] = [
    ("dash0-2026-04", {}),
    ("dash0-2026-04", {"service.name": "s"}),
    ("dash0-2026-04", {"service.name": "s", "service.instance.id": 1}),
    ("dash0-2026-04", {"service.name": "s", "service.instance.id": 1.0}),
    ("dash0-2026-04", {"service.name": "s", "service.instance.id": True}),
    ("dash0-2026-04", {"service.name": "s", "service.instance.id": "1"}),
    ("dash0-2026-04", {"service.name": "s", "service.instance.id": -0.0, "big": 2**70, "neg": -(2**63)}),
    ("dash0-2026-04", {"host.name": "café-☕", "tags": ["a", "b"], "empty": [], "n": [1, 2]}),
    ("dash0-2026-04", {"k8s.pod.uid": "u", "dash0.resource.name": "mine", "dash0.resource.type": "custom"}),
    # A node by name and uid is keyed by its name (the uid only after the name).
    ("dash0-2026-04", {"k8s.node.name": "test-node-1", "k8s.node.uid": "test-node-1-uid"}),
    ("dash0-2026-05", {"k8s.node.name": "test-node-1", "k8s.node.uid": "test-node-1-uid"}),
    ("dash0-2026-04", {"k8s.node.uid": "test-node-1-uid"}),
    # A run id sent as an integer is the same run as its decimal text; an unnamed pipeline is one name.
    ("dash0-2026-04", {"cicd.pipeline.name": "CI", "cicd.pipeline.run.id": 42}),
    ("dash0-2026-04", {"cicd.pipeline.name": "", "cicd.pipeline.run.id": 1402758311}),
    ("dash0-2026-04", {"cicd.pipeline.run.id": "1402758311"}),
]


def vectors() -> list[dict[str, object]]:
    inputs = [(ruleset, case[0]) for ruleset, cases in CASES.items() for case in cases.values()]
    inputs += [(ruleset, case[3]) for ruleset, cases in CASES.items() for case in cases.values()]
    found: list[dict[str, object]] = []
    for ruleset, attributes in inputs + EXTRA:
        identity = predict(attributes, ruleset=ruleset)
        found.append(
            {
                "ruleset": ruleset,
                "attributes": attributes,
                "id": identity.id,
                "hash": identity.hash,
                "name": identity.name,
                "type": identity.type,
                "rule": identity.rule,
                "id_input_hex": encoding.id_input(identity.rule, identity.key).hex(),
            }
        )
    return found


def write(path: Path) -> None:
    document = {
        "version": 1,
        "about": "attributes -> predicted identity; id_input_hex is the exact input whose SHA-256 gives the id",
        "vectors": vectors(),
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(HERE / "identity-v1.json")
