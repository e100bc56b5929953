"""Rule coverage over a scenario library: which rules fired, and which conditions were never
seen true or never seen false.

A rule that no scenario makes fire is law nobody has checked against a case; a condition never
seen false is one no scenario shows failing. `liability check --coverage` prints this report, and
the test suite fails when a shipped rule fires in no bundled scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import conditions
from .rulebook import Rulebook
from .trace import Run


@dataclass
class Coverage:
    """What a scenario library exercised, per regime and rule."""

    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    fired: set[tuple[str, str]] = field(default_factory=set)
    seen_true: set[tuple[str, str]] = field(default_factory=set)
    seen_false: set[tuple[str, str]] = field(default_factory=set)

    def add(self, book: Rulebook, facts: dict[str, Any], run: Run, in_force: frozenset[str]) -> None:
        """Record one scenario's run under one regime."""
        regime = book.regime
        for rule in book.rules:
            self.rules.setdefault(regime, {})[rule.id] = rule
        self.fired.update((regime, step.rule) for step in run.trace if step.certain)
        for rule in book.rules:
            if rule.id not in in_force:
                continue
            value = conditions.evaluate(rule.condition, facts, run.closure.certain, run.closure.possible)
            if value is True:
                self.seen_true.add((regime, rule.id))
            elif value is False:
                self.seen_false.add((regime, rule.id))

    def report(self) -> list[str]:
        """Lines for a reader: per regime, counts, then the rules never fired or never tested both ways."""
        lines = []
        for regime, rules in self.rules.items():
            ids = list(rules)
            never = [r for r in ids if (regime, r) not in self.fired]
            never_true = [r for r in ids if (regime, r) not in self.seen_true]
            never_false = [r for r in ids if (regime, r) not in self.seen_false]
            lines.append(f"regime {regime}: {len(ids) - len(never)} of {len(ids)} rules fired")
            lines.extend(f"  never fired: {r}" for r in never)
            lines.extend(f"  condition never seen true: {r}" for r in never_true if r not in never)
            lines.extend(f"  condition never seen false: {r}" for r in never_false)
        return lines

    @property
    def never_fired(self) -> list[tuple[str, str]]:
        return [(regime, r) for regime, rules in self.rules.items() for r in rules if (regime, r) not in self.fired]
