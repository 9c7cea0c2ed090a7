"""What the pages ask of a bank, whether it is built in memory or read from a store.

The pages call one :class:`BankAccess` for a concept's panel, a question's panel, the graph around a
node, the search box, the overview and the concept list. It has two implementations:
:class:`MemoryAccess` answers from a built :class:`~kg.bank.Bank` (through :mod:`ui.derived`'s caches,
as the pages did before), and :class:`ui.storebank.StoreBank` from a SQLite store (:mod:`kg.store`), a
query at a time. ``bank.item``, ``bank.concept`` and ``bank.concepts_of`` are common to both, so
:mod:`kg.views` and the widgets take either. Where a store cannot do what the bank in memory does,
:meth:`BankAccess.note` says so in one line and the page shows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

from kg.graph import RelatedConcept, RelatedQuestion
from kg.model import Concept, Field, Mention, Pair, PairKind, QAItem
from kg.relations.merge import GraphRelation
from kg.render.firstview import Settings

#: What a page may ask a bank that a store cannot give; :meth:`BankAccess.note` explains each.
Limit = Literal["search", "whole graph", "coverage", "verdicts"]


class BankAccess(Protocol):
    """What the pages ask of a bank."""

    paged: bool
    """Whether pairs come a page at a time (a store) rather than as one list (the bank in memory)."""

    def item(self, item_id: str) -> QAItem | None: ...
    def concept(self, concept_id: str) -> Concept | None: ...
    def concepts_of(self, item_id: str) -> list[str]: ...
    def note(self, what: Limit) -> str | None:
        """One line saying what this bank cannot do of ``what``; ``None`` when it does all of it."""
        ...

    def questions(self) -> int:
        """How many questions the bank holds."""
        ...

    def counts(self) -> tuple[int, int, dict[PairKind, int]]:
        """Questions, concepts, and pairs of each kind."""
        ...

    def topic(self, concept_id: str) -> str | None: ...
    def related_concepts(self, concept_id: str, top: int) -> list[RelatedConcept]: ...
    def relations_of(self, concept_id: str) -> list[GraphRelation]: ...
    def questions_of(self, concept_id: str) -> list[str]: ...
    def answer_mentions(self, concept_id: str, item_ids: Sequence[str]) -> dict[str, Mention]: ...
    def mention_spans(self, item_id: str, field: Field) -> list[tuple[int, int]]: ...
    def close_pairs(self, item_id: str) -> list[Pair]: ...
    def related_questions(self, item_id: str, top: int) -> list[RelatedQuestion]: ...
    def top_concepts(self, n: int, *, generic: bool) -> list[Concept]: ...
    def drawn_whole(self) -> bool: ...
    def has_node(self, node: str) -> bool: ...
    def opening(self) -> str | None: ...
    def graph_payload(self, settings: Settings) -> dict[str, Any]: ...
    def focus(self, centre: str, uncertain: bool, *, questions: bool, min_questions: int, generic: bool) -> list[str]:
        ...

    def topics(self) -> Mapping[str, str]: ...
    def topic_summaries(self) -> list: ...
    def search(self, query: str, limit: int) -> list[str]: ...
    def concept_rows(self) -> list[dict[str, Any]]: ...
    def coverage(self) -> Any | None: ...


class MemoryAccess:
    """:class:`BankAccess` of a bank built in memory, keyed by ``key`` in :mod:`ui.derived`'s caches."""

    paged = False

    def __init__(self, bank, key: str) -> None:
        self.bank = bank
        self.key = key

    def item(self, item_id: str) -> QAItem | None:
        return self.bank.item(item_id)

    def concept(self, concept_id: str) -> Concept | None:
        return self.bank.concept(concept_id)

    def concepts_of(self, item_id: str) -> list[str]:
        return self.bank.concepts_of(item_id)

    def note(self, what: Limit) -> str | None:
        return None

    def questions(self) -> int:
        return len(self.bank.items)

    def counts(self) -> tuple[int, int, dict[PairKind, int]]:
        from kg.views import kind_counts

        return len(self.bank.items), len(self.bank.concepts), kind_counts(self.bank.pairs)

    def topic(self, concept_id: str) -> str | None:
        return self.bank.topics.get(concept_id)

    def related_concepts(self, concept_id: str, top: int) -> list[RelatedConcept]:
        from ui import derived

        return derived.related_concepts(self.key, concept_id, top, self.bank)

    def relations_of(self, concept_id: str) -> list[GraphRelation]:
        return [r for r in self.bank.relations if concept_id in (r.head, r.tail)]

    def questions_of(self, concept_id: str) -> list[str]:
        from kg.graph import questions_of

        return questions_of(self.bank.graph, concept_id)

    def answer_mentions(self, concept_id: str, item_ids: Sequence[str]) -> dict[str, Mention]:
        from ui import derived

        every = derived.answer_mentions(self.key, self.bank)
        return {i: m for i in item_ids if (m := every.get((concept_id, i))) is not None}

    def mention_spans(self, item_id: str, field: Field) -> list[tuple[int, int]]:
        from kg.views import mention_spans

        return mention_spans(self.bank, item_id, field)

    def close_pairs(self, item_id: str) -> list[Pair]:
        from kg.model import CLOSE_KINDS

        return [p for p in self.bank.pairs if item_id in (p.a, p.b) and p.kind in CLOSE_KINDS]

    def related_questions(self, item_id: str, top: int) -> list[RelatedQuestion]:
        from kg.graph import related_questions

        return related_questions(self.bank.graph, item_id, top=top)

    def top_concepts(self, n: int, *, generic: bool) -> list[Concept]:
        from kg.specificity import ranked

        ordered = ranked(self.bank.concepts, lambda c: (-len(c.questions), c.label))
        return [c for c in ordered if generic or not c.generic][:n]

    def drawn_whole(self) -> bool:
        from kg import render

        return render.drawn_whole(self.bank.graph)

    def has_node(self, node: str) -> bool:
        return node in self.bank.graph

    def opening(self) -> str | None:
        from kg import render

        return render.top_concept(self.bank.concepts)

    def graph_payload(self, settings: Settings) -> dict[str, Any]:
        from ui import derived

        return derived.graph_payload(self.key, *settings, self.bank)

    def focus(self, centre: str, uncertain: bool, *, questions: bool, min_questions: int, generic: bool) -> list[str]:
        from kg import render
        from ui import derived

        V = derived.view_graph(self.key, self.bank, uncertain)
        return render.neighbourhood(V, centre, hops=1, questions=questions, min_questions=min_questions,
                                    generic=generic)  # fmt: skip

    def topics(self) -> Mapping[str, str]:
        return self.bank.topics

    def topic_summaries(self) -> list:
        from ui import derived

        return derived.topic_summaries(self.key, self.bank)

    def search(self, query: str, limit: int) -> list[str]:
        from kg.search import search
        from ui import derived
        from ui.banks import _embedder

        return [hit.node for hit in search(derived.search_index(self.key, self.bank), query, _embedder(), limit=limit)]

    def concept_rows(self) -> list[dict[str, Any]]:
        from ui import derived

        return derived.concept_rows(self.key, self.bank)

    def coverage(self) -> Any | None:
        from ui import derived

        return derived.coverage(self.key, self.bank)


def access(bank, key: str) -> BankAccess:
    """What the pages ask of ``bank``: itself when it answers the questions itself (a store), else the
    bank in memory through :class:`MemoryAccess`."""
    return bank if getattr(bank, "paged", False) else MemoryAccess(bank, key)


__all__ = ["BankAccess", "Limit", "MemoryAccess", "access"]
