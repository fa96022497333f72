"""The predicted identity as attributes: what the processors stamp and what a resource can carry."""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry.sdk.resources import Resource

from ._settings import ATTRIBUTE_PREFIX
from .identity.engine import predict

# The longest value stamped on a span, a log record or a resource. The id is 20 digits at most and
# the type a short rule constant, but the name comes from an attribute (a pod name, or a service
# name the user set, which is theirs and may be any length): it is cut to this many characters,
# the last one an ellipsis, so that no span ever carries a megabyte because a variable did. The
# id is computed from the whole attribute, so the prediction never changes.
MAX_STAMPED = 256


def _bounded(value: str) -> str:
    return value if len(value) <= MAX_STAMPED else value[: MAX_STAMPED - 1] + "\u2026"


def identity_attributes(
    resource: Resource | Mapping[str, object], *, prefix: str | None = None, ruleset: str | None = None
) -> dict[str, str]:
    """``{<prefix>id, <prefix>name, <prefix>type}`` for ``resource`` (name and type only when known),
    none longer than ``MAX_STAMPED`` characters.

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
        stamped[f"{chosen}name"] = _bounded(identity.name)
    if identity.type is not None:
        stamped[f"{chosen}type"] = _bounded(identity.type)
    return stamped


def stamp_resource(resource: Resource, *, prefix: str | None = None, ruleset: str | None = None) -> Resource:
    """``resource`` with its predicted identity added; values already set are kept (the user's win)."""
    stamped = identity_attributes(resource, prefix=prefix, ruleset=ruleset)
    missing = {key: value for key, value in stamped.items() if key not in resource.attributes}
    return resource.merge(Resource(missing)) if missing else resource
