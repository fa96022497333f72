"""The canonical encoding behind ``id`` and ``hash`` (version 1).

Specified so that another language can reproduce every id (docs/identity.md has the
same text, and ``tests/golden/identity-v1.json`` has vectors with the exact
input bytes):

* ``str(v)``   = 4-byte big-endian length of the UTF-8 bytes, then the bytes.
* typed value  = a one-byte tag and a body:
  ``s`` + str(v) for strings; ``b`` + one byte 1/0 for booleans;
  ``i`` + 8-byte big-endian two's-complement for integers in the int64 range,
  ``I`` + str(decimal digits) beyond it; ``d`` + the IEEE-754 binary64 bits,
  big-endian, for floats (``-0.0`` is written as ``0.0``, every NaN as
  ``0x7ff8000000000000``); ``a`` + 4-byte count + typed elements, in order,
  for arrays.
* id input     = ``b"otel-resource-identity/id/v1\\x00"`` + str(rule id) +
  4-byte count + for each key attribute, sorted by name: str(name) + typed value.
* hash input   = ``b"otel-resource-identity/hash/v1\\x00"`` + 4-byte count +
  for each attribute (``dash0.*`` left out), sorted by name: str(name) + typed value.
* a number     = the first 8 bytes of SHA-256(input), as a big-endian unsigned
  integer, written in decimal without padding.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Mapping

ID_PREFIX = b"otel-resource-identity/id/v1\x00"
HASH_PREFIX = b"otel-resource-identity/hash/v1\x00"
_INT64 = (-(2**63), 2**63 - 1)


def _text(value: str) -> bytes:
    data = value.encode("utf-8", errors="surrogatepass")
    return len(data).to_bytes(4, "big") + data


_SCALARS = (str, bool, int, float, bytes)


def is_attribute_value(value: object) -> bool:
    """Whether ``value`` is one the encoding knows: a scalar, or a list or tuple of scalars."""
    if isinstance(value, _SCALARS):
        return True
    return isinstance(value, (list, tuple)) and all(isinstance(item, _SCALARS) for item in value)


def typed(value: object) -> bytes:  # noqa: PLR0911 - one return per value type, as the specification lists them
    """The typed encoding of one attribute value."""
    if isinstance(value, str):
        return b"s" + _text(value)
    if isinstance(value, bool):
        return b"b" + (b"\x01" if value else b"\x00")
    if isinstance(value, int):
        if _INT64[0] <= value <= _INT64[1]:
            return b"i" + struct.pack(">q", value)
        return b"I" + _text(str(value))
    if isinstance(value, float):
        if math.isnan(value):
            return b"d" + bytes.fromhex("7ff8000000000000")
        return b"d" + struct.pack(">d", value + 0.0)  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, (list, tuple)):
        return b"a" + struct.pack(">I", len(value)) + b"".join(typed(item) for item in value)
    if isinstance(value, bytes):
        return b"x" + struct.pack(">I", len(value)) + value
    raise TypeError(f"{type(value).__name__} is not an attribute value")


def pairs(attributes: Mapping[str, object]) -> bytes:
    """The count and the (name, typed value) pairs, sorted by name.

    Sorting strings by code point is sorting them by their UTF-8 bytes.
    """
    parts = [len(attributes).to_bytes(4, "big")]
    extend = parts.extend
    for name in sorted(attributes):
        value = attributes[name]
        encoded_name = name.encode("utf-8", "surrogatepass")
        # Strings are nearly every value: encoded inline, without a call.
        if type(value) is str:
            encoded = value.encode("utf-8", "surrogatepass")
            extend((len(encoded_name).to_bytes(4, "big"), encoded_name, b"s", len(encoded).to_bytes(4, "big"), encoded))
        else:
            extend((len(encoded_name).to_bytes(4, "big"), encoded_name, typed(value)))
    return b"".join(parts)


def id_prefix(rule: str) -> bytes:
    return ID_PREFIX + _text(rule)


def id_input(rule: str, key: Mapping[str, object]) -> bytes:
    return id_prefix(rule) + pairs(key)


def number(data: bytes) -> str:
    """The decimal unsigned 64-bit number for ``data``."""
    return str(int.from_bytes(hashlib.sha256(data).digest()[:8], "big"))
