"""Text and Markdown renderings of the changes that would flip findings."""

from __future__ import annotations

from typing import Callable

from ..flip_search import Flip, FindingFlips, Flips
from ..values import phrase_words, value_words
from . import visible, visible_strings
from .markdown import escape
from .typography import typeset
from .words import LABELS, STRENGTH, status_label

WORDS = {
    "en": {"title": "What would change the findings", "kept": "kept as they are", "or": " or ",
           "decided_by": "then decided by", "no_longer": "no longer holding", "beyond": "reachable only by changing more than {n} facts together",
           "unreachable": "no change of the facts not kept can make it", "nothing": "no change of at most {n} facts changes it",
           "ways": "{n} combinations of these values"},
    "fr": {"title": "Ce qui changerait les conclusions", "kept": "faits tenus pour acquis", "or": " ou ",
           "decided_by": "tranché alors par", "no_longer": "ne tiendrait plus", "beyond": "atteignable seulement en changeant plus de {n} faits à la fois",
           "unreachable": "aucun changement des faits non tenus pour acquis ne peut le rendre", "nothing": "aucun changement d'au plus {n} faits ne la change",
           "ways": "{n} combinaisons de ces valeurs"},
}


def _after(flips: Flips, fact: str, labels: list[str]) -> str:
    words = WORDS[flips.lang]
    values = flips.values.get(fact, {})
    return words["or"].join("; ".join(phrase_words(part, values, flips.lang) for part in label.split("; "))
                            for label in labels)


def _before(flips: Flips, fact: str, value: object) -> str:
    return value_words(None if value == "unknown" else value, flips.values.get(fact, {}), flips.lang)


def flip_line(flips: Flips, flip: Flip) -> tuple[str, list[str]]:
    """The changes of one flip on one line, and what would then decide, on the next ones."""
    lang = flips.lang
    words, colon = WORDS[lang], LABELS[lang]["colon"]
    changes = LABELS[lang]["semicolon"].join(
        f"{change.fact}{colon}{_before(flips, change.fact, change.before)} → {_after(flips, change.fact, change.after)}"
        for change in flip.changes)
    details = []
    for rule in flip.decided_by:
        label = words["decided_by"] if rule.holds else words["no_longer"]
        details.append(f"{label}{colon}{rule.cites} ({rule.rule})")
    if flip.ways > 1 and len(flip.changes) > 1:
        details.append(words["ways"].format(n=flip.ways))
    return changes, details


def finding_heading(finding: FindingFlips, lang: str) -> str:
    return (f"{finding.question} [{finding.regime}, {finding.proceeding_label}]{LABELS[lang]['colon']}"
            f"{status_label(finding.status, lang, finding.kind)}")


def _render(flips: Flips, title: Callable[[str], str], heading: Callable[[str], str],
            status: Callable[[str], str], item: Callable[[str, int], str]) -> str:
    lang = flips.lang
    words, colon = WORDS[lang], LABELS[lang]["colon"]
    out = [title(f"{words['title']}{colon}{flips.title or flips.scenario} ({flips.scenario})")]
    if flips.kept:
        out.append(item(f"{words['kept']}{colon}{', '.join(flips.kept)}", 0))
    out.append("")
    for finding in flips.findings:
        out.append(heading(finding_heading(finding, lang)))
        by_status: dict[str, list[Flip]] = {}
        for flip in finding.flips:
            by_status.setdefault(flip.status, []).append(flip)
        for target, found in by_status.items():
            strength = {flip.strength for flip in found if flip.strength}
            said = LABELS[lang]["settles"].format(status=status_label(target, lang, finding.kind))
            if len(strength) == 1:
                said = f"{said} ({STRENGTH[lang][strength.pop()]})"
            out.append(status(said))
            for number, flip in enumerate(found, 1):
                changes, details = flip_line(flips, flip)
                out.append(item(f"{number}. {changes}", 1))
                out += [item(detail, 2) for detail in details]
        for target in finding.beyond:
            out.append(status(f"{status_label(target, lang, finding.kind)}{colon}{words['beyond'].format(n=flips.max_changes)}"))
        for target in finding.unreachable:
            out.append(status(f"{status_label(target, lang, finding.kind)}{colon}{words['unreachable']}"))
        if not finding.flips and not finding.beyond and not finding.unreachable:
            out.append(status(words["nothing"].format(n=flips.max_changes)))
        out.append("")
    return "\n".join(typeset(line, lang) for line in out).rstrip("\n") + "\n"


def text(flips: Flips) -> str:
    """For the terminal: every string made visible."""
    return _render(visible_strings(flips), lambda line: line, lambda line: line, lambda line: f"  {line}",
                   lambda line, depth: "  " * (depth + 1) + line)


def markdown(flips: Flips) -> str:
    """A Markdown note: a heading per finding, a list per status, every string escaped."""
    return _render(flips, lambda line: f"# {escape(line)}\n", lambda line: f"## {escape(line)}\n",
                   lambda line: f"\n**{escape(line)}**\n",
                   lambda line, depth: "  " * max(depth - 1, 0) + f"- {escape(visible(line))}")
