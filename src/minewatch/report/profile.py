"""The country profile as data: what the templates render.

``build_profile`` turns incidents (from corroboration), the metadata of the
documents behind them and their texts into a :class:`Profile`: key data, key
developments by year, a casualty table, a use-of-mines timeline, clearance,
displacement, a register of incidents with conflicts and evidence quotes, and
the numbered sources every figure and sentence cites.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from minewatch.model import Count
from minewatch.report import prose
from minewatch.report.facts import CountryFacts, Item
from minewatch.report.prose import Sentence
from minewatch.reportdata import (
    FACTUAL,
    TYPE_TITLES,
    VICTIM_ORDER,
    Basis,
    Citation,
    Citer,
    IncidentView,
    ReportData,
    ReportOptions,
    Source,
    countries_of,
    counts,
    incident_view,
    select_incidents,
    sort_key,
)

__all__ = [
    "FACTUAL",
    "TYPE_TITLES",
    "CasualtyCell",
    "Development",
    "IncidentView",
    "Profile",
    "ReportData",
    "ReportOptions",
    "Source",
    "build_profile",
]


@dataclass
class CasualtyCell:
    """One row of the casualty table: a year and a victim group."""

    year: int | None
    group: str
    killed: Count | None
    injured: Count | None
    unsplit: Count | None
    roles: list[str]
    basis: Basis
    unknown_count_incidents: int

    @property
    def vague(self) -> bool:
        return any(counts.is_vague(c) for c in (self.killed, self.injured, self.unsplit))


@dataclass
class Development:
    """A generated statement of the key developments of one year."""

    kind: str
    year: int | None
    basis: Basis
    places: list[str]
    dates: list[str]
    actors: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    split: counts.Split | None = None
    quantities: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    unknown_counts: int = 0


@dataclass
class Profile:
    country: str
    name: str
    facts: CountryFacts
    options: ReportOptions
    generated: str
    period: str
    incidents: list[IncidentView]
    developments: list[tuple[int | None, list[Development]]]
    casualty_rows: list[CasualtyCell]
    casualty_total: CasualtyCell | None
    use_timeline: list[IncidentView]
    clearance: list[IncidentView]
    displacement: list[IncidentView]
    other: list[IncidentView]
    not_counted: list[IncidentView]
    sources: list[Source]
    excluded: dict[str, int]
    all_basis: Basis
    charts: dict[str, str] = field(default_factory=dict)
    map_svg: str | None = None
    #: years reported as news (see prose.coverage_years)
    coverage: list[int] = field(default_factory=list)
    #: Mine Action Review's "key developments": a short paragraph
    key_developments: list[Sentence] = field(default_factory=list)
    #: "Understanding of AP mine contamination": use, displacement, finds, in date order
    contamination: list[Sentence] = field(default_factory=list)
    #: "Land release outputs and progress": clearance and statements, in date order
    progress: list[Sentence] = field(default_factory=list)
    #: section key -> compiled items (facts file), empty when nothing is compiled
    sections: dict[str, list[Item]] = field(default_factory=dict)
    #: possible or denied reports, as sentences (listed, never counted)
    warnings: list[Sentence] = field(default_factory=list)
    #: history the sources recall only as background (never counted), oldest first
    history: list[IncidentView] = field(default_factory=list)
    #: history of use, finds and moved mines, before the news of "contamination"
    contamination_history: list[Sentence] = field(default_factory=list)
    #: history of clearance and statements, before the news of "progress"
    progress_history: list[Sentence] = field(default_factory=list)

    def section(self, key: str) -> list[Item]:
        return self.sections.get(key, [])

    def originals(self) -> list[Citation]:
        """Originals the generated sentences cite (each once), by source and note:
        listed under the sources, the sentences mark them (``[^5n21]``)."""
        seen: dict[tuple[int, int], Citation] = {}
        for group in (
            self.key_developments,
            self.contamination_history,
            self.contamination,
            self.warnings,
            self.progress_history,
            self.progress,
        ):
            for x in group:
                for c in x.citations:
                    seen.setdefault((c.ref, c.note), c)
        return [seen[k] for k in sorted(seen)]

    def fact_refs(self) -> dict[str, int]:
        """Fact source key -> its number in the facts source list (F1, F2 ...)."""
        return {k: i + 1 for i, k in enumerate(self.facts.sources)}


def _casualty_cells(views: list[IncidentView], citer: Citer) -> list[CasualtyCell]:
    groups: dict[tuple[int | None, str], list[IncidentView]] = {}
    for v in views:
        if v.type == "casualty" and v.counted:
            g = v.victims if v.victims in VICTIM_ORDER else "unknown"
            groups.setdefault((v.year, g), []).append(v)
    rows = []
    for (year, g), vs in sorted(
        groups.items(),
        key=lambda kv: (kv[0][0] is None, kv[0][0] or 0, VICTIM_ORDER.index(kv[0][1])),
    ):
        rows.append(_cell(year, g, vs, citer))
    return rows


def _cell(year: int | None, group: str, vs: list[IncidentView], citer: Citer) -> CasualtyCell:
    return CasualtyCell(
        year=year,
        group=group,
        killed=counts.total(v.split.killed for v in vs),
        injured=counts.total(v.split.injured for v in vs),
        unsplit=counts.total(v.split.unsplit for v in vs),
        roles=sorted({v.victim_role for v in vs if v.victim_role}),
        basis=citer.basis(citer.by_id[v.id] for v in vs),
        unknown_count_incidents=sum(1 for v in vs if not v.split.any),
    )


_DEV_KINDS = (
    ("emplacement", "use"),
    ("casualty", "casualties"),
    ("clearance", "clearance"),
    ("displacement", "displacement"),
    ("discovery", "discovery"),
    ("policy", "policy"),
)


def _developments(
    views: list[IncidentView], citer: Citer
) -> list[tuple[int | None, list[Development]]]:
    years = sorted({v.year for v in views}, key=lambda y: (y is None, y or 0))
    out = []
    for year in years:
        items = []
        in_year = [v for v in views if v.year == year]
        for etype, kind in _DEV_KINDS:
            vs = [v for v in in_year if v.type == etype and v.counted]
            if not vs:
                continue
            dev = Development(
                kind=kind,
                year=year,
                basis=citer.basis(citer.by_id[v.id] for v in vs),
                places=list(dict.fromkeys(v.place_text for v in vs if v.places)),
                dates=list(dict.fromkeys(v.date_text for v in vs)),
                actors=list(dict.fromkeys(v.actor for v in vs if v.actor)),
                groups=list(
                    dict.fromkeys(
                        f"{v.victims or 'unknown'}"
                        + (f" ({v.victim_role})" if v.victim_role else "")
                        for v in vs
                    )
                ),
                quantities=[q for v in vs for q in v.quantities],
                devices=list(dict.fromkeys(d for v in vs for d in v.device_models or v.devices)),
            )
            if etype == "casualty":
                dev.split = counts.Split(
                    counts.total(v.split.killed for v in vs),
                    counts.total(v.split.injured for v in vs),
                    counts.total(v.split.unsplit for v in vs),
                )
                dev.unknown_counts = sum(1 for v in vs if not v.split.any)
            items.append(dev)
        uncounted = [v for v in in_year if not v.counted]
        if uncounted:
            items.append(
                Development(
                    kind="warning",
                    year=year,
                    basis=citer.basis(citer.by_id[v.id] for v in uncounted),
                    places=list(dict.fromkeys(v.place_text for v in uncounted if v.places)),
                    dates=list(dict.fromkeys(v.date_text for v in uncounted)),
                )
            )
        if items:
            out.append((year, items))
    return out


def _period(opts: ReportOptions, views: list[IncidentView]) -> str:
    if opts.date_from or opts.date_to:
        a = opts.date_from.isoformat() if opts.date_from else "the earliest report"
        b = opts.date_to.isoformat() if opts.date_to else "the latest report"
        return f"{a} to {b}"
    # background mentions (1998, 2002) do not stretch the period
    ys = [v.year for v in views if v.year is not None and not v.context]
    if not ys:
        return "all dates"
    return f"{min(ys)}–{max(ys)}" if min(ys) != max(ys) else str(ys[0])


def build_profile(data: ReportData, facts: CountryFacts, opts: ReportOptions) -> Profile:
    """Select the incidents for ``opts`` and arrange them into a Profile."""
    if opts.neighbours is None:
        opts = dataclasses.replace(opts, neighbours=dict(facts.neighbours))
    own = (opts.country or facts.country).upper()
    incidents, excluded = select_incidents(data.incidents, opts, data.is_confidential)
    recalled, _ = select_incidents(data.background, opts, data.is_confidential)
    citer = Citer(incidents + recalled, data.documents, internal=opts.internal)
    views = sorted((incident_view(i, citer, data.text_of) for i in incidents), key=sort_key)
    history = _history([incident_view(i, citer, data.text_of) for i in recalled])
    counted = [v for v in views if v.counted]
    # incidents of the country itself; neighbours' (kept for their clearance or
    # displacement) stay out of the casualty table and the use timeline
    own_ids = {i.id for i in incidents if own in countries_of(i)}
    own_views = [v for v in views if v.id in own_ids]
    cells = _casualty_cells(own_views, citer)
    casualty_views = [v for v in own_views if v.counted and v.type == "casualty"]
    total = _cell(None, "all", casualty_views, citer) if casualty_views else None
    generated = opts.generated or date.today().isoformat()
    years = prose.coverage_years(views, generated, opts.date_from, opts.date_to)
    return Profile(
        country=own,
        name=facts.name,
        facts=facts,
        options=opts,
        generated=generated,
        period=_period(opts, views),
        incidents=views,
        developments=_developments(views, citer),
        casualty_rows=cells,
        casualty_total=total,
        use_timeline=[v for v in counted if v.type == "emplacement" and v in own_views],
        clearance=[v for v in counted if v.type == "clearance"],
        displacement=[v for v in counted if v.type == "displacement"],
        other=[v for v in counted if v.type in ("discovery", "policy")],
        not_counted=[v for v in views if not v.counted],
        sources=citer.sources,
        excluded=excluded,
        all_basis=citer.basis(incidents),
        coverage=years,
        key_developments=prose.key_developments(views, years),
        contamination=[
            prose.incident_sentence(v)
            for v in counted
            if v.type in ("emplacement", "displacement", "discovery")
        ],
        progress=[prose.incident_sentence(v) for v in counted if v.type in ("clearance", "policy")],
        sections=facts.sections,
        warnings=[prose.incident_sentence(v) for v in views if not v.counted],
        history=history,
        contamination_history=[
            prose.incident_sentence(v)
            for v in history
            if v.type in ("emplacement", "displacement", "discovery")
        ],
        progress_history=[
            prose.incident_sentence(v) for v in history if v.type in ("clearance", "policy")
        ],
    )


def _history(views: list[IncidentView]) -> list[IncidentView]:
    """Background views, counted ones only, marked as background; undated first
    (what a source recalls without a date is older than what it dates)."""
    out = [dataclasses.replace(v, context=True) for v in views if v.counted]
    return sorted(out, key=lambda v: (v.when.start is not None, sort_key(v)))
