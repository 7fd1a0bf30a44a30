"""``minewatch gazetteer``: import, add, look up and test place names."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from minewatch.cli._app import DEFAULT_DB, DbOption, JsonOption, app, err, fail, open_store

if TYPE_CHECKING:
    from minewatch.geo import Gazetteer

gazetteer_app = typer.Typer(
    help=(
        "The offline gazetteer: Korean place names in every spelling, borders, the DMZ, "
        "and any country's first-level divisions.\n\n"
        "Example: minewatch gazetteer lookup Hamgyong"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(gazetteer_app, name="gazetteer")

FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]


@gazetteer_app.command("import")
def import_(file: FileArg, db: DbOption = DEFAULT_DB) -> None:
    """Import a GeoNames country dump (e.g. KP.txt, MM.txt) into the store.

    The file is the standard GeoNames tab-separated format (19 columns, with
    alternate names). It is checked completely first: a bad row stops the
    import with an error naming the row, and nothing is loaded. Re-importing
    replaces the rows with the same geonameid.

    Example: minewatch gazetteer import KP.txt --db minewatch.db
    """
    from minewatch.geo import GazetteerInputError, load_gazetteer, read_geonames, save_entries

    try:
        entries = read_geonames(file, gazetteer=load_gazetteer())
    except GazetteerInputError as exc:
        raise fail(str(exc)) from None
    n = save_entries(open_store(db), entries, origin="geonames")
    err.print(f"imported {n} GeoNames places from {file.name}")


@gazetteer_app.command("add")
def add(file: FileArg, db: DbOption = DEFAULT_DB) -> None:
    """Add your own places from CSV or GeoJSON; they win over shipped entries.

    CSV needs columns id, name, lat, lon (optional: kind, country, admin1,
    variants separated by "|", hangul, source). GeoJSON: a FeatureCollection
    with the same properties; lines and areas must be valid geometries. A bad
    row stops with an error naming it, and nothing is added.

    Example: minewatch gazetteer add my_places.csv --db minewatch.db
    """
    from minewatch.geo import GazetteerInputError, read_user_places, save_entries

    try:
        entries = read_user_places(file)
    except GazetteerInputError as exc:
        raise fail(str(exc)) from None
    n = save_entries(open_store(db), entries, origin="user")
    err.print(f"added {n} places from {file.name}")


@gazetteer_app.command("lookup")
def lookup(
    name: Annotated[str, typer.Argument(help="A place name in any spelling (or Hangul).")],
    country: Annotated[
        str | None, typer.Option("--country", help="Only entries of this ISO country code.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show the entries a name may refer to (best spelling match first).

    Example: minewatch gazetteer lookup "Hamgyŏng-bukto"
    """
    gaz = _gazetteer(db)
    entries = gaz.lookup(name, country.upper() if country else None)
    if as_json:
        print(json.dumps([_entry_json(gaz, e.id) for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        err.print(f"no entry for {name!r}")
        raise typer.Exit(1)
    for e in entries:
        seg, dist = gaz.border_facts(e.id)
        where = f"{e.lat:.4f},{e.lon:.4f}" if e.lat is not None and e.lon is not None else "-"
        border = f" border={seg} {dist} km" if seg else ""
        print(f"{e.id}\t{e.name}\t{e.kind}\t{e.country or '-'}\t{e.admin1 or '-'}\t{where}{border}")


@gazetteer_app.command("parse")
def parse(
    text: Annotated[
        str | None, typer.Argument(help="Text to geoparse (omit to read standard input).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="The document's country (ISO alpha-2).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Find the places in a text and print them as JSON lines (one per mention).

    Example: minewatch gazetteer parse "mines near the city of Musan" --country KP
    """
    gaz = _gazetteer(db)
    body = text if text is not None else sys.stdin.read()
    for p in gaz.find_places(body, country):
        print(json.dumps(p.to_json(), ensure_ascii=False))


@gazetteer_app.command("features")
def features(
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Only these kinds (river, line, zone, country...)."),
    ] = None,
) -> None:
    """Print the border lines, DMZ, rivers and country outlines as GeoJSON.

    Example: minewatch gazetteer features --kind river --kind line > borders.geojson
    """
    from minewatch.geo import load_gazetteer

    print(json.dumps(load_gazetteer().features_geojson(kind or None), ensure_ascii=False))


def _gazetteer(db: str) -> Gazetteer:
    """The shipped gazetteer plus the store's places when the database exists."""
    from minewatch.geo import load_gazetteer
    from minewatch.store.backend import is_url

    return load_gazetteer(store=open_store(db) if is_url(db) or Path(db).exists() else None)


def _entry_json(gaz: Gazetteer, place_id: str) -> dict[str, Any]:
    e = gaz.get(place_id)
    if e is None:
        return {"id": place_id}
    d = e.to_json()
    d.pop("geometry", None)
    d["border_segment"], d["border_distance_km"] = gaz.border_facts(place_id)
    return d
