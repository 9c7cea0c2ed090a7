"""Evidence that two items are alike, each on the question and on the answer separately.

* wording: cosine of word (1-2 gram) and character (3-5 gram) TF-IDF vectors;
* meaning: cosine of sentence embeddings (when the semantic extra is installed);
* concepts: the shared concepts of the two items, each weighted by its rarity in the bank.

Raw cosines do not share a scale (two unrelated answers of one ML bank already share character
n-grams and sit around 0.2 in embedding space), so each is rescaled against the bank's own background:
``(s - m) / (1 - m)`` clipped to [0, 1], with ``m`` the median similarity of random pairs of the bank.

Beside the similarities, each pair carries the question checks of :mod:`kg.similar.questions`: whether
the questions ask about different things, whether one adds a concept to the other, and whether they
open with the same question word.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kg.model import QAItem
from kg.progress import Progress, no_progress
from kg.similar.measures import jaccard_from_totals, rescale, total_weight
from kg.similar.questions import question_adds, question_frame, questions_conflict, substitution
from kg.similar.swaps import opposed, swapped
from kg.similar.vectors import Fields, row_dots
from kg.similar.words import content_words

if TYPE_CHECKING:
    from kg.similar.stats import BankStatistics

STEP = 5_000
"""Pairs between two progress reports in the per-pair concept checks."""


def background_pairs(
    n: int, seed: int = 0, samples: int = 4000, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs of distinct items (of those in ``mask``): the sample a bank's background is taken on.

    The draw depends only on ``n``, ``mask`` and ``seed``, never on which pairs are scored, so a bank
    scored whole (``score_pairs``) and new items matched against it (``match_against``) share it.

    Examples
    --------
    >>> left, right = background_pairs(5, samples=50)
    >>> bool((left != right).all()), int(max(left.max(), right.max())) < 5
    (True, True)
    >>> background_pairs(1)[0].size
    0
    """
    idx = np.arange(n) if mask is None else np.flatnonzero(mask)
    if idx.size < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(seed)
    left = rng.choice(idx, samples)
    right = rng.choice(idx, samples)
    keep = left != right
    return left[keep], right[keep]


@dataclass(frozen=True)
class Evidence:
    """Rescaled similarities of candidate pairs, one entry per pair (arrays aligned with ``left``)."""

    left: np.ndarray
    right: np.ndarray
    q_lex: np.ndarray
    a_lex: np.ndarray
    q_sem: np.ndarray | None
    a_sem: np.ndarray | None
    q_char: np.ndarray  # raw character n-gram cosine of the questions (q_lex rescales it)
    q_meaning: np.ndarray | None  # raw embedding cosine of the questions (q_sem rescales it)
    a_meaning: np.ndarray | None  # raw embedding cosine of the answers, whether evidence or not
    answers: np.ndarray  # bool: both answers are evidence
    concept: np.ndarray
    conflict: np.ndarray  # bool: template | differ
    template: np.ndarray  # bool: the questions fill one template with different words
    swap: np.ndarray  # bool: the questions differ by a word or two each has in place of the other's
    opposed: np.ndarray  # bool: ... and a swapped word is the counterpart of the other's ("left" / "right")
    differ: np.ndarray  # bool: the questions name different concepts
    adds: np.ndarray  # bool: one question asks all the other asks and about a further concept
    same_frame: np.ndarray  # bool: the questions open with the same question word
    shared: list[tuple[str, ...]]


def pair_evidence(
    items: Sequence[QAItem],
    fields: Fields,
    left: np.ndarray,
    right: np.ndarray,
    item_concepts: Mapping[str, Collection[str]],
    question_concepts: Mapping[str, Collection[str]] | None,
    progress: Progress = no_progress,
    stats: BankStatistics | None = None,
) -> Evidence:
    """The evidence of each candidate pair ``(left[p], right[p])``.

    Parameters
    ----------
    items
        The bank.
    fields
        Its vectors (:func:`~kg.similar.vectors.vectorise`).
    left, right
        Item rows of the candidate pairs.
    item_concepts
        Concept ids per item id; missing ids count as no concepts.
    question_concepts
        Concept ids named in each question; ``None`` skips the concept checks of the questions
        (:func:`~kg.similar.questions.questions_conflict`, :func:`~kg.similar.questions.question_adds`).
    progress
        Told of each kind of evidence, and of every :data:`STEP` pairs of the concept checks.
    stats
        The bank statistics the similarities are rescaled against and the concepts weighed by
        (:func:`kg.similar.stats.bank_statistics`); by default those of ``items``.

    Returns
    -------
    Evidence
        One entry per pair.

    Examples
    --------
    >>> from kg.similar.vectors import vectorise
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> bank = [mk(1, "What does dropout do?", "Dropout drops random units while training a net."),
    ...         mk(2, "What does dropout do?", "Dropout drops random units while training a net."),
    ...         mk(3, "What is a p-value?", "The chance of data this extreme under the null.")]
    >>> ev = pair_evidence(bank, vectorise(bank, None), np.array([0, 0]), np.array([1, 2]), {}, None)
    >>> np.round(ev.q_lex, 2).tolist(), ev.answers.tolist(), ev.conflict.tolist()
    ([1.0, 0.0], [True, True], [False, False])
    """
    if stats is None:
        from kg.similar.stats import bank_statistics

        stats = bank_statistics(items, fields, item_concepts)
    level = {name: b.median for name, b in stats.background.items()}
    info = fields.informative
    stage = f"comparing questions: scoring {left.size:,} candidate pairs"

    def report(fraction: float, what: str) -> None:
        progress(fraction, f"{stage} ({what})")

    # each also returns the raw character (or embedding) cosine it rescaled, which the features use too
    def lex(word, char, side: str) -> tuple[np.ndarray, np.ndarray]:
        w = rescale(row_dots(word, left, right), level[f"{side}_word"])
        c_raw = row_dots(char, left, right)
        c = rescale(c_raw, level[f"{side}_char"])
        return np.asarray((w + c) / 2), c_raw

    def sem(matrix, name: str) -> tuple[np.ndarray | None, np.ndarray | None]:
        if matrix is None:
            return None, None
        raw = row_dots(matrix, left, right)
        return np.asarray(rescale(raw, level[name])), raw

    answers = info[left] & info[right]
    report(0.0, "question wording")
    q_lex, q_char = lex(fields.q_word, fields.q_char, "q")
    report(0.15, "answer wording")
    a_lex = np.where(answers, lex(fields.a_word, fields.a_char, "a")[0], 0.0)
    report(0.3, "meaning")
    q_sem, q_meaning = sem(fields.q_sem, "q_sem")
    a_sem, a_meaning = sem(fields.a_sem, "a_sem")
    if a_sem is not None:
        a_sem = np.where(answers, a_sem, 0.0)
    report(0.35, "concepts")

    ids = [it.id for it in items]
    pairs = list(zip(left.tolist(), right.tolist(), strict=True))  # plain ints: numpy scalars index slowly
    sets = [set(item_concepts.get(i, ())) for i in ids]
    weights = stats.rarity
    # weighted_jaccard, with each item's total weight summed once rather than once per pair
    totals = [total_weight(s, weights) for s in sets]
    concept = np.zeros(len(pairs))
    shared: list[tuple[str, ...]] = []
    for p, (i, j) in enumerate(pairs):
        common = sets[i] & sets[j]
        concept[p] = jaccard_from_totals(total_weight(common, weights), totals[i], totals[j])
        shared.append(tuple(sorted(common, key=lambda c: (-weights.get(c, 1.0), c))))
        if (p + 1) % STEP == 0:
            report(0.35 + 0.2 * (p + 1) / len(pairs), f"concepts, {p + 1:,} pairs")
    report(0.55, "question words")
    # per item, for the items of these pairs only: an edit run scores the pairs of a few items
    needed = sorted({i for pair in pairs for i in pair})
    q_words = dict(zip(needed, (content_words(items[i].question_text) for i in needed), strict=True))
    template = np.array([substitution(q_words[i], q_words[j]) for i, j in pairs], dtype=bool).reshape(-1)
    swap = np.array([swapped(q_words[i], q_words[j]) for i, j in pairs], dtype=bool).reshape(-1)
    # opposed is a kind of swap: asked only of the pairs that are one, not of every pair again
    against = np.array(
        [s and opposed(q_words[i], q_words[j]) for s, (i, j) in zip(swap.tolist(), pairs, strict=True)], dtype=bool
    ).reshape(-1)
    adds = np.zeros(len(pairs), dtype=bool)
    differ = np.zeros(len(pairs), dtype=bool)
    if question_concepts is not None:
        qsets = [set(question_concepts.get(i, ())) for i in ids]
        report(0.7, "question concepts")
        for p, (i, j) in enumerate(pairs):
            differ[p] = questions_conflict(qsets[i], qsets[j], sets[i], sets[j], weights)
            adds[p] = question_adds(qsets[i], qsets[j], sets[i], sets[j], weights)
            if (p + 1) % STEP == 0:
                report(0.7 + 0.25 * (p + 1) / len(pairs), f"question concepts, {p + 1:,} pairs")
    report(0.95, "question openings")
    frames = {i: question_frame(items[i].question_text) for i in needed}
    same_frame = np.array([frames[i] == frames[j] for i, j in pairs], dtype=bool).reshape(-1)
    return Evidence(
        left, right, q_lex, a_lex, q_sem, a_sem, q_char, q_meaning, a_meaning, answers, concept, template | differ,
        template, swap, against, differ, adds, same_frame, shared,
    )
