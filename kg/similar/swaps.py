"""Word swaps: two texts alike but for a word or two each has in place of the other's.

Two questions one word apart in meaning ("skewed to the right" / "skewed to the left", "L1" / "L2
regularization", "buffered" / "unbuffered channel") look like copies to every similarity, while two
phrasings of one question either differ in many content words ("What measures prevent exploding
gradients?" / "What strategies address the issue of exploding gradients?") or in none ("Can I change
the bandwidth?" / "How do I change the bandwidth?"). A swap is the first case: each text has one or
two content words the other lacks, and they share at least as many.

A swap is a feature of the pair model (:mod:`kg.similar.features`), never a veto: a synonym swapped into
an otherwise equal question ("prevent" / "avoid") is a swap too.
"""

from __future__ import annotations

from collections.abc import Set

#: At most this many content words on each side of a swap.
MOST = 2


def swapped(words_a: Set[str], words_b: Set[str], most: int = MOST) -> bool:
    """Whether two texts' content words differ by a small swap.

    True when each side has between 1 and ``most`` words the other lacks and the two share at least
    as many words as the larger side of the swap. A text that only adds words to the
    other is no swap, nor is a rewording that changes most words. Symmetric; ``False`` on empty input.

    Examples
    --------
    >>> swapped({"right", "skewed", "histogram"}, {"left", "skewed", "histogram"})
    True
    >>> swapped({"curse", "dimensionality"}, {"curse", "dimensionality", "care"})
    False
    >>> swapped({"measure", "prevent", "exploding", "gradient"}, {"strategy", "address", "issue", "gradient"})
    False
    >>> swapped(set(), set())
    False
    """
    only_a, only_b = len(words_a - words_b), len(words_b - words_a)
    wider = max(only_a, only_b)
    return 0 < min(only_a, only_b) and wider <= most and len(words_a & words_b) >= wider

