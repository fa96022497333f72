"""``OTEL_ENTITIES``: entities handed to a process through its environment.

Format (OpenTelemetry specification, "Entity Propagation")::

    type{id_key=value,...}[desc_key=value,...]@schema_url;type{...}...

The parser is lenient as the specification asks: it never raises, skips what
it cannot use with one warning saying why (naming positions, types and keys,
never values), and keeps everything else. Decisions the specification leaves
open are listed in docs/entities.md ("OTEL_ENTITIES").
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
_FORM = "not of the form type{key=value,...}[key=value,...]@schema_url"

# Past this many characters the rest of OTEL_ENTITIES is skipped (one warning):
# entities describe a handful of things, and start-up must stay bounded.
MAX_LENGTH = 64 * 1024


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
        if not _KEY.fullmatch(key):
            # Not quoted: text that is not a key may be a value (a secret pasted in the wrong place).
            raise _MalformedError(f"{what} attributes: a key must match {_KEY.pattern}")
        if "=" in value:
            raise _MalformedError(f"{what} attribute {key!r}: '=' in a value must be percent-encoded as %3D")
        try:
            pairs[key] = unquote(value.strip(), errors="strict")
        except UnicodeDecodeError:
            raise _MalformedError(f"{what} attribute {key!r}: percent-encoding is not valid UTF-8") from None
    return pairs


def _split(segment: str) -> tuple[str, str, str, str | None]:
    """(type, identifying block, descriptive block, schema URL or ``None``) of one segment, scanned once."""
    opening = segment.find("{")
    closing = segment.find("}", opening + 1)
    if opening < 0 or closing < 0:
        raise _MalformedError(_FORM)
    identity = segment[opening + 1 : closing]
    rest = segment[closing + 1 :].lstrip()
    description = ""
    if rest.startswith("["):
        end = rest.find("]")
        if end < 0:
            raise _MalformedError(_FORM)
        description, rest = rest[1:end], rest[end + 1 :].lstrip()
    if any(mark in identity for mark in "{[]") or any(mark in description for mark in "{}["):
        raise _MalformedError(_FORM)
    schema = None
    if rest.startswith("@"):
        schema = rest[1:]
    elif rest.strip():
        raise _MalformedError(_FORM)
    return segment[:opening].strip(), identity, description, schema


def _valid_schema_url(text: str) -> bool:
    if not text or any(ch.isspace() for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return bool(_SCHEME.fullmatch(parts.scheme)) and bool(parts.netloc or parts.path)


def _parse_segment(position: int, segment: str) -> _Parsed | None:
    entity_type, identity_block, description_block, schema = _split(segment)
    identity = _pairs(identity_block, "identifying")
    description = _pairs(description_block, "descriptive")
    if not entity_type:
        _logger.warning("OTEL_ENTITIES: entity %d skipped: it has no type", position)
        return None
    if not TYPE_PATTERN.fullmatch(entity_type):
        # Not quoted: what stands before '{' may be a value (``db.password=SECRET service{...}``).
        raise _MalformedError(f"its type must match {TYPE_PATTERN.pattern}")
    if not identity:
        _logger.warning(
            "OTEL_ENTITIES: entity %d (%s) skipped: it has no identifying attributes", position, entity_type
        )
        return None
    both = sorted(set(identity) & set(description))
    if both:
        raise _MalformedError(f"{both} are both identifying and descriptive")
    schema_url = ""
    if schema is not None:
        candidate = schema.strip()
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
    """Apply the specification's duplicate and conflict rules: the last definition wins.

    Linear in the number of entities and keys: survivors are indexed by type
    and by the keys they hold, so each entity only meets those it clashes with.
    """
    survivors: dict[int, _Parsed] = {}
    by_type: dict[str, _Parsed] = {}
    holder: dict[str, _Parsed] = {}

    def drop(entity: _Parsed) -> None:
        del survivors[entity.position]
        del by_type[entity.type]
        for key in (*entity.id, *entity.description):
            if holder.get(key) is entity:
                del holder[key]

    for entity in parsed:
        keys = set(entity.id) | set(entity.description)
        clashing = {holder[key].position: holder[key] for key in keys if key in holder}
        if entity.type in by_type:
            clashing[by_type[entity.type].position] = by_type[entity.type]
        for _, earlier in sorted(clashing.items()):
            if earlier.type == entity.type:
                # Rules 3 (same identity) and 5 (other identity): keep the last.
                _logger.warning(
                    "OTEL_ENTITIES: entity %d (%s) replaces entity %d, %s",
                    entity.position,
                    entity.type,
                    earlier.position,
                    "a duplicate of it" if earlier.id == entity.id else "which has the same type and another identity",
                )
                drop(earlier)
                continue
            lost_id = sorted(set(earlier.id) & keys)
            if lost_id:
                _logger.warning(
                    "OTEL_ENTITIES: entity %d (%s) dropped: entity %d (%s) also sets its identifying %s",
                    earlier.position,
                    earlier.type,
                    entity.position,
                    entity.type,
                    lost_id,
                )
                drop(earlier)
                continue
            # Rule 6: a descriptive key stays with the last entity that sets it.
            for key in sorted(set(earlier.description) & keys):
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
        survivors[entity.position] = entity
        by_type[entity.type] = entity
        for key in keys:
            holder[key] = entity
    return list(survivors.values())


def parse_entities(text: str | None) -> list[Entity]:
    """The entities in an ``OTEL_ENTITIES`` value, in the order given.

    Never raises: malformed parts are skipped with one warning each. After the
    specification's conflict rules no two returned entities share a type or
    an attribute key; where they clashed, the later definition won.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    if len(text) > MAX_LENGTH:
        _logger.warning(
            "OTEL_ENTITIES is longer than %d characters; used the entities that end before that and skipped the rest",
            MAX_LENGTH,
        )
        text = text[: text.rfind(";", 0, MAX_LENGTH + 1) + 1]
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
