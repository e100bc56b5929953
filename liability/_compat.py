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
