"""Read YAML or JSON documents safely, remembering where every key sits.

Scenarios and rule packs are files people write by hand or download, so reading them is a
security boundary and the first place a user learns about a mistake. This module:

* opens regular files only, without waiting on a named pipe, and reads at most the size limit
  (counted in bytes read, since a file's stated size can be wrong);
* loads YAML with the safe loader only (no Python objects, no code), and with YAML 1.2 booleans:
  only ``true``/``false`` are booleans, so ``yes``/``no``/``on``/``off`` stay strings and the
  schema rejects them instead of silently reading a different fact;
* refuses the YAML 1.1 readings that differ from what a value looks like (``010`` is 8, ``1:30``
  is 90, ``0x10`` is 16), merge keys, and strings that are not text (lone surrogates);
* rejects duplicate keys, which YAML and JSON parsers otherwise resolve by keeping the last one;
* bounds size, nesting depth and alias expansion ("billion laughs");
* records the line of every key and list item, so a validation error can point at it;
* shows what a file says, in a message, escaped and cut (:func:`shown`), so that it can neither
  drive the terminal nor bury the message.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_SHOWN = 80
"""The most characters of a value from a file that a message repeats."""

Location = tuple[str | int, ...]


def escape(text: str) -> str:
    """`text` with every character that is not printable written as its Python escape (``\\x1b``,
    ``\\n``, ``\\u202e``, ``\\ud800``): a message repeating what a file says can then neither drive
    the terminal (colours, cursor moves, window titles), nor forge a second line, nor fail to be
    encoded. Backslashes are kept as they are, so escaping twice changes nothing."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def shown(value: object) -> str:
    """A value from a file as a message repeats it: cut to :data:`MAX_SHOWN` characters (a
    megabyte value would fill the terminal and bury the message), then escaped."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN] + "..."
    return escape(text)


def dotted(location: Location) -> str:
    """A location as messages name it (``victims.count``, ``regimes.0``), each part shown."""
    return ".".join(shown(part) for part in location)


def where(file: str, line: int | None) -> str:
    """``file:line``, or the file alone, escaped: a file's name is the user's text too."""
    return escape(f"{file}:{line}" if line else file)


class SourceError(Exception):
    """A document that cannot be read, with the file and line where the problem lies."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = escape(message)
        super().__init__(f"{where(file, line)}: {self.message}")


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

    def where(self, location: Location) -> str:
        """``file:line`` of `location`, as a message begins, escaped."""
        return where(self.file, self.line_of(location))


# libyaml's C parser when PyYAML was built with it (it composes about ten times faster); the
# resolvers and constructors stay the safe, Python ones either way.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML = "tag:yaml.org,2002:"


class _StrictLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """The safe loader with YAML 1.2 booleans (``true``/``false`` only), without YAML 1.1's merge
    (``<<``) and value (``=``) keys, and taking for a number every word that either YAML version
    reads as one, so that the checks of :data:`_SCALARS` see it."""


_REPLACED = (_YAML + "bool", _YAML + "merge", _YAML + "value")
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _YAML + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# YAML 1.1 leaves `09` and `0o10` as text, which YAML 1.2 reads as 9 and 8: a number either way.
_StrictLoader.add_implicit_resolver(
    _YAML + "int", re.compile(r"^[-+]?0(?:[0-9_]+|[oObBxX][0-9a-fA-F_]*)$"), list("-+0")
)

_INTEGER = r"[-+]?(?:0|[1-9][0-9]*)"
_SCALARS: dict[str, tuple[re.Pattern[str] | None, str]] = {
    _YAML + "str": (None, ""),
    _YAML + "null": (re.compile(r"~|null|Null|NULL|"), "write null or ~, or leave the value empty"),
    _YAML + "bool": (re.compile(r"true|True|TRUE|false|False|FALSE"), "write true or false"),
    _YAML + "int": (re.compile(_INTEGER), "write a plain decimal integer (no leading zero, `0x`, `0o`, "
                                          "`_` or `:`), or quote it if it is text"),
    _YAML + "float": (re.compile(rf"{_INTEGER}(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?"
                                 r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"),
                      "write a plain decimal number (no leading zero, `_` or `:`), or quote it if it is text"),
    _YAML + "timestamp": (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "write a date as YYYY-MM-DD, or quote it "
                                                                      "if it is text"),
}
"""The tags a value may have, each with the form its text must take and what to write instead.
YAML 1.1 reads `010` as 8, `0x10` as 16, `1:30` as 90 and `1_000` as 1000, and an explicit tag
(`!!int 010`, `!!bool yes`) asks for such readings by name: a value whose reading is not the
plain one it seems to have is refused, naming its key, so that the schema checks what the user
meant and not what YAML guessed."""

_PLAIN_TAGS = (_YAML + "map", _YAML + "seq")


def _tag_name(tag: str) -> str:
    """A tag as it is written in a file (``!!binary``, not ``tag:yaml.org,2002:binary``)."""
    return shown("!!" + tag[len(_YAML):] if tag.startswith(_YAML) else tag)


def _subject(location: Location) -> str:
    """What a message is about: the value at `location`, or the whole document."""
    return f"`{dotted(location)}`" if location else "the document"


class _Builder:
    """Turns a composed YAML node tree into Python values, checking the limits as it goes."""

    def __init__(self, file: str, loader: _StrictLoader) -> None:
        self.file = file
        self.loader = loader
        self.lines: dict[Location, int] = {}
        self.nodes = 0

    def build(self, node: yaml.Node, location: Location, depth: int) -> Any:
        """The value of `node`, counting nodes as aliases expand them, so that a bomb stops early."""
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
            raise SourceError(self.file, f"unsupported YAML tag `{_tag_name(node.tag)}`: only plain mappings, "
                              "lists and values are allowed", node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, location, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[location + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, location + (index,), depth + 1))
            return items
        return self._scalar(node, location)

    def _mapping(self, node: yaml.MappingNode, location: Location, depth: int) -> dict[str, Any]:
        """A mapping, refusing a repeated key, which YAML would otherwise resolve by keeping the last."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            line = key_node.start_mark.line + 1
            if key in result:
                first = self.lines.get(location + (key,))
                raise SourceError(self.file, f"duplicate key `{shown(key)}` (first given on line {first})", line)
            self.lines[location + (key,)] = line
            result[key] = self.build(value_node, location + (key,), depth + 1)
        return result

    def _key(self, node: yaml.Node) -> str:
        """A key is a name, as written: YAML would read `010:` as 8, and `2019-02-30:` as an
        impossible date; and a merge key (``<<``) would bring in keys no line of the file shows."""
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.ScalarNode):
            raise SourceError(self.file, "a key must be a plain name", line)
        if node.tag not in _SCALARS:
            raise SourceError(self.file, f"unsupported YAML tag `{_tag_name(node.tag)}`: a key must be a plain name",
                              line)
        if node.value == "<<" and not node.style:
            raise SourceError(self.file, "merge keys (`<<`) are not supported: write the keys out", line)
        return str(node.value)

    def _scalar(self, node: yaml.ScalarNode, location: Location) -> Any:
        """A value, read only if its tag is a plain one and its text has the form that tag's
        reading takes at face value (see :data:`_SCALARS`)."""
        line = node.start_mark.line + 1
        if node.tag not in _SCALARS:
            raise SourceError(self.file, f"unsupported YAML value: the tag `{_tag_name(node.tag)}` is not "
                              "allowed, only plain values are", line)
        form, advice = _SCALARS[node.tag]
        if form is not None and not form.fullmatch(node.value):
            raise SourceError(self.file, f"{_subject(location)} is `{shown(node.value)}`: {advice}", line)
        try:
            return self.loader.construct_object(node)
        except ValueError as error:
            raise SourceError(self.file, f"invalid value `{shown(node.value)}`: {error}", line) from None


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
"""Non-blocking, so that a named pipe put in a file's place after its status was read cannot hold
the open waiting for a writer (the opened file's status is checked again); never a terminal that
would become the controlling one; bytes as they are, on every system."""

_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
)


def _require_regular(name: str, mode: int) -> None:
    """Refuse anything but a regular file: a named pipe waits for a writer, a device can be endless."""
    if not stat.S_ISREG(mode):
        kind = next((what for test, what in _KINDS if test(mode)), "a special file")
        raise SourceError(name, f"not a regular file ({kind})")


def read_bytes(path: Path | str) -> bytes:
    """A file's content within the size limit, for a caller that must hash exactly the bytes it
    parses (it then hands them to :func:`read_document` as `data` instead of reading twice).

    Only a regular file is opened, and the limit counts the bytes actually read, one more than it
    allows at most: a file's stated size is 0 for many system files and stale for a growing one."""
    name = str(path)
    try:
        _require_regular(name, os.stat(path).st_mode)
        with open(os.open(path, _OPEN_FLAGS), "rb") as file:
            _require_regular(name, os.fstat(file.fileno()).st_mode)
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise SourceError(name, f"cannot read the file ({error.strerror or error})") from None
    if len(raw) > MAX_BYTES:
        raise SourceError(name, f"file is more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}")
    return raw


def _text(name: str, raw: bytes) -> str:
    """`raw` decoded, refusing a binary file and naming the line of the first invalid UTF-8 byte."""
    if b"\x00" in raw:
        raise SourceError(name, "this is a binary file, not YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(name, "the file is not valid UTF-8 text", line) from None


def _unacceptable(name: str, text: str, error: yaml.reader.ReaderError) -> SourceError:
    """A character YAML does not allow, at its line: the reader gives a position in the stream
    (in characters or in bytes, depending on the parser), which no editor shows. It stops at the
    first such character, so that character's first occurrence is where it stopped."""
    code = error.character if isinstance(error.character, int) else ord(error.character)
    position = text.find(chr(code))
    line = text.count("\n", 0, position) + 1 if position >= 0 else None
    return SourceError(name, f"the character U+{code:04X} is not allowed in YAML ({error.reason})", line)


def _yaml_node(name: str, text: str) -> tuple[_StrictLoader, yaml.Node]:
    """The composed node tree of `text`, and the loader that constructs its values; every YAML
    error as a located :class:`SourceError`."""
    try:
        loader = _StrictLoader(text)  # the pure-Python reader checks every character here
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml's own limit, far above ours
            raise SourceError(name, f"nesting deeper than {MAX_DEPTH} levels", line) from None
        raise SourceError(name, f"YAML syntax error: {problem}", line) from None
    except yaml.reader.ReaderError as error:
        raise _unacceptable(name, text, error) from None
    except yaml.YAMLError as error:
        raise SourceError(name, f"YAML syntax error: {error}") from None
    except RecursionError:
        # PyYAML composes nested nodes recursively, before our own depth limit can be checked.
        raise SourceError(name, f"nesting deeper than {MAX_DEPTH} levels") from None
    if node is None:
        raise SourceError(name, "the file is empty")
    return loader, node


def _yaml_document(name: str, text: str) -> Document:
    loader, node = _yaml_node(name, text)
    builder = _Builder(name, loader)
    builder.lines[()] = node.start_mark.line + 1
    return Document(name, builder.build(node, (), 0), builder.lines)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key `{shown(key)}`")
        result[key] = value
    return result


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _composed_as_yaml(name: str, text: str) -> Document | SourceError:
    """JSON text composed as YAML (which JSON almost always is), for the lines of its keys, or the
    error YAML found in it. YAML refuses the escape of a surrogate, which JSON allows: each is
    replaced first by an escape of the same length, since only the lines are kept."""
    try:
        return _yaml_document(name, _SURROGATE_ESCAPE.sub(lambda _: "\\ufffd", text))
    except SourceError as error:
        return error


def _json_document(name: str, text: str) -> Document:
    if not text.strip():
        raise SourceError(name, "the file is empty")
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicates)
    except json.JSONDecodeError as error:
        raise SourceError(name, f"JSON syntax error: {error.msg}", error.lineno) from None
    except ValueError as error:  # a duplicate key, which JSON's parser does not locate, or a huge number
        composed = _composed_as_yaml(name, text)
        if isinstance(composed, SourceError) and composed.message.startswith("duplicate key"):
            raise composed from None
        raise SourceError(name, str(error)) from None
    except RecursionError:
        raise SourceError(name, f"nesting deeper than {MAX_DEPTH} levels") from None
    composed = _composed_as_yaml(name, text)
    if isinstance(composed, SourceError):
        if "nesting" in composed.message or "expands" in composed.message:
            raise composed
        return Document(name, data, {})
    return Document(name, data, composed.lines)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(data: Any) -> tuple[Location, str] | None:
    """The location of the first string, key or value, that holds a lone surrogate, and that
    surrogate. Iterative, so that no nesting the parsers accepted can exhaust the stack."""
    stack: list[tuple[Location, Any]] = [((), data)]
    while stack:
        location, value = stack.pop()
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found:
                return location, found.group()
        elif isinstance(value, dict):
            for key in value:
                found = _SURROGATE.search(key)
                if found:
                    return location + (key,), found.group()
            stack.extend(reversed([(location + (key,), item) for key, item in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(location + (index,), item) for index, item in enumerate(value)]))
    return None


def _refuse_lone_surrogates(document: Document) -> None:
    """Refuse a string holding half of a UTF-16 pair (JSON's ``"\\ud800"``): it is not a character,
    and would fail to be encoded the moment it is written out, far from its file and line."""
    found = _lone_surrogate(document.data)
    if found:
        location, surrogate = found
        raise SourceError(document.file, f"{_subject(location)} contains the lone surrogate `{shown(surrogate)}` "
                          "(half of a UTF-16 pair), which is not a character: write the whole character or "
                          "remove it", document.line_of(location))


def read_document(path: Path | str, data: bytes | None = None) -> Document:
    """Read a YAML (``.yaml``/``.yml``) or JSON (``.json``) file into a located document.

    `data`, when given, is the file's content as :func:`read_bytes` returned it: the document is
    parsed from those very bytes, so that a digest of them describes it even if the file changes.
    """
    path = Path(path)
    name = str(path)
    text = _text(name, read_bytes(path) if data is None else data)
    document = _json_document(name, text) if path.suffix.lower() == ".json" else _yaml_document(name, text)
    _refuse_lone_surrogates(document)
    return document
