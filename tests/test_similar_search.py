"""Tests of kg.similar.search's candidate pairs: neighbour_pairs is find_pairs without the scores."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from kg.similar.search import find_pairs, neighbour_pairs


def _unit_rows(n: int, dim: int, seed: int, zeros: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.random((n, dim))
    v[rng.random((n, dim)) < zeros] = 0.0
    v[0] = 0.0  # a row with nothing: never anyone's neighbour above the threshold
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


@pytest.mark.parametrize(
    ("n", "top_k", "threshold", "block", "sparse", "cross"),
    [
        (30, 3, 1e-6, 7, False, False),
        (30, 3, 1e-6, 7, True, False),
        (30, None, 0.5, 4, False, False),
        (30, 40, 0.2, 1024, True, False),  # top_k above the bank: every pair over the threshold
        (30, 2, 0.0, 5, True, True),
        (2, 1, 1e-6, 1, False, False),
    ],
)
def test_similar_search_neighbour_pairs_are_find_pairs_without_scores(n, top_k, threshold, block, sparse, cross):
    v = _unit_rows(n, 12, seed=n + (top_k or 0), zeros=0.6 if sparse else 0.0)
    vectors = sp.csr_matrix(v) if sparse else v
    rows, columns = (range(0, n, 3), [c for c in range(n) if c % 3]) if cross else (None, None)
    options = {"block": block, "rows": rows, "columns": columns}
    expected = sorted((i, j) for i, j, _ in find_pairs(vectors, threshold, top_k, **options))
    got = neighbour_pairs(vectors, threshold, top_k, **options)
    assert got.shape == (len(expected), 2)
    assert [tuple(p) for p in got.tolist()] == expected


@pytest.mark.parametrize("vectors", [np.zeros((0, 3)), np.ones((1, 3)), np.zeros((4, 3))])
def test_similar_search_neighbour_pairs_of_too_few_or_empty_rows(vectors):
    assert neighbour_pairs(vectors, 1e-6, top_k=2).shape == (0, 2)


def test_similar_search_neighbour_pairs_tell_the_rows_searched():
    seen: list[int] = []
    neighbour_pairs(_unit_rows(10, 4, seed=1), 1e-6, 2, block=4, count=seen.append)
    assert seen == [4, 8, 10]


@pytest.mark.parametrize("size", [0, 1, 2, 1000])
def test_search_unique_sorted_equals_np_unique(size: int) -> None:
    from kg.similar.search import unique_sorted

    values = np.random.default_rng(size).integers(0, max(size // 3, 1), size).astype(np.int64)
    got = unique_sorted(values)
    assert got.dtype == np.int64 and np.array_equal(got, np.unique(values))
