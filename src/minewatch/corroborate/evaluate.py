"""Evaluate clustering against gold incident labels.

Gold files are JSONL; every line has ``"kind": "clusters"``; the first line is
a header (``"note"``), so that ``minewatch evaluate`` tells cluster gold from
extraction gold (whose lines also hold ``events``). A *document* line
holds ``document`` (metadata), ``text`` and ``events`` (Event JSON, each with
``gold``: the incident label, or a list of labels for a summary that mentions
several). Evidence may give ``quote`` (a phrase of ``text``) instead of
offsets. An *incident* line (``"incident": "H1", "independent_sources": 2``)
states an expected independent-source count.

All gold documents are corroborated together, so near misses across files
count. Scores: pairwise precision/recall/F1 over event pairs (a pair is "same"
when the events share a label; predicted "same" when they share an incident,
as members or mentions) and B-cubed over the same relation; plus the share of
gold incidents whose independent-source count is right.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minewatch.corroborate.build import corroborate
from minewatch.corroborate.compat import GazetteerLike
from minewatch.model import DocumentMeta, Event, event_key

KIND = "clusters"


def is_cluster_gold(path: str | Path) -> bool:
    """True if the file's first JSON line has ``"kind": "clusters"``."""
    try:
        with Path(path).open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    return bool(json.loads(line).get("kind") == KIND)
    except (OSError, ValueError, AttributeError):
        return False
    return False


@dataclass
class GoldCorpus:
    items: list[tuple[DocumentMeta, Event]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    labels: dict[str, frozenset[str]] = field(default_factory=dict)  # event key -> labels
    expected_sources: dict[str, int] = field(default_factory=dict)


def _resolve_evidence(text: str, evs: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    out = []
    for e in evs:
        if "quote" in e:
            pos = text.find(e["quote"])
            if pos < 0:
                raise ValueError(f"{where}: quote not in text: {e['quote']!r}")
            out.append({"field": e["field"], "start": pos, "end": pos + len(e["quote"])})
        else:
            out.append(e)
    return out


def load_gold(paths: Iterable[str | Path]) -> GoldCorpus:
    """Read cluster gold files (see module docstring); labels are global across files."""
    gold = GoldCorpus()
    for path in sorted(Path(p) for p in paths):
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                d = json.loads(line)
                where = f"{path}:{n}"
                if d.get("kind") != KIND:
                    raise ValueError(f"{where}: not a cluster gold line (kind != clusters)")
                if "text" not in d and "incident" not in d:
                    continue  # a header / note line
                if "incident" in d:
                    gold.expected_sources[str(d["incident"])] = int(d["independent_sources"])
                    continue
                text = d["text"]
                meta_d = dict(d["document"])
                meta_d.setdefault(
                    "id", "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
                )
                meta = DocumentMeta.from_json(meta_d)
                gold.texts[meta.id] = text
                for ej in d["events"]:
                    ej = dict(ej)
                    labels = ej.pop("gold")
                    ej["evidence"] = _resolve_evidence(text, ej.get("evidence", []), where)
                    ev = Event.from_json(ej)
                    gold.items.append((meta, ev))
                    ls = [labels] if isinstance(labels, str) else list(labels)
                    gold.labels[event_key(meta.id, ev.id)] = frozenset(str(x) for x in ls)
    return gold


@dataclass
class ClusterScores:
    events: int
    gold_incidents: int
    predicted_incidents: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    sources_checked: int
    sources_correct: int
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def lines(self) -> list[str]:
        return [
            f"clusters: {self.events} events, {self.gold_incidents} gold incidents, "
            f"{self.predicted_incidents} predicted",
            f"  pairwise  P {self.pairwise_precision:.3f}  R {self.pairwise_recall:.3f}  "
            f"F1 {self.pairwise_f1:.3f}",
            f"  B-cubed   P {self.bcubed_precision:.3f}  R {self.bcubed_recall:.3f}  "
            f"F1 {self.bcubed_f1:.3f}",
            f"  independent sources right: {self.sources_correct}/{self.sources_checked}",
            *(f"  {e}" for e in self.errors),
        ]


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_clusters(
    labels: dict[str, frozenset[str]], predicted: dict[str, frozenset[str]]
) -> tuple[float, float, float, float, float, float]:
    """Pairwise and B-cubed P/R/F1 of ``predicted`` against ``labels`` (event -> sets)."""
    keys = sorted(labels)
    tp = fp = fn = 0
    same_gold: dict[str, set[str]] = {k: {k} for k in keys}
    same_pred: dict[str, set[str]] = {k: {k} for k in keys}
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            g = not labels[a].isdisjoint(labels[b])
            p = not predicted.get(a, frozenset()).isdisjoint(predicted.get(b, frozenset()))
            if g:
                same_gold[a].add(b)
                same_gold[b].add(a)
            if p:
                same_pred[a].add(b)
                same_pred[b].add(a)
            tp += g and p
            fp += p and not g
            fn += g and not p
    pp = tp / (tp + fp) if tp + fp else 1.0
    pr = tp / (tp + fn) if tp + fn else 1.0
    bp = sum(len(same_pred[k] & same_gold[k]) / len(same_pred[k]) for k in keys) / len(keys)
    br = sum(len(same_pred[k] & same_gold[k]) / len(same_gold[k]) for k in keys) / len(keys)
    return pp, pr, _f1(pp, pr), bp, br, _f1(bp, br)


def evaluate_clusters(
    paths: Sequence[str | Path], *, gazetteer: GazetteerLike | None = None
) -> ClusterScores:
    """Corroborate the gold documents and score the incidents (module docstring)."""
    gold = load_gold(paths)
    res = corroborate(gold.items, gold.texts, gazetteer=gazetteer)
    predicted: dict[str, set[str]] = {}
    member_of: dict[str, str] = {}
    for inc in res.incidents:
        for m in inc.members:
            predicted.setdefault(m.event_key, set()).add(inc.id)
            if m.role == "member":
                member_of[m.event_key] = inc.id
    pred = {k: frozenset(v) for k, v in predicted.items()}
    pp, pr, pf, bp, br, bf = score_clusters(gold.labels, pred)
    errors: list[str] = []
    by_id = {i.id: i for i in res.incidents}
    correct = 0
    for label, want in sorted(gold.expected_sources.items()):
        keys = [k for k, ls in gold.labels.items() if ls == frozenset({label})]
        incs = [member_of[k] for k in keys if k in member_of]
        if not incs:
            errors.append(f"{label}: no incident holds its events")
            continue
        top = max(sorted(set(incs)), key=incs.count)
        got = by_id[top].independent_sources
        if got == want:
            correct += 1
        else:
            errors.append(
                f"{label}: {got} independent sources, expected {want} "
                f"({', '.join(by_id[top].original_sources)})"
            )
    return ClusterScores(
        events=len(gold.labels),
        gold_incidents=len({x for ls in gold.labels.values() for x in ls}),
        predicted_incidents=len(res.incidents),
        pairwise_precision=round(pp, 4),
        pairwise_recall=round(pr, 4),
        pairwise_f1=round(pf, 4),
        bcubed_precision=round(bp, 4),
        bcubed_recall=round(br, 4),
        bcubed_f1=round(bf, 4),
        sources_checked=len(gold.expected_sources),
        sources_correct=correct,
        errors=errors,
    )


def _evaluate_kind(files: list[Path], opts: dict[str, Any]) -> dict[str, Any]:
    """``minewatch evaluate`` entry: score cluster gold files (with the shipped gazetteer)."""
    gazetteer = opts.get("gazetteer")
    if gazetteer is None:
        try:
            from minewatch.geo import load_gazetteer

            gazetteer = load_gazetteer()
        except ImportError:  # pragma: no cover - geo ships with the package
            gazetteer = None
    scores = evaluate_clusters(files, gazetteer=gazetteer)
    return {"kind": KIND, **scores.to_json(), "summary": scores.lines()}


def register(register_gold_kind: Any) -> None:
    """Register cluster gold with ``minewatch evaluate`` (see extract.evaluate)."""
    register_gold_kind(KIND, lambda first: first.get("kind") == KIND, _evaluate_kind)
    from minewatch.corroborate import devset

    devset.register(register_gold_kind)
