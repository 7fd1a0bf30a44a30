"""Commands ``extract`` (documents -> Event JSON) and ``evaluate`` (score against gold)."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minewatch.cli._app import JsonOption, app, err, fail, open_store

if TYPE_CHECKING:
    from minewatch.model import DocumentMeta
    from minewatch.store import Store


@app.command()
def extract(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, directories or JSONL files (- for stdin); with --stored, "
            "stored documents (input id or SHA-256 prefix; none: all).",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Output format (jsonl: one document per line).")
    ] = "jsonl",
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Do not write to a database (the default).")
    ] = False,
    corroborate: Annotated[
        bool,
        typer.Option(
            "--corroborate/--no-corroborate",
            help="With --db, rebuild incidents from all stored events afterwards.",
        ),
    ] = True,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="MINEWATCH_DB",
            help="Store documents and events in this SQLite file (env MINEWATCH_DB; "
            "--no-store wins over the environment).",
        ),
    ] = None,
    stored: Annotated[
        bool,
        typer.Option(
            "--stored", help="Re-extract documents already in the --db store (no paths needed)."
        ),
    ] = False,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata", help="Metadata file (CSV/JSON keyed by file name), e.g. sources.csv."
        ),
    ] = None,
) -> None:
    """Extract landmine events from documents and print one Event JSON object per document.

    Output follows input order; each object's document.input_id is the JSONL id or the
    path as given. With --db, documents are stored and their events replaced (a re-run
    never duplicates events and never touches human decisions); a document already
    stored is extracted from its stored text and metadata (its publication date
    included), so evidence offsets always index the text `minewatch show` prints.
    Each bad input gets one error line; the exit code is 1 if any input failed.

    Example: minewatch extract ../shared/seeds --format jsonl --no-store
    """
    from minewatch.extract import EXTRACTOR_VERSION
    from minewatch.ingest import MetadataError, iter_inputs

    if fmt != "jsonl":
        raise fail(f"unknown --format {fmt!r} (only jsonl)", 2)
    if no_store and db is not None:
        # by name: typer may bundle its own click, whose enum is another class
        if getattr(ctx.get_parameter_source("db"), "name", None) == "ENVIRONMENT":
            db = None  # an explicit --no-store beats MINEWATCH_DB
        else:
            raise fail("--no-store and --db exclude each other", 2)
    if stored and db is None:
        raise fail("--stored needs a database (--db or MINEWATCH_DB)", 2)
    if not stored and not paths:
        raise fail("give PATH... to extract (or --stored with --db)", 2)
    store = open_store(db) if db is not None else None
    who = f"minewatch extract ({EXTRACTOR_VERSION})"
    from minewatch.geo import load_gazetteer

    # with a database, the user's own places (gazetteer import/add) take part
    gazetteer = load_gazetteer(store=store)
    run = _Run(store, gazetteer, who)
    try:
        if stored:
            assert store is not None
            run.stored(paths or [])
        else:
            for _, item in iter_inputs(paths or [], metadata_file=metadata):
                run.item(item)
        if store is not None and corroborate and run.n_docs:
            from minewatch.corroborate import corroborate_store

            n_incidents = len(corroborate_store(store, gazetteer=gazetteer, who=who))
            err.print(f"corroborated: {n_incidents} incidents (human decisions re-applied)")
    except MetadataError as e:
        raise fail(str(e), 2) from e
    finally:
        if store is not None:
            store.close()
    where = f", stored in {db}" if store is not None else ""
    err.print(
        f"{run.n_docs} documents, {run.n_events} events{where}; {run.n_errors} inputs skipped"
    )
    if run.n_errors:
        raise typer.Exit(1)


class _Run:
    """One extract command: counts, and per-document work that never stops the batch."""

    def __init__(self, store: Store | None, gazetteer: Any, who: str) -> None:
        self.store, self.gazetteer, self.who = store, gazetteer, who
        self.n_docs = self.n_events = self.n_errors = 0

    def skip(self, where: str, reason: str) -> None:
        err.print(f"skipped {where}: {reason}")
        self.n_errors += 1

    def item(self, item: object) -> None:
        from minewatch.ingest import SourceDoc, store_document

        if not isinstance(item, SourceDoc):
            err.print(f"skipped {item}")
            self.n_errors += 1
            return
        meta, text = item.meta(), item.text
        if self.store is not None:
            try:
                result = store_document(self.store, item, who=self.who)
            except Exception as exc:  # a store failure fails this document only
                self.skip(item.where, f"store error: {exc}")
                return
            rec = self.store.get_document(result.document_id)
            assert rec is not None
            # What the store holds wins: its text (offsets index it) and its metadata;
            # input_id still echoes the input, as the Event JSON promises.
            meta = dataclasses.replace(rec.meta, input_id=item.input_id)
            text = self.store.text_of(result.document_id)
        self.extract(meta, text, item.where)

    def stored(self, refs: list[str]) -> None:
        assert self.store is not None
        if not refs:
            metas = self.store.documents()
        else:
            metas = []
            for ref in refs:
                rec = self.store.get_document(ref)
                if rec is None:
                    self.skip(ref, "no stored document matches (input id or SHA-256 prefix)")
                else:
                    metas.append(rec.meta)
        for meta in metas:
            self.extract(meta, self.store.text_of(meta.id), meta.input_id)

    def extract(self, meta: DocumentMeta, text: str, where: str) -> None:
        from minewatch.extract import EXTRACTOR_VERSION, extract_document
        from minewatch.model import DocumentEvents

        try:
            events = extract_document(text, meta, gazetteer=self.gazetteer)
            if self.store is not None:
                self.store.replace_events(meta.id, events, EXTRACTOR_VERSION, self.who)
        except Exception as exc:  # one bad document must not stop the batch
            self.skip(where, f"extraction failed: {type(exc).__name__}: {exc}")
            return
        sys.stdout.write(
            json.dumps(DocumentEvents(meta, events).to_json(), ensure_ascii=False) + "\n"
        )
        self.n_docs += 1
        self.n_events += len(events)


@app.command()
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold JSONL files (tests/gold/...).")],
    seeds_dir: Annotated[
        Path | None,
        typer.Option("--seeds-dir", help="Where gold lines with a 'file' read their text."),
    ] = None,
    as_json: JsonOption = False,
    max_errors: Annotated[
        int, typer.Option("--max-errors", help="Errors listed per report (text output).")
    ] = 50,
) -> None:
    """Score extraction against hand-annotated gold: event P/R/F1, per-field accuracy, errors.

    Example: minewatch evaluate tests/gold/extract/seeds.jsonl tests/gold/extract/synthetic.jsonl
    """
    from minewatch.extract.evaluate import evaluate_files

    for g in gold:
        if not g.is_file():
            raise fail(f"no such gold file: {g}", 2)
    try:
        reports = evaluate_files(gold, seeds_dir=seeds_dir)
    except (FileNotFoundError, ValueError) as e:
        raise fail(str(e), 2) from e
    if as_json:
        print(json.dumps(reports if len(reports) > 1 else reports[0], indent=2))
        return
    for rep in reports:
        if rep.get("kind") != "extraction":
            print(json.dumps(rep, indent=2))
            continue
        print(f"gold files: {', '.join(rep['files'])}")
        print(
            f"documents {rep['documents']}  gold events {rep['gold_events']}  "
            f"predicted {rep['predicted_events']}  matched {rep['matched']}"
        )
        print(
            f"event detection  P {rep['precision']:.3f}  R {rep['recall']:.3f}  F1 {rep['f1']:.3f}"
        )
        for name, f in rep["fields"].items():
            print(f"  {name:<11} {f['accuracy']:.3f}  ({f['right']}/{f['total']})")
        errors = rep["errors"]
        if errors:
            print(f"errors ({len(errors)}, first {min(len(errors), max_errors)}):")
        for x in errors[:max_errors]:
            if x["error"] == "field":
                print(
                    f"  {x['doc']}: {x['field']} gold={x['gold']!r} predicted={x['predicted']!r}"
                    f"  [{x['anchor']}]"
                )
            elif x["error"] == "missed":
                print(f"  {x['doc']}: missed {x['type']}  [{x['anchor']}]")
            else:
                print(f"  {x['doc']}: spurious {x['type']}: {x['summary']}")
        for w in rep.get("warnings", []):
            err.print(f"warning: {w}")
