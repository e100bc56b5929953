"""The interview put to a person at a terminal, with prompt_toolkit.

A thin layer over :mod:`liability.interview`, which decides what to ask and when to stop: here a
yes/no or a choice is a list moved through with the arrow keys (Enter picks), a number, a country
or a date is a line of text, and "don't know" is always one of the answers (an empty line, for
text). Ctrl-C and Ctrl-D raise KeyboardInterrupt and EOFError for the command line to handle.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

import click
from prompt_toolkit import prompt
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.shortcuts import choice

from .interview import POSTURES, WORDS, Interview, Question, conduct
from .render import visible
from .render.words import LABELS
from .values import WORDS as VALUE_WORDS

_DONT_KNOW = "\0dont-know"
"""The value a list gives for "don't know": no fact's value can be it."""


def _eof_on_ctrl_d() -> KeyBindings:
    """Ctrl-D leaves a list as it leaves a line of text (prompt_toolkit binds it for text only)."""
    bindings = KeyBindings()

    @bindings.add("c-d")
    def _leave(event: Any) -> None:
        event.app.exit(exception=EOFError())

    return bindings


def choose(message: str, options: Sequence[tuple[Any, str]], default: Any = None) -> Any:
    """One of `options` (value, words), picked with the arrow keys and Enter."""
    return choice(visible(message), options=[(value, visible(words)) for value, words in options],
                  default=default, key_bindings=_eof_on_ctrl_d())


def line(message: str, default: str = "") -> str:
    """A line of text (Enter accepts `default`)."""
    return prompt(f"{visible(message)}: ", default=default)


def say(lines: list[str]) -> None:
    for text in lines:
        click.echo(text)


def ask_header(interview: Interview) -> None:
    """The scenario's own keys it lacks, each asked until the scenario model accepts it."""
    for key in interview.missing_header():
        problem: str | None = "?"
        value: Any = None
        while problem is not None:
            value = _header_answer(interview, key)
            problem = interview.header_problem(key, value)
            if problem is not None:
                click.echo(f"  {problem}")
        interview.set_header(key, value)


def _header_answer(interview: Interview, key: str) -> Any:
    words = WORDS[interview.lang]
    help_text = interview.reasoner.vocabulary.keys.get(key)
    if key == "regimes":
        options = [(None, words["every_regime"])]
        options += [(regime.id, f"{regime.id}: {regime.title.get(interview.lang)}")
                    for regime in interview.reasoner.regimes.values()]
        picked = choose(words["regimes"], options)
        return None if picked is None else [picked]
    if key == "posture":
        described = LABELS[interview.lang]["posture"]
        return choose(words["posture"], [(p, described[p]) for p in POSTURES], default="hypothetical")
    asked = words[key] if help_text is None or key == "facts_date" else f"{words[key]} ({help_text.get(interview.lang)})"
    text = line(asked).strip()
    return text or None


def ask_fact(interview: Interview, question: Question, problem: str | None) -> Any:
    """The answer to one fact's question, as a scenario file writes it (None: don't know)."""
    lang = interview.lang
    words = WORDS[lang]
    spec = question.spec
    if problem is not None:
        click.echo(f"  {problem}")
    decides = words["decides_one"] if question.decides == 1 else words["decides"].format(count=question.decides)
    heading = f"{question.text}\n  [{spec.path}; {decides}]"
    dont_know = (_DONT_KNOW, words["dont_know"])
    if spec.kind == "bool":
        picked = choose(heading, [(True, VALUE_WORDS[lang]["true"]), (False, VALUE_WORDS[lang]["false"]), dont_know])
    elif spec.kind == "choice":
        picked = choose(heading, [*((value, spec.label(value, lang) or str(value)) for value in spec.values), dont_know])
    else:
        click.echo(visible(heading))
        text = line(f"  {words.get(spec.kind, words['text'])}").strip()
        picked = _written(spec.kind, text) if text else _DONT_KNOW
    return None if picked == _DONT_KNOW else picked


def _written(kind: str, text: str) -> Any:
    """A typed line as a scenario file would hold it; what does not fit is left for the scenario
    model to refuse, with its reason."""
    if kind == "count":
        return int(text) if text.isdigit() else text
    if kind == "countries":
        return [code.upper() for code in re.split(r"[\s,;]+", text) if code]
    if kind == "country":
        return text.upper()
    return text


def hold(interview: Interview) -> None:
    """The whole interview: the scenario's own keys, then the facts until nothing open can
    change a finding."""
    ask_header(interview)
    conduct(interview, lambda question, problem: ask_fact(interview, question, problem), say)


def where_to_save(interview: Interview) -> Path | None:
    """Where to write the scenario, asked at the end (default `<id>.yaml` here; None: print it);
    an existing file is overwritten only if the person says so."""
    words = WORDS[interview.lang]
    while True:
        answer = line(words["save_where"], default=f"{interview.data['id']}.yaml").strip()
        if answer == "-":
            return None
        path = Path(answer or f"{interview.data['id']}.yaml")
        if not path.exists() or choose(words["overwrite"].format(file=path),
                                       [(False, words["no"]), (True, words["yes"])]):
            return path
