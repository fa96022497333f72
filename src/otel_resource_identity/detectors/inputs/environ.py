"""Numbers from environment variables, read one way.

Only ASCII digits count (``str.isdigit`` also accepts ``"²"`` and ``"①"``,
which ``int()`` then rejects), at most 19 of them, and the value must fit the
attribute's range, so that no attribute holds a number the OTLP encoder
refuses. Anything else is one warning naming the variable (never its value)
and the attribute is left out.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..._settings import warn_once

INT64_MAX = 2**63 - 1


def whole_number(environ: Mapping[str, str], name: str, *, maximum: int = INT64_MAX, what: str = "") -> int | None:
    """The whole number in ``environ[name]`` (0 to ``maximum``), or ``None`` when unset or unusable."""
    text = environ.get(name, "").strip()
    if not text:
        return None
    if len(text) <= 19 and text.isascii() and text.isdigit():
        value = int(text)
        if value <= maximum:
            return value
    warn_once(
        (name, text),
        "%s is not a whole number from 0 to %d; left %s out",
        name,
        maximum,
        what or "it",
    )
    return None
