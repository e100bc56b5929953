"""Hostile strings in every free-text field of a scenario come out of every format as text.

The fields are read off the scenario model (the top-level strings with no pattern) and the facts
file (every `text` fact), so that a field added later is covered without touching this test. A
bundled scenario is given hostile values in all of them and rendered in text, markdown, HTML and
JSON, in both languages; each format must show the strings, never act on them.
"""

from __future__ import annotations

import json
import re
import typing
from html.parser import HTMLParser
from typing import Any

import pytest

from test_golden_reports import REASONER, _scenario
from test_output_escaping import HOSTS, markdown_structure
from liability.render import html, json as json_render, markdown, text
from liability.scenario import Scenario
from liability.schema import official

HOSTILE = ("=cmd|'/c calc'!A1 +1 -1 @SUM(1) <script>alert(1)</script></td><img src=x onerror=alert(2)> "
           "& &amp; \"double\" 'single' | cell | *star* _under_ [x](javascript:alert(3)) `tick` ``two`` "
           "$HOME $(rm -rf /) \\ \n# heading\n- item\n\u202eevil\u202c \u2066isolate\u2069 \u200f"
           + "long " * 1000)
"""Formula starters, markup, Markdown, shell, a line break, bidi controls and a long text."""

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SCENARIO = "fr-escort-classifieds-paid-2019"


def free_text_fields() -> list[str]:
    """Every field of a scenario a user fills with free text: top-level strings without a
    pattern, and the facts the facts file declares of kind `text`."""
    model = type(_scenario(SCENARIO))
    fields = [name for name, info in Scenario.model_fields.items()
              if str in typing.get_args(info.annotation) and not any(hasattr(m, "pattern") and m.pattern
                                                                     for m in info.metadata)]
    return fields + sorted(path for path, spec in model.vocabulary.facts.items() if spec.kind == "text")


def hostile_scenario(value: str) -> Scenario:
    scenario = _scenario(SCENARIO)
    top = {name: value for name in free_text_fields() if "." not in name}
    facts = {path: value for path in free_text_fields() if "." in path}
    return scenario.model_copy(update=top).with_facts(facts)


class Elements(HTMLParser):
    """Each start tag with its attribute names, as a browser's parser finds them, the links and the
    anchors links can point to."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(name for name, _ in attrs)))
        self.links += [value or "" for name, value in attrs if name == "href"]
        self.ids += [value or "" for name, value in attrs if name == "id"]


def strings(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return [data] if isinstance(data, str) else []


def test_the_free_text_fields_are_read_off_the_model() -> None:
    assert {"title", "actor.name"} <= set(free_text_fields())


@pytest.fixture(scope="module", params=["en", "fr"])
def documents(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return (REASONER.assess(hostile_scenario(HOSTILE), request.param),
            REASONER.assess(hostile_scenario("Plain"), request.param))


def test_html_shows_the_hostile_strings_and_adds_no_element_or_attribute(documents) -> None:
    hostile, plain = (Elements(html.render([d])) for d in documents)
    assert hostile.tags == plain.tags
    assert hostile.ids == plain.ids  # no anchor is made of the scenario's words
    inside = [link for link in hostile.links if link.startswith("#")]
    assert inside and {link[1:] for link in inside} <= set(hostile.ids)
    assert all(official(link, HOSTS) for link in hostile.links if not link.startswith("#"))


def test_json_carries_each_hostile_string_exactly(documents) -> None:
    data = json.loads(json_render.render([documents[0]]))
    data = data[0] if isinstance(data, list) else data
    assert data["title"] == HOSTILE
    assert HOSTILE in strings(data)


def test_markdown_escapes_table_cells_markup_and_links(documents) -> None:
    hostile, plain = (markdown_structure(markdown.render([d])) for d in documents)
    assert hostile["rows"] == plain["rows"] and hostile["items"] == plain["items"]
    assert len(hostile["headings"]) == len(plain["headings"])
    assert hostile["code"] == [] and hostile["html"] == []
    assert all(official(link, HOSTS) for link in hostile["links"])


def test_text_sends_no_control_or_bidi_character_to_the_terminal(documents) -> None:
    report = text.render([documents[0]])
    assert not CONTROL.search(report) and not BIDI.search(report)
    assert "<script>alert(1)</script>" in report
