"""CSV (ACLED columns first) and GeoJSON exports of incidents."""

from __future__ import annotations

import csv
import io
import json

from minewatch.export import ACLED_COLUMNS, COLUMNS, incident_rows, to_csv, to_geojson
from minewatch.report import ReportOptions
from sample_data import sample_data


def _rows() -> dict[str, dict]:
    rows = incident_rows(sample_data(), ReportOptions(country=None))
    return {r["incident_id"]: r for r in rows}


def test_csv_header_starts_with_acled_columns() -> None:
    text = to_csv(incident_rows(sample_data(), ReportOptions(country="KP")))
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    assert tuple(header[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert header[len(ACLED_COLUMNS) + 1] == "incident_id" and tuple(header) == COLUMNS
    body = list(reader)
    assert len(body) == 10  # the rejected incident is not exported
    assert all(len(r) == len(header) for r in body)


def test_fatalities_are_empty_when_nobody_reported_a_number_killed() -> None:
    rows = _rows()
    assert rows["inc-2023-09-musan"]["fatalities"] == 3
    # "five wounded or killed": killed unknown, not 0
    assert rows["inc-2023-10-musan"]["fatalities"] is None
    assert rows["inc-2023-10-musan"]["casualties_best"] == 5
    assert rows["inc-2020-ryanggang"]["injured_best"] == 12
    assert rows["inc-2020-ryanggang"]["injured_high"] == 14
    body = list(csv.DictReader(io.StringIO(to_csv(rows.values()))))
    line = next(r for r in body if r["incident_id"] == "inc-2023-10-musan")
    assert line["fatalities"] == "" and line["fatalities_reported"] == "false"
    # ACLED's own convention on request: unknown written as 0, still flagged
    opts = ReportOptions(country=None)
    zero = {r["incident_id"]: r for r in incident_rows(sample_data(), opts, acled_zero=True)}
    assert zero["inc-2023-10-musan"]["fatalities"] == 0
    assert zero["inc-2023-10-musan"]["fatalities_reported"] is False
    assert zero["inc-2023-09-musan"]["fatalities"] == 3


def test_precision_mappings() -> None:
    rows = _rows()
    assert rows["inc-2023-10-musan"]["time_precision"] == 3  # month_part
    assert rows["inc-2023-10-musan"]["geo_precision"] == 2  # near Musan
    assert rows["inc-2018-jsa-clearance"]["geo_precision"] == 1
    assert rows["inc-2023-dmz-soldiers"]["geo_precision"] == 3  # a zone
    assert rows["inc-2023-10-musan"]["event_type"] == "Explosions/Remote violence"
    assert rows["inc-2023-10-musan"]["sub_event_type"] == "Remote explosive/landmine/IED"
    assert rows["inc-2018-jsa-clearance"]["sub_event_type"] == "Disrupted weapons use"
    assert rows["inc-2023-10-musan"]["country"] == "North Korea"
    assert rows["inc-2023-10-musan"]["source"] == "Crossing Borders (blog); Daily NK"
    assert "rests on 1 incident from 2 reports" in rows["inc-2023-10-musan"]["notes"]
    assert rows["inc-2020-ryanggang"]["conflicts"] == "injured"


def test_geojson_is_rfc7946_lon_lat() -> None:
    fc = json.loads(to_geojson(_rows().values()))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    feats = {f["id"]: f for f in fc["features"]}
    musan = feats["inc-2023-10-musan"]
    assert musan["geometry"] == {"type": "Point", "coordinates": [129.22, 42.23]}
    assert musan["properties"]["casualties_best"] == 5
    assert musan["properties"]["fatalities"] is None
    for f in fc["features"]:
        g = f["geometry"]
        if g is not None:
            lon, lat = g["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert lon > lat  # Korea: lon ~125-131, lat ~37-43


def test_full_acled_column_set_in_acled_order() -> None:
    assert ACLED_COLUMNS[:4] == ("event_id_cnty", "event_date", "year", "time_precision")
    assert ACLED_COLUMNS[-3:] == ("fatalities", "tags", "timestamp")
    for c in ("actor2", "inter1", "inter2", "interaction", "civilian_targeting", "iso",
              "region", "admin3"):  # fmt: skip
        assert c in ACLED_COLUMNS
    row = _rows()["inc-2023-10-musan"]
    assert row["iso"] == 408 and row["region"] == "Eastern Asia"
    assert row["event_id_cnty"] == "PRKinc-2023-10-musan" and row["year"] == 2023
    assert row["disorder_type"] == "Political violence"
    assert row["actor2"] == "Civilians (North Korea)" and row["inter2"] == "Civilians"
    assert row["civilian_targeting"] == "Civilian targeting"
