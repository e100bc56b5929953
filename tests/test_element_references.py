"""Elements that name the rules establishing them (docs/rule-packs.md, Elements): `established_by`
instead of a copy of a rule's condition. Such an element is met exactly when a named rule holds for
the case, with its `unless`, its dates and its proceeding; a reference that cannot mean anything is
reported where it is written; and the lint asks for a reference where a condition is a copy."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pytest
from packs import PACK_HEADER, URL, rule, write_rules

from liability.cli import main
from liability.lint import lint
from liability.reasoner import Reasoner
from liability.loading import load_rulebook
from liability.rulebook import RuleError, load_regimes
from liability.declarations import bundled_vocabulary


def head(elements: str, *, proceedings: str = "[criminal]", outcomes: str = "") -> str:
    """A pack's `heads:` with one offence `tt.offence` whose elements are `elements` (YAML list items)."""
    return ("heads:\n  - id: tt.offence\n    kind: offence\n    proceedings: " + proceedings + "\n" + outcomes
            + '    title: {fr: "Infraction", en: "Offence"}\n    question: {fr: "Infraction ?", en: "Offence?"}\n'
            + "    elements:\n" + textwrap.indent(elements, "      "))


def element(what: str, *, extra: str = "", part: str = "material", name: str = "The act") -> str:
    """One element (a list item) met by `what`: `when: ...` or `established_by: [...]`."""
    return f"""\
- part: {part}
  name: {{fr: "« {name} »", en: "{name}"}}
  cites: "Test code, art. 1"
  url: {URL}
{textwrap.indent(extra, "  ")}  {what}
"""


DEFENCE = rule("tt.r.defence", "conduct.organised_gang", "tt.defence")
ACT = rule("tt.r.act", "{all: [money.posting_fees, money.promotion_fees]}", "tt.offence", unless="[tt.defence]",
           in_force="{from: 2010-01-01}")
"""The offence: paid posting and paid boosting, unless the defence holds; in force from 2010."""


def reasoner(tmp_path: Path, *parts: str) -> Reasoner:
    write_rules(tmp_path, PACK_HEADER + "".join(parts))
    return Reasoner(tmp_path)


def problems(tmp_path: Path, *packs: str) -> list[str]:
    write_rules(tmp_path, *packs)
    with pytest.raises(RuleError) as caught:
        load_rulebook(load_regimes(tmp_path)["tt"], tmp_path)
    return caught.value.problems


def assess(r: Reasoner, facts_date: str = "2015-01-01", judged_on: str = "2016-01-01",  # type: ignore[no-untyped-def]
           **facts: dict):
    scenario = bundled_vocabulary().model.model_validate({"id": "t", "facts_date": facts_date, "judged_on": judged_on, **facts})
    return r.assess(scenario).regimes[0].findings


def analysis(findings, proceeding: str = "criminal"):  # type: ignore[no-untyped-def]
    (found,) = [f for f in findings if f.head == "tt.offence" and f.proceeding == proceeding]
    return found, {e.name: e for e in found.analysis}


ELEMENT_STATUS = {"liable": "met", "undetermined": "unknown", "not_liable": "not_met", "not_applicable": "not_met"}
"""The head is concluded by the named rule alone, so its status says whether that rule holds."""


@pytest.mark.parametrize("facts_date", ["2005-01-01", "2015-01-01"])
def test_an_element_naming_a_rule_is_met_exactly_when_that_rule_concludes(tmp_path: Path, facts_date: str) -> None:
    """Over every true / false / unknown combination of the rule's facts and its exception's, before
    and after the rule came into force, the element's status is the rule's: met when it concludes,
    unknown when it may, not met when it cannot (its exception holds, or it is not in force)."""
    r = reasoner(tmp_path, head(element("established_by: [tt.r.act]")), "rules:\n", DEFENCE, ACT)
    for posting, boosting, gang in itertools.product([True, False, None], repeat=3):
        money = {k: v for k, v in {"posting_fees": posting, "promotion_fees": boosting}.items() if v is not None}
        conduct = {"organised_gang": gang} if gang is not None else {}
        found, elements = analysis(assess(r, facts_date, money=money, conduct=conduct))
        assert elements["The act"].status == ELEMENT_STATUS[found.status], (facts_date, posting, boosting, gang)
    _, elements = analysis(assess(r, facts_date, money={"posting_fees": True, "promotion_fees": True},
                                  conduct={"organised_gang": True}))
    assert elements["The act"].status == "not_met"


def test_the_tests_shown_are_the_named_rule_s_own_with_its_exception(tmp_path: Path) -> None:
    r = reasoner(tmp_path, head(element("established_by: [tt.r.act]")), "rules:\n", DEFENCE, ACT)
    _, elements = analysis(assess(r, money={"posting_fees": True, "promotion_fees": False},
                                  conduct={"organised_gang": False}))
    act = elements["The act"]
    assert [(c.test, c.result) for c in act.checks] == [
        ("money.posting_fees", "met"), ("money.promotion_fees", "not_met"), ("not tt.defence", "met")]


def test_naming_a_rule_reads_as_copying_its_condition_did_while_the_rule_is_in_force(tmp_path: Path) -> None:
    copied = element("when: {all: [{all: [money.posting_fees, money.promotion_fees]}, {not: tt.defence}]}",
                     name="Copied")
    r = reasoner(tmp_path, head(element("established_by: [tt.r.act]", name="Named") + copied), "rules:\n",
                 DEFENCE, ACT)
    for posting, gang in itertools.product([True, False, None], repeat=2):
        money = {"promotion_fees": True, **({"posting_fees": posting} if posting is not None else {})}
        conduct = {"organised_gang": gang} if gang is not None else {}
        _, elements = analysis(assess(r, money=money, conduct=conduct))
        named, copy = elements["Named"], elements["Copied"]
        assert (named.status, named.checks, named.rules) == (copy.status, copy.checks, copy.rules)


def test_a_named_rule_out_of_force_on_the_facts_date_establishes_nothing(tmp_path: Path) -> None:
    r = reasoner(tmp_path, head(element("established_by: [tt.r.act]")), "rules:\n", DEFENCE, ACT)
    _, elements = analysis(assess(r, "2005-01-01", money={"posting_fees": True, "promotion_fees": True}))
    assert elements["The act"].status == "not_met" and elements["The act"].checks == []


def test_a_named_rule_chosen_by_the_date_of_judgment_follows_that_date(tmp_path: Path) -> None:
    retroactive = rule("tt.r.act", "money.posting_fees", "tt.offence", in_force="{from: 2018-04-11}", extra=f"""\
    time:
      basis: judged_on
      cites: "Test act, sec. 4(b)"
      url: {URL}
      because: {{fr: "Quelle que soit la date des faits.", en: "Whatever the date of the conduct."}}
""")
    r = reasoner(tmp_path, head(element("established_by: [tt.r.act]")), "rules:\n", retroactive)
    posting = {"money": {"posting_fees": True}}
    assert analysis(assess(r, "2015-01-01", "2017-01-01", **posting))[1]["The act"].status == "not_met"
    assert analysis(assess(r, "2015-01-01", "2019-01-01", **posting))[1]["The act"].status == "met"


def test_in_each_proceeding_only_the_named_rules_that_bear_on_it_count(tmp_path: Path) -> None:
    per_proceeding = "    outcomes:\n      - {if: \"tt.offence.{proceeding}\", status: liable}\n"
    criminal = rule("tt.r.act.criminal", "{all: [money.posting_fees, money.promotion_fees]}", "tt.offence.criminal")
    civil = rule("tt.r.act.civil", "money.posting_fees", "tt.offence.civil")
    r = reasoner(tmp_path, head(element("established_by: [tt.r.act.criminal, tt.r.act.civil]"),
                                proceedings="[criminal, civil]", outcomes=per_proceeding), "rules:\n", criminal, civil)
    findings = assess(r, money={"posting_fees": True, "promotion_fees": False})
    assert analysis(findings, "criminal")[1]["The act"].status == "not_met"
    assert analysis(findings, "civil")[1]["The act"].status == "met"


# --- References that cannot mean anything are reported where they are written. ---------------------

def located(found: list[str], fragment: str) -> str:
    """The one problem of the head's first element (`file:line: head tt.offence: element 1: ...`)
    that says `fragment`."""
    matching = [p for p in found if ": head tt.offence: element 1: " in p and fragment in p]
    assert len(matching) == 1, "\n".join(found)
    assert matching[0].split(":")[0].endswith("a.yaml") and matching[0].split(":")[1].isdigit()
    return matching[0]


def test_an_unknown_rule_id_is_reported_with_the_nearest_rule_of_the_pack(tmp_path: Path) -> None:
    found = problems(tmp_path, PACK_HEADER + head(element("established_by: [tt.r.atc]")) + "rules:\n" + DEFENCE + ACT)
    assert located(found, "names `tt.r.atc`, which is not a rule of this pack").count("did you mean `tt.r.act`?")


def test_a_rule_of_another_pack_cannot_be_named(tmp_path: Path) -> None:
    other = PACK_HEADER.replace("tt.pack", "tt.other") + "rules:\n" + ACT + DEFENCE
    mine = PACK_HEADER + head(element("established_by: [tt.r.act]")) + "rules:\n" + rule(
        "tt.r.mine", "money.posting_fees", "tt.offence")
    located(problems(tmp_path, mine, other), "names `tt.r.act`, which is not a rule of this pack")


def test_a_rule_the_head_does_not_rest_on_is_reported_with_what_it_concludes(tmp_path: Path) -> None:
    unrelated = rule("tt.r.unrelated", "money.advertising_revenue", "tt.elsewhere")
    found = problems(tmp_path, PACK_HEADER + head(element("established_by: [tt.r.unrelated]")) + "rules:\n"
                     + DEFENCE + ACT + unrelated)
    located(found, "names `tt.r.unrelated`, which concludes `tt.elsewhere`: no outcome of the head rests on it")


def test_a_rule_that_answers_another_head_is_named_by_its_conclusion_instead(tmp_path: Path) -> None:
    threshold = (
        "  - id: tt.threshold\n    kind: threshold\n    proceedings: [criminal]\n"
        '    title: {fr: "Seuil", en: "Threshold"}\n    question: {fr: "Seuil ?", en: "Threshold?"}\n'
        "    elements:\n" + textwrap.indent(element("when: money.posting_fees", part="condition", name="S"), "      "))
    base = rule("tt.r.threshold", "money.posting_fees", "tt.threshold")
    offence = rule("tt.r.act", "{all: [tt.threshold, money.promotion_fees]}", "tt.offence")
    found = problems(tmp_path, PACK_HEADER + head(element("established_by: [tt.r.threshold]")) + threshold
                     + "rules:\n" + base + offence)
    located(found, "names `tt.r.threshold`, which concludes `tt.threshold`: no outcome of the head rests on it")


@pytest.mark.parametrize(("what", "fragment"), [
    ("established_by: [tt.r.act]\n  when: money.posting_fees", "give `when` (a condition) or `established_by`"),
    ("group: act", "a `material` element needs `when`, the condition that meets it, or `established_by`"),
    ("established_by: [tt.r.act, tt.r.act]", "names `tt.r.act` twice"),
    ("established_by: []", "established_by"),
    ("established_by: tt.r.act", "established_by: Input should be a valid list"),
    ("established_by: [{rule: tt.r.act}]", "established_by.0: Input should be a valid string"),
])
def test_a_malformed_reference_is_one_located_line(tmp_path: Path, what: str, fragment: str) -> None:
    located(problems(tmp_path, PACK_HEADER + head(element(what)) + "rules:\n" + DEFENCE + ACT), fragment)


def test_a_rule_never_in_force_while_the_element_is_is_reported(tmp_path: Path) -> None:
    found = problems(tmp_path, PACK_HEADER + head(element("established_by: [tt.r.act]",
                                                          extra="in_force: {from: 2000-01-01, to: 2009-12-31}\n"))
                     + "rules:\n" + DEFENCE + ACT)
    located(found, "names `tt.r.act`, in force from 2010-01-01, never while the element is "
                   "(from 2000-01-01 to 2009-12-31)")


def test_a_proceeding_in_which_no_named_rule_bears_is_reported(tmp_path: Path) -> None:
    per_proceeding = "    outcomes:\n      - {if: \"tt.offence.{proceeding}\", status: liable}\n"
    criminal = rule("tt.r.act.criminal", "money.posting_fees", "tt.offence.criminal")
    civil = rule("tt.r.act.civil", "money.posting_fees", "tt.offence.civil")
    found = problems(tmp_path, PACK_HEADER + head(element("established_by: [tt.r.act.criminal]"),
                                                  proceedings="[criminal, civil]", outcomes=per_proceeding)
                     + "rules:\n" + criminal + civil)
    located(found, "names no rule the head rests on in the `civil` proceeding")


def test_a_bad_reference_is_reported_by_the_command_line_without_a_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    write_rules(tmp_path, PACK_HEADER + head(element("established_by: [tt.r.atc]")) + "rules:\n" + DEFENCE + ACT)
    result = CliRunner().invoke(main, ["--rules", str(tmp_path), "rules", "lint"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "not a rule of this pack" in result.output


# --- The lint asks for a reference where a condition is a copy. --------------------------------------

def lint_of(tmp_path: Path, *parts: str) -> list[str]:
    write_rules(tmp_path, PACK_HEADER + "".join(parts))
    return lint(load_rulebook(load_regimes(tmp_path)["tt"], tmp_path))


BOTH_FEES = rule("tt.r.act", "{all: [money.posting_fees, money.promotion_fees]}", "tt.offence")


def test_the_lint_warns_when_an_element_repeats_a_rule_s_condition_word_for_word(tmp_path: Path) -> None:
    warnings = lint_of(tmp_path, head(element("when: {all: [money.posting_fees, money.promotion_fees]}")),
                       "rules:\n", BOTH_FEES)
    (warning,) = warnings
    assert ": head tt.offence: element 1: its condition repeats the condition of tt.r.act word for word" in warning
    assert warning.endswith("(`established_by: [tt.r.act]`)")


@pytest.mark.parametrize("condition", [
    "{all: [money.posting_fees]}",                              # another test
    "{all: [money.promotion_fees, money.posting_fees]}",        # the same facts, not the same words
    "tt.offence",                                               # a conclusion already names its rules
])
def test_the_lint_is_silent_on_a_genuine_condition(tmp_path: Path, condition: str) -> None:
    assert lint_of(tmp_path, head(element(f"when: {condition}")), "rules:\n", BOTH_FEES) == []


def test_a_rule_s_condition_short_of_its_exception_is_a_genuine_test(tmp_path: Path) -> None:
    """Without the `unless`, the element asks whether the rule's conditions are met before its
    exception is weighed (the conditions of a shield that an exception then takes away)."""
    assert lint_of(tmp_path, head(element("when: {all: [money.posting_fees, money.promotion_fees]}")),
                   "rules:\n", DEFENCE, ACT) == []


def test_a_condition_shown_when_the_rule_is_not_in_force_is_a_genuine_test(tmp_path: Path) -> None:
    later = BOTH_FEES.replace("{from: 2000-01-01}", "{from: 2010-01-01}")
    earlier = rule("tt.r.earlier", "money.posting_fees", "tt.offence", in_force="{from: 2000-01-01, to: 2009-12-31}")
    assert lint_of(tmp_path, head(element("when: {all: [money.posting_fees, money.promotion_fees]}",
                                          extra="in_force: {from: 2005-01-01}\n")),
                   "rules:\n", earlier, later) == []


def test_the_bundled_packs_name_their_rules_instead_of_copying_them() -> None:
    from liability.loading import load_all

    for book in load_all().values():
        assert [w for w in lint(book) if "repeats the condition" in w] == []
