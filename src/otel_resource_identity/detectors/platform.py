"""``PlatformDetector``: every platform detector, together, under one deadline.

1. Classify: ask each detector whether its platform is signalled, from
   environment variables and local files only. Off every platform that costs
   a few file reads and no network.
2. Run what applies: local detectors inline, network detectors on daemon
   threads that share one deadline (``RESOURCE_IDENTITY_DETECTION_TIMEOUT``,
   default 1 s). A thread still running at the deadline is left behind, never
   joined; its detector is reported as timed out.
3. Merge in a fixed precedence, lowest first: host, the cloud VM (EC2,
   Compute Engine, Azure), container, Elastic Beanstalk, App Engine, Azure App
   Service, Functions, Container Apps and AKS, Kubernetes, ECS, Lambda, Cloud Run, Heroku, Vercel, Fly.io,
   Render, Railway, CI/CD, then ``OTEL_ENTITIES``. The
   more specific source wins (ECS's ``DockerId`` over the cgroup guess).
4. Cache the result for the process: platform facts do not change on fork.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple

from opentelemetry.sdk import resources as sdk_resources
from opentelemetry.sdk import version as sdk_version
from opentelemetry.sdk.resources import Resource

from .._locks import ForkSafeLock
from .._settings import DETECTION_TIMEOUT, DETECTORS, STAMP, warn_once
from ..entities.flag import entity_merge_enabled
from ..entities.model import Entity
from ..entities.resource import resource_from_entities
from . import _signals
from ._base import BaseDetector, NetworkDetector
from ._emit import SCHEMA_URL, detected, per_process

# Host and container facts are looked for everywhere, so their detectors are
# imported up front; every other detector only once its platform is signalled.
from .container import ContainerDetector
from .host import HostDetector
from .inputs.deadline import Deadline

_logger = logging.getLogger(__name__)

Signal = Callable[[Mapping[str, str], str], bool]

# Merge order, lowest precedence first: the name RESOURCE_IDENTITY_DETECTORS
# accepts, the detector (module, class), and its signal. A detector's module is
# imported only when its platform is signalled, so an absent platform costs
# neither import time nor detection time.
PLATFORMS: tuple[tuple[str, str, str, Signal], ...] = (
    ("host", "host", "HostDetector", _signals.always),
    # Cloud VMs: above the plain host (the instance id is the host.id), below every
    # platform that runs on them (Kubernetes, ECS, Lambda, Cloud Run).
    ("aws_ec2", "aws.ec2", "AwsEc2Detector", _signals.aws_ec2),
    ("gcp_compute", "gcp.compute", "GcpComputeDetector", _signals.gcp_compute),
    ("azure_vm", "azure.vm", "AzureVmDetector", _signals.azure_vm),
    ("vm_clouds", "vm_clouds", "VmCloudDetector", _signals.vm_clouds),
    ("container", "container", "ContainerDetector", _signals.always),
    # Azure's managed platforms: above the VM and the container they run in; AKS's cluster facts
    # below the Kubernetes pod, into whose resource they merge.
    # Platforms on a cloud VM: above it (Beanstalk instances are EC2 instances, App Engine flexible
    # runs on a Compute Engine VM), keeping its host.id.
    ("aws_elastic_beanstalk", "aws.elastic_beanstalk", "AwsElasticBeanstalkDetector", _signals.aws_elastic_beanstalk),
    ("gcp_app_engine", "gcp.app_engine", "GcpAppEngineDetector", _signals.gcp_app_engine),
    ("azure_app_service", "azure.paas", "AzureAppServiceDetector", _signals.azure_app_service),
    ("azure_functions", "azure.paas", "AzureFunctionsDetector", _signals.azure_functions),
    ("azure_container_apps", "azure.paas", "AzureContainerAppsDetector", _signals.azure_container_apps),
    ("azure_aks", "azure.paas", "AzureAksDetector", _signals.azure_aks),
    ("k8s", "kubernetes.detector", "KubernetesDetector", _signals.kubernetes),
    ("aws_ecs", "aws.ecs", "AwsEcsDetector", _signals.aws_ecs),
    ("aws_lambda", "aws.lambda_function", "AwsLambdaDetector", _signals.aws_lambda),
    ("gcp_cloud_run", "gcp.cloud_run", "GcpCloudRunDetector", _signals.gcp_cloud_run),
    ("heroku", "paas", "HerokuDetector", _signals.heroku),
    ("vercel", "paas", "VercelDetector", _signals.vercel),
    ("fly", "paas", "FlyDetector", _signals.fly),
    ("render", "paas", "RenderDetector", _signals.render),
    ("railway", "paas", "RailwayDetector", _signals.railway),
    ("cicd", "cicd", "CicdDetector", _signals.cicd),
    ("entities", "env_entities", "EnvEntitiesDetector", _signals.otel_entities),
)


# Looked for everywhere: finding nothing is their normal "not present".
_ALWAYS = frozenset(name for name, _, _, signal in PLATFORMS if signal is _signals.always)

_LOADED: Mapping[str, type[BaseDetector]] = {"HostDetector": HostDetector, "ContainerDetector": ContainerDetector}


def _detector_class(module: str, name: str) -> type[BaseDetector]:
    if name in _LOADED:
        return _LOADED[name]
    found: type[BaseDetector] = getattr(importlib.import_module(f"{__package__}.{module}"), name)
    return found


class DetectorRun(NamedTuple):
    """What one detector did: ``outcome`` is ``detected``, ``not present``, ``nothing usable`` (its
    platform is signalled but it found nothing: a malformed ``OTEL_ENTITIES``, say), ``timed out`` or
    ``failed``. ``within`` names the run this one is part of (``sdk`` when the SDK ran it)."""

    name: str
    outcome: str
    seconds: float
    resource: Resource
    within: str = ""
    # Where the detector took some attributes from (``service.name`` → ``annotation ...``).
    sources: tuple[tuple[str, str], ...] = ()


class _Result(NamedTuple):
    resource: Resource
    runs: tuple[DetectorRun, ...]


_cache: dict[tuple[object, ...], _Result] = {}
_cache_lock = ForkSafeLock()
# The last detection of the process environment per (root, platforms, timeout, flag), with the pid
# that ran it. A forked worker inherits it even when its server changed the environment before the
# SDK re-ran the detectors (gunicorn sets SERVER_SOFTWARE): platform facts do not change on fork,
# and a worker must not ask the network again.
_inherited: dict[tuple[object, ...], tuple[int, _Result]] = {}


def _combine(old: Resource, new: Resource) -> Resource:
    """``old.merge(new)``, except that a schema URL conflict keeps every attribute.

    With the flag on, the entity-aware merge already does so. With it off,
    the SDK would keep ``old`` and drop ``new``'s attributes; instead the two
    are merged without schema URLs, with one warning.
    """
    if old.schema_url and new.schema_url and old.schema_url != new.schema_url and not entity_merge_enabled():
        warn_once(
            ("schema", f"{old.schema_url} {new.schema_url}"),
            "Resource detectors disagree on the schema URL (%s, %s); kept every attribute without one",
            old.schema_url,
            new.schema_url,
        )
        return Resource(old.attributes, "").merge(Resource(new.attributes, ""))
    return old.merge(new)


def selected_platforms(environ: Mapping[str, str] | None) -> tuple[str, ...]:
    """The platform names ``RESOURCE_IDENTITY_DETECTORS`` selects (all by default)."""
    return DETECTORS.read(environ)


class PlatformDetector(BaseDetector):
    """All platform detectors of this package, classified, run concurrently, merged, cached.

    ``detectors`` names the platforms to consider (default: the
    ``RESOURCE_IDENTITY_DETECTORS`` setting, else all); ``timeout`` is the
    budget in seconds for network calls (default:
    ``RESOURCE_IDENTITY_DETECTION_TIMEOUT``, else 1); ``cache=False`` detects
    afresh instead of reusing this process's earlier result for the same
    inputs. After ``detect()``, ``runs`` tells what each detector did and how
    long it took.
    """

    def __init__(
        self,
        *,
        environ: Mapping[str, str] | None = None,
        root: str | os.PathLike[str] = "/",
        timeout: float | None = None,
        detectors: tuple[str, ...] | list[str] | None = None,
        cache: bool = True,
        raise_on_error: bool = False,
    ) -> None:
        super().__init__(environ=environ, root=root, raise_on_error=raise_on_error)
        self._timeout = timeout
        self._names = tuple(detectors) if detectors is not None else None
        self._cache = cache
        self.runs: tuple[DetectorRun, ...] = ()

    def detect(self) -> Resource:
        names = self._names if self._names is not None else selected_platforms(self._environ)
        timeout = self._timeout if self._timeout is not None else DETECTION_TIMEOUT.read(self._environ)
        key = (self.root, names, timeout, entity_merge_enabled(), tuple(sorted(self.environ.items())))
        lineage = key[:4]
        from_environment = self._environ is None
        with _cache_lock:
            cached = _cache.get(key) if self._cache else None
            if cached is None and self._cache and from_environment and lineage in _inherited:
                pid, result = _inherited[lineage]
                cached = result if pid != os.getpid() else None
        ran = cached is None
        if cached is None:
            cached = self._run(names, timeout)
        if self._cache:
            with _cache_lock:
                _cache[key] = cached
                if from_environment and ran:
                    _inherited[lineage] = (os.getpid(), cached)
        self.runs = cached.runs
        return per_process(cached.resource)

    def is_process_dependent(self) -> bool:
        """After a fork the SDK (1.44 and newer) runs this again: the cached platform facts with the
        child's ``process.pid``, and the user's ``service.instance.id`` over the SDK's random one."""
        return True

    def _run(self, names: tuple[str, ...], timeout: float) -> _Result:
        deadline = Deadline.after(timeout)
        # Network calls stop a little before the deadline, so a detector whose
        # endpoint hangs still returns its partial result (and its own warning)
        # before the threads are given up on.
        network_deadline = Deadline(deadline.at - min(0.05, timeout / 10))
        environ = dict(self.environ)
        results: dict[str, DetectorRun] = {}
        threads: list[tuple[str, threading.Thread, NetworkDetector]] = []
        selected = [entry for entry in PLATFORMS if entry[0] in names]
        for name, module, class_name, signal in selected:
            started = time.perf_counter()
            if not signal(environ, self.root):
                results[name] = DetectorRun(name, "not present", time.perf_counter() - started, Resource.get_empty())
                continue
            detector = _detector_class(module, class_name)(environ=environ, root=self.root)
            if isinstance(detector, NetworkDetector):
                thread = threading.Thread(
                    target=_run_one,
                    args=(name, detector, network_deadline, results, started),
                    name=f"otel-resource-identity-{name}",
                    daemon=True,
                )
                thread.start()
                threads.append((name, thread, detector))
            else:
                _run_one(name, detector, deadline, results, started)
        for name, thread, detector in threads:
            thread.join(deadline.remaining())
            if thread.is_alive():
                _logger.warning(
                    "Resource detection: %s did not finish within %.2f s (RESOURCE_IDENTITY_DETECTION_TIMEOUT); "
                    "kept what it knew without the network",
                    name,
                    timeout,
                )
                results[name] = DetectorRun(name, "timed out", timeout, _partial(detector))
        resource = Resource.get_empty()
        if entity_merge_enabled():
            # The SDK's own attributes as the conventions' telemetry.sdk entity (the same values the
            # SDK's default resource holds loose), lowest, so that every detector ranks above it.
            resource = resource_from_entities(
                [Entity("telemetry.sdk", _SDK_IDENTITY, {"telemetry.sdk.version": sdk_version.__version__}, SCHEMA_URL)]
            )
        runs = []
        for name, *_ in selected:
            run = results[name]
            runs.append(run)
            resource = _combine(resource, run.resource)
        # The user's values over every platform's (see _user): a no-op unless a detector disagreed.
        # Without the user's variables there is nothing to do (and no module to load at start-up).
        overrides: dict[str, str] = {}
        if environ.get("OTEL_RESOURCE_ATTRIBUTES") or environ.get("OTEL_SERVICE_NAME"):
            from ._user import user_wins  # noqa: PLC0415

            merged = dict(resource.attributes)
            wanted, _ = user_wins(merged, {}, environ)
            overrides = {key: str(value) for key, value in wanted.items() if merged.get(key) != value}
        if overrides:
            resource = _combine(resource, Resource(overrides, resource.schema_url))
        if "resource" in STAMP.read(self._environ):
            resource = _stamped(resource, environ)
        return _Result(resource, tuple(runs))


def user_resource(environ: Mapping[str, str]) -> Resource:
    """``OTEL_RESOURCE_ATTRIBUTES`` and ``OTEL_SERVICE_NAME`` from ``environ``, as the SDK reads them."""
    from ._user import user_attributes  # noqa: PLC0415 - only where the resource is stamped

    return Resource(user_attributes(environ))


def _stamped(detected: Resource, environ: Mapping[str, str]) -> Resource:
    """``detected`` with the identity predicted for the resource the SDK will build from it.

    With ``resource`` in ``RESOURCE_IDENTITY_STAMP`` (the environment-only and
    ``opentelemetry-instrument`` path, where providers are built by the SDK):
    the SDK's defaults, this detection, then the user's variables, which the
    SDK merges last. Attributes passed in code to ``Resource.create()`` are not
    seen here; ``configure()`` stamps the final resource instead.
    """
    from ..stamping import identity_attributes  # noqa: PLC0415 - the identity layer loads only when asked for

    final = _SDK_DEFAULTS.merge(detected).merge(user_resource(environ))
    if "service.name" not in final.attributes:
        final = final.merge(Resource({"service.name": _default_service_name()}))
    instance = getattr(sdk_resources, "ServiceInstanceIdResourceDetector", None)
    if instance is not None and "service.instance.id" not in final.attributes:
        final = instance().detect().merge(final)
    stamped = identity_attributes(final)
    missing = {key: value for key, value in stamped.items() if key not in final.attributes}
    return detected.merge(Resource(missing)) if missing else detected


def _default_service_name() -> str:
    executable = os.path.basename(sys.executable) if sys.executable else ""
    return f"unknown_service:{executable}" if executable else "unknown_service"


_SDK_IDENTITY = {"telemetry.sdk.name": "opentelemetry", "telemetry.sdk.language": "python"}
_SDK_DEFAULTS = Resource(
    {
        "telemetry.sdk.language": "python",
        "telemetry.sdk.name": "opentelemetry",
        "telemetry.sdk.version": sdk_version.__version__,
    }
)


def _partial(detector: NetworkDetector) -> Resource:
    """What a network detector that did not finish knew without the network (its ``partial``)."""
    try:
        return detected(dict(detector.partial))
    except Exception:  # a detector still writing it on its thread; never into the app
        return Resource.get_empty()


def _run_one(
    name: str, detector: BaseDetector, deadline: Deadline, results: dict[str, DetectorRun], started: float
) -> None:
    try:
        if isinstance(detector, NetworkDetector):  # noqa: SIM108 - the ternary defeats type narrowing
            resource = detector.detect_within(deadline)
        else:
            resource = detector.detect()
    except Exception as problem:  # a bug in one detector must not take the others (or the app) down
        _logger.warning(
            "Resource detection: the %s detector failed (%s); kept what it knew without the network",
            name,
            type(problem).__name__,
        )
        _logger.debug("The %s detector's failure", name, exc_info=True)
        partial = _partial(detector) if isinstance(detector, NetworkDetector) else Resource.get_empty()
        results[name] = DetectorRun(name, "failed", time.perf_counter() - started, partial)
        return
    # Only signalled detectors run: one that finds nothing had something to go on.
    outcome = "detected" if resource.attributes else "not present" if name in _ALWAYS else "nothing usable"
    sources = tuple(sorted(getattr(detector, "sources", {}).items()))
    results.setdefault(name, DetectorRun(name, outcome, time.perf_counter() - started, resource, sources=sources))
