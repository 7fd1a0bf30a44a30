"""Evidence quotes are whole sentences with the evidence spans marked."""

from __future__ import annotations

from minewatch.reportdata import quotes

TEXT = (
    "Seoul said so on Monday. Five would-be defectors were wounded or killed near Musan "
    "in mid-October, a source said.\nThree other people died in September."
)


def test_sentence_around_a_span() -> None:
    a = TEXT.index("Five")
    s0, s1 = quotes.sentence_bounds(TEXT, a, a + 4)
    assert TEXT[s0:s1].startswith("Five would-be") and TEXT[s0:s1].endswith("source said.")
    a = TEXT.index("Three")
    s0, s1 = quotes.sentence_bounds(TEXT, a, a + 5)
    assert TEXT[s0:s1] == "Three other people died in September."


def test_spans_are_marked_and_merged() -> None:
    a, m = TEXT.index("Five"), TEXT.index("Musan")
    s0, s1 = quotes.sentence_bounds(TEXT, a, a + 4)
    segs = quotes.segments(TEXT, s0, s1, [(a, a + 4), (a, a + 9), (m, m + 5)])
    assert [t for t, marked in segs if marked] == ["Five woul", "Musan"]
    assert "".join(t for t, _ in segs) == TEXT[s0:s1]


def test_long_sentences_are_cut_to_a_window() -> None:
    text = "word " * 400 + "mines" + " word" * 400
    a = text.index("mines")
    s0, s1 = quotes.sentence_bounds(text, a, a + 5)
    assert s1 - s0 <= quotes.QUOTE_MAX and s0 < a < s1
    segs = quotes.segments(text, s0, s1, [(a, a + 5)])
    assert segs[0][0].startswith("…") and segs[-1][0].endswith("…")
