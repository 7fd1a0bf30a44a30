"""Load the extraction rules (YAML under ``extract/rules/``) into compiled patterns.

The YAML files hold words (triggers, number words, units, cues, false friends);
this module turns them into regular expressions once, so extraction itself is
plain regex work. ``load_rules()`` is cached; pass another directory to try
modified rules without touching the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from minewatch.extract import predicates as pred

RULES_DIR = Path(__file__).with_name("rules")
RULE_FILES = (
    "triggers.yaml",
    "numbers.yaml",
    "devices.yaml",
    "units.yaml",
    "cues.yaml",
    "false_friends.yaml",
    "victims.yaml",
    "times.yaml",
    "predicates.yaml",
    "windows.yaml",
    "clauses.yaml",
)
FLAGS = re.IGNORECASE


def _alt(items: list[str]) -> str:
    """One non-capturing alternation, longest first so regex prefers long forms."""
    return "(?:" + "|".join(sorted(items, key=len, reverse=True)) + ")"


#: Left edge of every word pattern: not inside a word or a hyphenated compound.
WORD_LEFT = r"(?<![\w-])"


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(WORD_LEFT + "(?:" + pattern + r")(?![\w])", FLAGS)


@dataclass(frozen=True)
class VictimNoun:
    pattern: re.Pattern[str]
    group: str | None
    role: str | None


@dataclass(frozen=True)
class DeviceRule:
    pattern: re.Pattern[str]
    device: str
    model: str | None


@dataclass(frozen=True)
class UnitRule:
    pattern: str
    factor: float
    dimension: str  # length | area | mass


@dataclass(frozen=True)
class Period:
    pattern: re.Pattern[str]
    start: str
    end: str


@dataclass(frozen=True)
class Rules:
    """Compiled rules. Built by :func:`load_rules`; treat as read-only."""

    raw: dict[str, Any]
    mine_noun: re.Pattern[str]
    explosion: re.Pattern[str]
    document_gate: tuple[str, ...]
    explosion_past: re.Pattern[str]
    windows: dict[str, int]
    activation: dict[str, re.Pattern[str]]
    gate: re.Pattern[str]
    harm: dict[str, re.Pattern[str]]
    type_verbs: dict[str, re.Pattern[str]]
    self_contained: dict[str, re.Pattern[str]]
    clearance_not_event_after: re.Pattern[str]
    policy_cue: re.Pattern[str]
    window: int
    false_friend: re.Pattern[str]
    non_mine_cause: re.Pattern[str]
    mine_cause: re.Pattern[str]
    status: dict[str, re.Pattern[str]]
    status_window: int
    negation_before: re.Pattern[str]
    negation_after: re.Pattern[str]
    negation_window: int
    not_event_sentence: re.Pattern[str]
    new_event: re.Pattern[str]
    new_event_after: re.Pattern[str]
    context: re.Pattern[str]
    aggregate: re.Pattern[str]
    zero_harm: dict[str, re.Pattern[str]]
    revision: re.Pattern[str]
    generic_harm_nouns: re.Pattern[str]
    generic_present: re.Pattern[str]
    aggregate_window: int
    aggregate_min_days: int
    aggregate_min_count: int
    report_verbs: re.Pattern[str]
    attribution: tuple[re.Pattern[str], ...]
    attribution_hints: tuple[re.Pattern[str] | None, ...]
    number_units: dict[str, int]
    number_words: tuple[str, ...]
    number_scales: dict[str, int]
    max_people: int
    vague: dict[str, tuple[int, int | None, int | None]]
    modifiers: dict[str, tuple[str, ...]]
    devices: tuple[DeviceRule, ...]
    units: tuple[UnitRule, ...]
    quantity_kinds: tuple[tuple[str, re.Pattern[str]], ...]
    victim_nouns: tuple[VictimNoun, ...]
    victim_noun_any: str
    role_cues: tuple[VictimNoun, ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    month_parts: dict[str, tuple[int, int]]
    reported_days: int
    coverage: dict[str, Any]
    admission: re.Pattern[str]
    admission_bridge: re.Pattern[str]
    year_parts: dict[str, tuple[int, int]]
    periods: tuple[Period, ...]
    clauses: dict[str, re.Pattern[str]]
    displacement_motion: re.Pattern[str]  # a motion verb: displacement when water moves


def read_raw(rules_dir: Path = RULES_DIR) -> dict[str, Any]:
    """Read every rules file into one dict keyed by file stem."""
    raw: dict[str, Any] = {}
    for name in RULE_FILES:
        with (rules_dir / name).open(encoding="utf-8") as fh:
            raw[name.rsplit(".", 1)[0]] = yaml.safe_load(fh)
    return raw


def compile_rules(raw: dict[str, Any]) -> Rules:
    """Compile raw YAML data into :class:`Rules` (raises on a bad pattern)."""
    trg = raw["triggers"]
    ff = raw["false_friends"]
    cues = raw["cues"]
    num = raw["numbers"]
    dev = raw["devices"]
    un = raw["units"]
    vic = raw["victims"]
    tm = raw["times"]
    pr = raw["predicates"]
    mine_alt = _alt(trg["mine_nouns"])
    motion = pred.alternation(pred.verb_forms(pr["displacement_motion"]["verbs"]))
    extra_verbs = {
        "displacement": [motion],
        "clearance": [pred.alternation(pred.verb_forms(pr["clearance"]["verbs"]))],
    }
    harm_words = {k: list(v) for k, v in trg["harm"].items()}
    for kind, extra in pr["harm"].items():
        harm_words.setdefault(kind, []).append(pred.cue_pattern(extra))

    units: list[UnitRule] = []
    for dim in ("area", "length", "mass"):  # area first: "km2" must not read as "km"
        for u in un[dim]:
            units.append(UnitRule(u["pattern"], float(u["factor"]), dim))
    victim_nouns = tuple(
        VictimNoun(_words(v["pattern"]), v.get("group"), v.get("role")) for v in vic["nouns"]
    )
    return Rules(
        raw=raw,
        mine_noun=_words(mine_alt),
        document_gate=tuple(str(w).lower() for w in trg["document_gate"]),
        explosion=_words(_alt(trg["explosion"]) + "|" + pred.explosion_pattern(pr, mine_alt)),
        explosion_past=_words(pred.past_explosion_pattern(pr, mine_alt)),
        windows={str(k): int(v) for k, v in raw["windows"].items()},
        activation={k: _words(pred.cue_pattern(v)) for k, v in pr["activation"].items()},
        # cheap per-sentence gate: no stem of any mine word, no event
        # (matched on lower-cased sentences: case-sensitive alternations are much faster)
        gate=re.compile("|".join(re.escape(str(w).lower()) for w in trg["sentence_gate"])),
        harm={k: _words(_alt(v)) for k, v in harm_words.items()},
        # the listed words first ("carried away"), then the motion verbs ("carried")
        type_verbs={
            k: _words(_alt(v) + "".join(f"|{x}" for x in extra_verbs.get(k, ())))
            for k, v in trg["types"].items()
        },
        self_contained={
            k: _words(_alt(v))
            for k, v in _merge(
                trg["self_contained"], {"policy": [pred.treaty_action_pattern(pr)]}
            ).items()
        },
        clearance_not_event_after=re.compile(
            r"^\s*(?:\w+\s+)?" + trg["clearance_not_event_after"], FLAGS
        ),
        policy_cue=_words(_alt(trg["policy_cues"])),
        window=int(trg["window_chars"]),
        false_friend=_words(_alt(ff["mine_not_landmine"])),
        non_mine_cause=_words(_alt(ff["non_mine_causes"])),
        mine_cause=_words(ff["mine_cause"]),
        status={k: _words(_alt(v)) for k, v in cues["status"].items()},
        status_window=int(cues["status_window"]),
        negation_before=re.compile(cues["negation_before"], FLAGS),
        negation_after=re.compile(cues["negation_after"], FLAGS),
        negation_window=int(cues["negation_window"]),
        not_event_sentence=re.compile(cues["not_event_sentence"], FLAGS),
        new_event=re.compile(cues["new_event"], FLAGS),
        new_event_after=re.compile(cues["new_event_after"], FLAGS),
        context=re.compile(cues["context"], FLAGS),
        aggregate=re.compile(cues["aggregate"], FLAGS),
        zero_harm={k: re.compile(v, FLAGS) for k, v in cues["zero_harm"].items()},
        revision=re.compile(cues["revision"], FLAGS),
        generic_harm_nouns=re.compile(cues["generic_harm_nouns"], FLAGS),
        generic_present=re.compile(cues["generic_present"], FLAGS),
        aggregate_window=int(cues["aggregate_window"]),
        aggregate_min_days=int(cues["aggregate_min_days"]),
        aggregate_min_count=int(cues["aggregate_min_count"]),
        report_verbs=re.compile(cues["report_verbs"], FLAGS),
        attribution=tuple(re.compile(a["pattern"]) for a in cues["attribution"]),
        attribution_hints=tuple(
            re.compile(a["hint"]) if a.get("hint") else None for a in cues["attribution"]
        ),
        number_units={str(k).lower(): int(v) for k, v in num["units"].items()},
        number_words=tuple(str(w).lower() for w in num["words"]),
        number_scales={str(k).lower(): int(v) for k, v in num["scales"].items()},
        max_people=int(num["max_people"]),
        vague={
            str(k).lower(): (int(v["low"]), v.get("best"), v.get("high"))
            for k, v in num["vague"].items()
        },
        modifiers={k: tuple(v) for k, v in num["modifiers"].items()},
        devices=tuple(
            [DeviceRule(_words(d["pattern"]), d["device"], d.get("model")) for d in dev["models"]]
            + [DeviceRule(_words(d["pattern"]), d["device"], None) for d in dev["classes"]]
        ),
        units=tuple(units),
        quantity_kinds=tuple((k["kind"], re.compile(k["pattern"], FLAGS)) for k in un["kinds"]),
        victim_nouns=victim_nouns,
        victim_noun_any=_alt([v["pattern"] for v in vic["nouns"]]),
        role_cues=tuple(
            VictimNoun(re.compile(v["pattern"], FLAGS), v.get("group"), v.get("role"))
            for v in vic["role_cues"]
        ),
        months={str(k).lower(): int(v) for k, v in tm["months"].items()},
        weekdays={str(k).lower(): int(v) for k, v in tm["weekdays"].items()},
        month_parts={str(k): (int(v[0]), int(v[1])) for k, v in tm["month_parts"].items()},
        reported_days=int(tm["reported_days"]),
        coverage=dict(tm["coverage"]),
        admission=re.compile(tm["admission"]["verb"], re.IGNORECASE),
        admission_bridge=re.compile(tm["admission"]["bridge"], re.IGNORECASE),
        year_parts={str(k): (int(v[0]), int(v[1])) for k, v in tm["year_parts"].items()},
        periods=tuple(
            Period(_words(p["pattern"]), str(p["start"]), str(p["end"])) for p in tm["periods"]
        ),
        clauses=_clauses(raw["clauses"]),
        displacement_motion=_words(motion),
    )


def _merge(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    """Two maps of pattern lists, each key's lists joined."""
    return {k: list(a.get(k, [])) + list(b.get(k, [])) for k in {**a, **b}}


def _clauses(raw: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    """clauses.yaml: a string is a regex (case-insensitive unless listed under
    ``case_sensitive``), a list a word alternation."""
    sensitive = set(raw.get("case_sensitive") or ())
    out: dict[str, re.Pattern[str]] = {}
    for name, value in raw.items():
        if name == "case_sensitive":
            continue
        if isinstance(value, list):
            out[name] = _words(_alt([str(v) for v in value]))
        else:
            out[name] = re.compile(str(value), 0 if name in sensitive else FLAGS)
    unknown = sensitive - set(out)
    if unknown:
        raise ValueError(f"clauses.yaml: case_sensitive names no clause: {sorted(unknown)}")
    return out


@cache
def _load(rules_dir: str) -> Rules:
    return compile_rules(read_raw(Path(rules_dir)))


def load_rules(rules_dir: Path | str | None = None) -> Rules:
    """The compiled rules from ``rules_dir`` (default: the packaged rules), cached."""
    return _load(str(Path(rules_dir) if rules_dir else RULES_DIR))
