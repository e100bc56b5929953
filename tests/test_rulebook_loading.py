"""Loading rule packs (DESIGN.md section 5): every problem is one `file: rule id: problem` line."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
from packs import TEST_JURISDICTION, URL, pack, rule, write_rules

from liability.declarations import bundled_declarations
from liability.jurisdiction import all_hosts
from liability.loading import load_all, load_rulebook
from liability.rulebook import (
    RuleError,
    load_regimes,
)

FIXTURES = Path(__file__).parent / "fixtures"
def load_problems(directory: Path) -> list[str]:
    with pytest.raises(RuleError) as caught:
        load_rulebook(load_regimes(directory)["tt"], directory)
    assert caught.value.problems
    return caught.value.problems


def assert_problem(problems: list[str], file: Path, subject: str, fragment: str, line: int | None = None) -> str:
    """Some problem reads `file[:line]: subject: ...fragment...`; return it."""
    where = re.escape(str(file)) + (f":{line}" if line else r"(?::\d+)?")
    pattern = re.compile(f"^{where}: {re.escape(subject)}: .*{re.escape(fragment)}")
    matching = [p for p in problems if pattern.search(p)]
    assert matching, f"no problem like `{file}: {subject}: ...{fragment}...` in:\n" + "\n".join(problems)
    return matching[0]


GOOD = rule("tt.r.base", "money.posting_fees", "tt.base")


def test_the_fixture_pack_loads_and_every_rule_keeps_its_file_and_line():
    regimes = load_regimes(FIXTURES / "rules-basic")
    book = load_rulebook(regimes["zz"], FIXTURES / "rules-basic")
    assert [r.id for r in book.rules] == ["zz.demo.hosts", "zz.demo.paid-ads", "zz.demo.exempt"]
    assert all(r.file.endswith("demo.yaml") and r.line for r in book.rules)
    assert set(book.heads) == {"zz.host", "zz.offence", "zz.exempt"}


def test_an_unknown_fact_path_is_reported_with_the_rule_and_the_nearest_fact(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, rule("tt.r.typo", "money.posting_fee", "tt.other")))
    problem = assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.typo",
                             "unknown fact `money.posting_fee`", line=14)
    assert problem.endswith("did you mean `money.posting_fees`?")


def test_an_unknown_conclusion_is_reported_with_the_nearest_conclusion(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, rule("tt.r.uses", "{all: [tt.bsae, money.promotion_fees]}", "tt.next")))
    problem = assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.uses",
                             "unknown conclusion `tt.bsae`: no rule concludes it", line=14)
    assert problem.endswith("did you mean `tt.base`?")


def test_an_unknown_negated_conclusion_is_reported_too(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, rule("tt.r.uses", "money.promotion_fees", "tt.next",
                                                      unless="[tt.nowhere]")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.uses", "unknown conclusion `tt.nowhere`")


def test_unless_on_a_fact_is_rejected(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, rule("tt.r.uses", "money.promotion_fees", "tt.next",
                                                      unless="[money.posting_fees]")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.uses",
                   "`unless` negates conclusions only, not the fact `money.posting_fees`")


def test_a_duplicate_rule_id_is_reported_with_both_places(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, rule("tt.r.base", "money.promotion_fees", "tt.base")))
    problem = assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.base", "duplicate rule id",
                             line=14)
    assert f"also at {tmp_path / 'a.yaml'}:6: tt.r.base" in problem


def test_a_rule_id_used_in_two_packs_of_a_regime_is_a_duplicate(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD),
                            pack(rule("tt.r.base", "money.promotion_fees", "tt.base")).replace("tt.pack", "tt.other"))
    problem = assert_problem(load_problems(directory), tmp_path / "b.yaml", "tt.r.base", "duplicate rule id")
    assert str(tmp_path / "a.yaml") in problem


def test_in_force_ending_before_it_starts_is_reported(tmp_path):
    directory = write_rules(tmp_path, pack(rule("tt.r.base", "money.posting_fees", "tt.base",
                                                in_force="{from: 2010-01-01, to: 2009-12-31}")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.base",
                   "in_force ends (2009-12-31) before it starts (2010-01-01)", line=6)


def test_an_impossible_in_force_date_is_reported_with_its_line(tmp_path):
    directory = write_rules(tmp_path, pack(rule("tt.r.base", "money.posting_fees", "tt.base",
                                                in_force="{from: 2010-02-30}")))
    problems = load_problems(directory)
    assert any(p.startswith(f"{tmp_path / 'a.yaml'}:9:") and "2010-02-30" in p for p in problems), problems


PENALTY = """\
penalties:
  - id: tt.p.one
    cites: "Test code, art. 1"
    url: {url}
    nature: délit
    versions:
{versions}
"""


def penalty(*periods: str, url: str = URL) -> str:
    versions = "".join(f"      - in_force: {period}\n        prison_years: 5\n        fine: 1000\n"
                       "        currency: EUR\n" for period in periods)
    return PENALTY.format(url=url, versions=versions.rstrip("\n"))


def test_penalty_versions_that_overlap_are_reported(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, extra=penalty("{from: 2000-01-01, to: 2010-06-30}",
                                                               "{from: 2010-01-01}")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "penalty tt.p.one",
                   "versions overlap: one from 2000-01-01 runs to 2010-06-30, the next starts 2010-01-01")


def test_a_penalty_version_that_never_ends_followed_by_another_is_an_overlap(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, extra=penalty("{from: 2000-01-01}", "{from: 2010-01-01}")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "penalty tt.p.one", "never ends")


def test_penalty_versions_with_a_gap_are_reported(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, extra=penalty("{from: 2000-01-01, to: 2009-12-30}",
                                                               "{from: 2010-01-01}")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "penalty tt.p.one",
                   "gap between versions: one ends 2009-12-30, the next starts 2010-01-01")


def test_penalty_versions_that_follow_day_after_day_are_accepted(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, extra=penalty("{from: 2010-01-01}",
                                                               "{from: 2000-01-01, to: 2009-12-31}")))
    book = load_rulebook(load_regimes(directory)["tt"], directory)
    assert len(book.penalties["tt.p.one"].versions) == 2


def test_a_rule_citing_an_undeclared_penalty_is_reported(tmp_path):
    text = rule("tt.r.base", "money.posting_fees", "tt.base").replace(
        "strength: established}", "strength: established, penalty: tt.p.none}")
    directory = write_rules(tmp_path, pack(text))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.base", "unknown penalty `tt.p.none`")


@pytest.mark.parametrize("url", [
    "http://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006417844",
    "https://www.example.com/code-penal/225-5",
    "https://legifrance.gouv.fr.example.com/article",
    "https://notlegifrance.gouv.fr/article",
    "ftp://eur-lex.europa.eu/eli/reg/2022/2065",
])
def test_a_url_that_is_not_https_on_an_official_host_is_reported(tmp_path, url):
    directory = write_rules(tmp_path, pack(rule("tt.r.base", "money.posting_fees", "tt.base", url=url)))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.base",
                   f"url `{url}` is not an https address on an official site", line=6)


@pytest.mark.parametrize("host", all_hosts(bundled_declarations().jurisdictions.values()))
def test_an_https_url_on_an_official_host_of_its_jurisdiction_or_its_subdomain_is_accepted(tmp_path, host):
    directory = write_rules(tmp_path, pack(rule("tt.r.base", "money.posting_fees", "tt.base",
                                                url=f"https://www.{host}/some/text")),
                            jurisdiction=TEST_JURISDICTION.replace("[legifrance.gouv.fr]", f"[{host}, legifrance.gouv.fr]"))
    assert load_rulebook(load_regimes(directory)["tt"], directory).by_id["tt.r.base"]


def test_an_official_host_of_another_jurisdiction_is_not_official_for_this_one(tmp_path):
    url = "https://www.law.cornell.edu/uscode/text/18/1591"
    directory = write_rules(tmp_path, pack(rule("tt.r.base", "money.posting_fees", "tt.base", url=url)))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.base",
                   f"url `{url}` is not an https address on an official site (legifrance.gouv.fr; "
                   f"see {tmp_path / 'jurisdiction.yaml'})", line=6)


def test_a_penalty_url_that_is_not_official_is_reported(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, extra=penalty("{from: 2000-01-01}",
                                                               url="https://www.example.com/penalty")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "penalty tt.p.one", "not an https address")


def test_a_missing_english_reason_is_reported_with_the_rule(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, rule("tt.r.mute", "money.promotion_fees", "tt.other",
                                                      because='{fr: "Parce que."}')))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.mute", "missing required key `en`")


def test_an_unknown_key_in_a_rule_is_reported_with_the_rule_and_its_line(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD, rule("tt.r.extra", "money.promotion_fees", "tt.other",
                                                      extra="    salience: 100\n")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.extra", "unknown key `salience`",
                   line=22)


def test_a_rule_id_that_is_not_dotted_lower_case_is_reported(tmp_path):
    directory = write_rules(tmp_path, pack(rule("Rule_One", "money.posting_fees", "tt.base")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "Rule_One", "a rule id is lower-case and dotted")


def test_a_head_that_no_rule_concludes_is_reported(tmp_path):
    heads = textwrap.dedent("""\
        heads:
          - id: tt.orphan
            kind: offence
            proceedings: [criminal]
            title: {fr: "Orpheline", en: "Orphan"}
            question: {fr: "Responsable ?", en: "Liable?"}
        """)
    directory = write_rules(tmp_path, pack(GOOD, extra=heads))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "head tt.orphan", "no rule concludes `tt.orphan`")


def test_a_rule_that_concludes_a_fact_is_reported(tmp_path):
    directory = write_rules(tmp_path, pack(rule("tt.r.base", "money.posting_fees", "money.promotion_fees")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.base",
                   "a rule concludes a conclusion, not the fact `money.promotion_fees`")


def test_a_negative_cycle_is_reported_with_the_rule_that_negates(tmp_path):
    directory = write_rules(tmp_path, pack(
        rule("tt.r.x", "{all: [money.posting_fees, {not: tt.y}]}", "tt.x"),
        rule("tt.r.y", "tt.x", "tt.y"),
    ))
    problem = assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.x", "negates `tt.y`")
    assert "cannot be stratified" in problem


def test_a_yaml_syntax_error_in_a_pack_is_reported_with_file_and_line(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD) + "  - id: tt.r.broken\n    when: [money.posting_fees\n")
    problems = load_problems(directory)
    assert len(problems) == 1
    assert re.match(re.escape(str(tmp_path / "a.yaml")) + r":\d+: YAML syntax error: ", problems[0]), problems


def test_a_condition_error_is_reported_with_the_rule(tmp_path):
    directory = write_rules(tmp_path, pack(rule("tt.r.base", "{fact: victims.count, is: many}", "tt.base")))
    assert_problem(load_problems(directory), tmp_path / "a.yaml", "tt.r.base", "`victims.count` (count) cannot be tested")


def test_every_problem_of_every_pack_is_reported_together(tmp_path):
    directory = write_rules(
        tmp_path,
        pack(GOOD, rule("tt.r.one", "money.posting_fee", "tt.one"),
             rule("tt.r.two", "money.promotion_fees", "tt.two", url="https://example.com/x")),
        pack(rule("tt.r.three", "knowledge.actual_knowlege", "tt.three")).replace("tt.pack", "tt.second"))
    problems = load_problems(directory)
    assert_problem(problems, tmp_path / "a.yaml", "tt.r.one", "unknown fact")
    assert_problem(problems, tmp_path / "a.yaml", "tt.r.two", "not an https address")
    assert_problem(problems, tmp_path / "b.yaml", "tt.r.three", "unknown fact")


def test_a_pack_named_in_regimes_that_does_not_exist_is_reported_with_its_path(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD))
    (directory / "regimes.yaml").write_text(
        'regimes:\n  - id: tt\n    title: {fr: "Essai", en: "Test"}\n    packs: [a.yaml, missing.yaml]\n')
    problems = load_problems(directory)
    assert any(p.startswith(f"{directory / 'missing.yaml'}: cannot read the file") for p in problems), problems


def test_a_regime_declared_twice_is_reported(tmp_path):
    directory = write_rules(tmp_path, pack(GOOD), regimes=textwrap.dedent("""\
        regimes:
          - {id: tt, title: {fr: "Essai", en: "Test"}, packs: [a.yaml]}
          - {id: tt, title: {fr: "Essai", en: "Test"}, packs: [a.yaml]}
        """))
    with pytest.raises(RuleError, match="regime `tt` is declared twice"):
        load_regimes(directory)


def test_load_all_reports_the_problems_of_every_regime(tmp_path):
    directory = write_rules(tmp_path, pack(rule("tt.r.one", "money.posting_fee", "tt.one")), regimes=textwrap.dedent("""\
        regimes:
          - {id: tt, title: {fr: "Essai", en: "Test"}, packs: [a.yaml]}
          - {id: uu, title: {fr: "Autre", en: "Other"}, packs: [a.yaml]}
        """))
    with pytest.raises(RuleError) as caught:
        load_all(directory)
    assert len([p for p in caught.value.problems if "tt.r.one" in p]) == 1


def test_in_force_on_selects_the_rules_whose_text_applies_on_a_day(tmp_path):
    directory = write_rules(tmp_path, pack(
        rule("tt.r.old", "money.posting_fees", "tt.base", in_force="{from: 2000-01-01, to: 2009-12-31}"),
        rule("tt.r.new", "money.posting_fees", "tt.base", in_force="{from: 2010-01-01}"),
    ))
    book = load_rulebook(load_regimes(directory)["tt"], directory)
    assert book.in_force_on(dt.date(2009, 12, 31)) == {"tt.r.old"}
    assert book.in_force_on(dt.date(2010, 1, 1)) == {"tt.r.new"}
    assert book.in_force_on(dt.date(1999, 12, 31)) == frozenset()
