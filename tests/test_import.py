"""Importing the package does nothing: no I/O, no threads, no environment, no patches."""

from __future__ import annotations

import json

import pytest

import otel_resource_identity

from conftest import clean_environment, run_python

PROBE = """
import json, os, sys, threading

class Watched(dict):
    reads = []
    def __getitem__(self, key):
        Watched.reads.append(key); return super().__getitem__(key)
    def get(self, key, default=None):
        Watched.reads.append(key); return super().get(key, default)
    def __contains__(self, key):
        Watched.reads.append(key); return super().__contains__(key)

watched = Watched(os.environ)
os.environ = watched
opened = []
audit = lambda event, args: opened.append(str(args[0])) if event == "open" else None
sys.addaudithook(audit)
before_modules = set(sys.modules)
import otel_resource_identity
names = otel_resource_identity.__all__
os.environ = watched.copy()
print(json.dumps({
    "threads": threading.active_count(),
    "env_reads": [k for k in Watched.reads if k.startswith(("OTEL", "RESOURCE"))],
    "opened": [p for p in opened if not p.endswith((".py", ".pyc", "__pycache__", "otel_resource_identity"))],
    "loaded": sorted(m for m in set(sys.modules) - before_modules if m.startswith("opentelemetry")),
    "names": names,
}))
"""


@pytest.mark.subprocess
def test_import_is_inert() -> None:
    document = json.loads(
        run_python(PROBE, clean_environment(OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true", OTEL_ENTITIES="a{b=c}")).stdout
    )
    assert document["threads"] == 1
    assert document["env_reads"] == []
    assert document["opened"] == []
    # Nothing of the SDK is loaded until a name is used.
    assert document["loaded"] == []
    assert "Entity" in document["names"]


@pytest.mark.subprocess
def test_import_does_not_patch_the_sdk() -> None:
    code = (
        "from opentelemetry.sdk.resources import Resource\n"
        "before = Resource.__dict__['merge']\n"
        "import otel_resource_identity as o\n"
        "o.Entity, o.merge, o.entity_merge_enabled, o.EnvEntitiesDetector\n"
        "assert Resource.__dict__['merge'] is before\n"
        "assert not o.entity_merge_enabled()\n"
    )
    run_python(code, clean_environment(OTEL_EXPERIMENTAL_ENTITIES_ENABLED="true"))


def test_public_names_resolve_and_unknown_names_raise() -> None:
    for name in otel_resource_identity.__all__:
        assert getattr(otel_resource_identity, name) is not None
    assert set(otel_resource_identity.__all__) <= set(dir(otel_resource_identity))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = otel_resource_identity.nope
