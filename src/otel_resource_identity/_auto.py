"""What ``opentelemetry-instrument`` picks up: a pre-instrument hook, not a configurator.

Registered in the ``opentelemetry_pre_instrument`` entry-point group, so it
runs after whichever distro and configurator built the providers and *before*
every instrumentor: a record an instrumentor emits while instrumenting (the
logging instrumentation's own warning, say), and every record that reaches
the logging handler that ``opentelemetry-instrumentation-logging`` installs,
is stamped. It takes no configurator slot, and is turned off like any
instrumentation (``OTEL_PYTHON_DISABLED_INSTRUMENTATIONS=resource_identity``)
or with ``RESOURCE_IDENTITY_STAMP=none``. Not an ``opentelemetry_instrumentor``:
for those, ``opentelemetry-instrument`` reads the distribution's metadata to
check instrumented-library versions, which costs every start-up about 5 ms
(the ``email`` package's parser) for a hook that instruments no library. It adds the span and log record processors
to the global SDK providers and applies ``OTEL_EXPERIMENTAL_ENTITIES_ENABLED``.
The flag is also applied, earlier, by this package's resource detectors when
the SDK constructs them: before it builds its resource.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection
from typing import Any

from opentelemetry import trace
from opentelemetry._logs import get_logger_provider
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk.trace import TracerProvider

from ._install import add_log_record_processor, add_span_processor
from ._settings import STAMP
from ._snapstart import install as install_snapstart_hook
from ._uwsgi import install as install_uwsgi_fork_handling
from ._workers import install as install_worker_flush
from .entities.flag import apply_flag_from_environment

_logger = logging.getLogger(__name__)


def pre_instrument() -> None:
    """The entry point: install the processors unless disabled like an instrumentation."""
    disabled = {name.strip() for name in os.environ.get("OTEL_PYTHON_DISABLED_INSTRUMENTATIONS", "").split(",")}
    if "resource_identity" in disabled or "*" in disabled:
        _logger.debug("resource identity processors not installed: OTEL_PYTHON_DISABLED_INSTRUMENTATIONS")
        return
    ResourceIdentityInstrumentor().instrument()


class ResourceIdentityInstrumentor:
    """Installs the processors on the global providers (the auto-instrumentation hook)."""

    def instrumentation_dependencies(self) -> Collection[str]:
        return ()

    def instrument(self, **kwargs: Any) -> None:
        apply_flag_from_environment()
        install_uwsgi_fork_handling()
        install_worker_flush()
        install_snapstart_hook()
        targets = STAMP.read()
        tracers = trace.get_tracer_provider()
        if "spans" in targets and isinstance(tracers, TracerProvider):
            add_span_processor(tracers)
        loggers = get_logger_provider()
        if "logs" in targets and isinstance(loggers, LoggerProvider):
            add_log_record_processor(loggers)
        _logger.debug("resource identity processors installed for %s", sorted(targets))

    def uninstrument(self, **kwargs: Any) -> None:
        return
