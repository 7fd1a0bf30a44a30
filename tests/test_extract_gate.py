"""Gates (extract/gate.py) must never hide a match: whenever a pattern matches a text, its
gate passes on the lower-cased text. Checked on strings generated from each pattern."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minewatch.extract import mentions, text
from minewatch.extract.dates import DateFinder
from minewatch.extract.gate import _EXOTIC, Gate, literals, lowered, trie_pattern
from minewatch.extract.mentions import MentionFinder
from minewatch.extract.rules import load_rules


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    rules = load_rules()
    out: list[tuple[str, re.Pattern[str]]] = []
    for name in ("mine_noun", "false_friend", "explosion", "non_mine_cause", "mine_cause"):
        out.append((name, getattr(rules, name)))
    for name in ("not_event_sentence", "policy_cue", "context", "report_verbs"):
        out.append((name, getattr(rules, name)))
    for name in ("new_event", "new_event_after"):
        out.append((name, getattr(rules, name)))
    for group in ("type_verbs", "self_contained", "harm", "status"):
        out += [(f"{group}.{k}", p) for k, p in getattr(rules, group).items()]
    out += [(f"attribution.{i}", p) for i, p in enumerate(rules.attribution)]
    finder = MentionFinder(rules)
    out += [("device_re", finder.device_re), ("victim_re", finder.victim_re)]
    out += [(f"dates.{k}", p) for k, p in DateFinder(rules).patterns]
    out += [(f"period.{i}", p.pattern) for i, p in enumerate(rules.periods)]
    out += [("_AREA_CLEAR", mentions._AREA_CLEAR), ("_INCIDENT", mentions._INCIDENT)]
    return [(n, p) for n, p in out if literals(p) is not None]


PATTERNS = _patterns()


def test_most_rule_patterns_have_a_gate() -> None:
    assert len(PATTERNS) >= 40


@pytest.mark.parametrize("name,pattern", PATTERNS, ids=[n for n, _ in PATTERNS])
def test_gate_never_hides_a_match(name: str, pattern: re.Pattern[str]) -> None:
    gate = Gate(pattern)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern), st.text(max_size=20))
    def check(s: str, pad: str) -> None:
        padded = pad + " " + s
        if pattern.search(padded):
            s = padded  # text before the match moves the offsets
        m = pattern.search(s)
        assert m is not None
        assert gate.may_match(s, lowered(s), 0, len(s)), (name, s)
        # with offsets, as the extractor calls it
        assert gate.may_match(s, lowered(s), m.start(), m.end()), (name, s)

    check()


def test_gate_says_no_when_no_literal() -> None:
    rules = load_rules()
    gate = Gate(rules.type_verbs["emplacement"])
    text = "Five soldiers were wounded near the border."
    assert not gate.may_match(text, lowered(text))
    assert gate.may_match("Troops LAID mines.", lowered("Troops LAID mines."))
    # no lower-cased text (dotless i in it): a case-insensitive pattern always runs
    assert gate.may_match("Fıve soldiers", None)
    months = Gate(re.compile(r"(?:May|June) \d+"), min_literal=2)
    assert not months.fold
    assert not months.may_match("It may rain", None)  # case-sensitive: the text itself
    assert months.may_match("On June 4", None)


def test_literals_of_small_patterns() -> None:
    assert literals(re.compile(r"la(?:y|ys|id|ying)")) == {"lay", "laid"}
    assert literals(re.compile(r"(?<![\w-])mines?(?![\w])", re.I)) == {"mine"}
    assert literals(re.compile(r"(?i)[Ss]peaking to \w+")) == {"speaking to "}
    assert literals(re.compile(r"[Ss]peaking to \w+")) == {"Speaking to ", "speaking to "}
    assert literals(re.compile(r"\d+ km")) == {" km"}
    assert literals(re.compile(r"\d+ m")) is None  # " m" is too short to be worth it
    assert literals(re.compile(r"coal|x")) is None  # one alternative has no literal
    assert literals(re.compile(r"(?:wooden )?box")) == {"box"}
    assert literals(re.compile(r"(?:mine)*field")) == {"field"}


def test_trie_pattern_finds_each_string() -> None:
    words = {"coal mine", "copper mine", "gold mine", "miner"}
    pat = re.compile(trie_pattern(words))
    for w in words:
        assert pat.search(f"the {w} here")
    assert not pat.search("the coal field")


def test_exotic_characters_are_the_only_case_folding_surprises() -> None:
    """An ASCII literal under IGNORECASE matches a character whose lower case differs
    only for the characters in _EXOTIC, and only U+0130 changes length when lowered."""
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    odd: set[str] = set()
    for i in range(32, 127):
        p = chr(i)
        odd |= {c for c in re.findall(re.escape(p), every, re.I) if c.lower() != p.lower()}
    odd |= {c for c in every if len(c.lower()) != 1}
    assert odd == set(_EXOTIC.pattern[1:-1])
    assert lowered("Bıg MİNE") is None
    assert lowered("Big MINE") == "big mine"


def test_reference_literals_cover_the_reference_regex() -> None:
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(text._REFERENCE_ANY))
    def check(s: str) -> None:
        assert any(lit in s for lit in text._REFERENCE_LITERALS)

    check()
