"""Benchmark corroboration at 10k / 100k / 1M generated events.

Each size runs in a fresh subprocess (so peak memory is its own). Events are
generated from known incidents — by default (``--world scaled``) one country
of 12 provinces x 40 towns per 5,000 events over 30 years, so density stays
constant; ``--world fixed`` keeps 200 countries, so more events means denser
data, the harder case for blocking — each incident reported by 1-4 documents
with their own precision of time and place, count wording and victim details.

Modes:
  cluster  Event objects are generated one at a time and reduced to records
           (``make_record``), then clustered (``cluster_records``): the part
           whose cost could grow faster than linearly.
  full     (default) the whole ``corroborate()`` call (fields, sources,
           confidence, incident ids) on a list of (DocumentMeta, Event) pairs;
           the result of each run is freed before the next.
  sources  source analysis alone (attributions, shared quotes, MinHash LSH
           near-duplicates) on N generated texts of 600 words, one in ten a
           rewrite of another (sizes are numbers of documents here).

Prints the best of ``--repeat`` runs (wall and process CPU time, each the
minimum), peak RSS and the RSS of the input alone (generated events, before
corroboration), the load average before/after, comparisons, the growth ratio
between sizes and, as a sanity check, pairwise P/R/F1 against the generating
incidents.

Usage: python bench/bench_corroborate.py [--sizes 10000,100000,1000000] [--mode full]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

from minewatch.model import Count, DocumentMeta, Event, Place, When

TYPES = ["casualty"] * 5 + ["emplacement"] * 2 + ["clearance", "displacement", "discovery"]
COUNTRIES = 200  # the fixed world; --world scaled uses one country per 5,000 events
ADMIN1 = 12
TOWNS = 40
YEARS = 30
DAY0 = date(1995, 1, 1).toordinal()


def _town(rng: random.Random, c: int, a: int, t: int) -> Place:
    # deterministic coordinates per town: provinces ~100 km apart, towns spread inside
    lat = -40 + (c % 20) * 4 + (a % 4) * 0.9 + (t % 8) * 0.1
    lon = -150 + (c // 20) * 30 + (a // 4) * 1.0 + (t // 8) * 0.15
    return Place(
        text=f"T{c}-{a}-{t}",
        name=f"T{c}-{a}-{t}",
        place_id=f"t{c}-{a}-{t}",
        country=f"C{c:03d}",
        admin1=f"A{c}-{a}",
        lat=lat,
        lon=lon,
        precision=1,
    )


def _when(rng: random.Random, d: int) -> When:
    r = rng.random()
    if r < 0.45:
        if rng.random() < 0.05:
            d += rng.choice((-1, 1))
        iso = date.fromordinal(d).isoformat()
        return When(iso, iso, "day", "")
    if r < 0.6:
        s = d - rng.randint(0, 6)
        return When(date.fromordinal(s).isoformat(), date.fromordinal(s + 6).isoformat(), "week")
    dd = date.fromordinal(d)
    first = dd.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if r < 0.75:
        lo, hi = ((1, 10), (11, 20), (21, last.day))[min(2, (dd.day - 1) // 10)]
        return When(dd.replace(day=lo).isoformat(), dd.replace(day=hi).isoformat(), "month_part")
    if r < 0.92:
        return When(first.isoformat(), last.isoformat(), "month")
    if r < 0.97:
        return When(f"{dd.year}-01-01", f"{dd.year}-12-31", "year")
    return When(None, None, "unknown")


def _count(rng: random.Random, n: int) -> Count:
    r = rng.random()
    if r < 0.7:
        return Count.exact(n)
    if r < 0.85:
        return Count(n, n, None)  # at least n
    if r < 0.95:
        return Count(int(0.85 * n), n, -(-115 * n // 100))  # about n
    return Count(2, None, None)  # several / multiple


def generate(
    n_events: int, seed: int = 1, countries: int = COUNTRIES
) -> Iterator[tuple[DocumentMeta, Event, int]]:
    """(document, event, true incident number) until ``n_events`` are made."""
    rng = random.Random(seed)
    made = incident = 0
    while made < n_events:
        incident += 1
        c, a, t = rng.randrange(countries), rng.randrange(ADMIN1), rng.randrange(TOWNS)
        town = _town(rng, c, a, t)
        d = DAY0 + rng.randrange(365 * YEARS)
        typ = rng.choice(TYPES)
        victims = rng.choice(["civilian", "civilian", "military", "deminer"])
        killed = rng.choice([None, 1, 1, 2, 3, 5])
        injured = rng.choice([None, 1, 2, 4])
        for _ in range(min(n_events - made, rng.choice((1, 1, 2, 2, 3, 4)))):
            made += 1
            r = rng.random()
            if r < 0.6:
                place = Place(**{**town.__dict__, "precision": rng.choice((1, 2))})
            elif r < 0.9:
                place = Place(
                    text=town.admin1 or "",
                    name=town.admin1,
                    place_id=f"a{c}-{a}",
                    country=town.country,
                    admin1=town.admin1,
                    precision=4,
                )
            else:
                place = Place(text=town.country or "", country=town.country, precision=6)
            ev = Event(
                id="e1",
                type=typ,
                when=_when(rng, d),
                where=[place],
                victims=victims if rng.random() < 0.8 else None,
            )
            if typ == "casualty":
                ev.killed = None if killed is None else _count(rng, killed)
                ev.injured = None if injured is None else _count(rng, injured)
            pub = date.fromordinal(d + rng.randint(0, 40)).isoformat()
            meta = DocumentMeta(id=f"sha256:{made:064x}", input_id=f"doc{made}", published=pub)
            yield meta, ev, incident


def pairwise(truth: list[int], pred: list[int]) -> tuple[float, float, float]:
    """Pairwise P/R/F1 from contingency counts (no pair enumeration)."""

    def pairs(counter: Counter[object]) -> int:
        return sum(v * (v - 1) // 2 for v in counter.values())

    both = pairs(Counter(zip(truth, pred, strict=True)))
    p_pairs = pairs(Counter(pred))
    t_pairs = pairs(Counter(truth))
    p = both / p_pairs if p_pairs else 1.0
    r = both / t_pairs if t_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_sources(n: int) -> dict[str, object]:
    from minewatch.corroborate.sources import analyse_sources

    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(5000)]

    def text(k: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(k)) + "."

    texts: dict[str, str] = {}
    metas = []
    for i in range(n):
        t = text(600)
        if i % 10 == 1:  # a rewrite: the start of the previous text, then its own words
            t = texts[f"d{i - 1}"][:1500] + " " + text(300)
        texts[f"d{i}"] = t
        metas.append(DocumentMeta(f"d{i}", f"d{i}", publisher=f"P{i}", published="2024"))
    w, c = time.perf_counter(), time.process_time()
    analysis = analyse_sources(metas, texts)
    return {
        "events": n,
        "mode": "sources",
        "incidents": 0,
        "true_incidents": n // 10,
        "comparisons": len(analysis.derived),
        "generate_s": 0.0,
        "corroborate_s": round(time.perf_counter() - w, 3),
        "corroborate_cpu_s": round(time.process_time() - c, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "pairwise_f1": len(analysis.derived) / max(1, n // 10),
    }


def _rss_mb() -> float:
    """Current resident memory (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(n: int, mode: str, world: str, repeat: int = 1) -> dict[str, object]:
    from minewatch.corroborate import corroborate
    from minewatch.corroborate.cluster import cluster_records, gc_paused
    from minewatch.corroborate.compat import Matcher
    from minewatch.corroborate.records import locate_in_documents, make_record

    countries = COUNTRIES if world == "fixed" else max(2, n // 5000)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    truth: list[int] = []
    walls: list[float] = []
    cpus: list[float] = []
    phases: list[dict[str, float]] = []
    if mode == "cluster":
        recs = []
        with gc_paused():  # as corroborate() does
            for i, (meta, ev, inc) in enumerate(generate(n, countries=countries)):
                recs.append(make_record(i, meta, ev))
                truth.append(inc)
            locate_in_documents(recs)  # as corroborate() does (unplaced reports)
        gen_s = time.perf_counter() - t0
        input_mb = _rss_mb()
        for _ in range(repeat):  # the fastest of `repeat` runs: less noise from other work
            w, c = time.perf_counter(), time.process_time()
            res = cluster_records(recs, Matcher())
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        pred = res.cluster_of(len(recs))
        for i, cids in res.mentions.items():
            pred[i] = cids[0]
        n_inc, comparisons = len(res.clusters), res.comparisons
    else:
        items = []
        for meta, ev, inc in generate(n, countries=countries):
            items.append((meta, ev))
            truth.append(inc)
        gen_s = time.perf_counter() - t0
        gc.collect()
        input_mb = _rss_mb()  # the input events themselves, before corroboration
        pred = []
        for k in range(repeat):
            w, c = time.perf_counter(), time.process_time()
            out = corroborate(items)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
            if k == 0:
                where: dict[str, int] = {}
                for j, inc_ in enumerate(out.incidents):
                    for m in inc_.members:
                        where.setdefault(m.event_key, j)
                pred = [where[f"{meta.id}#{ev.id}"] for meta, ev in items]
                n_inc, comparisons = len(out.incidents), out.clustering.comparisons
                del where
            phases.append(out.timings)
            del out  # the next run starts from the same memory
            gc.collect()
    p, r, f = pairwise(truth, pred)
    peak = _peak_mb()
    return {
        "events": n,
        "mode": mode,
        "world": world,
        "countries": countries,
        "incidents": n_inc,
        "true_incidents": len(set(truth)),
        "comparisons": comparisons,
        "generate_s": round(gen_s, 2),
        "corroborate_s": round(min(walls), 3),
        "corroborate_cpu_s": round(min(cpus), 3),
        "repeat": repeat,
        "input_mb": round(input_mb, 1),
        "peak_mb": round(peak, 1),
        "own_peak_mb": round(peak - input_mb, 1),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        # CPU seconds per phase, of the fastest run
        "phases": phases[cpus.index(min(cpus))] if phases else {},
        "pairwise_p": round(p, 4),
        "pairwise_r": round(r, 4),
        "pairwise_f1": round(f, 4),
    }


def _default_repeat(n: int) -> int:
    # small sizes are quick and the noisiest (other work on the machine): more runs
    return 9 if n <= 10_000 else 5 if n <= 100_000 else 3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--mode", choices=("cluster", "full", "sources"), default="full")
    ap.add_argument("--world", choices=("fixed", "scaled"), default="scaled")
    ap.add_argument(
        "--repeat",
        type=int,
        help="best of N runs (cluster, full); default 9 up to 10k events, 5 up to 100k, else 3",
    )
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        if args.mode == "sources":
            print(json.dumps(run_sources(args.one)))
        else:
            repeat = args.repeat or _default_repeat(args.one)
            print(json.dumps(run_one(args.one, args.mode, args.world, repeat)))
        return
    rows = []
    print(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; "
        f"mode {args.mode}, best of {args.repeat or 'several (9/5/3 by size)'} runs",
        flush=True,
    )
    for n in (int(s) for s in args.sizes.split(",")):
        proc = subprocess.run(
            [
                *(sys.executable, __file__, "--one", str(n), "--mode", args.mode),
                *("--world", args.world),
                *(("--repeat", str(args.repeat)) if args.repeat else ()),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        prev = rows[-2] if len(rows) > 1 else None
        row = rows[-1]
        ratio = ""
        if prev:
            ratio = (
                f"  x{row['events'] / prev['events']:.0f} events -> "  # type: ignore[operator]
                f"x{row['corroborate_s'] / max(prev['corroborate_s'], 1e-9):.1f} time "  # type: ignore[operator]
                f"(x{row['corroborate_cpu_s'] / max(prev['corroborate_cpu_s'], 1e-9):.1f} CPU)"  # type: ignore[operator]
            )
        if args.mode == "sources":
            print(
                f"{row['events']:>9,} documents  {row['comparisons']:,} derivative links "
                f"({row['true_incidents']:,} planted)  source analysis "
                f"{row['corroborate_s']:.1f}s ({row['corroborate_cpu_s']:.1f}s CPU)  "
                f"peak {row['peak_mb']:.0f} MB{ratio.replace('events', 'documents')}",
                flush=True,
            )
            continue
        print(
            f"{row['events']:>9,} events  {row['incidents']:>9,} incidents "
            f"({row['true_incidents']:,} true)  {row['comparisons']:>11,} comparisons  "
            f"generate {row['generate_s']:>7.1f}s  corroborate {row['corroborate_s']:>7.2f}s "
            f"({row['corroborate_cpu_s']:.2f}s CPU, best of {row['repeat']})  "
            f"peak {row['peak_mb']:>6.0f} MB "
            f"(input {row['input_mb']:.0f} MB)  load {row['load'][0]:.1f}-{row['load'][1]:.1f}  "
            f"pairwise F1 {row['pairwise_f1']:.3f}{ratio}",
            flush=True,
        )
        phases = row.get("phases") or {}
        if phases:
            laps = ", ".join(f"{k} {v:.2f}" for k, v in phases.items())  # type: ignore[attr-defined]
            print(f"           CPU s by phase: {laps}", flush=True)


if __name__ == "__main__":
    main()
