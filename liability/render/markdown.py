"""Markdown report: the same content as the text report, for a memo or a web page."""

from __future__ import annotations

from ..findings import Document
from .words import LABELS, PROCEEDINGS, STATUS, STRENGTH, penalty_line, time_reasons, versions_line

_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|"})


def escape(text: str) -> str:
    """Escape Markdown (and inline HTML) in user-supplied strings."""
    return text.translate(_SPECIAL)


def render(documents: list[Document], trace: bool = False) -> str:
    out: list[str] = []
    for document in documents:
        lang = document.lang
        words = LABELS[lang]
        out.append(f"# {escape(document.title or document.scenario)}\n")
        out.append(f"Scenario `{document.scenario}`\n")
        for regime in document.regimes:
            alleged = f" ({words['alleged']})" if regime.posture == "alleged" else ""
            out.append(f"## {escape(regime.title)}: {words['facts']} {regime.facts_date}, "
                       f"{words['assessed']} {regime.judged_on}{alleged}\n")
            out.append(f"| {words['question']} | {words['proceeding']} | {words['status']} | {words['strength']} "
                       f"| {words['penalty']} |")
            out.append("|---|---|---|---|---|")
            for f in regime.findings:
                strength = STRENGTH[lang].get(f.strength or "", "")
                penalty = penalty_line(f.penalties, lang) if f.penalties else ""
                out.append(f"| {escape(f.question)} | {PROCEEDINGS[lang][f.proceeding]} | **{STATUS[lang][f.status]}** "
                           f"| {strength} | {penalty} |")
            if regime.abolished:
                out.append(f"\n{words['abolished']}: {escape('; '.join(regime.abolished))}")
            out.append(f"\n### {words['reasons']}\n")
            for f in regime.findings:
                strength = f" ({STRENGTH[lang][f.strength]})" if f.strength else ""
                out.append(f"#### `{f.head}` ({PROCEEDINGS[lang][f.proceeding]}): {STATUS[lang][f.status]}{strength}\n")
                out.extend(f"- {escape(reason)}" for reason in f.because)
                if f.elements:
                    out.append(f"- {words['elements']}: {', '.join(f.elements)}")
                if f.cites:
                    out.append(f"- {words['cites']}: {'; '.join(escape(c) for c in f.cites)}")
                if f.penalties:
                    p = f.penalties
                    out.append(f"- {words['penalty']}: {penalty_line(p, lang)} ({words[p.person]}; "
                               f"{escape(p.basis)}; {words['version']} {p.version_from}: {escape(p.version_reason)}; "
                               f"`{p.rule}`, {STRENGTH[lang][p.strength]})")
                versions = versions_line(f, lang)
                if versions:
                    out.append(f"- {words['versions']}: {escape(versions)}")
                    out.extend(f"- {words['time']}: {escape(reason)}" for reason in time_reasons(f))
                if f.missing_facts:
                    out.append(f"- {words['missing']}: " + ", ".join(f"`{m}`" for m in f.missing_facts))
                out.append("")
            if trace:
                out.append(f"### {words['trace']}\n")
                for step in regime.trace:
                    kind = words["certain"] if step.certain else words["possible"]
                    out.append(f"{step.step}. `{step.rule}` ({kind}, {escape(step.cites)}) -> `{step.concluded}`")
                out.append("")
    return "\n".join(out) + "\n"
