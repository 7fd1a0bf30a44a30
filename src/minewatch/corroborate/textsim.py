"""Text overlap between documents: word shingles, quotations, MinHash passages.

Used to tie a document to another it rewrites (derivative reporting) and to
tell which of several incidents an event's own sentences echo.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

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
NUM_PERM = 64


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


def _passages(text: str) -> list[tuple[int, int, MinHash]]:
    toks = words(text)
    if not toks:
        return []
    last_start = max(0, len(toks) - PASSAGE_WORDS)
    starts = list(range(0, last_start + 1, PASSAGE_STRIDE))
    if starts[-1] != last_start:
        starts.append(last_start)
    spans: list[tuple[int, int]] = []
    shingle_sets: list[list[bytes]] = []
    for k in starts:
        window = toks[k : k + PASSAGE_WORDS]
        grams = {
            " ".join(w for w, _, _ in window[j : j + PASSAGE_SHINGLE]).encode("utf-8")
            for j in range(max(1, len(window) - PASSAGE_SHINGLE + 1))
        }
        spans.append((window[0][1], window[-1][2]))
        shingle_sets.append(list(grams))
    # one vectorised call per document (several times faster than one by one)
    hashes = MinHash.bulk(shingle_sets, num_perm=NUM_PERM, seed=7)
    return [(s, e, mh) for (s, e), mh in zip(spans, hashes, strict=True)]


def near_duplicate_passages(texts: dict[str, str]) -> list[PassageMatch]:
    """Pairs of near-duplicate passages across documents (MinHash LSH).

    Each document is cut into overlapping windows of ``PASSAGE_WORDS`` words;
    windows whose estimated Jaccard similarity of word 3-grams reaches
    ``LSH_THRESHOLD`` are reported once per document pair and passage.
    """
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    passages: dict[str, tuple[str, int, int, MinHash]] = {}
    for doc_id in sorted(texts):
        for n, (s, e, mh) in enumerate(_passages(texts[doc_id])):
            key = f"{doc_id}\x00{n}"
            passages[key] = (doc_id, s, e, mh)
            lsh.insert(key, mh)
    out: list[PassageMatch] = []
    seen: set[tuple[str, str]] = set()
    for key, (doc_id, s, e, mh) in passages.items():
        for other in lsh.query(mh):
            o_doc, os_, oe, omh = passages[other]
            if o_doc == doc_id or (key, other) in seen:
                continue
            seen.add((key, other))
            seen.add((other, key))
            sim = mh.jaccard(omh)
            if sim >= LSH_THRESHOLD:
                a, b = sorted([(doc_id, (s, e)), (o_doc, (os_, oe))])
                out.append(PassageMatch(a[0], a[1], b[0], b[1], sim))
    out.sort(key=lambda m: (m.a, m.b, m.a_span))
    return out
