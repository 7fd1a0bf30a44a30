"""Split a document into paragraphs and sentences, keeping character offsets.

A plain-regex splitter (no model): fast, and good enough for news prose. Lines
that are headings in capitals, table rows (tabs) or reference notes
(footnotes, URLs, "Ibid") are marked ``skip`` so triggers in cited titles do not
become events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# A sentence ends at . ! ? (plus closing quotes/brackets and footnote marks) before space,
# or at a line break.
_BOUNDARY_PLAIN = re.compile(r"[.!?]+[\"'”’)\]]*[¹²³⁴⁵⁶⁷⁸⁹⁰]*(?=\s)|\n")
# The same matches, written to start with a character set so the engine skips straight
# to the next . ! ? or newline (tests compare the two).
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=\n)|(?<=[.!?])[.!?]*[\"'”’)\]]*[¹²³⁴⁵⁶⁷⁸⁹⁰]*(?=\s))")
# Tokens before a period that do not end a sentence.
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Col|Gen|Lt|Maj|Capt|Sgt|Cpl|Pvt|St|No|pp|vol|Vol|Fig|fig|"
    r"approx|est|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Gov|Rep|Sen|Prof|Inc|Ltd|Co|"
    r"vs|etc|e\.g|i\.e|U\.S|U\.N|D\.C))\.$"
)
_PARA_BREAK = re.compile(r"\n[ \t]*\n(?=[ \t]*[^\sa-z])")
# footnote lines ("- 12 Ibid.") and lines that cite or credit: not events
_REFERENCE_START = re.compile(
    r"\s*(?:(?:[-•*–]\s*)*\d{1,3}\s+\S|(?:Source|Photo|FILE PHOTO|Read (?:in|more|full)|"
    r"Translated by|Edited by)\b)"
)
_REFERENCE_ANY = re.compile(r"https?://|bit\.ly|\bIbid\b|[Ll]ast updated|\bat: <")
# Each alternative of _REFERENCE_ANY contains one of these: substring tests are much
# faster than the regex scan, which then only runs on the rare lines that hold one.
_REFERENCE_LITERALS = ("://", "bit.ly", "Ibid", "ast updated", "at: <")
_HAS_LOWER = re.compile(r"[a-z]")
_LETTERS = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Sentence:
    """``text[start:end]`` is the sentence; ``para`` numbers paragraphs from 0."""

    index: int
    start: int
    end: int
    para: int
    skip: bool
    # the document's headline (its first line, no final punctuation, a paragraph alone):
    # it repeats the body's news, so it attaches to the body's event, its figures kept apart
    headline: bool = False


_LINES = yaml.safe_load(Path(__file__).with_name("rules").joinpath("lines.yaml").read_text("utf-8"))
_URL = re.compile(r"https?://\S+|bit\.ly/\S+")


def _is_table_row(stripped: str) -> bool:
    cells = [c for c in stripped.split("\t") if c.strip()]
    return len(cells) >= int(_LINES["table_min_cells"]) and all(
        len(c.strip()) <= int(_LINES["table_cell_max_chars"]) for c in cells
    )


def _is_skipped(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return True
    if "\t" in stripped and _is_table_row(stripped):
        return True
    if (
        " " in stripped
        and not _HAS_LOWER.search(stripped)
        and len(_LETTERS.findall(stripped, 0, 200)) >= 4
    ):
        return True  # heading in capitals
    if _REFERENCE_START.match(stripped):
        return True
    if not any(lit in stripped for lit in _REFERENCE_LITERALS):
        return False
    if not _REFERENCE_ANY.search(stripped):
        return False
    # a citation or credit line is short once its links are gone; prose with a link is read
    rest = _URL.sub("", stripped).strip()
    return "://" not in stripped or len(rest) <= int(_LINES["reference_line_max_chars"])


#: Longest span treated as one sentence; real sentences are far shorter.
MAX_SENTENCE_CHARS = 1000


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with offsets; whitespace is trimmed from each span."""
    para_starts = [0] + [m.end() for m in _PARA_BREAK.finditer(text)]
    out: list[Sentence] = []
    pos = 0
    para = 0
    n = len(text)
    line_skip: dict[int, bool] = {}

    def line_of(i: int) -> bool:
        ls = text.rfind("\n", 0, i) + 1
        if ls not in line_skip:
            le = text.find("\n", i)
            line_skip[ls] = _is_skipped(text[ls : le if le >= 0 else n])
        return line_skip[ls]

    def emit(s: int, e: int) -> None:
        nonlocal para
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            return
        # Cap run-on "sentences" (no punctuation, tables, junk): per-sentence rules
        # scan the whole sentence for every mention, so an unbounded sentence makes
        # extraction quadratic in the document length.
        while e - s > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", s + MAX_SENTENCE_CHARS // 2, s + MAX_SENTENCE_CHARS)
            cut = cut if cut > s else s + MAX_SENTENCE_CHARS
            emit(s, cut)
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e <= s:
            return
        while para + 1 < len(para_starts) and para_starts[para + 1] <= s:
            para += 1
        out.append(Sentence(len(out), s, e, para, line_of(s)))

    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if m.group() != "\n":
            if _ABBREV.search(text, max(pos, m.start() - 12), m.start() + 1):
                continue
            # a lower-case word after the period: not a sentence end ("approx. 3 km")
            nxt = text[end : end + 3].lstrip()
            if nxt[:1].islower():
                continue
        elif _is_soft_break(text, m.start()):
            continue
        emit(pos, end)
        pos = end
    if pos < n:
        emit(pos, n)
    if out and _is_headline(text, out[0], out[1:2]):
        out[0] = Sentence(0, out[0].start, out[0].end, out[0].para, False, True)
    return out


def _is_headline(text: str, first: Sentence, after: list[Sentence]) -> bool:
    """The first line is a headline when it stands alone (a paragraph of its own, or the
    only line before the body) and does not end like a sentence."""
    line = text[first.start : first.end]
    too_long = len(line) > int(_LINES["headline_max_chars"])
    if "\n" in line or too_long or line.rstrip()[-1:] in '.!?:;"”':
        return False
    if after and after[0].para == first.para and "\n" not in text[first.end : after[0].start]:
        return False
    return bool(_LETTERS.search(line))


def _is_soft_break(text: str, i: int) -> bool:
    """A single newline inside a sentence (wrapped line) is not a boundary when the
    next line starts in lower case and the previous line has no final punctuation."""
    j = i + 1
    while j < len(text) and text[j] in " \t\n\r":
        j += 1
    if j >= len(text) or not text[j].islower():
        return False
    k = i - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k >= 0 and text[k] not in '.!?:;"”'
