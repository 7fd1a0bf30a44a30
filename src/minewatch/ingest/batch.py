"""Ingest a batch of inputs into the store, one transaction per document."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from minewatch.ingest.read import DEFAULT_MAX_BYTES, iter_inputs, plan_inputs
from minewatch.ingest.records import DocResult, IngestError, IngestReport, SourceDoc


class DocumentStore(Protocol):
    """The part of :class:`minewatch.store.Store` ingestion uses."""

    def add_document(
        self,
        *,
        original: bytes,
        media_type: str,
        input_id: str,
        text: str,
        extractor: str,
        extractor_version: str,
        metadata: dict[str, Any],
        who: str,
        confidential: bool = False,
    ) -> tuple[str, str]: ...


#: Called after each document or error: ``(files done, files total, item)``.
Progress = Callable[[int, int, DocResult | IngestError], None]


def store_document(store: DocumentStore, doc: SourceDoc, *, who: str) -> DocResult:
    """Store one document (the store makes it one transaction) and say what happened."""
    doc_id, status = store.add_document(
        original=doc.original,
        media_type=doc.media_type,
        input_id=doc.input_id,
        text=doc.text,
        extractor=doc.extractor,
        extractor_version=doc.extractor_version,
        metadata=dict(doc.metadata),
        who=who,
        confidential=doc.confidential,
    )
    return DocResult(
        input_id=doc.input_id,
        document_id=doc_id,
        status=status,
        path=doc.path,
        line=doc.line,
        media_type=doc.media_type,
        chars=len(doc.text),
        title=doc.metadata.get("title"),
        confidential=doc.confidential,
    )


def ingest_paths(
    paths: Sequence[str | Path],
    store: DocumentStore,
    *,
    who: str,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    metadata_file: Path | None = None,
    overrides: Mapping[str, str | None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fmt: str = "auto",
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    confidential: bool = False,
) -> IngestReport:
    """Read ``paths`` (see :func:`~minewatch.ingest.read.iter_inputs`) and store each document.

    A failing input or store write is recorded in the report and the batch goes
    on; an interrupt (``KeyboardInterrupt``) propagates after the store has
    rolled back the document being written, so no document is ever half-stored.
    ``confidential`` marks every document of the batch (a sidecar column
    ``confidential`` marks single files).

    Raises:
        MetadataError: ``metadata_file`` or ``overrides`` cannot be used.
    """
    plan = plan_inputs(paths, include=include, exclude=exclude)
    report = IngestReport(skipped=list(plan.skipped))
    total = len(plan.files)
    items = iter_inputs(
        paths,
        metadata_file=metadata_file,
        overrides=overrides,
        max_bytes=max_bytes,
        fmt=fmt,
        stdin=stdin,
        plan=plan,
    )
    for index, item in items:
        result: DocResult | IngestError
        if isinstance(item, SourceDoc):
            item.confidential = item.confidential or confidential
            try:
                result = store_document(store, item, who=who)
            except Exception as exc:  # a store failure fails this document only
                where = item.path or item.input_id
                result = IngestError(where, f"store error: {exc}", line=item.line)
        else:
            result = item
        if isinstance(result, DocResult):
            report.results.append(result)
        else:
            report.errors.append(result)
        if progress is not None:
            progress(index + 1 if index >= 0 else 0, total, result)
    return report
