"""Clustering scored on real reporting: documents whose events carry ``incident_keys``.

The corpus (``../shared/corpus/dev-clusters.jsonl``: real incidents rewritten from
several outlets' reports, plus near misses) is run through the path a user takes —
``minewatch extract FILE.jsonl --db X`` then ``minewatch incidents --json`` — and the
incidents JSON is scored the way the outside scorer (``mweval.py cluster``) reads
it: every string anywhere in an incident object that equals a document's
``input_id`` is a document the incident claims, and each pair of claimed documents
(with the incident's type) is a claimed pair. So members, mentions and attached
background all count; candidates and background-only events are not in the
incident objects and do not.

Gold, from the corpus's ``incident_keys``: an incident is a key with at least one
event that is news (``context`` false); every document with an event of that key
is one of its reports (background mentions of it too), and its type is the most
common type of those news events (``discovery`` counts as ``displacement``, as
the scorer has it). Keys whose events are all background, statistics or general
remarks are not incidents (they must be "background only").

The split file (``tests/gold/dev-clusters/split.jsonl``; the first line has
``"kind": "incident-keys"`` and names the corpus) lists the incident keys of each
part. A pair belongs to a part when both documents are in it (a document is in the
parts of its keys); pairs across parts are false pairs of the whole set only.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KIND = "incident-keys"
#: Types the outside scorer reads as one.
_SAME_TYPE = {"discovery": "displacement"}


@dataclass
class DevGold:
    """Gold incidents by document, and the parts of the split."""

    incidents: dict[str, str] = field(default_factory=dict)  # key -> type
    articles: dict[str, set[str]] = field(default_factory=dict)  # input_id -> keys
    parts: dict[str, set[str]] = field(default_factory=dict)  # part -> keys

    def scorer_json(self) -> dict[str, Any]:
        """The gold as ``mweval.py cluster GOLD.json`` reads it."""
        return {
            "incidents": [{"key": k, "type": t} for k, t in sorted(self.incidents.items())],
            "articles": {a: {"incidents": sorted(ks)} for a, ks in sorted(self.articles.items())},
        }

    def documents_of(self, part: str | None) -> set[str]:
        if part is None:
            return set(self.articles)
        keys = self.parts[part]
        # a document is in a part when one of its keys (any key, incident or not) is
        return {a for a, ks in self._all_keys.items() if ks & keys}

    _all_keys: dict[str, set[str]] = field(default_factory=dict)
    #: (document, key) whose every event of that key has no known time: an undated
    #: report, which the rules never let join (a candidate at most)
    timeless: set[tuple[str, str]] = field(default_factory=set)

    def undated_pair(self, a: str, b: str, type_: str) -> bool:
        """Does every incident the two documents share (of ``type_``) have one of them undated?"""
        shared = [
            k
            for k in self.articles.get(a, set()) & self.articles.get(b, set())
            if self.incidents.get(k) == type_
        ]
        return bool(shared) and all(
            (a, k) in self.timeless or (b, k) in self.timeless for k in shared
        )


def gold_from_corpus(rows: Iterable[dict[str, Any]]) -> DevGold:
    """Gold (module docstring) from corpus lines with ``events`` and ``incident_keys``."""
    news: dict[str, Counter[str]] = {}
    by_doc: dict[str, list[str]] = {}
    dated: set[tuple[str, str]] = set()
    for d in rows:
        keys = list(d.get("incident_keys") or [])
        events = d.get("events") or []
        if len(keys) != len(events):
            raise ValueError(f"{d.get('id')}: {len(keys)} incident_keys for {len(events)} events")
        by_doc[str(d["id"])] = keys
        for ev, k in zip(events, keys, strict=True):
            if (ev.get("when") or {}).get("start"):
                dated.add((str(d["id"]), k))
            if not ev.get("context") and not ev.get("aggregate"):
                t = _SAME_TYPE.get(ev["type"], ev["type"])
                news.setdefault(k, Counter())[t] += 1
    gold = DevGold()
    for k, types in news.items():
        gold.incidents[k] = max(sorted(types), key=types.__getitem__)
    for doc, keys in by_doc.items():
        gold.articles[doc] = {k for k in keys if k in gold.incidents}
        gold._all_keys[doc] = set(keys)
        gold.timeless |= {(doc, k) for k in keys if (doc, k) not in dated}
    return gold


def read_split(path: Path) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The header line and the parts (name -> incident keys) of a split file."""
    header: dict[str, Any] = {}
    parts: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if d.get("kind") != KIND:
                raise ValueError(f"{path}:{n}: not an incident-keys line")
            if "part" in d:
                parts[str(d["part"])] = {str(k) for k in d["incidents"]}
            else:
                header = d
    seen: dict[str, str] = {}
    for part, keys in parts.items():
        for k in keys:
            if k in seen:
                raise ValueError(f"{path}: {k} is in both {seen[k]} and {part}")
            seen[k] = part
    return header, parts


def find_corpus(split: Path, name: str, seeds_dir: Path | None = None) -> Path:
    """The corpus file named by a split: next to it, beside the seeds, or in ../shared."""
    here = split.resolve().parent
    places = [here / name]
    if seeds_dir is not None:
        places.append(Path(seeds_dir).resolve().parent / "corpus" / name)
    places.append(Path.cwd().parent / "shared" / "corpus" / name)
    places += [p / "shared" / "corpus" / name for p in here.parents]
    for p in places:
        if p.is_file():
            return p
    raise FileNotFoundError(f"{split}: corpus {name} not found (looked in ../shared/corpus)")


# --- the user's path: extract --db, then incidents --json --------------------------------


def incidents_json_via_store(corpus: Path) -> list[dict[str, Any]]:
    """``minewatch extract CORPUS --db X`` then ``minewatch incidents --json``, in process."""
    from minewatch.corroborate import corroborate_store
    from minewatch.corroborate.present import incident_json
    from minewatch.extract import EXTRACTOR_VERSION, extract_document
    from minewatch.geo import load_gazetteer
    from minewatch.ingest import SourceDoc, iter_inputs, store_document
    from minewatch.store import Store

    who = f"minewatch evaluate ({EXTRACTOR_VERSION})"
    with tempfile.TemporaryDirectory(prefix="minewatch-eval-") as tmp:
        store = Store.open(Path(tmp) / "eval.db")
        try:
            gazetteer = load_gazetteer(store=store)
            for _, item in iter_inputs([str(corpus)]):
                if not isinstance(item, SourceDoc):
                    continue
                meta = item.meta()
                events = extract_document(item.text, meta, gazetteer=gazetteer)
                result = store_document(store, item, who=who)
                store.replace_events(result.document_id, events, EXTRACTOR_VERSION, who)
            corroborate_store(store, gazetteer=gazetteer, who=who)
            return [incident_json(i) for i in store.incidents()]
        finally:
            store.close()


# --- scoring -----------------------------------------------------------------------------


def claimed_documents(obj: Any, ids: set[str], acc: set[str] | None = None) -> set[str]:
    """Every string anywhere in ``obj`` that equals one of ``ids`` (the scorer's reading)."""
    acc = set() if acc is None else acc
    if isinstance(obj, dict):
        for v in obj.values():
            claimed_documents(v, ids, acc)
    elif isinstance(obj, list):
        for v in obj:
            claimed_documents(v, ids, acc)
    elif isinstance(obj, str) and obj in ids:
        acc.add(obj)
    return acc


@dataclass
class PartScores:
    part: str
    documents: int
    gold_pairs: int
    claimed_pairs: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.part:<6} {self.documents:>3} docs  pairs gold {self.gold_pairs:>3} "
            f"claimed {self.claimed_pairs:>3}  pairwise P {self.pairwise_precision:.3f} "
            f"R {self.pairwise_recall:.3f} F1 {self.pairwise_f1:.3f}  B-cubed "
            f"P {self.bcubed_precision:.3f} R {self.bcubed_recall:.3f} F1 {self.bcubed_f1:.3f}"
        )


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _pairs(groups: Iterable[tuple[str, Sequence[str]]]) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for t, docs in groups:
        ds = sorted(set(docs))
        out |= {(a, b, t) for i, a in enumerate(ds) for b in ds[i + 1 :]}
    return out


def score_part(
    part: str, gold: DevGold, incidents: Sequence[dict[str, Any]], docs: set[str]
) -> PartScores:
    """Pairwise (typed document pairs, as the scorer) and extended B-cubed on ``docs``."""
    gold_groups = [
        (t, [a for a, ks in gold.articles.items() if k in ks and a in docs])
        for k, t in gold.incidents.items()
    ]
    sys_groups: list[tuple[str, list[str]]] = []
    for inc in incidents:
        t = _SAME_TYPE.get(str(inc.get("type")), str(inc.get("type")))
        sys_groups.append((t, sorted(claimed_documents(inc, docs))))
    g, s = _pairs(gold_groups), _pairs(sys_groups)
    tp = len(g & s)
    p = tp / len(s) if s else 1.0
    r = tp / len(g) if g else 1.0
    # extended B-cubed (Amigo et al. 2009) over documents with several incidents each
    gsets: dict[str, set[int]] = {d: set() for d in docs}
    ssets: dict[str, set[int]] = {d: set() for d in docs}
    for n, (_, ds) in enumerate(gold_groups):
        for d in ds:
            gsets[d].add(n)
    for n, (_, ds) in enumerate(sys_groups):
        for d in ds:
            ssets[d].add(n)
    bp_items: list[float] = []
    br_items: list[float] = []
    for d in docs:
        for e in docs:
            cs, cg = len(ssets[d] & ssets[e]), len(gsets[d] & gsets[e])
            if cs:
                bp_items.append(min(cs, cg) / cs)
            if cg:
                br_items.append(min(cs, cg) / cg)
    bp = sum(bp_items) / len(bp_items) if bp_items else 1.0
    br = sum(br_items) / len(br_items) if br_items else 1.0
    return PartScores(
        part=part,
        documents=len(docs),
        gold_pairs=len(g),
        claimed_pairs=len(s),
        pairwise_precision=round(p, 4),
        pairwise_recall=round(r, 4),
        pairwise_f1=round(_f1(p, r), 4),
        bcubed_precision=round(bp, 4),
        bcubed_recall=round(br, 4),
        bcubed_f1=round(_f1(bp, br), 4),
        missed=[f"missed {a} ~ {b} ({t})" for a, b, t in sorted(g - s)],
        wrong=[f"wrong  {a} ~ {b} ({t})" for a, b, t in sorted(s - g)],
    )


def evaluate_split(
    split: Path,
    *,
    seeds_dir: Path | None = None,
    incidents: Sequence[dict[str, Any]] | None = None,
    gold_events: bool = False,
) -> dict[str, Any]:
    """Score the incidents of the split's corpus (built via the store unless given).

    ``gold_events`` adds ``extraction_as_gold``: the same scores for the corpus's
    gold events clustered (:mod:`.devgold`), corroboration's own share of the errors.
    """
    header, parts = read_split(split)
    corpus = find_corpus(split, str(header.get("corpus", "dev-clusters.jsonl")), seeds_dir)
    with corpus.open(encoding="utf-8") as f:
        gold = gold_from_corpus(json.loads(line) for line in f if line.strip())
    gold.parts = parts
    unknown = {k for ks in parts.values() for k in ks} - {
        k for ks in gold._all_keys.values() for k in ks
    }
    if unknown:
        raise ValueError(f"{split}: keys not in {corpus.name}: {', '.join(sorted(unknown))}")
    if incidents is None:
        incidents = incidents_json_via_store(corpus)
    scores = _scores(gold, incidents)
    report: dict[str, Any] = {
        "kind": KIND,
        "corpus": str(corpus),
        "parts": {s.part: s.__dict__ for s in scores},
        "summary": [s.line() for s in scores],
    }
    if gold_events:
        from minewatch.corroborate.devgold import incidents_from_gold_events

        ceiling = _scores(gold, incidents_from_gold_events(corpus))
        report["extraction_as_gold"] = {
            "note": "the gold events clustered (corroboration's own errors only)",
            "parts": {s.part: s.__dict__ for s in ceiling},
            "summary": [s.line() for s in ceiling],
        }
        report["missed_by_cause"] = {
            s.part: missed_by_cause(gold, s, c) for s, c in zip(scores, ceiling, strict=True)
        }
    return report


def missed_by_cause(gold: DevGold, extracted: PartScores, as_gold: PartScores) -> dict[str, Any]:
    """The pairs the extracted run misses, by cause.

    ``undated``: one report of the pair has no known time (never joins, by rule);
    ``corroboration``: missed with the gold events too; ``extraction``: the rest,
    which the gold events join.
    """
    also = set(as_gold.missed)
    out: dict[str, list[str]] = {"undated": [], "corroboration": [], "extraction": []}
    for line in extracted.missed:
        a, _, b, t = line.removeprefix("missed ").split(" ", 3)
        if gold.undated_pair(a, b, t.strip("()")):
            out["undated"].append(line)
        elif line in also:
            out["corroboration"].append(line)
        else:
            out["extraction"].append(line)
    return {"counts": {k: len(v) for k, v in out.items()}, **out}


def _scores(gold: DevGold, incidents: Sequence[dict[str, Any]]) -> list[PartScores]:
    scores = [score_part(p, gold, incidents, gold.documents_of(p)) for p in sorted(gold.parts)]
    scores.append(score_part("all", gold, incidents, gold.documents_of(None)))
    return scores


def _evaluate_kind(files: list[Path], opts: dict[str, Any]) -> dict[str, Any]:
    """``minewatch evaluate`` entry for incident-keys split files."""
    reports = [evaluate_split(f, seeds_dir=opts.get("seeds_dir"), gold_events=True) for f in files]
    return reports[0] if len(reports) == 1 else {"kind": KIND, "reports": reports}


def register(register_gold_kind: Any) -> None:
    """Register incident-keys split files with ``minewatch evaluate``."""
    register_gold_kind(KIND, lambda first: first.get("kind") == KIND, _evaluate_kind)
