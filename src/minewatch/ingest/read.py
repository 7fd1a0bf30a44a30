"""From command-line paths to documents: expand directories, read, attach metadata.

:func:`read_inputs` needs no store; :func:`minewatch.ingest.ingest_paths`
stores what it reads.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, BinaryIO, cast

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
        elif p.is_file():
            plan.files.append(InputFile(printable(s), p, printable(p.name)))
        elif p.exists():
            plan.errors.append(IngestError(printable(s), f"not a regular file ({_kind(p)})"))
        elif p.is_symlink():
            plan.errors.append(IngestError(printable(s), "broken symbolic link"))
        else:
            plan.errors.append(IngestError(printable(s), "no such file or directory"))
    return plan


def _walk(
    given: str, root: Path, include: Sequence[str], exclude: Sequence[str], plan: InputPlan
) -> None:
    found: list[str] = []

    def onerror(exc: OSError) -> None:
        plan.errors.append(
            IngestError(printable(str(exc.filename)), f"cannot read: {exc.strerror}")
        )

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
        shown = printable(os.path.join(given, rel))
        if not (wanted and not _matches(rel, name, exclude)):
            plan.skipped.append(shown)
        elif not (root / rel).is_file():  # a FIFO, socket or device would hang or never end
            plan.errors.append(IngestError(shown, f"not a regular file ({_kind(root / rel)})"))
        else:
            plan.files.append(InputFile(shown, root / rel, printable(rel)))


def printable(name: str) -> str:
    """A file name as text that can be stored and printed.

    Names that are not UTF-8 come from the OS with lone surrogates
    (``surrogateescape``); their bytes are shown as ``\\xff`` escapes instead,
    so the name is still recognisable and never crashes an encoder.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def _kind(p: Path) -> str:
    try:
        mode = p.stat().st_mode
    except OSError as exc:
        return f"cannot stat: {exc.strerror}"
    for test, label in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return label
    return "not a file"


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
        with _open(f, stdin) as fh:
            head = cast(io.BufferedReader, fh).peek(4096)[:4096]
            jsonl = fmt == "jsonl" or (
                fmt == "auto"
                and (
                    (f.path is not None and _is_jsonl_name(f.path))
                    or format_of(f.relative, head) == "jsonl"
                )
            )
            if jsonl:  # streamed line by line: the size limit is per document
                lines = _lines(fh, _line_limit(max_bytes))
                yield from read_jsonl(lines, path=where, max_bytes=max_bytes)
                return
            if f.path is not None:  # refuse a big file before reading it
                check_size(os.fstat(fh.fileno()).st_size, max_bytes)
            # The limit applies while reading too: a growing or endless stream stops at it.
            data = fh.read(max_bytes + 1)
    except Refused as exc:
        yield IngestError(where, exc.reason)
        return
    except OSError as exc:
        yield IngestError(where, f"cannot read: {exc.strerror or exc}")
        return
    kind = fmt if fmt != "auto" else format_of(f.relative, data[:4096])
    try:
        if len(data) > max_bytes:
            raise Refused(f"over size limit: more than {max_bytes:,} bytes (see --max-bytes)")
        yield read_document(data, kind, input_id=f.input_id, path=where)
    except Refused as exc:
        yield IngestError(where, exc.reason)


@contextlib.contextmanager
def _open(f: InputFile, stdin: BinaryIO | None) -> Iterator[BinaryIO]:
    """A buffered reader of a regular file (checked after opening) or of stdin."""
    if f.path is None:
        src = stdin or sys.stdin.buffer
        yield src if hasattr(src, "peek") else io.BufferedReader(cast(Any, src))
        return
    # O_NONBLOCK: a FIFO swapped in after planning opens at once instead of hanging.
    fd = os.open(f.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused(f"not a regular file ({_kind(f.path)})")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def _line_limit(max_bytes: int) -> int:
    """Bytes a JSONL line may take: a document escaped as \\uXXXX is 6x longer."""
    return 6 * max_bytes + 65536


def _lines(fh: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """Lines of a stream; a line over ``max_bytes`` comes out cut (and is then refused)."""
    while True:
        line = fh.readline(max_bytes + 2)
        if not line:
            return
        if len(line) > max_bytes + 1 and not line.endswith(b"\n"):
            while True:  # skip the rest of an over-long line without holding it
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line.rstrip(b"\r\n")


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
