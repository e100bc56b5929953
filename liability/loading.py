"""A regime's rulebook ready to run: its packs loaded and checked, then its rules stratified.

The two steps live in the modules that own them: :func:`~liability.rulebook.checked_rulebook`
reads and checks the packs, :func:`~liability.graph.stratify` orders the rules by negation
stratum. Composing them here keeps `rulebook` free of the graph, which itself is built over a
`Rulebook`, so that neither module needs the other's import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .bundled import rules_dir
from .declarations import Declarations
from .rulebook import Regime, Rulebook, RuleError, checked_rulebook, declarations_of, load_regimes
from .sources import Document, read_document


def load_rulebook(regime: Regime, directory: Path | None = None,
                  read: Callable[[Path], Document] = read_document,
                  declarations: Declarations | None = None) -> Rulebook:
    """Load every pack of a regime and check the whole: ids, conclusions, penalties, strata."""
    # networkx is imported only when rules are stratified: its import alone costs more than the
    # rest of a load, and a rulebook cache hit (rulebook_cache) restores the strata it stored.
    from .graph import stratify

    book = checked_rulebook(regime, directory, read, declarations)
    stratify(book)
    return book


def load_all(directory: Path | None = None) -> dict[str, Rulebook]:
    """Every regime's rulebook; all problems across all packs are reported together."""
    declarations = declarations_of(directory)
    directory = directory or rules_dir()
    books: dict[str, Rulebook] = {}
    problems: list[str] = []
    for regime in load_regimes(directory).values():
        try:
            books[regime.id] = load_rulebook(regime, directory, declarations=declarations)
        except RuleError as error:
            problems.extend(p for p in error.problems if p not in problems)
    if problems:
        raise RuleError(problems)
    return books
