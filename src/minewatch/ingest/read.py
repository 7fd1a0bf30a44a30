"""From command-line paths to documents: expand directories, read, attach metadata.

:func:`read_inputs` needs no store; :func:`minewatch.ingest.ingest_paths`
stores what it reads.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO

from minewatch.ingest.decode import Refused
from minewatch.ingest.formats import (
    KNOWN_SUFFIXES,
    check_size,
    format_of,
    read_document,
    read_jsonl,
)
from minewatch.ingest.metadata import (
    CONFIDENTIAL_KEY,
    SIDECAR_NAMES,
    MetadataError,
    Sidecar,
    clean_metadata,
    merge_metadata,
    parse_confidential,
)
from minewatch.ingest.records import IngestError, SourceDoc

#: Default size limit of one document (``--max-bytes``).
DEFAULT_MAX_BYTES = 20_000_000

STDIN = "-"


@dataclass(frozen=True)
class InputFile:
    """One file to read: ``input_id`` is the path as given, or joined under its directory."""

    input_id: str
    path: Path | None  # None for stdin
    #: Path relative to the directory it was found in (its name when given directly).
    relative: str


@dataclass
class InputPlan:
    """Files to read, in order, plus what was skipped or missing."""

    files: list[InputFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def plan_inputs(
    paths: Sequence[str | Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> InputPlan:
    """Expand ``paths``: directories recursively, in sorted order.

    Within a directory, hidden entries and sidecar metadata files are never
    read; a file is read if it matches an ``include`` glob (default: a known
    suffix: .txt .text .md .html .htm .xhtml .jsonl .ndjson) and no
    ``exclude`` glob. Globs match the path relative to the directory or the
    file name. Files named directly are always read.
    """
    plan = InputPlan()
    for given in paths:
        s = str(given)
        if s == STDIN:
            plan.files.append(InputFile(STDIN, None, STDIN))
            continue
        p = Path(s)
        if p.is_dir():
            _walk(s, p, include, exclude, plan)
        elif p.exists():
            plan.files.append(InputFile(s, p, p.name))
        elif p.is_symlink():
            plan.errors.append(IngestError(s, "broken symbolic link"))
        else:
            plan.errors.append(IngestError(s, "no such file or directory"))
    return plan


def _walk(
    given: str, root: Path, include: Sequence[str], exclude: Sequence[str], plan: InputPlan
) -> None:
    found: list[str] = []

    def onerror(exc: OSError) -> None:
        plan.errors.append(IngestError(str(exc.filename), f"cannot read: {exc.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = Path(dirpath).relative_to(root)
        for name in filenames:
            if name.startswith(".") or name in SIDECAR_NAMES:
                continue
            found.append((rel_dir / name).as_posix())
    for rel in sorted(found):
        name = rel.rsplit("/", 1)[-1]
        wanted = _matches(rel, name, include) if include else name.lower().endswith(KNOWN_SUFFIXES)
        if wanted and not _matches(rel, name, exclude):
            plan.files.append(InputFile(os.path.join(given, rel), root / rel, rel))
        else:
            plan.skipped.append(os.path.join(given, rel))


def _matches(rel: str, name: str, globs: Sequence[str]) -> bool:
    for g in globs:
        pats = [g, g[3:]] if g.startswith("**/") else [g]
        if any(fnmatch(rel, p) or fnmatch(name, p) for p in pats):
            return True
    return False


def iter_inputs(
    paths: Sequence[str | Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    metadata_file: Path | None = None,
    overrides: Mapping[str, str | None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fmt: str = "auto",
    stdin: BinaryIO | None = None,
    plan: InputPlan | None = None,
) -> Iterator[tuple[int, SourceDoc | IngestError]]:
    """Read every input, yielding ``(file index, document or error)`` in input order.

    Errors of planning (missing paths) come first with index -1. Metadata is
    layered, later winning: what the document says (HTML markup, JSONL
    fields) < a sidecar next to the file < ``metadata_file`` < ``overrides``.

    Raises:
        MetadataError: ``metadata_file`` or ``overrides`` cannot be used.
    """
    explicit = Sidecar.load(metadata_file) if metadata_file is not None else None
    flags = clean_metadata(overrides or {})
    if plan is None:
        plan = plan_inputs(paths, include=include, exclude=exclude)
    for err in plan.errors:
        yield -1, err
    sidecars = _SidecarCache()
    for i, f in enumerate(plan.files):
        for item in _read_file(f, fmt=fmt, max_bytes=max_bytes, stdin=stdin):
            if isinstance(item, SourceDoc):
                item = _with_metadata(item, f, sidecars, explicit, flags)
            yield i, item
        for err in sidecars.take_errors():
            yield i, err


def read_inputs(
    paths: Sequence[str | Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    metadata_file: Path | None = None,
    overrides: Mapping[str, str | None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fmt: str = "auto",
    stdin: BinaryIO | None = None,
) -> tuple[list[SourceDoc], list[IngestError]]:
    """Read all inputs without storing them: documents in input order, and errors.

    Same arguments as :func:`iter_inputs`. Each document's :meth:`SourceDoc.meta`
    gives its :class:`~minewatch.model.DocumentMeta`.
    """
    docs: list[SourceDoc] = []
    errors: list[IngestError] = []
    items = iter_inputs(
        paths,
        include=include,
        exclude=exclude,
        metadata_file=metadata_file,
        overrides=overrides,
        max_bytes=max_bytes,
        fmt=fmt,
        stdin=stdin,
    )
    for _, item in items:
        if isinstance(item, SourceDoc):
            docs.append(item)
        else:
            errors.append(item)
    return docs, errors


def _read_file(
    f: InputFile, *, fmt: str, max_bytes: int, stdin: BinaryIO | None
) -> Iterator[SourceDoc | IngestError]:
    where = f.input_id
    try:
        if f.path is None:
            data = (stdin or sys.stdin.buffer).read()
        else:
            # Refuse big files before reading them into memory (JSONL: per line).
            if fmt != "jsonl" and not _is_jsonl_name(f.path) and f.path.is_file():
                check_size(f.path.stat().st_size, max_bytes)
            data = f.path.read_bytes()
    except Refused as exc:
        yield IngestError(where, exc.reason)
        return
    except OSError as exc:
        yield IngestError(where, f"cannot read: {exc.strerror or exc}")
        return
    kind = fmt if fmt != "auto" else format_of(f.relative, data[:4096])
    if kind == "jsonl":
        yield from read_jsonl(iter(data.splitlines()), path=where, max_bytes=max_bytes)
        return
    try:
        check_size(len(data), max_bytes)
        yield read_document(data, kind, input_id=f.input_id, path=where)
    except Refused as exc:
        yield IngestError(where, exc.reason)


def _is_jsonl_name(path: Path) -> bool:
    return path.suffix.lower() in (".jsonl", ".ndjson")


class _SidecarCache:
    """Sidecars next to files, loaded once per directory; bad ones reported once."""

    def __init__(self) -> None:
        self._by_dir: dict[Path, list[Sidecar]] = {}
        self._errors: list[IngestError] = []

    def near(self, path: Path) -> list[Sidecar]:
        d = path.parent
        if d not in self._by_dir:
            found = []
            for name in SIDECAR_NAMES:
                p = d / name
                if p.is_file():
                    try:
                        found.append(Sidecar.load(p))
                    except MetadataError as exc:
                        self._errors.append(IngestError(str(p), str(exc).split(": ", 1)[-1]))
            self._by_dir[d] = found
        return self._by_dir[d]

    def take_errors(self) -> list[IngestError]:
        errors, self._errors = self._errors, []
        return errors


def _with_metadata(
    doc: SourceDoc,
    f: InputFile,
    sidecars: _SidecarCache,
    explicit: Sidecar | None,
    flags: Mapping[str, str | None],
) -> SourceDoc | IngestError:
    layers: list[Mapping[str, str | None]] = [doc.metadata]
    try:
        candidates = [] if f.path is None else list(sidecars.near(f.path))
        if explicit is not None:
            candidates.append(explicit)
        for sc in candidates:
            if doc.line is not None or f.path is None:
                # A JSONL line (or stdin) is matched by its id only.
                entry = sc.lookup(doc.input_id)
            else:
                entry = sc.for_file(f.path, f.input_id)
            if entry is not None:
                try:
                    layers.append(clean_metadata(entry))
                    if parse_confidential(entry.get(CONFIDENTIAL_KEY)):
                        doc.confidential = True
                except MetadataError as exc:
                    raise MetadataError(f"{exc} (in {sc.path.name})") from None
        layers.append(flags)
    except MetadataError as exc:
        return IngestError(doc.path or doc.input_id, str(exc), line=doc.line)
    doc.metadata = merge_metadata(*layers)
    return doc
