"""Every declared runtime dependency is imported by the package, or is named here with the
reason it is needed without an import of ours (a driver or a plugin another library loads)."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "minewatch"

# distribution -> why it is declared although no module of ours imports it
LOADED_BY_OTHERS = {
    "psycopg": "SQLAlchemy loads it for postgresql+psycopg:// URLs",
    "lxml-html-clean": "trafilatura imports it (lxml split it out); pip needs it named",
    "python-multipart": "Starlette imports it to parse form posts",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> list[str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [_norm(re.split(r"[\s\[<>=!~;]", d, maxsplit=1)[0]) for d in deps["dependencies"]]


def _imported_top_levels() -> set[str]:
    out: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                out.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                out.update(a.name.split(".")[0] for a in node.names)
    return out


def test_every_declared_dependency_is_used() -> None:
    dist_of: dict[str, set[str]] = {}
    for module, dists in packages_distributions().items():
        for d in dists:
            dist_of.setdefault(_norm(d), set()).add(module)
    imported = _imported_top_levels()
    unused = [
        d
        for d in _declared()
        if d not in LOADED_BY_OTHERS and not (dist_of.get(d, set()) & imported)
    ]
    assert unused == [], f"declared but never imported: {unused}"


def test_the_exceptions_are_declared() -> None:
    assert set(LOADED_BY_OTHERS) <= set(_declared())
