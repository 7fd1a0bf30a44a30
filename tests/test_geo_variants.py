"""The compiled list of variant spellings (tests/gold/places/variants.csv) resolves."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from minewatch.geo import Gazetteer, load_gazetteer
from minewatch.geo.normalize import has_hangul

GOLD = Path(__file__).parent / "gold" / "places" / "variants.csv"
ROWS = list(csv.DictReader(GOLD.open(encoding="utf-8")))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_list_is_large_and_targets_exist(gaz: Gazetteer) -> None:
    assert len(ROWS) >= 150
    assert len({r["variant"] for r in ROWS}) == len(ROWS)
    for r in ROWS:
        assert gaz.get(r["expected_id"]) is not None, r


@pytest.mark.parametrize("row", ROWS, ids=[r["variant"] for r in ROWS])
def test_variant_resolves(gaz: Gazetteer, row: dict[str, str]) -> None:
    text = f"Reports from {row['variant']} said so."
    places = gaz.find_places(text, row["country_hint"] or None)
    assert places, f"nothing found in {text!r}"
    p = places[0]
    assert p.place_id == row["expected_id"], (p.text, p.place_id, p.candidates)
    # the mention covers the whole spelling (Korean particles aside: 무산군에서 -> 무산군)
    variant = row["variant"]
    assert p.text == variant or (has_hangul(variant) and variant.startswith(p.text)), p.text
