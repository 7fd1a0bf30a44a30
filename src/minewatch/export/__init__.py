"""Exports: CSV (ACLED-compatible columns), GeoJSON (RFC 7946) and a complete
JSON archive of the database that ``minewatch import`` reads back."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from minewatch.export.acled import to_csv
from minewatch.export.archive import ArchiveError, export_archive, import_archive
from minewatch.export.geojson import to_feature_collection, to_geojson
from minewatch.export.rows import ACLED_COLUMNS, COLUMNS, OWN_COLUMNS, incident_rows
from minewatch.reportdata import ReportData, ReportOptions

FORMATS = ("csv", "geojson", "json")
SUFFIX = {"csv": ".csv", "geojson": ".geojson", "json": ".json"}

__all__ = [
    "ACLED_COLUMNS",
    "COLUMNS",
    "FORMATS",
    "OWN_COLUMNS",
    "ArchiveError",
    "export_archive",
    "export_text",
    "import_archive",
    "incident_rows",
    "to_csv",
    "to_feature_collection",
    "to_geojson",
    "write_exports",
]


def export_text(
    fmt: str,
    store: Any,
    data: ReportData,
    opts: ReportOptions,
    acled_zero: bool = False,
    timestamp: int | None = None,
) -> str:
    """The export in ``fmt``: csv/geojson of the selected incidents, json of everything.

    ``acled_zero``: unknown fatalities as 0 in the CSV (ACLED's convention);
    ``timestamp``: ACLED's ``timestamp`` column (Unix time), default now.
    """
    if timestamp is None:
        timestamp = int(time.time())
    if fmt == "csv":
        return to_csv(incident_rows(data, opts, acled_zero, timestamp))
    if fmt == "geojson":
        return to_geojson(incident_rows(data, opts, acled_zero, timestamp))
    if fmt == "json":
        from minewatch.export.archive import to_json

        return to_json(store)
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def write_exports(
    store: Any, data: ReportData, opts: ReportOptions, out_dir: Path, stem: str = "minewatch"
) -> dict[str, Path]:
    """Write every format into ``out_dir``; returns the paths by format."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt in FORMATS:
        p = out_dir / f"{stem}{SUFFIX[fmt]}"
        p.write_text(export_text(fmt, store, data, opts), encoding="utf-8")
        paths[fmt] = p
    return paths
