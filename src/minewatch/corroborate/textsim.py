"""Text overlap between documents: word shingles, quotations (near-duplicate
passages: :mod:`.boilerplate`).

Used to tie a document to another it rewrites (derivative reporting) and to
tell which of several incidents an event's own sentences echo.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_SENT_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n\s*\n|\n")
_QUOTE = re.compile(r"“([^”]{10,2000})”|\"([^\"\n]{10,2000})\"")

#: Words per shingle when comparing an event's sentences with another's.
EVENT_SHINGLE = 5
#: A shared quotation has at least this many consecutive words in common.
QUOTE_WORDS = 8
#: MinHash passages: window and stride in words, shingle size, thresholds.
PASSAGE_WORDS = 30
PASSAGE_STRIDE = 15
PASSAGE_SHINGLE = 3
LSH_THRESHOLD = 0.5


def words(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased words with their character offsets (apostrophes unified)."""
    return [
        (m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)
    ]


def _h(gram: Iterable[str]) -> int:
    # crc32 is stable across processes (unlike hash()), so results are reproducible.
    return zlib.crc32(" ".join(gram).encode("utf-8"))


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences (also split at line breaks)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if text[pos:end].strip():
            out.append((pos, end))
        pos = end
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def expand_to_sentences(
    bounds: Sequence[tuple[int, int]], spans: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The sentences that overlap any of ``spans``."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for bs, be in bounds:
            if bs < max(e, s + 1) and be > s and (bs, be) not in out:
                out.append((bs, be))
    return sorted(out)


def shingles_of(text: str, regions: Iterable[tuple[int, int]], n: int = EVENT_SHINGLE) -> set[int]:
    """Hashed word n-grams of the given regions of ``text``."""
    out: set[int] = set()
    for s, e in regions:
        toks = [w for w, _, _ in words(text[s:e])]
        for k in range(len(toks) - n + 1):
            out.add(_h(toks[k : k + n]))
    return out


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    words: tuple[str, ...]


def quotations(text: str, min_words: int = QUOTE_WORDS) -> list[Quote]:
    """Quoted passages of at least ``min_words`` words."""
    out: list[Quote] = []
    for m in _QUOTE.finditer(text):
        g = 1 if m.group(1) is not None else 2
        toks = tuple(w for w, _, _ in words(m.group(g)))
        if len(toks) >= min_words:
            out.append(Quote(m.start(g), m.end(g), toks))
    return out


def ngram_set(text: str, n: int = QUOTE_WORDS) -> set[int]:
    toks = [w for w, _, _ in words(text)]
    return {_h(toks[k : k + n]) for k in range(len(toks) - n + 1)}


def shared_quotes(quotes: Sequence[Quote], other_ngrams: set[int]) -> list[Quote]:
    """Quotes of one document that the other contains (>= QUOTE_WORDS words in a row)."""
    out = []
    for q in quotes:
        for k in range(len(q.words) - QUOTE_WORDS + 1):
            if _h(q.words[k : k + QUOTE_WORDS]) in other_ngrams:
                out.append(q)
                break
    return out


@dataclass(frozen=True)
class PassageMatch:
    """A passage of document ``a`` that nearly duplicates one of ``b``."""

    a: str
    a_span: tuple[int, int]
    b: str
    b_span: tuple[int, int]
    similarity: float
