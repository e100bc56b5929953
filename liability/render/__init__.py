"""Renderers: each turns a findings document into one output format, and nothing else."""

from __future__ import annotations

import re
from typing import Any, Callable, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters, and the bidirectional embeddings, overrides and isolates, which make a
terminal or a page show text in another order than it is written (CVE-2021-42574)."""
_CONTROL_IN_JSON = re.compile(r"\\u00[01][0-9a-fA-F]|\\[bfr]|[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Those characters as JSON writes them (`\\u001b`, `\\r`, the C1 range as is): a quick test before
rebuilding a document. An escaped backslash before `b`, `f`, `r` or `u00` matches too, which only
costs the rebuild."""


def visible(text: str) -> str:
    """`text` with its control characters (all but tab and newline) written as `\\xNN`, and its
    bidirectional controls as `\\uNNNN`.

    Reports are printed to terminals, where an escape sequence from a scenario or a pack would
    recolour, clear or retitle the screen or plant a hidden hyperlink, and a carriage return would
    overwrite what was printed before it; in a file they would only be noise.
    """
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}" if match.group() < "\u0100"
                        else f"\\u{ord(match.group()):04x}", text)


def visible_strings(model: Model) -> Model:
    """`model` (a findings document, a comparison) with every string passed through `visible`, for
    the renderers whose format has no escaping of its own: plain text and the terminal. Rebuilding
    a document costs about as much as rendering it, so one without control characters is kept."""
    if not _CONTROL_IN_JSON.search(model.model_dump_json()):
        return model
    return type(model).model_validate(map_strings(model.model_dump(mode="json"), visible, keys=True))


def map_strings(data: Any, change: Callable[[str], str], keys: bool) -> Any:
    """Parsed JSON with `change` applied to every string value, and to the keys with `keys` (fact
    paths are keys: escaping must reach them, typesetting must not)."""
    if isinstance(data, str):
        return change(data)
    if isinstance(data, dict):
        return {(change(key) if keys else key): map_strings(value, change, keys) for key, value in data.items()}
    if isinstance(data, list):
        return [map_strings(item, change, keys) for item in data]
    return data
