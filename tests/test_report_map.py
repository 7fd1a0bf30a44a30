"""The profile map: a real base map, country and sea names, scale bar, labels apart."""

from __future__ import annotations

import matplotlib.pyplot as plt

from minewatch.report import ReportOptions, make_profile
from minewatch.report.mapsvg import _Labeller, point_of
from minewatch.reportdata import PlaceView
from sample_data import sample_data


def test_map_has_land_sea_borders_names_and_scale() -> None:
    p = make_profile(sample_data(), ReportOptions(country="KP", generated="2025-01-01"))
    svg = p.map_svg or ""
    for text in (
        "NORTH KOREA",
        "CHINA",
        "SOUTH KOREA",
        "Sea of Japan",
        " km",
        "international border",
    ):
        assert text in svg, text
    assert "#dcebf5" in svg  # the sea
    assert "Musan" in svg and "Ryanggang" in svg


def test_a_province_is_drawn_at_its_centre_not_its_capital() -> None:
    # the gazetteer's Ryanggang point is Hyesan, on the Yalu at the Chinese border
    ryanggang = PlaceView("Ryanggang", "Ryanggang", 41.4017, 128.1778, 4, "in", "province")
    lon, lat = point_of(ryanggang, "KP") or (0, 0)
    assert lat < 41.35 and 127.5 < lon < 128.2
    musan = PlaceView("Musan", "North Hamgyong", 42.2261, 129.2078, 2, "near", None)
    assert point_of(musan, "KP") == (129.2078, 42.2261)


def test_labels_do_not_overlap() -> None:
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    lab = _Labeller(ax, 7)
    for name in ("Joint Security Area", "Gyeongui road", "Arrowhead Hill", "Panmunjom"):
        lab.place(name, 5.0, 5.0)  # four labels for one point
    boxes = lab.boxes
    assert all(_Labeller._overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    plt.close(fig)
