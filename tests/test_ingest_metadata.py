"""Metadata: partial dates stay partial, sidecars, flags, precedence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.ingest import (
    MetadataError,
    load_sidecar,
    normalize_language,
    normalize_published,
    read_inputs,
)


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("2025", "2025"),
        ("2020-10", "2020-10"),
        ("2023-11-07", "2023-11-07"),
        (" 2024-06 ", "2024-06"),
        ("2023-11-07T09:30:00+09:00", "2023-11-07"),
        ("2023-11-07 09:30", "2023-11-07"),
        ("2024-02-29", "2024-02-29"),
        ("", None),
        (None, None),
    ],
)
def test_published_keeps_its_precision(raw: str | None, kept: str | None) -> None:
    assert normalize_published(raw) == kept


@pytest.mark.parametrize(
    "garbage",
    ["last Tuesday", "2020-13", "2023-02-30", "20", "2020/10/01", "07-11-2023", "2020-1", "n/a"],
)
def test_published_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(MetadataError, match="published"):
        normalize_published(garbage)


@settings(max_examples=60, deadline=None)
@given(st.dates(), st.sampled_from(["year", "month", "day"]))
def test_published_never_padded(d: object, precision: str) -> None:
    full = str(d)
    partial = {"year": full[:4], "month": full[:7], "day": full}[precision]
    assert normalize_published(partial) == partial


def test_language_tags() -> None:
    assert normalize_language("EN") == "en"
    assert normalize_language("en_GB") == "en-GB"
    with pytest.raises(MetadataError, match="language"):
        normalize_language("English (UK)")


def _write(p: Path, text: str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_sources_csv_next_to_files_is_used(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "Mines were laid along the river.")
    _write(tmp_path / "b.txt", "A deminer was injured.")
    _write(
        tmp_path / "sources.csv",
        "file,title,publisher,published,url,language,notes\n"
        'a.txt,"River mines, again",Daily NK,2020-10,https://x.example/a,en,a note\n'
        "b.txt,Deminer hurt,,2025,,,\n",
    )
    docs, errors = read_inputs([str(tmp_path)])
    assert errors == []
    assert len(docs) == 2  # the sidecar itself is not a document
    a, b = docs
    assert a.meta().title == "River mines, again"
    assert a.meta().publisher == "Daily NK"
    assert a.meta().published == "2020-10"
    assert a.meta().url == "https://x.example/a"
    assert b.meta().published == "2025"
    assert b.meta().publisher is None  # empty cell = unknown


def test_sidecar_applies_to_a_file_named_directly(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", "Mines were laid along the river.")
    _write(tmp_path / "metadata.json", json.dumps({"a.txt": {"title": "From JSON"}}))
    (doc,), _ = read_inputs([str(a)])
    assert doc.metadata["title"] == "From JSON"


def test_explicit_metadata_file_json_list_and_subdirectory_keys(tmp_path: Path) -> None:
    _write(tmp_path / "in" / "x" / "a.txt", "First report.")
    _write(tmp_path / "in" / "y" / "a.txt", "Second report.")
    meta = _write(
        tmp_path / "in" / "meta.json",
        json.dumps(
            [
                {"file": "x/a.txt", "title": "X", "published": "2019"},
                {"file": "y/a.txt", "title": "Y"},
            ]
        ),
    )
    docs, errors = read_inputs([str(tmp_path / "in")], metadata_file=meta)
    assert errors == []
    assert [d.metadata["title"] for d in docs] == ["X", "Y"]
    assert docs[0].metadata["published"] == "2019"


def test_precedence_flags_over_explicit_over_sidecar_over_document(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Page title</title></head><body><article><p>Mines were found "
        "near the road by farmers working the fields.</p></article></body></html>"
    )
    f = _write(tmp_path / "p.html", page)
    _write(tmp_path / "sources.csv", "file,title,publisher,language\np.html,Sidecar,Pub A,en\n")
    explicit = _write(tmp_path / "m.csv", "name,publisher\np.html,Pub B\n")
    (doc,), _ = read_inputs([str(f)])
    assert doc.metadata["title"] == "Sidecar"
    (doc,), _ = read_inputs([str(f)], metadata_file=explicit)
    assert (doc.metadata["title"], doc.metadata["publisher"]) == ("Sidecar", "Pub B")
    (doc,), _ = read_inputs([str(f)], metadata_file=explicit, overrides={"title": "Flag"})
    assert (doc.metadata["title"], doc.metadata["publisher"]) == ("Flag", "Pub B")
    assert doc.metadata["language"] == "en"


def test_jsonl_lines_match_sidecar_by_id(tmp_path: Path) -> None:
    f = _write(tmp_path / "d.jsonl", '{"id": "r9", "text": "Mines.", "title": "Own"}\n')
    meta = _write(tmp_path / "m.json", json.dumps({"r9": {"publisher": "RFA"}}))
    (doc,), _ = read_inputs([str(f)], metadata_file=meta)
    assert (doc.metadata["title"], doc.metadata["publisher"]) == ("Own", "RFA")


def test_bad_published_in_sidecar_fails_that_document(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "First report.")
    _write(tmp_path / "b.txt", "Second report.")
    _write(tmp_path / "sources.csv", "file,published\na.txt,sometime\nb.txt,2021-03\n")
    docs, errors = read_inputs([str(tmp_path)])
    assert [d.metadata["published"] for d in docs] == ["2021-03"]
    assert str(errors[0]).startswith(f"{tmp_path / 'a.txt'}: published 'sometime'")
    assert "sources.csv" in errors[0].reason


def test_malformed_explicit_metadata_file_is_refused(tmp_path: Path) -> None:
    f = _write(tmp_path / "a.txt", "Report.")
    bad = _write(tmp_path / "m.json", "{not json")
    with pytest.raises(MetadataError, match="malformed JSON"):
        read_inputs([str(f)], metadata_file=bad)
    nokey = _write(tmp_path / "m.csv", "title,url\nT,U\n")
    with pytest.raises(MetadataError, match="no file-name column"):
        load_sidecar(nokey)


def test_bad_flag_value_is_refused(tmp_path: Path) -> None:
    f = _write(tmp_path / "a.txt", "Report.")
    with pytest.raises(MetadataError, match="published"):
        read_inputs([str(f)], overrides={"published": "yesterday"})


def test_broken_auto_sidecar_is_reported_once(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "First report.")
    _write(tmp_path / "b.txt", "Second report.")
    _write(tmp_path / "metadata.json", "[1, 2")
    docs, errors = read_inputs([str(tmp_path)])
    assert len(docs) == 2
    assert [e.path for e in errors] == [str(tmp_path / "metadata.json")]


def test_seed_metadata_from_sources_csv(seeds_dir: Path) -> None:
    docs, errors = read_inputs([str(seeds_dir)])
    assert errors == []
    assert len(docs) == 5
    published = {Path(d.input_id).name[:3]: d.meta().published for d in docs}
    assert published == {
        "000": "2020-10",
        "001": "2023-11-28",
        "002": "2023-11-07",
        "003": "2024-06",
        "004": "2025",
    }
    assert all(d.meta().title for d in docs)
    assert all(d.meta().language == "en" for d in docs)
