"""Reading bank files and folders: :func:`parse_file` and :func:`parse_paths`.

A file that cannot be read, is not UTF-8 or holds no question gives a
:class:`~kg.errors.ParseError` naming the file (and the line, where there is one). So does anything a
folder holds that cannot be used: a sub-folder that cannot be listed, a link that loops, a pipe or a
device with a bank's name. Nothing is skipped without saying so, and nothing waits on a pipe. A file
read only in part, asking many more questions than were read, is named in a warning
(:mod:`kg.parse.unread`).
"""

from __future__ import annotations

import logging
import os
import stat
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ParseError
from kg.model import QAItem
from kg.parse.bank import parse_bank
from kg.parse.boilerplate import drop_boilerplate
from kg.parse.items import slug_words, stem_prefix, unique_ids
from kg.parse.unread import partly_read

if TYPE_CHECKING:
    from kg.parsestore import ParseStore

log = logging.getLogger("kg.parse")

_SUFFIXES = (".md", ".markdown", ".mdx")


def parse_file(path: str | Path) -> list[QAItem]:
    """Parse one bank file.

    Parameters
    ----------
    path : str or Path
        A markdown file, read as UTF-8.

    Returns
    -------
    list of QAItem

    Raises
    ------
    ParseError
        When the file is missing, unreadable, not UTF-8 (pointing at the line of the first bad byte)
        or holds no question.

    Examples
    --------
    >>> parse_file("no/such/bank.md")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: no/such/bank.md: file not found
    """
    return parse_bank(read_text(Path(path)), str(path), stem_prefix(str(path)))[0]


def parse_paths(
    paths: Iterable[str | Path], store: ParseStore | None = None, notes: list[str] | None = None
) -> tuple[list[QAItem], list[ParseError]]:
    """Parse several files and folders, going on past files that fail.

    A folder stands for every ``*.md``/``*.markdown``/``*.mdx`` file below it (recursively, sorted), except
    files named ``LICENSE*``. Ids are unique across the whole call: when two files share a stem, the
    parent folder's name is put in front.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders.
    store : ParseStore, optional
        Where each file's items are kept (:mod:`kg.parsestore`): a file parsed before with the same
        text is taken from it; the result is the same as without it.

    Returns
    -------
    items : list of QAItem
        Items of all files that parsed, in file order.
    errors : list of ParseError
        One per file (or folder) that could not be used.

    Notes
    -----
    Time is linear in the size of the input: the 26 files and 1,309 questions of the largest real
    bank take about 0.3 s of CPU (``bench/bank_counts.py`` prints the figure).

    Examples
    --------
    >>> items, errors = parse_paths(["no/such/folder"])
    >>> items, [str(e) for e in errors]
    ([], ['no/such/folder: file not found'])
    """
    files: list[Path] = []
    errors: list[ParseError] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = _bank_files(p, errors)
            if not found:
                errors.append(ParseError("folder holds no .md, .markdown or .mdx file", p))
            files.extend(found)
        else:
            files.append(p)
    unique: dict[object, Path] = {}  # a file named twice (or inside two folders given) is read once
    for f in files:
        try:
            where: object = f.resolve()
        except (OSError, RuntimeError):  # a link that loops: read_text names it
            where = f
        unique.setdefault(where, f)
    files = list(unique.values())

    stems = Counter(stem_prefix(str(f)) for f in files)
    items: list[QAItem] = []
    for f in files:
        prefix = stem_prefix(str(f))
        if stems[prefix] > 1:
            prefix = f"{slug_words(f.parent.name) or 'root'}-{prefix}"
        try:
            text = read_text(f)
            if store is None:
                parsed = _parse_file(text, str(f), prefix)
            else:
                parsed = store.items(text, str(f), prefix, _parse_file)
        except ParseError as e:
            errors.append(e)
            continue
        items.extend(parsed)
        if (part := partly_read(text, str(f), parsed)) is not None:
            note = part.note()
            log.warning("%s", note)
            if notes is not None:
                notes.append(note)
    return drop_boilerplate(unique_ids(items)), errors


def _parse_file(text: str, source: str, prefix: str) -> list[QAItem]:
    return parse_bank(text, source, prefix)[0]


def _bank_files(folder: Path, errors: list[ParseError]) -> list[Path]:
    """The bank files below ``folder``, sorted by path; what cannot be used is added to ``errors``.

    Links are followed, but a folder reached a second time (a link that loops back) is not walked
    again; a sub-folder that cannot be listed, a file that cannot be examined and a pipe or device
    with a bank's name are each reported rather than passed over.
    """
    found: list[Path] = []
    walked: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            info = current.stat()
            entries = list(os.scandir(current))
        except OSError as e:
            errors.append(ParseError(f"cannot read folder: {_reason(e)}", current))
            continue
        if (info.st_dev, info.st_ino) in walked:
            errors.append(ParseError("a link leads back to a folder already read; not read twice", current))
            continue
        walked.add((info.st_dev, info.st_ino))
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = os.stat(path).st_mode  # through links
            except OSError as e:
                if path.suffix.lower() in _SUFFIXES or entry.is_symlink():
                    errors.append(ParseError(f"cannot read: {_reason(e)}", path))
                continue
            if stat.S_ISDIR(mode):
                pending.append(path)
            elif path.suffix.lower() in _SUFFIXES and not _is_licence(path):
                if stat.S_ISREG(mode):
                    found.append(path)
                else:
                    errors.append(ParseError("not a regular file (a pipe, device or socket); skipped", path))
    return sorted(found)


def _reason(e: OSError) -> str:
    return e.strerror or str(e)


def _is_licence(path: Path) -> bool:
    return path.name.upper().startswith(("LICENSE", "LICENCE"))


def read_text(path: Path) -> str:
    """The text of ``path``, or a ParseError saying why it cannot be had."""
    try:
        # Only a regular file is read: opening a pipe would wait for a writer, forever.
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError
        if not stat.S_ISREG(mode):
            raise ParseError("not a regular file (a pipe, device or socket); skipped", path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError("file not found", path) from None
    except IsADirectoryError:
        raise ParseError("is a folder; pass folders to parse_paths", path) from None
    except OSError as e:
        raise ParseError(f"cannot read file: {_reason(e)}", path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        offset = e.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line_start = data.rfind(b"\n", 0, offset) + 1
        raise ParseError(
            f"not valid UTF-8 (byte 0x{data[offset]:02x} at column {offset - line_start + 1}); "
            "save the file as UTF-8",
            path,
            line=data.count(b"\n", 0, offset) + 1,
        ) from None
