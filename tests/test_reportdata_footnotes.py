"""Footnotes of secondary reports: marks on sentences, notes resolved to originals."""

from __future__ import annotations

from minewatch.reportdata import footnotes

TEXT = (
    "The DMZ is a 1,000km² strip. Early in 2024 mines were laid in the DMZ.¹¹ "
    "This included the Gyeongui road.¹² One report said more.\n"
    "It was also reported later.[13]\n\n"
    "- 11 “Map Shows Where North Korea Has Placed Land Mines”, *Newsweek*, 30 April 2024.\n"
    "- 12 Ibid.\n"
    '13 "Title (unofficial translation)", (unofficial translation), Dong-A Ilbo, 30 June 2025.\n'
    "2 million mines is not a note.\n"
)


def test_notes_resolve_outlet_date_and_ibid() -> None:
    notes = footnotes.notes(TEXT)
    assert sorted(notes) == [11, 12, 13]
    assert notes[11].short == "Newsweek, 30 April 2024"
    assert notes[12].short == "Newsweek, 30 April 2024"  # Ibid.
    assert notes[13].short == "Dong-A Ilbo, 30 June 2025"


def test_marks_on_a_sentence_not_units_and_the_next_mark_covers_a_bare_sentence() -> None:
    s = TEXT.index("Early")
    assert footnotes.marks(TEXT, s, TEXT.index("DMZ.¹¹") + 4) == [11]
    assert footnotes.marks(TEXT, 0, TEXT.index("strip.") + 6) == [11]  # km² is no mark
    bare = TEXT.index("One report")
    assert (
        footnotes.marks(TEXT, bare, bare + len("One report said more.")) == []
    )  # nothing after it in its paragraph
    later = TEXT.index("It was")
    assert footnotes.marks(TEXT, later, later + 26) == [13]


def test_a_note_citing_several_items_names_each() -> None:
    text = (
        "Mines were laid.¹\n\n"
        "- 1 Statement of North Korea, UN General Assembly, 4 December 1998; and "
        "A. Writer, “Koreas start clearing”, *The New York Times*, 1 October 2018.\n"
    )
    assert footnotes.notes(text)[1].short == (
        "Statement of North Korea, UN General Assembly, 4 December 1998; "
        "The New York Times, 1 October 2018"
    )
