"""The ``corridors`` command line: a thin face over the public API."""

from corridors.cli.main import app, main

__all__ = ["app", "main"]
