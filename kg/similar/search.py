"""Candidate search: the pairs worth scoring, as each item's exact top-k neighbours.

Vectorising is kept apart from pair-finding, so :func:`find_pairs` works on any unit-length rows and
is tested with tiny hand-made vectors.

Notes
-----
Where the limits are. Each item keeps its ``top_k`` (default 20) nearest neighbours by whole-item
wording, question wording and (with embeddings) question and answer meaning. Up to
:data:`~kg.similar.ann.EXACT_LIMIT` items they are exact, found by matrix products in blocks of 1,024
rows, so memory stays ``O(block * n + n * top_k)`` and no Python loop runs over all ``n**2`` pairs; the
product itself is ``O(n**2)``. Past that, an approximate index (:mod:`kg.similar.ann`) finds them in
about ``O(n log n)``. Evidence, typing and explanations then cost ``O(n * top_k)``. Copies of one
question are found by hashing (:mod:`kg.similar.copies`), not here, so a question asked more than
``top_k`` times is still one group. On a first run the embedding model dominates the time (a few
hundred texts a second on two CPU cores); vectors are cached by content hash, so a re-run only encodes
new text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from kg.progress import Count, Progress, counted, no_progress, part
from kg.similar.ann import approximate_neighbours, use_approximate
from kg.similar.vectors import Fields


def find_pairs(
    vectors: np.ndarray | sp.spmatrix,
    threshold: float,
    top_k: int | None = None,
    *,
    block: int = 1024,
    rows: Sequence[int] | None = None,
    columns: Sequence[int] | None = None,
    count: Count | None = None,
) -> list[tuple[int, int, float]]:
    """Pairs of rows whose dot product (cosine, for unit rows) is at least ``threshold``.

    Parameters
    ----------
    vectors
        Unit-length rows, dense or scipy sparse.
    threshold
        Least similarity kept.
    top_k
        Keep only each row's ``top_k`` most similar other rows (a pair is kept when either end has the
        other among its ``top_k``); ``None`` keeps every pair above the threshold.
    block
        Rows per matrix product, bounding memory at ``block * n`` floats.
    rows, columns
        Restrict the search to pairs of one row from ``rows`` and one from ``columns`` (default: all);
        used to match a new file against a bank.
    count
        Called with the rows searched after each block.

    Returns
    -------
    list of (i, j, score)
        Each unordered pair once with ``i < j``, highest score first (ties by ``i``, ``j``).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> find_pairs(v, 0.5)
    [(0, 1, 0.8), (1, 2, 0.6)]
    >>> find_pairs(v, 0.5, top_k=1)
    [(0, 1, 0.8), (1, 2, 0.6)]
    """
    found: dict[tuple[int, int], float] = {}
    for r_ids, c_ids, values in _top_blocks(vectors, threshold, top_k, block, rows, columns, count):
        for r, c, value in zip(r_ids, c_ids, values, strict=True):
            key = (int(r), int(c)) if r < c else (int(c), int(r))
            found[key] = max(found.get(key, -1.0), round(float(value), 4))
    return sorted(((i, j, s) for (i, j), s in found.items()), key=lambda t: (-t[2], t[0], t[1]))


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-D array of integers (its distinct values, ascending), by one sort: NumPy 2's
    ``np.unique`` hashes first, 1.9 s of CPU for two million pair codes against 0.02 s sorted.

    Examples
    --------
    >>> unique_sorted(np.array([5, 1, 5, 3, 1])).tolist()
    [1, 3, 5]
    """
    ordered = np.sort(np.asarray(values).ravel())
    if ordered.size < 2:
        return ordered
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def neighbour_pairs(
    vectors: np.ndarray | sp.spmatrix,
    threshold: float,
    top_k: int | None = None,
    *,
    block: int = 1024,
    rows: Sequence[int] | None = None,
    columns: Sequence[int] | None = None,
    count: Count | None = None,
) -> np.ndarray:
    """The pairs of :func:`find_pairs` without their scores, as rows ``(i, j)``, ``i < j``, in order.

    What the candidate search needs: the pairs are gathered as arrays block by block, with no Python
    loop over them (on a 10,000-question bank that loop cost more than the matrix products).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> neighbour_pairs(v, 0.5, top_k=1).tolist()
    [[0, 1], [1, 2]]
    """
    n = vectors.shape[0]
    codes = [
        np.minimum(r, c).astype(np.int64) * n + np.maximum(r, c)
        for r, c, _ in _top_blocks(vectors, threshold, top_k, block, rows, columns, count)
    ]
    unique = unique_sorted(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    return np.column_stack([unique // n, unique % n]) if unique.size else np.zeros((0, 2), dtype=np.int64)


def _top_blocks(
    vectors: np.ndarray | sp.spmatrix,
    threshold: float,
    top_k: int | None,
    block: int,
    rows: Sequence[int] | None,
    columns: Sequence[int] | None,
    count: Count | None,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per block of rows: the row ids, column ids and similarities kept (each row's ``top_k`` at or
    above ``threshold``, never itself), as :func:`find_pairs` reads them."""
    n = vectors.shape[0]
    row_ids = np.arange(n) if rows is None else np.asarray(rows, dtype=int)
    col_ids = np.arange(n) if columns is None else np.asarray(columns, dtype=int)
    if n < 2 or row_ids.size == 0 or col_ids.size == 0:
        return
    done = 0
    for chunk, sims in _similarity_blocks(vectors, row_ids, col_ids, block):
        if top_k is not None and top_k < col_ids.size:
            k = max(top_k, 1)
            keep = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            r_idx = np.repeat(np.arange(chunk.size), k)
            c_idx = keep.ravel()
        else:
            r_idx, c_idx = np.nonzero(sims >= threshold)
        values = sims[r_idx, c_idx]
        ok = values >= threshold
        yield chunk[r_idx[ok]], col_ids[c_idx[ok]], values[ok]
        done += chunk.size
        if count is not None:
            count(done)


def _similarity_blocks(
    vectors: np.ndarray | sp.spmatrix, row_ids: np.ndarray, col_ids: np.ndarray, block: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Per block of ``row_ids``: the rows and their dense float32 similarities to ``col_ids``, a row's
    own column at -inf (a row is never its own neighbour). Every exact search here takes these products,
    so a row searched again later gets the very values a full search gave it."""
    sparse = sp.issparse(vectors)
    matrix: Any = sp.csr_matrix(vectors, dtype=np.float32) if sparse else np.asarray(vectors, np.float32)
    target = matrix[col_ids]
    target_t = target.T.tocsc() if sparse else target.T
    for start in range(0, row_ids.size, block):
        chunk = row_ids[start : start + block]
        sims = matrix[chunk] @ target_t
        sims = sims.toarray() if sp.issparse(sims) else np.asarray(sims)
        sims[chunk[:, None] == col_ids[None, :]] = -np.inf
        yield chunk, sims


def search_spaces(fields: Fields) -> list[tuple[str, Any]]:
    """The representations the candidate search runs in, by name: the whole item's and the question's
    wording, and with embeddings the question's and the answer's meaning."""
    # character n-grams are left out: their few very common n-grams make a sparse product dense
    spaces: list[tuple[str, Any]] = [("wording", fields.full_word), ("question wording", fields.q_word)]
    if fields.q_sem is not None and fields.a_sem is not None:
        spaces += [("question meaning", fields.q_sem), ("answer meaning", fields.a_sem)]
    return spaces


def candidates(
    fields: Fields,
    top_k: int,
    rows: Sequence[int] | None = None,
    columns: Sequence[int] | None = None,
    progress: Progress = no_progress,
) -> list[tuple[int, int]]:
    """Union of the top-k neighbours by wording of the whole item and by meaning of each field.

    Each pair ``(i, j)`` comes once with ``i < j``, in order; ``rows`` and ``columns`` restrict the
    search as in :func:`find_pairs`. ``progress`` is told of each space, and of each block of rows of
    the exact search.
    """
    found: set[tuple[int, int]] = set()
    spaces = search_spaces(fields)
    n = fields.q_word.shape[0]
    row_ids = np.arange(n) if rows is None else np.asarray(rows, dtype=int)
    col_ids = np.arange(n) if columns is None else np.asarray(columns, dtype=int)
    approximate = use_approximate(row_ids.size, col_ids.size)
    for k, (name, space) in enumerate(spaces):
        stage = f"comparing questions: nearest neighbours by {name}"
        count = counted(part(progress, k / len(spaces), (k + 1) / len(spaces)), stage, row_ids.size, "questions")
        count(0)
        if approximate:
            left, right, _ = approximate_neighbours(space, top_k, row_ids, col_ids)
            found.update(zip(np.minimum(left, right).tolist(), np.maximum(left, right).tolist(), strict=True))
        else:
            pairs = neighbour_pairs(space, 1e-6, top_k=top_k, rows=rows, columns=columns, count=count)
            found.update(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True))
        count(row_ids.size)
    return sorted(found)


@dataclass(frozen=True)
class Neighbours:
    """Each row's top-k neighbours in one representation, as the exact search keeps them.

    Row ``r``'s neighbours are ``columns[start[r]:start[r + 1]]``; ``kth[r]`` is the k-th best
    similarity of the row (below the threshold when fewer neighbours were kept), ``tied[r]`` whether
    another column reaches it too, so that which of them is kept depends on the search's order.
    """

    start: np.ndarray  # int64, rows + 1
    columns: np.ndarray  # int64
    kth: np.ndarray  # float32
    tied: np.ndarray  # bool

    def pairs(self) -> np.ndarray:
        """The rows' neighbour pairs ``(i, j)``, ``i < j``, each once, in order."""
        rows = np.repeat(np.arange(self.start.size - 1), np.diff(self.start))
        low, high = np.minimum(rows, self.columns), np.maximum(rows, self.columns)
        n = max(self.start.size - 1, 1)
        codes = unique_sorted(low.astype(np.int64) * n + high)
        return np.column_stack([codes // n, codes % n]).astype(np.int64).reshape(-1, 2)


def top_neighbours(
    vectors: np.ndarray | sp.spmatrix, top_k: int, rows: np.ndarray, *, threshold: float = 1e-6, block: int = 1024
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The top-k neighbours of ``rows`` among all rows, as :func:`neighbour_pairs` keeps them (the same
    products, the same selection per row), with each row's k-th best similarity and whether it is tied.

    Needs ``top_k`` below the number of rows. Returns per row its neighbour columns, then ``kth`` and
    ``tied`` (see :class:`Neighbours`).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> cols, kth, tied = top_neighbours(v, 1, np.arange(3))
    >>> [c.tolist() for c in cols], [round(float(x), 2) for x in kth], tied.tolist()
    ([[1], [0], [1]], [0.8, 0.8, 0.6], [False, False, False])
    """
    found, kth, tied, _, _ = top_neighbours_reaching(
        vectors, top_k, rows, np.full(vectors.shape[0], np.inf), threshold=threshold, block=block
    )
    return found, kth, tied


def top_neighbours_reaching(
    vectors: np.ndarray | sp.spmatrix,
    top_k: int,
    rows: np.ndarray,
    floor: np.ndarray,
    *,
    threshold: float = 1e-6,
    block: int = 256,
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`top_neighbours` of ``rows``, and from the same products the pairs where a row's similarity
    to a column reaches that column's ``floor``: ``(lists, kth, tied, row positions, columns)``.

    What an edit run of a big bank needs of its changed rows: their own neighbours, and the rows whose
    neighbours they may now enter, in one pass (``len(rows) x n`` products, ``block`` rows at a time).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> cols, kth, tied, at, reach = top_neighbours_reaching(v, 1, np.array([1]), np.array([0.9, 0.9, 0.5]))
    >>> [c.tolist() for c in cols], at.tolist(), reach.tolist()
    ([[0]], [0], [2])
    """
    out: list[np.ndarray] = []
    kth = np.zeros(rows.size, dtype=np.float32)
    tied = np.zeros(rows.size, dtype=bool)
    at_rows: list[np.ndarray] = []
    at_cols: list[np.ndarray] = []
    k = max(top_k, 1)
    start = 0
    for chunk, sims in _similarity_blocks(vectors, rows, np.arange(vectors.shape[0]), block):
        keep = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(sims, keep, axis=1)
        low = values.min(axis=1)
        kth[start : start + chunk.size] = low
        tied[start : start + chunk.size] = (sims >= low[:, None]).sum(axis=1) > k
        for r in range(chunk.size):
            out.append(keep[r][values[r] >= threshold].astype(np.int64))
        r_idx, c_idx = np.nonzero(sims >= floor[None, :])
        at_rows.append(start + r_idx)
        at_cols.append(c_idx.astype(np.int64))
        start += chunk.size
    empty = np.zeros(0, dtype=np.int64)
    return (
        out, kth, tied, np.concatenate(at_rows) if at_rows else empty, np.concatenate(at_cols) if at_cols else empty
    )


def similarities_to(vectors: np.ndarray | sp.spmatrix, rows: np.ndarray) -> np.ndarray:
    """Dense similarities of ``rows`` to every row (``len(rows) x n``)."""
    if sp.issparse(vectors):
        matrix = sp.csr_matrix(vectors, dtype=np.float32)
        return np.asarray((matrix[rows] @ matrix.T.tocsc()).toarray())
    dense = np.asarray(vectors, np.float32)
    return np.asarray(dense[rows] @ dense.T)
