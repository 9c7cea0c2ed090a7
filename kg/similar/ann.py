"""Approximate top-k neighbours, for banks where the exact search of :mod:`kg.similar.search` is too slow.

The exact search multiplies every row by every other: ``O(n**2)``, about 8 s for the two wording spaces
at 15,000 items and some 200 s at 100,000 on two cores. Past :data:`EXACT_LIMIT` rows, each space
proposes ``OVERSAMPLE * top_k`` neighbours a row in about linear time, and the exact cosines of the
proposals choose the ``top_k`` kept, so what is kept is ranked as the exact search ranks it:

* sparse TF-IDF rows (wording): by the uncommon words two rows share (:func:`shared_rare_words`), a
  sparse product with the words in more than :data:`COMMON` items left out;
* dense rows (sentence embeddings): by an HNSW graph (faiss, :func:`hnsw_proposals`).

What can be lost is a neighbour that is not among the proposals. On a 15,000-item bank built from
ajitsingh98 with reworded copies, the pairs the exact search types ``duplicate`` were all found again,
99.98% of the ``overlap`` ones and 99.6% of the ``related`` ones. The HNSW graph is built on one
thread, so the same bank gives the same neighbours run after run.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kg.embed import normalise_rows
from kg.similar.vectors import row_dots

EXACT_LIMIT = 20_000  # rows x columns searched exactly up to this many rows squared
DIM = 256
SPREAD = 8
OVERSAMPLE = 2
LINKS = 32  # HNSW links per node
EF_BUILD = 64
EF_SEARCH = 128
COMMON = 1_000  # words in more columns than this are left out of the sparse proposals
KEEP_RAREST = 3


def use_approximate(n_rows: int, n_columns: int) -> bool:
    """Whether a search of ``n_rows`` against ``n_columns`` goes through the approximate index."""
    return n_rows * n_columns > EXACT_LIMIT**2


def approximate_neighbours(
    vectors: np.ndarray | sp.spmatrix, top_k: int, rows: np.ndarray, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``top_k`` nearest columns, approximately: ``(row ids, column ids, exact cosines)``.

    Sparse rows go through :func:`shared_rare_words`, dense ones through :func:`hnsw_proposals`; either
    proposes ``OVERSAMPLE * top_k`` columns a row, and the exact cosines of those choose the ``top_k``.
    Self-matches are left out; so are neighbours with a cosine of zero or less.
    """
    want = min(OVERSAMPLE * top_k, columns.size)
    propose = shared_rare_words if sp.issparse(vectors) else hnsw_proposals
    r, c = propose(vectors, want, rows, columns)
    ok = r != c
    r, c = r[ok], c[ok]
    score = row_dots(vectors, r, c)  # clipped at 0: a row with nothing in common is no neighbour
    return best_per_row(r, c, score, top_k)


def best_per_row(
    r: np.ndarray, c: np.ndarray, score: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` best-scored entries of each row (ties by column), rows in order, each row's best first; none
    scored 0 or less."""
    order = np.lexsort((c, -score, r))
    r, c, score = r[order], c[order], score[order]
    first = np.searchsorted(r, r, side="left")
    keep = (np.arange(r.size) - first < k) & (score > 0)
    return r[keep], c[keep], score[keep]


def hnsw_proposals(
    vectors: np.ndarray, want: int, rows: np.ndarray, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``want`` columns a row from an HNSW graph (faiss) over the dense rows (sentence embeddings)."""
    import faiss

    dense = np.ascontiguousarray(normalise_rows(vectors))
    index = faiss.IndexHNSWFlat(dense.shape[1], LINKS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EF_BUILD
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # a multi-threaded build links nodes in a different order each run
    try:
        index.add(dense[columns])
    finally:
        faiss.omp_set_num_threads(threads)
    index.hnsw.efSearch = max(EF_SEARCH, want + 1)
    _, found = index.search(dense[rows], want + 1)
    r = np.repeat(rows, want + 1)
    ok = found.ravel() >= 0
    return r[ok], columns[found.ravel()[ok]]


def shared_rare_words(
    vectors: sp.spmatrix, want: int, rows: np.ndarray, columns: np.ndarray, *, block: int = 1024
) -> tuple[np.ndarray, np.ndarray]:
    """``want`` columns a row, by the weight of the less common words they share with it.

    A word in more than :data:`COMMON` columns is left out of the product, unless it is one of a
    row's :data:`KEEP_RAREST` rarest words (so a row of common words still finds neighbours): a word
    in ``d`` columns costs ``d`` products for every row that has it, and it is the common words that
    make the exact product quadratic. Two texts that share a passage share its uncommon words, which
    is what this ranks by; the exact cosines then decide.
    """
    x = sp.csr_matrix(vectors, dtype=np.float32)
    target = x[columns]
    df = np.bincount(target.indices, minlength=x.shape[1])
    query = _keep_rare(x[rows], df)
    target_t = target.T.tocsr()
    out_r, out_c = [], []
    for start in range(0, rows.size, block):
        sims = sp.csr_matrix(query[start : start + block] @ target_t)
        r, c = _top_per_row(sims, want + 1)  # one more, for the row itself
        r, c = rows[start + r], columns[c]
        ok = r != c
        out_r.append(r[ok])
        out_c.append(c[ok])
    if not out_r:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return np.concatenate(out_r), np.concatenate(out_c)


def _top_per_row(m: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column ids of each row's ``k`` largest entries (any order within a row)."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    ptr, idx, data = m.indptr, m.indices, m.data
    for i in range(m.shape[0]):
        s, e = ptr[i], ptr[i + 1]
        if e - s > k:
            # a loop over rows, not a sort of the whole block: a block holds millions of entries
            pick = s + np.argpartition(-data[s:e], k - 1)[:k]
            cols.append(idx[pick])
        else:
            cols.append(idx[s:e])
        rows.append(np.full(cols[-1].size, i))
    if not rows:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return np.concatenate(rows), np.concatenate(cols)


def _keep_rare(x: sp.csr_matrix, df: np.ndarray) -> sp.csr_matrix:
    """``x`` without the entries of common words, but for each row's ``KEEP_RAREST`` rarest words."""
    row_of = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    word_df = df[x.indices]
    order = np.lexsort((x.indices, word_df, row_of))  # each row's words, rarest first
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - np.repeat(x.indptr[:-1], np.diff(x.indptr))[order]
    keep = (word_df <= COMMON) | (rank < KEEP_RAREST)
    kept = sp.csr_matrix((x.data[keep], (row_of[keep], x.indices[keep])), shape=x.shape)
    return kept
