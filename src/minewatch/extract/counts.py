"""Read counts of people ("about a dozen soldiers", "at least 3", "one hundred and twenty")
as :class:`Count` following DESIGN.md's table: ``best`` is the conservative reading.

Numbers are taken whole: the pattern spans every number word of a phrase ("a thousand",
"1.2 million", "two hundred") and the ``text2num`` library values spelled-out numbers;
fixed phrases ("half a dozen", "a couple of") come from ``numbers.yaml``. A count of
people above ``max_people`` is refused: it comes back with specificity :data:`REFUSED`,
so that its span can be shown as evidence while no count is stored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from text_to_num import text2num

from minewatch.extract.rules import Rules
from minewatch.model import Count

_MISSING = object()

# Specificity of a count reading: when two mentions of one event disagree, the more
# specific one wins ("about a dozen" beats the headline's "dozens"). REFUSED: a figure
# too large to be real, never stored as a count.
EXACT, BOUNDED, VAGUE, SOME, REFUSED = 4, 3, 2, 1, 0
_ARTICLES = ("a", "an")


@dataclass(frozen=True)
class CountPhrase:
    start: int
    end: int
    count: Count
    specificity: int

    @property
    def refused(self) -> bool:
        return self.specificity == REFUSED


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class CountReader:
    """Compiled count-phrase pattern built from ``numbers.yaml``."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._read_cache: dict[tuple[object, ...], CountPhrase | object | None] = {}
        word = _alt(list(rules.number_words))
        scale = _alt(list(rules.number_scales))
        # one token: a number word, or a scale word (with the "and" of "hundred and twenty")
        token = rf"(?:{word}|(?:{scale})(?:\s+and(?=\s+(?:{word})\b))?)"
        spelled = rf"(?:(?:a|an)\s+(?:{scale})|{token})(?:(?:\s+|-)(?:{token}))*"
        digits = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s+(?:{scale}))?"
        fixed = _alt(list(rules.number_units))
        number = rf"(?:{digits}|{spelled}|{fixed})(?![\w.,]\d)"
        vague = _alt(list(rules.vague))
        mods = {k: _alt(list(v)) for k, v in rules.modifiers.items()}
        self.pattern = re.compile(
            rf"(?<![\w.,-])(?:between\s+(?P<b1>{number})\s+and\s+(?P<b2>{number})|(?P<vague>{vague})"
            rf"|(?:(?P<atl>{mods['at_least']})\s+|(?P<mt>{mods['more_than']})\s+|(?P<ap>{mods['approx']})\s+)?"
            rf"(?P<n1>{number})(?:\s*(?:or|to|-|–)\s*(?P<n2>{number}))?)(?![\w-])",
            re.IGNORECASE,
        )
        self._scale = re.compile(rf"^(?P<n>[\d.]+)\s+(?P<s>{scale})$")

    def value(self, s: str) -> int | None:
        """The integer a number phrase says ("a thousand" 1000, "1.2 million" 1200000),
        None when it is no whole number ("1.5", "two three")."""
        s = " ".join(s.lower().replace(",", "").split())
        if s.isdigit():
            return int(s)
        if s in self.rules.number_units:
            return self.rules.number_units[s]
        m = self._scale.match(s)
        if m:
            try:
                v = float(m.group("n")) * self.rules.number_scales[m.group("s")]
            except ValueError:
                return None
            return int(v) if v == int(v) else None
        if not s or s[0].isdigit():
            return None  # a decimal with no scale ("1.2") counts no one
        head, _, rest = s.partition(" ")
        if head in _ARTICLES and rest:
            s = "one " + rest  # "a thousand": text2num reads "one thousand"
        try:
            return int(text2num(s, "en"))
        except ValueError:
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
            hit = self._read_cache[key] = self._checked(self._read(m))
        return hit  # type: ignore[return-value]

    def _checked(self, cp: CountPhrase | None) -> CountPhrase | None:
        if cp is None:
            return None
        if max(cp.count.low, cp.count.best or 0) > self.rules.max_people:
            return CountPhrase(cp.start, cp.end, cp.count, REFUSED)
        return cp

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
        modified = m.group("atl") or m.group("mt") or m.group("ap")
        if modified and m.group("n1").lower() in _ARTICLES:
            return None  # "about a mile", "over a week": the article counts nothing
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


# What may follow the bare object count of a harm verb: "killing two and wounding three",
# "wounded 3 others.", "killed five, ..." (never a noun: "killed 3 km away" is no count).
_BARE_END = re.compile(
    r"(?:\s+(?:others?|more)|(?:\s+(?!(?:km|kilometres?|kilometers?|miles?|metres?|meters?|m|"
    r"years?|days?|hours?|minutes?|times|percent|per)\b)[^\W\d_][\w'’-]*){1,2})?\s*(?:[,;.)]|$|\b(?:and|while|as|in|on|at|across|near|during|"
    r"after|since|between|when|including|so far|this|last|over)\b)",
    re.IGNORECASE,
)
# Between a count and the harm word it is the subject of: "five wounded", "seven badly
# injured", "two were killed", "dozens wounded".
_BEFORE_HARM = re.compile(
    r"\s*(?:(?:were|was|have been|had been|are|got)\s+)?(?:(?:\w+ly|badly)\s+)?", re.IGNORECASE
)
HARM_SUBJECT_WINDOW = 40  # characters before a harm word where its own count may start


def harm_own_count(
    reader: CountReader, text: str, h0: int, h1: int, active: bool
) -> CountPhrase | None:
    """The count a harm word carries itself: right before it ("five wounded") or, for an
    active verb, as its bare object ("killing two", "killed 95 across the country")."""
    if active:
        cp = bare_object_count(reader, text, h1)
        if cp is not None:
            return cp
    own: CountPhrase | None = None
    for m in reader.pattern.finditer(text, max(0, h0 - HARM_SUBJECT_WINDOW), h0):
        cp = reader.read(m)
        if cp is not None and _BEFORE_HARM.fullmatch(text, cp.end, h0):
            own = cp
    return own


_BARE_START = re.compile(r"\s+")


def bare_object_count(reader: CountReader, text: str, pos: int) -> CountPhrase | None:
    """The count a harm verb ending at ``pos`` takes with no noun after it."""
    gap = _BARE_START.match(text, pos)
    if gap is None:
        return None
    m = reader.pattern.match(text, gap.end())
    if m is None or m.group("vague"):
        return None
    cp = reader.read(m)
    if cp is None or _BARE_END.match(text, cp.end) is None:
        return None
    return cp


def add_counts(a: Count, b: Count) -> Count:
    """killed + injured -> casualties (unbounded if either is)."""
    best = None if a.best is None or b.best is None else a.best + b.best
    high = None if a.high is None or b.high is None else a.high + b.high
    return Count(a.low + b.low, best, high)
