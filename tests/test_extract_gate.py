"""Gates (extract/gate.py) must never hide a match: whenever a pattern matches a text, its
gate passes on the lower-cased text. Checked on strings generated from each pattern."""

from __future__ import annotations

import random
import re
import sys
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minewatch.extract import text
from minewatch.extract.dates import DateFinder
from minewatch.extract.gate import _EXOTIC, Gate, fold_pattern, literals, lowered, trie_pattern
from minewatch.extract.mentions import EventMentionFinder
from minewatch.extract.rules import load_rules


def _all_patterns() -> list[tuple[str, re.Pattern[str]]]:
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
    finder = EventMentionFinder(rules)
    out += [("device_re", finder.device_re), ("victim_re", finder.victim_re)]
    out += [(f"dates.{k}", p) for k, p in DateFinder(rules).patterns]
    out += [(f"period.{i}", p.pattern) for i, p in enumerate(rules.periods)]
    out += [(f"clauses.{k}", p) for k, p in rules.clauses.items()]
    out += [("counts", finder.counts.pattern), ("quantities", finder.quantities.pattern)]
    out += [(f"role_cue.{i}", c.pattern) for i, c in enumerate(rules.role_cues)]
    out += [(f"victim_noun.{i}", v.pattern) for i, v in enumerate(rules.victim_nouns)]
    return out


ALL = _all_patterns()
PATTERNS = [(n, p) for n, p in ALL if literals(p) is not None]
FOLDABLE = [(n, p) for n, p in ALL if fold_pattern(p) is not None]


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


def test_most_case_insensitive_patterns_fold() -> None:
    assert len(FOLDABLE) >= 40
    assert fold_pattern(re.compile("May")) is None  # case-sensitive: nothing to fold
    assert fold_pattern(re.compile(r"(?i)a(?-i:B)")) is None  # mixed case sensitivity


@pytest.mark.parametrize("name,pattern", FOLDABLE, ids=[n for n, _ in FOLDABLE])
def test_folded_pattern_finds_the_same_spans(name: str, pattern: re.Pattern[str]) -> None:
    folded = fold_pattern(pattern)
    assert folded is not None

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern), st.text(max_size=20), st.randoms(use_true_random=False))
    def check(s: str, pad: str, rnd: random.Random) -> None:
        # upper-case some characters (the generated match is often lower case)
        s = "".join(
            c.upper() if rnd.random() < 0.4 and len(c.upper()) == 1 else c for c in pad + " " + s
        )
        low = lowered(s)
        if low is None:
            return
        want = [(m.regs, m.lastgroup) for m in pattern.finditer(s)]
        assert want == [(m.regs, m.lastgroup) for m in folded.finditer(low)], (name, s)
        a = len(pad) // 2  # with a start and end position, as the dates use it
        want = [m.regs for m in pattern.finditer(s, a, len(s) - 1)]
        assert want == [m.regs for m in folded.finditer(low, a, len(s) - 1)], (name, s)

    check()


@cache
def _every_character() -> str:
    return "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)


@cache
def _every_lowered() -> str:
    """Each character's lower case, one character each (the first of a longer one)."""
    return "".join(c.lower()[0] for c in _every_character())


def test_folding_is_exact_for_the_characters_patterns_use() -> None:
    """An ASCII letter under IGNORECASE matches every character that lower-cases to
    it; a non-ASCII literal of a folded pattern matches only itself, and only it
    lower-cases to it; \\w, \\d, \\s and newlines keep their class when lower-cased."""
    every, low = _every_character(), _every_lowered()

    def lowers_to(q: str) -> set[str]:
        return {every[m.start()] for m in re.finditer(re.escape(q), low)} - set(_EXOTIC.pattern)

    for p in "abcdefghijklmnopqrstuvwxyz":
        assert lowers_to(p) <= set(re.findall(p, every, re.I))
    non_ascii: set[str] = set()
    for _, pat in FOLDABLE:
        non_ascii |= {c for c in pat.pattern if ord(c) >= 128}
    assert non_ascii  # dashes, quotes, ²
    for q in non_ascii:
        assert re.findall(re.escape(q), every, re.I) == [q]
        assert lowers_to(q) == {q}
    exotic = {i for i, c in enumerate(every) if c in _EXOTIC.pattern}
    for cls in (r"\w", r"\d", r"\s", r"\n"):
        pat = re.compile(cls)
        here = {m.start() for m in pat.finditer(every)}
        lowered_here = {m.start() for m in pat.finditer(_every_lowered())}
        assert here ^ lowered_here <= exotic


def test_counts_read_the_same_from_the_folded_pattern() -> None:
    """Count phrases are read from folded matches on the lower-cased sentence."""
    finder = EventMentionFinder(load_rules())
    folded = fold_pattern(finder.counts.pattern)
    assert folded is not None

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(finder.counts.pattern), st.randoms(use_true_random=False))
    def check(s: str, rnd: random.Random) -> None:
        s = "".join(c.upper() if rnd.random() < 0.4 and len(c.upper()) == 1 else c for c in s)
        low = lowered(s)
        if low is None:
            return
        want = [finder.counts.read(m) for m in finder.counts.pattern.finditer(s)]
        assert want == [finder.counts.read(m) for m in folded.finditer(low)], s

    check()
    every, low = _every_character(), _every_lowered()
    assert all(len(c.lower()) == 1 for c in every if c not in _EXOTIC.pattern)
    assert low.lower() == low  # lower-casing twice changes nothing


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
    every = _every_character()
    odd: set[str] = set()
    for i in range(32, 127):
        p = chr(i)
        odd |= {c for c in re.findall(re.escape(p), every, re.I) if c.lower() != p.lower()}
    odd |= {c for c in every if len(c.lower()) != 1}
    assert odd == set(_EXOTIC.pattern[1:-1])
    assert lowered("Bıg MİNE") is None
    assert all(lowered(f"a mine {c} here") is None for c in _EXOTIC.pattern[1:-1])
    assert lowered("Big MINE") == "big mine"


def test_reference_literals_cover_the_reference_regex() -> None:
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(text._REFERENCE_ANY))
    def check(s: str) -> None:
        assert any(lit in s for lit in text._REFERENCE_LITERALS)

    check()
