"""Attribute names written as plain strings on the start-up path are the semantic conventions' own.

Importing the semantic-convention modules costs start-up time, so the entity
table (and other start-up modules) spell names out; this test holds every
such name to a constant of ``opentelemetry-semantic-conventions``.
"""

from __future__ import annotations

import importlib
import pkgutil

import opentelemetry.semconv._incubating.attributes as incubating
import opentelemetry.semconv.attributes as stable
from opentelemetry.semconv._incubating.attributes.host_attributes import HostArchValues
from opentelemetry.semconv._incubating.attributes.os_attributes import OsTypeValues
from opentelemetry.semconv.schemas import Schemas

from otel_resource_identity.detectors import _emit, container, host


def _constants() -> set[str]:
    names: set[str] = set()
    for package in (incubating, stable):
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            names |= {value for key, value in vars(module).items() if key.isupper() and isinstance(value, str)}
    return names


# Attributes go-contrib's Azure detectors report (and so the Collector's) before the conventions
# the installed package carries register them; docs/detectors.md says so.
NOT_YET_REGISTERED = {"azure.app_service.instance.id", "azure.container_app.instance.id"}


def test_every_entity_attribute_is_a_semantic_convention() -> None:
    constants = _constants()
    for entity_type in _emit.ENTITY_TYPES:
        for key in entity_type.id + entity_type.description:
            assert key in constants or key in NOT_YET_REGISTERED, f"{entity_type.name}: {key}"


def test_the_schema_url_is_the_constant() -> None:
    assert Schemas.V1_41_0.value == _emit.SCHEMA_URL


def test_the_host_and_container_detectors_names_and_values() -> None:
    constants = _constants()
    for name in (host.HOST_ARCH, host.HOST_ID, host.HOST_NAME, host.OS_BUILD_ID, host.OS_DESCRIPTION):
        assert name in constants, name
    for name in (host.OS_NAME, host.OS_TYPE, host.OS_VERSION, container.CONTAINER_ID, container.CONTAINER_RUNTIME_NAME):
        assert name in constants, name
    assert set(host._ARCH.values()) <= {member.value for member in HostArchValues}
    assert set(host._OS_TYPE.values()) <= {member.value for member in OsTypeValues}


def test_the_platform_detectors_names_are_the_semantic_conventions() -> None:
    from enum import Enum

    from otel_resource_identity.detectors import _names

    for name, module_name in _names.DIRECT_SOURCES.items():
        ours, theirs = getattr(_names, name), getattr(importlib.import_module(module_name), name)
        if isinstance(ours, type):  # an enum's values, as plain strings
            assert issubclass(theirs, Enum)
            members = {key: value for key, value in vars(ours).items() if key.isupper()}
            assert members
            assert all(theirs[key].value == value for key, value in members.items()), name
        else:
            assert ours == theirs, name
    for alias, module_name in _names.SOURCES.items():
        group, module = getattr(_names, alias), importlib.import_module(module_name)
        for name, value in vars(group).items():
            if name.startswith("_"):
                continue
            theirs = getattr(module, name)
            if isinstance(value, type):  # an enum's values, as plain strings
                members = {key: member for key, member in vars(value).items() if key.isupper()}
                assert all(theirs[key].value == member for key, member in members.items()), f"{alias}.{name}"
            else:
                assert value == theirs, f"{alias}.{name}"
