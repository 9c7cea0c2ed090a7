"""Rankings of all pairs of a bank's items, best first: three plain baselines and kg's own.

Each ranker maps a bank's items to ``[(frozenset({id_a, id_b}), score), ...]``, best first, the shape
``bench/duplicates.py`` measures average precision on:

- :func:`tfidf_ranking`: word TF-IDF cosine on question+answer (sublinear tf, English stop words);
- :func:`bm25_ranking`: BM25 on question+answer, each item in turn the query over the other, symmetrised;
- :func:`minilm_ranking`: all-MiniLM-L6-v2 cosine on question+answer;
- :func:`kg_ranking`: kg's pairs from the full pipeline (:func:`kg.pipeline.build_bank`), by kind then score;
- ``q_tfidf`` and ``q_minilm``: word TF-IDF and all-MiniLM-L6-v2 on the question text alone, which put
  paraphrased questions first whatever their answers say (pooled to find paraphrase duplicates).

The baselines rank every pair of the bank (ties broken by item order, so a ranking is the same on every
run); kg ranks only the pairs it returns. :func:`rankers` gives them under the names the pooling and
the benchmark print.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, or imported from another bench script
    sys.path.insert(0, str(ROOT))

from kg.embed import Embedder, normalise_rows  # noqa: E402
from kg.model import QAItem  # noqa: E402
from kg.similar.model import PairModel  # noqa: E402

Ranking = list[tuple[frozenset[str], float]]
Ranker = Callable[[Sequence[QAItem]], Ranking]

# the order rankers are listed in, in the pool files and the benchmark's tables
NAMES = ("tfidf", "bm25", "minilm", "kg", "q_tfidf", "q_minilm")
#: The rankers pooled unless others are named: the four of question and answer.
DEFAULT = NAMES[:4]


def ranked_pairs(items: Sequence[QAItem], similarity: np.ndarray, limit: int | None = None) -> Ranking:
    """Every pair ``i < j`` of a symmetric ``n × n`` similarity matrix, highest first.

    Ties keep item order (by ``i`` then ``j``), so the same matrix always gives the same ranking.
    ``limit`` keeps only the best pairs: the full ranking of a 1,300-item bank is 845,000 tuples.

    Examples
    --------
    >>> mk = lambda i: QAItem(str(i), i, "q", "a", "b.md", i)
    >>> ranked = ranked_pairs([mk(1), mk(2), mk(3)], np.array([[1, .2, .9], [.2, 1, .2], [.9, .2, 1]]))
    >>> [(sorted(key), score) for key, score in ranked]
    [(['1', '3'], 0.9), (['1', '2'], 0.2), (['2', '3'], 0.2)]
    """
    i, j = np.triu_indices(len(items), 1)
    scores = np.asarray(similarity)[i, j]
    order = np.lexsort((j, i, -scores))  # last key sorts first
    if limit is not None:
        order = order[:limit]
    ids = [it.id for it in items]
    return [(frozenset((ids[i[k]], ids[j[k]])), float(scores[k])) for k in order]


def tfidf_ranking(items: Sequence[QAItem], limit: int | None = None, question_only: bool = False) -> Ranking:
    """Word TF-IDF cosine on question+answer text (sublinear tf, English stop words), every pair;
    ``question_only`` compares the question text alone.

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> bank = [mk(1, "What is dropout?", "Noise."), mk(2, "Define dropout", "Units off."),
    ...         mk(3, "What is noise?", "Noise.")]
    >>> [sorted(k) for k, _ in tfidf_ranking(bank, limit=1)], [sorted(k) for k, _ in tfidf_ranking(bank, 1, True)]
    ([['1', '3']], [['1', '2']])
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(items) < 2:
        return []
    texts = [it.question_text if question_only else it.text for it in items]
    try:
        vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    except ValueError:  # no word survives the stop list: nothing to rank on
        return ranked_pairs(items, np.zeros((len(items), len(items))), limit)
    return ranked_pairs(items, (vectors @ vectors.T).toarray(), limit)


def bm25_matrix(texts: Sequence[str], k1: float = 1.5, b: float = 0.75) -> np.ndarray:
    """Symmetrised BM25 of every pair of texts: the mean of BM25(a as query over b) and BM25(b over a).

    A query is the set of its distinct words (a long answer would otherwise count its own repeats);
    idf is the non-negative Lucene form ``log(1 + (N - df + 0.5) / (df + 0.5))``. Words are sklearn's
    default tokens, lower-cased, without English stop words. Scores are unbounded and only rank.

    Notes
    -----
    One sparse product and a dense ``n × n`` result: about 0.2 s and 14 MB for 1,300 texts.

    Examples
    --------
    >>> m = bm25_matrix(["dropout drops units", "dropout regularises nets", "p value of a test"])
    >>> bool(m[0, 1] > m[0, 2] == 0.0), bool(np.allclose(m, m.T))
    (True, True)
    """
    from sklearn.feature_extraction.text import CountVectorizer

    n = len(texts)
    try:
        tf = CountVectorizer(stop_words="english").fit_transform(texts).tocsr().astype(np.float64)
    except ValueError:  # empty vocabulary
        return np.zeros((n, n))
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    length = np.asarray(tf.sum(axis=1)).ravel()
    norm = k1 * (1.0 - b + b * length / max(length.mean(), 1e-9))
    # document side: each stored tf becomes idf · tf (k1 + 1) / (tf + k1 (1 - b + b·len/avg))
    weights = tf.copy()
    rows = np.repeat(np.arange(n), np.diff(tf.indptr))
    weights.data = idf[tf.indices] * tf.data * (k1 + 1.0) / (tf.data + norm[rows])
    query = tf.copy()
    query.data[:] = 1.0
    scores = np.asarray((query @ weights.T).todense())  # [a, b]: a as query, b as document
    return (scores + scores.T) / 2.0


def bm25_ranking(items: Sequence[QAItem], limit: int | None = None, k1: float = 1.5, b: float = 0.75) -> Ranking:
    """BM25 on question+answer text, symmetrised (:func:`bm25_matrix`), every pair."""
    if len(items) < 2:
        return []
    return ranked_pairs(items, bm25_matrix([it.text for it in items], k1, b), limit)


def minilm_ranking(
    items: Sequence[QAItem], embedder: Embedder, limit: int | None = None, question_only: bool = False
) -> Ranking:
    """all-MiniLM-L6-v2 (or ``embedder``'s) cosine on question+answer text, every pair; ``question_only``
    embeds the question text alone."""
    if len(items) < 2:
        return []
    texts = [it.question_text if question_only else it.text for it in items]
    vectors = normalise_rows(np.asarray(embedder.encode(texts), dtype=np.float32))
    return ranked_pairs(items, vectors @ vectors.T, limit)


def kg_ranking(
    items: Sequence[QAItem],
    embedder: Embedder | None,
    bank_paths: Sequence[Path] = (),
    limit: int | None = None,
    pair_model: PairModel | None = None,
) -> Ranking:
    """kg's pairs from the full pipeline, duplicates then overlaps then related, each by score.

    ``bank_paths`` are the bank's files or folders, for the concept file kept next to them (as the CLI
    finds it). No curator decisions are applied: the ranking is kg's, not the curator's.

    Notes
    -----
    Runs :func:`kg.pipeline.build_bank`, whose spaCy pass takes most of the time (about 20 s for 1,300
    items on one core, less when ``.kg-cache/readings`` holds the bank already).
    """
    from kg.embed import cache_root
    from kg.extract import load_nlp
    from kg.extract.conceptfile import find_vocabulary
    from kg.model import sort_pairs
    from kg.pipeline import build_bank
    from kg.readings import ReadingStore

    if len(items) < 2:
        return []
    bank = build_bank(
        items,
        load_nlp(),
        vocabulary=find_vocabulary(list(bank_paths)),
        embedder=embedder,
        with_relations=False,
        store=ReadingStore(cache_root()),
        n_process=0,
        pair_model=pair_model,
    )
    pairs = sort_pairs(bank.pairs)[:limit]  # already in this order; sorted again to rely on it
    return [(frozenset((p.a, p.b)), p.score) for p in pairs]


def rankers(
    embedder: Embedder | None,
    bank_paths: Sequence[Path] = (),
    limit: int | None = None,
    pair_model: PairModel | None = None,
    names: Sequence[str] = DEFAULT,
) -> dict[str, Ranker]:
    """The rankers named (:data:`NAMES`; by default the four of question and answer), in that order;
    without an embedder, the MiniLM ones are left out. kg scores with ``pair_model`` (default: the model
    shipped with kg, or the bank's own).

    Examples
    --------
    >>> list(rankers(None, names=("q_tfidf", "minilm", "tfidf")))
    ['tfidf', 'q_tfidf']
    """
    unknown = sorted(set(names) - set(NAMES))
    if unknown:
        raise ValueError(f"unknown rankers {', '.join(unknown)} (known: {', '.join(NAMES)})")
    every: dict[str, Ranker] = {
        "tfidf": partial(tfidf_ranking, limit=limit),
        "bm25": partial(bm25_ranking, limit=limit),
        "kg": partial(kg_ranking, embedder=embedder, bank_paths=bank_paths, limit=limit, pair_model=pair_model),
        "q_tfidf": partial(tfidf_ranking, limit=limit, question_only=True),
    }
    if embedder is not None:
        every["minilm"] = partial(minilm_ranking, embedder=embedder, limit=limit)
        every["q_minilm"] = partial(minilm_ranking, embedder=embedder, limit=limit, question_only=True)
    return {n: every[n] for n in NAMES if n in names and n in every}
