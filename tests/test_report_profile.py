"""The country profile built from hand-made incidents (sample_data)."""

from __future__ import annotations

import re
from datetime import date

from minewatch.model import Count
from minewatch.report import ReportOptions, build_profile, load_country_facts, render
from sample_data import doc_id, sample_data


def _profile(**kw: object):  # type: ignore[no-untyped-def]
    opts = ReportOptions(country="KP", generated="2025-01-01", **kw)  # type: ignore[arg-type]
    return build_profile(sample_data(), load_country_facts("KP"), opts)


def test_rejected_incidents_never_count() -> None:
    p = _profile()
    ids = {v.id for v in p.incidents}
    assert "inc-rejected-coal" not in ids
    assert p.excluded["rejected"] == 1
    # the rejected incident's 9 killed appear nowhere
    assert p.casualty_total is not None and p.casualty_total.killed == Count.exact(3)


def test_confirmed_only() -> None:
    p = _profile(include_unconfirmed=False)
    assert [v.id for v in p.incidents] == ["inc-2020-china-border-use"]
    assert p.excluded["unreviewed"] == 9


def test_period_filter_uses_interval_overlap() -> None:
    p = _profile(date_from=date(2023, 10, 1), date_to=date(2023, 12, 31))
    ids = {v.id for v in p.incidents}
    # mid-October and the open intervals that reach into the period; not September
    assert "inc-2023-10-musan" in ids and "inc-2023-dmz-soldiers" in ids
    assert "inc-2023-09-musan" not in ids and "inc-2020-ryanggang" not in ids
    assert p.excluded["outside_period"] >= 5


def test_casualty_table_cells() -> None:
    p = _profile()
    rows = {(r.year, r.group): r for r in p.casualty_rows}
    mil20 = rows[(2020, "military")]
    assert mil20.injured == Count(13, 15, 23)  # about a dozen + several
    assert mil20.killed is None and mil20.unsplit is None  # not reported, not 0
    assert len(mil20.basis.incidents) == 2 and mil20.basis.independent_sources == 1
    civ23 = rows[(2023, "civilian")]
    assert civ23.killed == Count.exact(3) and civ23.unsplit == Count.exact(5)
    assert civ23.roles == ["defector"]
    assert civ23.basis.phrase == "2 incidents from 2 reports, 1 independent source"
    mil23 = rows[(2023, "military")]
    assert mil23.unsplit == Count(2, None, None)


def test_possible_events_are_listed_but_not_counted() -> None:
    p = _profile()
    assert [v.id for v in p.not_counted] == ["inc-2024-yalu-flood"]
    assert all(v.id != "inc-2024-yalu-flood" for v in p.displacement)
    kinds_2024 = [d.kind for y, ds in p.developments if y == 2024 for d in ds]
    assert kinds_2024 == ["warning"]


def test_sources_are_numbered_by_date_with_hashes() -> None:
    p = _profile()
    assert [s.publisher for s in p.sources][:2] == ["Syndicated tabloid", "Daily NK"]
    assert p.sources[1].sha256 == doc_id("dailynk").split(":")[1]
    v = next(v for v in p.incidents if v.id == "inc-2023-10-musan")
    assert v.refs == [2, 3]


def test_markdown_footnotes_every_statement_and_shows_unknown() -> None:
    md = render(_profile(), "md")
    # the key developments are a paragraph whose every factual sentence cites
    section = md.split("## Key developments", 1)[1].split("## Recommendations", 1)[0]
    para = next(ln for ln in section.splitlines() if ln.strip() and not ln.startswith("!"))
    sentences = re.split(r"(?<=[.\]])\s+(?=[A-Z])", para)
    assert len(sentences) >= 3 and not para.startswith("- ")
    for sent in sentences:
        assert re.search(r"\[\^\d+\]$", sent) or sent.startswith("No "), sent
    # the sources list carries publisher, title, date, URL and SHA-256
    sha = doc_id("dailynk").split(":")[1]
    assert re.search(rf"\[\^2\]: Daily NK, “[^”]+”, 2023-11-07, .*https://example.org.*{sha}", md)
    table = md.split("## Casualties", 1)[1].split("## Victim assistance", 1)[0]
    assert "not reported" in table and "at least 2" in table
    assert "| 0 |" not in table
    # conflicting readings of the same incident are shown side by side
    assert "Reports differ on **injured**: 12 (10–14)[^1]; 24 (up to 99)[^1]" in md


def test_html_is_self_contained() -> None:
    from minewatch.report import make_profile

    p = make_profile(sample_data(), ReportOptions(country="KP", generated="2025-01-01"))
    html = render(p, "html")
    assert html.count("<svg") >= 3  # two charts and the map, inline
    assert "<script" not in html
    assert not re.search(r"<link\b", html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace('href="https://', ""))
    assert "@media print" in html
    assert 'id="src-1"' in html and 'href="#src-1"' in html


def test_shared_border_features_count_for_each_country() -> None:
    from minewatch.model import FieldChoice, Incident, IncidentMember

    place = {
        "text": "border with China",
        "name": "China–North Korea border",
        "place_id": "kp-cn-border",
        "country": "CN",
        "precision": 5,
        "kind": "line",
    }
    inc = Incident(
        "inc-border",
        "emplacement",
        {
            "where": FieldChoice(place, "most specific place"),
            "when": FieldChoice({"start": "2023-08-01", "end": None, "precision": "open"}, "x"),
        },
        [IncidentMember("sha256:aa#e1", "sha256:aa")],
        country="CN",
    )
    data = sample_data()
    data.incidents.append(inc)
    p = build_profile(data, load_country_facts("KP"), ReportOptions(country="KP"))
    v = next(v for v in p.use_timeline if v.id == "inc-border")
    assert v.place_text == "along China–North Korea border"
