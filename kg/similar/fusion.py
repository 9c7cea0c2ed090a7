"""Rank fusion: the pair model's ranking of a bank's candidate pairs, fused with two plain rankings.

The pair model is fitted on a few judged banks and weighs its evidence as they reward it; on a bank
whose duplicates show in one plain measure the model weighs less, it ranks them lower than that
measure does. So each candidate pair is scored by reciprocal-rank fusion of three rankings of the
bank's candidates: the model's probability (weight :data:`MODEL_WEIGHT`), the cosine of the items'
question-and-answer embeddings and the word TF-IDF cosine of their question-and-answer text (weight 1
each): ``sum(weight / (K + rank))``, ranks from 0, ties sharing the better one. Held out bank by bank
(``bench/duplicates.py``, section 1c) fusion raises the mean average precision over fourteen judged
banks from 0.571 to 0.613, with K and the model's weight chosen on the other banks each time.

The probability a pair shows stays the model's, re-dealt in the fused order: the pair fusion ranks
i-th gets the i-th highest model probability of the bank's candidates (:func:`rearranged`). The
bank's spread of probabilities, and so how many pairs reach each kind, is the model's; which pairs
reach them follows fusion.

Fusion needs every candidate pair of the bank, so its statistics (:class:`FusionStatistics`: each
ranking's values and the fused scores, sorted) are taken on a full run and kept, like the other bank
statistics, for an edit run to rank its rescored pairs against (:mod:`kg.similar.incremental`).
Without embeddings there is no meaning ranking, and the model's probability stands as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Reciprocal-rank fusion's K, and the model's weight against each plain measure's 1: the setting that
#: did best on the other banks for thirteen of the fourteen held out (``bench/duplicates.py``, 1c)
K = 10
MODEL_WEIGHT = 2.0
#: The features of the two plain measures (:mod:`kg.similar.features`): meaning, then wording
PLAIN = ("qa_text_meaning", "qa_tfidf")


@dataclass(frozen=True)
class FusionStatistics:
    """Each ranking's values over a bank's candidate pairs, and their fused scores, all descending."""

    model: np.ndarray  # P(duplicate or overlap) of the pair model
    meaning: np.ndarray  # cosine of question-and-answer embeddings
    wording: np.ndarray  # word TF-IDF cosine of question-and-answer text
    fused: np.ndarray


def _descending(values: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    # The similarities and fused scores are kept in float32: the statistics of a bank of 100,000 questions
    # hold millions of candidate pairs, kept with the state of the pair stage. The model's probabilities,
    # which are dealt out again, stay as they are.
    return np.sort(np.asarray(values, dtype=dtype))[::-1].copy()


def ranks(descending: np.ndarray, values: np.ndarray) -> np.ndarray:
    """How many of ``descending`` exceed each of ``values``: its rank from 0, ties sharing the better.

    Examples
    --------
    >>> ranks(np.array([0.9, 0.5, 0.5, 0.1]), np.array([0.9, 0.5, 0.3, 1.0, 0.0])).tolist()
    [0, 1, 3, 0, 4]
    """
    return np.searchsorted(-descending, -np.asarray(values, dtype=descending.dtype), side="left")


def fused_scores(
    stats: FusionStatistics, model: np.ndarray, meaning: np.ndarray, wording: np.ndarray
) -> np.ndarray:
    """Each pair's fused score, its three values ranked among those of ``stats``."""
    return (
        MODEL_WEIGHT / (K + ranks(stats.model, model))
        + 1.0 / (K + ranks(stats.meaning, meaning))
        + 1.0 / (K + ranks(stats.wording, wording))
    )


def fusion_statistics(model: np.ndarray, meaning: np.ndarray, wording: np.ndarray) -> FusionStatistics:
    """The statistics of a bank's candidate pairs, given each one's three values.

    Examples
    --------
    >>> s = fusion_statistics(np.array([0.2, 0.6, 0.4]), np.array([0.9, 0.1, 0.5]), np.array([0.3, 0.2, 0.1]))
    >>> s.model.tolist(), [round(float(f), 4) for f in s.fused]
    ([0.6, 0.4, 0.2], [0.3742, 0.3667, 0.3561])
    """
    base = FusionStatistics(_descending(model, np.float64), _descending(meaning), _descending(wording), np.zeros(0))
    return FusionStatistics(base.model, base.meaning, base.wording,
                            _descending(fused_scores(base, model, meaning, wording)))


def rearranged(stats: FusionStatistics, model: np.ndarray, meaning: np.ndarray, wording: np.ndarray) -> np.ndarray:
    """The probability of each pair in the fused order: the model probability of ``stats`` at the
    pair's fused rank (see the module doc).

    Examples
    --------
    >>> model, meaning, wording = np.array([0.2, 0.6, 0.4]), np.array([0.9, 0.1, 0.5]), np.array([0.3, 0.2, 0.1])
    >>> rearranged(fusion_statistics(model, meaning, wording), model, meaning, wording).tolist()
    [0.4, 0.6, 0.2]

    The first pair, last by the model but first by both plain measures, moves up to second place and
    takes the second-highest probability.
    """
    if not stats.model.size:
        return np.asarray(model, dtype=np.float64)
    at = ranks(stats.fused, fused_scores(stats, model, meaning, wording))
    return stats.model[np.minimum(at, stats.model.size - 1)]
