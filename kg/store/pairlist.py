"""A store's pairs as the app's Duplicates page lists them: of some kinds, at or above a score, without
the pairs a curator called different (listed apart), in pages, with groups of duplicates and the whole
list as CSV or JSON, written a chunk at a time.

The bank in memory filters a list (``ui/pages/duplicates.py``); here every part is a query that reads
what it shows: a kind's pairs at or above a floor are its first ones (:meth:`Store.pair_count`), the
verdicts given since the store was written are few, and a page steps over the pairs they set aside.
A verdict of duplicate or overlap is marked on its pair, which keeps its stored kind.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import IO

from kg.groups import complete_linkage
from kg.model import DUPLICATE, PAIR_KINDS, Pair, QAItem, sort_pairs
from kg.store.read import Store

DIFFERENT = "different"  # kg.decisions.DIFFERENT, without importing the TOML reader to list pairs
GROUP_TITLE = 80  # characters of a question's title in a group's line


@dataclass(frozen=True)
class Decided:
    """What the verdicts given on a store's pairs change in its lists: the stored pairs called different
    since it was written (with their place among the pairs of their kind) and all the pairs called
    different, in the bank's order, each marked so."""

    left_out: tuple[tuple[int, Pair], ...] = ()
    aside: tuple[Pair, ...] = ()

    def places(self, kind: str) -> list[int]:
        """The places, among the pairs of ``kind``, of those left out, in order."""
        return sorted(n for n, p in self.left_out if p.kind == kind)


def decided(store: Store, different: Collection[frozenset[str]]) -> Decided:
    """:class:`Decided` of the pairs called different (keys of two item ids): those the store holds are
    left out of its pages; with those it set aside when it was written, they are the list of pairs
    decided different (a verdict since undone takes a set-aside pair out of it)."""
    different = frozenset(different)
    if not different:
        return Decided()
    left_out = tuple(store.pairs_between(different))
    kept = [p for p in store.aside_pairs() if frozenset((p.a, p.b)) in different]
    marked = [replace(p, verdict=DIFFERENT) for _, p in left_out]
    return Decided(left_out, tuple(sort_pairs([*kept, *marked])))


def duplicate_groups(links: Iterable[tuple[str, str, float]]) -> list[list[str]]:
    """Groups of questions all duplicates of each other, from the duplicate pairs' ids and scores: the
    groups :func:`kg.similar.group_duplicates` makes (:func:`kg.groups.complete_linkage`)."""
    return complete_linkage(links)


def store_groups(store: Store, floor: float, different: Collection[frozenset[str]] = ()) -> list[list[str]]:
    """The groups of the store's duplicate pairs scored at least ``floor`` and not called different."""
    return duplicate_groups((a, b, s) for a, b, s in store.duplicate_links(floor) if frozenset((a, b)) not in different)


@dataclass
class PairList:
    """The pairs of ``kinds`` scored at least ``floor``, in the bank's order, without those ``decided``
    different; then, ``with_aside``, the pairs decided different at or above the floor. ``verdicts``
    (a verdict by pair of item ids) are marked on the pairs listed."""

    store: Store
    kinds: Sequence[str]
    floor: float = 0.0
    decided: Decided = field(default_factory=Decided)
    verdicts: Mapping[frozenset[str], str] = field(default_factory=dict)
    with_aside: bool = False

    def __post_init__(self) -> None:
        self.kinds = [k for k in PAIR_KINDS if k in self.kinds]  # the bank's order, whatever the choice's
        self._places: dict[str, list[int]] = {k: self.decided.places(k) for k in PAIR_KINDS}
        self._stored: dict[str, int] = {k: self.store.pair_count(k, self.floor) for k in PAIR_KINDS}

    def counts(self) -> dict[str, int]:
        """How many pairs of each kind are listed at this floor (of every kind, chosen or not)."""
        return {k: n - sum(1 for at in self._places[k] if at < n) for k, n in self._stored.items()}

    def aside(self) -> list[Pair]:
        """The pairs decided different at or above the floor: listed after the others ``with_aside``."""
        return [p for p in self.decided.aside if p.score >= self.floor]

    def __len__(self) -> int:
        counts = self.counts()
        return sum(counts[k] for k in self.kinds) + (len(self.aside()) if self.with_aside else 0)

    def page(self, offset: int, limit: int) -> list[Pair]:
        """The pairs listed at ``offset`` to ``offset + limit``."""
        out: list[Pair] = []
        counts = self.counts()
        for kind in self.kinds:
            if offset < counts[kind] and len(out) < limit:
                out += self._of_kind(kind, offset, limit - len(out))
            offset = max(offset - counts[kind], 0)
        if self.with_aside and len(out) < limit:
            out += self.aside()[offset : offset + limit - len(out)]
        return self.marked(out)

    def _of_kind(self, kind: str, offset: int, limit: int) -> list[Pair]:
        """``limit`` listed pairs of ``kind`` from the ``offset``-th listed one: the stored pairs from the
        place that offset falls on once the pairs left out before it are stepped over."""
        places = self._places[kind]
        at = offset
        for left in places:  # few: the verdicts given since the store was written
            if left <= at:
                at += 1
        skip = set(places)
        rows = self.store.pairs(kind, at, limit + sum(1 for p in places if p >= at), self.floor)
        return [p for n, p in enumerate(rows, start=at) if n not in skip][:limit]

    def chunks(self, size: int = 2000) -> Iterator[list[Pair]]:
        """Every pair listed, ``size`` at a time, in order: what the downloads write."""
        for start in range(0, len(self), size):
            yield self.page(start, size)

    def marked(self, pairs: Sequence[Pair]) -> list[Pair]:
        """``pairs`` with the curator's verdicts on them (the store's own kinds kept)."""
        return [replace(p, verdict=v) if (v := self.verdicts.get(frozenset((p.a, p.b)))) else p for p in pairs]

    def groups(self) -> list[list[str]]:
        """Groups of duplicates among the pairs listed (none unless duplicates are chosen)."""
        if DUPLICATE not in self.kinds:
            return []
        return store_groups(self.store, self.floor, {frozenset((p.a, p.b)) for p in self.decided.aside})

    # --- the downloads: the bank in memory's, byte for byte, written a chunk at a time ---

    def write_json(self, out: IO[str], size: int = 2000) -> None:
        """``json.dumps([p.to_dict() for p in pairs], indent=1)`` of the pairs listed, a pair at a time."""
        first = True
        for chunk in self.chunks(size):
            for p in chunk:
                # a nested object of an indent-1 list is its own dump shifted by one space (json escapes
                # the newlines of strings, so every newline is the layout's)
                out.write(("[\n " if first else ",\n ") + json.dumps(p.to_dict(), indent=1).replace("\n", "\n "))
                first = False
        out.write("[]" if first else "\n]")

    def write_csv(self, out: IO[str], size: int = 2000) -> None:
        """:func:`kg.views.pairs_csv` of the pairs listed, a chunk at a time (its items read together)."""
        from kg.views import pairs_csv

        head = True
        for chunk in self.chunks(size):
            text = pairs_csv(_Items(self.store.items_of(i for p in chunk for i in (p.a, p.b))), chunk)
            out.write(text if head else text.split("\r\n", 1)[1])
            head = False
        if head:
            out.write(pairs_csv(_Items({}), []))

    def json_bytes(self) -> bytes:
        return _written(self.write_json)

    def csv_bytes(self) -> bytes:
        return _written(self.write_csv)


class _Items:
    """The items of a chunk of pairs, as :func:`kg.views.pairs_csv` asks for them."""

    def __init__(self, items: Mapping[str, QAItem]) -> None:
        self._items = items

    def item(self, item_id: str) -> QAItem | None:
        return self._items.get(item_id)

    def concept(self, concept_id: str) -> None:  # the CSV names concepts by id
        return None


def _written(write) -> bytes:
    """What ``write`` writes, as UTF-8: a temporary file holds it, not a list of every pair."""
    import tempfile

    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        write(text)
        text.flush()
        raw.seek(0)
        data = raw.read()
        text.detach()
    return data


__all__ = ["Decided", "PairList", "decided", "duplicate_groups", "store_groups"]
