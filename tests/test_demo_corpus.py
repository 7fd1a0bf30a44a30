"""The bundled demo corpus (src/minewatch/data/demo) is complete, well-formed and our own text.

`minewatch demo` ingests that directory as it is, so every article must be
described in sources.csv, and no file other than the articles and the sidecar
may sit there. The intended ground truth (demo_expected.json) must point only
at real files and use the shared vocabulary.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from minewatch.model import DATE_PRECISIONS, EVENT_TYPES, STATUSES, VICTIM_GROUPS

DATA = Path(__file__).resolve().parents[1] / "src" / "minewatch" / "data"
DEMO = DATA / "demo"
EXPECTED = DATA / "demo_expected.json"
SYNTHETIC = Path(__file__).resolve().parent / "gold" / "extract" / "synthetic.jsonl"
COLUMNS = ["file", "title", "publisher", "published", "url", "language", "notes"]
ATTRIBUTION = re.compile(
    r"told (?:Daily NK|Radio Free Asia)|according to (?:Yonhap|Daily NK|Rimjin-gang)"
    r"|Speaking to Radio Free Asia|reported by Yonhap"
)


def _rows() -> list[dict[str, str]]:
    with (DEMO / "sources.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _text(name: str) -> str:
    return (DEMO / name).read_text(encoding="utf-8")


def _shingles(text: str, n: int) -> set[str]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_every_article_is_in_sources_csv_and_vice_versa() -> None:
    files = {p.name for p in DEMO.iterdir()}
    listed = [r["file"] for r in _rows()]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert set(listed) == {f for f in files if f.endswith(".txt")}
    # anything else in the directory would be ingested as a document by `minewatch demo`
    assert files - set(listed) == {"sources.csv"}
    assert 14 <= len(listed) <= 18


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["file"][:2])
def test_article_metadata_and_length(row: dict[str, str]) -> None:
    text = _text(row["file"])
    assert 120 <= len(text.split()) <= 350
    assert text.splitlines()[0].strip() == row["title"]
    assert row["publisher"].startswith("Sample ") and row["publisher"].endswith("(demo)")
    assert row["url"].startswith("https://example.org/")
    assert row["language"] == "en"
    assert row["notes"]
    parts = [int(p) for p in row["published"].split("-")]
    assert 2015 <= parts[0] <= 2025
    dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    assert row["file"][3:].startswith(row["published"]), "file names carry the publication date"


def test_corpus_has_rewrites_and_a_syndicated_pair() -> None:
    rows = _rows()
    texts = {r["file"]: _text(r["file"]) for r in rows}
    assert sum(1 for t in texts.values() if ATTRIBUTION.search(t)) >= 4
    assert len({r["publisher"] for r in rows}) >= 5
    # containment, not Jaccard: a syndicated copy is often the original cut short
    shingles = {f: _shingles(t, 5) for f, t in texts.items()}
    best = max(
        len(shingles[a] & shingles[b]) / min(len(shingles[a]), len(shingles[b]))
        for a, b in combinations(texts, 2)
    )
    assert best >= 0.8, "expected one near-duplicate syndicated pair"


def _incidents() -> list[dict[str, Any]]:
    return list(json.loads(EXPECTED.read_text(encoding="utf-8"))["incidents"])


def test_expected_ground_truth_points_at_real_files() -> None:
    listed = {r["file"]: r["publisher"] for r in _rows()}
    incidents = _incidents()
    assert len({i["id"] for i in incidents}) == len(incidents)
    covered: set[str] = set()
    multi_outlet = 0
    for inc in incidents:
        assert inc["type"] in EVENT_TYPES
        assert inc["status"] in STATUSES
        assert inc["when"]["precision"] in DATE_PRECISIONS
        assert inc["victims"] is None or inc["victims"] in VICTIM_GROUPS
        for m in inc["members"]:
            assert m["file"] in listed, m["file"]
            assert m["status"] in STATUSES
            covered.add(m["file"])
        texts = " ".join(_text(m["file"]) for m in inc["members"])
        for q in inc["quantities"]:
            assert q["text"] in texts
        if len({listed[m["file"]] for m in inc["members"] if not m["context"]}) >= 2:
            multi_outlet += 1
    assert covered == set(listed), "every article reports at least one expected incident"
    assert multi_outlet >= 3, "several incidents need reports from 2+ outlets"


def test_demo_and_gold_texts_copy_no_seed_passages(seeds_dir: Path) -> None:
    seeds: set[str] = set()
    for p in seeds_dir.glob("*.txt"):
        seeds |= _shingles(p.read_text(encoding="utf-8"), 10)
    ours = [_text(r["file"]) for r in _rows()]
    gold = SYNTHETIC.read_text(encoding="utf-8").splitlines()
    ours += [json.loads(line)["text"] for line in gold]
    for text in ours:
        assert not (_shingles(text, 10) & seeds), "a 10-word passage is copied from a seed"
