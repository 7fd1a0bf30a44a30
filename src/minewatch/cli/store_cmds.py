"""Commands over the evidence store: verify, show, stats, log."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from minewatch.cli._app import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    app,
    db_label,
    err,
    fail,
    open_store,
    out,
)


@app.command()
def verify(
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    rederive: Annotated[
        bool,
        typer.Option(
            "--rederive/--quick",
            help="Also re-derive every text from its original and re-extract events "
            "(--quick: hashes, log chain and triggers only).",
        ),
    ] = True,
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            help="A log head hash noted earlier: it must still be in the chain.",
        ),
    ] = None,
) -> None:
    """Check the store for tampering; print each mismatch by row (exit 1 if any).

    Re-hashes every original; checks the log's hash chain, the guard-rail
    triggers and every document, event set, decision and incident set against
    the log entry that recorded it; re-derives every text from its original and
    re-extracts events, each compared only when the recorded extractor version is
    the running one. Prints the log head hash: note it somewhere else, and
    --expect-head catches even a consistent rewrite of the whole log.

    Example: minewatch verify --db minewatch.db
    """
    from minewatch.audit import verify_store

    store = open_store(db)
    try:
        with _progress("verifying", enabled=err.is_terminal and not as_json) as on_item:
            rep = verify_store(store, rederive=rederive, expect_head=expect_head, progress=on_item)
    finally:
        store.close()
    if as_json:
        print(json.dumps(rep.to_json(), ensure_ascii=False, indent=2))
    else:
        for p in rep.problems:
            err.print(f"MISMATCH {p}")
        c = rep.custody
        err.print(
            f"verified {rep.originals} originals, {c.entries} log entries (head {c.head}), "
            f"{c.objects} objects against the log ({c.unsealed} recorded before the chain); "
            f"texts re-derived {rep.texts_compared} (not compared {rep.texts_not_compared}), "
            f"events re-extracted {rep.events_compared} "
            f"(not compared {rep.events_not_compared}: other extractor version); "
            f"{len(rep.problems)} mismatch(es)"
        )
    if not rep.ok:
        raise typer.Exit(1)


@contextmanager
def _progress(label: str, *, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    if not enabled:
        yield lambda done, total: None
        return
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, total=total, completed=done)


@app.command()
def show(
    doc: Annotated[str, typer.Argument(help="Document: input id, SHA-256 (or a prefix of 6+).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    offsets: Annotated[
        bool,
        typer.Option("--offsets/--no-offsets", help="Prefix each line with its character offset."),
    ] = True,
) -> None:
    """Show a document's metadata and its extracted text with character offsets.

    Evidence spans in Event JSON index exactly this text.

    Example: minewatch show 002_ab6b646afde7e94d.txt
    """
    store = open_store(db)
    rec = store.get_document(doc)
    if rec is None:
        raise fail(f"no document matches {doc!r} (try an input id or a SHA-256 prefix)")
    text = store.text_of(rec.meta.id)
    if as_json:
        print(
            json.dumps(
                {
                    "document": rec.meta.to_json(),
                    "media_type": rec.media_type,
                    "size": rec.size,
                    "ingested_at": rec.ingested_at,
                    "ingested_by": rec.ingested_by,
                    "metadata": rec.metadata,
                    "text": text,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    m = rec.meta
    for label, value in (
        ("id", m.id),
        ("input id", m.input_id),
        ("title", m.title),
        ("publisher", m.publisher),
        ("published", m.published),
        ("url", m.url),
        ("language", m.language),
        ("media type", rec.media_type),
        ("size", f"{rec.size} bytes"),
        ("ingested", f"{rec.ingested_at} by {rec.ingested_by}"),
        ("confidential", "yes" if m.confidential else "no"),
    ):
        out.print(f"{label:>12}: {value if value is not None else '-'}", markup=False)
    for k, v in sorted(rec.metadata.items()):
        out.print(f"{k:>12}: {v}", markup=False)
    out.print(f"{'text':>12}: {len(text)} characters", markup=False)
    out.print("")
    pos = 0
    for line in text.splitlines(keepends=True):
        shown = line.rstrip("\n")
        out.print(f"{pos:>7} | {shown}" if offsets else shown, markup=False, highlight=False)
        pos += len(line)


@app.command()
def confidential(
    doc: Annotated[str, typer.Argument(help="Document: input id, SHA-256 (or a prefix of 6+).")],
    db: DbOption = DEFAULT_DB,
    unmark: Annotated[
        bool, typer.Option("--unmark", help="Remove the mark (also a logged decision).")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (kept internal).")] = None,
) -> None:
    """Mark a stored document confidential (or --unmark it): a logged human decision.

    A confidential document stays in the store and in the JSON archive, marked;
    it never appears in a report, a public export or to a viewer in the web app.

    Example: minewatch confidential 002_ab6b646afde7e94d.txt --reason "source at risk"
    """
    store = open_store(db)
    doc_id = store.resolve(doc)
    if doc_id is None:
        raise fail(f"no document matches {doc!r} (try an input id or a SHA-256 prefix)")
    dec = store.set_confidential(doc_id, not unmark, reason=reason)
    state = "no longer confidential" if unmark else "confidential"
    err.print(f"{doc_id[:19]} is {state} (decision {dec})", markup=False)


@app.command()
def stats(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Count documents, events, incidents and decisions in the database.

    Example: minewatch stats --json
    """
    store = open_store(db)
    s = store.stats()
    if as_json:
        print(json.dumps(s, indent=2))
        return
    table = Table(title=f"minewatch database {db_label(db)}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in s.items():
        if isinstance(value, dict):
            for k, v in sorted(value.items()):
                table.add_row(f"{key.replace('_by_', ' by ')}: {k}", str(v))
        else:
            table.add_row(key.replace("_", " "), str(value))
    out.print(table)


@app.command("log")
def log_cmd(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="Show at most this many latest entries.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show the append-only audit log: every ingest, extraction run and decision.

    Each entry is chained to the one before by its hash (full hashes in --json);
    `minewatch verify` checks the chain.

    Example: minewatch log --limit 20
    """
    entries = open_store(db).log_entries()[-limit:]
    if as_json:
        print(json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=2))
        return
    table = Table()
    for col in ("id", "at (UTC)", "who", "action", "object", "detail", "hash"):
        table.add_column(col)
    for e in entries:
        detail = json.dumps(e.detail, ensure_ascii=False)
        table.add_row(
            str(e.id),
            e.at,
            e.who,
            e.action,
            f"{e.object_type} {e.object_id or ''}",
            detail[:80],
            (e.hash or "-")[:12],
        )
    out.print(table)
