"""Plain, frozen data passed between the stages of kg.

Hashable so they can key graph nodes and cache entries; no behaviour beyond small helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Field = Literal["question", "answer"]
PairKind = Literal["duplicate", "overlap", "related"]


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
    """One idea, however many ways a bank writes it."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "aliases": list(self.aliases),
            "questions": list(self.questions),
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
    ``semantic`` is ``None`` when no embedding model was available.
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
        }


@dataclass(frozen=True)
class Relation:
    """A typed relation between two concepts, stated by one sentence of one item."""

    head: str
    relation: str
    tail: str
    verb: str
    item: str
    sentence: str
