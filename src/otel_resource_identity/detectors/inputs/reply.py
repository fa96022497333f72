"""Typed access to JSON from outside (metadata replies, event files).

A detector never indexes a parsed document directly: it asks a :class:`Fields`
for a string, a whole number, an object or a list of objects by key. A field
of another type (``null``, a list where an object belongs, a number where a
string belongs, an integer beyond int64) is skipped and remembered by its
path and type (never its value), and :meth:`Fields.report` says so in one
warning. Whatever shape the document has, nothing raises.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

_INT64 = (-(2**63), 2**63 - 1)
_MAX_REPORTED = 8


def _kind(value: object) -> str:  # noqa: PLR0911 - one return per JSON type
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class Fields:
    """One JSON object from outside; ``where`` names it in the warning (``"ECS task metadata"``)."""

    def __init__(self, value: object, where: str, *, _path: str = "", _problems: list[str] | None = None) -> None:
        self._where = where
        self._path = _path
        self._problems: list[str] = [] if _problems is None else _problems
        if isinstance(value, dict):
            self._data: Mapping[str, Any] = value
        else:
            self._data = {}
            if value is not None or not _path:
                self._note(_path or "the document", value, "an object")

    def _note(self, path: str, value: object, wanted: str) -> None:
        self._problems.append(f"{path} is {_kind(value)}, not {wanted}")

    def _key(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def __bool__(self) -> bool:
        return bool(self._data)

    def raw(self, key: str) -> object:
        """The value as it is (for presence checks); prefer the typed accessors."""
        return self._data.get(key)

    def text(self, key: str) -> str | None:
        """A non-empty string, or ``None`` (absent, ``null``, empty, or of another type: noted)."""
        value = self._data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        self._note(self._key(key), value, "a string")
        return None

    def label(self, key: str) -> str | None:
        """A string, or a whole number written as one (metadata versions come both ways)."""
        value = self._data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            if _INT64[0] <= value <= _INT64[1]:
                return str(value)
            self._note(self._key(key), value, "a number in the int64 range")
            return None
        return self.text(key)

    def strings(self) -> dict[str, str]:
        """Every field of this object that is a string (labels, annotations); others are noted."""
        found = {}
        for key in self._data:
            value = self.text(key) if isinstance(key, str) else None
            if value is not None:
                found[key] = value
        return found

    def flag(self, key: str) -> bool | None:
        value = self._data.get(key)
        if value is None or isinstance(value, bool):
            return value
        self._note(self._key(key), value, "a boolean")
        return None

    def object(self, key: str) -> Fields:
        """The object at ``key`` (empty when absent or of another type: noted unless ``null``)."""
        return Fields(self._data.get(key), self._where, _path=self._key(key), _problems=self._problems)

    def objects(self, key: str) -> list[Fields]:
        """The objects of the list at ``key``; items of another type are skipped and noted."""
        value = self._data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self._note(self._key(key), value, "a list")
            return []
        return [
            Fields(item, self._where, _path=f"{self._key(key)}[{index}]", _problems=self._problems)
            for index, item in enumerate(value)
            if item is not None
        ]

    def report(self, logger: logging.Logger) -> None:
        """One warning naming the skipped fields, if there were any."""
        report(logger, self._where, self._problems)


def report(logger: logging.Logger, where: str, problems: list[str]) -> None:
    """One warning naming the fields of an unexpected type in the replies from ``where``, if any."""
    if problems:
        shown = "; ".join(problems[:_MAX_REPORTED])
        more = len(problems) - _MAX_REPORTED
        logger.warning(
            "%s: skipped fields of an unexpected type (%s%s); kept the rest",
            where,
            shown,
            f"; and {more} more" if more > 0 else "",
        )
