"""Every bundled pack against its law table (issue 13): tables written from the texts catch a wrong law.

A law table, tests/law/<folder>/<pack file stem>.yaml, states for each rule of the pack what the
text makes of it (`conclude`, `element`, `strength`, `from`, `to`) and for each penalty its dated
versions (`from`, `to` and every attribute of a penalty version it names: `prison_years`, `life`,
`fine`, `fine_percent_turnover`, `currency`...). The table is written from the statute or the
decision, not from the pack: a date moved by a year, a fine cut tenfold or a strength changed in
the pack then fails here, naming the pack, the id and the field.

Each rule must also fire on the first day of its `in_force` and not on the day before, when the
engine of record (experta) runs a scenario dated that day. How the scenario is found: with every
fact unknown and the rules in force on that day selected as the reasoner selects them, the exact
decision diagram of the rule's condition (liability.decide, `Decisions.rule`) is built over the
regime's fact encodings; its conclusions are expanded through the diagrams of the rules that draw
them and its `unless` conclusions negated, so any assignment the diagram accepts makes the rule
fire, derived premises included. One such assignment is picked, conjoined with the facts file's
implications (a person under 15 is a minor) so that the scenario is valid, and every fact the
regime tests is stated, so that no deduction fills any. The scenario is then validated by the
scenario model and run at `facts_date = judged_on = from` and at the day before. A rule that only a
later judgment reaches (one for conduct before FOSTA, in a case judged after it) is run with its
conduct on that day and the earliest date of judgment at which it can fire.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from liability.bundled import rules_dir
from liability.decide import Decisions
from liability.evaluator import closure
from liability.reasoner import Reasoner
from liability.rulebook import Pack, Penalty, PenaltyVersion, Rule

LAW = Path(__file__).parent / "law"
REASONER = Reasoner(engine="experta")
RULE_FIELDS = ("conclude", "element", "strength", "from", "to")


def _packs() -> dict[str, tuple[Pack, list[str]]]:
    """Every bundled pack, by file, with the regimes that load it."""
    packs: dict[str, tuple[Pack, list[str]]] = {}
    for regime in REASONER.regimes:
        for pack in REASONER.rulebook(regime).packs:
            packs.setdefault(pack.file, (pack, []))[1].append(regime)
    return packs


PACKS = _packs()


def _table_path(pack: Pack) -> Path:
    relative = Path(pack.file).resolve().relative_to(rules_dir().resolve())
    return LAW / relative.parent / f"{relative.stem}.yaml"


@lru_cache(maxsize=None)
def _table(pack_file: str) -> dict[str, Any]:
    pack, _ = PACKS[pack_file]
    path = _table_path(pack)
    if not path.is_file():
        pytest.fail(f"{pack.name}: no law table {path.relative_to(LAW.parent.parent)}: write one from the texts")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _day(value: Any) -> dt.date | None:
    return None if value is None else value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _rule_fields(rule: Rule) -> dict[str, Any]:
    return {"conclude": rule.conclusion, "element": rule.element, "strength": rule.strength,
            "from": rule.in_force.from_, "to": rule.in_force.to}


def _entries(kind: str) -> list[Any]:
    params = []
    for file, (pack, _) in PACKS.items():
        ids = [r.id for r in pack.rules] if kind == "rules" else [p.id for p in pack.penalties]
        params += [pytest.param(file, entry, id=f"{pack.name}:{entry}") for entry in ids]
    return params


@pytest.mark.parametrize("pack_file", list(PACKS), ids=[p.name for p, _ in PACKS.values()])
def test_each_pack_has_a_law_table_listing_exactly_its_rules_and_penalties(pack_file):
    pack, _ = PACKS[pack_file]
    table = _table(pack_file)
    unknown_keys = set(table) - {"rules", "penalties", "complementary"}
    assert not unknown_keys, f"{pack.name}: law table keys {sorted(unknown_keys)}; expected rules, penalties, complementary"
    for kind, ids in (("rules", [r.id for r in pack.rules]), ("penalties", [p.id for p in pack.penalties])):
        listed = set(table.get(kind) or {})
        assert not set(ids) - listed, f"{pack.name}: {kind} missing from the law table: {sorted(set(ids) - listed)}"
        assert not listed - set(ids), f"{pack.name}: law table {kind} the pack does not have: {sorted(listed - set(ids))}"


@pytest.mark.parametrize("pack_file, rule_id", _entries("rules"))
def test_each_rule_says_what_its_law_table_says(pack_file, rule_id):
    pack, _ = PACKS[pack_file]
    entry = (_table(pack_file).get("rules") or {}).get(rule_id)
    assert entry is not None, f"{pack.name}: {rule_id}: not in the law table"
    unknown = set(entry) - set(RULE_FIELDS)
    assert not unknown, f"{pack.name}: {rule_id}: unknown law table fields {sorted(unknown)}; expected {RULE_FIELDS}"
    rule = next(r for r in pack.rules if r.id == rule_id)
    actual = _rule_fields(rule)
    for field in RULE_FIELDS:
        assert field in entry, f"{pack.name}: {rule_id}: the law table does not give `{field}`"
        wanted = _day(entry[field]) if field in ("from", "to") else entry[field]
        if field == "element" and rule.element is not None and wanted in (rule.element.fr, rule.element.en):
            continue  # the table names the element in the text's own language, the pack in both
        assert actual[field] == wanted, f"{pack.name}: {rule_id}: {field} is {actual[field]!r}, the law says {wanted!r}"


@pytest.mark.parametrize("pack_file, penalty_id", _entries("penalties"))
def test_each_penalty_says_what_its_law_table_says(pack_file, penalty_id):
    pack, _ = PACKS[pack_file]
    versions = (_table(pack_file).get("penalties") or {}).get(penalty_id)
    assert versions is not None, f"{pack.name}: {penalty_id}: not in the law table"
    penalty = next(p for p in pack.penalties if p.id == penalty_id)
    assert len(versions) == len(penalty.versions), \
        f"{pack.name}: {penalty_id}: {len(penalty.versions)} versions, the law table has {len(versions)}"
    attributes = set(PenaltyVersion.model_fields) - {"in_force"}
    for index, (entry, version) in enumerate(zip(versions, penalty.versions)):
        where = f"{pack.name}: {penalty_id}: version {index + 1}"
        for key, wanted in entry.items():
            if key in ("from", "to"):
                got = getattr(version.in_force, "from_" if key == "from" else "to")
                wanted = _day(wanted)
            else:
                assert key in attributes, f"{where}: unknown field `{key}`; a penalty version has {sorted(attributes)}"
                got = getattr(version, key)
            assert got == wanted, f"{where}: {key} is {got!r}, the law says {wanted!r}"


def _dated_complementary(penalty: Penalty) -> dict[str, dict[str, list[dict[str, dt.date | None]]]]:
    """The penalty's dated complementary penalties, by person and provision: their periods in order."""
    people = {"natural": penalty.additional, "legal": penalty.legal_person.additional if penalty.legal_person else []}
    dated: dict[str, dict[str, list[dict[str, dt.date | None]]]] = {}
    for person, items in people.items():
        for item in items:
            if item.in_force is not None:
                periods = dated.setdefault(person, {}).setdefault(item.ref, [])
                periods.append({"from": item.in_force.from_, "to": item.in_force.to})
    return {person: {ref: sorted(periods, key=lambda p: p["from"]) for ref, periods in refs.items()}
            for person, refs in dated.items()}


@pytest.mark.parametrize("pack_file, penalty_id", _entries("penalties"))
def test_each_dated_complementary_penalty_says_what_its_law_table_says(pack_file, penalty_id):
    """A complementary penalty the law added, removed or reworded on its own date (C. pén. 112-1,
    al. 2: only those provided on the day of the acts may be pronounced) is dated as the table says."""
    pack, _ = PACKS[pack_file]
    penalty = next(p for p in pack.penalties if p.id == penalty_id)
    table = ((_table(pack_file).get("complementary") or {}).get(penalty_id)) or {}
    wanted = {person: {ref: [{"from": _day(p["from"]), "to": _day(p["to"])} for p in periods]
                       for ref, periods in (refs or {}).items()}
              for person, refs in table.items()}
    actual = _dated_complementary(penalty)
    for person in sorted(set(actual) | set(wanted)):
        got, want = actual.get(person, {}), wanted.get(person, {})
        assert set(got) == set(want), (f"{pack.name}: {penalty_id}: dated complementary penalties ({person}) "
                                       f"{sorted(got)}, the law table lists {sorted(want)}")
        for ref in got:
            assert got[ref] == want[ref], (f"{pack.name}: {penalty_id}: {person} complementary penalty {ref} in force "
                                           f"{got[ref]}, the law says {want[ref]}")


# --- each rule fires from its first day ----------------------------------------------------------

def _judgment_days(regime: str, day: dt.date) -> list[dt.date]:
    """The dates of judgment to try for conduct of `day`: that day, then each later day on which a
    rule that the date of judgment selects came into force (a rule for conduct before FOSTA needs a
    case judged after it)."""
    book = REASONER.rulebook(regime)
    later = {r.in_force.from_ for r in book.rules if r.time and r.time.basis == "judged_on" and r.in_force.from_ > day}
    return [day, *sorted(later)]


def _firing_facts(regime: str, rule: Rule, day: dt.date, judged_on: dt.date) -> dict[str, Any] | None:
    """Values of every fact the regime tests under which `rule` fires for conduct of `day` judged on
    `judged_on` (see the module's docstring), or None if no assignment makes it fire."""
    book = REASONER.rulebook(regime)
    selection = book.select(day, judged_on)
    rules = [r for r in book.order if r.id in selection.in_force]
    encodings = REASONER.encodings(regime)
    unknown = {path: None for path in encodings.encodings}
    decisions = Decisions(lambda: encodings, book, rules, unknown, closure(rules, book, unknown))
    manager = encodings.manager
    node = decisions.rule(rule.id) if rule.id in selection.in_force else manager.false
    for spec in REASONER.vocabulary.facts.values():
        for other, value in spec.implies:
            if spec.path in encodings.encodings and other in encodings.encodings:
                this_true = _class_node(encodings.encodings[spec.path], True, manager)
                node &= ~this_true | _class_node(encodings.encodings[other], value, manager)
    if node == manager.false:
        return None
    assignment = manager.pick(node)
    return {path: encoding.value_of(assignment) for path, encoding in encodings.encodings.items()}


def _class_node(encoding: Any, value: Any, manager: Any) -> Any:
    node = manager.false
    for value_class in encoding.classes:
        if value_class.value == value:
            node |= value_class.selector
    return node


def _fires(regime: str, rule: Rule, facts: dict[str, Any], day: dt.date, judged_on: dt.date) -> bool:
    data: dict[str, Any] = {"id": "law-table-firing", "facts_date": day.isoformat(), "judged_on": judged_on.isoformat(),
                            "regimes": [regime]}
    for path, value in facts.items():
        section, name = path.split(".", 1)
        data.setdefault(section, {})[name] = value
    scenario = REASONER.vocabulary.model.model_validate(data)
    return any(step.rule == rule.id for step in REASONER.decide(scenario, regime).run.trace)


def _rule_params() -> list[Any]:
    params = []
    for file, (pack, regimes) in PACKS.items():
        earliest = min(r.in_force.from_ for r in pack.rules)
        for regime in regimes:
            params += [pytest.param(regime, file, r.id, r.in_force.from_ > earliest,
                                    id=f"{regime}:{pack.name}:{r.id}") for r in pack.rules]
    return params


@pytest.mark.parametrize("regime, pack_file, rule_id, starts_later", _rule_params())
def test_each_rule_fires_on_its_first_day_in_force_and_not_the_day_before(regime, pack_file, rule_id, starts_later):
    pack, _ = PACKS[pack_file]
    rule = next(r for r in pack.rules if r.id == rule_id)
    start = rule.in_force.from_
    found = ((judged, _firing_facts(regime, rule, start, judged)) for judged in _judgment_days(regime, start))
    judged, facts = next(((j, f) for j, f in found if f is not None), (start, None))
    assert facts is not None, f"{regime}: {pack.name}: {rule_id}: no facts make it fire on {start}, whenever judged"
    assert _fires(regime, rule, facts, start, judged), \
        f"{regime}: {pack.name}: {rule_id}: does not fire on {start} (judged {judged})"
    if starts_later:
        before = start - dt.timedelta(days=1)
        assert not _fires(regime, rule, facts, before, before if judged == start else judged), \
            f"{regime}: {pack.name}: {rule_id}: fires on {before}, the day before it came into force"
