"""Plain, frozen data passed between the stages of kg.

Hashable so they can key graph nodes and cache entries; no behaviour beyond small helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Field = Literal["question", "answer"]
PairKind = Literal["duplicate", "overlap", "related"]

# Pair kinds, strongest first. A duplicate is one question asked twice (a curator keeps one); an
# overlap is a pair a curator should review; a related pair only shares concepts.
DUPLICATE: PairKind = "duplicate"
OVERLAP: PairKind = "overlap"
RELATED: PairKind = "related"
PAIR_KINDS: tuple[PairKind, ...] = (DUPLICATE, OVERLAP, RELATED)
CLOSE_KINDS: tuple[PairKind, ...] = (DUPLICATE, OVERLAP)  # what a curator reviews

# Node ids of the concept–question graph: a prefix keeps an item and a concept of the same id apart.
QUESTION_PREFIX = "q:"
CONCEPT_PREFIX = "c:"


def qnode(item_id: str) -> str:
    """Graph node of a question.

    Examples
    --------
    >>> qnode("questions-2")
    'q:questions-2'
    """
    return QUESTION_PREFIX + item_id


def cnode(concept_id: str) -> str:
    """Graph node of a concept.

    Examples
    --------
    >>> cnode("relu")
    'c:relu'
    """
    return CONCEPT_PREFIX + concept_id


def node_id(node: str) -> str:
    """Item or concept id of a graph node (a string without a prefix is returned as it is).

    Examples
    --------
    >>> node_id(cnode("relu")), node_id(qnode("q-1")), node_id("relu")
    ('relu', 'q-1', 'relu')
    """
    return node.split(":", 1)[1] if is_node(node) else node


def is_concept_node(node: object) -> bool:
    """Whether ``node`` names a concept of the graph."""
    return isinstance(node, str) and node.startswith(CONCEPT_PREFIX)


def is_node(node: object) -> bool:
    """Whether ``node`` names a concept or a question of the graph."""
    return isinstance(node, str) and node.startswith((CONCEPT_PREFIX, QUESTION_PREFIX))


@dataclass(frozen=True)
class QAItem:
    """One question of a bank with its answer.

    ``question`` and ``answer`` keep the source markdown for display; ``question_text`` and
    ``answer_text`` are the same text stripped of markdown and HTML noise, for NLP.
    """

    id: str
    number: int | None
    question: str
    answer: str
    source: str
    line: int
    question_text: str = ""
    answer_text: str = ""

    @property
    def text(self) -> str:
        """Question and answer as one plain text, for vectorising."""
        return f"{self.question_text}\n{self.answer_text}".strip()

    def to_dict(self) -> dict:
        """The public JSON shape of an item (display text, no NLP fields)."""
        return {
            "id": self.id,
            "number": self.number,
            "question": self.question,
            "answer": self.answer,
            "source": self.source,
            "line": self.line,
        }


@dataclass(frozen=True)
class Mention:
    """A concept mentioned in one field of one item, at character offsets of the plain text."""

    concept: str
    item: str
    field: Field
    start: int
    end: int
    text: str
    sentence: str


@dataclass(frozen=True)
class Concept:
    """One idea, however many ways a bank writes it.

    ``specificity`` runs from 0 (an everyday word the bank uses everywhere) to 1; ``generic`` marks the
    concepts kept but ranked last and hidden on request (:mod:`kg.specificity`).
    """

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    specificity: float = 1.0
    generic: bool = False

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "aliases": list(self.aliases),
            "questions": list(self.questions),
            "specificity": self.specificity,
            "generic": self.generic,
        }


@dataclass(frozen=True)
class SentenceMatch:
    """The best-matching sentences of two answers (or questions) and their similarity."""

    a: str
    b: str
    score: float


@dataclass(frozen=True)
class Pair:
    """Two items that share something, with why.

    ``score`` is in [0, 1]. ``lexical`` and ``semantic`` split it into wording and meaning evidence;
    ``semantic`` is ``None`` when no embedding model was available. ``verdict`` is the curator's, when
    one decided the pair (:mod:`kg.decisions`): then ``kind`` is that verdict, not the scorer's.
    """

    a: str
    b: str
    score: float
    kind: PairKind
    shared_concepts: tuple[str, ...] = ()
    lexical: float = 0.0
    semantic: float | None = None
    concept: float = 0.0
    matches: tuple[SentenceMatch, ...] = field(default=())
    verdict: str | None = None

    def to_dict(self) -> dict:
        # spelled out: dataclasses.asdict deep-copies every field, most of the cost of the JSON export
        return {
            "a": self.a,
            "b": self.b,
            "score": self.score,
            "kind": self.kind,
            "shared_concepts": list(self.shared_concepts),
            "lexical": self.lexical,
            "semantic": self.semantic,
            "concept": self.concept,
            "matches": [{"a": m.a, "b": m.b, "score": m.score} for m in self.matches],
            "verdict": self.verdict,
        }



_KIND_ORDER = {kind: rank for rank, kind in enumerate(PAIR_KINDS)}


def sort_pairs(pairs: Iterable[Pair]) -> list[Pair]:
    """Best first: duplicates, then overlaps, then related pairs, each by score (ties by ids)."""
    return sorted(pairs, key=lambda p: (_KIND_ORDER[p.kind], -p.score, p.a, p.b))

@dataclass(frozen=True)
class Relation:
    """A typed relation between two concepts, stated by one sentence of one item.

    ``reader`` names the construction that read it; ``confidence`` is how likely it is right
    (:mod:`kg.relations.confidence`).
    """

    head: str
    relation: str
    tail: str
    verb: str
    item: str
    sentence: str
    confidence: float = 1.0
    reader: str = ""
