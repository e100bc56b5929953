"""Which version of the law applies (DESIGN.md section 6), and the date sweep over every version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from packs import PACK_HEADER, URL, rule, write_rules

from packs import read_scenario
from liability.declarations import bundled_vocabulary
from liability.bundled import scenarios_dir
from liability.loading import load_rulebook
from liability.reasoner import Reasoner
from liability.render.words import penalty_line
from liability.rulebook import RuleError, load_regimes
from liability.scenario import Scenario

REASONER = Reasoner()

LENITY = f"""\
time:
  basis: facts_date
  milder_later_law: true
  cites: "Test code, art. 112-1"
  url: {URL}
  because: {{fr: "La loi plus douce s'applique.", en: "The milder later law applies."}}
"""

HEADS = """\
heads:
  - id: tt.offence
    kind: offence
    proceedings: [criminal]
    title: {fr: "Infraction", en: "Offence"}
    question: {fr: "Infraction ?", en: "Offence?"}
"""


def penalty(versions: str) -> str:
    return f"""\
penalties:
  - id: tt.p
    cites: "Test code, art. 2"
    url: {URL}
    nature: délit
    versions:
{versions}"""


HARSHER_THEN_MILDER = penalty("""\
      - {in_force: {from: 2000-01-01, to: 2009-12-31}, prison_years: 10, fine: 100, currency: EUR}
      - {in_force: {from: 2010-01-01}, prison_years: 5, fine: 100, currency: EUR}
""")
MILDER_THEN_HARSHER = penalty("""\
      - {in_force: {from: 2000-01-01, to: 2009-12-31}, prison_years: 5, fine: 100, currency: EUR}
      - {in_force: {from: 2010-01-01}, prison_years: 10, fine: 100, currency: EUR}
""")

OFFENCE = rule("tt.r.offence", "money.posting_fees", "tt.offence", penalty="tt.p")


def reasoner(tmp_path: Path, *parts: str) -> Reasoner:
    write_rules(tmp_path, PACK_HEADER + "".join(parts))
    return Reasoner(tmp_path)


def finding(r: Reasoner, facts_date: str, judged_on: str, facts_end: str | None = None):  # type: ignore[no-untyped-def]
    s = bundled_vocabulary().model.model_validate({"id": "t", "facts_date": facts_date, "judged_on": judged_on, "facts_end": facts_end,
                                 "money": {"posting_fees": True}})
    document = r.assess(s)
    return document.regimes[0], document.regimes[0].findings[0]


def test_a_milder_later_penalty_applies_to_facts_not_yet_judged(tmp_path: Path) -> None:
    r = reasoner(tmp_path, LENITY, HEADS, HARSHER_THEN_MILDER, "rules:\n", OFFENCE)
    _, found = finding(r, "2005-01-01", "2012-01-01")
    assert found.penalties is not None and found.penalties.prison_years == 5
    assert "milder later version" in found.penalties.version_reason


def test_the_penalty_of_the_facts_date_applies_when_judged_before_the_milder_law(tmp_path: Path) -> None:
    r = reasoner(tmp_path, LENITY, HEADS, HARSHER_THEN_MILDER, "rules:\n", OFFENCE)
    _, found = finding(r, "2005-01-01", "2008-01-01")
    assert found.penalties is not None and found.penalties.prison_years == 10
    assert "facts' date (1 January 2005)" in found.penalties.version_reason


def test_a_harsher_later_penalty_never_reaches_back(tmp_path: Path) -> None:
    r = reasoner(tmp_path, LENITY, HEADS, MILDER_THEN_HARSHER, "rules:\n", OFFENCE)
    _, found = finding(r, "2005-01-01", "2012-01-01")
    assert found.penalties is not None and found.penalties.prison_years == 5


def test_without_the_lenity_rule_the_penalty_of_the_facts_date_applies(tmp_path: Path) -> None:
    r = reasoner(tmp_path, HEADS, HARSHER_THEN_MILDER, "rules:\n", OFFENCE)
    _, found = finding(r, "2005-01-01", "2012-01-01")
    assert found.penalties is not None and found.penalties.prison_years == 10


def test_an_offence_abolished_before_judgment_no_longer_applies_under_lenity(tmp_path: Path) -> None:
    abolished = OFFENCE.replace("in_force: {from: 2000-01-01}", "in_force: {from: 2000-01-01, to: 2009-12-31}")
    r = reasoner(tmp_path, LENITY, HEADS, HARSHER_THEN_MILDER, "rules:\n", abolished)
    regime, found = finding(r, "2005-01-01", "2012-01-01")
    assert found.status == "not_liable"
    assert regime.abolished == ["Test code, art. 1 (tt.r.offence)"]
    assert any("abolished by 1 January 2012" in reason for reason in found.because)
    _, before = finding(r, "2005-01-01", "2008-01-01")
    assert before.status == "liable"


def test_an_offence_repealed_without_lenity_still_applies_to_earlier_facts(tmp_path: Path) -> None:
    repealed = OFFENCE.replace("in_force: {from: 2000-01-01}", "in_force: {from: 2000-01-01, to: 2009-12-31}")
    r = reasoner(tmp_path, HEADS, HARSHER_THEN_MILDER, "rules:\n", repealed)
    regime, found = finding(r, "2005-01-01", "2012-01-01")
    assert found.status == "liable" and regime.abolished == []


RETROACTIVE = rule("tt.r.retro", "money.posting_fees", "tt.offence",
                   in_force="{from: 2018-04-11}", extra=f"""\
    time:
      basis: judged_on
      cites: "Test act, sec. 4(b)"
      url: {URL}
      because: {{fr: "Applicable quelle que soit la date des faits.", en: "Applies whatever the date of the conduct."}}
""")


def test_a_rule_chosen_by_the_date_of_judgment_reaches_earlier_conduct(tmp_path: Path) -> None:
    r = reasoner(tmp_path, HEADS, "rules:\n", RETROACTIVE)
    _, before = finding(r, "2016-01-01", "2017-01-01")
    assert before.status == "not_applicable"  # its only rule is not yet in force
    assert any("not in force on 1 January 2017 (the date of judgment)" in reason for reason in before.because)
    _, after = finding(r, "2016-01-01", "2019-01-01")
    assert after.status == "liable"
    (version,) = after.versions
    assert (version.chosen_by, version.date, version.time_rule) == ("judged_on", "2019-01-01", "Test act, sec. 4(b)")
    assert version.why == "Applies whatever the date of the conduct."


# --- conduct that lasted across a change of the law ---------------------------------------------

CONTINUING = LENITY + f"""\
  continuing:
    cites: "Test code, art. 112-1, al. 1"
    url: {URL}
    because: {{fr: "Jugé selon la loi en vigueur à la fin des agissements.", en: "Judged by the law at the end."}}
"""

NEW_OFFENCE = OFFENCE.replace("in_force: {from: 2000-01-01}", "in_force: {from: 2010-01-01}")


def test_conduct_that_went_on_past_a_harsher_law_is_judged_by_it_for_the_later_part(tmp_path: Path) -> None:
    r = reasoner(tmp_path, CONTINUING, HEADS, MILDER_THEN_HARSHER, "rules:\n", OFFENCE)
    _, found = finding(r, "2005-01-01", "2012-01-01", facts_end="2011-06-30")
    assert found.penalties is not None and found.penalties.prison_years == 10
    assert found.penalties.version_from == "2010-01-01"
    reason = found.penalties.version_reason
    assert "end of the conduct (30 June 2011)" in reason
    assert "the conduct before that date stays under the version then in force (5 years, a fine of EUR\u00a0100)" in reason


def test_the_sentence_governing_the_earlier_part_reads_as_a_report_says_a_sentence_in_its_language(
        tmp_path: Path) -> None:
    r = reasoner(tmp_path, CONTINUING, HEADS, MILDER_THEN_HARSHER, "rules:\n", OFFENCE)
    s = bundled_vocabulary().model.model_validate({"id": "t", "facts_date": "2005-01-01", "judged_on": "2012-01-01",
                                 "facts_end": "2011-06-30", "money": {"posting_fees": True}})
    (found,) = r.assess(s, "fr").regimes[0].findings
    assert found.penalties is not None and penalty_line(found.penalties, "fr") == "10 ans d'emprisonnement et 100\u00a0euros d'amende"
    assert "restent soumis à la version alors en vigueur (5 ans d'emprisonnement et 100\u00a0euros d'amende)" in found.penalties.version_reason


@pytest.mark.parametrize("versions, reason", [
    (MILDER_THEN_HARSHER, "facts' date (1 January 2005)"),    # it ended before the harsher law
    (HARSHER_THEN_MILDER, "milder later version"),        # a milder law came after it ended
], ids=["ended-before-a-harsher-law", "milder-law-after-it-ended"])
def test_lasting_conduct_that_ended_before_a_change_keeps_the_milder_law(tmp_path: Path, versions: str,
                                                                       reason: str) -> None:
    r = reasoner(tmp_path, CONTINUING, HEADS, versions, "rules:\n", OFFENCE)
    _, found = finding(r, "2005-01-01", "2012-01-01", facts_end="2008-06-30")
    assert found.penalties is not None and found.penalties.prison_years == 5
    assert reason in found.penalties.version_reason


def test_a_pack_that_does_not_judge_lasting_conduct_so_keeps_the_law_of_its_start(tmp_path: Path) -> None:
    r = reasoner(tmp_path, LENITY, HEADS, MILDER_THEN_HARSHER, "rules:\n", OFFENCE)
    _, found = finding(r, "2005-01-01", "2012-01-01", facts_end="2011-06-30")
    assert found.penalties is not None and found.penalties.prison_years == 5


def test_an_offence_created_while_the_conduct_went_on_reaches_only_its_later_part(tmp_path: Path) -> None:
    r = reasoner(tmp_path, CONTINUING, HEADS, penalty("""\
      - {in_force: {from: 2010-01-01}, prison_years: 3, fine: 100, currency: EUR}
"""), "rules:\n", NEW_OFFENCE)
    _, before = finding(r, "2005-01-01", "2012-01-01")
    assert before.status == "not_applicable"
    _, lasting = finding(r, "2005-01-01", "2012-01-01", facts_end="2011-06-30")
    assert lasting.status == "liable"
    (version,) = lasting.versions
    assert (version.chosen_by, version.date, version.time_rule) == ("facts_end", "2011-06-30",
                                                                    "Test code, art. 112-1, al. 1")
    assert version.why == "Judged by the law at the end."
    assert lasting.penalties is not None
    assert "the conduct before that date was not punishable under this text" in lasting.penalties.version_reason


def test_a_continuing_rule_whose_text_did_not_change_is_still_chosen_by_the_facts_date(tmp_path: Path) -> None:
    r = reasoner(tmp_path, CONTINUING, HEADS, HARSHER_THEN_MILDER, "rules:\n", OFFENCE)
    _, found = finding(r, "2005-01-01", "2006-01-01", facts_end="2005-06-30")
    (version,) = found.versions
    assert (version.chosen_by, version.date) == ("facts_date", "2005-01-01")
    assert found.penalties is not None and "facts' date (1 January 2005)" in found.penalties.version_reason


def test_a_continuing_policy_cites_an_official_source(tmp_path: Path) -> None:
    write_rules(tmp_path, PACK_HEADER + CONTINUING.replace(f"url: {URL}\n    because", "url: https://example.org/x\n    because")
                + "rules:\n" + OFFENCE)
    with pytest.raises(RuleError, match="time: continuing: url `https://example.org/x`"):
        load_rulebook(load_regimes(tmp_path)["tt"], tmp_path)


def test_procuring_of_a_child_under_fifteen_that_went_on_past_april_2021_faces_the_2021_penalty() -> None:
    """Loi n° 2021-478 raised 225-7-1 from 15 to 20 years' réclusion from 23 April 2021."""
    base = read_scenario(scenarios_dir() / "fr" / "fr-classifieds-under-15-continues-past-2021.yaml")
    natural = base.model_copy(update={"actor": base.actor.model_copy(update={"person": "natural"})})
    crime = _finding(natural, "fr.proxenetisme.crime")
    assert crime.status == "liable" and crime.penalties is not None
    assert (crime.penalties.prison_years, crime.penalties.version_from) == (20, "2021-04-23")
    assert "stays under the version then in force (15 years, a fine of EUR\u00a03,000,000)" in crime.penalties.version_reason
    ended = natural.model_copy(update={"facts_end": dt.date(2021, 3, 31)})
    assert _finding(ended, "fr.proxenetisme.crime").penalties.prison_years == 15  # type: ignore[union-attr]
    untimed = natural.model_copy(update={"facts_end": None})
    assert _finding(untimed, "fr.proxenetisme.crime").penalties.prison_years == 15  # type: ignore[union-attr]


def test_a_site_run_since_before_fosta_and_after_it_is_judged_under_2421a_for_the_later_part() -> None:
    base = read_scenario(scenarios_dir() / "us" / "us-2421a-operator-2019.yaml")
    opened_before = base.model_copy(update={"facts_date": dt.date(2017, 6, 1), "facts_end": dt.date(2019, 6, 1)})
    found = _finding(opened_before, "us.2421a")
    assert found.status == "liable"
    assert "facts_end" in {v.chosen_by for v in found.versions}
    closed_before = base.model_copy(update={"facts_date": dt.date(2017, 6, 1), "facts_end": dt.date(2018, 4, 10)})
    assert _finding(closed_before, "us.2421a").status == "not_applicable"


def _finding(s: Scenario, head: str):  # type: ignore[no-untyped-def]
    return next(f for regime in REASONER.assess(s).regimes for f in regime.findings if f.head == head)


def test_versions_of_one_provision_that_overlap_are_a_load_error(tmp_path: Path) -> None:
    first = rule("tt.r.v1", "money.posting_fees", "tt.offence", in_force="{from: 2000-01-01, to: 2010-12-31}",
                 extra="    provision: tt.art-1\n")
    second = rule("tt.r.v2", "money.posting_fees", "tt.offence", in_force="{from: 2010-01-01}",
                  extra="    provision: tt.art-1\n")
    write_rules(tmp_path, PACK_HEADER + HEADS + "rules:\n" + first + second)
    with pytest.raises(RuleError) as caught:
        load_rulebook(load_regimes(tmp_path)["tt"], tmp_path)
    assert any("provision tt.art-1: versions overlap" in p for p in caught.value.problems)


def _boundaries(periods: list[tuple[dt.date, dt.date | None]]) -> list[dt.date]:
    days = set()
    for start, end in periods:
        days |= {start - dt.timedelta(days=1), start, start + dt.timedelta(days=1)}
        if end:
            days |= {end - dt.timedelta(days=1), end, end + dt.timedelta(days=1)}
    return sorted(days)


SHIPPED = Reasoner()


@pytest.mark.parametrize("regime", sorted(SHIPPED.regimes))
def test_sweeping_dates_across_every_rule_version_finds_no_gap_and_no_overlap(regime: str) -> None:
    book = SHIPPED.rulebook(regime)
    for provision, versions in book.versions.items():
        periods = [(v.in_force.from_, v.in_force.to) for v in versions]
        first = min(start for start, _ in periods)
        ends = [end for _, end in periods]
        last = None if None in ends else max(ends)  # type: ignore[type-var]
        for day in _boundaries(periods):
            in_force = [v.id for v in versions if v.in_force.covers(day)]
            assert len(in_force) <= 1, f"{provision}: {in_force} all in force on {day}"
            inside = first <= day and (last is None or day <= last)
            assert bool(in_force) == inside, f"{provision}: no version in force on {day}"


@pytest.mark.parametrize("regime", sorted(SHIPPED.regimes))
def test_sweeping_dates_across_every_penalty_version_finds_no_gap_and_no_overlap(regime: str) -> None:
    for penalty in SHIPPED.rulebook(regime).penalties.values():
        periods = [(v.in_force.from_, v.in_force.to) for v in penalty.versions]
        first = min(start for start, _ in periods)
        for day in _boundaries(periods):
            covering = [v for v in penalty.versions if v.in_force.covers(day)]
            assert len(covering) <= 1, f"{penalty.id}: several versions on {day}"
            if day >= first and penalty.versions[-1].in_force.to is None:
                assert covering, f"{penalty.id}: no version on {day}"


_EX_POST_FACTO_NOTE = "compatible with the ban on retroactive criminal laws"
_EX_POST_FACTO_NOTE_1591 = "without running into the ban on retroactive criminal laws"


def _state_criminal_230(s: Scenario):  # type: ignore[no-untyped-def]
    return next(f for regime in REASONER.assess(s).regimes for f in regime.findings
                if f.head == "us.section230" and f.proceeding == "state_criminal")


def test_the_ex_post_facto_note_of_230e5_is_absent_for_conduct_after_fosta() -> None:
    """FOSTA (Pub. L. 115-164, approved 11 April 2018) sec. 4(b) applies 230(e)(5) to earlier
    conduct too, which raises the retroactivity question; conduct from 11 April 2018 raises none."""
    after = _state_criminal_230(read_scenario(scenarios_dir() / "us" / "platform-timeline-2019.yaml"))
    assert after.status == "lost"
    assert not any(_EX_POST_FACTO_NOTE in b or _EX_POST_FACTO_NOTE_1591 in b for b in after.because)


def test_the_ex_post_facto_note_of_230e5_is_given_for_conduct_before_fosta_judged_after() -> None:
    base = read_scenario(scenarios_dir() / "us" / "platform-timeline-2019.yaml")
    earlier = base.model_copy(update={"facts_date": dt.date(2018, 4, 10)})
    before = _state_criminal_230(earlier)
    assert before.status == "lost" and before.strength == "arguable"
    assert any(_EX_POST_FACTO_NOTE in b or _EX_POST_FACTO_NOTE_1591 in b for b in before.because)
