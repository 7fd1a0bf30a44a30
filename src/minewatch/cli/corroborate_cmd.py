"""Commands: ``corroborate`` and the ``incidents`` group (list, show, human decisions)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from minewatch.cli._app import DEFAULT_DB, DbOption, JsonOption, app, err, fail, open_store, out

WhoOption = Annotated[
    str | None,
    typer.Option(
        "--who",
        envvar="MINEWATCH_USER",
        help="Who decides, for the audit log (env MINEWATCH_USER; default: OS user).",
    ),
]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why (kept in the log).")]


@app.command()
def corroborate(
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=0,
            help="Cluster the independent parts in N processes of a local Dask cluster.",
        ),
    ] = 0,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Cluster on an existing Dask cluster (tcp://host:8786)."),
    ] = None,
) -> None:
    """(Re)build incidents from the stored events, re-applying every human decision.

    Groups reports of the same occurrence from different documents, counts
    independent sources and keeps conflicting figures side by side. With
    --workers/--scheduler the independent parts (per type and country) are
    clustered on a Dask cluster; the incidents are the same.

    Example: minewatch corroborate --db minewatch.db
    """
    from minewatch.corroborate.service import rebuild

    store = open_store(db)
    if workers or scheduler:
        from contextlib import ExitStack

        from minewatch.corroborate.parallel import PartFailed, dask_parts
        from minewatch.scaleout import dask_client

        def retry(index: int, attempt: int, reason: str) -> None:
            err.print(f"part batch {index + 1} failed ({reason}); retry {attempt}", markup=False)

        with ExitStack() as stack:
            try:
                client = stack.enter_context(dask_client(workers or None, scheduler))
            except OSError as e:
                raise fail(f"cannot start or reach the Dask cluster: {e}", 2) from e
            try:
                res = rebuild(store, run_parts=dask_parts(client, on_retry=retry))
            except PartFailed as e:
                raise fail(str(e), 1) from e
    else:
        res = rebuild(store)
    incs = res.incidents
    summary = {
        "incidents": len(incs),
        "documents": len({d for i in incs for d in i.document_ids}),
        "multi_document": sum(
            1 for i in incs if len({m.document_id for m in i.members if m.role == "member"}) > 1
        ),
        "with_conflicts": sum(
            1 for i in incs if any(f.conflict for k, f in i.fields.items() if k != "quantities")
        ),
        "decisions": len(store.decisions()),
        "decision_problems": [{"decision": d, "problem": p} for d, p in res.problems],
        "source_links": len(res.source_links()),
    }
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    err.print(
        f"{summary['incidents']} incidents ({summary['multi_document']} reported by several "
        f"documents, {summary['with_conflicts']} with conflicting reports); "
        f"{summary['decisions']} human decisions re-applied; "
        f"{summary['source_links']} source links"
    )
    for d, p in res.problems:
        err.print(f"[yellow]decision {d}:[/yellow] {p}", markup=True)


incidents_app = typer.Typer(
    help=(
        "List incidents (table, or --json), show one side by side, and record human "
        "decisions: merge, split, confirm, reject, edit.\n\nExample: minewatch incidents --json"
    ),
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(incidents_app, name="incidents")


@incidents_app.callback()
def incidents(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    type_: Annotated[
        str | None, typer.Option("--type", help="Only incidents of this event type.")
    ] = None,
) -> None:
    """List incidents: type, chosen values, documents, independent sources, conflicts.

    Example: minewatch incidents --type casualty
    """
    if ctx.invoked_subcommand is not None:
        return
    from minewatch.corroborate.present import incident_json, incident_row

    store = open_store(db)
    incs = [i for i in store.incidents() if type_ is None or i.type == type_]
    if as_json:
        print(json.dumps([incident_json(i) for i in incs], ensure_ascii=False, indent=2))
        return
    if not incs:
        err.print("no incidents (run `minewatch corroborate` after extracting events)")
        return
    rows = [incident_row(i) for i in incs]
    if not out.is_terminal:  # piped or redirected: tab-separated, one line per incident
        print("\t".join(rows[0]))
        for r in rows:
            print("\t".join(v.replace("\t", " ") for v in r.values()))
        err.print(f"{len(incs)} incidents")
        return
    table = Table(show_lines=False)
    for col in rows[0]:
        # ids are what people copy into decisions: never wrap them
        table.add_column(col, no_wrap=col == "id", overflow="fold")
    for r in rows:
        table.add_row(*r.values())
    out.print(table)
    err.print(f"{len(incs)} incidents")


def _fail_decision(e: Exception) -> typer.Exit:
    return fail(str(e))


@incidents_app.command("show")
def show_incident(
    incident: Annotated[str, typer.Argument(help="Incident id (or a unique prefix).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one incident's reports side by side, each with its document and evidence.

    Example: minewatch incidents show inc-723d4ee0
    """
    from minewatch.corroborate.present import incident_json, side_by_side
    from minewatch.corroborate.service import DecisionError, find_incident

    store = open_store(db)
    try:
        inc = find_incident(store.incidents(), incident)
    except DecisionError as e:
        raise _fail_decision(e) from None
    rows = side_by_side(inc, store.text_of)
    if as_json:
        print(
            json.dumps(
                {"incident": incident_json(inc), "side_by_side": rows},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    docs = {d.id: d for d in store.documents()}
    out.print(
        f"{inc.id}  {inc.type}  review: {inc.review}  confidence: {inc.confidence:.2f}  "
        f"country: {inc.country or '-'}"
    )
    out.print(
        f"independent sources: {inc.independent_sources} ({', '.join(inc.original_sources)}); "
        f"kinds: {', '.join(inc.source_kinds) or '-'}"
    )
    for m in inc.members:
        d = docs.get(m.document_id)
        pub = f"{d.publisher or '?'}, {d.published or '?'}" if d else "?"
        out.print(
            f"  {m.role:7} {m.event_key.split('#')[1]:>4}  {m.input_id}  ({pub})", soft_wrap=True
        )
    for row in rows:
        flag = "  [CONFLICT]" if row["conflict"] else ""
        table = Table(
            title=f"{row['field']}: {row['shown']}  — {row['rule']}{flag}",
            title_justify="left",
        )
        table.add_column("document", overflow="fold")
        table.add_column("role")
        table.add_column("reported", overflow="fold")
        table.add_column("evidence", overflow="fold")
        for r in row["reports"]:
            ev = " | ".join(f"[{e['start']}-{e['end']}] {e['text']}" for e in r["evidence"])
            table.add_row(
                f"{r['document']} {r['event_key'].split('#')[1]}", r["role"], r["shown"], ev or "-"
            )
        out.print(table)


@incidents_app.command("candidates")
def candidates_cmd(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """List the events that are no report of any incident, for a reviewer.

    Candidates: events whose place or time is unknown, with the incidents they
    could belong to (never counted as their reports). Background only: background
    mentions and period totals that recall no incident. Use `incidents merge` or
    `incidents split` to decide.

    Example: minewatch incidents candidates --json
    """
    from minewatch.corroborate.service import loose_events

    store = open_store(db)
    found = loose_events(store)
    if as_json:
        print(
            json.dumps(
                {k: [e.to_json() for e in v] for k, v in found.items()},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for name, events in found.items():
        print(f"{name.replace('_', ' ')}: {len(events)}")
        for e in events:
            where = f" -> {', '.join(e.incidents)}" if e.incidents else ""
            print(
                f"  {e.type:<12} {e.input_id or e.document_id}#{e.event_key.split('#')[1]}{where}"
            )


def _report(outcome: object, verb: str) -> None:
    from minewatch.corroborate.service import DecisionOutcome

    assert isinstance(outcome, DecisionOutcome)
    inc = outcome.incident
    where = f"; now in {inc.id} ({inc.review})" if inc else ""
    err.print(f"recorded decision {outcome.decision_id}: {verb}{where}")


@incidents_app.command("merge")
def merge_cmd(
    a: Annotated[str, typer.Argument(help="First incident id.")],
    b: Annotated[str, typer.Argument(help="Second incident id.")],
    db: DbOption = DEFAULT_DB,
    reason: ReasonOption = None,
    who: WhoOption = None,
) -> None:
    """Record that two incidents are one (kept across every re-run).

    Example: minewatch incidents merge inc-723d4ee0 inc-10d9d448 --reason "same blast"
    """
    from minewatch.corroborate.service import DecisionError, merge

    try:
        _report(merge(open_store(db), a, b, reason=reason, who=who), "merge")
    except DecisionError as e:
        raise _fail_decision(e) from None


@incidents_app.command("split")
def split_cmd(
    incident: Annotated[str, typer.Argument(help="Incident id.")],
    events: Annotated[
        list[str],
        typer.Option(
            "--events",
            help="Member events to move into their own incident: DOC#e1 (DOC = input id, "
            "SHA-256 prefix or full id) or e1; repeat or separate with commas.",
        ),
    ],
    db: DbOption = DEFAULT_DB,
    reason: ReasonOption = None,
    who: WhoOption = None,
) -> None:
    """Record that some member events are a separate incident (kept across re-runs).

    Example: minewatch incidents split inc-723d4ee0 --events 001.txt#e1 --reason "other blast"
    """
    from minewatch.corroborate.service import DecisionError, split

    refs = [r for item in events for r in item.split(",") if r.strip()]
    try:
        _report(split(open_store(db), incident, refs, reason=reason, who=who), "split")
    except DecisionError as e:
        raise _fail_decision(e) from None


@incidents_app.command("confirm")
def confirm_cmd(
    incident: Annotated[str, typer.Argument(help="Incident id.")],
    db: DbOption = DEFAULT_DB,
    reason: ReasonOption = None,
    who: WhoOption = None,
) -> None:
    """Mark an incident as reviewed and confirmed.

    Example: minewatch incidents confirm inc-723d4ee0 --reason "checked both reports"
    """
    from minewatch.corroborate.service import DecisionError, review

    try:
        _report(review(open_store(db), incident, "confirm", reason=reason, who=who), "confirm")
    except DecisionError as e:
        raise _fail_decision(e) from None


@incidents_app.command("reject")
def reject_cmd(
    incident: Annotated[str, typer.Argument(help="Incident id.")],
    db: DbOption = DEFAULT_DB,
    reason: ReasonOption = None,
    who: WhoOption = None,
) -> None:
    """Mark an incident as rejected (kept, shown as rejected, left out of reports).

    Example: minewatch incidents reject inc-6c1aac96 --reason "coal mine, not a landmine"
    """
    from minewatch.corroborate.service import DecisionError, review

    try:
        _report(review(open_store(db), incident, "reject", reason=reason, who=who), "reject")
    except DecisionError as e:
        raise _fail_decision(e) from None


@incidents_app.command("edit")
def edit_cmd(
    incident: Annotated[str, typer.Argument(help="Incident id.")],
    assignment: Annotated[
        str,
        typer.Argument(
            help="field=value, e.g. killed=3, injured=2-4, casualties=5-? (at least 5), "
            "when=2023-10-11..2023-10-20, victims=civilian, devices='AP mine,AV mine', "
            "type=casualty, or field=<JSON>."
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (required, kept in the log).")],
    db: DbOption = DEFAULT_DB,
    who: WhoOption = None,
) -> None:
    """Override one field's chosen value; the reports stay visible beside it.

    Example: minewatch incidents edit inc-723d4ee0 killed=2 --reason "Yonhap gives the split"
    """
    from minewatch.corroborate.service import DecisionError, edit

    try:
        _report(edit(open_store(db), incident, assignment, reason=reason, who=who), "edit")
    except DecisionError as e:
        raise _fail_decision(e) from None
