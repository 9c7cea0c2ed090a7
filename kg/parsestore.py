"""What the markdown parser made of each file, stored on disk, so that a bank read again after one of
its files changed parses that file only.

:func:`kg.parse.parse_paths` cuts each file into items on its own (:func:`kg.parse.bank.parse_bank`)
and then gives ids that are unique across files and drops template answer lines bank-wide; only the
per-file part is stored. An entry under ``<cache>/parsed/`` is keyed by everything it depends on: the
file's text, its name as given (it goes into each item's ``source``), the id prefix, and kg's own code
(:func:`kg.cachefile.code_digest`).

An entry is a line of JSON naming its key and the SHA-256 of the payload that follows it (the items as
JSON, never unpickled code); one that is unreadable, fails its check, or was written for another key
is parsed again from the text, with one warning. Writes go to a temporary file renamed into place
(:mod:`kg.atomic`). A file that holds no question is never stored: its error is raised each time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from kg.cachefile import EntryFolder, code_digest
from kg.model import QAItem

log = logging.getLogger("kg.parsestore")

FORMAT = 1


def parse_key(text: str, source: str, prefix: str) -> str:
    """The key of one file's items: its text, its name, the id prefix and kg's code.

    Examples
    --------
    >>> parse_key("## Q?", "a.md", "a") == parse_key("## Q?", "a.md", "a")
    True
    >>> len({parse_key("## Q?", "a.md", "a"), parse_key("## Q?!", "a.md", "a"), parse_key("## Q?", "b.md", "a"),
    ...      parse_key("## Q?", "a.md", "b")})
    4
    """
    h = hashlib.sha256()
    for part in (f"format {FORMAT}", code_digest(), source, prefix):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _encode(items: list[QAItem]) -> bytes:
    rows = [[i.id, i.number, i.question, i.answer, i.line, i.question_text, i.answer_text] for i in items]
    return json.dumps(rows, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _decode(payload: bytes, source: str) -> list[QAItem]:
    rows = json.loads(payload)
    if not isinstance(rows, list):
        raise ValueError("not a list of items")
    return [QAItem(i, n, q, a, source, line, qt, at) for i, n, q, a, line, qt, at in rows]


class ParseStore:
    """Parsed items per file on disk; :meth:`items` parses what it does not hold, and stores it."""

    def __init__(self, root: str | Path) -> None:
        self.entries = EntryFolder(root, "parsed", FORMAT, log, what="items", redo="parsing the file again",
                                   lost="what was parsed, so it will be parsed again next time")  # fmt: skip

    def path(self, key: str) -> Path:
        return self.entries.path(key)

    def items(
        self, text: str, source: str, prefix: str, parse: Callable[[str, str, str], list[QAItem]]
    ) -> list[QAItem]:
        """The items of one file: stored ones if this store holds them, else ``parse(text, source,
        prefix)``'s, then stored."""
        key = parse_key(text, source, prefix)
        stored = self.load(key, source)
        if stored is not None:
            return stored
        items = parse(text, source, prefix)
        if items:  # an empty file is said again each time it is read
            self.entries.save(key, _encode(items))
        return items

    def load(self, key: str, source: str) -> list[QAItem] | None:
        return self.entries.read(key, lambda payload: _decode(payload, source))


__all__ = ["ParseStore", "parse_key"]
