"""Find and resolve place mentions in a text (geoparsing).

Steps, per text:

1. Tokens (same folding as the index) are scanned left to right; at each token
   the longest indexed name starting there wins (names are case-folded, but
   the first letter must be written upper case, and one-word names on the
   stoplist never match alone). Hangul tokens also match by prefix, since
   Korean glues particles to names (무산군에서).
2. Suffixes and prefixes that fit the entry's kind join the mention ("Musan
   County", "the city of Musan", "Tumen River") and steer precision.
3. Border phrases are assembled: "the Chinese border", "China-North Korea
   border", "its border with China", "Sino-Korean border" -> the border line
   between the two countries (the document's country fills a missing side).
4. Ambiguous names are resolved by context: adjacent or nearby places that
   contain or lie in a candidate, the document's country, the border segment
   the document talks about, distance to other places, "the" before a river.
   A name still tied stays unresolved (place_id None) with its candidates:
   the most populous is never picked silently.
5. The words before a mention give ``relation`` and adjust ``precision``
   ("near the city of Musan" near/2, "60 metres from the border" from/5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from minewatch.geo.chains import apply_chains
from minewatch.geo.entry import LINEAR_KINDS, GazetteerEntry
from minewatch.geo.normalize import TOKEN_RE, fold, is_cjk, is_hangul
from minewatch.geo.shipped import PlaceRules
from minewatch.model import Place

if TYPE_CHECKING:
    from minewatch.geo.gazetteer import Gazetteer, Posting

#: Gap characters allowed between the tokens of one name.
_JOIN_CHARS = " -‐‑–\u00a0'’"
_LINEAR = LINEAR_KINDS | {"border"}
_ADMIN1_KINDS = ("province", "special city")
#: A winner needs this margin over the runner-up, else the mention stays ambiguous.
_MARGIN = 0.25
_NEARBY_CHARS = 150
_POSSESSIVE = re.compile(r"\s(?:the\s)?\w+['’]s$")
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


@dataclass
class _Mention:
    t0: int
    t1: int
    start: int
    end: int
    cands: list[Posting] = field(default_factory=list)
    demonym: list[str] = field(default_factory=list)
    group: str | None = None
    head: int = -1  # start of prefix / article ("the city of")
    article: bool = False
    entry: int | None = None
    ambiguous: list[int] = field(default_factory=list)
    border_name: str | None = None
    border_country: str | None = None
    consumed: bool = False


@dataclass(frozen=True)
class _Cues:
    relation_of: dict[str, str]
    lengths_by_last: dict[str, list[int]]
    distance: re.Pattern[str]
    direction: re.Pattern[str]
    between: re.Pattern[str]


@lru_cache(maxsize=8)
def _cues(rules: PlaceRules) -> _Cues:
    relation_of: dict[str, str] = {}
    for rel, words in rules.relations.items():
        for w in words:
            relation_of[w] = rel
    units = "|".join(re.escape(u) for u in sorted(rules.units, key=len, reverse=True))
    num = r"\d[\d,]*(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few"
    lengths: dict[str, set[int]] = {}
    for w in relation_of:
        lengths.setdefault(w.split(" ")[-1], set()).add(w.count(" ") + 1)
    return _Cues(
        relation_of=relation_of,
        lengths_by_last={k: sorted(v, reverse=True) for k, v in lengths.items()},
        distance=re.compile(
            rf"(?:^|(?<=\W))({num})\s*-?\s*({units})\.?\s+(?:away\s+)?"
            r"(?:(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ward)?\s+)?(?:from|of)\s+$"
        ),
        direction=re.compile(
            r"(?:^|(?<=\W))(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ward)?\s+of\s+$"
        ),
        between=re.compile(r"\bbetween\b[^.;:!?]{1,80}\band\s+$"),
    )


_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
}


def find_places(gaz: Gazetteer, text: str, country_hint: str | None = None) -> list[Place]:
    """Every place mention in ``text`` (see the module docstring)."""
    toks = _tokens(text)
    n = len(toks)
    if not n:
        return []
    run = _runs(text, toks)
    mentions, border_toks = _scan(gaz, text, toks, run)
    if not mentions:
        return []
    for m in mentions:
        if m.cands:
            _affixes(gaz, text, toks, run, m)
    hint = country_hint.upper() if country_hint else None
    if gaz._gated:
        mentions = _gate(gaz, text, toks, run, mentions, hint)
        if not mentions:
            return []
    ctx_countries = _doc_countries(gaz, mentions, hint)
    if border_toks:
        mentions = _borders(gaz, text, toks, run, mentions, border_toks, ctx_countries)
    _resolve(gaz, text, mentions, hint)
    return apply_chains(gaz, text, _places(gaz, text, mentions, hint, ctx_countries))


# -- tokens and scanning ----------------------------------------------------------


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded token) of every token of ``text``.

    Speed (the first step over every word of every document): an ASCII text is lowered
    once and only its tokens with an apostrophe go through ``fold``; same result."""
    if text.isascii():
        return [
            (m.start(), m.end(), fold(g) if "'" in g or "`" in g else g)
            for m in TOKEN_RE.finditer(text.lower())
            for g in (m.group(),)
        ]
    return [(m.start(), m.end(), fold(m.group())) for m in TOKEN_RE.finditer(text)]


def _runs(text: str, toks: list[tuple[int, int, str]]) -> list[int]:
    """run[i]: how many tokens from i on can belong to one name (no punctuation between)."""
    n = len(toks)
    run = [1] * n
    for i in range(n - 2, -1, -1):
        e = toks[i][1]
        nxt = toks[i + 1][0]
        # speed: most gaps are one space, told without slicing the text
        if nxt == e + 1 and text[e] == " ":
            run[i] = run[i + 1] + 1
            continue
        gap = text[e:nxt]
        if gap == " " or (
            len(gap) <= 2
            and (not gap.strip(_JOIN_CHARS) or (gap[0] == "." and e - toks[i][0] <= 2))
        ):
            run[i] = run[i + 1] + 1
    return run


def _scan(
    gaz: Gazetteer, text: str, toks: list[tuple[int, int, str]], run: list[int]
) -> tuple[list[_Mention], list[int]]:
    rules = gaz.rules
    first = gaz._first
    stop = rules.stoplist
    dem = rules.demonyms
    skip = rules.not_places
    lower_ok = rules.lowercase_first
    lower_names = rules.lowercase_names
    postings = gaz.postings
    # only tokens that can start a name are looked at (most tokens are not)
    starts = [i for i, t in enumerate(toks) if t[2] in first]
    mods = rules.border_modifiers
    n = len(toks)
    border_toks = [
        i
        for i, t in enumerate(toks)
        if (t[2] in rules.border_words and not (i + 1 < n and toks[i + 1][2] in mods))
        or (t[2] in rules.border_verbs and text[t[0]].islower())
    ]
    mentions: list[_Mention] = []
    nxt = 0  # first token not yet inside a mention
    for i in starts:
        if i < nxt:
            continue
        s, _e, f = toks[i]
        lower = text[s].islower()
        if lower and f not in lower_ok:
            continue
        for length in range(min(first[f], run[i]), 0, -1):
            if length == 1:
                k = f
                if k in stop:
                    continue
            else:
                k = " ".join([t[2] for t in toks[i : i + length]])
            if k in skip:
                nxt = i + length
                break
            posts = postings(k) if not lower or k in lower_names else ()
            if posts:
                end = toks[i + length - 1][1]
                mentions.append(_Mention(i, i + length, s, end, list(posts)))
                nxt = i + length
                break
            codes = dem.get(k)
            if codes:
                end = toks[i + length - 1][1]
                mentions.append(_Mention(i, i + length, s, end, demonym=list(codes)))
                nxt = i + length
                break
    if border_toks and mentions:
        taken = {j for m in mentions for j in range(m.t0, m.t1)}
        border_toks = [j for j in border_toks if j not in taken]
    if not text.isascii():
        covered = {j for m in mentions for j in range(m.t0, m.t1)}
        for i, t in enumerate(toks):
            c = t[2][0]
            if c > "\u10ff" and i not in covered and (is_hangul(c) or is_cjk(c)):
                m = _prefix_match(gaz, t, i)
                if m is not None:
                    mentions.append(m)
        mentions.sort(key=lambda m: m.t0)
    return mentions, border_toks


def _prefix_match(gaz: Gazetteer, tok: tuple[int, int, str], i: int) -> _Mention | None:
    """Korean and Chinese glue particles to names: match the longest indexed prefix."""
    s, _e, f = tok
    for k in range(len(f) - 1, 1, -1):
        posts = gaz.postings(f[:k])
        if posts:
            return _Mention(i, i + 1, s, s + k, list(posts))
    return None


# -- suffixes and prefixes --------------------------------------------------------------


@lru_cache(maxsize=8)
def _affix_words(rules: PlaceRules) -> tuple[frozenset[str], frozenset[str]]:
    """First words of suffixes; last words of prefixes (plus the article)."""
    suffix_first = frozenset(k.split(" ")[0] for k in rules.suffix_words)
    prefix_last = frozenset([*(k.split(" ")[-1] for k in rules.prefixes), "the"])
    return suffix_first, prefix_last


def _fits(kinds: list[str], entry: GazetteerEntry) -> bool:
    return "any" in kinds or entry.kind in kinds


def _affixes(
    gaz: Gazetteer, text: str, toks: list[tuple[int, int, str]], run: list[int], m: _Mention
) -> None:
    rules = gaz.rules
    ents = gaz.entries
    firsts = _affix_words(rules)
    # suffix: up to two tokens right after the name, joined by a space or hyphen
    if run[m.t1 - 1] > 1 and toks[m.t1][2] in firsts[0]:
        for length in (2, 1):
            if m.t1 + length > len(toks) or run[m.t1 - 1] < length + 1:
                continue
            k = " ".join(t[2] for t in toks[m.t1 : m.t1 + length])
            groups = rules.suffix_words.get(k)
            if not groups:
                continue
            for g in groups:
                kinds = rules.suffixes[g]["kinds"]
                fit = [p for p in m.cands if _fits(kinds, ents[p[0]])]
                if fit:
                    m.cands = fit
                    m.group = g
                    m.end = toks[m.t1 + length - 1][1]
                    m.t1 += length
                    break
            if m.group:
                break
    # a suffix written inside the matched name ("Musan-up" listed as a spelling)
    if m.group is None and m.t1 - m.t0 >= 2:
        last = toks[m.t1 - 1][2]
        for g in rules.suffix_words.get(last, ()):
            if g != "area" and any(_fits(rules.suffixes[g]["kinds"], ents[p[0]]) for p in m.cands):
                m.group = g
                break
    # prefix: "the city of", "Mount"; then an article
    head = m.start
    t = m.t0
    if t == 0 or toks[t - 1][2] not in firsts[1]:
        m.head = head
        return
    for length in (2, 1):
        if t - length < 0 or run[t - length] < length + 1:
            continue
        k = " ".join(x[2] for x in toks[t - length : t])
        pg = rules.prefixes.get(k)
        if pg is None:
            continue
        kinds = rules.suffixes[pg]["kinds"] if pg in rules.suffixes else ["any"]
        fit = [p for p in m.cands if _fits(kinds, ents[p[0]])]
        if fit:
            m.cands = fit
            m.group = m.group or pg
            head = toks[t - length][0]
            t -= length
            break
    if t > 0 and toks[t - 1][2] == "the" and text[toks[t - 1][1] : head].strip() == "":
        m.article = True
        head = toks[t - 1][0]
    m.head = head


# -- world towns ------------------------------------------------------------------

#: Suffix/prefix groups that say "this is a town" ("Taiz city", "the town of Izium").
_TOWN_GROUPS = frozenset({"city", "town"})


def _gate(
    gaz: Gazetteer,
    text: str,
    toks: list[tuple[int, int, str]],
    run: list[int],
    mentions: list[_Mention],
    hint: str | None,
) -> list[_Mention]:
    """Keep a shipped world town only when the text is about its country.

    Thousands of town names in 36 countries include personal names and words
    (Kim, Salem, Armenia in Colombia); a town counts when its country is the
    document's hint, or is named (a country, a province, a curated place, a
    demonym such as "Ukrainian"), or the mention says it is a town ("Taiz
    city", "Demoso township"). A town name followed by another capitalised
    word is part of a longer name we do not know ("Cuito Cuanavale" is not
    Cuito). A name right after a capitalised word that is not a preposition is
    the end of one too ("Aung Zin Kyaw", "Ukrainska Pravda"). A village (a town
    of the small tier, under 5,000 people) also needs its province in the text:
    the same village name recurs across a country, and only some are listed.
    Mentions left with no candidate are dropped.
    """
    starts = {m.t0 for m in mentions}
    gated = gaz._gated
    ents = gaz.entries
    if not any(i in gated for m in mentions for i, _w in m.cands):
        return mentions
    small = gaz._small
    provinces = {
        (ents[i].country, ents[i].admin1)
        for m in mentions
        for i, _w in m.cands
        if i not in small and ents[i].admin1
    }
    covered = {j for m in mentions for j in range(m.t0, m.t1)}
    cue_words = _cue_words(gaz.rules)
    known: set[str] = {hint} if hint else set()
    for m in mentions:
        known.update(m.demonym)
        for i, _w in m.cands:
            if i not in gated:
                e = ents[i]
                if e.country:
                    known.add(e.country)
                known.update(e.countries)
    out: list[_Mention] = []
    for m in mentions:
        if m.cands and m.group not in _TOWN_GROUPS:
            nxt = m.t1
            longer = (
                m.group is None
                and run[m.t1 - 1] > 1
                and nxt < len(toks)
                and nxt not in starts
                and text[toks[nxt][0]].isupper()
            )
            prev = m.t0 - 1
            longer = longer or (
                prev >= 0
                and prev not in covered
                and run[prev] > 1
                and text[toks[prev][0]].isupper()
                and toks[prev][2] not in cue_words
            )
            kept = [
                p
                for p in m.cands
                if p[0] not in gated or (ents[p[0]].country in known and not longer)
            ]
            if not kept and not m.demonym:
                continue
            m.cands = kept
        if small and m.cands:
            placed = [
                p
                for p in m.cands
                if p[0] not in small or (ents[p[0]].country, ents[p[0]].admin1) in provinces
            ]
            if not placed and not m.demonym:
                continue
            m.cands = placed
        out.append(m)
    return out


@lru_cache(maxsize=8)
def _cue_words(rules: PlaceRules) -> frozenset[str]:
    """Words that may stand capitalised before a town ("In Izium", "Two Juba boys")."""
    words = {w for ws in rules.relations.values() for cue in ws for w in cue.split()}
    words.update(w for k in rules.prefixes for w in k.split())
    return frozenset([*words, *rules.name_openers, "the", "from", "to", "of", "and", "by"])


# -- borders ----------------------------------------------------------------------


def _doc_countries(gaz: Gazetteer, mentions: list[_Mention], hint: str | None) -> list[str]:
    """Countries the document is about: the hint, then countries by how often named.

    Country names count; the countries of other places named come after them
    (a story naming Dandong is also about China).
    """
    counts: dict[str, int] = {}
    for m in mentions:
        for idx, _w in m.cands:
            e = gaz.entries[idx]
            if e.country:
                counts[e.country] = counts.get(e.country, 0) + (e.kind == "country")
    order = sorted(counts, key=lambda c: -counts[c])
    if hint:
        order = [hint, *[c for c in order if c != hint]]
    return order


def _country_options(gaz: Gazetteer, m: _Mention) -> list[str]:
    if m.demonym:
        return m.demonym
    return [
        gaz.entries[i].country or ""
        for i, _w in m.cands
        if gaz.entries[i].kind == "country" and gaz.entries[i].country
    ]


def _borders(
    gaz: Gazetteer,
    text: str,
    toks: list[tuple[int, int, str]],
    run: list[int],
    mentions: list[_Mention],
    border_toks: list[int],
    ctx: list[str],
) -> list[_Mention]:
    by_end = {m.t1: m for m in mentions}
    by_start = {m.t0: m for m in mentions}
    new: list[_Mention] = []
    for j in border_toks:
        left: list[_Mention] = []
        right: list[_Mention] = []
        # "China-North Korea border", "Chinese border", "North Korea's border"
        lm = by_end.get(j)
        if lm is not None and run[lm.t1 - 1] > 1 and _country_options(gaz, lm):
            left.append(lm)
            lm2 = by_end.get(lm.t0)
            if lm2 is not None and run[lm2.t1 - 1] > 1 and _country_options(gaz, lm2):
                left.insert(0, lm2)
        # "border with (the) China", "border between X and Y", "provinces bordering China"
        k = j + 1
        verb = toks[j][2] in gaz.rules.border_verbs and toks[j][2] not in gaz.rules.border_words
        if verb and lm is not None:
            left = []  # "Thailand bordering Cambodia": the subject is not a side of the line
        if verb or (k < len(toks) and toks[k][2] in ("with", "between")):
            k += 0 if verb else 1
            if k < len(toks) and toks[k][2] == "the":
                k += 1
            rm = by_start.get(k)
            if rm is not None and _country_options(gaz, rm):
                right.append(rm)
                if rm.t1 < len(toks) and toks[rm.t1][2] == "and":
                    k2 = rm.t1 + 1
                    if k2 < len(toks) and toks[k2][2] == "the":
                        k2 += 1
                    rm2 = by_start.get(k2)
                    if rm2 is not None and _country_options(gaz, rm2):
                        right.append(rm2)
        parts = left + right
        bm = _Mention(j, j + 1, toks[j][0], toks[j][1])
        # "border areas", "border regions"
        if (
            j + 1 < len(toks)
            and run[j] > 1
            and toks[j + 1][2] in ("area", "areas", "region", "regions", "zone", "zones")
        ):
            bm.t1, bm.end = j + 2, toks[j + 1][1]
            bm.group = "area"
        if parts:
            options = [_country_options(gaz, p) for p in parts]
            entry, name, country = _pair(gaz, options, ctx, with_form=bool(right) and not left)
            for p in parts:
                p.consumed = True
            bm.t0 = min(bm.t0, parts[0].t0)
            bm.t1 = max(bm.t1, parts[-1].t1)
            bm.start = min(bm.start, parts[0].start)
            bm.end = max(bm.end, parts[-1].end)
            bm.border_name = name
            bm.border_country = country
            if entry is not None:
                bm.cands = [(entry, 1.0)]
        else:
            bm.border_name = ""  # bare "the border": resolved later from the document
        bm.head = bm.start
        if bm.t0 > 0 and toks[bm.t0 - 1][2] in ("the", "its", "their"):
            bm.head = toks[bm.t0 - 1][0]
            bm.article = True
        new.append(bm)
    out = [m for m in mentions if not m.consumed] + new
    out.sort(key=lambda m: m.start)
    return out


def _pair(
    gaz: Gazetteer, options: list[list[str]], ctx: list[str], *, with_form: bool
) -> tuple[int | None, str, str | None]:
    """Border entry (index), display name and country for the countries named.

    Two sides named: that pair. One side: "border with X" pairs X with the
    first document country that is not X; "the Chinese border" pairs with the
    document's own country; "North Korea's border" in a North Korean story
    names no second side and stays an unresolved border of that country.
    """
    pairs = gaz.rules.border_pairs
    cands: list[tuple[str, str]] = []
    if len(options) == 1:
        for a in options[0]:
            if "+" in a:
                x, y = a.split("+", 1)
                cands.append((x, y))
                continue
            others = [c for c in ctx if c != a]
            if with_form:
                cands.extend((c, a) for c in others)
            elif ctx and ctx[0] != a:
                cands.append((ctx[0], a))
    else:
        for a in options[0]:
            for b in options[-1]:
                if a != b:
                    cands.append((a, b))
    for a, b in cands:
        eid = pairs.get(frozenset((a, b)))
        if eid is not None:
            idx = gaz._idx(eid)
            if idx is not None:
                return idx, gaz.entries[idx].name, ctx[0] if ctx and ctx[0] in (a, b) else a
    if cands:
        a, b = cands[0]
        return None, f"{_cname(gaz, a)}–{_cname(gaz, b)} border", a
    if options and options[0]:
        only = options[0][0].split("+")[0]
        return None, f"{_cname(gaz, only)} border", only
    return None, "border", None


def _cname(gaz: Gazetteer, code: str) -> str:
    e = gaz.get(code)
    return e.name if e is not None else code


# -- ambiguity --------------------------------------------------------------------


def _resolve(gaz: Gazetteer, text: str, mentions: list[_Mention], hint: str | None) -> None:
    ents = gaz.entries
    ambiguous: list[_Mention] = []
    for m in mentions:
        if not m.cands:
            continue
        cands = _prune(gaz, m.cands)
        m.cands = cands
        if len(cands) == 1:
            m.entry = cands[0][0]
        else:
            province = _province_of_all(gaz, cands)
            if province is not None:
                # "Hama": the province or its capital; both say Hama province, the
                # province is true either way (the town stays a candidate)
                m.entry = province
                m.ambiguous = [i for i, _w in cands]
            else:
                ambiguous.append(m)
    if not ambiguous:
        return
    known = [m.entry for m in mentions if m.entry is not None]
    segs = {gaz.border_facts(ents[i].id)[0] for i in known}
    ctx_seg = {s for s in segs if s in ("china", "dmz", "russia")}
    points = [
        ents[i]
        for i in known
        if ents[i].lat is not None and ents[i].kind not in ("country", *_LINEAR)
    ]
    for m in ambiguous:
        scored: list[tuple[float, int]] = []
        for idx, w in m.cands:
            e = ents[idx]
            score = w
            score += _containment(gaz, m, idx, mentions)
            if hint and (e.country == hint or hint in e.countries):
                score += 0.3
            seg = gaz.border_facts(e.id)[0]
            if seg in ctx_seg:
                score += 0.6
            if m.article and e.kind in _LINEAR:
                score += 0.5
            if points and e.lat is not None and e.lon is not None:
                from minewatch.geo.borders import haversine_km

                if any(
                    haversine_km(e.lat, e.lon, p.lat, p.lon) <= 100.0  # type: ignore[arg-type]
                    for p in points
                    if p is not e
                ):
                    score += 0.3
            scored.append((score, idx))
        scored.sort(key=lambda x: -x[0])
        if scored[0][0] - scored[1][0] >= _MARGIN:
            m.entry = scored[0][1]
        m.ambiguous = [i for _s, i in scored]


def _province_of_all(gaz: Gazetteer, cands: list[Posting]) -> int | None:
    """The first-level division among ``cands`` when every other candidate lies in it."""
    ents = gaz.entries
    province = [
        i for i, _w in cands if ents[i].iso and ents[i].kind in ("province", "special city")
    ]
    if len(province) != 1:
        return None
    p = ents[province[0]]
    for i, _w in cands:
        e = ents[i]
        if i != province[0] and (e.country != p.country or e.admin1 != p.admin1):
            return None
    return province[0]


def _prune(gaz: Gazetteer, cands: list[Posting]) -> list[Posting]:
    """A user's entries win; a GeoNames duplicate of a curated entry yields to it."""
    ents = gaz.entries
    if len(cands) == 1:
        return cands
    user = [p for p in cands if ents[p[0]].origin == "user"]
    if user:
        return user
    curated = [ents[i] for i, _ in cands if ents[i].origin in ("shipped", "pycountry")]
    if not curated:
        return cands
    out = []
    from minewatch.geo.borders import haversine_km

    for p in cands:
        e = ents[p[0]]
        if e.origin == "geonames" and e.lat is not None and e.lon is not None:
            dup = any(
                c.lat is not None
                and c.lon is not None
                and haversine_km(e.lat, e.lon, c.lat, c.lon) <= 25.0
                for c in curated
            )
            if dup:
                continue
        out.append(p)
    return out


def _containment(gaz: Gazetteer, m: _Mention, idx: int, mentions: list[_Mention]) -> float:
    """Bonus when a nearby mention contains (or lies in) this candidate."""
    best = 0.0
    eid = gaz.entries[idx].id
    for o in mentions:
        if o is m or not o.cands:
            continue
        near = abs(o.start - m.start) <= _NEARBY_CHARS
        for oidx, ow in o.cands:
            if oidx == idx:
                continue
            oid = gaz.entries[oidx].id
            # a country contains everything; a feature on the MDL lies in both sides' counties
            if gaz.entries[oidx].kind == "country" or gaz.entries[oidx].sides:
                continue
            if gaz.contains(oid, eid) or gaz.contains(eid, oid):
                bonus = (1.5 if near else 0.5) * min(ow, 1.0)
                best = max(best, bonus)
    return best


# -- relation, precision and output -----------------------------------------------------


def _places(
    gaz: Gazetteer, text: str, mentions: list[_Mention], hint: str | None, ctx: list[str]
) -> list[Place]:
    rules = gaz.rules
    cues = _cues(rules)
    ents = gaz.entries
    dominant_border = _dominant_border(mentions)
    segment_line = gaz.segment_lines()
    last_seg: str | None = None
    out: list[Place] = []
    for m in mentions:
        if m.demonym and not m.cands:
            continue
        bare = m.border_name == "" and m.entry is None
        if bare and dominant_border is None and last_seg is None:
            continue
        head = m.head if m.head >= 0 else m.start
        window = text[max(0, head - 80) : head].lower()
        relation, cue_start, dist = _relation(cues, rules, window)
        if bare and relation == "in" and cue_start is None:
            continue  # "the border guards": only located borders count
        if bare:
            # the border the text was just talking about, else the one it names most
            m.entry = segment_line.get(last_seg or "") or dominant_border
        start = head - (len(window) - cue_start) if cue_start is not None else head
        entry = ents[m.entry] if m.entry is not None else None
        kind = entry.kind if entry is not None else ("border" if m.border_name else None)
        if relation == "along" and kind not in _LINEAR and kind is not None:
            relation = "in"
        elif relation == "in" and kind in _LINEAR and _ends_with_on(window):
            relation = "along"
        if entry is None:
            names = [ents[i] for i in m.ambiguous] or [ents[i] for i, _ in m.cands]
            countries = {e.country for e in names if e.country}
            if m.border_name:
                prec = 5
                name: str | None = m.border_name
                country = m.border_country
            else:
                prec = 7
                name = names[0].name if len({e.name for e in names}) == 1 else None
                country = countries.pop() if len(countries) == 1 else None
            out.append(
                Place(
                    text=text[start : m.end],
                    name=name,
                    country=country,
                    precision=prec,
                    relation=relation,
                    start=start,
                    end=m.end,
                    kind=kind,
                    candidates=[e.id for e in names],
                )
            )
            continue
        prec = _precision(rules, entry, m, relation, dist)
        seg, bdist = gaz.border_facts(entry.id)
        if seg in segment_line and entry.kind not in ("province", "special city"):
            last_seg = seg
        country = entry.country
        if country is None and entry.countries:
            country = _side(gaz, text, m, entry, mentions) or next(
                (c for c in ctx if c in entry.countries), None
            )
            if m.border_country in entry.countries:
                country = m.border_country
        admin1 = entry.sides.get(country or "", entry.admin1) if entry.sides else entry.admin1
        admin1_code, admin1_iso = gaz.admin1_facts(country, admin1)
        out.append(
            Place(
                text=text[start : m.end],
                name=entry.name,
                place_id=entry.id,
                country=country,
                admin1=admin1,
                lat=entry.lat,
                lon=entry.lon,
                precision=prec,
                relation=relation,
                start=start,
                end=m.end,
                kind=entry.kind,
                border_segment=seg,
                border_distance_km=bdist,
                candidates=[ents[i].id for i in m.ambiguous if i != m.entry],
                admin1_code=admin1_code,
                admin1_iso=admin1_iso,
            )
        )
    return out


def _side(
    gaz: Gazetteer, text: str, m: _Mention, entry: GazetteerEntry, mentions: list[_Mention]
) -> str | None:
    """The side of the MDL a straddling feature is on, from the places named next to it.

    "Arrowhead Hill in Cheorwon" is the South's side: a nearby resolved place of
    one side's country that is (or lies in) that side's province decides. Else
    the country named last before it in the same sentence ("North Korean
    troops ... around the Gyeongui line"); else None (the document decides).
    """
    if not entry.sides:
        return None
    best: tuple[int, str] | None = None
    actor: str | None = None
    for o in mentions:
        if o.end <= m.start and not _SENTENCE_END.search(text, o.end, m.start):
            # "North Korean troops ... around the Gyeongui line": who acts picks the side
            codes = list(o.demonym)
            if not codes and o.entry is not None and gaz.entries[o.entry].kind == "country":
                codes = [gaz.entries[o.entry].country or ""]
            if len(codes) == 1 and codes[0] in entry.sides:
                actor = codes[0]
        if o is m or o.entry is None:
            continue
        gap = abs(o.start - m.start)
        if gap > _NEARBY_CHARS:
            continue
        e = gaz.entries[o.entry]
        side = e.country or ""
        if side not in entry.sides or e.kind == "country":
            continue
        in_side = e.admin1 == entry.sides[side] or e.id == entry.side_parents.get(side)
        if in_side and (best is None or gap < best[0]):
            best = (gap, side)
    if best:
        return best[1]
    return actor


def _ends_with_on(window: str) -> bool:
    w = window.rstrip()
    return w.endswith(" on") or w == "on"


def _dominant_border(mentions: list[_Mention]) -> int | None:
    counts: dict[int, int] = {}
    for m in mentions:
        if m.border_name and m.entry is not None:
            counts[m.entry] = counts.get(m.entry, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda k: counts[k])


def _relation(cues: _Cues, rules: PlaceRules, window: str) -> tuple[str, int | None, float | None]:
    """(relation, start of the cue in the window or None, distance in km)."""
    ws = window.rstrip()
    if len(ws) == len(window) or not ws:
        return "in", None, None
    # "in the South's border areas": the cue stands before the possessive
    owner = _POSSESSIVE.search(ws)
    if owner is not None and owner.start() > 0:
        ws = ws[: owner.start()]
        window = ws + " "
    words = ws.rsplit(None, 4)[-4:]
    if words[-1] in ("from", "of"):
        md = cues.distance.search(window, max(0, len(window) - 60))
        if md:
            raw = md.group(1).replace(",", "")
            value = float(raw) if raw[0].isdigit() else float(_NUMBER_WORDS.get(raw, 1))
            return "from", md.start(), value * rules.units[md.group(2)]
        mdir = cues.direction.search(window, max(0, len(window) - 30))
        if mdir:
            return "near", mdir.start(), None
    last = words[-1]
    if last[-1] in "\"'”’),;:":
        return "in", None, None
    lengths = cues.lengths_by_last.get(last)
    if lengths is None:
        if "between" in window and cues.between.search(window):
            return "between", None, None
        return "in", None, None
    for k in lengths:
        if k > len(words):
            continue
        cand = words[-k:]
        first = cand[0].lstrip("(\"'“‘,;:")
        rel = cues.relation_of.get(" ".join([first, *cand[1:]]) if k > 1 else first)
        if rel is not None:
            pos = len(ws)
            for w in reversed(cand):
                pos = ws.rfind(w, 0, pos)
            return rel, pos + len(cand[0]) - len(first), None
    if "between" in window and cues.between.search(window):
        return "between", None, None
    return "in", None, None


def _precision(
    rules: PlaceRules, e: GazetteerEntry, m: _Mention, relation: str, dist: float | None
) -> int:
    base = e.precision or rules.kind_precision.get(e.kind, 7)
    g = m.group
    if g in ("city", "town") and e.kind == "county":
        base = 1
    elif g == "county" and e.kind == "city":
        base = 3
    elif g == "area" and base <= 2:
        base = 2
    if relation == "near" and (base == 1 or e.kind == "county"):
        # near a county = near the seat town it is named after (our point)
        base = 2
    elif relation == "between" and base == 1:
        base = 2
    elif relation == "from":
        if e.kind in _LINEAR or base >= 5:
            base = 5
        elif dist is not None and dist <= 25.0:
            base = 2 if base <= 2 else base
        else:
            base = 5
    return base
