"""What every detector of this package shares: its inputs and the flag."""

from __future__ import annotations

import os
from collections.abc import Mapping

from opentelemetry.sdk.resources import ResourceDetector

from ..entities.flag import apply_flag_from_environment


class BaseDetector(ResourceDetector):
    """A ``ResourceDetector`` that reads its world from ``environ`` and ``root``.

    ``environ`` defaults to the process environment, read when ``detect()``
    runs; ``root`` is the filesystem root under which ``/proc``, ``/etc``,
    ``/sys`` and ``/var/run`` are read, so a detector can inspect a mounted host
    filesystem or a fixture folder.

    Constructing a detector applies ``OTEL_EXPERIMENTAL_ENTITIES_ENABLED`` (from
    ``environ``): the SDK builds every configured detector before it merges
    anything, so the flag is in force for the whole of ``Resource.create()``.
    """

    def __init__(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        root: str | os.PathLike[str] = "/",
        raise_on_error: bool = False,
    ) -> None:
        super().__init__(raise_on_error=raise_on_error)
        self._environ = environ
        self.root = os.fspath(root)
        apply_flag_from_environment(environ)

    @property
    def environ(self) -> Mapping[str, str]:
        """The environment this detector reads: the given mapping, else the process's, now."""
        return os.environ if self._environ is None else self._environ
