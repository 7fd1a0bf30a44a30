"""Evidence quotes: the sentence around each evidence span, spans marked.

Evidence spans are often a word or two ("two", "mines"); a reader needs the
sentence they were read from. Spans of one incident that fall in the same
sentence of the same document become one quote listing every field read there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Longest quote; a longer sentence is cut to a window around its spans.
QUOTE_MAX = 360
_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """``[s0, s1)`` of the sentence (or line) holding ``text[start:end]``."""
    s0 = 0
    # endpos past ``start`` so the look-ahead can see the span's first letter
    for m in _END.finditer(text, 0, min(len(text), start + 2)):
        if m.end() <= start:
            s0 = m.end()
    nxt = _END.search(text, end)
    s1 = nxt.start() if nxt else len(text)
    if s1 - s0 > QUOTE_MAX:  # keep a window around the spans
        half = max(0, (QUOTE_MAX - (end - start)) // 2)
        s0, s1 = max(s0, start - half), min(s1, end + half)
    return s0, s1


def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def segments(text: str, s0: int, s1: int, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The sentence as (text, marked) pieces, whitespace collapsed."""
    out: list[tuple[str, bool]] = []
    pos = s0
    for a, b in merge((max(a, s0), min(b, s1)) for a, b in spans):
        if a > pos:
            out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    if pos < s1:
        out.append((text[pos:s1], False))
    cleaned = [(" ".join(t.split()) if t.strip() else " ", m) for t, m in out]
    # keep the spaces the collapse removed at piece edges
    fixed = []
    for (t, m), (raw, _m) in zip(cleaned, out, strict=True):
        lead = " " if raw[:1].isspace() and t != " " else ""
        trail = " " if raw[-1:].isspace() and t != " " else ""
        fixed.append((lead + t + trail, m))
    if fixed:
        fixed[0] = (fixed[0][0].lstrip(), fixed[0][1])
        fixed[-1] = (fixed[-1][0].rstrip(), fixed[-1][1])
    prefix = "…" if s0 > 0 and text[s0 - 1] not in "\n .!?\"'”’" else ""
    suffix = "…" if s1 < len(text) and text[s1 - 1 : s1] not in (".", "!", "?") else ""
    if prefix and fixed:
        fixed[0] = (prefix + fixed[0][0], fixed[0][1])
    if suffix and fixed:
        fixed[-1] = (fixed[-1][0] + suffix, fixed[-1][1])
    return [(t, m) for t, m in fixed if t]
