"""`python -m liability` runs the command line."""

from .cli import entry

entry()
