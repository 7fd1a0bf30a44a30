"""``minewatch demo``: the bundled sample corpus through the whole pipeline.

A fresh database in the out directory, ingest, extract, corroborate, then the
country profile (MD, HTML, SVG charts and map) and the exports (CSV, GeoJSON,
JSON). Uses ``minewatch.pipeline.Pipeline`` when present, else the stage
libraries directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from minewatch.model import EVENT_TYPES, Count
from minewatch.report.profile import Profile, ReportOptions
from minewatch.reportdata import counts


class DemoError(RuntimeError):
    """The demo cannot run (corpus or a pipeline stage missing)."""


@dataclass
class DemoResult:
    country: str
    country_name: str
    documents: int
    events: int
    incidents: int
    types: list[str]
    rows: list[list[str]]
    headline: str
    paths: dict[str, Path] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "documents": self.documents,
            "events": self.events,
            "incidents": self.incidents,
            "summary": {"columns": ["year", *self.types, "casualties"], "rows": self.rows},
            "paths": {k: str(v) for k, v in self.paths.items()},
        }


def demo_corpus_dir() -> Path:
    return Path(str(resources.files("minewatch") / "data" / "demo"))


def _fresh_db(out_dir: Path) -> Path:
    db = out_dir / "minewatch.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = db.with_name(db.name + suffix)
        if p.exists():
            p.unlink()
    return db


def run_pipeline(store: Any, gazetteer: Any, corpus: Path) -> None:
    """Ingest ``corpus`` into ``store``, extract every document, corroborate."""
    from minewatch.pipeline import Pipeline

    pipe = Pipeline(store=store, gazetteer=gazetteer, who="minewatch demo")
    pipe.ingest([corpus])
    pipe.extract()
    pipe.corroborate()


LEGEND = (
    "incidents per year by type (· none in the database); casualties: k killed, i injured, "
    "k/i killed or injured without a split, ≥ at least, n/k number not known"
)


def _short(c: Count) -> str:
    """Compact count for the terminal: ``3``, ``12 (10-14)``, ``≥2``."""
    if c.best is None or (c.high is None and c.low == c.best):
        return f"≥{c.low}"
    if c.low == c.best == c.high:
        return str(c.best)
    return f"{c.best} ({c.low}-{c.high if c.high is not None else '?'})"


def summary_rows(profile: Profile) -> tuple[list[str], list[list[str]]]:
    """Per year: incidents by type and the casualty split (one screen)."""
    types = [t for t in EVENT_TYPES if any(v.type == t for v in profile.incidents)]
    years = sorted({v.year for v in profile.incidents}, key=lambda y: (y is None, y or 0))
    rows = []
    for y in years:
        vs = [v for v in profile.incidents if v.year == y and v.counted]
        cas = [v for v in vs if v.type == "casualty"]
        sp = counts.Split(
            counts.total(v.split.killed for v in cas),
            counts.total(v.split.injured for v in cas),
            counts.total(v.split.unsplit for v in cas),
        )
        words = [
            f"{_short(c)} {label}"
            for c, label in ((sp.killed, "k"), (sp.injured, "i"), (sp.unsplit, "k/i"))
            if c is not None
        ]
        unknown = sum(1 for v in cas if not v.split.any)
        if unknown:
            words.append(f"+{unknown} inc. n/k")
        rows.append(
            [str(y) if y is not None else "undated"]
            + [str(sum(1 for v in vs if v.type == t) or "·") for t in types]
            + ["; ".join(words) or ("—" if not cas else "unknown")]
        )
    return types, rows


def run_demo(out_dir: Path, country: str = "KP", corpus: Path | None = None) -> DemoResult:
    """Run the demo into ``out_dir``; returns what to print."""
    from minewatch.export import write_exports
    from minewatch.report import load_gazetteer_or_none, make_profile, report_data_from_store
    from minewatch.report import write_report as write_profile
    from minewatch.store import Store

    corpus = corpus or demo_corpus_dir()
    if not corpus.is_dir() or not any(corpus.glob("*.txt")):
        raise DemoError(f"the demo corpus is missing: {corpus}")
    out_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(_fresh_db(out_dir))
    try:
        gazetteer = load_gazetteer_or_none()
        run_pipeline(store, gazetteer, corpus)
        data = report_data_from_store(store)
        profile = make_profile(data, ReportOptions(country=country), gazetteer=gazetteer)
        paths = {"database": out_dir / "minewatch.db"}
        paths.update(write_profile(profile, out_dir))
        paths.update(write_exports(store, data, ReportOptions(country=None), out_dir))
        n_events = len(store.events())
        n_docs = len(store.documents())
        n_inc = len(data.incidents)
    finally:
        store.close()
    types, rows = summary_rows(profile)
    b = profile.all_basis
    headline = (
        f"{n_docs} documents -> {n_events} events -> {n_inc} incidents; the {profile.name} "
        f"profile rests on {b.phrase}."
    )
    return DemoResult(country, profile.name, n_docs, n_events, n_inc, types, rows, headline, paths)
