"""Done-when of issue 6 on the seeds: the KP profile lists the 2020 China-border
mine laying and soldier casualties, the September and mid-October 2023 defector
casualties near Musan and the 2023-24 DMZ casualties among soldiers, each
footnoted to the right seed documents, unknown counts shown as unknown; the
exports load back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from minewatch.export import export_archive, import_archive
from minewatch.model import Count
from minewatch.report import ReportOptions, make_profile, render, report_data_from_store
from minewatch.report.profile import Profile
from minewatch.store import Store

pytestmark = pytest.mark.shared


def _pipeline(store: Store, seeds: Path) -> None:
    from minewatch.pipeline import Pipeline

    pipe = Pipeline(store=store, who="test")
    pipe.ingest([seeds])
    pipe.extract()
    pipe.corroborate()


@pytest.fixture(scope="module")
def seeded() -> tuple[Store, Profile]:
    from conftest import require_shared

    store = Store.memory()
    _pipeline(store, require_shared())
    opts = ReportOptions(country="KP", generated="2025-01-01")
    return store, make_profile(report_data_from_store(store), opts)


def _ref(p: Profile, prefix: str) -> int:
    """Footnote number of the seed whose file name starts with ``prefix``."""
    return next(s.n for s in p.sources if Path(s.input_id or "").name.startswith(prefix))


def test_2020_china_border_mine_laying_and_soldier_casualties(seeded) -> None:  # type: ignore[no-untyped-def]
    _store, p = seeded
    use = [v for v in p.use_timeline if v.year == 2020]
    assert use, "the 2020 mine laying on the China border is missing"
    assert any(_ref(p, "000") in v.refs for v in use)
    assert any(re.search(r"Ryanggang|China|Hamgyong", v.place_text) for v in use)
    cas = [r for r in p.casualty_rows if r.year == 2020 and r.group == "military"]
    assert cas and _ref(p, "000") in cas[0].basis.refs
    assert cas[0].injured is not None and cas[0].killed is None  # killed: not reported


def test_2023_defector_casualties_near_musan(seeded) -> None:  # type: ignore[no-untyped-def]
    _store, p = seeded
    musan = [v for v in p.incidents if v.type == "casualty" and "Musan" in v.place_text]
    # dated events only: an undated report ("recently") is no month of its own
    by_month = {
        v.when.start[:7]: v for v in musan if v.when.start and v.when.precision != "reported"
    }
    assert {"2023-09", "2023-10"} <= set(by_month)
    sept, octo = by_month["2023-09"], by_month["2023-10"]
    assert sept.split.killed == Count.exact(3)
    assert octo.split.unsplit == Count.exact(5) and octo.split.killed is None
    assert octo.date_text == "mid-October 2023"
    for v in (sept, octo):
        assert _ref(p, "002") in v.refs
        assert v.victims == "civilian"


def test_dmz_soldier_casualties_with_unknown_count(seeded) -> None:  # type: ignore[no-untyped-def]
    _store, p = seeded
    dmz = [
        v
        for v in p.incidents
        if v.type == "casualty" and v.year in (2023, 2024) and v.victims == "military"
    ]
    assert dmz and any(_ref(p, "003") in v.refs for v in dmz)
    total = dmz[0].split.total()
    assert total is not None and total.best is None  # "numerous": a number nobody gave
    md = render(p, "md")
    table = md.split("## Casualties", 1)[1].split("## Use of mines", 1)[0]
    assert "exact number unknown" in table and "| 0 |" not in table
    sha = next(s.sha256 for s in p.sources if s.n == _ref(p, "003"))
    assert re.search(rf"\[\^{_ref(p, '003')}\]: .*{sha}", md)


def test_seed_exports_load_back(seeded) -> None:  # type: ignore[no-untyped-def]
    store, p = seeded
    data = json.loads(json.dumps(export_archive(store)))
    copy = Store.memory()
    import_archive(copy, data)
    opts = ReportOptions(country="KP", generated="2025-01-01")
    again = make_profile(report_data_from_store(copy), opts)
    assert render(again, "html") == render(p, "html")
