"""Duplicate and overlapping questions: candidate search, answer-aware scoring, typing, explanations.

The data flow is ``vectorise -> find_pairs (top-k candidates) -> features per candidate pair ->
probability (the pair model) -> rank fusion -> kind -> explanation``, one module per step:

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
* :mod:`kg.similar.fusion`: the model's ranking of the candidate pairs fused with the plain measures'
  (question-and-answer embeddings and word TF-IDF), the model's probabilities dealt out in that order;
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

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.model import sort_pairs
    from kg.similar.boilerplate import informative_answers, strip_boilerplate
    from kg.similar.evidence import Evidence
    from kg.similar.explain import EXPLAINED_RELATED, split_sentences
    from kg.similar.kinds import DEFAULT_THRESHOLDS, Thresholds
    from kg.similar.measures import cosine, rarity_weights, rescale, weighted_jaccard
    from kg.similar.pairs import group_duplicates, match_against, score_pairs
    from kg.similar.questions import SPECIFIC, question_adds, question_frame, questions_conflict, template_substitution
    from kg.similar.search import find_pairs

# score_pairs, match_against and group_duplicates are the stage's entry points. The other names are
# those of kg.similar as a single module, kept here for one release: import them from their submodules.
# Each is imported on first use: the stage imports scikit-learn, which a submodule such as
# kg.similar.model (the pair model's file) or kg.similar.copies does not need.
_LAZY = {
    "informative_answers": ("kg.similar.boilerplate", "informative_answers"),
    "strip_boilerplate": ("kg.similar.boilerplate", "strip_boilerplate"),
    "Evidence": ("kg.similar.evidence", "Evidence"),
    "EXPLAINED_RELATED": ("kg.similar.explain", "EXPLAINED_RELATED"),
    "split_sentences": ("kg.similar.explain", "split_sentences"),
    "DEFAULT_THRESHOLDS": ("kg.similar.kinds", "DEFAULT_THRESHOLDS"),
    "Thresholds": ("kg.similar.kinds", "Thresholds"),
    "sort_pairs": ("kg.model", "sort_pairs"),
    "_kinds": ("kg.similar.kinds", "pair_kinds"),
    "cosine": ("kg.similar.measures", "cosine"),
    "rarity_weights": ("kg.similar.measures", "rarity_weights"),
    "rescale": ("kg.similar.measures", "rescale"),
    "weighted_jaccard": ("kg.similar.measures", "weighted_jaccard"),
    "group_duplicates": ("kg.similar.pairs", "group_duplicates"),
    "match_against": ("kg.similar.pairs", "match_against"),
    "score_pairs": ("kg.similar.pairs", "score_pairs"),
    "SPECIFIC": ("kg.similar.questions", "SPECIFIC"),
    "question_adds": ("kg.similar.questions", "question_adds"),
    "question_frame": ("kg.similar.questions", "question_frame"),
    "questions_conflict": ("kg.similar.questions", "questions_conflict"),
    "template_substitution": ("kg.similar.questions", "template_substitution"),
    "find_pairs": ("kg.similar.search", "find_pairs"),
    "_vectorise": ("kg.similar.vectors", "vectorise"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:  # a submodule not imported yet: ``from kg.similar import bm25`` imports it
        raise AttributeError(f"module 'kg.similar' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


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
