"""Benchmark scale-out: extraction serial vs a local Dask cluster, and corroboration
with and without Dask. Checks that the parallel results equal the serial ones.

Run: python bench/bench_scaleout.py [--docs 100000] [--events 1000000] [--workers 2]

Documents come from bench_extract's generator (~600 words, seeded), events from
bench_corroborate's. Wall-clock times (what a user waits for); CPU time of this
process too, and the load average, because on a shared machine other jobs take
their share of the cores. Memory: peak RSS of this process and of each worker.
Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_corroborate import generate
from bench_extract import corpus

from minewatch.model import DocumentMeta


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_peak_mb() -> float:
    import resource as r

    return r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024


def _jobs(n: int) -> Any:
    for i, (text, pub, _) in enumerate(corpus(n)):
        yield text, DocumentMeta(id=f"doc{i}", input_id=f"doc{i}.txt", published=pub)


def _digest(h: Any, events: list[Any]) -> None:
    h.update(json.dumps([e.to_json() for e in events], ensure_ascii=False).encode())


def bench_extract(n: int, client: Any) -> dict[str, object]:
    from minewatch.extract import extract_document
    from minewatch.extract.parallel import extract_parallel
    from minewatch.geo import load_gazetteer

    gaz = load_gazetteer()
    extract_document("warm-up: a landmine killed two soldiers near Musan.", DocumentMeta("w", "w"))
    serial = hashlib.sha256()
    load0 = os.getloadavg()[0]
    w, c = time.perf_counter(), time.process_time()
    n_events = 0
    for text, meta in _jobs(n):
        events = extract_document(text, meta, gazetteer=gaz)
        n_events += len(events)
        _digest(serial, events)
    serial_s, serial_cpu = time.perf_counter() - w, time.process_time() - c
    parallel = hashlib.sha256()
    w, c = time.perf_counter(), time.process_time()
    for _, events in extract_parallel(client, _jobs(n), lambda j: j, gazetteer=gaz):
        _digest(parallel, events)  # type: ignore[arg-type]
    par_s, par_cpu = time.perf_counter() - w, time.process_time() - c
    return {
        "documents": n,
        "events": n_events,
        "serial_s": round(serial_s, 1),
        "serial_docs_per_s": round(n / serial_s, 1),
        "serial_cpu_s": round(serial_cpu, 1),
        "dask_s": round(par_s, 1),
        "dask_docs_per_s": round(n / par_s, 1),
        "dask_client_cpu_s": round(par_cpu, 1),
        "speed_up": round(serial_s / par_s, 2),
        "identical": serial.hexdigest() == parallel.hexdigest(),
        "load": [round(load0, 1), round(os.getloadavg()[0], 1)],
    }


def bench_corroborate(n: int, client: Any) -> dict[str, object]:
    from minewatch.corroborate import corroborate
    from minewatch.corroborate.parallel import dask_parts

    items = [(meta, ev) for meta, ev, _ in generate(n, countries=max(2, n // 5000))]
    load0 = os.getloadavg()[0]
    w = time.perf_counter()
    one = corroborate(items)
    serial_s = time.perf_counter() - w
    serial_clusters = one.clustering.clusters
    serial_ids = [i.id for i in one.incidents]
    serial_phase = one.timings.get("clustering")
    del one
    w = time.perf_counter()
    two = corroborate(items, run_parts=dask_parts(client))
    par_s = time.perf_counter() - w
    return {
        "events": n,
        "incidents": len(serial_ids),
        "serial_s": round(serial_s, 1),
        "serial_clustering_cpu_s": serial_phase,
        "dask_s": round(par_s, 1),
        "dask_clustering_wall_cpu_s": two.timings.get("clustering"),
        "speed_up": round(serial_s / par_s, 2),
        "identical": two.clustering.clusters == serial_clusters
        and [i.id for i in two.incidents] == serial_ids,
        "load": [round(load0, 1), round(os.getloadavg()[0], 1)],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", help="an existing cluster instead of a local one")
    args = ap.parse_args()
    from minewatch.scaleout import dask_client

    with dask_client(args.workers, args.scheduler) as client:
        out: dict[str, object] = {"workers": args.workers}
        if args.docs:
            out["extract"] = bench_extract(args.docs, client)
            out["worker_peak_mb_after_extract"] = sorted(
                round(v, 1) for v in client.run(_worker_peak_mb).values()
            )
            print(json.dumps(out["extract"]), flush=True)
        if args.events:
            out["corroborate"] = bench_corroborate(args.events, client)
            out["worker_peak_mb_after_corroborate"] = sorted(
                round(v, 1) for v in client.run(_worker_peak_mb).values()
            )
        out["client_peak_mb"] = round(_peak_mb(), 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
