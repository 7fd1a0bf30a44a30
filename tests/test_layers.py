"""Report and export share minewatch.reportdata and never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "minewatch"


def _imports(package: str) -> set[str]:
    out: set[str] = set()
    for path in (SRC / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                out.add(node.module)
            elif isinstance(node, ast.Import):
                out.update(a.name for a in node.names)
    return out


def _under(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_report_and_export_do_not_import_each_other_nor_higher_layers() -> None:
    higher = ("minewatch.pipeline", "minewatch.demo", "minewatch.cli", "minewatch.web")
    rep, exp = _imports("report"), _imports("export")
    assert not any(_under(m, "minewatch.export") for m in rep)
    assert not any(_under(m, "minewatch.report") for m in exp)
    for m in rep | exp | _imports("reportdata"):
        assert not _under(m, *higher), m
    assert not any(
        _under(m, "minewatch.report", "minewatch.export") for m in _imports("reportdata")
    )


def test_test_data_is_not_in_the_package() -> None:
    assert not (SRC / "report" / "sample.py").exists()
    assert not (SRC / "report" / "demo.py").exists()
    assert (SRC / "demo.py").exists()
