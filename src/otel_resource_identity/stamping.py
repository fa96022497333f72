"""The predicted identity as attributes: what the processors stamp and what a resource can carry."""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry.sdk.resources import Resource

from ._settings import ATTRIBUTE_PREFIX
from .identity.engine import predict


def identity_attributes(
    resource: Resource | Mapping[str, object], *, prefix: str | None = None, ruleset: str | None = None
) -> dict[str, str]:
    """``{<prefix>id, <prefix>name, <prefix>type}`` for ``resource`` (name and type only when known).

    The prefix defaults to ``RESOURCE_IDENTITY_ATTRIBUTE_PREFIX`` (``dash0.resource.``).
    Attributes already under the prefix take no part in the prediction, so
    stamping them never changes it.
    """
    chosen = prefix if prefix is not None else ATTRIBUTE_PREFIX.read()
    attributes = resource.attributes if isinstance(resource, Resource) else resource
    if chosen != "dash0.resource.":
        attributes = {key: value for key, value in attributes.items() if not key.startswith(chosen)}
    identity = predict(attributes, ruleset=ruleset)
    stamped = {f"{chosen}id": identity.id}
    if identity.name is not None:
        stamped[f"{chosen}name"] = identity.name
    if identity.type is not None:
        stamped[f"{chosen}type"] = identity.type
    return stamped


def stamp_resource(resource: Resource, *, prefix: str | None = None, ruleset: str | None = None) -> Resource:
    """``resource`` with its predicted identity added; values already set are kept (the user's win)."""
    stamped = identity_attributes(resource, prefix=prefix, ruleset=ruleset)
    missing = {key: value for key, value in stamped.items() if key not in resource.attributes}
    return resource.merge(Resource(missing)) if missing else resource
