"""Entities on the wire: OTLP ``Resource.entity_refs`` from the Python OTLP exporters.

OTLP carries entities since proto 1.7 as ``EntityRef{schema_url, type,
id_keys, description_keys}``, each naming keys of ``Resource.attributes``. The
Python exporters (HTTP and gRPC share one encoder package) write attributes
only. While the entity flag is on, this module wraps two functions of that
encoder: ``_encode_resource`` (used for spans and logs) and ``encode_metrics``
(which builds its resources itself), so that every resource carrying entities
also carries one reference per entity. With the flag off nothing is wrapped
and the bytes are the SDK's.

Both are functions of ``opentelemetry-exporter-otlp-proto-common`` (tested from
1.42 to the newest release). If one is not where it is expected, the proto has
no ``entity_refs``, or a wrapper ever fails, the integration turns itself off
with one warning and export goes on exactly as without it. Exporter modules
imported after the flag is turned on are wrapped as they load (a post-import
hook), so turning the flag on never imports protobuf by itself.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from opentelemetry.sdk.resources import Resource

from .._locks import ForkSafeLock
from .._settings import warn_once
from .model import Entity
from .resource import entities_of

COMMON = "opentelemetry.exporter.otlp.proto.common._internal"


@dataclass(frozen=True)
class Target:
    """A function to wrap: where it is defined, and every module that binds it by name."""

    name: str
    defined_in: str
    bound_in: tuple[str, ...]


RESOURCE_ENCODER = Target("_encode_resource", COMMON, (f"{COMMON}.trace_encoder", f"{COMMON}._log_encoder"))
METRICS_ENCODER = Target(
    "encode_metrics",
    f"{COMMON}.metrics_encoder",
    (
        "opentelemetry.exporter.otlp.proto.common.metrics_encoder",
        "opentelemetry.exporter.otlp.proto.http.metric_exporter",
        "opentelemetry.exporter.otlp.proto.grpc.metric_exporter",
    ),
)
TARGETS = (RESOURCE_ENCODER, METRICS_ENCODER)
_WATCHED = {module for target in TARGETS for module in (target.defined_in, *target.bound_in)}

_lock = ForkSafeLock(reentrant=True)
_installed = False
_originals: dict[str, Callable[..., Any]] = {}
_wrappers: dict[str, Callable[..., Any]] = {}
_hook: _PostImportHook | None = None


def entity_refs(resource: Resource) -> list[dict[str, Any]]:
    """The references the exporters send for ``resource``, as plain data (for the CLI)."""
    return entity_refs_for(resource, set(resource.attributes))


def entity_refs_for(resource: Resource, present: set[str]) -> list[dict[str, Any]]:
    """One reference per entity of ``resource``, naming only keys in ``present``.

    Attribute limits may have dropped keys: a reference never names a key the
    encoded resource lacks, and an entity whose identifying keys did not all
    survive gets no reference.
    """
    refs = []
    for entity in entities_of(resource):
        ref = _ref(entity, present)
        if ref is not None:
            refs.append(ref)
    return refs


def _ref(entity: Entity, present: set[str]) -> dict[str, Any] | None:
    id_keys = [key for key in entity.id if key in present]
    if len(id_keys) != len(entity.id):
        return None
    return {
        "type": entity.type,
        "schema_url": entity.schema_url,
        "id_keys": id_keys,
        "description_keys": [key for key in entity.description if key in present],
    }


def _add_refs(encoded: Any, resource: Resource, entity_ref: type) -> None:
    if entities_of(resource):
        present = {pair.key for pair in encoded.attributes}
        for ref in entity_refs_for(resource, present):
            encoded.entity_refs.append(entity_ref(**ref))


def _give_up(problem: Exception) -> None:
    warn_once(
        ("entity_refs", type(problem).__name__),
        "OTLP entity_refs are off: the exporter's encoder is not what this package expects (%r); "
        "export goes on without them",
        problem,
    )
    uninstall()


def _wrap_resource_encoder(original: Callable[[Resource], Any], entity_ref: type) -> Callable[[Resource], Any]:
    def _encode_resource(resource: Resource) -> Any:
        encoded = original(resource)
        try:
            _add_refs(encoded, resource, entity_ref)
        except Exception as problem:  # the exporter must keep working whatever happens here
            _give_up(problem)
            return original(resource)
        return encoded

    return _encode_resource


def _wrap_metrics_encoder(original: Callable[[Any], Any], entity_ref: type) -> Callable[[Any], Any]:
    def encode_metrics(data: Any) -> Any:
        request = original(data)
        try:
            # The encoder emits one ResourceMetrics per distinct resource, in
            # the order they first appear; check that before relying on it.
            resources = list(dict.fromkeys(item.resource for item in data.resource_metrics))
            encoded = list(request.resource_metrics)
            if len(resources) != len(encoded):
                raise ValueError("resource count differs")
            for resource, item in zip(resources, encoded, strict=True):
                if {pair.key for pair in item.resource.attributes} != set(resource.attributes):
                    raise ValueError("resource order differs")
                _add_refs(item.resource, resource, entity_ref)
        except Exception as problem:  # the exporter must keep working whatever happens here
            _give_up(problem)
            return original(data)
        return request

    return encode_metrics


def _entity_ref_class() -> type | None:
    try:
        from opentelemetry.proto.common.v1 import common_pb2  # noqa: PLC0415 - only with the exporters
        from opentelemetry.proto.resource.v1 import resource_pb2  # noqa: PLC0415
    except ImportError:
        return None
    if not hasattr(common_pb2, "EntityRef") or "entity_refs" not in resource_pb2.Resource.DESCRIPTOR.fields_by_name:
        return None
    entity_ref: type = common_pb2.EntityRef
    return entity_ref


def _prepare(target: Target, module: types.ModuleType) -> None:
    """Build the wrapper for ``target`` from its defining module (once)."""
    if target.name in _wrappers:
        return
    original = getattr(module, target.name, None)
    entity_ref = _entity_ref_class()
    if not callable(original) or entity_ref is None:
        what = (
            f"{target.defined_in}.{target.name} is missing"
            if not callable(original)
            else "this opentelemetry-proto has no Resource.entity_refs (proto 1.7 or newer)"
        )
        warn_once(("entity_refs", target.name), "OTLP entity_refs are off for this exporter: %s", what)
        return
    factory = _wrap_resource_encoder if target is RESOURCE_ENCODER else _wrap_metrics_encoder
    _originals[target.name] = original
    _wrappers[target.name] = factory(original, entity_ref)


def _apply(module_name: str) -> None:
    module = sys.modules.get(module_name)
    if module is None:
        return
    for target in TARGETS:
        if module_name == target.defined_in:
            _prepare(target, module)
        if module_name in (target.defined_in, *target.bound_in):
            wrapper, original = _wrappers.get(target.name), _originals.get(target.name)
            if wrapper is not None and getattr(module, target.name, None) is original:
                setattr(module, target.name, wrapper)


class _PostImportHook:
    """Wraps the encoder functions in the exporters' modules as they are imported.

    A meta path finder by protocol (``find_spec``); not derived from
    ``importlib.abc``, which costs ~10 ms to import on recent Pythons.
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in _WATCHED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        original_exec = spec.loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            original_exec(module)
            with _lock:
                if _installed:
                    _apply(fullname)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install() -> None:
    """Send ``entity_refs`` from the OTLP exporters (idempotent)."""
    global _installed, _hook  # noqa: PLW0603 - process-wide, like the flag it follows
    with _lock:
        if _installed:
            return
        _installed = True
        # Defining modules first, so that the wrappers exist before rebinding.
        for target in TARGETS:
            _apply(target.defined_in)
        for module_name in sorted(_WATCHED):
            _apply(module_name)
        _hook = _PostImportHook()
        sys.meta_path.insert(0, _hook)


def uninstall() -> None:
    """Put the exporters' own functions back (idempotent)."""
    global _installed, _hook  # noqa: PLW0603 - process-wide, like the flag it follows
    with _lock:
        if _hook is not None and _hook in sys.meta_path:
            sys.meta_path.remove(_hook)
        _hook = None
        for target in TARGETS:
            wrapper, original = _wrappers.get(target.name), _originals.get(target.name)
            for module_name in (target.defined_in, *target.bound_in):
                module = sys.modules.get(module_name)
                if module is not None and wrapper is not None and getattr(module, target.name, None) is wrapper:
                    setattr(module, target.name, original)
        _originals.clear()
        _wrappers.clear()
        _installed = False


def installed() -> bool:
    """Whether the exporters' encoders are (or will be, as they load) wrapped."""
    return _installed
