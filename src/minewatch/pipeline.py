"""The whole path, documents -> ingest -> extract -> corroborate, over one store.

Resources are passed in (``Pipeline(store=..., gazetteer=...)``) so tests use
small in-memory ones. Every step can be re-run: extraction replaces a
document's events, corroboration rebuilds incidents and re-applies human
decisions; nothing is duplicated and no human decision is undone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minewatch.model import Incident
from minewatch.store import Store, default_who


@dataclass
class ExtractSummary:
    documents: int = 0
    events: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


class Pipeline:
    """Run minewatch's stages against one store.

    Args:
        store: the evidence store all stages read and write.
        gazetteer: a loaded gazetteer (``minewatch.geo.load_gazetteer()``); None
            loads the default one (with the store's user places) on first use.
        who: recorded in the audit log for every change.
    """

    def __init__(self, *, store: Store, gazetteer: Any = None, who: str | None = None) -> None:
        self.store = store
        self._gazetteer = gazetteer
        self.who = who or default_who()

    @property
    def gazetteer(self) -> Any:
        if self._gazetteer is None:
            from minewatch.geo import load_gazetteer

            self._gazetteer = load_gazetteer(store=self.store)
        return self._gazetteer

    def ingest(self, paths: Sequence[str | Path], **options: Any) -> Any:
        """Store the documents under ``paths``; see :func:`minewatch.ingest.ingest_paths`."""
        from minewatch.ingest import ingest_paths

        return ingest_paths(paths, self.store, who=self.who, **options)

    def extract(
        self,
        document_ids: Sequence[str] | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> ExtractSummary:
        """(Re-)extract events of the given (default: all) stored documents."""
        from minewatch.extract import EXTRACTOR_VERSION, extract_document

        docs = self.store.documents()
        if document_ids is not None:
            wanted = set(document_ids)
            docs = [d for d in docs if d.id in wanted]
        summary = ExtractSummary()
        for i, meta in enumerate(docs, 1):
            try:
                events = extract_document(
                    self.store.text_of(meta.id), meta, gazetteer=self.gazetteer
                )
            except Exception as exc:  # one bad document must not stop the batch
                summary.failed.append((meta.input_id, f"{type(exc).__name__}: {exc}"))
                continue
            self.store.replace_events(meta.id, events, EXTRACTOR_VERSION, who=self.who)
            summary.documents += 1
            summary.events += len(events)
            if progress is not None:
                progress(i, len(docs))
        return summary

    def corroborate(self) -> list[Incident]:
        """Rebuild incidents from all stored events, re-applying human decisions."""
        from minewatch.corroborate import corroborate_store

        return list(corroborate_store(self.store, gazetteer=self.gazetteer, who=self.who))
