"""BM25 between the texts of one bank, as a symmetric similarity in [0, 1].

BM25 scores a query against a document; it saturates repeated words and forgives long documents,
which TF-IDF cosine does not. To compare two texts of a bank, each is the query of the other, and
each score is divided by what the query scores against itself, so that 1 means "everything the query
asks for is there as strongly as in the query itself". The similarity of a pair is the mean of its two
directions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from kg.similar.counts import Counts, fit_counts

#: Term-frequency saturation and length normalisation, the usual defaults.
K1, B = 1.5, 0.75


@dataclass(frozen=True)
class BM25:
    """The BM25 weights of a bank's texts, rows aligned with the texts."""

    queries: sp.csr_matrix  # 1 where a text holds a word
    weights: sp.csr_matrix  # the BM25 weight of each word in each text as a document
    self_scores: np.ndarray  # each text's score as the query of itself


@dataclass(frozen=True)
class BM25Statistics:
    """What BM25 takes from the whole bank: its words, their idf and the mean length of a text."""

    counts: Counts
    idf: np.ndarray  # float32, per word
    mean_length: float  # at least 1
    k1: float = K1
    b: float = B

    def weigh(self, texts: Sequence[str]) -> BM25:
        """The BM25 rows of ``texts`` with these statistics (each row depends on its text alone)."""
        return _weigh(self.counts.transform(texts), self)


def _counter() -> CountVectorizer:
    return CountVectorizer(stop_words="english", token_pattern=r"(?u)\b\w+\b", dtype=np.float32)


def fit_bm25(texts: Sequence[str], k1: float = K1, b: float = B) -> tuple[BM25Statistics, BM25]:
    """The BM25 statistics of ``texts`` (English stop words left out) and the texts' rows."""
    try:
        counts, tf = fit_counts(_counter(), texts)
    except ValueError:  # no word at all in the bank
        counts, tf = Counts(None, np.zeros(1, dtype=np.int64)), sp.csr_matrix((len(texts), 1), dtype=np.float32)
    n = tf.shape[0]
    df = np.asarray((tf > 0).sum(axis=0)).ravel()
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    stats = BM25Statistics(counts, idf, max(float(lengths.mean()), 1.0), k1, b)
    return stats, _weigh(tf, stats)


def bm25(texts: Sequence[str], k1: float = K1, b: float = B) -> BM25:
    """Fit BM25 on ``texts`` (English stop words left out); an empty text matches nothing.

    Examples
    --------
    >>> m = bm25(["dropout drops units", "dropout fights overfitting", "p-values and tests"])
    >>> np.round(similarities(m, np.array([0, 0]), np.array([1, 2])), 2).tolist()
    [0.19, 0.0]
    """
    return fit_bm25(texts, k1, b)[1]


def _weigh(tf: sp.csr_matrix, stats: BM25Statistics) -> BM25:
    k1, b = stats.k1, stats.b
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    norm = k1 * (1 - b + b * lengths / stats.mean_length)
    weights = tf.tocoo()
    values = weights.data * (k1 + 1) / (weights.data + norm[weights.row]) * stats.idf[weights.col]
    w = sp.csr_matrix((values, (weights.row, weights.col)), shape=tf.shape, dtype=np.float32)
    queries = sp.csr_matrix((tf > 0).astype(np.float32))
    self_scores = np.asarray(queries.multiply(w).sum(axis=1), dtype=np.float64).ravel()
    return BM25(queries, w, self_scores)


def similarities(model: BM25, left: np.ndarray, right: np.ndarray, chunk: int = 20000) -> np.ndarray:
    """The symmetric, self-normalised BM25 similarity of each pair ``(left[p], right[p])``."""
    out = np.zeros(left.size)
    for s in range(0, left.size, chunk):
        li, ri = left[s : s + chunk], right[s : s + chunk]
        forward = np.asarray(model.queries[li].multiply(model.weights[ri]).sum(axis=1), dtype=np.float64).ravel()
        backward = np.asarray(model.queries[ri].multiply(model.weights[li]).sum(axis=1), dtype=np.float64).ravel()
        out[s : s + chunk] = (_ratio(forward, model.self_scores[li]) + _ratio(backward, model.self_scores[ri])) / 2
    return np.clip(out, 0.0, 1.0)


def _ratio(score: np.ndarray, best: np.ndarray) -> np.ndarray:
    return np.divide(score, best, out=np.zeros_like(score), where=best > 0)
