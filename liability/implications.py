"""Drawn facts made to respect the implications the facts file declares (a child under 15 is a
minor), so that a generated scenario is one the loader accepts: what the property tests' random
scenarios and the benchmarks' generated ones share."""

from __future__ import annotations

from typing import Any

from .scenario import UNKNOWN, FactSpec


def respecting_implications(sections: dict[str, dict[str, Any]], facts: dict[str, FactSpec]) -> dict[str, dict[str, Any]]:
    """`sections` with each true fact whose declared implication the other drawn facts contradict
    turned false (a child under 15 drawn beside "no minors" becomes "no child under 15"), until
    none is left; the loader would refuse the contradiction, and the strategies want valid
    scenarios, not the loader's message."""

    def stated(path: str) -> Any:
        section, name = path.split(".", 1)
        value = sections.get(section, {}).get(name)
        return None if value == UNKNOWN else value

    changed = True
    while changed:
        changed = False
        for spec in facts.values():
            if stated(spec.path) is not True:
                continue
            if any(stated(other) is not None and stated(other) != value for other, value in spec.implies):
                section, name = spec.path.split(".", 1)
                sections[section][name] = False
                changed = True
    return sections
