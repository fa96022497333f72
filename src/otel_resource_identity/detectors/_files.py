"""Reading the small files detectors look at, under a filesystem root.

Every detector reads files through here, so that ``root=`` (a mounted host
filesystem, a fixture folder) works everywhere, reads are bounded, and the
difference between "not there" (silent: the platform is simply absent) and
"there but unreadable" (one warning naming the file) is made in one place.
"""

from __future__ import annotations

import os

from .._settings import warn_once

# Big enough for any /proc/self/mountinfo seen in practice, small enough that a
# strange file (a device, a huge log) cannot stall start-up.
DEFAULT_LIMIT = 256 * 1024


def under_root(root: str, path: str) -> str:
    """``path`` (absolute, as on the platform) inside ``root``."""
    return os.path.join(root, path.lstrip("/"))


def read_text(root: str, path: str, limit: int = DEFAULT_LIMIT) -> str | None:
    """The text of ``path`` under ``root``, or ``None`` when it cannot be had.

    A file that does not exist is not an error (DEBUG only). One that exists
    but cannot be read logs one warning naming it. Undecodable bytes are
    replaced rather than failing the read.
    """
    full = under_root(root, path)
    try:
        with open(full, "rb") as handle:
            data = handle.read(limit)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as problem:
        warn_once(("file", full), "Could not read %s (%s); skipped it", full, type(problem).__name__)
        return None
    return data.decode("utf-8", errors="replace")


def exists(root: str, path: str) -> bool:
    return os.path.exists(under_root(root, path))
