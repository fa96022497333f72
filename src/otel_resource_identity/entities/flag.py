"""The flag: the entity-aware merge as the behaviour of ``Resource.merge``, and entities on the wire.

While the flag is on, every ``Resource.merge`` in the process (the SDK's
``Resource.create``, ``get_aggregated_resources``, auto-instrumentation, user
code) merges entity-aware whenever either side carries entities, and exactly
as the SDK does otherwise; and the OTLP exporters send ``entity_refs`` (see
``wire``). Turning it off puts the SDK's and the exporters' own functions back.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping

from opentelemetry.sdk.resources import Resource

from .._locks import ForkSafeLock
from .._settings import ENTITIES_ENABLED

_logger = logging.getLogger(__name__)
_lock = ForkSafeLock()


def _sdk_plain_merge() -> Callable[[Resource, Resource], Resource]:
    """The SDK's own ``Resource.merge``, even while the flag has replaced it."""
    current = Resource.__dict__["merge"]
    return getattr(current, "__wrapped__", current)  # type: ignore[no-any-return]


_PLAIN_MERGE = _sdk_plain_merge()
# The merge policy, loaded when the flag is first turned on (it costs start-up time otherwise).
_policy: list[Callable[[Resource, Resource], Resource]] = []


@functools.wraps(_PLAIN_MERGE)
def _entity_aware_merge(self: Resource, other: Resource) -> Resource:
    return _policy[0](self, other)


def enable_entity_merge() -> None:
    """Make ``Resource.merge`` entity-aware for the whole process (idempotent)."""
    with _lock:
        current = Resource.__dict__["merge"]
        if current is _entity_aware_merge:
            return
        if current is not _PLAIN_MERGE:
            # Someone else has replaced Resource.merge; wrapping theirs would
            # make disabling ambiguous, so leave it alone and say so once.
            _logger.warning("Resource.merge has been replaced by %r; the entity-aware merge was not installed", current)
            return
        if not _policy:
            from .merge import merge  # noqa: PLC0415 - the policy loads with the flag

            _policy.append(merge)
        Resource.merge = _entity_aware_merge  # type: ignore[method-assign]
        from . import wire  # noqa: PLC0415 - only with the flag on

        wire.install()
    _logger.debug("entity-aware Resource.merge installed")


def disable_entity_merge() -> None:
    """Put the SDK's own ``Resource.merge`` back (idempotent)."""
    with _lock:
        if Resource.__dict__["merge"] is _entity_aware_merge:
            Resource.merge = _PLAIN_MERGE  # type: ignore[method-assign,assignment]
            from . import wire  # noqa: PLC0415 - only with the flag on

            wire.uninstall()
            _logger.debug("entity-aware Resource.merge removed")


def entity_merge_enabled() -> bool:
    """Whether ``Resource.merge`` is the entity-aware merge right now."""
    return Resource.__dict__["merge"] is _entity_aware_merge


def apply_flag_from_environment(environ: Mapping[str, str] | None = None) -> None:
    """Turn the flag on when ``OTEL_EXPERIMENTAL_ENTITIES_ENABLED`` says ``true``.

    Called by every detector's constructor, so the flag is in force before the
    SDK's ``Resource.create`` merges anything. It never turns the flag off: an
    explicit ``enable_entity_merge()`` in code stays in force.
    """
    if ENTITIES_ENABLED.read(environ):
        enable_entity_merge()
