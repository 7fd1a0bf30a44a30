"""Confidence of an incident (0..1), from sources, specificity and status.

The figure is a documented heuristic, not a probability:

=========================================  ===============================
independent sources                        1 → 0.45, 2 → 0.65, 3+ → 0.75 (+0.02 each, ≤ 0.85)
an official (military/government) source   +0.10
an NGO or UN source                        +0.05
all sources of unknown kind                −0.05
place: town/exact (precision ≤ 2)          +0.05; country or unknown (≥ 6): −0.10
time: within a month                       +0.05; unknown: −0.10
status claimed / possible / denied         −0.10 / −0.25 / −0.35
each field in conflict (at most 3)         −0.05
mean extraction confidence c of members    + 0.1 × (c − 0.5)
=========================================  ===============================

The result is clamped to 0.05..0.95; a human ``confirm`` raises it to at
least 0.95, a ``reject`` sets it to 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from minewatch.model import FieldChoice

OFFICIAL_KINDS = frozenset({"official military statement", "official government statement"})
NGO_KINDS = frozenset({"NGO", "UN"})
STATUS_PENALTY = {"reported": 0.0, "claimed": 0.10, "possible": 0.25, "denied": 0.35}


def incident_confidence(
    *,
    independent_sources: int,
    kinds: Sequence[str],
    fields: dict[str, FieldChoice],
    time_span_days: int | None,
    member_confidences: Sequence[float],
    review: str = "unreviewed",
) -> float:
    n = max(1, independent_sources)
    c = {1: 0.45, 2: 0.65}.get(n, min(0.85, 0.75 + 0.02 * (n - 3)))
    ks = set(kinds)
    if ks & OFFICIAL_KINDS:
        c += 0.10
    if ks & NGO_KINDS:
        c += 0.05
    if ks and ks <= {"unknown"}:
        c -= 0.05
    where = fields.get("where")
    prec = where.value.get("precision", 7) if where and isinstance(where.value, dict) else 7
    if prec <= 2:
        c += 0.05
    elif prec >= 6:
        c -= 0.10
    if time_span_days is None:
        c -= 0.10
    elif time_span_days <= 31:
        c += 0.05
    status = fields.get("status")
    c -= STATUS_PENALTY.get(str(status.value) if status else "reported", 0.0)
    conflicts = sum(1 for k, f in fields.items() if f.conflict and k != "quantities")
    c -= 0.05 * min(3, conflicts)
    if member_confidences:
        c += 0.1 * (sum(member_confidences) / len(member_confidences) - 0.5)
    c = min(0.95, max(0.05, c))
    if review == "confirmed":
        c = max(c, 0.95)
    elif review == "rejected":
        c = 0.0
    return round(c, 3)
