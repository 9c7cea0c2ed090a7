"""The score and the kind of each candidate pair: duplicate, overlap or related.

The score of a pair is the pair model's calibrated probability that a curator would call it a
duplicate or an overlap (:mod:`kg.similar.model`), with embeddings dealt out again in the order of rank
fusion (:mod:`kg.similar.fusion`: the bank keeps the model's probabilities, the pairs the plain measures
rank high too get the higher ones); the model also gives the probability of a duplicate alone. Kinds
come from the two (cut-offs in :class:`Thresholds`):

* ``duplicate`` (the same question, keep one): P(duplicate) reaches ``duplicate``, unless the questions
  are alike but for a word and its opposite (:func:`kg.similar.swaps.opposed`: "skewed to the right" /
  "to the left"), which ask about opposite things; an exact copy of the question is always one
  (:mod:`kg.similar.copies`);
* ``overlap`` (the answers cover the same ground, review): P(duplicate or overlap) reaches ``overlap``;
* ``related``: the items share a concept, or the score reaches ``related``.

Beside the score, each pair carries its evidence as similarities from 0 to 1 (``Pair.lexical``,
``Pair.semantic``, ``Pair.concept``: wording, meaning and shared concepts), which say why, not how much
each weighed. Pairs come out duplicates first, then overlaps, then related pairs, each by score
(:func:`kg.model.sort_pairs`).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kg.model import DUPLICATE, OVERLAP, RELATED, PairKind
from kg.similar.features import PairFeatures
from kg.similar.fusion import PLAIN, FusionStatistics, fusion_statistics, rearranged

if TYPE_CHECKING:
    from kg.similar.model import Weights


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs on the pair model's probabilities.

    ``duplicate`` on P(duplicate): more likely the same question than not. ``overlap`` on
    P(duplicate or overlap): a pair at least one in three likely to be worth a review is shown for one
    (on the judged pairs, held out bank by bank, F1 of overlaps peaks between 0.25 and 0.35; the
    higher end keeps the many unjudged candidates of a big bank from flooding the page). ``related``
    on the latter keeps a pair that shares no concept.
    """

    duplicate: float = 0.5
    overlap: float = 0.35
    related: float = 0.15


DEFAULT_THRESHOLDS = Thresholds()


def similarities(features: PairFeatures) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """The wording, meaning (``None`` without embeddings) and concept similarity of each pair, in [0, 1].

    Wording and meaning are the mean of the question's and the answer's, or the question's alone
    when either answer is no evidence; meaning is the raw cosine of the embeddings.
    """
    answers = features.column("answers") > 0

    def mean(question: np.ndarray, answer: np.ndarray) -> np.ndarray:
        return np.where(answers, (question + answer) / 2, question)

    wording = mean(features.column("q_wording"), features.column("a_wording"))
    meaning = None
    if "q_meaning" in features.names:
        meaning = mean(features.column("q_meaning"), features.column("a_meaning"))
    return wording, meaning, features.column("concepts")


def pair_kinds(
    positive: np.ndarray, duplicate: np.ndarray, concept: np.ndarray, t: Thresholds
) -> list[PairKind | None]:
    """The kind of each pair from its probabilities (see module doc); ``None`` for a pair not even related.

    Examples
    --------
    >>> pair_kinds(np.array([0.9, 0.7, 0.1, 0.1]), np.array([0.8, 0.2, 0.0, 0.0]),
    ...            np.array([0.5, 0.0, 0.2, 0.0]), DEFAULT_THRESHOLDS)
    ['duplicate', 'overlap', 'related', None]
    """
    kinds: list[PairKind | None] = []
    for p, d, c in zip(positive.tolist(), duplicate.tolist(), concept.tolist(), strict=True):
        if d >= t.duplicate:
            kinds.append(DUPLICATE)
        elif p >= t.overlap:
            kinds.append(OVERLAP)
        elif c > 0 or p >= t.related:
            kinds.append(RELATED)
        else:
            kinds.append(None)
    return kinds




def type_pairs(
    features: PairFeatures,
    weights: Weights,
    thresholds: Thresholds,
    copies: Set[tuple[int, int]],
    fusion: FusionStatistics | None = None,
    fit_fusion: bool = False,
) -> tuple[np.ndarray, list[PairKind | None], np.ndarray, np.ndarray | None, np.ndarray, FusionStatistics | None]:
    """Score and type the pairs of ``features``: each one's P(duplicate or overlap) and kind
    (:func:`pair_kinds`), then its wording, meaning and concept similarities (:func:`similarities`).
    A pair of rows in ``copies`` (the same question twice) is a duplicate at 1.0, first in line,
    whatever the answers say; a pair whose questions swap a word for its opposite is an overlap at most.

    With embeddings, P(duplicate or overlap) is the model's re-dealt in the order of rank fusion
    (:mod:`kg.similar.fusion`), against ``fusion``, the statistics of the bank's candidate pairs; with
    ``fit_fusion`` and no ``fusion``, ``features`` are every candidate pair of the bank and the statistics
    are taken on them. The statistics used (``None``: the model's probability as it is) come last."""
    score, duplicate = weights.probabilities(features.values)
    if PLAIN[0] in features.names and (fusion is not None or fit_fusion):
        meaning, wording = (features.column(name) for name in PLAIN)
        if fusion is None:
            fusion = fusion_statistics(score, meaning, wording)
        score = rearranged(fusion, score, meaning, wording)
    else:
        fusion = None
    lexical, semantic, concept = similarities(features)
    kinds = pair_kinds(score, duplicate, concept, thresholds)
    for p in np.flatnonzero(features.evidence.opposed).tolist():
        if kinds[p] == DUPLICATE:
            kinds[p] = OVERLAP
    rows = zip(features.evidence.left.tolist(), features.evidence.right.tolist(), strict=True)
    for p, pair in enumerate(rows):
        if pair in copies:
            kinds[p], score[p] = DUPLICATE, 1.0
    return score, kinds, lexical, semantic, concept, fusion
