"""Bytes to text: refuse binary data, detect the encoding of non-UTF-8 text."""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer


class Refused(Exception):
    """An input that cannot become a document; ``reason`` is one line for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# File signatures of common binary formats, for a precise refusal message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/odt)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (OLE) file"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "executable"),
)

# Byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Legacy encodings that charset-normalizer often ranks equal for Western text;
# on a tie the most common one on the web wins.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")

#: Share of control characters above which decoded "text" is called binary.
MAX_CONTROL_RATIO = 0.01

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text and name its encoding.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read directly;
    ``declared`` (e.g. an HTML ``<meta charset>``) is tried next; otherwise
    charset-normalizer guesses. Line ends become ``\\n``.

    Returns:
        ``(text, charset)`` with an IANA-style charset name (``utf-8``,
        ``windows-1252``, ``euc-kr`` ...).

    Raises:
        Refused: empty input, binary data, or no encoding fits.
    """
    if not data:
        raise Refused("empty file")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise Refused(f"binary file ({kind}), not text")
    text, charset = _decode(data, declared)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if _control_ratio(text) > MAX_CONTROL_RATIO:
        raise Refused("binary file (control characters), not text")
    if not text.strip():
        raise Refused("empty file (only whitespace)")
    return text, charset


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), _iana(codec.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise Refused(f"invalid {codec.upper()} text at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise Refused("binary file (contains NUL bytes), not text")
    if declared:
        try:
            return data.decode(declared), _iana(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise Refused("not text: no character encoding fits (binary or corrupt file)")
    best_chaos = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= best_chaos + 1e-9]
    for pref in _PREFERRED:
        for m in tied:
            if pref in (m.encoding, *m.could_be_from_charset):
                return data.decode(pref), _iana(pref)
    m = max(tied, key=lambda m: m.coherence)
    return str(m), _iana(m.encoding)


def declared_charset(html: bytes) -> str | None:
    """The ``<meta charset>`` an HTML page declares in its first 4 KB, if any."""
    m = _META_CHARSET.search(html[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    bad = sum(
        1 for ch in sample if ch not in "\t\n\f\v" and unicodedata.category(ch) in ("Cc", "Cs")
    )
    return bad / len(sample)


def _iana(codec: str) -> str:
    """Python codec name -> the charset name used in media types."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return codec.lower()
    name = re.sub(r"^cp(125\d)$", r"windows-\1", name)
    name = re.sub(r"^iso8859-(\d+)$", r"iso-8859-\1", name)
    return name.replace("_", "-")
