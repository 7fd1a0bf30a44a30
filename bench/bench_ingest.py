"""Ingestion throughput: documents per second for text, HTML and JSONL.

Run: python bench/bench_ingest.py [N]   (default N=300 documents per format)
Prints read-only rates (read_inputs) and rates into a fresh SQLite file.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from minewatch.ingest import ingest_paths, read_inputs
from minewatch.store import Store

PARA = (
    "Two soldiers were injured by an anti-personnel mine near the border post {i} "
    "on Monday, officials said. Engineers had been clearing the area since spring, "
    "and local residents were told to keep away from the fields.\n"
)


def _corpus(root: Path, n: int) -> dict[str, Path]:
    text, html = root / "text", root / "html"
    text.mkdir()
    html.mkdir()
    lines = []
    for i in range(n):
        body = PARA.format(i=i) * 8
        (text / f"{i:05d}.txt").write_text(body)
        page = (
            f"<html><head><title>Report {i}</title></head><body><nav>Home</nav>"
            f"<article><p>{body}</p></article><footer>c</footer></body></html>"
        )
        (html / f"{i:05d}.html").write_text(page)
        lines.append(json.dumps({"id": f"j{i}", "text": body + "jsonl"}))
    jsonl = root / "docs.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    return {"text": text, "html": html, "jsonl": jsonl}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        corpus = _corpus(Path(tmp), n)
        for name, path in corpus.items():
            t0 = time.perf_counter()
            docs, errors = read_inputs([str(path)])
            read_s = time.perf_counter() - t0
            assert len(docs) == n and not errors, errors[:3]
            store = Store.open(Path(tmp) / f"{name}.db")
            t0 = time.perf_counter()
            report = ingest_paths([str(path)], store, who="bench")
            store_s = time.perf_counter() - t0
            store.close()
            assert report.added == n
            print(
                f"{name:5s}: read {n / read_s:7.0f} docs/s   "
                f"read+store {n / store_s:6.0f} docs/s   ({n} docs)"
            )


if __name__ == "__main__":
    main()
