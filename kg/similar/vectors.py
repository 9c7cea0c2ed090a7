"""Vectors of a bank's items: word and character TF-IDF and sentence embeddings, per question and answer.

A bank is vectorised once (:func:`vectorise`), rows aligned with the items. The answers are first cut
free of the bank's boilerplate and the questions of its prompts (:mod:`kg.similar.boilerplate`); an
answer that is no evidence adds nothing to the vocabulary, to the answer embeddings or to the item's
whole-text vector, and a question that was only a prompt has no vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from kg.embed import Embedder, encode, normalise_rows
from kg.model import QAItem
from kg.progress import Progress, counted, no_progress, part
from kg.similar.bm25 import BM25, BM25Statistics, fit_bm25
from kg.similar.boilerplate import (
    Prompts,
    common_prompts,
    common_runs,
    cut_prompts,
    cut_runs,
    informative_answers,
    placeholder_answers,
)
from kg.similar.chunks import answer_chunks, chunk_spans
from kg.similar.counts import Counts, fit_counts
from kg.similar.ngrams import CharNgrams


@dataclass(frozen=True)
class PlainTfidf:
    """Word TF-IDF of items' plain text (:func:`qa_tfidf`) as fitted on a bank: its words and their idf."""

    counts: Counts
    idf: TfidfTransformer | None  # None: the bank had no word outside the stop list

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Unit rows of ``texts``, each the row a fit on a bank holding it gave it."""
        if self.idf is None:
            return sp.csr_matrix((len(texts), 1), dtype=np.float32)
        return sp.csr_matrix(self.idf.transform(self.counts.transform(texts), copy=False), dtype=np.float32)


@dataclass(frozen=True)
class Vectorisers:
    """What vectorising takes from the whole bank, fitted once (:func:`vectorise`).

    With these fixed, an item's vectors depend on the item alone: the answers' boilerplate runs and
    placeholders, the questions' prompts, the word and character TF-IDF vocabularies and idf, the plain
    TF-IDF of whole items, and the BM25 statistics of questions, answers and whole items.
    """

    boilerplate: frozenset[tuple[str, ...]]
    placeholders: frozenset[str]
    prompts: Prompts
    word: TfidfVectorizer
    char: CharNgrams
    plain: PlainTfidf
    bm25_questions: BM25Statistics
    bm25_answers: BM25Statistics
    bm25_items: BM25Statistics


@dataclass(frozen=True)
class Fields:
    """Everything vectorised once per bank, rows aligned with the items."""

    q_word: sp.csr_matrix
    q_char: sp.csr_matrix
    a_word: sp.csr_matrix
    a_char: sp.csr_matrix
    full_word: sp.csr_matrix
    qa_word: sp.csr_matrix  # word TF-IDF of question and answer as one plain text (:func:`qa_tfidf`)
    q_sem: np.ndarray | None  # zero for a question that was only a prompt
    a_sem: np.ndarray | None  # the mean of each answer's chunk vectors (kg.similar.chunks)
    a_chunks: np.ndarray | None  # unit-length vectors of every answer chunk, an answer's in consecutive rows
    chunk_spans: np.ndarray  # (start, end) rows of each item's chunks in a_chunks
    qa_sem: np.ndarray | None  # question and answer's first chunk embedded as one text (the question alone without one)
    informative: np.ndarray  # bool per item: the answer can serve as evidence
    asked: np.ndarray  # bool per item: the question holds more than the bank's prompts
    answers: list[str]  # answer texts without the bank's boilerplate sentences
    char: CharNgrams  # the fitted character n-gram vectorizer, reused for sentences
    q_bm25: BM25  # BM25 rows of the questions
    a_bm25: BM25  # ... of the answers (without boilerplate)
    qa_bm25: BM25  # ... of question and answer as one text
    fitted: Vectorisers  # what the rows were made with


def _tfidf(texts: Sequence[str], **options) -> TfidfVectorizer:
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options)
    corpus = [t for t in texts if t.strip()] or ["empty"]
    try:
        vectorizer.fit(corpus)
    except ValueError:  # every text is stop words only: fall back to keeping them
        options = {**options, "stop_words": None}
        vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options).fit(corpus)
    return vectorizer


def char_tfidf(texts: Sequence[str]) -> CharNgrams:
    """Character 3-5-gram TF-IDF, as ``_tfidf(texts, analyzer="char_wb", ngram_range=(3, 5))`` but
    counted once per distinct word (:mod:`kg.similar.ngrams`): the same vectors at a third of the cost."""
    return CharNgrams((3, 5)).fit([t for t in texts if t.strip()] or ["empty"])


def qa_tfidf(texts: Sequence[str]) -> sp.csr_matrix:
    """Unit rows of word TF-IDF on whole items' plain text: sublinear counts, English stop words left out.

    The plain measure a bank's duplicates are first looked for with; as a feature, it lets the pair
    model start from what it does on a bank where kg's finer evidence misleads.

    Examples
    --------
    >>> m = qa_tfidf(["dropout drops units", "dropout drops units", "the p value"])
    >>> np.round((m @ m.T).toarray()[0], 2).tolist()
    [1.0, 1.0, 0.0]
    """
    return fit_plain_tfidf(texts)[1]


def fit_plain_tfidf(texts: Sequence[str]) -> tuple[PlainTfidf, sp.csr_matrix]:
    """:func:`qa_tfidf` fitted on ``texts``: the fitted vocabulary and idf, and the texts' rows.

    The steps of ``TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform``, kept apart
    so that the vocabulary's order of entries is kept for texts counted later (:mod:`kg.similar.counts`).
    """
    try:
        counts, x = fit_counts(CountVectorizer(stop_words="english", dtype=np.float32), texts)
    except ValueError:  # no word outside the stop list: nothing to compare on
        empty = PlainTfidf(Counts(None, np.zeros(1, dtype=np.int64)), None)
        return empty, sp.csr_matrix((len(texts), 1), dtype=np.float32)
    idf = TfidfTransformer(sublinear_tf=True).fit(x)
    return PlainTfidf(counts, idf), sp.csr_matrix(idf.transform(x, copy=False), dtype=np.float32)


def vectorise(
    items: Sequence[QAItem],
    embedder: Embedder | None,
    progress: Progress = no_progress,
    fitted: Vectorisers | None = None,
) -> Fields:
    """Vectorise a bank once: TF-IDF of its questions, answers and whole items, and their embeddings.

    Parameters
    ----------
    items
        The bank.
    embedder
        Sentence embeddings for the meaning vectors; ``None`` leaves them out.
    progress
        Told of the word counts, then of the texts embedded, batch by batch (:mod:`kg.progress`).
    fitted
        The vectorisers of a bank fitted before (``Fields.fitted`` of its vectors): with them each
        item's rows depend on the item alone, the rows an item of that bank had there. By default they
        are fitted on ``items``.

    Returns
    -------
    Fields
        Rows aligned with ``items``; an answer that is no evidence has a zero embedding.

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> fields = vectorise([mk(1, "What does dropout do?", "Dropout drops random units while training."),
    ...                     mk(2, "What is a p-value?", "Answer here")], None)
    >>> fields.q_word.shape[0], fields.informative.tolist(), fields.q_sem is None
    (2, [True, False], True)
    """
    # the word counts are a fifth of the work with embeddings, the whole of it without
    words = part(progress, 0.0, 0.2) if embedder is not None else progress
    prompts = common_prompts(items) if fitted is None else fitted.prompts
    questions = cut_prompts([it.question_text for it in items], prompts)
    asked = np.array([bool(q.strip()) for q in questions], dtype=bool)
    words(0.0, f"comparing questions: reading the words of {len(items):,} questions and answers")
    raw = [it.answer_text for it in items]
    boilerplate = common_runs(raw) if fitted is None else fitted.boilerplate
    answers = cut_runs(raw, boilerplate)
    placeholders = placeholder_answers(items, answers) if fitted is None else fitted.placeholders
    informative = informative_answers(items, answers=answers, placeholders=placeholders)
    both = questions + [a for a, ok in zip(answers, informative, strict=True) if ok]
    if fitted is None:
        word = _tfidf(both, analyzer="word", ngram_range=(1, 2), stop_words="english", min_df=1,
                      token_pattern=r"(?u)\b\w+\b")
    else:
        word = fitted.word
    words(0.25, f"comparing questions: counting the character n-grams of {len(both):,} texts")
    char = char_tfidf(both) if fitted is None else fitted.char
    fulls = [f"{q}\n{a}" if ok else q for q, a, ok in zip(questions, answers, informative, strict=True)]
    words(0.5, f"comparing questions: weighting the words of {len(items):,} questions")
    q_word, q_char = word.transform(questions), char.transform(questions)
    words(0.7, f"comparing questions: weighting the words of {len(items):,} answers")
    a_word, a_char, full_word = word.transform(answers), char.transform(answers), word.transform(fulls)
    texts = [it.text for it in items]
    together = [f"{q}\n{a}" for q, a in zip(questions, answers, strict=True)]
    if fitted is None:
        plain, qa_word = fit_plain_tfidf(texts)
        bm25_q, q_bm25 = fit_bm25(questions)
        bm25_a, a_bm25 = fit_bm25(answers)
        bm25_qa, qa_bm25 = fit_bm25(together)
        fitted = Vectorisers(boilerplate, placeholders, prompts, word, char, plain, bm25_q, bm25_a, bm25_qa)
    else:
        qa_word = fitted.plain.transform(texts)
        q_bm25, a_bm25 = fitted.bm25_questions.weigh(questions), fitted.bm25_answers.weigh(answers)
        qa_bm25 = fitted.bm25_items.weigh(together)
    words(1.0, f"comparing questions: {len(items):,} questions and answers weighted")
    q_sem = a_sem = a_chunks = qa_sem = None
    chunks = [answer_chunks(a) if ok else [] for a, ok in zip(answers, informative, strict=True)]
    spans = chunk_spans(chunks)
    if embedder is not None:
        q_sem = normalise_rows(_embed(embedder, questions, part(progress, 0.2, 0.45), "embedding questions"))
        q_sem[~asked] = 0.0  # a prompt alone says nothing of what is asked
        a_sem = np.zeros_like(q_sem)
        # an answer's first chunk is embedded after its question: that vector is the item's whole text
        # (what a plain embedding of question and answer reads) at no extra cost, and the answer's mean
        # still counts every chunk
        flat = [f"{q}\n{c}" if k == 0 else c for q, cs in zip(questions, chunks, strict=True) for k, c in enumerate(cs)]
        qa_sem = q_sem.copy()  # an item without an answer is its question
        if flat:
            a_chunks = normalise_rows(_embed(embedder, flat, part(progress, 0.45, 1.0), "embedding answers"))
            sizes = spans[:, 1] - spans[:, 0]
            owner = np.repeat(np.arange(len(items)), sizes)
            np.add.at(a_sem, owner, a_chunks)
            a_sem = normalise_rows(a_sem)
            qa_sem[sizes > 0] = a_chunks[spans[sizes > 0, 0]]
        else:
            a_chunks = np.zeros((0, q_sem.shape[1]), dtype=q_sem.dtype)
    return Fields(
        q_word=q_word,
        q_char=q_char,
        a_word=a_word,
        a_char=a_char,
        full_word=full_word,
        qa_word=qa_word,
        q_sem=q_sem,
        a_sem=a_sem,
        a_chunks=a_chunks,
        chunk_spans=spans,
        qa_sem=qa_sem,
        informative=informative,
        asked=asked,
        answers=answers,
        char=char,
        q_bm25=q_bm25,
        a_bm25=a_bm25,
        qa_bm25=qa_bm25,
        fitted=fitted,
    )


def _embed(embedder: Embedder, texts: Sequence[str], progress: Progress, stage: str) -> np.ndarray:
    """``embedder.encode(texts)``, telling ``progress`` of the texts done batch by batch."""
    count = counted(progress, stage, len(texts))
    count(0)
    vectors = encode(embedder, texts, count)
    count(len(texts))
    return vectors


def row_dots(matrix, left: np.ndarray, right: np.ndarray, chunk: int = 20000) -> np.ndarray:
    """Dot products of rows ``left[p]`` and ``right[p]`` for every pair ``p``, in bounded memory."""
    out = np.zeros(left.size, dtype=np.float32)
    for s in range(0, left.size, chunk):
        li, ri = left[s : s + chunk], right[s : s + chunk]
        if sp.issparse(matrix):
            out[s : s + chunk] = np.asarray(matrix[li].multiply(matrix[ri]).sum(axis=1)).ravel()
        else:
            out[s : s + chunk] = np.einsum("ij,ij->i", matrix[li], matrix[ri])
    return np.clip(out, 0.0, 1.0)
