"""``OTEL_ENTITIES``: entities handed to a process through its environment.

Format (OpenTelemetry specification, "Entity Propagation")::

    type{id_key=value,...}[desc_key=value,...]@schema_url;type{...}...

The parser is lenient as the specification asks: it never raises, skips what
it cannot use with one warning saying why (naming positions, types and keys,
never values), and keeps everything else. Decisions the specification leaves
open are listed in the README ("OTEL_ENTITIES").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .model import TYPE_PATTERN, Entity

_logger = logging.getLogger(__name__)

_KEY = re.compile(r"[a-zA-Z][a-zA-Z0-9._-]*")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*")
# type { id } [ description ]? @schema? -- whitespace allowed between the parts.
_ENTITY = re.compile(
    r"\s*(?P<type>[^{]*?)\s*\{(?P<id>[^{}\[\]]*)\}\s*(?:\[(?P<desc>[^{}\[\]]*)\]\s*)?(?:@(?P<schema>.*?))?\s*",
    re.DOTALL,
)


class _MalformedError(ValueError):
    """A segment that cannot be used; the message says why, without values."""


@dataclass
class _Parsed:
    position: int
    type: str
    id: dict[str, str]
    description: dict[str, str]
    schema_url: str


def _pairs(block: str, what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    if not block.strip():
        return pairs
    for item in block.split(","):
        key, equals, value = item.partition("=")
        key = key.strip()
        if not equals:
            raise _MalformedError(f"{what} attributes: expected key=value, found an item without '='")
        if "=" in value:
            raise _MalformedError(f"{what} attribute {key!r}: '=' in a value must be percent-encoded as %3D")
        if not _KEY.fullmatch(key):
            raise _MalformedError(f"{what} attributes: key {key!r} must match {_KEY.pattern}")
        try:
            pairs[key] = unquote(value.strip(), errors="strict")
        except UnicodeDecodeError:
            raise _MalformedError(f"{what} attribute {key!r}: percent-encoding is not valid UTF-8") from None
    return pairs


def _valid_schema_url(text: str) -> bool:
    if not text or any(ch.isspace() for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return bool(_SCHEME.fullmatch(parts.scheme)) and bool(parts.netloc or parts.path)


def _parse_segment(position: int, segment: str) -> _Parsed | None:
    match = _ENTITY.fullmatch(segment)
    if match is None:
        raise _MalformedError("not of the form type{key=value,...}[key=value,...]@schema_url")
    entity_type = match["type"]
    identity = _pairs(match["id"], "identifying")
    description = _pairs(match["desc"] or "", "descriptive")
    if not entity_type:
        _logger.warning("OTEL_ENTITIES: entity %d skipped: it has no type", position)
        return None
    if not TYPE_PATTERN.fullmatch(entity_type):
        raise _MalformedError(f"type {entity_type!r} must match {TYPE_PATTERN.pattern}")
    if not identity:
        _logger.warning(
            "OTEL_ENTITIES: entity %d (%s) skipped: it has no identifying attributes", position, entity_type
        )
        return None
    both = sorted(set(identity) & set(description))
    if both:
        raise _MalformedError(f"{both} are both identifying and descriptive")
    schema_url = ""
    if match["schema"] is not None:
        candidate = match["schema"].strip()
        if _valid_schema_url(candidate):
            schema_url = candidate
        else:
            _logger.warning(
                "OTEL_ENTITIES: entity %d (%s): ignored its schema URL, which is not an absolute URI",
                position,
                entity_type,
            )
    return _Parsed(position, entity_type, identity, description, schema_url)


def _resolve(parsed: list[_Parsed]) -> list[_Parsed]:
    """Apply the specification's duplicate and conflict rules: the last definition wins."""
    survivors: list[_Parsed] = []
    for entity in parsed:
        for earlier in list(survivors):
            if earlier.type == entity.type:
                # Rules 3 (same identity) and 5 (other identity): keep the last.
                same = earlier.id == entity.id
                _logger.warning(
                    "OTEL_ENTITIES: entity %d (%s) replaces entity %d, %s",
                    entity.position,
                    entity.type,
                    earlier.position,
                    "a duplicate of it" if same else "which has the same type and another identity",
                )
                survivors.remove(earlier)
                continue
            lost_id = sorted(set(earlier.id) & (set(entity.id) | set(entity.description)))
            if lost_id:
                _logger.warning(
                    "OTEL_ENTITIES: entity %d (%s) dropped: entity %d (%s) also sets its identifying %s",
                    earlier.position,
                    earlier.type,
                    entity.position,
                    entity.type,
                    lost_id,
                )
                survivors.remove(earlier)
                continue
            # Rule 6: a descriptive key stays with the last entity that sets it.
            for key in sorted(set(earlier.description) & (set(entity.id) | set(entity.description))):
                if earlier.description[key] != entity.id.get(key, entity.description.get(key)):
                    _logger.warning(
                        "OTEL_ENTITIES: entity %d (%s) gives up %r, which entity %d (%s) sets differently",
                        earlier.position,
                        earlier.type,
                        key,
                        entity.position,
                        entity.type,
                    )
                del earlier.description[key]
        survivors.append(entity)
    return survivors


def parse_entities(text: str | None) -> list[Entity]:
    """The entities in an ``OTEL_ENTITIES`` value, in the order given.

    Never raises: malformed parts are skipped with one warning each. After the
    specification's conflict rules no two returned entities share a type or
    an attribute key; where they clashed, the later definition won.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    parsed: list[_Parsed] = []
    for position, segment in enumerate(text.split(";"), start=1):
        if not segment.strip():
            continue
        try:
            entity = _parse_segment(position, segment)
        except _MalformedError as problem:
            _logger.warning("OTEL_ENTITIES: entity %d skipped: %s", position, problem)
            continue
        if entity is not None:
            parsed.append(entity)
    return [Entity(p.type, p.id, p.description, p.schema_url) for p in _resolve(parsed)]
