"""What the user set wins: one place decides it for every detector.

``OTEL_SERVICE_NAME`` and ``OTEL_RESOURCE_ATTRIBUTES`` are the user's word
about the resource. The SDK merges them last in ``Resource.create()``, but
not everywhere a detector's result is merged: the SDK (1.44 and newer)
re-runs process-dependent detectors in a forked worker and merges their
result *over* the provider's resource. So a detector that reports a key the
user set reports the user's value, never its own, and ``service.instance.id``
the user set is reported again (the SDK's own per-process detector would
replace it with a random one after a fork).

A ``service.name`` beginning with ``unknown_service`` is the SDK's
placeholder, not a name: it counts as not set (as the CloudWatch agent's
service identity also decides).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

UNKNOWN_SERVICE = "unknown_service"


def user_attributes(environ: Mapping[str, str]) -> dict[str, str]:
    """``OTEL_RESOURCE_ATTRIBUTES`` and ``OTEL_SERVICE_NAME`` from ``environ``, as the SDK's
    ``OTELResourceDetector`` reads them (values percent-decoded, keys as written)."""
    attributes: dict[str, str] = {}
    for pair in environ.get("OTEL_RESOURCE_ATTRIBUTES", "").split(","):
        key, equals, value = pair.partition("=")
        if equals and key.strip():  # the SDK decodes the value, not the key
            attributes[key.strip()] = unquote(value.strip())
    service_name = environ.get("OTEL_SERVICE_NAME", "").strip()
    if service_name:
        attributes["service.name"] = service_name
    return attributes


def _source(key: str, environ: Mapping[str, str]) -> str:
    if key == "service.name" and environ.get("OTEL_SERVICE_NAME", "").strip():
        return "user setting OTEL_SERVICE_NAME"
    return "user setting OTEL_RESOURCE_ATTRIBUTES"


def user_wins(
    attributes: Mapping[str, object], sources: Mapping[str, str], environ: Mapping[str, str]
) -> tuple[dict[str, object], dict[str, str]]:
    """``attributes`` with every key the user set replaced by the user's value (and
    ``service.instance.id`` added when the user set it); ``sources`` updated to say so."""
    user = {
        key: value
        for key, value in user_attributes(environ).items()
        if value and not (key == "service.name" and value.startswith(UNKNOWN_SERVICE))
    }
    found, said = dict(attributes), dict(sources)
    for key, value in user.items():
        if key in found or key == "service.instance.id":
            found[key], said[key] = value, _source(key, environ)
    return found, said
