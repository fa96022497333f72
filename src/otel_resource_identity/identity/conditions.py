"""The closed vocabulary rule tables are written in.

Conditions say when a rule applies; key sources say which attributes identify
the resource once it does; names and types say what to call it. Every piece is
a small frozen value that can evaluate itself, explain a failure in words, and
describe itself for the rule tables of docs/identity.md, so the rules are pure data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..entities.model import same_value

Attributes = Mapping[str, object]


# Conditions ---------------------------------------------------------------


@dataclass(frozen=True)
class Present:
    """The attribute is set."""

    key: str

    def holds(self, attributes: Attributes) -> bool:
        return self.key in attributes

    def failure(self, attributes: Attributes) -> str | None:
        return None if self.key in attributes else f"{self.key} is absent"

    def describe(self) -> str:
        return f"`{self.key}` is set"


@dataclass(frozen=True)
class Equals:
    """The attribute is set to exactly this value (typed)."""

    key: str
    value: object

    def holds(self, attributes: Attributes) -> bool:
        return self.key in attributes and same_value(attributes[self.key], self.value)

    def failure(self, attributes: Attributes) -> str | None:
        if self.key not in attributes:
            return f"{self.key} is absent"
        if not same_value(attributes[self.key], self.value):
            return f"{self.key} is not {self.value!r}"
        return None

    def describe(self) -> str:
        return f"`{self.key} == {self.value!r}`".replace("'", '"')


@dataclass(frozen=True)
class OneOf:
    """The attribute is set to one of these values."""

    key: str
    values: tuple[object, ...]

    def holds(self, attributes: Attributes) -> bool:
        return self.key in attributes and any(same_value(attributes[self.key], value) for value in self.values)

    def failure(self, attributes: Attributes) -> str | None:
        if self.key not in attributes:
            return f"{self.key} is absent"
        if not any(same_value(attributes[self.key], value) for value in self.values):
            return f"{self.key} is none of {list(self.values)}"
        return None

    def describe(self) -> str:
        return f"`{self.key}` in {list(self.values)}".replace("'", '"')


@dataclass(frozen=True)
class Matches:
    """The attribute is a string matching the pattern (a URL shape, a prefix)."""

    key: str
    pattern: str

    def holds(self, attributes: Attributes) -> bool:
        value = attributes.get(self.key)
        return isinstance(value, str) and re.search(self.pattern, value) is not None

    def failure(self, attributes: Attributes) -> str | None:
        value = attributes.get(self.key)
        if value is None:
            return f"{self.key} is absent"
        if not isinstance(value, str) or not re.search(self.pattern, value):
            return f"{self.key} does not match {self.pattern}"
        return None

    def describe(self) -> str:
        return f"`{self.key}` matches `{self.pattern}`"


@dataclass(frozen=True)
class NoneOf:
    """None of these attributes is set."""

    keys: tuple[str, ...]

    def holds(self, attributes: Attributes) -> bool:
        return not any(key in attributes for key in self.keys)

    def failure(self, attributes: Attributes) -> str | None:
        found = [key for key in self.keys if key in attributes]
        return f"{', '.join(found)} {'is' if len(found) == 1 else 'are'} set" if found else None

    def describe(self) -> str:
        return "none of " + ", ".join(f"`{key}`" for key in self.keys) + " is set"


@dataclass(frozen=True)
class AnyOf:
    """At least one of the conditions holds."""

    conditions: tuple[Condition, ...]

    def holds(self, attributes: Attributes) -> bool:
        return any(condition.holds(attributes) for condition in self.conditions)

    def failure(self, attributes: Attributes) -> str | None:
        failures = [condition.failure(attributes) for condition in self.conditions]
        if any(failure is None for failure in failures):
            return None
        return " and ".join(str(failure) for failure in failures)

    def describe(self) -> str:
        return "(" + " or ".join(condition.describe() for condition in self.conditions) + ")"


Condition = Present | Equals | OneOf | Matches | NoneOf | AnyOf


# Key sources ---------------------------------------------------------------


@dataclass(frozen=True)
class Attr:
    """An attribute's value, under its own name."""

    key: str

    def resolve(self, attributes: Attributes) -> tuple[str, object] | None:
        return (self.key, attributes[self.key]) if self.key in attributes else None

    def describe(self) -> str:
        return f"`{self.key}`"


@dataclass(frozen=True)
class Extract:
    """A part of a string attribute (the first regex group), under the name ``as_key``."""

    key: str
    pattern: str
    as_key: str

    def resolve(self, attributes: Attributes) -> tuple[str, object] | None:
        value = attributes.get(self.key)
        if not isinstance(value, str):
            return None
        found = re.search(self.pattern, value)
        return (self.as_key, found.group(1)) if found else None

    def describe(self) -> str:
        return f"`{self.as_key}` from `{self.key}`"


@dataclass(frozen=True)
class FirstOf:
    """The first of the sources that is present ("A OR B" in Dash0's tables)."""

    sources: tuple[Attr | Extract, ...]

    def resolve(self, attributes: Attributes) -> tuple[str, object] | None:
        for source in self.sources:
            found = source.resolve(attributes)
            if found is not None:
                return found
        return None

    def describe(self) -> str:
        return "first set of (" + ", ".join(source.describe() for source in self.sources) + ")"


@dataclass(frozen=True)
class IfSet:
    """An attribute that is part of the key when present, and counts as absent otherwise."""

    key: str

    def resolve(self, attributes: Attributes) -> tuple[str, object] | None:
        return (self.key, attributes[self.key]) if self.key in attributes else None

    def describe(self) -> str:
        return f"`{self.key}` (if set)"


@dataclass(frozen=True)
class AsText:
    """An attribute's value, with a whole number taken as its decimal text.

    Decided here for identifiers the semantic conventions type as strings but
    other sources send as integers (the Collector's GitHub and GitLab
    receivers put ``cicd.pipeline.run.id`` on the resource as an int): ``123``
    and ``"123"`` are the same run.
    """

    key: str

    def resolve(self, attributes: Attributes) -> tuple[str, object] | None:
        if self.key not in attributes:
            return None
        value = attributes[self.key]
        if isinstance(value, int) and not isinstance(value, bool):
            return self.key, str(value)
        return self.key, value

    def describe(self) -> str:
        return f"`{self.key}` (a whole number as its decimal text)"


@dataclass(frozen=True)
class OrEmpty:
    """An attribute that may be missing: absent and empty both count as ``""``."""

    key: str

    def resolve(self, attributes: Attributes) -> tuple[str, object] | None:
        value = attributes.get(self.key)
        return self.key, "" if value is None else value

    def describe(self) -> str:
        return f"`{self.key}` (absent counts as empty)"


@dataclass(frozen=True)
class Prefixed:
    """Every attribute whose key starts with the prefix (may be none)."""

    prefix: str

    def describe(self) -> str:
        return f"every `{self.prefix}*`"


KeySource = Attr | AsText | Extract | FirstOf | IfSet | OrEmpty | Prefixed


def first_of(*keys: str) -> FirstOf:
    return FirstOf(tuple(Attr(key) for key in keys))


# Names and types -----------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """The first template whose attributes are all set; ``{key}`` is replaced by the value."""

    templates: tuple[str, ...]

    def render(self, attributes: Attributes) -> str | None:
        for template in self.templates:
            keys = re.findall(r"\{([^}]+)\}", template)
            # An empty value names nothing: the next template is tried.
            if keys and all(attributes.get(key) not in (None, "") for key in keys):
                return re.sub(r"\{([^}]+)\}", lambda m: _text(attributes[m.group(1)]), template)
        return None

    def describe(self) -> str:
        return ", else ".join(f"`{template}`" for template in self.templates)


def name_from(*keys: str) -> Name:
    return Name(tuple(f"{{{key}}}" for key in keys))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_text(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class TypeFromKey:
    """A type that depends on which key matched: ``k8s.deployment.uid`` -> ``k8s.deployment``."""

    suffix: str

    def render(self, key_names: Sequence[str]) -> str | None:
        for name in key_names:
            if name.endswith(self.suffix):
                return name[: -len(self.suffix)]
        return None

    def describe(self) -> str:
        return f"the matched key without `{self.suffix}`"
