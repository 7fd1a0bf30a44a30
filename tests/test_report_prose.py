"""Generated prose: articles, date phrases, one subject per sentence, named sources once."""

from __future__ import annotations

from minewatch.report import ReportOptions, build_profile, load_country_facts
from minewatch.report.prose import lower_article, place_phrase
from minewatch.reportdata import PlaceView
from sample_data import sample_data


def test_places_take_their_article() -> None:
    dmz = PlaceView("Korean Demilitarized Zone", None, 38.3, 127.3, 5, "in", "zone")
    assert place_phrase(dmz) == "in the Korean Demilitarized Zone"
    musan = PlaceView("Musan", "North Hamgyong", 42.2, 129.2, 2, "near", "county")
    assert place_phrase(musan) == "near Musan"
    yalu = PlaceView("Yalu River", None, 40.9, 126.0, 5, "in", "river")
    assert place_phrase(yalu) == "along the Yalu River"
    assert place_phrase(PlaceView("South Korea", None, 36.5, 127.9, 6, "in", "country")) == (
        "in South Korea"
    )
    assert lower_article("A resident in the second province") == "a resident in the second province"
    assert lower_article("Daily NK") == "Daily NK"


def test_sentences_read_as_written() -> None:
    p = build_profile(
        sample_data(), load_country_facts("KP"), ReportOptions(country="KP", generated="2025-01-01")
    )
    text = " ".join(s.text for s in p.contamination + p.progress + p.key_developments)
    assert "In mid-October 2023" not in text or "mid-October" in text
    assert "according to A " not in text and "according to a source" not in text.lower()
    assert "  " not in text and " ," not in text
    for s in p.contamination + p.progress:
        assert s.text[0].isupper() and s.text.endswith((".", "”", "…”")), s.text
        assert s.refs  # every generated sentence cites
    dev = " ".join(s.text for s in p.key_developments)
    assert "In 2023" in dev and "laid mines" in dev
    assert "Yalu River" in dev  # the flood warning, as a warning


def test_neighbours_clearance_joins_the_narrative_not_the_tables() -> None:
    import dataclasses

    data = sample_data()
    jsa = next(i for i in data.incidents if i.id == "inc-2018-jsa-clearance")
    kr = dataclasses.replace(jsa, id="inc-kr-arrowhead", country="KR")
    where = kr.fields["where"]
    place = dict(where.value[0], name="Arrowhead Hill", country="KR", place_id="kr-arrowhead-hill")
    kr.fields = {**kr.fields, "where": dataclasses.replace(where, value=[place])}
    data.incidents.append(kr)
    opts = ReportOptions(country="KP", generated="2025-01-01")
    p = build_profile(data, load_country_facts("KP"), opts)
    progress = " ".join(s.text for s in p.progress)
    assert "Arrowhead Hill" in progress  # KP.yaml: neighbours KR [clearance]
    assert all(v.id != "inc-kr-arrowhead" for v in p.use_timeline)
    # without the facts file's neighbours, South Korea's clearance stays out
    bare = dataclasses.replace(load_country_facts("KP"), neighbours={})
    assert "Arrowhead Hill" not in " ".join(
        s.text for s in build_profile(data, bare, opts).progress
    )


def test_attributions_name_someone_and_hills_are_around() -> None:
    import dataclasses

    from minewatch.report.prose import incident_sentence

    p = build_profile(
        sample_data(), load_country_facts("KP"), ReportOptions(country="KP", generated="2025-01-01")
    )
    v = p.incidents[0]
    hill = PlaceView("Arrowhead Hill", None, 38.3, 127.2, 1, "in", "hill")
    kr = PlaceView("South Korea", None, 36.5, 127.9, 6, "in", "country")
    for who in ("its armed forces", "their officials", "South Korea"):
        w = dataclasses.replace(v, attributed_to=[who], places=[kr])
        assert "according to" not in incident_sentence(w).text, who
    w = dataclasses.replace(v, type="clearance", attributed_to=["the army"], places=[hill])
    text = incident_sentence(w).text
    assert "around Arrowhead Hill" in text and text.endswith(", according to the army.")


def test_originals_are_footnotes_of_their_own() -> None:
    from minewatch.report import render
    from minewatch.reportdata import Citation

    p = build_profile(
        sample_data(), load_country_facts("KP"), ReportOptions(country="KP", generated="2025-01-01")
    )
    s = p.contamination[0]
    ref = s.refs[0]
    s.citations = [Citation(ref, 21, "Daily NK, 1 July 2024", "Mine Action Review 2025")]
    md = render(p, "md")
    assert f"[^{ref}n21]" in md and "(original:" not in md
    assert f"[^{ref}n21]: Daily NK, 1 July 2024, cited in Mine Action Review 2025, n. 21" in md
    html = render(p, "html")
    assert f'href="#orig-{ref}-21"' in html and f'id="orig-{ref}-21"' in html
