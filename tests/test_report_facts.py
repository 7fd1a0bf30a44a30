"""Country facts files: shipped KP/KR are valid; "not reported" is not 0 nor null."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from minewatch.report.facts import (
    NOT_REPORTED,
    FactsError,
    fmt_cell,
    load_country_facts,
    parse_country_facts,
    shipped_facts_path,
)


@pytest.mark.parametrize("cc", ["KP", "KR"])
def test_shipped_facts_are_valid_and_cited(cc: str) -> None:
    path = shipped_facts_path(cc)
    assert path is not None
    facts = load_country_facts(cc)
    assert facts.country == cc
    assert facts.fact("apmbc") is not None
    assert "not party" in facts.fact("apmbc").value.lower()  # type: ignore[union-attr]
    for f in facts.facts:
        assert f.sources, f"{cc} fact {f.key} has no source"
        for s in f.sources:
            assert s in facts.sources
    for src in facts.sources.values():
        assert src.title and src.publisher


def test_north_korea_land_release_is_not_reported_not_zero() -> None:
    facts = load_country_facts("KP")
    years = {y.year: y for y in facts.land_release}
    assert {2023, 2024} <= set(years)
    assert years[2024].values["clearance"] == NOT_REPORTED
    assert fmt_cell(years[2024].values["clearance"]) == "Not reported"


def test_cells_keep_zero_not_reported_and_not_compiled_apart() -> None:
    assert fmt_cell(0) == "0"
    assert fmt_cell(None) == "Not compiled"
    assert fmt_cell(NOT_REPORTED) == "Not reported"
    assert fmt_cell(1.25) == "1.25"


def _base() -> dict:
    return {
        "country": "XX",
        "sources": {"s": {"title": "T", "publisher": "P"}},
        "facts": [{"label": "L", "value": "V", "sources": ["s"]}],
        "land_release": {"rows": {"clearance": "Clearance"}, "years": {2024: {"clearance": 0}}},
    }


def test_bad_facts_are_refused() -> None:
    parse_country_facts(_base())
    bad = _base()
    bad["facts"][0]["sources"] = ["nope"]
    with pytest.raises(FactsError, match="unknown source"):
        parse_country_facts(bad)
    bad = _base()
    bad["land_release"]["years"][2024]["clearance"] = "none"
    with pytest.raises(FactsError, match="not reported"):
        parse_country_facts(bad)
    bad = _base()
    bad["land_release"]["years"][2024]["mines"] = 3
    with pytest.raises(FactsError, match="unknown rows"):
        parse_country_facts(bad)


def test_user_facts_file_and_unknown_country(tmp_path: Path) -> None:
    p = tmp_path / "xx.yaml"
    p.write_text(yaml.safe_dump(_base()), encoding="utf-8")
    facts = load_country_facts("XX", p)
    assert facts.land_release[0].values["clearance"] == 0
    empty = load_country_facts("ZZ")
    assert empty.facts == [] and empty.country == "ZZ"
