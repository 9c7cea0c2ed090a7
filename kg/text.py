"""Text helpers that every front end shares."""

from __future__ import annotations

import re
from collections.abc import Callable


def shorten(text: str, limit: int) -> str:
    r"""``text`` on one line, cut to at most ``limit`` characters with an ellipsis.

    Examples
    --------
    >>> shorten("What  is\nReLU?", 20), shorten("What is the vanishing gradient problem?", 16)
    ('What is ReLU?', 'What is the van…')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quantity(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1 (``plural`` when adding "s" is wrong).

    Examples
    --------
    >>> quantity(1, "duplicate pair"), quantity(1309, "question"), quantity(0, "match", "matches")
    ('1 duplicate pair', '1,309 questions', '0 matches')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def slug(text: str) -> str:
    """URL-safe id of a label.

    Examples
    --------
    >>> slug("Long Short-Term Memory (LSTM)")
    'long-short-term-memory-lstm'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "concept"


def around_matches(
    pattern: re.Pattern[str], text: str, outside: Callable[[str], str], inside: Callable[[re.Match[str]], str]
) -> str:
    """``text`` with ``outside`` applied to each stretch between the matches of ``pattern`` and ``inside``
    to each match: prose and code, or prose and formulas, each treated its own way.

    Examples
    --------
    >>> around_matches(re.compile(r"`[^`]*`"), "a `b` c", str.upper, lambda m: m.group(0))
    'A `b` C'
    """
    parts, pos = [], 0
    for m in pattern.finditer(text):
        parts += [outside(text[pos : m.start()]), inside(m)]
        pos = m.end()
    parts.append(outside(text[pos:]))
    return "".join(parts)
