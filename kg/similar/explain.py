"""Why a pair matches: the best-matching sentences of the two answers.

Sentences are matched by embeddings when available, else by character n-grams. Every duplicate and
overlap is explained; related pairs are many (a dozen per item), so only each item's strongest
:data:`EXPLAINED_RELATED` get sentence matches, and the rest keep their shared concepts as the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from kg.embed import Embedder, encode, normalise_rows
from kg.model import RELATED, PairKind, SentenceMatch
from kg.progress import Progress, counted, no_progress, part
from kg.similar.ngrams import CharNgrams
from kg.similar.vectors import Fields, char_tfidf, row_dots
from kg.similar.words import WORD

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")

EXPLAINED_RELATED = 3
"""Related pairs per item that get sentence matches (the strongest; what the CLI and export show)."""


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences (and list lines); drops fragments of fewer than 3 words.

    Examples
    --------
    >>> split_sentences("ReLU is simple. It avoids saturation! ok")
    ['ReLU is simple.', 'It avoids saturation!']
    """
    parts = (p.strip() for p in _SENTENCE_END.split(text))
    return [p for p in parts if len(WORD.findall(p)) >= 3]


def sentence_matches(
    answers: Sequence[str],
    pairs: Sequence[tuple[int, int]],
    embedder: Embedder | None,
    per_pair: int = 2,
    wording: CharNgrams | None = None,
    progress: Progress = no_progress,
) -> list[tuple[SentenceMatch, ...]]:
    """The best-matching answer sentences of each pair (by meaning if possible, else wording).

    Parameters
    ----------
    answers
        Answer texts, one per item.
    pairs
        Item rows ``(i, j)`` of the pairs to explain.
    embedder
        Sentence embeddings; ``None`` matches sentences by character n-grams.
    per_pair
        Matches kept per pair, each sentence used once.
    wording
        A fitted character n-gram vectorizer to reuse (fitting one costs more than applying it);
        without it one is fitted on the sentences.
    progress
        Told of the sentences embedded, batch by batch, then of the matching.

    Returns
    -------
    list of tuple of SentenceMatch
        Per pair, best first; empty when either answer has no sentence.

    Examples
    --------
    >>> answers = ["Dropout drops random units. It also fights overfitting in nets.",
    ...            "It fights overfitting in deep nets."]
    >>> [(m.a, m.b) for m in sentence_matches(answers, [(0, 1)], None)[0]]
    [('It also fights overfitting in nets.', 'It fights overfitting in deep nets.')]
    """
    table = _Sentences(answers, sorted({i for pair in pairs for i in pair}))
    if not table.flat:
        return [() for _ in pairs]
    if embedder is not None:
        count = counted(part(progress, 0.0, 0.8), "explaining pairs: embedding answer sentences", len(table.flat))
        count(0)
        matrix = normalise_rows(encode(embedder, table.flat, count))
    else:
        progress(0.0, f"explaining pairs: reading {len(table.flat):,} answer sentences of {len(pairs):,} pairs")
        matrix = table.wording(wording)
    progress(0.8, f"explaining pairs: matching the sentences of {len(pairs):,} pairs")
    return _best_matches(table, matrix, pairs, per_pair)


class _Sentences:
    """The sentences of some answers, in one flat list: those of item ``i`` are rows ``offsets[i]``.

    Explaining splits and weighs an answer's sentences once, for every pair it is in.
    """

    def __init__(self, answers: Sequence[str], needed: Sequence[int]) -> None:
        self.offsets: dict[int, tuple[int, int]] = {}
        self.flat: list[str] = []
        for i in needed:
            found = split_sentences(answers[i])
            self.offsets[i] = (len(self.flat), len(self.flat) + len(found))
            self.flat.extend(found)
        self._wording = None

    def wording(self, vectorizer: CharNgrams | None):
        """Character n-gram rows of the sentences (each row is weighed on its own, so a row is the same
        whatever other sentences are in the table), by ``vectorizer`` or one fitted on them."""
        if self._wording is None:
            self._wording = (vectorizer or char_tfidf(self.flat)).transform(self.flat)
        return self._wording


PAIRINGS_AT_ONCE = 1 << 21
"""Sentence pairings scored together: a 100,000-question bank has some 20 million, and their index arrays
and sort, made all at once, took 2 GB more than the rest of the run at its peak."""


def _best_matches(
    table: _Sentences, matrix, pairs: Sequence[tuple[int, int]], per_pair: int
) -> list[tuple[SentenceMatch, ...]]:
    """Per pair, its best sentence matches (each sentence used once), by the rows of ``matrix``."""
    out: list[tuple[SentenceMatch, ...]] = [() for _ in pairs]
    if not pairs:
        return out
    bounds = np.array([(*table.offsets[i], *table.offsets[j]) for i, j in pairs], dtype=np.int64).reshape(-1, 4)
    total = np.cumsum((bounds[:, 1] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 2]))
    start = 0
    while start < len(pairs):
        # the pairs whose pairings fit in the chunk, and at least one
        done = int(total[start - 1]) if start else 0
        end = max(start + 1, int(np.searchsorted(total, done + PAIRINGS_AT_ONCE, side="right")))
        _match_chunk(table, matrix, bounds[start:end], per_pair, out, start)
        start = end
    return out


def _match_chunk(
    table: _Sentences, matrix, bounds: np.ndarray, per_pair: int, out: list[tuple[SentenceMatch, ...]], first: int
) -> None:
    """Best matches of the pairs ``first``, ``first + 1``, … whose answers' sentence rows ``bounds`` holds
    (left start, left end, right start, right end), written into ``out``."""
    # every sentence pairing of every pair at once, as aligned index arrays (no per-pair products):
    # pair p has a_n * b_n pairings, left rows a0 + k // b_n and right rows b0 + k % b_n, as a
    # row-major grid
    a_n, b_n = bounds[:, 1] - bounds[:, 0], bounds[:, 3] - bounds[:, 2]
    sizes = a_n * b_n
    if not sizes.any():
        return
    own = np.repeat(np.arange(len(bounds)), sizes)
    k = np.arange(own.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    la = bounds[own, 0] + k // b_n[own]
    rb = bounds[own, 2] + k % b_n[own]
    sims = row_dots(matrix, la, rb)
    order = np.lexsort((-sims, own))  # by pair, best first within a pair
    starts = np.flatnonzero(np.r_[True, own[order][1:] != own[order][:-1]])
    ends = np.r_[starts[1:], order.size]
    flat = table.flat
    for start, end in zip(starts, ends, strict=True):
        matches: list[SentenceMatch] = []
        used_a: set[int] = set()
        used_b: set[int] = set()
        for k in order[start:end]:
            r, c = int(la[k]), int(rb[k])
            if r in used_a or c in used_b:
                continue
            matches.append(SentenceMatch(flat[r], flat[c], round(float(sims[k]), 4)))
            used_a.add(r)
            used_b.add(c)
            if len(matches) == per_pair:
                break
        out[first + int(own[order[start]])] = tuple(matches)


def explain_pairs(
    fields: Fields,
    pairs: Sequence[tuple[int, int]],
    kinds: Sequence[PairKind | None],
    scores: Sequence[float],
    embedder: Embedder | None,
    progress: Progress = no_progress,
) -> dict[tuple[int, int], tuple[SentenceMatch, ...]]:
    """Sentence matches of typed pairs: every duplicate and overlap, and each item's strongest related pairs.

    Duplicates and overlaps are matched by meaning when ``embedder`` is given; related pairs always by
    wording, and only those among the :data:`EXPLAINED_RELATED` strongest of either item.

    Parameters
    ----------
    fields
        The bank's vectors (:func:`~kg.similar.vectors.vectorise`): its cleaned answers and fitted
        character n-grams.
    pairs, kinds, scores
        Item rows ``(i, j)``, kind and score of each pair, aligned.
    embedder
        Sentence embeddings, or ``None``.
    progress
        Told of the duplicates and overlaps, then of the related pairs (:func:`sentence_matches`).

    Returns
    -------
    dict
        Matches per explained pair ``(i, j)``; a pair left out has none.
    """
    strong = [pair for pair, kind in zip(pairs, kinds, strict=True) if kind != RELATED]
    # with embeddings the close pairs are most of the work; without, a third of it
    close = part(progress, 0.0, 0.7 if embedder is not None else 0.35)
    n = 1 + max((max(pair) for pair in pairs), default=-1)
    related = np.array([kind == RELATED for kind in kinds], dtype=bool)
    score = np.asarray(scores, dtype=np.float64)
    chosen = weak_related([i for i, _ in pairs], [j for _, j in pairs], related, score, n)
    weak = [pair for pair, w in zip(pairs, chosen.tolist(), strict=True) if w]
    matches: dict[tuple[int, int], tuple[SentenceMatch, ...]] = {}
    if embedder is not None:
        found = sentence_matches(fields.answers, strong, embedder, wording=fields.char, progress=close)
        matches.update(zip(strong, found, strict=True))
        worded = weak
    else:
        worded = strong + weak
    # the pairs matched by wording share one table: an answer in several pairs is split and weighed once
    table = _Sentences(fields.answers, sorted({i for pair in worded for i in pair}))
    if not table.flat:  # no answer of these pairs has a sentence: nothing to match by wording
        return matches
    if embedder is None:
        close(0.0, f"explaining pairs: reading {len(table.flat):,} answer sentences of {len(strong):,} pairs")
        matrix = table.wording(fields.char)
        close(0.8, f"explaining pairs: matching the sentences of {len(strong):,} pairs")
        matches.update(zip(strong, _best_matches(table, matrix, strong, 2), strict=True))
    if weak:
        rest = part(progress, 0.7 if embedder is not None else 0.35, 1.0)
        rest(0.0, f"explaining pairs: reading {len(table.flat):,} answer sentences of {len(weak):,} pairs")
        matrix = table.wording(fields.char)
        rest(0.8, f"explaining pairs: matching the sentences of {len(weak):,} pairs")
        matches.update(zip(weak, _best_matches(table, matrix, weak, 2), strict=True))
    return matches


def weak_related(
    left: Sequence[int], right: Sequence[int], related: np.ndarray, score: np.ndarray, n: int
) -> np.ndarray:
    """Which pairs (rows ``left[p]``, ``right[p]`` of ``n`` items) get sentence matches though related: the
    ``related`` ones among either item's :data:`EXPLAINED_RELATED` strongest by ``score``, strongest first,
    ties in order. A mask, by a stable sort of arrays rather than a key function a pair (a big bank has a
    million related pairs)."""
    mask = np.zeros(len(left), dtype=bool)
    at = np.flatnonzero(related)
    order = at[np.argsort(-score[at], kind="stable")].tolist()
    shown = [0] * n
    most = EXPLAINED_RELATED
    for p in order:
        i, j = left[p], right[p]
        if shown[i] < most or shown[j] < most:
            mask[p] = True
            shown[i] += 1
            shown[j] += 1
    return mask
