"""What a run of the rules records: each firing, and the conclusions it reached.

Both engines (experta's in `engine`, the plain one in `direct`) produce these, and the findings
read them; they live apart from either engine so that building or rendering findings never loads
experta (DESIGN.md section 3: experta stays behind `engine`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .evaluator import Closure
from .schema import Text


class Step(NamedTuple):
    """One rule firing, as recorded by the engine.

    A named tuple rather than a frozen dataclass: just as immutable, and five times cheaper to
    build (a frozen dataclass sets each field through ``object.__setattr__``), which is most of
    the direct engine's cost per firing (DESIGN.md section 9).
    """

    step: int
    rule: str
    cites: str
    certain: bool
    facts: dict[str, Any]
    conclusions: tuple[str, ...]
    absent: tuple[str, ...]
    concluded: str
    element: Text | None
    strength: str


@dataclass
class Run:
    """The outcome of one scenario: conclusions and the trace that produced them."""

    closure: Closure
    trace: list[Step] = field(default_factory=list)
    blocking: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The explanations' memo: the facts that keep each conclusion from holding in this run, read
    once (most near misses of a regime fail on the same few premises)."""
