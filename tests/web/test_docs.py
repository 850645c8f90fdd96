"""Docs that cannot drift: every command of the ``lemkin`` CLI is documented in ``docs/cli.md``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from lemkin.cli import app

DOCS = Path(__file__).resolve().parents[2] / "docs"


def command_paths(command: Any, prefix: str = "lemkin") -> list[str]:
    """Full paths of the leaf commands (Typer's groups carry their sub-commands in ``commands``)."""
    subcommands = getattr(command, "commands", None)
    if subcommands:
        paths = []
        for name, sub in subcommands.items():
            paths += command_paths(sub, f"{prefix} {name}")
        return paths
    return [prefix]


def test_every_cli_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    paths = command_paths(typer.main.get_command(app))
    assert len(paths) >= 10
    missing = [path for path in paths if f"`{path}" not in text]
    assert not missing, f"document these commands in docs/cli.md: {missing}"
