"""Columns of typed pairs as arrays: the same rows and floats as the Python objects they stand for."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kg.model import SentenceMatch
from kg.similar.columns import Matches, Strings, rounded


def _tricky_floats(seed: int) -> list[float]:
    """Random floats, values on and next to a half of the fourth decimal, and some outside [0, 1]."""
    rng = random.Random(seed)
    out = [rng.random() for _ in range(20_000)]
    for k in range(0, 20_001, 7):
        half = (k + 0.5) / 10_000
        out += [half, np.nextafter(half, 0.0), np.nextafter(half, 1.0), k / 20_000]
    out += [-rng.random() for _ in range(1000)] + [0.0, -0.0, 12.34565, -0.00005, float("inf"), 1e-12]
    return [float(x) for x in out]


@pytest.mark.parametrize("digits", [0, 2, 4])
@pytest.mark.parametrize("seed", [0, 1])
def test_columns_rounded_is_pythons_round(seed: int, digits: int) -> None:
    values = _tricky_floats(seed)
    got = rounded(np.array(values), digits)
    want = [round(x, digits) for x in values]
    assert [repr(x) for x in got] == [repr(x) for x in want]


def test_columns_rounded_keeps_nan_and_empty() -> None:
    assert rounded(np.zeros(0)) == []
    assert np.isnan(rounded(np.array([float("nan")]))[0])


def _random_rows(rng: random.Random, n: int, words: list[str]) -> list[tuple[str, ...]]:
    return [tuple(rng.sample(words, rng.choice([0, 0, 1, 2, 3]))) for _ in range(n)]


@pytest.mark.parametrize("seed", range(4))
def test_columns_strings_take_then_and_compact_give_the_rows_of_the_tuples(seed: int) -> None:
    rng = random.Random(seed)
    words = [f"w{k}" for k in range(12)]
    a_rows, b_rows = _random_rows(rng, 50, words[:8]), _random_rows(rng, 20, words[4:])
    a, b = Strings.of(a_rows), Strings.of(b_rows)
    assert a.tuples() == a_rows and len(a) == 50
    at = np.array([rng.randrange(50) for _ in range(30)], dtype=np.int64)
    assert a.take(at).tuples() == [a_rows[p] for p in at.tolist()]
    both = a.then(b)
    assert both.tuples() == a_rows + b_rows
    assert len(both.table) == len(set(both.table)) == len({w for r in a_rows + b_rows for w in r})
    part = both.take(at).compact()
    assert part.tuples() == [a_rows[p] for p in at.tolist()]
    assert set(part.table) == {w for p in at.tolist() for w in a_rows[p]}
    assert a.take(np.zeros(0, dtype=np.int64)).tuples() == []


@pytest.mark.parametrize("seed", range(3))
def test_columns_matches_take_and_then_keep_each_match_with_its_score(seed: int) -> None:
    rng = random.Random(seed)

    def rows(n: int) -> list[tuple[SentenceMatch, ...]]:
        return [tuple(SentenceMatch(f"s{rng.randrange(9)}", f"s{rng.randrange(9)}", rng.random())
                      for _ in range(rng.choice([0, 0, 1, 2]))) for _ in range(n)]

    a_rows, b_rows = rows(40), rows(10)
    a, b = Matches.of(a_rows), Matches.of(b_rows)
    assert a.tuples() == a_rows and len(a) == 40
    at = np.array([rng.randrange(50) for _ in range(25)], dtype=np.int64)
    both = a.then(b)
    assert both.take(at).compact().tuples() == [(a_rows + b_rows)[p] for p in at.tolist()]
    made = both.tuples()
    assert made == a_rows + b_rows
    assert [hash(m) for r in made for m in r] == [hash(m) for r in a_rows + b_rows for m in r]
