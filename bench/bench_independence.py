"""Benchmark: source independence on documents that share boilerplate.

Generates documents from many sites. Every document of a site carries the
site's header and footer (about 90 words: "Listen to this article", a
newsletter line, a copyright and "Related posts" block), and every document
of every site a common publisher line (a wire agency's credit, 20 words).
Then a body of its own (about 150 words). Every tenth document is a wire copy
of the one before it on another site: the same body with about one word in
twenty changed. Boilerplate is not evidence of rewriting, so the planted
copies are the only links that should be found.

Each size runs ``analyse_sources`` (attributions, shared quotations, the
boilerplate filter, near-duplicate passages) in a fresh process and reports
wall and CPU time, peak RSS (``ru_maxrss``; the interpreter with minewatch
imported is about 90 MB), the derivative links found, the planted copies
among them and the links that are not planted.

    python bench/bench_independence.py --sizes 1000,10000,100000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time

from minewatch.model import DocumentMeta

DOCS_PER_SITE = 50


def _words(rng: random.Random, vocab: list[str], k: int) -> str:
    return " ".join(rng.choice(vocab) for _ in range(k))


def generate(n: int) -> tuple[list[DocumentMeta], dict[str, str], set[tuple[str, str]]]:
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(20000)]
    sites = max(3, n // DOCS_PER_SITE)
    heads = [f"Listen to this article. {_words(rng, vocab, 30)}." for _ in range(sites)]
    feet = [
        f"Subscribe to our newsletter. {_words(rng, vocab, 25)}.\n"
        f"Copyright {_words(rng, vocab, 12)}. All rights reserved.\n"
        f"Related posts: {_words(rng, vocab, 20)}."
        for _ in range(sites)
    ]
    wire = f"Reporting by the agency desk; {_words(rng, vocab, 16)}."
    metas: list[DocumentMeta] = []
    texts: dict[str, str] = {}
    bodies: list[str] = []
    planted: set[tuple[str, str]] = set()
    for i in range(n):
        site = i % sites
        if i % 10 == 1:  # a wire copy of the previous document, lightly edited
            toks = bodies[-1].split()
            for k in range(0, len(toks), 20):
                toks[k] = rng.choice(vocab)
            body = " ".join(toks)
            planted.add((f"d{i}", f"d{i - 1}"))
        else:
            body = ". ".join(_words(rng, vocab, 15) for _ in range(10)) + "."
        bodies.append(body)
        texts[f"d{i}"] = f"{heads[site]}\n\n{body}\n\n{wire}\n{feet[site]}"
        metas.append(
            DocumentMeta(
                f"d{i}",
                f"d{i}",
                publisher=f"Site {site}",
                published=f"2024-{1 + i % 12:02d}-{1 + (i // 12) % 28:02d}",
                url=f"https://site{site}.example/news/{i}",
            )
        )
    return metas, texts, planted


def run(n: int) -> dict[str, object]:
    from minewatch.corroborate.sources import analyse_sources

    metas, texts, planted = generate(n)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    w, c = time.perf_counter(), time.process_time()
    analysis = analyse_sources(metas, texts)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    links = {(lk.doc, lk.other) for lk in analysis.derived}
    return {
        "documents": n,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "before_mb": round(base, 1),
        "links": len(links),
        "planted": len(planted),
        "planted_found": len(links & planted),
        "other_links": len(links - planted),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run(args.one)))
        return
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start", flush=True)
    prev: dict[str, object] | None = None
    for n in (int(s) for s in args.sizes.split(",")):
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        growth = ""
        if prev:
            above = row["peak_mb"] - row["before_mb"]
            above_prev = max(prev["peak_mb"] - prev["before_mb"], 1e-9)  # type: ignore[operator]
            growth = (
                f"  x{row['documents'] / prev['documents']:.0f} docs -> "  # type: ignore[operator]
                f"x{row['cpu_s'] / max(prev['cpu_s'], 1e-9):.1f} CPU, "  # type: ignore[type-var,operator]
                f"x{above / above_prev:.1f} memory above the input"
            )
        print(
            f"{row['documents']:>8,} documents  {row['wall_s']:>7.1f}s ({row['cpu_s']:.1f}s CPU)  "
            f"peak {row['peak_mb']:.0f} MB (input generated: {row['before_mb']:.0f} MB)  "
            f"links {row['links']:,}: planted {row['planted_found']:,}/{row['planted']:,}, "
            f"other {row['other_links']:,}{growth}",
            flush=True,
        )
        prev = row


if __name__ == "__main__":
    main()
