"""The order of a pack's lists (docs/rule-packs.md, A pack): penalties and heads follow the rules
they belong to, so that a pack's three lists read side by side."""

from __future__ import annotations

import pytest

from liability.bundled import rules_dir
from liability.rulebook import PackData
from liability.sources import read_document

PACKS = sorted(p for p in rules_dir().glob("*/*.yaml") if p.name != "jurisdiction.yaml")

HEADS_DECLARED_EARLIER = {"eu.host-exemption"}
"""Declared before the heads whose rules precede its own in rules/eu/dsa.yaml (the DSA's scope,
art. 2): moving it would reorder the findings of every report."""


def pack(path):  # type: ignore[no-untyped-def]
    return PackData.model_validate(read_document(path).data)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_penalties_come_in_the_order_of_the_rules_that_carry_them(path) -> None:  # type: ignore[no-untyped-def]
    data = pack(path)
    first_use = {}
    for index, rule in enumerate(data.rules):
        if rule.then.penalty:
            first_use.setdefault(rule.then.penalty, index)
    listed = [p.id for p in data.penalties if p.id in first_use]
    assert listed == sorted(listed, key=first_use.__getitem__)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_heads_come_in_the_order_of_the_rules_that_answer_them(path) -> None:  # type: ignore[no-untyped-def]
    data = pack(path)
    first_rule = {}
    for head in data.heads:
        answers = {c for p in head.proceedings for c, _ in head.outcomes_for(p)}
        drawn = [i for i, rule in enumerate(data.rules) if rule.then.conclude in answers]
        if drawn and head.id not in HEADS_DECLARED_EARLIER:
            first_rule[head.id] = min(drawn)
    listed = [h.id for h in data.heads if h.id in first_rule]
    assert listed == sorted(listed, key=first_rule.__getitem__)
