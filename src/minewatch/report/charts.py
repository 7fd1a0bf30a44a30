"""Charts of the profile as small SVG strings (matplotlib, Agg backend).

Text stays text (``svg.fonttype: none``) so the SVG is small and takes the
page's font; ``svg.hashsalt`` and no date in the metadata keep the output
byte-identical for the same data.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from minewatch.reportdata import counts, dates

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from minewatch.report.profile import Profile

GROUP_COLOURS = {
    "civilian": "#d95f02",
    "military": "#1b9e77",
    "deminer": "#7570b3",
    "unknown": "#999999",
}
TYPE_COLOURS = {
    "casualty": "#c0392b",
    "emplacement": "#2c3e50",
    "clearance": "#27ae60",
    "displacement": "#2980b9",
    "discovery": "#8e44ad",
    "policy": "#7f8c8d",
}
RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "minewatch",
    "font.size": 9,
    "font.family": "sans-serif",
    "axes.spines.top": False,
    "axes.spines.right": False,
    # place names and titles come from documents: "$" is a dollar sign, never mathtext
    "text.parse_math": False,
}


def figure_svg(fig: Figure) -> str:
    """Serialise a figure to an inline-ready ``<svg>`` (no XML prolog)."""
    buf = io.StringIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # let CSS size it: keep the viewBox, drop the fixed width/height in pt
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*pt" height="[^"]*pt"', r"\1", svg, count=1)
    return svg.replace("<svg ", '<svg role="img" ', 1)


def casualties_chart(profile: Profile) -> str | None:
    """Stacked bars: casualties per year by victim group (best, else low)."""
    rows = [r for r in profile.casualty_rows if r.year is not None]
    if not rows:
        return None
    years = list(
        range(min(r.year for r in rows if r.year), max(r.year for r in rows if r.year) + 1)
    )
    with matplotlib.rc_context(RC):
        fig, ax = plt.subplots(figsize=(6.4, 2.8))
        bottom = [0] * len(years)
        lower_bound_years: set[int] = set()
        unknown_by_year: Counter[int] = Counter()
        for group, colour in GROUP_COLOURS.items():
            heights = []
            for y in years:
                cell = next((r for r in rows if r.year == y and r.group == group), None)
                tot = None
                if cell is not None:
                    tot = counts.total([cell.killed, cell.injured, cell.unsplit])
                    if tot is not None and tot.best is None:
                        lower_bound_years.add(y)
                    unknown_by_year[y] += cell.unknown_count_incidents
                heights.append(counts.plot_value(tot))
            if any(heights):
                ax.bar(years, heights, bottom=bottom, color=colour, label=group, width=0.7)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        for y, b in zip(years, bottom, strict=True):
            notes = []
            if y in lower_bound_years:
                notes.append("at least")
            if unknown_by_year[y]:
                notes.append(f"+{unknown_by_year[y]} incident(s), number unknown")
            if notes:
                ax.annotate(" ".join(notes), (y, b), ha="center", va="bottom", fontsize=7)
        ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 8 else 0)
        ax.set_ylabel("people killed or injured")
        ax.set_ylim(0, max(max(bottom) * 1.2, 1))
        ax.legend(frameon=False, fontsize=8, ncols=4, loc="upper left")
        ax.set_title("Mine casualties per year by victim group (best estimate)", fontsize=9)
        return figure_svg(fig)


def events_chart(profile: Profile) -> str | None:
    """Stacked bars: incidents per month by type.

    An incident dated to several months (up to a year) is shared equally among
    them; open-ended ("since 2020") and undated ones are not drawn.
    """
    per: dict[str, dict[str, float]] = {}
    for v in profile.incidents:
        if not v.counted:
            continue
        for m, share in dates.month_weights(v.when).items():
            by_month = per.setdefault(v.type, {})
            by_month[m] = by_month.get(m, 0.0) + share
    months = sorted({m for c in per.values() for m in c})
    if not months:
        return None
    y0, m0 = (int(x) for x in months[0].split("-"))
    y1, m1 = (int(x) for x in months[-1].split("-"))
    axis = []
    yy, mm = y0, m0
    while (yy, mm) <= (y1, m1):
        axis.append(f"{yy:04d}-{mm:02d}")
        yy, mm = (yy + 1, 1) if mm == 12 else (yy, mm + 1)
    with matplotlib.rc_context(RC):
        fig, ax = plt.subplots(figsize=(6.4, 2.6))
        xs = list(range(len(axis)))
        bottom = [0.0] * len(axis)
        for etype, colour in TYPE_COLOURS.items():
            if etype not in per:
                continue
            h = [per[etype].get(a, 0.0) for a in axis]
            # draw only the months that have incidents: empty bars only bloat the SVG
            idx = [i for i in xs if h[i]]
            ax.bar(
                idx,
                [h[i] for i in idx],
                bottom=[bottom[i] for i in idx],
                color=colour,
                label=etype,
                width=0.8,
            )
            bottom = [b + v for b, v in zip(bottom, h, strict=True)]
        if len(axis) > 36:  # long spans: one tick per year, at January
            ticks = [i for i in xs if axis[i].endswith("-01")] or [0]
            ax.set_xticks(ticks, [axis[i][:4] for i in ticks])
        else:
            step = max(1, len(axis) // 12)
            ticks = [i for i in xs if i % step == 0]
            ax.set_xticks(ticks, [axis[i] for i in ticks], rotation=45, ha="right")
        ax.set_ylabel("incidents")
        ax.legend(frameon=False, fontsize=8, ncols=3, loc="upper left")
        ax.set_ylim(0, max(bottom) * 1.35 + 0.5)
        ax.set_title(
            "Incidents per month by type (one dated to several months is shared among them)",
            fontsize=9,
        )
        return figure_svg(fig)
