"""Question-text checks: do two questions ask about different things, or does one ask more?

Two questions *ask about different things* when each names a specific concept the other item never
mentions (:func:`questions_conflict`), or when they are one template filled with different words
(:func:`template_substitution`: "right" vs "left skewed", "L1" vs "L2 for feature selection"). One
question *adds* to the other when it asks all the other asks and about a further concept
(:func:`question_adds`). :func:`question_frame` is the word a question opens with (what / why / how).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from kg.similar.words import content_words

#: Rarity weight (:func:`~kg.similar.measures.rarity_weights`) from which a concept is specific enough to
#: tell two questions apart: named by at most about the square root of the bank's item count.
SPECIFIC = 0.5


def questions_conflict(
    question_a: Collection[str],
    question_b: Collection[str],
    item_a: Collection[str],
    item_b: Collection[str],
    weights: Mapping[str, float],
    specific: float = SPECIFIC,
) -> bool:
    """Whether two questions ask about different things: each names a concept the other item lacks.

    A concept of question A counts against a duplicate when item B does not mention it anywhere
    (question or answer) and it is specific: its rarity weight
    (:func:`~kg.similar.measures.rarity_weights`) is at least ``specific``, i.e. with the default it is
    named by at most the square root of the bank's item count. Generic concepts such as "neural
    network" thus never separate two phrasings of one question, while "L1 regularization" against "L2
    regularization" does. Symmetric; ``False`` on empty input.

    Examples
    --------
    >>> w = {"l1": 0.7, "l2": 0.7, "feature selection": 0.8, "neural network": 0.1}
    >>> questions_conflict({"l1", "feature selection"}, {"l2", "feature selection"},
    ...                    {"l1", "feature selection"}, {"l2", "feature selection"}, w)
    True
    >>> questions_conflict({"l1", "neural network"}, {"l1"}, {"l1", "neural network"}, {"l1"}, w)
    False
    """

    return _names_unseen(question_a, item_b, weights, specific) and _names_unseen(
        question_b, item_a, weights, specific
    )


def question_adds(
    question_a: Collection[str],
    question_b: Collection[str],
    item_a: Collection[str],
    item_b: Collection[str],
    weights: Mapping[str, float],
    specific: float = SPECIFIC,
) -> bool:
    """Whether one question asks all the other asks and more: "What is X?" beside "How does X differ from Y?".

    True when one question names every concept of the other plus a specific one (rarity weight at
    least ``specific``, as in :func:`questions_conflict`) that the other item never mentions. The two
    share a subject, so they may well overlap, but the wider question is not the same question: it
    adds a comparison ("RMSE over MSE" beside "MAE over RMSE or MSE") or a setting. Symmetric;
    ``False`` when either question names no concept.

    Examples
    --------
    >>> w = {"hadamard product": 0.8, "dot product": 0.65, "neural network": 0.1}
    >>> question_adds({"hadamard product"}, {"hadamard product", "dot product"},
    ...               {"hadamard product"}, {"hadamard product", "dot product"}, w)
    True
    >>> question_adds({"hadamard product"}, {"hadamard product", "neural network"},
    ...               {"hadamard product"}, {"hadamard product", "neural network"}, w)
    False
    """

    def adds(narrow: Collection[str], wide: Collection[str], narrow_item: Collection[str]) -> bool:
        narrow, wide = set(narrow), set(wide)
        return bool(narrow) and narrow <= wide and _names_unseen(wide - narrow, narrow_item, weights, specific)

    return adds(question_a, question_b, item_a) or adds(question_b, question_a, item_b)


def _names_unseen(
    concepts: Collection[str], item: Collection[str], weights: Mapping[str, float], specific: float
) -> bool:
    """Whether ``concepts`` hold a specific one (weight at least ``specific``) that ``item`` never mentions."""
    seen = set(item)
    return any(c not in seen and weights.get(c, 1.0) >= specific for c in concepts)


_FRAMES = {"which": "what", "whats": "what", "what’s": "what"}


def question_frame(question: str) -> str:
    """The word a question opens with, which says what it asks for (what / why / how / when ...).

    Examples
    --------
    >>> question_frame("Why do we need label smoothing?"), question_frame("Which loss is used?")
    ('why', 'what')
    >>> question_frame("")
    ''
    """
    words = re.findall(r"[a-z’']+", question.casefold())
    first = words[0].replace("'", "").replace("’", "") if words else ""
    return _FRAMES.get(first, first)


def template_substitution(question_a: str, question_b: str) -> bool:
    """Whether two questions are one template filled with different words ("right" vs "left" skew).

    True when each question has content words the other lacks and those words are no more than the
    words the two share. A question that only adds words to the other ("What is X?" / "What is X?
    Why do we care?") is no substitution, nor is a rewording that changes most words. Symmetric.
    A synonym swapped into an otherwise equal question ("prevent" / "avoid") counts too: such a pair
    is typed overlap rather than duplicate, the safer mistake.

    Examples
    --------
    >>> template_substitution("What does a right skewed histogram show?",
    ...                       "What does a left skewed histogram show?")
    True
    >>> template_substitution("What is the curse of dimensionality?",
    ...                       "What is the curse of dimensionality? Why do we care?")
    False
    >>> template_substitution("", "")
    False
    """
    return substitution(content_words(question_a), content_words(question_b))


def substitution(wa: set[str], wb: set[str]) -> bool:
    """:func:`template_substitution` on the content words of two questions (each cut once per item)."""
    only_a, only_b = wa - wb, wb - wa
    return bool(only_a) and bool(only_b) and len(wa & wb) >= len(only_a | only_b)
