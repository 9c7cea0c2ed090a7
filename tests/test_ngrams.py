from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from kg.similar.ngrams import CharNgrams


def _reference(fit: list[str], ngram_range=(3, 5)) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True, dtype=np.float32).fit(fit)


def _assert_identical(a, b) -> None:
    assert type(a) is type(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    assert sp.isspmatrix_csr(a) or a.format == "csr"
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit for bit, not approximately


CASES = [
    (["Dropout reduces overfitting.", "What is dropout?"], ["dropout", "DROPOUT layer", "unseen words only"]),
    (["a b", "ab"], ["a", "", "   "]),  # words shorter than the n-gram length count once
    (["tab\tand\nnew  lines", "non-breaking\u00a0space"], ["tab and new lines", "space\u2003em"]),
    (["Ünïcödé Straße ΣΟΦΊΑ", "naïve façade"], ["straße", "σοφία naive"]),
    (["ReLU ReLU ReLU relu", "relu"], ["relu relu"]),  # repeats go through the sublinear tf
]


@pytest.mark.parametrize(("fit", "texts"), CASES)
def test_ngrams_same_vectors_as_sklearn(fit: list[str], texts: list[str]) -> None:
    ref = _reference(fit)
    mine = CharNgrams((3, 5))
    _assert_identical(mine.fit_transform(fit), ref.transform(fit))
    assert mine.vocabulary_ == ref.vocabulary_
    _assert_identical(mine.transform(texts), ref.transform(texts))
    _assert_identical(mine.transform(fit), ref.transform(fit))  # the word cache gives the same rows again


@pytest.mark.parametrize("ngram_range", [(1, 1), (2, 4), (3, 5)])
def test_ngrams_any_range(ngram_range: tuple[int, int]) -> None:
    fit = ["gradient descent with momentum", "stochastic gradient descent", "Adam"]
    ref = _reference(fit, ngram_range)
    mine = CharNgrams(ngram_range).fit(fit)
    _assert_identical(mine.transform(fit + ["momentum?"]), ref.transform(fit + ["momentum?"]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("abcAB \t\nß-.é1İΣ\u00a0"), min_size=1, max_size=30), min_size=1, max_size=6
    ),
    st.lists(st.text(alphabet=st.sampled_from("abcxyz AB\n.é"), max_size=30), min_size=1, max_size=4),
)
def test_ngrams_same_vectors_as_sklearn_on_any_text(fit: list[str], texts: list[str]) -> None:
    try:
        ref = _reference(fit)
    except ValueError:
        with pytest.raises(ValueError):
            CharNgrams().fit(fit)
        return
    mine = CharNgrams()
    _assert_identical(mine.fit_transform(fit), ref.transform(fit))
    _assert_identical(mine.transform(texts), ref.transform(texts))


def test_ngrams_empty_vocabulary_is_an_error() -> None:
    with pytest.raises(ValueError, match="^empty vocabulary; perhaps the documents only contain stop words$"):
        CharNgrams().fit(["", "  \n"])


def test_ngrams_no_texts_give_no_rows() -> None:
    vec = CharNgrams().fit(["dropout"])
    assert vec.transform([]).shape == (0, len(vec.vocabulary_))
