"""Integrity of the extraction rules (YAML under src/minewatch/extract/rules)."""

from __future__ import annotations

import re

import pytest
from text_to_num import text2num

from minewatch.extract.rules import RULE_FILES, RULES_DIR, compile_rules, load_rules, read_raw
from minewatch.model import DEVICES, VICTIM_GROUPS

# DESIGN.md, "Numbers: unknown is not zero"
DESIGN_VAGUE = {
    "a few": (2, 3, 4),
    "several": (3, 3, 9),
    "dozens": (24, 24, 99),
    "hundreds": (200, 200, 999),
    "multiple": (2, None, None),
    "many": (2, None, None),
    "numerous": (2, None, None),
    "a number of": (2, None, None),
}


def test_every_rules_file_is_present_and_compiles() -> None:
    for name in RULE_FILES:
        assert (RULES_DIR / name).is_file(), name
    rules = compile_rules(read_raw())
    assert rules.window > 0 and rules.status_window > 0


def test_vague_quantities_follow_design() -> None:
    rules = load_rules()
    for words, expected in DESIGN_VAGUE.items():
        assert rules.vague[words] == expected, words
    for words, (low, best, high) in rules.vague.items():
        assert low >= 1, words
        assert best is None or best >= low, words
        assert high is None or high >= (best or low), words


def test_number_words_are_positive_integers() -> None:
    rules = load_rules()
    units = rules.number_units
    assert units["half a dozen"] == 6 and units["a dozen"] == 12
    assert all(isinstance(v, int) and v > 0 for v in units.values())
    # every number word and scale is one text2num reads, with the value the YAML says
    assert all(text2num(w, "en") >= 0 for w in rules.number_words)
    assert {w: text2num(w, "en") for w in rules.number_scales} == rules.number_scales
    assert rules.max_people >= 100_000  # decades of a country's casualties stay countable


def test_devices_and_victims_use_the_shared_vocabulary() -> None:
    rules = load_rules()
    assert {d.device for d in rules.devices} <= set(DEVICES)
    groups = {v.group for v in rules.victim_nouns + rules.role_cues}
    assert groups <= {*VICTIM_GROUPS, None}


def test_units_normalise_with_positive_factors() -> None:
    rules = load_rules()
    dims = {u.dimension for u in rules.units}
    assert dims == {"length", "area", "mass"}
    assert all(u.factor > 0 for u in rules.units)
    for u in rules.units:
        re.compile(u.pattern)


def test_month_and_year_parts_are_in_range() -> None:
    rules = load_rules()
    assert sorted(set(rules.months.values())) == list(range(1, 13))
    for a, b in rules.month_parts.values():
        assert 1 <= a <= b <= 31
    for a, b in rules.year_parts.values():
        assert 1 <= a <= b <= 12


@pytest.mark.parametrize(
    "phrase",
    ["a coal mine", "gold mine", "a friend of mine", "a political minefield", "mine workers"],
)
def test_false_friends_cover_the_classic_traps(phrase: str) -> None:
    assert load_rules().false_friend.search(phrase), phrase


def test_a_broken_pattern_is_refused() -> None:
    raw = read_raw()
    raw["triggers"]["explosion"] = ["explo(ded"]
    with pytest.raises(re.error):
        compile_rules(raw)


def _extract_sources() -> str:
    pkg = RULES_DIR.parent
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(pkg.glob("*.py")))


def test_every_clause_shape_is_used_and_every_used_one_exists() -> None:
    clauses = load_rules().clauses
    src = _extract_sources()
    used = set(re.findall(r'(?:\bc|clauses)\["(\w+)"\]', src))
    assert used, "no clause is read: the test no longer sees the code"
    assert used <= set(clauses), sorted(used - set(clauses))
    unread = sorted(set(clauses) - used)
    assert unread == [], f"clauses.yaml entries nothing reads: {unread}"


def test_every_window_is_used() -> None:
    src = _extract_sources()
    unused = [k for k in load_rules().windows if f'"{k}"' not in src]
    assert unused == [], unused


def test_a_case_sensitive_name_must_be_a_clause() -> None:
    raw = read_raw()
    raw["clauses"]["case_sensitive"] = ["no_such_clause"]
    with pytest.raises(ValueError, match="no_such_clause"):
        compile_rules(raw)


def test_clause_shapes_read_what_they_say() -> None:
    c = load_rules().clauses
    assert c["passive_gap"].search("The mines were reportedly ")
    assert c["water"].search("after the heavy rains")
    assert not c["people"].search("mines shifted by the flood")
    assert c["anaphor"].match("The blast killed him.")
    assert not c["anaphor"].match("the blast")  # case-sensitive: a sentence start only
