"""Where extraction spends its time: wall-clock milliseconds per document for each stage
of ``extract_document`` on the development-corpus texts, with the packaged gazetteer.

Run: python bench/bench_extract_stages.py --corpus ../shared/corpus [--runs 5]

Each stage (a function ``extract_document`` calls by name from ``minewatch.extract``,
the mention finder's ``detect``/``fill``, the date finder, the gazetteer's
``find_places``) is wrapped in a timer; stages that a refactoring renamed are skipped.
The wrappers add a few microseconds per call: read the shares, not the total. This is
the profile to read before optimising (cProfile's per-call overhead inflates the small
Python functions the geoparser and the scans are made of). Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import minewatch.extract as X
from minewatch.extract import events
from minewatch.geo import load_gazetteer
from minewatch.model import DocumentMeta

#: functions of ``minewatch.extract`` that ``extract_document`` calls by name
STAGES = (
    "split_sentences",
    "find_dateline",
    "time_regions",
    "_year_anchors",
    "place_anchors",
    "lead_anchor",
    "admissions",
    "bind_following_times",
    "_fallback_places",
    "build_event",
    "_side_places",
    "_metonym",
)


def _timed(acc: Counter[str], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            acc[name] += time.perf_counter() - t

    return run


def main() -> None:
    from bench_extract import corpus_texts  # same directory

    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, help="../shared/corpus")
    ap.add_argument("--runs", type=int, default=5, help="passes over the corpus texts")
    args = ap.parse_args()
    docs = [
        (text, DocumentMeta(id=f"sha256:{i}", input_id=str(i), published=pub))
        for i, (text, pub) in enumerate(corpus_texts(args.corpus))
    ]
    gaz = load_gazetteer()
    acc: Counter[str] = Counter()
    for name in STAGES:
        if hasattr(X, name):
            setattr(X, name, _timed(acc, name, getattr(X, name)))
    dates, finder = X._engine(X.load_rules())
    for name in ("detect", "fill"):
        if hasattr(finder, name):
            setattr(finder, name, _timed(acc, f"mentions.{name}", getattr(finder, name)))
    dates.find = _timed(acc, "dates.find", dates.find)  # type: ignore[method-assign]
    gaz.find_places = _timed(acc, "gazetteer.find_places", gaz.find_places)  # type: ignore[method-assign]
    assemble = events.Assembler.assemble
    events.Assembler.assemble = _timed(acc, "Assembler.assemble", assemble)  # type: ignore[method-assign]
    for text, meta in docs:  # warm caches
        X.extract_document(text, meta, gazetteer=gaz)
    acc.clear()
    t0 = time.perf_counter()
    for _ in range(args.runs):
        for text, meta in docs:
            X.extract_document(text, meta, gazetteer=gaz)
    total = time.perf_counter() - t0
    n = args.runs * len(docs)
    print(f"{len(docs)} corpus texts x {args.runs}: {total / n * 1000:.3f} ms/doc wall clock")
    for name, secs in acc.most_common():
        print(f"  {name:24s} {secs / n * 1000:7.3f} ms/doc  {100 * secs / total:5.1f}%")
    rest = total - sum(acc.values())
    print(f"  {'(the rest)':24s} {rest / n * 1000:7.3f} ms/doc  {100 * rest / total:5.1f}%")


if __name__ == "__main__":
    main()
