"""Records that ingestion produces: documents read, errors, and the batch report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from minewatch.model import DocumentMeta

#: Metadata keys a document may carry (``None`` = unknown).
META_KEYS: tuple[str, ...] = (
    "title",
    "url",
    "publisher",
    "published",
    "language",
    "author",
    "site",
)

#: Statuses ``Store.add_document`` reports.
STATUSES: tuple[str, ...] = ("added", "present", "updated")


@dataclass
class SourceDoc:
    """One document read from an input, ready to be stored or extracted.

    ``original`` is kept byte for byte (its SHA-256 is the document id);
    ``text`` is derived from it by ``extractor`` at ``extractor_version``.
    ``path`` is the file it came from as given ("-" for stdin) and ``line``
    its JSONL line number, if any.
    """

    input_id: str
    original: bytes
    media_type: str
    text: str
    extractor: str
    extractor_version: str
    metadata: dict[str, str | None] = field(default_factory=dict)
    path: str | None = None
    line: int | None = None
    #: Marked confidential (``ingest --confidential`` or a sidecar column).
    confidential: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.original).hexdigest()

    @property
    def id(self) -> str:
        """Content address of the original: ``sha256:<hex>``."""
        return f"sha256:{self.sha256}"

    def meta(self) -> DocumentMeta:
        """The document's identity and metadata as the shared model type."""
        m = self.metadata
        return DocumentMeta(
            id=self.id,
            input_id=self.input_id,
            title=m.get("title"),
            publisher=m.get("publisher"),
            published=m.get("published"),
            url=m.get("url"),
            language=m.get("language"),
            confidential=self.confidential,
        )

    @property
    def where(self) -> str:
        """``path`` or ``path:line``, for messages."""
        return _where(self.path or self.input_id, self.line)


@dataclass(frozen=True)
class IngestError:
    """An input that could not be ingested, and why (one line for people)."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{_where(self.path, self.line)}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class DocResult:
    """What storing one document did."""

    input_id: str
    document_id: str
    status: str  # one of STATUSES
    path: str | None = None
    line: int | None = None
    media_type: str = ""
    chars: int = 0
    title: str | None = None
    confidential: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "confidential": self.confidential,
            "input_id": self.input_id,
            "document_id": self.document_id,
            "status": self.status,
            "path": self.path,
            "line": self.line,
            "media_type": self.media_type,
            "chars": self.chars,
            "title": self.title,
        }


@dataclass
class IngestReport:
    """Outcome of a batch: one result per stored document, one error per failure."""

    results: list[DocResult] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    #: Files found in directories but not read (not matching the include globs).
    skipped: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def present(self) -> int:
        return self.count("present")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def failed(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"added {self.added}, already present {self.present}, "
            f"metadata updated {self.updated}, failed {self.failed}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "present": self.present,
            "updated": self.updated,
            "failed": self.failed,
            "skipped": list(self.skipped),
            "documents": [r.to_json() for r in self.results],
            "errors": [e.to_json() for e in self.errors],
        }


def _where(path: str, line: int | None) -> str:
    return path if line is None else f"{path}:{line}"
