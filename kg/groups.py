"""Groups of duplicates by complete linkage, from pairs' ids and scores.

One function that both the pair stage (:func:`kg.similar.group_duplicates`) and a store's Duplicates
page (:mod:`kg.store.pairlist`) call: it imports nothing, so a store shows its groups without importing
the scorer (a second and more).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DIGITS = re.compile(r"(\d+)")


def _natural(id_: str) -> list[str | int]:
    """An id's sort key with its numbers read as numbers: "faq-2" before "faq-10"."""
    return [int(p) if p.isdigit() else p for p in _DIGITS.split(id_)]


def complete_linkage(links: Iterable[tuple[str, str, float]]) -> list[list[str]]:
    """Groups of ids all linked to each other, links taken best first (score down, then ids).

    Two groups merge only when every member of one is linked to every member of the other, so A~B and
    B~C do not join A and C unless A~C too. Each group lists its members by id, numbers read as numbers
    ("faq-2" before "faq-10", as a bank numbers them); the group with the best link comes first.

    Examples
    --------
    >>> complete_linkage([("A", "B", 0.9), ("B", "C", 0.8)])
    [['A', 'B']]
    >>> complete_linkage([("A", "B", 0.9), ("B", "C", 0.8), ("A", "C", 0.7)])
    [['A', 'B', 'C']]
    >>> complete_linkage([("q-10", "q-2", 1.0), ("q-10", "q-9", 1.0), ("q-2", "q-9", 1.0)])
    [['q-2', 'q-9', 'q-10']]
    """
    ordered = sorted(links, key=lambda link: (-link[2], link[0], link[1]))
    linked = {frozenset((a, b)) for a, b, _ in ordered}
    members: dict[int, list[str]] = {}  # group id -> members; the id is the rank of its best link
    group_of: dict[str, int] = {}
    for rank, (a, b, _) in enumerate(ordered):
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is not None and ga == gb:
            continue
        left = members[ga] if ga is not None else [a]
        right = members[gb] if gb is not None else [b]
        if all(frozenset((x, y)) in linked for x in left for y in right):
            merged = min(g for g in (ga, gb, rank) if g is not None)
            for g in (ga, gb):
                if g is not None:
                    del members[g]
            members[merged] = left + right
            for x in members[merged]:
                group_of[x] = merged
    return [sorted(members[g], key=_natural) for g in sorted(members)]
