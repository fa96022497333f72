"""uWSGI workers: the fork handling Python does not run there.

uWSGI forks its workers in C and, unless ``py-call-osafterfork`` is set, does not run Python's
after-fork hooks (``os.register_at_fork``). Those hooks are how the SDK (1.44 and newer) gives a
forked worker its own resource (``process.pid``, the ``process`` entity) and renews its locks,
and how this package renews its own; without them every worker reports the master's pid.

So, in a process uWSGI started (it sets ``UWSGI_ORIGINAL_PROC_NAME``), this module has uWSGI call
that handling itself after each fork, through the embedded ``uwsgi`` module's
``post_fork_hook`` (chained through ``uwsgidecorators`` when the app can import it, so neither
replaces the other). The ``uwsgi`` module exists only once uWSGI has initialised Python, after
``opentelemetry-instrument``'s start-up code ran, so the import function waits for it, once: the
app's first import statement (in the master before the fork, or in each worker with
``lazy-apps``) arms the hook and restores the import function. With
``py-call-osafterfork`` Python's own hooks run and nothing is done here. Outside uWSGI nothing is
installed.
"""

from __future__ import annotations

import builtins
import logging
import os
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

_logger = logging.getLogger(__name__)
_SIGNAL = "UWSGI_ORIGINAL_PROC_NAME"  # set by uWSGI in the processes it starts
_armed: list[bool] = []


def install() -> None:
    """Arm the after-fork handling in a uWSGI process; nothing elsewhere. Idempotent."""
    # uWSGI's embedded interpreter has no command line (a python that a uWSGI worker starts has one,
    # and inherits the variable): both together say this is uWSGI itself.
    if _SIGNAL not in os.environ or getattr(sys, "orig_argv", [""]) or _armed:
        return
    module = sys.modules.get("uwsgi")
    if module is not None:
        _arm(module, os.getpid())
        return
    # Not yet: uWSGI creates the module after Python's start-up. The next import statement (the
    # app's own, in the master before the fork, or in each worker with lazy-apps) arms the hook
    # and puts the import function back. An import finder would miss an app whose modules are
    # all imported already.
    original = builtins.__import__
    started_in = os.getpid()

    def waiting(*args: Any, **kwargs: Any) -> ModuleType:
        found = sys.modules.get("uwsgi")
        if found is not None and builtins.__import__ is waiting:
            builtins.__import__ = original
            _arm(found, started_in)
        return original(*args, **kwargs)

    builtins.__import__ = waiting
    _armed.append(True)


def _arm(module: ModuleType, started_in: int) -> None:
    _armed.append(True)
    options: Any = getattr(module, "opt", {})
    if isinstance(options, dict) and options.get("py-call-osafterfork"):
        _logger.debug("uWSGI runs Python's fork hooks (py-call-osafterfork): nothing to add")
        return
    if os.getpid() != started_in:
        # lazy-apps: this worker was forked before the app was imported here.
        refresh_after_fork()
    _chain(module, refresh_after_fork)
    _logger.debug("uWSGI workers will refresh their resource after each fork (post_fork_hook)")


def _chain(module: ModuleType, hook: Callable[[], None]) -> None:
    try:
        import uwsgidecorators  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415 - only under uWSGI

        chain = getattr(uwsgidecorators, "postfork_chain", None)
        if isinstance(chain, list):
            chain.append(hook)
            return
    except ImportError:
        pass
    previous = getattr(module, "post_fork_hook", None)

    def chained() -> None:
        hook()
        if callable(previous):
            previous()

    setattr(module, "post_fork_hook", chained)  # noqa: B010 - the embedded module declares no such name


def refresh_after_fork() -> None:
    """What Python's after-fork hooks would have done for identity: this package's locks renewed,
    and each global SDK provider's own fork handling (its resource refreshed with this process's
    process-dependent detectors, its locks renewed). Never raises into the server."""
    try:
        from ._locks import _after_fork_in_child  # noqa: PLC0415
        from ._providers import global_providers  # noqa: PLC0415

        _after_fork_in_child()
        for provider in global_providers():
            handle = getattr(provider, "_handle_fork", None)  # the SDK's own (1.44 and newer)
            if callable(handle):
                handle()
    except Exception:  # a worker must start whatever happens here
        _logger.warning("uWSGI worker: could not refresh the resource after the fork", exc_info=True)
