"""Answers cut into chunks that fit the embedding model, so that a long answer counts whole.

all-MiniLM-L6-v2 reads 256 word pieces and drops the rest: two long answers that share a worked
example further down look unrelated. An answer of up to :data:`CHUNK_WORDS` words stays one chunk (the
text embedded is the answer itself, as before); a longer one is cut at sentence ends into chunks of
at most that many words. The answer's vector is the mean of its chunks', and a pair also gets the
similarity of its best-matching chunks (:func:`best_chunk_similarity`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

#: Words per chunk: about 160 word pieces, well inside the model's window of 256.
CHUNK_WORDS = 120

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


def answer_chunks(text: str, size: int = CHUNK_WORDS) -> list[str]:
    """``text`` whole when it has at most ``size`` words, else cut at sentence ends into chunks of at
    most ``size`` words (a longer sentence is cut between words); an empty text has no chunk.

    Examples
    --------
    >>> answer_chunks("Dropout drops units. It fights overfitting.")
    ['Dropout drops units. It fights overfitting.']
    >>> answer_chunks("One two three. Four five. Six seven eight nine.", size=4)
    ['One two three.', 'Four five.', 'Six seven eight nine.']
    >>> answer_chunks("   ")
    []
    """
    if not text.strip():
        return []
    if len(text.split()) <= size:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE_END.split(text)):
        words = sentence.split()
        while len(words) > size:  # a sentence longer than a chunk: cut it between words
            if current:
                chunks.append(" ".join(current))
                current = []
            chunks.append(" ".join(words[:size]))
            words = words[size:]
        if current and len(current) + len(words) > size:
            chunks.append(" ".join(current))
            current = []
        current.extend(words)
    if current:
        chunks.append(" ".join(current))
    return chunks


def best_chunk_similarity(
    vectors: np.ndarray, spans: np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Per pair, the cosine of the best-matching chunk of one answer and chunk of the other.

    Parameters
    ----------
    vectors
        Unit-length chunk vectors of every answer, one answer's chunks in consecutive rows.
    spans
        ``(start, end)`` rows of each item's chunks; ``start == end`` for an item without any.
    left, right
        Item rows of the pairs.

    Returns
    -------
    numpy.ndarray
        In [0, 1]; 0 when either answer has no chunk.

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    >>> spans = np.array([[0, 2], [2, 3], [3, 3]])
    >>> best_chunk_similarity(v, spans, np.array([0, 0]), np.array([1, 2])).tolist()
    [1.0, 0.0]
    """
    out = np.zeros(left.size)
    sizes = spans[:, 1] - spans[:, 0]
    single = (sizes[left] == 1) & (sizes[right] == 1)
    if single.any():  # most answers are one chunk: one dot product per pair
        a, b = spans[left[single], 0], spans[right[single], 0]
        out[single] = np.einsum("ij,ij->i", vectors[a], vectors[b])
    for p in np.flatnonzero(~single & (sizes[left] > 0) & (sizes[right] > 0)).tolist():
        (a0, a1), (b0, b1) = spans[left[p]], spans[right[p]]
        out[p] = float((vectors[a0:a1] @ vectors[b0:b1].T).max())
    return np.clip(out, 0.0, 1.0)


def chunk_spans(chunks: Sequence[Sequence[str]]) -> np.ndarray:
    """``(start, end)`` rows of each text's chunks when all chunks are stacked in order.

    Examples
    --------
    >>> chunk_spans([["a", "b"], [], ["c"]]).tolist()
    [[0, 2], [2, 2], [2, 3]]
    """
    ends = np.cumsum([len(c) for c in chunks], dtype=np.int64)
    starts = np.concatenate([[0], ends[:-1]]) if len(chunks) else np.zeros(0, dtype=np.int64)
    return np.stack([starts, ends], axis=1) if len(chunks) else np.zeros((0, 2), dtype=np.int64)
