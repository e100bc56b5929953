"""Regimes and dates side by side: one row per question, one column per regime and date.

A policy drafter asks "same facts: France or the United States, before or after FOSTA?". The
comparison runs one scenario under each regime at each date, groups each regime's findings by the
question they answer (each head declares its `topic`), and explains the columns that differ by the
rules that drew a conclusion in some columns and not in others: the versions in force and the
facts those rules read.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from .findings import Document, Finding, PenaltyAtStake, walk
from .rulebook import HOLDING_STATUSES
from .scenario import Scenario

if TYPE_CHECKING:  # the comparison's models are read by a renderer that runs no engine
    from .reasoner import Reasoner

TOPICS = ("jurisdiction", "threshold", "offences", "claims", "shield", "duties", "penalties", "clients")

QUESTIONS = {
    "en": {"jurisdiction": "Does the law reach the case?", "threshold": "Is the threshold met (e.g. prostitution)?",
           "offences": "Is the actor criminally liable?", "claims": "Is the actor civilly liable?",
           "shield": "Is it shielded as a host, or immune?", "duties": "Which duties did it breach?",
           "penalties": "What penalty is at stake at most?", "clients": "What do the service's users risk?"},
    "fr": {"jurisdiction": "La loi atteint-elle l'affaire ?", "threshold": "La condition préalable est-elle remplie (ex. prostitution) ?",
           "offences": "L'acteur est-il pénalement responsable ?", "claims": "L'acteur est-il civilement responsable ?",
           "shield": "Est-il protégé comme hébergeur, ou immunisé ?", "duties": "Quelles obligations a-t-il méconnues ?",
           "penalties": "Quelle peine encourt-il au plus ?", "clients": "Que risquent les utilisateurs du service ?"},
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Column(_Model):
    regime: str
    facts_date: str
    judged_on: str

    @property
    def label(self) -> str:
        dates = self.facts_date if self.facts_date == self.judged_on else f"{self.facts_date}/{self.judged_on}"
        return f"{self.regime} @ {dates}"


class Entry(_Model):
    """One finding in a cell: a head, for one proceeding."""

    head: str
    proceeding: str
    proceeding_label: str
    status: str
    strength: str | None
    penalty: PenaltyAtStake | None = None


class Row(_Model):
    topic: str
    question: str
    cells: list[list[Entry]]
    differs: bool


class Difference(_Model):
    """A rule that drew a conclusion in some columns and not in others."""

    rule: str
    cites: str
    drawn_in: list[str]
    not_drawn_in: list[str]
    version: str
    facts: dict[str, Any]


class Comparison(_Model):
    schema_: str
    scenario: str
    title: str | None
    lang: str
    columns: list[Column]
    rows: list[Row]
    differences: list[Difference]

    def as_json(self) -> dict[str, Any]:
        """The comparison as the grid the reports draw, and as tidy `records` (one per regime,
        dates, head and proceeding, every field named: what `pandas.json_normalize` reads)."""
        data = self.model_dump(mode="json")
        return {"schema": data.pop("schema_"), **data, "records": self.to_records()}

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per regime x dates x head x proceeding: the rows' findings, column by
        column, with the penalty at stake spread over named fields."""
        records = []
        for row in self.rows:
            if row.topic == "penalties":
                continue  # the penalties are fields of each finding's record
            for column, entries in zip(self.columns, row.cells):
                for entry in entries:
                    penalty = entry.penalty
                    records.append({
                        "scenario": self.scenario, "regime": column.regime, "facts_date": column.facts_date,
                        "judged_on": column.judged_on, "topic": row.topic, "topic_question": row.question,
                        "head": entry.head, "proceeding": entry.proceeding, "status": entry.status, "strength": entry.strength,
                        "prison_years": penalty.prison_years if penalty else None,
                        "life": penalty.life if penalty else None, "fine": penalty.fine if penalty else None,
                        "currency": penalty.currency if penalty else None,
                        "penalty_basis": penalty.basis if penalty else None, "differs": row.differs})
        return records


def parse_as_of(value: str) -> tuple[dt.date, dt.date]:
    """`DATE` (the facts happen and are judged that day) or `FACTS/JUDGED`."""
    facts, _, judged = value.partition("/")
    start = dt.date.fromisoformat(facts.strip())
    end = dt.date.fromisoformat(judged.strip()) if judged else start
    if end < start:
        raise ValueError(f"`{value}`: the date of judgment is before the facts")
    return start, end


def at_dates(scenario: Scenario, facts_date: dt.date, judged_on: dt.date) -> Scenario:
    """The same facts, happening on `facts_date` and judged on `judged_on`, under any regime."""
    return scenario.model_copy(update={"facts_date": facts_date, "judged_on": judged_on, "facts_end": None,
                                       "regimes": None})


def _entry(finding: Finding) -> Entry:
    return Entry(head=finding.head, proceeding=finding.proceeding, proceeding_label=finding.proceeding_label,
                 status=finding.status,
                 strength=finding.strength, penalty=finding.penalties)


def _sentence(penalty: PenaltyAtStake | None) -> tuple[Any, ...] | None:
    """What a reader compares between columns: the sentence itself, not the version it came from."""
    if penalty is None:
        return None
    return (penalty.life, penalty.prison_years, penalty.min_prison_years, penalty.fine, penalty.fine_percent_turnover,
            penalty.currency)


def _penalty_entry(findings: list[Finding]) -> list[Entry]:
    """The most severe penalty among the criminal findings that hold or may hold."""
    at_stake = [f for f in findings if f.penalties and (f.status in HOLDING_STATUSES or f.status == "undetermined")]
    if not at_stake:
        return []
    worst = max(at_stake, key=lambda f: (not f.penalties.conditional, f.penalties.life,
                                         f.penalties.prison_years or 0, f.penalties.fine or 0))
    return [_entry(worst)]


def compare(reasoner: Reasoner, scenario: Scenario, regimes: list[str], dates: list[tuple[dt.date, dt.date]],
            lang: str = "en") -> Comparison:
    """Run `scenario` under every regime at every date and line the answers up by question."""
    columns: list[Column] = []
    documents: list[tuple[Column, Document]] = []
    for facts_date, judged_on in dates:
        moved = at_dates(scenario, facts_date, judged_on)
        for regime in regimes:
            column = Column(regime=regime, facts_date=facts_date.isoformat(), judged_on=judged_on.isoformat())
            columns.append(column)
            documents.append((column, reasoner.assess(moved, lang, only=[regime], explain=False)))
    topics = {head.id: head.row for regime in regimes for head in reasoner.rulebook(regime).heads.values()}
    rows = []
    for topic in TOPICS:
        cells = []
        for _, document in documents:
            findings = [f for r in document.regimes for f in r.findings]
            if topic == "penalties":
                cells.append(_penalty_entry([f for f in findings if topics.get(f.head) == "offences"]))
            else:
                cells.append([_entry(f) for f in findings if topics.get(f.head) == topic])
        if any(cells):
            shown = [[(e.head, e.proceeding, e.status, e.strength, _sentence(e.penalty)) for e in cell]
                     for cell in cells]
            rows.append(Row(topic=topic, question=QUESTIONS[lang][topic], cells=cells,
                            differs=any(cell != shown[0] for cell in shown)))
    return Comparison(schema_="liability/comparison-v1", scenario=scenario.id, title=scenario.title, lang=lang,
                      columns=columns, rows=rows, differences=_differences(reasoner, documents))


def _differences(reasoner: Reasoner, documents: list[tuple[Column, Document]]) -> list[Difference]:
    """Rules used by some columns' findings and not by others' (among columns of the same regime
    at other dates, or of other regimes that share the rule's pack)."""
    used: dict[str, dict[str, Any]] = {}
    drawn: dict[str, set[str]] = {}
    for column, document in documents:
        for regime in document.regimes:
            for finding in regime.findings:
                if finding.derivation is None or finding.status == "undetermined":
                    continue
                for use in walk(finding.derivation):
                    if use.certain:
                        drawn.setdefault(use.rule, set()).add(column.label)
                        used.setdefault(use.rule, use.facts)
    result = []
    for rule_id in sorted(drawn):
        holders = [c for c, _ in documents if rule_id in reasoner.rulebook(c.regime).by_id]
        missing = [c.label for c in holders if c.label not in drawn[rule_id]]
        if not missing:
            continue
        rule = reasoner.rulebook(holders[0].regime).by_id[rule_id]
        version = f"{rule.in_force.from_}" + (f" .. {rule.in_force.to}" if rule.in_force.to else " ..")
        result.append(Difference(rule=rule_id, cites=rule.cites, drawn_in=sorted(drawn[rule_id]),
                                 not_drawn_in=missing, version=version, facts=used[rule_id]))
    return result
