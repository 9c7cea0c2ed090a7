"""What the spaCy pass read in each file, stored on disk, so that a bank read again after one of its
files changed parses that file only.

The spaCy pass is most of the cost of a build (see :mod:`kg.pipeline`); its result per item is a
:class:`~kg.extract.merge.Reading`: plain mentions, abbreviations and relations. Readings are stored
per source file under ``<cache>/readings/``, keyed by everything they depend on:

* the text of the file's items (every field, in order), so an edit anywhere in a file is a miss;
* kg's own code and data (a digest of the package's files, not only its version number);
* the pipeline's name, version and length limit, and the caller's settings (the relation table).

The bank-wide stages (merging concepts, graph, topics, pairs) run again: they depend on every file.

An entry is a line of JSON that names its key and carries the SHA-256 of the payload that follows it
(JSON, never unpickled code; each sentence written once, and the check made on the bytes read rather
than on the payload written out again). One that is unreadable, fails its check, or was written for
another key is read again from the text, with one warning; writing goes to a temporary file renamed
into place (:mod:`kg.atomic`), so an interrupted run leaves either the old entry or the new one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from kg.cachefile import EntryFolder, code_digest
from kg.extract.language import foreign_sources
from kg.extract.merge import Reading, _Found, read, warn_over_length
from kg.model import Field, QAItem, Relation

log = logging.getLogger("kg.readings")

FORMAT = 3


class Reader(Protocol):
    """Reads items as :func:`~kg.extract.merge.read` does: one reading per item, in order. The Ray reader
    (:func:`kg.cluster.read_on_ray`) is another."""

    def __call__(
        self,
        items: Sequence[QAItem],
        nlp: Language,
        *,
        keep: Callable[[QAItem, Field, Doc], Iterable] | None = None,
        on_doc: Callable[[QAItem, Field, Doc], None] | None = None,
        progress: Callable[[int], None] | None = None,
        n_process: int = 1,
    ) -> list[Reading]: ...


def file_key(items: Sequence[QAItem], nlp: Language, settings: str) -> str:
    """The key of one file's readings: its items' text, kg's code, the pipeline and the settings."""
    h = hashlib.sha256()
    meta = nlp.meta
    for part in (f"format {FORMAT}", code_digest(), meta.get("lang", ""), meta.get("name", ""),
                 meta.get("version", ""), str(nlp.max_length), settings):
        h.update(part.encode() + b"\0")
    for item in items:
        h.update(repr(item).encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def settings_digest(settings: object) -> str:
    """A digest of ``settings`` (dataclasses, mappings, sets, sequences and plain values) that is the
    same in every process.

    ``repr`` is not: a set of strings is written in an order that depends on the process's hash seed,
    so a key made from it missed every entry a former run stored.

    Examples
    --------
    >>> settings_digest({"b": frozenset({"x", "y"}), "a": 1}) == settings_digest({"a": 1, "b": frozenset({"y", "x"})})
    True
    """
    return hashlib.sha256(repr(_canonical(settings)).encode("utf-8", "surrogatepass")).hexdigest()


def _canonical(value: object) -> object:
    """``value`` with every mapping and set in a sorted order, and dataclasses as named fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple((f.name, _canonical(getattr(value, f.name))) for f in dataclasses.fields(value))
        return (type(value).__qualname__, fields)
    if isinstance(value, Mapping):
        return ("mapping", tuple(sorted(((_canonical(k), _canonical(v)) for k, v in value.items()), key=repr)))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((_canonical(v) for v in value), key=repr)))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    return value


def _encode(readings: Sequence[Reading]) -> bytes:
    """The readings of one file as JSON, each sentence written once: a sentence holds every mention
    in it (most of an entry's bytes, and of the time to read it back, went to their copies)."""
    sentences: dict[str, int] = {}

    def at(sentence: str) -> int:
        return sentences.setdefault(sentence, len(sentences))

    rows = [
        [
            [[f.field, f.key, f.start, f.end, f.text, at(f.sentence), f.surface, f.strong] for f in r.found],
            [list(pair) for pair in r.abbrevs],
            [[x.head, x.relation, x.tail, x.verb, x.item, at(x.sentence), x.confidence, x.reader] for x in r.kept],
        ]
        for r in readings
    ]
    return json.dumps({"sentences": list(sentences), "readings": rows}, ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


def _decode(payload: bytes, count: int) -> list[Reading]:
    data = json.loads(payload)
    sentences, rows = data["sentences"], data["readings"]
    if not isinstance(rows, list) or len(rows) != count:
        raise ValueError("wrong number of items")
    return [
        Reading(
            tuple([_Found(0, fld, key, a, b, text, sentences[s], surface, strong)
                   for fld, key, a, b, text, s, surface, strong in found]),
            tuple([(str(x), str(y)) for x, y in abbrevs]),
            tuple([Relation(h, rel, t, verb, item, sentences[s], conf, reader)
                   for h, rel, t, verb, item, s, conf, reader in kept]),
        )
        for found, abbrevs, kept in rows
    ]


class ReadingStore:
    """Readings per file on disk; ``load`` gives ``None`` for anything it cannot trust."""

    def __init__(self, root: str | Path) -> None:
        self.entries = EntryFolder(root, "readings", FORMAT, log, what="readings", redo="reading the file again",
                                   lost="what was read, so it will be read again next time")  # fmt: skip

    def path(self, key: str) -> Path:
        return self.entries.path(key)

    def load(self, key: str, count: int) -> list[Reading] | None:
        return self.entries.read(key, lambda payload: _decode(payload, count))

    def save(self, key: str, readings: Sequence[Reading]) -> None:
        self.entries.save(key, _encode(readings))


def by_file(items: Sequence[QAItem]) -> dict[str, list[int]]:
    """Item positions per source file, in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(item.source, []).append(i)
    return groups


def read_with_store(
    items: Sequence[QAItem],
    nlp: Language,
    store: ReadingStore | None,
    *,
    settings: str = "",
    keep: Callable[[QAItem, Field, Doc], Iterable] | None = None,
    on_doc: Callable[[QAItem, Field, Doc], None] | None = None,
    progress: Callable[[int], None] | None = None,
    n_process: int = 1,
    reader: Reader = read,
) -> tuple[list[Reading], int]:
    """The readings of ``items`` (as :func:`~kg.extract.merge.read`), taken from ``store`` for files
    whose key it holds; the rest are read in one pass (by ``reader``) and stored. Returns them and the
    items reused.
    """
    if store is None:
        return reader(items, nlp, keep=keep, on_doc=on_doc, progress=progress, n_process=n_process), 0
    readings: list[Reading | None] = [None] * len(items)
    todo: list[tuple[str, list[int]]] = []
    for positions in by_file(items).values():
        key = file_key([items[i] for i in positions], nlp, settings)
        stored = store.load(key, len(positions))
        if stored is None:
            todo.append((key, positions))
            continue
        for i, r in zip(positions, stored, strict=True):
            readings[i] = r
    reused = len(items) - sum(len(p) for _, p in todo)
    fresh_positions = {i for _, positions in todo for i in positions}
    # what reading them told the user, told again
    reused_items = [it for i, it in enumerate(items) if i not in fresh_positions]
    warn_over_length(reused_items, nlp.max_length)
    foreign_sources(reused_items)
    if todo:
        order = [i for _, positions in todo for i in positions]
        fresh = reader(
            [items[i] for i in order], nlp, keep=keep, on_doc=on_doc, progress=progress, n_process=n_process
        )
        at = dict(zip(order, fresh, strict=True))
        for key, positions in todo:
            for i in positions:
                readings[i] = at[i]
            store.save(key, [at[i] for i in positions])
    assert all(r is not None for r in readings)
    return [r for r in readings if r is not None], reused
