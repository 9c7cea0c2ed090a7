"""One sentence being read: which concept each token stands for, and whether the sentence states anything.

A :class:`Sentence` carries what every reader and every clause rule needs besides the tokens: the
sentence span, the concept index of its doc and the relation table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.relations.clause import exemplifies
from kg.relations.table import RelationTable

_QUIZ = re.compile(r"^\W*true\s*(?:or|/)\s*false\b", re.IGNORECASE)
# A blank to fill: "complete the sentence: ...", "a tree which utilizes [bagging/boosting]", "uses ____".
_BLANK = re.compile(
    r"\b(?:complete|finish)\s+the\s+(?:following\s+)?(?:sentence|statement)|\bfill\s+in\s+the\s+blanks?\b"
    r"|\[[^\]\[/]+/[^\]\[]+\]|_{3,}",
    re.IGNORECASE,
)
# A question's number: "4", "12b", "Q3"
_NUMBER = re.compile(r"(?:[qQ]\d*|\d+[a-z]?)")
# Determiners that ask which thing: "which regression technique leads to sparse models?"
_ASKING = frozenset({"which", "what", "whichever", "whatever"})


class ConceptIndex:
    """Which concept span a token stands for."""

    def __init__(self, spans: Iterable[Span], table: RelationTable) -> None:
        self.table = table
        self.by_token: dict[int, Span] = {}
        self.by_start: dict[int, Span] = {}
        self.by_end: dict[int, Span] = {}
        self.spans = sorted(spans, key=lambda s: (-(s.end - s.start), s.start))
        # Longest first, so a token inside "vanishing gradient problem" stands for it, not "gradient".
        for span in self.spans:
            for i in range(span.start, span.end):
                self.by_token.setdefault(i, span)
            self.by_start.setdefault(span.start, span)
            self.by_end.setdefault(span.end, span)

    def slashed(self, span: Span) -> list[Span]:
        """Concepts written against ``span`` with a slash: "vanishing/exploding gradient problem"."""
        doc, out = span.doc, []
        if span.start >= 2 and doc[span.start - 1].text == "/" and span.start - 1 in self.by_end:
            out.append(self.by_end[span.start - 1])
        if span.end + 1 < len(doc) and doc[span.end].text == "/" and span.end + 1 in self.by_start:
            out.append(self.by_start[span.end + 1])
        return out

    def concept(self, token: Token) -> Span | None:
        """The span that contains ``token``, or the concept a generic head stands for ("LSTM networks")."""
        span = self.by_token.get(token.i)
        if span is not None:
            return span
        if token.lemma_.lower() in self.table.generic_heads:
            for child in token.children:
                if child.dep_ in ("compound", "amod", "nmod", "appos") and child.i in self.by_token:
                    if child.dep_ == "appos" and exemplifies(child):
                        continue  # "techniques (e.g., BPE)": an example of the techniques, not their name
                    return self.by_token[child.i]
        return None


@dataclass(eq=False)
class Sentence:
    """A sentence being read, with the concept index of its doc and the relation table."""

    span: Span
    index: ConceptIndex
    table: RelationTable
    supposed_at: dict[int, bool] = field(default_factory=dict)
    """Whether a token sits in a supposed clause, by token index; each clause is worked out once."""


def states_nothing(sent: Span) -> bool:
    """Whether ``sent`` asks or tests rather than states: "Does X cause Y?", "True or false: X causes Y",
    "Complete the sentence: a random forest utilizes [bagging/boosting]"."""
    return _is_polar_question(sent) or bool(_QUIZ.match(sent.text)) or bool(_BLANK.search(sent.text))


def asked(end: Span) -> bool:
    """Whether a concept mention is the unknown of a question or clause: "which regression technique",
    "what kind of model". The relation is asked about, not stated, of it."""
    phrase = end.root
    while phrase.dep_ in ("compound", "amod", "nmod") and phrase.head.i > phrase.i:
        phrase = phrase.head  # the noun the mention modifies: "which [regression] technique"
    if any(c.dep_ == "det" and c.lower_ in _ASKING for c in phrase.children):
        return True
    # the parser may hang the asking word elsewhere, on the verb or on a modifier as its subject:
    # "Which regression technique leads to Y?"
    doc, first = end.doc, phrase.left_edge
    if first.lower_ not in _ASKING and first.i > end.sent.start:
        first = doc[first.i - 1]
    opens = first.i == end.sent.start or doc[first.i - 1].is_punct or doc[first.i - 1].dep_ == "prep"
    return opens and first.lower_ in _ASKING  # it opens the clause: a relative "which" follows its noun


def _is_polar_question(sent: Span) -> bool:
    words = [t for t in sent if not t.is_punct and not _numbering(t)]
    return bool(words) and sent.text.rstrip().endswith("?") and words[0].pos_ == "AUX"


def _numbering(tok: Token) -> bool:
    """A question's number before its words, set off by a bracket, a stop or a colon: "(4) Will X use Y?",
    "Q3: Does X cause Y?"."""
    doc = tok.doc
    return (bool(_NUMBER.fullmatch(tok.text)) and tok.i + 1 < len(doc) and doc[tok.i + 1].text in (")", ".", ":")
            and all(t.is_punct or _NUMBER.fullmatch(t.text) for t in doc[tok.sent.start : tok.i]))
