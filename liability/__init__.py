"""liability: reasoned findings on the liability of online platforms for sexual exploitation.

The law lives in rule packs (``rules/``); this package is the mechanism that reads scenarios,
compiles the packs into an expert system, runs it and reports findings.
"""

from typing import Any

from . import _compat  # noqa: F401  (must run before anything imports experta)
from .version import __version__  # noqa: F401  (the package's version, as `liability.__version__`)

API = ("assess", "whatif", "flips", "sweep", "reform")
"""The library's functions (liability/api.py), imported on first use: `import liability` stays as
light as the command line needs it to be."""


def __getattr__(name: str) -> Any:
    if name in API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'liability' has no attribute '{name}'")


def command() -> None:
    """The console command. The engine's modules are imported here, inside the guard, so that a
    Ctrl-C while they load (about half a second) ends the command as one during a run does: one
    line and exit 130, not a traceback."""
    import sys

    try:
        from .cli import entry
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    entry()
