"""Benchmark extraction: documents/second and peak memory on a generated corpus, and
date extraction (accuracy and speed) against ``dateparser.search_dates`` on the same texts.

Run: python bench/bench_extract.py [--docs 10000] [--runs 3] [--date-docs 300] [--gazetteer]
     python bench/bench_extract.py --corpus ../shared/corpus [--docs 10000] [--screen 100000]

With ``--corpus``: the development corpus texts (real reporting, rewritten) replicated to
``--docs`` documents, extracted with the packaged gazetteer; screening throughput on news
with no mine mention (``--screen`` generated articles of filler prose); and
``dateparser.search_dates`` on the corpus texts, with the ratio to extraction printed.

The corpus is generated here (seeded, ~600 words per article): filler news prose plus
a few landmine sentences with planted time expressions whose intervals are known. It is
streamed (memory stays flat); the time spent generating it is measured apart and left out
of the throughput, which counts only ``extract_document``. Throughput is CPU time
(``time.process_time``): on a shared machine wall-clock time mostly measures the other
jobs. Each run goes over the whole corpus; the best of ``--runs`` is reported.
Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from minewatch.extract import extract_document
from minewatch.extract.dates import DateFinder, parse_published
from minewatch.extract.places import PlaceFinder
from minewatch.extract.rules import load_rules
from minewatch.model import DocumentMeta

FILLER = [
    "The talks between the two governments stalled again over questions of trade and aid.",
    "Analysts in the capital said the economy had weakened as prices of rice and fuel rose.",
    "Local officials have tightened controls on travel between the border towns this season.",
    "Residents described long queues at markets and a shortage of medicine in the hospitals.",
    "The ministry published new figures on exports that surprised several foreign observers.",
    "A spokesperson declined to comment on the reports when contacted by telephone.",
    "Diplomats expect another round of meetings to take place before the end of the talks.",
    "The river that marks the frontier has risen after heavy rain in the mountains upstream.",
    "Farmers in the valley say the harvest was poor and that they fear a hard winter ahead.",
    "Satellite images show new construction near several guard posts along the fence line.",
]
PLACES = ["Musan", "Hyesan", "Sinuiju", "Kaesong", "Cheorwon", "Battambang", "Kharkiv"]
VICTIMS = ["soldiers", "civilians", "farmers", "would-be defectors", "children", "deminers"]
COUNTS = ["two", "three", "five", "several", "about a dozen", "at least 4", "dozens of"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def planted_time(rng: random.Random, pub: date) -> tuple[str, date, date]:
    """A time expression and the interval it means, relative to ``pub``."""
    kind = rng.randrange(7)
    if kind == 0:
        d = pub - timedelta(days=rng.randrange(1, 300))
        return f"on {d.day} {MONTHS[d.month - 1]} {d.year}", d, d
    if kind == 1:
        m = rng.randrange(1, pub.month + 1)
        start = date(pub.year, m, 1)
        end = (date(pub.year + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)
        return f"in {MONTHS[m - 1]}", start, end
    if kind == 2:
        m = rng.randrange(1, 13)
        y = pub.year - 1
        part, (a, b) = rng.choice([("early", (1, 10)), ("mid", (11, 20)), ("late", (21, 28))])
        end_day = b if part != "late" else (date(y + (m == 12), m % 12 + 1, 1) - timedelta(1)).day
        return f"in {part}-{MONTHS[m - 1]} {y}", date(y, m, a), date(y, m, end_day)
    if kind == 3:
        y = pub.year - rng.randrange(1, 10)
        return f"in {y}", date(y, 1, 1), date(y, 12, 31)
    if kind == 4:
        back = (pub.weekday() - 0) % 7
        d = pub - timedelta(days=back)
        return "on Monday", d, d
    if kind == 5:
        y = pub.year - 1
        return f"in late {y}", date(y, 9, 1), date(y, 12, 31)
    d = pub - timedelta(days=1)
    return "yesterday", d, d


def article(rng: random.Random, i: int) -> tuple[str, str, list[tuple[str, date, date]]]:
    pub = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1800))
    planted: list[tuple[str, date, date]] = []
    sents: list[str] = []
    while sum(len(s.split()) for s in sents) < 600:
        r = rng.random()
        if r < 0.12:
            expr, a, b = planted_time(rng, pub)
            planted.append((expr, a, b))
            sents.append(
                f"{rng.choice(COUNTS).capitalize()} {rng.choice(VICTIMS)} were injured by a "
                f"landmine near {rng.choice(PLACES)} {expr}, a local source said."
            )
        elif r < 0.18:
            expr, a, b = planted_time(rng, pub)
            planted.append((expr, a, b))
            sents.append(f"Troops began laying mines along the river {expr}, officials said.")
        else:
            sents.append(rng.choice(FILLER))
    paras = [" ".join(sents[k : k + 4]) for k in range(0, len(sents), 4)]
    return "\n\n".join(paras), pub.isoformat(), planted


def corpus(n: int, seed: int = 7) -> Iterator[tuple[str, str, list[tuple[str, date, date]]]]:
    rng = random.Random(seed)
    for i in range(n):
        yield article(rng, i)


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_throughput(n: int, gazetteer: bool, runs: int = 3) -> None:
    geo = None if gazetteer else PlaceFinder()
    extract_document("A landmine killed two soldiers.", DocumentMeta("x", "x"), gazetteer=geo)
    gc.collect()
    marks = {n // 10, n // 2, n}
    best_cpu = best_wall = float("inf")
    for run in range(1, runs + 1):
        words = events = 0
        cpu = wall = 0.0
        g0 = time.process_time()
        for i, (text, pub, _) in enumerate(corpus(n), 1):
            words += len(text.split())
            meta = DocumentMeta(id=f"sha256:{i}", input_id=str(i), published=pub)
            c0, t0 = time.process_time(), time.perf_counter()
            events += len(extract_document(text, meta, gazetteer=geo))
            cpu += time.process_time() - c0
            wall += time.perf_counter() - t0
            if run == 1 and i in marks:
                print(
                    f"  {i:>6} docs  {i / wall:7.1f} docs/s wall  {i / cpu:7.1f} docs/s CPU  "
                    f"peak RSS {maxrss_mb():6.1f} MB"
                )
        generating = time.process_time() - g0 - cpu
        print(
            f"  run {run}: {n / cpu:.1f} docs/s CPU, {n / wall:.1f} docs/s wall "
            f"(generating the corpus took another {generating:.1f} s CPU)"
        )
        best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
    print(
        f"throughput ({'packaged gazetteer' if gazetteer else 'no gazetteer'}): {n} docs, "
        f"{words / n:.0f} words/doc, {events} events; best of {runs} runs: "
        f"{n / best_cpu:.1f} docs/s of CPU time ({words / best_cpu / 1000:.0f}k words/s), "
        f"{n / best_wall:.1f} docs/s wall clock"
    )


def bench_dates(n: int) -> None:
    import dateparser.search

    finder = DateFinder(load_rules())
    docs = list(corpus(n, seed=11))
    total = sum(len(p) for _, _, p in docs)

    def score(found: list[tuple[str, int, int, date | None, date | None]], text: str, planted):  # type: ignore[no-untyped-def]
        right = spurious = 0
        spans = []
        pos = 0
        for expr, a, b in planted:
            k = text.find(expr, pos)
            spans.append((k, k + len(expr), a, b))
            pos = k + 1
        hit = [False] * len(spans)
        for _, s, e, fa, fb in found:
            ok = False
            for j, (ps, pe, a, b) in enumerate(spans):
                if s < pe and ps < e:
                    ok = True
                    if not hit[j] and fa is not None and fb is not None and fa == a and fb == b:
                        hit[j] = True
            if not ok:
                spurious += 1
        right = sum(hit)
        return right, spurious

    # ours
    t0 = time.perf_counter()
    ours = []
    for text, pub, _ in docs:
        tes = finder.find(text, parse_published(pub), None)
        ours.append(
            [
                (
                    text[t.start : t.end],
                    t.start,
                    t.end,
                    date.fromisoformat(t.when.start) if t.when.start else None,
                    date.fromisoformat(t.when.end) if t.when.end else None,
                )
                for t in tes
            ]
        )
    t_ours = time.perf_counter() - t0
    # dateparser.search_dates (a point in time; right when it falls in our interval)
    t0 = time.perf_counter()
    theirs = []
    for text, pub, _ in docs:
        base = datetime.fromisoformat(pub)
        res = dateparser.search.search_dates(
            text,
            languages=["en"],
            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"},
        )
        items = []
        pos = 0
        for s, dt in res or []:
            k = text.find(s, pos)
            pos = max(pos, k)
            items.append((s, k, k + len(s), dt.date(), dt.date()))
        theirs.append(items)
    t_theirs = time.perf_counter() - t0

    def rate(results, point: bool):  # type: ignore[no-untyped-def]
        right = spur = 0
        for (text, _, planted), found in zip(docs, results, strict=True):
            if point:  # a single date is right when it lies inside the planted interval
                adj = []
                for s, a, b, fa, _ in found:
                    iv = next(
                        (
                            (pa, pb)
                            for expr, pa, pb in planted
                            if fa is not None and pa <= fa <= pb and expr in text[a - 5 : b + 5]
                        ),
                        None,
                    )
                    adj.append((s, a, b, iv[0] if iv else fa, iv[1] if iv else None))
                found = adj
            r, sp = score(found, text, planted)
            right += r
            spur += sp
        return right, spur

    r1, s1 = rate(ours, False)
    r2, s2 = rate(theirs, True)
    print(f"dates on {n} docs, {total} planted expressions:")
    print(
        f"  minewatch DateFinder    : {r1 / total:6.1%} exact intervals, {s1} spurious, "
        f"{n / t_ours:8.1f} docs/s"
    )
    print(
        f"  dateparser.search_dates : {r2 / total:6.1%} date inside interval, {s2} spurious, "
        f"{n / t_theirs:8.1f} docs/s"
    )


def corpus_texts(corpus_dir: str) -> list[tuple[str, str | None]]:
    """(text, published) of every development-corpus document (read in place)."""
    import json
    from pathlib import Path

    out: list[tuple[str, str | None]] = []
    for name in ("dev-asia.jsonl", "dev-mea.jsonl", "dev-euam.jsonl"):
        for line in (Path(corpus_dir) / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append((d["text"], d.get("published")))
    return out


def bench_corpus(corpus_dir: str, n: int, runs: int, screen: int) -> None:
    from minewatch.geo import load_gazetteer

    texts = corpus_texts(corpus_dir)
    geo = load_gazetteer()
    extract_document(
        "A landmine killed two soldiers in Kandahar.", DocumentMeta("x", "x"), gazetteer=geo
    )
    gc.collect()
    words = sum(len(texts[i % len(texts)][0].split()) for i in range(n))
    best = float("inf")
    events = 0
    for run in range(1, runs + 1):
        cpu = 0.0
        events = 0
        for i in range(n):
            text, pub = texts[i % len(texts)]
            meta = DocumentMeta(id=f"sha256:{i}", input_id=str(i), published=pub)
            c0 = time.process_time()
            events += len(extract_document(text, meta, gazetteer=geo))
            cpu += time.process_time() - c0
        print(f"  run {run}: {n / cpu:.1f} docs/s CPU")
        best = min(best, cpu)
    print(
        f"corpus throughput (packaged gazetteer): {len(texts)} texts replicated to {n} docs, "
        f"{words / n:.0f} words/doc, {events} events; best of {runs}: {n / best:.1f} docs/s "
        f"of CPU time (one core), {words / best / 1000:.0f}k words/s; peak RSS {maxrss_mb():.0f} MB"
    )
    # screening: news that never mentions a mine (the document gate rejects it)
    rng = random.Random(11)
    news = [" ".join(rng.choice(FILLER) for _ in range(40)) for _ in range(200)]
    c0 = time.process_time()
    kept = 0
    for i in range(screen):
        kept += len(extract_document(news[i % len(news)], DocumentMeta("x", "x"), gazetteer=geo))
    sc = time.process_time() - c0
    print(
        f"screening: {screen} articles with no mine mention ({len(news[0].split())} words "
        f"each), {kept} events: {screen / sc:,.0f} docs/s of CPU time"
    )
    # dateparser.search_dates on the same corpus texts, for scale
    from dateparser.search import search_dates

    sample = texts[: min(len(texts), 60)]
    c0 = time.process_time()
    for text, _ in sample:
        search_dates(text, languages=["en"])
    dp = time.process_time() - c0
    ours = n / best
    theirs = len(sample) / dp
    print(
        f"dateparser.search_dates on {len(sample)} corpus texts: {theirs:.1f} docs/s of CPU "
        f"time; minewatch's whole extraction is {ours / theirs:.1f}x faster than search_dates alone"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", help="../shared/corpus: time on the development corpus texts")
    ap.add_argument("--screen", type=int, default=100_000, help="no-mine articles to screen")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3, help="passes over the corpus; best reported")
    ap.add_argument("--date-docs", type=int, default=300)
    ap.add_argument("--gazetteer", action="store_true", help="also time with the gazetteer")
    args = ap.parse_args()
    if args.corpus:
        bench_corpus(args.corpus, args.docs, args.runs, args.screen)
        return
    bench_throughput(args.docs, gazetteer=False, runs=args.runs)
    if args.gazetteer:
        bench_throughput(args.docs, gazetteer=True, runs=args.runs)
    if args.date_docs:
        bench_dates(args.date_docs)


if __name__ == "__main__":
    main()
