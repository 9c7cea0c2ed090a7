"""TF-IDF of character n-grams, counted once per distinct word.

Character n-grams taken inside word boundaries (scikit-learn's ``analyzer="char_wb"``) never cross a
space, so the n-grams of a text are the n-grams of its words added up. A bank has a few thousand
distinct words and a few million n-gram occurrences: cutting each distinct word into n-grams once and
counting texts as words is about four times cheaper than cutting every text, and a text seen again
(the answers, then their sentences) costs only its word count.

:class:`CharNgrams` gives the same matrices, value for value, as
``TfidfVectorizer(analyzer="char_wb", ngram_range=..., sublinear_tf=True, dtype=numpy.float32)``
(its n-grams come from that vectorizer's own analyzer, and the counts go through its own TF-IDF
weighting), with ``fit``, ``transform`` and ``fit_transform``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer


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
    Cost: one analyzer call per distinct word ever seen (cached), then one sparse product per call.
    """

    def __init__(self, ngram_range: tuple[int, int] = (3, 5)) -> None:
        self.ngram_range = ngram_range
        self._analyze = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range).build_analyzer()
        self._tfidf = TfidfTransformer(sublinear_tf=True)
        self.vocabulary_: dict[str, int] = {}
        self._grams: dict[str, tuple[list[int], list[int]]] = {}  # word -> (feature ids, counts)

    def fit(self, texts: Sequence[str]) -> CharNgrams:
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Learn the n-grams and their document frequencies from ``texts``; their TF-IDF rows.

        Raises ``ValueError`` when ``texts`` hold no n-gram at all, as scikit-learn does.
        """
        words = [_words(t) for t in texts]
        grams: dict[str, Counter[str]] = {}
        for counts in words:
            for w in counts:
                if w not in grams:
                    grams[w] = Counter(self._analyze(w))
        features = sorted(set().union(*grams.values()))
        if not features:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        self.vocabulary_ = vocabulary = {f: i for i, f in enumerate(features)}
        self._grams = {w: ([vocabulary[g] for g in c], list(c.values())) for w, c in grams.items()}
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
        word_ids: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for r, counts in enumerate(texts):
            for w, n in counts.items():
                rows.append(r)
                cols.append(word_ids.setdefault(w, len(word_ids)))
                vals.append(n)
        by_word = sp.csr_matrix(
            (np.asarray(vals, dtype=np.int64), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(len(texts), len(word_ids)),
        )
        indptr, indices, data = [0], [], []
        for w in word_ids:
            ids, n = self._word_grams(w)
            indices.extend(ids)
            data.extend(n)
            indptr.append(len(indices))
        grams = sp.csr_matrix(
            (np.asarray(data, dtype=np.int64), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
            shape=(len(word_ids), len(self.vocabulary_)),
        )
        counts = (by_word @ grams).astype(np.float32).tocsr()
        counts.sort_indices()
        return counts

    def _word_grams(self, word: str) -> tuple[list[int], list[int]]:
        found = self._grams.get(word)
        if found is None:
            vocabulary = self.vocabulary_
            counts = Counter(g for g in self._analyze(word) if g in vocabulary)
            found = self._grams[word] = ([vocabulary[g] for g in counts], list(counts.values()))
        return found

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        return self._tfidf.transform(counts, copy=False)


def _words(text: str) -> Counter[str]:
    # the analyzer lower-cases the whole text, then splits it on white space
    return Counter(text.lower().split())
