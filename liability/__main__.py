"""`python -m liability` runs the command line."""

from . import command

command()
