"""Quality gate on the development corpus (../shared/corpus), per part.

Floors are the measured scores minus 0.02 (README "evaluate"), for event precision,
recall and every field, on the tuning part and on the check part. The corpus is read in
place; under CI=true a missing corpus fails, elsewhere the tests skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SHARED
from minewatch.extract.corpus import CORPUS_FILES, apply_overlay, load_corpus, load_overlay
from minewatch.extract.evaluate import Report, evaluate_docs

CORPUS = SHARED / "corpus"

# measured (README "evaluate") minus 0.02
FLOORS: dict[str, dict[str, float]] = {
    "tune": {
        "precision": 0.66,
        "recall": 0.65,
        "type": 0.95,
        "status": 0.92,
        "context": 0.89,
        "date": 0.81,
        "admin1": 0.65,
        "victims": 0.83,
        "killed": 0.87,
        "injured": 0.86,
        "casualties": 0.80,
        "activation": 0.83,
    },
    "check": {
        "precision": 0.60,
        "recall": 0.62,
        "type": 0.88,
        "status": 0.95,
        "context": 0.79,
        "date": 0.67,
        "admin1": 0.33,
        "victims": 0.61,
        "killed": 0.66,
        "injured": 0.73,
        "casualties": 0.54,
        "activation": 0.66,
    },
}


def require_corpus() -> Path:
    if all((CORPUS / f).is_file() for f in CORPUS_FILES):
        return CORPUS
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the development corpus is missing at {CORPUS}")
    pytest.skip(f"../shared/corpus not present at {CORPUS}")


_REPORTS: dict[str, Report] = {}


def _report(part: str) -> Report:
    if part not in _REPORTS:
        _REPORTS[part] = evaluate_docs(load_corpus(require_corpus(), part))
    return _REPORTS[part]


@pytest.mark.shared
@pytest.mark.parametrize(("part", "name"), [(p, n) for p, fl in FLOORS.items() for n in fl])
def test_corpus_floor(part: str, name: str) -> None:
    rep = _report(part)
    value = getattr(rep, name) if name in ("precision", "recall") else rep.accuracy(name)
    assert value >= FLOORS[part][name], (part, name, round(value, 3))


@pytest.mark.shared
def test_parts_are_disjoint_and_complete() -> None:
    corpus = require_corpus()
    tune = {d.id for d in load_corpus(corpus, "tune")}
    check = {d.id for d in load_corpus(corpus, "check")}
    assert len(tune) == 100 and len(check) == 58 and not tune & check


@pytest.mark.shared
def test_overlay_names_existing_events() -> None:
    """Every correction points at a document and event the corpus has."""
    corpus = require_corpus()
    fixes = load_overlay()
    assert fixes
    raw = {d.id: d for d in load_corpus(corpus, "all", overlay=False)}
    for doc_id, items in fixes.items():
        assert doc_id in raw, doc_id
        for fix in items:
            assert "add" in fix or int(fix["event"]) < len(raw[doc_id].events), (doc_id, fix)
            assert fix.get("why"), (doc_id, fix)
        fixed = apply_overlay(doc_id, raw[doc_id].events, fixes)
        assert fixed != raw[doc_id].events


def test_unknown_part_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown corpus part"):
        load_corpus(tmp_path, "dev")
    with pytest.raises(FileNotFoundError, match="corpus file missing"):
        load_corpus(tmp_path, "tune")
