"""Reading bank files and folders: :func:`parse_file` and :func:`parse_paths`.

A file that cannot be read, is not UTF-8 or holds no question gives a
:class:`~kg.errors.ParseError` naming the file (and the line, where there is one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from kg.errors import ParseError
from kg.model import QAItem
from kg.parse.bank import parse_bank
from kg.parse.boilerplate import drop_boilerplate
from kg.parse.items import slug_words, stem_prefix, unique_ids

_SUFFIXES = (".md", ".markdown")


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


def parse_paths(paths: Iterable[str | Path]) -> tuple[list[QAItem], list[ParseError]]:
    """Parse several files and folders, going on past files that fail.

    A folder stands for every ``*.md``/``*.markdown`` file below it (recursively, sorted), except
    files named ``LICENSE*``. Ids are unique across the whole call: when two files share a stem, the
    parent folder's name is put in front.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders.

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
            found = sorted(
                f
                for f in p.rglob("*")
                if f.suffix.lower() in _SUFFIXES and f.is_file() and not _is_licence(f)
            )
            if not found:
                errors.append(ParseError("folder holds no .md or .markdown file", p))
            files.extend(found)
        else:
            files.append(p)
    unique: dict[Path, Path] = {}  # a file named twice (or inside two folders given) is read once
    for f in files:
        unique.setdefault(f.resolve(), f)
    files = list(unique.values())

    stems = Counter(stem_prefix(str(f)) for f in files)
    items: list[QAItem] = []
    for f in files:
        prefix = stem_prefix(str(f))
        if stems[prefix] > 1:
            prefix = f"{slug_words(f.parent.name) or 'root'}-{prefix}"
        try:
            items.extend(parse_bank(read_text(f), str(f), prefix)[0])
        except ParseError as e:
            errors.append(e)
    return drop_boilerplate(unique_ids(items)), errors


def _is_licence(path: Path) -> bool:
    return path.name.upper().startswith(("LICENSE", "LICENCE"))


def read_text(path: Path) -> str:
    """The text of ``path``, or a ParseError saying why it cannot be had."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError("file not found", path) from None
    except IsADirectoryError:
        raise ParseError("is a folder; pass folders to parse_paths", path) from None
    except OSError as e:
        raise ParseError(f"cannot read file: {e.strerror or e}", path) from None
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
