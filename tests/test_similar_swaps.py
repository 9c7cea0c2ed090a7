"""Tests of kg.similar.swaps: questions a word or two apart, the pair model's ``swap`` feature, and swaps of a
word for its opposite, never typed duplicate."""

from __future__ import annotations

import numpy as np
import pytest

from kg.model import QAItem
from kg.similar.features import pair_features
from kg.similar.kinds import DEFAULT_THRESHOLDS, type_pairs
from kg.similar.swaps import opposed, swapped
from kg.similar.vectors import vectorise
from kg.similar.words import content_words


def item(id_: str, question: str, answer: str) -> QAItem:
    return QAItem(id_, None, question, answer, "bank.md", 1, question, answer)


@pytest.mark.parametrize(
    ("a", "b", "swap", "opposite"),
    [
        ("Can you draw a right skewed histogram?", "Can you draw a left skewed histogram?", True, True),
        ("Can we use L1 regularization for feature selection?", "Can we use L2 regularization for feature selection?",
         True, True),
        ("What is an unbuffered channel in Go?", "What is a buffered channel in Go?", True, True),
        ("When does a model start underfitting the data?", "When does a model start overfitting the data?", True, True),
        ("How do you enable caching on a route?", "How do you disable caching on a route?", True, True),
        ("Why is a static route preferred here?", "Why is a dynamic route preferred here?", True, True),
        # a synonym swapped in: a swap, yet the same question
        ("How can we prevent overfitting in a network?", "How can we avoid overfitting in a network?", True, False),
        # two words a side, as many shared; two things of one kind, neither the other's opposite
        ("When should you use stacking with linear models?", "When should you use blending with tree models?", True,
         False),
        # numbers alone are no names: "4" / "12" is no "L1" / "L2"
        ("What does the loop print after 4 steps?", "What does the loop print after 12 steps?", True, False),
        # only stop words differ: a rewording, not a swap
        ("Can I change the bandwidth of a circuit?", "How do I change the bandwidth of a circuit?", False, False),
        # one adds a word to the other, an opposite too
        ("What is the curse of dimensionality?", "What is the curse of dimensionality? Why do we care?", False, False),
        ("Is the model linear?", "Is the model linear or nonlinear, and why does that matter?", False, False),
        # a paraphrase changes most words
        ("What measures can be employed to prevent the exploding gradient problem?",
         "What strategies can be employed to address the issue of exploding gradients?", False, False),
        # three words a side is more than a swap
        ("How do random forests reduce variance quickly?", "Why do boosted trees lower bias slowly?", False, False),
        # one word each, nothing else shared: two different questions, not one template
        ("What is dropout?", "What is batchnorm?", False, False),
        ("", "", False, False),
    ],
)
def test_swaps_find_questions_a_word_or_two_apart_and_words_swapped_for_their_opposites(
    a: str, b: str, swap: bool, opposite: bool
) -> None:
    wa, wb = content_words(a), content_words(b)
    assert swapped(wa, wb) is swap and swapped(wb, wa) is swap  # symmetric
    assert opposed(wa, wb) is opposite and opposed(wb, wa) is opposite


def test_swaps_feature_marks_the_swapped_pair_only() -> None:
    bank = [
        item("r", "What does a right skewed histogram show?", "The bulk of the data sits at the lower end."),
        item("l", "What does a left skewed histogram show?", "The bulk of the data sits at the higher end."),
        item("c", "What does a right skewed histogram show?", "The bulk of the data sits at the lower end."),
        item("p", "How should one read a histogram with a long tail on the right?", "Most values are low."),
    ]
    left, right = np.array([0, 0, 0]), np.array([1, 2, 3])
    features = pair_features(bank, vectorise(bank, None), left, right, {}, None)
    assert features.column("swap").tolist() == [1.0, 0.0, 0.0]


class _Sure:
    """A pair model sure that every pair is a duplicate, so that only the kind rules decide."""

    def probabilities(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.full(len(values), 0.9), np.full(len(values), 0.9)


def test_swaps_questions_alike_but_for_opposite_words_are_never_typed_duplicate() -> None:
    """A pair the model calls a duplicate is an overlap when its questions swap a word for its opposite;
    one whose questions differ in stop words alone (the control), and a copy, stay duplicates."""
    answer = "Most values sit at one end and a long tail stretches towards the other."
    bank = [
        item("right", "How do you deal with outliers in a right skewed dataset?", answer),
        item("left", "How do you deal with outliers in a left skewed dataset?", answer),
        item("your", "How do you deal with outliers in your right skewed dataset?", answer),
    ]
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])
    features = pair_features(bank, vectorise(bank, None), left, right, {}, None)
    kinds = type_pairs(features, _Sure(), DEFAULT_THRESHOLDS, set())[1]  # type: ignore[arg-type]
    assert kinds == ["overlap", "duplicate", "overlap"]
    # an exact copy of the question is a duplicate by rule, whatever the rest says
    kinds = type_pairs(features, _Sure(), DEFAULT_THRESHOLDS, {(0, 1)})[1]  # type: ignore[arg-type]
    assert kinds[0] == "duplicate"
