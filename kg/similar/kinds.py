"""The score and the kind of each candidate pair, from its evidence: duplicate, overlap or related.

The score of a pair is ``0.45 * answer + 0.35 * question + 0.2 * concepts``, each field the mean of
its wording and meaning evidence. The answer carries most weight: two questions whose answers say the
same thing overlap, while two questions cut from one template do not. Missing evidence adds nothing:
an empty or boilerplate answer ("Answer here" under many questions) contributes 0, and so does the
question when the two questions ask about different things (:mod:`kg.similar.questions`).
``Pair.lexical``, ``Pair.semantic`` and ``Pair.concept`` are the parts of the score that come from
wording, meaning and concepts: they add up to ``Pair.score``, which is what the app shows as "how much
is wording".

Kinds (thresholds in :class:`Thresholds`):

* ``duplicate`` (the same question, keep one): never when the questions ask about different things,
  nor when one asks all the other asks and about a further concept (``question_adds``: "What
  is the Hadamard product?" beside "How does it differ from the dot product?"); else the questions
  mean the same and the answers agree, or the questions are near-identical in wording and meaning and
  the answers are on the same subject; without usable answers, only a near-copy of the question;
* ``overlap`` (the answers cover the same ground, review): the answers agree, the score is high, or
  the questions mean the same and the answers are on one subject (but too different for a duplicate);
* ``related``: the items share a concept, or the score clears a low bar.

Pairs come out duplicates first, then overlaps, then related pairs, each by score (:func:`sort_pairs`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from kg.model import DUPLICATE, OVERLAP, PAIR_KINDS, RELATED, Pair, PairKind
from kg.similar.evidence import Evidence

#: Weights of the three pieces of evidence in the score (answer, question, concepts).
W_ANSWER, W_QUESTION, W_CONCEPT = 0.45, 0.35, 0.2


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs on rescaled similarities (0 = as alike as two random items of the bank, 1 = equal).

    A pair is a duplicate, unless its questions name different concepts, when either

    * the questions mean the same (``duplicate_question``, on embeddings: about the usual raw cosine
      of 0.8 for paraphrases) and the answers agree (``duplicate_answer``), or
    * the questions mean nearly the same (``restated_meaning``, about a raw cosine of 0.85), share
      much of their wording (``restated_wording``) and open with the same question word, and the
      answers are about the same thing (``consistent_answer``): one question asked twice and
      answered twice in different words;
    * without usable answers, only a near-copy of the question (``copy_question`` on both) counts.

    ``overlap_answer`` on the answers or ``overlap_score`` on the score makes an overlap, and so do
    questions that mean the same (``duplicate_question``) with answers about the same thing
    (``consistent_answer``) that fall short of a duplicate; ``related_score`` keeps a pair that
    shares no concept.
    """

    duplicate_question: float = 0.7
    duplicate_answer: float = 0.55
    restated_meaning: float = 0.8
    restated_wording: float = 0.6
    consistent_answer: float = 0.3
    copy_question: float = 0.8
    overlap_answer: float = 0.5
    overlap_score: float = 0.4
    related_score: float = 0.25


DEFAULT_THRESHOLDS = Thresholds()


def _combine(lexical: np.ndarray, semantic: np.ndarray | None) -> np.ndarray:
    return lexical if semantic is None else (lexical + semantic) / 2


def score_parts(ev: Evidence) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """Score and its wording / meaning / concept parts, which add up to the score.

    Missing evidence adds nothing: a pair without usable answers can reach only
    ``W_QUESTION + W_CONCEPT``, and when the questions name different concepts (a template
    look-alike) their wording and meaning add nothing either.
    """
    w_answer = np.where(ev.answers, W_ANSWER, 0.0)
    w_question = np.where(ev.conflict, 0.0, W_QUESTION)
    if ev.q_sem is None:
        lexical = w_question * ev.q_lex + w_answer * ev.a_lex
        semantic = None
    else:
        lexical = (w_question * ev.q_lex + w_answer * ev.a_lex) / 2
        semantic = (w_question * ev.q_sem + w_answer * ev.a_sem) / 2
    concept = W_CONCEPT * ev.concept
    score = lexical + concept + (0 if semantic is None else semantic)
    return score, lexical, semantic, concept


def pair_kinds(ev: Evidence, score: np.ndarray, t: Thresholds) -> list[PairKind | None]:
    """The kind of each pair; a duplicate needs the questions and the answers to agree (see module doc).

    Parameters
    ----------
    ev
        The pairs' evidence (:func:`~kg.similar.evidence.pair_evidence`).
    score
        Their scores (:func:`score_parts`).
    t
        The cut-offs.

    Returns
    -------
    list of str or None
        ``"duplicate"``, ``"overlap"`` or ``"related"`` per pair, ``None`` for a pair not even related.
    """
    answer = _combine(ev.a_lex, ev.a_sem)
    meaning = ev.q_lex if ev.q_sem is None else ev.q_sem
    same_answer = (meaning >= t.duplicate_question) & (answer >= t.duplicate_answer)
    # near-identical in meaning, sharing the wording and asking in the same frame (what / why / how):
    # one question written twice, not "What is X?" beside "Why do we need X?"
    restated = (meaning >= t.restated_meaning) & (ev.q_lex >= t.restated_wording) & ev.same_frame
    same_question = restated & (answer >= t.consistent_answer)
    copy = np.minimum(ev.q_lex, meaning) >= t.copy_question
    duplicate = ~ev.conflict & ~ev.adds & np.where(ev.answers, same_answer | same_question, copy)
    # the same question asked twice with answers on one subject is worth a review even when the
    # answers differ in detail: one may cover two topics ("X does A, while Y does B")
    asked_twice = ~ev.conflict & ev.answers & (meaning >= t.duplicate_question) & (answer >= t.consistent_answer)
    overlap = (ev.answers & (answer >= t.overlap_answer)) | (score >= t.overlap_score) | asked_twice
    related = (ev.concept > 0) | (score >= t.related_score)
    kinds: list[PairKind | None] = []
    for d, o, r in zip(duplicate, overlap, related, strict=True):
        kinds.append(DUPLICATE if d else OVERLAP if o else RELATED if r else None)
    return kinds


_KIND_ORDER = {kind: rank for rank, kind in enumerate(PAIR_KINDS)}


def sort_pairs(pairs: Iterable[Pair]) -> list[Pair]:
    """Best first: duplicates, then overlaps, then related pairs, each by score (ties by ids)."""
    return sorted(pairs, key=lambda p: (_KIND_ORDER[p.kind], -p.score, p.a, p.b))
