"""Approximate top-k neighbours, for banks where the exact search of :mod:`kg.similar.search` is too slow.

The exact search multiplies every row by every other: ``O(n**2)``, about 4 s a space at 15,000 items
and some 200 s at 100,000 on two cores. Past :data:`EXACT_LIMIT` rows, each space goes through an HNSW
graph (faiss) instead, which costs about ``O(n log n)``:

1. Sparse TF-IDF rows are projected to :data:`DIM` dense dimensions by a sparse sign projection
   (each word lands in :data:`SPREAD` of them with a random sign, fixed seed), which keeps cosines to
   within about ±0.06; dense rows (sentence embeddings) are indexed as they are.
2. The graph proposes ``OVERSAMPLE * top_k`` neighbours per row.
3. Their exact cosines, in the original space, choose the ``top_k`` kept, so what is kept is ranked
   as the exact search ranks it; what can be lost is a neighbour the projection pushed out of the
   proposals. ``bench/scale.py`` prints the recall against the exact search.

The graph is built on one thread, so the same bank gives the same neighbours run after run; queries
use every core (each query's answer does not depend on the others).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kg.similar.vectors import row_dots

EXACT_LIMIT = 20_000  # rows x columns searched exactly up to this many rows squared
DIM = 256
SPREAD = 8
OVERSAMPLE = 2
LINKS = 32  # HNSW links per node
EF_BUILD = 64
EF_SEARCH = 128


def use_approximate(n_rows: int, n_columns: int) -> bool:
    """Whether a search of ``n_rows`` against ``n_columns`` goes through the approximate index."""
    return n_rows * n_columns > EXACT_LIMIT**2


def project(vectors: np.ndarray | sp.spmatrix, dim: int = DIM, spread: int = SPREAD, seed: int = 0) -> np.ndarray:
    """Unit-length dense rows for the index: sparse rows projected to ``dim`` dimensions, dense ones as they are.

    A sparse random sign projection (each input column lands in ``spread`` output columns with a random
    sign, scaled by ``1/sqrt(spread)``): its memory is ``spread`` entries per input column, where a
    Gaussian projection of a million-word vocabulary would need a gigabyte.

    Examples
    --------
    >>> x = sp.csr_matrix(np.eye(3, 1000, dtype=np.float32))
    >>> p = project(x)
    >>> p.shape, np.allclose(np.linalg.norm(p, axis=1), 1.0)
    ((3, 256), True)
    """
    if not sp.issparse(vectors):
        dense = np.array(vectors, dtype=np.float32)
    else:
        x = sp.csr_matrix(vectors, dtype=np.float32)
        rng = np.random.default_rng(seed)
        n_in = x.shape[1]
        rows = np.repeat(np.arange(n_in), spread)
        cols = rng.integers(0, dim, size=n_in * spread)
        signs = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=n_in * spread) / np.sqrt(spread)
        proj = sp.csr_matrix((signs.astype(np.float32), (rows, cols)), shape=(n_in, dim))
        dense = np.asarray((x @ proj).toarray(), dtype=np.float32)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(dense / norms)


def approximate_neighbours(
    vectors: np.ndarray | sp.spmatrix, top_k: int, rows: np.ndarray, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``top_k`` nearest columns, approximately: ``(row ids, column ids, exact cosines)``.

    Self-matches are left out; so are neighbours with a cosine of zero or less.
    """
    import faiss

    dense = project(vectors)
    index = faiss.IndexHNSWFlat(dense.shape[1], LINKS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EF_BUILD
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # a multi-threaded build links nodes in a different order each run
    try:
        index.add(dense[columns])
    finally:
        faiss.omp_set_num_threads(threads)
    index.hnsw.efSearch = max(EF_SEARCH, OVERSAMPLE * top_k + 1)
    want = min(OVERSAMPLE * top_k + 1, columns.size)
    _, found = index.search(dense[rows], want)
    r = np.repeat(rows, want)
    ok = found.ravel() >= 0
    r, c = r[ok], columns[found.ravel()[ok]]
    ok = r != c
    r, c = r[ok], c[ok]
    score = row_dots(vectors, r, c)  # clipped at 0: a row with nothing in common is no neighbour
    # the top_k of each row by exact cosine: sort by row, then by cosine falling
    order = np.lexsort((-score, r))
    r, c, score = r[order], c[order], score[order]
    first = np.searchsorted(r, r, side="left")
    keep = (np.arange(r.size) - first < top_k) & (score > 0)
    return r[keep], c[keep], score[keep]

