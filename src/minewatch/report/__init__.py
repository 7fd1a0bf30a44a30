"""Country profiles: key data, developments, casualties, use, clearance,
displacement, methods and sources, every figure footnoted to its documents.

Library use::

    data = report_data_from_store(store)
    profile = make_profile(data, ReportOptions(country="KP"), gazetteer=gaz)
    paths = write_report(profile, Path("out"))
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from minewatch.report.charts import casualties_chart, events_chart
from minewatch.report.facts import CountryFacts, load_country_facts
from minewatch.report.mapsvg import MapLayer, gazetteer_layers, incident_map
from minewatch.report.profile import Profile, ReportData, ReportOptions, build_profile
from minewatch.report.render import render
from minewatch.reportdata import report_data_from_store

__all__ = [
    "CountryFacts",
    "MapLayer",
    "Profile",
    "ReportData",
    "ReportOptions",
    "build_profile",
    "load_country_facts",
    "make_profile",
    "render",
    "report_data_from_store",
    "write_report",
]


def load_gazetteer_or_none() -> Any:
    """The bundled gazetteer for map backgrounds, or None if it is unavailable."""
    try:
        geo = importlib.import_module("minewatch.geo")
        return geo.load_gazetteer()
    except (ImportError, AttributeError, OSError, ValueError):
        return None


def make_profile(
    data: ReportData,
    opts: ReportOptions,
    facts: CountryFacts | None = None,
    gazetteer: Any = None,
    layers: list[MapLayer] | None = None,
    graphics: bool = True,
) -> Profile:
    """Build the profile and draw its charts and map.

    Map background comes from ``layers`` if given, else from ``gazetteer``.
    """
    facts = facts or load_country_facts(opts.country or "KP")
    profile = build_profile(data, facts, opts)
    if graphics:
        for name, fn in (("casualties", casualties_chart), ("events", events_chart)):
            svg = fn(profile)
            if svg:
                profile.charts[name] = svg
        if layers is None:
            layers = gazetteer_layers(gazetteer)
        profile.map_svg = incident_map(profile, layers)
    return profile


def write_report(
    profile: Profile,
    out_dir: Path,
    templates: Path | None = None,
    pdf: bool = False,
    stem: str | None = None,
) -> dict[str, Path]:
    """Write ``<stem>.md``, ``<stem>.html`` and the SVG graphics into ``out_dir``.

    With ``pdf=True`` also ``<stem>.pdf`` if weasyprint is installed (raises
    ImportError otherwise). Returns the written paths by kind.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or f"profile-{profile.country}"
    paths: dict[str, Path] = {}
    files: dict[str, str] = {}
    graphics = dict(profile.charts)
    if profile.map_svg:
        graphics["map"] = profile.map_svg
    for name, svg in graphics.items():
        p = out_dir / f"{stem}-{name}.svg"
        p.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + svg, encoding="utf-8")
        paths[f"{name}_svg"] = p
        files[name] = p.name
    md = out_dir / f"{stem}.md"
    md.write_text(render(profile, "md", templates, files), encoding="utf-8")
    paths["md"] = md
    html_text = render(profile, "html", templates)
    html = out_dir / f"{stem}.html"
    html.write_text(html_text, encoding="utf-8")
    paths["html"] = html
    if pdf:
        from weasyprint import HTML  # optional dependency (pip install minewatch[pdf])

        pdf_path = out_dir / f"{stem}.pdf"
        HTML(string=html_text, base_url=str(out_dir)).write_pdf(str(pdf_path))
        paths["pdf"] = pdf_path
    return paths
