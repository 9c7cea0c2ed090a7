"""Word swaps: two texts alike but for a word or two each has in place of the other's.

Two questions one word apart in meaning ("skewed to the right" / "skewed to the left", "L1" / "L2
regularization", "buffered" / "unbuffered channel") look like copies to every similarity, while two
phrasings of one question either differ in many content words ("What measures prevent exploding
gradients?" / "What strategies address the issue of exploding gradients?") or in none ("Can I change
the bandwidth?" / "How do I change the bandwidth?"). A swap is the first case: each text has one or
two content words the other lacks, and they share at least as many.

A swap is a feature of the pair model (:mod:`kg.similar.features`), never a veto: a synonym swapped into
an otherwise equal question ("prevent" / "avoid") is a swap too. A swap of a word for its opposite
(:func:`opposed`: "left" / "right", "linear" / "nonlinear", "L1" / "L2") is different: the two questions
ask about opposite things, so the pair is never typed duplicate (:mod:`kg.similar.kinds`), however
alike its texts are. The model alone cannot learn that: such pairs are few in any bank.
"""

from __future__ import annotations

import re
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


#: Prefixes that turn a word into its counterpart: "nonlinear" / "linear", "underfitting" / "overfitting",
#: "encode" / "decode", "import" / "export". Two words are counterparts when stripping one of these from
#: either leaves the other, or leaves the same stem of at least :data:`STEM` letters.
PREFIXES = (
    "un", "non", "in", "im", "il", "ir", "dis", "de", "en", "a", "anti", "counter", "over", "under", "up", "down",
    "out", "ex", "pre", "post", "min", "max", "intra", "inter", "sub", "super", "hyper", "hypo", "multi", "mono",
    "uni", "bi", "poly", "micro", "macro",
)
STEM = 3

#: Opposites no prefix tells apart, from general English (content words as :func:`~kg.similar.words.content_words`
#: gives them: lower case, a plural "s" folded).
OPPOSITES = frozenset(frozenset(pair) for pair in (
    ("left", "right"), ("high", "low"), ("higher", "lower"), ("upper", "lower"), ("positive", "negative"),
    ("true", "false"), ("best", "worst"), ("first", "last"), ("start", "end"), ("open", "close"),
    ("strong", "weak"), ("large", "small"), ("big", "small"), ("long", "short"), ("fast", "slow"),
    ("advantage", "drawback"), ("benefit", "drawback"), ("pro", "con"), ("add", "remove"), ("push", "pull"),
    ("read", "write"), ("send", "receive"), ("client", "server"), ("horizontal", "vertical"),
    ("static", "dynamic"), ("sparse", "dense"), ("shallow", "deep"), ("local", "global"), ("public", "private"),
    ("lazy", "eager"), ("increase", "decrease"), ("minimum", "maximum"), ("inner", "outer"), ("row", "column"),
    ("odd", "even"), ("old", "new"), ("parent", "child"), ("primary", "secondary"), ("ascending", "descending"),
    ("success", "failure"), ("accept", "reject"), ("allow", "deny"), ("gain", "loss"), ("union", "intersection"),
    ("synchronous", "asynchronous"), ("mutable", "immutable"), ("stateful", "stateless"), ("explicit", "implicit"),
    ("internal", "external"), ("input", "output"), ("encoder", "decoder"),
))

_DIGITS = re.compile(r"\d+")


def _stems(word: str) -> set[str]:
    return {word[len(p):] for p in PREFIXES if word.startswith(p) and len(word) - len(p) >= STEM}


def counterparts(a: str, b: str) -> bool:
    """Whether two different words name opposite or sibling things of one kind: a listed opposite pair,
    the same word but for a counterpart prefix, or the same name but for its number ("l1" / "l2").

    Examples
    --------
    >>> [counterparts(a, b) for a, b in [("right", "left"), ("nonlinear", "linear"), ("underfitting", "overfitting"),
    ...                                   ("encode", "decode"), ("l1", "l2"), ("prevent", "avoid"), ("4", "12")]]
    [True, True, True, True, True, False, False]
    """
    if a == b:
        return False
    if frozenset((a, b)) in OPPOSITES:
        return True
    if _DIGITS.search(a) and _DIGITS.search(b) and not (a.isdigit() or b.isdigit()):
        return _DIGITS.sub("#", a) == _DIGITS.sub("#", b)
    stems_a, stems_b = _stems(a), _stems(b)
    return a in stems_b or b in stems_a or bool(stems_a & stems_b)


def opposed(words_a: Set[str], words_b: Set[str]) -> bool:
    """Whether two texts' content words differ by a swap (:func:`swapped`) of a word for its counterpart
    (:func:`counterparts`): alike, yet asking about opposite things.

    Examples
    --------
    >>> opposed({"right", "skewed", "histogram"}, {"left", "skewed", "histogram"})
    True
    >>> opposed({"prevent", "overfitting"}, {"avoid", "overfitting"})
    False
    >>> opposed({"linear", "model"}, {"nonlinear", "model", "kernel", "trick"})
    False
    """
    if not swapped(words_a, words_b):
        return False
    return any(counterparts(a, b) for a in words_a - words_b for b in words_b - words_a)
