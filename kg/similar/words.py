"""Words as the duplicate finder reads them: runs of word characters, and the content words of a text."""

from __future__ import annotations

import re
from functools import cache

#: A word: a run of letters, digits and underscores.
WORD = re.compile(r"\w+")


@cache
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, imported when first asked for: importing scikit-learn takes a
    second or more, which what needs only :data:`WORD` (the app's pair cards) should not pay."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


def content_words(text: str) -> set[str]:
    """Lower-case words that are not stop words, with a plural ``s`` folded.

    Examples
    --------
    >>> sorted(content_words("What are the outliers in a dataset? Is it a loss?"))
    ['dataset', 'loss', 'outlier']
    """
    stop = stop_words()
    words = (w for w in WORD.findall(text.casefold()) if w not in stop)
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words}
