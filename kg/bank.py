"""The built bank: a bank's items and everything kg found in them, as :func:`kg.pipeline.build_bank` returns it.

A module of its own, importing no stage, so that a bank read back from the store (:mod:`kg.bankstore`)
needs neither spaCy nor scikit-learn nor torch: a fresh server that opens a stored bank imports only
what the bank is made of (kg's records and networkx).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from kg.errors import ParseError
from kg.model import Concept, Field, Mention, Pair, QAItem
from kg.relations.merge import GraphRelation


@dataclass(frozen=True)
class Bank:
    """A bank and what kg found in it."""

    items: tuple[QAItem, ...]
    concepts: tuple[Concept, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[GraphRelation, ...]
    pairs: tuple[Pair, ...]
    topics: dict[str, str]
    graph: nx.Graph = field(compare=False, repr=False)
    errors: tuple[ParseError, ...] = ()
    semantic: bool = False

    def item(self, item_id: str) -> QAItem | None:
        return self._items_by_id.get(item_id)

    def concept(self, concept_id: str) -> Concept | None:
        return self._concepts_by_id.get(concept_id)

    @cached_property
    def _items_by_id(self) -> dict[str, QAItem]:
        return {i.id: i for i in self.items}

    @cached_property
    def _concepts_by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}

    # One pass over the mentions for each, so that asking for every item (export, app) stays linear; by
    # item and by field apart, since the export asks for items only. A concept seen again keeps its place.
    @cached_property
    def _concepts_by_item(self) -> dict[str, dict[str, None]]:
        out: dict[str, dict[str, None]] = defaultdict(dict)
        for m in self.mentions:
            out[m.item][m.concept] = None
        return dict(out)

    @cached_property
    def _concepts_by_field(self) -> dict[tuple[str, Field], dict[str, None]]:
        out: dict[tuple[str, Field], dict[str, None]] = defaultdict(dict)
        for m in self.mentions:
            out[(m.item, m.field)][m.concept] = None
        return dict(out)

    def concepts_of(self, item_id: str, field: Field | None = None) -> list[str]:
        """Concept ids mentioned by an item, in order of first mention."""
        if field is None:
            return list(self._concepts_by_item.get(item_id, ()))
        return list(self._concepts_by_field.get((item_id, field), ()))


__all__ = ["Bank"]
