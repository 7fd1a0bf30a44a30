"""Generated prose: one sentence per incident, and the key developments paragraph.

Sentences are plain text with the footnotes they rest on (rendering escapes
and cites them). One subject per sentence, the place with its article ("in the
Korean Demilitarized Zone", "near Musan", "in Ryanggang"), the date as a
phrase ("In late 2023", "Since August 2023", "On 7 November 2023"), an
attribution only when a named source is given, each source once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from minewatch.reportdata import Citation, IncidentView, PlaceView, counts

#: Place kinds (and name endings) that take "the": lines, zones, areas, features.
_ARTICLE_KINDS = frozenset({"zone", "border", "line", "river", "road", "peninsula", "area", "sea"})
_ARTICLE_NAMES = re.compile(
    r"(Zone|Area|Border|border|River|Road|road|crossing|Peninsula|Line|Sea|Bay|DMZ|JSA)$"
)
#: Features one is around or on, not in: "cleared around Arrowhead Hill".
_AROUND_KINDS = frozenset({"hill", "mountain", "peak"})
#: An attribution that starts with a pronoun ("its armed forces") names no one
#: without the sentence it came from.
_PRONOUN_LED = re.compile(r"^(its|their|his|her|our|this|that|these|those)\b", re.I)
VICTIM_NOUNS = {
    "civilian": "civilians",
    "military": "soldiers",
    "deminer": "deminers",
    "unknown": "people",
}
#: Attributions that only restate the publisher or a generic noun add nothing.
_WEAK_ATTRIBUTION = re.compile(
    r"^(a |another |an )?(second )?(source|sources|media source)s?$", re.I
)


@dataclass
class Sentence:
    """A generated sentence and the footnotes it rests on."""

    text: str
    refs: list[int] = field(default_factory=list)
    incidents: list[str] = field(default_factory=list)
    #: originals the secondary report's footnotes cite for it
    citations: list[Citation] = field(default_factory=list)


def place_phrase(p: PlaceView) -> str:
    """``in the Korean Demilitarized Zone``, ``near Musan``, ``along the Yalu River``."""
    rel = {"near": "near", "along": "along", "between": "between", "from": "near"}.get(
        p.relation, "in"
    )
    if rel == "in" and p.kind in ("river", "line", "road", "border"):
        rel = "along"
    if rel == "in" and p.kind in _AROUND_KINDS:
        rel = "around"  # "around Arrowhead Hill", not "in"
    name = p.name
    the = (p.kind in _ARTICLE_KINDS or bool(_ARTICLE_NAMES.search(name))) and not name.startswith(
        "the "
    )
    if p.precision == 6:  # a country: "in South Korea"
        the = False
    return f"{rel} {'the ' if the else ''}{name}"


def places_phrase(v: IncidentView) -> str:
    """The incident's places as a phrase, or empty when none is known."""
    parts = list(dict.fromkeys(place_phrase(p) for p in v.places))
    return " and ".join(parts[:2])


def when_phrase(v: IncidentView) -> str:
    """``In late 2023``, ``Since August 2023``, ``On 7 November 2023``, or empty."""
    t = v.date_text
    if t == "date unknown":
        return ""
    if t.startswith("since "):
        return "Since " + t[6:]
    if t.startswith("reported by "):
        return "By " + t[12:]
    if t.startswith(("between ", "around ")):
        return t[0].upper() + t[1:]
    if re.match(r"^\d{1,2}[ –]", t):
        return "On " + t
    return "In " + t


def lower_article(text: str) -> str:
    """``A resident in ...`` -> ``a resident in ...`` (mid-sentence); names stay."""
    return re.sub(r"^(A|An|The|Another|Some)\b", lambda m: m.group(1).lower(), text.strip())


def _attribution(v: IncidentView) -> str:
    """``, according to South Korea's military``; nothing for a generic source,
    a pronoun ("its armed forces") or a name the sentence already gives as its place."""
    places = {p.name for p in v.places}
    named = [
        a
        for a in dict.fromkeys(x.strip() for x in v.attributed_to)
        if not _WEAK_ATTRIBUTION.match(a) and not _PRONOUN_LED.match(a) and a not in places
    ]
    return f", according to {lower_article(named[0])}" if named else ""


def _people(v: IncidentView) -> str:
    noun = VICTIM_NOUNS.get(v.victims or "unknown", "people")
    role = f" ({v.victim_role}s)" if v.victim_role and not v.victim_role.endswith("s") else ""
    sp = v.split
    parts = []
    if sp.killed is not None:
        parts.append(f"killed {counts.fmt(sp.killed)}")
    if sp.injured is not None:
        parts.append(f"injured {counts.fmt(sp.injured)}")
    if sp.unsplit is not None:
        parts.append(f"killed or injured {counts.fmt(sp.unsplit)}")
    if not parts:
        return f"caused casualties among {noun}{role} (number not reported)"
    return " and ".join(parts) + f" {noun}{role}"


def _quantities(v: IncidentView) -> str:
    texts = [q.split(": ", 1)[-1] for q in v.quantities if re.search(r"\d", q)]
    return ", ".join(dict.fromkeys(texts))


def _subject(actor: str | None, fallback: str) -> str:
    return actor or fallback


def incident_sentence(v: IncidentView) -> Sentence:
    """One sentence for one incident."""
    when = when_phrase(v)
    where = places_phrase(v)
    # history recalled without a date is older than what the source dates
    lead = f"{when}, " if when else "in the past, " if v.context else ""
    may = v.status in ("possible",)
    if v.type == "emplacement":
        named = v.device_models or [d for d in v.devices if d != "unspecified mine"]
        devices = _join([d + "s" if d.endswith(("mine", "IED")) else d for d in named])
        what = devices or "mines"
        subj = _subject(v.actor, "")
        verb = "may have laid" if may else "laid"
        core = (
            f"{subj} {verb} {what}" if subj else f"{what} {'may have been' if may else 'were'} laid"
        )
    elif v.type in ("casualty", "detonation"):
        core = (
            f"a mine explosion {_people(v)}"
            if v.type == "casualty"
            else "a mine went off (casualties not reported)"
        )
    elif v.type == "clearance":
        q = _quantities(v)
        subj = _subject(v.actor, "")
        what = q or "mines"
        core = f"{subj} cleared {what}" if subj else f"{what} were cleared"
    elif v.type == "displacement":
        what = _join([m + "s" for m in v.device_models]) or "mines"
        core = (
            f"{what} may have been carried away by water"
            if may
            else f"{what} were carried away by water or landslides"
        )
        # moved into a country: "carried ... into South Korea"
        into = [p for p in v.places if p.precision == 6 and p.relation == "in"]
        if into and len(v.places) == 1:
            where = f"into {into[0].name}"
    elif v.type == "discovery":
        core = "a mine was found"
    else:  # policy: say what the statement was, not only that there was one
        # a quote that starts its sentence reads best; the longest of those
        whole = [q.text for q in v.quotes if not q.text.startswith("…")]
        quote = max(whole or [q.text for q in v.quotes], key=len, default="").strip("“”")
        if quote and v.date_text.split()[-1] in quote:
            lead = ""  # the quote gives the date itself
        # who made it, else the report that gives it: "Mine Action Review 2025 reports: “…”"
        teller = next((q.cited_in for q in v.quotes if q.cited_in), "")
        if v.actor:
            core = f"{v.actor} made a statement on mines" + (f": “{quote}”" if quote else "")
        elif quote and teller:
            core = f"{teller} {'recalls' if v.context else 'reports'}: “{quote}”"
        else:
            core = f"a statement on mines was reported{f': “{quote}”' if quote else ''}"
        where = ""
    if v.status == "claimed" and v.type != "policy":
        core = core.replace(" laid", " reportedly laid", 1) if " laid" in core else core
    text = f"{lead}{core}{' ' + where if where else ''}{_attribution(v)}"
    text += "" if text.endswith((".”", "…”", ".")) else "."
    text = text[0].upper() + text[1:]
    text = re.sub(r"\s+", " ", text).replace(" ,", ",")
    return Sentence(text, list(v.refs), [v.id], v.citations[:2])


def years_phrase(years: list[int]) -> str:
    ys = sorted(set(years))
    if not ys:
        return ""
    if len(ys) == 1:
        return str(ys[0])
    return ", ".join(str(y) for y in ys[:-1]) + f" and {ys[-1]}"


def coverage_years(
    views: list[IncidentView], generated: str, date_from: date | None, date_to: date | None
) -> list[int]:
    """Years a profile reports as news: its period if one is set, else the year
    of the latest news (not background) and the two before it, as Mine Action
    Review's annual reports cover two years and what is known of the third
    (the 2025 report: 2023-2024, some 2025). No news: the year written and the
    two before."""
    if date_from or date_to:
        a = (date_from or date(1900, 1, 1)).year
        b = (date_to or date.today()).year
        return list(range(max(a, b - 50), b + 1))
    news = [v.year for v in views if v.year is not None and not v.context]
    g = int(generated[:4]) if generated[:4].isdigit() else date.today().year
    last = min(max(news), g) if news else g
    return [last - 2, last - 1, last]


def key_developments(views: list[IncidentView], years: list[int]) -> list[Sentence]:
    """A short paragraph on what happened in ``years``: use, casualties,
    clearance, displacement and warnings, each sentence citing its sources."""
    news = [v for v in views if v.year in years and not v.context]
    out: list[Sentence] = []
    shown = years_phrase([y for y in years if any(v.year == y for v in news)] or years[:2])

    def refs(vs: list[IncidentView]) -> list[int]:
        return sorted({r for v in vs for r in v.refs})

    use = [v for v in news if v.type == "emplacement" and v.counted]
    if use:
        places = list(dict.fromkeys(p for v in use if (p := places_phrase(v))))
        actors = list(dict.fromkeys(v.actor for v in use if v.actor))
        who = actors[0] if len(actors) == 1 else "North Korea" if actors else "mines"
        verb = "laid mines" if who != "mines" else "were laid"
        where = _join(places[:4])
        out.append(
            Sentence(
                f"In {shown}, there were reports that {who} {verb} {where}.".replace("  ", " "),
                refs(use),
                [v.id for v in use],
            )
        )
    cas = [v for v in news if v.type == "casualty" and v.counted]
    if cas:
        groups = list(
            dict.fromkeys(VICTIM_NOUNS.get(v.victims or "unknown", "people") for v in cas)
        )
        places = list(dict.fromkeys(p for v in cas if (p := places_phrase(v))))
        n = len(cas)
        out.append(
            Sentence(
                f"Mine explosions were reported in {n} incident{'s' * (n != 1)} "
                f"among {_join(groups)} {_join(places[:3])}.".replace("  ", " "),
                refs(cas),
                [v.id for v in cas],
            )
        )
    clear = [v for v in news if v.type == "clearance" and v.counted]
    if clear:
        out.append(
            Sentence(
                f"Clearance was reported {_join([places_phrase(v) for v in clear][:3])}.",
                refs(clear),
                [v.id for v in clear],
            )
        )
    else:
        out.append(Sentence(f"No survey or clearance of mines was reported in {shown}."))
    moved = [v for v in news if v.type == "displacement"]
    if moved:
        possible = all(not v.counted for v in moved)
        verb = "warned that mines may have been carried" if possible else "said mines were carried"
        out.append(
            Sentence(
                f"Reports {verb} by floods {_join([places_phrase(v) for v in moved][:3])}.",
                refs(moved),
                [v.id for v in moved],
            )
        )
    return out


def _join(items: list[str]) -> str:
    items = [i for i in dict.fromkeys(items) if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"
