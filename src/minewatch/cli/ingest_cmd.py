"""``minewatch ingest``: store documents from files, directories, JSONL or stdin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from minewatch.cli._app import DEFAULT_DB, DbOption, JsonOption, app, err, fail, open_store
from minewatch.ingest import (
    DEFAULT_MAX_BYTES,
    FORMATS,
    DocResult,
    IngestError,
    MetadataError,
    clean_metadata,
    ingest_paths,
    load_sidecar,
)

_FLAG_HELP = "Metadata for a single document (one PATH, not a directory)."


def _flag(name: str, extra: str = "") -> object:
    return typer.Option(f"--{name}", help=f"{_FLAG_HELP}{extra}", rich_help_panel="Metadata")


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories (recursive) or - for stdin.", metavar="PATH"),
    ],
    db: DbOption = DEFAULT_DB,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            help="CSV or JSON mapping file name (or JSONL id) to title, url, publisher, "
            "published, language. sources.csv / metadata.csv / metadata.json next to "
            "the files are used automatically.",
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            help="Glob of files to read in directories (repeatable; default: "
            ".txt .md .html .htm .jsonl ...).",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Glob of files to leave out of directories (repeatable)."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Size limit of one document in bytes.")
    ] = DEFAULT_MAX_BYTES,
    fmt: Annotated[
        str,
        typer.Option("--format", help=f"Input format: {', '.join(FORMATS)}."),
    ] = "auto",
    title: Annotated[str | None, _flag("title")] = None,
    url: Annotated[str | None, _flag("url")] = None,
    publisher: Annotated[str | None, _flag("publisher")] = None,
    published: Annotated[str | None, _flag("published", " YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    language: Annotated[str | None, _flag("language", " A tag such as en or ko.")] = None,
    confidential: Annotated[
        bool,
        typer.Option(
            "--confidential",
            help="Mark every document of this batch confidential: kept in the store and "
            "the JSON archive, never in a report, a public export or a viewer's page.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Store documents (text, HTML, JSONL, directories, - for stdin) with their metadata.

    The same bytes ingested again are reported as already present, never stored
    twice; new metadata for them is recorded as an update. Each bad input gets
    one error line and the batch goes on; the exit code is 1 if any failed.

    Example: minewatch ingest ../shared/seeds --db minewatch.db
    """
    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", code=2)
    flags = {
        "title": title,
        "url": url,
        "publisher": publisher,
        "published": published,
        "language": language,
    }
    given = [k for k, v in flags.items() if v is not None]
    if given and (len(paths) != 1 or Path(paths[0]).is_dir()):
        names = ", ".join(f"--{k}" for k in given)
        raise fail(
            f"metadata flags ({names}) describe one document: give one PATH, not a directory", 2
        )

    try:  # refuse bad flags or a bad --metadata file before touching the database
        clean_metadata(flags)
        if metadata is not None:
            load_sidecar(metadata)
    except MetadataError as exc:
        raise fail(str(exc), code=2) from None

    store = open_store(db)
    try:
        with _progress(enabled=err.is_terminal) as on_item:
            report = ingest_paths(
                paths,
                store,
                who=_who(),
                include=include or (),
                exclude=exclude or (),
                metadata_file=metadata,
                overrides=flags,
                max_bytes=max_bytes,
                fmt=fmt,
                confidential=confidential,
                progress=lambda done, total, item: on_item(done, total, item, not as_json),
            )
    except MetadataError as exc:
        raise fail(str(exc), code=2) from None
    except KeyboardInterrupt:
        err.print(
            "interrupted: the document being written was rolled back; "
            "documents stored before it are kept. Run the same command again to continue."
        )
        raise typer.Exit(130) from None
    finally:
        store.close()

    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    if report.skipped:
        err.print(
            f"skipped {len(report.skipped)} file(s) in directories that match no --include "
            f"glob, e.g. {report.skipped[0]}"
        )
    if not report.results and not report.errors:
        err.print("nothing to ingest")
    err.print(report.summary())
    if not report.ok:
        raise typer.Exit(1)


def _who() -> str:
    from minewatch.store import default_who

    return default_who()


def _line(item: DocResult | IngestError) -> str:
    if isinstance(item, IngestError):
        return f"[red]error:[/red] {_escape(str(item))}"
    label = {"added": "added", "present": "present", "updated": "updated"}.get(item.status)
    title = f"  {item.title}" if item.title else ""
    return f"{label:<8} {item.document_id[:19]}  {_escape(item.input_id)}{_escape(title)}"


def _escape(s: str) -> str:
    from rich.markup import escape

    return escape(s)


@contextmanager
def _progress(*, enabled: bool) -> Iterator[_Reporter]:
    """A progress bar over input files on a terminal; plain lines otherwise."""
    if not enabled:
        yield _Reporter(None)
        return
    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        yield _Reporter(bar)


class _Reporter:
    """Prints one line per document or error; advances the bar if there is one."""

    def __init__(self, bar: Progress | None) -> None:
        self.bar = bar
        self.task = bar.add_task("ingest", total=None) if bar is not None else None

    def __call__(self, done: int, total: int, item: DocResult | IngestError, per_doc: bool) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, total=total, completed=done)
        if per_doc or isinstance(item, IngestError):
            err.print(_line(item), markup=True, highlight=False, soft_wrap=True)
