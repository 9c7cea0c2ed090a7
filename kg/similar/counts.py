"""Word counts of texts over a vocabulary fitted once, with each row's entries in the order a fit gives.

scikit-learn's ``CountVectorizer.fit_transform`` stores a row's words in the order the vocabulary first
met them, ``transform`` in the order of their column: the same counts, but the sums that normalise a
row or score a pair then add the same numbers in another order, and float32 sums can differ in their
last bit. :class:`Counts` remembers the fit's order, so a text counted again later (an item of a bank
scored with the statistics of an earlier run) gives the very row the fit gave it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer


@dataclass(frozen=True)
class Counts:
    """A fitted word-count vocabulary; ``None`` vectorizer when the fitted texts held no word at all."""

    vectorizer: CountVectorizer | None
    first_seen: np.ndarray  # per column: where the fit first met the word, the order of a row's entries

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Count rows of ``texts`` (float32), entries as :func:`fit_counts` orders them.

        Examples
        --------
        >>> counts, fitted = fit_counts(CountVectorizer(dtype=np.float32), ["bb aa", "cc aa"])
        >>> again = counts.transform(["bb aa", "cc aa"])
        >>> again.indices.tolist() == fitted.indices.tolist(), again.data.tolist() == fitted.data.tolist()
        (True, True)
        """
        if self.vectorizer is None:
            return sp.csr_matrix((len(texts), 1), dtype=np.float32)
        x = sp.csr_matrix(self.vectorizer.transform(texts), dtype=np.float32)
        row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        order = np.lexsort((self.first_seen[x.indices], row))
        return sp.csr_matrix((x.data[order], x.indices[order], x.indptr), shape=x.shape)


def fit_counts(vectorizer: CountVectorizer, texts: Sequence[str]) -> tuple[Counts, sp.csr_matrix]:
    """Fit ``vectorizer`` on ``texts``: the fitted :class:`Counts` and the texts' count rows as
    ``fit_transform`` gives them (``ValueError`` when no text holds a word, as scikit-learn raises)."""
    x = sp.csr_matrix(vectorizer.fit_transform(texts), dtype=np.float32)
    return Counts(vectorizer, first_occurrence(x)), x


def first_occurrence(x: sp.csr_matrix) -> np.ndarray:
    """Per column, the position of its first entry in ``x``'s storage: the fit's order of the words.

    A fitted row holds its words in the order the fit first met them, and a word first met in a later
    text comes after every word met before, so the first entries, read in storage order, follow it.
    """
    first = np.full(x.shape[1], np.iinfo(np.int64).max, dtype=np.int64)
    present, at = np.unique(x.indices, return_index=True)
    first[present] = at
    return first
