"""Unit tests: source rules data, compatibility, field choice, attribution, derivation."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.corroborate import corroborate
from minewatch.corroborate.compat import (
    Matcher,
    counts_compatible,
    quantities_agree,
)
from minewatch.corroborate.fields import merge_counts
from minewatch.corroborate.records import PlaceLite, make_record, primary_places
from minewatch.corroborate.sources import (
    analyse_sources,
    derivative_links,
    find_attributions,
    load_rules,
)
from minewatch.model import Count, DocumentMeta, Event, Evidence, Place, When

KINDS = {
    "media with anonymous local source",
    "media",
    "official military statement",
    "official government statement",
    "official state media",
    "NGO",
    "UN",
}


# --- rules as data ------------------------------------------------------------------------


def test_source_rules_integrity() -> None:
    rules = load_rules()
    names = [o.name for o in rules.outlets]
    assert len(names) == len(set(names))
    seen: dict[str, str] = {}
    for o in rules.outlets:
        assert o.kind in KINDS, o
        assert o.aliases, o
        for a in o.aliases:
            assert a not in seen, f"alias {a!r} of {o.name} also used by {seen[a]}"
            seen[a] = o.name
            assert a != "AP", "'AP' is anti-personnel in mine reporting"
    for tpl in rules.attribution:
        assert "{outlet}" in tpl
        re.compile(tpl.replace("{outlet}", "(?P<outlet>X)"))
    assert {"source", "resident"} <= rules.anonymous_markers


# --- attribution and derivation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "source", "kind"),
    [
        (
            "A source in the province told Daily NK that two died.",
            "Daily NK",
            "media with anonymous local source",
        ),
        (
            "Speaking to Radio Free Asia, a resident said the field was mined.",
            "Radio Free Asia",
            "media with anonymous local source",
        ),
        ("Three soldiers died, according to Yonhap.", "Yonhap", "media"),
        (
            "A JCS official said troops were hurt.",
            "South Korean military (JCS)",
            "official military statement",
        ),
        (
            "Mines exploded, according to South Korea's Joint Chiefs of Staff.",
            "South Korean military (JCS)",
            "official military statement",
        ),
        (
            "As a source described to DailyNK, people keep trying.",
            "Daily NK",
            "media with anonymous local source",
        ),
        (
            "Asia Press reported the warning on Tuesday.",
            "Rimjin-gang",
            "media with anonymous local source",
        ),
    ],
)
def test_attributions(sentence: str, source: str, kind: str) -> None:
    found = [a for a in find_attributions(sentence) if a.method == "attribution"]
    assert [(a.source, a.kind) for a in found] == [(source, kind)]


def test_no_attribution_in_plain_text() -> None:
    assert find_attributions("AP mines were laid along the road in 2024.") == []


def test_footnote_citations() -> None:
    text = (
        "Mines were laid on the road.¹ Troops were hurt in 2024.² The zone is 4 km² wide.\n\n"
        "- 1 “Roads mined”, *Newsweek*, 30 April 2024.\n"
        "- 2 Ibid.; and “Blasts”, *CNN*, 18 June 2024.\n"
    )
    cites = [
        (a.source, text[a.start : a.end]) for a in find_attributions(text) if a.method == "citation"
    ]
    # footnote 2 starts with Ibid.: the previous footnote's outlet comes first
    assert cites == [("Newsweek", "¹"), ("Newsweek", "²")]


def test_citation_supports_the_text_before_it() -> None:
    text = (
        "First claim here.¹ Second claim about casualties.²\n\n"
        "- 1 *CNN*, 2024.\n- 2 *Yonhap*, 2024.\n"
    )
    meta = DocumentMeta("sha256:t", "t.txt", publisher="Mine Action Review", published="2025")
    ana = analyse_sources([meta], {meta.id: text})
    s = text.index("Second claim")
    ev = Event("e1", "casualty", evidence=[Evidence("casualties", s, s + 12)])
    assert ana.origin_of(meta, ev).source == "Yonhap"
    ev0 = Event("e2", "casualty", evidence=[Evidence("type", 0, 11)])
    assert ana.origin_of(meta, ev0).source == "CNN"


def test_derivative_by_shared_quote_and_near_duplicate() -> None:
    quote = "nobody warned us that the hill had been mined again this winter so we went up"
    a = f"Residents spoke of the blast. “{quote}”, one said. The army sealed the area off."
    b = f"A blog retold it: “{quote}.” Hunger drives people into minefields, it argued."
    para = (
        "Four soldiers were killed on October 28 when a mine exploded while they were "
        "building a fence near the border, a source in the province said, adding that the "
        "troops had been pushed to finish the work before the ground froze."
    )
    c = para + " More details were not available."
    d = "Another outlet wrote: " + para
    metas = {
        "A": DocumentMeta("A", "a", publisher="Radio Free Asia", published="2022-03-25"),
        "B": DocumentMeta("B", "b", publisher="Crossing Borders", published="2022-04-02"),
        "C": DocumentMeta("C", "c", publisher="Daily NK", published="2022-11-02"),
        "D": DocumentMeta("D", "d", publisher="unknown", published="2022-11-03"),
        "E": DocumentMeta("E", "e", publisher="Yonhap", published="2022-11-03"),
    }
    e = "Unrelated: a clearance team removed 158 mines near Cheorwon in 2020."
    links = derivative_links(metas, {"A": a, "B": b, "C": c, "D": d, "E": e})
    got = {(lk.doc, lk.other, lk.method) for lk in links}
    assert ("B", "A", "shared_quote") in got  # the later one derives from the earlier
    assert ("D", "C", "near_duplicate") in got
    assert not any("E" in (lk.doc, lk.other) for lk in links)


# --- compatibility --------------------------------------------------------------------------


def test_quantities_after_normalisation() -> None:
    assert quantities_agree((60, 60), (59.44, 59.44))  # 60 m vs 65 yards
    assert quantities_agree((2.55, 3.45), (3.0, 3.5))  # around 3 m vs 10 feet
    assert not quantities_agree((1_287_475, 1_287_475), (880_000, 880_000))  # 800 mi vs 880 km


def test_counts_compatibility() -> None:
    assert counts_compatible((10, 12, 14), (24, 24, 99))  # about a dozen vs dozens
    assert not counts_compatible((3, 3, 3), (20, 20, 20))
    assert counts_compatible((2, None, None), (40, 40, 40))  # "multiple"


def _lite(
    pid: str | None,
    country: str | None,
    admin1: str | None,
    prec: int,
    seg: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    name: str | None = None,
) -> PlaceLite:
    return PlaceLite(pid, name or pid, country, admin1, lat, lon, prec, seg)


class FakeGaz:
    def contains(self, outer: str, inner: str) -> bool:
        return (outer, inner) == ("kp-nh", "kp-musan")


def test_place_fit() -> None:
    m = Matcher(FakeGaz())
    musan = _lite("kp-musan", "KP", "North Hamgyong", 2, "china", 42.23, 129.21)
    nh = _lite("kp-nh", "KP", "North Hamgyong", 4)
    hyesan = _lite("kp-hyesan", "KP", "Ryanggang", 1, "china", 41.40, 128.18)
    dmz = _lite("dmz", None, None, 5, "dmz")
    border = _lite("kp-cn-border", "CN", None, 5, "china")
    paju = _lite("kr-paju", "KR", "Gyeonggi", 1, "dmz", 37.76, 126.78)
    china = _lite("CN", "CN", None, 6)
    assert m.place_fit(musan, musan) == pytest.approx(0.9)
    assert m.place_fit(nh, musan) is not None  # nested
    assert m.place_fit(musan, hyesan) is None  # two towns far apart
    assert m.place_fit(dmz, border) is None  # the DMZ is not the China border
    assert m.place_fit(border, musan) is not None  # a border line is in KP too
    assert m.place_fit(dmz, paju) is not None
    assert m.place_fit(dmz, china) is None  # the DMZ does not touch China


def test_primary_places_leave_out_strays() -> None:
    ps = [
        Place("into China", "China", "CN", "CN", precision=6),
        Place("Seoul", "Seoul", "kr-seoul", "KR", "Seoul", precision=1),
        Place("Musan", "Musan", "kp-musan", "KP", "North Hamgyong", precision=2),
        Place("North Hamgyong", "North Hamgyong", "kp-nh", "KP", "North Hamgyong", precision=4),
        Place("50 km from Kaesong", "Kaesong", "kp-kaesong", "KP", precision=1, relation="from"),
    ]
    assert [p.place_id for p in primary_places(ps)] == ["kp-musan"]


# --- field choice ---------------------------------------------------------------------------


def test_merge_counts() -> None:
    v, ok = merge_counts([(10, 12, 14), (24, 24, 99)])
    assert v == {"low": 10, "best": 12, "high": 99} and not ok
    v, ok = merge_counts([(3, 3, None), (5, 5, 5)])  # at least 3, and 5
    assert v == {"low": 3, "best": 5, "high": None} and ok
    v, ok = merge_counts([(2, None, None), (4, 5, 6)])
    assert v == {"low": 2, "best": 5, "high": None} and ok


def _ev(eid: str, when: When, **kw: object) -> Event:
    return Event(
        eid,
        "casualty",
        when=when,
        where=[Place("Musan", "Musan", "kp-musan", "KP", "North Hamgyong", precision=2)],
        **kw,
    )  # type: ignore[arg-type]


def test_fields_of_an_incident() -> None:
    a = DocumentMeta("sha256:a", "a.txt", publisher="Daily NK", published="2023-11-07")
    b = DocumentMeta("sha256:b", "b.txt", publisher="Yonhap", published="2023-11-20")
    ea = _ev(
        "e1",
        When("2023-10-11", "2023-10-20", "month_part"),
        killed=Count.exact(3),
        status="reported",
    )
    eb = _ev(
        "e1", When("2023-10-01", "2023-10-31", "month"), killed=Count(4, 5, 6), status="denied"
    )
    inc = corroborate([(a, ea), (b, eb)]).incidents
    assert len(inc) == 1
    f = inc[0].fields
    assert f["when"].value["start"] == "2023-10-11"  # tightest consistent
    assert not f["when"].conflict
    assert f["killed"].value == {"low": 3, "best": 3, "high": 6} and f["killed"].conflict
    assert f["status"].value == "reported" and f["status"].conflict
    assert {r.input_id for r in f["killed"].reported} == {"a.txt", "b.txt"}
    assert inc[0].independent_sources == 2


# --- invariants -----------------------------------------------------------------------------

TOWNS = [
    ("kp-musan", "North Hamgyong", 42.23, 129.21),
    ("kp-hoeryong", "North Hamgyong", 42.44, 129.75),
    ("kp-hyesan", "Ryanggang", 41.40, 128.18),
]


@st.composite
def corpora(draw: st.DrawFn) -> list[tuple[DocumentMeta, Event]]:
    n_docs = draw(st.integers(1, 6))
    items = []
    for d in range(n_docs):
        meta = DocumentMeta(f"sha256:{d:04x}", f"{d}.txt", published="2023-12-31")
        for k in range(draw(st.integers(1, 3))):
            day = draw(st.integers(1, 60))
            span = draw(st.sampled_from([0, 6, 29, 400]))
            pid, adm, lat, lon = draw(st.sampled_from(TOWNS))
            prec = draw(st.sampled_from([1, 2, 4]))
            start = f"2023-{1 + (day - 1) // 30:02d}-{1 + (day - 1) % 28:02d}"
            from datetime import date, timedelta

            end = (date.fromisoformat(start) + timedelta(days=span)).isoformat()
            ev = Event(
                f"e{k + 1}",
                draw(st.sampled_from(["casualty", "casualty", "emplacement"])),
                when=When(start, min(end, "2023-12-31"), "span"),
                where=[
                    Place(
                        pid,
                        pid,
                        pid if prec < 4 else adm,
                        "KP",
                        adm,
                        lat if prec < 4 else None,
                        lon if prec < 4 else None,
                        prec,
                    )
                ],
                killed=draw(
                    st.sampled_from([None, Count.exact(1), Count.exact(3), Count(2, None, None)])
                ),
                victims=draw(st.sampled_from([None, "civilian", "military"])),
            )
            items.append((meta, ev))
    return items


def _partition(items: list[tuple[DocumentMeta, Event]]) -> set[frozenset[str]]:
    res = corroborate(items)
    return {frozenset((m.event_key, m.role) for m in i.members) for i in res.incidents}


@settings(max_examples=40, deadline=None)
@given(corpora(), st.randoms())
def test_clustering_invariants(items: list[tuple[DocumentMeta, Event]], rnd: object) -> None:
    res = corroborate(items)
    keys = {f"{m.id}#{e.id}" for m, e in items}
    member_of: dict[str, int] = {}
    for inc in res.incidents:
        docs = [m.document_id for m in inc.members if m.role == "member"]
        assert len(docs) == len(set(docs)), "two events of one document in one incident"
        assert docs, "an incident without members"
        for m in inc.members:
            if m.role == "member":
                assert m.event_key not in member_of
                member_of[m.event_key] = 1
    mentioned = {m.event_key for i in res.incidents for m in i.members if m.role == "mention"}
    assert keys == set(member_of) | mentioned
    assert not set(member_of) & mentioned
    # the same incidents whatever the input order
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert _partition(shuffled) == _partition(items)
    assert {i.id for i in corroborate(shuffled).incidents} == {i.id for i in res.incidents}


def test_records_of_events_without_places() -> None:
    meta = DocumentMeta("sha256:x", "x.txt", published="2024")
    r = make_record(0, meta, Event("e1", "policy"))
    assert r.places == () and r.country is None and r.vague
