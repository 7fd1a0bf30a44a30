"""Ingestion: turn text, HTML and JSONL inputs into stored documents.

Library first: :func:`read_inputs` reads paths into :class:`SourceDoc` records
(no store needed); :func:`ingest_paths` also stores them, one transaction per
document, and returns an :class:`IngestReport`.
"""

from __future__ import annotations

from minewatch.ingest.batch import DocumentStore, ingest_paths, store_document
from minewatch.ingest.decode import Refused, decode_text
from minewatch.ingest.formats import FORMATS, rederive_text
from minewatch.ingest.metadata import (
    SIDECAR_NAMES,
    MetadataError,
    clean_metadata,
    load_sidecar,
    normalize_language,
    normalize_published,
)
from minewatch.ingest.read import (
    DEFAULT_MAX_BYTES,
    InputPlan,
    iter_inputs,
    plan_inputs,
    read_inputs,
)
from minewatch.ingest.records import META_KEYS, DocResult, IngestError, IngestReport, SourceDoc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "META_KEYS",
    "SIDECAR_NAMES",
    "DocResult",
    "DocumentStore",
    "IngestError",
    "IngestReport",
    "InputPlan",
    "MetadataError",
    "Refused",
    "SourceDoc",
    "clean_metadata",
    "decode_text",
    "ingest_paths",
    "iter_inputs",
    "load_sidecar",
    "normalize_language",
    "normalize_published",
    "plan_inputs",
    "read_inputs",
    "rederive_text",
    "store_document",
]
