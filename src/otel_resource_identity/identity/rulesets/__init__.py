"""The rule tables this package ships, by name."""

from __future__ import annotations

from collections.abc import Mapping

from ..rules import Ruleset
from . import dash0_2026_04, dash0_2026_05

DEFAULT_RULESET = dash0_2026_04.RULESET.name

BY_NAME: Mapping[str, Ruleset] = {ruleset.name: ruleset for ruleset in (dash0_2026_04.RULESET, dash0_2026_05.RULESET)}

RULESETS: tuple[str, ...] = tuple(BY_NAME)
