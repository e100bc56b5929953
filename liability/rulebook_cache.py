"""A cache of checked, stratified rulebooks, so that a cold `liability run` skips YAML and networkx.

Loading a regime parses every pack's YAML and stratifies the rules with networkx, whose import
alone costs more than the rest of the load. An entry keeps the result of those two steps as
data: each pack's parsed document (its values and the line of each key) and the strata. A hit
rebuilds the rulebook from them through the same validation and cross-checks as a fresh load, so
the cache skips work, never a check. The cache is a speed-up and nothing else, and it must
neither run code nor lie:

* Data only. An entry is JSON, read with `json.loads`: nothing in it can name a class or run
  code, as a pickle can (and anyone able to drop a file where a pickle is read runs code as the
  next user).
* Keyed by the bytes that were loaded. Each pack is read once; those bytes are hashed for the key
  and parsed on a miss, so a pack saved during a run cannot put its new content under the digest
  of its old bytes, nor the reverse.
* Verified on read. An entry starts with the SHA-256 of the rest, and names what it was built
  from: the format, the interpreter, a digest of this package's source, the rules folder, the
  regime and the digest of each pack. A mismatch, a parse or shape error or anything unexpected
  is a miss: the rulebook is rebuilt from the packs and the entry rewritten; reading never raises.
  The digest catches an entry cut short, corrupted or edited; it is not a signature: what keeps
  other people from writing entries is the privacy of the folder.
* Private to its user. The folder is created 0700, and refused (cache off, one warning) when
  another user owns it or group or others can write to it: whoever can write entries decides
  what every later run concludes. Entries are opened relative to the folder once checked,
  without following links, so the folder cannot be swapped between the check and the read.
  Where the system has no owners and modes to check (Windows), the cache is off.
* Written atomically: a temporary file in the same folder, then `os.replace`, so a concurrent
  reader sees the old entry or the new one, never half of one. A pack that fails to load is never
  cached: its errors are reported on every run.

Where: ``$LIABILITY_CACHE_DIR``, else ``$XDG_CACHE_HOME/liability``, else ``~/.cache/liability``.
Setting ``LIABILITY_CACHE_DIR`` to an empty string turns the cache off; a relative path is ignored
with a warning, since it would name a different folder from each working directory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import json
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Any, Iterator

from .declarations import Declarations
from .loading import load_rulebook
from .rulebook import Regime, Rulebook, checked_rulebook, declarations_of
from .sources import Document, SourceError, read_bytes, read_document

FORMAT = "liability-rulebook-cache/1"
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""Far above any real entry (the bundled regimes take under 0.5 MiB each): reading stays bounded."""

_MECHANISM = Path(__file__).parent
_PRIVACY_CHECKABLE = hasattr(os, "getuid") and os.open in os.supports_dir_fd
"""Whether the system has owners and modes, and opens files relative to a checked folder: the
cache's privacy rests on both (Windows has neither, and runs without the cache)."""
_DATE = "\0date"
"""Marks a date in an entry's JSON, which has no date type (YAML turns `2024-02-17` into one)."""


class _Unusable(Exception):
    """An entry that does not match the sources, or is not in the shape this version writes."""


def cached_rulebook(regime: Regime, directory: Path, declarations: Declarations | None = None) -> Rulebook:
    """The regime's rulebook, from the cache when its sources are unchanged, else freshly loaded.
    The packs are checked against the folder's `declarations` (facts and jurisdictions; read from
    `directory` when not given) on a hit as on a miss, so an entry never carries what they allow."""
    declarations = declarations or declarations_of(directory)
    with _private_folder() as folder:
        snapshot = _snapshot(regime, directory) if folder is not None else None
        if folder is None or snapshot is None:
            return load_rulebook(regime, directory, declarations=declarations)
        built_from = _built_from(regime, directory, snapshot)
        prefix, name = _entry_name(regime, directory, built_from)
        entry = _read_entry(folder, name)
        if entry is not None:
            try:
                return _restored(entry, built_from, regime, directory, declarations)
            except Exception:  # noqa: BLE001  (whatever an entry holds, it is a miss, never a crash)
                pass
        book, documents = _fresh(regime, directory, snapshot, declarations)
        encoded = _encoded_entry(built_from, documents, book)
        if encoded is not None:
            _store(folder, prefix, name, encoded)
        return book


def cache_dir() -> Path | None:
    """The folder holding cached rulebooks, or None when caching is off (by choice, with no
    warning, or because the setting cannot be used, with one)."""
    configured = os.environ.get("LIABILITY_CACHE_DIR")
    if configured == "":
        return None
    if configured is not None:
        if not os.path.isabs(configured):
            _warn(f"LIABILITY_CACHE_DIR `{_shown(configured)}` is not an absolute path")
            return None
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG specification says to ignore a relative value
        base = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):
            _warn("no home folder to keep it in")
            return None
    return Path(base) / "liability"


@functools.cache
def _warn(reason: str) -> None:
    """Say once per process why the cache is off: a run loads up to three regimes, and each would
    otherwise repeat it."""
    print(f"warning: rulebook cache off: {reason}", file=sys.stderr)


def _shown(text: str) -> str:
    """`text` with control characters escaped, so that a path cannot drive the terminal."""
    return repr(text)[1:-1]


@contextlib.contextmanager
def _private_folder() -> Iterator[int | None]:
    """A descriptor of the cache folder, created 0700 if missing, or None (with one warning) when
    it cannot be used or is not private to this user; closed on leaving."""
    folder = cache_dir() if _PRIVACY_CHECKABLE else None
    descriptor = _open_private(folder) if folder is not None else None
    try:
        yield descriptor
    finally:
        if descriptor is not None:
            os.close(descriptor)


def _open_private(folder: Path) -> int | None:
    """Open `folder`, creating it 0700, and check the folder actually opened (a link is followed
    to what it names, and that is what must be private); None, with a warning, if it is not."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        _warn(f"cannot use `{_shown(str(folder))}` ({error.strerror})")
        return None
    status = os.fstat(descriptor)
    if status.st_uid != os.getuid():
        problem = "belongs to another user"
    elif status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        problem = "can be written by other users"
    else:
        return descriptor
    os.close(descriptor)
    _warn(f"`{_shown(str(folder))}` {problem}")
    return None


@functools.cache
def _mechanism_digest() -> str:
    """A digest of this package's source, read once per process (every regime's key uses it)."""
    digest = hashlib.sha256()
    for source in sorted(_MECHANISM.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _snapshot(regime: Regime, directory: Path) -> dict[Path, bytes] | None:
    """Each pack's bytes, read once: hashed for the key, and parsed on a miss. None when one
    cannot be read: the plain load then reports it, and nothing is cached."""
    try:
        return {directory / relative: read_bytes(directory / relative) for relative in regime.packs}
    except SourceError:
        return None


def _built_from(regime: Regime, directory: Path, snapshot: dict[Path, bytes]) -> dict[str, Any]:
    """Everything the loaded rulebook depends on; an entry names it, and it must match exactly."""
    return {
        "format": FORMAT,
        "python": sys.version,
        "mechanism": _mechanism_digest(),
        "directory": str(directory),
        "regime": repr(regime),
        "packs": [[relative, hashlib.sha256(snapshot[directory / relative]).hexdigest()]
                  for relative in regime.packs],
    }


def _entry_name(regime: Regime, directory: Path, built_from: dict[str, Any]) -> tuple[str, str]:
    """The entry's file name, and its prefix naming the regime and rules folder: a new entry
    replaces the stale ones with the same prefix instead of piling up beside them."""
    folder = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:12]
    prefix = f"rulebook-{regime.id}-{folder}-"
    key = hashlib.sha256(json.dumps(built_from).encode()).hexdigest()
    return prefix, f"{prefix}{key}.json"


def _read_entry(folder: int, name: str) -> bytes | None:
    """The entry's bytes; None when it is missing, or is anything but a plain file of this user's
    that only they can write (not a link, a pipe that would block, a file another user planted or
    could rewrite through a folder they may traverse, nor one far too large)."""
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid() \
                or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
        try:
            data = stream.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
    return data if len(data) <= MAX_ENTRY_BYTES else None


def _restored(entry: bytes, built_from: dict[str, Any], regime: Regime, directory: Path,
              declarations: Declarations) -> Rulebook:
    """The rulebook an entry holds, rebuilt and checked as a fresh load would check it; raises
    on anything that does not match what the entry must be."""
    digest, _, body = entry.partition(b"\n")
    if digest != hashlib.sha256(body).hexdigest().encode():
        raise _Unusable("the entry's digest does not match its content")
    stored = json.loads(body, object_hook=_decoded)
    _expect(isinstance(stored, dict) and stored.keys() == {"built_from", "documents", "strata"}, "shape")
    _expect(stored["built_from"] == built_from, "built from other sources")
    documents = {directory / relative: _document(directory / relative, document)
                 for relative, document in zip(regime.packs, stored["documents"], strict=True)}
    book = checked_rulebook(regime, directory, documents.__getitem__, declarations)
    _restore_strata(book, stored["strata"])
    return book


def _expect(condition: bool, what: str) -> None:
    """Refuse an entry that fails one of the checks on its shape."""
    if not condition:
        raise _Unusable(what)


def _document(path: Path, stored: Any) -> Document:
    """A stored document, as `read_document` returned it from the bytes the entry was keyed by."""
    _expect(isinstance(stored, dict) and stored.keys() == {"data", "locations", "lines"}, "document")
    locations, lines = stored["locations"], stored["lines"]
    # Checked by type sets, which run at C speed: an entry holds thousands of locations.
    _expect(type(locations) is list and type(lines) is list and len(locations) == len(lines)
            and set(map(type, locations)) <= {list} and set(map(type, lines)) <= {int}
            and set(map(type, itertools.chain.from_iterable(locations))) <= {str, int}, "lines")
    return Document(str(path), stored["data"], dict(zip(map(tuple, locations), lines)))


def _restore_strata(book: Rulebook, stored: Any) -> None:
    """Give `book` the strata stored with it, once they are seen to name each of its rules
    exactly once (so that no rule is dropped from, or doubled in, the firing order)."""
    _expect(isinstance(stored, dict) and stored.keys() == {"stratum", "order", "sequence", "cyclic"}, "strata")
    ids = sorted(rule.id for rule in book.rules)
    stratum, order, sequence, cyclic = stored["stratum"], stored["order"], stored["sequence"], stored["cyclic"]
    _expect(isinstance(stratum, dict) and sorted(stratum) == ids
            and all(type(level) is int and level >= 0 for level in stratum.values()), "stratum")
    _expect(isinstance(order, list) and sorted(order) == ids
            and all(stratum[a] <= stratum[b] for a, b in zip(order, order[1:])), "order")
    _expect(isinstance(sequence, dict) and sorted(sequence) == ids
            and all(type(place) is int for place in sequence.values())
            and sorted(sequence.values()) == list(range(len(ids))), "sequence")
    _expect(isinstance(cyclic, list) and len(set(cyclic)) == len(cyclic) and set(cyclic) <= set(ids), "cyclic")
    book.stratum = stratum
    book.order = [book.by_id[rule_id] for rule_id in order]
    book.sequence = sequence
    book.cyclic = frozenset(cyclic)


def _fresh(regime: Regime, directory: Path, snapshot: dict[Path, bytes],
           declarations: Declarations) -> tuple[Rulebook, list[Document]]:
    """The rulebook loaded from the snapshot's bytes (not from the files again, which may have
    changed since they were hashed), and the document parsed from each pack, in regime order."""
    parsed: dict[Path, Document] = {}

    def read(path: Path) -> Document:
        if path not in parsed:
            parsed[path] = read_document(path, data=snapshot[path])
        return parsed[path]

    book = load_rulebook(regime, directory, read, declarations)
    return book, [parsed[directory / relative] for relative in regime.packs]


def _encoded_entry(built_from: dict[str, Any], documents: list[Document], book: Rulebook) -> bytes | None:
    """The entry for `book`, its digest on the first line; None when the documents hold a value
    JSON cannot keep exactly (the rulebook is then simply not cached)."""
    body = {
        "built_from": built_from,
        "documents": [{"data": document.data, "locations": [list(location) for location in document.lines],
                       "lines": list(document.lines.values())} for document in documents],
        "strata": {"stratum": book.stratum, "order": [rule.id for rule in book.order],
                   "sequence": book.sequence, "cyclic": sorted(book.cyclic)},
    }
    try:
        text = json.dumps(body, default=_encoded, allow_nan=False, separators=(",", ":"))
        exact = json.loads(text, object_hook=_decoded) == body
    except (TypeError, ValueError, RecursionError):
        return None
    if not exact:  # a key that looks like the date marker, say: what reads back must be what loaded
        return None
    encoded = text.encode("ascii")
    return hashlib.sha256(encoded).hexdigest().encode() + b"\n" + encoded


def _encoded(value: Any) -> Any:
    """A date as JSON; any other value JSON has no type for is refused."""
    if type(value) is dt.date:
        return {_DATE: value.isoformat()}
    raise TypeError(f"cannot keep a {type(value).__name__} in a cache entry")


def _decoded(mapping: dict[str, Any]) -> Any:
    """A JSON object back as the date it stands for, or as itself."""
    if mapping.keys() == {_DATE}:
        return dt.date.fromisoformat(mapping[_DATE])
    return mapping


def _store(folder: int, prefix: str, name: str, entry: bytes) -> None:
    """Write the entry atomically, private to this user, then drop the entries it supersedes; a
    folder that cannot be written leaves the cache as it was."""
    temporary = f".{name}.{secrets.token_hex(8)}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600,
                             dir_fd=folder)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(entry)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        for stale in os.listdir(folder):
            if stale.startswith(prefix) and stale != name:
                os.unlink(stale, dir_fd=folder)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
