"""Shared boilerplate out, then near-duplicate passages found in linear time.

Documents of one site share a header, a footer, a newsletter line, "Related
posts"; many sites share a wire agency's credit line. None of that is evidence
that one document rewrites another, yet every pair of such documents shares
passages: compared as they are, n documents make n(n-1)/2 "rewrite" links
(1,600 documents took 102 s and 3.2 GB). So, before documents are compared:

1. **Boilerplate is masked.** A sentence (or line) of at least
   ``MIN_WORDS`` words that recurs in ``SITE_DOCS`` or more documents of one
   site (the URL's host, else the publisher), or in ``ANY_DOCS`` or more
   documents of any sites, is blanked out (replaced by spaces, so offsets stay
   valid). A wire story copied by a few sites survives; a site's footer does not.
2. **Links are bounded.** Near-duplicate passages are found by MinHash LSH
   over word windows; an LSH bucket holding passages of more than
   ``MAX_BUCKET_DOCS`` documents is a passage too common to tell anything and
   is dropped, so no passage yields more than a bounded number of candidate
   pairs. Candidates are then checked by the exact Jaccard similarity of their
   word 3-grams.

Both steps are single passes with dictionaries: time and memory grow with the
number of documents, not with its square (``bench/bench_independence.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from datasketch import MinHash

from minewatch.corroborate import textsim

#: A boilerplate sentence has at least this many words (shorter ones are too
#: common to count and too short to make a passage look copied anyway).
MIN_WORDS = 4
#: ...and recurs in this many documents of one site,
SITE_DOCS = 3
#: ...or in this many documents of any sites (no single story is copied this widely
#: in one corpus slice, a credit line or a syndication notice is).
ANY_DOCS = 50
#: LSH bands x rows (MinHash permutations = their product): with 10 bands of 2, two
#: passages of 3-gram Jaccard 0.5 become candidates with probability 0.94, 0.6 with
#: 0.999 (6 bands missed a 0.56 pair of the cluster gold).
BANDS, ROWS = 10, 2
#: An LSH bucket with passages of more documents than this is dropped (bounded links).
MAX_BUCKET_DOCS = 20


def site_of(url: str | None, publisher: str | None) -> str | None:
    """The site a document comes from: its URL's host (without www.), else its publisher."""
    if url:
        host = urlsplit(url).netloc.lower()
        if host:
            return host.removeprefix("www.")
    return publisher.strip().lower() if publisher and publisher.strip() else None


def _sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, key) of each sentence of at least ``MIN_WORDS`` words."""
    out = []
    for s, e in textsim.sentence_bounds(text):
        toks = [w for w, _, _ in textsim.words(text[s:e])]
        if len(toks) >= MIN_WORDS:
            out.append((s, e, hash(" ".join(toks))))
    return out


def mask_boilerplate(texts: dict[str, str], site: Callable[[str], str | None]) -> dict[str, str]:
    """Texts with boilerplate sentences blanked out (see module docstring).

    ``site(doc_id)`` names each document's site (None: unknown). Only
    documents that have boilerplate get a new string.
    """
    per_site: dict[int, int] = {}  # hash(site, sentence) -> documents
    anywhere: dict[int, int] = {}  # hash(sentence) -> documents
    for doc_id in sorted(texts):
        keys = {k for _, _, k in _sentences(texts[doc_id])}
        where = site(doc_id)
        for k in keys:
            anywhere[k] = anywhere.get(k, 0) + 1
            if where is not None:
                sk = hash((where, k))
                per_site[sk] = per_site.get(sk, 0) + 1
    out = dict(texts)
    for doc_id, text in texts.items():
        where = site(doc_id)
        cut = [
            (s, e)
            for s, e, k in _sentences(text)
            if anywhere[k] >= ANY_DOCS
            or (where is not None and per_site.get(hash((where, k)), 0) >= SITE_DOCS)
        ]
        if cut:
            chars = list(text)
            for s, e in cut:
                chars[s:e] = " " * (e - s)
            out[doc_id] = "".join(chars)
    return out


@dataclass(frozen=True)
class _Passage:
    doc: int
    start: int  # character offsets
    end: int
    first: int  # word indexes into the document's words
    last: int


def _windows(toks: Sequence[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Word index ranges of the overlapping windows (as textsim's passages)."""
    if not toks:
        return []
    last_start = max(0, len(toks) - textsim.PASSAGE_WORDS)
    starts = list(range(0, last_start + 1, textsim.PASSAGE_STRIDE))
    if starts[-1] != last_start:
        starts.append(last_start)
    return [(k, min(len(toks), k + textsim.PASSAGE_WORDS)) for k in starts]


def _grams(toks: Sequence[tuple[str, int, int]], first: int, last: int) -> set[str]:
    window = [w for w, _, _ in toks[first:last]]
    n = textsim.PASSAGE_SHINGLE
    return {" ".join(window[j : j + n]) for j in range(max(1, len(window) - n + 1))}


def near_duplicate_passages(texts: dict[str, str]) -> list[textsim.PassageMatch]:
    """Pairs of near-duplicate passages across documents, with bounded LSH buckets.

    Each document is cut into overlapping windows of ``textsim.PASSAGE_WORDS``
    words; a pair of windows whose word 3-grams have a Jaccard similarity of at
    least ``textsim.LSH_THRESHOLD`` is reported once per document pair and
    passage pair.
    """
    ids = sorted(texts)
    passages: list[_Passage] = []
    buckets: dict[int, list[int] | None] = {}  # None: too many documents
    for d, doc_id in enumerate(ids):
        toks = textsim.words(texts[doc_id])
        wins = _windows(toks)
        if not wins:
            continue
        sets = [[g.encode("utf-8") for g in _grams(toks, a, b)] for a, b in wins]
        hashes = MinHash.bulk(sets, num_perm=BANDS * ROWS, seed=7)
        for (a, b), mh in zip(wins, hashes, strict=True):
            pid = len(passages)
            passages.append(_Passage(d, toks[a][1], toks[b - 1][2], a, b))
            hv = [int(x) for x in mh.hashvalues]
            for band in range(BANDS):
                key = hash((band, *hv[band * ROWS : (band + 1) * ROWS]))
                got = buckets.get(key, [])
                if got is None:
                    continue
                if got and len({passages[p].doc for p in got} | {d}) > MAX_BUCKET_DOCS:
                    buckets[key] = None  # too common to tell anything: dropped
                    continue
                got.append(pid)
                buckets[key] = got
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if members is None or len(members) < 2:
            continue
        for i, p in enumerate(members):
            for q in members[i + 1 :]:
                if passages[p].doc != passages[q].doc:
                    pairs.add((p, q) if p < q else (q, p))
    words_of: dict[int, list[tuple[str, int, int]]] = {}

    def toks_of(d: int) -> list[tuple[str, int, int]]:
        if d not in words_of:
            if len(words_of) > 4096:
                words_of.clear()
            words_of[d] = textsim.words(texts[ids[d]])
        return words_of[d]

    out: list[textsim.PassageMatch] = []
    for p, q in sorted(pairs):
        pa, pb = passages[p], passages[q]
        ga = _grams(toks_of(pa.doc), pa.first, pa.last)
        gb = _grams(toks_of(pb.doc), pb.first, pb.last)
        sim = len(ga & gb) / len(ga | gb) if ga or gb else 0.0
        if sim >= textsim.LSH_THRESHOLD:
            x, y = sorted([(ids[pa.doc], (pa.start, pa.end)), (ids[pb.doc], (pb.start, pb.end))])
            out.append(textsim.PassageMatch(x[0], x[1], y[0], y[1], round(sim, 4)))
    out.sort(key=lambda m: (m.a, m.b, m.a_span))
    return out
