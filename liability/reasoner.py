"""The library's entry point: assess a scenario under its regimes and return the findings.

A :class:`Reasoner` loads the rule packs once, builds each regime's experta engine the first
time it is needed, and reuses it (``reset()`` between scenarios): building an engine costs far
more than running one (DESIGN.md section 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .bundled import rules_dir
from .burden import Proof, proofs_lacking
from .direct import DirectEngine
from .engine import Engine
from .decide import Decisions, FactEncodings, StatusDecision
from .declarations import Declarations
from .deductions import Deduction, deduced
from .findings import SCHEMA, Document, Finding, build_regime
from .glossary import Glossary, load_glossary
from .plan import scenario_facts
from .rulebook import Regime, Rulebook, RuleError, Selection, declarations_of, load_regimes
from .rulebook_cache import cached_rulebook
from .scenario import Known, Pinned, Scenario, Vocabulary, load_scenario
from .trace import Run
from .version import __version__

Observer = Callable[[Rulebook, dict[str, Any], Run, frozenset[str]], None]
"""Sees each regime's run of an assessment (rule coverage is one)."""

ENGINES: dict[str, type[Engine] | type[DirectEngine]] = {"experta": Engine, "direct": DirectEngine}
"""experta runs single assessments; the direct engine, proven to fire the same rules in the same
order, serves work over many scenarios."""


@dataclass(frozen=True)
class RegimeDecision:
    """What one regime makes of a scenario: the rules selected, the run, and exact head statuses."""

    book: Rulebook
    selection: Selection
    run: Run
    record: Scenario
    """The scenario as this regime reads it: with the facts a court deduces, and as its posture
    says (:meth:`Scenario.record`)."""
    deduced: dict[str, Deduction]
    """The facts deduced from the stated ones, by path."""
    facts: dict[str, Any]
    exact: Decisions
    statuses: dict[tuple[str, str], StatusDecision]
    lacking: dict[tuple[str, str], list[Proof]]
    """On a closed record, for each finding, the proofs that would have changed it."""


@dataclass(frozen=True)
class Mismatch:
    """A finding that differs from the scenario's `expect` block in one of the fields it pins."""

    head: str
    proceeding: str | None
    expected: str
    got: str
    field: str = "status"
    """`status`, `strength`, or a field of the penalty at stake (`prison_years`, `fine`...)."""


class Reasoner:
    """Rulebooks and engines for every regime, loaded lazily and kept for the process."""

    def __init__(self, directory: Path | None = None, engine: str = "experta",
                 rulebooks: dict[str, Rulebook] | None = None,
                 encodings: dict[str, FactEncodings] | None = None) -> None:
        """`rulebooks`: regimes' rulebooks already loaded, used instead of the packs' (a reform's,
        which the rulebook cache must never hold under the packs' key); `encodings`: their fact
        encodings, for reasoners whose diagrams share one manager (a reform's and the packs')."""
        if engine not in ENGINES:
            raise ValueError(f"unknown engine `{engine}`; known: {', '.join(ENGINES)}")
        self.engine_name = engine
        self.directory = directory or rules_dir()
        self.regimes: dict[str, Regime] = load_regimes(self.directory)
        self.declarations: Declarations = declarations_of(directory)
        self._books: dict[str, Rulebook] = dict(rulebooks or {})
        self._engines: dict[tuple[str, frozenset[str] | None], Engine | DirectEngine] = {}
        self._encodings: dict[str, FactEncodings] = dict(encodings or {})
        self._glossary: Glossary | None = None
        self._known: Known | None = None

    @property
    def vocabulary(self) -> Vocabulary:
        """What a scenario may state under these rules, and the model that checks it."""
        return self.declarations.vocabulary

    @property
    def deductions(self) -> tuple[Deduction, ...]:
        return self.declarations.deductions

    @property
    def glossary(self) -> Glossary:
        if self._glossary is None:
            self._glossary = load_glossary(self.directory, self.vocabulary)
        return self._glossary

    def rulebook(self, regime: str) -> Rulebook:
        if regime not in self._books:
            if regime not in self.regimes:
                raise RuleError([f"unknown regime `{regime}`; known: {', '.join(self.regimes)}"])
            self._books[regime] = cached_rulebook(self.regimes[regime], self.directory, self.declarations)
        return self._books[regime]

    def engine(self, regime: str, in_force: frozenset[str] | None = None) -> Engine | DirectEngine:
        """The regime's engine, built on first use and kept for the process.

        experta's build cost grows with the number of rules, so its engines are built for the rules
        in force in one period of the law (`in_force`) and kept per period; the direct engine costs
        nothing to build and serves every period.
        """
        key = (regime, in_force if self.engine_name == "experta" else None)
        if key not in self._engines:
            self._engines[key] = ENGINES[self.engine_name](self.rulebook(regime), key[1])
        return self._engines[key]

    def encodings(self, regime: str) -> FactEncodings:
        """The regime's fact encodings and decision-diagram manager, built once per process."""
        if regime not in self._encodings:
            self._encodings[regime] = FactEncodings(self.rulebook(regime), self.vocabulary.facts)
        return self._encodings[regime]

    def known(self) -> Known:
        """Each regime's heads and their proceedings, to check what a scenario names."""
        if self._known is None:
            self._known = Known({regime: {head.id: tuple(head.proceedings) for head in self.rulebook(regime).heads.values()}
                                 for regime in self.regimes})
        return self._known

    def load(self, path: Path | str, data: bytes | None = None) -> Scenario:
        """Read and validate a scenario file (or `data` already read, named `path`), and check the
        regimes and heads it names against the rule packs (raises
        :class:`~liability.scenario.ScenarioError`)."""
        return load_scenario(path, self.vocabulary, self.known(), data)

    def regimes_for(self, scenario: Scenario, only: list[str] | None = None) -> list[str]:
        """The scenario's regimes (every regime by default), narrowed to `only` if given."""
        chosen = scenario.regimes or list(self.regimes)
        unknown = [r for r in chosen + (only or []) if r not in self.regimes]
        if unknown:
            raise RuleError([f"unknown regime `{unknown[0]}`; known: {', '.join(self.regimes)}"])
        return [r for r in chosen if only is None or r in only]

    def decide(self, scenario: Scenario, regime: str) -> RegimeDecision:
        """One regime's run of the scenario and the exact status of each of its heads.

        The scenario is read as its posture says (:meth:`Scenario.record`): on a closed record,
        what it does not state is not shown, and each finding comes with the proofs it lacks; in
        a hypothetical, the facts of defences nobody raised are not open questions."""
        book = self.rulebook(regime)
        found = deduced(self.deductions, scenario_facts(scenario))
        scenario = scenario.with_facts({path: d.value for path, d in found.items()}).record(book.defence_facts)
        facts = scenario_facts(scenario)
        selection = book.select(scenario.facts_date, scenario.assessed_on, scenario.facts_end)
        run = self.engine(regime, selection.in_force).run(scenario, selection.in_force)
        rules = [r for r in book.order if r.id in selection.in_force]
        exact = Decisions(lambda: self.encodings(regime), book, rules, facts, run.closure)
        wanted = set(scenario.proceedings) if scenario.proceedings else None
        statuses = {(head.id, proceeding): exact.status(head.id, head.outcomes_for(proceeding), head.fallback)
                    for head in book.heads.values() for proceeding in head.proceedings
                    if wanted is None or proceeding in wanted}
        lacking = proofs_lacking(book, rules, facts, {key: decision.status for key, decision in statuses.items()
                                                      if decision.status is not None}, self.vocabulary.facts,
                                 frozenset(found)) if scenario.closed else {}
        return RegimeDecision(book, selection, run, scenario, found, facts, exact, statuses, lacking)

    def assess(self, scenario: Scenario, lang: str = "en", only: list[str] | None = None,
               observe: Observer | None = None, explain: bool = True) -> Document:
        """Run the scenario through each of its regimes and build the findings document.

        `observe`, if given, sees each regime's run (rule coverage uses it). `explain` adds each
        finding's analysis element by element and its near misses: what reports need, and most of
        the cost of a document, so batch runs and `check` leave it out.
        """
        results = []
        for regime in self.regimes_for(scenario, only):
            decided = self.decide(scenario, regime)
            if observe is not None:
                observe(decided.book, decided.facts, decided.run, decided.selection.in_force)
            results.append(build_regime(decided.book, decided.record, decided.facts, decided.run, decided.statuses,
                                        decided.exact, decided.selection, lang, explain, decided.lacking,
                                        decided.deduced))
        document = Document(schema_=SCHEMA, engine=f"liability {__version__}", scenario=scenario.id,
                            title=scenario.title, lang=lang, regimes=results,
                            values=self.vocabulary.value_labels(lang))
        return self.glossary.annotate(document, lang)


def mismatches(scenario: Scenario, document: Document) -> list[Mismatch]:
    """Where the findings differ from what the scenario's `expect` block says they must be.

    A key is a head id, checked in every regime that answers it (each regime's finding must agree,
    not only the first one's), or `regime/head` for one regime (a head such as the EU host
    exemption belongs to both the French and the EU regimes, which can answer it differently on the
    same date). An expectation gives the status, or the status with the strength and the penalty
    at stake pinned, for every proceeding or per proceeding.
    """
    if not scenario.expect:
        return []
    findings: dict[str, list[tuple[str, Finding]]] = {}
    for regime in document.regimes:
        for finding in regime.findings:
            findings.setdefault(finding.head, []).append((regime.regime, finding))
    result = []
    for key, expected in scenario.expect.items():
        regime, _, head = key.rpartition("/")
        found = [f for r, f in findings.get(head, []) if not regime or r == regime]
        if not found:
            result.append(Mismatch(key, None, _written(expected), "no such finding"))
            continue
        wanted = expected if isinstance(expected, dict) else {f.proceeding: expected for f in found}
        for proceeding, expectation in wanted.items():
            answering = [f for f in found if f.proceeding == proceeding]
            if not answering:
                result.append(Mismatch(key, proceeding, _written(expectation), "no such finding"))
                continue
            for field, value in _pinned(expectation).items():
                for got in dict.fromkeys(_field_of(f, field) for f in answering):
                    if got != value:
                        result.append(Mismatch(key, proceeding, _written(value), _written(got), field))
    return result


def _pinned(expectation: str | Pinned) -> dict[str, Any]:
    """The fields an expectation pins, status first."""
    if isinstance(expectation, Pinned):
        return {"status": expectation.status, **expectation.pinned}
    return {"status": expectation}


def _field_of(finding: Finding, field: str) -> Any:
    """A finding's status, strength, or a field of the penalty at stake (None without a penalty;
    a field the findings do not report reads as `not reported`)."""
    if field in ("status", "strength"):
        return getattr(finding, field)
    if finding.penalties is None:
        return None
    return getattr(finding.penalties, field, "not reported")


def _written(value: Any) -> str:
    if isinstance(value, Pinned):
        return ", ".join(f"{k}: {_written(v)}" for k, v in _pinned(value).items())
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_written(v)}" for k, v in value.items())
    return "null" if value is None else "true" if value is True else "false" if value is False else str(value)
