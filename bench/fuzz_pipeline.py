"""Fuzz the whole pipeline: N hostile documents -> ingest -> extract -> corroborate -> verify.

Prints the number of tracebacks (any exception escaping a stage, or a document
whose extraction raised) and of invariant violations; both must be 0.

Invariants checked: each stored original re-hashes; every evidence span lies
inside the stored text; every count has low <= best <= high (where known);
every interval has start <= end; ingesting the same inputs again stores
nothing new; re-extraction never doubles events; ``verify`` (hash chain,
triggers, every object against the log, texts re-derived, events re-extracted)
finds nothing. A subset also goes through the real CLI, whose stderr must hold
no traceback.

    python bench/fuzz_pipeline.py --docs 10000 --seed 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from minewatch.audit import verify_store
from minewatch.ingest import ingest_paths
from minewatch.pipeline import Pipeline
from minewatch.store import Store

PLACES = ["Musan", "Hyesan", "Kaesong", "Cheorwon", "Panmunjom", "Sinuiju", "the DMZ", "Yalu"]
NUMBERS = [
    "two",
    "3",
    "a dozen",
    "dozens of",
    "at least 5",
    "more than 10",
    "about 40",
    "0",
    "zero",
    "99999999999999999999",
    "-4",
    "１２",
    "٣",
    "1e9",
    "several",
    "3 or 4",
    "hundreds of",
]
WHEN = [
    "on Monday",
    "in mid-October",
    "late 2023",
    "since August",
    "last week",
    "on 2024-02-30",
    "in 1899",
    "on 31/12/2023",
    "this past September",
    "",
    "yesterday",
]
VERBS = [
    "were killed by a landmine",
    "were injured when a mine exploded",
    "laid mines",
    "cleared 600 mines",
    "found a wooden box mine",
    "stepped on a mine",
    "said mines may float downstream",
    "denied laying mines",
    "attacked the convoy with mines",
]
HOSTILE = [
    "[/bold]",
    "[x](javascript:alert(1))",
    "$\\frac{ $x^",
    '=HYPERLINK("x")',
    "\u202e",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "<script>alert(1)</script>",
    "\u0301" * 20,
    "🙂" * 5,
    "null",
    "NaN",
    "\\ud800",
    "'; DROP TABLE documents; --",
    "\r\r\n",
    "\t" * 50,
]


def sentence(rng: random.Random) -> str:
    who = rng.choice(["soldiers", "civilians", "defectors", "farmers", "deminers"])
    said = rng.choice(["a source said", "officials said", "police said", ""])
    s = (
        f"{rng.choice(WHEN)} {rng.choice(NUMBERS)} {who} "
        f"{rng.choice(VERBS)} near {rng.choice(PLACES)}, {said}."
    )
    if rng.random() < 0.3:
        s += " " + rng.choice(HOSTILE)
    return s.strip().capitalize()


def article(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 12)))


def html_page(rng: random.Random, body: str) -> str:
    depth = rng.choice([0, 1, 5, 300]) if rng.random() < 0.3 else 1
    inner = "<div>" * depth + f"<p>{body}</p>" + "</div>" * depth
    title = rng.choice(["Mine blast", "[/y] pub", "<b>x</b>", ""])
    return (
        f"<html lang='{rng.choice(['en', 'ko', 'x-bad-tag-123456789'])}'>"
        f"<head><title>{title}</title>"
        f"</head><body><article>{inner}</article></body></html>"
    )


def encode(rng: random.Random, text: str) -> bytes:
    r = rng.random()
    try:
        if r < 0.05:
            return text.encode("utf-16")
        if r < 0.10:
            return text.encode("cp1252", "replace")
        if r < 0.13:
            return text.encode("euc-kr", "replace")
        if r < 0.15:
            return os.urandom(rng.randint(1, 400))  # binary
        if r < 0.17:
            return b""
    except Exception:
        pass
    return text.encode("utf-8", "surrogatepass" if rng.random() < 0.02 else "replace")


def jsonl_line(rng: random.Random, i: int) -> str:
    r = rng.random()
    if r < 0.03:
        return "[" * 50000 + "]" * 50000
    if r < 0.06:
        return '{"id": "x' + str(i) + '", "text": "mine \\ud800", "title": NaN}'
    if r < 0.08:
        return "{not json"
    obj: dict[str, object] = {"id": f"j{i}", "text": article(rng)}
    if rng.random() < 0.5:
        obj["published"] = rng.choice(
            ["2023-11-07", "2023-11", "2024", "2024-02-29T25:99", "２０２４", "", "yesterday"]
        )
    if rng.random() < 0.3:
        obj["title"] = rng.choice([*HOSTILE, "Mines", 3, None, True])
    if rng.random() < 0.1:
        obj = {"id": f"j{i}", "html": html_page(rng, article(rng))}
    return json.dumps(obj, ensure_ascii=rng.random() < 0.5)


def make_corpus(root: Path, n: int, rng: random.Random) -> None:
    files = root / "files"
    files.mkdir()
    n_jsonl = n // 5
    n_files = n - n_jsonl
    for i in range(n_files):
        sub = files / f"d{i % 50:02d}"
        sub.mkdir(exist_ok=True)
        if rng.random() < 0.25:
            (sub / f"{i:05d}.html").write_bytes(encode(rng, html_page(rng, article(rng))))
        else:
            name = f"{i:05d}.txt" if rng.random() > 0.01 else f"{i:05d} [bold] $x$.txt"
            (sub / name).write_bytes(encode(rng, article(rng)))
    per_file = 500
    for k in range(0, n_jsonl, per_file):
        lines = [jsonl_line(rng, k + j) for j in range(min(per_file, n_jsonl - k))]
        (files / f"batch{k:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sidecar = ["file,publisher,published,confidential"]
    for i in range(0, n_files, 7):
        pub = rng.choice(["Daily NK", "RFA", "[/z]"])
        sidecar.append(f"{i:05d}.txt,{pub},2023-11-07,{rng.choice(['', 'yes'])}")
    (files / "d00" / "sources.csv").write_text("\n".join(sidecar) + "\n", encoding="utf-8")


def check_invariants(store: Store) -> list[str]:
    bad: list[str] = []
    texts: dict[str, str] = {}
    for meta, ev in store.events():
        text = texts.setdefault(meta.id, store.text_of(meta.id))
        for e in ev.evidence:
            if not 0 <= e.start <= e.end <= len(text):
                bad.append(f"{meta.input_id} {ev.id}: evidence {e.start}-{e.end} outside text")
        for name in ("killed", "injured", "casualties"):
            c = getattr(ev, name)
            if c is None:
                continue
            lo, best, hi = c.low, c.best, c.high
            if best is not None and lo is not None and lo > best:
                bad.append(f"{meta.input_id} {ev.id}: {name} low > best")
            if best is not None and hi is not None and best > hi:
                bad.append(f"{meta.input_id} {ev.id}: {name} best > high")
        if ev.when.start and ev.when.end and ev.when.start > ev.when.end:
            bad.append(f"{meta.input_id} {ev.id}: when start > end")
    return bad


def run_cli_subset(root: Path, db: Path) -> int:
    """The real CLI on one directory of the corpus: count tracebacks on stderr."""
    main = "from minewatch.cli import main; main()"
    tracebacks = 0
    for args in (
        ["ingest", str(root / "files" / "d01"), "--db", str(db)],
        ["extract", str(root / "files" / "d02"), "--db", str(db)],
        ["extract", "--stored", "--db", str(db)],
        ["verify", "--db", str(db)],
        ["incidents", "--db", str(db)],
        ["log", "--db", str(db), "--limit", "5"],
    ):
        p = subprocess.run([sys.executable, "-c", main, *args], capture_output=True, text=True)
        if "Traceback" in p.stderr:
            tracebacks += 1
            print(f"TRACEBACK in minewatch {' '.join(args[:1])}:\n{p.stderr[-2000:]}")
    return tracebacks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the corpus and db here.")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="mw-fuzz-")) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    tracebacks = 0
    violations: list[str] = []
    t0 = time.process_time()
    make_corpus(tmp, args.docs, rng)
    store = Store.open(tmp / "fuzz.db")
    pipe = Pipeline(store=store, who="fuzz")
    stages: dict[str, float] = {}

    def stage(name: str, fn):  # type: ignore[no-untyped-def]
        nonlocal tracebacks
        start, wall = time.process_time(), time.perf_counter()
        try:
            return fn()
        except Exception:
            tracebacks += 1
            print(f"TRACEBACK in {name}:\n{traceback.format_exc()}")
            return None
        finally:
            stages[name] = time.process_time() - start
            print(f"  {name}: {time.perf_counter() - wall:.1f} s wall", flush=True)

    first = stage("ingest", lambda: ingest_paths([str(tmp / "files")], store, who="fuzz"))
    if first is not None:
        print(f"ingest: {first.summary()}")
        inputs = len(first.results) + len(first.errors)
        print(f"inputs (documents and refused lines/files): {inputs}")
    summary = stage("extract", pipe.extract)
    if summary is not None:
        print(f"extract: {summary.documents} documents, {summary.events} events")
        for where, why in summary.failed:
            tracebacks += 1
            print(f"TRACEBACK-equivalent in extract of {where}: {why}")
    stage("corroborate", pipe.corroborate)
    again = stage("re-ingest", lambda: ingest_paths([str(tmp / "files")], store, who="fuzz"))
    if again is not None and again.added:
        violations.append(f"re-ingest stored {again.added} new documents")
    n_events = len(store.events())
    stage("re-extract", pipe.extract)
    if len(store.events()) != n_events:
        violations.append("re-extraction changed the number of events")
    violations += stage("invariants", lambda: check_invariants(store)) or []
    rep = stage("verify", lambda: verify_store(store, gazetteer=pipe.gazetteer))
    if rep is not None:
        violations += [f"verify: {p}" for p in rep.problems]
        print(
            f"verify: {rep.originals} originals, {rep.custody.entries} log entries, "
            f"{rep.texts_compared} texts re-derived, {rep.events_compared} event sets re-extracted"
        )
    store.close()
    tracebacks += run_cli_subset(tmp, tmp / "cli.db")
    for v in violations[:50]:
        print(f"VIOLATION {v}")
    print("CPU seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
    cpu = time.process_time() - t0
    print(f"documents generated: {args.docs} (seed {args.seed}); total CPU {cpu:.1f} s")
    print(f"tracebacks: {tracebacks}")
    print(f"invariant violations: {len(violations)}")
    sys.exit(1 if tracebacks or violations else 0)


if __name__ == "__main__":
    main()
