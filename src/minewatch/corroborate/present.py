"""Plain-text and JSON renderings of incidents (used by the CLI and reports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minewatch.corroborate.decisions import EDITABLE_FIELDS
from minewatch.model import Incident

#: Fields shown side by side by ``incidents show``, in this order: every field a
#: person may edit except the type, which names the incident.
SHOW_FIELDS = tuple(f for f in EDITABLE_FIELDS if f != "type")


def fmt_count(v: Any) -> str:
    """``{"low": 10, "best": 12, "high": 99}`` -> ``12 (10-99)``; None -> ``-``."""
    if not isinstance(v, dict):
        return "-" if v is None else str(v)
    low, best, high = v.get("low"), v.get("best"), v.get("high")
    hi = "?" if high is None else str(high)
    if best is None:
        return f"{low}+ (number unknown)" if high is None else f"? ({low}-{hi})"
    if low == best == high:
        return str(best)
    return f"{best} ({low}-{hi})"


def fmt_when(v: Any) -> str:
    if not isinstance(v, dict):
        return "-"
    start, end, prec = v.get("start"), v.get("end"), v.get("precision", "")
    if not start and not end:
        return "unknown"
    if start == end or not end:
        span = f"{start}.." if prec == "open" else str(start)
    else:
        span = f"{start}..{end}"
    return f"{span} ({prec})" if prec else span


def fmt_place(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(fmt_place(p) for p in v) or "-"
    if not isinstance(v, dict):
        return "-" if v is None else str(v)
    name = v.get("name") or v.get("text") or v.get("place_id") or "?"
    bits = [b for b in (v.get("admin1"), v.get("country")) if b and b != name]
    where = f"{name}, {', '.join(bits)}" if bits else name
    return f"{where} (prec {v.get('precision', '?')})"


def fmt_value(name: str, v: Any) -> str:
    """A field value as a short string."""
    if name in ("killed", "injured", "casualties"):
        return fmt_count(v)
    if name == "when":
        return fmt_when(v)
    if name == "where":
        return fmt_place(v)
    if name.startswith("quantity:"):
        return fmt_quantity(v)
    if name == "sources" and isinstance(v, dict):
        via = f" via {v['derived_from'][:19]}" if v.get("derived_from") else ""
        return f"{v.get('source')} [{v.get('kind')}; {v.get('method')}{via}]"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v) or "-"
    return "-" if v is None else str(v)


def fmt_quantity(v: Any) -> str:
    if not isinstance(v, dict):
        return "-"
    value, unit = v.get("value"), v.get("unit", "")
    low, high = v.get("low"), v.get("high")
    rng = f" ({_num(low)}-{_num(high)} {unit})" if low is not None and high is not None else ""
    orig = ""
    if v.get("original_value") is not None and v.get("original_unit"):
        orig = f" = {_num(v['original_value'])} {v['original_unit']}"
    return f"{_num(value)} {unit}{rng}{orig} “{v.get('text', '')}”"


def _num(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"
    return str(x)


def fmt_counts(inc: Incident) -> str:
    """``killed 3; injured 12 (10-99)`` — only the counts that are known."""
    parts = [
        f"{name} {fmt_count(inc.value(name))}"
        for name in ("killed", "injured", "casualties")
        if inc.value(name) is not None
    ]
    return "; ".join(parts) or "-"


def conflicts(inc: Incident) -> list[str]:
    """Names of fields whose reports disagree."""
    return [k for k, f in inc.fields.items() if f.conflict and k != "quantities"]


def incident_row(inc: Incident) -> dict[str, str]:
    """One line of ``minewatch incidents``."""
    members = [m for m in inc.members if m.role == "member"]
    mentions = len(inc.members) - len(members)
    docs = len({m.document_id for m in members})
    return {
        "id": inc.id,
        "type": inc.type,
        "when": fmt_when(inc.value("when")),
        "where": fmt_place(inc.value("where")),
        "counts": fmt_counts(inc),
        "documents": f"{docs}" + (f" +{mentions} mention" if mentions else ""),
        "sources": str(inc.independent_sources),
        "conflicts": ", ".join(conflicts(inc)) or "-",
        "review": inc.review,
        "confidence": f"{inc.confidence:.2f}",
    }


def incident_json(inc: Incident) -> dict[str, Any]:
    """The incident's JSON: the same shape the store keeps (``Incident.to_json``)."""
    return inc.to_json()


def side_by_side(
    inc: Incident, text_of: Callable[[str], str], *, width: int = 160
) -> list[dict[str, Any]]:
    """Per field: chosen value, rule, conflict and each report with its evidence text."""
    names = [n for n in SHOW_FIELDS if n in inc.fields]
    names += sorted(n for n in inc.fields if n.startswith("quantity:"))
    names += ["sources"] if "sources" in inc.fields else []
    roles = {m.event_key: m.role for m in inc.members}
    cache: dict[str, str] = {}
    out = []
    for name in names:
        fc = inc.fields[name]
        if not fc.reported and fc.value in (None, [], False) and name != "context":
            continue
        reports = []
        for r in fc.reported:
            if r.document_id not in cache:
                try:
                    cache[r.document_id] = text_of(r.document_id)
                except Exception:  # text missing: show the value without evidence
                    cache[r.document_id] = ""
            text = cache[r.document_id]
            snippets = [
                _clip(text[e.start : e.end], width) for e in r.evidence if 0 <= e.start < e.end
            ]
            reports.append(
                {
                    "document": _short(r.input_id) or r.document_id,
                    "event_key": r.event_key,
                    "role": roles.get(r.event_key, "member"),
                    "value": r.value,
                    "shown": fmt_value(name, r.value),
                    "evidence": [
                        {"start": e.start, "end": e.end, "text": s}
                        for e, s in zip(r.evidence, snippets, strict=False)
                    ],
                }
            )
        out.append(
            {
                "field": name,
                "value": fc.value,
                "shown": fmt_value(name, fc.value)
                if name != "sources"
                else ", ".join(fc.value or []),
                "rule": fc.rule,
                "conflict": fc.conflict,
                "reports": reports,
            }
        )
    return out


def _short(input_id: str | None) -> str | None:
    """A file name without its directories (input ids may be paths as given)."""
    if not input_id:
        return input_id
    return input_id.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or input_id


def _clip(s: str, width: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"
