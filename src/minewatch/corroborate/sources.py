"""Source independence: who originally reported what.

Five outlets rewriting one Daily NK report are one source. For every document
this module finds

* explicit attributions in the text ("told Daily NK", "Speaking to Radio Free
  Asia", "according to Yonhap", "according to South Korea's military"),
* footnote citations (a superscript number after a sentence, resolved to the
  outlets its footnote names),
* derivative reporting between documents: shared quotations (>= 8 words in a
  row) and near-duplicate passages (MinHash LSH),

and, for each event, the original source it rests on (the nearest attribution
or citation; else the source of a document it was copied from; else the
publisher). Within an incident, members resting on the same original source,
or whose documents copy one another, are one independent source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from minewatch.corroborate import boilerplate, textsim
from minewatch.model import DocumentMeta, Event

#: An attribution/citation this far (characters) from an event's evidence can still apply.
MAX_ATTRIBUTION_DISTANCE = 600
UNKNOWN_KIND = "unknown"
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_FOOTNOTE_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(\d{1,3})[ \t]+(\S.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Outlet:
    name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SourceRules:
    outlets: tuple[Outlet, ...]
    attribution: tuple[str, ...]
    anonymous_markers: frozenset[str]

    @property
    def by_alias(self) -> dict[str, Outlet]:
        return {a: o for o in self.outlets for a in o.aliases}


@lru_cache(maxsize=1)
def load_rules() -> SourceRules:
    """The bundled rules (``rules/sources.yaml``)."""
    raw = yaml.safe_load(
        resources.files("minewatch.corroborate").joinpath("rules/sources.yaml").read_text("utf-8")
    )
    return parse_rules(raw)


def parse_rules(raw: dict[str, Any]) -> SourceRules:
    outlets = tuple(
        Outlet(o["name"], o["kind"], tuple(o.get("aliases") or [o["name"]])) for o in raw["outlets"]
    )
    return SourceRules(
        outlets,
        tuple(raw["attribution"]),
        frozenset(m.lower() for m in raw.get("anonymous_markers", [])),
    )


@dataclass(frozen=True)
class Attribution:
    """A place in a document that names the source of what it reports."""

    start: int
    end: int
    source: str
    kind: str
    method: str  # "attribution" | "citation"
    anonymous: bool = False


@dataclass(frozen=True)
class Origin:
    """The original source an event (or a document) rests on."""

    source: str
    kind: str
    method: str  # attribution | citation | derivative | publisher
    derived_from: str | None = None


@dataclass(frozen=True)
class DerivedLink:
    """Document ``doc`` shares text with ``other`` (``other`` published earlier or same)."""

    doc: str
    other: str
    method: str  # shared_quote | near_duplicate
    evidence: str


@dataclass
class SourceAnalysis:
    """Everything known about where each document's reporting comes from."""

    metas: dict[str, DocumentMeta]
    #: document id -> its attributions and citations (no entry when it has none)
    attributions: dict[str, list[Attribution]] = field(default_factory=dict)
    publisher_origin: dict[str, Origin] = field(default_factory=dict)
    derived: list[DerivedLink] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def related(self, a: str, b: str) -> bool:
        """Do documents ``a`` and ``b`` share text (either direction)?"""
        return b in self._related.get(a, set())

    @property
    def _related(self) -> dict[str, set[str]]:
        rel: dict[str, set[str]] | None = getattr(self, "_rel_cache", None)
        if rel is None:
            rel = {}
            for link in self.derived:
                rel.setdefault(link.doc, set()).add(link.other)
                rel.setdefault(link.other, set()).add(link.doc)
            self._rel_cache = rel
        return rel

    def origin_of(self, meta: DocumentMeta, event: Event) -> Origin:
        """The original source of one event as reported in one document."""
        spans = [(e.start, e.end) for e in event.evidence]
        spans += [(p.start, p.end) for p in event.where if p.start is not None and p.end]
        best: tuple[int, int, Attribution] | None = None
        for att in self.attributions.get(meta.id, []):
            if not spans:
                break
            if att.method == "citation":
                # a footnote marker supports the text before it: count it only
                # after the evidence (and the first marker after it)
                gaps = [att.start - e for _, e in spans if att.start >= e - 1]
                if not gaps or self._marker_between(meta.id, spans, att):
                    continue
                d = min(gaps)
            else:
                d = min(_distance((att.start, att.end), s) for s in spans)
            if d > MAX_ATTRIBUTION_DISTANCE:
                continue
            rank = (d, 0 if att.method == "attribution" else 1)
            if best is None or rank < best[:2]:
                best = (*rank, att)
        if best is not None:
            att = best[2]
            return Origin(att.source, att.kind, att.method)
        return self.publisher_origin.get(meta.id) or _fallback_origin(meta)

    def _marker_between(self, doc_id: str, spans: list[tuple[int, int]], att: Attribution) -> bool:
        """Is there another footnote marker between every span's end and ``att``?"""
        ends = [e for _, e in spans if e - 1 <= att.start]
        last_end = max(ends)
        return any(
            o.method == "citation" and last_end - 1 <= o.start < att.start
            for o in self.attributions.get(doc_id, [])
        )

    def links(self) -> list[dict[str, Any]]:
        """Attribution chains for the store: document -> original source."""
        out: list[dict[str, Any]] = []
        for doc_id in sorted(self.metas):
            seen: set[tuple[str, str]] = set()
            for att in self.attributions.get(doc_id, []):
                if (att.source, att.method) in seen:
                    continue
                seen.add((att.source, att.method))
                text = self.texts.get(doc_id, "")
                out.append(
                    {
                        "document_id": doc_id,
                        "original_source": att.source,
                        "source_kind": att.kind,
                        "method": att.method,
                        "derived_from": None,
                        "evidence": f"{att.start}-{att.end}: {text[att.start : att.end]}",
                    }
                )
            pub = self.publisher_origin.get(doc_id)
            if pub is not None:
                out.append(
                    {
                        "document_id": doc_id,
                        "original_source": pub.source,
                        "source_kind": pub.kind,
                        "method": "publisher",
                        "derived_from": None,
                        "evidence": self.metas[doc_id].publisher,
                    }
                )
        for link in self.derived:
            origin = self.publisher_origin.get(link.other) or _fallback_origin(
                self.metas[link.other]
            )
            out.append(
                {
                    "document_id": link.doc,
                    "original_source": origin.source,
                    "source_kind": origin.kind,
                    "method": link.method,
                    "derived_from": link.other,
                    "evidence": link.evidence,
                }
            )
        return out


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[0] < b[1] and b[0] < a[1]:
        return 0
    return b[0] - a[1] if a[1] <= b[0] else a[0] - b[1]


def _fallback_origin(meta: DocumentMeta) -> Origin:
    label = meta.publisher or "unknown publisher"
    return Origin(f"{label} [{meta.input_id}]", UNKNOWN_KIND, "publisher")


# --- finding attributions ------------------------------------------------------------


@lru_cache(maxsize=4)
def _compiled(rules: SourceRules) -> tuple[list[re.Pattern[str]], re.Pattern[str]]:
    aliases = sorted(rules.by_alias, key=len, reverse=True)
    alt = "|".join(re.escape(a) for a in aliases)
    outlet = rf"(?P<outlet>(?<![\w-])(?:{alt})(?![\w-]))"
    pats = [re.compile(t.replace("{outlet}", outlet)) for t in rules.attribution]
    return pats, re.compile(outlet)


def find_attributions(text: str, rules: SourceRules | None = None) -> list[Attribution]:
    """Explicit attributions ("told Daily NK") and footnote citations in ``text``."""
    rules = rules or load_rules()
    pats, outlet_re = _compiled(rules)
    by_alias = rules.by_alias
    out: list[Attribution] = []
    seen: set[tuple[int, int]] = set()
    bounds = textsim.sentence_bounds(text)
    for pat in pats:
        for m in pat.finditer(text):
            if (m.start(), m.end()) in seen:
                continue
            seen.add((m.start(), m.end()))
            outlet = by_alias[m.group("outlet")]
            anon = _anonymous_near(text, bounds, m.start(), m.end(), rules)
            kind = outlet.kind
            if anon and kind == "media":
                kind = "media with anonymous local source"
            out.append(Attribution(m.start(), m.end(), outlet.name, kind, "attribution", anon))
    out.extend(_citations(text, outlet_re, by_alias))
    out.sort(key=lambda a: (a.start, a.end))
    return out


def _anonymous_near(
    text: str, bounds: Sequence[tuple[int, int]], start: int, end: int, rules: SourceRules
) -> bool:
    for bs, be in bounds:
        if bs <= start < be:
            toks = {w for w, _, _ in textsim.words(text[bs:be])}
            return not toks.isdisjoint(rules.anonymous_markers)
    return False


def _citations(
    text: str, outlet_re: re.Pattern[str], by_alias: dict[str, Outlet]
) -> list[Attribution]:
    """Superscript footnote markers resolved to the first outlet of their footnote."""
    notes: dict[int, list[Outlet]] = {}
    previous: list[Outlet] = []
    for m in _FOOTNOTE_LINE.finditer(text):
        num = int(m.group(1))
        body = m.group(2)
        found: list[Outlet] = []
        for om in outlet_re.finditer(body):
            o = by_alias[om.group("outlet")]
            if o not in found:
                found.append(o)
        if re.match(r"\W*Ibid", body):  # "Ibid." = the previous footnote's sources first
            found = previous + [o for o in found if o not in previous]
        if found and num not in notes:
            notes[num] = found
        previous = found
    out: list[Attribution] = []
    for m in _SUP_RUN.finditer(text):
        if m.group(0) in ("²", "³") and text[max(0, m.start() - 1) : m.start()] == "m":
            continue  # km², m³: a unit, not a footnote marker
        num = int(m.group(0).translate(_SUPERSCRIPT))
        cited = notes.get(num)
        if cited:
            first = cited[0]
            out.append(Attribution(m.start(), m.end(), first.name, first.kind, "citation"))
    return out


def publisher_origin(meta: DocumentMeta, rules: SourceRules | None = None) -> Origin | None:
    """The document's own publisher as an original source, if recognised."""
    rules = rules or load_rules()
    if not meta.publisher:
        return None
    _, outlet_re = _compiled(rules)
    m = outlet_re.search(meta.publisher)
    if m is None:
        return None
    o = rules.by_alias[m.group("outlet")]
    return Origin(o.name, o.kind, "publisher")


# --- derivative reporting -------------------------------------------------------------


def _pub_key(meta: DocumentMeta) -> str:
    return meta.published or "9999"


def derivative_links(metas: dict[str, DocumentMeta], texts: dict[str, str]) -> list[DerivedLink]:
    """Pairs of documents that share quotations or near-duplicate passages.

    The later-published one is taken as derived from the earlier one.
    Documents of the same recognised publisher are not linked (they are one
    source anyway). Boilerplate shared by many documents of a site is masked
    first and a passage or quotation found in too many documents links none
    (:mod:`.boilerplate`): time and memory grow linearly.
    """
    # boilerplate shared by many documents of a site is no evidence of rewriting
    texts = boilerplate.mask_boilerplate(
        texts, lambda d: boilerplate.site_of(metas[d].url, metas[d].publisher)
    )
    quotes = {d: textsim.quotations(t) for d, t in texts.items()}
    found: dict[tuple[str, str], DerivedLink] = {}

    def add(a: str, b: str, method: str, evidence: str) -> None:
        if a == b:
            return
        pa, pb = publisher_origin(metas[a]), publisher_origin(metas[b])
        if pa is not None and pb is not None and pa.source == pb.source:
            return
        # derived = the later one
        doc, other = (a, b) if (_pub_key(metas[a]), a) > (_pub_key(metas[b]), b) else (b, a)
        found.setdefault((doc, other), DerivedLink(doc, other, method, evidence))

    ids = sorted(texts)
    # Shared quotations: a long quote of one document appears in another.
    # Only the word 8-grams of quotations are indexed (few), then every text is
    # scanned once for them.
    quote_grams = {
        textsim._h(q.words[k : k + textsim.QUOTE_WORDS])
        for qs in quotes.values()
        for q in qs
        for k in range(len(q.words) - textsim.QUOTE_WORDS + 1)
    }
    by_gram: dict[int, set[str]] = {}
    if quote_grams:
        for d in ids:
            for g in textsim.ngram_set(texts[d]) & quote_grams:
                by_gram.setdefault(g, set()).add(d)
    for d in ids:
        for q in quotes[d]:
            hits: set[str] = set()
            for k in range(len(q.words) - textsim.QUOTE_WORDS + 1):
                g = textsim._h(q.words[k : k + textsim.QUOTE_WORDS])
                docs = by_gram.get(g, set())
                if len(docs) <= boilerplate.MAX_BUCKET_DOCS:  # bounded links
                    hits |= docs
            for other in sorted(hits - {d}):
                add(d, other, "shared_quote", f"{q.start}-{q.end}: “{' '.join(q.words[:12])}…”")
    for pm in boilerplate.near_duplicate_passages(texts):
        add(
            pm.a,
            pm.b,
            "near_duplicate",
            f"{pm.a_span[0]}-{pm.a_span[1]} ~ {pm.b_span[0]}-{pm.b_span[1]} "
            f"(Jaccard {pm.similarity:.2f})",
        )
    return sorted(found.values(), key=lambda link: (link.doc, link.other))


def analyse_sources(
    metas: Iterable[DocumentMeta], texts: dict[str, str], rules: SourceRules | None = None
) -> SourceAnalysis:
    """Attributions, publisher origins and derivative links for a corpus."""
    rules = rules or load_rules()
    by_id = {m.id: m for m in metas}
    analysis = SourceAnalysis(metas=by_id, texts=dict(texts))
    for doc_id, meta in by_id.items():
        text = texts.get(doc_id, "")
        found = find_attributions(text, rules) if text else None
        if found:  # documents without any have no entry (a million empty lists add up)
            analysis.attributions[doc_id] = found
        pub = publisher_origin(meta, rules)
        if pub is not None:
            analysis.publisher_origin[doc_id] = pub
    present = {d: t for d, t in texts.items() if d in by_id and t}
    analysis.derived = derivative_links(by_id, present)
    return analysis


# --- independence within an incident ----------------------------------------------------


@dataclass
class Independence:
    count: int
    sources: list[str]
    kinds: list[str]
    origin_of: dict[str, Origin]  # event key -> origin


def independent_sources(
    members: Sequence[tuple[str, DocumentMeta, Event]], analysis: SourceAnalysis
) -> Independence:
    """Group an incident's members by original source (see module docstring).

    ``members`` are ``(event_key, meta, event)``; members whose documents share
    text, or whose origins have the same name, are one source.
    """
    if len(members) == 1:  # most incidents: nothing to group, no donor but itself
        key, meta, ev = members[0]
        o = analysis.origin_of(meta, ev)
        return Independence(1, [o.source], [o.kind], {key: o})
    origins = {key: analysis.origin_of(meta, ev) for key, meta, ev in members}
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            ki, mi, _ = members[i]
            kj, mj, _ = members[j]
            if origins[ki].source == origins[kj].source or (
                mi.id == mj.id or analysis.related(mi.id, mj.id)
            ):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(members)):
        groups.setdefault(find(i), []).append(i)
    names: list[str] = []
    kinds: list[str] = []
    for idxs in groups.values():
        # The group's source: the earliest-published member's origin, preferring
        # an explicitly named one over a bare publisher.
        idxs.sort(
            key=lambda i: (
                origins[members[i][0]].method == "publisher",
                _pub_key(members[i][1]),
                members[i][0],
            )
        )
        o = origins[members[idxs[0]][0]]
        if o.source not in names:
            names.append(o.source)
        if o.kind not in kinds:
            kinds.append(o.kind)
    resolved = dict(origins)
    for key, meta, _ in members:
        # Record the chain: a member resting only on its publisher, whose
        # document copies another member's document, takes that member's source.
        if origins[key].method != "publisher":
            continue
        donors = sorted(
            (j for j, (_, m2, _) in enumerate(members) if analysis.related(meta.id, m2.id)),
            key=lambda j: (
                origins[members[j][0]].method == "publisher",
                _pub_key(members[j][1]),
                members[j][0],
            ),
        )
        if donors:
            k2, m2, _ = members[donors[0]]
            o2 = origins[k2]
            resolved[key] = Origin(o2.source, o2.kind, "derivative", m2.id)
    return Independence(len(groups), names, kinds, resolved)
