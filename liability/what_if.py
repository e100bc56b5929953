"""What if some facts were otherwise: the findings that change, before and after.

A student asks "and if the site had not charged for the ads?": the same scenario is assessed twice,
as written and with the facts changed (:mod:`liability.changes`), and the findings are paired by
regime, head and proceeding. A finding changes when its status, its strength or the penalty at
stake changes; the reasons that stop holding and those that start are given beside it, which is
the "reason that changed".
"""

from __future__ import annotations

from typing import Any

from .analysis import fact_value
from .changes import Change, before_value, with_changes
from .findings import Document, Finding, PenaltyAtStake
from .reasoner import Reasoner
from .reports import FindingRef, ReportModel, ScenarioReport
from .scenario import Scenario

SCHEMA = "liability/whatif-v1"


class FactChange(ReportModel):
    fact: str
    before: Any
    """As the scenario states it (null: unknown or not stated)."""
    after: Any


class Side(ReportModel):
    """A finding as it stands on one side of the change."""

    status: str
    strength: str | None
    penalties: PenaltyAtStake | None
    penalties_up_to: PenaltyAtStake | None
    missing_facts: list[str]


class FindingChange(FindingRef):
    before: Side
    after: Side
    no_longer: list[str]
    """Reasons given before the change and not after it."""
    now: list[str]
    """Reasons given after the change and not before it."""
    cites: list[str]
    """What the finding rests on after the change (before it, where it no longer rests on anything)."""


class WhatIf(ScenarioReport):
    changes: list[FactChange]
    findings: list[FindingChange]
    """The findings that change, in the order of the reports."""
    unchanged: int
    """How many findings stay as they were."""

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per finding that changes, before and after side by side."""
        changed = "; ".join(f"{c.fact}={c.after}" for c in self.changes)
        return [{"scenario": self.scenario, "changes": changed, "regime": f.regime, "head": f.head,
                 "proceeding": f.proceeding, "status_before": f.before.status, "status_after": f.after.status,
                 "strength_before": f.before.strength, "strength_after": f.after.strength,
                 "fine_before": f.before.penalties.fine if f.before.penalties else None,
                 "fine_after": f.after.penalties.fine if f.after.penalties else None,
                 "prison_years_before": f.before.penalties.prison_years if f.before.penalties else None,
                 "prison_years_after": f.after.penalties.prison_years if f.after.penalties else None}
                for f in self.findings]


def _side(finding: Finding) -> Side:
    return Side(status=finding.status, strength=finding.strength, penalties=finding.penalties,
                penalties_up_to=finding.penalties_up_to, missing_facts=finding.missing_facts)


def _changed(before: Finding, after: Finding) -> bool:
    return _side(before).model_dump(exclude={"missing_facts"}) != _side(after).model_dump(exclude={"missing_facts"})


def compare_documents(before: Document, after: Document, changes: list[FactChange]) -> WhatIf:
    """The findings of `after` that differ from those of `before` (same scenario, changed facts)."""
    earlier = {(regime.regime, f.head, f.proceeding): f for regime in before.regimes for f in regime.findings}
    found, unchanged = [], 0
    for regime in after.regimes:
        for finding in regime.findings:
            previous = earlier.get((regime.regime, finding.head, finding.proceeding))
            if previous is None or not _changed(previous, finding):
                unchanged += previous is not None
                continue
            found.append(FindingChange(
                regime=regime.regime, head=finding.head, proceeding=finding.proceeding,
                proceeding_label=finding.proceeding_label, question=finding.question, kind=finding.kind,
                before=_side(previous), after=_side(finding),
                no_longer=[reason for reason in previous.because if reason not in finding.because],
                now=[reason for reason in finding.because if reason not in previous.because],
                cites=finding.cites or previous.cites))
    return WhatIf(schema=SCHEMA, scenario=after.scenario, title=after.title, lang=after.lang, changes=changes,
                  findings=found, unchanged=unchanged, values=after.values)


def what_if(reasoner: Reasoner, scenario: Scenario, changes: list[Change], lang: str = "en",
            only: list[str] | None = None) -> WhatIf:
    """The findings the changes alter, each before and after, with the reasons that changed."""
    changed = with_changes(scenario, changes)
    facts = [FactChange(fact=change.path, before=fact_value(before_value(scenario, change.path)),
                        after=fact_value(before_value(changed, change.path))) for change in changes]
    before = reasoner.assess(scenario, lang, only, explain=False)
    after = reasoner.assess(changed, lang, only, explain=False)
    return compare_documents(before, after, facts)
