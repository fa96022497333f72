"""Locks that a fork cannot leave held.

A child process gets a copy of every lock in the state it had in the parent at
the moment of ``fork()``: a lock another parent thread held then stays held in
the child forever, and the child's first ``with`` on it deadlocks (a pre-fork
server forking while a thread enables the flag, say). Every lock of this
package is a :class:`ForkSafeLock`, which is replaced by a fresh one in the
child right after a fork.
"""

from __future__ import annotations

import os
import threading
import weakref
from types import TracebackType


class ForkSafeLock:
    """A ``threading.Lock`` (or ``RLock``) that is new and released in a forked child."""

    __slots__ = ("__weakref__", "_lock", "_reentrant")

    def __init__(self, *, reentrant: bool = False) -> None:
        self._reentrant = reentrant
        self._lock: threading.Lock | threading.RLock = threading.RLock() if reentrant else threading.Lock()
        _ALL.add(self)

    def __enter__(self) -> ForkSafeLock:
        self._lock.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._lock.release()

    def _renew(self) -> None:
        self._lock = threading.RLock() if self._reentrant else threading.Lock()


_ALL: weakref.WeakSet[ForkSafeLock] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for lock in list(_ALL):
        lock._renew()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)
