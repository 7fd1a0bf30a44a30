"""Clustering quality on the cluster gold set, with pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minewatch.corroborate.evaluate import (
    evaluate_clusters,
    is_cluster_gold,
    load_gold,
    score_clusters,
)

GOLD = sorted((Path(__file__).parent / "gold" / "clusters").glob("*.jsonl"))

#: Pinned floors: raise them when the clustering improves, never lower them silently.
F1_FLOOR = 0.9
SOURCES_FLOOR = 0.85


def test_gold_files_are_cluster_gold() -> None:
    assert GOLD, "no cluster gold files"
    for path in GOLD:
        assert is_cluster_gold(path), path
        for line in path.read_text(encoding="utf-8").splitlines():
            assert json.loads(line)["kind"] == "clusters"


def test_gold_integrity() -> None:
    gold = load_gold(GOLD)  # raises if a quote is not in its text
    assert len(gold.items) >= 30
    labels = {x for ls in gold.labels.values() for x in ls}
    assert len(labels) >= 15
    # several outlets per incident, and near misses that must stay apart
    sizes = {lab: sum(lab in ls for ls in gold.labels.values()) for lab in labels}
    assert sum(1 for n in sizes.values() if n >= 3) >= 4
    for lab in gold.expected_sources:
        assert lab in labels, lab
    for meta, ev in gold.items:
        text = gold.texts[meta.id]
        for e in ev.evidence:
            assert 0 <= e.start < e.end <= len(text)


def test_clustering_meets_the_floor() -> None:
    s = evaluate_clusters(GOLD)
    assert s.pairwise_f1 >= F1_FLOOR, s.lines()
    assert s.bcubed_f1 >= F1_FLOOR, s.lines()
    assert s.sources_correct / s.sources_checked >= SOURCES_FLOOR, s.lines()


def test_gazetteer_does_not_lower_quality() -> None:
    geo = pytest.importorskip("minewatch.geo.gazetteer")
    s = evaluate_clusters(GOLD, gazetteer=geo.load_gazetteer())
    assert s.pairwise_f1 >= F1_FLOOR, s.lines()


def test_score_clusters_by_hand() -> None:
    gold = {k: frozenset({v}) for k, v in {"a": "X", "b": "X", "c": "Y", "d": "Y"}.items()}
    # perfect
    assert score_clusters(gold, gold)[:3] == (1.0, 1.0, 1.0)
    # everything in one incident: recall 1, precision 2 of 6 pairs
    one = {k: frozenset({"I"}) for k in gold}
    p, r, f, bp, br, _ = score_clusters(gold, one)
    assert (p, r) == (pytest.approx(2 / 6), 1.0) and bp == pytest.approx(0.5) and br == 1.0
    # all apart: precision 1 (nothing claimed), recall 0
    apart = {k: frozenset({k}) for k in gold}
    p, r, f, *_ = score_clusters(gold, apart)
    assert (p, r, f) == (1.0, 0.0, 0.0)
    # a mention (summary) of both incidents counts as the same as both
    gold2 = {**gold, "s": frozenset({"X", "Y"})}
    pred2 = {
        **{k: frozenset({v}) for k, v in {"a": "1", "b": "1", "c": "2", "d": "2"}.items()},
        "s": frozenset({"1", "2"}),
    }
    assert score_clusters(gold2, pred2)[:3] == (1.0, 1.0, 1.0)


def test_not_cluster_gold(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text('{"kind": "events"}\n', encoding="utf-8")
    assert not is_cluster_gold(p)
    assert not is_cluster_gold(tmp_path / "missing.jsonl")


def test_evaluate_command_dispatches_cluster_gold() -> None:
    from typer.testing import CliRunner

    from minewatch.cli import app

    res = CliRunner().invoke(app, ["evaluate", *map(str, GOLD), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    assert rep["kind"] == "clusters" and rep["pairwise_f1"] >= F1_FLOOR
