"""Evidence store: SQLite by default, portable SQL, versioned migrations."""

from minewatch.store.store import (
    Decision,
    DocumentRecord,
    LogEntry,
    Mismatch,
    SourceLink,
    Store,
    default_who,
    sha256_hex,
    utc_now,
)

__all__ = [
    "Decision",
    "DocumentRecord",
    "LogEntry",
    "Mismatch",
    "SourceLink",
    "Store",
    "default_who",
    "sha256_hex",
    "utc_now",
]
