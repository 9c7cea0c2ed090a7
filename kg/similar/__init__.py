"""Duplicate and overlapping questions: candidate search, answer-aware scoring, typing, explanations.

The data flow is ``vectorise -> find_pairs (top-k candidates) -> evidence per candidate pair -> score
-> kind -> explanation``. Vectorising is kept apart from pair-finding, so :func:`find_pairs` works on
any unit-length rows and is tested with tiny hand-made vectors.

Evidence, each on the question and on the answer separately:

* wording: cosine of word (1-2 gram) and character (3-5 gram) TF-IDF vectors;
* meaning: cosine of sentence embeddings (when the semantic extra is installed);
* concepts: the shared concepts of the two items, each weighted by its rarity in the bank.

Raw cosines do not share a scale (two unrelated answers of one ML bank already share character
n-grams and sit around 0.2 in embedding space), so each is rescaled against the bank's own background:
``(s - m) / (1 - m)`` clipped to [0, 1], with ``m`` the median similarity of random pairs of the bank.

The score of a pair is ``0.45 * answer + 0.35 * question + 0.2 * concepts``, each field the mean of
its wording and meaning evidence. The answer carries most weight: two questions whose answers say the
same thing overlap, while two questions cut from one template do not. Missing evidence adds nothing:
an empty or boilerplate answer ("Answer here" under many questions) contributes 0, and so does the
question when the two questions ask about different things (below). ``Pair.lexical``,
``Pair.semantic`` and ``Pair.concept`` are the parts of the score that come from wording, meaning and
concepts: they add up to ``Pair.score``, which is what the app shows as "how much is wording".

Two questions *ask about different things* when each names a specific concept the other item never
mentions (:func:`questions_conflict`), or when they are one template filled with different words
(:func:`template_substitution`: "right" vs "left skewed", "L1" vs "L2 for feature selection").

Kinds (thresholds in :class:`Thresholds`):

* ``duplicate`` (the same question, keep one): never when the questions ask about different things,
  nor when one asks all the other asks and about a further concept (:func:`question_adds`: "What
  is the Hadamard product?" beside "How does it differ from the dot product?"); else the questions mean the same and the answers agree, or the questions are near-identical in
  wording and meaning and the answers are on the same subject; without usable answers, only a
  near-copy of the question;
* ``overlap`` (the answers cover the same ground, review): the answers agree, the score is high, or
  the questions mean the same and the answers are on one subject (but too different for a duplicate);
* ``related``: the items share a concept, or the score clears a low bar.

Pairs come out duplicates first, then overlaps, then related pairs, each by score. Duplicates form
groups by complete linkage (:func:`group_duplicates`), so a chain of weak links never joins two
unrelated questions. Each pair is explained by its shared concepts (rarest first), the best-matching
sentences of the two answers (by embeddings when available, else character n-grams) and the
wording / meaning / concept parts of its score.

Without the embedding model, everything above runs on wording and concepts; it finds near-copies
and answer overlaps written in the same words, but a duplicate phrased in other words is typed
overlap or related at best (``bench/duplicates.py`` prints both).

Notes
-----
Where the limits are. Candidate search is exact top-k: each item keeps its ``top_k`` (default 20)
nearest neighbours by whole-item wording, question wording and (with embeddings) question and answer
meaning, found by matrix products in blocks of 1,024 rows, so memory stays ``O(block * n + n * top_k)``
and no Python loop runs over all ``n**2`` pairs. Evidence, typing and explanations then cost
``O(n * top_k)``. A pair that is in no item's top-k lists is never scored: in a bank where one
question has more than ``top_k`` copies, raise ``top_k``. The product itself is ``O(n**2)``: fine to
tens of thousands of items (10,000 in ``bench/duplicates.py``); past about 100,000 an approximate
index would be needed. On a first run the embedding model dominates the time (a few hundred texts a
second on two CPU cores); vectors are cached by content hash, so a re-run only encodes new text.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from kg.embed import Embedder, normalise_rows
from kg.model import Pair, PairKind, QAItem, SentenceMatch
from kg.similar.ngrams import CharNgrams

log = logging.getLogger(__name__)

#: Rarity weight (:func:`rarity_weights`) from which a concept is specific enough to tell two questions
#: apart: named by at most about the square root of the bank's item count.
SPECIFIC = 0.5

#: Weights of the three pieces of evidence in the score (answer, question, concepts).
W_ANSWER, W_QUESTION, W_CONCEPT = 0.45, 0.35, 0.2


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs on rescaled similarities (0 = as alike as two random items of the bank, 1 = equal).

    A pair is a duplicate, unless its questions name different concepts, when either

    * the questions mean the same (``duplicate_question``, on embeddings: about the usual raw cosine
      of 0.8 for paraphrases) and the answers agree (``duplicate_answer``), or
    * the questions mean nearly the same (``restated_meaning``, about a raw cosine of 0.85), share
      much of their wording (``restated_wording``) and open with the same question word, and the
      answers are about the same thing (``consistent_answer``): one question asked twice and
      answered twice in different words;
    * without usable answers, only a near-copy of the question (``copy_question`` on both) counts.

    ``overlap_answer`` on the answers or ``overlap_score`` on the score makes an overlap, and so do
    questions that mean the same (``duplicate_question``) with answers about the same thing
    (``consistent_answer``) that fall short of a duplicate; ``related_score`` keeps a pair that
    shares no concept.
    """

    duplicate_question: float = 0.7
    duplicate_answer: float = 0.55
    restated_meaning: float = 0.8
    restated_wording: float = 0.6
    consistent_answer: float = 0.3
    copy_question: float = 0.8
    overlap_answer: float = 0.5
    overlap_score: float = 0.4
    related_score: float = 0.25


DEFAULT_THRESHOLDS = Thresholds()

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


# --------------------------------------------------------------------------- pure similarities


def cosine(u: np.ndarray, v: np.ndarray) -> float:
    """Cosine of two vectors clipped to [0, 1]; 0 when either is empty or all zeros.

    Examples
    --------
    >>> cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0]))
    0.7071
    >>> cosine(np.array([]), np.array([]))
    0.0
    """
    u = np.asarray(u, dtype=np.float64).ravel()
    v = np.asarray(v, dtype=np.float64).ravel()
    if u.size == 0 or u.size != v.size:
        return 0.0
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        return 0.0
    return round(float(np.clip(u @ v / (nu * nv), 0.0, 1.0)), 4)


def weighted_jaccard(a: Collection[str], b: Collection[str], weights: Mapping[str, float]) -> float:
    """Jaccard overlap of two sets where each element counts by its weight (default 1).

    Examples
    --------
    >>> weighted_jaccard({"relu", "gradient"}, {"relu", "dropout"}, {"gradient": 0.1})
    0.4762
    >>> weighted_jaccard(set(), set(), {})
    0.0
    """
    a, b = set(a), set(b)
    return _jaccard(_weight(a & b, weights), _weight(a, weights), _weight(b, weights))


def _weight(concepts: Iterable[str], weights: Mapping[str, float]) -> float:
    return sum(weights.get(c, 1.0) for c in concepts)


def _jaccard(common: float, total_a: float, total_b: float) -> float:
    """Weighted Jaccard from the weight two sets share and each set's total weight."""
    union = total_a + total_b - common
    return round(common / union, 4) if union > 0 else 0.0


def rescale(similarity: float | np.ndarray, background: float) -> float | np.ndarray:
    """Map a similarity so that the bank's background level is 0 and identity is 1.

    Examples
    --------
    >>> float(rescale(0.75, 0.5))
    0.5
    >>> float(rescale(0.1, 0.2))
    0.0
    """
    background = min(max(background, 0.0), 0.99)
    return np.clip((np.asarray(similarity) - background) / (1.0 - background), 0.0, 1.0)


def rarity_weights(concept_sets: Iterable[Collection[str]]) -> dict[str, float]:
    """Weight each concept by how rare it is among the items: ``log(n / df) / log(n)``, at least 0.05.

    A concept named by every item weighs almost nothing; one named by two items weighs most.

    Examples
    --------
    >>> w = rarity_weights([{"a", "b"}, {"a"}, {"a", "c"}, {"d"}])
    >>> round(w["a"], 3), round(w["b"], 3)
    (0.208, 1.0)
    """
    sets = [set(s) for s in concept_sets]
    n = len(sets)
    df = Counter(c for s in sets for c in s)
    if n < 2:
        return {c: 1.0 for c in df}
    return {c: max(0.05, math.log(n / d) / math.log(n)) if d > 1 else 1.0 for c, d in df.items()}


def questions_conflict(
    question_a: Collection[str],
    question_b: Collection[str],
    item_a: Collection[str],
    item_b: Collection[str],
    weights: Mapping[str, float],
    specific: float = SPECIFIC,
) -> bool:
    """Whether two questions ask about different things: each names a concept the other item lacks.

    A concept of question A counts against a duplicate when item B does not mention it anywhere
    (question or answer) and it is specific: its rarity weight (:func:`rarity_weights`) is at least
    ``specific``, i.e. with the default it is named by at most the square root of the bank's item
    count. Generic concepts such as "neural network" thus never separate two phrasings of one
    question, while "L1 regularization" against "L2 regularization" does. Symmetric; ``False`` on
    empty input.

    Examples
    --------
    >>> w = {"l1": 0.7, "l2": 0.7, "feature selection": 0.8, "neural network": 0.1}
    >>> questions_conflict({"l1", "feature selection"}, {"l2", "feature selection"},
    ...                    {"l1", "feature selection"}, {"l2", "feature selection"}, w)
    True
    >>> questions_conflict({"l1", "neural network"}, {"l1"}, {"l1", "neural network"}, {"l1"}, w)
    False
    """

    return _names_unseen(question_a, item_b, weights, specific) and _names_unseen(
        question_b, item_a, weights, specific
    )


def question_adds(
    question_a: Collection[str],
    question_b: Collection[str],
    item_a: Collection[str],
    item_b: Collection[str],
    weights: Mapping[str, float],
    specific: float = SPECIFIC,
) -> bool:
    """Whether one question asks all the other asks and more: "What is X?" beside "How does X differ from Y?".

    True when one question names every concept of the other plus a specific one (rarity weight at
    least ``specific``, as in :func:`questions_conflict`) that the other item never mentions. The two
    share a subject, so they may well overlap, but the wider question is not the same question: it
    adds a comparison ("RMSE over MSE" beside "MAE over RMSE or MSE") or a setting. Symmetric;
    ``False`` when either question names no concept.

    Examples
    --------
    >>> w = {"hadamard product": 0.8, "dot product": 0.65, "neural network": 0.1}
    >>> question_adds({"hadamard product"}, {"hadamard product", "dot product"},
    ...               {"hadamard product"}, {"hadamard product", "dot product"}, w)
    True
    >>> question_adds({"hadamard product"}, {"hadamard product", "neural network"},
    ...               {"hadamard product"}, {"hadamard product", "neural network"}, w)
    False
    """

    def adds(narrow: Collection[str], wide: Collection[str], narrow_item: Collection[str]) -> bool:
        narrow, wide = set(narrow), set(wide)
        return bool(narrow) and narrow <= wide and _names_unseen(wide - narrow, narrow_item, weights, specific)

    return adds(question_a, question_b, item_a) or adds(question_b, question_a, item_b)


def _names_unseen(
    concepts: Collection[str], item: Collection[str], weights: Mapping[str, float], specific: float
) -> bool:
    """Whether ``concepts`` hold a specific one (weight at least ``specific``) that ``item`` never mentions."""
    seen = set(item)
    return any(c not in seen and weights.get(c, 1.0) >= specific for c in concepts)


def _content_words(text: str) -> set[str]:
    """Lower-case words that are not stop words, with a plural ``s`` folded."""
    words = (w for w in _WORD.findall(text.casefold()) if w not in ENGLISH_STOP_WORDS)
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words}


_FRAMES = {"which": "what", "whats": "what", "what’s": "what"}


def question_frame(question: str) -> str:
    """The word a question opens with, which says what it asks for (what / why / how / when ...).

    Examples
    --------
    >>> question_frame("Why do we need label smoothing?"), question_frame("Which loss is used?")
    ('why', 'what')
    >>> question_frame("")
    ''
    """
    words = re.findall(r"[a-z’']+", question.casefold())
    first = words[0].replace("'", "").replace("’", "") if words else ""
    return _FRAMES.get(first, first)


def template_substitution(question_a: str, question_b: str) -> bool:
    """Whether two questions are one template filled with different words ("right" vs "left" skew).

    True when each question has content words the other lacks and those words are no more than the
    words the two share. A question that only adds words to the other ("What is X?" / "What is X?
    Why do we care?") is no substitution, nor is a rewording that changes most words. Symmetric.
    A synonym swapped into an otherwise equal question ("prevent" / "avoid") counts too: such a pair
    is typed overlap rather than duplicate, the safer mistake.

    Examples
    --------
    >>> template_substitution("What does a right skewed histogram show?",
    ...                       "What does a left skewed histogram show?")
    True
    >>> template_substitution("What is the curse of dimensionality?",
    ...                       "What is the curse of dimensionality? Why do we care?")
    False
    >>> template_substitution("", "")
    False
    """
    return _substitution(_content_words(question_a), _content_words(question_b))


def _substitution(wa: set[str], wb: set[str]) -> bool:
    only_a, only_b = wa - wb, wb - wa
    return bool(only_a) and bool(only_b) and len(wa & wb) >= len(only_a | only_b)


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences (and list lines); drops fragments of fewer than 3 words.

    Examples
    --------
    >>> split_sentences("ReLU is simple. It avoids saturation! ok")
    ['ReLU is simple.', 'It avoids saturation!']
    """
    parts = (p.strip() for p in _SENTENCE_END.split(text))
    return [p for p in parts if len(_WORD.findall(p)) >= 3]


# --------------------------------------------------------------------------- candidate search


def find_pairs(
    vectors: np.ndarray | sp.spmatrix,
    threshold: float,
    top_k: int | None = None,
    *,
    block: int = 1024,
    rows: Sequence[int] | None = None,
    columns: Sequence[int] | None = None,
) -> list[tuple[int, int, float]]:
    """Pairs of rows whose dot product (cosine, for unit rows) is at least ``threshold``.

    Parameters
    ----------
    vectors
        Unit-length rows, dense or scipy sparse.
    threshold
        Least similarity kept.
    top_k
        Keep only each row's ``top_k`` most similar other rows (a pair is kept when either end has the
        other among its ``top_k``); ``None`` keeps every pair above the threshold.
    block
        Rows per matrix product, bounding memory at ``block * n`` floats.
    rows, columns
        Restrict the search to pairs of one row from ``rows`` and one from ``columns`` (default: all);
        used to match a new file against a bank.

    Returns
    -------
    list of (i, j, score)
        Each unordered pair once with ``i < j``, highest score first (ties by ``i``, ``j``).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> find_pairs(v, 0.5)
    [(0, 1, 0.8), (1, 2, 0.6)]
    >>> find_pairs(v, 0.5, top_k=1)
    [(0, 1, 0.8), (1, 2, 0.6)]
    """
    n = vectors.shape[0]
    row_ids = np.arange(n) if rows is None else np.asarray(rows, dtype=int)
    col_ids = np.arange(n) if columns is None else np.asarray(columns, dtype=int)
    if n < 2 or row_ids.size == 0 or col_ids.size == 0:
        return []
    sparse = sp.issparse(vectors)
    matrix = sp.csr_matrix(vectors, dtype=np.float32) if sparse else np.asarray(vectors, np.float32)
    target = matrix[col_ids]
    target_t = target.T.tocsc() if sparse else target.T
    found: dict[tuple[int, int], float] = {}
    for start in range(0, row_ids.size, block):
        chunk = row_ids[start : start + block]
        sims = matrix[chunk] @ target_t
        sims = sims.toarray() if sp.issparse(sims) else np.asarray(sims)
        # a row is never its own neighbour
        self_hit = chunk[:, None] == col_ids[None, :]
        sims[self_hit] = -np.inf
        if top_k is not None and top_k < col_ids.size:
            k = max(top_k, 1)
            keep = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            r_idx = np.repeat(np.arange(chunk.size), k)
            c_idx = keep.ravel()
        else:
            r_idx, c_idx = np.nonzero(sims >= threshold)
        values = sims[r_idx, c_idx]
        ok = values >= threshold
        for r, c, value in zip(chunk[r_idx[ok]], col_ids[c_idx[ok]], values[ok], strict=True):
            key = (int(r), int(c)) if r < c else (int(c), int(r))
            found[key] = max(found.get(key, -1.0), round(float(value), 4))
    return sorted(((i, j, s) for (i, j), s in found.items()), key=lambda t: (-t[2], t[0], t[1]))


# --------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class _Fields:
    """Everything vectorised once per bank, rows aligned with the items."""

    q_word: sp.csr_matrix
    q_char: sp.csr_matrix
    a_word: sp.csr_matrix
    a_char: sp.csr_matrix
    full_word: sp.csr_matrix
    q_sem: np.ndarray | None
    a_sem: np.ndarray | None
    informative: np.ndarray  # bool per item: the answer can serve as evidence
    answers: list[str]  # answer texts without the bank's boilerplate sentences
    char: CharNgrams  # the fitted character n-gram vectorizer, reused for sentences


def _tfidf(texts: Sequence[str], **options) -> TfidfVectorizer:
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options)
    corpus = [t for t in texts if t.strip()] or ["empty"]
    try:
        vectorizer.fit(corpus)
    except ValueError:  # every text is stop words only: fall back to keeping them
        options = {**options, "stop_words": None}
        vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options).fit(corpus)
    return vectorizer


def _char_tfidf(texts: Sequence[str]) -> CharNgrams:
    """Character 3-5-gram TF-IDF, as ``_tfidf(texts, analyzer="char_wb", ngram_range=(3, 5))`` but
    counted once per distinct word (:mod:`kg.similar.ngrams`): the same vectors at a third of the cost."""
    return CharNgrams((3, 5)).fit([t for t in texts if t.strip()] or ["empty"])


def _normalise_answer(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def strip_boilerplate(answers: Sequence[str], span: int = 6, share: float = 0.02) -> list[str]:
    """Cut the word runs that a bank repeats across many answers (templates, not content).

    A word ``span``-gram is boilerplate when more than ``max(10, share * len(answers))`` answers
    contain it; every word covered by one is cut, with the text between such words. "Key Takeaway:
    Standard interview answer evaluating key properties ..." under hundreds of answers then says
    nothing, while a passage shared by a handful of near-copies is kept as evidence. Answers without
    boilerplate come back unchanged.

    Examples
    --------
    >>> tail = "Key takeaway: a standard answer about edge cases and assumptions."
    >>> answers = [f"The square of {i} is {i * i}. {tail}" for i in range(12)] + ["Only content."]
    >>> cleaned = strip_boilerplate(answers)
    >>> cleaned[3], cleaned[-1]
    ('The square of 3 is 9', 'Only content.')
    """
    limit = max(10, share * len(answers))
    spans = [[(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(a)] for a in answers]

    def grams(words: list[tuple[int, int, str]]):
        return (tuple(w[2] for w in words[k : k + span]) for k in range(len(words) - span + 1))

    df = Counter(g for words in spans for g in set(grams(words)))
    common = {g for g, count in df.items() if count > limit}
    if not common:
        return list(answers)
    out = []
    for text, words in zip(answers, spans, strict=True):
        covered = np.zeros(len(words), dtype=bool)
        for k, g in enumerate(grams(words)):
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


def informative_answers(
    items: Sequence[QAItem], min_words: int = 4, answers: Sequence[str] | None = None
) -> np.ndarray:
    """Which answers can serve as evidence: at least ``min_words`` words and not boilerplate.

    ``answers`` replaces the items' answer texts (e.g. after :func:`strip_boilerplate`).

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
    norm = [_normalise_answer(a) for a in cleaned]
    questions_per_answer: dict[str, set[str]] = {}
    for it, a in zip(items, norm, strict=True):
        questions_per_answer.setdefault(a, set()).add(_normalise_answer(it.question_text))
    # an answer that only repeats words of its own question adds nothing to it
    echo = [
        _content_words(a) <= _content_words(it.question_text) for it, a in zip(items, cleaned, strict=True)
    ]
    return np.array(
        [
            len(a.split()) >= min_words and len(questions_per_answer[a]) < 3 and not e
            for a, e in zip(norm, echo, strict=True)
        ],
        dtype=bool,
    )


def _vectorise(items: Sequence[QAItem], embedder: Embedder | None) -> _Fields:
    questions = [it.question_text for it in items]
    answers = strip_boilerplate([it.answer_text for it in items])
    informative = informative_answers(items, answers=answers)
    both = questions + [a for a, ok in zip(answers, informative, strict=True) if ok]
    word = _tfidf(both, analyzer="word", ngram_range=(1, 2), stop_words="english", min_df=1,
                  token_pattern=r"(?u)\b\w+\b")
    char = _char_tfidf(both)
    fulls = [f"{q}\n{a}" if ok else q for q, a, ok in zip(questions, answers, informative, strict=True)]
    q_sem = a_sem = None
    if embedder is not None:
        q_sem = normalise_rows(embedder.encode(questions))
        a_sem = np.zeros_like(q_sem)
        idx = np.flatnonzero(informative)
        if idx.size:
            a_sem[idx] = normalise_rows(embedder.encode([answers[i] for i in idx]))
    return _Fields(
        q_word=word.transform(questions),
        q_char=char.transform(questions),
        a_word=word.transform(answers),
        a_char=char.transform(answers),
        full_word=word.transform(fulls),
        q_sem=q_sem,
        a_sem=a_sem,
        informative=informative,
        answers=answers,
        char=char,
    )


def _row_dots(matrix, left: np.ndarray, right: np.ndarray, chunk: int = 20000) -> np.ndarray:
    """Dot products of rows ``left[p]`` and ``right[p]`` for every pair ``p``, in bounded memory."""
    out = np.zeros(left.size, dtype=np.float32)
    for s in range(0, left.size, chunk):
        li, ri = left[s : s + chunk], right[s : s + chunk]
        if sp.issparse(matrix):
            out[s : s + chunk] = np.asarray(matrix[li].multiply(matrix[ri]).sum(axis=1)).ravel()
        else:
            out[s : s + chunk] = np.einsum("ij,ij->i", matrix[li], matrix[ri])
    return np.clip(out, 0.0, 1.0)


def _background(matrix, n: int, seed: int = 0, samples: int = 4000, mask: np.ndarray | None = None) -> float:
    """Median similarity of random pairs of distinct items: what "unrelated" looks like in this bank."""
    idx = np.arange(n) if mask is None else np.flatnonzero(mask)
    if idx.size < 2:
        return 0.0
    rng = np.random.default_rng(seed)
    left = rng.choice(idx, samples)
    right = rng.choice(idx, samples)
    keep = left != right
    if not keep.any():
        return 0.0
    return float(np.median(_row_dots(matrix, left[keep], right[keep])))


@dataclass(frozen=True)
class Evidence:
    """Rescaled similarities of candidate pairs, one entry per pair (arrays aligned with ``left``)."""

    left: np.ndarray
    right: np.ndarray
    q_lex: np.ndarray
    a_lex: np.ndarray
    q_sem: np.ndarray | None
    a_sem: np.ndarray | None
    answers: np.ndarray  # bool: both answers are evidence
    concept: np.ndarray
    conflict: np.ndarray  # bool: the questions name different concepts or fill one template differently
    adds: np.ndarray  # bool: one question asks all the other asks and about a further concept
    same_frame: np.ndarray  # bool: the questions open with the same question word
    shared: list[tuple[str, ...]]


def _evidence(
    items: Sequence[QAItem],
    fields: _Fields,
    left: np.ndarray,
    right: np.ndarray,
    item_concepts: Mapping[str, Collection[str]],
    question_concepts: Mapping[str, Collection[str]] | None,
) -> Evidence:
    n = len(items)
    info = fields.informative

    def lex(word, char, mask=None) -> np.ndarray:
        w = rescale(_row_dots(word, left, right), _background(word, n, mask=mask))
        c = rescale(_row_dots(char, left, right), _background(char, n, mask=mask))
        return (w + c) / 2

    def sem(matrix, mask=None) -> np.ndarray | None:
        if matrix is None:
            return None
        return rescale(_row_dots(matrix, left, right), _background(matrix, n, mask=mask))

    answers = info[left] & info[right]
    q_lex = lex(fields.q_word, fields.q_char)
    a_lex = np.where(answers, lex(fields.a_word, fields.a_char, info), 0.0)
    q_sem = sem(fields.q_sem)
    a_sem = sem(fields.a_sem, info)
    if a_sem is not None:
        a_sem = np.where(answers, a_sem, 0.0)

    ids = [it.id for it in items]
    pairs = list(zip(left.tolist(), right.tolist(), strict=True))  # plain ints: numpy scalars index slowly
    sets = [set(item_concepts.get(i, ())) for i in ids]
    weights = rarity_weights(sets)
    # weighted_jaccard, with each item's total weight summed once rather than once per pair
    totals = [_weight(s, weights) for s in sets]
    concept = np.zeros(len(pairs))
    shared: list[tuple[str, ...]] = []
    for p, (i, j) in enumerate(pairs):
        common = sets[i] & sets[j]
        concept[p] = _jaccard(_weight(common, weights), totals[i], totals[j])
        shared.append(tuple(sorted(common, key=lambda c: (-weights.get(c, 1.0), c))))
    q_words = [_content_words(it.question_text) for it in items]
    conflict = np.array([_substitution(q_words[i], q_words[j]) for i, j in pairs], dtype=bool).reshape(-1)
    adds = np.zeros(len(pairs), dtype=bool)
    if question_concepts is not None:
        qsets = [set(question_concepts.get(i, ())) for i in ids]
        conflict |= np.array(
            [questions_conflict(qsets[i], qsets[j], sets[i], sets[j], weights) for i, j in pairs], dtype=bool
        ).reshape(-1)
        adds = np.array(
            [question_adds(qsets[i], qsets[j], sets[i], sets[j], weights) for i, j in pairs], dtype=bool
        ).reshape(-1)
    frames = [question_frame(it.question_text) for it in items]
    same_frame = np.array([frames[i] == frames[j] for i, j in pairs], dtype=bool).reshape(-1)
    return Evidence(
        left, right, q_lex, a_lex, q_sem, a_sem, answers, concept, conflict, adds, same_frame, shared
    )


def _combine(lexical: np.ndarray, semantic: np.ndarray | None) -> np.ndarray:
    return lexical if semantic is None else (lexical + semantic) / 2


def _score_parts(ev: Evidence) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """Score and its wording / meaning / concept parts, which add up to the score.

    Missing evidence adds nothing: a pair without usable answers can reach only
    ``W_QUESTION + W_CONCEPT``, and when the questions name different concepts (a template
    look-alike) their wording and meaning add nothing either.
    """
    w_answer = np.where(ev.answers, W_ANSWER, 0.0)
    w_question = np.where(ev.conflict, 0.0, W_QUESTION)
    if ev.q_sem is None:
        lexical = w_question * ev.q_lex + w_answer * ev.a_lex
        semantic = None
    else:
        lexical = (w_question * ev.q_lex + w_answer * ev.a_lex) / 2
        semantic = (w_question * ev.q_sem + w_answer * ev.a_sem) / 2
    concept = W_CONCEPT * ev.concept
    score = lexical + concept + (0 if semantic is None else semantic)
    return score, lexical, semantic, concept


def _kinds(ev: Evidence, score: np.ndarray, t: Thresholds) -> list[PairKind | None]:
    """Type each pair; a duplicate needs the questions and the answers to agree (see module doc)."""
    answer = _combine(ev.a_lex, ev.a_sem)
    meaning = ev.q_lex if ev.q_sem is None else ev.q_sem
    same_answer = (meaning >= t.duplicate_question) & (answer >= t.duplicate_answer)
    # near-identical in meaning, sharing the wording and asking in the same frame (what / why / how):
    # one question written twice, not "What is X?" beside "Why do we need X?"
    restated = (meaning >= t.restated_meaning) & (ev.q_lex >= t.restated_wording) & ev.same_frame
    same_question = restated & (answer >= t.consistent_answer)
    copy = np.minimum(ev.q_lex, meaning) >= t.copy_question
    duplicate = ~ev.conflict & ~ev.adds & np.where(ev.answers, same_answer | same_question, copy)
    # the same question asked twice with answers on one subject is worth a review even when the
    # answers differ in detail: one may cover two topics ("X does A, while Y does B")
    asked_twice = ~ev.conflict & ev.answers & (meaning >= t.duplicate_question) & (answer >= t.consistent_answer)
    overlap = (ev.answers & (answer >= t.overlap_answer)) | (score >= t.overlap_score) | asked_twice
    related = (ev.concept > 0) | (score >= t.related_score)
    kinds: list[PairKind | None] = []
    for d, o, r in zip(duplicate, overlap, related, strict=True):
        kinds.append("duplicate" if d else "overlap" if o else "related" if r else None)
    return kinds


# --------------------------------------------------------------------------- explanations


def _sentence_matches(
    answers: Sequence[str],
    pairs: Sequence[tuple[int, int]],
    embedder: Embedder | None,
    per_pair: int = 2,
    wording: CharNgrams | None = None,
) -> list[tuple[SentenceMatch, ...]]:
    """The best-matching answer sentences of each pair (by meaning if possible, else wording).

    ``wording`` is a fitted character n-gram vectorizer to reuse (fitting one costs more than
    applying it); without it one is fitted on the sentences.
    """
    sentences = [split_sentences(a) for a in answers]
    needed = sorted({i for pair in pairs for i in pair})
    flat = [s for i in needed for s in sentences[i]]
    if not flat:
        return [() for _ in pairs]
    offsets: dict[int, tuple[int, int]] = {}
    pos = 0
    for i in needed:
        offsets[i] = (pos, pos + len(sentences[i]))
        pos += len(sentences[i])
    if embedder is not None:
        matrix = normalise_rows(embedder.encode(flat))
    else:
        vec = wording or _char_tfidf(flat)
        matrix = vec.transform(flat)
    # every sentence pairing of every pair at once, as aligned index arrays (no per-pair products)
    left_rows, right_rows, owner = [], [], []
    for p, (i, j) in enumerate(pairs):
        (a0, a1), (b0, b1) = offsets[i], offsets[j]
        if a0 == a1 or b0 == b1:
            continue
        grid_a, grid_b = np.meshgrid(np.arange(a0, a1), np.arange(b0, b1), indexing="ij")
        left_rows.append(grid_a.ravel())
        right_rows.append(grid_b.ravel())
        owner.append(np.full(grid_a.size, p))
    out: list[tuple[SentenceMatch, ...]] = [() for _ in pairs]
    if not owner:
        return out
    la, rb, own = np.concatenate(left_rows), np.concatenate(right_rows), np.concatenate(owner)
    sims = _row_dots(matrix, la, rb)
    order = np.lexsort((-sims, own))  # by pair, best first within a pair
    starts = np.flatnonzero(np.r_[True, own[order][1:] != own[order][:-1]])
    ends = np.r_[starts[1:], order.size]
    for start, end in zip(starts, ends, strict=True):
        matches: list[SentenceMatch] = []
        used_a: set[int] = set()
        used_b: set[int] = set()
        for k in order[start:end]:
            r, c = int(la[k]), int(rb[k])
            if r in used_a or c in used_b:
                continue
            matches.append(SentenceMatch(flat[r], flat[c], round(float(sims[k]), 4)))
            used_a.add(r)
            used_b.add(c)
            if len(matches) == per_pair:
                break
        out[int(own[order[start]])] = tuple(matches)
    return out


# --------------------------------------------------------------------------- public API


def _candidates(fields: _Fields, top_k: int, rows=None, columns=None) -> list[tuple[int, int]]:
    """Union of the top-k neighbours by wording of the whole item and by meaning of each field."""
    found: set[tuple[int, int]] = set()
    # character n-grams are left out here: their few very common n-grams make a sparse product dense
    spaces = [fields.full_word, fields.q_word]
    if fields.q_sem is not None:
        spaces += [fields.q_sem, fields.a_sem]
    for space in spaces:
        for i, j, _ in find_pairs(space, 1e-6, top_k=top_k, rows=rows, columns=columns):
            found.add((i, j))
    return sorted(found)


def _pairs(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    *,
    embedder: Embedder | None,
    top_k: int,
    accepted: Set[frozenset[str]],
    thresholds: Thresholds,
    question_concepts: Mapping[str, Collection[str]] | None,
    rows: Sequence[int] | None = None,
    columns: Sequence[int] | None = None,
    explain: bool = True,
) -> list[Pair]:
    if len(items) < 2:
        log.info("fewer than two items: no pairs")
        return []
    fields = _vectorise(items, embedder)
    candidates = _candidates(fields, top_k, rows, columns)
    if not candidates:
        return []
    left = np.array([i for i, _ in candidates])
    right = np.array([j for _, j in candidates])
    ev = _evidence(items, fields, left, right, item_concepts, question_concepts)
    score, lexical, semantic, concept = _score_parts(ev)
    kinds = _kinds(ev, score, thresholds)
    keep = [p for p, kind in enumerate(kinds) if kind is not None]
    keep = [p for p in keep if frozenset((items[left[p]].id, items[right[p]].id)) not in accepted]
    if rows is not None:  # --against: the new item is always ``a``
        row_set = set(int(r) for r in rows)
        flip = {p: int(left[p]) not in row_set for p in keep}
    else:
        flip = {p: False for p in keep}
    strong = [(int(left[p]), int(right[p])) for p in keep if kinds[p] != "related"]
    matches: dict[tuple[int, int], tuple[SentenceMatch, ...]] = {}
    if explain:
        matches.update(zip(strong, _sentence_matches(fields.answers, strong, embedder, wording=fields.char)))
    # Related pairs are many (a dozen per item) and only each item's strongest few are shown, so
    # only those get sentence matches; the rest keep their shared concepts as the reason.
    weak: list[tuple[int, int]] = []
    shown: Counter[int] = Counter()
    for p in sorted((p for p in keep if kinds[p] == "related"), key=lambda p: -score[p]):
        i, j = int(left[p]), int(right[p])
        if shown[i] < EXPLAINED_RELATED or shown[j] < EXPLAINED_RELATED:
            weak.append((i, j))
            shown[i] += 1
            shown[j] += 1
    if explain and weak:
        matches.update(zip(weak, _sentence_matches(fields.answers, weak, None, wording=fields.char)))
    out = []
    for p in keep:
        i, j = int(left[p]), int(right[p])
        m = matches.get((i, j), ())
        if flip[p]:
            i, j = j, i
            m = tuple(SentenceMatch(x.b, x.a, x.score) for x in m)
        out.append(
            Pair(
                a=items[i].id,
                b=items[j].id,
                score=round(float(score[p]), 4),
                kind=kinds[p],
                shared_concepts=ev.shared[p],
                lexical=round(float(lexical[p]), 4),
                semantic=None if semantic is None else round(float(semantic[p]), 4),
                concept=round(float(concept[p]), 4),
                matches=m,
            )
        )
    return sort_pairs(out)


_KIND_ORDER = {"duplicate": 0, "overlap": 1, "related": 2}

EXPLAINED_RELATED = 3
"""Related pairs per item that get sentence matches (the strongest; what the CLI and export show)."""


def sort_pairs(pairs: Iterable[Pair]) -> list[Pair]:
    """Best first: duplicates, then overlaps, then related pairs, each by score (ties by ids)."""
    return sorted(pairs, key=lambda p: (_KIND_ORDER[p.kind], -p.score, p.a, p.b))


def score_pairs(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    *,
    embedder: Embedder | None = None,
    top_k: int = 20,
    accepted: Set[frozenset[str]] = frozenset(),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    question_concepts: Mapping[str, Collection[str]] | None = None,
    explain: bool = True,
) -> list[Pair]:
    """Score, type and explain the pairs of a bank that could matter.

    Parameters
    ----------
    items
        The bank.
    item_concepts
        Concept ids per item id (from :func:`kg.extract.extract`); missing ids count as no concepts.
    embedder
        Sentence embeddings for the meaning evidence; ``None`` scores on wording and concepts only.
    top_k
        Neighbours kept per item and per representation in the candidate search.
    accepted
        Pairs of item ids a curator has marked "not a duplicate" (:mod:`kg.accepted`); left out.
    thresholds
        Cut-offs for the kinds, see :class:`Thresholds`.
    question_concepts
        Concept ids named in each question; when given, a duplicate also needs the two questions to
        name the same concepts (so "How do you deal with outliers?" and "... with sparse data?" differ).
    explain
        Fill ``Pair.matches`` with the best-matching answer sentences.

    Returns
    -------
    list of Pair
        Every candidate pair typed at least ``related``: duplicates, then overlaps, then related
        pairs, each by score (:func:`sort_pairs`).

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> bank = [mk(1, "What does dropout do?", "Dropout drops random units while training a net."),
    ...         mk(2, "What does dropout do?", "Dropout drops random units while training a net."),
    ...         mk(3, "What is a p-value?", "The chance of data this extreme under the null.")]
    >>> [(p.a, p.b, p.kind) for p in score_pairs(bank, {})]
    [('1', '2', 'duplicate')]
    """
    return _pairs(
        items,
        item_concepts,
        embedder=embedder,
        top_k=top_k,
        accepted=accepted,
        thresholds=thresholds,
        question_concepts=question_concepts,
        explain=explain,
    )


def match_against(
    new_items: Sequence[QAItem],
    bank_items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    *,
    embedder: Embedder | None = None,
    top_k: int = 20,
    accepted: Set[frozenset[str]] = frozenset(),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    question_concepts: Mapping[str, Collection[str]] | None = None,
) -> list[Pair]:
    """Pairs of one new item and one bank item: what in a new file the bank already has.

    Scored exactly as :func:`score_pairs` over the union (so rarity and background come from both),
    but only pairs that cross from ``new_items`` (always ``Pair.a``) to ``bank_items`` are searched.

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(i, 1, q, a, "b.md", 1, q, a)
    >>> bank = [mk("b1", "What does dropout do?", "Dropout drops random units while training."),
    ...         mk("b2", "What is a p-value?", "The chance of data this extreme under the null.")]
    >>> new = [mk("n1", "What does dropout do?", "Dropout drops random units while training.")]
    >>> [(p.a, p.b, p.kind) for p in match_against(new, bank, {})]
    [('n1', 'b1', 'duplicate')]
    """
    items = list(new_items) + list(bank_items)
    n_new = len(new_items)
    return _pairs(
        items,
        item_concepts,
        embedder=embedder,
        top_k=top_k,
        accepted=accepted,
        thresholds=thresholds,
        question_concepts=question_concepts,
        rows=range(n_new),
        columns=range(n_new, len(items)),
    )


def group_duplicates(pairs: Iterable[Pair]) -> list[list[str]]:
    """Groups of items that are all duplicates of each other (complete linkage, never a chain).

    Duplicate pairs are taken best first; two groups merge only when every member of one is typed a
    duplicate of every member of the other, so A~B and B~C do not join A and C unless A~C too.

    Returns
    -------
    list of list of str
        Groups of two or more item ids, each in first-seen order, the group with the best pair first.

    Examples
    --------
    >>> P = lambda a, b, s: Pair(a, b, s, "duplicate")
    >>> group_duplicates([P("A", "B", 0.9), P("B", "C", 0.8)])
    [['A', 'B']]
    >>> group_duplicates([P("A", "B", 0.9), P("B", "C", 0.8), P("A", "C", 0.7)])
    [['A', 'B', 'C']]
    """
    dup = sort_pairs(p for p in pairs if p.kind == "duplicate")
    linked = {frozenset((p.a, p.b)) for p in dup}
    members: dict[int, list[str]] = {}  # group id -> members; the id is the rank of its best pair
    group_of: dict[str, int] = {}
    for rank, p in enumerate(dup):
        ga, gb = group_of.get(p.a), group_of.get(p.b)
        if ga is not None and ga == gb:
            continue
        left = members[ga] if ga is not None else [p.a]
        right = members[gb] if gb is not None else [p.b]
        if all(frozenset((x, y)) in linked for x in left for y in right):
            merged_id = min(g for g in (ga, gb, rank) if g is not None)
            for g in (ga, gb):
                if g is not None:
                    del members[g]
            members[merged_id] = left + right
            for x in members[merged_id]:
                group_of[x] = merged_id
    return [members[g] for g in sorted(members)]


__all__ = [
    "DEFAULT_THRESHOLDS",
    "Evidence",
    "Thresholds",
    "cosine",
    "find_pairs",
    "group_duplicates",
    "informative_answers",
    "match_against",
    "rarity_weights",
    "rescale",
    "score_pairs",
    "sort_pairs",
    "question_frame",
    "question_adds",
    "questions_conflict",
    "template_substitution",
    "split_sentences",
    "strip_boilerplate",
    "weighted_jaccard",
]
