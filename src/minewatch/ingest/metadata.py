"""Document metadata: validation of values and sidecar files (CSV or JSON).

A sidecar maps a file name (or JSONL ``id``) to title, url, publisher,
published, language. ``sources.csv``, ``metadata.csv`` and ``metadata.json``
next to ingested files are picked up automatically.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from minewatch.ingest.records import META_KEYS

#: Sidecar names detected next to ingested files (and never ingested themselves).
SIDECAR_NAMES: tuple[str, ...] = ("sources.csv", "metadata.csv", "metadata.json")

#: Sidecar column (or JSON field) that marks a document confidential: true/yes/1
#: marks it; false/no/0 or empty leaves it as it is (a mark is only ever removed
#: by a decision, ``Store.set_confidential``).
CONFIDENTIAL_KEY = "confidential"

#: Column names that may hold the file name a sidecar row describes.
KEY_COLUMNS: tuple[str, ...] = ("file", "filename", "file_name", "name", "path", "id")

# ASCII digits only: \d would also take full-width and other scripts' digits.
_PUBLISHED = re.compile(
    r"^(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2})(?P<rest>[T ].*)?)?)?$",
    re.ASCII,
)
# BCP 47-ish: en, ko, en-GB, zh-Hant-TW.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


class MetadataError(ValueError):
    """A metadata value or sidecar file that cannot be used."""


def normalize_published(value: str | None) -> str | None:
    """Validate a publication date and keep its precision.

    ``2025``, ``2020-10`` and ``2023-11-07`` stay as they are (a partial date is
    never padded to the 1st); a timestamp such as ``2023-11-07T09:00:00+09:00``
    is cut to its date. Anything else raises :class:`MetadataError`.
    """
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    m = _PUBLISHED.match(s)
    if m is None:
        raise MetadataError(f"published {s!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = m.group("y"), m.group("m"), m.group("d")
    try:
        if d is not None:
            date(int(y), int(mo), int(d))
            if m.group("rest"):  # a timestamp: its time must be one too (no 25:99)
                datetime.fromisoformat(f"{y}-{mo}-{d}T{m.group('rest')[1:]}")
            return f"{y}-{mo}-{d}"
        if mo is not None:
            date(int(y), int(mo), 1)
            return f"{y}-{mo}"
        date(int(y), 1, 1)
    except ValueError as exc:
        raise MetadataError(f"published {s!r} is not a valid date ({exc})") from None
    return y


def normalize_language(value: str | None) -> str | None:
    """Validate a language tag (``en``, ``ko``, ``en-GB``); ``en_GB`` -> ``en-GB``."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    if len(s) > 20 or not _LANGUAGE.match(s):
        raise MetadataError(f"language {s!r} is not a language tag such as 'en' or 'ko'")
    head, *rest = s.replace("_", "-").split("-")
    return "-".join([head.lower(), *rest])


def clean_metadata(raw: Mapping[str, Any]) -> dict[str, str | None]:
    """Keep the known keys, strip text, validate ``published`` and ``language``.

    Empty strings become ``None`` (unknown). Raises :class:`MetadataError`.
    """
    out: dict[str, str | None] = {}
    for key in META_KEYS:
        v = raw.get(key)
        if v is None:
            continue
        if not isinstance(v, str | int | float) or isinstance(v, bool):
            raise MetadataError(f"{key} must be text, not {type(v).__name__}")
        s = " ".join(str(v).split())  # one line: titles from CSVs may hold newlines
        if not s:
            continue
        if key == "published":
            out[key] = normalize_published(s)
        elif key == "language":
            out[key] = normalize_language(s)
        else:
            out[key] = s
    return out


def parse_confidential(value: Any) -> bool:
    """Read a ``confidential`` sidecar value. Raises :class:`MetadataError`."""
    if value is None or isinstance(value, bool):
        return bool(value)
    s = str(value).strip().lower()
    if s in ("", "0", "false", "no", "n"):
        return False
    if s in ("1", "true", "yes", "y", "x"):
        return True
    raise MetadataError(f"confidential {value!r} is not yes/no (true/false, 1/0)")


def merge_metadata(*layers: Mapping[str, str | None]) -> dict[str, str | None]:
    """Merge layers, later ones winning; ``None`` never erases a known value."""
    out: dict[str, str | None] = dict.fromkeys(META_KEYS)
    for layer in layers:
        for k, v in layer.items():
            if v is not None and k in out:
                out[k] = v
    return out


def load_sidecar(path: Path) -> dict[str, dict[str, Any]]:
    """Read a CSV or JSON sidecar into ``{file name: {field: value}}``.

    CSV: a header row with a key column (``file``, ``filename``, ``name``,
    ``path`` or ``id``) and any of the metadata columns; other columns are
    ignored. JSON: an object ``{name: {...}}`` or a list of objects, each with
    a key field. Raises :class:`MetadataError` for a file that cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MetadataError(f"{path}: cannot read metadata file: {exc.strerror}") from None
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MetadataError(f"{path}: metadata file is not UTF-8") from None
    if path.suffix.lower() == ".json":
        return _sidecar_json(path, content)
    return _sidecar_csv(path, content)


def _sidecar_csv(path: Path, content: str) -> dict[str, dict[str, Any]]:
    # strict: an unterminated quote is an error, not a field that swallows later rows
    reader = csv.DictReader(io.StringIO(content), strict=True)
    try:
        return _csv_rows(path, reader)
    except csv.Error as exc:
        raise MetadataError(f"{path}: malformed CSV after line {reader.line_num}: {exc}") from None


def _csv_rows(path: Path, reader: csv.DictReader[str]) -> dict[str, dict[str, Any]]:
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    key_col = next((k for k in KEY_COLUMNS if k in fields), None)
    if key_col is None:
        raise MetadataError(
            f"{path}: no file-name column (expected one of {', '.join(KEY_COLUMNS)})"
        )
    out: dict[str, dict[str, Any]] = {}
    for row in reader:
        norm = {(k or "").strip().lower(): v for k, v in row.items()}
        key = (norm.get(key_col) or "").strip()
        if key:
            out[key] = {k: norm.get(k) for k in (*META_KEYS, CONFIDENTIAL_KEY) if k in norm}
    return out


def _sidecar_json(path: Path, content: str) -> dict[str, dict[str, Any]]:
    try:
        doc = json.loads(content)
    except json.JSONDecodeError as exc:
        raise MetadataError(f"{path}: malformed JSON: {exc.msg} (line {exc.lineno})") from None
    rows: Iterable[tuple[str, Any]]
    if isinstance(doc, dict):
        rows = doc.items()
    elif isinstance(doc, list):
        pairs = []
        for i, item in enumerate(doc):
            key = _first_key(item)
            if key is None:
                raise MetadataError(f"{path}: entry {i} has no file/name/id field")
            pairs.append((key, item))
        rows = pairs
    else:
        raise MetadataError(f"{path}: expected an object or a list of objects")
    out: dict[str, dict[str, Any]] = {}
    for key, item in rows:
        if not isinstance(item, dict):
            raise MetadataError(f"{path}: entry {key!r} is not an object")
        out[str(key)] = {k: item[k] for k in (*META_KEYS, CONFIDENTIAL_KEY) if k in item}
    return out


def _first_key(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    for k in KEY_COLUMNS:
        if item.get(k) not in (None, ""):
            return str(item[k])
    return None


class Sidecar:
    """A loaded sidecar, looked up by relative path, file name or input id."""

    def __init__(self, path: Path, entries: dict[str, dict[str, Any]]) -> None:
        self.path = path
        self.entries = entries

    @classmethod
    def load(cls, path: Path) -> Sidecar:
        return cls(path, load_sidecar(path))

    def lookup(self, *keys: str | None) -> dict[str, Any] | None:
        for k in keys:
            if k and k in self.entries:
                return self.entries[k]
        return None

    def for_file(self, file: Path, input_id: str) -> dict[str, Any] | None:
        """Entry for ``file``: by path relative to the sidecar, name, or input id."""
        keys: list[str | None] = []
        with contextlib.suppress(ValueError):  # not under the sidecar's directory
            keys.append(file.resolve().relative_to(self.path.parent.resolve()).as_posix())
        keys += [file.name, input_id, str(file)]
        return self.lookup(*keys)
