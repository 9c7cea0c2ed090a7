"""Which texts are evidence: the runs of words a bank repeats are cut, placeholders and echoes left out.

A bank that writes "Key takeaway: a standard interview answer ..." under hundreds of answers, or
"Answer here" under many questions, or asks "What's the output?" over a hundred different snippets,
would otherwise make unrelated items look alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass

import numpy as np

from kg.model import QAItem
from kg.similar.words import WORD, content_words


def _normalised(text: str) -> str:
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


@dataclass(frozen=True)
class Prompts:
    """What a bank's questions repeat around what they ask (:func:`common_prompts`)."""

    lines: frozenset[str] = frozenset()  # question lines (normalised) repeated over items that differ
    options: bool = False  # the bank letters a quiz's options ("A: …", "B: …") under many questions


def common_prompts(items: Sequence[QAItem], least: int = 5, share: float = 0.02) -> Prompts:
    r"""What a bank repeats in its questions over items of different content: its prompts.

    A line is a prompt when at least ``max(least, share * len(items))`` items hold it whose question or
    answer markdown differ: "What's the output?" over a quiz's snippets, or an option line such as
    "D: undefined". A question copied word for word with its answer counts once, so a copy is never a
    prompt. A bank that letters options under that many questions is a quiz: its options are choices
    offered, not what is asked, and two questions offering "true" and "false" ask nothing alike.

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> quiz = [mk(n, f"What's the output?\nA: {n}\nB: {n + 1}\nC: {n + 2}", f"It logs {n}.") for n in range(5)]
    >>> common_prompts(quiz)
    Prompts(lines=frozenset({'what s the output'}), options=True)
    >>> common_prompts([mk(n, "What is ReLU?", "max(0, x)") for n in range(5)])
    Prompts(lines=frozenset(), options=False)
    """
    holders: dict[str, set[tuple[str, str]]] = {}
    lettered: set[tuple[str, str]] = set()
    for it in items:
        lines = it.question_text.split("\n")
        for line in lines:
            if key := _normalised(line):
                holders.setdefault(key, set()).add((it.question, it.answer))
        if _option_lines(lines):
            lettered.add((it.question, it.answer))
    limit = max(least, share * len(items))
    return Prompts(frozenset(line for line, held in holders.items() if len(held) >= limit), len(lettered) >= limit)


def cut_prompts(questions: Sequence[str], prompts: Prompts) -> list[str]:
    r"""``questions`` without the lines that are the bank's ``prompts`` (:func:`common_prompts`).

    A question that is nothing but a prompt comes back empty: it is no evidence of what it asks.

    Examples
    --------
    >>> quiz = Prompts(frozenset({"what s the output"}), options=True)
    >>> cut_prompts(["What's the output?\nA: 1\nB: 2\nC: 3", "What's the output?", "Why?\na) x\nb) y\nc) z"], quiz)
    ['', '', 'Why?']
    >>> cut_prompts(["Why?\na) x\nb) y\nc) z"], Prompts())
    ['Why?\na) x\nb) y\nc) z']
    """
    if not prompts.lines and not prompts.options:
        return list(questions)
    out = []
    for q in questions:
        lines = q.split("\n")
        options = _option_lines(lines) if prompts.options else set()
        out.append("\n".join(line for k, line in enumerate(lines)
                             if k not in options and _normalised(line) not in prompts.lines))
    return out


# An option of a quiz: "A: …", "b. …", "(c) …"
_OPTION = re.compile(r"\s*\(?([A-Ha-h])\s*[:.)]\s+\S")


def _option_lines(lines: Sequence[str]) -> set[int]:
    """The lines that letter a quiz's options: three or more from "A" in a row, none of them asking (a
    lettered line that asks is a part of the question)."""
    letters = [(k, m.group(1).casefold()) for k, line in enumerate(lines)
               if (m := _OPTION.match(line)) and not line.rstrip().endswith("?")]
    if len(letters) < 3 or letters[0][1] != "a":
        return set()
    run = [letters[0][0]]
    for (_, before), (k, letter) in zip(letters, letters[1:]):
        if ord(letter) != ord(before) + 1:
            break
        run.append(k)
    return set(run) if len(run) >= 3 else set()


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
        questions_per_answer.setdefault(_normalised(a), set()).add(_normalised(it.question_text))
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
    norm = [_normalised(a) for a in cleaned]
    # an answer that only repeats words of its own question adds nothing to it
    echo = [
        content_words(a) <= content_words(it.question_text) for it, a in zip(items, cleaned, strict=True)
    ]
    return np.array(
        [len(a.split()) >= min_words and a not in placeholders and not e for a, e in zip(norm, echo, strict=True)],
        dtype=bool,
    )
