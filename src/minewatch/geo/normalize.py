"""Tokens and match keys shared by the gazetteer index and the text matcher.

A name and a text are cut into the same tokens (letters and digits; hyphens,
spaces and punctuation separate tokens), each token folded: case, diacritics
(Hamgyŏng -> hamgyong), apostrophes inside words (P'yŏngyang -> pyongyang)
and a possessive 's (Korea's -> korea). Hangul and CJK are kept as they are
(NFC). A key is the folded tokens joined by one space.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

#: A token: letters/digits with inner apostrophes (MR aspiration marks, Ji'an) and the
#: ʻayn/hamza marks of Arabic transliteration (Tāʻizz, Şanʻā’, Maʿrib).
TOKEN_RE = re.compile(r"[^\W_]+(?:['’ʼ‘`ʻʿʾ´][^\W_]+)*")
_APOS = str.maketrans("", "", "'’ʼ‘`ʻʿʾ´")
#: Letters NFKD does not decompose: Nordic/Polish, Turkish dotless i, Azerbaijani schwa.
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "þ": "th",
        "ə": "a",
        "ħ": "h",
    }
)


def is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF


_HANGUL_RE = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def has_hangul(s: str) -> bool:
    return not s.isascii() and _HANGUL_RE.search(s) is not None


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """Fold one token: lower case, no diacritics, no apostrophes, no trailing 's."""
    t = token.lower()
    if len(t) > 2 and t[-2] in "'’ʼ" and t[-1] == "s":
        t = t[:-2]
    if t.isascii():
        return t.translate(_APOS)
    t = unicodedata.normalize("NFC", t)
    out = []
    for ch in t:
        if ord(ch) < 0x2000 and not ch.isascii():
            dec = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in dec if not unicodedata.combining(c)))
        else:
            out.append(ch)
    return "".join(out).translate(_SPECIAL).translate(_APOS)


def tokens(text: str) -> list[str]:
    """Folded tokens of a name or text."""
    if text.isascii() and "'" not in text and "`" not in text:
        return TOKEN_RE.findall(text.lower())
    return [fold(t) for t in TOKEN_RE.findall(text)]


def key(text: str) -> str:
    """The match key of a name: folded tokens joined by a space."""
    return " ".join(tokens(text))


def join_variants(toks: list[str], max_tokens: int = 5) -> Iterator[str]:
    """Every way of gluing adjacent tokens (Hamgyong Pukto / Hamgyongpukto).

    Romanised Korean is written with a hyphen, a space or nothing between the
    parts of a name; the text side cannot guess, so the index holds each form.
    Only names of 2..``max_tokens`` tokens are expanded (2**(n-1) forms).
    """
    n = len(toks)
    if n <= 1 or n > max_tokens:
        yield " ".join(toks)
        return
    if n == 2:
        yield f"{toks[0]} {toks[1]}"
        yield toks[0] + toks[1]
        return
    for glue in itertools.product((" ", ""), repeat=n - 1):
        parts = [toks[0]]
        for sep, t in zip(glue, toks[1:], strict=True):
            if sep:
                parts.append(t)
            else:
                parts[-1] += t
        yield " ".join(parts)


_MARKS = str.maketrans(
    {"ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "ʿ": "'", "ʾ": "'", "Đ": "D", "đ": "d"}
)


def plain_latin(name: str) -> str:
    """``name`` without diacritics and with ASCII apostrophes, case kept (Kābul -> Kabul,
    Ma‘ān -> Ma'an, Đắk Lắk -> Dak Lak): how English writes romanised names."""
    out = unicodedata.normalize("NFKD", name.translate(_MARKS))
    out = "".join(ch for ch in out if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", out).rstrip("'")
