"""The scanning layer: one document's text, its lower-cased copy and the per-sentence
caches, and the gated regex scans every rule module runs through.

A rule pattern is run only when its gate (gate.py) says it can match the span, and on
the lower-cased text in its folded form when it has one (same spans, faster). Results
read once per sentence (false friends, role cues, attributes) are cached here and
cleared together by :meth:`Scanner.reset_caches` when the text changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from minewatch.extract.counts import (
    CountPhrase,
)
from minewatch.extract.dates import TimeExpr
from minewatch.extract.gate import Gate, lowered
from minewatch.extract.rules import WORD_LEFT, Rules
from minewatch.extract.text import Sentence
from minewatch.model import Place, Quantity


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


class Scanner:
    """Gated scans of one document's text, and the per-document caches."""

    def __init__(self, rules: Rules) -> None:
        self.r = rules
        self._text: str | None = None
        self._low: str | None = None  # lower-cased text for the gates (None: gates off)
        self._gates: dict[int, Gate] = {}
        # per document: false-friend spans, role cues and attributes of each sentence span
        self._ff_cache: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._cue_hits: dict[tuple[int, int], list[bool]] = {}
        self._span_cache: dict[tuple[int, int], Any] = {}
        # per noun, across documents (bounded)
        self._noun_groups: dict[str, tuple[str | None, str | None, bool]] = {}

    def reset_caches(self) -> None:
        """Forget everything read from the previous document (one reset for all)."""
        self._ff_cache.clear()
        self._cue_hits.clear()
        self._span_cache.clear()

    def _use_text(self, text: str) -> None:
        if self._text is not text:
            self._text = text
            self._low = lowered(text)
            self.reset_caches()

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

    def _false_friends(self, st: str, a: int) -> list[tuple[int, int]]:
        """False-friend spans in ``st`` (the document's text from offset ``a``)."""
        key = (a, len(st))
        hit = self._ff_cache.get(key)
        if hit is None:
            hit = self._ff_cache[key] = self._spans(self.r.false_friend, st, a)
        return hit
