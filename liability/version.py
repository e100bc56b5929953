"""The engine's version, in a module of its own: the command line and every findings document
name it, and importing it from the package itself would make those modules import the package
that starts the command line."""

__version__ = "0.1.0"
