"""Hostile documents through the profile and the exports (issue 13's safety list)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

import pytest

from minewatch.export import incident_rows, to_csv, to_geojson
from minewatch.export.acled import neutralise
from minewatch.report import ReportOptions, make_profile, render
from minewatch.report.render import CSP, md_escape, safe_url
from minewatch.reportdata import ReportData
from sample_data import doc_id, sample_data

JS = "[x](javascript:alert(1))"
MATH = r"Mathtown $\frac{ $x^"


def _hostile() -> ReportData:
    data = sample_data()
    docs = dict(data.documents)
    d = docs[doc_id("dailynk")]
    docs[d.id] = dataclasses.replace(
        d,
        title=f"Defectors {JS} [^1]: forged *footnote*",
        publisher='=HYPERLINK("https://evil.example","x")',
        url="https://ok.example/a) [x](javascript:alert(1)",
        input_id="/home/alice/leaks/dailynk.txt",
    )
    t = docs[doc_id("tabloid")]
    docs[t.id] = dataclasses.replace(t, url="javascript:alert(1)", publisher="+1+1")
    a = docs[doc_id("aggregator")]
    secret = dataclasses.replace(a, title="SECRET aggregator title", publisher="Secret Outlet")
    secret.confidential = True  # type: ignore[attr-defined]  # helper 13's flag
    docs[a.id] = secret
    incidents = []
    for inc in data.incidents:
        fields = dict(inc.fields)
        if inc.id == "inc-2023-10-musan":
            where = fields["where"]
            place = dict(where.value[0], name=MATH)
            fields["where"] = dataclasses.replace(
                where,
                value=[place],
                rule="human edit (decision 7 by alice at 2025-01-01T00:00:00Z: "
                "source Kim in Hyesan confirmed by phone)",
                conflict=True,
            )
            inc = dataclasses.replace(
                inc, fields=fields, original_sources=["/home/alice/leaks/dailynk.txt", "=1+2"]
            )
        incidents.append(inc)
    return ReportData(incidents, docs, data.text_of)


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    data = _hostile()
    profile = make_profile(data, ReportOptions(country="KP", generated="2025-01-01"))
    rows = incident_rows(data, ReportOptions(country="KP"))
    internal = make_profile(data, ReportOptions(country="KP", internal=True), graphics=False)
    return {
        "md": render(profile, "md"),
        "html": render(profile, "html"),
        "svg": (profile.map_svg or "") + "".join(profile.charts.values()),
        "csv": to_csv(rows),
        "geojson": to_geojson(rows),
        "internal": render(internal, "md"),
    }


def test_markdown_escapes_document_text(outputs: dict[str, str]) -> None:
    md = outputs["md"]
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # no link can form
    assert "[x]" not in md and r"\[x\]" in md
    assert not re.search(r"(?m)^\[\^1\]: forged", md)
    assert r"\*footnote\*" in md
    assert md_escape("[^1]: a") == r"\[\^1\]: a"


def test_urls_are_validated_by_parsing() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://user@evil.example/") is None
    assert safe_url("https:///nohost") is None
    url = safe_url("https://ok.example/a) [x](javascript:alert(1)")
    assert url is not None and not set("()[] ") & set(url)
    assert safe_url("https://bit.ly/4dwBwYj") == "https://bit.ly/4dwBwYj"


def test_html_has_a_csp_allowing_nothing_external(outputs: dict[str, str]) -> None:
    html = outputs["html"]
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html
    assert "default-src 'none'" in CSP and "script-src 'none'" in CSP
    assert "http" not in CSP
    assert 'href="javascript:' not in html and "<script" not in html


def test_mathtext_place_names_are_drawn_as_text(outputs: dict[str, str]) -> None:
    assert outputs["svg"]  # no crash, and the map was drawn
    assert "Mathtown $" in outputs["svg"] or "Mathtown" not in outputs["md"]


def test_csv_cells_cannot_be_formulas(outputs: dict[str, str]) -> None:
    cells = [c for row in csv.reader(io.StringIO(outputs["csv"])) for c in row]
    assert cells and not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert not any(c.startswith("-") and not re.fullmatch(r"-[\d.]+", c) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert neutralise("-1+2") == "'-1+2" and neutralise("Musan") == "Musan"


def test_public_exports_carry_no_paths_nor_user_names(outputs: dict[str, str]) -> None:
    for kind in ("csv", "geojson", "md", "html"):
        assert "/home/" not in outputs[kind] and "alice" not in outputs[kind], kind
    props = [f["properties"] for f in json.loads(outputs["geojson"])["features"]]
    assert any("dailynk.txt" in (p.get("original_sources") or "") for p in props)


def test_reviewer_and_reason_stay_internal(outputs: dict[str, str]) -> None:
    assert "Hyesan confirmed" not in outputs["md"] and "alice" not in outputs["md"]
    assert "human edit (decision 7)" in outputs["md"]
    assert "Hyesan confirmed" in outputs["internal"]


def test_confidential_documents_never_appear(outputs: dict[str, str]) -> None:
    for kind in ("csv", "geojson", "md", "html", "internal"):
        assert "SECRET" not in outputs[kind] and "Secret Outlet" not in outputs[kind], kind
        assert doc_id("aggregator") not in outputs[kind]
        # the DMZ soldiers incident rested on the confidential report only
        assert "inc-2023-dmz-soldiers" not in outputs[kind], kind
