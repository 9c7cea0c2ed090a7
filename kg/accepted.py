"""Pairs a curator has reviewed and accepted: "these two are not duplicates".

They live in a small TOML file next to the bank, ``kg-accepted.toml``, one ``[[pair]]`` table each::

    [[pair]]
    a = "questions-7"
    b = "questions-24"
    note = "one asks why, the other how"

``kg check`` no longer fails on an accepted pair, and the app's "not a duplicate" button appends to
the same file. Writing only ever appends to this file; the bank itself is never touched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from kg.errors import ConfigError
from kg.tomlfile import read_toml

FILENAME = "kg-accepted.toml"

_HEADER = (
    "# Pairs of questions reviewed by a curator and accepted as they are (not duplicates).\n"
    "# `kg check` does not fail on these. One [[pair]] per pair: a and b are question ids.\n"
)


def accepted_path(bank: str | Path) -> Path:
    """The accepted-pairs file of a bank file or folder: ``kg-accepted.toml`` in its folder.

    Examples
    --------
    >>> accepted_path("banks/ml.md").as_posix()
    'banks/kg-accepted.toml'
    """
    bank = Path(bank)
    return (bank if bank.is_dir() else bank.parent) / FILENAME


def _pair_lines(text: str) -> list[int]:
    """1-based line of each ``[[pair]]`` header, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*pair\s*\]\]", line)]


def read_accepted(path: str | Path) -> frozenset[frozenset[str]]:
    """The accepted pairs of one file, as unordered pairs of item ids; empty if the file is absent.

    Raises
    ------
    ConfigError
        The file is not valid TOML or a pair lacks ``a`` / ``b``; the message names file and line.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / FILENAME
    >>> _ = f.write_text('[[pair]]\\na = "q-1"\\nb = "q-2"\\n', encoding="utf-8")
    >>> sorted(sorted(p) for p in read_accepted(f))
    [['q-1', 'q-2']]
    """
    path = Path(path)
    if not path.is_file():
        return frozenset()
    data, text = read_toml(path, "accepted-pairs file")
    unknown = sorted(set(data) - {"pair"})
    if unknown:
        raise ConfigError(
            f"unknown key {unknown[0]!r}; the file holds only [[pair]] tables with a, b and note", path
        )
    pairs = data.get("pair", [])
    if not isinstance(pairs, list):
        raise ConfigError("'pair' must be written as [[pair]] tables", path)
    lines = _pair_lines(text)
    out: set[frozenset[str]] = set()
    for n, entry in enumerate(pairs):
        line = lines[n] if n < len(lines) else None
        a, b = entry.get("a"), entry.get("b")
        if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
            raise ConfigError('each [[pair]] needs a = "<question id>" and b = "<question id>"', path, line)
        if a == b:
            raise ConfigError(f"a pair needs two different questions, got {a!r} twice", path, line)
        out.add(frozenset((a, b)))
    return frozenset(out)


def find_accepted(banks: Iterable[str | Path]) -> frozenset[frozenset[str]]:
    """All accepted pairs next to any of the banks (files or folders), each file read once."""
    seen: set[Path] = set()
    out: set[frozenset[str]] = set()
    for bank in banks:
        path = accepted_path(bank).resolve()
        if path not in seen:
            seen.add(path)
            out |= read_accepted(path)
    return frozenset(out)


def _toml_string(text: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes
    return json.dumps(text, ensure_ascii=False)


def _block(a: str, b: str, note: str = "") -> str:
    """One ``[[pair]]`` table, with a blank line before it."""
    block = f"\n[[pair]]\na = {_toml_string(a)}\nb = {_toml_string(b)}\n"
    if note:
        block += f"note = {_toml_string(note)}\n"
    return block


def pairs_toml(pairs: Iterable[tuple[str, str]]) -> str:
    """A whole accepted-pairs file holding ``pairs``, as :func:`add_accepted` writes it.

    Examples
    --------
    >>> print(pairs_toml([("q-1", "q-2")]).splitlines()[-3:])
    ['[[pair]]', 'a = "q-1"', 'b = "q-2"']
    """
    return _HEADER + "".join(_block(a, b) for a, b in pairs)


def add_accepted(path: str | Path, a: str, b: str, note: str = "") -> bool:
    """Append one accepted pair to the file (created if missing). ``False`` if it was already there.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / FILENAME
    >>> add_accepted(f, "q-1", "q-2", note='asked "twice" on purpose'), add_accepted(f, "q-2", "q-1")
    (True, False)
    >>> len(read_accepted(f))
    1
    """
    path = Path(path)
    if a == b:
        raise ConfigError(f"a pair needs two different questions, got {a!r} twice", path)
    if frozenset((a, b)) in read_accepted(path):
        return False
    block = _block(a, b, note)
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    with path.open("a", encoding="utf-8") as handle:
        if not existing:
            handle.write(_HEADER)
        elif not existing.endswith("\n"):
            handle.write("\n")
        handle.write(block)
    return True


__all__ = ["FILENAME", "accepted_path", "add_accepted", "find_accepted", "pairs_toml", "read_accepted"]
