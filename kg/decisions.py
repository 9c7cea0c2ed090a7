"""A curator's verdicts on pairs of questions, kept in ``kg-accepted.toml`` next to the bank.

One ``[[pair]]`` table per pair::

    [[pair]]
    a = "questions-7"
    b = "questions-24"
    verdict = "overlap"
    note = "one asks why, the other how"

``verdict`` is one of

* ``"duplicate"``: one question asked twice. The pair is reported as a duplicate whatever its score
  (even when the scorer did not find it), and ``kg check`` fails on it until one of the two goes;
* ``"overlap"``: related on purpose; reported as an overlap, which ``kg check`` does not fail on;
* ``"different"``: not a duplicate; the pair is left out of what is reported.

A table without ``verdict`` (the files kg wrote before verdicts) means ``"different"``. When the same
pair has several tables, the last one counts. A malformed table, or one with an unknown verdict, is
reported with its file and line and the others still count; so is a pair naming a question the bank
does not hold (:func:`unknown_ids`).

The verdicts are applied after scoring, by :func:`apply_verdicts`, so the scorer never needs to know
about them and a changed verdict costs a filter over the pairs, not a new pass over the bank.

A verdict is set or removed (:func:`set_verdict`, :func:`remove_verdict`) under a lock, by reading the
file, replacing the pair's tables in its text and renaming a complete new file into place: an
interrupted write or two writers at once lose nothing, comments and the other tables are kept as
written, and the bank itself is never touched.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from kg.atomic import locked, write_atomic
from kg.bankfiles import bank_folder
from kg.errors import ConfigError
from kg.model import DUPLICATE, OVERLAP, Pair, PairKind, sort_pairs
from kg.tomlfile import read_toml

log = logging.getLogger(__name__)

FILENAME = "kg-accepted.toml"

Verdict = Literal["duplicate", "overlap", "different"]
DIFFERENT: Verdict = "different"
VERDICTS: tuple[Verdict, ...] = ("duplicate", "overlap", DIFFERENT)

HEADER = (
    "# Pairs of questions reviewed by a curator. One [[pair]] per pair: a and b are question ids, and\n"
    '# verdict = "duplicate" (kg check fails until one goes), "overlap" (reported, not a failure) or\n'
    '# "different" (not reported). A table without a verdict means "different".\n'
)

# the kind of pair each verdict but "different" reports
_KIND: dict[Verdict, PairKind] = {"duplicate": DUPLICATE, "overlap": OVERLAP}
_HEADER_LINE = re.compile(r"\s*\[\[\s*pair\s*\]\]")
_TABLE_LINE = re.compile(r"\s*\[")  # where a table's text ends: the next table (or array-of-tables) header
_KEYS = "a, b, verdict and note"


@dataclass(frozen=True)
class Decision:
    """One curator's verdict on a pair, and where it was read (``path`` and 1-based ``line``)."""

    a: str
    b: str
    verdict: Verdict = DIFFERENT
    note: str = ""
    path: str = ""
    line: int | None = None

    @property
    def key(self) -> frozenset[str]:
        """The pair as an unordered pair of ids: ``a``/``b`` order does not matter.

        Examples
        --------
        >>> Decision("q-2", "q-1").key == Decision("q-1", "q-2").key
        True
        """
        return frozenset((self.a, self.b))


Decisions = Mapping[frozenset[str], Decision]


def decisions_path(bank: str | Path) -> Path:
    """The decisions file of a bank file or folder: ``kg-accepted.toml`` in its folder.

    Examples
    --------
    >>> decisions_path("banks/ml.md").as_posix()
    'banks/kg-accepted.toml'
    """
    return bank_folder(bank) / FILENAME


def _header_lines(text: str) -> list[int]:
    """1-based line of each ``[[pair]]`` header, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _HEADER_LINE.match(line)]


def _entry(entry: dict, path: str | Path, line: int | None) -> Decision:
    """The decision of one ``[[pair]]`` table, or the :class:`ConfigError` that says what is wrong."""
    a, b, verdict, note = entry.get("a"), entry.get("b"), entry.get("verdict", DIFFERENT), entry.get("note", "")
    if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
        raise ConfigError('each [[pair]] needs a = "<question id>" and b = "<question id>"', path, line)
    if a == b:
        raise ConfigError(f"a pair needs two different questions, got {a!r} twice", path, line)
    if verdict not in VERDICTS:
        choices = ", ".join(f'"{v}"' for v in VERDICTS)
        raise ConfigError(f"unknown verdict {verdict!r} for {a} ~ {b}; write one of {choices}", path, line)
    if not isinstance(note, str):
        raise ConfigError(f'the note of {a} ~ {b} must be a string: note = "..."', path, line)
    return Decision(a, b, verdict, note, str(path), line)


def _decisions(data: dict, text: str, path: str | Path, found: list[ConfigError]) -> dict[frozenset[str], Decision]:
    """The decisions of a parsed file, the last table of a pair winning; what is wrong goes to ``found``."""
    unknown = sorted(set(data) - {"pair"})
    if unknown:
        found.append(ConfigError(f"unknown key {unknown[0]!r}; the file holds only [[pair]] tables with {_KEYS}", path))
    pairs = data.get("pair", [])
    if not isinstance(pairs, list) or not all(isinstance(e, dict) for e in pairs):
        found.append(ConfigError("'pair' must be written as [[pair]] tables", path))
        pairs = [e for e in pairs if isinstance(e, dict)] if isinstance(pairs, list) else []
    lines = _header_lines(text)
    out: dict[frozenset[str], Decision] = {}
    for n, entry in enumerate(pairs):
        try:
            decision = _entry(entry, path, lines[n] if n < len(lines) else None)
        except ConfigError as exc:
            found.append(exc)
            continue
        out.pop(decision.key, None)  # a later table overrides, and takes the later place
        out[decision.key] = decision
    return out


def read_decisions(path: str | Path, errors: list[ConfigError] | None = None) -> dict[frozenset[str], Decision]:
    """The decisions of one file by pair, in file order; empty if the file is absent.

    A malformed ``[[pair]]`` table is left out and the others count: with ``errors`` given its error is
    appended there, else the first one is raised.

    Raises
    ------
    ConfigError
        The file is not valid TOML, or (without ``errors``) a table is malformed; the message names
        file and line.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / FILENAME
    >>> _ = f.write_text('[[pair]]\\na = "q-1"\\nb = "q-2"\\n'
    ...                  '[[pair]]\\na = "q-3"\\nb = "q-4"\\nverdict = "dup"\\n'
    ...                  '[[pair]]\\na = "q-2"\\nb = "q-1"\\nverdict = "overlap"\\n', encoding="utf-8")
    >>> problems = []
    >>> [(d.a, d.b, d.verdict, d.line) for d in read_decisions(f, problems).values()]
    [('q-2', 'q-1', 'overlap', 8)]
    >>> [str(e).split(":", 2)[1:] for e in problems]
    [['4', ' unknown verdict \\'dup\\' for q-3 ~ q-4; write one of "duplicate", "overlap", "different"']]
    """
    path = Path(path)
    if not path.is_file():
        return {}
    data, text = read_toml(path, "decisions file")
    found: list[ConfigError] = []
    out = _decisions(data, text, path, found)
    if found and errors is None:
        raise found[0]
    if errors is not None:
        errors.extend(found)
    return out


def find_decisions(
    banks: Iterable[str | Path], errors: list[ConfigError] | None = None
) -> dict[frozenset[str], Decision]:
    """The decisions next to any of the banks (files or folders), each file read once; a later file's
    verdict on a pair overrides an earlier one's.

    ``errors`` collects what is wrong with a file, as in :func:`read_decisions`; a file that is not TOML
    at all then adds nothing and the others still count.
    """
    seen: set[Path] = set()
    out: dict[frozenset[str], Decision] = {}
    for bank in banks:
        path = decisions_path(bank).resolve()
        if path in seen:
            continue
        seen.add(path)
        try:
            found = read_decisions(path, errors)
        except ConfigError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        for key, decision in found.items():
            out.pop(key, None)
            out[key] = decision
    return out


def unknown_ids(decisions: Decisions | Iterable[Decision], item_ids: Collection[str]) -> list[ConfigError]:
    """A :class:`ConfigError` (file and line) for each decision naming a question the bank does not hold.

    Such a decision changes nothing; the others still count. Meant as warnings: a question removed from
    the bank leaves its decisions behind, which is no reason to fail a check.

    Examples
    --------
    >>> found = unknown_ids([Decision("q-1", "q-9", path="kg-accepted.toml", line=4)], {"q-1", "q-2"})
    >>> [str(e) for e in found]
    ["kg-accepted.toml:4: no question 'q-9' in the bank; the verdict on q-1 ~ q-9 changes nothing"]
    """
    values = decisions.values() if isinstance(decisions, Mapping) else decisions
    ids = item_ids if isinstance(item_ids, (set, frozenset, dict)) else set(item_ids)
    out = []
    for d in values:
        missing = [i for i in (d.a, d.b) if i not in ids]
        if missing:
            message = f"no question {missing[0]!r} in the bank; the verdict on {d.a} ~ {d.b} changes nothing"
            out.append(ConfigError(message, d.path or FILENAME, d.line))
    return out


def apply_verdicts(
    pairs: Iterable[Pair], decisions: Decisions, item_ids: Collection[str] | None = None
) -> list[Pair]:
    """The scored ``pairs`` as the curator decided them: what ``kg check``, the views and exports report.

    ``different`` leaves a pair out; ``overlap`` and ``duplicate`` type it so, with ``verdict`` set to
    say that a curator decided. A pair called duplicate or overlap that the scorer did not return is
    added (score 0, no evidence) when both its ids are in ``item_ids``; without ``item_ids`` none is
    added. Pure: the order is that of the scorer, duplicates first (:func:`kg.model.sort_pairs`).

    Examples
    --------
    >>> scored = [Pair("q-1", "q-2", 0.9, "duplicate"), Pair("q-1", "q-3", 0.6, "overlap"),
    ...           Pair("q-2", "q-3", 0.5, "overlap")]
    >>> decided = {d.key: d for d in [Decision("q-2", "q-1", "different"), Decision("q-1", "q-3", "duplicate"),
    ...                               Decision("q-4", "q-1", "duplicate")]}
    >>> for p in apply_verdicts(scored, decided, {"q-1", "q-2", "q-3", "q-4"}):
    ...     print(p.a, p.b, p.kind, p.verdict)
    q-1 q-3 duplicate duplicate
    q-4 q-1 duplicate duplicate
    q-2 q-3 overlap None
    """
    out = []
    seen: set[frozenset[str]] = set()
    for p in pairs:
        key = frozenset((p.a, p.b))
        seen.add(key)
        decision = decisions.get(key)
        if decision is None:
            out.append(p)
        elif decision.verdict in _KIND:
            out.append(replace(p, kind=_KIND[decision.verdict], verdict=decision.verdict))
    if item_ids is not None:
        for key, d in decisions.items():
            if d.verdict in _KIND and key not in seen and d.a in item_ids and d.b in item_ids:
                out.append(Pair(d.a, d.b, 0.0, _KIND[d.verdict], verdict=d.verdict))
    return sort_pairs(out)


def set_aside(pairs: Iterable[Pair], decisions: Decisions) -> list[Pair]:
    """The scored pairs a curator called different (left out by :func:`apply_verdicts`), ``verdict`` set,
    so that a view can list them and offer to undo the verdict.

    Examples
    --------
    >>> decided = {frozenset(("q-1", "q-2")): Decision("q-2", "q-1", "different")}
    >>> [(p.a, p.verdict) for p in set_aside([Pair("q-1", "q-2", 0.9, "duplicate")], decided)]
    [('q-1', 'different')]
    """
    out = []
    for p in pairs:
        decision = decisions.get(frozenset((p.a, p.b)))
        if decision is not None and decision.verdict == DIFFERENT:
            out.append(replace(p, verdict=DIFFERENT))
    return out


def different_pairs(decisions: Decisions) -> frozenset[frozenset[str]]:
    """The pairs called different: what the scorer's ``accepted`` option leaves out.

    Examples
    --------
    >>> decided = [Decision("a", "b"), Decision("a", "c", "overlap")]
    >>> [sorted(p) for p in different_pairs({d.key: d for d in decided})]
    [['a', 'b']]
    """
    return frozenset(k for k, d in decisions.items() if d.verdict == DIFFERENT)


# ------------------------------------------------------------------------------------------------
# Writing


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    r"""``text`` as a TOML basic string: control characters (DEL included) escaped.

    Raises
    ------
    ConfigError
        ``text`` holds a lone surrogate, which no TOML (or UTF-8) file can hold.

    Examples
    --------
    >>> print(toml_string('say "hi"\x7f\n'))
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


def pair_table(a: str, b: str, verdict: Verdict = DIFFERENT, note: str = "") -> str:
    """One ``[[pair]]`` table, with a blank line before it.

    Examples
    --------
    >>> print(pair_table("q-1", "q-2", "overlap"), end="")
    <BLANKLINE>
    [[pair]]
    a = "q-1"
    b = "q-2"
    verdict = "overlap"
    """
    block = f"\n[[pair]]\na = {toml_string(a)}\nb = {toml_string(b)}\nverdict = {toml_string(verdict)}\n"
    if note:
        block += f"note = {toml_string(note)}\n"
    return block


def decisions_toml(decisions: Iterable[Decision]) -> str:
    """A whole decisions file holding ``decisions``, as :func:`set_verdict` writes it.

    Examples
    --------
    >>> decisions_toml([Decision("q-1", "q-2", "duplicate")]).splitlines()[-4:]
    ['[[pair]]', 'a = "q-1"', 'b = "q-2"', 'verdict = "duplicate"']
    """
    return HEADER + "".join(pair_table(d.a, d.b, d.verdict, d.note) for d in decisions)


def _spans(text: str, count: int) -> list[tuple[int, int]] | None:
    """Where each of the ``count`` ``[[pair]]`` tables is in ``text``, as 0-based line ranges.

    A table runs from its header to its last line of content: comments and blank lines before the next
    header stay, as they may be about that one. ``None`` when the headers found are not one per table.
    """
    lines = text.splitlines()
    heads = [n - 1 for n in _header_lines(text)]
    if len(heads) != count:
        return None
    spans = []
    for start in heads:
        end = next((k for k in range(start + 1, len(lines)) if _TABLE_LINE.match(lines[k])), len(lines))
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        # the blank line written before a table goes with it, so that removals leave no gaps behind
        spans.append((start - 1 if start > 0 and not lines[start - 1].strip() else start, end))
    return spans


def _edited(path: Path, key: frozenset[str], table: str) -> tuple[str, bool]:
    """The file's text with the tables of ``key`` replaced by ``table`` ("" removes them), and whether it
    changed. Comments and other tables are kept as written; a file that reads otherwise than expected
    after the edit is written afresh from its decisions instead.

    Raises
    ------
    ConfigError
        The file is not valid TOML: it is left as it is rather than overwritten.
    """
    if not path.is_file():
        return (HEADER + table, True) if table else ("", False)
    data, text = read_toml(path, "decisions file")
    before = _decisions(data, text, path, [])
    entries = data.get("pair", []) if isinstance(data.get("pair"), list) else []
    spans = _spans(text, len(entries))
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    drop: set[int] = set()
    for entry, (start, end) in zip(entries, spans or [], strict=False):
        names = (entry.get("a"), entry.get("b")) if isinstance(entry, dict) else ()
        if all(isinstance(n, str) for n in names) and frozenset(names) == key:
            drop.update(range(start, end))
    if not drop and not table:
        return text, False
    new = "".join(line for k, line in enumerate(lines) if k not in drop) + table
    expected = {k: d for k, d in before.items() if k != key}
    if table:
        expected[key] = _decisions(tomllib.loads(table), table, path, [])[key]
    try:
        after = _decisions(tomllib.loads(new), new, path, [])
    except tomllib.TOMLDecodeError:
        after = None
    if spans is None or after is None or _content(after) != _content(expected):
        log.warning("%s: rewritten from its decisions (its tables could not be edited in place)", path)
        new = decisions_toml(expected.values())
    return new, True


def _content(decisions: Decisions) -> dict[frozenset[str], tuple[str, str]]:
    return {k: (d.verdict, d.note) for k, d in decisions.items()}


def set_verdict(path: str | Path, a: str, b: str, verdict: Verdict, note: str = "") -> bool:
    """Record the curator's ``verdict`` on ``a`` and ``b`` (the file is created if missing).

    The pair's earlier tables are replaced, so a pair is never written twice. ``False`` when the file
    already said the same (verdict and note) and was left alone.

    Raises
    ------
    ConfigError
        An unknown verdict, the same question twice, a lone surrogate in an id or the note, or a file
        that is not TOML (left as it is).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / FILENAME
    >>> set_verdict(f, "q-1", "q-2", "duplicate"), set_verdict(f, "q-2", "q-1", "duplicate")
    (True, False)
    >>> set_verdict(f, "q-2", "q-1", "overlap", note='related "on purpose"')
    True
    >>> [(d.a, d.b, d.verdict, d.note) for d in read_decisions(f).values()]
    [('q-2', 'q-1', 'overlap', 'related "on purpose"')]
    """
    path = Path(path)
    if verdict not in VERDICTS:
        choices = ", ".join(f'"{v}"' for v in VERDICTS)
        raise ConfigError(f"unknown verdict {verdict!r}; write one of {choices}", path)
    if a == b:
        raise ConfigError(f"a pair needs two different questions, got {a!r} twice", path)
    table = pair_table(a, b, verdict, note)  # before the lock: a bad note is refused with no file touched
    key = frozenset((a, b))
    with locked(path):
        # Read under the lock: a writer that came first may have decided the same pair.
        current = read_decisions(path, errors=[]).get(key)
        if current is not None and (current.verdict, current.note) == (verdict, note):
            return False
        text, changed = _edited(path, key, table)
        if changed:
            write_atomic(path, text)
    return changed


def remove_verdict(path: str | Path, a: str, b: str) -> bool:
    """Undo: take every table of ``a`` and ``b`` out of the file. ``False`` when there was none.

    A file left with nothing but kg's own header is deleted: undoing the only verdict leaves the
    folder as it was.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / FILENAME
    >>> _ = set_verdict(f, "q-1", "q-2", "different"), set_verdict(f, "q-3", "q-4", "overlap")
    >>> remove_verdict(f, "q-2", "q-1"), remove_verdict(f, "q-2", "q-1")
    (True, False)
    >>> [(d.a, d.verdict) for d in read_decisions(f).values()]
    [('q-3', 'overlap')]
    >>> remove_verdict(f, "q-3", "q-4"), f.exists()
    (True, False)
    """
    path = Path(path)
    with locked(path):
        text, changed = _edited(path, frozenset((a, b)), "")
        if changed and text.strip() == HEADER.strip():
            path.unlink()
        elif changed:
            write_atomic(path, text)
    return changed


def verdict_counts(decisions: Decisions | Sequence[Decision]) -> dict[Verdict, int]:
    """How many pairs have each verdict.

    Examples
    --------
    >>> verdict_counts([Decision("a", "b"), Decision("a", "c", "duplicate")])
    {'duplicate': 1, 'overlap': 0, 'different': 1}
    """
    values = decisions.values() if isinstance(decisions, Mapping) else decisions
    counts: dict[Verdict, int] = dict.fromkeys(VERDICTS, 0)
    for d in values:
        counts[d.verdict] += 1
    return counts


__all__ = [
    "DIFFERENT",
    "FILENAME",
    "HEADER",
    "VERDICTS",
    "Decision",
    "Decisions",
    "Verdict",
    "apply_verdicts",
    "decisions_path",
    "decisions_toml",
    "different_pairs",
    "find_decisions",
    "pair_table",
    "read_decisions",
    "remove_verdict",
    "set_aside",
    "set_verdict",
    "toml_string",
    "unknown_ids",
    "verdict_counts",
]
