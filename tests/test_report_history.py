"""History recalled as background: told in the profile, never counted."""

from __future__ import annotations

from minewatch.model import DocumentMeta, Event, Evidence, Incident, IncidentMember, Place, When
from minewatch.report import ReportOptions, make_profile, render
from minewatch.reportdata import ReportData
from minewatch.reportdata.background import background_events, background_incidents

TEXT = (
    "Annual review 2025. In 2018, the two Koreas cleared mines in the Joint Security Area. "
    "In 2015, two soldiers were injured by a mine in the Demilitarized Zone."
)
META = DocumentMeta(id="sha256:aa", input_id="review.txt", publisher="Review", published="2025")
JSA = Place(
    text="in the Joint Security Area",
    name="Joint Security Area",
    place_id="kp-kr-jsa",
    country="KP",
    lat=37.96,
    lon=126.68,
    precision=1,
    kind="zone",
)


def _event(eid: str, etype: str, year: int, *, aggregate: bool = False) -> Event:
    start = TEXT.index(f"In {year}")
    return Event(
        id=eid,
        type=etype,
        context=True,
        aggregate=aggregate,
        when=When(f"{year}-01-01", f"{year}-12-31", "year", f"In {year}"),
        where=[JSA],
        evidence=[Evidence("mention", start, TEXT.index(".", start) + 1)],
    )


def test_background_events_leave_out_incident_members_and_period_totals() -> None:
    items = [
        (META, _event("e1", "clearance", 2018)),
        (META, _event("e2", "casualty", 2015)),
        (META, _event("e3", "casualty", 2015, aggregate=True)),
        (META, Event(id="e4", type="clearance")),  # news, not background
    ]
    inc = Incident(
        id="inc-1", type="casualty", members=[IncidentMember("sha256:aa#e2", "sha256:aa")]
    )
    kept = background_events(items, [inc])
    assert [ev.id for _m, ev in kept] == ["e1"]


def test_history_is_told_and_never_counted() -> None:
    items = [(META, _event("e1", "clearance", 2018))]
    history = background_incidents(items, {"sha256:aa": TEXT}.get)
    assert len(history) == 1 and history[0].value("context") is True
    data = ReportData([], {META.id: META}, {META.id: TEXT}.get, background=history)
    p = make_profile(data, ReportOptions(country="KP", generated="2025-06-01"), graphics=False)
    assert [v.type for v in p.history] == ["clearance"] and p.history[0].context
    assert not p.incidents and not p.casualty_rows and not p.clearance
    progress = render(p, "md").split("## Land release outputs and progress", 1)[1]
    assert "In 2018, mines were cleared in the Joint Security Area." in progress.split("##")[0]
