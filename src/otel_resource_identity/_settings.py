"""Every environment variable the package reads, read in one place.

Each setting is a row: its name, its default, how its text is parsed and what
it accepts. An invalid value is logged once (naming the variable and what is
accepted, never the value itself, which may be a secret pasted in the wrong
place) and the default is used: a typo never stops the application.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from ._locks import ForkSafeLock

_logger = logging.getLogger("otel_resource_identity")

T = TypeVar("T")

_warned: set[tuple[str, str]] = set()
_warned_lock = ForkSafeLock()


def warn_once(key: tuple[str, str], message: str, *args: object) -> None:
    """Log ``message`` as a warning the first time ``key`` is seen in this process."""
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    _logger.warning(message, *args)


def _parse_bool(text: str) -> bool:
    # The OpenTelemetry configuration spec: "true"/"false", case-insensitive.
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ValueError(text)


class Setting(Generic[T]):
    """One environment variable: its name, default, parser, what it accepts, what it means."""

    # A plain class with slots: a dataclass costs start-up time, and settings load at start-up.
    __slots__ = ("accepted", "default", "meaning", "name", "parse")

    def __init__(self, *, name: str, default: T, parse: Callable[[str], T], accepted: str, meaning: str) -> None:
        self.name = name
        self.default = default
        self.parse = parse
        self.accepted = accepted
        self.meaning = meaning

    def read(self, environ: Mapping[str, str] | None = None) -> T:
        """The setting's value in ``environ`` (the process environment by default)."""
        raw = (os.environ if environ is None else environ).get(self.name)
        if raw is None or not raw.strip():
            return self.default
        try:
            return self.parse(raw)
        except ValueError:
            warn_once(
                (self.name, raw),
                "%s has an invalid value; accepted: %s. Using the default.",
                self.name,
                self.accepted,
            )
            return self.default


ENTITIES_ENABLED: Setting[bool] = Setting(
    name="OTEL_EXPERIMENTAL_ENTITIES_ENABLED",
    default=False,
    parse=_parse_bool,
    accepted="true or false",
    meaning="true replaces the SDK's Resource merge with the entity-aware merge for the whole process",
)

ENTITIES: Setting[str] = Setting(
    name="OTEL_ENTITIES",
    default="",
    parse=str,
    accepted="entities as type{key=value,...}[key=value,...]@schema_url, separated by ';'",
    meaning="entities pushed in from outside the process (OpenTelemetry entity propagation)",
)


def _parse_seconds(text: str) -> float:
    seconds = float(text)
    if not 0 < seconds <= 60:
        raise ValueError(text)
    return seconds


DETECTION_TIMEOUT: Setting[float] = Setting(
    name="RESOURCE_IDENTITY_DETECTION_TIMEOUT",
    default=1.0,
    parse=_parse_seconds,
    accepted="a number of seconds greater than 0 and at most 60",
    meaning="the whole detection's budget for network calls, in seconds",
)

K8S_API: Setting[bool] = Setting(
    name="RESOURCE_IDENTITY_K8S_API",
    default=False,
    parse=_parse_bool,
    accepted="true or false",
    meaning="true lets the Kubernetes detector ask the API server for owner workloads, node and cluster (needs RBAC)",
)

K8S_LABELS: Setting[bool] = Setting(
    name="RESOURCE_IDENTITY_K8S_LABELS",
    default=False,
    parse=_parse_bool,
    accepted="true or false",
    meaning=(
        "true lets the well-known labels app.kubernetes.io/instance, /name and /version decide service.*, "
        "as the Kubernetes attributes convention requires them to be opted in"
    ),
)


def _parse_folder(text: str) -> str:
    folder = text.strip()
    if not folder.startswith("/") or "\x00" in folder:
        raise ValueError(text)
    return folder


K8S_PODINFO: Setting[str] = Setting(
    name="RESOURCE_IDENTITY_K8S_PODINFO",
    default="/etc/podinfo",
    parse=_parse_folder,
    accepted="an absolute folder path",
    meaning="the folder of a downward-API volume with the pod's labels and annotations files (read under root)",
)

AZURE_IMDS_ENDPOINT: Setting[str] = Setting(
    name="RESOURCE_IDENTITY_AZURE_IMDS_ENDPOINT",
    default="http://169.254.169.254",
    parse=str.strip,
    accepted="an http(s) base URL",
    meaning="the Azure instance metadata service's base URL (the Azure VM detector asks it only on Azure)",
)

# The platforms PlatformDetector knows, in merge order (lowest precedence first).
PLATFORM_NAMES: tuple[str, ...] = (
    "host",
    "aws_ec2",
    "gcp_compute",
    "azure_vm",
    "vm_clouds",
    "container",
    "aws_elastic_beanstalk",
    "gcp_app_engine",
    "azure_app_service",
    "azure_functions",
    "azure_container_apps",
    "azure_aks",
    "k8s",
    "aws_ecs",
    "aws_lambda",
    "gcp_cloud_run",
    "heroku",
    "vercel",
    "fly",
    "render",
    "railway",
    "cicd",
    "entities",
)


def _parse_platforms(text: str) -> tuple[str, ...]:
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if names in (["all"], ["*"]):
        return PLATFORM_NAMES
    if not names or any(name not in PLATFORM_NAMES for name in names):
        raise ValueError(text)
    return tuple(name for name in PLATFORM_NAMES if name in names)


DETECTORS: Setting[tuple[str, ...]] = Setting(
    name="RESOURCE_IDENTITY_DETECTORS",
    default=PLATFORM_NAMES,
    parse=_parse_platforms,
    accepted="all, or a comma-separated list of " + ", ".join(PLATFORM_NAMES),
    meaning="which platforms PlatformDetector considers",
)

# The rule tables identity/rulesets ships (tests check the two agree).
RULESET_NAMES: tuple[str, ...] = ("dash0-2026-04", "dash0-2026-05")


def _parse_ruleset(text: str) -> str:
    name = text.strip()
    if name not in RULESET_NAMES:
        raise ValueError(text)
    return name


RULESET: Setting[str] = Setting(
    name="RESOURCE_IDENTITY_RULESET",
    default=RULESET_NAMES[0],
    parse=_parse_ruleset,
    accepted=", ".join(RULESET_NAMES),
    meaning="the rule table predict() uses",
)

STAMP_TARGETS: tuple[str, ...] = ("spans", "logs", "resource")


def _parse_stamp(text: str) -> frozenset[str]:
    names = {name.strip().lower() for name in text.split(",") if name.strip()}
    if names == {"none"}:
        return frozenset()
    if not names or not names <= set(STAMP_TARGETS):
        raise ValueError(text)
    return frozenset(names)


STAMP: Setting[frozenset[str]] = Setting(
    name="RESOURCE_IDENTITY_STAMP",
    default=frozenset({"spans", "logs"}),
    parse=_parse_stamp,
    accepted="none, or a comma-separated list of spans, logs, resource",
    meaning="what gets the predicted dash0.resource.* values",
)

# A pattern, compiled (and cached by ``re``) only when the variable is set.
_KEY_PREFIX = r"[a-zA-Z][a-zA-Z0-9._-]*\."


def _parse_prefix(text: str) -> str:
    prefix = text.strip()
    if not re.fullmatch(_KEY_PREFIX, prefix):
        raise ValueError(text)
    return prefix


ATTRIBUTE_PREFIX: Setting[str] = Setting(
    name="RESOURCE_IDENTITY_ATTRIBUTE_PREFIX",
    default="dash0.resource.",
    parse=_parse_prefix,
    accepted="an attribute key prefix ending in '.', such as 'predicted.resource.'",
    meaning="the prefix of the stamped keys (<prefix>id, <prefix>name, <prefix>type)",
)

ALL_SETTINGS: tuple[
    Setting[bool] | Setting[str] | Setting[float] | Setting[tuple[str, ...]] | Setting[frozenset[str]], ...
] = (
    DETECTORS,
    RULESET,
    STAMP,
    ATTRIBUTE_PREFIX,
    ENTITIES_ENABLED,
    ENTITIES,
    DETECTION_TIMEOUT,
    K8S_API,
    K8S_LABELS,
    K8S_PODINFO,
    AZURE_IMDS_ENDPOINT,
)
