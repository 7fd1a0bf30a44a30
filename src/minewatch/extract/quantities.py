"""Measured quantities with units normalised (lengths in m, areas in m2, mass in g)."""

from __future__ import annotations

import re

from minewatch.extract.counts import CountReader
from minewatch.extract.gate import fold_pattern, refind
from minewatch.extract.rules import Rules
from minewatch.model import Quantity

_NORMAL_UNIT = {"length": "m", "area": "m2", "mass": "g"}
_DEFAULT_KIND = {"length": "distance", "area": "area", "mass": "mass"}


class QuantityReader:
    def __init__(self, rules: Rules, counts: CountReader) -> None:
        self.rules = rules
        self.counts = counts
        num = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|hundred|a hundred)"  # noqa: E501
        unit_alt = "|".join(f"(?P<u{i}>{u.pattern})" for i, u in enumerate(rules.units))
        self.pattern = re.compile(
            rf"(?<![\w.,])(?P<n1>{num})(?:\s*(?:to|-|–)\s*(?P<n2>{num}))?[\s-]*(?:{unit_alt})(?![\w²])",
            re.IGNORECASE,
        )
        self.folded = fold_pattern(self.pattern)

    def _val(self, s: str) -> float | None:
        s = s.replace(",", "")
        try:
            return float(s)
        except ValueError:
            v = self.counts.value(s)
            return None if v is None else float(v)

    def find(self, text: str, start: int, end: int, low: str | None = None) -> list[Quantity]:
        """Quantities inside ``text[start:end]`` (offsets are document offsets). ``low``:
        the text lower-cased by ``gate.lowered``, for a faster scan with the same matches."""
        out: list[Quantity] = []
        found = (
            self.pattern.finditer(text, start, end)
            if low is None or self.folded is None
            else refind(self.pattern, self.folded, text, low, start, end)
        )
        for m in found:
            idx = next(i for i, u in enumerate(self.rules.units) if m.group(f"u{i}"))
            unit = self.rules.units[idx]
            v1 = self._val(m.group("n1"))
            if v1 is None:
                continue
            v2 = self._val(m.group("n2")) if m.group("n2") else None
            if v2 is not None and v2 <= v1:
                continue
            unit_text = m.group(f"u{idx}")
            around = text[max(start, m.start() - 60) : min(end, m.end() + 40)]
            kind = _DEFAULT_KIND[unit.dimension]
            a0 = max(start, m.start() - 60)
            qpos = m.start() - a0
            ranked = []
            for k, pat in self.rules.quantity_kinds:
                dists = [
                    min(abs(km.start() - qpos), abs(km.end() - (m.end() - a0)))
                    for km in pat.finditer(around)
                ]
                if dists:
                    ranked.append((min(dists), k))
            for _, k in sorted(ranked):
                if _fits(k, unit.dimension):
                    kind = k
                    break
            f = unit.factor
            value = v1 * f if v2 is None else (v1 + v2) / 2 * f
            out.append(
                Quantity(
                    kind=kind,
                    value=round(value, 3),
                    unit=_NORMAL_UNIT[unit.dimension],
                    text=m.group(),
                    start=m.start(),
                    end=m.end(),
                    low=round(v1 * f, 3) if v2 is not None else None,
                    high=round(v2 * f, 3) if v2 is not None else None,
                    original_value=v1 if v2 is None else None,
                    original_unit=unit_text,
                )
            )
        return out


def _fits(kind: str, dimension: str) -> bool:
    """Whether a quantity kind can be measured in a dimension (no kill radius in grams)."""
    if dimension == "mass":
        return kind == "explosive_mass"
    if dimension == "area":
        return kind in ("area_cleared", "area_contaminated")
    return kind not in ("explosive_mass", "area_cleared", "area_contaminated")
