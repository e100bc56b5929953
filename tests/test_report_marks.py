"""Each element line of a memo shows the mark of the status it states in words (issue 13).

A memo lists a head's elements as `[+] name (cites): met` in plain text, with ✔ / ✘ / ? in
markdown and HTML. The mark is what a reader scans; the test holds each mark to the word the same
line ends with, in both languages, on bundled scenarios that have elements met, not met and unknown.
"""

from __future__ import annotations

import re

import pytest

from packs import read_scenario
from liability.bundled import scenarios_dir
from liability.reasoner import Reasoner
from liability.render import html, markdown, plain

REASONER = Reasoner()
SCENARIOS = ["fr/fr-escort-classifieds-paid-2019.yaml", "fr/fr-sugar-dating-contact-unknown-2023.yaml",
             "cases/us-doe-backpage-1cir-2016.yaml"]
WORDS = {"en": {"met": "met", "not_met": "not met", "unknown": "unknown"},
         "fr": {"met": "rempli", "not_met": "non rempli", "unknown": "inconnu"}}
FORMATS = {
    "plain": (plain.render, plain.MARKS, r"^\s*- (?P<mark>\[.\]) (?P<text>.*)$"),
    "markdown": (lambda documents: markdown.render(documents), markdown.MARKS, r"^\s*- (?P<mark>\S) (?P<text>.*?)(?: \(\[↗\]\(.*\)\))?$"),
    "html": (lambda documents: html.render(documents), html.MARKS,
             r'^<li><span class="(?P<cls>\w+)">(?P<mark>\S)</span> (?P<text>.*?)(?: <a href.*)?$'),
}
EXPECTED_MARKS = {"plain": {"met": "[+]", "not_met": "[-]", "unknown": "[?]"},
                  "markdown": {"met": "✔", "not_met": "✘", "unknown": "?"},
                  "html": {"met": "✔", "not_met": "✘", "unknown": "?"}}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_element_line_carries_the_mark_of_the_status_it_states(fmt, lang):
    render, marks, pattern = FORMATS[fmt]
    assert marks == EXPECTED_MARKS[fmt]
    seen = set()
    for name in SCENARIOS:
        document = REASONER.assess(read_scenario(scenarios_dir() / name), lang)
        for line in render([document]).splitlines():
            found = re.match(pattern, line)
            if not found:
                continue
            for status, word in sorted(WORDS[lang].items(), key=lambda item: -len(item[1])):
                if re.search(r"\s?:\s" + re.escape(word) + "$", found["text"]):
                    assert found["mark"] == marks[status], \
                        f"{name}: a line stating `{word}` is marked {found['mark']}: {line}"
                    if fmt == "html":
                        assert found["cls"] == status, f"{name}: {line}"
                    seen.add(status)
                    break
    assert seen == {"met", "not_met", "unknown"}
