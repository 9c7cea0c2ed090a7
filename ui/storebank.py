"""A bank read from a store (:mod:`kg.store`): :class:`ui.access.BankAccess` a query at a time.

Opening one reads the store's meta table only; each panel, neighbourhood, search and page of pairs
then reads the rows it shows. One :class:`StoreBank` per store file serves every session (the store
is read under a lock); what a session adds (the curator's verdicts) is a copy that shares the caches
(:meth:`StoreBank.with_verdicts`). No Streamlit here.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kg.graph import RelatedConcept, RelatedQuestion
from kg.model import DUPLICATE, Concept, Field, Mention, Pair, PairKind, QAItem, is_concept_node, node_id
from kg.relations.merge import GraphRelation
from kg.render.firstview import Settings
from kg.store import ConceptPage, Store
from kg.store.pairlist import DIFFERENT, GROUP_TITLE, PairList, decided, duplicate_groups
from ui.access import Limit

Place = Callable[[Any], Mapping[str, tuple[float, float]]]

NOTES: dict[Limit, str] = {
    "search": "Searched by names and words: a store keeps no sentence vectors, so meaning is not searched.",
    "whole graph": "Read from a store a neighbourhood at a time: the whole graph is not drawn.",
    "coverage": "Coverage needs the whole bank in memory: run `kg coverage` on the bank's files.",
    "verdicts": (
        "A verdict is recorded and marked on its pair; a pair called different leaves the lists for the pairs "
        "decided different, and the others keep the kind the store gives them until `kg store` writes it again."
    ),
}


class StoreBank:
    """:class:`ui.access.BankAccess` of an open :class:`~kg.store.Store`; ``place`` lays out a view."""

    paged = True

    def __init__(self, store: Store, place: Place, cache: int = 2048) -> None:
        self.store = store
        self.place = place
        self.verdicts: Mapping[frozenset[str], Any] = {}
        self.item = functools.lru_cache(cache)(store.item)  # type: ignore[method-assign]
        self._page = functools.lru_cache(256)(self._concept_page)
        self._concept = functools.lru_cache(cache)(self._one_concept)
        self._payload = functools.lru_cache(256)(self._graph_payload)
        self._shared: dict[str, Any] = {}  # what is read once per store: topics, summaries, concept rows
        self._decided = functools.lru_cache(16)(functools.partial(decided, store))
        self._groups = functools.lru_cache(32)(self._titled_groups)

    def with_verdicts(self, verdicts: Mapping[frozenset[str], Any]) -> StoreBank:
        """This bank with the curator's ``verdicts`` (:class:`kg.decisions.Decision` by pair) marked on
        the pairs it shows; the caches are shared."""
        out = copy.copy(self)
        out.verdicts = verdicts
        return out

    # --- what the views ask (as kg.bank.Bank) ---

    def item(self, item_id: str) -> QAItem | None:  # replaced by a cached copy in __init__
        return self.store.item(item_id)

    def _one_concept(self, concept_id: str) -> Concept | None:
        found = self.store.concepts([concept_id])
        return found[0] if found else None

    def concept(self, concept_id: str) -> Concept | None:
        return self._concept(concept_id)

    def concepts_of(self, item_id: str) -> list[str]:
        return self.store.concepts_of(item_id)

    def note(self, what: Limit) -> str | None:
        return NOTES.get(what)

    # --- panels ---

    def questions(self) -> int:
        return self.store.items_total

    def counts(self) -> tuple[int, int, dict[PairKind, int]]:
        from kg.model import PAIR_KINDS

        return (self.store.items_total, self.store.counts()["concepts"],
                {k: self.store.pair_count(k) for k in PAIR_KINDS})  # fmt: skip

    def _concept_page(self, concept_id: str) -> ConceptPage | None:
        """The concept of this id (not of a name, as the bank in memory finds it) and its panel."""
        from kg.graph import RELATED_TOP

        return self.store.concept_page(concept_id, top=RELATED_TOP)

    def topic(self, concept_id: str) -> str | None:
        page = self._page(concept_id)
        return page.topic if page else None

    def related_concepts(self, concept_id: str, top: int) -> list[RelatedConcept]:
        from kg.graph import RELATED_TOP

        if top != RELATED_TOP:
            return self.store.related_concepts(concept_id, top=top)
        page = self._page(concept_id)
        return list(page.related) if page else []

    def relations_of(self, concept_id: str) -> list[GraphRelation]:
        page = self._page(concept_id)
        return list(page.relations) if page else []

    def questions_of(self, concept_id: str) -> list[str]:
        page = self._page(concept_id)
        return list(page.questions) if page else []

    def answer_mentions(self, concept_id: str, item_ids: Sequence[str]) -> dict[str, Mention]:
        return self.store.answer_mentions(concept_id, item_ids)

    def mention_spans(self, item_id: str, field: Field) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.store.mentions(item_id, field)]

    def marked(self, pairs: Sequence[Pair]) -> list[Pair]:
        """``pairs`` with the curator's verdicts on them (the store's own kinds kept)."""
        out = []
        for p in pairs:
            decision = self.verdicts.get(frozenset((p.a, p.b)))
            out.append(dataclasses.replace(p, verdict=decision.verdict) if decision is not None else p)
        return out

    def close_pairs(self, item_id: str) -> list[Pair]:
        return self.marked(self.store.close_pairs(item_id))

    def related_questions(self, item_id: str, top: int) -> list[RelatedQuestion]:
        return self.store.related_questions(item_id, top)

    def top_concepts(self, n: int, *, generic: bool) -> list[Concept]:
        return self.store.top_concepts(n, generic=generic)

    # --- the graph ---

    def drawn_whole(self) -> bool:
        return False  # a store is read a neighbourhood at a time

    def has_node(self, node: str) -> bool:
        if is_concept_node(node):
            return self.concept(node_id(node)) is not None
        return node.startswith("q:") and self.item(node_id(node)) is not None

    def opening(self) -> str | None:
        return self.store.opening()

    def graph_payload(self, settings: Settings) -> dict[str, Any]:
        return dict(self._payload(settings))

    def _graph_payload(self, settings: Settings) -> dict[str, Any]:
        """:func:`kg.render.view_data` of a neighbourhood, its nodes and edges read from the store."""
        from kg import render
        from kg.relations.confidence import threshold

        stored = self.store.view(settings)  # the first view, laid out when the store was written
        if stored is not None:
            return stored
        _, centre, hops, questions, min_questions, uncertain, generic = settings
        if centre is None:
            return {"nodes": [], "edges": [], "version": "", "options": render.network_options(positioned=True)}
        near = self.store.neighbourhood(
            centre, hops, questions=questions, min_questions=min_questions, generic=generic,
            min_confidence=0.0 if uncertain else threshold(),
        )  # fmt: skip
        L = near.to_graph()
        data = render.graph_data(L, positions=self.place(L), topics=self.topics(), centre=centre)
        data["options"] = render.network_options(positioned=True)
        return data

    def focus(self, centre: str, uncertain: bool, *, questions: bool, min_questions: int, generic: bool) -> list[str]:
        return []  # only the whole graph, which a store does not draw, is focused

    def _once(self, name: str, read: Callable[[], Any]) -> Any:
        if name not in self._shared:
            self._shared[name] = read()
        return self._shared[name]

    def topics(self) -> Mapping[str, str]:
        return self._once("topics", self.store.topics)

    def topic_summaries(self) -> list:
        return self._once("summaries", self.store.topic_summaries)

    # --- search and lists ---

    def search(self, query: str, limit: int) -> list[str]:
        return [hit.node for hit in self.store.search(query, limit)]

    def concept_rows(self) -> list[dict[str, Any]]:
        return self._once("concept rows", self.store.concept_rows)

    def coverage(self) -> Any | None:
        return None

    def pair_count(self, kind: str | None) -> int:
        return self.store.pair_count(kind)

    def pairs(self, kind: str | None, offset: int, limit: int) -> list[Pair]:
        return self.marked(self.store.pairs(kind, offset, limit))

    def pair_list(self, kinds: Sequence[str], floor: float, with_aside: bool) -> PairList:
        """The pairs the Duplicates page lists (:class:`kg.store.pairlist.PairList`), with this bank's
        verdicts: those called different left out, and listed apart ``with_aside``."""
        different = frozenset(k for k, d in self.verdicts.items() if d.verdict == DIFFERENT)
        verdicts = {k: d.verdict for k, d in self.verdicts.items()}
        return PairList(self.store, kinds, floor, self._decided(different), verdicts, with_aside)

    def duplicate_groups(self, listing: PairList) -> list[list[tuple[str, str]]]:
        """:meth:`PairList.groups`, each question with its title (as the page shows it), kept for the
        duplicate pairs at the floor (the first so many) and the verdicts: a slider moved over scores no
        duplicate has reads them once."""
        if DUPLICATE not in listing.kinds:
            return []
        first = self.store.pair_count(DUPLICATE, listing.floor)
        cut = frozenset(frozenset((p.a, p.b)) for _, p in listing.decided.left_out if p.kind == DUPLICATE)
        if first == self.store.pair_count(DUPLICATE) and not cut:
            return self._once("groups", self.store.duplicate_groups)  # as written with the store
        return self._groups(first, cut)

    def _titled_groups(self, first: int, cut: frozenset[frozenset[str]]) -> list[list[tuple[str, str]]]:
        """The groups of the ``first`` duplicate pairs but those ``cut``, each question with its title."""
        from kg.views import group_title

        links = self.store.duplicate_links(first=first)
        groups = duplicate_groups((a, b, s) for a, b, s in links if frozenset((a, b)) not in cut)
        items = self.store.items_of(i for g in groups for i in g)
        return [[(i, group_title(items.get(i), GROUP_TITLE)) for i in g] for g in groups]


__all__ = ["NOTES", "StoreBank"]
