"""Command-line interface. Each module below registers its commands on ``app``."""

from __future__ import annotations

from importlib import import_module

from minewatch.cli._app import app

# Command modules register themselves on import; this order is the order of
# `minewatch --help`: the pipeline's stages, then the store utilities.
COMMAND_MODULES = (
    "report_cmd",  # demo, report, export, import
    "ingest_cmd",
    "extract_cmd",  # extract, evaluate
    "geo_cmd",
    "corroborate_cmd",  # corroborate, incidents
    "store_cmds",  # verify, show, confidential, stats, log
    "copy_cmd",  # copy (SQLite <-> PostgreSQL)
    "serve_cmd",  # serve (the review web app)
    "users_cmd",  # users add, set, list
)
for _name in COMMAND_MODULES:
    import_module(f"minewatch.cli.{_name}")


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
