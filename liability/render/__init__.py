"""Renderers: each turns a findings document into one output format, and nothing else."""
