"""Find event mentions sentence by sentence.

A mention is one sentence's evidence for one event type: a trigger (a verb of
laying/clearing/floating/finding or a harm word) near a mine noun, with the
counts, victims, time, status, attribution, devices and quantities read from
the same sentence. ``events.py`` then merges mentions into events.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from minewatch.extract.counts import (
    BOUNDED,
    EXACT,
    CountPhrase,
    CountReader,
    bare_object_count,
    harm_own_count,
)
from minewatch.extract.dates import TimeExpr
from minewatch.extract.gate import Gate, lowered
from minewatch.extract.quantities import QuantityReader
from minewatch.extract.rules import WORD_LEFT, Rules
from minewatch.extract.text import Sentence
from minewatch.model import Count, Place, Quantity

TYPE_ORDER = ("emplacement", "clearance", "displacement", "discovery", "policy")
# Cues that turn a clearing/laying verb into a policy event ("agreed to begin removing mines").
_POLICY_CONVERT = re.compile(
    r"\b(?:agree(?:d|s)? to|agreement to|pledge(?:d|s)? to|vow(?:ed|s)? to|promised to|"
    r"committed to|mandat(?:ed|es|ing)|decree|treaty|convention|law)\b",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(
    r"^(?:laid|buried|placed|planted|emplaced|deployed|sown|scattered)$", re.IGNORECASE
)
_REDUCED_RELATIVE = re.compile(
    r"(?:mines?|landmines?|ordnance|UXOs?)\s*,?\s*"
    r"(?:(?:\w+ly|half|partly|partially|still|already|long|deeply|newly)\s+)?$",
    re.IGNORECASE,
)
_LAYING_WORD = re.compile(r"\b(?:la(?:id|ying|y)|plant\w*|buri\w*|plac\w*|emplac\w*)\b", re.I)
_DURING = re.compile(r"\b(?:during|while|in the course of)\s+(?:\w+\s+){0,2}$", re.I)
_SUBORDINATE = re.compile(r"\b(?:after|before|following|until|weeks|days|months)\b", re.I)
_INCIDENT = re.compile(r"\b(?:accident|incident)s?\b", re.I)
_COUNT_TO_HARM = re.compile(
    r"\s*(?:(?:were|was|have been|had been|are|got)\s+)?(?:\w+ly\s+)?", re.I
)
_WILL_BEFORE = re.compile(
    r"\b(?:(?:will|would|can|could|may|might)(?:\s+be)?|likely to be|to be)\s+$", re.I
)
_PLURAL_HEAD = re.compile(r"(?i)(?:s|people|children|men|women|police|personnel|military)$")
_SINGULAR_ART = re.compile(r"\b(?:a|an|the|one|another)\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
_HARM_SKIP_AFTER = re.compile(r"^\s*(?:radius|zone|range|switch|end|line|chain)\b", re.IGNORECASE)
_ACTIVE = re.compile(
    r"^(?:kill(?:ed|ing|s)?|injur(?:ed|ing)|wound(?:ed|ing)|maim(?:ed|ing)|hurt|lost|los(?:e|es))\b",
    re.IGNORECASE,
)
_NP_GAP = re.compile(
    r"^\s+(?:of\s+)?(?:(?:the|their|his|her|its|these|those)\s+)?"
    r"(?:(?!(?:were|was|have|has|had|been|by|in|at|on|to|with|from|when|while|that|who|which|"
    r"and|or|are|is|among|near|for|into|during|after|before|across|along|inside|over|under|"
    r"between|against|as|than|of)\b)[\w'’-]+\s+){0,4}$",
    re.IGNORECASE,
)
_RIGHT_GAP = re.compile(
    r"^\s+(?:(?:at least|some|about|all|only|his|her|their|its|the)\s+)?$", re.IGNORECASE
)
_SINGULAR_PASSIVE = re.compile(r"\b(?:was|has been|had been|got)\s+(?:\w+ly\s+)?$", re.I)
# a collective or plural subject before "was" ("the family was", "a group of farmers was")
_PLURAL_SUBJECT = re.compile(
    r"\b(?:family|group|convoy|patrol|unit|team|crew|vehicle|car|truck|bus|village|number|"
    r"\w+s)\b[^,;]*$",
    re.I,
)
_PRONOUN_OBJ = re.compile(r"\s+(him|her)\b", re.IGNORECASE)
_AREA_CLEAR = re.compile(
    r"\b(?:clear\w*|releas\w*|demin\w*)\s+(?:about |some |nearly |more than |over |another )?"
    r"\d[\d,.]*\s*(?:square|sq|km|hectare|ha\b|acre|m2|m²)",
    re.IGNORECASE,
)
_AMONG = re.compile(r"^\s+(?:among|of|to)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?$", re.IGNORECASE)
_ATTRIBUTION_HINT = re.compile(
    r"said|says|told|according|reported|reports|learned|claimed|accused|announced|stated|"
    r"warned|noticed|highlighted|denied|disclosed|confirmed|explained|added|speaking",
)
_VIA_TAIL = re.compile(
    r"(?:\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|On|In|That|The))+$"
)
_PASSIVE_GAP = re.compile(r"\b(?:were|was|are|is|been|being)\s+(?:\w+ly\s+)?(?:being\s+)?$", re.I)
_WATER = re.compile(
    r"\b(?:heavy rains?|rain(?:s|fall|water)?|flood\w*|swollen|washed|drift\w*|swept|currents?|"
    r"landslides?|storms?|typhoons?|monsoon|tides?|river levels?|the level of the rivers?)\b",
    re.I,
)
_PEOPLE = re.compile(
    r"\b(?:families|people|residents|villagers|civilians|refugees|households|communities|"
    r"thousands|hundreds)\b",
    re.I,
)
_AREA_AFTER = re.compile(
    r"\s+(?:about |some |nearly |more than |over |another )?\d[\d,.]*\s*(?:square (?:kilomet|met)"
    r"\w*|sq\.? ?km|km2|km²|m2|m²|hectares?|ha\b|acres?)",
    re.I,
)
_RELATIVE_LAYING = re.compile(
    r"\b(?:mines?|landmines?|it|them)\s+(?:(?:that|which)\s+(?:[\w-]+\s+){0,3}?|"
    r"(?:[\w-]+\s+){1,3}?)(?:had|have|has|were|was)\s+(?:been\s+)?(?:\w+ly\s+)?$",
    re.I,
)
_TIME_HINT = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:19|20)\d\d|"
    r"yesterday|last (?:week|month|year))\b"
)
_SUBJECT_GAP = re.compile(
    r"(?:,[^,]{1,100},)?[^,;:.!?]{0,130}?\b(?:were|was|are|is|have been|has been|had been|been|be)"
    r"\s+(?:\w+ly\s+)?(?:being\s+)?$",
    re.I,
)
_BLAME = re.compile(r"\b(?:accus\w*|blam\w*)\b[^.;]{0,80}?\bof\b", re.I)
_DEFINITE_NOMINAL = re.compile(r"(?:the|these|those|such|its|their)\s+(?:\w+\s+)?$", re.I)
_NOMINAL_HARM = re.compile(r"^(?:casualt|deaths?|injuries|victims?)", re.I)
_POSSESSIVE = re.compile(r"\b(?:their|its|his|her|our)\s+$", re.I)
_ATTACHED_DATE = re.compile(
    r"\b(?:signed|adopted|agreed|concluded|dated|published|issued|founded|established|"
    r"updated|ratified|enacted)\s+(?:\w+\s+)?(?:in|on)?\s*$",
    re.I,
)
_ANAPHOR = re.compile(
    r"^\W*(?:This|These|It|They|"
    r"The (?:explosion|blast|accident|incident|mine|device|detonation)s?)\b"
)
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


@dataclass
class Mention:
    """One sentence's evidence for one event of one type."""

    type: str
    sent: Sentence
    span: tuple[int, int]  # the sentence (plus a linked previous sentence)
    triggers: list[tuple[int, int]]
    support_only: bool = False  # "the explosion" with no harm: attaches to a casualty
    # a mine went off in this sentence (past form, a mine noun here): if no casualty takes
    # it, it is an event of its own (type detonation)
    detonation: bool = False
    activation: list[tuple[str, int, int]] = field(default_factory=list)
    aggregate: tuple[int, int] | None = None  # a period total / statistic cue (its span)
    revised: bool = False  # "the toll rose to five": its counts replace the earlier ones
    counts: dict[str, CountPhrase] = field(default_factory=dict)
    victims: str | None = None
    victim_role: str | None = None
    victim_span: tuple[int, int] | None = None
    victim_mixed: bool = False
    time: TimeExpr | None = None
    time_weak: bool = False
    time_inherited: bool = False
    status: str | None = None
    status_span: tuple[int, int] | None = None
    new_event: bool = False
    context_cue: tuple[int, int] | None = None
    attributions: list[tuple[str, int, int]] = field(default_factory=list)
    devices: list[tuple[str, int, int]] = field(default_factory=list)
    models: list[tuple[str, int, int]] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    actor: tuple[str, int, int] | None = None
    clause: tuple[int, int] | None = None  # set when one sentence holds two events

    @property
    def start(self) -> int:
        return self.triggers[0][0]


def _strip_left_edge(pattern: str) -> str:
    if not pattern.startswith(WORD_LEFT):
        raise ValueError(f"device pattern without the word-edge prefix: {pattern!r}")
    return pattern[len(WORD_LEFT) :]


def _inside(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= a and b <= e for s, e in spans)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


class EventMentionFinder:
    """Finds mentions in sentences; holds compiled helpers built from the rules."""

    def __init__(self, rules: Rules) -> None:
        self.r = rules
        self.counts = CountReader(rules)
        self.quantities = QuantityReader(rules, self.counts)
        self._recent = False
        self._span_cache: dict[tuple[int, int], Any] = {}
        # Per document: its lower-cased text for the gates (None: gates off), and the
        # false-friend spans of each sentence (read for detection and again for devices).
        self._text: str | None = None
        self._low: str | None = None
        self._ff_cache: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._gates: dict[int, Gate] = {}
        self._noun_groups: dict[str, tuple[str | None, str | None, bool]] = {}
        self._cue_hits: dict[tuple[int, int], list[bool]] = {}
        # One scan for all device patterns. Each rule pattern is "<left edge>(?:...)(?![\w])";
        # the left-edge lookbehind is hoisted out of the alternation so it is tested once
        # per position instead of once per rule (same matches, several times faster).
        inner = [_strip_left_edge(d.pattern.pattern) for d in rules.devices]
        self.device_re = re.compile(
            WORD_LEFT + "(?:" + "|".join(f"(?P<d{i}>{p})" for i, p in enumerate(inner)) + ")",
            re.IGNORECASE,
        )
        self.victim_re = re.compile(r"(?<![\w-])" + rules.victim_noun_any + r"(?![\w-])", re.I)

    # ------------------------------------------------------------------ gates
    def _use_text(self, text: str) -> None:
        if self._text is not text:
            self._text = text
            self._low = lowered(text)
            self._ff_cache.clear()
            self._cue_hits.clear()

    def _gate(self, pattern: re.Pattern[str]) -> Gate:
        # keyed by id: hashing a compiled pattern hashes its whole program every time
        g = self._gates.get(id(pattern))
        if g is None or g.pattern is not pattern:
            g = self._gates[id(pattern)] = Gate(pattern)
        return g

    def _can(self, pattern: re.Pattern[str], a: int, b: int) -> bool:
        """False when ``pattern`` cannot match the document's text between a and b: none
        of the literals each of its matches contains is there (see ``gate.py``)."""
        return self._gate(pattern).may_match(self._text or "", self._low, a, b)

    def _plan(
        self, pattern: re.Pattern[str], a: int, b: int
    ) -> tuple[re.Pattern[str], bool] | None:
        """How to look for ``pattern`` in the document's text between a and b: None when
        its gate says it cannot match there, else the pattern to run and whether to run
        it on the lower-cased text (the folded form of a case-insensitive pattern: same
        spans, see ``gate.py``). The gate test is inlined: this runs hundreds of times
        per document."""
        g = self._gates.get(id(pattern))
        if g is None or g.pattern is not pattern:
            g = self._gates[id(pattern)] = Gate(pattern)
        low = self._low
        need = g.need
        if need is not None:
            if not g.fold:
                if need.search(self._text or "", a, b) is None:
                    return None
            elif low is not None and need.search(low, a, b) is None:
                return None
        if g.folded is not None and low is not None:
            return g.folded, True
        return pattern, False

    def _has_at(self, pattern: re.Pattern[str], a: int, b: int) -> bool:
        """``pattern.search(text, a, b)`` is not None, for the document's text."""
        plan = self._plan(pattern, a, b)
        if plan is None:
            return False
        subject = (self._low if plan[1] else self._text) or ""
        return plan[0].search(subject, a, b) is not None

    def _spans_at(self, pattern: re.Pattern[str], a: int, b: int) -> list[tuple[int, int]]:
        """Spans of ``pattern.finditer(text, a, b)``, for the document's text."""
        plan = self._plan(pattern, a, b)
        if plan is None:
            return []
        subject = (self._low if plan[1] else self._text) or ""
        return [m.span() for m in plan[0].finditer(subject, a, b)]

    def _matches(self, pattern: re.Pattern[str], st: str, a: int) -> Iterable[re.Match[str]]:
        """Matches of ``pattern`` in ``st``, the document's text from offset ``a``, for
        their spans and group names only: they may index the lower-cased sentence."""
        b = a + len(st)
        plan = self._plan(pattern, a, b)
        if plan is None:
            return ()
        return plan[0].finditer((self._low or "")[a:b] if plan[1] else st)

    def _spans(self, pattern: re.Pattern[str], st: str, a: int) -> list[tuple[int, int]]:
        """Spans of ``pattern`` in ``st``, the document's text from offset ``a``."""
        b = a + len(st)
        plan = self._plan(pattern, a, b)
        if plan is None:
            return []
        return [m.span() for m in plan[0].finditer((self._low or "")[a:b] if plan[1] else st)]

    def _has(self, pattern: re.Pattern[str], st: str, a: int) -> bool:
        """Whether ``pattern`` matches in ``st``, the document's text from offset ``a``."""
        b = a + len(st)
        plan = self._plan(pattern, a, b)
        if plan is None:
            return False
        return plan[0].search((self._low or "")[a:b] if plan[1] else st) is not None

    # ----------------------------------------------------------------- public
    def detect(self, text: str, sents: list[Sentence]) -> list[Mention]:
        """Mentions (triggers, counts, victims) of every sentence; see :meth:`fill`."""
        self._use_text(text)
        low = self._low
        out: list[Mention] = []
        prev: Sentence | None = None
        prev_mine = False
        prev_mentioned = False
        last_mine: tuple[int, int] | None = None
        gate = self.r.gate
        for sent in sents:
            if sent.skip:
                prev, prev_mine, prev_mentioned = None, False, False
                continue
            st = text[sent.start : sent.end]
            if not prev_mine and not (
                gate.search(low, sent.start, sent.end) if low else gate.search(st.lower())
            ):
                prev, prev_mine, prev_mentioned = sent, False, False
                continue
            mines = self._mine_nouns(st, sent.start)
            self._recent = (
                last_mine is not None
                and sent.index - last_mine[0] <= 3
                and (sent.para - last_mine[1] <= 2)
            )
            found = self._sentence(text, sent, prev, prev_mine, prev_mentioned, mines)
            out.extend(found)
            prev, prev_mine, prev_mentioned = sent, bool(mines), bool(found)
            if mines:
                last_mine = (sent.index, sent.para)
        return out

    def fill(
        self, text: str, mentions: list[Mention], times: list[TimeExpr], places: list[Place]
    ) -> None:
        """Time, status, attribution, devices, quantities and places of each mention."""
        self._use_text(text)
        self._span_cache.clear()
        by_sent: dict[int, list[int]] = {}
        for m in mentions:
            by_sent.setdefault(m.sent.index, []).append(m.triggers[0][0])
        # Each mention looks only at the times of its sentence and the places of its span:
        # found by binary search (long documents have thousands of both), in input order.
        t_order = sorted(range(len(times)), key=lambda i: times[i].start)
        t_starts = [times[i].start for i in t_order]
        t_len = max((te.end - te.start for te in times), default=0)
        regular = sorted(
            (p.start, i)
            for i, p in enumerate(places)
            if p.start is not None and p.end is not None and p.end >= p.start
        )
        p_starts = [st for st, _ in regular]
        odd = [
            i
            for i, p in enumerate(places)
            if p.start is not None and not (p.end is not None and p.end >= p.start)
        ]
        for m in mentions:
            a, b = m.sent.start, m.sent.end
            sel = sorted(t_order[bisect_left(t_starts, a - t_len) : bisect_left(t_starts, b)])
            near_times = [times[i] for i in sel if times[i].end > a]
            s0, s1 = m.span
            sel = [i for _, i in regular[bisect_left(p_starts, s0) : bisect_right(p_starts, s1)]]
            sel = sorted(sel + odd)
            self._fill(text, m, near_times, [places[i] for i in sel], by_sent[m.sent.index])

    # --------------------------------------------------------------- detection
    def _false_friends(self, st: str, a: int) -> list[tuple[int, int]]:
        """False-friend spans in ``st`` (the document's text from offset ``a``)."""
        key = (a, len(st))
        hit = self._ff_cache.get(key)
        if hit is None:
            hit = self._ff_cache[key] = self._spans(self.r.false_friend, st, a)
        return hit

    def _mine_nouns(self, st: str, a: int) -> list[tuple[int, int]]:
        spans = self._spans(self.r.mine_noun, st, a)
        if not spans:
            return []
        ff = self._false_friends(st, a)
        return [sp for sp in spans if not _inside(*sp, ff)]

    def _negated(self, st: str, t0: int, t1: int) -> bool:
        clause = max(st.rfind(",", 0, t0), st.rfind(";", 0, t0), st.rfind(":", 0, t0))
        look = st[max(clause + 1, t0 - self.r.negation_window - 17) : t0]
        if self.r.negation_before.search(look):
            return True
        return bool(self.r.negation_after.search(st[t1 : t1 + 60]))

    def _sentence(
        self,
        text: str,
        sent: Sentence,
        prev: Sentence | None,
        prev_mine: bool,
        prev_mentioned: bool,
        mines: list[tuple[int, int]],
    ) -> list[Mention]:
        st = text[sent.start : sent.end]
        r = self.r
        a = sent.start
        self_cont = {k: self._spans(p, st, a) for k, p in r.self_contained.items()}
        linked = prev is not None and prev_mine and prev.para >= sent.para - 1
        if (
            not mines
            and not any(self_cont.values())
            and not linked
            and not self._has(_AREA_CLEAR, st, a)
            and not (self._recent and self._has(r.explosion, st, a))
        ):
            return []
        if self._has(r.not_event_sentence, st, a):
            return []
        off = sent.start
        found: dict[str, list[tuple[int, int]]] = {}
        relative: list[tuple[int, int]] = []  # "a mine that guards had buried"
        policy_cue = self._has(r.policy_cue, st, a)

        for typ in TYPE_ORDER:
            # Without a mine noun in the sentence only self-contained triggers ("demining")
            # and clearance words can hold (see ``near`` below): skip the other scans.
            cands = self._spans(r.type_verbs[typ], st, a) if mines or typ == "clearance" else []
            cands += self_cont.get(typ, [])
            for t0, t1 in sorted(set(cands)):
                word = st[t0:t1]
                own = (t0, t1) in self_cont.get(typ, [])
                near = own or any(
                    _gap((t0, t1), mn) <= r.window and self._direction_ok(typ, st, (t0, t1), mn)
                    for mn in mines
                )
                if not near and typ == "clearance" and _AREA_AFTER.match(st, t1):
                    near = True  # "cleared 12 square kilometres of farmland"
                if not near and _PASSIVE_GAP.search(st, max(0, t0 - 30), t0):
                    # "The mines, which ..., were reportedly being placed": subject far back
                    near = any(
                        0 <= t0 - mn[1] <= 150 and _SUBJECT_GAP.match(st, mn[1], t0) is not None
                        for mn in mines
                    )
                if not near and typ == "clearance" and linked and not mines:
                    near = re.fullmatch(r"clearance|demining", word, re.I) is not None
                if not near or any(s <= t0 and t1 <= e for s, e in mines):
                    continue
                if not re.match(r"(?i)give up", word) and self._negated(st, t0, t1):
                    continue
                if (
                    typ == "emplacement"
                    and _PARTICIPLE.match(word)
                    and _REDUCED_RELATIVE.search(st[:t0])
                ):
                    continue
                if typ == "emplacement" and _RELATIVE_LAYING.search(st, max(0, t0 - 45), t0):
                    relative.append((t0, t1))
                if typ == "clearance" and _DURING.search(st, max(0, t0 - 30), t0):
                    relative.append((t0, t1))  # "when a mine went off during clearance work"
                if typ == "clearance" and r.clearance_not_event_after.match(st[t1:]):
                    continue
                if own and _POSSESSIVE.search(st, max(0, t0 - 8), t0):
                    continue  # "their mine-laying": a practice, not an event
                kind = typ
                if typ == "policy" and not policy_cue and not re.match(r"(?i)give up", word):
                    continue
                if typ in ("clearance", "emplacement"):
                    conv = list(_POLICY_CONVERT.finditer(st, max(0, t0 - 110), t0))
                    if conv:
                        kind = "policy"
                found.setdefault(kind, []).append((t0, t1))
        if "discovery" in found and _WATER.search(st):
            # "found a wooden box mine days after heavy rain": a mine moved by water
            found.setdefault("displacement", []).extend(found.pop("discovery"))
        if "displacement" in found:
            found.pop("discovery", None)
            if "emplacement" in found:
                found["emplacement"] = [
                    t for t in found["emplacement"] if not re.match(r"(?i)buri", st[t[0] : t[1]])
                ]
                if not found["emplacement"]:
                    found.pop("emplacement")

        mentions: list[Mention] = []
        for typ, trig in found.items():
            mentions.append(
                Mention(typ, sent, (sent.start, sent.end), [(a + off, b + off) for a, b in trig])
            )
        cas = self._casualty(st, sent, prev, mines, linked, prev_mentioned)
        if cas is not None and not cas.support_only and relative:
            # the laying is the circumstance of the casualty, not news of its own
            for mm in mentions:
                if mm.type in ("emplacement", "clearance"):
                    mm.triggers = [
                        t for t in mm.triggers if (t[0] - off, t[1] - off) not in relative
                    ]
            mentions = [mm for mm in mentions if mm.triggers]
        if cas is not None:
            mentions.extend(self._split_casualty(st, cas))
            if not cas.support_only and _BLAME.search(st):
                # "accused the North of planting mines that maimed two soldiers": the blame
                # names the casualty's actor; it is not an emplacement event of its own
                mentions = [m for m in mentions if m.type != "emplacement"]
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _direction_ok(
        self, typ: str, st: str, trig: tuple[int, int], mine: tuple[int, int]
    ) -> bool:
        """Mines are the object of laying/clearing/finding: a mine noun before the verb
        counts only in the passive ("mines were cleared"), or as the subject of a
        movement ("mines could float"), not across people ("families displaced")."""
        if mine[0] >= trig[1] or typ == "policy":
            if typ == "displacement" and mine[0] >= trig[1]:
                return (
                    _WATER.search(st) is not None
                    or re.match(r"(?i)float|drift|wash", st[trig[0] : trig[1]]) is not None
                )
            return True
        between = st[mine[1] : trig[0]]
        if typ == "displacement":
            return not _PEOPLE.search(between)
        return _PASSIVE_GAP.search(st, max(0, trig[0] - 30), trig[0]) is not None or bool(
            re.fullmatch(r"[\s-]*", between)
        )

    def _split_casualty(self, st: str, men: Mention) -> list[Mention]:
        """'killed three people in September and killed or wounded five more in
        mid-October': one sentence, two events, when a time sits between two counted harms."""
        if men.support_only or len(men.triggers) < 2 or len(men.counts) < 2:
            return [men]
        off = men.sent.start
        trig = sorted(men.triggers)
        for i in range(1, len(trig)):
            gap = st[trig[i - 1][1] - off : trig[i][0] - off]
            if _TIME_HINT.search(gap) and re.search(r"\band\b|;|, while", gap):
                cut = trig[i][0]
                a = Mention("casualty", men.sent, men.span, trig[:i], clause=(men.sent.start, cut))
                b = Mention("casualty", men.sent, men.span, trig[i:], clause=(cut, men.sent.end))
                for kind, cp in men.counts.items():
                    (a if cp.start < cut else b).counts[kind] = cp
                for x in (a, b):
                    x.victims, x.victim_role, x.victim_span = (
                        men.victims,
                        men.victim_role,
                        men.victim_span,
                    )
                if a.counts and b.counts:
                    return [a, b]
        return [men]

    def _zero_harm(
        self,
        st: str,
        sent: Sentence,
        span: tuple[int, int],
        mines: list[tuple[int, int]],
        linked: bool,
    ) -> Mention | None:
        """ "No one was hurt": counts of 0, with the phrase as their evidence, on a mention
        that joins the blast it follows (or is one: a detonation)."""
        if not (mines or linked or self._recent):
            return None
        r = self.r
        a = sent.start
        counts: dict[str, CountPhrase] = {}
        for z0, z1 in self._spans(r.zero_harm["all"], st, a):
            for kind in ("killed", "injured", "casualties"):
                counts.setdefault(kind, CountPhrase(z0 + a, z1 + a, Count.exact(0), EXACT))
        if not counts:
            for z0, z1 in self._spans(r.zero_harm["killed"], st, a):
                counts["killed"] = CountPhrase(z0 + a, z1 + a, Count.exact(0), EXACT)
        if not counts:
            return None
        first = min(cp.start for cp in counts.values())
        last = max(cp.end for cp in counts.values())
        men = Mention("casualty", sent, span, [(first, last)], support_only=True, counts=counts)
        men.detonation = bool(mines) and any(
            not self._negated(st, *e) for e in self._spans(r.explosion_past, st, a)
        )
        return men

    def _casualty(
        self,
        st: str,
        sent: Sentence,
        prev: Sentence | None,
        mines: list[tuple[int, int]],
        linked: bool,
        prev_mentioned: bool,
    ) -> Mention | None:
        r = self.r
        a = sent.start
        explosions = self._spans(r.explosion, st, a)
        if not mines:
            if not linked and not (explosions and self._recent):
                return None  # "a second blast ... wounded" a few sentences after the mines
            if not (
                explosions or _ANAPHOR.match(st) or prev_mentioned or self._has(_INCIDENT, st, a)
            ):
                return None
        causes = self._spans(r.non_mine_cause, st, a)
        if any(not _inside(*c, mines) for c in causes) and not self._has(r.mine_cause, st, a):
            return None
        harms: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for kind in ("casualties", "killed", "injured"):
            for m in self._matches(r.harm[kind], st, a):
                if _inside(*m.span(), taken) or any(
                    _gap(m.span(), t) == 0 and not (t[1] <= m.start() or m.end() <= t[0])
                    for t in taken
                ):
                    continue
                if _HARM_SKIP_AFTER.match(st[m.end() :]):
                    continue
                if _WILL_BEFORE.search(st, max(0, m.start() - 12), m.start()):
                    continue  # "will kill anyone within three metres": capability, not harm
                if self._negated(st, m.start(), m.end()):
                    continue
                harms.append((m.start(), m.end(), kind))
                taken.append(m.span())
        harms.sort()
        if mines and not explosions and not self._has(r.mine_cause, st, a):
            # harm far from any mine noun ("soldiers killed in the war" next to "158 mines")
            harms = [h for h in harms if any(_gap((h[0], h[1]), mn) <= 90 for mn in mines)]
        off = sent.start
        span = (prev.start if (not mines and prev is not None) else sent.start, sent.end)
        if not harms:
            zero = self._zero_harm(st, sent, span, mines, linked)
            if zero is not None:
                return zero
            live = [e for e in explosions if not self._negated(st, *e)]
            if not live or not (mines or linked):
                return None
            sup = Mention(
                "casualty", sent, span, [(live[0][0] + off, live[0][1] + off)], support_only=True
            )
            sup.detonation = bool(mines) and any(
                not self._negated(st, *e) for e in self._spans(r.explosion_past, st, a)
            )
            return sup
        men = Mention("casualty", sent, span, [(a + off, b + off) for a, b, _ in harms])
        self._counts_victims(st, off, harms, men)
        if (
            not men.counts
            and all(r.generic_harm_nouns.fullmatch(st[h0:h1]) for h0, h1, _ in harms)
            and not self._has(r.explosion_past, st, a)
            and self._has(r.generic_present, st, a)
        ):
            return None  # "Civilians are frequent victims of landmines": no event
        if (
            not men.counts
            and all(_NOMINAL_HARM.match(st[a:b]) for a, b, _ in harms)
            and _DEFINITE_NOMINAL.search(st, max(0, harms[0][0] - 20), harms[0][0])
        ):
            men.support_only = True  # "The recent casualties ...": refers back
        return men

    def _counts_victims(
        self, st: str, off: int, harms: list[tuple[int, int, str]], men: Mention
    ) -> None:
        nps: list[tuple[int, int, int, CountPhrase | None]] = []  # np_start, noun_start, noun_end
        # count phrases: the folded pattern on the lower-cased sentence when possible
        # (same spans; CountReader.read lower-cases what it reads anyway)
        cpat, cst = self.counts.pattern, st
        folded = self._gate(cpat).folded
        if folded is not None and self._low is not None:
            cpat, cst = folded, self._low[off : off + len(st)]
        for vm in self._matches(self.victim_re, st, off):
            n0, n1 = vm.span()
            cp: CountPhrase | None = None
            win0 = max(0, n0 - 48)
            for cm in cpat.finditer(cst, win0, n0):
                c = self.counts.read(cm)
                if c is not None and _NP_GAP.match(st[cm.end() : n0]):
                    cp = c  # keep the last (closest) count before the noun
            if cp is None and st[n0:n1].lower() == "another":
                cp = CountPhrase(n0, n1, Count.exact(1), EXACT)
            art = None if cp is not None else _SINGULAR_ART.search(st, max(0, n0 - 30), n0)
            if art is not None and not _PLURAL_HEAD.search(st[n0:n1]):
                cp = CountPhrase(art.start(), art.end(), Count.exact(1), EXACT)  # "a farmer"
            nps.append((cp.start if cp else n0, n0, n1, cp))
        groups: set[str] = set()
        for h0, h1, kind in harms:
            chosen: tuple[int, int, int, CountPhrase | None] | None = None
            inside = [np for np in nps if h0 <= np[1] and np[2] <= h1]
            right = [
                np
                for np in nps
                if np[0] >= h1 and _RIGHT_GAP.match(st[h1 : np[0]]) and _ACTIVE.match(st[h0:h1])
            ]
            among = [np for np in nps if np[0] >= h1 and _AMONG.match(st[h1 : np[0]])]
            left = [
                np
                for np in nps
                if np[2] <= h0
                and h0 - np[2] <= 150
                and not any(np[2] <= a < h0 for a, _, _ in harms if a != h0)
            ]
            counted_left = [np for np in left if np[3] is not None and h0 - np[2] <= 100]
            if inside:
                chosen = inside[0]
            elif any(np[3] is not None for np in right):
                chosen = next(np for np in right if np[3] is not None)
            elif among and _NOMINAL_HARM.match(st[h0:h1]):
                chosen = among[0]  # "many casualties among North Korean soldiers"
            elif counted_left:
                chosen = counted_left[-1]  # "Around 40 civilians, most of them children, were"
            elif left:
                chosen = left[-1]
            elif right:
                chosen = right[0]
            elif among:
                chosen = among[0]
            count: CountPhrase | None = chosen[3] if chosen else None
            if chosen is None or (chosen in left and chosen not in inside):
                # a count of the harm word's own beats a noun phrase further left
                # ("two soldiers dead and five wounded": five)
                own = harm_own_count(self.counts, st, h0, h1, _ACTIVE.match(st[h0:h1]) is not None)
                if own is not None:
                    count = own
            if count is None and _ACTIVE.match(st[h0:h1]):
                pm = _PRONOUN_OBJ.match(st, h1)
                if pm:  # "killing him"
                    count = CountPhrase(pm.start(1), pm.end(1), Count.exact(1), EXACT)
                else:  # "killing 24", "wounding at least six Indian army troopers"
                    cm3 = cpat.search(cst, h1, min(len(st), h1 + 40))
                    c3 = self.counts.read(cm3) if cm3 is not None else None
                    if (
                        c3 is not None
                        and cm3 is not None
                        and _RIGHT_GAP.match(st[h1 : cm3.start()])
                    ):
                        count = c3
            if count is None:
                # "multiple casualties", "two dead", "5 killed"
                for cm in cpat.finditer(cst, max(0, h0 - 40), h0):
                    c = self.counts.read(cm)
                    if c is not None and _COUNT_TO_HARM.fullmatch(st[cm.end() : h0]):
                        count = c  # "two dead", "All five were killed"
                if count is None and re.match(r"(?:death )?toll", st[h0:], re.I):
                    cm2 = cpat.search(cst, h1, min(len(st), h1 + 30))
                    count = self.counts.read(cm2) if cm2 else None
                if count is None and _ACTIVE.match(st[h0:h1]):
                    count = bare_object_count(self.counts, st, h1)  # "killing two and ..."
            if count is None and kind != "casualties":
                sw = _SINGULAR_PASSIVE.search(st, max(0, h0 - 24), h0)
                if sw is not None and not _PLURAL_SUBJECT.search(
                    st, max(0, sw.start() - 40), sw.start()
                ):
                    # "Nouri al-Sattam, 53, was killed": one person
                    count = CountPhrase(sw.start(), sw.end(), Count.exact(1), EXACT)
            if count is not None and count.start >= 0:
                ckind = kind
                if kind not in men.counts:
                    men.counts[ckind] = CountPhrase(
                        count.start + off, count.end + off, count.count, count.specificity
                    )
            if chosen is not None:
                noun = st[chosen[1] : chosen[2]]
                grp, role = self._victim_group(noun, st, off)
                if grp:
                    groups.add(grp)
                if men.victims is None or (men.victims == "unknown" and grp):
                    men.victims = grp or "unknown"
                    men.victim_role = role
                    men.victim_span = (chosen[0] + off, chosen[2] + off)
                # "civilians and soldiers"
                for np in nps:
                    if np is chosen:
                        continue
                    a, b = (chosen[2], np[0]) if np[0] >= chosen[2] else (np[2], chosen[0])
                    if 0 <= b - a <= 6 and re.fullmatch(r"\s*(?:and|or|,)\s*", st[a:b]):
                        g2, _ = self._victim_group(st[np[1] : np[2]], st, off)
                        if g2:
                            groups.add(g2)
        if len(groups) > 1:
            men.victim_mixed = True
            men.victims = None
            men.victim_role = None

    def _victim_group(self, noun: str, st: str, off: int) -> tuple[str | None, str | None]:
        hit = self._noun_groups.get(noun)
        if hit is None:
            hit = self._noun_group(noun)
            if len(self._noun_groups) > 4096:  # odd inputs must not grow it without bound
                self._noun_groups.clear()
            self._noun_groups[noun] = hit
        grp, role, people = hit
        if role is None:
            key = (off, len(st))
            cues = self._cue_hits.get(key)
            if cues is None:  # which role cues the sentence holds, read once per sentence
                cues = self._cue_hits[key] = [
                    self._has(cue.pattern, st, off) for cue in self.r.role_cues
                ]
            for cue, found in zip(self.r.role_cues, cues, strict=True):
                if found and (grp is None or grp == cue.group):
                    return cue.group, cue.role
        if grp is None and people:
            grp = "civilian"
        return grp, role

    def _noun_group(self, noun: str) -> tuple[str | None, str | None, bool]:
        """Group and role of the first victim-noun rule that reads ``noun`` whole, and
        whether it is a plain word for people ("men", "a girl")."""
        people = re.fullmatch(r"(?i)m[ae]n|wom[ae]n|boys?|girls?", noun) is not None
        for vn in self.r.victim_nouns:
            if vn.pattern.fullmatch(noun):
                return vn.group, vn.role, people
        return None, None, people

    # ------------------------------------------------------------ attributes
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
            after = text[te.end : te.end + 25]
            if self._has_at(_ATTACHED_DATE, max(sent_start, te.start - 25), te.start):
                continue  # "the agreement signed in September 2018" dates something else
            owned_elsewhere = te.start > t0 and any(
                abs(te.start - o) < abs(te.start - t0) for o in others if o != t0
            )
            rv0 = max(sent_start, te.start - 30)  # a slice: its start is a word boundary
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
                and _BLAME.match(text[sm[0] : sm[1]] + " of")
            ):
                continue  # blame is about who did it, not whether people were hurt
            if (
                sm is not None
                and m.type == "casualty"
                and status in ("claimed", "denied")
                and self._has_at(_LAYING_WORD, sm[1], min(m.sent.end, sm[1] + 80))
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
        cms = self._spans_at(r.context, max(m.sent.start, t0 - 80), min(m.sent.end, t0 + 40))
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
        m.quantities = list(quantities)
        m.places = [
            p for p in places if p.start is not None and s0 <= p.start and (p.end or 0) <= s1
        ]
        if m.counts and self._has_at(r.revision, m.sent.start, m.sent.end):
            m.revised = True
        # a period total ("since January, 25 killed"): a cue near one of its counts
        # (a statistic states a figure: "dozens" or "numerous" since X is a report, not one)
        if m.type == "casualty" and m.counts:
            w = r.aggregate_window
            for cp in m.counts.values():
                if cp.specificity < BOUNDED:
                    continue
                hits = self._spans_at(
                    r.aggregate, max(m.sent.start, cp.start - w), min(m.sent.end, cp.end + w)
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
            am2 = _ACTOR.search(text, max(m.sent.start, t0 - 90), t0)
            if am2:
                m.actor = (am2.group("a"), am2.start("a"), am2.end("a"))
            else:
                bm = _ACTOR_BY.match(text, m.triggers[0][1], min(m.sent.end, m.triggers[0][1] + 60))
                if bm:
                    m.actor = (bm.group("a"), bm.start("a"), bm.end("a"))
