"""The French Code pénal pack, rule by rule: each rule fires on the facts it encodes, and only then.

Each case starts from a scenario where only the prostitution threshold (and the clients'
contravention) holds, adds the facts a rule needs, and checks that the rule fires with certainty.
A last test fails if a rule is added to the pack without a case here.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from liability.declarations import bundled_vocabulary
from liability.findings import Finding
from liability.reasoner import Reasoner
from liability.scenario import Scenario

REASONER = Reasoner()
BOOK = REASONER.rulebook("fr")

BASE: dict[str, Any] = {
    "id": "base",
    "facts_date": "2019-06-01",
    "judged_on": "2025-01-01",
    "regimes": ["fr"],
    "actor": {"person": "legal", "position": "operator", "organs_acted_on_its_behalf": True,
              "nationality": "FR"},
    "service": {"kind": "classifieds", "audience": "private", "stores_user_content": False,
                "adult_section": False, "established_in": "FR", "targets": ["FR"]},
    "content": {"kind": "prostitution_ads", "remunerated": True, "physical_contact": True,
                "author": "third_party", "posted_by_exploiters": False},
    "victims": {"minors": False, "under_15": False, "count": 1, "coercion": False, "vulnerable": False,
                "recruited_abroad": False, "torture_or_barbarity": False, "residence": ["FR"]},
    "money": {"posting_fees": False, "promotion_fees": False, "advertising_revenue": False,
              "share_of_proceeds": False},
    "knowledge": {"general_awareness": False, "actual_knowledge": False, "knows_minors": False,
                  "knows_coercion": False, "knows_exploiters": False},
    "conduct": {"edits_content": False, "coaches_posters": False, "promotes_or_optimises": False,
                "organised_gang": False, "several_perpetrators": False,
                "recruits_for_prostitution": False, "mutual_aid_purpose": False},
}

PROCURING = {"conduct": {"recruits_for_prostitution": True}}
"""Facts that make the actor liable for procuring, so that aggravations can be tested."""


def scenario(*overrides: dict[str, Any], **top: Any) -> Scenario:
    data = copy.deepcopy(BASE)
    for override in overrides:
        for section, values in override.items():
            data.setdefault(section, {}).update(values)
    data.update(top)
    return bundled_vocabulary().model.model_validate(data)


def certain_rules(s: Scenario) -> set[str]:
    document = REASONER.assess(s)
    return {step.rule for step in document.regimes[0].trace if step.certain}


def finding(s: Scenario, head: str) -> Finding:
    document = REASONER.assess(s)
    return next(f for f in document.regimes[0].findings if f.head == head)


CASES: dict[str, tuple[dict[str, Any], ...]] = {
    "fr.cass.1996-03-27.prostitution": (),
    "fr.cass.2023-08-09.mutual-aid": ({"conduct": {"mutual_aid_purpose": True}},),
    "fr.cp.225-5-1.hosting-known-ads": ({"service": {"stores_user_content": True},
                                         "knowledge": {"actual_knowledge": True}},),
    "fr.cp.225-5-1.hosting-aware": ({"service": {"stores_user_content": True},
                                     "knowledge": {"general_awareness": True}},),
    "fr.cp.225-5-1.active-aid": ({"conduct": {"coaches_posters": True},
                                  "knowledge": {"general_awareness": True}},),
    "fr.cp.225-5-2.paid-ads-known": ({"money": {"posting_fees": True},
                                      "knowledge": {"actual_knowledge": True},
                                      "response": {"removed_expeditiously": False}},),
    "fr.cp.225-5-2.paid-ads-aware": ({"money": {"promotion_fees": True},
                                      "knowledge": {"general_awareness": True}},),
    "fr.cp.225-5-2.share-of-proceeds": ({"money": {"share_of_proceeds": True},
                                         "knowledge": {"general_awareness": True}},),
    "fr.cp.225-5-2.advertising-revenue": ({"money": {"advertising_revenue": True},
                                           "service": {"stores_user_content": True},
                                           "knowledge": {"general_awareness": True}},),
    "fr.cp.225-5-1.poster-for-others": ({"actor": {"person": "natural", "position": "poster"}},),
    "fr.cp.225-5-3.recruitment": (PROCURING,),
    "fr.cp.225-6-1.editor-intermediary": ({"content": {"author": "platform"},
                                           "knowledge": {"general_awareness": True}},),
    "fr.cp.225-6-1.host-intermediary": ({"service": {"stores_user_content": True},
                                         "knowledge": {"actual_knowledge": True}},),
    "fr.cp.225-6-1.host-intermediary-aware": ({"service": {"stores_user_content": True},
                                               "knowledge": {"general_awareness": True}},),
    "fr.cp.121-7.complicity-host": ({"service": {"stores_user_content": True},
                                     "content": {"posted_by_exploiters": True},
                                     "knowledge": {"knows_exploiters": True}},),
    "fr.cp.121-7.complicity-active": ({"conduct": {"coaches_posters": True},
                                       "content": {"posted_by_exploiters": True},
                                       "knowledge": {"knows_exploiters": True}},),
    "fr.cp.121-1.natural-person": (PROCURING, {"actor": {"person": "natural"}}),
    "fr.cp.121-2.legal-person": (PROCURING,),
    "fr.cp.225-7-1.minor-known": (PROCURING, {"victims": {"minors": True},
                                              "knowledge": {"knows_minors": True}}),
    "fr.cp.225-7-1.minor-unknowing": (PROCURING, {"victims": {"minors": True}}),
    "fr.cp.225-7-2.vulnerable": (PROCURING, {"victims": {"vulnerable": True}}),
    "fr.cp.225-7-3.several-persons": (PROCURING, {"victims": {"count": 2}}),
    "fr.cp.225-7-4.recruited-abroad": (PROCURING, {"victims": {"recruited_abroad": True}}),
    "fr.cp.225-7-8.coercion-known": (PROCURING, {"victims": {"coercion": True},
                                                 "knowledge": {"knows_coercion": True}}),
    "fr.cp.225-7-8.coercion-by-others": (PROCURING, {"victims": {"coercion": True}}),
    "fr.cp.225-7-9.several-perpetrators": (PROCURING, {"conduct": {"several_perpetrators": True}}),
    "fr.cp.225-7-10.network": (PROCURING, {"service": {"audience": "public"}}),
    "fr.cp.225-7-1.crime-under-15-known": (PROCURING, {"victims": {"minors": True, "under_15": True},
                                                       "knowledge": {"knows_minors": True}}),
    "fr.cp.225-7-1.crime-under-15-unknowing": (PROCURING, {"victims": {"minors": True, "under_15": True}}),
    "fr.cp.225-8.organised-gang": (PROCURING, {"conduct": {"organised_gang": True,
                                                           "several_perpetrators": True}}),
    "fr.cp.225-9.torture": (PROCURING, {"victims": {"torture_or_barbarity": True}}),
    "fr.cp.611-1.purchase": (),
    "fr.cp.225-12-1.minor": ({"victims": {"minors": True}},),
    "fr.cp.225-12-1.vulnerable": ({"victims": {"vulnerable": True, "vulnerable_health": True}},),
    "fr.cp.225-12-1.offence": ({"victims": {"minors": True}},),
    "fr.cp.225-12-2-2.network": ({"victims": {"minors": True}, "service": {"audience": "public"}},),
    "fr.cp.225-12-2.under-15": ({"victims": {"minors": True, "under_15": True}},),
    "fr.cp.113-2.operated-from-france": (),
    "fr.cp.113-2.prostitution-in-france": (),
    "fr.cp.113-2.targets-french-public": (),
    "fr.cp.113-2-1.network-resident-victim": (),
    "fr.cp.113-2.service-in-france": (),
    "fr.cp.113-6.french-national-abroad": ({"service": {"established_in": "ES"}},),
    "fr.cp.225-11-2.minor-abroad": ({"victims": {"minors": True}, "service": {"established_in": "ES"}},),
    "fr.cp.113-2.clients-in-france": (),
    "fr.cp.113-2.clients-solicit-from-france": (),
    "fr.enforcement.french-foothold": (),
    "fr.enforcement.french-national": ({"service": {"established_in": "ES"}},),
    "fr.enforcement.eu-foothold": ({"service": {"established_in": "DE", "targets": ["DE"]},
                                    "actor": {"nationality": "DE"}},),
    "fr.enforcement.realistic": (),
    "fr.enforcement.only-in-theory": ({"service": {"established_in": "US", "targets": ["US"]},
                                       "actor": {"nationality": "US"}},),
}
CODE_PENAL = {rule.id for rule in BOOK.rules if rule.pack == "fr.code-penal"}
LATER = {"fr.cp.222-23-1.client-under-15": (({"victims": {"minors": True, "under_15": True}},), "2022-01-01")}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_each_rule_fires_with_certainty_on_the_facts_it_encodes(rule_id: str) -> None:
    assert rule_id in certain_rules(scenario(*CASES[rule_id]))


def test_the_rape_of_a_child_under_fifteen_reaches_clients_only_from_23_april_2021() -> None:
    overrides, later = LATER["fr.cp.222-23-1.client-under-15"]
    assert "fr.cp.222-23-1.client-under-15" in certain_rules(scenario(*overrides, facts_date=later))
    assert "fr.cp.222-23-1.client-under-15" not in certain_rules(scenario(*overrides, facts_date="2021-04-22"))


def test_every_rule_of_the_pack_has_a_case_here() -> None:
    assert set(CASES) | set(LATER) == CODE_PENAL


def test_the_base_scenario_is_prostitution_within_french_reach_without_procuring() -> None:
    fired = certain_rules(scenario())
    assert {"fr.cass.1996-03-27.prostitution", "fr.cp.611-1.purchase", "fr.cp.113-2.operated-from-france"} <= fired
    conduct = {r.id for r in BOOK.producers["fr.proxenetisme.conduct"]}
    assert not fired & conduct
    assert finding(scenario(), "fr.jurisdiction").status == "met"
    assert finding(scenario(), "fr.proxenetisme").status == "not_liable"


def test_without_a_link_to_france_no_french_offence_is_found() -> None:
    abroad = scenario(PROCURING, {"service": {"established_in": "US", "targets": ["US"]},
                                  "victims": {"residence": ["US"]}, "actor": {"nationality": "US"}})
    assert finding(abroad, "fr.jurisdiction").status == "not_met"
    assert finding(abroad, "fr.proxenetisme").status == "not_liable"


def test_a_site_abroad_reaching_victims_in_france_is_prosecutable_only_in_theory() -> None:
    foreign = scenario(PROCURING, {"service": {"established_in": "US", "targets": ["US"]},
                                   "actor": {"nationality": "US"}})
    assert finding(foreign, "fr.proxenetisme").status == "liable"
    theoretical = finding(foreign, "fr.enforcement")
    assert theoretical.status == "not_met"
    assert any("only theoretical" in reason for reason in theoretical.because)


def test_webcam_shows_without_physical_contact_are_not_prostitution_so_nothing_follows() -> None:
    cam = scenario({"content": {"kind": "cam_shows", "physical_contact": False},
                    "money": {"share_of_proceeds": True}, "knowledge": {"general_awareness": True}})
    assert finding(cam, "fr.prostitution").status == "not_met"
    for head in ("fr.proxenetisme", "fr.proxenetisme.aggravated", "fr.proxenetisme.crime", "fr.clients"):
        assert finding(cam, head).status == "not_liable"


def test_mutual_aid_blocks_hosting_as_aid_only_not_intermediary_nor_charging_for_ads() -> None:
    hosting = {"service": {"stores_user_content": True}, "knowledge": {"actual_knowledge": True},
               "conduct": {"mutual_aid_purpose": True}}
    fired = certain_rules(scenario(hosting))
    assert "fr.cp.225-5-1.hosting-known-ads" not in fired
    assert "fr.cp.225-6-1.host-intermediary" in fired
    paid = scenario(hosting, {"money": {"posting_fees": True}, "response": {"removed_expeditiously": False}})
    assert "fr.cp.225-5-2.paid-ads-known" in certain_rules(paid)


def test_knowledge_is_required_no_rule_convicts_a_service_that_did_not_know() -> None:
    unaware = scenario({"money": {"posting_fees": True, "advertising_revenue": True},
                        "service": {"stores_user_content": True}})
    assert finding(unaware, "fr.proxenetisme").status == "not_liable"


def test_a_legal_person_is_liable_only_through_its_organs_or_representatives() -> None:
    silent = scenario(PROCURING, {"actor": {"organs_acted_on_its_behalf": False}})
    assert finding(silent, "fr.proxenetisme").status == "not_liable"
    unknown = scenario(PROCURING, {"actor": {"organs_acted_on_its_behalf": "unknown"}})
    result = finding(unknown, "fr.proxenetisme")
    assert result.status == "undetermined"
    assert result.missing_facts == ["actor.organs_acted_on_its_behalf"]


def test_advertising_revenue_alone_is_arguable_not_a_verdict() -> None:
    result = finding(scenario({"money": {"advertising_revenue": True},
                               "service": {"stores_user_content": True},
                               "knowledge": {"general_awareness": True}}), "fr.proxenetisme")
    assert (result.status, result.strength) == ("liable", "arguable")
    assert any("Open question" in reason for reason in result.because)


def test_advertising_revenue_is_not_profit_for_one_who_neither_stores_nor_publishes_the_ads() -> None:
    engine = scenario({"money": {"advertising_revenue": True}, "actor": {"position": "search_engine"},
                       "service": {"stores_user_content": True},
                       "knowledge": {"general_awareness": True}})
    assert "fr.cp.225-5-2.advertising-revenue" not in certain_rules(engine)
    assert finding(engine, "fr.proxenetisme").status == "not_liable"


def test_a_legal_person_faces_five_times_the_fine_and_no_prison() -> None:
    penalty = finding(scenario(PROCURING), "fr.proxenetisme").penalties
    assert penalty is not None
    assert (penalty.person, penalty.prison_years, penalty.fine, penalty.currency) == ("legal", None, 750_000, "EUR")
    natural = finding(scenario(PROCURING, {"actor": {"person": "natural"}}), "fr.proxenetisme").penalties
    assert natural is not None
    assert (natural.prison_years, natural.fine) == (7, 150_000)


@pytest.mark.parametrize(("facts_date", "years"), [("2002-03-05", 15), ("2021-04-22", 15), ("2021-04-23", 20)])
def test_procuring_a_child_under_fifteen_carries_the_sentence_in_force_on_the_facts_date(
        facts_date: str, years: int) -> None:
    s = scenario(PROCURING, {"actor": {"person": "natural"}, "victims": {"minors": True, "under_15": True},
                             "knowledge": {"knows_minors": True}}, facts_date=facts_date)
    penalty = finding(s, "fr.proxenetisme.crime").penalties
    assert penalty is not None and penalty.prison_years == years and penalty.nature == "crime"


def test_before_5_march_2002_a_child_under_fifteen_only_aggravates_the_offence() -> None:
    s = scenario(PROCURING, {"victims": {"minors": True, "under_15": True},
                             "knowledge": {"knows_minors": True}}, facts_date="2001-06-01")
    assert finding(s, "fr.proxenetisme.crime").status == "not_liable"
    assert finding(s, "fr.proxenetisme.aggravated").status == "liable"


@pytest.mark.parametrize(("facts_date", "years", "fine", "currency"), [
    ("1996-01-01", 5, 1_000_000, "FRF"), ("2001-11-16", 7, 1_000_000, "FRF"), ("2002-01-01", 7, 150_000, "EUR")])
def test_the_basic_offence_carries_its_dated_penalty(facts_date: str, years: int, fine: int, currency: str) -> None:
    s = scenario(PROCURING, {"actor": {"person": "natural"}}, facts_date=facts_date, judged_on=facts_date)
    penalty = finding(s, "fr.proxenetisme").penalties
    assert penalty is not None
    assert (penalty.prison_years, penalty.fine, penalty.currency) == (years, fine, currency)


def test_judged_after_the_euro_a_fine_in_francs_gives_way_to_the_milder_euro_fine() -> None:
    # 150,000 EUR is about 983,935 F, less than the 1,000,000 F of November 2001 (C. pén. 112-1).
    s = scenario(PROCURING, {"actor": {"person": "natural"}}, facts_date="2001-11-16", judged_on="2003-01-01")
    penalty = finding(s, "fr.proxenetisme").penalties
    assert penalty is not None and (penalty.fine, penalty.currency) == (150_000, "EUR")
    assert "milder later version" in penalty.version_reason


def test_the_network_aggravation_exists_only_from_18_june_1998() -> None:
    public = (PROCURING, {"service": {"audience": "public"}})
    assert "fr.cp.225-7-10.network" not in certain_rules(scenario(*public, facts_date="1998-06-17"))
    assert "fr.cp.225-7-10.network" in certain_rules(scenario(*public, facts_date="1998-06-18"))


def test_buying_sex_from_an_adult_is_an_offence_only_from_15_april_2016() -> None:
    assert finding(scenario(facts_date="2016-04-14"), "fr.clients").status == "not_liable"
    after = finding(scenario(facts_date="2016-04-15"), "fr.clients")
    assert after.status == "liable"
    assert after.penalties is not None and after.penalties.fine == 1_500 and after.penalties.person == "natural"


def test_the_print_press_is_not_an_electronic_network() -> None:
    s = scenario(PROCURING, {"service": {"kind": "print", "audience": "public"}})
    assert "fr.cp.225-7-10.network" not in certain_rules(s)


def test_hosting_on_general_awareness_alone_is_not_said_to_be_knowing() -> None:
    aware = scenario({"service": {"stores_user_content": True}, "knowledge": {"general_awareness": True}})
    fired = certain_rules(aware)
    assert {"fr.cp.225-5-1.hosting-aware", "fr.cp.225-6-1.host-intermediary-aware"} <= fired
    assert not fired & {"fr.cp.225-5-1.hosting-known-ads", "fr.cp.225-6-1.host-intermediary"}
    for rule in ("fr.cp.225-5-1.hosting-aware", "fr.cp.225-6-1.host-intermediary-aware"):
        assert "without knowing of particular ads" in BOOK.by_id[rule].because.en


def test_paid_ads_removed_as_soon_as_known_are_no_knowing_profit() -> None:
    removed = scenario({"money": {"posting_fees": True}, "knowledge": {"actual_knowledge": True},
                        "response": {"removed_expeditiously": True}})
    assert "fr.cp.225-5-2.paid-ads-known" not in certain_rules(removed)


def test_225_6_reaches_the_publisher_of_the_ads_not_whoever_merely_points_to_them() -> None:
    newspaper = scenario({"service": {"kind": "print"}, "knowledge": {"actual_knowledge": True}})
    assert "fr.cp.225-6-1.editor-intermediary" in certain_rules(newspaper)
    engine = scenario({"actor": {"position": "search_engine"}, "content": {"author": "platform"},
                       "knowledge": {"general_awareness": True}})
    assert "fr.cp.225-6-1.editor-intermediary" not in certain_rules(engine)


def test_a_french_company_acting_in_france_is_not_judged_as_a_french_national_abroad() -> None:
    fired = certain_rules(scenario({"victims": {"minors": True}}))
    assert "fr.cp.113-2.operated-from-france" in fired
    assert not fired & {"fr.cp.113-6.french-national-abroad", "fr.cp.225-11-2.minor-abroad"}


def test_the_orientation_reason_does_not_say_where_the_site_is_run() -> None:
    because = BOOK.by_id["fr.cp.113-2.targets-french-public"].because
    assert "run from abroad" not in because.en and "exploité à l'étranger" not in because.fr
    assert "07-87.281" in because.en and "15-86.645" in because.en


def test_the_1996_definition_of_prostitution_is_settled_and_mutual_aid_an_open_question() -> None:
    assert BOOK.by_id["fr.cass.1996-03-27.prostitution"].strength == "established"
    assert BOOK.by_id["fr.cass.2023-08-09.mutual-aid"].strength == "arguable"


def test_age_alone_is_not_the_vulnerability_that_makes_clients_commit_a_delit() -> None:
    elderly = scenario({"victims": {"vulnerable": True, "vulnerable_health": False}}, facts_date="2010-06-01")
    assert "fr.cp.225-12-1.vulnerable" not in certain_rules(elderly)
    assert finding(elderly, "fr.clients").status == "not_liable"
