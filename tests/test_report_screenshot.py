"""scripts/screenshot.py renders a profile with headless Chromium (when installed)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from minewatch.report import ReportOptions, make_profile, write_report
from sample_data import sample_data

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "screenshot.py"


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("screenshot", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_screenshot_of_a_profile(tmp_path: Path) -> None:
    shot = _module()
    if shot.find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    paths = write_report(make_profile(sample_data(), ReportOptions(country="KP")), tmp_path)
    png = shot.screenshot(paths["html"], tmp_path / "p.png", width=1000, height=1400)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a rendered page, not a blank one


def test_screenshot_reports_missing_chromium(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shot = _module()
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert shot.main([str(tmp_path / "x.html"), str(tmp_path / "x.png")]) == 1
