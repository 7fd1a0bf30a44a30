"""Event extraction: one document's text -> the landmine events it reports.

Plain rules, no model: sentences are split by regex, triggers (laying, clearing,
floating, finding, harm words) must sit near a mine noun that is not a false
friend (coal mine, "a minefield of rules", the pronoun), and every field is read
from the sentence of its trigger, with an evidence span. Words live in YAML
under ``extract/rules``; see ``rules.py``.

Example::

    from minewatch.extract import extract_document
    from minewatch.model import DocumentMeta
    events = extract_document(text, DocumentMeta(id="sha256:..", input_id="a.txt",
                                                 published="2023-11-07"))
"""

from __future__ import annotations

import re
from bisect import bisect_right

from minewatch.extract.anchors import (
    bind_following_times,
    find_dateline,
    lead_anchor,
    time_regions,
)
from minewatch.extract.background import CoverageFinder, RecallFinder, admissions
from minewatch.extract.dates import DateFinder, parse_published
from minewatch.extract.events import Assembler, Draft, build_event, split_parties
from minewatch.extract.mentions import EventMentionFinder, Mention
from minewatch.extract.places import (
    Geoparser,
    PlaceAnchors,
    PlaceFinder,
    country_wide,
    place_anchors,
    resolve_geoparser,
)
from minewatch.extract.rules import Rules, load_rules
from minewatch.extract.text import Sentence, split_sentences
from minewatch.extract.tolls import TollBinder
from minewatch.model import DocumentMeta, Event, Place

EXTRACTOR_VERSION = "minewatch-extract/1"


def _screened_out(text: str, stems: tuple[str, ...]) -> bool:
    """True when no stem of a mine word (rules/triggers.yaml ``document_gate``) is in the
    lower-cased text: such a document cannot hold an event. Substring tests on the
    lower-cased text, because one case-insensitive regex scan of a whole article costs
    ten times more, and most news never mentions a mine."""
    low = text.lower()
    return not any(s in low for s in stems)


_YEAR = re.compile(r"(?<![\d,.])((?:1[89]|20)\d\d)(?![\d,])")
# The same matches, with the look-behind moved after the first two digits so that the
# pattern starts with a character set (the engine then skips to the 1s and 2s).
_YEAR_SCAN = re.compile(r"((?:1[89]|20)(?<![\d,.]..)\d\d)(?![\d,])")
_PREP = re.compile(
    r"(?i)^(?:in|near|at|along|around|from|on|into|across|outside|inside|of|between)\b"
)
_VERB_AFTER = re.compile(
    r"\s+(?:has|have|had|said|says|is|was|announced|accused|denied|will|would|claimed|"
    r"reported|warned|stated|insists?|blamed|rejected|confirmed)\b"
)


_POSSESSIVE_AFTER = re.compile(
    r"['’]s\s+(?:accusation|claims?|allegations?|statement|military|army|government|forces|"
    r"troops|decision|position|denial|response|defen[cs]e ministry|ministry|officials?)\b"
)


_COUNTRY_WIDE = frozenset({"emplacement", "policy"})


def _fallback_places(
    text: str,
    drafts: list[Draft],
    sents: list[Sentence],
    places: list[Place],
    anchors: PlaceAnchors,
) -> None:
    """An event whose sentences name no place takes the provinces named next to it: the
    sentence before or after in its paragraph, else the place of the lead before it or
    the document's only province, else the dateline's place (see ``place_anchors``)."""
    admin_all = [p for p in places if p.admin1 and p.precision <= 4 and p.start is not None]
    wide_sents: dict[int, bool] = {}

    def _wide(m: Mention) -> bool:
        hit = wide_sents.get(m.sent.index)
        if hit is None:
            hit = wide_sents[m.sent.index] = country_wide(text, m.sent, places)
        return hit

    for d in drafts:
        wide = [m for m in d.mentions if _wide(m)]
        for m in wide:  # a country-wide figure is placed by its country alone
            m.places = [p for p in m.places if p.precision >= 6]
        if len(wide) == len(d.mentions):
            continue
        named = [p for m in d.mentions for p in m.places]
        # a blast placed by its country alone ("in southern Somalia", "the Myanmar
        # military") still takes the province named next to it in that country, never the
        # dateline's; a period total, an allegation, mine laying or a policy (whose country
        # is mostly the actor's) keeps its country
        vague = d.context or d.status in ("claimed", "denied") or d.type in _COUNTRY_WIDE
        if any(p.precision <= 5 for p in named) or (named and vague) or d.context:
            continue
        countries = {p.country for p in named if p.country}
        admin = [p for p in admin_all if not countries or p.country in countries]
        provinces = {p.admin1 for p in admin}
        near: list[Place] = []
        for m in d.mentions:
            for s in sents[max(0, m.sent.index - 1) : m.sent.index + 2]:
                if s.para != m.sent.para:
                    continue
                near += [p for p in admin if s.start <= (p.start or -1) < s.end]
        lead = anchors.place_for(d.mentions[0].sent.start)
        if not near and lead is not None and lead not in anchors.datelines:
            near = [lead]
        if not near and len(provinces) == 1:
            near = admin[:1]
        if not near and lead is not None and not named:
            near = [lead]
        if near:
            d.mentions[0].places = [*near[:1], *d.mentions[0].places]


def _metonym(text: str, p: Place) -> bool:
    """A capital used for its government ("Pyongyang has intensified ...") is not a place."""
    if p.end is None or _PREP.match(p.text or ""):
        return False
    pos = p.end - 2 if re.search(r"['’]s$", p.text or "") else p.end
    if _POSSESSIVE_AFTER.match(text, pos):
        return True  # "Seoul's accusation"
    return p.precision <= 2 and _VERB_AFTER.match(text, p.end) is not None


def _year_anchors(
    text: str, para_starts: list[int], regions: list[tuple[int, int]]
) -> list[int | None]:
    """For each region, the last year written in its paragraph before it: the last match
    of ``_YEAR.findall(text, paragraph_start, region_start)``, found in linear time (one
    scan of the text, then a binary search per region) so long paragraphs stay fast."""
    if not regions:
        return []
    firsts = [
        para_starts[k - 1] if k else 0 for k in (bisect_right(para_starts, lo) for lo, _ in regions)
    ]
    # every match between the first paragraph start and the last region (years never
    # overlap, so this one scan holds every match of each region's own scan)
    full = [
        (m.start(), int(m.group(1)))
        for m in _YEAR_SCAN.finditer(text, min(firsts), max(lo for lo, _ in regions))
    ]
    starts = [s for s, _ in full]
    out: list[int | None] = []
    for (lo, _), ps in zip(regions, firsts, strict=True):
        # A year ending exactly at ``lo`` matches when the text is cut there even if a digit
        # follows (a longer scan rejects it); a year is 4 characters long.
        cut = _YEAR.match(text, lo - 4, lo) if lo - 4 >= ps else None
        if cut is not None:
            out.append(int(cut.group(1)))
            continue
        i = bisect_right(starts, lo - 4) - 1  # the last match ending by ``lo``
        out.append(full[i][1] if i >= 0 and full[i][0] >= ps else None)
    return out


__all__ = [
    "EXTRACTOR_VERSION",
    "Geoparser",
    "PlaceFinder",
    "extract_document",
    "load_rules",
]


_ENGINES: dict[int, tuple[Rules, DateFinder, EventMentionFinder]] = {}


def _engine(rules: Rules) -> tuple[DateFinder, EventMentionFinder]:
    hit = _ENGINES.get(id(rules))
    if hit is None or hit[0] is not rules:
        hit = (rules, DateFinder(rules), EventMentionFinder(rules))
        _ENGINES[id(rules)] = hit
    return hit[1], hit[2]


_COVERAGE: dict[int, tuple[Rules, CoverageFinder]] = {}
_RECALL: dict[int, tuple[Rules, RecallFinder]] = {}


def recalls(rules: Rules) -> RecallFinder:
    """The recalled-incident marker compiled for ``rules`` (kept per rules object)."""
    hit = _RECALL.get(id(rules))
    if hit is None or hit[0] is not rules:
        hit = _RECALL[id(rules)] = (rules, RecallFinder(rules))
    return hit[1]


def coverages(rules: Rules) -> CoverageFinder:
    """The coverage-period finder compiled for ``rules`` (kept per rules object)."""
    hit = _COVERAGE.get(id(rules))
    if hit is None or hit[0] is not rules:
        hit = _COVERAGE[id(rules)] = (rules, CoverageFinder(rules))
    return hit[1]


def extract_document(
    text: str,
    meta: DocumentMeta,
    *,
    gazetteer: Geoparser | None = None,
    rules: Rules | None = None,
    country_hint: str | None = None,
) -> list[Event]:
    """The events ``text`` reports, ids ``e1, e2, ...`` in text order.

    Args:
        text: the document's extracted text (evidence offsets index it).
        meta: its metadata; ``meta.published`` (possibly partial) anchors relative dates.
        gazetteer: anything with ``find_places`` (see :class:`Geoparser`); None tries
            ``minewatch.geo.load_gazetteer()`` and falls back to unresolved mentions.
        rules: compiled rules (default: the packaged YAML).
        country_hint: ISO country code passed to the gazetteer.
    """
    rules = rules or load_rules()
    if not text or _screened_out(text, rules.document_gate):
        return []
    dates, finder = _engine(rules)
    ref = parse_published(meta.published)
    sents = split_sentences(text)
    if not sents:
        return []
    mentions = finder.detect(text, sents)
    if not mentions:
        return []
    # time expressions are only looked for around mention sentences, in the lead and the
    # dateline (anchors.py); a year written earlier in the paragraph anchors bare months.
    # A dateline's day is the reference for relative times, and dates no event.
    dateline = find_dateline(text, dates, ref)
    if dateline is not None and dateline.ref is not None:
        ref = dateline.ref
    para_start: dict[int, int] = {}
    for s in sents:
        para_start.setdefault(s.para, s.start)
    regions = time_regions(sents, [m.sent for m in mentions], dateline)
    anchors = _year_anchors(text, sorted(para_start.values()), regions)
    times = dates.find(text, ref, regions, anchors)
    if dateline is not None:
        times = [t for t in times if t.end <= dateline.start or t.start >= dateline.end]
    geo = resolve_geoparser(gazetteer)
    try:
        places = geo.find_places(text, country_hint)
    except Exception:  # a gazetteer failure must not lose the events
        places = PlaceFinder().find_places(text, country_hint)
    places = [p for p in places if not _metonym(text, p)]
    own, place_anchors_ = place_anchors(text, places, sents)
    finder.fill(text, mentions, times, own)
    lead_anchor(text, sents, times, mentions)
    mentions = admissions(text, mentions, rules)
    coverage = coverages(rules).find(text, ref)
    drafts = Assembler(ref, coverage).assemble(mentions)
    bind_following_times(text, sents, times, drafts)
    TollBinder(rules, finder).bind(text, sents, drafts, times)
    _fallback_places(text, drafts, sents, own, place_anchors_)
    events = [
        build_event(d, i + 1, ref, rules.reported_days, coverage) for i, d in enumerate(drafts)
    ]
    # Recalls are marked while events still line up with their drafts; splitting comes after.
    recalls(rules).mark(text, sents, drafts, events)
    events = split_parties(events, text, rules.self_contained["policy"], rules.clauses)
    _side_places(geo, events, places, text)
    return events


def _side_places(geo: Geoparser, events: list[Event], places: list[Place], text: str) -> None:
    """Put places that straddle a border on the side of the event's actor.

    North Korean mining near Arrowhead Hill is in Kangwon (KP), South Korean
    clearance there in Gangwon (KR). A casualty is on the side of its victims when
    they are named by country: two South Korean soldiers maimed in the DMZ by mines
    the North laid are South Korea's casualties. Gazetteers without
    ``side``/``country_of`` (the fallback mention finder, small test ones) leave
    places as they are.
    """
    side = getattr(geo, "side", None)
    country_of = getattr(geo, "country_of", None)
    if side is None or country_of is None:
        return
    context = {p.country for p in places if p.country}
    for ev in events:
        # who acted decides the side; failing that, the event's own most precise
        # place (Musan puts a mine blast on the Tumen on the North's side)
        victims = next(
            (_victims_phrase(text, v.start, v.end) for v in ev.evidence if v.field == "victims"),
            None,
        )
        country = (
            (country_of(victims, context) if ev.type == "casualty" else None)
            or country_of(ev.actor, context)
            or _anchor_country(ev.where)
        )
        if country:
            ev.where = [side(p, country) for p in ev.where]


def _victims_phrase(text: str, start: int, end: int) -> str:
    """The victims as written with the words just before them ("North Korean soldiers")."""
    head = re.split(r"[.,;:!?\n]", text[max(0, start - 16) : start])[-1]
    return head + text[start:end]


def _anchor_country(where: list[Place]) -> str | None:
    """Country of the event's most precise place at province level or better."""
    local = [p for p in where if p.country and p.precision <= 4]
    return min(local, key=lambda p: p.precision).country if local else None
