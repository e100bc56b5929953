"""Text and Markdown renderings of a what-if: the facts changed, then each finding that changes."""

from __future__ import annotations

from typing import Callable

from ..what_if import FindingChange, Side, WhatIf
from . import visible, visible_strings
from .markdown import escape
from .typography import typeset
from ..values import value_words
from .words import LABELS, STRENGTH, penalty_line, status_label

WORDS = {
    "en": {"title": "What if", "nothing": "No finding changes.", "unchanged": "{n} other findings unchanged.",
           "unchanged_one": "1 other finding unchanged.", "no_longer": "no longer", "now": "now",
           "at_stake": "at stake", "none": "none", "rests_on": "rests on"},
    "fr": {"title": "Et si", "nothing": "Aucune conclusion ne change.",
           "unchanged": "{n} autres conclusions inchangées.", "unchanged_one": "1 autre conclusion inchangée.",
           "no_longer": "ne tient plus", "now": "désormais", "at_stake": "peine encourue",
           "none": "aucune", "rests_on": "textes"},
}


def _value(fact: str, value: object, whatif: WhatIf) -> str:
    return value_words(None if value == "unknown" else value, whatif.values.get(fact, {}), whatif.lang)


def change_lines(whatif: WhatIf) -> list[str]:
    """`fact: before -> after`, one line per fact changed."""
    return [f"{change.fact}{LABELS[whatif.lang]['colon']}{_value(change.fact, change.before, whatif)} → "
            f"{_value(change.fact, change.after, whatif)}" for change in whatif.changes]


def _status(side: Side, change: FindingChange, lang: str) -> str:
    strength = f" ({STRENGTH[lang][side.strength]})" if side.strength else ""
    return status_label(side.status, lang, change.kind) + strength


def _penalty(side: Side, lang: str) -> str:
    line = penalty_line(side.penalties, lang) if side.penalties else WORDS[lang]["none"]
    if side.penalties_up_to is not None:
        line += f" ({LABELS[lang]['up_to']} {penalty_line(side.penalties_up_to, lang)})"
    return line


def finding_lines(change: FindingChange, lang: str) -> tuple[str, list[str]]:
    """The finding's heading and what changed in it, each as one line."""
    words, colon = WORDS[lang], LABELS[lang]["colon"]
    heading = f"{change.question} [{change.regime}, {change.proceeding_label}]"
    lines = [f"{_status(change.before, change, lang)} → {_status(change.after, change, lang)}"]
    before, after = _penalty(change.before, lang), _penalty(change.after, lang)
    if before != after:
        lines.append(f"{words['at_stake']}{colon}{before} → {after}")
    lines += [f"{words['no_longer']}{colon}{reason}" for reason in change.no_longer]
    lines += [f"{words['now']}{colon}{reason}" for reason in change.now]
    if change.cites:
        lines.append(f"{words['rests_on']}{colon}{'; '.join(change.cites)}")
    return heading, lines


def _unchanged(whatif: WhatIf) -> str:
    words = WORDS[whatif.lang]
    return words["unchanged_one"] if whatif.unchanged == 1 else words["unchanged"].format(n=whatif.unchanged)


def _render(whatif: WhatIf, title: Callable[[str], str], heading: Callable[[str], str],
            item: Callable[[str], str]) -> str:
    lang = whatif.lang
    words = WORDS[lang]
    out = [title(f"{words['title']}{LABELS[lang]['colon']}{whatif.title or whatif.scenario} ({whatif.scenario})")]
    out += [item(line) for line in change_lines(whatif)]
    out.append("")
    if not whatif.findings:
        out.append(words["nothing"])
    for change in whatif.findings:
        head, lines = finding_lines(change, lang)
        out.append(heading(head))
        out += [item(line) for line in lines]
        out.append("")
    if whatif.unchanged:
        out.append(_unchanged(whatif))
    return "\n".join(typeset(line, lang) for line in out).rstrip("\n") + "\n"


def text(whatif: WhatIf) -> str:
    """For the terminal: every string made visible (no control character reaches the screen)."""
    return _render(visible_strings(whatif), lambda line: line, lambda line: line, lambda line: f"  {line}")


def markdown(whatif: WhatIf) -> str:
    """A Markdown note: headings and lists, every string escaped."""
    return _render(whatif, lambda line: f"# {escape(line)}\n", lambda line: f"## {escape(line)}\n",
                   lambda line: f"- {escape(visible(line))}")
