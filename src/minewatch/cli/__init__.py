"""Command-line interface. Each module below registers its commands on ``app``."""

from __future__ import annotations

from minewatch.cli._app import app

# Command modules register themselves on import (order = order in --help).
# (command modules are imported here, one line each)


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
