"""What every detector of this package shares: its inputs and the flag."""

from __future__ import annotations

import abc
import os
from collections.abc import Mapping

from opentelemetry.sdk.resources import Resource, ResourceDetector

from .._settings import DETECTION_TIMEOUT
from ..entities.flag import apply_flag_from_environment
from .inputs.deadline import Deadline


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

    def applies(self) -> bool:
        """Whether this detector's platform is signalled, judged from environment variables and
        local files alone (never the network). ``PlatformDetector`` runs only detectors that apply."""
        return True

    @property
    def environ(self) -> Mapping[str, str]:
        """The environment this detector reads: the given mapping, else the process's, now."""
        return os.environ if self._environ is None else self._environ


class NetworkDetector(BaseDetector):
    """A detector that may call a metadata endpoint once its platform is positively signalled.

    Alone (as the SDK runs it) it gets ``timeout`` seconds, by default
    ``RESOURCE_IDENTITY_DETECTION_TIMEOUT``; under ``PlatformDetector`` it shares
    that detector's single deadline.
    """

    def __init__(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        root: str | os.PathLike[str] = "/",
        timeout: float | None = None,
        raise_on_error: bool = False,
    ) -> None:
        super().__init__(environ=environ, root=root, raise_on_error=raise_on_error)
        self._timeout = timeout
        # What the detector knew before (or without) the network; it fills
        # this in as it goes, so that PlatformDetector can keep it when the
        # detector does not finish in time. Partial results are data.
        self.partial: dict[str, object] = {}

    def detect(self) -> Resource:
        seconds = self._timeout if self._timeout is not None else DETECTION_TIMEOUT.read(self._environ)
        return self.detect_within(Deadline.after(seconds))

    @abc.abstractmethod
    def detect_within(self, deadline: Deadline) -> Resource:
        """Detect, making network calls only until ``deadline``."""
