"""Integrity of the hand-written extraction gold file tests/gold/extract/synthetic.jsonl.

The file is the yardstick for the extractor, so a broken annotation (an anchor
that is not in the text, a count with best > high, a date that is not ISO) would
silently skew every score. These checks keep it well-formed; they do not judge
whether an annotation is *right* (that is what review of the file is for).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest

from minewatch.model import DATE_PRECISIONS, EVENT_TYPES, STATUSES, VICTIM_GROUPS

GOLD = Path(__file__).resolve().parent / "gold" / "extract" / "synthetic.jsonl"

# Canonical admin1 names for the Korean peninsula and the Chinese border
# provinces (DESIGN.md / gazetteer); other countries use pycountry's names.
CANONICAL_ADMIN1 = {
    "KP": {
        "North Hamgyong",
        "South Hamgyong",
        "Ryanggang",
        "Chagang",
        "North Pyongan",
        "South Pyongan",
        "North Hwanghae",
        "South Hwanghae",
        "Kangwon",
        "Pyongyang",
        "Rason",
    },
    "KR": {"Gyeonggi", "Gangwon", "Incheon"},
    "CN": {"Jilin", "Liaoning"},
}
QUANTITY_KINDS = {
    "distance_to_border",
    "kill_radius",
    "area_cleared",
    "border_length",
    "mines_count",
    "explosive_mass",
}
QUANTITY_UNITS = {"m", "m2", "count", "g"}
COUNT_FIELDS = ("killed", "injured", "casualties")
DOC_KEYS = {"id", "published", "title", "publisher", "country", "notes", "text", "events"}
EVENT_KEYS = {
    "type",
    "status",
    "context",
    "when",
    "country",
    "admin1",
    "killed",
    "injured",
    "casualties",
    "victims",
    "anchor",
}
PUBLISHED_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MONTH_PARTS = {(1, 10), (11, 20)}


def _load() -> list[dict[str, Any]]:
    with GOLD.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


DOCS = _load()


def _events() -> list[Any]:
    """One pytest param per gold event, named ``syn-001-e1``."""
    return [
        pytest.param(d["id"], e, d["text"], id=f"{d['id']}-e{i}")
        for d in DOCS
        for i, e in enumerate(d["events"], 1)
    ]


def _date(s: str | None) -> dt.date | None:
    return None if s is None else dt.date.fromisoformat(s)


def test_file_size_and_coverage() -> None:
    assert len(DOCS) >= 60
    assert sum(1 for d in DOCS if not d["events"]) >= 12, "need >= 12 false-friend docs"
    countries = {e["country"] for d in DOCS for e in d["events"]} | {d["country"] for d in DOCS}
    assert len(countries) >= 5
    korea = sum(1 for d in DOCS if d["country"] in {"KP", "KR", "CN"})
    assert 0.3 <= korea / len(DOCS) <= 0.7, "about half Korea, the rest elsewhere"


def test_ids_unique_and_keys_present() -> None:
    ids = Counter(d["id"] for d in DOCS)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    for d in DOCS:
        assert set(d) >= DOC_KEYS, d["id"]
        for e in d["events"]:
            assert set(e) >= EVENT_KEYS, (d["id"], e.get("anchor"))


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d["id"])
def test_document_fields(doc: dict[str, Any]) -> None:
    words = len(doc["text"].split())
    assert 40 <= words <= 180, f"{words} words"
    pub = doc["published"]
    if pub is not None:
        assert PUBLISHED_RE.match(pub), pub
        parts = [int(x) for x in pub.split("-")]
        if len(parts) == 3:
            dt.date(*parts)
        elif len(parts) == 2:
            assert 1 <= parts[1] <= 12
    assert pycountry.countries.get(alpha_2=doc["country"]) is not None


@pytest.mark.parametrize(("doc_id", "event", "text"), _events())
def test_event_fields(doc_id: str, event: dict[str, Any], text: str) -> None:
    assert event["anchor"] and event["anchor"] in text, "anchor not an exact substring"
    assert event["type"] in EVENT_TYPES
    assert event["status"] in STATUSES
    assert isinstance(event["context"], bool)
    assert event["victims"] is None or event["victims"] in VICTIM_GROUPS
    if event["type"] != "casualty":
        assert all(event[f] is None for f in COUNT_FIELDS), "counts only on casualty events"
        assert event["victims"] is None
    for who in event.get("attributed_to", []):
        assert who in text, f"attribution {who!r} not in text"

    country = event["country"]
    assert pycountry.countries.get(alpha_2=country) is not None, country
    admin1 = event["admin1"]
    if admin1 is not None:
        if country in CANONICAL_ADMIN1:
            assert admin1 in CANONICAL_ADMIN1[country], admin1
        else:
            names = {s.name for s in pycountry.subdivisions.get(country_code=country) or []}
            assert admin1 in names, f"{admin1!r} is not a pycountry subdivision of {country}"


@pytest.mark.parametrize(("doc_id", "event", "text"), _events())
def test_counts_are_ordered(doc_id: str, event: dict[str, Any], text: str) -> None:
    for name in COUNT_FIELDS:
        c = event[name]
        if c is None:
            continue
        assert set(c) == {"low", "best", "high"}
        low, best, high = c["low"], c["best"], c["high"]
        assert isinstance(low, int) and low >= 1, "unknown is null, never 0"
        if best is not None:
            assert low <= best
            if high is not None:
                assert best <= high
        if high is not None:
            assert low <= high
    killed, injured, total = event["killed"], event["injured"], event["casualties"]
    if killed is not None and injured is not None:
        assert total is not None, "killed + injured known -> casualties is their sum"
        assert total["low"] == killed["low"] + injured["low"]
        for k in ("best", "high"):
            a, b = killed[k], injured[k]
            assert total[k] == (None if a is None or b is None else a + b), k


@pytest.mark.parametrize(("doc_id", "event", "text"), _events())
def test_when_is_a_valid_interval(doc_id: str, event: dict[str, Any], text: str) -> None:
    w = event["when"]
    prec = w["precision"]
    assert prec in DATE_PRECISIONS
    if w.get("text"):
        assert w["text"] in text, "when.text not in text"
    start, end = _date(w["start"]), _date(w["end"])
    if start and end:
        assert start <= end
    if prec == "unknown":
        assert start is None and end is None
    if start is None or end is None:
        return
    if prec == "day":
        assert start == end
    elif prec == "month":
        # calendar months, except windows counted back from publication (< 32 days)
        assert (end - start).days <= 31
    elif prec == "month_part":
        assert (start.year, start.month) == (end.year, end.month)
        last = calendar.monthrange(end.year, end.month)[1]
        assert (start.day, end.day) in MONTH_PARTS | {(21, last)}
    elif prec == "week":
        assert (end - start).days <= 7
    elif prec == "year":
        assert (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        assert start.year == end.year


@pytest.mark.parametrize(("doc_id", "event", "text"), _events())
def test_quantities_are_normalised(doc_id: str, event: dict[str, Any], text: str) -> None:
    for q in event.get("quantities", []):
        assert q["kind"] in QUANTITY_KINDS
        assert q["unit"] in QUANTITY_UNITS
        assert isinstance(q["value"], int | float) and q["value"] > 0
        if q["kind"] in {"distance_to_border", "kill_radius", "border_length"}:
            assert q["unit"] == "m"
        if q["kind"] == "area_cleared":
            assert q["unit"] == "m2"
        if "text" in q:
            assert q["text"] in text
