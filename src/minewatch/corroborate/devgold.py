"""Corroboration's own share of the dev-clusters errors: clustering the gold events.

The dev-clusters figures (:mod:`.devset`) score extraction and corroboration
together. To tell the two apart, the corpus's *annotated* events are clustered
as if extraction had read them exactly: each gold event becomes an
:class:`~minewatch.model.Event` with its type, status, background flag, time,
counts and victims, placed by the gazetteer (its ``place`` name, else its
``admin1``, else its country). What this run misses, corroboration misses;
what only the extracted run misses, extraction does.

A gold time with no start (a weekday or a day of the month in a document of
no publication date: the year is not known) is read as ``unknown``, as
DESIGN has it; ``reported`` keeps its interval.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from minewatch.model import Count, DocumentMeta, Event, Place, When


class PlaceFinder(Protocol):
    """What the gold run needs from :mod:`minewatch.geo`'s gazetteer."""

    def find_places(self, text: str, country_hint: str | None = None) -> list[Place]: ...


def gold_places(ev: dict[str, Any], gazetteer: PlaceFinder) -> list[Place]:
    """The gold event's place, resolved: its named place, else its admin1, else its country."""
    country = ev.get("country")
    for name in (ev.get("place"), ev.get("admin1")):
        if not name:
            continue
        found = [
            p
            for p in gazetteer.find_places(str(name), country)
            if country is None or p.country == country or p.precision == 5
        ]
        if found:
            return found[:1]
    if ev.get("admin1"):
        name = str(ev["admin1"])
        return [Place(text=name, name=name, country=country, admin1=name, precision=4)]
    return [Place(text=str(country), country=country, precision=6)] if country else []


def gold_when(ev: dict[str, Any]) -> When:
    """The gold time; no start (the year not known) is ``unknown`` unless ``reported``."""
    w = ev.get("when") or {}
    prec = w.get("precision") or "unknown"
    if not w.get("start") and prec != "reported":
        return When(None, None, "unknown", w.get("text") or "")
    return When(w.get("start"), w.get("end"), prec, w.get("text") or "")


def gold_event(ev: dict[str, Any], n: int, gazetteer: PlaceFinder) -> Event:
    """One annotated event as extraction would give it if it read it exactly."""
    return Event(
        id=f"e{n}",
        type=ev["type"],
        status=ev.get("status") or "reported",
        context=bool(ev.get("context")),
        when=gold_when(ev),
        where=gold_places(ev, gazetteer),
        killed=Count.from_json(ev.get("killed")),
        injured=Count.from_json(ev.get("injured")),
        casualties=Count.from_json(ev.get("casualties")),
        victims=ev.get("victims"),
        victim_role=ev.get("victim_role"),
        devices=list(ev.get("devices") or []),
        activation=ev.get("activation"),
    )


def gold_items(
    rows: Iterable[dict[str, Any]], gazetteer: PlaceFinder
) -> tuple[list[tuple[DocumentMeta, Event]], dict[str, str]]:
    """(document, gold event) pairs and the documents' texts, for :func:`corroborate`."""
    items: list[tuple[DocumentMeta, Event]] = []
    texts: dict[str, str] = {}
    for d in rows:
        meta = DocumentMeta(
            id=f"gold:{d['id']}",
            input_id=str(d["id"]),
            title=d.get("title"),
            publisher=d.get("publisher"),
            published=d.get("published"),
            url=d.get("source_url"),
        )
        texts[meta.id] = str(d.get("text") or "")
        items += [(meta, gold_event(ev, n, gazetteer)) for n, ev in enumerate(d["events"], 1)]
    return items, texts


def incidents_from_gold_events(corpus: Path, gazetteer: Any = None) -> list[dict[str, Any]]:
    """Incidents JSON (as ``incidents --json``) clustered from the corpus's gold events."""
    from minewatch.corroborate.build import corroborate
    from minewatch.geo import load_gazetteer

    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    with corpus.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    items, texts = gold_items(rows, gaz)
    result = corroborate(items, texts, gazetteer=gaz)
    return [inc.to_json() for inc in result.incidents]
