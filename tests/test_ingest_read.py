"""Reading inputs without a store: formats, encodings, bad input, globs, stdin."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from minewatch.ingest import IngestError, plan_inputs, read_inputs
from minewatch.model import DocumentMeta

ARTICLE = (
    "Two soldiers were injured by an anti-personnel mine near the border on Monday, "
    "officials said. Engineers had been clearing the area since spring.\n"
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Mine blast injures two | Example Herald</title>
<meta property="og:site_name" content="Example Herald">
<meta name="author" content="Anna Reporter">
<meta property="article:published_time" content="2023-11-07T09:30:00+09:00">
<link rel="canonical" href="https://example.org/news/mine-blast"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Mine blast injures two</h1>
<p>Two soldiers were injured by an anti-personnel mine near the border on Monday,
officials said.</p><p>Engineers had been clearing the area since spring.</p></article>
<footer>Copyright Example Herald</footer></body></html>
"""


def _error_for(tmp_path: Path, name: str, data: bytes, max_bytes: int = 10**6) -> IngestError:
    p = tmp_path / name
    p.write_bytes(data)
    docs, errors = read_inputs([str(p)], max_bytes=max_bytes)
    assert docs == []
    assert len(errors) == 1
    assert errors[0].path == str(p)
    return errors[0]


# -- plain text ------------------------------------------------------------------


def test_utf8_text_keeps_original_bytes_and_derives_text(tmp_path: Path) -> None:
    data = ("Caf\u00e9 \u2014 " + ARTICLE).replace("\n", "\r\n").encode("utf-8")
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    docs, errors = read_inputs([str(p)])
    assert errors == []
    (doc,) = docs
    assert doc.original == data
    assert doc.text == "Caf\u00e9 \u2014 " + ARTICLE  # CRLF -> LF in the derived text
    assert doc.media_type == "text/plain; charset=utf-8"
    assert doc.input_id == str(p)
    assert doc.id == "sha256:" + hashlib.sha256(data).hexdigest()
    meta = doc.meta()
    assert isinstance(meta, DocumentMeta)
    assert meta.id == doc.id and meta.input_id == str(p)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_western_encoding_is_detected(tmp_path: Path, encoding: str) -> None:
    text = (
        "Le caf\u00e9 pr\u00e8s de la fronti\u00e8re \u00e9tait ferm\u00e9. Les soldats ont "
        "pos\u00e9 des mines; les r\u00e9fugi\u00e9s, \u00e9puis\u00e9s, ont d\u00e9crit une "
        "\u00ab zone interdite \u00bb. Na\u00efve pr\u00e9vision \u00e0 peine v\u00e9rifi\u00e9e."
    )
    data = text.encode(encoding)
    p = tmp_path / "fr.txt"
    p.write_bytes(data)
    (doc,), errors = read_inputs([str(p)])
    assert errors == []
    assert doc.text == text
    assert doc.original == data
    assert doc.media_type in ("text/plain; charset=windows-1252", "text/plain; charset=iso-8859-1")


def test_cp1252_curly_quotes(tmp_path: Path) -> None:
    text = (
        "Officials said the caf\u00e9 was closed \u2014 \u201cwe don\u2019t know\u201d, na\u00efve."
    )
    p = tmp_path / "q.txt"
    p.write_bytes(text.encode("cp1252"))
    (doc,), _ = read_inputs([str(p)])
    assert doc.text == text
    assert doc.media_type == "text/plain; charset=windows-1252"


def test_korean_euc_kr_is_detected(tmp_path: Path) -> None:
    text = (
        "북한군이 군사분계선 일대에서 지뢰를 매설하다가 폭발 사고가 발생해 여러 명이 "
        "숨지거나 다쳤다고 합동참모본부가 밝혔다. 군 당국은 추가 피해 여부를 확인하고 있다."
    )
    p = tmp_path / "ko.txt"
    p.write_bytes(text.encode("euc-kr"))
    (doc,), _ = read_inputs([str(p)])
    assert doc.text == text


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "u16.txt"
    p.write_bytes(ARTICLE.encode("utf-16"))
    (doc,), _ = read_inputs([str(p)])
    assert doc.text == ARTICLE
    assert doc.media_type == "text/plain; charset=utf-16"


# -- bad input: one line each, naming the file and the reason -----------------------


def test_empty_file(tmp_path: Path) -> None:
    e = _error_for(tmp_path, "empty.txt", b"")
    assert e.reason == "empty file"
    assert str(e) == f"{tmp_path / 'empty.txt'}: empty file"


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "empty" in _error_for(tmp_path, "blank.txt", b" \n\t\r\n ").reason


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    e = _error_for(tmp_path, "blob.txt", bytes(range(256)) * 8)
    assert e.reason.startswith("binary file")


def test_binary_file_by_signature(tmp_path: Path) -> None:
    e = _error_for(tmp_path, "report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert e.reason == "binary file (PDF), not text"


def test_control_characters_are_binary(tmp_path: Path) -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50 + b"some words"
    assert "binary" in _error_for(tmp_path, "ctl.txt", data).reason


def test_over_size_limit(tmp_path: Path) -> None:
    e = _error_for(tmp_path, "big.txt", b"mine " * 100, max_bytes=100)
    assert e.reason == "over size limit: 500 bytes > 100 (see --max-bytes)"


def test_default_size_limit_is_20_mb(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:  # sparse-ish: 20 MB + 1 byte of text
        fh.write(b"a" * (20_000_001))
    _, errors = read_inputs([str(p)])
    assert "over size limit" in errors[0].reason


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    docs, errors = read_inputs([missing])
    assert docs == []
    assert str(errors[0]) == f"{missing}: no such file or directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text(ARTICLE)
    p.chmod(0)
    try:
        _, errors = read_inputs([str(p)])
    finally:
        p.chmod(0o644)
    assert str(errors[0]) == f"{p}: cannot read: Permission denied"


def test_read_failure_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root ignores file modes, so also simulate the OS refusing the read.
    p = tmp_path / "locked.txt"
    p.write_text(ARTICLE)
    (tmp_path / "ok.txt").write_text(ARTICLE + "more")
    real = os.open

    def os_open(path: Any, flags: int, *args: Any) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args)

    monkeypatch.setattr(os, "open", os_open)
    docs, errors = read_inputs([str(p), str(tmp_path / "ok.txt")])
    assert str(errors[0]) == f"{p}: cannot read: Permission denied"
    assert len(docs) == 1


def test_broken_symlink_is_unreadable(tmp_path: Path) -> None:
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    _, errors = read_inputs([str(link)])
    assert str(errors[0]) == f"{link}: broken symbolic link"


def test_batch_continues_after_errors(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("Another report about mines.")
    docs, errors = read_inputs([str(tmp_path)])
    assert [Path(d.input_id).name for d in docs] == ["a.txt", "c.txt"]
    assert [Path(e.path).name for e in errors] == ["b.txt"]


# -- HTML --------------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(HTML_PAGE, encoding="utf-8")
    (doc,), errors = read_inputs([str(p)])
    assert errors == []
    assert doc.original == HTML_PAGE.encode("utf-8")
    assert doc.media_type == "text/html; charset=utf-8"
    assert doc.extractor == "trafilatura"
    assert "anti-personnel mine near the border" in doc.text
    assert "Copyright" not in doc.text and "<p>" not in doc.text
    m = doc.metadata
    assert m["title"] == "Mine blast injures two"
    assert m["published"] == "2023-11-07"  # timestamp cut to its date
    assert m["author"] == "Anna Reporter"
    assert m["site"] == "Example Herald"
    assert m["url"] == "https://example.org/news/mine-blast"
    assert m["language"] == "en"


def test_html_with_no_main_text(tmp_path: Path) -> None:
    page = b"<html><head><title>Login</title><script>go()</script></head><body></body></html>"
    assert _error_for(tmp_path, "login.html", page).reason == "HTML with no main text"


def test_html_sniffed_without_suffix(tmp_path: Path) -> None:
    p = tmp_path / "download"
    p.write_text(HTML_PAGE)
    (doc,), _ = read_inputs([str(p)])
    assert doc.media_type.startswith("text/html")


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    page = HTML_PAGE.replace("<head>", '<head><meta charset="windows-1252">').replace(
        "Engineers", "Ing\u00e9nieurs"
    )
    p = tmp_path / "legacy.htm"
    p.write_bytes(page.encode("cp1252"))
    (doc,), _ = read_inputs([str(p)])
    assert "Ing\u00e9nieurs" in doc.text
    assert doc.media_type == "text/html; charset=windows-1252"


# -- JSONL ---------------------------------------------------------------------------


def _jsonl(*objs: object) -> bytes:
    return b"".join((o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objs)


def test_jsonl_documents_with_metadata(tmp_path: Path) -> None:
    p = tmp_path / "batch.jsonl"
    p.write_bytes(
        _jsonl(
            {"id": "r1", "text": ARTICLE, "title": "First", "published": "2020-10"},
            {"html": HTML_PAGE, "publisher": "Example Herald"},
            {"id": 7, "text": "Third report.", "language": "ko"},
        )
    )
    docs, errors = read_inputs([str(p)])
    assert errors == []
    assert [d.input_id for d in docs] == ["r1", f"{p}:2", "7"]
    assert [d.line for d in docs] == [1, 2, 3]
    assert docs[0].original == ARTICLE.encode("utf-8")
    assert docs[0].metadata["title"] == "First"
    assert docs[0].metadata["published"] == "2020-10"
    assert docs[1].media_type.startswith("text/html")
    assert docs[1].metadata["publisher"] == "Example Herald"
    assert docs[1].metadata["title"] == "Mine blast injures two"  # from the HTML itself
    assert docs[2].metadata["language"] == "ko"


def test_jsonl_bad_line_in_the_middle(tmp_path: Path) -> None:
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(
        _jsonl(
            {"id": "a", "text": "First mine report."},
            {"id": "b", "text": "Second mine report."},
            b'{"id": "c", "text": "unterminated',
            {"id": "d", "text": "Fourth mine report."},
            {"id": "e", "text": "Fifth mine report."},
        )
    )
    docs, errors = read_inputs([str(p)])
    assert [d.input_id for d in docs] == ["a", "b", "d", "e"]
    (e,) = errors
    assert e.line == 3
    assert str(e).startswith(f"{p}:3: malformed JSONL line")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"[1, 2]", "expected an object"),
        (b'{"id": "x"}', "needs exactly one of 'text' or 'html'"),
        (b'{"text": "a", "html": "<p>a</p>"}', "both 'text' and 'html'"),
        (b'{"text": 5}', "must be a string"),
        (b'{"text": ""}', "empty document"),
        (b'{"text": "ok", "published": "last Tuesday"}', "published 'last Tuesday'"),
        (b'{"html": "<html><body></body></html>"}', "HTML with no main text"),
        (b'{"text": "caf\xe9"}', "not UTF-8"),
    ],
)
def test_jsonl_line_errors(tmp_path: Path, line: bytes, reason: str) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_bytes(_jsonl({"text": "A good line."}, line))
    docs, errors = read_inputs([str(p)])
    assert len(docs) == 1
    assert errors[0].line == 2
    assert reason in errors[0].reason


def test_jsonl_size_limit_is_per_document(tmp_path: Path) -> None:
    p = tmp_path / "sizes.jsonl"
    p.write_bytes(_jsonl({"text": "short"}, {"text": "x" * 200}, {"text": "also short"}))
    docs, errors = read_inputs([str(p)], max_bytes=100)
    assert len(docs) == 2
    assert errors[0].line == 2 and "over size limit" in errors[0].reason


def test_same_article_as_file_and_jsonl_has_one_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.jsonl").write_bytes(_jsonl({"id": "x", "text": ARTICLE}))
    (tmp_path / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "c.jsonl").write_bytes(_jsonl({"id": "y", "html": HTML_PAGE}))
    docs, errors = read_inputs([str(tmp_path)])
    assert errors == []
    by_id = {d.input_id: d.id for d in docs}
    assert by_id[str(tmp_path / "a.txt")] == by_id["x"]
    assert by_id[str(tmp_path / "page.html")] == by_id["y"]


# -- directories, globs, stdin ----------------------------------------------------


def _tree(root: Path) -> None:
    for rel in ["b.txt", "a.txt", "sub/c.html", "sub/deep/d.txt", "notes.csv", ".hidden.txt"]:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(HTML_PAGE if rel.endswith(".html") else f"Report {rel} on mines.")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("not a report")


def test_directory_is_recursive_and_sorted(tmp_path: Path) -> None:
    _tree(tmp_path)
    plan = plan_inputs([str(tmp_path)])
    rel = [f.relative for f in plan.files]
    assert rel == ["a.txt", "b.txt", "sub/c.html", "sub/deep/d.txt"]
    assert plan.files[2].input_id == str(tmp_path / "sub" / "c.html")
    assert plan.skipped == [str(tmp_path / "notes.csv")]


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    _tree(tmp_path)
    only_txt = plan_inputs([str(tmp_path)], include=["*.txt"], exclude=["sub/deep/*"])
    assert [f.relative for f in only_txt.files] == ["a.txt", "b.txt"]
    deep = plan_inputs([str(tmp_path)], include=["**/d.txt", "*.csv"])
    assert [f.relative for f in deep.files] == ["notes.csv", "sub/deep/d.txt"]
    no_html = plan_inputs([str(tmp_path)], exclude=["*.html"])
    assert "sub/c.html" not in [f.relative for f in no_html.files]


def test_stdin_text(tmp_path: Path) -> None:
    docs, errors = read_inputs(["-"], stdin=io.BytesIO(ARTICLE.encode()), overrides={"title": "T"})
    assert errors == []
    (doc,) = docs
    assert doc.input_id == "-"
    assert doc.text == ARTICLE
    assert doc.metadata["title"] == "T"


def test_stdin_jsonl_is_sniffed() -> None:
    data = _jsonl({"id": "s1", "text": "From a pipe."}, {"text": "Second."})
    docs, _ = read_inputs(["-"], stdin=io.BytesIO(data))
    assert [d.input_id for d in docs] == ["s1", "-:2"]


def test_stdin_empty() -> None:
    _, errors = read_inputs(["-"], stdin=io.BytesIO(b""))
    assert str(errors[0]) == "-: empty file"
