"""Corroboration on the five seed documents, with hand-built events.

The events are what extraction should produce (built here so this stage can be
tested on its own); evidence offsets are found in the seed texts by short
anchors, so no seed text is stored in the repository.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

import pytest

from minewatch.corroborate import corroborate
from minewatch.model import Count, DocumentMeta, Event, Evidence, Incident, Place, Quantity, When

pytestmark = pytest.mark.shared

KP = "KP"


def _place(pid: str | None, name: str, prec: int, **kw: Any) -> Place:
    return Place(
        text=name, name=name, place_id=pid, country=kw.pop("country", KP), precision=prec, **kw
    )


MUSAN = dict(
    pid="kp-musan",
    name="Musan",
    prec=2,
    admin1="North Hamgyong",
    lat=42.23,
    lon=129.22,
    relation="near",
    border_segment="china",
)
N_HAMGYONG = dict(
    pid="kp-north-hamgyong",
    name="North Hamgyong",
    prec=4,
    admin1="North Hamgyong",
    border_segment="china",
)
RYANGGANG = dict(
    pid="kp-ryanggang", name="Ryanggang", prec=4, admin1="Ryanggang", border_segment="china"
)
HAMGYONG = dict(pid=None, name="Hamgyong", prec=4, border_segment="china")
CHINA_BORDER = dict(
    pid="kp-china-border", name="China border", prec=5, border_segment="china", kind="border"
)
DMZ = dict(pid="dmz", name="DMZ", prec=5, border_segment="dmz", country=None, kind="zone")
JSA = dict(
    pid="jsa-panmunjom",
    name="Joint Security Area",
    prec=1,
    border_segment="dmz",
    country=None,
    lat=37.956,
    lon=126.677,
)


def P(spec: dict[str, Any], text: str, anchor: tuple[int, int] | None = None) -> Place:
    d = dict(spec)
    p = _place(d.pop("pid"), d.pop("name"), d.pop("prec"), **d)
    p.text = text
    if anchor:
        p.start, p.end = anchor
    return p


class Doc:
    def __init__(self, seeds: Path, file: str, row: dict[str, str]) -> None:
        raw = (seeds / file).read_bytes()
        self.text = raw.decode("utf-8")
        self.meta = DocumentMeta(
            id="sha256:" + hashlib.sha256(raw).hexdigest(),
            input_id=file,
            title=row["title"],
            publisher=row["publisher"],
            published=row["published"],
        )
        self.events: list[Event] = []

    def at(self, phrase: str, nth: int = 0) -> tuple[int, int]:
        pos = -1
        for _ in range(nth + 1):
            pos = self.text.index(phrase, pos + 1)
        return pos, pos + len(phrase)

    def ev(self, eid: str, type: str, when: When, where: list[Place], **kw: Any) -> Event:
        evidence = [Evidence(f, *self.at(a)) for f, a in kw.pop("evidence", [])]
        e = Event(id=eid, type=type, when=when, where=where, evidence=evidence, **kw)
        self.events.append(e)
        return e

    def q(
        self,
        kind: str,
        phrase: str,
        value: float,
        low: float | None = None,
        high: float | None = None,
    ) -> Quantity:
        s, e = self.at(phrase)
        return Quantity(kind, value, "m", phrase, s, e, low, high)


def build(seeds: Path) -> dict[str, Doc]:
    with (seeds / "sources.csv").open(encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    docs = {f[:3]: Doc(seeds, f, rows[f]) for f in sorted(rows)}
    oct2020 = When("2020-10-01", "2020-10-31", "month", "October 2020")

    d = docs["000"]
    d.ev(
        "e1",
        "casualty",
        oct2020,
        [P(RYANGGANG, "Ryanggang", d.at("Ryanggang"))],
        injured=Count(10, 12, 14),
        victims="military",
        victim_role="soldier laying mines",
        devices=["unspecified mine"],
        quantities=[
            d.q("kill_radius", "around three metres", 3, 2.55, 3.45),
            d.q("distance_to_border", "around 60 metres", 60, 51, 69),
        ],
        evidence=[
            ("injured", "About a dozen soldiers were injured"),
            ("victims", "some in their eyes, legs or back"),
        ],
    )
    d.ev(
        "e2",
        "casualty",
        oct2020,
        [P(HAMGYONG, "Hamgyong", d.at("Hamgyong"))],
        injured=Count(3, 3, 9),
        victims="military",
        victim_role="soldier laying mines",
        evidence=[("injured", "several soldiers had been injured")],
    )
    d.ev(
        "e3",
        "casualty",
        oct2020,
        [P(CHINA_BORDER, "border with China", d.at("border with China"))],
        injured=Count(24, 24, 99),
        victims="military",
        evidence=[("injured", "DOZENS of North Korean soldiers were injured")],
    )
    d.ev(
        "e4",
        "emplacement",
        oct2020,
        [P(CHINA_BORDER, "border with China")],
        evidence=[("type", "The mines were reportedly being placed by border guard troops")],
    )

    d = docs["001"]
    unknown = When(None, None, "unknown", "recently")
    d.ev(
        "e1",
        "casualty",
        unknown,
        [P(N_HAMGYONG, "North Hamgyong Province", d.at("North Hamgyong Province"))],
        casualties=Count.exact(5),
        victims="civilian",
        victim_role="defector",
        evidence=[
            ("casualties", "Five North Koreans from North Hamgyong Province were injured or killed")
        ],
    )
    d.ev(
        "e2",
        "casualty",
        unknown,
        [P(MUSAN, "near Musan", d.at("near Musan"))],
        killed=Count.exact(3),
        victims="civilian",
        victim_role="defector",
        evidence=[("killed", "three people were similarly killed by a landmine")],
    )
    d.ev(
        "e3",
        "emplacement",
        When("2023-08-01", None, "open", "since August"),
        [P(CHINA_BORDER, "near the crossing with China")],
        evidence=[("when", "placing new landmines near the crossing with China since August")],
    )
    d.ev(
        "e4",
        "casualty",
        When("2015-01-01", "2015-12-31", "year", "in 2015"),
        [P(DMZ, "the demilitarized zone")],
        context=True,
        injured=Count.exact(2),
        victims="military",
        evidence=[("injured", "maimed two South Korean soldiers")],
    )
    d.ev(
        "e5",
        "clearance",
        When("2018-01-01", "2018-12-31", "year", "in 2018"),
        [P(JSA, "Joint Security Area")],
        context=True,
        evidence=[("type", "removal of landmines in the Joint Security Area")],
    )
    d.ev(
        "e6",
        "casualty",
        When("2020-01-01", "2022-12-31", "year", "During the pandemic"),
        [P(CHINA_BORDER, "Sino-Korean border")],
        context=True,
        injured=Count(24, 24, 99),
        victims="military",
        victim_role="soldier laying mines",
        quantities=[
            d.q("kill_radius", "10 feet (3 to 3.5 meters)", 3.05, 3.0, 3.5),
            d.q("distance_to_border", "65 yards", 59.44),
            d.q("border_length", "800-mile-long", 1287475.0),
        ],
        evidence=[
            ("injured", "Dozens of soldiers were reportedly injured"),
            ("victims", "some soldiers were injured in their eyes, legs or back"),
        ],
    )

    d = docs["002"]
    d.ev(
        "e1",
        "casualty",
        When("2023-10-11", "2023-10-20", "month_part", "mid-October"),
        [P(MUSAN, "near the city of Musan", d.at("near the city of Musan"))],
        casualties=Count.exact(5),
        victims="civilian",
        victim_role="defector",
        attributed_to=["a source in North Hamgyong Province (Daily NK)"],
        evidence=[("casualties", "five would-be defectors were wounded or killed")],
    )
    d.ev(
        "e2",
        "casualty",
        When("2023-09-01", "2023-09-30", "month", "this past September"),
        [P(MUSAN, "near Musan", d.at("near Musan"))],
        killed=Count.exact(3),
        victims="civilian",
        victim_role="defector",
        evidence=[("killed", "three other people died on the spot")],
    )
    d.ev(
        "e3",
        "emplacement",
        When("2023-08-01", None, "open", "since August"),
        [P(CHINA_BORDER, "around the border with China")],
        evidence=[("when", "laying landmines around the border with China since August")],
    )

    d = docs["003"]
    d.ev(
        "e1",
        "casualty",
        When("2023-11-01", None, "open", "Since November 2023"),
        [P(DMZ, "Demilitarized Zone")],
        casualties=Count(2, None, None),
        victims="military",
        evidence=[("casualties", "has lost numerous soldiers to land mines")],
    )

    d = docs["004"]
    d.ev(
        "e1",
        "casualty",
        When("2020-01-01", "2020-12-31", "year", "since 2020"),
        [P(CHINA_BORDER, "two provinces bordering China")],
        context=True,
        injured=Count(2, None, None),
        victims="military",
        quantities=[d.q("border_length", "880km-long", 880000.0)],
        evidence=[("injured", "Troops reportedly sustained injuries from mine detonations")],
    )
    d.ev(
        "e2",
        "casualty",
        When("2023-08-01", None, "open", "since August 2023"),
        [P(N_HAMGYONG, "North Hamgyong Province", d.at("North Hamgyong Province"))],
        context=True,
        casualties=Count(2, None, None),
        victims="civilian",
        evidence=[("casualties", "This had resulted in casualties among citizens")],
    )
    d.ev(
        "e3",
        "emplacement",
        When("2023-08-01", None, "open", "since August 2023"),
        [P(CHINA_BORDER, "along the border with China")],
        evidence=[("when", "since August 2023, again been emplacing landmines")],
    )
    d.ev(
        "e4",
        "casualty",
        When("2024-01-01", "2024-12-31", "year", "2024"),
        [P(DMZ, "the heavily armed border")],
        casualties=Count(2, None, None),
        victims="military",
        evidence=[("casualties", "multiple casualties among North Korean troops")],
    )
    d.ev(
        "e5",
        "casualty",
        When("2025-03-01", "2025-03-31", "month", "In March"),
        [P(DMZ, "DMZ")],
        casualties=Count(2, None, None),
        victims="military",
        evidence=[("casualties", "many casualties among the North Korean military")],
    )
    d.ev(
        "e6",
        "clearance",
        When("2018-10-01", "2018-11-30", "span", "a month later"),
        [P(JSA, "Joint Security Area")],
        context=True,
        evidence=[("type", "removed more than 600 AP mines")],
    )
    return docs


def run(seeds: Path) -> tuple[dict[str, Doc], list[Incident]]:
    docs = build(seeds)
    items = [(d.meta, e) for d in docs.values() for e in d.events]
    texts = {d.meta.id: d.text for d in docs.values()}
    return docs, corroborate(items, texts).incidents


def where(incidents: list[Incident], docs: dict[str, Doc], ref: str) -> Incident:
    """The incident whose *members* include event ``ref`` ("002#e1")."""
    num, eid = ref.split("#")
    key = f"{docs[num].meta.id}#{eid}"
    hits = [
        i for i in incidents if any(m.event_key == key and m.role == "member" for m in i.members)
    ]
    assert len(hits) == 1, ref
    return hits[0]


def mentioned_in(incidents: list[Incident], docs: dict[str, Doc], ref: str) -> list[Incident]:
    num, eid = ref.split("#")
    key = f"{docs[num].meta.id}#{eid}"
    return [
        i
        for i in incidents
        if any(m.event_key == key and m.role in ("mention", "background") for m in i.members)
    ]


def test_000_is_two_incidents(seeds_dir: Path) -> None:
    docs, incs = run(seeds_dir)
    ryanggang = where(incs, docs, "000#e1")
    hamgyong = where(incs, docs, "000#e2")
    assert ryanggang is not hamgyong
    # the headline total "dozens ... in two separate incidents" belongs to neither alone
    assert {i.id for i in mentioned_in(incs, docs, "000#e3")} == {ryanggang.id, hamgyong.id}


def test_2023_musan_incidents_each_reported_by_001_and_002(seeds_dir: Path) -> None:
    docs, incs = run(seeds_dir)
    october = where(incs, docs, "002#e1")
    september = where(incs, docs, "002#e2")
    assert october is not september
    assert where(incs, docs, "001#e1") is october
    assert where(incs, docs, "001#e2") is september
    for inc in (october, september):
        assert set(inc.document_ids) >= {docs["001"].meta.id, docs["002"].meta.id}
        # 001 rewrites 002: one independent source
        assert inc.independent_sources == 1
        assert inc.original_sources == ["Daily NK"]
        assert "media with anonymous local source" in inc.source_kinds
    assert october.value("casualties") == {"low": 5, "best": 5, "high": 5}
    assert september.value("killed") == {"low": 3, "best": 3, "high": 3}
    assert october.value("where")["place_id"] == "kp-musan"
    assert october.value("when")["start"] == "2023-10-11"
    # 004's summary of both (background) is shown with both, counted in neither
    assert {i.id for i in mentioned_in(incs, docs, "004#e2")} == {october.id, september.id}


def test_dmz_casualties_stay_separate(seeds_dir: Path) -> None:
    docs, incs = run(seeds_dir)
    dmz = where(incs, docs, "003#e1")
    assert docs["002"].meta.id not in dmz.document_ids
    assert docs["000"].meta.id not in dmz.document_ids
    assert "official military statement" in dmz.source_kinds
    assert where(incs, docs, "004#e5") is not dmz  # March 2025 is later


def test_2020_conflicts_visible(seeds_dir: Path) -> None:
    docs, incs = run(seeds_dir)
    ryanggang = where(incs, docs, "000#e1")
    # 001 recalls it as background: attached, not a report of it
    assert ryanggang in mentioned_in(incs, docs, "001#e6")
    injured = ryanggang.fields["injured"]
    assert injured.conflict  # "about a dozen" vs "dozens"
    # the best count is the members' own; "dozens" (001's background recall, 000's
    # summary) is shown beside it without widening the range
    assert injured.value["best"] == 12 and injured.value["high"] == 14
    assert any(r.value and r.value.get("high") == 99 for r in injured.reported)
    assert not ryanggang.fields["quantity:distance_to_border"].conflict  # 60 m ~ 65 yards
    assert not ryanggang.fields["quantity:kill_radius"].conflict
    # 800-mile vs 880 km border (004 mentions the 2020 incidents as context)
    assert ryanggang.fields["quantity:border_length"].conflict
    assert ryanggang.original_sources == ["Radio Free Asia"]
    assert ryanggang.independent_sources == 1


def test_001_is_derivative_of_002(seeds_dir: Path) -> None:
    docs = build(seeds_dir)
    items = [(d.meta, e) for d in docs.values() for e in d.events]
    res = corroborate(items, {d.meta.id: d.text for d in docs.values()})
    links = res.source_links()
    derived = [
        lk
        for lk in links
        if lk["document_id"] == docs["001"].meta.id and lk["derived_from"] == docs["002"].meta.id
    ]
    assert derived and derived[0]["original_source"] == "Daily NK"
    assert any(
        lk["document_id"] == docs["000"].meta.id
        and lk["original_source"] == "Radio Free Asia"
        and lk["method"] == "attribution"
        for lk in links
    )
    assert not any(lk["document_id"] == docs["003"].meta.id and lk["derived_from"] for lk in links)
