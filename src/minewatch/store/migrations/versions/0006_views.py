"""A flat view of incidents: the chosen value of every field as a column.

``incidents_flat`` lets Datasette, the ``sqlite3`` shell or any SQL tool show
incidents without ``json_extract``: one row per incident, its chosen values
(``fields.<name>.value`` of the stored payload) as plain columns. Columns:

==================  ===========================================================
id, type, country   the incident, its event type and ISO 3166 country
review              unreviewed / confirmed / rejected (human decision state)
confidence          0..1
independent_sources distinct original sources
status, context     reported/claimed/possible/denied; 1 if a background mention
date_start/_end     the chosen interval (ISO dates; end empty when open)
date_precision      day, span, week, month_part, month, year_part, year, open...
date_text           the words the date was read from
place, admin1       first place of the chosen ``where``, its province
lat, lon            its coordinates (WGS 84), empty when unknown
where_precision     UCDP where_prec 1 (exact) .. 7 (unknown)
killed_low/best/high, injured_*, casualties_*
                    counts; all three empty = not reported (never 0 for unknown)
victims, victim_role, actor
devices             JSON array of device kinds, e.g. ["AP mine"]
documents           JSON array of the document ids the incident rests on
==================  ===========================================================

The view shows every incident, confidential or not: it is for the people who
hold the database, not a public export.

Revision ID: 0006_views
Revises: 0005_web
"""

from __future__ import annotations

from alembic import op

revision = "0006_views"
down_revision = "0005_web"
branch_labels = None
depends_on = None

#: (column, JSON path under the payload, SQL type of the result)
COLUMNS = (
    ("status", ("fields", "status", "value"), "text"),
    ("context", ("fields", "context", "value"), "bool"),
    ("date_start", ("fields", "when", "value", "start"), "text"),
    ("date_end", ("fields", "when", "value", "end"), "text"),
    ("date_precision", ("fields", "when", "value", "precision"), "text"),
    ("date_text", ("fields", "when", "value", "text"), "text"),
    ("place", ("fields", "where", "value", 0, "name"), "text"),
    ("admin1", ("fields", "where", "value", 0, "admin1"), "text"),
    ("lat", ("fields", "where", "value", 0, "lat"), "real"),
    ("lon", ("fields", "where", "value", 0, "lon"), "real"),
    ("where_precision", ("fields", "where", "value", 0, "precision"), "int"),
    *(
        (f"{n}_{b}", ("fields", n, "value", b), "int")
        for n in ("killed", "injured", "casualties")
        for b in ("low", "best", "high")
    ),
    ("victims", ("fields", "victims", "value"), "text"),
    ("victim_role", ("fields", "victim_role", "value"), "text"),
    ("actor", ("fields", "actor", "value"), "text"),
    ("devices", ("fields", "devices", "value"), "json"),
    ("documents", ("documents",), "json"),
)


def json_value(dialect: str, path: tuple[str | int, ...], kind: str) -> str:
    """SQL reading one JSON value of ``incidents.payload`` on ``dialect``."""
    if dialect == "postgresql":
        keys = ",".join(str(p) for p in path)
        if kind == "json":
            return f"(payload::jsonb #> '{{{keys}}}')::text"
        text = f"(payload::jsonb #>> '{{{keys}}}')"
        cast = {"int": "integer", "real": "double precision", "bool": "boolean"}.get(kind)
        return f"{text}::{cast}" if cast else text
    # SQLite: json_extract gives scalars as SQL values and arrays as JSON text
    jpath = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return f"json_extract(payload, '{jpath}')"


def column_sql(dialect: str, path: tuple[str | int, ...], kind: str) -> str:
    """One column; ``where`` holds a list of places or (older payloads) one place."""
    if 0 not in path:
        return json_value(dialect, path, kind)
    single = tuple(p for p in path if p != 0)
    return f"COALESCE({json_value(dialect, path, kind)}, {json_value(dialect, single, kind)})"


def view_sql(dialect: str) -> str:
    """``CREATE VIEW incidents_flat`` for ``dialect`` (sqlite or postgresql)."""
    cols = ",\n  ".join(f"{column_sql(dialect, p, k)} AS {c}" for c, p, k in COLUMNS)
    return (
        "CREATE VIEW incidents_flat AS SELECT\n  id, type, country, review, confidence, "
        f"independent_sources,\n  {cols}\nFROM incidents"
    )


def upgrade() -> None:
    op.execute(view_sql(op.get_bind().dialect.name))


def downgrade() -> None:
    op.execute("DROP VIEW incidents_flat")
