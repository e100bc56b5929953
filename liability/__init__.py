"""liability: reasoned findings on the liability of online platforms for sexual exploitation.

The law lives in rule packs (``rules/``); this package is the mechanism that reads scenarios,
compiles the packs into an expert system, runs it and reports findings.
"""

from . import _compat  # noqa: F401  (must run before anything imports experta)

__version__ = "0.1.0"
