"""Similarity measures: pure, symmetric in the two things compared, in [0, 1], defined on empty input.

The cosine of two vectors, the weighted Jaccard overlap of two concept sets, the rarity weight of each
concept of a bank, and the rescaling of a raw similarity against the bank's background level, so that
wording, meaning and concept evidence share one scale (:mod:`kg.similar.evidence`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

import numpy as np


def cosine(u: np.ndarray, v: np.ndarray) -> float:
    """Cosine of two vectors clipped to [0, 1]; 0 when either is empty or all zeros.

    Examples
    --------
    >>> cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0]))
    0.7071
    >>> cosine(np.array([]), np.array([]))
    0.0
    """
    u = np.asarray(u, dtype=np.float64).ravel()
    v = np.asarray(v, dtype=np.float64).ravel()
    if u.size == 0 or u.size != v.size:
        return 0.0
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        return 0.0
    return round(float(np.clip(u @ v / (nu * nv), 0.0, 1.0)), 4)


def weighted_jaccard(a: Collection[str], b: Collection[str], weights: Mapping[str, float]) -> float:
    """Jaccard overlap of two sets where each element counts by its weight (default 1).

    Examples
    --------
    >>> weighted_jaccard({"relu", "gradient"}, {"relu", "dropout"}, {"gradient": 0.1})
    0.4762
    >>> weighted_jaccard(set(), set(), {})
    0.0
    """
    a, b = set(a), set(b)
    return jaccard_from_totals(total_weight(a & b, weights), total_weight(a, weights), total_weight(b, weights))


def total_weight(concepts: Iterable[str], weights: Mapping[str, float]) -> float:
    """The summed weight of ``concepts``, each by its weight (default 1).

    Examples
    --------
    >>> total_weight(["relu", "gradient"], {"gradient": 0.25})
    1.25
    """
    return sum(weights.get(c, 1.0) for c in concepts)


def jaccard_from_totals(common: float, total_a: float, total_b: float) -> float:
    """Weighted Jaccard from the weight two sets share and each set's total weight.

    The same value as :func:`weighted_jaccard`, for callers that sum each set's weight once and reuse
    it across many pairs.

    Examples
    --------
    >>> jaccard_from_totals(1.0, 1.1, 2.0)
    0.4762
    >>> jaccard_from_totals(0.0, 0.0, 0.0)
    0.0
    """
    union = total_a + total_b - common
    return round(common / union, 4) if union > 0 else 0.0


def rescale(similarity: float | np.ndarray, background: float) -> float | np.ndarray:
    """Map a similarity so that the bank's background level is 0 and identity is 1.

    Examples
    --------
    >>> float(rescale(0.75, 0.5))
    0.5
    >>> float(rescale(0.1, 0.2))
    0.0
    """
    background = min(max(background, 0.0), 0.99)
    return np.clip((np.asarray(similarity) - background) / (1.0 - background), 0.0, 1.0)


def rarity_weights(concept_sets: Iterable[Collection[str]]) -> dict[str, float]:
    """Weight each concept by how rare it is among the items: ``log(n / df) / log(n)``, at least 0.05.

    A concept named by every item weighs almost nothing; one named by two items weighs most.

    Examples
    --------
    >>> w = rarity_weights([{"a", "b"}, {"a"}, {"a", "c"}, {"d"}])
    >>> round(w["a"], 3), round(w["b"], 3)
    (0.208, 1.0)
    """
    sets = [set(s) for s in concept_sets]
    n = len(sets)
    df = Counter(c for s in sets for c in s)
    if n < 2:
        return {c: 1.0 for c in df}
    return {c: max(0.05, math.log(n / d) / math.log(n)) if d > 1 else 1.0 for c, d in df.items()}
