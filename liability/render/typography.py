"""French typography, applied when a French report is rendered.

French sets a no-break space before the high punctuation (« : », « ; », « ! », « ? ») and inside
guillemets, so that a line never starts with a colon or a closing guillemet. The packs' and the
findings' texts are written with ordinary spaces, or none; the reports set the spaces here, once,
rather than asking every author to type U+00A0. Web addresses are left as they are (`?` and `:`
belong to them), and nothing is inserted inside a word: an identifier such as `fr.cp.225-5` or
a time such as `14:00` has no space after its colon, so it is never touched.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar

from ..findings import Document
from . import map_strings

NO_BREAK = "\u00a0"
_URL = re.compile(r"https?://\S+")
_HIGH = re.compile(r"(?<=[^\s!?])[ \t]?([:;!?])(?=[\s)\]»\"',.]|$)")
"""A high punctuation mark after a word (and an ordinary space, if any), ending a phrase."""
_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
"""An ordinary space between the thousands of a number (« 3 750 »), made narrow and no-break."""
_OPENING = re.compile(r"«[ \t]*(?=\S)")
_CLOSING = re.compile(r"(?<=\S)[ \t]*»")

Block = TypeVar("Block")


def french(text: str) -> str:
    """`text` with no-break spaces before « : ; ! ? », inside guillemets and between the
    thousands of a number, URLs left alone."""
    for pattern, spaced in ((_HIGH, lambda match: NO_BREAK + match[1]), (_GROUP, lambda match: "\u202f"),
                            (_OPENING, lambda match: "«" + NO_BREAK), (_CLOSING, lambda match: NO_BREAK + "»")):
        urls = [url.span() for url in _URL.finditer(text)]
        text = pattern.sub(lambda match: match[0] if any(start <= match.start() < end for start, end in urls)
                           else spaced(match), text)
    return text


def typeset(text: str, lang: str) -> str:
    """`text` as the report's language sets it: French typography in French, as is otherwise."""
    return french(text) if lang == "fr" else text


def typeset_document(document: Document) -> Document:
    """A French document with every string it holds typeset (see :func:`french`) but its title,
    for the renderer that prints its strings as they are (the terminal); another language's as is."""
    if document.lang != "fr":
        return document
    data = map_strings(document.model_dump(mode="json"), french, keys=False)
    data["title"] = document.title  # the scenario's own words, in whatever language it is written
    return Document.model_validate(data)


def typeset_block(block: Block, lang: str) -> Block:
    """A memo block (heading, paragraph, list, table, derivation) with every text it prints
    typeset for `lang`: its string fields, and those of the items and rows it holds."""
    if lang != "fr":
        return block
    return _typeset_value(block)  # type: ignore[no-any-return]


def _typeset_value(value: object) -> object:
    if isinstance(value, str):
        return french(value)
    if isinstance(value, tuple):
        return tuple(_typeset_value(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _typeset_value(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.name in _PROSE})
    return value


_PROSE = frozenset({"text", "items", "children", "as_list", "header", "rows"})
"""The fields of the memo's blocks that hold what a reader reads; the others are data (a link,
a mark, a status, the derivation a drawing is made from)."""
