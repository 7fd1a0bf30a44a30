"""Score extraction against hand-annotated gold files.

Gold is JSONL, one document per line: ``{"id", "published", "text" | "file", "events": [...]}``
(see README "evaluate"). Other kinds of gold (e.g. clustering) plug in with
:func:`register_gold_kind`; :func:`evaluate_files` dispatches each file on its kind.

Matching, per document: a predicted event matches a gold event when one of its
evidence spans overlaps the gold ``anchor`` and their intervals are compatible
(they overlap, or either is unknown). Same-type pairs are matched first; a
second pass pairs what is left by anchor overlap alone, which counts as found
but with a type error. Field accuracy is computed over matched pairs; for
admin1, victims and the three counts only over pairs where gold or prediction
has a value (so "both null" never inflates the score).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minewatch.extract.places import Geoparser
from minewatch.model import DocumentMeta, Event

FIELDS = (
    "type",
    "status",
    "context",
    "date",
    "admin1",
    "victims",
    "killed",
    "injured",
    "casualties",
    "activation",
)
_OPTIONAL = {"admin1", "victims", "killed", "injured", "casualties", "activation"}
# Types whose events say how the mine was set off (DESIGN ``activation``).
_ACTIVATED = {"casualty", "detonation"}
_ADMIN_SUFFIX = re.compile(r"[\s-]*(?:province|state|region|oblast|do|special city|city)$", re.I)


@dataclass
class GoldDoc:
    id: str
    text: str
    published: str | None
    events: list[dict[str, Any]]
    source: str


@dataclass
class Report:
    """Scores for one evaluation run (extraction gold)."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    documents: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    field_total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        t = self.field_total[name]
        return self.field_right[name] / t if t else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "extraction",
            "documents": self.documents,
            "gold_events": self.gold,
            "predicted_events": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "fields": {
                n: {
                    "accuracy": round(self.accuracy(n), 4),
                    "right": self.field_right[n],
                    "total": self.field_total[n],
                }
                for n in FIELDS
            },
            "errors": self.errors,
            "warnings": self.warnings,
        }


# ------------------------------------------------------------------ loading
def load_gold(path: Path, seeds_dir: Path | None = None) -> list[GoldDoc]:
    """Read an extraction gold file; ``"file"`` entries read their text from ``seeds_dir``."""
    docs: list[GoldDoc] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        if "text" in d:
            text = d["text"]
        else:
            base = seeds_dir or default_seeds_dir(path)
            if base is None:
                raise FileNotFoundError(
                    f"{path}:{n}: {d.get('file')} needs --seeds-dir (no ../shared/seeds found)"
                )
            text = (base / d["file"]).read_text(encoding="utf-8")
        docs.append(GoldDoc(str(d["id"]), text, d.get("published"), d["events"], str(path)))
    return docs


def default_seeds_dir(gold_path: Path) -> Path | None:
    """``../shared/seeds`` next to the repository holding ``gold_path``, if present."""
    for parent in gold_path.resolve().parents:
        cand = parent.parent / "shared" / "seeds"
        if (parent / "pyproject.toml").is_file() and cand.is_dir():
            return cand
    return None


# ----------------------------------------------------------------- matching
def anchor_spans(text: str, anchor: str) -> list[tuple[int, int]]:
    spans = []
    i = text.find(anchor)
    while i >= 0 and anchor:
        spans.append((i, i + len(anchor)))
        i = text.find(anchor, i + 1)
    return spans


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _interval_ok(g: dict[str, Any], p: Event) -> bool:
    gs, ge = g.get("start"), g.get("end")
    ps, pe = p.when.start, p.when.end
    if gs is None or ps is None:
        return True
    return gs <= (pe or "9999") and ps <= (ge or "9999")


def pred_admin1(ev: Event) -> str | None:
    """The province of the most precise resolved place of an event.

    Lines and zones (precision 5: the DMZ, a border, a river) cross provinces and give none.
    """
    best = None
    for p in ev.where:
        if p.admin1 and p.precision <= 4 and (best is None or p.precision < best.precision):
            best = p
    return best.admin1 if best else None


def same_admin1(country: str | None, gold: str | None, pred: str | None) -> bool:
    """Two spellings of one division agree ("Kharkivska oblast" and Kharkiv Oblast)."""
    if norm_admin1(gold) == norm_admin1(pred):
        return True
    if gold is None or pred is None:
        return False
    from minewatch.geo import load_gazetteer

    gaz = load_gazetteer()
    code = gaz.admin1_code(country, gold)
    return code is not None and code == gaz.admin1_code(country, pred)


def norm_admin1(v: str | None) -> str | None:
    if v is None:
        return None
    v = unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode()
    v = _ADMIN_SUFFIX.sub("", v.strip()).strip().lower()
    return re.sub(r"\s*\(.*\)$", "", v)


def _count_key(c: Any) -> Any:
    if c is None:
        return None
    best = c.get("best") if isinstance(c, dict) else c.best
    return "some" if best is None else best


def _interval_equal(g: dict[str, Any], p: Event) -> bool:
    if g.get("precision") == "open" or p.when.precision == "open":
        return g.get("start") == p.when.start
    return (g.get("start"), g.get("end")) == (p.when.start, p.when.end)


def match_events(
    text: str, gold: list[dict[str, Any]], pred: list[Event]
) -> tuple[list[tuple[int, int]], list[str]]:
    """Pairs (gold index, predicted index) and warnings (anchors not found)."""
    warnings: list[str] = []
    anchors: list[list[tuple[int, int]]] = []
    for g in gold:
        spans = anchor_spans(text, g.get("anchor", ""))
        if not spans:
            warnings.append(f"anchor not found: {g.get('anchor')!r}")
        anchors.append(spans)
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for same_type in (True, False):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            best: tuple[int, int] | None = None
            for pi, p in enumerate(pred):
                if pi in used_p or (same_type and p.type != g["type"]):
                    continue
                if not _interval_ok(g.get("when") or {}, p):
                    continue
                spans = [(e.start, e.end) for e in p.evidence]
                if not any(_overlap(a, s) for a in anchors[gi] for s in spans):
                    continue
                trig = [(e.start, e.end) for e in p.evidence if e.field == "type"]
                score = 2 if any(_overlap(a, s) for a in anchors[gi] for s in trig) else 1
                if best is None or score > best[0]:
                    best = (score, pi)
            if best is not None:
                pairs.append((gi, best[1]))
                used_g.add(gi)
                used_p.add(best[1])
    return pairs, warnings


# --------------------------------------------------------------- evaluation
Extractor = Callable[[str, DocumentMeta], list[Event]]


def default_extractor(gazetteer: Geoparser | None = None) -> Extractor:
    from minewatch.extract import extract_document

    def run(text: str, meta: DocumentMeta) -> list[Event]:
        return extract_document(text, meta, gazetteer=gazetteer)

    return run


def evaluate_docs(docs: Iterable[GoldDoc], extractor: Extractor | None = None) -> Report:
    """Run the extractor on every gold document and score it."""
    extractor = extractor or default_extractor()
    rep = Report()
    for doc in docs:
        meta = DocumentMeta(id=f"gold:{doc.id}", input_id=doc.id, published=doc.published)
        pred = extractor(doc.text, meta)
        rep.documents += 1
        rep.gold += len(doc.events)
        rep.predicted += len(pred)
        pairs, warns = match_events(doc.text, doc.events, pred)
        rep.warnings += [f"{doc.id}: {w}" for w in warns]
        rep.matched += len(pairs)
        matched_g = {g for g, _ in pairs}
        matched_p = {p for _, p in pairs}
        for gi, g in enumerate(doc.events):
            if gi not in matched_g:
                rep.errors.append(
                    {"doc": doc.id, "error": "missed", "type": g["type"], "anchor": g.get("anchor")}
                )
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                rep.errors.append(
                    {"doc": doc.id, "error": "spurious", "type": p.type, "summary": p.summary}
                )
        for gi, pi in pairs:
            _score_pair(rep, doc.id, doc.events[gi], pred[pi])
    return rep


def _score_pair(rep: Report, doc_id: str, g: dict[str, Any], p: Event) -> None:
    values: dict[str, tuple[Any, Any, bool]] = {
        "type": (g["type"], p.type, g["type"] == p.type),
        "status": (g.get("status", "reported"), p.status, g.get("status", "reported") == p.status),
        "context": (bool(g.get("context")), p.context, bool(g.get("context")) == p.context),
        "date": (
            g.get("when"),
            p.when.to_json(),
            _interval_equal(g.get("when") or {}, p),
        ),
    }
    ga, pa = g.get("admin1"), pred_admin1(p)
    values["admin1"] = (ga, pa, same_admin1(g.get("country"), ga, pa))
    if g["type"] == "casualty" or p.type == "casualty":
        gv = g.get("victims")
        values["victims"] = (gv, p.victims, gv == p.victims)
        for name in ("killed", "injured", "casualties"):
            gk, pk = _count_key(g.get(name)), _count_key(getattr(p, name))
            values[name] = (gk, pk, gk == pk)
    # gold written before the field existed (no key at all) is not scored on it
    if "activation" in g and (g["type"] in _ACTIVATED or p.type in _ACTIVATED):
        gact, pact = g.get("activation"), p.activation
        values["activation"] = (gact, pact, gact == pact)
    for name, (gv, pv, ok) in values.items():
        if name in _OPTIONAL and gv is None and pv is None:
            continue
        rep.field_total[name] += 1
        if ok:
            rep.field_right[name] += 1
        else:
            rep.errors.append(
                {
                    "doc": doc_id,
                    "error": "field",
                    "field": name,
                    "gold": gv,
                    "predicted": pv,
                    "anchor": g.get("anchor"),
                }
            )


# ------------------------------------------------------- kinds and dispatch
GoldKind = Callable[[list[Path], dict[str, Any]], dict[str, Any]]
_KINDS: dict[str, tuple[Callable[[dict[str, Any]], bool], GoldKind]] = {}


def register_gold_kind(
    name: str, detect: Callable[[dict[str, Any]], bool], evaluate: GoldKind
) -> None:
    """Add a kind of gold file: ``detect`` looks at the first JSON line; ``evaluate``
    gets the files of that kind and the options, and returns a JSON-able report."""
    _KINDS[name] = (detect, evaluate)


def gold_kind(path: Path) -> str:
    """The kind of a gold file, judged from its first non-empty line."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                first = json.loads(line)
                break
        else:
            return "empty"
    for name, (detect, _) in _KINDS.items():
        if detect(first):
            return name
    return "unknown"


def _evaluate_extraction(paths: list[Path], opts: dict[str, Any]) -> dict[str, Any]:
    docs: list[GoldDoc] = []
    for p in paths:
        docs += load_gold(p, opts.get("seeds_dir"))
    return evaluate_docs(docs, opts.get("extractor")).to_json()


register_gold_kind("extraction", lambda d: "events" in d, _evaluate_extraction)


def evaluate_files(paths: list[Path], **opts: Any) -> list[dict[str, Any]]:
    """Evaluate gold files, grouped by kind; one report per kind present."""
    by_kind: dict[str, list[Path]] = {}
    for p in paths:
        by_kind.setdefault(gold_kind(p), []).append(p)
    reports = []
    for kind, files in by_kind.items():
        if kind not in _KINDS:
            raise ValueError(f"unknown gold file kind for {', '.join(map(str, files))}")
        rep = _KINDS[kind][1](files, opts)
        rep.setdefault("kind", kind)
        rep["files"] = [str(f) for f in files]
        reports.append(rep)
    return reports


# --- cluster gold ("kind": "clusters") is scored by corroboration --------------
from minewatch.corroborate.evaluate import register as _register_clusters  # noqa: E402

_register_clusters(register_gold_kind)
