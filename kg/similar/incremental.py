"""Pairs of a bank rescored only around the items that changed since the last run.

A full run fits the bank statistics (:mod:`kg.similar.stats`), scores every candidate pair and keeps
what an edit run needs in a :class:`PairState`: the statistics, each item's content digest, the vectors
the neighbour search runs on (the others are made again for the rows an edit run scores, :data:`LEAN`),
each item's top-k neighbours per representation, the candidate pairs with their similarities, and the
typed pairs with their explanations. An edit run keeps the statistics and:

1. calls *touched* the items that are new or whose digest (question, answer, concepts) changed, and
   vectorises them with the kept statistics;
2. searches the neighbours again of the touched items and of every item a touched or removed item can
   enter or leave the top-k of (its similarity to a touched item reaches the item's k-th best, a
   neighbour of it changed, or its k-th best is tied);
3. rescores every candidate pair with a touched item, with an item whose best candidate match changed,
   or new to the candidates; keeps the others' scores;
4. types and explains as a full run does, reusing each kept pair's explanation when it is explained
   the same way.

The contract, which ``tests/test_incremental.py`` checks exactly: an edit run's pairs are those a full
run on the new bank gives with the same statistics (``score_pairs(items, ..., stats=state.stats)``).
Past the exact search (:data:`~kg.similar.ann.EXACT_LIMIT`) a full run's lists come from the
approximate index and step 2 updates the kept lists instead (:func:`_approximate_neighbours`); the
pairs are then those of ``score_pairs`` whose candidate search returns the lists the run ends with.
The scores of unchanged pairs rest on the statistics of the last full run; the caller decides when to
fit them again (:func:`needs_full_run`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import deque
from collections.abc import Collection, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, TypeVar, Unpack

import numpy as np
import scipy.sparse as sp

from kg.embed import Embedder
from kg.model import PAIR_KINDS, RELATED, Pair, QAItem, SentenceMatch
from kg.progress import Progress, no_progress, part
from kg.similar.ann import approximate_neighbours, best_per_row, use_approximate
from kg.similar.bm25 import BM25
from kg.similar.columns import Matches, Strings, rounded
from kg.similar.copies import copies_of_keys, copy_key
from kg.similar.explain import _best_matches, _Sentences, sentence_matches, weak_related
from kg.similar.features import TOP_K, best_over, pair_features
from kg.similar.fusion import FusionStatistics
from kg.similar.kinds import DEFAULT_THRESHOLDS, Thresholds, type_pairs
from kg.similar.model import PairModel, default_model
from kg.similar.search import (
    Neighbours,
    search_spaces,
    similarities_to,
    top_neighbours,
    top_neighbours_reaching,
    unique_sorted,
)
from kg.similar.stats import BankStatistics, bank_statistics, whole_meaning
from kg.similar.vectors import Fields, row_dots, vectorise

if TYPE_CHECKING:
    from kg.similar.pairs import PairOptions

T = TypeVar("T")

#: Share of the bank's items changed (edited, added or removed) since the statistics were fitted past
#: which an edit run fits them again. A tenth: below it the document frequencies, backgrounds and
#: rarities an edit leaves stale move little (each changed item shifts a word's document frequency by at
#: most one in the bank's size), and past it the rescored pairs approach a full run's anyway.
FULL_SHARE = 0.10

#: Similarities within this of a row's k-th best send the row to a new search: a similarity computed
#: from the other end can differ from the search's own in its last bits.
MARGIN = 1e-4

_KIND_RANK = {kind: rank for rank, kind in enumerate(PAIR_KINDS)}  # sort_pairs' order
#: How a typed pair was explained ("" not at all), by code: the codes a pair state stores (kg.pairstate).
METHODS = ("", "meaning", "wording")
_METHOD_CODE = {name: code for code, name in enumerate(METHODS)}

#: The vectors a state does not keep: only the pairs scored use them, one row per item, and with the
#: kept statistics a row depends on its item alone, so an edit run makes them again for the rows it
#: scores (a few hundred of a big bank) instead of reading and writing every row (most of the state).
LEAN = ("q_char", "a_word", "a_char", "qa_word", "q_bm25", "a_bm25", "qa_bm25", "answers")


@dataclass(frozen=True)
class Scored:
    """The typed pairs of a run (rows ``(left[p], right[p])`` of its items), before the curator's
    "not a duplicate" marks are left out, with the explanation each was given and how: columns of
    arrays (:mod:`kg.similar.columns`), so that a million pairs are gathered and kept without a Python
    object each."""

    left: np.ndarray
    right: np.ndarray
    score: np.ndarray  # float64, as the model gave it (exact copies 1.0)
    kind: np.ndarray  # uint8, codes into PAIR_KINDS
    lexical: np.ndarray
    semantic: np.ndarray | None
    concept: np.ndarray
    shared: Strings
    matches: Matches
    method: np.ndarray  # uint8, codes into METHODS: "meaning", "wording" or "" (not explained)


@dataclass(frozen=True)
class PairState:
    """What an edit run keeps from the last run (see the module doc); rows aligned with ``ids``."""

    stats: BankStatistics
    fitted_at: str  # when the statistics were fitted (ISO 8601, UTC)
    fitted_on: Mapping[str, str]  # item id -> digest when the statistics were fitted
    ids: tuple[str, ...]
    digests: tuple[str, ...]
    fields: Fields  # without rows in the :data:`LEAN` parts (:func:`lean`)
    neighbours: Mapping[str, Neighbours]  # by search space
    union: np.ndarray  # the candidate pairs (rows, i < j), in order
    union_sims: Mapping[str, np.ndarray]  # their similarity in "wording" (and "meaning")
    scored: Scored
    top_k: int
    approximate: bool = False  # some neighbour lists come from the approximate search (:mod:`kg.similar.ann`)
    # each item's :func:`~kg.similar.copies.copy_key` (None: its question has no text), when kept
    copy_keys: tuple[str | None, ...] | None = None


@dataclass(frozen=True)
class Outcome:
    """What a run did, for the user: how many items' pairs it rescored, on which statistics."""

    full: bool
    rescored: int  # items with at least one pair scored again
    items: int
    fitted_at: str
    changed: float  # share of the bank changed since the statistics were fitted
    why: str = ""  # why a full run, when it was one

    def line(self) -> str:
        """One line for the user.

        Examples
        --------
        >>> print(Outcome(False, 412, 9669, "2026-12-03T08:00:00+00:00", 0.031).line())  # doctest: +ELLIPSIS
        pairs: 412 of 9,669 questions rescored; bank statistics from the full run of 2026-12-03 08:00 UTC (3.1% ...)
        >>> Outcome(True, 30, 30, "2026-12-03T08:00:00+00:00", 0.0, "no earlier run").line()
        'pairs: all 30 questions scored, bank statistics fitted again (no earlier run)'
        """
        if self.full:
            return f"pairs: all {self.items:,} questions scored, bank statistics fitted again ({self.why})"
        when = dt.datetime.fromisoformat(self.fitted_at).strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"pairs: {self.rescored:,} of {self.items:,} questions rescored; bank statistics from the full run "
            f"of {when} ({self.changed:.1%} changed since)"
        )


@dataclass
class _Options:
    embedder: Embedder | None = None
    top_k: int = TOP_K
    accepted: Set[frozenset[str]] = frozenset()
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    explain: bool = True
    progress: Progress = no_progress
    model: PairModel | None = None
    question_concepts: Mapping[str, Collection[str]] | None = None
    fuse: bool = True


def item_digest(item: QAItem, concepts: Collection[str], question_concepts: Collection[str]) -> str:
    """What an item's pairs depend on of the item itself: its question and answer, its concepts.

    Examples
    --------
    >>> mk = lambda q: QAItem("1", 1, q, "An answer.", "b.md", 1, q, "An answer.")
    >>> item_digest(mk("Why?"), {"a"}, ()) == item_digest(mk("Why?"), {"a"}, ())
    True
    >>> item_digest(mk("Why?"), {"a"}, ()) == item_digest(mk("Why?"), {"b"}, ())
    False
    """
    # each part and a NUL after it, hashed in one call (the digest of the parts fed one at a time)
    parts = (item.question, item.answer, item.question_text, item.answer_text, *sorted(concepts), "\0q",
             *sorted(question_concepts), "")
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def digests(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    question_concepts: Mapping[str, Collection[str]] | None,
) -> list[str]:
    qc = question_concepts or {}
    return [item_digest(it, item_concepts.get(it.id, ()), qc.get(it.id, ())) for it in items]


def needs_full_run(
    state: PairState | None, items: Sequence[QAItem], item_digests: Sequence[str], top_k: int, share: float
) -> tuple[str, float]:
    """Why the pairs of ``items`` must be scored in full rather than from ``state`` ("" when they need not),
    and the share of the bank changed since the statistics were fitted."""
    if state is None:
        return "no earlier run", 1.0
    if state.top_k != top_k:
        return "another number of neighbours", 1.0
    if len(items) <= top_k + 1 or len(state.ids) <= top_k + 1:
        return "a bank this small", 1.0
    ids = [it.id for it in items]
    if len(set(ids)) != len(ids):
        return "question ids repeat", 1.0
    if state.approximate and not use_approximate(len(items), len(items)):
        # kept lists would stand for the exact search's, which they are not
        return "the last run's search was approximate, this one is exact", 1.0
    fitted = state.fitted_on
    now = dict(zip(ids, item_digests, strict=True))
    changed = sum(1 for i, d in now.items() if fitted.get(i) != d) + sum(1 for i in fitted if i not in now)
    moved = changed / max(len(fitted), 1)
    if moved > share:
        return f"{moved:.1%} of the questions changed since the last full run, more than {share:.0%}", moved
    old_row = {i: r for r, i in enumerate(state.ids)}
    kept = [
        old_row[i] for i, d in zip(ids, item_digests, strict=True) if i in old_row and state.digests[old_row[i]] == d
    ]
    if any(b < a for a, b in zip(kept, kept[1:], strict=False)):
        return "questions moved between files", moved
    return "", moved


def _options(options: PairOptions) -> _Options:
    if options.get("verdicts") or options.get("stats") is not None:
        raise ValueError("a run that keeps its state takes no verdicts and fits its own statistics")
    known = ("embedder", "top_k", "accepted", "thresholds", "explain", "progress", "model", "question_concepts", "fuse")
    return _Options(**{k: v for k, v in options.items() if k in known})  # type: ignore[arg-type]


def full_run(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    *,
    item_digests: Sequence[str] | None = None,
    **options: Unpack[PairOptions],
) -> tuple[list[Pair], PairState]:
    """Score every pair of ``items`` with statistics fitted on them: the pairs of
    :func:`~kg.similar.pairs.score_pairs`, and the state an edit run starts from. ``item_digests`` are
    the items' :func:`digests` when already taken. Needs more items than ``top_k`` + 1, as the neighbour
    lists do (:func:`~kg.similar.search.top_neighbours`); a smaller bank is every pair's neighbourhood, and
    :func:`kg.pairstate.kept_pairs` scores it whole with :func:`~kg.similar.pairs.score_pairs`."""
    opts = _options(options)
    if item_digests is None:
        item_digests = digests(items, item_concepts, opts.question_concepts)
    ends = (0.5, 0.6, 0.7) if opts.embedder is not None else (0.25, 0.45, 0.7)
    fields = vectorise(items, opts.embedder, part(opts.progress, 0.0, ends[0]))
    stats = bank_statistics(items, fields, item_concepts)
    fitted_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    fitted_on = dict(zip((it.id for it in items), item_digests, strict=True))
    pairs, state, _ = _update(items, item_concepts, item_digests, fields, stats, None, fitted_at, fitted_on, opts, ends)
    return pairs, state


def edit_run(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    state: PairState,
    *,
    item_digests: Sequence[str] | None = None,
    **options: Unpack[PairOptions],
) -> tuple[list[Pair], PairState, int]:
    """Rescore the pairs of ``items`` around what changed since ``state`` (see the module doc), with its
    statistics; :func:`needs_full_run` must have found nothing against it. Returns the pairs, the new
    state and the number of items with a pair rescored."""
    opts = _options(options)
    if item_digests is None:
        item_digests = digests(items, item_concepts, opts.question_concepts)
    ends = (0.2, 0.4, 0.7)
    old_row = {i: r for r, i in enumerate(state.ids)}
    source = np.array(
        [old_row.get(it.id, -1) if old_row.get(it.id, -1) >= 0 and state.digests[old_row[it.id]] == d else -1
         for it, d in zip(items, item_digests, strict=True)],
        dtype=np.int64,
    )
    touched = np.flatnonzero(source < 0)
    opts.progress(0.0, f"comparing questions: {touched.size:,} changed questions, with the kept bank statistics")
    fresh = None
    if touched.size:
        fresh = vectorise([items[t] for t in touched.tolist()], opts.embedder, fitted=state.stats.vectorisers)
    fields = _combine(state.fields, source, fresh, touched)
    return _update(
        items, item_concepts, item_digests, fields, state.stats, (state, source), state.fitted_at, state.fitted_on,
        opts, ends,
    )


# ----------------------------------------------------------------------------------------------
# Rows of vectors


def _take_sparse(matrix: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    return sp.csr_matrix(matrix[rows]) if rows.size else sp.csr_matrix((0, matrix.shape[1]), dtype=matrix.dtype)


def _merge_sparse(old: sp.csr_matrix, source: np.ndarray, fresh: sp.csr_matrix | None, touched: np.ndarray):
    """Rows in the new order: ``old[source[r]]`` where kept, else the next fresh row."""
    kept = np.flatnonzero(source >= 0)
    parts = [_take_sparse(old, source[kept])]
    if fresh is not None:
        parts.append(sp.csr_matrix(fresh))
    stacked = sp.vstack(parts, format="csr") if len(parts) > 1 else parts[0]
    order = np.empty(source.size, dtype=np.int64)
    order[kept] = np.arange(kept.size)
    order[touched] = kept.size + np.arange(touched.size)
    return sp.csr_matrix(stacked[order])


def _merge_dense(old: np.ndarray | None, source: np.ndarray, fresh: np.ndarray | None, touched: np.ndarray):
    if old is None:
        return None
    out = np.zeros((source.size, *old.shape[1:]), dtype=old.dtype)
    kept = np.flatnonzero(source >= 0)
    out[kept] = old[source[kept]]
    if fresh is not None and touched.size:
        out[touched] = fresh
    return out


def _merge_bm25(old: BM25, source: np.ndarray, fresh: BM25 | None, touched: np.ndarray) -> BM25:
    return BM25(
        _merge_sparse(old.queries, source, None if fresh is None else fresh.queries, touched),
        _merge_sparse(old.weights, source, None if fresh is None else fresh.weights, touched),
        _merge_dense(old.self_scores, source, None if fresh is None else fresh.self_scores, touched),
    )


def _combine(old: Fields, source: np.ndarray, fresh: Fields | None, touched: np.ndarray) -> Fields:
    """The vectors of the new bank: kept items' rows from ``old`` (``source[r]``), touched ones from ``fresh``."""
    f = fresh

    def sparse(name: str):
        return _merge_sparse(getattr(old, name), source, None if f is None else getattr(f, name), touched)

    def dense(name: str):
        return _merge_dense(getattr(old, name), source, None if f is None else getattr(f, name), touched)

    # an answer's chunks are consecutive rows: gather each item's run from where it comes from
    chunks = old.a_chunks
    spans = np.zeros((source.size, 2), dtype=np.int64)
    if chunks is not None:
        runs: list[np.ndarray] = []
        at = 0
        fresh_at = {int(t): k for k, t in enumerate(touched)}
        for r in range(source.size):
            if source[r] >= 0:
                s, e = old.chunk_spans[source[r]]
                rows = old.a_chunks[s:e] if old.a_chunks is not None else None
            else:
                assert f is not None and f.a_chunks is not None
                s, e = f.chunk_spans[fresh_at[r]]
                rows = f.a_chunks[s:e]
            assert rows is not None
            runs.append(rows)
            spans[r] = (at, at + rows.shape[0])
            at += rows.shape[0]
        chunks = np.concatenate(runs) if runs else old.a_chunks
    else:
        sizes = np.zeros(source.size, dtype=np.int64)
        kept = np.flatnonzero(source >= 0)
        sizes[kept] = np.diff(old.chunk_spans[source[kept]], axis=1).ravel()
        if f is not None and touched.size:
            sizes[touched] = np.diff(f.chunk_spans, axis=1).ravel()
        ends = np.cumsum(sizes)
        spans = np.column_stack([ends - sizes, ends])
    answers = [old.answers[s] if s >= 0 else "" for s in source.tolist()]
    if f is not None:
        for k, t in enumerate(touched.tolist()):
            answers[t] = f.answers[k]
    informative, asked = dense("informative"), dense("asked")
    assert informative is not None and asked is not None
    return Fields(
        q_word=sparse("q_word"),
        q_char=sparse("q_char"),
        a_word=sparse("a_word"),
        a_char=sparse("a_char"),
        full_word=sparse("full_word"),
        qa_word=sparse("qa_word"),
        q_sem=dense("q_sem"),
        a_sem=dense("a_sem"),
        a_chunks=chunks,
        chunk_spans=spans,
        qa_sem=dense("qa_sem"),
        informative=informative,
        asked=asked,
        answers=answers,
        char=old.char,
        q_bm25=_merge_bm25(old.q_bm25, source, None if f is None else f.q_bm25, touched),
        a_bm25=_merge_bm25(old.a_bm25, source, None if f is None else f.a_bm25, touched),
        qa_bm25=_merge_bm25(old.qa_bm25, source, None if f is None else f.qa_bm25, touched),
        fitted=old.fitted,
    )


def lean(fields: Fields) -> Fields:
    """``fields`` without rows in the :data:`LEAN` parts (shapes kept): what a state keeps."""
    n = fields.q_word.shape[0]

    def empty(m: sp.csr_matrix) -> sp.csr_matrix:
        return sp.csr_matrix(m.shape, dtype=m.dtype)

    def bm(b: BM25) -> BM25:
        return BM25(empty(b.queries), empty(b.weights), np.zeros_like(b.self_scores))

    return replace(
        fields, q_char=empty(fields.q_char), a_word=empty(fields.a_word), a_char=empty(fields.a_char),
        qa_word=empty(fields.qa_word), q_bm25=bm(fields.q_bm25), a_bm25=bm(fields.a_bm25),
        qa_bm25=bm(fields.qa_bm25), answers=[""] * n,
    )


def _put_rows(old: sp.csr_matrix, rows: np.ndarray, new: sp.csr_matrix) -> sp.csr_matrix:
    """``old`` with its rows ``rows`` replaced by ``new``'s."""
    n = old.shape[0]
    order = np.arange(n)
    order[rows] = n + np.arange(rows.size)
    return sp.csr_matrix(sp.vstack([sp.csr_matrix(old), sp.csr_matrix(new)], format="csr")[order])


def _with_rows(fields: Fields, items: Sequence[QAItem], rows: np.ndarray) -> Fields:
    """``fields`` with the :data:`LEAN` parts' ``rows`` made with the kept vectorisers (each row depends on
    its item alone, so they are the rows a whole bank vectorised with them has)."""
    if not rows.size:
        return fields
    f = vectorise([items[r] for r in rows.tolist()], None, fitted=fields.fitted)

    def bm(old: BM25, new: BM25) -> BM25:
        scores = old.self_scores.copy()
        scores[rows] = new.self_scores
        return BM25(_put_rows(old.queries, rows, new.queries), _put_rows(old.weights, rows, new.weights), scores)

    answers = list(fields.answers)
    for r, a in zip(rows.tolist(), f.answers, strict=True):
        answers[r] = a
    return replace(
        fields, q_char=_put_rows(fields.q_char, rows, f.q_char), a_word=_put_rows(fields.a_word, rows, f.a_word),
        a_char=_put_rows(fields.a_char, rows, f.a_char), qa_word=_put_rows(fields.qa_word, rows, f.qa_word),
        q_bm25=bm(fields.q_bm25, f.q_bm25), a_bm25=bm(fields.a_bm25, f.a_bm25), qa_bm25=bm(fields.qa_bm25, f.qa_bm25),
        answers=answers,
    )


class _Rows:
    """The bank's fields, with the :data:`LEAN` parts' rows made as they are asked for."""

    def __init__(self, fields: Fields, items: Sequence[QAItem], made: np.ndarray) -> None:
        self.fields, self.items, self.made = fields, items, made

    def having(self, rows: np.ndarray) -> Fields:
        rows = unique_sorted(np.asarray(rows, dtype=np.int64))
        missing = rows[~self.made[rows]]
        if missing.size:
            self.fields = _with_rows(self.fields, self.items, missing)
            self.made[missing] = True
        return self.fields


# ----------------------------------------------------------------------------------------------
# The run


def _neighbours(
    name: str, matrix, n: int, k: int, old: tuple[PairState, np.ndarray] | None, touched: np.ndarray, same: bool
) -> Neighbours:
    """Each row's top-k in ``matrix``: searched again where it can have changed, kept from ``old`` elsewhere.

    A row whose k-th best is tied keeps its neighbours only when its similarities are all as they were:
    the same questions in the same places (``same``), and no touched one sharing a word with it before or
    after (sparse rows: a similarity with nothing in common is exactly 0 from either end).
    """
    if old is None:
        research = np.arange(n)
        lists: list[np.ndarray | None] = [None] * n
        kth = np.zeros(n, dtype=np.float32)
        tied = np.zeros(n, dtype=bool)
    else:
        state, source = old
        before = state.neighbours[name]
        new_row = _new_rows(state, source)
        kept = np.flatnonzero(source >= 0)
        lists = [None] * n
        kth = np.zeros(n, dtype=np.float32)
        tied = np.zeros(n, dtype=bool)
        again = np.zeros(n, dtype=bool)
        again[touched] = True
        sims = similarities_to(matrix, touched) if touched.size else np.zeros((0, n), dtype=np.float32)
        reach = sims.max(axis=0) if touched.size else np.full(n, -np.inf, dtype=np.float32)
        still = np.zeros(n, dtype=bool)
        if same and sp.issparse(matrix):
            was = dict(search_spaces(state.fields))[name]
            before_sims = similarities_to(was, touched) if touched.size else np.zeros((0, n), dtype=np.float32)
            still = ~((sims != 0) | (before_sims != 0)).any(axis=0)
        for r in kept.tolist():
            o = int(source[r])
            cols = new_row[before.columns[before.start[o] : before.start[o + 1]]]
            bound = max(float(before.kth[o]), 1e-6)
            if (before.tied[o] and not still[r]) or (cols < 0).any() or reach[r] >= bound - MARGIN:
                again[r] = True
                continue
            lists[r], kth[r], tied[r] = cols, before.kth[o], before.tied[o]
        research = np.flatnonzero(again)
    if research.size:
        found, low, tie = top_neighbours(matrix, k, research)
        for r, cols, v, t in zip(research.tolist(), found, low, tie, strict=True):
            lists[r], kth[r], tied[r] = cols, v, t
    return _pack(lists, kth, tied)


def _approximate_neighbours(
    name: str, matrix, n: int, k: int, old: tuple[PairState, np.ndarray] | None, touched: np.ndarray,
    by_id: np.ndarray,
) -> Neighbours:
    """Each row's top-k in ``matrix`` for a bank past the exact search: a full run asks the approximate
    index (:func:`~kg.similar.ann.approximate_neighbours`); an edit run searches the touched rows exactly
    and updates the kept rows' lists from the last run instead of searching them again.

    A kept row keeps its list, but for the touched rows whose similarity to it reaches its k-th best
    (they enter, the k best stay) and its touched members (at their new similarity). It is searched
    again, exactly and alone, when it lost a member: one was removed, or a touched one fell below the
    row's k-th best, where what takes its place is not known. ``by_id`` gives each of the last run's
    rows its row in the new bank by id (-1 when removed).
    """
    if old is None:
        ids = np.arange(n)
        r, c, score = approximate_neighbours(matrix, k, ids, ids)
        return _lists(n, k, r, c, score)
    state, source = old
    before = state.neighbours[name]
    kept = np.flatnonzero(source >= 0)
    o = source[kept]
    sizes = np.diff(before.start)[o]
    # every kept row's old members, flat: (new row, member's new row by id, whether it is kept as it was)
    flat = np.repeat(before.start[o] - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes) + np.arange(sizes.sum())
    row = np.repeat(kept, sizes)
    member = by_id[before.columns[flat]]
    unchanged = _new_rows(state, source)[before.columns[flat]] >= 0
    bound = np.full(n, np.inf, dtype=np.float32)
    bound[kept] = np.maximum(before.kth[o], 1e-6)
    lost = np.zeros(n, dtype=bool)
    lost[row[member < 0]] = True  # a member removed
    moved = np.flatnonzero((member >= 0) & ~unchanged)
    if moved.size:
        now = row_dots(matrix, row[moved], member[moved])
        lost[row[moved[now < bound[row[moved]] - MARGIN]]] = True  # a touched member fell out
    lists: list[np.ndarray | None] = [None] * n
    kth = np.zeros(n, dtype=np.float32)
    tied = np.zeros(n, dtype=bool)
    enter_row = enter_col = np.zeros(0, dtype=np.int64)
    if touched.size:
        found, low, tie, at, reached = top_neighbours_reaching(matrix, k, touched, bound - MARGIN)
        for t, cols, v, tt in zip(touched.tolist(), found, low, tie, strict=True):
            lists[t], kth[t], tied[t] = cols, v, tt
        enter_row, enter_col = reached, touched[at]
    update = np.zeros(n, dtype=bool)
    update[row[moved]] = True
    update[enter_row] = True
    update &= ~lost
    # the updated rows: the k best of their members and the touched rows that reach them
    take = update[row] & (member >= 0)
    take_enter = update[enter_row]
    r = np.concatenate([row[take], enter_row[take_enter]])
    c = np.concatenate([member[take], enter_col[take_enter]])
    codes = unique_sorted(r.astype(np.int64) * n + c)
    r, c = codes // n, codes % n
    score = row_dots(matrix, r, c)
    at_least = score >= 1e-6  # the search's threshold; what it drops ranks below every entry kept
    r, c, score = best_per_row(r[at_least], c[at_least], score[at_least], k)
    updated = _lists(n, k, r, c, score)
    for u in np.flatnonzero(update).tolist():
        lists[u] = updated.columns[updated.start[u] : updated.start[u + 1]]
        kth[u] = updated.kth[u]
    # the others keep theirs
    ends = np.concatenate([[0], np.cumsum(sizes)])
    for p, rr in enumerate(kept.tolist()):
        if not update[rr] and not lost[rr]:
            lists[rr] = member[ends[p] : ends[p + 1]]
            kth[rr], tied[rr] = before.kth[o[p]], before.tied[o[p]]
    research = np.flatnonzero(lost)
    if research.size:
        found, low, tie = top_neighbours(matrix, k, research, block=256)
        for rr, cols, v, tt in zip(research.tolist(), found, low, tie, strict=True):
            lists[rr], kth[rr], tied[rr] = cols, v, tt
    return _pack(lists, kth, tied)


def _lists(n: int, k: int, r: np.ndarray, c: np.ndarray, score: np.ndarray) -> Neighbours:
    """Neighbour lists from entries sorted by row, each row's best first; a row's k-th best is 0 when it
    has fewer than ``k`` (a touched row that reaches it at all may enter)."""
    start = np.searchsorted(r, np.arange(n + 1)).astype(np.int64)
    full = np.diff(start) >= k
    kth = np.zeros(n, dtype=np.float32)
    kth[full] = score[start[:-1][full] + k - 1]
    return Neighbours(start, c.astype(np.int64), kth, np.zeros(n, dtype=bool))


def _pack(lists: Sequence[np.ndarray | None], kth: np.ndarray, tied: np.ndarray) -> Neighbours:
    sizes = np.array([0 if c is None else c.size for c in lists], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    columns = np.concatenate([c for c in lists if c is not None]) if sizes.sum() else np.zeros(0, dtype=np.int64)
    return Neighbours(start, columns.astype(np.int64), kth, tied)


def _new_rows(state: PairState, source: np.ndarray) -> np.ndarray:
    """Each row of the last run's bank: its row in the new bank (``source`` read backwards), -1 where
    the item is gone or touched."""
    new_row = np.full(len(state.ids), -1, dtype=np.int64)
    kept = np.flatnonzero(source >= 0)
    new_row[source[kept]] = kept
    return new_row


def _codes(pairs: np.ndarray, n: int) -> np.ndarray:
    return pairs[:, 0].astype(np.int64) * n + pairs[:, 1]


def _within(values: np.ndarray, sorted_codes: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_codes)`` for codes already sorted: one binary search each, no sort."""
    if not sorted_codes.size:
        return np.zeros(values.shape, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_codes, values), sorted_codes.size - 1)
    return sorted_codes[at] == values


def _update(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    item_digests: Sequence[str],
    fields: Fields,
    stats: BankStatistics,
    old: tuple[PairState, np.ndarray] | None,
    fitted_at: str,
    fitted_on: Mapping[str, str],
    opts: _Options,
    ends: tuple[float, float, float],
) -> tuple[list[Pair], PairState, int]:
    """The pairs of ``items`` and the state for the next run; with ``old`` (the last state and the row
    each item had there, -1 for a touched one) only what can have changed is searched and scored."""
    n = len(items)
    k = opts.top_k
    progress = opts.progress
    if old is None:
        touched = np.arange(n)
    else:
        touched = np.flatnonzero(old[1] < 0)
    searching = part(progress, ends[0], ends[1])
    spaces = search_spaces(fields)
    same = old is not None and old[0].ids == tuple(it.id for it in items)
    approximate = use_approximate(n, n)
    by_id = np.zeros(0, dtype=np.int64)
    if old is not None:
        row_of = {it.id: r for r, it in enumerate(items)}
        by_id = np.array([row_of.get(i, -1) for i in old[0].ids], dtype=np.int64)
    neighbours: dict[str, Neighbours] = {}
    for s, (name, matrix) in enumerate(spaces):
        searching(s / len(spaces), f"comparing questions: nearest neighbours by {name}")
        if approximate:
            neighbours[name] = _approximate_neighbours(name, matrix, n, k, old, touched, by_id)
        else:
            neighbours[name] = _neighbours(name, matrix, n, k, old, touched, same)
    # one sort of the pairs' codes, not np.unique's row-wise sort (the same order: i, then j < n)
    codes = unique_sorted(np.concatenate([_codes(nb.pairs(), n) for nb in neighbours.values()]))
    union = np.column_stack([codes // n, codes % n]).astype(np.int64).reshape(-1, 2)

    # the candidate pairs' similarities, for each item's best match: kept where both items are
    measures: dict[str, object] = {"wording": fields.full_word}
    if fields.q_sem is not None and fields.a_sem is not None:
        measures["meaning"] = whole_meaning(fields)
    sims: dict[str, np.ndarray] = {}
    is_old = np.zeros(union.shape[0], dtype=bool)
    old_codes = np.zeros(0, dtype=np.int64)
    if old is not None:
        state, source = old
        mapped = _new_rows(state, source)[state.union]
        alive = (mapped >= 0).all(axis=1)
        old_codes = _codes(mapped[alive], n)
        where = np.searchsorted(old_codes, codes)
        where = np.minimum(where, max(old_codes.size - 1, 0))
        is_old = (old_codes[where] == codes) if old_codes.size else np.zeros(codes.size, dtype=bool)
        for key, matrix in measures.items():
            values = np.zeros(union.shape[0], dtype=np.float32)
            values[is_old] = state.union_sims[key][alive][where[is_old]]
            todo = np.flatnonzero(~is_old)
            if todo.size:
                values[todo] = row_dots(matrix, union[todo, 0], union[todo, 1])
            sims[key] = values
    else:
        for key, matrix in measures.items():
            sims[key] = row_dots(matrix, union[:, 0], union[:, 1])
    best = {key: best_over(n, union, values) for key, values in sims.items()}

    keys = _copy_keys(items, old)
    copies = copies_of_keys(keys)
    copy_codes = np.array(sorted(i * n + j for i, j in copies), dtype=np.int64)
    found_codes = unique_sorted(np.concatenate([codes, copy_codes]))  # np.union1d, which hashes
    found = np.column_stack([found_codes // n, found_codes % n]).astype(np.int64).reshape(-1, 2)
    dirty = np.zeros(n, dtype=bool)
    dirty[touched] = True
    if old is not None:
        state, source = old
        kept_rows = np.flatnonzero(source >= 0)
        old_best = {key: best_over(len(state.ids), state.union, state.union_sims[key]) for key in sims}
        for key in sims:
            dirty[kept_rows] |= best[key][kept_rows] != old_best[key][source[kept_rows]]
        was_found = _within(found_codes, old_codes) | _within(found_codes, copy_codes)
        redo = dirty[found[:, 0]] | dirty[found[:, 1]] | ~was_found
    else:
        redo = np.ones(found.shape[0], dtype=bool)
    scoring = found[redo]
    made = np.ones(n, dtype=bool)
    if old is not None:  # the kept rows' lean vectors are made when a pair of theirs is scored
        made[:] = False
        made[touched] = True
    rows = _Rows(fields, items, made)
    fresh, fusion = _score(items, item_concepts, rows.having(scoring.ravel()), stats, scoring, best, copies, opts,
                           part(progress, ends[1], ends[2]), fit_fusion=old is None)
    if old is None:  # a full run scored every candidate pair: its fusion statistics are the bank's
        stats = replace(stats, fusion=fusion)
        scored = fresh
    else:
        at, left, right = _carry(old, found[~redo], n)
        scored = _join(old[0].scored, at, left, right, fresh)
    rescored = int(unique_sorted(scoring).size)
    scored, pairs = _explain(items, rows, scored, opts, part(progress, ends[2], 1.0))
    new_state = PairState(
        stats=stats,
        fitted_at=fitted_at,
        fitted_on=dict(fitted_on),
        ids=tuple(it.id for it in items),
        digests=tuple(item_digests),
        fields=lean(fields),
        neighbours=neighbours,
        union=union,
        union_sims=sims,
        scored=scored,
        top_k=k,
        approximate=approximate,
        copy_keys=tuple(keys),
    )
    return pairs, new_state, rescored


def _copy_keys(items: Sequence[QAItem], old: tuple[PairState, np.ndarray] | None) -> list[str | None]:
    """Each item's copy key: a kept item's from the last run's state where it has them (a key depends
    on the item's own text alone), the others' made (normalising every question of a big bank is
    a second of CPU)."""
    kept = None if old is None else old[0].copy_keys
    if old is None or kept is None:
        return [copy_key(it) for it in items]
    source = old[1]
    return [kept[s] if s >= 0 else copy_key(it) for it, s in zip(items, source.tolist(), strict=True)]


def _score(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    fields: Fields,
    stats: BankStatistics,
    pairs: np.ndarray,
    best: Mapping[str, np.ndarray],
    copies: Set[tuple[int, int]],
    opts: _Options,
    progress: Progress,
    fit_fusion: bool = False,
) -> tuple[Scored, FusionStatistics | None]:
    """Score and type ``pairs`` as :func:`kg.similar.pairs.score_pairs` does; those not even related are left
    out. With ``fit_fusion``, ``pairs`` are every candidate pair of the bank and the fusion statistics are
    taken on them; else those of ``stats`` are used. The fusion statistics used come second."""
    left, right = pairs[:, 0].copy(), pairs[:, 1].copy()
    if not left.size:
        return _empty(fields), None
    features = pair_features(
        items, fields, left, right, item_concepts, opts.question_concepts, progress, None, stats, best
    )
    weights = (opts.model or default_model()).weights(features.names)
    fusion = stats.fusion if opts.fuse else None
    score, kinds, lexical, semantic, concept, fusion = type_pairs(
        features, weights, opts.thresholds, copies, fusion, fit_fusion=fit_fusion and opts.fuse
    )
    keep = np.array([kind is not None for kind in kinds], dtype=bool)
    at = np.flatnonzero(keep)
    return Scored(
        left=left[at],
        right=right[at],
        score=np.asarray(score, dtype=np.float64)[at],
        kind=np.array([_KIND_RANK[k] for k in kinds if k is not None], dtype=np.uint8).reshape(-1),
        lexical=np.asarray(lexical, dtype=np.float64)[at],
        semantic=None if semantic is None else np.asarray(semantic, dtype=np.float64)[at],
        concept=np.asarray(concept, dtype=np.float64)[at],
        shared=Strings.of([features.evidence.shared[p] for p in at.tolist()]),
        matches=_no_matches(at.size),
        method=np.zeros(at.size, dtype=np.uint8),
    ), fusion


def _no_matches(m: int) -> Matches:
    return Matches(Strings((), np.zeros(0, dtype=np.int32), np.zeros(m, dtype=np.int64)), np.zeros(0))


def _empty(fields: Fields) -> Scored:
    z = np.zeros(0)
    semantic = None if fields.q_sem is None else z
    none = np.zeros(0, dtype=np.uint8)
    return Scored(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), z, none, z, semantic, z,
                  Strings.of([]), _no_matches(0), none)


def _carry(old: tuple[PairState, np.ndarray], pairs: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which typed pairs of the last run are among ``pairs`` (rows of the new bank), as they were: their
    places in its typed pairs, and each of its typed pairs' rows in the new bank (-1 where gone)."""
    state, source = old
    before = state.scored
    new_row = _new_rows(state, source)
    left, right = new_row[before.left], new_row[before.right]
    alive = (left >= 0) & (right >= 0)
    codes = np.where(alive, left * n + right, -1)
    wanted = _codes(pairs, n) if pairs.size else np.zeros(0, dtype=np.int64)
    at = np.flatnonzero(alive & _within(codes, wanted))
    return at, left, right


def _take(values: Sequence[T], at: Sequence[int]) -> list[T]:
    """``[values[p] for p in at]``, gathered in C (a million pairs' columns at a time)."""
    return list(itemgetter(*at)(values)) if len(at) > 1 else [values[p] for p in at]


def _join(before: Scored, at: np.ndarray, left: np.ndarray, right: np.ndarray, fresh: Scored) -> Scored:
    """The last run's typed pairs ``at`` (rows ``left``, ``right`` of the new bank) and the ``fresh`` ones,
    in the order of their rows: each column gathered once from both (a million pairs' concepts once)."""
    rows_left = np.concatenate([left[at], fresh.left]).astype(np.int64)
    rows_right = np.concatenate([right[at], fresh.right]).astype(np.int64)
    order = np.lexsort((rows_right, rows_left))
    pick = np.concatenate([at, before.left.size + np.arange(fresh.left.size)])[order]

    def cat(x, y):
        return np.concatenate([x, y])[pick]

    semantic = None if before.semantic is None or fresh.semantic is None else cat(before.semantic, fresh.semantic)
    return Scored(
        left=rows_left[order], right=rows_right[order], score=cat(before.score, fresh.score),
        kind=cat(before.kind, fresh.kind), lexical=cat(before.lexical, fresh.lexical), semantic=semantic,
        concept=cat(before.concept, fresh.concept), shared=before.shared.then(fresh.shared).take(pick),
        matches=before.matches.then(fresh.matches).take(pick), method=cat(before.method, fresh.method),
    )


def _made_pairs(
    ids: Sequence[str], left: list[int], right: list[int], columns: Sequence[Sequence[object]]
) -> list[Pair]:
    """:class:`~kg.model.Pair` objects of aligned columns (``score``, ``kind``, ``shared_concepts``,
    ``lexical``, ``semantic``, ``concept``, ``matches``), no verdict: each object's attributes set at once
    rather than through the frozen class's ``__init__``, one attribute at a time (a third of the cost of
    a million pairs). :func:`test_incremental_made_pairs_equal_constructed_ones` holds it to the class."""
    n = len(left)
    if len(right) != n or any(len(c) != n for c in columns):
        raise ValueError("the pairs' columns differ in length")

    def attributes(a, b, score, kind, shared, lexical, semantic, concept, matches) -> dict:
        return {"a": a, "b": b, "score": score, "kind": kind, "shared_concepts": shared, "lexical": lexical,
                "semantic": semantic, "concept": concept, "matches": matches, "verdict": None}

    out = list(map(object.__new__, repeat(Pair, n)))
    # the loop over the pairs is map's, in C: a quarter less than a for loop doing the same
    deque(map(object.__setattr__, out, repeat("__dict__"),
              map(attributes, map(ids.__getitem__, left), map(ids.__getitem__, right), *columns)), maxlen=0)
    return out


def _explain(
    items: Sequence[QAItem], rows: _Rows, scored: Scored, opts: _Options, progress: Progress
) -> tuple[Scored, list[Pair]]:
    """Explain the typed pairs as :func:`~kg.similar.explain.explain_pairs` does (reusing a pair's kept
    matches where it is explained the same way), leave out the curator's "not a duplicate" pairs, and
    make the :class:`~kg.model.Pair` list, sorted as :func:`~kg.model.sort_pairs` sorts."""
    ids = [it.id for it in items]
    m = scored.left.size
    left, right = scored.left.tolist(), scored.right.tolist()
    shown = np.ones(m, dtype=bool)
    if opts.accepted:
        shown[[p for p in range(m) if frozenset((ids[left[p]], ids[right[p]])) in opts.accepted]] = False
    kind, method = scored.kind, scored.method
    wanted = np.zeros(m, dtype=np.uint8)
    if opts.explain:
        close = _METHOD_CODE["meaning" if opts.embedder is not None else "wording"]
        related = kind == _KIND_RANK[RELATED]
        # the weak related pairs are chosen among the shown ones only
        weak = np.zeros(m, dtype=bool)
        at = np.flatnonzero(shown)
        sub = at.tolist()
        weak[at] = weak_related(_take(left, sub), _take(right, sub), related[at], scored.score[at], len(items))
        wanted[shown & ~related] = close
        wanted[weak] = _METHOD_CODE["wording"]
    changed = np.flatnonzero(wanted != method)
    # the changed pairs' matches, () unless found below; then in place of the kept ones
    found_of: dict[int, tuple[SentenceMatch, ...]] = {}
    todo = {name: changed[wanted[changed] == _METHOD_CODE[name]].tolist() for name in ("meaning", "wording")}
    progress(0.0, f"explaining pairs: {sum(map(len, todo.values())):,} pairs")
    asked = [i for p in (*todo["meaning"], *todo["wording"]) for i in (left[p], right[p])]
    fields = rows.having(np.array(asked, dtype=np.int64))
    if todo["meaning"]:
        pairs = [(left[p], right[p]) for p in todo["meaning"]]
        found = sentence_matches(fields.answers, pairs, opts.embedder, wording=fields.char, progress=progress)
        found_of.update(zip(todo["meaning"], found, strict=True))
    if todo["wording"]:
        pairs = [(left[p], right[p]) for p in todo["wording"]]
        table = _Sentences(fields.answers, sorted({i for pair in pairs for i in pair}))
        found = _best_matches(table, table.wording(fields.char), pairs, 2) if table.flat else [() for _ in pairs]
        found_of.update(zip(todo["wording"], found, strict=True))
    matches = scored.matches
    if changed.size:
        place = np.arange(m)
        place[changed] = m + np.arange(changed.size)
        matches = matches.then(Matches.of([found_of.get(p, ()) for p in changed.tolist()])).take(place)
    again = replace(scored, matches=matches, method=wanted)
    # sort_pairs' order (kind, score falling, ids) by one stable sort of arrays: ids by their rank
    score = np.array(rounded(scored.score), dtype=np.float64).reshape(-1)
    names = sorted(set(ids))
    rank_of = {name: r for r, name in enumerate(names)}
    rank = np.array([rank_of[i] for i in ids], dtype=np.int64).reshape(-1)
    at = np.lexsort((rank[scored.right], rank[scored.left], -score, kind))
    at = at[shown[at]]
    order = at.tolist()
    columns = (
        score[at].tolist(),
        np.array(PAIR_KINDS, dtype=object)[kind[at]].tolist(),
        scored.shared.take(at).tuples(),
        rounded(scored.lexical[at]),
        [None] * len(order) if scored.semantic is None else rounded(scored.semantic[at]),
        rounded(scored.concept[at]),
        matches.take(at).tuples() if opts.explain else [()] * len(order),
    )
    return again, _made_pairs(ids, _take(left, order), _take(right, order), columns)


__all__ = [
    "FULL_SHARE", "LEAN", "METHODS", "Outcome", "PairState", "edit_run", "full_run", "item_digest", "lean",
    "needs_full_run",
]
