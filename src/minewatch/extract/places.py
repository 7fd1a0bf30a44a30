"""Places for events: a gazetteer when one is available, else unresolved mentions.

Extraction only needs something with ``find_places(text, country_hint)``
(:class:`Geoparser`). ``resolve_geoparser(None)`` tries
``minewatch.geo.load_gazetteer()`` and falls back to :class:`PlaceFinder`,
which keeps place mentions present but unresolved (precision 7).

:func:`place_anchors` finds the places that hold beyond their sentence: a dateline's
("KYIV, Jan. 17 (Xinhua) --", where the story was filed) and a lead's ("On 9 May
2021, in X village (...), ..."), for mentions that name no place of their own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import yaml

from minewatch.extract.text import Sentence
from minewatch.model import Place


@runtime_checkable
class Geoparser(Protocol):
    """What extraction needs from a gazetteer."""

    def find_places(self, text: str, country_hint: str | None = None) -> list[Place]:
        """Places mentioned in ``text`` with start/end offsets, relation and precision."""
        ...


_NAME = r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|de|del|la|al|el))*"
_MENTION = re.compile(
    r"\b(?P<rel>near|in|at|along|around|outside|inside|across|into|from|on|between)\s+"
    r"(?:the\s+)?(?:(?:city|town|village|county|province|district|area|region|border|river)\s+of\s+)?"
    rf"(?P<name>{_NAME})"
)
_PROVINCE = re.compile(rf"(?P<name>{_NAME})\s+(?:Province|province|County|District|Region|-do)\b")
_STOP = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|A|An|This|That|"
    r"It|He|She|They|We|I|His|Her|Their|Its|Our|Addition|Order|Fact|Response|Spite|Case|"
    r"Korean|English|Chinese)\b"
)
_RELATION = {"near": "near", "around": "near", "outside": "near", "along": "along"}
_RELATION.update({"across": "along", "between": "between", "from": "from"})


class PlaceFinder:
    """Fallback geoparser: capitalised names after a preposition, unresolved."""

    def find_places(self, text: str, country_hint: str | None = None) -> list[Place]:
        found: dict[tuple[int, int], Place] = {}
        for m in _PROVINCE.finditer(text):
            name = m.group("name")
            if _STOP.match(name):
                continue
            found[(m.start(), m.end())] = Place(
                text=m.group(), name=name, precision=7, relation="in", start=m.start(), end=m.end()
            )
        first = sorted(found)  # spans of the first pass, for a bisect look-up
        for m in _MENTION.finditer(text):
            name = m.group("name")
            if _STOP.match(name):
                continue
            s, e = m.start("name"), m.end("name")
            i = bisect_right(first, (s, len(text) + 1)) - 1
            if i >= 0 and first[i][0] <= s < first[i][1]:
                continue
            rel = _RELATION.get(m.group("rel").lower(), "in")
            found[(s, e)] = Place(text=name, name=name, precision=7, relation=rel, start=s, end=e)
        return [found[k] for k in sorted(found)]


@cache
def _default_geoparser() -> Geoparser:
    try:
        from minewatch import geo

        loader = getattr(geo, "load_gazetteer", None)
        if loader is not None:
            gaz = loader()
            if isinstance(gaz, Geoparser):
                return gaz
    except Exception:  # no gazetteer installed or it failed to load: keep mentions unresolved
        pass
    return PlaceFinder()


def resolve_geoparser(gazetteer: Geoparser | None) -> Geoparser:
    """The gazetteer given, else the packaged one, else the unresolved-mention finder."""
    return gazetteer if gazetteer is not None else _default_geoparser()


# -- document-level places: datelines and lead adverbials ---------------------------------

_PLACE_RULES = yaml.safe_load(
    Path(__file__).with_name("rules").joinpath("places.yaml").read_text("utf-8")
)


@dataclass(frozen=True)
class PlaceAnchors:
    """Places that hold for a whole document or for the sentences after a lead.

    ``datelines``: the places of a dateline ("KYIV, Jan. 17 (Xinhua) --"); they say
    where the story was filed, so an event takes one only when nothing else places it.
    ``leads``: (sentence start, place) for sentences that open with their place
    ("On 9 May 2021, in X village (Y Township, Z District, W Region), ..."), in text
    order; a later mention with no place of its own takes the last one before it.
    """

    datelines: tuple[Place, ...] = ()
    leads: tuple[tuple[int, Place], ...] = ()

    def place_for(self, pos: int) -> Place | None:
        """The place a mention at ``pos`` with no place of its own is anchored to."""
        i = bisect_right([s for s, _ in self.leads], pos) - 1
        if i >= 0:
            return self.leads[i][1]
        return _most_precise(self.datelines)


def _most_precise(places: Sequence[Place]) -> Place | None:
    located = [p for p in places if p.precision < 7]
    if not located:
        return None
    # a place with a province beats a country at the same remove; then precision, then order
    return min(located, key=lambda p: (p.admin1 is None, p.precision))


@cache
def _dateline_tail() -> re.Pattern[str]:
    rules = _PLACE_RULES["dateline"]
    months = "|".join(sorted((re.escape(m) for m in rules["months"]), key=len, reverse=True))
    seps = "|".join(re.escape(s) for s in sorted(rules["separators"], key=len, reverse=True))
    return re.compile(
        r"(?P<where>(?:\s*,\s*[A-Z][\w.'’ -]{1,30}?)*?)"
        rf"(?P<date>,?\s*(?:(?i:{months})\.?\s+\d{{1,2}}(?:\s*,?\s*\d{{4}})?"
        rf"|\d{{1,2}}\s+(?i:{months})\.?(?:\s*,?\s*\d{{4}})?))?"
        r"(?P<agency>\s*\([^()\n]{1,40}\))?"
        rf"\s*(?:{seps})\s+\S"
    )


@cache
def _lead_opener() -> re.Pattern[str]:
    words = "|".join(sorted((re.escape(w) for w in _PLACE_RULES["lead"]["openers"]), key=len))
    # one adverbial: an opener, words, bracketed asides (which may hold commas), a comma
    return re.compile(rf"\s*(?i:{words})\b[^,;:()\n]*(?:\([^()\n]*\)[^,;:()\n]*)*,")


def _dateline_places(text: str, places: list[Place]) -> list[Place]:
    rules = _PLACE_RULES["dateline"]
    tail = _dateline_tail()
    out: list[Place] = []
    for p in places:
        if p.start is None or p.end is None:
            continue
        line = text.rfind("\n", 0, p.start) + 1
        if p.start - line - (len(text[line : p.start]) - len(text[line : p.start].lstrip())) > int(
            rules["max_offset"]
        ):
            continue
        m = tail.match(text, p.end, min(len(text), p.end + int(rules["max_tail"])))
        if m is None:
            continue
        written = text[p.start : p.end]
        if not (written.isupper() or m.group("date") or m.group("agency")):
            continue
        stop = m.end()
        out.extend(q for q in places if q.start is not None and p.start <= q.start < stop)
    return out


def _lead_places(
    text: str, places: list[Place], sents: Sequence[Sentence]
) -> list[tuple[int, Place]]:
    limit = int(_PLACE_RULES["lead"]["max_chars"])
    opener = _lead_opener()
    starts = [p.start if p.start is not None else -1 for p in places]
    out: list[tuple[int, Place]] = []
    for s in sents:
        if s.skip:
            continue
        pos = s.start
        stop = min(s.end, s.start + limit)
        while True:
            m = opener.match(text, pos, stop)
            if m is None:
                break
            pos = m.end()
        if pos == s.start:
            continue
        lo, hi = bisect_left(starts, s.start), bisect_left(starts, pos)
        best = _most_precise(places[lo:hi])
        if best is not None:
            out.append((s.start, best))
    return out


@cache
def _incidental_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    rules = _PLACE_RULES["incidental"]
    inst = "|".join(
        r"\s+".join(re.escape(w) for w in str(n).split())
        for n in sorted(rules["institutions"], key=len, reverse=True)
    )
    links = "|".join(re.escape(str(w)) for w in rules["links"])
    between = int(rules["max_words_between"])
    before = re.compile(rf"(?i:\b(?:{inst})s?\s+(?:{links})\s+(?:the\s+)?)$")
    after = re.compile(rf"\s+(?:[\w'’.-]+\s+){{0,{between}}}?(?i:(?:{inst})s?)\b")
    return before, after


def incidental(text: str, p: Place) -> bool:
    """A place that says where people were treated or an institution sits ("taken to
    hospital in X", "X hospital", "the office in X"), not where the event happened."""
    if p.start is None or p.end is None:
        return False
    before, after = _incidental_patterns()
    # the place's own text may open with its cue ("in Kobani"): read it with the window
    cue = re.match(r"(?:in|at|of)\s+(?:the\s+)?", p.text or "")
    name_at = p.start + (cue.end() if cue else 0)
    lo = max(0, p.start - int(_PLACE_RULES["incidental"]["max_before"]))
    if before.search(text[lo:name_at]):
        return True
    m = after.match(text, p.end, min(len(text), p.end + 60))
    if m is None:
        return False
    mods = _PLACE_RULES["incidental"]["modifiers"]
    return all(w[:1].isupper() or w.lower() in mods for w in text[p.end : m.end()].split()[:-1])


@cache
def _country_wide() -> re.Pattern[str]:
    rules = _PLACE_RULES["country_wide"]

    def alt(key: str) -> str:
        words = sorted((str(w) for w in rules[key]), key=len, reverse=True)
        return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in words)

    return re.compile(
        rf"(?i:\b(?:(?:{alt('before')})\s+(?:the|this|that)\s+(?:{alt('nouns')})"
        rf"|(?:{alt('words')})"
        rf"|(?:\d[\d,]*|all|many|most|several)\s+(?:{alt('parts')})\s+of\s+the\s+"
        rf"(?:{alt('nouns')}))\b)"
    )


def country_wide(text: str, sent: Sentence, places: Sequence[Place]) -> bool:
    """The sentence gives a whole country as its scope: "across the country",
    "nationwide", "in 119 districts of the country", or a country after "across"."""
    if _country_wide().search(text, sent.start, sent.end):
        return True
    before = tuple(str(w) for w in _PLACE_RULES["country_wide"]["before"])
    return any(
        p.precision == 6
        and p.start is not None
        and sent.start <= p.start < sent.end
        and (p.text or "").lower().startswith(tuple(f"{w} " for w in before))
        for p in places
    )


def place_anchors(
    text: str, places: list[Place], sents: Sequence[Sentence]
) -> tuple[list[Place], PlaceAnchors]:
    """Split off the dateline's places and find the lead places of ``text``.

    Returns the places that remain an event's own (every place but the dateline's)
    and the :class:`PlaceAnchors` for mentions that name none. ``places`` must be in
    text order (as ``find_places`` returns them).
    """
    places = [p for p in places if not incidental(text, p)]
    dateline = _dateline_places(text, places)
    if dateline:
        ids = {id(p) for p in dateline}
        places = [p for p in places if id(p) not in ids]
    return places, PlaceAnchors(tuple(dateline), tuple(_lead_places(text, places, sents)))
