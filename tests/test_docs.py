"""Every command is documented: --help with an example, and a README section."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from minewatch.cli import app

REPO = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, Any]:
    """All commands and sub-commands by their full name ("incidents show")."""
    root = typer.main.get_command(app)
    found: dict[str, Any] = {}

    def walk(cmd: Any, prefix: str) -> None:
        # typer ships its own click; duck-type groups instead of isinstance
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, f"{prefix} {name}".strip())
        else:
            found[prefix] = cmd

    walk(root, "")
    return found


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    commands = _commands()
    assert {"verify", "show", "stats", "log"} <= set(commands)
    for name in commands:
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`minewatch {name} --help` has no example"


def test_every_command_appears_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in _commands():
        assert re.search(rf"minewatch {re.escape(name)}\b", readme), (
            f"README lacks `minewatch {name}`"
        )


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = next(
        line for line in ci.splitlines() if "pytest" in line and not line.startswith("#")
    )
    assert test_cmd.strip() in readme
    assert "minewatch demo" in readme
