"""Corroboration against the store: rebuild incidents, record human decisions.

``rebuild`` reads every stored event, text and decision, clusters, re-applies
the decisions and replaces the stored incidents and source links. Decisions
live in the store's append-only ``decisions`` table (and its log), so
re-running extraction or corroboration never undoes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from minewatch.corroborate.build import CorroborationResult, LooseEvent, corroborate
from minewatch.corroborate.cluster import RunParts
from minewatch.corroborate.compat import GazetteerLike
from minewatch.corroborate.decisions import EDITABLE_FIELDS, fingerprint, parse_edit_value
from minewatch.model import Event, Incident, event_key
from minewatch.store import SourceLink, Store


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown incident, bad events...)."""


def default_gazetteer(store: Store | None = None) -> GazetteerLike | None:
    """The shipped gazetteer (plus the store's places), or None if unavailable."""
    try:
        from minewatch.geo.gazetteer import load_gazetteer
    except ImportError:  # pragma: no cover - geo is part of the package
        return None
    try:
        return load_gazetteer(store=store)
    except Exception:  # a broken user gazetteer must not block corroboration
        return load_gazetteer()


def rebuild(
    store: Store,
    *,
    gazetteer: GazetteerLike | None = None,
    who: str | None = None,
    run_parts: RunParts | None = None,
) -> CorroborationResult:
    """(Re)build all incidents from the stored events, re-applying decisions
    (``run_parts``: cluster on a Dask cluster, see :mod:`.parallel`)."""
    items = store.events()
    doc_ids = sorted({meta.id for meta, _ in items})
    texts = {d: store.text_of(d) for d in doc_ids}
    if gazetteer is None:
        gazetteer = default_gazetteer(store)
    result = corroborate(
        items, texts, gazetteer=gazetteer, decisions=store.decisions(), run_parts=run_parts
    )
    store.replace_incidents(result.incidents, who=who)
    store.replace_source_links(
        [
            SourceLink(
                document_id=lk["document_id"],
                original_source=lk["original_source"],
                source_kind=lk["source_kind"],
                method=lk["method"],
                derived_from=lk["derived_from"],
                evidence=lk["evidence"],
            )
            for lk in result.source_links()
        ],
        who=who,
    )
    return result


def loose_events(
    store: Store, *, gazetteer: GazetteerLike | None = None
) -> dict[str, list[LooseEvent]]:
    """Events that are no report of any incident, as a rebuild would find them now.

    ``{"candidates": [...], "background_only": [...]}``: candidates are events
    of unknown place or time with the incidents they could belong to;
    background only are background mentions and period totals that recall no
    incident. Read-only: nothing is written to the store.
    """
    items = store.events()
    texts = {d: store.text_of(d) for d in sorted({meta.id for meta, _ in items})}
    if gazetteer is None:
        gazetteer = default_gazetteer(store)
    res = corroborate(items, texts, gazetteer=gazetteer, decisions=store.decisions())
    return {"candidates": res.candidates, "background_only": res.background_only}


# --- looking things up ---------------------------------------------------------------


def find_incident(incidents: Sequence[Incident], ref: str) -> Incident:
    """An incident by id or unique id prefix (``inc-723d``, or ``723d``)."""
    ref = ref.strip()
    exact = [i for i in incidents if i.id == ref]
    if exact:
        return exact[0]
    full = ref if ref.startswith("inc-") else f"inc-{ref}"
    hits = [i for i in incidents if i.id.startswith(full)]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise DecisionError(f"no incident {ref!r} (run `minewatch incidents` to list them)")
    raise DecisionError(f"{ref!r} matches {len(hits)} incidents; give more of the id")


def resolve_event_ref(store: Store, ref: str, candidates: Sequence[str] = ()) -> str:
    """A full event key from ``sha256:<hex>#e1``, ``<input_id>#e1``, ``<sha prefix>#e1``,
    or a bare ``e1`` when exactly one candidate has that local id."""
    ref = ref.strip()
    if "#" not in ref:
        hits = [k for k in candidates if k.split("#", 1)[1] == ref]
        if len(hits) == 1:
            return hits[0]
        raise DecisionError(f"{ref!r}: give the event as DOC#{ref} (several or no matches)")
    doc, local = ref.rsplit("#", 1)
    doc_id = store.resolve(doc)
    if doc_id is None:
        raise DecisionError(f"no document matches {doc!r}")
    return event_key(doc_id, local)


def _events_by_key(store: Store) -> dict[str, Event]:
    return {event_key(meta.id, ev.id): ev for meta, ev in store.events()}


def _target(
    inc: Incident, events: dict[str, Event], keys: Sequence[str] | None = None
) -> dict[str, Any]:
    keys = (
        list(keys) if keys is not None else [m.event_key for m in inc.members if m.role == "member"]
    )
    return {
        "incident": inc.id,
        "events": keys,
        "fingerprints": {k: fingerprint(events[k]) for k in keys if k in events},
    }


# --- recording decisions ------------------------------------------------------------------


@dataclass
class DecisionOutcome:
    decision_id: int
    result: CorroborationResult
    incident: Incident | None  # where the decided events are now


def _after(
    store: Store, decision_id: int, key: str, who: str | None, gazetteer: GazetteerLike | None
) -> DecisionOutcome:
    res = rebuild(store, gazetteer=gazetteer, who=who)
    now = next(
        (
            i
            for i in res.incidents
            if any(m.event_key == key and m.role == "member" for m in i.members)
        ),
        None,
    )
    return DecisionOutcome(decision_id, res, now)


def merge(
    store: Store,
    a: str,
    b: str,
    *,
    reason: str | None = None,
    who: str | None = None,
    gazetteer: GazetteerLike | None = None,
) -> DecisionOutcome:
    """Record that incidents ``a`` and ``b`` are one, and rebuild."""
    incidents = store.incidents()
    ia, ib = find_incident(incidents, a), find_incident(incidents, b)
    if ia.id == ib.id:
        raise DecisionError("cannot merge an incident with itself")
    events = _events_by_key(store)
    keys = [m.event_key for inc in (ia, ib) for m in inc.members if m.role == "member"]
    target = _target(ia, events, keys)
    target["incidents"] = [ia.id, ib.id]
    did = store.add_decision("merge", target, {}, reason, who)
    return _after(store, did, keys[0], who, gazetteer)


def split(
    store: Store,
    ref: str,
    event_refs: Sequence[str],
    *,
    reason: str | None = None,
    who: str | None = None,
    gazetteer: GazetteerLike | None = None,
) -> DecisionOutcome:
    """Record that the given member events form their own incident, and rebuild."""
    inc = find_incident(store.incidents(), ref)
    members = [m.event_key for m in inc.members if m.role == "member"]
    part = [resolve_event_ref(store, r, members) for r in event_refs]
    missing = [k for k in part if k not in members]
    if missing:
        raise DecisionError(f"not members of {inc.id}: {', '.join(missing)}")
    rest = [k for k in members if k not in part]
    if not part or not rest:
        raise DecisionError("split needs some, but not all, of the incident's member events")
    events = _events_by_key(store)
    target = _target(inc, events)
    did = store.add_decision("split", target, {"events": part, "rest": rest}, reason, who)
    return _after(store, did, part[0], who, gazetteer)


def review(
    store: Store,
    ref: str,
    kind: str,
    *,
    reason: str | None = None,
    who: str | None = None,
    gazetteer: GazetteerLike | None = None,
) -> DecisionOutcome:
    """Record ``confirm`` or ``reject`` of an incident, and rebuild."""
    if kind not in ("confirm", "reject"):
        raise DecisionError(f"unknown review {kind!r}")
    inc = find_incident(store.incidents(), ref)
    target = _target(inc, _events_by_key(store))
    did = store.add_decision(kind, target, {}, reason, who)
    return _after(store, did, target["events"][0], who, gazetteer)


def edit(
    store: Store,
    ref: str,
    assignment: str,
    *,
    reason: str,
    who: str | None = None,
    gazetteer: GazetteerLike | None = None,
) -> DecisionOutcome:
    """Record ``field=value`` for an incident (reason required), and rebuild."""
    if not reason or not reason.strip():
        raise DecisionError("an edit needs a reason (--reason)")
    name, sep, raw = assignment.partition("=")
    name = name.strip()
    if not sep:
        raise DecisionError(f"expected field=value, got {assignment!r}")
    if name not in EDITABLE_FIELDS:
        raise DecisionError(f"cannot edit {name!r}; editable: {', '.join(EDITABLE_FIELDS)}")
    try:
        value = parse_edit_value(name, raw)
    except ValueError as e:
        raise DecisionError(str(e)) from None
    inc = find_incident(store.incidents(), ref)
    target = _target(inc, _events_by_key(store))
    previous = inc.type if name == "type" else inc.value(name)
    did = store.add_decision(
        "edit", target, {"field": name, "value": value, "previous": previous}, reason, who
    )
    return _after(store, did, target["events"][0], who, gazetteer)


# --- version check (reviewers working at the same time) ------------------------------


class VersionConflict(DecisionError):
    """The incident changed (or is gone) since the reviewer read it."""


def incident_version(payload: str) -> str:
    """A short hash of an incident's stored JSON: changes with any decision applied to it."""
    import hashlib

    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def require_version(store: Store, incident_id: str, version: str) -> None:
    """Raise :class:`VersionConflict` unless ``incident_id`` is stored at ``version``.

    Callers hold their own write lock around this check and the decision, so
    that two writers never both pass it.
    """
    payload = store.incident_payload(incident_id)
    if payload is not None and incident_version(payload) == version:
        return
    decs = store.decisions()
    by = f" (latest decision {decs[-1].id}: {decs[-1].kind} by {decs[-1].who})" if decs else ""
    if payload is None:
        raise VersionConflict(
            f"{incident_id} no longer exists: another decision regrouped its reports{by}. "
            "Your change was not saved; open the incident list to find its reports again."
        )
    raise VersionConflict(
        f"{incident_id} was changed by someone else after you opened it{by}. "
        "Your change was not saved; reload the page to see the current state and decide again."
    )
