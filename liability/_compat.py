"""Make experta 1.9.4 importable on Python >= 3.10.

experta pins ``frozendict==1.2``, which subclasses ``collections.Mapping``; that alias was
removed from :mod:`collections` in Python 3.10. Restoring it before experta is imported is
the smallest fix that keeps the pinned, published packages. This module must be imported
before anything imports experta, which is why ``liability/__init__.py`` imports it first.

``import experta`` also calls ``logging.basicConfig()``, which would make experta's own
rule-firing messages appear on stderr; we silence its loggers so the CLI's output stays ours.
"""

import collections
import collections.abc
import logging

if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]

for _name in ("experta", "experta.watchers"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def diagram_module():  # type: ignore[no-untyped-def]
    """dd's BDD module: CUDD through its Cython binding where its wheel installs, the same API in
    pure Python otherwise.

    dd imports networkx, if it can, for graph exports we never use; that import alone costs about
    0.15 s, more than a whole cold run spends deciding. Where networkx is not loaded yet, dd is
    told it is absent (its own fallback), and networkx stays importable for whoever needs it.
    """
    import sys

    hidden = "networkx" not in sys.modules
    if hidden:
        sys.modules["networkx"] = None  # type: ignore[assignment]  # makes `import networkx` raise ImportError
    try:
        try:
            from dd import cudd as bdd
        except ImportError:  # pragma: no cover - depends on the platform's wheels
            from dd import autoref as bdd
    finally:
        if hidden:
            del sys.modules["networkx"]
    return bdd
