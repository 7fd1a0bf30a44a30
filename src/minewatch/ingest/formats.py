"""Readers per input format: bytes in, :class:`SourceDoc` or :class:`IngestError` out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from minewatch.ingest.decode import Refused, decode_text
from minewatch.ingest.html import EXTRACTOR as HTML_EXTRACTOR
from minewatch.ingest.html import EXTRACTOR_VERSION as HTML_EXTRACTOR_VERSION
from minewatch.ingest.html import extract_html, looks_like_html
from minewatch.ingest.metadata import MetadataError, clean_metadata
from minewatch.ingest.records import IngestError, SourceDoc

#: Name and version of the plain-text "extractor" (decode + normalise line ends).
PLAIN_EXTRACTOR = "minewatch.plain"
PLAIN_EXTRACTOR_VERSION = "1"

FORMATS: tuple[str, ...] = ("auto", "text", "html", "jsonl")

_EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
#: File suffixes read from directories when no --include glob is given.
KNOWN_SUFFIXES: tuple[str, ...] = tuple(_EXTENSIONS)


def format_of(name: str, head: bytes) -> str:
    """``text``, ``html`` or ``jsonl``: by file suffix, else by sniffing ``head``."""
    dot = name.rfind(".")
    if dot > name.rfind("/"):
        fmt = _EXTENSIONS.get(name[dot:].lower())
        if fmt:
            return fmt
    if looks_like_html(head):
        return "html"
    if _looks_like_jsonl(head):
        return "jsonl"
    return "text"


def _looks_like_jsonl(head: bytes) -> bool:
    first = head.lstrip().split(b"\n", 1)[0].strip()
    if not first.startswith(b"{"):
        return False
    try:
        obj = json.loads(first)
    except ValueError:
        return False
    return isinstance(obj, dict) and ("text" in obj or "html" in obj)


def read_document(
    data: bytes, fmt: str, *, input_id: str, path: str, line: int | None = None
) -> SourceDoc:
    """One text or HTML document from its original bytes.

    Raises:
        Refused: the bytes cannot become a document.
    """
    if fmt == "html":
        text, charset, meta = extract_html(data)
        return SourceDoc(
            input_id=input_id,
            original=data,
            media_type=f"text/html; charset={charset}",
            text=text,
            extractor=HTML_EXTRACTOR,
            extractor_version=HTML_EXTRACTOR_VERSION,
            metadata=meta,
            path=path,
            line=line,
        )
    text, charset = decode_text(data)
    return SourceDoc(
        input_id=input_id,
        original=data,
        media_type=f"text/plain; charset={charset}",
        text=text,
        extractor=PLAIN_EXTRACTOR,
        extractor_version=PLAIN_EXTRACTOR_VERSION,
        metadata={},
        path=path,
        line=line,
    )


def rederive_text(original: bytes, extractor: str, extractor_version: str) -> str | None:
    """The text ``extractor`` derives from ``original`` now, or None if it cannot say.

    None when the extractor is unknown or its version is not the running one
    (a different version may rightly derive a different text).
    """
    if extractor == PLAIN_EXTRACTOR and extractor_version == PLAIN_EXTRACTOR_VERSION:
        return decode_text(original)[0]
    if extractor == HTML_EXTRACTOR and extractor_version == HTML_EXTRACTOR_VERSION:
        return extract_html(original)[0]
    return None


def read_jsonl(
    lines: Iterator[bytes], *, path: str, max_bytes: int
) -> Iterator[SourceDoc | IngestError]:
    """Documents of a JSONL stream, one per line; a bad line is an error, not the end.

    A line is an object with ``text`` or ``html`` and optional ``id``, ``title``,
    ``url``, ``publisher``, ``published``, ``language`` (also ``author``,
    ``site``). The original bytes of a document are the UTF-8 of its
    ``text``/``html`` field, so an article ingested as a file and as a JSONL
    line is one document. ``max_bytes`` limits each document, not the stream.
    """
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield _jsonl_doc(raw, n, path=path, max_bytes=max_bytes)
        except Refused as exc:
            yield IngestError(path, exc.reason, line=n)


def _no_constant(name: str) -> Any:
    raise Refused(f"malformed JSONL line: {name} is not a JSON value")


def _jsonl_doc(raw: bytes, n: int, *, path: str, max_bytes: int) -> SourceDoc:
    if len(raw) > 6 * max_bytes + 65536:  # cut by the reader (see read._line_limit)
        raise Refused(f"over size limit: JSONL line longer than {6 * max_bytes + 65536:,} bytes")
    try:
        obj: Any = json.loads(
            raw.decode("utf-8-sig" if n == 1 else "utf-8"), parse_constant=_no_constant
        )
    except UnicodeDecodeError:
        raise Refused("malformed JSONL line: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise Refused(f"malformed JSONL line: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise Refused("malformed JSONL line: nested too deeply") from None
    if not isinstance(obj, dict):
        raise Refused(f"malformed JSONL line: expected an object, got {type(obj).__name__}")
    for key, value in obj.items():
        if isinstance(value, str) and not _encodable(value):
            raise Refused(f"JSONL field {key!r} holds a lone surrogate (not Unicode text)")
    has_text, has_html = obj.get("text") is not None, obj.get("html") is not None
    if has_text == has_html:
        raise Refused(
            "JSONL line needs exactly one of 'text' or 'html'"
            if not has_text
            else "JSONL line has both 'text' and 'html'; give one"
        )
    field = "html" if has_html else "text"
    body = obj[field]
    if not isinstance(body, str):
        raise Refused(f"JSONL field {field!r} must be a string")
    raw_id = obj.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        raise Refused("JSONL field 'id' must be a string or an integer")
    input_id = str(raw_id) if raw_id not in (None, "") else f"{path}:{n}"
    try:
        own = clean_metadata(obj)
    except MetadataError as exc:
        raise Refused(str(exc)) from None
    original = body.encode("utf-8")
    if not original.strip():
        raise Refused(f"empty document (JSONL field {field!r} is empty)")
    check_size(len(original), max_bytes)
    doc = read_document(original, field, input_id=input_id, path=path, line=n)
    doc.metadata = {**doc.metadata, **own}
    return doc


def _encodable(s: str) -> bool:
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a document over the size limit."""
    if size > max_bytes:
        raise Refused(f"over size limit: {size:,} bytes > {max_bytes:,} (see --max-bytes)")
