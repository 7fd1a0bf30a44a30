"""Footnotes of secondary reports: which original a claim rests on.

A Mine Action Review or Landmine Monitor profile marks each claim with a
footnote number (a superscript ``¹²``, or ``[12]``) and lists the footnotes
("- 11 "Map Shows ...", *Newsweek*, 30 April 2024, at: ..."). The profile
cites such a claim by its original, as researchers do: "Newsweek, 30 April
2024, cited in Mine Action Review 2025, n. 11".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
#: a run of superscript digits, or a bracketed number, right after a word or punctuation
_MARK = re.compile(r"(?<=[\w.,;:”\")\]])([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|\[\d{1,3}\])")
#: a footnote line: "- 11 text", "11 text", " - 17 text" (the number, then its text)
_NOTE = re.compile(r"^[ \t]*(?:-[ \t]*)?(\d{1,3})[ \t]+(\S.*)$", re.M)
#: units written with superscripts are not footnote marks
_UNIT = re.compile(r"(km|m|cm|mm)$")
#: after a quoted title (and an optional "(unofficial translation)"): the outlet, then a date
_OUTLET = re.compile(
    r"[”\"\)]\s*,?\s*(?:\([^)]*\)\s*,?\s*)?\*?([^*,()\"”]{2,80}?)\*?\s*,\s*"
    r"(\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{4}|\d{4})"
)
_IBID = re.compile(r"^\W*Ibid", re.I)
#: the items of one note: "A, *Outlet*, date; and B, *Outlet*, date"
_ITEMS = re.compile(r";\s*(?:and\s+)?")


@dataclass(frozen=True)
class Original:
    """The original a footnote cites: outlet and date, or the note's own text."""

    note: int
    outlet: str | None
    date: str | None
    text: str

    @property
    def short(self) -> str:
        """``Newsweek, 30 April 2024``; a note citing several items names each
        (``Radio Free Asia, 22 October 2020; Yonhap, 3 November 2020``); an item
        without a recognised outlet (an email, a statement) by its first words."""
        if _IBID.match(self.text) and self.outlet:
            return f"{self.outlet}, {self.date}" if self.date else self.outlet
        items = [_item_short(x) for x in _ITEMS.split(self.text)]
        return "; ".join(dict.fromkeys(i for i in items if i))


def _item_short(item: str) -> str:
    om = _OUTLET.search(item)
    if om:
        return f"{om.group(1).strip(' *')}, {om.group(2)}"
    first = re.split(r" at: ", item)[0].replace("*", "").strip().rstrip(".,; ")
    return first if len(first) <= 130 else first[:127].rstrip(" ,") + "…"


def notes(text: str) -> dict[int, Original]:
    """Footnote number -> its original, for the footnote lines of ``text``.

    Only numbered lines that follow the note before them (n, n+1 ...) count, so a
    line that merely starts with a number ("2 million mines") is not a note.
    "Ibid." takes the original of the note before.
    """
    out: dict[int, Original] = {}
    last = 0
    for m in _NOTE.finditer(text):
        n, body = int(m.group(1)), m.group(2).strip()
        listed = m.group(0).lstrip().startswith("-")  # "- 11 ...": a list of notes
        if n != last + 1 and not (out and n == max(out) + 1) and not (listed and not out):
            continue
        last = n
        if _IBID.match(body) and (n - 1) in out:
            prev = out[n - 1]
            out[n] = Original(n, prev.outlet, prev.date, body)
            continue
        om = _OUTLET.search(body)
        outlet = om.group(1).strip(" *") if om else None
        out[n] = Original(n, outlet, om.group(2) if om else None, body)
    return out


def marks(text: str, start: int, end: int) -> list[int]:
    """Footnote numbers marked in ``text[start:end]`` and right after it.

    A sentence without a mark is covered by the next mark of its paragraph
    (a note after the second of two sentences supports both).
    """
    found = _marks(text, start, min(len(text), end + 6))
    if not found:
        para_end = text.find("\n", end)
        found = _marks(text, end, len(text) if para_end < 0 else para_end)[:1]
    return found


def _marks(text: str, start: int, stop: int) -> list[int]:
    found = []
    for m in _MARK.finditer(text, max(0, start), stop):
        before = text[max(0, m.start() - 3) : m.start()]
        if _UNIT.search(before):
            continue  # km², m³
        raw = m.group(1).strip("[]").translate(_SUPER)
        found.append(int(raw))
    return found
