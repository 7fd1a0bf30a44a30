"""Read counts of people ("about a dozen soldiers", "at least 3", "several") as
:class:`Count` following DESIGN.md's table: ``best`` is the conservative reading."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from minewatch.extract.rules import Rules
from minewatch.model import Count

_MISSING = object()

# Specificity of a count reading: when two mentions of one event disagree, the more
# specific one wins ("about a dozen" beats the headline's "dozens").
EXACT, BOUNDED, VAGUE, SOME = 4, 3, 2, 1


@dataclass(frozen=True)
class CountPhrase:
    start: int
    end: int
    count: Count
    specificity: int


class CountReader:
    """Compiled count-phrase pattern built from ``numbers.yaml``."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._read_cache: dict[tuple[object, ...], CountPhrase | object | None] = {}
        units = rules.number_units
        tens = [w for w, v in units.items() if v >= 20 and v % 10 == 0 and v < 100]
        ones = [
            w for w, v in units.items() if 1 <= v <= 9 and " " not in w and w not in ("a", "an")
        ]
        compound = rf"(?:{'|'.join(tens)})[- ](?:{'|'.join(ones)})"
        words = sorted(units, key=len, reverse=True)
        number = (
            rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{compound}|{'|'.join(re.escape(w) for w in words)})"
        )
        vague = "|".join(re.escape(v) for v in sorted(rules.vague, key=len, reverse=True))
        mods = {k: "|".join(re.escape(x) for x in v) for k, v in rules.modifiers.items()}
        self.pattern = re.compile(
            rf"(?<![\w-])(?:between\s+(?P<b1>{number})\s+and\s+(?P<b2>{number})|(?P<vague>{vague})"
            rf"|(?:(?P<atl>{mods['at_least']})\s+|(?P<mt>{mods['more_than']})\s+|(?P<ap>{mods['approx']})\s+)?"
            rf"(?P<n1>{number})(?:\s*(?:or|to|-|–)\s*(?P<n2>{number}))?)(?![\w-])",
            re.IGNORECASE,
        )

    def value(self, s: str) -> int | None:
        s = s.lower().replace(",", "").strip()
        if s.isdigit():
            return int(s)
        if s in self.rules.number_units:
            return self.rules.number_units[s]
        parts = re.split(r"[- ]", s)
        if len(parts) == 2 and all(p in self.rules.number_units for p in parts):
            return self.rules.number_units[parts[0]] + self.rules.number_units[parts[1]]
        return None

    def read(self, m: re.Match[str]) -> CountPhrase | None:
        """Turn one match of :attr:`pattern` into a count (None if not a count)."""
        # The reading depends only on the span and the groups' text: the same phrase is
        # read again for every victim noun and harm word near it, so keep the answers.
        key = (m.start(), m.end(), m.groups())
        hit = self._read_cache.get(key, _MISSING)
        if hit is _MISSING:
            if len(self._read_cache) > 4096:  # bounded: odd inputs must not grow it
                self._read_cache.clear()
            hit = self._read_cache[key] = self._read(m)
        return hit  # type: ignore[return-value]

    def _read(self, m: re.Match[str]) -> CountPhrase | None:
        if m.group("b1"):
            b1, b2 = self.value(m.group("b1")), self.value(m.group("b2"))
            if b1 is None or b2 is None or b2 <= b1:
                return None
            return CountPhrase(m.start(), m.end(), Count(b1, b1, b2), BOUNDED)
        if m.group("vague"):
            low, best, high = self.rules.vague[m.group("vague").lower()]
            spec = VAGUE if best is not None else SOME
            return CountPhrase(m.start(), m.end(), Count(low, best, high), spec)
        n1 = self.value(m.group("n1"))
        if n1 is None:
            return None
        if m.group("n2"):
            n2 = self.value(m.group("n2"))
            if n2 is None or n2 <= n1:
                return None
            return CountPhrase(m.start(), m.end(), Count(n1, n1, n2), BOUNDED)
        if m.group("atl"):
            return CountPhrase(m.start(), m.end(), Count(n1, n1, None), BOUNDED)
        if m.group("mt"):
            return CountPhrase(m.start(), m.end(), Count(n1 + 1, n1 + 1, None), BOUNDED)
        if m.group("ap"):
            c = Count(math.floor(0.85 * n1), n1, math.ceil(1.15 * n1))
            return CountPhrase(m.start(), m.end(), c, BOUNDED)
        return CountPhrase(m.start(), m.end(), Count.exact(n1), EXACT)


def add_counts(a: Count, b: Count) -> Count:
    """killed + injured -> casualties (unbounded if either is)."""
    best = None if a.best is None or b.best is None else a.best + b.best
    high = None if a.high is None or b.high is None else a.high + b.high
    return Count(a.low + b.low, best, high)
