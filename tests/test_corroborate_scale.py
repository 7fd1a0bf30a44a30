"""Corroboration at scale: the memory and speed measures must not change any result."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.corroborate import HumanDecision, corroborate
from minewatch.corroborate.cluster import _components, _specific_first, cluster_records
from minewatch.corroborate.compat import Matcher
from minewatch.corroborate.fields import Shared, place_json
from minewatch.corroborate.records import Rec, make_record
from minewatch.model import Count, DocumentMeta, Event, Place, When

#: (place_id, country, admin1, lat, lon, precision, border_segment)
PLACES = [
    ("kp-musan", "KP", "North Hamgyong", 42.23, 129.21, 2, None),
    ("kp-hyesan", "KP", "Ryanggang", 41.40, 128.18, 2, None),
    ("kp-nh", "KP", "North Hamgyong", None, None, 4, None),
    ("kr-paju", "KR", "Gyeonggi", 37.76, 126.78, 2, None),
    ("kr-gg", "KR", "Gyeonggi", None, None, 4, None),
    ("cn-dandong", "CN", "Liaoning", 40.12, 124.38, 2, None),
    ("kp", "KP", None, None, None, 6, None),
    # a border zone: in two countries at once, so its events have no single country
    ("dmz", "KP", None, None, None, 5, "dmz"),
]


def _place(i: int) -> Place:
    pid, country, admin1, lat, lon, prec, seg = PLACES[i]
    return Place(pid, pid, pid, country, admin1, lat, lon, prec, border_segment=seg)


@st.composite
def records(draw: st.DrawFn, unknown_country: bool) -> list[Rec]:
    """Events of several documents, countries and types (some of no single country)."""
    recs: list[Rec] = []
    last_place = len(PLACES) if unknown_country else len(PLACES) - 1
    for d in range(draw(st.integers(1, 8))):
        meta = DocumentMeta(f"sha256:{d:04x}", f"{d}.txt", published="2024-03-31")
        for k in range(draw(st.integers(1, 3))):
            start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 50)))
            span = draw(st.sampled_from([0, 6, 20, 90]))
            # no place, or only a border zone: an event of no single country
            places = draw(
                st.lists(st.integers(0, last_place - 1), min_size=1 - unknown_country, max_size=2)
            )
            ev = Event(
                f"e{k + 1}",
                draw(st.sampled_from(["casualty", "casualty", "emplacement"])),
                when=When(start.isoformat(), (start + timedelta(days=span)).isoformat(), "span"),
                where=[_place(i) for i in places],
                killed=draw(
                    st.sampled_from([None, Count.exact(1), Count.exact(2), Count(2, None, None)])
                ),
                victims=draw(st.sampled_from([None, "civilian", "military"])),
            )
            recs.append(make_record(len(recs), meta, ev))
    return recs


@st.composite
def constrained(draw: st.DrawFn) -> tuple[list[Rec], list[list[int]], list[tuple[int, int]]]:
    recs = draw(records(unknown_country=draw(st.booleans())))
    n = len(recs)
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=min(n, 6)))
    cut = draw(st.integers(0, len(picked)))
    must = [sorted(g) for g in (picked[:cut], picked[cut:]) if len(g) > 1]
    cannot = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3))
    return recs, must, [(a, b) for a, b in cannot if a != b]


@settings(max_examples=60, deadline=None)
@given(constrained())
def test_clustering_by_parts_equals_one_pass(
    case: tuple[list[Rec], list[list[int]], list[tuple[int, int]]],
) -> None:
    recs, must, cannot = case
    parts = cluster_records(recs, Matcher(), must_link=must, cannot_link=cannot)
    one = cluster_records(recs, Matcher(), must_link=must, cannot_link=cannot, by_parts=False)
    assert parts.clusters == one.clusters
    assert parts.mentions == one.mentions
    assert parts.comparisons == one.comparisons


def _by_tuple(recs: list[Rec]) -> list[int]:
    return sorted(
        range(len(recs)),
        key=lambda i: (
            recs[i].type,
            -recs[i].spec,
            recs[i].country or "",
            recs[i].admin1 or "",
            recs[i].key,
        ),
    )


@settings(max_examples=30, deadline=None)
@given(records(unknown_country=True))
def test_specific_first_sorts_as_the_tuples_do(recs: list[Rec]) -> None:
    assert _specific_first(recs) == _by_tuple(recs)
    recs[0].country = "K\0P"  # a NUL inside a value: the tuple sort takes over
    assert _specific_first(recs) == _by_tuple(recs)


def test_parts_split_by_country_unless_tied() -> None:
    meta = DocumentMeta("sha256:a", "a.txt", published="2024-03-31")

    def rec(i: int, type_: str, place: int | None) -> Rec:
        where = [] if place is None else [_place(place)]
        return make_record(i, meta, Event(f"e{i}", type_, where=where))

    recs = [rec(0, "casualty", 0), rec(1, "casualty", 3), rec(2, "emplacement", 0)]
    recs += [rec(3, "emplacement", 3), rec(4, "emplacement", None)]
    order = list(range(len(recs)))  # positions in the order are the indexes
    parts = [sorted(p) for p in _components(recs, order, [])]
    # casualties: KP and KR apart; emplacements: tied by the event of no country
    assert sorted(parts) == [[0], [1], [2, 3, 4]]
    # a human merge of the two casualties joins their parts
    parts = [sorted(p) for p in _components(recs, order, [[0, 1]])]
    assert sorted(parts) == [[0, 1], [2, 3, 4]]


def test_shared_values_are_exact() -> None:
    sh = Shared()
    w = When("2024-01-02", "2024-01-09", "week", "early January")
    assert sh.when(w) == w.to_json() and sh.when(When(*w.__dict__.values())) is sh.when(w)
    a = Place("Musan", "Musan", "kp-musan", "KP", lat=42, lon=129.2, precision=2)
    b = Place("Musan", "Musan", "kp-musan", "KP", lat=42.0, lon=129.2, precision=2)
    # equal in Python, not in JSON ("42" vs "42.0"): never one shared dict
    assert json.dumps(sh.place(a)) == json.dumps(place_json(a)) != json.dumps(sh.place(b))
    assert sh.place(a, compact=False) == place_json(a, compact=False)
    assert sh.places([a, b]) is sh.places([Place(**a.__dict__), b])
    assert sh.count((1, 1, 1)) is sh.count((1, 1, 1))
    assert json.dumps(sh.count((1, 1, True))) != json.dumps(sh.count((1, 1, 1)))
    assert sh.strings(["TM-46"]) == ["TM-46"] and sh.strings(["a"]) is sh.strings(["a"])


def test_edit_of_a_shared_field_stays_in_its_incident() -> None:
    def item(d: str, town: int) -> tuple[DocumentMeta, Event]:
        meta = DocumentMeta(f"sha256:{d}", f"{d}.txt", published="2024-03-31")
        ev = Event("e1", "casualty", when=When("2024-03-01", "2024-03-01", "day"))
        ev.where = [_place(town)]
        return meta, ev

    items = [item("a", 0), item("b", 3)]
    plain = corroborate(items).incidents
    assert len(plain) == 2
    # both incidents hold the very same unreported "actor" choice ...
    assert plain[0].fields["actor"] is plain[1].fields["actor"]
    edit = HumanDecision(
        1, "edit", {"events": ["sha256:a#e1"]}, {"field": "actor", "value": "KPA"}, "seen"
    )
    edited = {i.members[0].event_key: i for i in corroborate(items, decisions=[edit]).incidents}
    # ... yet an edit of one leaves the other alone
    assert edited["sha256:a#e1"].value("actor") == "KPA"
    assert edited["sha256:b#e1"].value("actor") is None
    again = corroborate(items).incidents
    assert [i.to_json() for i in again] == [i.to_json() for i in plain]
