"""The Typer application object and options shared by every command.

Command modules import ``app`` from here and register themselves; the CLI only
parses arguments and calls the library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from minewatch.store import Store

app = typer.Typer(
    name="minewatch",
    help=(
        "minewatch: turn open-source reporting about landmines into a geocoded, "
        "source-cited database of events and country profiles.\n\n"
        "Example: minewatch demo"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

#: Where messages for people go; data (JSON, JSONL, CSV) goes to stdout.
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
out = Console(highlight=False, markup=False)

# A string, not a Path: a Path would fold "postgresql+psycopg://u@h/db" into a file name.
DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="MINEWATCH_DB",
        help="SQLite file, or a database URL such as postgresql+psycopg://user@host/dbname "
        "(env MINEWATCH_DB).",
        show_default=True,
    ),
]
DEFAULT_DB = "minewatch.db"

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def open_store(db: str | Path) -> Store:
    """Open the database named by ``--db`` (migrating it to the current schema).

    A value with ``scheme://`` is a URL, never a path; one minewatch cannot use,
    or a server that cannot be reached, is one error line (exit 2), not a traceback.
    """
    from sqlalchemy.exc import OperationalError

    from minewatch.store import Store
    from minewatch.store.backend import BackendError, redact

    try:
        return Store.open(db)
    except BackendError as e:
        raise fail(str(e), 2) from e
    except OperationalError as e:
        reason = str(e.orig).strip().splitlines()[0] if e.orig is not None else str(e)
        raise fail(f"cannot open database {redact(str(db))}: {reason}", 2) from e


def db_label(db: str | Path) -> str:
    """How messages name a database (a URL without its password)."""
    from minewatch.store.backend import redact

    return redact(str(db))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error line on stderr and return the Exit to raise.

    ``message`` is printed as text: it often quotes user input (a path, a flag
    value), and ``[/x]`` there must not be read as Rich markup.
    """
    err.print(Text.assemble(("error:", "red"), " ", message))
    return typer.Exit(code)


def _print_version(value: bool) -> None:
    if value:
        from minewatch import __version__

        print(f"minewatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """minewatch: turn open-source reporting about landmines into a geocoded,
    source-cited database of events and country profiles.

    Example: minewatch demo
    """
