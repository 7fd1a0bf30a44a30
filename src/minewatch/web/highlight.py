"""A document's text cut into lines and segments, each segment knowing which
evidence spans cover it: the templates mark them up (and escape the text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class Span:
    """An evidence span of one event field, with the anchor id the page gives it."""

    anchor: str
    start: int
    end: int
    field: str
    event: str  # local event id (e1)


@dataclass
class Segment:
    text: str
    spans: list[Span]
    starts: list[Span] = field(default_factory=list)  # spans that begin here (anchors)

    @property
    def fields(self) -> str:
        return " ".join(sorted({s.field for s in self.spans}))


@dataclass
class Line:
    offset: int
    segments: list[Segment]


def segments(text: str, spans: list[Span]) -> list[Line]:
    """Lines of ``text`` (offset of each line start) with evidence segments.

    Spans outside the text are dropped; overlapping spans are all kept on the
    segments they share.
    """
    n = len(text)
    good = [s for s in spans if 0 <= s.start < s.end <= n]
    cuts = {0, n}
    for s in good:
        cuts.update((s.start, s.end))
    pos = text.find("\n")
    while pos != -1:
        cuts.update((pos, pos + 1))
        pos = text.find("\n", pos + 1)
    points = sorted(cuts)
    lines: list[Line] = [Line(0, [])]
    for a, b in pairwise(points):
        piece = text[a:b]
        if piece == "\n":
            lines.append(Line(b, []))
            continue
        covering = [s for s in good if s.start <= a and b <= s.end]
        starting = [s for s in good if s.start == a]
        lines[-1].segments.append(Segment(piece, covering, starting))
    return lines
