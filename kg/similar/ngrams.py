"""TF-IDF of character n-grams, counted once per distinct word.

Character n-grams taken inside word boundaries (scikit-learn's ``analyzer="char_wb"``) never cross a
space, so the n-grams of a text are the n-grams of its words added up. A bank has a few thousand
distinct words and a few million n-gram occurrences: cutting each distinct word into n-grams once and
counting texts as words is about four times cheaper than cutting every text, and a text seen again
(the answers, then their sentences) costs only its word count.

:class:`CharNgrams` gives the same matrices, value for value, as
``TfidfVectorizer(analyzer="char_wb", ngram_range=..., sublinear_tf=True, dtype=numpy.float32)``
(the n-grams of a word are cut as that vectorizer's analyzer cuts them, and the counts go through its
own TF-IDF weighting; ``tests/test_ngrams.py`` compares the two bit for bit), with ``fit``,
``transform`` and ``fit_transform``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer


class CharNgrams:
    """Character n-gram TF-IDF vectors of texts (lower-cased, n-grams inside word boundaries).

    Parameters
    ----------
    ngram_range
        Smallest and largest n-gram length.

    Examples
    --------
    >>> vec = CharNgrams((3, 4)).fit(["dropout layer", "drop the layer"])
    >>> vec.transform(["Dropout"]).shape == (1, len(vec.vocabulary_))
    True
    >>> sorted(vec.vocabulary_)[:3]
    [' dr', ' dro', ' la']

    Notes
    -----
    Cost: one pass over each distinct word ever seen (cached), then one sparse product per call.
    """

    def __init__(self, ngram_range: tuple[int, int] = (3, 5)) -> None:
        self.ngram_range = ngram_range
        self._tfidf = TfidfTransformer(sublinear_tf=True)
        self.vocabulary_: dict[str, int] = {}
        # the words seen so far and their n-gram counts, one row per word (no Python object per word)
        self._row: dict[str, int] = {}
        self._grams = sp.csr_matrix((0, 0), dtype=np.int64)

    @classmethod
    def fitted(cls, ngram_range: tuple[int, int], vocabulary: dict[str, int], idf: np.ndarray) -> CharNgrams:
        """A vectorizer as fitted before: its n-grams and their idf (:meth:`idf`); it gives the same rows."""
        out = cls(ngram_range)
        out.vocabulary_ = dict(vocabulary)
        out._grams = sp.csr_matrix((0, len(vocabulary)), dtype=np.int64)
        out._tfidf.idf_ = np.asarray(idf)
        return out

    def idf(self) -> np.ndarray:
        """The fitted idf of each n-gram, by column."""
        return self._tfidf.idf_

    def fit(self, texts: Sequence[str]) -> CharNgrams:
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Learn the n-grams and their document frequencies from ``texts``; their TF-IDF rows.

        Raises ``ValueError`` when ``texts`` hold no n-gram at all, as scikit-learn does.
        """
        words = [_words(t) for t in texts]
        distinct = list(dict.fromkeys(w for counts in words for w in counts))
        flat: list[str] = []
        sizes: list[int] = []
        for w in distinct:
            grams = self._cut(w)
            flat.extend(grams)
            sizes.append(len(grams))
        if not flat:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        self.vocabulary_ = vocabulary = {f: i for i, f in enumerate(sorted(set(flat)))}
        self._row = {w: i for i, w in enumerate(distinct)}
        self._grams = _matrix(
            np.repeat(np.arange(len(distinct)), sizes),
            np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat)),
            (len(distinct), len(vocabulary)),
        )
        counts = self._counts(words)
        self._tfidf.fit(counts)
        return self._weigh(counts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows of ``texts`` over the fitted n-grams (n-grams not seen in ``fit`` are dropped).

        No texts give a matrix with no rows (where scikit-learn raises).
        """
        if len(texts) == 0:
            return sp.csr_matrix((0, len(self.vocabulary_)), dtype=np.float32)
        return self._weigh(self._counts([_words(t) for t in texts]))

    def _counts(self, texts: list[Counter[str]]) -> sp.csr_matrix:
        """Texts x n-grams counts: (texts x words) @ (words x n-grams), indices sorted as scikit-learn has them."""
        self._learn_words(w for counts in texts for w in counts)
        row = self._row
        rows, cols, vals = [], [], []
        for r, counts in enumerate(texts):
            for w, n in counts.items():
                rows.append(r)
                cols.append(row[w])
                vals.append(n)
        by_word = sp.csr_matrix(
            (np.asarray(vals, dtype=np.int64), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(len(texts), len(row)),
        )
        counts = (by_word @ self._grams).astype(np.float32).tocsr()
        counts.sort_indices()
        return counts

    def _learn_words(self, words) -> None:
        """Add rows for words not seen yet, with their n-grams that are in the vocabulary."""
        new = [w for w in dict.fromkeys(words) if w not in self._row]
        if not new:
            return
        vocabulary = self.vocabulary_
        rows: list[int] = []
        cols: list[int] = []
        for k, w in enumerate(new):
            for g in self._cut(w):
                if g in vocabulary:
                    rows.append(k)
                    cols.append(vocabulary[g])
        extra = _matrix(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), (len(new), len(vocabulary)))
        self._grams = sp.vstack([self._grams, extra], format="csr")
        start = len(self._row)
        self._row.update((w, start + k) for k, w in enumerate(new))

    def _cut(self, word: str) -> list[str]:
        """The n-grams of one lower-case word padded with a space each side, as scikit-learn cuts them:
        a word no longer than ``n`` (padding included) gives one n-gram, itself, and no longer ones."""
        padded = f" {word} "
        size = len(padded)
        out: list[str] = []
        for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
            if size <= n:
                out.append(padded)
                break
            out += [padded[i : i + n] for i in range(size - n + 1)]
        return out

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        return self._tfidf.transform(counts, copy=False)


def _matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """Counts of (row, column) occurrences as a sparse matrix (repeats add up)."""
    return sp.csr_matrix((np.ones(rows.size, dtype=np.int64), (rows, cols)), shape=shape)


def _words(text: str) -> Counter[str]:
    # the analyzer lower-cases the whole text, then splits it on white space
    return Counter(text.lower().split())
