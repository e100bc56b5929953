"""What the documents built over findings share (a what-if, the flips of a finding): the parts
that name a scenario and a finding the way a findings document does, so that every such
document reads, and loads, alike."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ReportModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingRef(ReportModel):
    """A finding as the findings document names it: a head, in one regime and proceeding."""

    regime: str
    head: str
    proceeding: str
    proceeding_label: str
    question: str
    kind: str | None


class ScenarioReport(ReportModel):
    """A document about one scenario, in one language."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: str = Field(alias="schema")
    scenario: str
    title: str | None
    lang: str
    values: dict[str, dict[str, str]] = {}
    """The words for the choice facts' values, by fact then code (as in a findings document)."""

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
