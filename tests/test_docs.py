"""The README documents every command, and every command documents itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_docs_every_command_has_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert cli.commands[name].help, f"kg {name} has no help text"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_docs_every_command_is_in_the_readme(name: str) -> None:
    assert f"kg {name}" in README, f"README does not mention 'kg {name}'"


def test_docs_readme_names_the_two_commands() -> None:
    assert "make app" in README and "make test" in README
