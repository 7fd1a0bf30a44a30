"""Predicates on lemmas (rules/predicates.yaml), rule windows, the regex subset parser,
and the new vocabulary on small texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minewatch.extract import extract_document
from minewatch.extract.predicates import inflections, past_forms
from minewatch.extract.regex_parse import Unsupported, parse
from minewatch.extract.rules import RULES_DIR, load_rules
from minewatch.model import DocumentMeta, Event

META = DocumentMeta(id="sha256:x", input_id="x", published="2024-05-10")


def _one(text: str) -> Event:
    (ev,) = extract_document(text, META)
    return ev


def test_lemmas_expand_to_their_forms() -> None:
    assert {"stepped on", "stepping on", "steps on"} <= set(inflections("step on"))
    assert {"blew up", "blown up"} == set(past_forms("blow up"))
    assert "went off" in past_forms("go off") and "goes off" not in past_forms("go off")


@pytest.mark.parametrize(
    "text",
    [
        "A truck struck a landmine near the village.",
        "The convoy ran over a mine.",
        "A remote-controlled landmine struck a convoy of armoured vehicles.",
        "Rebels attacked an army patrol with landmines.",
        "Militants used mines to attack a police station.",
    ],
)
def test_explosion_predicates(text: str) -> None:
    assert load_rules().explosion_past.search(text), text


def test_a_habit_is_not_a_happening() -> None:
    assert not load_rules().explosion_past.search("Landmines explode when someone steps on them.")


def test_windows_are_positive_and_all_used() -> None:
    windows = load_rules().windows
    assert windows and all(v > 0 for v in windows.values())
    code = "".join(
        (RULES_DIR.parent / f).read_text(encoding="utf-8")
        for f in ("mentions.py", "victims.py", "attributes.py", "tolls.py")
    )
    unused = [k for k in windows if f'"{k}"' not in code]
    assert unused == []


def test_parser_reads_the_subset_and_refuses_the_rest() -> None:
    assert parse(r"(?<![\w-])(?:la(?:y|id)|plant\w*){1,2}?(?![\w])").kind == "seq"
    for bad in (r"(a)\1", r"(?i:x)", r"a++", r"(?(1)a|b)"):
        with pytest.raises(Unsupported):
            parse(bad)


def test_detonation_with_nobody_hurt_counts_zero_with_evidence() -> None:
    text = "A landmine exploded under a tractor near Kharkiv on Monday. No one was hurt."
    ev = _one(text)
    assert ev.type == "detonation" and ev.killed is not None and ev.killed.best == 0
    spans = [text[e.start : e.end] for e in ev.evidence if e.field == "killed"]
    assert spans == ["No one was hurt"]


def test_casualties_unknown_stay_null() -> None:
    ev = _one("A mine went off under an army convoy on Sunday. Casualties unknown.")
    assert ev.type == "detonation" and ev.killed is None and ev.casualties is None


def test_activation_command_and_victim() -> None:
    assert _one("Rebels attacked an army convoy with landmines on Friday.").activation == "command"
    ev = _one("A farmer stepped on a landmine on Friday and was killed.")
    assert ev.type == "casualty" and ev.activation == "victim"


def test_revised_toll_keeps_the_earlier_figure() -> None:
    ev = _one(
        "Two soldiers were killed when their vehicle hit a landmine on Monday. "
        "The toll has risen to four, officials said."
    )
    assert ev.killed is not None and ev.killed.best == 4
    assert [(r.field, r.count.best, r.role) for r in ev.reported_counts] == [
        ("killed", 2, "earlier")
    ]


def test_period_total_is_aggregate_context() -> None:
    text = (
        "A landmine killed a shepherd near Hama on Monday. Since January, mines have killed "
        "25 people in the province, a monitor said."
    )
    evs = extract_document(text, META)
    agg = [e for e in evs if e.aggregate]
    assert len(agg) == 1 and agg[0].context and agg[0].killed is not None
    assert agg[0].killed.best == 25
    news = next(e for e in evs if not e.aggregate)
    assert news.killed is not None and news.killed.best == 1


def test_headline_figure_kept_apart() -> None:
    text = (
        "DOZENS OF SOLDIERS BLOWN UP BY MINES\n\n"
        "About a dozen soldiers were injured when mines exploded, a source said."
    )
    ev = _one(text)
    assert ev.injured is not None and ev.injured.best == 12
    assert [(r.count.best, r.role) for r in ev.reported_counts] == [(24, "headline")]


def test_a_paragraph_with_a_link_is_read() -> None:
    text = (
        "A landmine killed two farmers near Kunduz on Monday, officials said; the report "
        "is at https://example.org/report and gives more details on the case."
    )
    assert _one(text).killed is not None


def test_event_json_only_gains_fields(tmp_path: Path) -> None:
    ev = _one("A truck struck a landmine in Kandahar on Monday, killing two soldiers.")
    js = ev.to_json()
    assert {"activation", "aggregate", "reported_counts"} <= set(js)
    assert Event.from_json(js).to_json() == js
    assert re.fullmatch(r"e\d+", js["id"])
