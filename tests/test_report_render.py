"""Rendering: untrusted text is escaped, templates can be overridden, output is stable."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from minewatch.model import (
    Count,
    DocumentMeta,
    Evidence,
    FieldChoice,
    Incident,
    IncidentMember,
    ReportedValue,
)
from minewatch.report import ReportData, ReportOptions, make_profile, render, write_report
from sample_data import sample_data

EVIL_TEXT = 'Two killed <script>alert(1)</script> near <img src=x onerror="alert(2)"> Musan.'


def _evil_data() -> ReportData:
    did = "sha256:" + hashlib.sha256(EVIL_TEXT.encode()).hexdigest()
    meta = DocumentMeta(
        id=did,
        input_id="evil.html",
        title='<script>alert("t")</script>',
        publisher="<b onerror=alert(3)>Evil</b>",
        published="2023-11-01",
        url="javascript:alert(4)",
    )
    ev = [Evidence("killed", 0, len(EVIL_TEXT))]
    inc = Incident(
        id="inc-evil",
        type="casualty",
        fields={
            "when": FieldChoice(
                {"start": "2023-10-01", "end": "2023-10-31", "precision": "month"}, "agree"
            ),
            "where": FieldChoice(
                [
                    {
                        "text": "x",
                        "name": "<svg onload=alert(5)>",
                        "country": "KP",
                        "precision": 2,
                        "relation": "near",
                    }
                ],
                "agree",
            ),
            "killed": FieldChoice(
                Count.exact(2).to_json(),
                "agree",
                [ReportedValue(Count.exact(2).to_json(), f"{did}#e1", did, "evil.html", ev)],
            ),
            "actor": FieldChoice("<iframe src=//evil>", "agree"),
        },
        members=[IncidentMember(f"{did}#e1", did, "evil.html")],
        country="KP",
    )
    return ReportData([inc], {did: meta}, {did: EVIL_TEXT}.get)


def test_document_text_is_escaped_in_html_and_markdown() -> None:
    p = make_profile(_evil_data(), ReportOptions(country="KP", generated="2025-01-01"))
    html = render(p, "html")
    assert "<script" not in html
    assert "onerror=" in html  # shown as text...
    assert not re.search(r"<[^>]*\bon(error|load)=", html)  # ...never inside a tag
    # no live tag from the document: every < from it is escaped
    for bad in ("<img", "<iframe", "<b onerror", "<svg onload"):
        assert bad not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    assert 'href="javascript:' not in html
    md = render(p, "md")
    for bad in ("<script", "<img", "<iframe", "<svg onload"):
        assert bad not in md
    assert "&lt;img src=x onerror=" in md
    assert not re.search(r"<[^>]*\bon(error|load)=", md)
    assert "](javascript:" not in md


def test_templates_can_be_overridden(tmp_path: Path) -> None:
    (tmp_path / "profile.md.j2").write_text(
        "# {{ p.name }} ({{ p.incidents|length }} incidents)\n", encoding="utf-8"
    )
    p = make_profile(sample_data(), ReportOptions(country="KP"), graphics=False)
    assert render(p, "md", tmp_path) == "# North Korea (10 incidents)\n"
    # the HTML template was not overridden: the shipped one is used
    assert "<!DOCTYPE html>" in render(p, "html", tmp_path)


def test_write_report_is_deterministic(tmp_path: Path) -> None:
    opts = ReportOptions(country="KP", generated="2025-01-01")
    a = write_report(make_profile(sample_data(), opts), tmp_path / "a")
    b = write_report(make_profile(sample_data(), opts), tmp_path / "b")
    assert set(a) >= {"md", "html", "casualties_svg", "events_svg", "map_svg"}
    for k in a:
        assert a[k].read_bytes() == b[k].read_bytes(), k
    svg = a["casualties_svg"].read_text(encoding="utf-8")
    assert "<text" in svg or "font" in svg  # text kept as text (svg.fonttype none)
    assert len(svg) < 60_000
    md = a["md"].read_text(encoding="utf-8")
    assert "](profile-KP-map.svg)" in md


def test_empty_database_profile_says_so() -> None:
    p = make_profile(ReportData([], {}), ReportOptions(country="KP", generated="2025-01-01"))
    md = render(p, "md")
    assert "No casualty incidents are recorded" in md
    assert "0 incidents from 0 reports" in md
    assert p.map_svg is None and not p.charts


def test_optional_pdf(tmp_path: Path) -> None:
    import os

    import pytest

    if os.environ.get("CI", "").lower() == "true":
        import weasyprint  # CI installs the pdf extra and its libraries: this test must run
    else:
        weasyprint = pytest.importorskip("weasyprint")
    p = make_profile(sample_data(), ReportOptions(country="KP", generated="2025-01-01"))
    paths = write_report(p, tmp_path, pdf=True)
    data = paths["pdf"].read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 20_000
    # the print style sheet starts the register and the sources on new pages
    assert len(weasyprint.HTML(filename=str(paths["html"])).render().pages) >= 3
