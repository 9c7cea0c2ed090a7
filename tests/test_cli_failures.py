"""Every failure a user can cause on the command line ends in one clear line and an exit status, never a traceback.

Each case is run through the real ``kg`` entry point in a subprocess, as a user or CI runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.accepted import FILENAME

BANK = """## 1. What is dropout?

Dropout randomly drops units during training.

## 2. Why does ReLU help with vanishing gradients?

ReLU does not saturate for positive inputs.
"""


def _bank(tmp: Path) -> Path:
    path = tmp / "bank.md"
    path.write_text(BANK, encoding="utf-8")
    return path


def _kg(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, check=False
    )


def _folder_with(tmp: Path, extra: Callable[[Path], object]) -> Path:
    """A bank folder holding one good file and whatever ``extra`` adds to it."""
    folder = tmp / "bank"
    folder.mkdir()
    (folder / "good.md").write_text(BANK, encoding="utf-8")
    extra(folder)
    return folder


# (name, arrange: tmp -> argv, expected exit status, text the one error line holds)
CASES: list[tuple[str, Callable[[Path], list[str]], int, str]] = [
    (
        "export into a missing folder",
        lambda t: ["export", str(_bank(t)), "-o", str(t / "missing" / "out.json")],
        2,
        "the folder",
    ),
    ("export onto a folder", lambda t: ["export", str(_bank(t)), "-o", str(t)], 2, "is a folder"),
    (
        "a link in a folder that loops back to it",
        lambda t: ["parse", str(_folder_with(t, lambda f: (f / "again").symlink_to(f, target_is_directory=True)))],
        2,
        "a link leads back to a folder already read",
    ),
    (
        "a link named like a bank that points to itself",
        lambda t: ["parse", str(_folder_with(t, lambda f: (f / "self.md").symlink_to(f / "self.md")))],
        2,
        "self.md: cannot read",
    ),
    (
        "a link that loops, named on the command line",
        lambda t: [
            "parse",
            str(_bank(t)),
            str((t / "loop.md").symlink_to(t / "loop.md") or t / "loop.md"),
        ],
        2,
        "loop.md: cannot read file",
    ),
    (
        "a pipe in a folder",
        lambda t: ["parse", str(_folder_with(t, lambda f: os.mkfifo(f / "pipe.md")))],
        2,
        "pipe.md: not a regular file",
    ),
    (
        "a pipe named on the command line",
        lambda t: ["parse", str(_bank(t)), str(os.mkfifo(t / "pipe.md") or t / "pipe.md")],
        2,
        "pipe.md: not a regular file",
    ),
    ("a device named on the command line", lambda t: ["parse", str(_bank(t)), "/dev/zero"], 2, "not a regular file"),
]


@pytest.mark.parametrize(("name", "arrange", "status", "message"), CASES, ids=[c[0] for c in CASES])
def test_cli_failure_is_one_line_and_an_exit_status(tmp_path: Path, name, arrange, status, message) -> None:
    result = _kg(*arrange(tmp_path), cwd=tmp_path, timeout=60)  # a read that waits on a pipe fails here
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], result.stderr


@pytest.mark.parametrize("command", ["export", "store"])
def test_cli_output_is_left_alone_when_no_file_loads(tmp_path: Path, command: str) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Just prose, no questions here.\n", encoding="utf-8")
    earlier = tmp_path / "earlier.out"
    earlier.write_bytes(b"an earlier output\n")
    result = _kg(command, str(notes), "-o", str(earlier), cwd=tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {notes}: no question found"), result.stderr
    assert earlier.read_bytes() == b"an earlier output\n"
    assert "wrote" not in result.stderr


# Cases that build the bank (and so load the spaCy pipeline).
MODEL_CASES: list[tuple[str, str, list[int]]] = [
    ("decisions pair as a list of numbers", "pair = [1, 2]\n", [2]),
    ("decisions pair as a list of lists", "pair = [[1], [2]]\n", [2]),
    ("decisions table without b", '[[pair]]\na = "bank-1"\n', [2]),
    ("decisions file that is not TOML", '[[pair]]\na = "go\n', [2]),
]


@pytest.mark.model
@pytest.mark.parametrize(("name", "decisions", "statuses"), MODEL_CASES, ids=[c[0] for c in MODEL_CASES])
def test_cli_check_malformed_decisions_are_named_and_the_rest_counts(tmp_path: Path, name, decisions, statuses) -> None:
    bank = _bank(tmp_path)
    (tmp_path / FILENAME).write_text(decisions, encoding="utf-8")
    result = _kg("check", str(bank), "--no-semantic", cwd=tmp_path)
    assert result.returncode in statuses, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {tmp_path / FILENAME}"), result.stderr
    assert "among 2 questions" in result.stdout  # the bank was still checked


def test_cli_export_output_is_checked_before_the_work(tmp_path: Path) -> None:
    """The folder is checked first: a missing one fails at once, without loading any model."""
    result = _kg("export", str(_bank(tmp_path)), "-o", str(tmp_path / "nope" / "x.json"), "-v", cwd=tmp_path)
    assert result.returncode == 2
    assert "spacy" not in result.stderr.lower()


@pytest.mark.model
def test_cli_check_fails_when_part_of_the_bank_was_skipped(tmp_path: Path) -> None:
    """A check that could not read everything has not passed: exit 2, with the rest still checked."""
    folder = _folder_with(tmp_path, lambda f: os.mkfifo(f / "pipe.md"))
    result = _kg("check", str(folder), "--no-semantic", cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert "pipe.md: not a regular file" in result.stderr
    assert "no duplicates among 2 questions" in result.stdout
