"""The features of a candidate pair that the pair model weighs (:mod:`kg.similar.model`).

Every piece of evidence is a feature, none is a veto: wording (word and character TF-IDF, rescaled
against the bank's background, and BM25) and meaning (sentence embeddings, the answer as the mean of
its chunks and as its best-matching chunk) on the question and on the answer; the plain measures on
question and answer as one text (word TF-IDF, and the embedding of the text, which the model's window
cuts), so that the model can do at least what they do where the finer evidence misleads; concepts shared,
weighted by rarity; the same question after normalising; how alike the lengths are; and the checks of
:mod:`kg.similar.questions` (one template filled differently, questions naming different concepts,
one question asking more, the same opening word) and a word or two swapped between the questions
(:mod:`kg.similar.swaps`: "skewed to the left" / "to the right") as 0/1 features.

Meaning features exist only with an embedding model: :data:`WORDING` names the features without it,
:data:`SEMANTIC` those with it, and the model keeps one set of weights for each.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kg.model import QAItem
from kg.progress import Progress, no_progress, part
from kg.similar import bm25
from kg.similar.chunks import best_chunk_similarity
from kg.similar.copies import copy_key
from kg.similar.evidence import Evidence, pair_evidence
from kg.similar.search import candidates, unique_sorted
from kg.similar.stats import Background, BankStatistics, background, bank_statistics, whole_meaning
from kg.similar.vectors import Fields, row_dots
from kg.similar.words import WORD

#: Neighbours per item and representation in the candidate search (``score_pairs``'s default ``top_k``).
TOP_K = 20

#: Features computed without an embedding model, in the order of the model's weights.
WORDING: tuple[str, ...] = (
    "q_wording",  # question word + character TF-IDF cosine, rescaled against the bank
    "a_wording",  # the same on the answers (0 unless both answers are evidence)
    "q_bm25",  # symmetric, self-normalised BM25 of the questions
    "a_bm25",  # ... of the answers
    "q_char",  # raw character n-gram cosine of the questions: near-copies
    "q_same",  # the same question text after normalising
    "concepts",  # shared concepts weighted by rarity (weighted Jaccard)
    "a_length",  # shorter answer's words / longer answer's
    "q_length",  # shorter question's words / longer question's
    "template",  # one question template filled with different words
    "differ",  # the questions name different concepts
    "adds",  # one question asks all the other asks, and about a further concept
    "same_frame",  # the questions open with the same question word
    "answers",  # both answers are evidence (not empty, not boilerplate)
    "questions",  # both questions hold more than the bank's prompts (kg.similar.boilerplate)
    "q_a_wording",  # q_wording * a_wording: both sides agree
    "qa_wording",  # word TF-IDF cosine of question and answer together
    "qa_bm25",  # BM25 of question and answer together
    "qa_wording_rel",  # qa_wording / the better of the two items' best candidate match: 1 = a best match
    "qa_wording_rel_min",  # qa_wording / the lesser of the two: 1 = each is the other's best match
    "qa_wording_gap",  # how far below the better best match it lies
    "qa_tfidf",  # word TF-IDF cosine of the item's plain question + answer text, the plain baseline's measure
    # bank-relative: each similarity as a z-score against random pairs of the bank (bank_relative)
    "q_word_z",  # question word TF-IDF cosine
    "q_char_z",  # question character n-gram cosine
    "a_word_z",  # answer word TF-IDF cosine (0 unless both answers are evidence)
    "a_char_z",  # answer character n-gram cosine (the same)
    "qa_wording_z",  # qa_wording
    "qa_tfidf_z",  # qa_tfidf
    "swap",  # the questions differ by a word or two swapped, the rest equal (kg.similar.swaps)
)

#: Features with an embedding model: the wording ones, then meaning.
SEMANTIC: tuple[str, ...] = WORDING + (
    "q_meaning",  # cosine of the question embeddings
    "q_meaning_bank",  # the same, rescaled against the bank
    "a_meaning",  # cosine of the answer embeddings (mean of chunks)
    "a_meaning_bank",  # the same, rescaled against the bank
    "a_best_chunk",  # cosine of the best-matching answer chunks
    "q_a_meaning",  # q_meaning * a_meaning
    "qa_meaning",  # cosine of question + answer embeddings summed: the item as a whole
    "qa_meaning_rel",  # as qa_wording_rel, on qa_meaning
    "qa_meaning_rel_min",
    "qa_meaning_gap",
    "qa_text_meaning",  # cosine of question + answer embedded as one text, the plain baseline's measure
    "q_meaning_z",  # q_meaning against the bank (bank_relative)
    "a_meaning_z",  # a_meaning, the same (0 unless both answers are evidence)
    "qa_meaning_z",  # qa_meaning, the same
    "qa_text_meaning_z",  # qa_text_meaning, the same
)

#: How far from its bank's background a z-score may go: beyond, a bank whose random pairs barely vary
#: would give its close pairs weights no other bank's pairs reach.
Z_LIMIT = 20.0


@dataclass(frozen=True)
class PairFeatures:
    """Features of candidate pairs: ``values[p]`` for the pair ``(evidence.left[p], evidence.right[p])``."""

    names: tuple[str, ...]
    values: np.ndarray  # pairs x features, float64
    evidence: Evidence

    def column(self, name: str) -> np.ndarray:
        return self.values[:, self.names.index(name)]


def bank_relative(
    matrix,
    left: np.ndarray,
    right: np.ndarray,
    mask: np.ndarray | None = None,
    sim: np.ndarray | None = None,
    of: Background | None = None,
) -> np.ndarray:
    """Each pair's similarity as a z-score against the bank's background, clipped to :data:`Z_LIMIT`.

    The background is the mean and spread of the similarity over random pairs of the bank's items (of
    those in ``mask``), drawn as :func:`~kg.similar.evidence.background_pairs` draws them: it depends on
    the bank alone, not on the pairs scored, so "0.4 cosine" reads the same on a bank of short questions
    and one of long answers, and a bank scored whole or matched against gets the same values. ``sim``
    is the pairs' similarity when already computed; ``of`` the background when already taken
    (:func:`kg.similar.stats.background` of ``matrix`` and ``mask``).

    Examples
    --------
    >>> m = np.eye(4)[[0, 0, 1, 2, 3]].astype(np.float32)  # rows 0 and 1 alike, the rest apart
    >>> z = bank_relative(m, np.array([0, 2]), np.array([1, 3]))
    >>> bool(z[0] > 1 > 0 > z[1])
    True
    """
    if sim is None:
        sim = row_dots(matrix, left, right)
    sim = np.asarray(sim, dtype=np.float64)
    if of is None:
        of = background(matrix, mask)
    if of.mean is None:
        return np.zeros_like(sim)
    return np.clip((sim - of.mean) / of.spread, -Z_LIMIT, Z_LIMIT)


def _length_ratio(lengths: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    a, b = lengths[left], lengths[right]
    return np.divide(np.minimum(a, b), np.maximum(a, b), out=np.zeros(left.size), where=np.maximum(a, b) > 0)


def best_matches(matrix, neighbours: np.ndarray) -> np.ndarray:
    """Each item's best similarity over the candidate pairs (rows ``(i, j)``) it is in; 0 for none."""
    return best_over(matrix.shape[0], neighbours, row_dots(matrix, neighbours[:, 0], neighbours[:, 1]))


def best_over(n: int, neighbours: np.ndarray, sims: np.ndarray) -> np.ndarray:
    """Each of ``n`` items' best of ``sims``, the similarities of the pairs ``neighbours``."""
    best = np.zeros(n)
    if len(neighbours):
        found = sims.astype(np.float64)
        np.maximum.at(best, neighbours[:, 0], found)
        np.maximum.at(best, neighbours[:, 1], found)
    return best


def relative(
    matrix, left: np.ndarray, right: np.ndarray, neighbours: np.ndarray, best: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Each pair's similarity beside what its items' best matches reach: reciprocal-neighbour evidence.

    A pair at 0.6 where each item's best match is 0.6 says more than a pair at 0.6 in a corner of the
    bank where everything is alike at 0.8. ``neighbours`` are the candidate pairs (rows ``(i, j)``) an
    item's best match is taken over, the same the pairs come from; ``best`` is each item's best match
    when already known (:func:`best_matches`).
    """
    sim = row_dots(matrix, left, right).astype(np.float64)
    if best is None:
        best = best_matches(matrix, neighbours)
    high = np.maximum(np.maximum(best[left], best[right]), sim)  # a pair outside the candidates counts too
    low = np.maximum(np.minimum(best[left], best[right]), sim)
    ratio = lambda top: np.divide(sim, top, out=np.zeros_like(sim), where=top > 0)  # noqa: E731
    return {"sim": sim, "rel": ratio(high), "rel_min": ratio(low), "gap": high - sim}


def pair_features(
    items: Sequence[QAItem],
    fields: Fields,
    left: np.ndarray,
    right: np.ndarray,
    item_concepts: Mapping[str, Collection[str]],
    question_concepts: Mapping[str, Collection[str]] | None,
    progress: Progress = no_progress,
    neighbours: np.ndarray | None = None,
    stats: BankStatistics | None = None,
    best: Mapping[str, np.ndarray] | None = None,
) -> PairFeatures:
    """The features of each pair ``(left[p], right[p])``: :data:`SEMANTIC` when ``fields`` has
    embeddings, else :data:`WORDING`.

    ``neighbours`` are the candidate pairs of the bank (``(i, j)`` rows, :func:`kg.similar.search.candidates`
    with :data:`TOP_K`), over which each item's best match is taken; by default they are searched here.
    ``best`` gives those best matches when already known, by representation (``"wording"``: the whole
    item's word TF-IDF, ``"meaning"``: :func:`~kg.similar.stats.whole_meaning`); then ``neighbours`` is
    not used. ``stats`` are the bank statistics (:func:`~kg.similar.stats.bank_statistics`), by default
    those of ``items``: with them fixed, a pair's features depend on its two items and their best
    matches alone.

    Examples
    --------
    >>> from kg.similar.vectors import vectorise
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> bank = [mk(1, "What does dropout do?", "Dropout drops random units while training a net."),
    ...         mk(2, "What does dropout do?", "Dropout drops random units while training a net."),
    ...         mk(3, "What is a p-value?", "The chance of data this extreme under the null.")]
    >>> f = pair_features(bank, vectorise(bank, None), np.array([0, 0]), np.array([1, 2]), {}, None)
    >>> f.values.shape, f.column("q_same").tolist(), np.round(f.column("a_bm25"), 2).tolist()
    ((2, 29), [1.0, 0.0], [1.0, 0.0])
    """
    if neighbours is None and best is None:
        neighbours = np.array(sorted(candidates(fields, TOP_K)), dtype=np.int64).reshape(-1, 2)
    if stats is None:
        stats = bank_statistics(items, fields, item_concepts)
    of = stats.background
    ev = pair_evidence(
        items, fields, left, right, item_concepts, question_concepts, part(progress, 0.0, 0.8), stats
    )
    progress(0.8, f"comparing questions: weighing {left.size:,} candidate pairs")
    answers = ev.answers.astype(np.float64)
    questions = [it.question_text for it in items]
    q_bm25 = bm25.similarities(fields.q_bm25, left, right)
    a_bm25 = bm25.similarities(fields.a_bm25, left, right) * answers
    # per item, for the items of these pairs only (an edit run scores the pairs of a few items)
    needed = unique_sorted(np.concatenate([left, right])).tolist()
    keys = {i: copy_key(items[i]) for i in needed}
    same = np.array([keys[i] is not None and keys[i] == keys[j] for i, j in zip(left.tolist(), right.tolist())])
    a_words = np.zeros(len(items))
    q_words = np.zeros(len(items))
    a_words[needed] = [len(WORD.findall(fields.answers[i])) for i in needed]
    q_words[needed] = [len(WORD.findall(questions[i])) for i in needed]
    columns: dict[str, np.ndarray] = {
        "q_wording": ev.q_lex,
        "a_wording": ev.a_lex,
        "q_bm25": q_bm25,
        "a_bm25": a_bm25,
        "q_char": ev.q_char,
        "q_same": same,
        "concepts": ev.concept,
        "a_length": _length_ratio(a_words, left, right) * answers,
        "q_length": _length_ratio(q_words, left, right),
        "template": ev.template,
        "swap": ev.swap,
        "differ": ev.differ,
        "adds": ev.adds,
        "same_frame": ev.same_frame,
        "answers": answers,
        "questions": (fields.asked[left] & fields.asked[right]).astype(np.float64),
        "q_a_wording": ev.q_lex * ev.a_lex,
        "qa_bm25": bm25.similarities(fields.qa_bm25, left, right),
    }
    bests = best or {}
    empty = np.zeros((0, 2), dtype=np.int64)
    wording = relative(fields.full_word, left, right, empty if neighbours is None else neighbours, bests.get("wording"))
    columns |= {"qa_wording": wording["sim"], "qa_wording_rel": wording["rel"],
                "qa_wording_rel_min": wording["rel_min"], "qa_wording_gap": wording["gap"],
                "qa_tfidf": row_dots(fields.qa_word, left, right)}
    info = fields.informative
    columns |= {
        "q_word_z": bank_relative(fields.q_word, left, right, of=of["q_word"]),
        "q_char_z": bank_relative(fields.q_char, left, right, sim=ev.q_char, of=of["q_char"]),
        "a_word_z": bank_relative(fields.a_word, left, right, info, of=of["a_word"]) * answers,
        "a_char_z": bank_relative(fields.a_char, left, right, info, of=of["a_char"]) * answers,
        "qa_wording_z": bank_relative(fields.full_word, left, right, sim=wording["sim"], of=of["full_word"]),
        "qa_tfidf_z": bank_relative(fields.qa_word, left, right, sim=columns["qa_tfidf"], of=of["qa_word"]),
    }
    names = WORDING
    if (
        fields.q_sem is not None and fields.a_sem is not None and fields.qa_sem is not None
        and ev.q_sem is not None and ev.a_sem is not None and ev.q_meaning is not None and ev.a_meaning is not None
    ):
        names = SEMANTIC
        q_meaning = ev.q_meaning
        a_meaning = ev.a_meaning * answers
        chunks = fields.a_chunks if fields.a_chunks is not None else np.zeros((0, fields.q_sem.shape[1]))
        columns |= {
            "q_meaning": q_meaning,
            "q_meaning_bank": ev.q_sem,
            "a_meaning": a_meaning,
            "a_meaning_bank": ev.a_sem,
            "a_best_chunk": best_chunk_similarity(chunks, fields.chunk_spans, left, right) * answers,
            "q_a_meaning": q_meaning * a_meaning,
        }
        whole = whole_meaning(fields)
        meaning = relative(whole, left, right, empty if neighbours is None else neighbours, bests.get("meaning"))
        columns |= {"qa_meaning": meaning["sim"], "qa_meaning_rel": meaning["rel"],
                    "qa_meaning_rel_min": meaning["rel_min"], "qa_meaning_gap": meaning["gap"],
                    "qa_text_meaning": row_dots(fields.qa_sem, left, right)}
        columns |= {
            "q_meaning_z": bank_relative(fields.q_sem, left, right, sim=q_meaning, of=of["q_sem"]),
            "a_meaning_z": bank_relative(fields.a_sem, left, right, info, sim=ev.a_meaning, of=of["a_sem"]) * answers,
            "qa_meaning_z": bank_relative(whole, left, right, sim=meaning["sim"], of=of["whole"]),
            "qa_text_meaning_z": bank_relative(
                fields.qa_sem, left, right, sim=columns["qa_text_meaning"], of=of["qa_sem"]
            ),
        }
    values = np.column_stack([np.asarray(columns[n], dtype=np.float64) for n in names]) if left.size else (
        np.zeros((0, len(names)))
    )
    progress(1.0, f"comparing questions: {left.size:,} candidate pairs weighed")
    return PairFeatures(names, values, ev)
