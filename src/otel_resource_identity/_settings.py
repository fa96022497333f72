"""Every environment variable the package reads, read in one place.

Each setting is a row: its name, its default, how its text is parsed and what
it accepts. An invalid value is logged once (naming the variable and what is
accepted, never the value itself, which may be a secret pasted in the wrong
place) and the default is used: a typo never stops the application.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

_logger = logging.getLogger("otel_resource_identity")

T = TypeVar("T")

_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def warn_once(key: tuple[str, str], message: str, *args: object) -> None:
    """Log ``message`` as a warning the first time ``key`` is seen in this process."""
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    _logger.warning(message, *args)


def _parse_bool(text: str) -> bool:
    # The OpenTelemetry configuration spec: "true"/"false", case-insensitive.
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ValueError(text)


@dataclass(frozen=True)
class Setting(Generic[T]):
    name: str
    default: T
    parse: Callable[[str], T]
    accepted: str
    meaning: str

    def read(self, environ: Mapping[str, str] | None = None) -> T:
        """The setting's value in ``environ`` (the process environment by default)."""
        raw = (os.environ if environ is None else environ).get(self.name)
        if raw is None or not raw.strip():
            return self.default
        try:
            return self.parse(raw)
        except ValueError:
            warn_once(
                (self.name, raw),
                "%s has an invalid value; accepted: %s. Using the default (%s).",
                self.name,
                self.accepted,
                self.default,
            )
            return self.default


ENTITIES_ENABLED: Setting[bool] = Setting(
    name="OTEL_EXPERIMENTAL_ENTITIES_ENABLED",
    default=False,
    parse=_parse_bool,
    accepted="true or false",
    meaning="true replaces the SDK's Resource merge with the entity-aware merge for the whole process",
)

ENTITIES: Setting[str] = Setting(
    name="OTEL_ENTITIES",
    default="",
    parse=str,
    accepted="entities as type{key=value,...}[key=value,...]@schema_url, separated by ';'",
    meaning="entities pushed in from outside the process (OpenTelemetry entity propagation)",
)

ALL_SETTINGS: tuple[Setting[bool] | Setting[str], ...] = (ENTITIES_ENABLED, ENTITIES)
