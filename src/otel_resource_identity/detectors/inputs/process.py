"""This process's creation time, as the kernel records it, for the ``process`` entity.

The conventions identify a process by ``process.pid`` and ``process.creation.time``: a pid alone
is reused. Other observers of the process (the Collector's host metrics receiver, through
gopsutil) compute the time the same way, from the kernel's boot time and the process's start in
clock ticks, to the millisecond. Linux only; elsewhere ``None`` and the pid stays a loose attribute.
"""

from __future__ import annotations

import os
import time

from .files import read_text

_boot: list[int] = []  # the kernel's boot time: one per machine, kept across forks
_created: dict[int, str | None] = {}  # per pid: a forked worker computes its own


def _boot_time() -> int | None:
    if not _boot:
        # /proc/stat's interrupt line can be long on large machines; btime follows it.
        text = read_text("/", "/proc/stat", 1 << 20) or ""
        for line in text.splitlines():
            name, _, value = line.partition(" ")
            if name == "btime" and value.strip().isdigit() and len(value.strip()) <= 12:
                _boot.append(int(value))
                break
    return _boot[0] if _boot else None


def _start_ticks() -> int | None:
    text = read_text("/", "/proc/self/stat", 4096) or ""
    # The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    fields = text.rpartition(")")[2].split()
    if len(fields) < 20 or not fields[19].isdigit() or len(fields[19]) > 20:
        return None
    return int(fields[19])  # field 22, starttime


def creation_time() -> str | None:
    """``process.creation.time`` of this process (ISO 8601, UTC, milliseconds), or ``None``."""
    pid = os.getpid()
    if pid not in _created:
        boot, ticks = _boot_time(), _start_ticks()
        hertz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") and ticks is not None else 0
        if boot is None or ticks is None or hertz <= 0:
            _created[pid] = None
        else:
            milliseconds = boot * 1000 + ticks * 1000 // hertz
            seconds, fraction = divmod(milliseconds, 1000)
            _created[pid] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{fraction:03d}Z"
    return _created[pid]
