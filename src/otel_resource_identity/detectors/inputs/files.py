"""Reading the small files detectors look at, under a filesystem root.

Every file this package reads goes through :func:`read_text`, so that
``root=`` (a mounted host filesystem, a fixture folder) works everywhere and
no file can hurt the application:

* it never blocks: the file is opened non-blocking and without becoming a
  controlling terminal, and only a *regular* file (checked with ``fstat`` on
  the open descriptor, so a swap after the check cannot fool it) is read; a
  FIFO, a device, a socket or a directory is skipped;
* it is bounded: at most ``limit`` bytes are read; with ``whole=True`` a file
  larger than that is refused rather than cut;
* it never raises: undecodable bytes are replaced, NUL bytes dropped, and any
  ``OSError`` (a symlink loop, permissions) is one warning naming the file;
* "not there" (the platform is simply absent) is silent.
"""

from __future__ import annotations

import errno
import os
import stat

from ..._settings import warn_once

# Big enough for any /proc/self/mountinfo seen in practice, small enough that a
# strange file cannot stall start-up.
DEFAULT_LIMIT = 256 * 1024

_ABSENT = (errno.ENOENT, errno.ENOTDIR)
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def under_root(root: str, path: str) -> str:
    """``path`` (absolute, as on the platform) inside ``root``."""
    return os.path.join(root, path.lstrip("/"))


# The longest path a log line shows: a path can come from an environment variable, so it is as
# untrusted as any value (escaped, and cut).
_SHOWN_PATH = 200


def shown_path(path: str) -> str:
    """``path`` as a log line may show it: what a terminal would act on escaped, at most 200 characters."""
    from ..._terminal import visible  # noqa: PLC0415 - only on the path of a warning

    text = visible(path)
    return text if len(text) <= _SHOWN_PATH else text[: _SHOWN_PATH - 1] + "\u2026"


def _skip(full: str, why: str) -> None:
    warn_once(("file", full[:1024]), "Could not use %s (%s); skipped it", shown_path(full), why)


def read_bytes(root: str, path: str, limit: int = DEFAULT_LIMIT, *, whole: bool = False) -> bytes | None:
    """At most ``limit`` bytes of the regular file ``path`` under ``root``, or ``None``.

    With ``whole=True`` a file with more than ``limit`` bytes gives ``None``
    (one warning) instead of its first ``limit`` bytes.
    """
    full = under_root(root, path)
    if "\x00" in full:
        _skip(full, "the path holds a NUL character")
        return None
    try:
        descriptor = os.open(full, _FLAGS)
    except OSError as problem:
        if problem.errno not in _ABSENT:  # absent is the normal case off a platform: silent
            _skip(full, os.strerror(problem.errno) if problem.errno else type(problem).__name__)
        return None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            _skip(full, "not a regular file")
            return None
        chunks: list[bytes] = []
        wanted = limit + 1 if whole else limit
        while wanted > 0:
            chunk = os.read(descriptor, min(wanted, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
    except OSError as problem:
        _skip(full, os.strerror(problem.errno) if problem.errno else type(problem).__name__)
        return None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if whole and len(data) > limit:
        _skip(full, f"larger than {limit} bytes")
        return None
    return data


def read_text(root: str, path: str, limit: int = DEFAULT_LIMIT, *, whole: bool = False) -> str | None:
    """The text of ``path`` under ``root`` (see :func:`read_bytes`), or ``None`` when it cannot be had.

    Bytes that are not UTF-8 are replaced and NUL characters dropped, so that
    binary junk can never reach an attribute as control bytes.
    """
    data = read_bytes(root, path, limit, whole=whole)
    if data is None:
        return None
    return data.decode("utf-8", errors="replace").replace("\x00", "")


def exists(root: str, path: str) -> bool:
    return os.path.lexists(under_root(root, path))
