"""Admin chains: a place followed by the divisions it lies in.

Conflict monitors and local news place an event in a village the gazetteer may not
know, then name its divisions: "in Zvannoye village (Glushkovo district, Kursk
oblast)", "near Mentao (Djibo department, Soum province, Sahel region)", "in Tinma
village, Kyauktaw township, Rakhine State". The chain says what the village alone
cannot: its province (admin1), its district (admin2), its country. So:

- a head the gazetteer does not know becomes a place of its own, with the chain's
  admin1/admin2/country and the coordinates of the finest division the chain resolves
  (precision 3 when that is a district or township, else the province's 4);
- a head the gazetteer resolved elsewhere (Markovo -> Markova in Irkutsk oblast) takes
  its candidate inside the chain's province, else becomes such an unknown place;
- a head already inside the chain's province is left as it is.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from minewatch.geo.normalize import tokens
from minewatch.geo.shipped import PlaceRules
from minewatch.model import Place

if TYPE_CHECKING:
    from minewatch.geo.gazetteer import Gazetteer

_COMMA_CHAIN = re.compile(r",\s*([A-Z][^,;:()\n.]{1,40}(?:,\s*[A-Z][^,;:()\n.]{1,40}){0,3})")
_BRACKETS = re.compile(r"\(([^()\n]{3,160})\)")
#: "Tinma village in Kyauktaw township", "the town of Tal in the Hama countryside": one link
_IN_CHAIN = re.compile(r"(?=(\s+in\s+(?:the\s+)?([A-Z][^,;:()\n.]{1,60})))")
_NAME = r"[A-Z][\w'’.-]*(?:[ -](?:[A-Z][\w'’.-]*|al|el|ad|ar|as|az|ash|an|de|du|la|le|di)){0,4}"


@lru_cache(maxsize=8)
def _patterns(
    rules: PlaceRules,
) -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    spec = rules.chains
    heads = "|".join(
        sorted((re.escape(w) for w in spec.get("head_words", [])), key=len, reverse=True)
    )
    # the head, ending where the chain starts: "the Pir Koh area", "Phar Pyaw (Chin Ywa) village"
    head = re.compile(
        rf"(?:\bthe\s+)?(?P<name>{_NAME})(?:\s*\([^()\n]{{1,30}}\))?(?:\s+(?P<word>(?i:{heads})))?\s*$"
    )
    # "Tinma village," or "the village of Tinma,"
    comma_head = re.compile(
        rf"(?:(?P<name>{_NAME})\s+(?P<word>(?i:{heads}))"
        rf"|\b(?P<pword>(?i:{heads}))\s+of\s+(?P<pname>{_NAME})),\s*$"
    )
    admin2 = frozenset(" ".join(tokens(w)) for w in spec.get("admin2_words", []))
    return head, comma_head, admin2


def apply_chains(gaz: Gazetteer, text: str, places: list[Place]) -> list[Place]:
    """``places`` with the heads of admin chains placed by their chain (see module doc)."""
    if "(" not in text and "," not in text and " in " not in text:
        return places
    rules = gaz.rules
    max_items = int(rules.chains.get("max_items", 4))
    out = list(places)
    # a chain needs a place with a province inside it: most spans (every " in ...") have
    # none, so they are rejected by a binary search over those places' starts
    tops = _top_starts(out)
    if not tops:
        return places
    chained: dict[str, tuple[Place, Place]] = {}
    for lo, hi, items in _chain_spans(text, max_items, tops):
        k = bisect_left(tops, lo)
        if k == len(tops) or tops[k] >= hi:
            continue  # the province that was there has been replaced by a head
        inside = [p for p in out if p.start is not None and lo <= p.start < hi]
        top = _chain_admin1(inside)
        if top is None:
            continue
        head_m = _head(rules, text, lo)
        if head_m is None:
            continue
        hs, he, name = head_m
        admin2, finest = _chain_levels(rules, text, items, inside)
        heads = [
            p
            for p in out
            if p.start is not None and p.end is not None and p.end > hs and p.start < he
        ]
        # an unresolved head is no evidence against the chain: the chain places it
        if heads and all(_agrees(h, top) and h.precision < 7 for h in heads):
            out = [_with_admin2(p, admin2) if p in heads else p for p in out]
            continue
        moved = [c for h in heads if (c := _candidate_in(gaz, h, top)) is not None]
        out = [p for p in out if p not in heads]
        if moved:
            placed = [_with_admin2(p, admin2) for p in moved]
        else:
            placed = [_unknown(gaz, text, hs, hi, name, top, admin2, finest)]
        out.extend(placed)
        tops = _top_starts(out)
        chained[" ".join(tokens(name))] = (placed[0], top)
    if chained:
        out = [_as_chained(p, chained) for p in out]
    out.sort(key=lambda p: p.start if p.start is not None else -1)
    return out


def _top_starts(places: list[Place]) -> list[int]:
    """Sorted starts of the places that can be a chain's province (see ``_chain_admin1``)."""
    return sorted(
        p.start
        for p in places
        if p.start is not None and p.admin1 and p.country and p.precision <= 4
    )


def _as_chained(p: Place, chained: dict[str, tuple[Place, Place]]) -> Place:
    """A later mention of a name a chain placed means the same place (one place per name
    in a document): "in X village (Y district)" ... "in X" is not another X elsewhere."""
    words = tokens(p.text or "")
    for n in (3, 2, 1):
        hit = chained.get(" ".join(words[-n:])) if len(words) >= n else None
        if hit is None:
            continue
        place, top = hit
        if place is p or (p.precision < 7 and _agrees(p, top)):
            return p
        return replace(place, text=p.text, start=p.start, end=p.end, relation=p.relation)
    return p


def _chain_spans(
    text: str, max_items: int, tops: list[int]
) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end, item spans) of bracketed chains and of comma chains after a head word,
    only those holding one of ``tops`` (see ``_top_starts``)."""

    def holds(lo: int, hi: int) -> bool:
        k = bisect_left(tops, lo)
        return k < len(tops) and tops[k] < hi

    spans: list[tuple[int, int, list[tuple[int, int]]]] = []
    for m in _BRACKETS.finditer(text):
        if holds(m.start(), m.end()):
            items = _items(m.start(1), m.group(1))
            if 1 <= len(items) <= max_items:
                spans.append((m.start(), m.end(), items))
    # comma chains: "Tinma village, Kyauktaw township, Rakhine State" (checked by _head)
    for m in _COMMA_CHAIN.finditer(text):
        if holds(m.start(), m.end()):
            items = _items(m.start(1), m.group(1))
            if 1 <= len(items) <= max_items:
                spans.append((m.start(), m.end(), items))
    for m in _IN_CHAIN.finditer(text):
        if holds(m.start(1), m.end(1)):
            spans.append((m.start(1), m.end(1), [(m.start(2), m.end(2))]))
    return spans


def _items(base: int, body: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for part in body.split(","):
        s = len(part) - len(part.lstrip())
        if part.strip():
            out.append((base + pos + s, base + pos + len(part.rstrip())))
        pos += len(part) + 1
    return out


def _chain_admin1(inside: list[Place]) -> Place | None:
    """The chain's province: its coarsest place that has one (a province, else a town's)."""
    admin = [p for p in inside if p.admin1 and p.country and p.precision <= 4]
    return max(admin, key=lambda p: p.precision) if admin else None


def _head(rules: PlaceRules, text: str, lo: int) -> tuple[int, int, str] | None:
    head_re, comma_re, _a2 = _patterns(rules)
    window = text[max(0, lo - 90) : lo]
    base = lo - len(window)
    pat = head_re if text[lo] == "(" else comma_re
    m = pat.search(window if text[lo] == "(" else window + ",")
    if m is None:
        return None
    key = "name"
    if text[lo] != "(" and m.group("word") is None:
        if m.group("pword") is None:
            return None
        key = "pname"
    name = m.group(key)
    if len(tokens(name)) > 5 or name.split()[0].lower() in ("on", "in", "at", "the"):
        return None
    end = base + m.end() if key == "name" else base + m.end(key)
    return base + m.start(key), min(end, lo), name


def _chain_levels(
    rules: PlaceRules, text: str, items: list[tuple[int, int]], inside: list[Place]
) -> tuple[str | None, Place | None]:
    """(admin2 as written, the finest resolved place below the province) of a chain."""
    _h, _c, admin2_words = _patterns(rules)
    admin2: str | None = None
    for s, e in items:
        words = tokens(text[s:e])
        for n in (2, 1):
            if len(words) > n and " ".join(words[-n:]) in admin2_words and admin2 is None:
                admin2 = _strip_last(text[s:e], n)
    below = [p for p in inside if p.precision <= 3 and p.lat is not None]
    finest = min(below, key=lambda p: p.precision) if below else None
    if admin2 is None:
        for p in inside:
            if p.kind == "county":
                admin2 = p.name
                break
    return admin2, finest


def _strip_last(written: str, n: int) -> str:
    parts = written.split()
    return " ".join(parts[:-n]) if len(parts) > n else written


def _agrees(head: Place, top: Place) -> bool:
    if head.country and head.country != top.country:
        return False
    return head.admin1 is None or head.admin1 == top.admin1 or head.place_id == top.place_id


def _candidate_in(gaz: Gazetteer, head: Place, top: Place) -> Place | None:
    """The head re-resolved to its candidate inside the chain's province, if it has one."""
    ids = [head.place_id, *head.candidates] if head.place_id else list(head.candidates)
    for pid in ids:
        e = gaz.get(pid) if pid else None
        if e is not None and e.country == top.country and e.admin1 == top.admin1:
            resolved = replace(
                head,
                name=e.name,
                place_id=e.id,
                country=e.country,
                admin1=e.admin1,
                lat=e.lat,
                lon=e.lon,
                kind=e.kind,
                candidates=[i for i in ids if i and i != e.id],
            )
            return gaz.with_admin1_facts(resolved)
    return None


def _with_admin2(p: Place, admin2: str | None) -> Place:
    return p if admin2 is None or p.admin2 is not None else replace(p, admin2=admin2)


def _unknown(
    gaz: Gazetteer,
    text: str,
    start: int,
    end: int,
    name: str,
    top: Place,
    admin2: str | None,
    finest: Place | None,
) -> Place:
    """A place the gazetteer does not know, located by its chain."""
    relation = (
        "near"
        if re.search(
            r"\b(?:near|outskirts of|outside|close to)\s+(?:the\s+)?$",
            text[max(0, start - 30) : start],
        )
        else "in"
    )
    at = finest if finest is not None and finest.country == top.country else None
    place = Place(
        text=text[start:end],
        name=name,
        country=top.country,
        admin1=top.admin1,
        lat=at.lat if at else None,
        lon=at.lon if at else None,
        precision=3 if at is not None else 4,
        relation=relation,
        start=start,
        end=end,
        kind="village",
        admin2=admin2,
    )
    return gaz.with_admin1_facts(place)
