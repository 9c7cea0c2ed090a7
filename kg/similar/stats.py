"""The bank statistics of the pair stage, as one value fitted on a bank (:func:`bank_statistics`).

A pair's features depend on its two items and on the whole bank: the vectorisers' vocabularies and
document frequencies (:class:`~kg.similar.vectors.Vectorisers`), the background similarities that
wording and meaning are rescaled and z-scored against (random pairs of the bank), and the rarity of
each concept. With :class:`BankStatistics` fixed, a pair's features depend on its items alone (and on
each item's best candidate match): what lets an edit run keep the scores of pairs it did not touch
(:mod:`kg.similar.incremental`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kg.embed import normalise_rows
from kg.model import QAItem
from kg.similar.evidence import background_pairs
from kg.similar.fusion import FusionStatistics
from kg.similar.measures import rarity_weights
from kg.similar.vectors import Fields, Vectorisers, row_dots


@dataclass(frozen=True)
class Background:
    """How similar random pairs of a bank's items are in one representation."""

    median: float  # what "unrelated" looks like: the level :func:`~kg.similar.measures.rescale` maps to 0
    mean: float | None  # the z-scores' centre and spread (None: fewer than two items to draw from)
    spread: float


@dataclass(frozen=True)
class BankStatistics:
    """Everything the pair stage takes from the whole bank (see the module doc)."""

    vectorisers: Vectorisers
    background: Mapping[str, Background]  # by representation: q_word, a_char, whole, ...
    rarity: Mapping[str, float]  # concept id -> rarity weight (:func:`~kg.similar.measures.rarity_weights`)
    items: int  # the size of the bank they were fitted on
    # the rankings of every candidate pair, once scored (:mod:`kg.similar.fusion`); None before, and
    # without embeddings
    fusion: FusionStatistics | None = None


def spaces(fields: Fields) -> dict[str, tuple[object, np.ndarray | None]]:
    """Each representation a background is taken in: its rows, and which items it draws from (``None``:
    all; the answers only where they are evidence)."""
    info = fields.informative
    out: dict[str, tuple[object, np.ndarray | None]] = {
        "q_word": (fields.q_word, None),
        "q_char": (fields.q_char, None),
        "a_word": (fields.a_word, info),
        "a_char": (fields.a_char, info),
        "full_word": (fields.full_word, None),
        "qa_word": (fields.qa_word, None),
    }
    if fields.q_sem is not None and fields.a_sem is not None and fields.qa_sem is not None:
        out |= {
            "q_sem": (fields.q_sem, None),
            "a_sem": (fields.a_sem, info),
            "whole": (whole_meaning(fields), None),
            "qa_sem": (fields.qa_sem, None),
        }
    return out


def whole_meaning(fields: Fields) -> np.ndarray:
    """The item as a whole in meaning: question and answer embeddings summed, to unit length."""
    assert fields.q_sem is not None and fields.a_sem is not None
    return normalise_rows(fields.q_sem + fields.a_sem)


def background(matrix, mask: np.ndarray | None) -> Background:
    """The background of one representation, on the random pairs :func:`background_pairs` draws.

    Examples
    --------
    >>> b = background(np.eye(3, dtype=np.float32), None)
    >>> b.median, b.mean, b.spread
    (0.0, 0.0, 0.001)
    """
    left, right = background_pairs(matrix.shape[0], mask=mask)
    if not left.size:
        return Background(0.0, None, 1.0)
    sims = row_dots(matrix, left, right)
    wide = sims.astype(np.float64)
    return Background(float(np.median(sims)), float(wide.mean()), max(float(wide.std()), 1e-3))


def bank_statistics(
    items: Sequence[QAItem], fields: Fields, item_concepts: Mapping[str, Collection[str]]
) -> BankStatistics:
    """The statistics of a bank from its vectors (:func:`~kg.similar.vectors.vectorise`) and concepts.

    Examples
    --------
    >>> from kg.similar.vectors import vectorise
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> bank = [mk(1, "What does dropout do?", "Dropout drops units."), mk(2, "What is a p-value?", "A chance.")]
    >>> stats = bank_statistics(bank, vectorise(bank, None), {"1": {"dropout"}})
    >>> stats.items, sorted(stats.background)[:2], stats.rarity
    (2, ['a_char', 'a_word'], {'dropout': 1.0})
    """
    found = {name: background(matrix, mask) for name, (matrix, mask) in spaces(fields).items()}
    rarity = rarity_weights([set(item_concepts.get(it.id, ())) for it in items])
    return BankStatistics(fields.fitted, found, rarity, len(items))
