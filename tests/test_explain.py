"""Explanations (issue: explanations a law student can follow): element by element, why not,
undetermined findings as questions, penalty ranges, and `liability explain`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from packs import read_scenario
from liability.reasoner import Reasoner
from liability.render import html as html_render
from liability.render import markdown as markdown_render
from liability.render import plain as plain_render

REASONER = Reasoner()

AD_FUNDED_HOST_WITH_NOTICE = """\
id: ad-funded-host-with-notice
title: Ad-funded escort board that keeps ads it was told about
facts_date: 2019-06-01
judged_on: 2020-01-01
regimes: [fr]
actor: {name: Board SAS, person: legal, position: operator, nationality: FR, organs_acted_on_its_behalf: true}
service: {kind: classifieds, established_in: FR, targets: [FR], audience: public, stores_user_content: true,
          adult_section: true}
content: {kind: prostitution_ads, remunerated: true, physical_contact: true, author: third_party,
          posted_by_exploiters: false}
victims: {minors: false, under_15: false, count: 1, coercion: false, vulnerable: false, recruited_abroad: false}
money: {posting_fees: false, promotion_fees: false, advertising_revenue: true, share_of_proceeds: false}
knowledge: {general_awareness: true, specific_notice: true, notice_from: authority, notice_complete: true,
            actual_knowledge: true, knows_exploiters: false}
response: {removed_expeditiously: false}
conduct: {edits_content: false, coaches_posters: false, promotes_or_optimises: false,
          recruits_for_prostitution: false, mutual_aid_purpose: false}
"""


def scenario_file(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def finding(document, head, regime="fr"):
    (found,) = [f for r in document.regimes if r.regime == regime for f in r.findings if f.head == head]
    return found


def liability(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liability", *args], capture_output=True, text=True, timeout=120)


def test_each_element_of_procuring_shows_its_status_and_the_facts_that_decided_it(tmp_path):
    document = REASONER.assess(read_scenario(scenario_file(tmp_path, AD_FUNDED_HOST_WITH_NOTICE)))
    analysis = {e.name: e for e in finding(document, "fr.proxenetisme").analysis}
    profit = next(e for name, e in analysis.items() if name.startswith("Act: profiting"))
    assert profit.status == "met" and profit.group == "act"
    assert {(c.fact, c.value, c.result) for c in profit.checks} >= {
        ("money.posting_fees", False, "not_met"), ("money.advertising_revenue", True, "met")}
    recruiting = next(e for name, e in analysis.items() if name.startswith("Act: recruiting"))
    assert recruiting.status == "not_met" and recruiting.cites == "C. pén., art. 225-5, 3°"
    parts = [e.part for e in finding(document, "fr.proxenetisme").analysis]
    assert parts.index("legal") < parts.index("material") < parts.index("mental") < parts.index("exception")


def test_why_not_names_the_failed_fact_what_would_satisfy_it_and_the_open_question_that_remains(tmp_path):
    """C. pén. 225-5 2°: charging for ads is the settled ground; advertising revenue alone is an
    open question (arguable), which the near miss points to."""
    path = scenario_file(tmp_path, AD_FUNDED_HOST_WITH_NOTICE)
    result = liability("explain", str(path), "--head", "fr.proxenetisme", "--why-not")
    assert result.returncode == 0, result.stderr
    block = result.stdout.split("fr.cp.225-5-2.paid-ads-known", 1)[1].split("\n- ", 1)[0]
    assert "Does the service charge to post ads in its adult section? no; needed yes (money.posting_fees)" in block
    assert "see also: C. pén., art. 225-5, 2° (fr.cp.225-5-2.advertising-revenue, arguable)" in block


def test_without_why_not_a_head_that_holds_lists_no_near_misses(tmp_path):
    path = scenario_file(tmp_path, AD_FUNDED_HOST_WITH_NOTICE)
    result = liability("explain", str(path), "--head", "fr.proxenetisme")
    assert result.returncode == 0, result.stderr
    assert "Why not" not in result.stdout and "Analysis, element by element" in result.stdout


def test_explain_in_french_names_the_elements_and_reasons_in_french(tmp_path):
    path = scenario_file(tmp_path, AD_FUNDED_HOST_WITH_NOTICE)
    out = liability("explain", str(path), "--head", "fr.proxenetisme", "--lang", "fr").stdout
    assert "Élément légal" in out and "Élément matériel" in out and "Élément moral" in out
    assert "Réponse courte" in out and "Acte\u00a0: tirer profit" in out
    assert "Le service fait-il payer la publication d'annonces dans sa rubrique adulte\u00a0? non\u00a0; il faudrait oui (money.posting_fees)" in out


def test_explain_refuses_a_head_the_scenario_is_not_assessed_on_and_suggests_one(tmp_path):
    path = scenario_file(tmp_path, AD_FUNDED_HOST_WITH_NOTICE)
    result = liability("explain", str(path), "--head", "fr.proxenetism")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {path}: no finding on head `fr.proxenetism`")
    assert "did you mean `fr.proxenetisme`?" in result.stderr and result.stdout == ""


def test_explain_as_json_keeps_only_the_head_asked_about(tmp_path):
    path = scenario_file(tmp_path, AD_FUNDED_HOST_WITH_NOTICE)
    document = json.loads(liability("explain", str(path), "--head", "fr.clients", "--format", "json").stdout)
    assert {f["head"] for r in document["regimes"] for f in r["findings"]} == {"fr.clients"}


def test_an_undetermined_circumstance_makes_the_penalty_a_range(tmp_path):
    """C. pén. 225-7-1 (a child under 15: 20 years from 2021) is certain; 225-9 (torture: life)
    hangs on an unknown fact, so the sentence at stake runs up to life, depending on that fact."""
    text = AD_FUNDED_HOST_WITH_NOTICE.replace("facts_date: 2019-06-01", "facts_date: 2022-06-01") \
        .replace("judged_on: 2020-01-01", "judged_on: 2023-01-01") \
        .replace("victims: {minors: false, under_15: false,", "victims: {minors: true, under_15: true,") \
        .replace("actual_knowledge: true, knows_exploiters: false}",
                 "actual_knowledge: true, knows_exploiters: false, knows_minors: true}") \
        .replace("person: legal", "person: natural")
    crime = finding(REASONER.assess(read_scenario(scenario_file(tmp_path, text))), "fr.proxenetisme.crime")
    assert crime.status == "liable"
    assert crime.penalties.prison_years == 20 and not crime.penalties.life
    assert crime.penalties_up_to is not None and crime.penalties_up_to.life
    assert crime.penalties_up_to.depends_on == ["victims.torture_or_barbarity"]
    assert crime.missing_facts == []  # liable whatever the unknown fact: only the sentence hangs on it


def test_questions_are_ordered_by_how_many_findings_they_decide_and_ask_only_deciding_facts(tmp_path):
    text = AD_FUNDED_HOST_WITH_NOTICE.replace("remunerated: true, physical_contact: true,", "remunerated: true,") \
        .replace("response: {removed_expeditiously: false}", "response: {}")
    document = REASONER.assess(read_scenario(scenario_file(tmp_path, text)))
    counts = [len(q.decides) for q in document.questions]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    assert document.questions[0].fact == "content.physical_contact"
    deciding = {fact for r in document.regimes for f in r.findings for fact in f.missing_facts}
    assert {q.fact for q in document.questions} == deciding
    assert all(q.question and not q.question.startswith(q.fact) for q in document.questions)


def test_each_question_names_the_findings_it_decides_by_regime_head_and_proceeding(tmp_path):
    text = AD_FUNDED_HOST_WITH_NOTICE.replace("remunerated: true, physical_contact: true,", "remunerated: true,")
    document = REASONER.assess(read_scenario(scenario_file(tmp_path, text)), "fr")
    findings = {(r.regime, f.head, f.proceeding): f for r in document.regimes for f in r.findings}
    assert document.questions
    for question in document.questions:
        for decided in question.decides:
            assert question.fact in findings[(decided.regime, decided.head, decided.proceeding)].missing_facts
    assert document.as_json()["questions"][0]["decides"][0] == {"regime": "fr", "head": "fr.prostitution",
                                                                 "proceeding": "criminal",
                                                                 "proceeding_label": "pénal"}
    # the memo names each one as the finding's own heading does, in the report's language
    assert "  - fr\u00a0: fr.prostitution \\[pénal\\]" in markdown_render.render([document])


def test_reports_warn_where_a_french_concept_has_no_exact_english_equivalent(tmp_path):
    document = REASONER.assess(read_scenario(scenario_file(tmp_path, AD_FUNDED_HOST_WITH_NOTICE)))
    terms = {note.fr: note for note in document.glossary}
    assert "proxénétisme" in terms and terms["proxénétisme"].equivalence in ("partial", "none")
    assert "proxénétisme" in markdown_render.render([document])


HOSTILE_TITLE = '<script>alert("x")</script> & <b>bold</b> [link](javascript:evil) `tick`'


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_markup_format_escapes_the_scenario_strings(tmp_path, lang):
    text = AD_FUNDED_HOST_WITH_NOTICE.replace(
        "title: Ad-funded escort board that keeps ads it was told about", f"title: '{HOSTILE_TITLE}'")
    document = REASONER.assess(read_scenario(scenario_file(tmp_path, text)), lang)
    page = html_render.render([document])
    assert "<script>" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert 'href="javascript' not in page
    memo = markdown_render.render([document])
    assert "<script>" not in memo and "[link](javascript" not in memo
    assert memo.startswith("# \\<script\\>alert")
    assert plain_render.render([document]).startswith(HOSTILE_TITLE + "\n")


def test_the_html_report_is_one_self_contained_page_with_each_derivation_drawn(tmp_path):
    document = REASONER.assess(read_scenario(scenario_file(tmp_path, AD_FUNDED_HOST_WITH_NOTICE)))
    page = html_render.render([document])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "<link" not in page and "src=" not in page and "@import" not in page
    derivations = sum(1 for r in document.regimes for f in r.findings if f.derivation)
    assert page.count("<svg ") == derivations > 0
    anchors = set(re.findall(r'<a href="#([^"]+)"', page))
    assert page.count("<a href=") == page.count('<a href="https://') + sum(page.count(f'<a href="#{a}"') for a in anchors)
    assert anchors and all(f'id="{a}"' in page for a in anchors)  # contents entries lead somewhere


def test_explanations_add_to_a_finding_and_never_change_it():
    """Batch runs leave the analysis and near misses out; everything else must be the same."""
    from liability.bundled import scenarios_dir
    from liability.scenario import SCENARIO_SUFFIXES

    direct = Reasoner(engine="direct")
    for path in sorted(p for p in scenarios_dir().rglob("*") if p.suffix in SCENARIO_SUFFIXES):
        scenario = read_scenario(path)
        full, summary = direct.assess(scenario, explain=True), direct.assess(scenario, explain=False)
        assert full.model_copy(update={"regimes": [
            r.model_copy(update={"findings": [f.model_copy(update={"analysis": None, "near_misses": None})
                                              for f in r.findings]}) for r in full.regimes]}) == summary, path.name
        assert all(f.analysis is not None and f.near_misses is not None for r in full.regimes for f in r.findings)


def test_why_not_follows_a_premise_that_does_not_hold_down_to_the_facts_that_fail_it() -> None:
    """A cam site's procuring fails because the shows involve no physical contact, not merely
    because there is no prostitution (Cass. crim. 18 May 2022)."""
    result = liability("explain", "fr-caming-2022", "--head", "fr.proxenetisme", "--why-not")
    assert result.returncode == 0, result.stderr
    block = result.stdout.split("fr.cp.225-5-2.paid-ads-known", 1)[1].split("\n- ", 1)[0]
    premise, below = block.split("fr.prostitution: does not hold", 1)[1].split("\n")[1:3]
    assert "no; needed yes (content.physical_contact)" in premise
    assert not below.startswith("        -")  # nothing but the failing fact under the premise


def test_a_failed_element_line_says_the_value_found_and_the_value_needed() -> None:
    result = liability("explain", "fr-caming-2022", "--head", "fr.proxenetisme")
    assert result.returncode == 0, result.stderr
    assert "legal person; needed natural person (actor.person)" in result.stdout
    assert "legal person (actor.person)" in result.stdout  # the test it passes, with no `needed`
