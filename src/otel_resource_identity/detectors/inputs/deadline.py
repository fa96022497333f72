"""The one deadline every network call of a detection respects (kept apart from ``_http``, which
loads only when a platform with a metadata endpoint is signalled)."""

from __future__ import annotations

import time


class Deadline:
    """A point in time (``time.monotonic()``)."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at

    def __repr__(self) -> str:
        return f"Deadline(at={self.at!r})"

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def sooner(self, seconds: float) -> Deadline:
        """This deadline, or ``seconds`` from now if that comes first."""
        return Deadline(min(self.at, time.monotonic() + seconds))
