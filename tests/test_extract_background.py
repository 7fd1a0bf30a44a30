"""Background vs news (issue 14, items 2 and 3): a report's own coverage period is news;
a deed told as the object of an admission is older and undated, the admission dated."""

from __future__ import annotations

from pathlib import Path

import pytest

from minewatch.extract import coverages, extract_document
from minewatch.extract.dates import parse_published
from minewatch.extract.rules import load_rules
from minewatch.model import DocumentMeta, Event

RULES = load_rules()


def run(text: str, published: str | None) -> list[Event]:
    return extract_document(text, DocumentMeta(id="x", input_id="x", published=published))


REVIEW = (
    "Country profile\n\nKEY DEVELOPMENTS\n\nIn 2023 and 2024, there were reports that the army"
    " had laid new mines on the border.\n\nIn late 2023 the army re-mined a road near the"
    " hill. In 2019 the army laid mines around its posts.\n"
)


def test_the_coverage_period_is_read_from_a_summary_heading() -> None:
    cov = coverages(RULES).find(REVIEW, parse_published("2025"))
    assert cov is not None and (cov.start.isoformat(), cov.end.isoformat()) == (
        "2023-01-01",
        "2024-12-31",
    )


@pytest.mark.parametrize(
    "text",
    [
        "This review covers 2023-2024. In late 2023 the army re-mined a road near the hill.",
        "For the reporting period 2023 and 2024: in late 2023 the army re-mined a road.",
    ],
)
def test_late_events_in_the_coverage_period_are_news(text: str) -> None:
    ev = next(e for e in run(text, "2025") if e.when.text.startswith(("late", "In late")))
    assert not ev.context


def test_before_the_coverage_period_is_background() -> None:
    evs = run(REVIEW, "2025")
    late = next(e for e in evs if e.when.start == "2023-09-01")
    old = next(e for e in evs if e.when.start == "2019-01-01")
    assert not late.context and old.context


def test_without_a_coverage_period_the_publication_decides() -> None:
    text = "In late 2023 the army re-mined a road near the hill."
    (ev,) = [e for e in run(text, "2025") if e.type == "emplacement"]
    assert ev.context  # over a year before a 2025 publication


def test_an_admitted_laying_is_older_and_undated_the_admission_dated() -> None:
    evs = run("In 1998, North Korea admitted laying mines in the DMZ, a strip of land.", "2025")
    policy = [e for e in evs if e.type == "policy"]
    laying = [e for e in evs if e.type == "emplacement"]
    assert policy and laying
    assert (policy[0].when.start, policy[0].when.end) == ("1998-01-01", "1998-12-31")
    assert laying[0].when.precision == "unknown" and laying[0].when.start is None
    assert laying[0].context and policy[0].context


def test_a_laying_not_admitted_keeps_its_year() -> None:
    (ev,) = [e for e in run("In 1998, North Korea laid mines in the DMZ.", "2025")]
    assert ev.type == "emplacement" and ev.when.start == "1998-01-01"


@pytest.mark.shared
def test_seed_004_late_2023_mining_is_news_and_1998_is_a_statement(seeds_dir: Path) -> None:
    path = next(seeds_dir.glob("004_*.txt"))
    evs = run(path.read_text(encoding="utf-8"), "2025")
    text = path.read_text(encoding="utf-8")

    def said(ev: Event, words: str) -> bool:
        return any(words in text[e.start : e.end] for e in ev.evidence if e.field == "mention")

    late = [e for e in evs if e.type == "emplacement" and (e.when.start or "") >= "2023-09-01"]
    late = [e for e in late if (e.when.end or "") <= "2024-04-30"]
    assert late and not any(e.context for e in late)
    assert any(said(e, "Arrowhead Hill") for e in late)
    assert any(said(e, "Gyeongui Line railroad") for e in late)
    admitted = [e for e in evs if said(e, "admitted laying")]
    assert {e.type for e in admitted} == {"policy", "emplacement"}
    for e in admitted:
        if e.type == "policy":
            assert (e.when.start, e.when.end) == ("1998-01-01", "1998-12-31")
        else:
            assert e.when.start is None and e.context


NEWS = (
    "Two farmers were killed on Tuesday when their tractor hit a landmine near the village.\n\n"
    "Police said the mine had been left from the war.\n\n"
)


@pytest.mark.parametrize(
    ("recall", "context"),
    [
        ("Last month, a shepherd was killed by a mine in the same district.", True),
        ("A month earlier, a boy lost a leg when he stepped on a mine nearby.", True),
        # no cue, but it ended over a month before the news
        ("In January, a woman was injured by a landmine near the river.", True),
        # no cue and only days before: one more incident of the news, not a recollection
        ("On Saturday, a woman was injured by a landmine near the river.", False),
    ],
)
def test_a_recalled_earlier_incident_is_background(recall: str, context: bool) -> None:
    evs = [e for e in run(NEWS + recall, "2024-03-14") if e.type == "casualty"]
    assert len(evs) == 2, evs
    news, old = evs
    assert news.context is False and news.killed is not None and news.killed.best == 2
    assert old.context is context
    if context:
        assert any(v.field == "context" for v in old.evidence)


def test_an_ordinal_incident_recalls_the_blasts_after_it() -> None:
    text = NEWS + (
        "It was the third deadly mine blast in the province this year. A blast there killed"
        " one soldier on March 2."
    )
    evs = [e for e in run(text, "2024-03-14") if e.type == "casualty"]
    assert [e.context for e in evs] == [False, True]
