"""Rules and rulesets: rows of data, evaluated by the engine in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from .conditions import (
    AsText,
    Attr,
    Condition,
    Equals,
    Extract,
    FirstOf,
    KeySource,
    Matches,
    Name,
    OneOf,
    Present,
    TypeFromKey,
)


@dataclass(frozen=True)
class Rule:
    """One equality rule: when it applies, which attributes identify, what to call it.

    ``id`` is stable: it is part of every id the rule produces. ``origin`` says
    where the row comes from (``documented`` by Dash0, or ``decided`` by this
    package where the sources leave a choice), and ``note`` why.
    """

    id: str
    family: str
    when: tuple[Condition, ...]
    keys: tuple[KeySource, ...]
    type: str | TypeFromKey | None
    name: Name | None
    origin: str = "documented"
    note: str = ""
    hash_excludes: tuple[str, ...] = ()
    # Attributes the rule cannot do without: checked first, so that most rules
    # are ruled out with a few set lookups (predict is called per resource).
    requires: frozenset[str] = field(init=False, repr=False, compare=False)
    requires_one_of: tuple[frozenset[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        needed = {c.key for c in self.when if isinstance(c, (Present, Equals, OneOf, Matches))}
        needed |= {k.key for k in self.keys if isinstance(k, (Attr, AsText, Extract))}
        alternatives = tuple(frozenset(part.key for part in k.sources) for k in self.keys if isinstance(k, FirstOf))
        object.__setattr__(self, "requires", frozenset(needed))
        object.__setattr__(self, "requires_one_of", alternatives)


@dataclass(frozen=True)
class Ruleset:
    """A named table of rules in descending precedence; identity comes after the last."""

    name: str
    source: str
    rules: tuple[Rule, ...]
