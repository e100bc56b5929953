"""Read YAML or JSON documents safely, remembering where every key sits.

Scenarios and rule packs are files people write by hand or download, so reading them is a
security boundary and the first place a user learns about a mistake. This module:

* loads YAML with the safe loader only (no Python objects, no code), and with YAML 1.2 booleans:
  only ``true``/``false`` are booleans, so ``yes``/``no``/``on``/``off`` stay strings and the
  schema rejects them instead of silently reading a different fact;
* rejects duplicate keys, which YAML and JSON parsers otherwise resolve by keeping the last one;
* bounds size, nesting depth and alias expansion ("billion laughs");
* records the line of every key and list item, so a validation error can point at it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

Location = tuple[str | int, ...]


class SourceError(Exception):
    """A document that cannot be read, with the file and line where the problem lies."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


@dataclass
class Document:
    """A parsed document and the line of each location in it (1-based)."""

    file: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """The line of `location`, or of its nearest enclosing location that has one."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


# libyaml's C parser when PyYAML was built with it (it composes about ten times faster); the
# resolvers and constructors stay the safe, Python ones either way.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """The safe loader with YAML 1.2 booleans (``true``/``false`` only)."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Builder:
    """Turns a composed YAML node tree into Python values, checking the limits as it goes."""

    def __init__(self, file: str, loader: _StrictLoader) -> None:
        self.file = file
        self.loader = loader
        self.lines: dict[Location, int] = {}
        self.nodes = 0

    def build(self, node: yaml.Node, location: Location, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise SourceError(
                self.file,
                f"document expands to more than {MAX_NODES} values "
                "(too many aliases or a document far too large)",
                node.start_mark.line + 1,
            )
        if depth > MAX_DEPTH:
            raise SourceError(
                self.file, f"nesting deeper than {MAX_DEPTH} levels", node.start_mark.line + 1
            )
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            raise SourceError(self.file, f"unsupported YAML tag `{node.tag}`: only plain mappings, "
                              "lists and values are allowed", node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise SourceError(
                        self.file, "a key must be a plain name", key_node.start_mark.line + 1
                    )
                key = self.loader.construct_object(key_node)
                if not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
                line = key_node.start_mark.line + 1
                if key in result:
                    first = self.lines.get(location + (key,))
                    raise SourceError(
                        self.file, f"duplicate key `{key}` (first given on line {first})", line
                    )
                self.lines[location + (key,)] = line
                result[key] = self.build(value_node, location + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[location + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, location + (index,), depth + 1))
            return items
        try:
            return self.loader.construct_object(node)
        except ValueError as error:
            raise SourceError(
                self.file, f"invalid value `{node.value}`: {error}", node.start_mark.line + 1
            ) from None


def _read_text(path: Path) -> str:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SourceError(name, f"cannot read the file ({error.strerror})") from None
    if size > MAX_BYTES:
        raise SourceError(name, f"file is {size} bytes; the limit is {MAX_BYTES}")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise SourceError(name, "this is a binary file, not YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(name, "the file is not valid UTF-8 text", line) from None


def _yaml_document(name: str, text: str) -> Document:
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml's own limit, far above ours
            raise SourceError(name, f"nesting deeper than {MAX_DEPTH} levels", line) from None
        raise SourceError(name, f"YAML syntax error: {problem}", line) from None
    except yaml.YAMLError as error:
        raise SourceError(name, f"YAML syntax error: {error}") from None
    except RecursionError:
        # PyYAML composes nested nodes recursively, before our own depth limit can be checked.
        raise SourceError(name, f"nesting deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    if node is None:
        raise SourceError(name, "the file is empty")
    builder = _Builder(name, loader)
    builder.lines[()] = node.start_mark.line + 1
    try:
        data = builder.build(node, (), 0)
    except yaml.constructor.ConstructorError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise SourceError(name, f"unsupported YAML value: {error.problem}", line) from None
    return Document(name, data, builder.lines)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key `{key}`")
        result[key] = value
    return result


def _json_document(name: str, text: str) -> Document:
    if not text.strip():
        raise SourceError(name, "the file is empty")
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicates)
    except json.JSONDecodeError as error:
        raise SourceError(name, f"JSON syntax error: {error.msg}", error.lineno) from None
    except ValueError as error:
        raise SourceError(name, str(error)) from None
    except RecursionError:
        raise SourceError(name, f"nesting deeper than {MAX_DEPTH} levels") from None
    # JSON is (almost always) YAML too: compose it only to learn where each key sits.
    try:
        lines = _yaml_document(name, text).lines
    except SourceError as error:
        if "nesting" in error.message or "expands" in error.message:
            raise
        lines = {}
    return Document(name, data, lines)


def read_document(path: Path | str) -> Document:
    """Read a YAML (``.yaml``/``.yml``) or JSON (``.json``) file into a located document."""
    path = Path(path)
    text = _read_text(path)
    if path.suffix.lower() == ".json":
        return _json_document(str(path), text)
    return _yaml_document(str(path), text)
