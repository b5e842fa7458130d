"""Command line (``python -m flankmap``): the commands (``commands``), shared parsing (``base``), ``spending``."""

from flankmap.cli.commands import main

__all__ = ["main"]
