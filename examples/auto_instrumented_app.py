"""An application with no OpenTelemetry code at all, for ``opentelemetry-instrument``.

Shows: every span and log record it sends carries ``dash0.resource.id``,
``.name`` and ``.type``: the package is an instrumentation that adds its
processors to the providers ``opentelemetry-instrument`` builds.
Needs: ``pip install opentelemetry-distro opentelemetry-instrumentation-logging``
(the second bridges standard ``logging`` records); nothing else running with the
console exporters below (they print what would be sent)::

    OTEL_EXPERIMENTAL_RESOURCE_DETECTORS=otel,resource_identity \\
    OTEL_TRACES_EXPORTER=console OTEL_LOGS_EXPORTER=console OTEL_METRICS_EXPORTER=none \\
    opentelemetry-instrument python examples/auto_instrumented_app.py

``examples/environment-only.env`` holds the same settings, and more.
"""

from __future__ import annotations

import logging

from opentelemetry import trace


def main() -> None:
    logging.getLogger(__name__).warning("checkout started")
    with trace.get_tracer(__name__).start_as_current_span("checkout"):
        logging.getLogger(__name__).warning("order placed")


if __name__ == "__main__":
    main()
