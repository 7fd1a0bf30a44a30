"""HTML pages: main text and metadata via trafilatura (offline, no fetching)."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from typing import Any

import trafilatura

from minewatch.ingest.decode import Refused, declared_charset, decode_text
from minewatch.ingest.metadata import MetadataError, normalize_language, normalize_published

EXTRACTOR = "trafilatura"
EXTRACTOR_VERSION = str(getattr(trafilatura, "__version__", "unknown"))

_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.I
)
_LOOKS_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<article[\s>]", re.I)


def looks_like_html(data: bytes) -> bool:
    """Does the start of ``data`` look like an HTML page?"""
    return _LOOKS_HTML.search(data[:2048]) is not None


def extract_html(data: bytes) -> tuple[str, str, dict[str, str | None]]:
    """Main text and metadata of an HTML page.

    Returns:
        ``(text, charset, metadata)``; metadata holds title, published, author,
        site, url and language where the page states them (``None`` otherwise).

    Raises:
        Refused: undecodable bytes, or no main text found.
    """
    html, charset = decode_text(data, declared=declared_charset(data))
    doc = _bare_extraction(html)
    text = _get(doc, "text") if doc is not None else None
    text = (text or "").strip()
    if not any(ch.isalnum() for ch in text):
        # libxml2 stops at 256 nested elements, so trafilatura sees nothing in a
        # page nested deeper; such a page falls back to its visible text.
        deep = _DeepText.of(html)
        if deep is None:
            raise Refused("HTML with no main text")
        text = deep
    meta: dict[str, str | None] = {
        "title": _get(doc, "title"),
        "author": _get(doc, "author"),
        "site": _get(doc, "sitename"),
        "url": _get(doc, "url"),
        "published": _safe(normalize_published, _get(doc, "date")),
        "language": _safe(normalize_language, _page_language(html)),
    }
    return text, charset, meta


def _bare_extraction(html: str) -> Any:
    # trafilatura logs every page it cannot use; our caller reports the reason.
    logger = logging.getLogger("trafilatura")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # Dates from the page's markup only, not guessed from its body text.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    finally:
        logger.setLevel(level)


def _get(doc: Any, key: str) -> str | None:
    """Field of a trafilatura result (a dict in 1.x, a Document in 2.x)."""
    v = doc.get(key) if isinstance(doc, dict) else getattr(doc, key, None)
    if v is None:
        return None
    s = " ".join(str(v).split()) if key != "text" else str(v)
    return s or None


def _page_language(html: str) -> str | None:
    m = _HTML_LANG.search(html[:4096])
    return m.group(1) if m else None


def _safe(fn: Any, value: str | None) -> str | None:
    """A derived value that fails validation is unknown, not an error."""
    try:
        out: str | None = fn(value)
        return out
    except MetadataError:
        return None


class _DeepText(HTMLParser):
    """Visible text of a page nested too deep for libxml2 (stdlib parser, no depth limit)."""

    LIMIT = 255  # libxml2's default maximum depth is 256
    _HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title"})
    _VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = self.max_depth = self.hidden = 0
        self.parts: list[str] = []

    @classmethod
    def of(cls, html: str) -> str | None:
        p = cls()
        p.feed(html)
        p.close()
        text = "\n".join(" ".join(x.split()) for x in p.parts if x.strip())
        if p.max_depth < cls.LIMIT or not any(ch.isalnum() for ch in text):
            return None
        return text

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._VOID:
            return
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        if tag in self._HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag in self._HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
