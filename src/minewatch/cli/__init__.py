"""Command-line interface. Each module below registers its commands on ``app``."""

from __future__ import annotations

# Command modules register themselves on import (order = order in --help).
from minewatch.cli import corroborate_cmd as _corroborate_cmd  # noqa: F401
from minewatch.cli import extract_cmd as _extract_cmd  # noqa: F401
from minewatch.cli import geo_cmd as _geo_cmd  # noqa: F401
from minewatch.cli import ingest_cmd as _ingest_cmd  # noqa: F401
from minewatch.cli import report_cmd as _report_cmd  # noqa: F401
from minewatch.cli import store_cmds as _store_cmds  # noqa: F401
from minewatch.cli._app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
