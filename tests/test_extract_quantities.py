"""Counted devices as quantities of clearance events (units.yaml ``items``), in sentences
written for these tests; and the seed 004 figures the country profile needs."""

from __future__ import annotations

from pathlib import Path

from minewatch.extract import extract_document
from minewatch.model import DocumentMeta, Event


def run(text: str, published: str = "2024-06-14") -> list[Event]:
    return extract_document(text, DocumentMeta(id="x", input_id="x", published=published))


def test_mines_by_kind_uxo_and_area_on_a_clearance_event() -> None:
    (ev,) = run(
        "In May the agency's teams destroyed 212 anti-personnel mines, 17 anti-tank mines and"
        " about 3,000 items of unexploded ordnance, releasing 2.5 hectares of farmland."
    )
    assert ev.type == "clearance"
    got = {(q.kind, q.device): q for q in ev.quantities}
    assert got[("mines_count", "AP mine")].value == 212
    assert got[("mines_count", "AV mine")].value == 17
    uxo = got[("uxo_count", "UXO")]
    assert (uxo.value, uxo.low, uxo.high) == (3000, 2550, 3450)  # "about n"
    area = next(q for q in ev.quantities if q.kind == "area_cleared")
    assert (area.value, area.unit) == (25000, "m2")
    assert (ev.when.start, ev.when.end) == ("2024-05-01", "2024-05-31")


def test_more_than_n_mines_is_open_above() -> None:
    (ev,) = run("Army engineers removed more than 450 landmines from the pass last year.")
    (q,) = ev.quantities
    assert (q.kind, q.value, q.low, q.high, q.unit) == ("mines_count", 451, 451, None, "count")


def test_no_counted_devices_on_a_casualty_or_from_a_year() -> None:
    evs = run(
        "Two mines exploded under a truck on Monday, killing three soldiers.\n\n"
        "In 2019 mines were cleared from the road by the army."
    )
    assert all(q.unit != "count" for e in evs for q in e.quantities)


def test_seed_004_clearance_figures(seeds_dir: Path) -> None:
    text = next(seeds_dir.glob("004_*.txt")).read_text(encoding="utf-8")
    evs = run(text, "2025")
    quantities = [
        (q.kind, q.value, q.device) for e in evs if e.type == "clearance" for q in e.quantities
    ]
    assert ("mines_count", 601, "AP mine") in quantities  # "more than 600 AP mines"
    assert ("mines_count", 158, "unspecified mine") in quantities
    assert ("uxo_count", 2410, "UXO") in quantities
