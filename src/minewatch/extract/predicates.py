"""Predicates on lemmas: ``rules/predicates.yaml`` lists lemmas, this module expands them.

Each lemma ("step on", "blow up", "explode") is inflected with lemminflect's tables when
the rules load ("stepped on", "blew up", "blown up", "exploding"...), and the forms become
one regex alternation, so matching stays a plain regex scan of the sentence. The forms
are cached per lemma; nothing here runs per document.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lemminflect import getAllInflections

#: Penn tags of past forms: a mine that *exploded* is an event, one that *explodes* a habit.
PAST_TAGS = ("VBD", "VBN")


@cache
def inflections(lemma: str, pos: str = "VERB") -> tuple[str, ...]:
    """Every inflected form of ``lemma`` (the lemma first); a multi-word lemma inflects
    its first word and keeps the rest ("go off" -> "went off", "gone off", ...)."""
    head, _, rest = lemma.partition(" ")
    forms = {head}
    for tag_forms in getAllInflections(head, upos=pos).values():
        forms.update(tag_forms)
    tail = f" {rest}" if rest else ""
    return tuple(sorted((f + tail for f in forms), key=lambda f: (f != lemma, f)))


@cache
def past_forms(lemma: str) -> tuple[str, ...]:
    """Past tense and participle forms of a verb lemma ("blow up" -> "blew up", "blown up")."""
    head, _, rest = lemma.partition(" ")
    forms: set[str] = set()
    infl = getAllInflections(head, upos="VERB")
    for tag in PAST_TAGS:
        forms.update(infl.get(tag, ()))
    tail = f" {rest}" if rest else ""
    return tuple(sorted(f + tail for f in forms))


def _escape(form: str) -> str:
    """A word form as a regex: spaces match any run of spaces, hyphens a hyphen or space."""
    return r"\s+".join(re.escape(w) for w in form.split())


def alternation(forms: list[str] | tuple[str, ...]) -> str:
    """One non-capturing alternation of literal forms, longest first."""
    uniq = sorted(set(forms), key=len, reverse=True)
    return "(?:" + "|".join(_escape(f) for f in uniq) + ")"


def verb_forms(lemmas: list[str]) -> list[str]:
    return [f for lem in lemmas for f in inflections(lem, "VERB")]


def noun_forms(lemmas: list[str]) -> list[str]:
    return [f for lem in lemmas for f in inflections(lem, "NOUN")]


def explosion_pattern(raw: dict[str, Any], mine_noun: str) -> str:
    """Words and clauses that say a mine went off (without a word on who was hurt)."""
    exp = raw["explosion"]
    veh = raw["vehicle_hit"]
    att = raw["attack_with"]
    simple = alternation(verb_forms(exp["verbs"]) + noun_forms(exp["nouns"]))
    hit = alternation(verb_forms(veh["verbs"]))
    # "a truck struck a landmine", "was hit by a mine": the mine is the verb's object
    vehicle = rf"{hit}(?:\s+by)?\b[^.;:!?]{{0,{int(veh['object_window'])}}}?\b{mine_noun}"
    attack = alternation(verb_forms(att["verbs"]))
    window = int(att["object_window"])
    means = alternation(att["means"])
    weapon = rf"{attack}\b[^.;:!?]{{0,{window}}}?\b{means}\s+[^.;:!?]{{0,25}}?\b{mine_noun}"
    nominal = rf"{mine_noun}\s+{alternation(noun_forms(att['nouns']))}"
    subject = _mine_subject(raw, mine_noun)
    return "|".join((vehicle, weapon, nominal, subject, _use_to_attack(raw, mine_noun), simple))


def _use_to_attack(raw: dict[str, Any], mine_noun: str) -> str:
    """ "used remote-controlled mines to attack a police station"."""
    use = raw["use_to_attack"]
    verbs = alternation([f for lem in use["verbs"] for f in past_forms(lem)])
    purpose = alternation(list(use["purposes"]))
    window = int(use["object_window"])
    return rf"{verbs}\b[^.;:!?]{{0,{window}}}?\b{mine_noun}\s+to\s+{purpose}"


def _mine_subject(raw: dict[str, Any], mine_noun: str) -> str:
    """ "a remote-controlled landmine struck a convoy": past forms after the mine noun."""
    sub = raw["mine_hit"]
    verbs = alternation([f for lem in sub["verbs"] for f in past_forms(lem)])
    return rf"{mine_noun}\b[^.;:!?]{{0,{int(sub['subject_window'])}}}?\b{verbs}"


def past_explosion_pattern(raw: dict[str, Any], mine_noun: str) -> str:
    """The explosion predicates that report a happening, not a habit or a risk: past
    forms of the verbs, a vehicle that hit a mine, an attack with mines."""
    exp = raw["explosion"]
    veh = raw["vehicle_hit"]
    att = raw["attack_with"]
    past = alternation([f for lem in exp["verbs"] for f in past_forms(lem)])
    hit = alternation([f for lem in veh["verbs"] for f in past_forms(lem)])
    vehicle = rf"{hit}(?:\s+by)?\b[^.;:!?]{{0,{int(veh['object_window'])}}}?\b{mine_noun}"
    attack = alternation([f for lem in att["verbs"] for f in past_forms(lem)])
    window = int(att["object_window"])
    means = alternation(att["means"])
    weapon = rf"{attack}\b[^.;:!?]{{0,{window}}}?\b{means}\s+[^.;:!?]{{0,25}}?\b{mine_noun}"
    nominal = (
        rf"(?:a|an|the|two|three|several)\s+(?:[\w-]+\s+){{0,2}}?{mine_noun}\s+"
        + alternation(noun_forms(att["nouns"]))
    )
    subject = _mine_subject(raw, mine_noun)
    return "|".join((vehicle, weapon, nominal, subject, _use_to_attack(raw, mine_noun), past))


def treaty_action_pattern(raw: dict[str, Any]) -> str:
    """ "leave the Ottawa Convention", "a State Party to the treaty": a state acting on the
    mine-ban treaty (a policy trigger that needs no mine noun)."""
    ta = raw["treaty_action"]
    action = "|".join([alternation(verb_forms(ta["verbs"])), *ta["words"]])
    treaty = "|".join(f"(?:{t})" for t in ta["treaties"])
    return rf"(?:{action})\b[^.;:!?]{{0,{int(ta['object_window'])}}}?\b(?:{treaty})"


def cue_pattern(raw: dict[str, Any]) -> str:
    """Verb lemmas (inflected) and regex words of one cue list, as one alternation."""
    parts = list(raw.get("words") or [])
    verbs = raw.get("verbs") or []
    if verbs:
        parts.append(alternation(verb_forms(verbs)))
    return "|".join(f"(?:{p})" for p in parts) if parts else r"(?!x)x"
