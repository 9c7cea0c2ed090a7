"""Tests of kg.similar.ann: the approximate neighbour search that big banks use instead of the exact one."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import kg.similar.ann as ann
from kg.model import QAItem
from kg.similar.search import candidates, find_pairs
from kg.similar.vectors import vectorise


def clustered(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """Unit rows in tight clusters of four: each row's true neighbours are its cluster mates."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((n // 4, dim))
    rows = np.repeat(centres, 4, axis=0) + 0.15 * rng.standard_normal((n // 4 * 4, dim))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def exact_top(vectors, k: int) -> set[tuple[int, int]]:
    return {(i, j) for i, j, _ in find_pairs(vectors, 1e-6, top_k=k)}


def test_common_words_are_left_out_of_the_proposals_but_each_rows_rarest_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ann, "COMMON", 2)
    monkeypatch.setattr(ann, "KEEP_RAREST", 1)
    # columns: word 0 is in every row (common), word 1 in two rows, word 2 in one
    x = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=np.float32))
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    kept = ann._keep_rare(x, df).toarray()
    # rows 0 and 1 lose the common word; rows 2 and 3 have only it, so it stays as their rarest
    assert kept.tolist() == [[0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 0]]


def test_sparse_rows_find_their_exact_neighbours_through_shared_rare_words() -> None:
    base = sp.random(300, 4000, density=0.005, random_state=2, dtype=np.float32, format="csr")
    base.data = np.abs(base.data)
    # every row twice, the copy with a little noise: each row's nearest neighbour is its copy
    noise = sp.random(300, 4000, density=0.001, random_state=3, dtype=np.float32, format="csr")
    x = sp.vstack([base, base + 0.1 * abs(noise)]).tocsr()
    x = sp.csr_matrix(x.multiply(1 / np.sqrt(np.asarray(x.multiply(x).sum(axis=1)))))
    ids = np.arange(x.shape[0])
    left, right, score = ann.approximate_neighbours(x, 2, ids, ids)
    got = {(min(a, b), max(a, b)) for a, b in zip(left.tolist(), right.tolist(), strict=True)}
    assert {(i, i + 300) for i in range(300)} <= got
    want = exact_top(x, 2)
    assert len(got & want) / len(want) > 0.95


def test_approximate_neighbours_find_the_exact_ones_on_clustered_rows() -> None:
    v = clustered(2000, 64)
    ids = np.arange(len(v))
    left, right, score = ann.approximate_neighbours(v, 3, ids, ids)
    got = {(min(a, b), max(a, b)) for a, b in zip(left.tolist(), right.tolist(), strict=True)}
    want = exact_top(v, 3)
    assert len(got & want) / len(want) > 0.97
    # scores are the exact cosines of the pairs returned
    assert np.allclose(score, np.einsum("ij,ij->i", v[left], v[right]), atol=1e-5)
    # no row is its own neighbour, and none keeps more than top_k
    assert not np.any(left == right)
    assert np.bincount(left).max() <= 3


def test_approximate_neighbours_are_the_same_run_after_run() -> None:
    v = clustered(1200, 32, seed=3)
    ids = np.arange(len(v))
    first = ann.approximate_neighbours(v, 5, ids, ids)
    second = ann.approximate_neighbours(v, 5, ids, ids)
    for a, b in zip(first, second, strict=True):
        assert np.array_equal(a, b)


def test_approximate_neighbours_search_rows_against_columns_only() -> None:
    v = clustered(400, 16, seed=4)
    rows, cols = np.arange(0, 400, 2), np.arange(1, 400, 2)
    left, right, _ = ann.approximate_neighbours(v, 2, rows, cols)
    assert set(left.tolist()) <= set(rows.tolist())
    assert set(right.tolist()) <= set(cols.tolist())


def test_big_banks_take_the_approximate_search_and_still_find_near_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda sigma omega".split()
    rng = np.random.default_rng(5)
    items = []
    for n in range(150):
        q = " ".join(rng.choice(words, 6)) + f" topic{n}"
        a = " ".join(rng.choice(words, 20)) + f" answer{n} detail{n}"
        items.append(QAItem(f"q{n}", n, q, a, "b.md", n, q, a))
    planted = [(3, 150), (40, 151), (99, 152)]
    for k, (src, _) in enumerate(planted):
        it = items[src]
        items.append(QAItem(f"copy{k}", None, it.question, it.answer + " again", "b.md", 1,
                            it.question_text, it.answer_text + " again"))
    fields = vectorise(items, None)
    calls: list[int] = []
    real = ann.approximate_neighbours

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ann, "EXACT_LIMIT", 10)
    monkeypatch.setattr("kg.similar.search.approximate_neighbours", spy)
    found = set(candidates(fields, 5))
    assert calls  # the approximate path ran
    assert set(planted) <= found
    assert len(found) <= len(items) * 5 * 2
