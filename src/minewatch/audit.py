"""``verify``: everything that proves the store was not altered behind minewatch's back.

Four checks, each reporting mismatches by row:

1. every original re-hashes to its SHA-256 (the document id);
2. the log is an unbroken hash chain, the guard-rail triggers exist, and every
   document, event set, decision, incident set and source-link set equals
   what its last log entry recorded (:mod:`minewatch.store.custody`);
3. every extracted text re-derives from its original — when the recorded text
   extractor version is the running one (otherwise "not compared");
4. every document's events equal a re-extraction of its stored text — when the
   recorded extractor version is the running one (otherwise "not compared": the
   rules change between versions, so an older run may rightly differ).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from minewatch.store import Store
from minewatch.store.custody import CustodyReport, Problem


@dataclass
class VerifyReport:
    """Counts per check and every problem found."""

    originals: int = 0
    custody: CustodyReport = field(default_factory=CustodyReport)
    texts_compared: int = 0
    texts_not_compared: int = 0
    events_compared: int = 0
    events_not_compared: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "originals": self.originals,
            "log_entries": self.custody.entries,
            "log_head": self.custody.head,
            "objects_checked_against_log": self.custody.objects,
            "objects_recorded_before_the_chain": self.custody.unsealed,
            "texts_compared": self.texts_compared,
            "texts_not_compared": self.texts_not_compared,
            "events_compared": self.events_compared,
            "events_not_compared": self.events_not_compared,
            "problems": [p.__dict__ for p in self.problems],
        }


def verify_store(
    store: Store,
    *,
    rederive: bool = True,
    expect_head: str | None = None,
    gazetteer: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> VerifyReport:
    """Run every check on ``store``; ``rederive=False`` skips checks 3 and 4 (fast)."""
    rep = VerifyReport()
    for _meta, bad in store.verify():
        rep.originals += 1
        if bad is not None:
            rep.problems.append(
                Problem(
                    "original",
                    f"document {bad.document_id}",
                    f"recorded SHA-256 {bad.expected}, bytes now hash to {bad.actual}",
                )
            )
    rep.custody = store.custody(expect_head=expect_head)
    rep.problems.extend(rep.custody.problems or [])
    if rederive:
        _rederive(store, rep, gazetteer, progress)
    return rep


def _rederive(
    store: Store, rep: VerifyReport, gazetteer: Any, progress: Callable[[int, int], None] | None
) -> None:
    from minewatch.extract import EXTRACTOR_VERSION, extract_document
    from minewatch.ingest import Refused, rederive_text

    if gazetteer is None:
        from minewatch.geo import load_gazetteer

        gazetteer = load_gazetteer(store=store)
    docs = store.documents()
    for i, meta in enumerate(docs, 1):
        text = store.text_of(meta.id)
        extractor, version = store.text_info(meta.id)
        try:
            again = rederive_text(store.original_of(meta.id), extractor, version)
        except Refused as exc:
            again = None
            rep.problems.append(
                Problem("text", f"document {meta.id}", f"original no longer reads: {exc.reason}")
            )
        if again is None:
            rep.texts_not_compared += 1
        else:
            rep.texts_compared += 1
            if again != text:
                rep.problems.append(
                    Problem(
                        "text",
                        f"document {meta.id}",
                        f"stored text differs from the text {extractor} {version} derives "
                        "from the original",
                    )
                )
        run_version = store.last_extraction_version(meta.id)
        if run_version is not None and run_version == EXTRACTOR_VERSION:
            rep.events_compared += 1
            stored = [_norm(e.to_json()) for _, e in store.events(meta.id)]
            fresh = [_norm(e.to_json()) for e in extract_document(text, meta, gazetteer=gazetteer)]
            if stored != fresh:
                rep.problems.append(
                    Problem(
                        "events",
                        f"events of {meta.id}",
                        f"{len(stored)} stored event(s) differ from a re-extraction "
                        f"({len(fresh)}) with the same extractor version {EXTRACTOR_VERSION} "
                        "(altered, or the metadata or gazetteer changed since)",
                    )
                )
        elif run_version is not None:
            rep.events_not_compared += 1
        if progress is not None:
            progress(i, len(docs))


def _norm(d: dict[str, Any]) -> Any:
    return json.loads(json.dumps(d, sort_keys=True))
