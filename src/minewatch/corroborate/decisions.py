"""Human decisions on incidents, re-applied after every clustering run.

A decision refers to *events* (``sha256:<hex>#e1``), not only to an incident
id, so it survives re-clustering and re-extraction. Each decision stores, per
event key, a fingerprint (type, dates, places, counts) so that when a
re-extraction renumbers a document's events the decision still finds them.

* ``merge``  — the listed events must be one incident (must-link).
* ``split``  — the listed events form their own incident and must stay apart
  from the rest of the incident they were split from (cannot-link).
* ``confirm`` / ``reject`` — review state of the incident holding most of
  the listed events.
* ``edit``   — overrides one field's chosen value (reports stay visible).

Later decisions win over earlier ones on the same pair of events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from minewatch.model import Count, Event, FieldChoice, Incident

DECISION_KINDS = ("merge", "split", "confirm", "reject", "edit")
EDITABLE_FIELDS = (
    "type",
    "when",
    "where",
    "killed",
    "injured",
    "casualties",
    "victims",
    "victim_role",
    "devices",
    "device_models",
    "actor",
    "status",
    "context",
    "country",
)


class DecisionLike(Protocol):
    """A stored decision (``minewatch.store.Decision`` has this shape)."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def target(self) -> dict[str, Any]: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def who(self) -> str: ...
    @property
    def at(self) -> str: ...


@dataclass(frozen=True)
class HumanDecision:
    """A decision held in memory (tests, or before it is stored)."""

    id: int
    kind: str
    target: dict[str, Any]
    payload: dict[str, Any]
    reason: str | None = None
    who: str = "test"
    at: str = ""


def fingerprint(event: Event) -> str:
    """What identifies an event within its document across re-extractions."""
    places = sorted(p.place_id or p.name or p.text for p in event.where)
    counts = [
        None if c is None else c.best for c in (event.killed, event.injured, event.casualties)
    ]
    return "|".join(
        [event.type, str(event.when.start), str(event.when.end), ",".join(places), str(counts)]
    )


class KeyResolver:
    """Maps event keys recorded in decisions to current record indexes."""

    def __init__(self, keys: Sequence[str], fingerprints: Sequence[str]) -> None:
        self.index = {k: i for i, k in enumerate(keys)}
        self.fps = list(fingerprints)
        self.by_fp: dict[tuple[str, str], list[int]] = {}
        for i, (k, fp) in enumerate(zip(keys, fingerprints, strict=True)):
            self.by_fp.setdefault((k.split("#", 1)[0], fp), []).append(i)

    def resolve(self, key: str, fps: dict[str, str] | None = None) -> int | None:
        """Current index of a recorded event key.

        The key itself when its event still has the recorded fingerprint (or
        none was recorded); else the one event of the same document with that
        fingerprint (events renumbered by a re-extraction); else the key itself
        if it still exists (its content changed), else None.
        """
        i = self.index.get(key)
        fp = (fps or {}).get(key)
        if fp is None or (i is not None and self.fps[i] == fp):
            return i
        hits = self.by_fp.get((key.split("#", 1)[0], fp), [])
        if len(hits) == 1:
            return hits[0]
        return i

    def resolve_all(self, keys: Iterable[str], fps: dict[str, str] | None = None) -> list[int]:
        out = []
        for k in keys:
            i = self.resolve(k, fps)
            if i is not None and i not in out:
                out.append(i)
        return out


def _fps(d: DecisionLike) -> dict[str, str]:
    return dict(d.target.get("fingerprints") or {})


def constraints(
    decisions: Sequence[DecisionLike], resolver: KeyResolver
) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """Must-link groups and cannot-link pairs from merges and splits.

    Every event split off is in some group (alone if need be): it founds an
    incident of its own rather than becoming a mere mention.
    """
    state: dict[tuple[int, int], tuple[str, int]] = {}
    pinned: list[int] = []  # split-off events found their own incident
    order = 0

    def put(a: int, b: int, what: str) -> None:
        nonlocal order
        if a != b:
            order += 1
            state[(min(a, b), max(a, b))] = (what, order)

    for d in sorted(decisions, key=lambda d: d.id):
        fps = _fps(d)
        if d.kind == "merge":
            idx = resolver.resolve_all(d.target.get("events", []), fps)
            for i, a in enumerate(idx):
                for b in idx[i + 1 :]:
                    put(a, b, "must")
        elif d.kind == "split":
            part = resolver.resolve_all(d.payload.get("events", []), fps)
            rest = resolver.resolve_all(d.payload.get("rest", []), fps)
            pinned.extend(part)
            for a in part:
                for b in rest:
                    put(a, b, "cannot")
            for i, a in enumerate(part):
                for b in part[i + 1 :]:
                    put(a, b, "must")
    cannot = sorted(p for p, (w, _) in state.items() if w == "cannot")
    cannot_set = set(cannot)
    groups: dict[int, set[int]] = {}
    for (a, b), (_, _) in sorted(
        ((p, v) for p, v in state.items() if v[0] == "must"), key=lambda pv: pv[1][1]
    ):
        ga, gb = groups.get(a, {a}), groups.get(b, {b})
        if ga is gb:
            continue
        # a union that would put two kept-apart events together is skipped
        if any((min(x, y), max(x, y)) in cannot_set for x in ga for y in gb):
            continue
        merged = ga | gb
        for x in merged:
            groups[x] = merged
    for i in pinned:
        groups.setdefault(i, {i})
    unique = {id(g): sorted(g) for g in groups.values()}
    return sorted(unique.values()), cannot


# --- review and edits -------------------------------------------------------------------


def _target_incident(
    incidents: Sequence[Incident], keys: set[str], incident_id: str | None
) -> Incident | None:
    best: tuple[int, int, str] | None = None
    chosen: Incident | None = None
    for inc in incidents:
        overlap = sum(1 for m in inc.members if m.role == "member" and m.event_key in keys)
        same_id = 1 if incident_id and inc.id == incident_id else 0
        if overlap == 0 and not same_id:
            continue
        rank = (overlap, same_id, inc.id)
        if best is None or rank[:2] > best[:2]:
            best, chosen = rank, inc
    return chosen


def apply_reviews(
    incidents: Sequence[Incident], decisions: Sequence[DecisionLike], resolver_keys: dict[str, str]
) -> list[tuple[int, str]]:
    """Apply confirm / reject / edit decisions in order; returns (decision id, problem).

    ``resolver_keys`` maps a recorded event key to its current key (identity
    for keys that still exist; renumbered events found by fingerprint).
    """
    problems: list[tuple[int, str]] = []
    for d in sorted(decisions, key=lambda d: d.id):
        if d.kind not in ("confirm", "reject", "edit"):
            continue
        keys = {resolver_keys.get(k, k) for k in d.target.get("events", [])}
        inc = _target_incident(incidents, keys, d.target.get("incident"))
        if inc is None:
            problems.append((d.id, "no current incident holds the decision's events"))
            continue
        if d.kind == "confirm":
            inc.review = "confirmed"
        elif d.kind == "reject":
            inc.review = "rejected"
        else:
            name = d.payload.get("field", "")
            value = d.payload.get("value")
            rule = f"human edit (decision {d.id} by {d.who} at {d.at}: {d.reason or 'no reason'})"
            if name == "type":
                inc.type = str(value)
                continue
            if name == "country":
                inc.country = value
            old = inc.fields.get(name)
            inc.fields[name] = FieldChoice(
                value, rule, list(old.reported) if old else [], old.conflict if old else False
            )
            if name == "where" and isinstance(value, dict) and value.get("country"):
                inc.country = value["country"]
                if "country" in inc.fields:
                    inc.fields["country"] = FieldChoice(
                        inc.country, rule, list(inc.fields["country"].reported), False
                    )
    return problems


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-|\.\.|to)\s*(\d+|\?)\s*$")


def parse_edit_value(name: str, raw: str) -> Any:
    """Parse ``field=value`` from the command line into a field value.

    Counts: ``3`` (exact), ``2-4`` (low 2, best 2, high 4), ``5-?`` (at least
    5), ``null``; or JSON. ``when``: ``2023-10-11..2023-10-20`` or a single
    date. ``where``: JSON or a place name. Lists (devices): comma-separated.
    ``context``: true/false. ``country``: an ISO 3166 alpha-2 code (``KP``).
    Anything else: the string (or JSON).
    """
    import json

    if name not in EDITABLE_FIELDS:
        raise ValueError(f"cannot edit {name!r}; editable: {', '.join(EDITABLE_FIELDS)}")
    text = raw.strip()
    if text in ("null", "none", "None", ""):
        return None
    if text.startswith(("{", "[")):
        return json.loads(text)
    if name in ("killed", "injured", "casualties"):
        if text.isdigit():
            return Count.exact(int(text)).to_json()
        m = _RANGE.match(text)
        if not m:
            raise ValueError(f"{name}: expected N, N-M, N-? or JSON, got {raw!r}")
        low = int(m.group(1))
        high = None if m.group(2) == "?" else int(m.group(2))
        if high is not None and high < low:
            raise ValueError(f"{name}: high {high} < low {low}")
        return {"low": low, "best": low, "high": high}
    if name == "when":
        start, _, end = text.partition("..")
        end = end or start
        return {"start": start, "end": end, "precision": _precision(start, end), "text": raw}
    if name == "where":
        return {"text": text, "name": text, "precision": 7, "relation": "in"}
    if name in ("devices", "device_models"):
        return [v.strip() for v in text.split(",") if v.strip()]
    if name == "context":
        return text.lower() in ("1", "true", "yes")
    if name == "country":
        code = text.upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ValueError(f"country: expected an ISO 3166 alpha-2 code (KP, UA...), got {raw!r}")
        return code
    return text


def _precision(start: str, end: str) -> str:
    from datetime import date

    try:
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    except ValueError:
        raise ValueError(f"when: expected YYYY-MM-DD[..YYYY-MM-DD], got {start}..{end}") from None
    if days < 1:
        raise ValueError("when: end before start")
    for limit, name in ((1, "day"), (6, "span"), (7, "week"), (11, "month_part"), (31, "month")):
        if days <= limit:
            return name
    return "year_part" if days <= 123 else "year"
