"""Tests of kg.similar.swaps: questions a word or two apart, and the pair model's ``swap`` feature."""

from __future__ import annotations

import numpy as np
import pytest

from kg.model import QAItem
from kg.similar.features import pair_features
from kg.similar.swaps import swapped
from kg.similar.vectors import vectorise
from kg.similar.words import content_words


def item(id_: str, question: str, answer: str) -> QAItem:
    return QAItem(id_, None, question, answer, "bank.md", 1, question, answer)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Can you draw a right skewed histogram?", "Can you draw a left skewed histogram?", True),
        ("Can we use L1 regularization for feature selection?", "Can we use L2 regularization for feature selection?",
         True),
        ("What is an unbuffered channel in Go?", "What is a buffered channel in Go?", True),
        # two words a side, as many shared
        ("When should you use stacking with linear models?", "When should you use blending with tree models?", True),
        # only stop words differ: a rewording, not a swap
        ("Can I change the bandwidth of a circuit?", "How do I change the bandwidth of a circuit?", False),
        # one adds a word to the other
        ("What is the curse of dimensionality?", "What is the curse of dimensionality? Why do we care?", False),
        # a paraphrase changes most words
        ("What measures can be employed to prevent the exploding gradient problem?",
         "What strategies can be employed to address the issue of exploding gradients?", False),
        # three words a side is more than a swap
        ("How do random forests reduce variance quickly?", "Why do boosted trees lower bias slowly?", False),
        # one word each, nothing else shared: two different questions, not one template
        ("What is dropout?", "What is batchnorm?", False),
        ("", "", False),
    ],
)
def test_swaps_swapped_finds_questions_a_word_or_two_apart(a: str, b: str, expected: bool) -> None:
    wa, wb = content_words(a), content_words(b)
    assert swapped(wa, wb) is expected
    assert swapped(wb, wa) is expected  # symmetric


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
