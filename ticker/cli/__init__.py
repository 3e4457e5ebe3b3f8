"""The command line: parse, call the library, print, map errors to exit codes."""

from ticker.cli.commands import main

__all__ = ["main"]
