"""Benchmark the review web app: pages served per second and page weight.

Builds a store with 10,000 incidents (the demo corpus, corroborated, then its
incidents cloned under new ids so every page has real fields, members and
evidence), starts ``minewatch serve`` in a subprocess and requests, one at a
time over keep-alive HTTP from this process, the incident list (first page,
and a filtered, sorted page) and an incident page with three documents.

Prints requests per second (median of --repeat runs of --seconds each), the
median latency, and the weight of each page: its HTML, and HTML plus the
static assets and map data a first visit loads (raw; gzip for reference, the
app does not compress).

Usage: python bench/bench_web.py [--incidents 10000] [--seconds 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from minewatch.demo import demo_corpus_dir, run_pipeline
from minewatch.model import Incident
from minewatch.store import Store
from minewatch.web.auth import hash_password

PASSWORD = "bench password"


def build(db: Path, n: int) -> tuple[str, int]:
    """A store with ``n`` incidents; returns the id of the incident with most
    documents, and their number."""
    store = Store.open(db)
    run_pipeline(store, None, demo_corpus_dir())
    base = store.incidents()
    clones: list[Incident] = []
    for i in range(n):
        inc = copy.deepcopy(base[i % len(base)])
        inc.id = f"{inc.id}-{i:05d}" if i >= len(base) else inc.id
        clones.append(inc)
    store.replace_incidents(clones, who="bench")
    store.add_user("bench", "reviewer", hash_password(PASSWORD), who="bench")
    target = max(base, key=lambda i: len(i.document_ids))
    store.close()
    return target.id, len(target.document_ids)


def login(client: httpx.Client) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, "no sign-in form"
    r = client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf": token[1]})
    assert r.status_code == 200 and "bench (reviewer)" in r.text, r.status_code


def rate(client: httpx.Client, path: str, seconds: float) -> tuple[float, float]:
    """(requests per second, median latency in ms) over ``seconds``."""
    lat: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        r = client.get(path)
        lat.append(time.perf_counter() - t)
        assert r.status_code == 200, (path, r.status_code)
    return len(lat) / sum(lat), statistics.median(lat) * 1000


def weight(client: httpx.Client, path: str) -> tuple[int, int, int]:
    """(HTML bytes, HTML + assets bytes, the same gzipped)."""
    html = client.get(path).content
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+|/map/[^"]+)"', html)
    assets += re.findall(rb'data-basemap="([^"]+)"', html)
    bodies = [html] + [client.get(a.decode()).content for a in dict.fromkeys(assets)]
    return len(html), sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        target, n_docs = build(db, args.incidents)
        print(f"store: {args.incidents} incidents built in {time.perf_counter() - t:.1f} s")
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from minewatch.cli import main; main()",
                "serve",
                "--db",
                str(db),
                "--port",
                str(args.port),
            ],
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            base = f"http://127.0.0.1:{args.port}"
            with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
                for _ in range(200):
                    try:
                        client.get("/login")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                login(client)
                pages = {
                    "incident list (page 1 of 200)": "/incidents",
                    "incident list (casualty, KP, by confidence)": (
                        "/incidents?type=casualty&country=KP&sort=confidence&desc=1"
                    ),
                    f"incident page ({target}, {n_docs} documents)": f"/incidents/{target}",
                }
                client.get("/map/basemap.geojson")  # the basemap is built on first use
                print(f"load average before: {os.getloadavg()[0]:.2f}")
                for name, path in pages.items():
                    runs = [rate(client, path, args.seconds) for _ in range(args.repeat)]
                    rps = statistics.median(r[0] for r in runs)
                    ms = statistics.median(r[1] for r in runs)
                    html, total, gz = weight(client, path)
                    print(
                        f"{name}: {rps:.1f} pages/s (median {ms:.1f} ms); "
                        f"HTML {html / 1024:.1f} KiB, with assets {total / 1024:.1f} KiB "
                        f"({gz / 1024:.1f} KiB gzipped)"
                    )
                print(f"load average after: {os.getloadavg()[0]:.2f}")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
