"""``minewatch report``, ``export``, ``import`` and ``demo``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from minewatch.cli._app import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    app,
    db_label,
    err,
    fail,
    open_store,
)

FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Only incidents whose reported interval reaches this date "
        "(YYYY, YYYY-MM or YYYY-MM-DD); undated incidents are then left out.",
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to",
        help="Only incidents whose interval starts on or before this date "
        "(YYYY, YYYY-MM or YYYY-MM-DD; a year or month means its last day).",
    ),
]
UnconfirmedOption = Annotated[
    bool,
    typer.Option(
        "--include-unconfirmed/--confirmed-only",
        help="Include unreviewed incidents (default) or confirmed ones only. Rejected "
        "incidents are never included.",
    ),
]


def parse_day(value: str | None, end: bool = False) -> date | None:
    """``2023`` -> 2023-01-01 (or 2023-12-31 with ``end``); ``2023-10`` likewise."""
    if value is None:
        return None
    parts = value.strip().split("-")
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 1:
            return date(nums[0], 12, 31) if end else date(nums[0], 1, 1)
        if len(nums) == 2:
            if not end:
                return date(nums[0], nums[1], 1)
            nxt = date(nums[0] + (nums[1] == 12), nums[1] % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        if len(nums) == 3:
            return date(*nums)
    except ValueError:
        pass
    raise typer.BadParameter(f"not a date: {value!r} (YYYY, YYYY-MM or YYYY-MM-DD)")


@app.command()
def report(
    country: Annotated[str, typer.Option("--country", help="ISO 3166 code, e.g. KP.")] = "KP",
    db: DbOption = DEFAULT_DB,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Directory for the profile (MD, HTML, SVG); - prints one format on stdout.",
        ),
    ] = Path("minewatch-report"),
    fmt: Annotated[
        str, typer.Option("--format", help="all, md or html (md/html alone with --out -).")
    ] = "all",
    date_from: FromOption = None,
    date_to: ToOption = None,
    include_unconfirmed: UnconfirmedOption = True,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="Directory of Jinja2 templates overriding the shipped "
            "ones (profile.md.j2, profile.html.j2, _sentences.j2, methods.j2, style.css).",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    facts: Annotated[
        Path | None,
        typer.Option(
            "--facts",
            help="Country facts YAML (default: the shipped data/countries/<CC>.yaml).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf", help="Also write a PDF (needs the pdf extra: pip install 'minewatch[pdf]')."
        ),
    ] = False,
    internal: Annotated[
        bool,
        typer.Option(
            "--internal",
            help="Internal draft: show reviewers' names and reasons (never publish it).",
        ),
    ] = False,
) -> None:
    """Write a country profile: key data, developments, casualties, use, clearance, sources.

    Every figure and sentence is footnoted to the documents it rests on; unknown
    counts are shown as unknown, never 0.

    Example: minewatch report --country KP --from 2020 --to 2024 --out profile/
    """
    from minewatch.report import (
        ReportOptions,
        load_country_facts,
        load_gazetteer_or_none,
        make_profile,
        render,
        report_data_from_store,
        write_report,
    )

    if fmt not in ("all", "md", "html"):
        raise fail(f"unknown --format {fmt!r} (all, md or html)", 2)
    opts = ReportOptions(
        country=country.upper(),
        date_from=parse_day(date_from),
        date_to=parse_day(date_to, end=True),
        include_unconfirmed=include_unconfirmed,
        internal=internal,
    )
    store = open_store(db)
    profile = make_profile(
        report_data_from_store(store),
        opts,
        load_country_facts(opts.country or "KP", facts),
        gazetteer=load_gazetteer_or_none(),
    )
    if not profile.incidents:
        raise fail(
            f"no incidents for {opts.country}"
            + (" in that period" if opts.date_from or opts.date_to else "")
            + ": nothing to report (run ingest, extract and corroborate first)",
            1,
        )
    if str(out) == "-":
        if fmt == "all":
            raise fail("--out - needs --format md or --format html", 2)
        sys.stdout.write(render(profile, fmt, templates))
        return
    try:
        paths = write_report(profile, out, templates, pdf=pdf)
    except ImportError:
        # fail() prints its message as text (no Rich markup), so "[pdf]" shows as is
        raise fail(
            "--pdf needs weasyprint, the pdf extra: pip install 'minewatch[pdf]' "
            "(in a checkout: pip install -e '.[pdf]')"
        ) from None
    except OSError as e:  # weasyprint installed, its Pango/HarfBuzz libraries not
        raise fail(
            f"--pdf: weasyprint cannot load its system libraries ({e}); on Debian: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
        ) from None
    if fmt != "all":
        keep = {fmt} | {k for k in paths if k.endswith("_svg")}
        for k in list(paths):
            if k not in keep and k != "pdf":
                paths.pop(k).unlink()
    err.print(f"profile of {profile.name}: {profile.all_basis.phrase}")
    for p in paths.values():
        err.print(f"  {p}")


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", help="csv, geojson or json.")] = "csv",
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option("--out", help="Output file; - for stdout.")] = Path("-"),
    country: Annotated[
        str | None, typer.Option("--country", help="Only this country (csv/geojson).")
    ] = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    include_unconfirmed: UnconfirmedOption = True,
    acled_zero: Annotated[
        bool,
        typer.Option(
            "--acled-zero-fatalities",
            help="CSV: write unknown fatalities as 0, ACLED's own convention (default: "
            "empty, since unknown is not zero); fatalities_reported tells them apart.",
        ),
    ] = False,
) -> None:
    """Export incidents as CSV (ACLED-compatible columns first) or GeoJSON, or the whole
    database as JSON (documents with their originals, events, incidents, decisions).

    Filters apply to csv and geojson; json always holds everything, so that
    `minewatch import` rebuilds the same database.

    Example: minewatch export --format geojson --country KP --out incidents.geojson
    """
    from minewatch.export import FORMATS, export_text
    from minewatch.report import ReportOptions, report_data_from_store

    if fmt not in FORMATS:
        raise fail(f"unknown --format {fmt!r} ({', '.join(FORMATS)})", 2)
    store = open_store(db)
    opts = ReportOptions(
        country=country.upper() if country else None,
        date_from=parse_day(date_from),
        date_to=parse_day(date_to, end=True),
        include_unconfirmed=include_unconfirmed,
    )
    text = export_text(fmt, store, report_data_from_store(store), opts, acled_zero=acled_zero)
    if str(out) == "-":
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out}")


@app.command("import")
def import_cmd(
    file: Annotated[
        Path,
        typer.Argument(
            help="A JSON export (minewatch export --format json).", exists=True, dir_okay=False
        ),
    ],
    db: DbOption = DEFAULT_DB,
    force: Annotated[
        bool, typer.Option("--force", help="Import into a database that is not empty.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Load a JSON export into a database (empty unless --force).

    Originals are re-hashed and refused if they do not match their SHA-256.

    Example: minewatch import minewatch-demo/minewatch.json --db copy.db
    """
    from minewatch.export import ArchiveError, import_archive

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise fail(f"{file}: cannot read JSON: {e}") from None
    store = open_store(db)
    try:
        counts = import_archive(store, data, force=force)
    except (ArchiveError, KeyError, ValueError) as e:
        raise fail(f"{file}: {e}") from None
    if as_json:
        sys.stdout.write(json.dumps(counts) + "\n")
    err.print(
        "imported " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" into {db_label(db)}"
    )


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Directory for the demo database, profile and exports.")
    ] = Path("minewatch-demo"),
    country: Annotated[str, typer.Option("--country", help="Country of the profile.")] = "KP",
    as_json: JsonOption = False,
) -> None:
    """Run the whole pipeline on the bundled sample corpus: a fresh database in the
    out directory, ingest, extract, corroborate, then the profile and the exports.

    Example: minewatch demo --out minewatch-demo
    """
    from rich.table import Table

    from minewatch.demo import LEGEND, DemoError, run_demo

    try:
        result = run_demo(out, country=country.upper())
    except DemoError as e:
        raise fail(str(e)) from None
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), indent=1) + "\n")
        return
    table = Table(title=f"minewatch demo: {result.country_name}", show_edge=False)
    table.add_column("year")
    for t in result.types:
        table.add_column(t, justify="right")
    table.add_column("casualties", justify="right")
    for row in result.rows:
        table.add_row(*row)
    err.print(table)
    err.print(LEGEND, style="dim")
    err.print(result.headline)
    for name, p in result.paths.items():
        err.print(f"  {name:<14} {p}")
