"""Counts and victims of a casualty mention: which count and which victim noun each
harm word takes (inside its phrase, right after an active verb, a noun phrase to its
left, "among ..."), the victims' group and role (rules/victims.yaml)."""

from __future__ import annotations

import re

from minewatch.extract.counts import (
    EXACT,
    CountPhrase,
    CountReader,
    add_counts,
    bare_object_count,
    harm_own_count,
)
from minewatch.extract.rules import Rules
from minewatch.extract.scan import Mention, Scanner
from minewatch.model import Count

_COUNT_TO_HARM = re.compile(
    r"\s*(?:(?:were|was|have been|had been|are|got)\s+)?(?:\w+ly\s+)?", re.I
)
_PLURAL_HEAD = re.compile(r"(?i)(?:s|people|children|men|women|police|personnel|military)$")
_SINGULAR_ART = re.compile(r"\b(?:a|an|the|one|another)\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
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
_AMONG = re.compile(r"^\s+(?:among|of|to)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?$", re.IGNORECASE)


def additive(rules: Rules, text: str, cp: CountPhrase, harm_start: int) -> bool:
    """Whether a count is said to come on top of another ("two more", "another four",
    "six other children", "were also wounded"): the cue stands just before the count or
    between it and its harm word."""
    lo = max(0, cp.start - rules.windows["additive_before"])
    hi = min(max(cp.end, harm_start), cp.end + rules.windows["additive_between"])
    pat = _additive(rules)
    return pat.search(text, lo, cp.start) is not None or pat.search(text, cp.end, hi) is not None


_ADDITIVE: dict[int, tuple[Rules, re.Pattern[str]]] = {}


def _additive(rules: Rules) -> re.Pattern[str]:
    hit = _ADDITIVE.get(id(rules))
    if hit is None or hit[0] is not rules:
        hit = _ADDITIVE[id(rules)] = (rules, re.compile(rules.raw["cues"]["additive"], re.I))
    return hit[1]


# "three of them children", "two of whom": a part of the victims named before
_SUBSET = re.compile(r"\s+of\s+(?:them|those|whom|these)\b", re.I)
_AND = re.compile(r"\s*(?:,\s*|,?\s+and\s+|\s+&\s+)", re.I)


def _coordinated(
    nps: list[tuple[int, int, int, CountPhrase | None]],
    chosen: tuple[int, int, int, CountPhrase | None],
    st: str,
) -> CountPhrase | None:
    """The count of noun phrases joined by "and" ending in ``chosen``: "a boy and both
    his parents" 3, "a man and his son" 2 (a singular noun with no count of its own is
    one). None when ``chosen`` is not the last of such a chain."""
    i = nps.index(chosen)
    total: Count | None = None
    start = end = 0
    j = i
    while j >= 0:
        _, n0, n1, cp = nps[j]
        det = _POSSESSIVE_DET.search(st, max(0, n0 - 30), n0)
        if cp is not None:
            c, a = cp.count, cp.start
        elif det is not None and not _PLURAL_HEAD.search(st[n0:n1]):
            c, a = Count.exact(1), det.start()
        else:
            break
        total = c if total is None else add_counts(c, total)
        start, end = a, (end or (cp.end if cp is not None else n1))
        if j == 0 or not _AND.fullmatch(st, nps[j - 1][2], a):
            break
        j -= 1
    if total is None or j == i:
        return None
    return CountPhrase(start, end, total, chosen[3].specificity if chosen[3] else EXACT)


_POSSESSIVE_DET = re.compile(r"\b(?:his|her|their|its|a|an|the)\s+(?:[\w'’-]+\s+)?$", re.I)


class VictimReader(Scanner):
    """Reads counts and victims around harm words."""

    def __init__(self, rules: Rules) -> None:
        super().__init__(rules)
        self.counts = CountReader(rules)
        self._time_word_re: re.Pattern[str] | None = None
        self.victim_re = re.compile(r"(?<![\w-])" + rules.victim_noun_any + r"(?![\w-])", re.I)

    def _counts_victims(
        self, st: str, off: int, harms: list[tuple[int, int, str]], men: Mention
    ) -> None:
        w = self.r.windows
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
            win0 = max(0, n0 - w["count_before_noun"])
            subset = False
            for cm in cpat.finditer(cst, win0, n0):
                c = self.counts.read(cm)
                if c is None or not _NP_GAP.match(st[cm.end() : n0]):
                    continue
                if st[c.start : c.end].lower() in ("a", "an") and _PLURAL_HEAD.search(st[n0:n1]):
                    continue  # "a truck carrying farm workers": the article is the truck's
                subset = _SUBSET.match(st, c.end) is not None
                cp = None if subset else c  # keep the last (closest) count before the noun
            if subset:
                continue  # "10 civilians, three of them children": a part, not the victims
            if cp is None and st[n0:n1].lower() == "another":
                cp = CountPhrase(n0, n1, Count.exact(1), EXACT)
            art = (
                None
                if cp is not None
                else _SINGULAR_ART.search(st, max(0, n0 - w["article_before_noun"]), n0)
            )
            if art is not None and nps and nps[-1][2] > art.start():
                art = None  # "a man and his son": the article is the man's
            if art is not None and not _PLURAL_HEAD.search(st[n0:n1]):
                cp = CountPhrase(art.start(), art.end(), Count.exact(1), EXACT)  # "a farmer"
            nps.append((cp.start if cp else n0, n0, n1, cp))
        groups: set[str] = set()
        zero = [
            (z.start(), z.end(), zk)
            for zk in ("all", "killed")
            for z in self.r.zero_harm[zk].finditer(st)
        ]
        for h0, h1, kind in harms:
            z = next((x for x in zero if x[0] <= h0 and h1 <= x[1]), None)
            if z is not None:
                # "Nobody was hurt": 0, the phrase its evidence (the one case 0 is right)
                none = CountPhrase(z[0] + off, z[1] + off, Count.exact(0), EXACT)
                for k in ("killed", "injured", "casualties") if z[2] == "all" else ("killed",):
                    men.counts.setdefault(k, none)
                continue
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
                and h0 - np[2] <= w["np_left_of_harm"]
                and not any(np[2] <= a < h0 for a, _, _ in harms if a != h0)
            ]
            counted_left = [
                np
                for np in left
                if np[3] is not None and h0 - np[2] <= w["counted_np_left_of_harm"]
            ]
            if inside:
                chosen = inside[0]
            elif any(np[3] is not None for np in right):
                chosen = next(np for np in right if np[3] is not None)
            elif among and self.r.clauses["nominal_harm"].match(st[h0:h1]):
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
            if chosen is not None and chosen in left:
                # from the noun phrase closest to the harm word, back through "and"
                count = _coordinated(nps, left[-1], st) or count
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
                    cm3 = cpat.search(cst, h1, min(len(st), h1 + w["count_after_harm"]))
                    c3 = self.counts.read(cm3) if cm3 is not None else None
                    if (
                        c3 is not None
                        and cm3 is not None
                        and _RIGHT_GAP.match(st[h1 : cm3.start()])
                    ):
                        count = c3
            if count is None:
                # "multiple casualties", "two dead", "5 killed"
                for cm in cpat.finditer(cst, max(0, h0 - w["count_before_harm"]), h0):
                    c = self.counts.read(cm)
                    if c is not None and _COUNT_TO_HARM.fullmatch(st[cm.end() : h0]):
                        count = c  # "two dead", "All five were killed"
                if count is None and re.match(r"(?:death )?toll", st[h0:], re.I):
                    cm2 = cpat.search(cst, h1, min(len(st), h1 + w["toll_count"]))
                    count = self.counts.read(cm2) if cm2 else None
                if count is None and _ACTIVE.match(st[h0:h1]):
                    count = bare_object_count(self.counts, st, h1)  # "killing two and ..."
            if count is None and kind != "casualties":
                sw = _SINGULAR_PASSIVE.search(st, max(0, h0 - w["singular_passive"]), h0)
                if sw is not None and not _PLURAL_SUBJECT.search(
                    st, max(0, sw.start() - w["plural_subject"]), sw.start()
                ):
                    # "Nouri al-Sattam, 53, was killed": one person
                    count = CountPhrase(sw.start(), sw.end(), Count.exact(1), EXACT)
            if count is not None and count.start >= 0:
                cp = CountPhrase(count.start + off, count.end + off, count.count, count.specificity)
                cur = men.counts.get(kind)
                if cur is None:
                    men.counts[kind] = cp
                elif (
                    cur.end <= cp.start
                    and (cp.count.best or 0) > 0
                    and not cp.refused
                    and additive(self.r, self._text or "", cp, h0 + off)
                    and len(self._time_words(st)) < 2
                ):
                    # "four died instantly and two more succumbed later": six
                    men.counts[kind] = CountPhrase(
                        cur.start,
                        cp.end,
                        add_counts(cur.count, cp.count),
                        min(cur.specificity, cp.specificity),
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

    def _time_words(self, st: str) -> set[str]:
        """The month and weekday names a sentence holds (two: perhaps two events' times)."""
        if self._time_word_re is None:
            words = sorted([*self.r.months, *self.r.weekdays], key=len, reverse=True)
            alt = "|".join(re.escape(w) for w in words)
            self._time_word_re = re.compile(rf"\b(?:{alt})\b\.?(?:\s+\d{{1,2}}\b)?", re.I)
        return {m.group().lower() for m in self._time_word_re.finditer(st)}

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
