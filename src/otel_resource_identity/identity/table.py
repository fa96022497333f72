"""The rule tables of docs/identity.md, written from the rulesets themselves (a test keeps them equal)."""

from __future__ import annotations

from .conditions import Name, TypeFromKey
from .rules import Rule, Ruleset


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _type(rule: Rule) -> str:
    if isinstance(rule.type, TypeFromKey):
        return rule.type.describe()
    return f"`{rule.type}`" if rule.type else "—"


def _name(name: Name | None) -> str:
    return name.describe() if name else "—"


def markdown(ruleset: Ruleset) -> str:
    """One Markdown table: the rules in precedence order, then identity."""
    lines = [
        "| # | rule | family | applies when | key | type | name |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for number, rule in enumerate(ruleset.rules, start=1):
        when = " and ".join(condition.describe() for condition in rule.when) or "—"
        key = " + ".join(source.describe() for source in rule.keys)
        decided = " (decided here: " + rule.note + ")" if rule.origin == "decided" else ""
        lines.append(
            f"| {number} | `{rule.id}`{decided} | {rule.family} | {_cell(when)} | {_cell(key)} | "
            f"{_type(rule)} | {_cell(_name(rule.name))} |"
        )
    identity = "| `identity` | Identity | no rule above matched | every attribute | — | — |"
    lines.append(f"| {len(ruleset.rules) + 1} {identity}")
    return "\n".join(lines)
