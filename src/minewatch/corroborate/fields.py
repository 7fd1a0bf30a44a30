"""Choose each incident field from its reports, keeping every report visible.

Rules (the ``rule`` string of each :class:`FieldChoice`):

* ``when`` — tightest consistent interval: the shortest reported interval
  that overlaps every other; a conflict when reports do not all overlap.
* ``where`` — most specific place: lowest UCDP precision, then the place
  named by most reports; a conflict when two reports' places are neither the
  same, nested nor close.
* ``killed`` / ``injured`` / ``casualties`` — conservative best count with
  the widest reported low-high range: ``low`` is the lowest low, ``high`` the
  highest high (unbounded if any report is), ``best`` the lowest best that
  every report allows; a conflict when the reported ranges do not overlap
  ("dozens" vs "about a dozen").
* ``quantity:<kind>`` — after unit normalisation (lengths in metres), the
  narrowest reported range; a conflict when two reports differ by more than
  10% (60 m vs 65 yards agree; an 800-mile vs an 880 km border do not).
* ``victims`` — the known victim group; a conflict when two differ.
* ``devices`` / ``device_models`` / ``attributed_to`` — union of reports.
* ``victim_role`` / ``actor`` — most frequently reported.
* ``status`` — most assertive (reported > claimed > possible > denied); a
  conflict when one report denies what another asserts.
* ``context`` — true only if every report mentions it as background.

Values are chosen from the incident's members; *mentions* (reports that fit
several incidents) are listed and can raise a conflict but never choose.

Memory: at a million events the incident records are most of the cost, so one
:class:`Shared` per corroboration run hands out a single object per distinct
JSON value (a ``when`` dict, a count, a place), one empty list for every empty
evidence or report list, and one :class:`FieldChoice` per distinct *unreported*
choice (``actor`` None with no reports...). Incidents therefore share objects:
treat them as read-only and replace a field choice rather than mutating it (as
human edits do). The JSON is exactly what separate objects would give.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from minewatch.corroborate.compat import (
    KNOWN_GROUPS,
    Matcher,
    counts_consistent,
    intervals_meet,
    quantities_agree,
)
from minewatch.corroborate.records import (
    COUNT_FIELDS,
    CountT,
    PlaceLite,
    Rec,
    after_publication,
)
from minewatch.model import (
    DocumentMeta,
    Event,
    Evidence,
    FieldChoice,
    Place,
    ReportedValue,
    When,
)

STATUS_ORDER = ("reported", "claimed", "possible", "denied")


@dataclass(slots=True)
class MemberView:
    """One report of an incident: the event, its document, its record, its role."""

    key: str
    meta: DocumentMeta
    event: Event
    rec: Rec
    role: str = "member"  # "member" | "mention"


_PLACE_KEYS = tuple(Place.__dataclass_fields__)
#: Every field of a place but the candidates list, as one tuple.
_place_scalars = operator.attrgetter(*(k for k in _PLACE_KEYS if k != "candidates"))


def place_json(p: Place, *, compact: bool = True) -> dict[str, Any]:
    """A place as JSON; ``compact`` leaves out empty values (for listed reports)."""
    d = {k: getattr(p, k) for k in _PLACE_KEYS}
    d["candidates"] = list(p.candidates)
    if compact:
        return {k: v for k, v in d.items() if v is not None and v != []}
    return d


def when_json(w: When) -> dict[str, Any]:
    """``When.to_json()`` without ``dataclasses.asdict`` (a fifth of the run time)."""
    return {"start": w.start, "end": w.end, "precision": w.precision, "text": w.text}


def _typed(values: Sequence[Any]) -> tuple[Any, ...]:
    # 1, 1.0 and True are equal keys but different JSON: the type is part of the key
    return tuple((v.__class__, v) for v in values)


class Shared:
    """One object per distinct value for the incidents of one run (see module docstring).

    Pays: at 100k events the full run peaks at 588 MB with it, 715 MB without.
    """

    __slots__ = (
        "_choices",
        "_counts",
        "_places",
        "_strings",
        "_types",
        "_whens",
        "_wheres",
        "empty",
    )

    def __init__(self) -> None:
        #: The one empty list used for "no evidence", "no reports", "no devices".
        self.empty: list[Any] = []
        self._whens: dict[When, dict[str, Any]] = {}
        self._counts: dict[tuple[Any, ...], dict[str, int | None]] = {}
        self._places: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._types: dict[tuple[type, ...], tuple[type, ...]] = {}
        self._strings: dict[tuple[str, ...], list[str]] = {}
        self._wheres: dict[tuple[int, ...], list[dict[str, Any]]] = {}
        self._choices: dict[tuple[Any, ...], FieldChoice] = {}

    def when(self, w: When) -> dict[str, Any]:
        got = self._whens.get(w)
        if got is None:
            got = self._whens[w] = when_json(w)
        return got

    def count(self, c: CountT) -> dict[str, int | None]:
        key = _typed(c)
        got = self._counts.get(key)
        if got is None:
            got = self._counts[key] = _count_json(c)
        return got

    def count_dict(self, d: dict[str, int | None]) -> dict[str, int | None]:
        """The shared dict equal to ``d`` (a count as JSON)."""
        return self._counts.setdefault(_typed((d["low"], d["best"], d["high"])), d)

    def place(self, p: Place, *, compact: bool = True) -> dict[str, Any]:
        values = _place_scalars(p)
        types = tuple(map(type, values))
        key = (compact, values, self._types.setdefault(types, types), tuple(p.candidates))
        got = self._places.get(key)
        if got is None:
            got = self._places[key] = place_json(p, compact=compact)
        return got

    def places(self, ps: Sequence[Place]) -> list[dict[str, Any]]:
        """The compact JSON list of an event's places."""
        dicts = [self.place(p) for p in ps]
        key = tuple(id(d) for d in dicts)  # the dicts live as long as this object
        got = self._wheres.get(key)
        if got is None:
            got = self._wheres[key] = dicts
        return got

    def strings(self, values: Sequence[str]) -> list[str]:
        """A copy of a list of strings (devices...), one per distinct list."""
        key = tuple(values)
        if not all(v.__class__ is str for v in key):
            return list(key)
        got = self._strings.get(key)
        if got is None:
            got = self._strings[key] = list(key)
        return got

    def evidence(self, ev: Event, *names: str) -> list[Evidence]:
        found = [e for e in ev.evidence if e.field in names]
        return found if found else self.empty

    def rv(self, m: MemberView, value: Any, evidence: list[Evidence]) -> ReportedValue:
        return ReportedValue(value, m.key, m.meta.id, m.meta.input_id, evidence or self.empty)

    def choice(
        self, value: Any, rule: str, reported: list[ReportedValue], conflict: bool
    ) -> FieldChoice:
        """A field choice; unreported scalar or empty-list choices are shared."""
        if reported:
            return FieldChoice(value, rule, reported, conflict)
        if value is None or isinstance(value, (str, bool, int, float)):
            key: tuple[Any, ...] = (rule, value.__class__, value, conflict)
        elif isinstance(value, list) and not value:
            key, value = (rule, list, None, conflict), self.empty
        else:
            return FieldChoice(value, rule, self.empty, conflict)
        got = self._choices.get(key)
        if got is None:
            got = self._choices[key] = FieldChoice(value, rule, self.empty, conflict)
        return got


def choose_fields(
    members: Sequence[MemberView], matcher: Matcher, shared: Shared | None = None
) -> dict[str, FieldChoice]:
    """All field choices for one incident."""
    sh = shared if shared is not None else Shared()
    full = [m for m in members if m.role == "member"] or list(members)
    out: dict[str, FieldChoice] = {
        "when": choose_when(members, full, sh),
        "where": choose_where(members, full, matcher, sh),
    }
    for i, name in enumerate(COUNT_FIELDS):
        out[name] = choose_count(members, full, name, i, sh)
    out["victims"] = choose_victims(members, full, sh)
    out["victim_role"] = _most_frequent(members, full, "victim_role", _victim_role, sh)
    out["actor"] = _most_frequent(members, full, "actor", _actor, sh)
    out["devices"] = _union(members, full, "devices", _devices, sh)
    out["device_models"] = _union(members, full, "device_models", _device_models, sh)
    out["attributed_to"] = _union(members, full, "attributed_to", _attributed_to, sh)
    out["status"] = choose_status(members, full, sh)
    contexts = {m.event.context for m in members}
    out["context"] = sh.choice(
        all(m.event.context for m in full),
        "context only if every report mentions it as background",
        # listed only when reports differ (saves memory at scale)
        [sh.rv(m, m.event.context, sh.empty) for m in members] if len(contexts) > 1 else [],
        False,
    )
    out.update(choose_quantities(members, full, sh))
    return out


def _victim_role(e: Event) -> str | None:
    return e.victim_role


def _actor(e: Event) -> str | None:
    return e.actor


def _devices(e: Event) -> list[str]:
    return e.devices


def _device_models(e: Event) -> list[str]:
    return e.device_models


def _attributed_to(e: Event) -> list[str]:
    return e.attributed_to


# --- time -------------------------------------------------------------------------------


def _overlap(a: Rec, b: Rec) -> bool:
    return intervals_meet(a, b)


def _dated(m: MemberView) -> bool:
    w = m.event.when
    return bool(w.start or w.end) and not after_publication(m.event, m.meta.published)


def choose_when(
    members: Sequence[MemberView], full: Sequence[MemberView], sh: Shared
) -> FieldChoice:
    reported = [sh.rv(m, sh.when(m.event.when), sh.evidence(m.event, "when")) for m in members]
    # (a date after its publication is a misreading: reported, never chosen)
    known = [m for m in full if _dated(m)]
    conflict = any(
        not _overlap(a.rec, b.rec)
        for i, a in enumerate(members)
        for b in members[i + 1 :]
        if _dated(a) and _dated(b)
    )
    rule = "tightest consistent interval"
    if is_series(full):
        # the series' period, as its latest report gives it (a dated blast within
        # it is one of its members, not its time)
        latest = [m for m in full if m.rec.precision == "open" and _dated(m)]
        if latest:
            return sh.choice(sh.when(latest[-1].event.when), SERIES_WHEN_RULE, reported, conflict)
    if not known:
        return sh.choice(sh.when(full[0].event.when), rule, reported, conflict)
    if len(known) == 1:  # (an interval always meets itself)
        return sh.choice(sh.when(known[0].event.when), rule, reported, conflict)
    by_width = sorted(known, key=lambda m: (m.rec.end - m.rec.start, m.key))
    chosen = next(
        (m for m in by_width if all(_overlap(m.rec, o.rec) for o in known)),
        by_width[0],
    )
    return sh.choice(sh.when(chosen.event.when), rule, reported, conflict)


# --- place ------------------------------------------------------------------------------


def choose_where(
    members: Sequence[MemberView], full: Sequence[MemberView], matcher: Matcher, sh: Shared
) -> FieldChoice:
    reported = [
        sh.rv(m, sh.places(m.event.where), sh.evidence(m.event, "where", "place")) for m in members
    ]
    conflict = any(
        a.event.where and b.event.where and matcher.places_fit(a.rec, b.rec) is None
        for i, a in enumerate(members)
        for b in members[i + 1 :]
    )
    # the places that locate each report (not "fleeing into China", not a
    # reference point): see records.primary_places
    places: list[tuple[Place, MemberView]] = [
        (p, m) for m in full if m.rec.places for p in m.event.where if _locates(p, m.rec.places)
    ]
    rule = "most specific place"
    if not places:
        return sh.choice(None, rule, reported, conflict)
    if len(places) == 1:
        return sh.choice(sh.place(places[0][0], compact=False), rule, reported, conflict)
    freq = Counter(p.place_id or p.name or p.text for p, _ in places)
    p, _ = min(
        places,
        key=lambda pm: (
            pm[0].precision if pm[0].precision is not None else 7,
            -freq[pm[0].place_id or pm[0].name or pm[0].text],
            pm[1].meta.published or "9999",
            pm[1].key,
        ),
    )
    return sh.choice(sh.place(p, compact=False), rule, reported, conflict)


def _locates(p: Place, lites: Sequence[PlaceLite]) -> bool:
    """``place_lite(p) in lites``, without building a :class:`PlaceLite`."""
    prec = int(p.precision) if p.precision is not None else 7
    mine = (p.place_id, p.name, p.country, p.admin1, p.lat, p.lon, prec, p.border_segment)
    return any(
        mine
        == (q.place_id, q.name, q.country, q.admin1, q.lat, q.lon, q.precision, q.border_segment)
        for q in lites
    )


# --- counts -----------------------------------------------------------------------------


def merge_counts(counts: Sequence[CountT]) -> tuple[dict[str, int | None], bool]:
    """Conservative best with the widest range; and whether the reports agree."""
    low = min(c[0] for c in counts)
    high: int | None = None if any(c[2] is None for c in counts) else max(c[2] for c in counts)  # type: ignore[type-var]
    lo_i = max(c[0] for c in counts)
    hi_i = min(math.inf if c[2] is None else c[2] for c in counts)
    consistent = lo_i <= hi_i
    bests = [c[1] for c in counts if c[1] is not None]
    best: int | None = None
    if bests:
        best = min(bests)
        if consistent:
            best = int(min(max(best, lo_i), hi_i))
    return {"low": low, "best": best, "high": high}, consistent


def choose_count(
    members: Sequence[MemberView], full: Sequence[MemberView], name: str, i: int, sh: Shared
) -> FieldChoice:
    rule = "conservative best count; widest reported low-high range"
    reported: list[ReportedValue] = []
    all_counts: list[CountT] = []
    for m in members:
        c = m.rec.counts[i]
        if c is not None:
            reported.append(sh.rv(m, sh.count(c), sh.evidence(m.event, name)))
            all_counts.append(c)
    conflict = any(
        not counts_consistent(a, b) for k, a in enumerate(all_counts) for b in all_counts[k + 1 :]
    )
    chosen = [c for m in full if (c := m.rec.counts[i]) is not None]
    if not chosen:
        return sh.choice(None, rule, reported, conflict)
    if is_series(full):
        # A series' tallies grow from report to report: each report's tally is shown
        # (members are in publication order), the latest is chosen, none are added up.
        # A dated blast within the series gives a part of it: chosen only when no
        # report of the series gives a tally.
        tallies = [m for m in full if m.rec.counts[i] is not None]
        latest = ([m for m in tallies if m.rec.precision == "open"] or tallies)[-1]
        c = latest.rec.counts[i]
        assert c is not None
        return sh.choice(sh.count(c), SERIES_RULE, reported, conflict)
    value, _ = merge_counts(chosen)
    return sh.choice(sh.count_dict(value), rule, reported, conflict)


SERIES_RULE = "series: the latest report's tally (tallies in publication order, never added)"
SERIES_WHEN_RULE = "series: the period its latest report gives"


def is_series(full: Sequence[MemberView]) -> bool:
    """An ongoing series: two or more reports of it give an open period ("since spring")."""
    return sum(1 for m in full if m.rec.precision == "open") >= 2


def _count_json(c: CountT) -> dict[str, int | None]:
    return {"low": c[0], "best": c[1], "high": c[2]}


# --- categorical ------------------------------------------------------------------------


def choose_victims(
    members: Sequence[MemberView], full: Sequence[MemberView], sh: Shared
) -> FieldChoice:
    reported = [
        sh.rv(m, m.event.victims, sh.evidence(m.event, "victims"))
        for m in members
        if m.event.victims is not None
    ]
    known_all = {m.event.victims for m in members} & KNOWN_GROUPS
    known = [v for m in full if (v := m.event.victims) in KNOWN_GROUPS]
    value: str | None
    if known:
        value = _commonest(known)
    else:
        value = "unknown" if any(m.event.victims == "unknown" for m in full) else None
    return sh.choice(value, "the known victim group", reported, len(known_all) > 1)


def _most_frequent(
    members: Sequence[MemberView],
    full: Sequence[MemberView],
    name: str,
    get: Callable[[Event], str | None],
    sh: Shared,
) -> FieldChoice:
    reported = [sh.rv(m, v, sh.evidence(m.event, name)) for m in members if (v := get(m.event))]
    values = [v for m in full if (v := get(m.event))]
    value = _commonest(values) if values else None
    return sh.choice(value, "most frequently reported", reported, False)


def _commonest(values: list[str]) -> str:
    """The most frequent value; ties go to the alphabetically first."""
    if len(set(values)) == 1:
        return values[0]
    freq = Counter(values)
    return sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _union(
    members: Sequence[MemberView],
    full: Sequence[MemberView],
    name: str,
    get: Callable[[Event], list[str]],
    sh: Shared,
) -> FieldChoice:
    reported = [
        sh.rv(m, sh.strings(v), sh.evidence(m.event, name)) for m in members if (v := get(m.event))
    ]
    lists = [v for m in full if (v := get(m.event))]
    value: list[str]
    if len(lists) <= 1:  # every value once: alphabetical
        value = sorted(set(lists[0])) if lists else []
    else:
        freq: Counter[str] = Counter()
        for v in lists:
            freq.update(dict.fromkeys(v, 1))
        value = [v for v, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))]
    return sh.choice(value, "union of reports", reported, False)


def choose_status(
    members: Sequence[MemberView], full: Sequence[MemberView], sh: Shared
) -> FieldChoice:
    # reports are listed when they differ or carry evidence
    differ = len({m.event.status for m in members}) > 1
    reported = [
        sh.rv(m, m.event.status, ev)
        for m in members
        if (ev := sh.evidence(m.event, "status")) or differ
    ]
    statuses = {m.event.status for m in full}
    value = (
        next(iter(statuses))
        if len(statuses) == 1
        else min(
            statuses,
            key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else len(STATUS_ORDER),
        )
    )
    every = {m.event.status for m in members}
    conflict = "denied" in every and len(every) > 1
    return sh.choice(value, "most assertive report", reported, conflict)


# --- quantities -------------------------------------------------------------------------


def choose_quantities(
    members: Sequence[MemberView], full: Sequence[MemberView], sh: Shared
) -> dict[str, FieldChoice]:
    """One ``quantity:<kind>`` choice per quantity kind, plus a ``quantities`` summary."""
    kinds: dict[str, list[tuple[MemberView, Any]]] = {}
    for m in members:
        for q in m.event.quantities:
            kinds.setdefault(q.kind, []).append((m, q))
    out: dict[str, FieldChoice] = {}
    summary_value: list[dict[str, Any]] = []
    summary_reported: list[ReportedValue] = []
    any_conflict = False
    full_keys = {m.key for m in full}
    for kind in sorted(kinds):
        items = kinds[kind]
        reported = [
            sh.rv(m, q.to_json(), [Evidence(f"quantity:{kind}", q.start, q.end)]) for m, q in items
        ]
        ranges = [
            (q.low if q.low is not None else q.value, q.high if q.high is not None else q.value)
            for _, q in items
        ]
        conflict = any(
            not quantities_agree(a, b) for i, a in enumerate(ranges) for b in ranges[i + 1 :]
        )
        candidates = [(m, q, r) for (m, q), r in zip(items, ranges, strict=True)]
        from_members = [c for c in candidates if c[0].key in full_keys] or candidates
        m, q, _ = min(from_members, key=lambda c: (c[2][1] - c[2][0], c[0].key, c[1].start))
        value = q.to_json()
        out[f"quantity:{kind}"] = FieldChoice(
            value, "narrowest reported range after unit normalisation", reported, conflict
        )
        summary_value.append({**value, "conflict": conflict})
        summary_reported.extend(reported)
        any_conflict = any_conflict or conflict
    out["quantities"] = sh.choice(
        summary_value, "per kind: see quantity:<kind>", summary_reported, any_conflict
    )
    return out
