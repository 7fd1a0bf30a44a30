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
from typing import Any

from minewatch.extract.regex_parse import MAXREPEAT, Node, Unsupported, class_chars, parse

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


def _ignores_case(pattern: re.Pattern[str]) -> bool:
    """Whether the pattern matches case-insensitively (inline flags are not read: the
    parser refuses them, and a refused pattern is treated as case-insensitive)."""
    return bool(pattern.flags & re.IGNORECASE)


class _Reader:
    """Reads required literals from a parsed pattern. ``fold``: lower-case them (for a
    case-insensitive pattern, tested on lower-cased text); then only ASCII literals are
    used, whose case folding the regex engine and ``str.lower`` agree on."""

    def __init__(self, fold: bool) -> None:
        self.fold = fold

    def char(self, c: str) -> str | None:
        if not self.fold:
            return c
        return c.lower() if ord(c) < 128 else None

    def exact(self, n: Node) -> frozenset[str] | None:
        """The finite set of strings ``n`` matches, when small (else None)."""
        if n.kind == "lit":
            c = self.char(n.text)
            return None if c is None else frozenset([c])
        if n.kind == "class":
            chars = class_chars(n.text)
            if chars is None:
                return None
            got = {self.char(c) for c in chars}
            if None in got or len(got) > _MAX_SET:
                return None
            return frozenset(x for x in got if x is not None)
        if n.kind in ("zero", "look"):
            return _ZERO_WIDTH
        if n.kind == "group":
            return self.exact(n.items[0])
        if n.kind == "seq":
            return self.exact_seq(n.items)
        if n.kind == "alt":
            out: set[str] = set()
            for b in n.items:
                e = self.exact(b)
                if e is None:
                    return None
                out |= e
                if len(out) > _MAX_SET:
                    return None
            return frozenset(out)
        if n.kind == "repeat" and n.hi <= 3:
            # "-?" is "" or "-": each count from lo to hi, joined
            out2: set[str] = set()
            for k in range(n.lo, n.hi + 1):
                e2 = self.exact_seq(n.items * k)
                if e2 is None:
                    return None
                out2 |= e2
            return frozenset(out2) if len(out2) <= _MAX_SET else None
        return None

    def exact_seq(self, items: list[Node]) -> frozenset[str] | None:
        acc: frozenset[str] | None = _ZERO_WIDTH
        for it in items:
            e = self.exact(it)
            if e is None or acc is None:
                return None
            acc = _product(acc, e)
        return acc

    def required(self, n: Node) -> frozenset[str] | None:
        """Literals one of which every match of ``n`` contains (None: none known)."""
        if n.kind in ("lit", "class"):
            return self.exact(n)
        if n.kind == "group":
            return self.required(n.items[0])
        if n.kind == "alt":
            alts = [self.required(b) for b in n.items]
            if any(a is None or "" in a for a in alts):
                return None
            union = frozenset().union(*alts)  # type: ignore[arg-type]
            return _minimal(union) if len(union) <= _MAX_SET else None
        if n.kind == "repeat":
            return self.required(n.items[0]) if n.lo >= 1 else None
        if n.kind != "seq":
            return None
        best: frozenset[str] | None = None
        items = n.items
        for i, it in enumerate(items):
            best = _better(best, self.required(it))
            # runs of exactly-known items make longer literals ("la" + "id")
            acc: frozenset[str] | None = _ZERO_WIDTH
            for nxt in items[i:]:
                e = self.exact(nxt)
                if e is None or acc is None:
                    break
                acc = _product(acc, e)
                if acc is not None:
                    best = _better(best, _minimal(acc))
        return best


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
        if fold is None:
            fold = _ignores_case(pattern)
        found = _Reader(fold).required(parse(pattern.pattern))
    except (Unsupported, RecursionError):  # an unknown construct: no gate, it always runs
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


def _fold_class(body: str) -> str:
    """A set's source for lower-cased text: letters and ASCII letter ranges lower-cased;
    a range that mixes cases or holds non-ASCII cased letters is refused."""
    neg = body.startswith("^")
    i = 1 if neg else 0
    out = ["^"] if neg else []
    while i < len(body):
        c = body[i]
        if c == "\\":
            out.append(body[i : i + 2])  # an escape: \w, \d, \s, \-: same on lower case
            i += 2
            continue
        if i + 2 < len(body) and body[i + 1] == "-" and body[i + 2] != "\\":
            lo, hi = ord(c), ord(body[i + 2])
            if ord("A") <= lo <= hi <= ord("Z"):
                out.append(f"{chr(lo).lower()}-{chr(hi).lower()}")
            elif any(
                chr(x).lower() != chr(x) or chr(x).upper() != chr(x) for x in range(lo, hi + 1)
            ):
                if not (ord("a") <= lo <= hi <= ord("z")):
                    raise _NotFoldable(body)
                out.append(body[i : i + 3])
            else:
                out.append(body[i : i + 3])
            i += 3
            continue
        out.append(re.escape(chr(_fold_char(ord(c)))) if c not in "-^" else c)
        i += 1
    return "".join(out)


def _fold_source(n: Node) -> str:
    if n.kind == "lit":
        return re.escape(chr(_fold_char(ord(n.text))))
    if n.kind == "class":
        return "[" + _fold_class(n.text) + "]"
    if n.kind in ("esc", "any", "zero"):
        return n.text
    if n.kind == "seq":
        return "".join(_fold_source(x) for x in n.items)
    if n.kind == "alt":
        return "|".join(_fold_source(x) for x in n.items)
    if n.kind in ("group", "look"):
        return n.head + _fold_source(n.items[0]) + ")"
    if n.kind == "repeat":
        inner = _fold_source(n.items[0])
        if n.lo == 0 and n.hi == 1:
            q = "?"
        elif n.lo == 0 and n.hi == MAXREPEAT:
            q = "*"
        elif n.lo == 1 and n.hi == MAXREPEAT:
            q = "+"
        elif n.hi == MAXREPEAT:
            q = f"{{{n.lo},}}"
        else:
            q = f"{{{n.lo},{n.hi}}}"
        return inner + q + ("?" if n.lazy else "")
    raise _NotFoldable(n.kind)


def fold_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A case-sensitive pattern that finds, in :func:`lowered` ``(text)``, exactly the
    spans (and groups' spans) that the case-insensitive ``pattern`` finds in ``text``;
    None when the pattern is not case-insensitive as a whole or holds a construct
    this does not handle. Match objects of the result index the lower-cased text."""
    if not pattern.flags & re.IGNORECASE or pattern.flags & (re.LOCALE | re.ASCII):
        return None
    try:
        source = _fold_source(parse(pattern.pattern))
        return re.compile(source, pattern.flags & ~re.IGNORECASE)
    except (Unsupported, _NotFoldable, re.error, RecursionError):  # keep the original
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
            parse(pattern.pattern)
            self.fold = _ignores_case(pattern)
        except (Unsupported, RecursionError):
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
