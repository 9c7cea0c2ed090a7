"""Duplicate and overlapping questions: candidate search, answer-aware scoring, typing, explanations.

The data flow is ``vectorise -> find_pairs (top-k candidates) -> features per candidate pair ->
probability (the pair model) -> kind -> explanation``, one module per step:

* :mod:`kg.similar.measures`: pure, symmetric similarity functions (cosine, weighted Jaccard, rarity
  weights, rescaling against the bank's background);
* :mod:`kg.similar.ngrams`: character n-gram TF-IDF, counted once per distinct word;
* :mod:`kg.similar.boilerplate`: which answers are evidence (templates cut, placeholders left out);
* :mod:`kg.similar.vectors`: the TF-IDF and embedding vectors of a bank's questions and answers;
* :mod:`kg.similar.search`: candidate pairs, each item's exact top-k neighbours (:func:`find_pairs`);
* :mod:`kg.similar.questions`: whether two questions ask about different things, or one asks more;
* :mod:`kg.similar.bm25`, :mod:`kg.similar.chunks`: BM25 between texts, answers cut to fit the model;
* :mod:`kg.similar.evidence`: wording, meaning and concept evidence of each candidate pair;
* :mod:`kg.similar.features`: every piece of evidence of a pair as one row of features;
* :mod:`kg.similar.model`, :mod:`kg.similar.fit`: the calibrated pair model shipped with kg, and
  how it is fitted on judged pairs (``bench/fit_pairs.py``) or refitted on a bank's verdicts;
* :mod:`kg.similar.kinds`: the cut-offs (:class:`Thresholds`) and the kind of each pair:
  duplicate, overlap or related;
* :mod:`kg.similar.explain`: the best-matching answer sentences of each pair;
* :mod:`kg.similar.pairs`: the entry points :func:`score_pairs`, :func:`match_against` and
  :func:`group_duplicates`.

Each pair is explained by its shared concepts (rarest first), the best-matching sentences of the two
answers (by embeddings when available, else character n-grams) and its wording / meaning / concept
similarities.

Without the embedding model, everything runs on wording and concepts; it finds near-copies and answer
overlaps written in the same words, but a duplicate phrased in other words is typed overlap or related
at best (``bench/duplicates.py`` prints both).
"""

from __future__ import annotations

# score_pairs, match_against and group_duplicates are the stage's entry points. The other names are
# those of kg.similar as a single module, kept here for one release: import them from their submodules.
from kg.similar.boilerplate import informative_answers, strip_boilerplate
from kg.similar.evidence import Evidence
from kg.similar.explain import EXPLAINED_RELATED, split_sentences
from kg.similar.kinds import DEFAULT_THRESHOLDS, Thresholds, sort_pairs
from kg.similar.kinds import pair_kinds as _kinds  # noqa: F401
from kg.similar.measures import cosine, rarity_weights, rescale, weighted_jaccard
from kg.similar.pairs import group_duplicates, match_against, score_pairs
from kg.similar.questions import (
    SPECIFIC,
    question_adds,
    question_frame,
    questions_conflict,
    template_substitution,
)
from kg.similar.search import find_pairs
from kg.similar.vectors import vectorise as _vectorise  # noqa: F401

__all__ = [
    "DEFAULT_THRESHOLDS",
    "EXPLAINED_RELATED",
    "SPECIFIC",
    "Evidence",
    "Thresholds",
    "cosine",
    "find_pairs",
    "group_duplicates",
    "informative_answers",
    "match_against",
    "question_adds",
    "question_frame",
    "questions_conflict",
    "rarity_weights",
    "rescale",
    "score_pairs",
    "sort_pairs",
    "split_sentences",
    "strip_boilerplate",
    "template_substitution",
    "weighted_jaccard",
]
