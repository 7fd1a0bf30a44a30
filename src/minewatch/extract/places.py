"""Places for events: a gazetteer when one is available, else unresolved mentions.

Extraction only needs something with ``find_places(text, country_hint)``
(:class:`Geoparser`). ``resolve_geoparser(None)`` tries
``minewatch.geo.load_gazetteer()`` and falls back to :class:`MentionFinder`,
which keeps place mentions present but unresolved (precision 7).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import Protocol, runtime_checkable

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


class MentionFinder:
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
    return MentionFinder()


def resolve_geoparser(gazetteer: Geoparser | None) -> Geoparser:
    """The gazetteer given, else the packaged one, else the unresolved-mention finder."""
    return gazetteer if gazetteer is not None else _default_geoparser()
