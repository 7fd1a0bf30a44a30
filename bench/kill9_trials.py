"""kill -9 at every stage: after each kill the store must verify, hold nothing twice,
keep every human decision, and a re-run must reach the state of one clean run.

Stages: ingest, extract --db, extract --stored (with corroboration), import --force,
and the extract that follows a decision; each killed after a different delay.

    python bench/kill9_trials.py --trials 18
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from minewatch.audit import verify_store
from minewatch.store import Store

MAIN = "from minewatch.cli import main; main()"


def corpus(d: Path, n: int) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (d / f"{i:04d}.txt").write_text(
            f"Report {i}: on Monday {i % 9 + 2} soldiers were injured by a landmine near "
            f"post {i} on the border, a source said. Mines were laid there in August."
        )
    return d


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", MAIN, *args], capture_output=True, text=True)


def killed(args: list[str], delay: float) -> str:
    p = subprocess.Popen(
        [sys.executable, "-c", MAIN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    time.sleep(delay)
    if p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        return "killed"
    return f"finished first (exit {p.returncode})"


def state(db: Path) -> dict[str, object]:
    store = Store.open(db)
    try:
        docs = store.documents()
        per_doc = {m.id: len(store.events(m.id)) for m in docs}
        rep = verify_store(store, rederive=False)
        return {
            "documents": len(docs),
            "events": sum(per_doc.values()),
            "decisions": len(store.decisions()),
            "problems": [str(p) for p in rep.problems],
            "ingest_entries": sum(1 for e in store.log_entries() if e.action == "ingest"),
        }
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=18)
    ap.add_argument("--docs", type=int, default=120)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mw-kill9-"))
    src = corpus(tmp / "in", args.docs)
    # the reference: one clean run
    ref_db = tmp / "ref.db"
    run("extract", str(src), "--db", str(ref_db))
    ref = state(ref_db)
    archive = tmp / "ref.json"
    run("export", "--db", str(ref_db), "--format", "json", "--out", str(archive))
    stages = [
        ("ingest", lambda db: ["ingest", str(src), "--db", str(db)]),
        ("extract --db", lambda db: ["extract", str(src), "--db", str(db)]),
        ("extract --stored", lambda db: ["extract", "--stored", "--db", str(db)]),
        ("import --force", lambda db: ["import", str(archive), "--db", str(db), "--force"]),
    ]
    failures = 0
    rows = []
    for trial in range(args.trials):
        name, cmd = stages[trial % len(stages)]
        delay = 1.0 + 1.5 * (trial // len(stages))
        db = tmp / f"t{trial}.db"
        # a decision made before the crash must survive it
        run("ingest", str(src / "0000.txt"), "--db", str(db))
        run("confidential", "0000.txt", "--db", str(db), "--reason", "kept through the crash")
        if name == "extract --stored":
            run("ingest", str(src), "--db", str(db))
        outcome = killed(cmd(db), delay)
        after = state(db)
        ok = (
            not after["problems"]
            and after["decisions"] == 1
            and after["ingest_entries"] == after["documents"]
        )
        rerun = run(*cmd(db))
        if name in ("ingest", "extract --stored"):
            rerun = run("extract", str(src), "--db", str(db))
        final = state(db)
        same = (final["documents"], final["events"]) == (ref["documents"], ref["events"])
        ok = ok and same and not final["problems"] and final["decisions"] == 1
        failures += not ok
        rows.append(
            f"{trial + 1:>2} {name:<17} kill after {delay:.1f} s: {outcome:<22} "
            f"after kill: {after['documents']} docs, {after['events']} events, "
            f"{len(after['problems'])} problems; re-run (exit {rerun.returncode}): "
            f"{final['documents']} docs, {final['events']} events "
            f"(clean run: {ref['documents']}, {ref['events']}) -> {'ok' if ok else 'FAIL'}"
        )
        print(rows[-1], flush=True)
        if not ok:
            print(json.dumps({"after": after, "final": final}, indent=1)[:3000])
    print(f"trials: {args.trials}, failures: {failures}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
