"""Nothing unrelated attached: candidates, background mentions, period totals, types."""

from __future__ import annotations

import dataclasses
import json

import pytest

from minewatch.corroborate import corroborate
from minewatch.corroborate.build import CorroborationResult
from minewatch.model import Count, DocumentMeta, Event, Place, When

COPOSA = Place("Coposa", "Coposa", None, "CO", "Antioquia", 7.2, -75.4, 1, "in")
ANTIOQUIA = Place("Antioquia", "Antioquia", "co-ant", "CO", "Antioquia", None, None, 4, "in")
ENGLAND = Place("England", "England", None, "GB", None, None, None, 6, "in")
DAY = When("2024-07-04", "2024-07-04", "day", "Thursday, July 4")
NO_TIME = When(None, None, "unknown", "")


def meta(n: str, published: str | None = "2024-07-06") -> DocumentMeta:
    return DocumentMeta(f"sha256:{n:0>64}", f"doc-{n}", published=published)


def ev(eid: str, where: list[Place], when: When = DAY, **kw: object) -> Event:
    fields = {"type": "casualty", "killed": Count.exact(6), "victims": "military", **kw}
    return Event(id=eid, when=when, where=[dataclasses.replace(p) for p in where], **fields)  # type: ignore[arg-type]


def run(*pairs: tuple[DocumentMeta, Event]) -> CorroborationResult:
    return corroborate(list(pairs))


def where_is(res: CorroborationResult, m: DocumentMeta) -> list[tuple[str, str]]:
    return [(i.id, x.role) for i in res.incidents for x in i.members if x.document_id == m.id]


def test_rewrites_join_and_an_unknown_place_is_a_candidate_only() -> None:
    a, b, c = meta("a"), meta("b"), meta("c")
    res = run((a, ev("e1", [COPOSA])), (b, ev("e1", [ANTIOQUIA])), (c, ev("e1", [])))
    (inc,) = [i for i in res.incidents if len(i.members) > 1]
    assert {x.document_id for x in inc.members} == {a.id, b.id}
    # c (no place) is listed apart, with the incident it could be, and is in no incident
    assert [(x.document_id, x.incidents) for x in res.candidates] == [(c.id, [inc.id])]
    assert where_is(res, c) == []
    assert c.input_id not in json.dumps([i.to_json() for i in res.incidents])


def test_an_undated_find_in_england_is_attached_to_nothing() -> None:
    a, b = meta("a"), meta("b", published=None)
    wwii = ev("e1", [ENGLAND], NO_TIME, type="discovery", killed=None, victims=None)
    res = run((a, ev("e1", [COPOSA])), (b, wwii), (meta("c"), ev("e1", [COPOSA])))
    assert all(b.id not in i.document_ids or len(i.members) == 1 for i in res.incidents)
    assert not res.candidates  # another type and another country: not even a candidate


def test_no_known_country_never_joins() -> None:
    a, b = meta("a"), meta("b")
    nowhere = Place("the hill", None, None, None, None, None, None, 7, "in")
    res = run((a, ev("e1", [COPOSA])), (b, ev("e1", [nowhere])))
    assert where_is(res, b) == [] and [x.document_id for x in res.candidates] == [b.id]


def test_an_unplaced_dated_report_takes_its_documents_one_country() -> None:
    a, b, c = meta("a"), meta("b"), meta("c")
    total = ev("e2", [ANTIOQUIA], When("2024-01-01", "2024-12-31", "year", "in 2024"))
    total = dataclasses.replace(total, context=True, killed=Count.exact(40))
    # b names no place for the blast, but its other events all lie in Colombia
    res = run((a, ev("e1", [COPOSA])), (b, ev("e1", [])), (b, total))
    (inc,) = [i for i in res.incidents if len(i.members) > 1]
    assert {x.document_id for x in inc.members} == {a.id, b.id}
    assert inc.fields["where"].value["name"] == "Coposa"  # no invented place reported
    # with no time of its own (``reported``) the document's country is not enough
    vague = ev("e1", [], When(None, None, "unknown", ""))
    res = run((a, ev("e1", [COPOSA])), (c, vague), (c, total))
    assert where_is(res, c) == [] and [x.document_id for x in res.candidates] == [c.id]
    # a document of two countries places nothing
    lima = Place("Lima", "Lima", None, "PE", "Lima", -12.0, -77.0, 1, "in")
    res = run((a, ev("e1", [COPOSA])), (b, ev("e1", [])), (b, total), (b, ev("e3", [lima])))
    assert [x.event_key for x in res.candidates] == [f"{b.id}#e1"]


def test_a_date_after_publication_is_read_as_no_time_of_its_own() -> None:
    a, b = meta("a", "2024-07-06"), meta("b", "2024-07-05")
    misread = ev("e1", [COPOSA], When("2025-03-01", "2025-03-01", "day", "1 March"))
    res = run((a, ev("e1", [COPOSA])), (b, misread))
    (inc,) = res.incidents  # matched as a report of the weeks before its publication
    assert len(inc.members) == 2
    when = inc.fields["when"]
    assert when.value["start"] == "2024-07-04" and not when.conflict  # never the misread date
    assert sorted(r.value["start"] for r in when.reported) == ["2024-07-04", "2025-03-01"]
    # a warning may look ahead: its date stands
    ahead = dataclasses.replace(misread, status="possible")
    assert len(run((a, ev("e1", [COPOSA])), (b, ahead)).incidents) == 2


def test_a_toll_may_grow_in_a_later_report_of_the_same_day_never_shrink() -> None:
    first, later = meta("a", "2024-07-04"), meta("b", "2024-07-06")

    def joined(early: int, late: int, when: When = DAY) -> bool:
        res = run(
            (first, ev("e1", [COPOSA], when, killed=None, injured=Count.exact(early))),
            (later, ev("e1", [COPOSA], when, killed=None, injured=Count.exact(late))),
        )
        return len(res.incidents) == 1

    assert joined(1, 5) and joined(2, 20)  # the wounded counted later: one blast
    assert not joined(5, 1)  # a later report does not lose four of five wounded
    assert not joined(1, 12)  # beyond an order of magnitude: another blast
    july = When("2024-07-01", "2024-07-31", "month", "in July")
    assert not joined(1, 5, july)  # only reports dated to the same days
    (inc,) = run(
        (first, ev("e1", [COPOSA], killed=None, injured=Count.exact(1))),
        (later, ev("e1", [COPOSA], killed=None, injured=Count.exact(5))),
    ).incidents
    assert inc.fields["injured"].conflict  # the differing tallies stay visible


def test_background_attaches_when_type_time_and_place_match_else_stays_apart() -> None:
    a, b, c = meta("a"), meta("b", "2024-09-01"), meta("c")
    recall = ev("e1", [COPOSA], context=True)
    stat = ev("e2", [ANTIOQUIA], When("2024-01-01", "2024-06-30", "year_part", ""), context=True)
    stat = dataclasses.replace(stat, killed=Count.exact(40))
    old = ev("e1", [COPOSA], When("2019-05-01", "2019-05-31", "month", "May 2019"), context=True)
    res = run((a, ev("e1", [COPOSA])), (b, recall), (b, stat), (c, old))
    (inc,) = res.incidents  # background never founds an incident
    assert [(x.document_id, x.role) for x in inc.members] == [
        (a.id, "member"),
        (b.id, "background"),
    ]
    assert inc.independent_sources == 1
    assert sorted(x.event_key for x in res.background_only) == [f"{b.id}#e2", f"{c.id}#e1"]


def test_a_period_total_is_never_attached() -> None:
    if "aggregate" not in {f.name for f in dataclasses.fields(Event)}:
        pytest.skip("Event has no `aggregate` yet (added by the extraction issue)")
    a, b = meta("a"), meta("b")
    total = Event.from_json({**ev("e1", [COPOSA], context=True).to_json(), "aggregate": True})
    res = run((a, ev("e1", [COPOSA])), (b, total))
    assert where_is(res, b) == [] and [x.document_id for x in res.background_only] == [b.id]


def test_a_detonation_and_its_casualty_report_are_one_casualty_incident() -> None:
    a, b = meta("a"), meta("b")
    blast = ev("e1", [COPOSA], type="detonation", killed=None, victims=None)
    res = run((a, blast), (b, ev("e1", [COPOSA])))
    (inc,) = res.incidents
    assert inc.type == "casualty" and len(inc.members) == 2


def test_a_series_keeps_each_tally_and_chooses_the_latest() -> None:
    since = When("2024-03-01", None, "open", "since spring")
    docs = [meta("a", "2024-05-01"), meta("b", "2024-06-01"), meta("c", "2024-07-01")]
    tallies = (5, 9, 14)  # growing from report to report: never added up
    series = [
        (m, ev("e1", [ANTIOQUIA], since, killed=Count.exact(k)))
        for m, k in zip(docs, tallies, strict=True)
    ]
    (inc,) = run(*series).incidents
    killed = inc.fields["killed"]
    assert killed.value == {"low": 14, "best": 14, "high": 14} and "series" in killed.rule
    assert [r.value["best"] for r in killed.reported] == [5, 9, 14]  # publication order
    # a dated blast within the series is one of its reports
    day = When("2024-04-02", "2024-04-02", "day", "2 April")
    blast = (meta("d", "2024-08-01"), ev("e1", [COPOSA], day, killed=Count.exact(2)))
    res = run(*series, blast)
    assert [len(i.members) for i in res.incidents] == [4]
    # ... published last, its toll is a part: the series' latest tally stays chosen,
    # and the incident's time is the series' period, not the blast's day
    (inc,) = res.incidents
    assert inc.fields["killed"].value["best"] == 14
    assert [r.value["best"] for r in inc.fields["killed"].reported] == [5, 9, 14, 2]
    assert inc.fields["when"].value["precision"] == "open" and "series" in inc.fields["when"].rule


def test_country_on_a_border_line_follows_most_reports() -> None:
    line = Place("the Chinese border", "China–North Korea border", "kp-cn-border", "KP", None,
                 None, None, 5, "along", border_segment="china")  # fmt: skip
    dandong = Place("Dandong", "Dandong", "cn-dandong", "CN", "Liaoning", 40.1, 124.4, 1, "in")
    laying = When("2023-08-01", "2023-08-31", "month", "in August")
    kw = {"type": "emplacement", "killed": None, "victims": None}
    res = run(
        (meta("a"), ev("e1", [line], laying, **kw)),
        (meta("b"), ev("e1", [line], laying, **kw)),
        (meta("c"), ev("e1", [line, dandong], laying, **kw)),  # seen from across the river
    )
    (inc,) = [i for i in res.incidents if len(i.members) == 3]
    assert inc.country == "KP" and "across the border" in inc.fields["country"].rule
    assert sorted(r.value for r in inc.fields["country"].reported) == ["CN", "KP", "KP"]
