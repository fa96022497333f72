"""``multiprocessing`` and Celery workers: their telemetry flushed before they end.

A ``multiprocessing`` child ends with ``os._exit``: Python's exit handlers, and with them the SDK's
shutdown flush, never run there, so whatever its batch processors still hold is lost. So, in every
child that ``multiprocessing`` starts (fork, spawn or forkserver), this module registers, through
``multiprocessing``'s own after-fork callbacks, a finalizer that ``multiprocessing`` runs when the
child ends normally; it flushes the global providers, waiting at most ``FLUSH_SECONDS`` for each
(on a thread of its own, so that a stuck export cannot hold the worker). A pool's ``terminate()``
(which leaving a ``with Pool(...)`` block calls) ends its workers with SIGTERM, which no Python
code survives: docs/setup.md says to ``close()`` and ``join()`` first. (A SIGTERM handler that
flushes could deadlock on a lock the interrupted code holds, so none is installed.) Celery's
prefork children end inside billiard's worker loop, before any finalizer: there Celery's
``worker_process_shutdown`` signal, sent in each child just before it exits, runs the flush.
Nothing is imported or installed in a process that uses neither, apart from ``netrc`` before a
fork where requests is loaded (see ``_LAZY_IMPORTS``).
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from types import ModuleType

_logger = logging.getLogger(__name__)
FLUSH_SECONDS = 2.0
_installed: list[bool] = []


class _Registration:
    """What ``register_after_fork`` holds on to (it keeps a weak reference to it)."""


_REGISTRATION = _Registration()


# multiprocessing, and billiard (its fork that Celery's prefork pool runs on): the same after-fork
# callbacks and finalizers.
_PACKAGES = ("multiprocessing", "billiard")


def install() -> None:
    """Arm the flush for the ``multiprocessing`` (and ``billiard``) children of this process, and for
    this process if it is one."""
    if _installed:
        return
    _installed.append(True)
    command = " ".join(getattr(sys, "orig_argv", ()))
    for package in _PACKAGES:
        # A spawned child or a forkserver: the package is about to run here anyway.
        if f"{package}." in command or f"{package}.util" in sys.modules:
            _register_with(package)
    if hasattr(os, "register_at_fork"):
        # A fork: a package this process uses by then runs the registration in the child.
        os.register_at_fork(before=_before_fork, after_in_child=_after_fork)


# What the exporters import on their first export, by the package that imports it: requests (the
# OTLP HTTP exporters' client) imports netrc inside every request. A fork taken while another thread
# of the parent is in that first import leaves the child the module's import lock for good (no
# thread of the child will release it), and every export of the child stuck behind it. Imported in
# the forking thread before each fork, such an import is either done already or waited for, never
# half-way; already imported, it costs a dictionary lookup.
_LAZY_IMPORTS = (("requests", "netrc"),)


def _before_fork() -> None:
    for user, name in _LAZY_IMPORTS:
        if user not in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except Exception:  # a fork must go on whatever happens here
            _logger.debug("could not import %s before a fork", name, exc_info=True)


def _after_fork() -> None:
    for package in _PACKAGES:
        if f"{package}.util" in sys.modules:
            _register_with(package)
    # Celery's prefork children end inside billiard's worker loop with os._exit, before any
    # finalizer: Celery's own signal, sent in each child just before it exits, flushes them.
    celery = sys.modules.get("celery.signals")
    shutdown = getattr(celery, "worker_process_shutdown", None)
    if shutdown is not None and hasattr(shutdown, "connect"):
        shutdown.connect(_flush_on_signal, weak=False, dispatch_uid="otel_resource_identity.flush")


def _flush_on_signal(*args: object, **kwargs: object) -> None:
    flush()


def _register_with(package: str) -> None:
    util = importlib.import_module(f"{package}.util")
    util.register_after_fork(_REGISTRATION, functools.partial(_in_child, util))


def _in_child(util: ModuleType, _: object) -> None:
    """Run by the package in each child it starts, after it cleared the parent's finalizers."""
    util.Finalize(None, flush, exitpriority=100)


def flush() -> None:
    """Flush the global tracer, logger and meter providers, waiting ``FLUSH_SECONDS`` at most for each
    and never longer in all. Never raises.

    The flush runs on a daemon thread of its own and the ending worker waits for it with that
    deadline. An SDK's ``force_flush`` ignores its timeout while its export thread holds the export
    lock, and that thread can be stuck for good: a fork taken while another thread of the parent was
    importing (the exporter's first request imports ``netrc``) leaves the child that module's import
    lock, which no thread of the child will ever release. Waiting in the ending worker would then
    hang it, and with it the pool's shutdown; the worker's end takes the stuck thread with it.
    """
    try:
        from ._providers import global_providers  # noqa: PLC0415

        flushes = [
            method for provider in global_providers() if callable(method := getattr(provider, "force_flush", None))
        ]
        if not flushes:
            return
        flushing = threading.Thread(
            target=_flush_each, args=(flushes,), name="otel-resource-identity-flush", daemon=True
        )
        flushing.start()
        flushing.join(FLUSH_SECONDS * len(flushes))
        if flushing.is_alive():
            _logger.debug("the telemetry of worker %d was not flushed within %.0f s", os.getpid(), FLUSH_SECONDS)
    except Exception:  # a worker must end whatever happens here
        _logger.debug("could not flush the telemetry of a multiprocessing worker", exc_info=True)


def _flush_each(flushes: list[Callable[..., object]]) -> None:
    milliseconds = int(FLUSH_SECONDS * 1000)
    for force_flush in flushes:
        try:
            force_flush(timeout_millis=milliseconds)
        except Exception:  # the next provider is flushed all the same
            _logger.debug("could not flush the telemetry of a multiprocessing worker", exc_info=True)
