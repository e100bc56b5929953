"""The HTML memo on paper and on screen: a summary and contents first, derivations drawn in words
with shared premises once and a legend, and a print that Chromium turns into a short PDF whose
first page is the summary."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from packs import read_scenario
from liability.bundled import scenarios_dir
from liability.reasoner import Reasoner
from liability.render import html
from liability.render.drawing import svg

REASONER = Reasoner()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def bundled(scenario_id: str, regime: str, lang: str = "en") -> str:
    (path,) = [p for p in scenarios_dir().rglob(f"{scenario_id}.yaml")]
    return html.render([REASONER.assess(read_scenario(path), lang, [regime])])


def test_the_page_opens_with_a_summary_row_per_finding_and_contents_linking_to_each():
    page = bundled("fr-3615-aline-minitel-2000", "fr")
    summary = page.index('<section class="summary">')
    assert summary < page.index('<nav class="contents">') < page.index('<section class="finding">')
    findings = re.findall(r'<h3 id="([^"]+)"', page)
    assert len(findings) == 11
    rows = re.findall(r'<tr><td><a href="#([^"]+)">', page[summary:page.index("</section>", summary)])
    assert rows == findings
    contents = page[page.index('<nav class="contents">'):page.index("</nav>")]
    assert re.findall(r'href="#(fr/[^"]+)"', contents) == findings


def test_a_derivation_names_its_nodes_in_words_draws_a_shared_premise_once_and_has_a_legend():
    page = bundled("us-doe-backpage-1cir-2016", "us")
    drawing = next(d for d in re.findall(r"<svg .*?</svg>", page, re.S) if "us.230.c1.provider" in d)
    labels = [re.sub(r"<title>.*?</title>|<[^>]+>", " ", g, flags=re.S)
              for g in re.findall(r'<g class="[^"]+">.*?</g>', drawing, re.S)]
    assert any("Does section 230 bar" in label for label in labels)  # the finding's question
    assert any("47 U.S.C. 230(c)(1)" in label for label in labels)  # a rule's article, underneath
    # us.230.c1.provider is a premise of two rules, and is drawn once
    assert sum("us.230.c1.provider" in label for label in labels) == 1
    assert drawing.count("<path ") > len(labels) - 1  # one edge more than a tree would have
    assert '<p class="legend">' in page and "possibly holds (unknown facts)" in page
    assert "possible (faits inconnus)" in bundled("us-doe-backpage-1cir-2016", "us", "fr")


def test_a_derivation_too_wide_for_the_page_is_drawn_as_an_indented_column():
    from liability.findings import Derivation, RuleUse

    def use(rule: str, premises: list[Derivation]) -> RuleUse:
        return RuleUse(rule=rule, cites=f"Art. {rule}", url="https://example.org/", element=None,
                       strength="established", certain=True, because=f"Rule {rule} applies.", facts={},
                       absent=[], premises=premises)

    wide = Derivation(conclusion="top", rules=[use(f"r{i}", [Derivation(conclusion=f"c{i}", rules=[])])
                                               for i in range(8)])
    width = float(re.search(r'<svg [^>]*width="(\d+)"', svg(wide))[1])
    assert width <= 700
    narrow = Derivation(conclusion="top", rules=[use("r0", [])])
    assert 'width="166"' in svg(narrow)  # top-down, one box wide


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_the_memo_prints_to_a_short_pdf_whose_first_page_is_the_summary(tmp_path: Path):
    page = tmp_path / "memo.html"
    page.write_text(bundled("fr-3615-aline-minitel-2000", "fr"), encoding="utf-8")
    pdf = tmp_path / "memo.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
                    f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    assert 2 <= pages <= 14, pages
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "Summary" in first and "Contents" in first
    assert "Is the service offered in the Union" in first  # the last finding's row: the whole table
    assert "Short answer" not in first  # no finding has begun
    second = subprocess.run(["pdftotext", "-f", "2", "-l", str(pages), str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout
    assert "The same, as a list" in second and "fr.cp.121-2.legal-person" in second  # the list, printed
    assert "https://www.legifrance.gouv.fr/" in second  # a link's address, printed
