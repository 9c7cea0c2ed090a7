"""Pairs a curator has reviewed and accepted: "these two are not duplicates".

They live in a small TOML file next to the bank, ``kg-accepted.toml``, one ``[[pair]]`` table each::

    [[pair]]
    a = "questions-7"
    b = "questions-24"
    note = "one asks why, the other how"

``kg check`` no longer fails on an accepted pair, and the app's "not a duplicate" button adds to the
same file. A pair is added under a lock, by reading the file, appending one table to its text and
renaming a complete new file into place, so an interrupted write or two writers at once lose nothing;
the bank itself is never touched. A malformed table is reported with its line and the others still count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from kg.atomic import locked, write_atomic
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


def read_accepted(path: str | Path, errors: list[ConfigError] | None = None) -> frozenset[frozenset[str]]:
    """The accepted pairs of one file, as unordered pairs of item ids; empty if the file is absent.

    A malformed ``[[pair]]`` table is left out and the others count: with ``errors`` given its error is
    appended there, else the first one is raised.

    Raises
    ------
    ConfigError
        The file is not valid TOML, or (without ``errors``) a pair is malformed; the message names file
        and line.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / FILENAME
    >>> _ = f.write_text('[[pair]]\\na = "q-1"\\nb = "q-2"\\n[[pair]]\\na = [1, 2]\\n', encoding="utf-8")
    >>> problems = []
    >>> sorted(sorted(p) for p in read_accepted(f, problems)), [str(e).split(": ", 1)[1] for e in problems]
    ([['q-1', 'q-2']], ['each [[pair]] needs a = "<question id>" and b = "<question id>"'])
    """
    path = Path(path)
    if not path.is_file():
        return frozenset()
    data, text = read_toml(path, "accepted-pairs file")
    found: list[ConfigError] = []
    unknown = sorted(set(data) - {"pair"})
    if unknown:
        found.append(
            ConfigError(f"unknown key {unknown[0]!r}; the file holds only [[pair]] tables with a, b and note", path)
        )
    pairs = data.get("pair", [])
    if not isinstance(pairs, list) or not all(isinstance(e, dict) for e in pairs):
        found.append(ConfigError("'pair' must be written as [[pair]] tables", path))
        pairs = [e for e in pairs if isinstance(e, dict)] if isinstance(pairs, list) else []
    lines = _pair_lines(text)
    out: set[frozenset[str]] = set()
    for n, entry in enumerate(pairs):
        line = lines[n] if n < len(lines) else None
        a, b = entry.get("a"), entry.get("b")
        if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
            found.append(ConfigError('each [[pair]] needs a = "<question id>" and b = "<question id>"', path, line))
        elif a == b:
            found.append(ConfigError(f"a pair needs two different questions, got {a!r} twice", path, line))
        else:
            out.add(frozenset((a, b)))
    if found and errors is None:
        raise found[0]
    if errors is not None:
        errors.extend(found)
    return frozenset(out)


def find_accepted(
    banks: Iterable[str | Path], errors: list[ConfigError] | None = None
) -> frozenset[frozenset[str]]:
    """All accepted pairs next to any of the banks (files or folders), each file read once.

    ``errors`` collects what is wrong with a file, as in :func:`read_accepted`.
    """
    seen: set[Path] = set()
    out: set[frozenset[str]] = set()
    for bank in banks:
        path = accepted_path(bank).resolve()
        if path not in seen:
            seen.add(path)
            try:
                out |= read_accepted(path, errors)
            except ConfigError as exc:
                if errors is None:
                    raise
                errors.append(exc)  # a file that does not parse adds nothing; the others still count
    return frozenset(out)


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _toml_string(text: str) -> str:
    r"""``text`` as a TOML basic string: control characters (DEL included) escaped.

    Raises
    ------
    ConfigError
        ``text`` holds a lone surrogate, which no TOML (or UTF-8) file can hold.

    Examples
    --------
    >>> print(_toml_string('say "hi"\x7f\n'))
    "say \"hi\"\u007F\n"
    """
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ConfigError(f"cannot record {text!r}: it holds a lone surrogate (U+{code:04X})", FILENAME)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


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
    block = _block(a, b, note)
    with locked(path):
        # Read under the lock: a writer that came first may have added the same pair.
        if frozenset((a, b)) in read_accepted(path, errors=[]):
            return False
        existing = path.read_text(encoding="utf-8") if path.is_file() else ""
        if existing and not existing.endswith("\n"):
            existing += "\n"
        write_atomic(path, (existing or _HEADER) + block)
    return True


__all__ = ["FILENAME", "accepted_path", "add_accepted", "find_accepted", "pairs_toml", "read_accepted"]
