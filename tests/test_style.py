"""One style: the code base stays ruff- and mypy-clean (a regression fails CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_ruff_clean() -> None:
    res = _run("ruff", "check", "src", "tests", "bench")
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_clean() -> None:
    pytest.importorskip("mypy")
    res = _run("mypy", "--no-error-summary")
    assert res.returncode == 0, res.stdout + res.stderr
