"""Which answers are evidence: the runs of words a bank repeats are cut, placeholders and echoes left out.

A bank that writes "Key takeaway: a standard interview answer ..." under hundreds of answers, or
"Answer here" under many questions, would otherwise make unrelated items look alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence, Set

import numpy as np

from kg.model import QAItem
from kg.similar.words import WORD, content_words


def _normalise_answer(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


def strip_boilerplate(answers: Sequence[str], span: int = 6, share: float = 0.02) -> list[str]:
    """Cut the word runs that a bank repeats across many answers (templates, not content).

    A word ``span``-gram is boilerplate when more than ``max(10, share * len(answers))`` answers
    contain it (:func:`common_runs`); every word covered by one is cut, with the text between such
    words (:func:`cut_runs`). "Key Takeaway: Standard interview answer evaluating key properties ..."
    under hundreds of answers then says nothing, while a passage shared by a handful of near-copies is
    kept as evidence. Answers without boilerplate come back unchanged.

    Examples
    --------
    >>> tail = "Key takeaway: a standard answer about edge cases and assumptions."
    >>> answers = [f"The square of {i} is {i * i}. {tail}" for i in range(12)] + ["Only content."]
    >>> cleaned = strip_boilerplate(answers)
    >>> cleaned[3], cleaned[-1]
    ('The square of 3 is 9', 'Only content.')
    """
    return cut_runs(answers, common_runs(answers, span, share), span)


def _words(answer: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().casefold()) for m in WORD.finditer(answer)]


def _grams(words: list[tuple[int, int, str]], span: int):
    return (tuple(w[2] for w in words[k : k + span]) for k in range(len(words) - span + 1))


def common_runs(answers: Sequence[str], span: int = 6, share: float = 0.02) -> frozenset[tuple[str, ...]]:
    """The word ``span``-grams (case-folded) that more than ``max(10, share * len(answers))`` answers hold.

    Examples
    --------
    >>> sorted(common_runs(["a b c"] * 11, span=2))
    [('a', 'b'), ('b', 'c')]
    """
    limit = max(10, share * len(answers))
    df = Counter(g for a in answers for g in set(_grams(_words(a), span)))
    return frozenset(g for g, count in df.items() if count > limit)


def cut_runs(answers: Sequence[str], common: Set[tuple[str, ...]], span: int = 6) -> list[str]:
    """``answers`` with every word covered by one of the ``common`` runs cut (:func:`strip_boilerplate`);
    each answer is cut on its own."""
    if not common:
        return list(answers)
    out = []
    for text in answers:
        words = _words(text)
        covered = np.zeros(len(words), dtype=bool)
        for k, g in enumerate(_grams(words, span)):
            if g in common:
                covered[k : k + span] = True
        if not covered.any():
            out.append(text)
            continue
        pieces, cursor = [], 0
        for k, (start, end, _) in enumerate(words):
            if covered[k]:
                # cut from the end of the last kept word (or this word's start) to this word's end
                cut_from = start if k == 0 or not covered[k - 1] else cursor
                pieces.append(text[cursor:cut_from])
                cursor = end
        pieces.append(text[cursor:])
        out.append(re.sub(r"\s+", " ", "".join(pieces)).strip(" .:;,\n"))
    return out


def placeholder_answers(items: Sequence[QAItem], answers: Sequence[str] | None = None) -> frozenset[str]:
    """The answers (normalised) that three or more items with different questions give word for word.

    ``answers`` replaces the items' answer texts (e.g. after :func:`strip_boilerplate`).

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> sorted(placeholder_answers([mk(n, f"What is {n}?", "Answer here") for n in range(3)]))
    ['answer here']
    """
    cleaned = answers if answers is not None else [it.answer_text for it in items]
    questions_per_answer: dict[str, set[str]] = {}
    for it, a in zip(items, cleaned, strict=True):
        questions_per_answer.setdefault(_normalise_answer(a), set()).add(_normalise_answer(it.question_text))
    return frozenset(a for a, questions in questions_per_answer.items() if len(questions) >= 3)


def informative_answers(
    items: Sequence[QAItem],
    min_words: int = 4,
    answers: Sequence[str] | None = None,
    placeholders: Set[str] | None = None,
) -> np.ndarray:
    """Which answers can serve as evidence: at least ``min_words`` words and not boilerplate.

    ``answers`` replaces the items' answer texts (e.g. after :func:`strip_boilerplate`); ``placeholders``
    the bank's placeholder answers (by default :func:`placeholder_answers` of these items).

    Boilerplate is an answer text shared word for word by three or more items whose questions differ
    (a placeholder such as "Answer here"); two items with the same answer are still compared. An
    answer that only repeats words of its own question is no evidence either.

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> bank = [mk(1, "What is A?", "Answer here"), mk(2, "What is B?", "A is a kind of thing here."),
    ...         mk(3, "What is C?", "A is a kind of thing here.")]
    >>> informative_answers(bank).tolist()
    [False, True, True]
    """
    cleaned = answers if answers is not None else [it.answer_text for it in items]
    if placeholders is None:
        placeholders = placeholder_answers(items, cleaned)
    norm = [_normalise_answer(a) for a in cleaned]
    # an answer that only repeats words of its own question adds nothing to it
    echo = [
        content_words(a) <= content_words(it.question_text) for it, a in zip(items, cleaned, strict=True)
    ]
    return np.array(
        [len(a.split()) >= min_words and a not in placeholders and not e for a, e in zip(norm, echo, strict=True)],
        dtype=bool,
    )
