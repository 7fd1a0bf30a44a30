"""Find event mentions sentence by sentence.

A mention is one sentence's evidence for one event type: a trigger (a verb of
laying/clearing/floating/finding or a harm word) near a mine noun, with the
counts, victims, time, status, attribution, devices and quantities read from
the same sentence. ``events.py`` then merges mentions into events.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from minewatch.extract.attributes import AttributeReader
from minewatch.extract.counts import (
    EXACT,
    CountPhrase,
)
from minewatch.extract.dates import TimeExpr
from minewatch.extract.rules import Rules
from minewatch.extract.scan import Mention, _gap, _inside
from minewatch.extract.text import Sentence
from minewatch.model import Count, Place

TYPE_ORDER = ("emplacement", "clearance", "displacement", "discovery", "policy")


class EventMentionFinder(AttributeReader):
    """Finds event mentions sentence by sentence (triggers near mine nouns), then fills
    them (see attributes.py, victims.py; scans through scan.py)."""

    def __init__(self, rules: Rules) -> None:
        super().__init__(rules)
        self.c = rules.clauses  # clause shapes (rules/clauses.yaml)
        self._recent = False
        self._blast_seen = False
        self._told_blast_mine = False
        self._toll_line = False

    # ----------------------------------------------------------------- public
    def detect(self, text: str, sents: list[Sentence]) -> list[Mention]:
        """Mentions (triggers, counts, victims) of every sentence; see :meth:`fill`."""
        self._use_text(text)
        low = self._low
        self._blast_seen = False  # a blast or its toll was told in an earlier sentence
        out: list[Mention] = []
        prev: Sentence | None = None
        prev_mine = False
        prev_mentioned = False
        last_mine: tuple[int, int] | None = None
        last_blast: tuple[int, int] | None = None  # (sentence, paragraph) of the last blast
        toll_reach = self.r.windows["toll_line_sentences"]
        gate = self.r.gate
        for sent in sents:
            if sent.skip:
                prev, prev_mine, prev_mentioned = None, False, False
                continue
            st = text[sent.start : sent.end]
            # "14 soldiers injured." a few sentences after the blast, in its paragraph
            self._toll_line = (
                last_blast is not None
                and sent.para == last_blast[1]
                and 0 < sent.index - last_blast[0] <= toll_reach
            )
            if (
                not prev_mine
                and not self._toll_line
                and not (gate.search(low, sent.start, sent.end) if low else gate.search(st.lower()))
            ):
                prev, prev_mine, prev_mentioned = sent, False, False
                continue
            mines = self._mine_nouns(st, sent.start)
            self._recent = (
                last_mine is not None
                and sent.index - last_mine[0] <= 3
                and (sent.para - last_mine[1] <= 2)
            )
            self._told_blast_mine = False
            found = self._sentence(text, sent, prev, prev_mine, prev_mentioned, mines)
            out.extend(found)
            blasts = [m for m in found if m.type == "casualty"]
            if any(m.counts or m.detonation for m in blasts):
                self._blast_seen = True
            if blasts and (mines or any(m.counts for m in blasts)):
                last_blast = (sent.index, sent.para)
            # a sentence telling who laid the blast's mine still speaks of the blast
            prev, prev_mine = sent, bool(mines)
            prev_mentioned = bool(found) or self._told_blast_mine
            if mines:
                last_mine = (sent.index, sent.para)
        return out

    def fill(
        self, text: str, mentions: list[Mention], times: list[TimeExpr], places: list[Place]
    ) -> None:
        """Time, status, attribution, devices, quantities and places of each mention."""
        self._use_text(text)
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
    def _mine_nouns(self, st: str, a: int) -> list[tuple[int, int]]:
        spans = self._spans(self.r.mine_noun, st, a)
        if not spans:
            return []
        ff = self._false_friends(st, a)
        return [sp for sp in spans if not _inside(*sp, ff)]

    def _negated(self, st: str, t0: int, t1: int) -> bool:
        clause = max(st.rfind(",", 0, t0), st.rfind(";", 0, t0), st.rfind(":", 0, t0))
        look = st[
            max(
                clause + 1, t0 - self.r.negation_window - self.r.windows["negation_clause_slack"]
            ) : t0
        ]
        if self.r.negation_before.search(look):
            return True
        return bool(self.r.negation_after.search(st[t1 : t1 + self.r.windows["negation_after"]]))

    def _sentence(
        self,
        text: str,
        sent: Sentence,
        prev: Sentence | None,
        prev_mine: bool,
        prev_mentioned: bool,
        mines: list[tuple[int, int]],
    ) -> list[Mention]:
        w = self.r.windows
        st = text[sent.start : sent.end]
        r = self.r
        a = sent.start
        self_cont = {k: self._spans(p, st, a) for k, p in r.self_contained.items()}
        linked = prev is not None and prev_mine and prev.para >= sent.para - 1
        if (
            not mines
            and not any(self_cont.values())
            and not linked
            and not self._has(self.c["area_clear"], st, a)
            and not (self._recent and self._has(r.explosion, st, a))
            and not self._toll_line
        ):
            return []
        # "should", "calls on", "recommends": no incident, but a call to act on the treaty
        # is a policy statement
        irrealis = self._has(r.not_event_sentence, st, a)
        if irrealis and not self_cont.get("policy"):
            return []
        off = sent.start
        found: dict[str, list[tuple[int, int]]] = {}
        relative: list[tuple[int, int]] = []  # "a mine that guards had buried"
        policy_cue = self._has(r.policy_cue, st, a)

        for typ in ("policy",) if irrealis else TYPE_ORDER:
            # Without a mine noun in the sentence only self-contained triggers ("demining")
            # and clearance words can hold (see ``near`` below): skip the other scans.
            cands = self._spans(r.type_verbs[typ], st, a) if mines or typ == "clearance" else []
            cands += self_cont.get(typ, [])
            if typ == "clearance":
                # "released 30 square kilometres": land released is land cleared
                cands += [
                    sp
                    for sp in self._spans(self.c["area_verb"], st, a)
                    if self.c["area_after"].match(st, sp[1])
                ]
            for t0, t1 in sorted(set(cands)):
                word = st[t0:t1]
                own = (t0, t1) in self_cont.get(typ, [])
                near = own or any(
                    _gap((t0, t1), mn) <= r.window and self._direction_ok(typ, st, (t0, t1), mn)
                    for mn in mines
                )
                if not near and typ == "clearance" and self.c["area_after"].match(st, t1):
                    near = True  # "cleared 12 square kilometres of farmland"
                if not near and self.c["passive_gap"].search(
                    st, max(0, t0 - w["passive_before"]), t0
                ):
                    # "The mines, which ..., were reportedly being placed": subject far back
                    near = any(
                        0 <= t0 - mn[1] <= w["passive_subject"]
                        and self.c["subject_gap"].match(st, mn[1], t0) is not None
                        for mn in mines
                    )
                if not near and typ == "clearance" and linked and not mines:
                    near = self.c["clearance_noun"].match(word) is not None
                if not near or any(s <= t0 and t1 <= e for s, e in mines):
                    continue
                if not self.c["give_up"].match(word) and self._negated(st, t0, t1):
                    continue
                if (
                    typ == "emplacement"
                    and self.c["participle"].match(word)
                    and self.c["reduced_relative"].search(st[:t0])
                ):
                    continue
                if (
                    typ == "displacement"
                    and r.displacement_motion.fullmatch(word)
                    and not self._water_moves(st, t0, t1)
                ):
                    continue  # "carried mines": a motion verb moves mines only with water
                if typ == "emplacement" and self._laying_is_circumstance(st, t0, t1, mines):
                    continue
                if typ == "emplacement" and self.c["relative_laying"].search(
                    st, max(0, t0 - w["relative_laying"]), t0
                ):
                    relative.append((t0, t1))
                if typ == "clearance" and self.c["during"].search(
                    st, max(0, t0 - w["during_clearance"]), t0
                ):
                    relative.append((t0, t1))  # "when a mine went off during clearance work"
                if typ == "clearance" and r.clearance_not_event_after.match(st[t1:]):
                    continue
                if typ in ("clearance", "emplacement", "discovery") and self.c["requested"].search(
                    st, max(0, t0 - w["requested_before"]), t0
                ):
                    continue  # asked for, not done
                if typ == "clearance" and self.c["estimate_after"].match(st, t1):
                    continue  # "removing them could take 15 years": an estimate
                if (
                    typ == "policy"
                    and self.c["ban_word"].fullmatch(word)
                    and self.c["stative_ban"].search(st, max(0, t0 - w["possessive_before"]), t0)
                ):
                    continue  # "are banned under the treaty": a standing fact
                if own and self.c["possessive"].search(st, max(0, t0 - w["possessive_before"]), t0):
                    continue  # "their mine-laying": a practice, not an event
                kind = typ
                if typ == "policy" and not policy_cue and not self.c["give_up"].match(word):
                    continue
                if typ in ("clearance", "emplacement"):
                    conv = list(
                        self.c["policy_convert"].finditer(st, max(0, t0 - w["policy_convert"]), t0)
                    )
                    if conv:
                        kind = "policy"
                found.setdefault(kind, []).append((t0, t1))
        if "discovery" in found and "clearance" in found:
            # "found and destroyed 14,000 mines": one clearance, the finding is its first step
            found["discovery"] = [
                d
                for d in found["discovery"]
                if not any(
                    c0 >= d[1] and self.c["coordinated"].fullmatch(st, d[1], c0)
                    for c0, _ in found["clearance"]
                )
            ]
            if not found["discovery"]:
                found.pop("discovery")
        if "discovery" in found and self.c["water"].search(st):
            # "found a wooden box mine days after heavy rain": a mine moved by water
            found.setdefault("displacement", []).extend(found.pop("discovery"))
        if "displacement" in found:
            found.pop("discovery", None)
            if "emplacement" in found:
                found["emplacement"] = [
                    t for t in found["emplacement"] if not self.c["burying"].match(st[t[0] : t[1]])
                ]
                if not found["emplacement"]:
                    found.pop("emplacement")

        mentions: list[Mention] = []
        for typ, trig in found.items():
            mentions.append(
                Mention(typ, sent, (sent.start, sent.end), [(a + off, b + off) for a, b in trig])
            )
        if irrealis:
            return mentions
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
            if not cas.support_only and self.c["blame"].search(st):
                # "accused the North of planting mines that maimed two soldiers": the blame
                # names the casualty's actor; it is not an emplacement event of its own
                mentions = [m for m in mentions if m.type != "emplacement"]
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _water_moves(self, st: str, t0: int, t1: int) -> bool:
        """Water or land is the mover of a motion verb: its subject before it ("the flood
        had carried one"), or its agent after it ("brought down by the water")."""
        if self.c["water_agent"].search(st, 0, t0):
            return True
        return bool(self.c["water_by"].search(st, t1, t1 + self.r.windows["water_by_after"]))

    def _laying_is_circumstance(
        self, st: str, t0: int, t1: int, mines: list[tuple[int, int]]
    ) -> bool:
        """A laying word that reports no laying: the participle as the mine's attribute
        ("Cambodia's buried mines"), the blast's own mine told after it ("militants had
        planted the mine"), or the noun of a verb-noun pair ("in one place")."""
        c, w = self.c, self.r.windows
        before = st[max(0, t0 - w["attributive_before"]) : t0]
        word = st[t0:t1]
        nxt = min((mn for mn in mines if 0 <= mn[0] - t1 <= self.r.window), default=None)
        if (
            nxt is not None
            and c["participle"].match(word)
            and c["attributive_gap"].fullmatch(st, t1, nxt[0])
            and c["attributive_before"].search(before)
        ):
            return True
        if (
            nxt is not None
            and self._blast_seen
            and c["definite_single"].fullmatch(st, t1, nxt[0])
            and not c["plural_noun"].search(st, nxt[0], nxt[1])
        ):
            self._told_blast_mine = True
            return True
        if self._blast_seen and c["definite_subject"].search(
            st, max(0, t0 - w["definite_subject"]), t0
        ):
            self._told_blast_mine = True
            return True
        return bool(c["noun_homograph"].fullmatch(word) and c["determiner_before"].search(before))

    def _direction_ok(
        self, typ: str, st: str, trig: tuple[int, int], mine: tuple[int, int]
    ) -> bool:
        """Mines are the object of laying/clearing/finding: a mine noun before the verb
        counts only in the passive ("mines were cleared"), or as the subject of a
        movement ("mines could float"), not across people ("families displaced")."""
        if mine[0] >= trig[1] or typ == "policy":
            if typ == "displacement" and mine[0] >= trig[1]:
                return (
                    self.c["water"].search(st) is not None
                    or self.c["float_verb"].match(st[trig[0] : trig[1]]) is not None
                )
            return True
        between = st[mine[1] : trig[0]]
        if typ == "displacement":
            return not self.c["people"].search(between)
        return (
            self.c["passive_gap"].search(
                st, max(0, trig[0] - self.r.windows["passive_before"]), trig[0]
            )
            is not None
            or self.c["only_hyphens"].match(between) is not None
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
            if self.c["time_hint"].search(gap) and self.c["clause_joint"].search(gap):
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
            if not linked and not (explosions and self._recent) and not self._toll_line:
                return None  # "a second blast ... wounded" a few sentences after the mines
            if not (
                explosions
                or self.c["anaphor"].match(st)
                or prev_mentioned
                or self._toll_line
                or self._has(self.c["incident"], st, a)
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
                if self.c["harm_skip_after"].match(st[m.end() :]):
                    continue
                if self.c["will_before"].search(
                    st, max(0, m.start() - r.windows["will_before"]), m.start()
                ):
                    continue  # "will kill anyone within three metres": capability, not harm
                if self._negated(st, m.start(), m.end()):
                    continue
                harms.append((m.start(), m.end(), kind))
                taken.append(m.span())
        harms.sort()
        if mines and not explosions and not self._has(r.mine_cause, st, a):
            # harm far from any mine noun ("soldiers killed in the war" next to "158 mines")
            harms = [
                h
                for h in harms
                if any(_gap((h[0], h[1]), mn) <= r.windows["harm_to_mine"] for mn in mines)
            ]
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
        if not (mines or linked or explosions) and self._toll_line and not men.counts:
            return None  # a toll line binds to the blast by its figure, not a harm word
        if (
            not men.counts
            and all(r.generic_harm_nouns.fullmatch(st[h0:h1]) for h0, h1, _ in harms)
            and not self._has(r.explosion_past, st, a)
            and self._has(r.generic_present, st, a)
        ):
            return None  # "Civilians are frequent victims of landmines": no event
        if (
            not men.counts
            and all(self.c["nominal_harm"].match(st[a:b]) for a, b, _ in harms)
            and self.c["definite_nominal"].search(
                st, max(0, harms[0][0] - r.windows["definite_nominal"]), harms[0][0]
            )
        ):
            men.support_only = True  # "The recent casualties ...": refers back
        return men
