"""Measured quantities with units normalised (lengths in m, areas in m2, mass in g)."""

from __future__ import annotations

import re

from minewatch.extract.counts import EXACT, CountReader
from minewatch.extract.gate import fold_pattern, refind
from minewatch.extract.rules import WORD_LEFT, Rules
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
        self.items = ItemCounter(rules, counts)

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
        out.extend(self.items.find(text, start, end))
        for m in found:
            if any(q.start <= m.start() < q.end for q in out if q.unit == "count"):
                continue  # "2.3 million mines": the count, not "2.3 m"
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


class ItemCounter:
    """Counts of devices: "more than 600 AP mines", "2,410 items of unexploded ordnance"
    (units.yaml ``items``; the count read under DESIGN's table by :class:`CountReader`)."""

    def __init__(self, rules: Rules, counts: CountReader) -> None:
        cfg = rules.raw["units"]["items"]
        self.counts = counts
        self.kinds: dict[str, str] = dict(cfg["kinds"])
        self.types = frozenset(cfg["types"])
        devs = [(d.device, d.pattern.pattern) for d in rules.devices if d.device in self.kinds]
        devs.append(("unspecified mine", WORD_LEFT + "(?:" + cfg["mine_noun"] + r")(?![\w])"))
        self.devices = [d for d, _ in devs]
        alt = "|".join(f"(?P<d{i}>{p[len(WORD_LEFT) :]})" for i, (_, p) in enumerate(devs))
        word = rf"(?!(?:{cfg['stop']})\b)[\w'’-]+"
        self.after = re.compile(
            rf"\s+(?:{word}\s+){{0,{int(cfg['max_words'])}}}?(?:{cfg['of_items']}\s+)?(?:{alt})",
            re.IGNORECASE,
        )
        self.year_before = re.compile(cfg["year_before"], re.IGNORECASE)

    def find(self, text: str, start: int, end: int) -> list[Quantity]:
        """Counted devices inside ``text[start:end]`` (document offsets)."""
        out: list[Quantity] = []
        for cm in self.counts.pattern.finditer(text, start, end):
            cp = self.counts.read(cm)
            if cp is None:  # (refused or not: max_people is for people, not mines)
                continue
            dm = self.after.match(text, cp.end, end)
            if dm is None:
                continue
            written = text[cp.start : cp.end]
            if re.fullmatch(r"(?:19|20)\d\d", written) and self.year_before.search(
                text, max(start, cp.start - 12), cp.start
            ):
                continue
            if written.lower() in ("a", "an", "single"):
                continue  # "found a mine": an article, not a figure
            device = self.devices[int((dm.lastgroup or "d0")[1:])]
            c = cp.count
            if c.best is None:
                continue
            ranged = cp.specificity != EXACT
            out.append(
                Quantity(
                    kind=self.kinds[device],
                    value=float(c.best),
                    unit="count",
                    text=text[cp.start : dm.end()],
                    start=cp.start,
                    end=dm.end(),
                    low=float(c.low) if ranged else None,
                    high=float(c.high) if ranged and c.high is not None else None,
                    device=device,
                )
            )
        return out
