"""Exact copies: questions asked twice word for word, found by hashing rather than by search.

Top-k search finds near neighbours, but fifty copies of one question have more neighbours than k,
and a stock answer shared by many copies looks like boilerplate to the evidence. A copy is found
by its normalised question text instead, whatever the size of its group, and is a duplicate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

from kg.model import QAItem
from kg.similar.words import WORD

# A short question ("Why?", "What is it?") can repeat under different sections and mean different
# things; it counts as a copy only when its answer is the same too.
MIN_WORDS = 4

# Words by which a question points at what is shown beside it rather than in it ("What is this print?",
# "What is the output of the following code?"): a quiz asks it over and over of different code, so it too
# is a copy only when what follows it is the same.
_POINTING = frozenset({"this", "these", "following", "below", "above"})
# ... but "this week" points at a time, not at a thing shown
_TIMES = frozenset({"time", "day", "week", "month", "year", "quarter", "semester", "term", "morning", "evening"})


def _points_beside(words: Sequence[str]) -> bool:
    """Whether a question's words point at something shown beside it ("What does this print?")."""
    return any(w in _POINTING and not (k + 1 < len(words) and words[k + 1] in _TIMES) for k, w in enumerate(words))

# "(Part 2)": a bank's mark on a question it asks again
_PART = re.compile(r"\(\s*part\s+\d+\s*\)", re.IGNORECASE)

# A question's number or label as written into its text ("19. What is ...", "Q3: ..."): no word of the question,
# and one file numbers what another does not
_NUMBERED = re.compile(r"\A\s*(?:q(?:uestion)?\s*)?#?\d{1,4}\s*[.):-]\s+", re.IGNORECASE)

# Articles come and go between copies ("What is the curse of dimensionality?" / "What is curse of …").
_ARTICLES = frozenset({"a", "an", "the"})


def normalised(text: str) -> str:
    """Lower-case words but articles, separated by single spaces: what two copies of a text share.

    Examples
    --------
    >>> normalised("  What is the **p-value**?\\n") == normalised("what is a p value")
    True
    """
    return " ".join(w for w in WORD.findall(text.casefold()) if w not in _ARTICLES)


def copy_key(item: QAItem) -> str | None:
    """The key two copies of ``item`` share, or ``None`` for an item without question text.

    The question is read as written, formulas and code included, so that "Find the Taylor series of:"
    over two different formulas is not one question; a "(Part 2)" marker and a number written into the
    question ("19. What is ...") are left out, so that a question copied under them is. A short question,
    or one that points at what is shown beside it ("What does this print?"), is keyed with its answer.

    Examples
    --------
    >>> mk = lambda q: QAItem("x", 1, q, "", "b.md", 1, q.split("$$")[0], "")
    >>> copy_key(mk("Find the series of: (Part 2) $$log(x)$$")) == copy_key(mk("Find the series of: $$log(x)$$"))
    True
    >>> copy_key(mk("Find the series of: $$log(x)$$")) == copy_key(mk("Find the series of: $$sin(x)$$"))
    False
    >>> copy_key(mk("19. What is Docker Compose?")) == copy_key(mk("What is Docker Compose?"))
    True
    >>> quiz = lambda code: QAItem("x", 1, "What does this print?", code, "b.md", 1, "What does this print?", code)
    >>> copy_key(quiz("log(1)")) == copy_key(quiz("log(2)")), copy_key(quiz("log(1)")) == copy_key(quiz("log(1)"))
    (False, True)
    """
    question = normalised(_NUMBERED.sub("", _PART.sub(" ", item.question or item.question_text), count=1))
    if not question:
        return None
    words = question.split()
    if len(words) >= MIN_WORDS and not _points_beside(words):
        return question
    return f"{question}\n{normalised(item.answer_text or item.answer)}"


def same_question(a: QAItem, b: QAItem) -> bool:
    """Whether ``b`` asks ``a``'s question word for word (what makes a pair an exact copy).

    Examples
    --------
    >>> mk = lambda q: QAItem("x", 1, q, "An answer.", "b.md", 1, q, "An answer.")
    >>> same_question(mk("What is the p-value?"), mk("what is a p value")), same_question(mk("Why?"), mk("How?"))
    (True, False)
    """
    key = copy_key(a)
    return key is not None and key == copy_key(b)


def exact_copies(
    items: Sequence[QAItem], rows: Sequence[int] | None = None, columns: Sequence[int] | None = None
) -> set[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, of items with the same :func:`copy_key`.

    With ``rows`` and ``columns``, only pairs of one item of each (as in :func:`~kg.similar.search.find_pairs`).

    Examples
    --------
    >>> mk = lambda i, q, a="An answer." : QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> items = [mk(0, "What is a p-value?"), mk(1, "What is a P-value"), mk(2, "Why?"), mk(3, "Why?", "Other.")]
    >>> sorted(exact_copies(items))
    [(0, 1)]
    """
    return copies_of_keys([copy_key(item) for item in items], rows, columns)


def copies_of_keys(
    keys: Sequence[str | None], rows: Sequence[int] | None = None, columns: Sequence[int] | None = None
) -> set[tuple[int, int]]:
    """:func:`exact_copies` of items whose :func:`copy_key` are ``keys``, one an item.

    Examples
    --------
    >>> sorted(copies_of_keys(["a b", None, "a b", None, "c"]))
    [(0, 2)]
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if key is not None:
            groups[key].append(i)
    left = set(rows) if rows is not None else None
    right = set(columns) if columns is not None else None
    out: set[tuple[int, int]] = set()
    for members in groups.values():
        for i, j in combinations(members, 2):
            if left is None or right is None or (i in left and j in right) or (j in left and i in right):
                out.add((i, j))
    return out
