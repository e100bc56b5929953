"""`rules graph` as a reader sees it: an SVG laid out by Graphviz, a legend in the reader's
language, and `--head` to draw one head's rules only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

SVG = "{http://www.w3.org/2000/svg}"


def liability(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the bundled rules' `python -m liability ARGS`, with PATH replaced when given."""
    environment = {k: v for k, v in os.environ.items() if k != "LIABILITY_RULES"}
    if path is not None:
        environment["PATH"] = path
    return subprocess.run([sys.executable, "-m", "liability", *args], capture_output=True, text=True,
                          env=environment, timeout=120)


def drawn_nodes(dot: str) -> int:
    """The nodes a DOT text declares, the legend's apart."""
    return sum(1 for line in dot.splitlines() if "[shape=" in line and '"legend:' not in line)


def test_head_draws_only_the_rules_that_bear_on_that_head():
    whole = liability("rules", "graph", "--regime", "fr")
    one = liability("rules", "graph", "--regime", "fr", "--head", "fr.proxenetisme.aggravated")
    assert whole.returncode == 0 and one.returncode == 0, whole.stderr + one.stderr
    assert drawn_nodes(one.stdout) * 4 < drawn_nodes(whole.stdout)
    assert '"fr.proxenetisme.aggravated" [shape=ellipse, peripheries=2];' in one.stdout
    assert '"fr.cp.225-7-1.minor-known"' in one.stdout
    # the host regime's rules bear on other heads, not on whether the procuring is aggravated
    assert '"fr.lcen' not in one.stdout and '"fr.lcen' in whole.stdout


def test_an_unknown_head_is_one_line_with_the_nearest_head():
    result = liability("rules", "graph", "--regime", "fr", "--head", "fr.proxenetisme.agravated")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: --head: no head `fr.proxenetisme.agravated` in regime fr - did you mean `fr.proxenetisme.aggravated`?"]


def test_the_legend_is_drawn_in_the_language_asked_for():
    english = liability("rules", "graph", "--regime", "fr", "--head", "fr.prostitution").stdout
    french = liability("rules", "graph", "--regime", "fr", "--head", "fr.prostitution", "--lang", "fr").stdout
    assert 'label="Legend"' in english and 'label="exception (same instrument)"' in english
    assert 'label="Légende"' in french and 'label="écarte (un autre texte)"' in french
    mermaid = liability("rules", "graph", "--regime", "fr", "--head", "fr.prostitution", "--format", "mermaid",
                        "--lang", "fr").stdout
    assert 'subgraph legend["Légende"]' in mermaid and mermaid.rstrip().endswith("end")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed")
def test_svg_is_a_drawing_of_the_head_with_its_legend():
    result = liability("rules", "graph", "--regime", "fr", "--head", "fr.prostitution", "--format", "svg")
    assert result.returncode == 0, result.stderr
    root = ElementTree.fromstring(result.stdout)
    assert root.tag == SVG + "svg"
    texts = {t.text for t in root.iter(SVG + "text")}
    assert {"fr.prostitution", "Legend", "exception (same instrument)"} <= texts


def test_svg_without_graphviz_says_so_in_one_line(tmp_path):
    # A PATH with the Python interpreter's folder only: no `dot` on it.
    result = liability("rules", "graph", "--format", "svg", path=str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: --format svg: graphviz's dot is not installed; use --format dot and render it elsewhere"]
