"""Lambda SnapStart: each execution environment restored from one snapshot gets its own identity.

The function runs under ``opentelemetry-instrument`` with the environment Lambda sets for a
SnapStart function, exporting OTLP to a receiver on 127.0.0.1. Lambda's runtime calls the hooks
registered with AWS's ``snapshot_restore_py`` module after each restore, in the restored process:
the script does what the runtime does (``get_after_restore()``, each hook with its arguments),
twice, as two environments restored from the same memory would.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from conftest import OLD_SDK, clean_environment, run_instrumented
from otlp_receiver import otlp_receiver
from platforms import load_env

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.timeout(120),
    pytest.mark.skipif(OLD_SDK, reason="an SDK provider updates its resource from 1.44 on (older: one warning)"),
]
pytest.importorskip("snapshot_restore_py", reason="snapshot-restore-py is a test extra")

FUNCTION = """
import snapshot_restore_py
from opentelemetry import trace

def handler(event, context):
    with trace.get_tracer("snapstart").start_as_current_span(event):
        pass

handler("init", None)  # before the snapshot
for _ in range(2):  # two execution environments restored from that memory, as Lambda's runtime does it
    for hook, args, kwargs in snapshot_restore_py.get_after_restore():
        hook(*args, **kwargs)
    handler("restored", None)
"""


def _lambda(**variables: str) -> dict[str, str]:
    environ = load_env("lambda/env-lambda-python-zip.env")
    for name in ("AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_LOG_GROUP_NAME"):
        environ.pop(name)  # not set while a SnapStart function initialises
    return {**environ, "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start", **variables}


@pytest.mark.parametrize("user_set", [False, True], ids=["SDK instance id", "user's instance id"])
def test_each_restored_environment_has_its_own_instance(user_set: bool, tmp_path: Path) -> None:
    script = tmp_path / "function.py"
    script.write_text(FUNCTION, encoding="utf-8")
    extra = {"OTEL_RESOURCE_ATTRIBUTES": "service.instance.id=fixed-by-user"} if user_set else {}
    with otlp_receiver() as receiver:
        env = clean_environment(
            **_lambda(**extra),
            **receiver.exporting_here(),
            OTEL_EXPERIMENTAL_RESOURCE_DETECTORS="resource_identity",
        )
        run_instrumented(script, env)
    spans = receiver.spans()
    assert len(spans) == 3
    instances = [resource["service.instance.id"] for resource, _ in spans]
    assert {resource["faas.name"] for resource, _ in spans} == {"checkout-handler"}
    if user_set:
        assert set(instances) == {"fixed-by-user"}  # the user's value is never replaced
        return
    assert len(set(instances)) == 3, "restored environments share the snapshot's identity"
    for instance in instances:
        uuid.UUID(str(instance))
    # Every span is stamped with the identity predicted for its own resource.
    assert all("dash0.resource.id" in attributes for _, attributes in spans)
