"""Filling a mention: its time, status, new-event and context cues, aggregate and
revision cues, activation, attribution, devices, quantities, places and actor."""

from __future__ import annotations

import re
from datetime import date

from minewatch.extract.counts import (
    BOUNDED,
)
from minewatch.extract.dates import TimeExpr
from minewatch.extract.quantities import QuantityReader
from minewatch.extract.rules import WORD_LEFT, Rules
from minewatch.extract.scan import Mention, _inside, _strip_left_edge
from minewatch.extract.victims import VictimReader
from minewatch.model import Place, Quantity

_ATTRIBUTION_HINT = re.compile(
    r"said|says|told|according|reported|reports|learned|claimed|accused|announced|stated|"
    r"warned|noticed|highlighted|denied|disclosed|confirmed|explained|added|speaking",
)
_VIA_TAIL = re.compile(
    r"(?:\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|On|In|That|The))+$"
)
_SUBORDINATE = re.compile(r"\b(?:after|before|following|until|weeks|days|months)\b", re.I)
_ATTACHED_DATE = re.compile(
    r"\b(?:signed|adopted|agreed|concluded|dated|published|issued|founded|established|"
    r"updated|ratified|enacted)\s+(?:\w+\s+)?(?:in|on)?\s*$",
    re.I,
)
_LAYING_WORD = re.compile(r"\b(?:la(?:id|ying|y)|plant\w*|buri\w*|plac\w*|emplac\w*)\b", re.I)
_ACTOR = re.compile(
    r"(?P<a>(?:[Tt]he )?(?:[A-Z][\w'’-]+ ){0,3}(?:authorities|army|troops|soldiers|military|"
    r"forces|government|regime|engineers|border guards?|guards|rebels|militants|militias?|"
    r"insurgents|deminers|sappers|People's Army)"
    r"|(?:North|South) Korea|Pyongyang|Seoul|Russia|Ukraine|China|Myanmar|the (?:North|South))"
    r"(?:,[^,]{1,60},)?(?:\s+(?:has|have|had|was|were|is|are|been|reportedly|also|again|now|"
    r"allegedly|started|began|continued|to|of|be|being)){0,4}\s+(?:\w+ly\s+)?$"
)
_ACTOR_BY = re.compile(
    r"^\s+by\s+(?P<a>(?:the |[A-Z][\w'’-]+ )?(?:[\w'’-]+ ){0,3}?(?:authorities|army|troops|"
    r"soldiers|military|forces|government|regime|engineers|guard troops|border guards?|guards|"
    r"rebels|militants|deminers|sappers|North|South|North Korea|South Korea))\b"
)


class AttributeReader(VictimReader):
    """Reads what a mention says beyond its trigger and toll."""

    def __init__(self, rules: Rules) -> None:
        super().__init__(rules)
        self.quantities = QuantityReader(rules, self.counts)
        # One scan for all device patterns. Each rule pattern is "<left edge>(?:...)(?![\w])";
        # the left-edge lookbehind is hoisted out of the alternation so it is tested once
        # per position instead of once per rule (same matches, several times faster).
        inner = [_strip_left_edge(d.pattern.pattern) for d in rules.devices]
        self.device_re = re.compile(
            WORD_LEFT + "(?:" + "|".join(f"(?P<d{i}>{p})" for i, p in enumerate(inner)) + ")",
            re.IGNORECASE,
        )

    def _span_facts(
        self, text: str, m: Mention, st: str, s0: int
    ) -> tuple[
        list[tuple[str, int, int]],
        list[tuple[str, int, int]],
        list[tuple[str, int, int]],
        list[Quantity],
    ]:
        r = self.r
        s1 = s0 + len(st)
        attributions: list[tuple[str, int, int]] = []
        low = st.lower()
        if _ATTRIBUTION_HINT.search(low):
            for pat, hint in zip(r.attribution, r.attribution_hints, strict=True):
                if hint is not None and not hint.search(low):
                    continue
                if self._plan(pat, s0, s1) is None:  # its gate: cannot match here
                    continue
                for am in pat.finditer(st):
                    src = am.group("src").strip().rstrip(",")
                    if re.match(r"(?i)the sources?\b", src):
                        continue
                    via = am.groupdict().get("via")
                    if via:
                        via = _VIA_TAIL.sub("", via).strip()
                    label = f"{src} ({via})" if via else src
                    if all(not x[0].startswith(src) for x in attributions):
                        attributions = [x for x in attributions if not label.startswith(x[0])]
                        attributions.append((label, s0 + am.start("src"), s0 + am.end("src")))
        devices: list[tuple[str, int, int]] = []
        models: list[tuple[str, int, int]] = []
        for dm in self._matches(self.device_re, st, s0):
            dr = r.devices[int((dm.lastgroup or "d0")[1:])]
            if dr.model and all(x[0] != dr.model for x in models):
                models.append((dr.model, s0 + dm.start(), s0 + dm.end()))
            if all(d[0] != dr.device for d in devices):
                devices.append((dr.device, s0 + dm.start(), s0 + dm.end()))
        if not devices:
            ff = self._false_friends(st, s0)
            for mm in self._matches(r.mine_noun, st, s0):
                if re.search(r"mine", st[mm.start() : mm.end()], re.I) and not _inside(
                    *mm.span(), ff
                ):
                    devices.append(("unspecified mine", s0 + mm.start(), s0 + mm.end()))
                    break
        quantities = self.quantities.find(text, m.sent.start, m.sent.end, self._low)
        return attributions, devices, models, quantities

    def _fill(
        self,
        text: str,
        m: Mention,
        times: list[TimeExpr],
        places: list[Place],
        others: list[int],
    ) -> None:
        w = self.r.windows
        r = self.r
        s0, s1 = m.span
        st = text[s0:s1]
        t0 = m.triggers[0][0]
        # time: nearest expression, preferring sentence-initial ones and avoiding report dates
        best: tuple[float, TimeExpr, bool] | None = None
        fallback: tuple[float, TimeExpr, bool] | None = None
        sent_start = m.sent.start
        for te in times:
            if te.end <= sent_start or te.start >= m.sent.end or not te.known:
                continue
            if m.clause is not None and not (m.clause[0] <= te.start < m.clause[1]):
                continue
            dist: float = min(abs(te.start - t0), abs(te.end - t0))
            lead = text[sent_start : te.start]
            if re.fullmatch(
                r"\W*(?:\w+(?: \w+)?,\s*)?(?:[Ii]n|[Oo]n|[Ss]ince|[Bb]y|[Dd]uring)?\s*", lead
            ):
                dist *= 0.3
            a, b = sorted((te.end, t0))
            between = text[a:b]
            after = text[te.end : te.end + w["date_attached"]]
            if self._has_at(
                _ATTACHED_DATE, max(sent_start, te.start - w["date_attached"]), te.start
            ):
                continue  # "the agreement signed in September 2018" dates something else
            owned_elsewhere = te.start > t0 and any(
                abs(te.start - o) < abs(te.start - t0) for o in others if o != t0
            )
            rv0 = max(
                sent_start, te.start - w["report_verb_before_date"]
            )  # a slice: its start is a word boundary
            weak = self._has(r.report_verbs, between, a) or bool(
                re.match(r"^\s*(?:that|,|of)\b", after)
                and self._has(r.report_verbs, text[rv0 : te.start], rv0)
            )
            if weak and m.type != "policy":  # a statement's date is the policy event's date
                dist += 1000
            else:
                weak = False
            if self._has(_SUBORDINATE, between, a):
                dist += 300  # "met on Thursday after clearing mines": Thursday is the meeting's
            if owned_elsewhere:
                # after our trigger but closer to another event's trigger: only as a fallback
                if fallback is None or dist < fallback[0]:
                    fallback = (dist, te, weak)
                continue
            if best is None or dist < best[0]:
                best = (dist, te, weak)
        if (best is None or best[2]) and fallback is not None and not fallback[2]:
            best = fallback
        if best is not None:
            m.time, m.time_weak = best[1], best[2]
        # status (explicit cues only; "the explosion" mentions never set it)
        look0 = max(m.sent.start, t0 - r.status_window)
        for status in ("denied", "claimed", "possible"):
            if m.support_only and not m.detonation:
                break
            cues = self._spans_at(r.status[status], look0, t0)
            sm = cues[-1] if cues else None  # the cue closest to the trigger
            if (
                sm is not None
                and m.type == "casualty"
                and self.r.clauses["blame"].match(text[sm[0] : sm[1]] + " of")
            ):
                continue  # blame is about who did it, not whether people were hurt
            if (
                sm is not None
                and m.type == "casualty"
                and status in ("claimed", "denied")
                and self._has_at(
                    _LAYING_WORD, sm[1], min(m.sent.end, sm[1] + w["laying_after_status"])
                )
            ):
                continue  # "rejected the accusation that its soldiers had planted the mines"
            if sm is not None and m.type == "policy" and status == "possible":
                continue  # "could not afford to give up mines" is the policy itself
            if sm is not None:
                m.status = status
                m.status_span = sm
                break
        if m.status in ("claimed", "denied") and m.time_weak:
            m.time, m.time_weak = None, False  # the day of the accusation, not of the laying
        # new-event and context cues
        if not m.support_only or m.detonation:
            sent_rel = t0 - m.sent.start
            if self._has_at(r.new_event, m.sent.start, m.sent.start + sent_rel) or (
                m.type == "casualty" and self._has_at(r.new_event_after, t0, m.sent.end)
            ):
                m.new_event = True
        cms = self._spans_at(
            r.context,
            max(m.sent.start, t0 - w["context_before"]),
            min(m.sent.end, t0 + w["context_after"]),
        )
        if cms:
            m.context_cue = cms[0]
        # attribution, devices, quantities: read once per sentence span
        key = (s0, s1)
        cached = self._span_cache.get(key)
        if cached is None:
            cached = self._span_facts(text, m, st, s0)
            self._span_cache[key] = cached
        attributions, devices, models, quantities = cached
        m.attributions = list(attributions)
        m.devices = list(devices)
        m.models = list(models)
        types = self.quantities.items.types  # counted devices: of clearance, laying ...
        m.quantities = [q for q in quantities if q.unit != "count" or m.type in types]
        m.places = [
            p for p in places if p.start is not None and s0 <= p.start and (p.end or 0) <= s1
        ]
        if m.counts and self._has_at(r.revision, m.sent.start, m.sent.end):
            m.revised = True
        # a period total ("since January, 25 killed"): a cue near one of its counts
        # (a statistic states a figure: "dozens" or "numerous" since X is a report, not one)
        if m.type == "casualty" and m.counts:
            aw = r.aggregate_window
            for cp in m.counts.values():
                if cp.specificity < BOUNDED:
                    continue
                hits = self._spans_at(
                    r.aggregate, max(m.sent.start, cp.start - aw), min(m.sent.end, cp.end + aw)
                )
                if hits:
                    m.aggregate = hits[0]
                    break
            big = any(
                (cp.count.best or cp.count.low) >= r.aggregate_min_count
                for cp in m.counts.values()
                if cp.specificity >= BOUNDED
            )
            if m.aggregate is None and big and m.time is not None and not m.time_weak:
                w0, w1 = m.time.when.start, m.time.when.end
                if m.time.when.precision == "open" or (
                    w0
                    and w1
                    and (date.fromisoformat(w1) - date.fromisoformat(w0)).days
                    > r.aggregate_min_days
                ):
                    m.aggregate = (m.time.start, m.time.end)
        # how the mine was set off (victim / command cues of the sentence)
        if m.type == "casualty":
            for kind in ("command", "victim"):
                for a0, a1 in self._spans_at(r.activation[kind], m.sent.start, m.sent.end):
                    m.activation.append((kind, a0, a1))
        # actor (who laid / cleared)
        if m.type in ("emplacement", "clearance"):
            am2 = _ACTOR.search(text, max(m.sent.start, t0 - w["actor_before"]), t0)
            if am2:
                m.actor = (am2.group("a"), am2.start("a"), am2.end("a"))
            else:
                bm = _ACTOR_BY.match(
                    text, m.triggers[0][1], min(m.sent.end, m.triggers[0][1] + w["actor_by_after"])
                )
                if bm:
                    m.actor = (bm.group("a"), bm.start("a"), bm.end("a"))
