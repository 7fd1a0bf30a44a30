"""What may leave the machine in a public profile or export.

* No local paths, hence no OS user names: a document's ``input_id`` is the
  path it was ingested from (``/home/alice/leaks/002.txt``); public output
  shows its file name only, and any absolute path inside a value is cut to
  its last part.
* No reviewer identity and no private reason: a human edit's rule reads
  ``human edit (decision 3 by alice at ...: source confirmed by phone)``
  internally and ``human edit (decision 3)`` in public.
* No confidential document: ``is_confidential`` reads the flag that ingest
  sets (``DocumentMeta.confidential``, or a store's list of confidential ids).
"""

from __future__ import annotations

import re
from typing import Any

#: An absolute POSIX path, a Windows drive path, a UNC path or a file: URL.
_PATH = re.compile(
    r"(?:file://)?(?:(?<![\w.:/])/(?:[^\s/;,]+/)+|[A-Za-z]:[\\/](?:[^\s\\/;,]+[\\/])*|\\\\(?:[^\s\\;,]+\\)+)"
    r"(?=[^\s\\/;,]+)"
)
_HUMAN_EDIT = re.compile(r"^(human edit) \((decision \S+?)(?: by [^)]*)?\)$", re.S)


def file_name(input_id: str | None) -> str | None:
    """The last part of a path (``/home/alice/in/002.txt`` -> ``002.txt``)."""
    if not input_id:
        return input_id
    return re.split(r"[\\/]", input_id.rstrip("\\/"))[-1] or input_id


def scrub_paths(text: str) -> str:
    """``text`` with every absolute path cut to its file name."""
    return _PATH.sub("", re.sub(r"file://(?=/)", "", text))


def public_rule(rule: str, internal: bool = False) -> str:
    """The rule that chose a value, without reviewer names or reasons in public."""
    if internal:
        return rule
    m = _HUMAN_EDIT.match(rule.strip())
    if m:
        return f"{m.group(1)} ({m.group(2).rstrip(':')})"
    if rule.startswith("human"):
        return "human edit"
    return rule


def is_confidential(meta: Any, confidential_ids: frozenset[str] = frozenset()) -> bool:
    """Whether a document must stay out of every report and public export."""
    if meta is None:
        return False
    if getattr(meta, "id", None) in confidential_ids:
        return True
    return bool(getattr(meta, "confidential", False))
