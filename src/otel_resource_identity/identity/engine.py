"""The engine: evaluate a ruleset against attributes, predict, explain, coalesce.

It knows nothing about any platform; everything platform-specific is a row in
a ruleset table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from opentelemetry.sdk.resources import Resource

from .._settings import RULESET
from ..entities.model import same_value
from . import encoding
from .conditions import FirstOf, IfSet, Prefixed, TypeFromKey
from .rules import Rule, Ruleset
from .rulesets import BY_NAME

IDENTITY_RULE = "identity"
NAME_ATTRIBUTE = "dash0.resource.name"
TYPE_ATTRIBUTE = "dash0.resource.type"


@dataclass(frozen=True)
class ResourceIdentity:
    """What Dash0 would call a resource: ``id``, ``hash``, ``name``, ``type``.

    ``id`` and ``hash`` are decimal unsigned 64-bit strings. ``rule`` is the
    stable identifier of the rule that decided the id (``identity`` when none
    did), ``key`` the attributes that did, ``ruleset`` the table used.
    """

    id: str
    hash: str
    name: str | None
    type: str | None
    rule: str
    key: Mapping[str, object] = field(default_factory=dict)
    ruleset: str = ""


@dataclass(frozen=True)
class Verdict:
    """Why a rule did or did not decide: ``reason`` is empty for the rule that matched."""

    rule: str
    reason: str


def _attributes_of(resource_or_attributes: Resource | Mapping[str, object]) -> dict[str, object]:
    """The attributes that take part in a prediction.

    An SDK ``Resource`` can hold ``None`` and mapping values, which are not
    OTLP attribute values: they are left out, exactly as if absent, so that a
    prediction never fails on what the SDK accepted.
    """
    attributes = (
        resource_or_attributes.attributes if isinstance(resource_or_attributes, Resource) else resource_or_attributes
    )
    if not isinstance(attributes, Mapping):
        raise TypeError(f"predict() takes a Resource or a mapping of attributes, not {type(attributes).__name__}")
    found: dict[str, object] = {}
    for key, value in attributes.items():
        if not isinstance(key, str):
            raise TypeError(f"attribute keys must be strings, got {key!r}")
        if type(value) is str or encoding.is_attribute_value(value):
            found[key] = value
    return found


def ruleset_named(name: str | None) -> Ruleset:
    """The ruleset ``name``, or the one ``RESOURCE_IDENTITY_RULESET`` names (default ``dash0-2026-04``)."""
    chosen = name if name is not None else RULESET.read()
    try:
        return BY_NAME[chosen]
    except KeyError:
        raise ValueError(f"unknown ruleset {chosen!r}; known: {', '.join(BY_NAME)}") from None


def _key(rule: Rule, attributes: Mapping[str, object]) -> dict[str, object] | None:
    """The key when ``rule`` decides for ``attributes``, else ``None`` (the fast path: no reasons)."""
    keys = attributes.keys()
    if not keys >= rule.requires:
        return None
    if rule.requires_one_of and any(keys.isdisjoint(group) for group in rule.requires_one_of):
        return None
    for condition in rule.when:
        if not condition.holds(attributes):
            return None
    key: dict[str, object] = {}
    for source in rule.keys:
        if isinstance(source, Prefixed):
            key.update({name: value for name, value in attributes.items() if name.startswith(source.prefix)})
            continue
        found = source.resolve(attributes)
        if found is None:
            if isinstance(source, IfSet):
                continue
            return None
        key[found[0]] = found[1]
    return key


def match(rule: Rule, attributes: Mapping[str, object]) -> tuple[dict[str, object] | None, str]:
    """(key, "") when ``rule`` decides for ``attributes``, else (None, why not)."""
    key = _key(rule, attributes)
    if key is not None:
        return key, ""
    for condition in rule.when:
        failure = condition.failure(attributes)
        if failure is not None:
            return None, failure
    for source in rule.keys:
        if isinstance(source, (Prefixed, IfSet)) or source.resolve(attributes) is not None:
            continue
        if isinstance(source, FirstOf):
            names = ", ".join(part.describe().replace("`", "") for part in source.sources)
            return None, f"none of {names} is set"
        return None, f"{source.describe().replace('`', '')} is absent"
    return None, "no key"  # pragma: no cover - _key and this walk agree on every rule


def _evaluate(
    attributes: Mapping[str, object], ruleset: Ruleset, *, why: bool
) -> tuple[Rule | None, dict[str, object], list[Verdict]]:
    verdicts: list[Verdict] = []
    for rule in ruleset.rules:
        if why:
            key, reason = match(rule, attributes)
            verdicts.append(Verdict(rule.id, reason))
        else:
            key = _key(rule, attributes)
        if key is not None:
            return rule, key, verdicts
    return None, dict(attributes), verdicts


def _type_of(rule: Rule, key: Mapping[str, object]) -> str | None:
    if isinstance(rule.type, TypeFromKey):
        return rule.type.render(list(key))
    return rule.type


def predict(resource_or_attributes: Resource | Mapping[str, object], *, ruleset: str | None = None) -> ResourceIdentity:
    """The identity Dash0 would give these attributes: id, hash, name, type, and the rule.

    ``ruleset`` names a table of ``RULESETS`` (default: ``RESOURCE_IDENTITY_RULESET``,
    else ``dash0-2026-04``). ``dash0.*`` attributes take no part in id or hash;
    a ``dash0.resource.name`` or ``dash0.resource.type`` already set wins.
    """
    return _identify(resource_or_attributes, ruleset, why=False)[0]


def explain(
    resource_or_attributes: Resource | Mapping[str, object], *, ruleset: str | None = None
) -> tuple[ResourceIdentity, list[Verdict]]:
    """The identity, and for every rule tried (in order) why it did not decide."""
    return _identify(resource_or_attributes, ruleset, why=True)


def _identify(
    resource_or_attributes: Resource | Mapping[str, object], ruleset: str | None, *, why: bool
) -> tuple[ResourceIdentity, list[Verdict]]:
    table = ruleset_named(ruleset)
    everything = _attributes_of(resource_or_attributes)
    attributes = {key: value for key, value in everything.items() if not key.startswith("dash0.")}
    rule, key, verdicts = _evaluate(attributes, table, why=why)
    excluded = rule.hash_excludes if rule is not None else ()
    hashed = {k: v for k, v in attributes.items() if k not in excluded} if excluded else attributes
    # Encoded once: the hash's pairs are also the identity rule's key.
    hashed_pairs = encoding.pairs(hashed)
    resource_hash = encoding.number(encoding.HASH_PREFIX + hashed_pairs)
    if rule is None:
        identity_id = encoding.number(encoding.id_prefix(IDENTITY_RULE) + hashed_pairs)
        name, type_, rule_id = None, None, IDENTITY_RULE
    else:
        identity_id = encoding.number(encoding.id_input(rule.id, key))
        rendered = rule.name.render({**attributes, **key}) if rule.name else None
        name, type_, rule_id = rendered, _type_of(rule, key), rule.id
    user_name, user_type = everything.get(NAME_ATTRIBUTE), everything.get(TYPE_ATTRIBUTE)
    identity = ResourceIdentity(
        id=identity_id,
        hash=resource_hash,
        name=user_name if isinstance(user_name, str) and user_name else name,
        type=user_type if isinstance(user_type, str) and user_type else type_,
        rule=rule_id,
        key=MappingProxyType(dict(key)),
        ruleset=table.name,
    )
    return identity, verdicts


class Alternatives(tuple[object, ...]):
    """Several values one key has across coalesced attribute sets ("value1 OR value2")."""

    __slots__ = ()

    def __repr__(self) -> str:
        return " OR ".join(repr(value) for value in self)


def coalesce(resources: Iterable[Resource | Mapping[str, object]], *, ruleset: str | None = None) -> dict[str, object]:
    """Several attribute sets that share an id, combined as Dash0 documents.

    A key set in one gives that value; the same value in several gives it once;
    different values give an ``Alternatives`` of all of them, in order. Raises
    ``ValueError`` when the sets do not share an id.
    """
    sets = [_attributes_of(resource) for resource in resources]
    if not sets:
        return {}
    identities = [predict(attributes, ruleset=ruleset) for attributes in sets]
    if len({identity.id for identity in identities}) > 1:
        rules = ", ".join(f"#{n + 1}: {identity.rule}" for n, identity in enumerate(identities))
        raise ValueError(f"these attribute sets are different resources ({rules}); only sets that share an id coalesce")
    combined: dict[str, object] = {}
    for attributes in sets:
        for key, value in attributes.items():
            if key not in combined:
                combined[key] = value
                continue
            current = combined[key]
            known = list(current) if isinstance(current, Alternatives) else [current]
            if not any(same_value(value, seen) for seen in known):
                combined[key] = Alternatives((*known, value))
    return combined
