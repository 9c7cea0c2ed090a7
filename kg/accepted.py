"""Pairs a curator accepted as "not a duplicate": the ``different`` verdicts of :mod:`kg.decisions`.

The names kept from before verdicts, for code that only knows "not a duplicate": the same file
(``kg-accepted.toml``), read and written by :mod:`kg.decisions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.decisions import (
    DIFFERENT,
    FILENAME,
    Decision,
    decisions_path,
    decisions_toml,
    different_pairs,
    find_decisions,
    read_decisions,
    set_verdict,
)
from kg.errors import ConfigError


def accepted_path(bank: str | Path) -> Path:
    """The decisions file of a bank file or folder (:func:`kg.decisions.decisions_path`).

    Examples
    --------
    >>> accepted_path("banks/ml.md").as_posix()
    'banks/kg-accepted.toml'
    """
    return decisions_path(bank)


def read_accepted(path: str | Path, errors: list[ConfigError] | None = None) -> frozenset[frozenset[str]]:
    """The pairs of one file called different, as unordered pairs of ids (:func:`kg.decisions.read_decisions`).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / FILENAME
    >>> _ = f.write_text('[[pair]]\\na = "q-1"\\nb = "q-2"\\n[[pair]]\\na = [1, 2]\\n', encoding="utf-8")
    >>> problems = []
    >>> sorted(sorted(p) for p in read_accepted(f, problems)), [str(e).split(": ", 1)[1] for e in problems]
    ([['q-1', 'q-2']], ['each [[pair]] needs a = "<question id>" and b = "<question id>"'])
    """
    return different_pairs(read_decisions(path, errors))


def find_accepted(
    banks: Iterable[str | Path], errors: list[ConfigError] | None = None
) -> frozenset[frozenset[str]]:
    """The pairs called different next to any of the banks (:func:`kg.decisions.find_decisions`)."""
    return different_pairs(find_decisions(banks, errors))


def pairs_toml(pairs: Iterable[tuple[str, str]]) -> str:
    """A whole decisions file calling each of ``pairs`` different.

    Examples
    --------
    >>> print(pairs_toml([("q-1", "q-2")]).splitlines()[-4:])
    ['[[pair]]', 'a = "q-1"', 'b = "q-2"', 'verdict = "different"']
    """
    return decisions_toml(Decision(a, b, DIFFERENT) for a, b in pairs)


def add_accepted(path: str | Path, a: str, b: str, note: str = "") -> bool:
    """Call ``a`` and ``b`` different (the file is created if missing). ``False`` if they already were.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / FILENAME
    >>> add_accepted(f, "q-1", "q-2", note='asked "twice" on purpose'), add_accepted(f, "q-2", "q-1")
    (True, False)
    >>> len(read_accepted(f))
    1
    """
    current = read_decisions(path, errors=[]).get(frozenset((a, b))) if Path(path).is_file() else None
    if current is not None and current.verdict == DIFFERENT:
        return False
    return set_verdict(path, a, b, DIFFERENT, note)


__all__ = ["FILENAME", "accepted_path", "add_accepted", "find_accepted", "pairs_toml", "read_accepted"]
