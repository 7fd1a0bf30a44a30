"""JSON export of a whole database and its import: same report after the trip."""

from __future__ import annotations

import base64
import json

import pytest

from minewatch.export import ArchiveError, export_archive, import_archive
from minewatch.pipeline import Pipeline
from minewatch.report import ReportOptions, make_profile, render, report_data_from_store
from minewatch.store import Store
from sample_data import populate


def _report(store: Store) -> tuple[str, str]:
    p = make_profile(
        report_data_from_store(store), ReportOptions(country="KP", generated="2025-01-01")
    )
    return render(p, "md"), render(p, "html")


def _source() -> Store:
    # Import re-extracts events and rebuilds incidents, so the source holds what the
    # pipeline derives from the sample documents (not the sample's hand-made events).
    store = Store.memory()
    populate(store)
    pipe = Pipeline(store=store, who="sample")
    pipe.extract()
    first = pipe.corroborate()[0].id
    store.add_decision("confirm", {"incident": first}, {}, "checked", who="alice")
    pipe.corroborate()
    return store


def test_import_of_an_export_gives_the_same_report() -> None:
    src = _source()
    data = json.loads(json.dumps(export_archive(src)))  # through real JSON text
    assert data["format"] == "minewatch-export"
    assert len(data["documents"]) == 5
    doc = data["documents"][0]
    assert base64.b64decode(doc["original_base64"]).decode() == doc["text"]
    dst = Store.memory()
    counts = import_archive(dst, data)
    assert counts["documents"] == 5 and counts["decisions"] == 1
    assert counts["incidents"] == len(src.incidents()) > 0
    assert counts["events_differing"] == 0 and counts["decisions_unverified"] == 0
    assert _report(dst) == _report(src)
    assert [m.id for m in dst.documents()] == [m.id for m in src.documents()]
    assert [(m.id, e.to_json()) for m, e in dst.events()] == [
        (m.id, e.to_json()) for m, e in src.events()
    ]
    assert [i.to_json() for i in dst.incidents()] == [i.to_json() for i in src.incidents()]
    dec = dst.decisions()[0]
    assert (dec.kind, dec.who, dec.reason) == ("confirm", "alice", "checked")
    assert list(dst.verify()) and all(m is None for _d, m in dst.verify())
    # and the second export equals the first, but for the decision time
    again = export_archive(dst)
    assert again["documents"][0]["original_base64"] == data["documents"][0]["original_base64"]
    assert again["incidents"] == data["incidents"]


def test_altered_original_is_refused() -> None:
    data = export_archive(_source())
    raw = bytearray(base64.b64decode(data["documents"][1]["original_base64"]))
    raw[0] ^= 1
    data["documents"][1]["original_base64"] = base64.b64encode(bytes(raw)).decode()
    dst = Store.memory()
    with pytest.raises(ArchiveError, match="SHA-256"):
        import_archive(dst, data)
    assert dst.documents() == []  # nothing written


def test_non_empty_database_and_foreign_files_are_refused() -> None:
    data = export_archive(_source())
    dst = _source()
    with pytest.raises(ArchiveError, match="not empty"):
        import_archive(dst, data)
    counts = import_archive(dst, data, force=True)
    assert counts["decisions"] == 0  # the same decision is not recorded twice
    with pytest.raises(ArchiveError, match="not a minewatch export"):
        import_archive(Store.memory(), {"type": "FeatureCollection"})
