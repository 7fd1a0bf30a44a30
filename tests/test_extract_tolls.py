"""Tolls told after their event (extract/tolls.py) and counts said to come on top of
another ("two more", "another four", "also"), in sentences written for these tests."""

from __future__ import annotations

from minewatch.extract import extract_document
from minewatch.model import Count, DocumentMeta, Event


def casualties(text: str, published: str = "2024-06-14") -> list[Event]:
    evs = extract_document(text, DocumentMeta(id="x", input_id="x", published=published))
    return [e for e in evs if e.type == "casualty"]


def test_a_later_sentence_without_a_mine_gives_the_missing_kind() -> None:
    (ev,) = casualties(
        "Three herders died when an old landmine exploded near the well.\n\n"
        "The district chief said it happened on Tuesday near the market.\n"
        "Five other herders were hurt and are in hospital in the town, he said."
    )
    assert ev.killed == Count(3, 3, 3) and ev.injured == Count(5, 5, 5)
    assert ev.casualties == Count(8, 8, 8)
    assert any(e.field == "injured" for e in ev.evidence)


def test_more_and_another_add_to_the_count_of_their_kind() -> None:
    (ev,) = casualties(
        "Seven soldiers died on Monday after their patrol walked into a minefield.\n\n"
        "Five soldiers died at once and two more succumbed to their wounds later. "
        "Another three were injured."
    )
    assert ev.killed == Count(7, 7, 7)  # 5 + 2 repeats the lead's seven
    assert ev.injured == Count(3, 3, 3)


def test_also_adds_within_a_sentence() -> None:
    (ev,) = casualties(
        "A mine exploded under a patrol on Monday, killing a corporal and wounding a private;"
        " two villagers were also wounded."
    )
    assert ev.killed == Count(1, 1, 1) and ev.injured == Count(3, 3, 3)


def test_two_times_in_one_sentence_are_not_added() -> None:
    evs = casualties(
        "A mine killed one soldier on March 2, and two more died in the next district on March 9.",
        "2024-03-20",
    )
    assert all(e.killed is None or e.killed.best in (1, 2) for e in evs)


def test_a_figure_that_differs_without_a_cue_is_left_alone() -> None:
    (ev,) = casualties(
        "Four people were killed when their car hit a landmine on Sunday.\n\n"
        "The car was taking them to the market. A local official, speaking on condition"
        " of anonymity, said nine people died."
    )
    assert ev.killed == Count(4, 4, 4)


def test_a_revised_toll_replaces_the_earlier_one_kept_as_reported() -> None:
    (ev,) = casualties(
        "Five people were killed when a landmine exploded under their bus on Sunday.\n\n"
        "The bus was taking them to the market. Officials said the death toll has risen to eight."
    )
    assert ev.killed == Count(8, 8, 8)
    assert [(r.field, r.count.best, r.role) for r in ev.reported_counts] == [
        ("killed", 5, "earlier")
    ]


def test_a_toll_after_a_non_mine_cause_is_not_taken() -> None:
    (ev,) = casualties(
        "Two farmers were killed when a landmine went off in their field on Friday.\n\n"
        "They were ploughing. Shelling in the next village wounded eleven people."
    )
    assert ev.injured is None


def test_noun_phrases_joined_by_and_are_counted_together() -> None:
    (ev,) = casualties("A girl and both her brothers died when a landmine exploded on Monday.")
    assert ev.killed == Count(3, 3, 3)
    (ev,) = casualties("A shepherd and his son were injured when a mine exploded on Monday.")
    assert ev.injured == Count(2, 2, 2)


def test_a_part_of_the_victims_is_not_their_count() -> None:
    (ev,) = casualties(
        "Monitors recorded 12 civilians, four of them children, injured by landmines on Monday."
    )
    assert ev.injured == Count(12, 12, 12)


def test_an_article_of_another_noun_counts_no_one() -> None:
    (ev,) = casualties(
        "The number of people killed by a mine that hit a bus carrying farm labourers has"
        " risen, officials said on Monday."
    )
    assert ev.killed is None


def test_nobody_hurt_is_zero_with_its_evidence_and_a_detonation() -> None:
    text = "A tractor ran over an anti-tank mine near the village on Monday. Nobody was hurt."
    evs = extract_document(text, DocumentMeta(id="x", input_id="x", published="2024-06-14"))
    (ev,) = evs
    assert ev.type == "detonation"
    assert ev.killed == ev.injured == Count(0, 0, 0)
    spans = {text[e.start : e.end] for e in ev.evidence if e.field in ("killed", "injured")}
    assert spans == {"Nobody was hurt"}


def test_a_period_total_does_not_take_the_blast_before_it() -> None:
    text = (
        "On Saturday a mine went off under a convoy on the road; no one was hurt.\n\n"
        "The mission says such attacks have killed five peacekeepers and wounded 31 since"
        " January."
    )
    evs = extract_document(text, DocumentMeta(id="x", input_id="x", published="2023-07-16"))
    det = [e for e in evs if e.type == "detonation"]
    tot = [e for e in evs if e.aggregate]
    assert len(det) == 1 and len(tot) == 1
    assert tot[0].killed == Count(5, 5, 5) and tot[0].context
