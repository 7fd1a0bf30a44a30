"""The development corpus (``../shared/corpus``) as extraction gold, by part.

The corpus is read in place (its texts never enter the repository). The split into a
tuning and a check part is ``data/corpus_split.yaml``; annotation corrections where the
corpus contradicts DESIGN.md are ``data/corpus_overlay.yaml`` (document id, event index,
corrected fields: no text). Rules are tuned on ``tune`` and only measured on ``check``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from minewatch.extract.evaluate import GoldDoc

DATA = Path(__file__).resolve().parent.parent / "data"
SPLIT_FILE = DATA / "corpus_split.yaml"
OVERLAY_FILE = DATA / "corpus_overlay.yaml"
CORPUS_FILES = ("dev-asia.jsonl", "dev-mea.jsonl", "dev-euam.jsonl")
PARTS = ("tune", "check", "all")


def load_split(path: Path = SPLIT_FILE) -> dict[str, list[str]]:
    """Document ids of each part (``tune``, ``check``)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"tune": [str(x) for x in raw["tune"]], "check": [str(x) for x in raw["check"]]}


def load_overlay(path: Path = OVERLAY_FILE) -> dict[str, list[dict[str, Any]]]:
    """Corrections by document id: ``[{event: index, set: {field: value}, why: ...}]``,
    or ``{event: index, drop: true}`` / ``{add: {...event...}}``."""
    if not path.is_file():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): list(v) for k, v in (raw.get("corrections") or {}).items()}


def apply_overlay(
    doc_id: str, events: list[dict[str, Any]], overlay: dict[str, Any]
) -> list[dict[str, Any]]:
    """The events of ``doc_id`` with the overlay's corrections applied (a new list)."""
    out = [dict(e) for e in events]
    drop: set[int] = set()
    added: list[dict[str, Any]] = []
    for fix in overlay.get(doc_id, []):
        if "add" in fix:
            added.append(dict(fix["add"]))
            continue
        i = int(fix["event"])
        if i >= len(out):
            raise ValueError(f"overlay: {doc_id} has no event {i}")
        if fix.get("drop"):
            drop.add(i)
        for k, v in (fix.get("set") or {}).items():
            out[i][k] = v
    return [e for i, e in enumerate(out) if i not in drop] + added


def load_corpus(corpus_dir: Path, part: str = "all", overlay: bool = True) -> list[GoldDoc]:
    """The corpus documents of ``part`` (``tune``, ``check`` or ``all``) as gold documents.

    Raises FileNotFoundError naming the missing file, ValueError for an unknown part.
    """
    if part not in PARTS:
        raise ValueError(f"unknown corpus part {part!r} (one of {', '.join(PARTS)})")
    split = load_split()
    wanted = set(split["tune"]) | set(split["check"]) if part == "all" else set(split[part])
    fixes = load_overlay() if overlay else {}
    docs: list[GoldDoc] = []
    for name in CORPUS_FILES:
        path = corpus_dir / name
        if not path.is_file():
            raise FileNotFoundError(f"{path}: corpus file missing")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not JSON ({e.msg})") from e
            if d["id"] not in wanted:
                continue
            events = apply_overlay(d["id"], d["events"], fixes)
            docs.append(GoldDoc(str(d["id"]), d["text"], d.get("published"), events, str(path)))
    return docs
