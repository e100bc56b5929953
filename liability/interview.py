"""The interview: fill a scenario by asking only the questions that can still change a finding.

A findings document already lists, most decisive first, the unknown facts that decide its
findings (exactly: the decision diagrams say which facts can change a status, and no other). The
interview asks the first of them not asked yet, applies the answer, assesses again, and stops when
every fact that could still change a finding has been answered or met with "don't know". On a
closed record (posture alleged or established), where nothing is undetermined, the facts asked are
those whose proof would change a finding (`not_shown`).

This module knows nothing of terminals: :mod:`liability.prompts` puts its questions to a person,
and the command line wires the two. What is answered is kept as the scenario file would write it,
so that the YAML saved is the very data the last findings were assessed on, and `liability run`
on it gives those findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .findings import Document as Findings
from .reasoner import Reasoner
from .render import visible
from .render.words import LABELS, status_label
from .rulebook import RuleError
from .scenario import TOP_LEVEL_KEYS, UNKNOWN, FactSpec, Scenario, ScenarioError, parse_scenario
from .sources import Document, SourceError, read_bytes, read_document

WORDS = {
    "en": {"dont_know": "don't know", "so_far": "So far", "final": "Findings", "no_finding": "no finding",
           "id": "Scenario id", "title": "Title, optional",
           "facts_date": "Date of the facts (YYYY-MM-DD)", "regimes": "Which regime?", "every_regime": "every regime",
           "posture": "Posture", "count": "a whole number, empty for don't know",
           "countries": "ISO codes separated by commas (FR, US, EU...), empty for don't know",
           "country": "an ISO code (FR, US...), empty for don't know", "text": "empty for don't know",
           "date": "YYYY-MM-DD, empty for don't know",
           "nothing_open": "No open question can change a finding.",
           "save_where": "Save the scenario to (a file name, or - to print it)",
           "overwrite": "{file} exists. Overwrite it?", "saved": "Saved to {file}", "yes": "yes", "no": "no",
           "not_saved": "interrupted: nothing saved", "saved_interrupted": "interrupted: answers so far saved to {file}",
           "incomplete": "interrupted: nothing saved (the scenario's id and date were not given yet)",
           "decides": "decides {count} findings", "decides_one": "decides 1 finding"},
    "fr": {"dont_know": "je ne sais pas", "so_far": "À ce stade", "final": "Conclusions", "no_finding": "aucune conclusion",
           "id": "Identifiant du scénario", "title": "Titre, facultatif",
           "facts_date": "Date des faits (AAAA-MM-JJ)", "regimes": "Quel régime\u00a0?", "every_regime": "tous les régimes",
           "posture": "Posture", "count": "un nombre entier, vide pour je ne sais pas",
           "countries": "codes ISO séparés par des virgules (FR, US, EU…), vide pour je ne sais pas",
           "country": "un code ISO (FR, US…), vide pour je ne sais pas", "text": "vide pour je ne sais pas",
           "date": "AAAA-MM-JJ, vide pour je ne sais pas",
           "nothing_open": "Aucune question ouverte ne peut plus changer une conclusion.",
           "save_where": "Enregistrer le scénario dans (un nom de fichier, ou - pour l'afficher)",
           "overwrite": "{file} existe. L'écraser\u00a0?", "saved": "Enregistré dans {file}", "yes": "oui", "no": "non",
           "not_saved": "interrompu\u00a0: rien n'a été enregistré",
           "saved_interrupted": "interrompu\u00a0: les réponses données sont enregistrées dans {file}",
           "incomplete": "interrompu\u00a0: rien n'a été enregistré (l'identifiant et la date du scénario manquent encore)",
           "decides": "décide {count} conclusions", "decides_one": "décide 1 conclusion"},
}
"""The interview's own words; statuses and "would be decided by" are the reports' (render.words)."""

HEADER = ("id", "title", "facts_date", "regimes", "posture")
"""What a scenario needs before its facts can be assessed, in the order it is asked."""

POSTURES = ("hypothetical", "alleged", "established")


@dataclass(frozen=True)
class Question:
    """One fact to ask: its declaration, its question in the interview's language, and how many
    findings its answer can change."""

    spec: FactSpec
    text: str
    decides: int


@dataclass
class Interview:
    """The scenario being filled: what a file would write (`data`), the facts already asked
    (answered or not known), and the findings of the last assessment.

    `data` holds only what the scenario states: a "don't know" leaves the fact out of it and puts
    it in `asked`, so it is not asked again."""

    reasoner: Reasoner
    lang: str
    data: dict[str, Any] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)
    """The facts asked, and on an empty start the scenario's own keys asked."""
    fresh: bool = True
    """Started from nothing, so the scenario's optional keys are asked too."""
    findings: Findings | None = None

    # -- the scenario's own keys, asked before its facts

    def header_problem(self, key: str, value: Any) -> str | None:
        """Why `value` cannot be the scenario's `key` (None if it can): the scenario model's own
        message, so the interview says what `run` would say of the file."""
        trial = {**self.data, key: value}
        trial.setdefault("id", "interview")
        trial.setdefault("facts_date", dt.date(2000, 1, 1))
        return _problem(self.reasoner, {k: v for k, v in trial.items() if k in TOP_LEVEL_KEYS}, key)

    def set_header(self, key: str, value: Any) -> None:
        """Set one of the scenario's own keys (None leaves it out)."""
        self.asked.add(key)
        if value is None:
            self.data.pop(key, None)
        else:
            self.data[key] = value
            if self.ready:  # kept as the model reads it: a date as a date, which YAML writes unquoted
                self.data[key] = getattr(self.scenario(), key)

    def missing_header(self) -> list[str]:
        """The scenario's keys still to ask: its id and date if it lacks them, and on an empty
        start its title, regimes and posture, once each."""
        return [key for key in HEADER if key not in self.data and key not in self.asked
                and (self.fresh or key in ("id", "facts_date"))]

    @property
    def ready(self) -> bool:
        """Whether the scenario can be assessed: it has its id and its date."""
        return "id" in self.data and "facts_date" in self.data

    # -- facts

    def assess(self) -> Findings:
        """Assess what is stated so far, and keep the findings."""
        scenario = self.scenario()
        self.findings = self.reasoner.assess(scenario, self.lang, explain=False)
        return self.findings

    def scenario(self) -> Scenario:
        """The scenario as stated so far (raises :class:`ScenarioError`, which an answer checked
        by :meth:`answer_problem` cannot cause)."""
        return parse_scenario(Document("interview", self.data), self.reasoner.vocabulary)

    def open_questions(self) -> list[Question]:
        """The facts not asked yet whose answer can change a finding, most decisive first."""
        findings = self.findings or self.assess()
        facts = self.reasoner.vocabulary.facts
        if self.data.get("posture", "hypothetical") == "hypothetical":
            ranked = [(q.fact, q.question, len(q.decides)) for q in findings.questions]
        else:
            ranked = _unproven(findings, self.reasoner)
        return [Question(facts[fact], text, count) for fact, text, count in ranked
                if fact in facts and fact not in self.asked]

    def next_question(self) -> Question | None:
        """The most decisive open question, or None when nothing open can change a finding."""
        questions = self.open_questions()
        return questions[0] if questions else None

    def answer_problem(self, path: str, value: Any) -> str | None:
        """Why `value` cannot be the fact's (None if it can): a wrong form, or a contradiction
        with another fact (a child under fifteen is a minor), in the scenario model's words."""
        if value is None:
            return None
        return _problem(self.reasoner, _with_fact(self.data, path, value), path)

    def answer(self, path: str, value: Any) -> Findings:
        """Record an answer (None: "don't know") and assess again."""
        self.asked.add(path)
        if value is not None:
            self.data = _with_fact(self.data, path, value)
            self.data = _with_fact(self.data, path, self.scenario().fact(path))
        return self.assess()

    # -- what is shown and saved

    def summary(self) -> list[str]:
        """The findings of the last assessment, one line each: regime, head, proceeding, status,
        and for an undetermined one the facts that would decide it. Control characters made visible,
        for a terminal."""
        findings = self.findings or self.assess()
        said = LABELS[self.lang]
        lines = []
        for regime in findings.regimes:
            for finding in regime.findings:
                line = f"  {regime.regime} {finding.head} [{finding.proceeding_label}]{said['colon']}" \
                       f"{status_label(finding.status, self.lang, finding.kind)}"
                if finding.missing_facts:
                    line += f"; {said['missing'].lower()}{said['colon']}{', '.join(finding.missing_facts)}"
                lines.append(visible(line))
        return lines or [f"  {WORDS[self.lang]['no_finding']}"]

    def saved_data(self) -> dict[str, Any]:
        """The scenario as a file writes it: its own keys, then each section's facts, in the
        vocabulary's order; a fact answered "don't know" is written `unknown` (so a later
        interview `--from` the file does not ask it again), an expectation is left out (the answers
        may have changed what the findings are)."""
        vocabulary = self.reasoner.vocabulary
        saved = {key: self.data[key] for key in TOP_LEVEL_KEYS if key in self.data and key != "expect"}
        for section in vocabulary.sections:
            stated = self.data.get(section, {})
            facts = {spec.name: stated.get(spec.name, UNKNOWN) for spec in vocabulary.facts.values()
                     if spec.section == section and (spec.name in stated or spec.path in self.asked)}
            if facts:
                saved[section] = facts
        return saved

    def yaml(self) -> str:
        """The scenario file: safe YAML, which `liability run` reads back to the same findings."""
        return yaml.safe_dump(self.saved_data(), sort_keys=False, allow_unicode=True, width=100)

    def save(self, path: Path) -> None:
        """Write the scenario file (raises OSError)."""
        path.write_text(self.yaml(), encoding="utf-8")


Ask = Callable[[Question, "str | None"], Any]
"""Puts a question (with the reason the last answer was refused, if it was) and returns the
answer: a value as a scenario file writes it, or None for "don't know"."""


def conduct(interview: Interview, ask: Ask, tell: Callable[[list[str]], None]) -> Findings:
    """Ask the open questions, most decisive first, each until its answer is valid, telling the
    provisional findings after each answer; stop when no open question can change a finding, and
    return the findings then."""
    words = WORDS[interview.lang]
    findings = interview.assess()
    tell([f"{words['so_far']}{LABELS[interview.lang]['colon']}".rstrip(), *interview.summary()])
    while (question := interview.next_question()) is not None:
        problem = None
        while True:
            value = ask(question, problem)
            problem = interview.answer_problem(question.spec.path, value)
            if problem is None:
                break
        findings = interview.answer(question.spec.path, value)
        tell([f"{words['so_far']}{LABELS[interview.lang]['colon']}".rstrip(), *interview.summary()])
    said = LABELS[interview.lang]
    warnings = [visible(f"{said['warning']} ({regime.regime}){said['colon']}{warning}")
                for regime in findings.regimes for warning in regime.warnings]
    tell([words["nothing_open"], f"{words['final']}{said['colon']}".rstrip(), *interview.summary(), *warnings])
    return findings


def start(reasoner: Reasoner, lang: str, source: Path | None = None, regimes: list[str] | None = None) -> Interview:
    """An interview from nothing, or from a scenario file (raises :class:`ScenarioError`): its
    stated facts, and those it writes `unknown`, are not asked again. `regimes` (from
    `--regime`) become the scenario's regimes."""
    interview = Interview(reasoner, lang)
    if source is not None:
        try:
            content = read_bytes(source)
        except SourceError as error:
            raise ScenarioError([str(error)]) from None
        scenario = reasoner.load(source, content)  # the very bytes read below for what it writes `unknown`
        interview.data = _as_written(scenario)
        written = read_document(source, content).data
        interview.asked = {spec.path for spec in reasoner.vocabulary.facts.values()
                           if isinstance(written.get(spec.section), dict)
                           and written[spec.section].get(spec.name) == UNKNOWN}
        interview.fresh = False
    if regimes is not None:
        interview.data["regimes"] = regimes
    return interview


def _as_written(scenario: Scenario) -> dict[str, Any]:
    """A loaded scenario back into what its file states: the keys it set, the facts it knows."""
    data = scenario.model_dump(exclude_unset=True)
    sections = scenario.vocabulary.sections
    for section in sections:
        if section in data:
            data[section] = {name: value for name, value in data[section].items() if value is not None}
            if not data[section]:
                del data[section]
    return data


def _with_fact(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    section, name = path.split(".", 1)
    return {**data, section: {**data.get(section, {}), name: value}}


def _problem(reasoner: Reasoner, data: dict[str, Any], key: str) -> str | None:
    """The scenario model's first message on `data` (about `key` if there is one), without the
    file location a file's message begins with."""
    document = Document("interview", data)
    try:
        scenario = parse_scenario(document, reasoner.vocabulary)
        reasoner.regimes_for(scenario)
    except ScenarioError as error:
        prefix = f"{document.where(())}: "
        messages = [m[len(prefix):] if m.startswith(prefix) else m for m in error.problems]
        return next((m for m in messages if key in m), messages[0])
    except RuleError as error:  # a regime no rule pack defines
        return error.problems[0]
    return None


def _unproven(findings: Findings, reasoner: Reasoner) -> list[tuple[str, str, int]]:
    """On a closed record, the facts whose proof would change a finding, those changing the most
    first (then in the vocabulary's order), with their questions."""
    counts: dict[str, int] = {}
    for regime in findings.regimes:
        for finding in regime.findings:
            for fact in dict.fromkeys(p.fact for p in finding.not_shown):
                counts[fact] = counts.get(fact, 0) + 1
    order = {fact: index for index, fact in enumerate(reasoner.vocabulary.facts)}
    ranked = sorted(counts, key=lambda fact: (-counts[fact], order.get(fact, len(order))))
    return [(fact, reasoner.glossary.question(fact, findings.lang), counts[fact]) for fact in ranked]
