"""Text helpers that every front end shares."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    r"""``text`` on one line, cut to at most ``limit`` characters with an ellipsis.

    Examples
    --------
    >>> shorten("What  is\nReLU?", 20), shorten("What is the vanishing gradient problem?", 16)
    ('What is ReLU?', 'What is the van…')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
