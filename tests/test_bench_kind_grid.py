"""bench/kind_grid.py: the model of P(duplicate | duplicate or overlap) its ways to type duplicates rest on."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from kg.similar.features import SEMANTIC

_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kind_grid():
    if str(_ROOT) not in sys.path:
        sys.path.insert(0, str(_ROOT))
    spec = importlib.util.spec_from_file_location("bench_kind_grid", _ROOT / "bench" / "kind_grid.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pairs(rng: np.random.Generator, n: int, meaning: float) -> np.ndarray:
    values = rng.random((n, len(SEMANTIC))) * 0.1
    for name in ("q_meaning", "a_meaning", "a_best_chunk"):
        values[:, SEMANTIC.index(name)] = meaning + rng.normal(0, 0.03, n)
    values[:, SEMANTIC.index("answers")] = 1.0
    return values


def test_kind_grid_given_positive_ranks_closer_meaning_as_duplicate(kind_grid):
    rng = np.random.default_rng(0)
    values = np.vstack([_pairs(rng, 20, 0.9), _pairs(rng, 60, 0.6), _pairs(rng, 60, 0.3)])
    y = np.array([2] * 20 + [1] * 60 + [0] * 60)
    given = kind_grid.given_positive(values, y, np.zeros(len(y), dtype=bool))
    close, far = given(_pairs(rng, 5, 0.9)), given(_pairs(rng, 5, 0.6))
    assert close.min() > 0.5 > far.max()


def test_kind_grid_given_positive_leaves_copies_and_different_pairs_out(kind_grid):
    rng = np.random.default_rng(1)
    # copies look nothing like the paraphrases and different pairs look like them: neither may teach the model
    values = np.vstack([_pairs(rng, 20, 0.9), _pairs(rng, 60, 0.6), _pairs(rng, 40, 0.1), _pairs(rng, 60, 0.9)])
    y = np.array([2] * 20 + [1] * 60 + [2] * 40 + [0] * 60)
    copy = np.array([False] * 80 + [True] * 40 + [False] * 60)
    given = kind_grid.given_positive(values, y, copy)
    assert given(_pairs(rng, 5, 0.9)).min() > 0.5 > given(_pairs(rng, 5, 0.1)).max()
