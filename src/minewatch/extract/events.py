"""Merge mentions into events and build the Event records.

Merging rule (documented in README): a mention joins the most recent event of
its type unless it carries a cue for a new event ("another", "other", "second",
"similar", "a month after"...), or it conflicts with that event: a different
explicit time, a different explicit status, a different background/news
reading, two different exact counts of the same kind, or - when the mention
brings its own count or time - places or victim groups that do not agree.
Mentions without harm ("the explosion") only ever attach to an earlier
casualty event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from minewatch.extract.background import Coverage, background_by_time
from minewatch.extract.counts import EXACT, CountPhrase, add_counts
from minewatch.extract.dates import RefDate, TimeExpr, reported_when, statement_day
from minewatch.extract.scan import Mention
from minewatch.extract.summary import summarise
from minewatch.model import Count, Event, Evidence, Place, Quantity, ReportedCount, When


@dataclass
class Draft:
    """An event being assembled from mentions."""

    type: str
    mentions: list[Mention] = field(default_factory=list)
    counts: dict[str, CountPhrase] = field(default_factory=dict)
    time: TimeExpr | None = None
    time_weak: bool = True
    time_inherited: bool = False
    status: str | None = None
    status_span: tuple[int, int] | None = None
    victims: str | None = None
    victim_role: str | None = None
    victim_span: tuple[int, int] | None = None
    context: bool | None = None
    # tolls replaced by a later revision, kept as reported: (kind, count phrase)
    earlier: list[tuple[str, CountPhrase]] = field(default_factory=list)
    headline_counts: list[tuple[str, CountPhrase]] = field(default_factory=list)

    @property
    def first(self) -> Mention:
        return self.mentions[0]


def _admin_keys(places: list[Place]) -> set[str]:
    """Provinces of resolved places (unresolved mentions cannot disagree)."""
    return {p.admin1.lower() for p in places if p.admin1}


MAX_GAP_SENTENCES = 12
#: characters before a list of states read for what governs it (split_parties)
STATE_LIST_LOOKBACK = 30
#: a time inside the event's time joins it from at most this many sentences on
NESTED_TIME_SENTENCES = 3


def _nested(a: When, b: When) -> bool:
    """One interval inside the other ("last week" and "on 17 November"): one time told at
    two precisions, not two times."""
    if None in (a.start, a.end, b.start, b.end):
        return False
    return bool(
        (a.start <= b.start and b.end <= a.end)  # type: ignore[operator]
        or (b.start <= a.start and a.end <= b.end)  # type: ignore[operator]
    )


def _narrower(a: When, b: When) -> bool:
    """``a`` is strictly inside ``b``."""
    return (
        _nested(a, b)
        and (a.start, a.end) != (b.start, b.end)
        and bool(
            b.start <= a.start and a.end <= b.end  # type: ignore[operator]
        )
    )


def _report_fits(event: When, report: When) -> bool:
    """A report date fits an event that happened before it (within about a quarter)."""
    if event.start is None or report.start is None:
        return True
    if report.end is not None and event.start > report.end:
        return False
    end = event.end or event.start
    return (date.fromisoformat(report.start) - date.fromisoformat(end)).days <= 92


class Assembler:
    def __init__(self, ref: RefDate | None, coverage: Coverage | None = None) -> None:
        self.ref = ref
        self.coverage = coverage  # the report's own period (background.py)
        # provinces of each draft's mentions, kept up to date as mentions join (a long
        # document's event can gather thousands of mentions)
        self._admin: dict[int, tuple[Draft, int, set[str]]] = {}

    def _draft_admin(self, d: Draft) -> set[str]:
        hit = self._admin.get(id(d))
        if hit is None or hit[0] is not d or hit[1] > len(d.mentions):
            hit = (d, 0, set())
        _, n, keys = hit
        if n < len(d.mentions):
            keys = keys | _admin_keys([p for x in d.mentions[n:] for p in x.places])
            self._admin[id(d)] = (d, len(d.mentions), keys)
        return keys

    def mention_context(self, m: Mention) -> bool | None:
        if m.context_cue is not None or m.aggregate is not None:
            return True
        if m.time is not None and not m.time_weak:
            return background_by_time(m.time, self.ref, self.coverage)
        return None

    def compatible(self, d: Draft, m: Mention) -> bool:
        if m.new_event:
            return False
        if (m.counts or not m.support_only) and (m.aggregate is not None) != any(
            x.aggregate is not None for x in d.mentions
        ):
            return False  # a period total never merges with one blast
        if m.time is not None and d.time is not None and not m.revised:
            a, b = m.time.when, d.time.when
            if not m.time_weak and not d.time_weak:
                # one blast told at two precisions in neighbouring sentences ("last week"
                # ... "on 17 November") is one time; elsewhere nested times are two events
                # (a profile's "in 2018" and "in late 2018")
                close = (
                    d.type in ("casualty", "detonation")
                    and m.sent.index - d.mentions[-1].sent.index <= NESTED_TIME_SENTENCES
                )
                if (a.start, a.end) != (b.start, b.end) and not (close and _nested(a, b)):
                    return False
            elif m.time_weak and not d.time_weak:
                if not _report_fits(b, a):
                    return False
            elif d.time_weak and not m.time_weak:
                if not _report_fits(a, b):
                    return False
            elif not (_report_fits(a, b) or _report_fits(b, a)):
                return False
        if (
            m.time is not None
            and not m.time_inherited
            and d.time is None
            and m.counts
            and m.sent.para != d.mentions[-1].sent.para
            and d.first.sent.index > 3
        ):
            return False  # a counted, dated report in a later paragraph is not the undated one
        if m.status is not None and d.status is not None and m.status != d.status:
            return False
        mc = self.mention_context(m)
        if mc is not None and d.context is not None and mc != d.context:
            return False
        if mc is True and d.context is not True:
            return False  # background mentions only join background events
        if (
            d.context is True
            and mc is not True
            and m.time is not None
            and not m.time_inherited
            and m.sent.para != d.mentions[-1].sent.para
        ):
            return False  # nor does a dated report join background told paragraphs before
        own = bool(m.counts) or (m.time is not None and not m.time_weak and not m.time_inherited)
        if not own and m.sent.index - d.mentions[-1].sent.index > MAX_GAP_SENTENCES:
            return False
        for kind, cp in m.counts.items():
            other = d.counts.get(kind)
            if (
                other is not None
                and not m.revised
                and cp.specificity == EXACT
                and other.specificity == EXACT
                and cp.count != other.count
            ):
                return False
        if own:
            mk = _admin_keys(m.places)
            dk = self._draft_admin(d)
            if mk and dk and not (mk & dk):
                return False
        return True

    def absorb(self, d: Draft, m: Mention) -> None:
        d.mentions.append(m)
        for kind, cp in m.counts.items():
            cur = d.counts.get(kind)
            if cp.count.best == 0 and any(
                (c.count.best or 0) > 0 for k, c in d.counts.items() if k != kind
            ):
                continue  # "no one else was hurt" after a death: not a total of 0
            if cur is not None and m.revised and cur.count != cp.count:
                d.earlier.append((kind, cur))  # the latest figure wins, the earlier is kept
                d.counts[kind] = cp
                continue
            if cur is None or cp.specificity > cur.specificity:
                d.counts[kind] = cp
                if cur is not None and m.victims and m.victims != "unknown":
                    # the more specific count comes with its own victims ("five would-be defectors")
                    role = m.victim_role
                    if role is None and d.victims == m.victims:
                        role = d.victim_role
                    d.victims, d.victim_role, d.victim_span = m.victims, role, m.victim_span
        if (
            m.time is not None
            and not (m.support_only and d.mentions[:-1])
            and not (m.revised and d.mentions[:-1])
            and (
                d.time is None
                or (d.time_weak and not m.time_weak)
                or (d.time_inherited and not m.time_inherited and not m.time_weak)
                or (
                    not m.time_weak
                    and not d.time_weak
                    and not m.time_inherited
                    and _narrower(m.time.when, d.time.when)
                )
            )
        ):
            d.time, d.time_weak, d.time_inherited = m.time, m.time_weak, m.time_inherited
        # the status is the event's first telling's: a later "could" does not make a
        # reported blast possible
        if (
            d.status is None
            and m.status is not None
            and not any(x.counts or x.detonation for x in d.mentions[:-1])
        ):
            d.status, d.status_span = m.status, m.status_span
        if (d.victims is None or d.victims == "unknown") and m.victims:
            d.victims, d.victim_role, d.victim_span = m.victims, m.victim_role, m.victim_span
        elif d.victims == m.victims and d.victim_role is None and m.victim_role:
            d.victim_role = m.victim_role
        mc = self.mention_context(m)
        if d.context is None and mc is not None:
            d.context = mc

    def _same_time_draft(self, drafts: list[Draft], m: Mention) -> Draft | None:
        """An earlier event of this type with exactly this (explicit) time, if compatible."""
        if m.time is None or m.time_inherited or m.new_event or m.time.when.start is None:
            return None
        key = (m.time.when.start, m.time.when.end)
        for d in reversed(drafts):
            if d.type != m.type or d.time is None or d.time_inherited:
                continue
            if (d.time.when.start, d.time.when.end) != key:
                continue
            if m.status is not None and d.status is not None and m.status != d.status:
                continue
            return d
        return None

    def assemble(self, mentions: list[Mention]) -> list[Draft]:
        drafts: list[Draft] = []
        pending: list[Mention] = []
        orphans: list[Mention] = []  # explosions no casualty took
        last: dict[str, Draft] = {}
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sent.index, []).append(m)
        headlines = [m for m in mentions if m.sent.headline]
        for m in mentions:
            if m.sent.headline:
                continue  # read after the body (see _headlines)
            d = last.get(m.type)
            if m.time is None and not m.new_event and not m.support_only:
                # no time of its own: the one said in the sentence before (same paragraph)
                for pm in by_sentence.get(m.sent.index - 1, []):
                    if pm.time is not None and (
                        pm.sent.para == m.sent.para or m.span[0] <= pm.sent.start
                    ):
                        m.time, m.time_weak, m.time_inherited = pm.time, pm.time_weak, True
                        if m.context_cue is None and pm.context_cue is not None:
                            m.context_cue = pm.context_cue
                        break
            if m.support_only:
                if (
                    d is not None
                    and d.mentions[-1].sent.index >= m.sent.index - 8
                    and not (m.detonation and m.new_event)
                ):
                    self.absorb(d, m)
                elif d is None or m.detonation:
                    pending.append(m)  # "a mine went off" before the harm is told
                continue
            if d is not None and self.compatible(d, m):
                self.absorb(d, m)
                continue
            same = self._same_time_draft(drafts, m)
            if same is not None:
                self.absorb(same, m)
                continue
            nd = Draft(m.type)
            if m.type == "casualty" and m.aggregate is None:  # a period total takes no blast
                for pm in pending:
                    if pm.sent.index >= m.sent.index - 2 and not (pm.new_event and nd.mentions):
                        self.absorb(nd, pm)
                    else:
                        orphans.append(pm)
                pending.clear()
            self.absorb(nd, m)
            drafts.append(nd)
            last[m.type] = nd
        drafts += self._detonations(orphans + pending)
        drafts += self._headlines(headlines, drafts)
        drafts.sort(key=lambda d: d.first.start)
        return drafts

    def _headlines(self, headlines: list[Mention], drafts: list[Draft]) -> list[Draft]:
        """A headline repeats the body's news: it joins the body's first event of its type
        (a casualty headline also a detonation), its figures kept as reported beside the
        body's when they differ ("DOZENS" over "about a dozen": a conflict to show, not a
        count to merge). With no such event in the body it is the event."""
        out: list[Draft] = []
        for m in headlines:
            kinds = ("casualty", "detonation") if m.type == "casualty" else (m.type,)
            body = [d for d in drafts if d.type in kinds and not d.context]
            if not body:
                if m.support_only and not m.detonation:
                    continue
                nd = Draft("detonation" if m.support_only else m.type)
                self.absorb(nd, m)
                out.append(nd)
                continue
            d = min(body, key=lambda x: x.first.start)
            counts, m.counts = m.counts, {}
            self.absorb(d, m)
            if d.type == "detonation" and counts and not d.counts:
                d.type = "casualty"  # the body tells the blast, only the headline its toll
            take = not d.counts  # the body gives no toll: the headline's is the toll
            for kind, cp in counts.items():
                cur = d.counts.get(kind)
                if take:
                    d.counts[kind] = cp
                elif cur is None or cur.count != cp.count:
                    d.headline_counts.append((kind, cp))
        return out

    def _detonations(self, mentions: list[Mention]) -> list[Draft]:
        """A mine went off and no toll is told: one detonation event per explosion
        (repeated mentions of it, "the blast", join it unless a new-event cue says not)."""
        out: list[Draft] = []
        for m in sorted(mentions, key=lambda x: x.start):
            d = out[-1] if out else None
            if d is not None and (
                not m.detonation
                or (m.sent.index - d.mentions[-1].sent.index <= 3 and self.compatible(d, m))
            ):
                self.absorb(d, m)
                continue
            if not m.detonation:
                continue  # "the explosion" with nothing to attach to
            nd = Draft("detonation")
            self.absorb(nd, m)
            out.append(nd)
        return out


def build_event(
    d: Draft,
    idx: int,
    ref: RefDate | None,
    reported_days: int,
    coverage: Coverage | None = None,
) -> Event:
    """Turn a draft into an :class:`Event` with evidence for every filled field; an undated
    news event gets the ``reported`` interval (``reported_days`` before publication)."""
    ev: list[Evidence] = []
    have: set[tuple[str, int, int]] = set()  # beside the list: long documents have many spans

    def add(fieldname: str, a: int, b: int) -> None:
        key = (fieldname, a, b)  # an Evidence is equal to another exactly when these are
        if key not in have:
            have.add(key)
            ev.append(Evidence(fieldname, a, b))

    for m in d.mentions:
        for a, b in m.triggers:
            add("type", a, b)
        add("mention", m.sent.start, m.sent.end)
    own_time = (
        d.time if d.time is not None and not statement_day(d.time, d.time_weak, d.type) else None
    )
    when = When(None, None, "unknown", "")
    if own_time is not None:
        when = own_time.when
        add("when", own_time.start, own_time.end)
    for name, phrase in list(d.counts.items()):
        if phrase.refused:  # too large to be real: its span is kept, the count is not
            add(f"{name}_refused", phrase.start, phrase.end)
            del d.counts[name]
    killed = d.counts.get("killed")
    injured = d.counts.get("injured")
    cas = d.counts.get("casualties")
    casualties: Count | None = cas.count if cas else None
    for name, cp in (("killed", killed), ("injured", injured), ("casualties", cas)):
        if cp is not None:
            add(name, cp.start, cp.end)
    if casualties is None and killed is not None and injured is not None:
        casualties = add_counts(killed.count, injured.count)
        add("casualties", killed.start, killed.end)
        add("casualties", injured.start, injured.end)
    # places: trigger-sentence places first, then the rest; most precise first within each
    where: list[Place] = []
    seen: set[tuple[int | None, int | None]] = set()
    for m in d.mentions:
        for p in sorted(m.places, key=lambda p: (p.precision, p.start or 0)):
            if (p.start, p.end) not in seen:
                seen.add((p.start, p.end))
                where.append(p)
                if p.start is not None and p.end is not None:
                    add("where", p.start, p.end)
    victims = d.victims if d.type == "casualty" else None
    if victims and d.victim_span:
        add("victims", *d.victim_span)
    devices: list[str] = []
    models: list[str] = []
    attributed: list[str] = []
    quantities: list[Quantity] = []
    actor: str | None = None
    context_cue: tuple[int, int] | None = None
    for m in d.mentions:
        for name, a, b in m.devices:
            if name not in devices:
                devices.append(name)
                add("devices", a, b)
        for name, a, b in m.models:
            if name not in models:
                models.append(name)
                add("device_models", a, b)
        for name, a, b in m.attributions:
            if name not in attributed:
                attributed.append(name)
                add("attributed_to", a, b)
        for q in m.quantities:
            if all((q.start, q.end) != (x.start, x.end) for x in quantities):
                quantities.append(q)
                add("quantities", q.start, q.end)
        if actor is None and m.actor is not None:
            actor = m.actor[0]
            add("actor", m.actor[1], m.actor[2])
        if context_cue is None and m.context_cue is not None:
            context_cue = m.context_cue
    where.sort(key=lambda p: p.precision)  # most precise first (stable: text order within)
    if len(devices) > 1 and "unspecified mine" in devices:
        devices.remove("unspecified mine")
    activation: str | None = None
    if d.type in ("casualty", "detonation"):
        cues = [c for m in d.mentions for c in m.activation]
        pick = next((c for c in cues if c[0] == "command"), None) or (cues[0] if cues else None)
        activation = pick[0] if pick else "unknown"
        if pick is not None:
            add("activation", pick[1], pick[2])
    reported = [
        ReportedCount(kind, cp.count, cp.start, cp.end, role)
        for role, pairs in (("earlier", d.earlier), ("headline", d.headline_counts))
        for kind, cp in pairs
    ]
    for r in reported:
        add(r.field, r.start, r.end)
    status = d.status or "reported"
    if d.status_span is not None:
        add("status", *d.status_span)
    aggregate = next((m.aggregate for m in d.mentions if m.aggregate is not None), None)
    if aggregate is not None:
        add("aggregate", *aggregate)
        context_cue = context_cue or aggregate
    if context_cue is not None:
        context = True
    else:
        by_time = background_by_time(d.time, ref, coverage)
        context = bool(by_time) if by_time is not None else bool(d.context)
    if context and context_cue is not None:
        add("context", *context_cue)
    if own_time is None and not context:
        when = reported_when(ref, reported_days)  # news with no time of its own
    filled = sum(
        x is not None and x != []
        for x in (d.time, where or None, killed or injured or cas, victims, attributed or None)
    )
    confidence = round(min(0.95, 0.45 + 0.1 * filled + (0.05 if len(d.mentions) > 1 else 0)), 2)
    event = Event(
        id=f"e{idx}",
        type=d.type,
        status=status,
        context=context,
        when=when,
        where=where,
        killed=killed.count if killed else None,
        injured=injured.count if injured else None,
        casualties=casualties,
        victims=victims,
        victim_role=d.victim_role if victims else None,
        devices=devices,
        device_models=models,
        actor=actor,
        attributed_to=attributed,
        quantities=quantities,
        evidence=sorted(ev, key=lambda e: (e.start, e.end, e.field)),
        confidence=confidence,
        activation=activation,
        aggregate=aggregate is not None,
        reported_counts=reported,
    )
    event.summary = summarise(event)
    return event


def split_parties(
    events: list[Event],
    text: str,
    treaty_action: re.Pattern[str],
    clauses: dict[str, re.Pattern[str]],
) -> list[Event]:
    """A treaty action told of several states at once ("Estonia, Latvia, Lithuania and
    Poland ... leave the Ottawa Convention"): each state is a party of its own, so one
    policy event per state, each with its own country as its place. A joint agreement
    between states ("agreed to clear mines together") stays one event."""
    out: list[Event] = []
    for ev in events:
        triggers = [e for e in ev.evidence if e.field == "type"]
        if ev.type != "policy" or not any(
            treaty_action.fullmatch(text, e.start, e.end) for e in triggers
        ):
            out.append(ev)
            continue
        states = _coordinated_states(ev.where, text, clauses["state_list_joint"])
        if states and not clauses["state_list_before"].search(
            text, max(0, (states[0].start or 0) - STATE_LIST_LOOKBACK), states[0].start or 0
        ):
            states = []  # "would deter Russia and Belarus": the states are not the parties
        if len(states) < 2:
            out.append(ev)
            continue
        for p in states:
            ev_p = replace(
                ev,
                where=[p],
                evidence=[
                    e
                    for e in ev.evidence
                    if e.field != "where" or (e.start, e.end) == (p.start, p.end)
                ],
            )
            ev_p.summary = summarise(ev_p)
            out.append(ev_p)
    for i, ev in enumerate(out, 1):
        ev.id = f"e{i}"
    return out


def _coordinated_states(where: list[Place], text: str, joint: re.Pattern[str]) -> list[Place]:
    """The longest run of countries named as one list ("A, B and C"), in text order."""
    states = sorted(
        (p for p in where if p.kind == "country" and p.start is not None and p.end is not None),
        key=lambda p: p.start or 0,
    )
    best: list[Place] = []
    run: list[Place] = []
    for p in states:
        if (
            run
            and joint.fullmatch(text, run[-1].end or 0, p.start or 0)
            and p.country not in {q.country for q in run}
        ):
            run.append(p)
        else:
            run = [p]
        if len(run) > len(best):
            best = list(run)
    return best
