"""Commands ``extract`` (documents -> Event JSON) and ``evaluate`` (score against gold)."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from minewatch.ingest import SourceDoc
    from minewatch.model import Event
    from minewatch.store import Store

from minewatch.cli._app import DEFAULT_DB, JsonOption, app, db_label, err, fail, open_store


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
        str | None,
        typer.Option(
            "--db",
            envvar="MINEWATCH_DB",
            help="Store documents and events in this SQLite file or database URL "
            "(postgresql+psycopg://user@host/dbname; env MINEWATCH_DB, which an "
            "explicit --no-store overrides).",
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
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=0,
            help="Extract in N processes of a local Dask cluster (0: in this process).",
        ),
    ] = 0,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Extract on an existing Dask cluster (tcp://host:8786)."),
    ] = None,
) -> None:
    """Extract landmine events from documents and print one Event JSON object per document.

    Output follows input order; each object's document.input_id is the JSONL id or the
    path as given. With --db, documents are stored and their events replaced (a re-run
    never duplicates events and never touches human decisions); a document already
    stored is extracted from its stored text and metadata (its publication date
    included), so evidence offsets always index the text `minewatch show` prints.
    --workers/--scheduler split the documents into partitions extracted in parallel;
    the output is the same. Each bad input gets one error line; the exit code is 1 if
    any input was skipped.

    Example: minewatch extract ../shared/seeds --format jsonl --no-store
    """
    from minewatch.extract import EXTRACTOR_VERSION
    from minewatch.ingest import MetadataError, SourceDoc, iter_inputs
    from minewatch.model import DocumentEvents

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
    store = open_store(db if db is not None else DEFAULT_DB) if db is not None else None
    who = f"minewatch extract ({EXTRACTOR_VERSION})"
    from minewatch.geo import load_gazetteer

    # with a database, the user's own places (gazetteer import/add) take part
    gazetteer = load_gazetteer(store=store)
    n_docs = n_events = 0
    errors = _Errors()
    try:
        if stored:
            assert store is not None
            inputs: Iterator[Any] = _from_store(store, paths or [], errors)
        else:
            inputs = (item for _, item in iter_inputs(paths or [], metadata_file=metadata))
            if store is not None:
                inputs = _stored_first(store, inputs, who, errors)
        for item, events in _extracted(inputs, gazetteer, workers, scheduler, errors):
            if not isinstance(item, SourceDoc) or events is None:
                if not isinstance(item, SourceDoc):
                    errors.skip(str(item))
                continue
            meta = item.meta()
            if store is not None:
                try:
                    store.replace_events(meta.id, events, EXTRACTOR_VERSION, who)
                except Exception as exc:  # a store failure fails this document only
                    errors.skip(f"{item.where}: store error: {exc}")
                    continue
            sys.stdout.write(
                json.dumps(DocumentEvents(meta, events).to_json(), ensure_ascii=False) + "\n"
            )
            n_docs += 1
            n_events += len(events)
        if store is not None and corroborate and n_docs:
            from minewatch.corroborate import corroborate_store

            n_incidents = len(corroborate_store(store, gazetteer=gazetteer, who=who))
            err.print(f"corroborated: {n_incidents} incidents (human decisions re-applied)")
    except MetadataError as e:
        raise fail(str(e), 2) from e
    finally:
        if store is not None:
            store.close()
    where = f", stored in {db_label(db)}" if store is not None and db is not None else ""
    err.print(f"{n_docs} documents, {n_events} events{where}; {errors.n} inputs skipped")
    if errors.n:
        raise typer.Exit(1)


class _Errors:
    """Counts skipped inputs; each gets one line, printed as text."""

    def __init__(self) -> None:
        self.n = 0

    def skip(self, what: str) -> None:
        err.print(f"skipped {what}", markup=False)
        self.n += 1


def _stored_first(store: Store, inputs: Iterator[Any], who: str, errors: _Errors) -> Iterator[Any]:
    """Store each document, then hand on what the store holds: its text (evidence
    offsets index it) and its metadata (a publication date given at ingest); the
    input_id still echoes the input, as the Event JSON promises."""
    from minewatch.ingest import SourceDoc, store_document

    for item in inputs:
        if not isinstance(item, SourceDoc):
            yield item
            continue
        try:
            result = store_document(store, item, who=who)
        except Exception as exc:  # a store failure fails this document only
            errors.skip(f"{item.where}: store error: {exc}")
            continue
        yield _as_stored(store, result.document_id, item)


def _as_stored(store: Store, doc_id: str, item: SourceDoc) -> SourceDoc:
    rec = store.get_document(doc_id)
    assert rec is not None
    m = rec.meta
    return dataclasses.replace(
        item,
        text=store.text_of(doc_id),
        metadata={
            "title": m.title,
            "publisher": m.publisher,
            "published": m.published,
            "url": m.url,
            "language": m.language,
        },
        confidential=m.confidential,
    )


def _from_store(store: Store, refs: list[str], errors: _Errors) -> Iterator[Any]:
    """Stored documents (all, or those ``refs`` name) as inputs to extract again."""
    from minewatch.ingest import SourceDoc

    if refs:
        ids = []
        for ref in refs:
            doc_id = store.resolve(ref)
            if doc_id is None:
                errors.skip(f"{ref}: no stored document matches (input id or SHA-256 prefix)")
            else:
                ids.append(doc_id)
    else:
        ids = [m.id for m in store.documents()]
    for doc_id in ids:
        rec = store.get_document(doc_id)
        assert rec is not None
        extractor, version = store.text_info(doc_id)
        item = SourceDoc(
            input_id=rec.meta.input_id,
            original=store.original_of(doc_id),
            media_type=rec.media_type,
            text="",
            extractor=extractor,
            extractor_version=version,
        )
        yield _as_stored(store, doc_id, item)


def _extracted(
    inputs: Iterator[Any], gazetteer: Any, workers: int, scheduler: str | None, errors: _Errors
) -> Iterator[tuple[Any, list[Event] | None]]:
    """Each input with its events (None for an input that is not a document), in
    input order: here, or on a Dask cluster (the same events either way)."""
    from minewatch.extract import extract_document
    from minewatch.ingest import SourceDoc

    if not workers and not scheduler:
        for item in inputs:
            if not isinstance(item, SourceDoc):
                yield item, None
                continue
            try:
                events = extract_document(item.text, item.meta(), gazetteer=gazetteer)
            except Exception as exc:  # one bad document must not stop the batch
                errors.skip(f"{item.where}: extraction failed: {type(exc).__name__}: {exc}")
                continue
            yield item, events
        return
    from minewatch.extract.parallel import extract_parallel
    from minewatch.scaleout import Failed, dask_client

    def job(item: Any) -> tuple[str, Any] | None:
        return (item.text, item.meta()) if isinstance(item, SourceDoc) else None

    def retry(index: int, attempt: int, reason: str) -> None:
        err.print(f"partition {index + 1} failed ({reason}); retry {attempt}", markup=False)

    try:
        client_cm = dask_client(workers or None, scheduler)
        client = client_cm.__enter__()
    except OSError as e:  # scheduler unreachable, no free port, ...
        raise fail(f"cannot start or reach the Dask cluster: {e}", 2) from e
    try:
        for out in extract_parallel(client, inputs, job, gazetteer=gazetteer, on_retry=retry):
            if isinstance(out, Failed):
                names = [getattr(i, "input_id", str(i)) for i in out.items]
                err.print(
                    f"partition {out.index + 1} ({names[0]} .. {names[-1]}) failed after "
                    f"retries, no events of it stored: {out.reason}",
                    markup=False,
                )
                for item in out.items:
                    errors.skip(f"{getattr(item, 'input_id', item)}: its partition failed")
                    yield item, None
            else:
                yield out
    finally:
        client_cm.__exit__(None, None, None)


@app.command()
def evaluate(
    gold: Annotated[
        list[Path] | None, typer.Argument(help="Gold JSONL files (tests/gold/...).")
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="The development corpus directory (../shared/corpus)."),
    ] = None,
    part: Annotated[
        str, typer.Option("--part", help="Corpus part: tune, check or all (corpus_split.yaml).")
    ] = "all",
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

    Example: minewatch evaluate --corpus ../shared/corpus --part tune
    """
    from minewatch.extract.evaluate import evaluate_files

    gold = gold or []
    if not gold and corpus is None:
        raise fail("give gold files or --corpus DIR", 2)
    for g in gold:
        if not g.is_file():
            raise fail(f"no such gold file: {g}", 2)
    try:
        reports = evaluate_files(gold, seeds_dir=seeds_dir) if gold else []
        if corpus is not None:
            from minewatch.extract.corpus import load_corpus
            from minewatch.extract.evaluate import evaluate_docs

            rep = evaluate_docs(load_corpus(corpus, part)).to_json()
            rep["files"] = [f"{corpus} (part {part})"]
            reports.append(rep)
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
