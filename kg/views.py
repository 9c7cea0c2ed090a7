"""Rows and titles that the app and the command line show: plain data built from a :class:`~kg.pipeline.Bank`.

No Streamlit and no click here, so each view is tested on its own and both front ends show the same
thing the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.model import PAIR_KINDS, Field, Mention, Pair, PairKind, QAItem, cnode, is_concept_node, node_id, qnode
from kg.text import shorten

if TYPE_CHECKING:
    from kg.pipeline import Bank

__all__ = [
    "answer_mentions",
    "concept_label",
    "concept_rows",
    "kind_counts",
    "mention_spans",
    "node_title",
    "pair_rows",
    "pairs_csv",
    "question_title",
    "search_index",
    "where",
    "shorten",
]


def question_title(item: QAItem | None, limit: int = 0) -> str:
    """``Q<number>. <question>``, cut to ``limit`` characters when one is given.

    Examples
    --------
    >>> item = QAItem(id="q-3", question="What is **ReLU**?", answer="", source="bank.md", line=3,
    ...               number=3, question_text="What is ReLU?")
    >>> question_title(item), question_title(item, 10), question_title(None)
    ('Q3. What is ReLU?', 'Q3. What…', '(missing question)')
    """
    if item is None:
        return "(missing question)"
    text = item.question_text or item.question
    title = f"Q{item.number}. {text}" if item.number is not None else text
    return shorten(title, limit) if limit else title


def concept_label(bank: Bank, concept_id: str) -> str:
    """The label of a concept, or its id when the bank has no such concept."""
    concept = bank.concept(concept_id)
    return concept.label if concept else concept_id


def node_title(bank: Bank, node: str, limit: int = 0) -> str:
    """What a graph node is called: a concept's label, or a question's title cut to ``limit``."""
    if is_concept_node(node):
        return concept_label(bank, node_id(node))
    return question_title(bank.item(node_id(node)), limit)


def kind_counts(pairs: Iterable[Pair]) -> dict[PairKind, int]:
    """How many pairs of each kind, strongest kind first.

    Examples
    --------
    >>> kind_counts([Pair("a", "b", 0.9, "duplicate"), Pair("a", "c", 0.3, "related")])
    {'duplicate': 1, 'overlap': 0, 'related': 1}
    """
    counts: dict[PairKind, int] = dict.fromkeys(PAIR_KINDS, 0)
    for p in pairs:
        counts[p.kind] += 1
    return counts


def concept_rows(bank: Bank) -> list[dict[str, Any]]:
    """One row per concept: label, questions, questions that ask about it, topic, centrality, aliases, id."""
    from kg.coverage import central_concepts

    central = {c.id: c.score for c in central_concepts(bank.graph, n=len(bank.concepts))}
    asked: dict[str, set[str]] = {}
    for m in bank.mentions:
        if m.field == "question":
            asked.setdefault(m.concept, set()).add(m.item)
    return [
        {
            "concept": c.label,
            "questions": len(c.questions),
            "asked in": len(asked.get(c.id, ())),
            "topic": bank.topics.get(c.id, ""),
            "centrality": central.get(c.id, 0.0),
            "aliases": ", ".join(c.aliases),
            "id": c.id,
        }
        for c in bank.concepts
    ]


def where(item: QAItem | None) -> str:
    """``file:line`` of an item, the file by its name: where a curator goes to edit it.

    Examples
    --------
    >>> where(QAItem("q-3", 3, "Why?", "", "banks/ml/probability.md", 1822))
    'probability.md:1822'
    """
    return f"{Path(item.source).name}:{item.line}" if item is not None else ""


def pair_rows(bank: Bank, pairs: Sequence[Pair]) -> list[dict[str, Any]]:
    """One row per pair for a table: kind, score and its parts, both questions and where they are, shared concepts."""
    return [
        {
            "kind": p.kind,
            "score": p.score,
            "wording": p.lexical,
            "meaning": p.semantic,
            "concepts": p.concept,
            "question a": question_title(bank.item(p.a)),
            "where a": where(bank.item(p.a)),
            "question b": question_title(bank.item(p.b)),
            "where b": where(bank.item(p.b)),
            "shared": ", ".join(concept_label(bank, c) for c in p.shared_concepts),
        }
        for p in pairs
    ]


def pairs_csv(bank: Bank, pairs: Sequence[Pair]) -> str:
    """The pairs as CSV: ids, kind, score and its parts, both questions' text, shared concept ids."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["a", "b", "kind", "score", "wording", "meaning", "concepts", "question_a", "question_b", "shared"]
        + ["source_a", "line_a", "source_b", "line_b"]
    )
    for p in pairs:
        a, b = bank.item(p.a), bank.item(p.b)
        w.writerow(
            [
                p.a,
                p.b,
                p.kind,
                p.score,
                p.lexical,
                "" if p.semantic is None else p.semantic,
                p.concept,
                a.question_text if a else "",
                b.question_text if b else "",
                "; ".join(p.shared_concepts),
                a.source if a else "",
                a.line if a else "",
                b.source if b else "",
                b.line if b else "",
            ]
        )
    return out.getvalue()


def search_index(bank: Bank) -> list[tuple[str, str]]:
    """``(text, node)`` for every concept label, alias and question: what a search box looks through."""
    index: list[tuple[str, str]] = []
    for c in bank.concepts:
        index.extend((text, cnode(c.id)) for text in (c.label, *c.aliases))
    index.extend((i.question_text or i.question, qnode(i.id)) for i in bank.items)
    return index


def answer_mentions(bank: Bank) -> dict[tuple[str, str], Mention]:
    """The first mention of each (concept, item) in an answer: the sentence shown under a question."""
    out: dict[tuple[str, str], Mention] = {}
    for m in bank.mentions:
        if m.field == "answer":
            out.setdefault((m.concept, m.item), m)
    return out


def mention_spans(bank: Bank, item_id: str, field: Field) -> list[tuple[int, int]]:
    """Character ranges of the concept mentions in one field of one item."""
    return [(m.start, m.end) for m in bank.mentions if m.item == item_id and m.field == field]
