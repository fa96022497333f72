"""``configure()``: detection, providers, processors and the flag in one call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opentelemetry import metrics, trace
from opentelemetry._logs import get_logger_provider, set_logger_provider
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

from ._install import add_log_record_processor, add_span_processor
from ._providers import add_to_meter_provider_resource
from ._settings import STAMP, STAMP_TARGETS
from ._snapstart import install as install_snapstart_hook
from ._uwsgi import install as install_uwsgi_fork_handling
from ._workers import install as install_worker_flush
from .detection import detect_resource
from .entities.flag import apply_flag_from_environment, disable_entity_merge, enable_entity_merge
from .stamping import identity_attributes, stamp_resource


@dataclass(frozen=True)
class Configuration:
    """What ``configure()`` set up: the resource and the providers it used or built."""

    resource: Resource
    tracer_provider: TracerProvider | None
    logger_provider: LoggerProvider | None
    meter_provider: MeterProvider | None = None


def _targets(stamp: Iterable[str] | None) -> frozenset[str]:
    if stamp is None:
        return STAMP.read()
    chosen = frozenset(stamp) - {"none"}
    unknown = chosen - set(STAMP_TARGETS)
    if unknown:
        raise ValueError(f"stamp: unknown target(s) {sorted(unknown)}; accepted: {', '.join(STAMP_TARGETS)}, none")
    return chosen


def _global_tracer_provider(resource: Resource, set_global: bool) -> TracerProvider:
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = TracerProvider(resource=resource)
    if set_global:
        trace.set_tracer_provider(provider)
    return provider


def _global_logger_provider(resource: Resource, set_global: bool) -> LoggerProvider:
    current = get_logger_provider()
    if isinstance(current, LoggerProvider):
        return current
    provider = LoggerProvider(resource=resource)
    if set_global:
        set_logger_provider(provider)
    return provider


def configure(
    *,
    tracer_provider: TracerProvider | None = None,
    logger_provider: LoggerProvider | None = None,
    meter_provider: MeterProvider | None = None,
    resource: Resource | None = None,
    stamp: Iterable[str] | None = None,
    entities: bool | None = None,
    ruleset: str | None = None,
    prefix: str | None = None,
    set_global: bool = True,
) -> Configuration:
    """Detect the resource, set up the providers, install the processors, honour the flag.

    - ``entities``: ``True``/``False`` turns the entity-aware merge on/off; by
      default ``OTEL_EXPERIMENTAL_ENTITIES_ENABLED`` decides. Applied first, so
      detection already merges entity-aware.
    - ``resource``: default ``detect_resource()`` (the SDK's defaults, this
      package's detectors, ``OTEL_RESOURCE_ATTRIBUTES`` and ``OTEL_SERVICE_NAME``).
    - ``stamp``: any of ``spans``, ``logs``, ``resource`` (default
      ``RESOURCE_IDENTITY_STAMP``, else spans and logs). With ``resource`` the
      predicted values are added to the resource the new providers get.
    - ``tracer_provider``/``logger_provider``: given ones get the processors; else
      the global ones if they are SDK providers; else new providers with the
      resource are built and, with ``set_global``, made global. The log record
      processor is put before every exporting processor the provider has.
    - ``meter_provider``: with ``resource`` stamping, a given (or the global SDK)
      ``MeterProvider`` gets the predicted values added to its resource, so
      metrics carry them; with ``set_global`` a given one is made global when
      no SDK meter provider is global yet. Metrics have no per-point stamp.
    - ``ruleset``, ``prefix``: the rule table and the stamped keys' prefix.

    Calling it again never adds a processor twice.
    """
    if entities is True:
        enable_entity_merge()
    elif entities is False:
        disable_entity_merge()
    else:
        apply_flag_from_environment()
    install_uwsgi_fork_handling()
    install_worker_flush()
    install_snapstart_hook()
    targets = _targets(stamp)
    chosen = resource if resource is not None else detect_resource()
    if "resource" in targets:
        chosen = stamp_resource(chosen, prefix=prefix, ruleset=ruleset)

    tracers = tracer_provider or _global_tracer_provider(chosen, set_global)
    if "spans" in targets:
        add_span_processor(tracers, prefix=prefix, ruleset=ruleset)
    loggers = logger_provider or _global_logger_provider(chosen, set_global)
    if "logs" in targets:
        add_log_record_processor(loggers, prefix=prefix, ruleset=ruleset)
    meters = _meter_provider(meter_provider, set_global)
    if meters is not None and "resource" in targets:
        add_to_meter_provider_resource(meters, identity_attributes(chosen, prefix=prefix, ruleset=ruleset))
    return Configuration(chosen, tracers, loggers, meters)


def _meter_provider(given: MeterProvider | None, set_global: bool) -> MeterProvider | None:
    current = metrics.get_meter_provider()
    if given is None:
        return current if isinstance(current, MeterProvider) else None
    if set_global and not isinstance(current, MeterProvider):
        metrics.set_meter_provider(given)
    return given
