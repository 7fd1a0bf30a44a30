"""Cheap necessary conditions ("gates") for expensive regex scans.

Most rule patterns are long case-insensitive alternations; Python's regex engine tries
every alternative at every position of a sentence, which makes them slow even when
nothing matches (the usual case). Every match of such a pattern contains at least one
of a few literal strings (``"laid"``, ``"lay"``, ``"plant"``...). :func:`literals` reads
them from the parsed pattern, and :class:`Gate` tests for them with one fast
case-sensitive scan of the lower-cased text: when none is present the pattern cannot
match and its scan is skipped. The result is the same as running the pattern.

The lower-cased text serves a second trick: a case-insensitive pattern rewritten with
lower-case literals (:func:`fold_pattern`) and run case-sensitively on the lower-cased
text finds exactly the same spans, about three times faster (the engine's fast paths
for alternations only work without IGNORECASE).

Lower-casing is only exact when the text holds none of the three characters that the
regex engine folds differently from ``str.lower`` (dotted/dotless i, long s);
:func:`lowered` returns None for such texts and every gate then lets the scan run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _compiler as _k  # type: ignore[attr-defined]  # stdlib regex internals (3.11+)
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

# Characters c for which an IGNORECASE regex literal matches c although c.lower() is not
# that literal's lower case (or c.lower() is longer than c): checked in the tests over
# every code point and every ASCII character.
_EXOTIC_CHARS = "\u0130\u0131\u017f"
_EXOTIC = re.compile(f"[{_EXOTIC_CHARS}]")
# Literals shorter than this make a gate that passes almost every sentence: not worth it.
MIN_LITERAL = 3


def lowered(text: str) -> str | None:
    """``text.lower()`` (same length, same offsets), or None when a gate on it could be
    wrong (see module doc)."""
    # (substring tests: much faster than a regex scan for three rare characters)
    if not text.isascii() and any(c in text for c in _EXOTIC_CHARS):
        return None
    return text.lower()


# Finite sets of strings larger than this are not expanded (they rarely help a gate).
_MAX_SET = 64
_ZERO_WIDTH = frozenset([""])
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))


def _ignores_case(pattern: re.Pattern[str], items: Any) -> bool:
    """Whether any part of the pattern matches case-insensitively (flag or ``(?i:...)``)."""
    if pattern.flags & re.IGNORECASE:
        return True

    def walk(seq: Any) -> bool:
        for op, av in seq:
            if op is _c.SUBPATTERN and av[1] & re.IGNORECASE:
                return True
            for part in av if isinstance(av, tuple | list) else (av,):
                subs = part if isinstance(part, list) else [part]
                if any(isinstance(x, _p.SubPattern) and walk(x) for x in subs):
                    return True
        return False

    return walk(items)


class _Reader:
    """Reads required literals from a parsed pattern. ``fold``: lower-case them (for a
    case-insensitive pattern, tested on lower-cased text); then only ASCII literals are
    used, whose case folding the regex engine and ``str.lower`` agree on."""

    def __init__(self, fold: bool) -> None:
        self.fold = fold

    def char(self, v: int) -> str | None:
        if not self.fold:
            return chr(v)
        return chr(v).lower() if v < 128 else None

    def exact(self, op: Any, av: Any) -> frozenset[str] | None:
        """All strings one item can match, when few and known."""
        if op is _c.LITERAL:
            ch = self.char(av)
            return None if ch is None else frozenset([ch])
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return _ZERO_WIDTH  # zero width: the text around it stays contiguous
        if op is _c.IN:
            if not av or not all(o is _c.LITERAL for o, _ in av):
                return None  # negated sets, ranges, categories
            chars = [self.char(v) for _, v in av]
            if any(ch is None for ch in chars) or len(set(chars)) > 8:
                return None
            return frozenset(chars)  # type: ignore[arg-type]
        if op is _c.SUBPATTERN:
            return self.exact_seq(av[-1])
        if op is _c.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                e = self.exact_seq(alt)
                if e is None:
                    return None
                out |= e
                if len(out) > _MAX_SET:
                    return None
            return frozenset(out)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[1] <= 1:
            e = self.exact_seq(av[2])
            if e is None:
                return None
            return e | _ZERO_WIDTH if av[0] == 0 else e
        return None

    def exact_seq(self, items: Any) -> frozenset[str] | None:
        out: frozenset[str] | None = _ZERO_WIDTH
        for op, av in items:
            e = self.exact(op, av)
            if e is None or out is None:
                return None
            out = _product(out, e)
        return out

    def required(self, items: Any) -> frozenset[str] | None:
        """A set of literals one of which every match of ``items`` contains, or None.

        Consecutive items that match few known strings form a chain whose strings are
        all required alternatives ("la" + "y|ys|id|ying" -> lay, lays, laid, laying); any
        other item ends the chain and may bring its own requirement (a group, a branch
        whose every alternative has one, a repeat that must match at least once). The
        best one wins.
        """
        best: frozenset[str] | None = None
        chain: frozenset[str] = _ZERO_WIDTH
        for op, av in items:
            e = self.exact(op, av)
            if e is not None:
                nxt = _product(chain, e)
                if nxt is not None:
                    chain = nxt
                    continue
                best = _better(best, _minimal(chain))
                chain = e
                continue
            best = _better(best, _minimal(chain))
            chain = _ZERO_WIDTH
            if op is _c.SUBPATTERN:
                best = _better(best, self.required(av[-1]))
            elif op is getattr(_c, "ATOMIC_GROUP", None):
                best = _better(best, self.required(av))
            elif op in _REPEATS:
                if av[0] >= 1:
                    best = _better(best, self.required(av[2]))
            elif op is _c.BRANCH:
                alts = [self.required(alt) for alt in av[1]]
                if all(a is not None for a in alts):
                    best = _better(best, _minimal(frozenset().union(*alts)))  # type: ignore[arg-type]
        return _better(best, _minimal(chain))


def _product(a: frozenset[str], b: frozenset[str]) -> frozenset[str] | None:
    if len(a) * len(b) > _MAX_SET:
        return None
    return frozenset(x + y for x in a for y in b)


def _score(s: frozenset[str]) -> tuple[int, int]:
    return (min(len(x) for x in s), -len(s))


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if b is None or "" in b:
        return a
    if a is None:
        return b
    return b if _score(b) > _score(a) else a


def _minimal(s: frozenset[str]) -> frozenset[str]:
    """Drop strings that contain another one of the set (the shorter one is implied)."""
    return frozenset(x for x in s if not any(y != x and y in x for y in s))


def literals(
    pattern: re.Pattern[str], min_literal: int = MIN_LITERAL, *, fold: bool | None = None
) -> frozenset[str] | None:
    """Literals one of which every match of ``pattern`` contains, lower-cased when
    ``fold`` (default: when the pattern ignores case). None: no useful set, e.g. one
    whose literals are shorter than ``min_literal``."""
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        if fold is None:
            fold = _ignores_case(pattern, parsed)
        found = _Reader(fold).required(parsed)
    except Exception:  # an unknown construct: no gate, the pattern always runs
        return None
    if not found or min(len(x) for x in found) < min_literal:
        return None
    return found


def trie_pattern(strings: frozenset[str] | set[str]) -> str:
    """A regex matching where any of ``strings`` starts, shaped as a prefix tree
    ("c(?:oal mine|opper mine)"): the engine then rejects most positions on one
    character instead of trying every alternative in turn."""
    trie: dict[str, Any] = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}  # a string ends here: longer ones through this node are implied

    def emit(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


class _NotFoldable(Exception):
    pass


def _fold_char(v: int) -> int:
    """Code of the lower case of a pattern literal; only characters whose matches under
    IGNORECASE are exactly the characters lower-casing to it (tests check every code
    point): ASCII, and non-ASCII characters without case (dashes, quotes, ²)."""
    ch = chr(v)
    if v < 128:
        return ord(ch.lower())
    if ch.lower() == ch == ch.upper():
        return v
    raise _NotFoldable(ch)


def _fold_items(seq: Any) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    for op, av in seq:
        if op in (_c.LITERAL, _c.NOT_LITERAL):
            out.append((op, _fold_char(av)))
        elif op is _c.IN:
            items: list[tuple[Any, Any]] = []
            for o, v in av:
                if o is _c.LITERAL:
                    items.append((o, _fold_char(v)))
                elif o is _c.RANGE and v[1] < 128:
                    # a range under IGNORECASE holds each of its characters in any case
                    items += [(_c.LITERAL, _fold_char(x)) for x in range(v[0], v[1] + 1)]
                elif o in (_c.CATEGORY, _c.NEGATE):
                    items.append((o, v))  # \w, \d, \s: same answer on the lower case
                else:
                    raise _NotFoldable(o)
            out.append((op, items))
        elif op in (_c.ANY, _c.AT):
            out.append((op, av))
        elif op is _c.BRANCH:
            out.append((op, (av[0], [_fold_sub(alt) for alt in av[1]])))
        elif op is _c.SUBPATTERN:
            group, add, delete, sub = av
            if delete & re.IGNORECASE:
                raise _NotFoldable("case-sensitive part")
            out.append((op, (group, add & ~re.IGNORECASE, delete, _fold_sub(sub))))
        elif op in _REPEATS:
            out.append((op, (av[0], av[1], _fold_sub(av[2]))))
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            out.append((op, (av[0], _fold_sub(av[1]))))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out.append((op, _fold_sub(av)))
        else:  # back-references and anything else: keep the original pattern
            raise _NotFoldable(op)
    return out


def _fold_sub(sub: Any) -> Any:
    return _p.SubPattern(sub.state, _fold_items(sub.data))


def fold_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A case-sensitive pattern that finds, in :func:`lowered` ``(text)``, exactly the
    spans (and groups' spans) that the case-insensitive ``pattern`` finds in ``text``;
    None when the pattern is not case-insensitive as a whole or holds a construct
    this does not handle. Match objects of the result index the lower-cased text."""
    if not pattern.flags & re.IGNORECASE or pattern.flags & (re.LOCALE | re.ASCII):
        return None
    try:
        tree = _p.parse(pattern.pattern, pattern.flags)
        tree.state.flags &= ~re.IGNORECASE
        folded = _fold_sub(tree)
        return _k.compile(folded, pattern.flags & ~re.IGNORECASE)
    except Exception:  # _NotFoldable, or internals that changed: keep the original
        return None


def refind(
    pattern: re.Pattern[str], folded: re.Pattern[str], text: str, low: str, pos: int, end: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, end)`` for a case-insensitive pattern: its folded form
    scans the lower-cased text (same spans, faster) and each hit is matched again on the
    text at the same position, which gives the very match the plain scan would (with the
    groups' text as written)."""
    for fm in folded.finditer(low, pos, end):
        m = pattern.match(text, fm.start(), end)
        if m is not None:  # always, by construction
            yield m


class Gate:
    """``may_match(text, low, pos, end)`` is False only when ``pattern`` cannot match
    ``text`` between ``pos`` and ``end``; ``low`` is :func:`lowered` ``(text)``.
    ``folded`` is :func:`fold_pattern` ``(pattern)``, for use on ``low``."""

    __slots__ = ("fold", "folded", "need", "pattern")

    def __init__(self, pattern: re.Pattern[str], min_literal: int = MIN_LITERAL) -> None:
        self.pattern = pattern
        try:
            self.fold = _ignores_case(pattern, _p.parse(pattern.pattern, pattern.flags))
        except Exception:
            self.fold = True
        lits = literals(pattern, min_literal, fold=self.fold)
        self.need = re.compile(trie_pattern(lits)) if lits else None
        self.folded = fold_pattern(pattern)

    def may_match(self, text: str, low: str | None, pos: int = 0, end: int | None = None) -> bool:
        if self.need is None:
            return True
        subject = low if self.fold else text
        if subject is None:
            return True
        return self.need.search(subject, pos, len(subject) if end is None else end) is not None
