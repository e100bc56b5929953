"""A cache of validated, stratified rulebooks, so that a cold `liability run` skips the checking.

Loading a regime parses every pack, validates it, cross-checks it and stratifies it with
networkx: about a fifth of a cold run. The result depends only on the pack files, the mechanism
that reads them and the interpreter, so it is pickled under a key hashing all three; a pack edited
by a single byte, or a new version of this package, gives a new key and a fresh load. The cache is
a speed-up and nothing else: a cache that cannot be read or written is ignored, and a pack that
fails to load is never cached (its errors are reported on every run).

Where: ``$LIABILITY_CACHE_DIR``, else ``$XDG_CACHE_HOME/liability``, else ``~/.cache/liability``.
Setting ``LIABILITY_CACHE_DIR`` to an empty string turns the cache off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from .rulebook import Regime, Rulebook, load_rulebook

_MECHANISM = Path(__file__).parent


def cache_dir() -> Path | None:
    """The folder holding cached rulebooks, or None when the user turned caching off."""
    configured = os.environ.get("LIABILITY_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "liability"


@functools.cache
def _mechanism_digest() -> str:
    """A digest of this package's source, read once per process (every regime's key uses it)."""
    digest = hashlib.sha256()
    for source in sorted(_MECHANISM.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _name(regime: Regime, directory: Path) -> tuple[str, str]:
    """The cache file's stem, as (prefix naming the regime and rules folder, digest of the sources).

    The digest covers everything the loaded rulebook depends on; the prefix lets a new entry
    replace the stale ones of the same regime and folder instead of piling up beside them.
    """
    folder = str(directory.resolve())
    prefix = f"rulebook-{regime.id}-{hashlib.sha256(folder.encode()).hexdigest()[:12]}-"
    digest = hashlib.sha256()
    digest.update(f"{sys.version}\0{_mechanism_digest()}\0{folder}\0{directory}\0{regime!r}\0".encode())
    for relative in ("regimes.yaml", *regime.packs):
        path = directory / relative
        digest.update(f"\0{relative}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return prefix, digest.hexdigest()


def cached_rulebook(regime: Regime, directory: Path) -> Rulebook:
    """The regime's rulebook, from the cache when its sources are unchanged, else freshly loaded."""
    folder = cache_dir()
    if folder is None:
        return load_rulebook(regime, directory)
    try:
        prefix, digest = _name(regime, directory)
    except OSError:
        return load_rulebook(regime, directory)
    path = folder / f"{prefix}{digest}.pickle"
    try:
        with path.open("rb") as stream:
            book = pickle.load(stream)
        if isinstance(book, Rulebook):
            return book
    except Exception:  # noqa: BLE001  (a missing, truncated or foreign cache file is a miss)
        pass
    book = load_rulebook(regime, directory)
    _store(book, path, prefix)
    return book


def _store(book: Rulebook, path: Path, prefix: str) -> None:
    """Write atomically (a concurrent reader sees the old file or the new one, never half of one),
    then drop the entries this one supersedes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as stream:
            pickle.dump(book, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(stream.name, path)
        for stale in path.parent.glob(f"{prefix}*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        return
