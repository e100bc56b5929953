"""JSON rendering of the findings document: the contract, byte-stable across processes."""

from __future__ import annotations

import json

from ..findings import Document


def render(documents: list[Document]) -> str:
    """One document as an object, several as an array; keys in contract order, UTF-8 kept."""
    data = [document.as_json() for document in documents]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"
