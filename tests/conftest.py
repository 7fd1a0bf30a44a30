"""Shared test fixtures. Fixtures are built in code; ../shared is optional."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


def require_shared() -> Path:
    """Return ../shared/seeds, or skip (fail under CI=true) when it is missing."""
    if SEEDS.is_dir() and (SEEDS / "sources.csv").is_file():
        return SEEDS
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the shared seeds are missing at {SEEDS}")
    pytest.skip(f"../shared/seeds not present at {SEEDS}")


@pytest.fixture
def seeds_dir() -> Path:
    """The five seed documents with sources.csv (skips outside CI if absent)."""
    return require_shared()
