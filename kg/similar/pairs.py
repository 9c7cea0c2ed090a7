"""The duplicate finder's entry points: the typed, explained pairs of a bank, and groups of duplicates.

Duplicates form groups by complete linkage (:func:`group_duplicates`), so a chain of weak links never
joins two unrelated questions.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence, Set
from typing import TypedDict, Unpack

import numpy as np

from kg.embed import Embedder
from kg.groups import complete_linkage
from kg.model import DUPLICATE, Pair, QAItem, SentenceMatch, sort_pairs
from kg.progress import Progress, no_progress, part
from kg.similar.copies import exact_copies
from kg.similar.explain import explain_pairs
from kg.similar.features import TOP_K, pair_features
from kg.similar.fit import LABELS, adapt
from kg.similar.kinds import DEFAULT_THRESHOLDS, Thresholds, type_pairs
from kg.similar.model import PairModel, default_model
from kg.similar.search import candidates
from kg.similar.stats import BankStatistics, bank_statistics
from kg.similar.vectors import vectorise

log = logging.getLogger(__name__)



class PairOptions(TypedDict, total=False):
    """The keyword options of :func:`score_pairs` and :func:`match_against` (see :func:`score_pairs`).

    Both take these options and hand them on whole to one implementation, which holds the defaults.
    """

    embedder: Embedder | None
    top_k: int
    accepted: Set[frozenset[str]]
    thresholds: Thresholds
    question_concepts: Mapping[str, Collection[str]] | None
    explain: bool
    progress: Progress
    model: PairModel | None
    verdicts: Mapping[frozenset[str], str] | None
    stats: BankStatistics | None
    fuse: bool


def score_pairs(
    items: Sequence[QAItem], item_concepts: Mapping[str, Collection[str]], **options: Unpack[PairOptions]
) -> list[Pair]:
    """Score, type and explain the pairs of a bank that could matter.

    Parameters
    ----------
    items
        The bank.
    item_concepts
        Concept ids per item id (from :func:`kg.extract.extract`); missing ids count as no concepts.
    embedder
        Sentence embeddings for the meaning evidence; ``None`` (the default) scores on wording and
        concepts only.
    top_k
        Neighbours kept per item and per representation in the candidate search (default 20).
    accepted
        Pairs of item ids a curator has marked "not a duplicate" (:mod:`kg.accepted`); left out.
    thresholds
        Cut-offs for the kinds, see :class:`~kg.similar.kinds.Thresholds` (default
        :data:`~kg.similar.kinds.DEFAULT_THRESHOLDS`).
    question_concepts
        Concept ids named in each question; when given, a duplicate also needs the two questions to
        name the same concepts (so "How do you deal with outliers?" and "... with sparse data?" differ).
    explain
        Fill ``Pair.matches`` with the best-matching answer sentences (default ``True``).
    progress
        Called with the fraction done and the stage, every batch of embeddings, block of the
        neighbour search and step of the scoring (:mod:`kg.progress`); by default nothing is reported.
    model
        The pair model that turns evidence into probabilities (:mod:`kg.similar.model`); by default
        the one shipped with kg.
    verdicts
        A curator's verdicts on pairs of this bank (``"duplicate"``, ``"overlap"``, ``"different"``
        by pair of item ids, :mod:`kg.decisions`): the model is refitted with them
        (:func:`kg.similar.fit.adapt`), so the bank's own sense of a duplicate weighs on the pairs not
        decided yet. The decided pairs themselves are typed as decided by :func:`kg.decisions.apply_verdicts`.
    stats
        The bank statistics to score with (:func:`kg.similar.stats.bank_statistics`), such as those of
        an earlier run of the bank; by default they are fitted on ``items``, and the pairs are those
        of fitting them, then scoring with them.
    fuse
        Rank the pairs by fusing the model's ranking with the plain measures' (:mod:`kg.similar.fusion`;
        with embeddings, the default); ``False`` keeps the model's probability as it is.

    Returns
    -------
    list of Pair
        Every candidate pair typed at least ``related``: duplicates, then overlaps, then related
        pairs, each by score (:func:`~kg.model.sort_pairs`).

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> bank = [mk(1, "What does dropout do?", "Dropout drops random units while training a net."),
    ...         mk(2, "What does dropout do?", "Dropout drops random units while training a net."),
    ...         mk(3, "What is a p-value?", "The chance of data this extreme under the null.")]
    >>> [(p.a, p.b, p.kind) for p in score_pairs(bank, {})]
    [('1', '2', 'duplicate')]
    """
    return _pairs(items, item_concepts, None, **options)


def match_against(
    new_items: Sequence[QAItem],
    bank_items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    **options: Unpack[PairOptions],
) -> list[Pair]:
    """Pairs of one new item and one bank item: what in a new file the bank already has.

    Scored exactly as :func:`score_pairs` over the union (so rarity and background come from both),
    with the same options, but only pairs that cross from ``new_items`` (always ``Pair.a``) to
    ``bank_items`` are searched.

    Parameters
    ----------
    new_items
        The items to look up.
    bank_items
        The bank to look them up in.
    item_concepts
        Concept ids per item id of both.
    **options
        As for :func:`score_pairs`: ``embedder``, ``top_k``, ``accepted``, ``thresholds``,
        ``question_concepts``, ``explain``, ``progress``, ``model``, ``verdicts``.

    Returns
    -------
    list of Pair
        Typed pairs of a new item and a bank item, in the order of :func:`score_pairs`.

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(i, 1, q, a, "b.md", 1, q, a)
    >>> bank = [mk("b1", "What does dropout do?", "Dropout drops random units while training."),
    ...         mk("b2", "What is a p-value?", "The chance of data this extreme under the null.")]
    >>> new = [mk("n1", "What does dropout do?", "Dropout drops random units while training.")]
    >>> [(p.a, p.b, p.kind) for p in match_against(new, bank, {})]
    [('n1', 'b1', 'duplicate')]
    """
    return _pairs([*new_items, *bank_items], item_concepts, len(new_items), **options)


def _pairs(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    new: int | None,
    *,
    embedder: Embedder | None = None,
    top_k: int = TOP_K,
    accepted: Set[frozenset[str]] = frozenset(),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    question_concepts: Mapping[str, Collection[str]] | None = None,
    explain: bool = True,
    progress: Progress = no_progress,
    model: PairModel | None = None,
    verdicts: Mapping[frozenset[str], str] | None = None,
    stats: BankStatistics | None = None,
    fuse: bool = True,
) -> list[Pair]:
    """What :func:`score_pairs` and :func:`match_against` return; with ``new``, only the pairs of one
    of the first ``new`` items and one later item are searched (and fused only against ``stats`` that
    hold the bank's fusion statistics: the pairs searched are not all the bank's)."""
    if len(items) < 2:
        log.info("fewer than two items: no pairs")
        return []
    # where each step's part of the bar ends: the embeddings are most of the work of a first run
    ends = (0.5, 0.6, 0.7) if embedder is not None else (0.25, 0.45, 0.7)
    fields = vectorise(items, embedder, part(progress, 0.0, ends[0]), None if stats is None else stats.vectorisers)
    if stats is None:
        stats = bank_statistics(items, fields, item_concepts)
    rows = columns = None
    if new is not None:
        rows, columns = range(new), range(new, len(items))
    copies = exact_copies(items, rows, columns)
    decided = _decided(items, verdicts or {})
    searched = set(candidates(fields, top_k, rows, columns, part(progress, ends[0], ends[1])))
    found = sorted(searched | copies | set(decided))  # decided pairs get features, to refit the model on
    if not found:
        return []
    left = np.array([i for i, _ in found])
    right = np.array([j for _, j in found])
    neighbours = np.array(sorted(searched), dtype=np.int64).reshape(-1, 2)
    features = pair_features(
        items, fields, left, right, item_concepts, question_concepts, part(progress, ends[1], ends[2]), neighbours,
        stats,
    )
    weights = (model or default_model()).weights(features.names)
    if decided:
        at = [p for p, pair in enumerate(found) if pair in decided]
        labels = np.array([decided[found[p]] for p in at])
        weights = adapt(weights, features.values[at], labels)
    fusion = stats.fusion if fuse else None
    score, kinds, lexical, semantic, concept, _ = type_pairs(
        features, weights, thresholds, copies, fusion, fit_fusion=fuse and new is None
    )
    shown = searched | copies  # a decided pair the search did not find only taught the model
    keep = [p for p, kind in enumerate(kinds) if kind is not None and found[p] in shown]
    keep = [p for p in keep if frozenset((items[left[p]].id, items[right[p]].id)) not in accepted]
    explained = [(int(left[p]), int(right[p])) for p in keep]
    kept_kinds, kept_scores = [kinds[p] for p in keep], [score[p] for p in keep]
    explaining = part(progress, ends[2], 1.0)
    matches = explain_pairs(fields, explained, kept_kinds, kept_scores, embedder, explaining) if explain else {}
    out = []
    for p in keep:
        kind = kinds[p]
        assert kind is not None  # kept pairs have a kind
        i, j = int(left[p]), int(right[p])
        m = matches.get((i, j), ())
        if new is not None and i >= new:  # matching new items against a bank: the new item is ``a``
            i, j = j, i
            m = tuple(SentenceMatch(x.b, x.a, x.score) for x in m)
        out.append(
            Pair(
                a=items[i].id,
                b=items[j].id,
                score=round(float(score[p]), 4),
                kind=kind,
                shared_concepts=features.evidence.shared[p],
                lexical=round(float(lexical[p]), 4),
                semantic=None if semantic is None else round(float(semantic[p]), 4),
                concept=round(float(concept[p]), 4),
                matches=m,
            )
        )
    return sort_pairs(out)


def _decided(items: Sequence[QAItem], verdicts: Mapping[frozenset[str], str]) -> dict[tuple[int, int], int]:
    """The verdicts as the model's labels, by item rows ``(i, j)``, ``i < j``; verdicts on a question
    the bank does not hold are left out."""
    row_of = {it.id: n for n, it in enumerate(items)}
    return {
        (min(r), max(r)): LABELS[verdict]
        for key, verdict in verdicts.items()
        if verdict in LABELS and len(r := [row_of[i] for i in key if i in row_of]) == 2
    }


def group_duplicates(pairs: Iterable[Pair]) -> list[list[str]]:
    """Groups of items that are all duplicates of each other (complete linkage, never a chain).

    Duplicate pairs are taken best first; two groups merge only when every member of one is typed a
    duplicate of every member of the other, so A~B and B~C do not join A and C unless A~C too.

    Returns
    -------
    list of list of str
        Groups of two or more item ids, each in first-seen order, the group with the best pair first.

    Examples
    --------
    >>> P = lambda a, b, s: Pair(a, b, s, "duplicate")
    >>> group_duplicates([P("A", "B", 0.9), P("B", "C", 0.8)])
    [['A', 'B']]
    >>> group_duplicates([P("A", "B", 0.9), P("B", "C", 0.8), P("A", "C", 0.7)])
    [['A', 'B', 'C']]
    """
    return complete_linkage((p.a, p.b, p.score) for p in pairs if p.kind == DUPLICATE)


def calibrate(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    verdicts: Mapping[frozenset[str], str],
    *,
    embedder: Embedder | None = None,
    question_concepts: Mapping[str, Collection[str]] | None = None,
    model: PairModel | None = None,
) -> tuple[PairModel, int]:
    """The model refitted with a bank's verdicts (:func:`kg.similar.fit.adapt`), and how many it used.

    Both weight sets are refitted (the wording features are the first columns of the semantic ones),
    so the bank's model serves runs with and without the embedding model. Verdicts on questions the
    bank does not hold are left out.
    """
    from kg.similar.features import WORDING

    model = model or default_model()
    decided = _decided(items, verdicts)
    if not decided:
        return model, 0
    pairs = sorted(decided)
    left, right = np.array([i for i, _ in pairs]), np.array([j for _, j in pairs])
    fields = vectorise(items, embedder)
    features = pair_features(items, fields, left, right, item_concepts, question_concepts)
    labels = np.array([decided[p] for p in pairs])
    wording = adapt(model.wording, features.values[:, : len(WORDING)], labels)
    semantic = adapt(model.semantic, features.values, labels) if embedder is not None else model.semantic
    about = f"{model.about} Refitted with {len(pairs)} curator verdicts of one bank (kg calibrate)."
    return PairModel(semantic, wording, about), len(pairs)
