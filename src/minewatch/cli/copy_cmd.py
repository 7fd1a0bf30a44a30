"""Command ``copy``: move a whole store to another database (SQLite <-> PostgreSQL)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.progress import Progress, TextColumn, TimeElapsedColumn

from minewatch.cli._app import JsonOption, app, db_label, err, fail, open_store


@app.command()
def copy(
    source: Annotated[
        str, typer.Option("--from", help="The store to copy: a SQLite file or a database URL.")
    ],
    dest: Annotated[
        str,
        typer.Option("--to", help="A new, empty database: a SQLite file or a database URL."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Copy every document, event, incident, decision and log entry to a new database.

    Originals are re-hashed on arrival; a mismatch stops the copy and leaves the
    destination as it was. The destination must be empty (a new database or schema).

    Example: minewatch copy --from sqlite:///minewatch.db --to postgresql+psycopg://me@server/minewatch
    """
    from minewatch.store.copy import CopyError, copy_store

    src = open_store(source)
    dst = open_store(dest)
    try:
        with Progress(
            TextColumn("{task.description}"),
            TextColumn("{task.completed} rows"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=as_json or not err.is_terminal,
        ) as bar:
            task = bar.add_task("copying", total=None)
            done: dict[str, int] = {}

            def progress(table: str, n: int) -> None:
                done[table] = n
                bar.update(task, description=f"copying {table}", completed=sum(done.values()))

            result = copy_store(src, dst, progress=progress)
    except CopyError as e:
        raise fail(str(e), 1) from e
    finally:
        src.close()
        dst.close()
    if as_json:
        print(json.dumps({"rows": result.rows, "originals_verified": result.originals_verified}))
        return
    summary = ", ".join(f"{n} {name}" for name, n in result.rows.items() if n)
    err.print(
        f"copied {db_label(source)} -> {db_label(dest)}: {summary or 'nothing (empty store)'}"
    )
    err.print(f"{result.originals_verified} originals re-hashed on arrival: all match")
