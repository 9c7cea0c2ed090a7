"""How concepts and questions look on the canvas: colours, node and label sizes, short labels."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from kg.text import shorten
from kg.topics import OTHER

# Colour-blind-safe categorical colours (Okabe-Ito, then Tableau), one per topic in sorted order.
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#4e79a7",
    "#59a14f",
    "#b07aa1",
    "#9c755f",
    "#76b7b2",
)
CONCEPT_COLOUR = "#1f77b4"  # every concept, while the bank has no topics
NO_TOPIC_COLOUR = "#9fb3c8"  # a concept without a topic in a bank that has them
QUESTION_COLOUR = "#9aa0a6"
GENERIC_COLOUR = "#c8cdd2"  # a generic concept (kg.specificity): drawn small and grey, whatever its topic
GENERIC_SIZE = 10.0


def concept_size(n_questions: int) -> float:
    """Node size of a concept asked about in ``n_questions`` questions: area grows with the count.

    Examples
    --------
    >>> concept_size(1), concept_size(4), concept_size(1000)
    (14.0, 20.0, 42.0)
    """
    return round(min(8.0 + 6.0 * math.sqrt(max(n_questions, 0)), 42.0), 1)


def concept_font(n_questions: int) -> int:
    """Label size of a concept: hubs stay legible when the whole graph is in view.

    vis-network skips labels smaller than 5 screen pixels, so when a big graph is zoomed out the
    labels of rare concepts (and of questions, at 12) give way first and the hubs remain.

    Examples
    --------
    >>> concept_font(1), concept_font(9), concept_font(100)
    (26, 34, 44)
    """
    return int(min(22 + 4 * math.sqrt(max(n_questions, 1)), 44))


def topic_colours(topics: Mapping[str, str]) -> dict[str, str]:
    """A colour for each distinct topic: the largest topics one each of :data:`PALETTE`, the rest grey.

    The largest topics come first (ties by name), so the colours a legend lists are the ones that
    cover most of the graph, and no two of them share a colour. ``"other"`` (concepts with no
    topic) and the topics past the palette get :data:`NO_TOPIC_COLOUR`: a legend can name them
    together, where cycling the palette would give two topics one colour. The same mapping always gives
    the same colours.

    Examples
    --------
    >>> topic_colours({"relu": "activations", "l1": "regularisation", "tanh": "activations", "sql": "other"})
    {'activations': '#0072b2', 'regularisation': '#e69f00', 'other': '#9fb3c8'}
    >>> len(set(topic_colours({str(i): str(i) for i in range(20)}).values())) == len(PALETTE) + 1
    True
    """
    sizes = Counter(topics.values())
    order = sorted(sizes, key=lambda t: (t == OTHER, -sizes[t], t))
    return {t: PALETTE[i] if t != OTHER and i < len(PALETTE) else NO_TOPIC_COLOUR for i, t in enumerate(order)}


QUESTION_FONT = 18  # canvas pixels: readable at the scale a neighbourhood is drawn at
LABEL_LINE = 22  # characters per line of a question's label: two lines hold about 40 characters


def question_label(number: int | None, text: str, lines: int = 2) -> str:
    """The on-canvas label of a question node: the start of its title (``Q<number>. <question>``,
    as :func:`kg.views.question_title` writes it), at most ``lines`` lines of :data:`LABEL_LINE`
    characters cut at a word, so that a square says what it asks without covering its neighbours.

    Examples
    --------
    >>> question_label(3, "What is ReLU?")
    'Q3. What is ReLU?'
    >>> print(question_label(18, "What is the difference between bagging and boosting?"))
    Q18. What is the
    difference between…
    >>> question_label(None, "Why normalise inputs at all?", lines=1)
    'Why normalise inputs…'
    """
    title = f"Q{number}. {text}" if number is not None and number >= 0 else text
    wrapped = _lines(title, LABEL_LINE)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = shorten(wrapped[-1], LABEL_LINE - 1).rstrip("…") + "…"
    return "\n".join(wrapped)


def _lines(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` characters (a longer word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
