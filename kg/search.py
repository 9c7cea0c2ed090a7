"""Search a bank as a search box does: concepts by name, questions by their words and by meaning.

* Concepts match on their label and aliases, in lower case and without punctuation or spaces:
  exactly ("relu" finds ReLU), as a prefix ("lst" finds LSTM), with a typo (in a name of five letters
  or more, a letter wrong, missing, extra or swapped after the first; two in a long name), or named in
  the query ("What is ReLU?").
* Questions match on words, by BM25 over the question and, with a lower weight, its answer; and, when
  an embedder is given, on meaning: the cosine of the query's embedding with each question's.

The two lists are blended into one, best first, with a concept whose name the query is (or nearly
is) ahead of everything. Scores are in [0, 1] and comparable across queries, so a query that matches
nothing returns nothing rather than the least bad of the bank.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from kg.embed import Embedder, normalise_rows
from kg.model import Concept, QAItem, cnode, qnode

_WORD = re.compile(r"[^\W_]+")
_TAILS = {"problem", "problems", "issue", "issues"}  # "vanishing gradients" is "the vanishing gradient problem"

K1, B = 1.2, 0.75  # BM25
ANSWER_WEIGHT = 0.4  # an answer's words count this much against the question's
STRONG = 0.9  # a concept matching this well is listed before every question
MIN_SCORE = 0.3  # hits below this are noise
CONTAINED = 0.5  # the most a concept named inside a longer query scores
NARROWER = 0.5  # a longer name holding the query's words ("linear regression" for "regression"), and more
MOST_NARROWER = 4  # the best of these come right after the concept the query names, before any question
MEANING_FLOOR, MEANING_FULL = 0.4, 0.8  # cosines of a query and a question: unrelated below, the same above


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def words(text: str) -> list[str]:
    """Lower-case words of ``text``, plurals folded; punctuation splits words ("p-value": p, value).

    Examples
    --------
    >>> words("What are p-values and ReLUs?")
    ['what', 'are', 'p', 'value', 'and', 'relu']
    """
    return [_singular(w) for w in _WORD.findall(text.casefold())]


def name_key(text: str) -> str:
    """A name without case, punctuation, spaces, plurals or a trailing "problem": "ReLU" and "relu" agree.

    Examples
    --------
    >>> name_key("ReLUs"), name_key("vanishing-gradient problem") == name_key("Vanishing gradients")
    ('relu', True)
    """
    found = words(text)
    if len(found) > 1 and found[-1] in _TAILS:
        found = found[:-1]
    return "".join(found)


def _terms(text: str) -> list[str]:
    """Search terms: words of two letters or more that are not stop words, each hyphenated compound
    joined ("p-value": value, pvalue), and a letter standing alone (not "a" or "I") joined to the word after it, as
    people write such names with a space too ("p value", "t test": pvalue, ttest).

    >>> _terms("the p value of a t test"), _terms("the p-value")
    (['value', 'test', 'pvalue', 'ttest'], ['value', 'pvalue'])
    """
    found = words(text)
    terms = [w for w in found if len(w) > 1 and w not in ENGLISH_STOP_WORDS]
    terms += ["".join(words(c)) for c in re.findall(r"\w+(?:[-/]\w+)+", text)]
    spaced = [a + b for a, b in zip(found, found[1:]) if len(a) == 1 and a.isalpha() and a not in "ai" and len(b) > 1]
    return terms + [t for t in spaced if t not in terms]  # "p-value" is joined once


@dataclass(frozen=True)
class Hit:
    """One search result: a graph node (:func:`~kg.model.cnode` / :func:`~kg.model.qnode`), its score in
    [0, 1], and how it matched (``"name"``, ``"narrower"``: a longer name holding the query's words, ``"words"``,
    ``"meaning"``)."""

    node: str
    score: float
    how: str


@dataclass(frozen=True)
class _Field:
    """BM25 statistics of one text field over the bank."""

    counts: list[Counter[str]]
    lengths: np.ndarray
    df: Counter[str]

    @classmethod
    def of(cls, texts: Sequence[str]) -> _Field:
        counts = [Counter(_terms(t)) for t in texts]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        return cls(counts, np.array([sum(c.values()) for c in counts], dtype=float), df)

    def idf(self, term: str) -> float:
        n = len(self.counts)
        return math.log(1 + (n - self.df.get(term, 0) + 0.5) / (self.df.get(term, 0) + 0.5))

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """How much of the query's weight each text holds, in [0, 1): BM25 against what a text of average
        length that names every query term once scores."""
        n = len(self.counts)
        if not n or not terms:
            return np.zeros(n)
        average = float(self.lengths.mean()) or 1.0
        norm = K1 * (1 - B + B * self.lengths / average)
        out = np.zeros(n)
        most = 0.0
        for term in terms:
            weight = self.idf(term)
            most += weight
            tf = np.array([c.get(term, 0) for c in self.counts], dtype=float)
            out += weight * tf * (K1 + 1) / (tf + norm)  # 1 for one mention in a text of average length
        # one mention of every term in a text of average length scores 0.8; more, or a shorter text, more
        return 1 - np.exp(-1.6 * out / most) if most else out


@dataclass(frozen=True)
class SearchIndex:
    """What a search looks through, built once per bank (:func:`search_index`)."""

    items: tuple[QAItem, ...]
    names: tuple[tuple[str, str, str], ...]  # (name key, name as written, concept id), labels then aliases
    questions: _Field = field(repr=False)
    answers: _Field = field(repr=False)
    vectors: np.ndarray | None = field(default=None, repr=False)  # unit rows, one per item
    asked: Mapping[str, int] = field(default_factory=dict, repr=False)  # questions per concept node


def search_index(
    items: Sequence[QAItem], concepts: Sequence[Concept], question_vectors: np.ndarray | None = None
) -> SearchIndex:
    """Index a bank's concept names and question and answer words for :func:`search`.

    Parameters
    ----------
    items, concepts
        The bank (:class:`~kg.pipeline.Bank` ``.items`` and ``.concepts``).
    question_vectors
        Embeddings of each item's ``question_text``, rows aligned with ``items``, for the meaning part
        of :func:`search`; ``None`` searches by name and words only.

    Notes
    -----
    Linear in the bank's words: a few tenths of a second for 1,300 questions with long answers.
    """
    names = [(name_key(c.label), c.label, c.id) for c in concepts]
    names += [(name_key(a), a, c.id) for c in concepts for a in c.aliases]
    vectors = None if question_vectors is None else normalise_rows(np.asarray(question_vectors))
    return SearchIndex(
        items=tuple(items),
        names=tuple((k, n, cid) for k, n, cid in names if k),
        questions=_Field.of([i.question_text or i.question for i in items]),
        answers=_Field.of([i.answer_text for i in items]),
        vectors=vectors,
        asked={cnode(c.id): len(c.questions) for c in concepts},
    )


def _name_score(query: str, query_words: list[str], key: str, name: str) -> tuple[float, str]:
    """How well a concept name matches the query, in [0, 1], and how: ``"name"``, ``"typo"`` for a name a
    letter or two from it, or ``"narrower"`` for a longer name that holds the query's words."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import DamerauLevenshtein

    if query == key:
        return 1.0, "name"
    name_words = words(name)
    # the query's words in a longer name, at its start or inside ("gradient descent", "logistic
    # regression" for "regression"): a narrower concept
    narrower = len(query) >= 3 and len(query_words) < len(name_words) and _holds_run(name_words, query_words)
    if len(query) >= 2 and key.startswith(query):
        return 0.6 + 0.3 * len(query) / len(key), "narrower" if narrower else "name"
    if len(query) >= 5 and len(key) >= 5:
        # A typo: one letter wrong, missing, extra or swapped after the first (two in a name of 12 letters
        # or more), or close overall. Ratio alone missed one wrong letter in a short name ("kernal", 0.83).
        typos = DamerauLevenshtein.distance(query, key, score_cutoff=2) if query[0] == key[0] else 3
        close = fuzz.ratio(query, key) / 100
        if typos <= (1 if len(key) < 12 else 2) or close >= 0.85:
            return 0.9 * max(close, 1 - typos / max(len(query), len(key))), "typo"
    if narrower:  # worth more the more of the name the query covers
        return NARROWER + 0.25 * len(query) / len(key), "narrower"
    # the name inside a longer query ("What is ReLU?"): worth the share of the query it covers, and
    # less than a question that matches the query as well (one asking "What is ReLU?" is the better hit)
    if len(key) < 2:
        return 0.0, "name"
    content = [w for w in query_words if w not in ENGLISH_STOP_WORDS] or query_words
    if _holds_run(query_words, name_words):
        return CONTAINED * min(1.0, len(name_words) / len(content)), "name"
    return 0.0, "name"


def _holds_run(longer: list[str], run: list[str]) -> bool:
    """Whether ``run`` stands in ``longer`` as consecutive words.

    >>> _holds_run(["logistic", "regression", "model"], ["regression", "model"]), _holds_run(["a", "b"], ["b", "a"])
    (True, False)
    """
    n = len(run)
    return any(longer[i : i + n] == run for i in range(len(longer) - n + 1))


def search(index: SearchIndex, query: str, embedder: Embedder | None = None, limit: int = 10) -> list[Hit]:
    """The concepts and questions ``query`` finds, best first, at most ``limit``.

    Parameters
    ----------
    index
        From :func:`search_index`.
    query
        What was typed: a name ("relu"), a few words, or a question.
    embedder
        Encodes the query for the meaning part; used only when the index holds question vectors. The
        query goes to the model of a :class:`~kg.embed.CachedEmbedder`, not to its disk cache.
    limit
        Most hits returned.

    Returns
    -------
    list of Hit
        Concepts whose name the query is (or nearly is) first, then everything else by score; nothing
        scoring under :data:`MIN_SCORE`.

    Examples
    --------
    >>> mk = lambda i, q, a: QAItem(str(i), i, q, a, "b.md", i, q, a)
    >>> items = [mk(1, "What does dropout do?", "It drops random units."),
    ...          mk(2, "Define p-value in hypothesis testing.", "The chance of data this extreme.")]
    >>> index = search_index(items, [Concept("relu", "ReLU", ("rectified linear unit",))])
    >>> [h.node for h in search(index, "relu")], [h.node for h in search(index, "What is a p-value?")]
    (['c:relu'], ['q:2'])
    >>> search(index, "zebra crossing")
    []
    """
    qwords = words(query)
    qkey = "".join(qwords)
    if not qkey:
        return []
    hits = Hits()
    add = hits.add
    for key, name, cid in index.names:
        add(cnode(cid), *_name_score(qkey, qwords, key, name))

    terms = _terms(query)
    if index.items and terms:
        asked = index.questions.scores(terms)
        wording = asked + ANSWER_WEIGHT * index.answers.scores(terms) * (1 - asked)  # the answer fills in
        meaning = np.zeros(len(index.items))
        if embedder is not None and index.vectors is not None and index.vectors.size:
            # the model itself, not its disk cache: every query typed would leave a file there
            model = getattr(embedder, "inner", embedder)
            vector = normalise_rows(model.encode([query]))[0]
            cosine = index.vectors @ vector
            meaning = np.clip((cosine - MEANING_FLOOR) / (MEANING_FULL - MEANING_FLOOR), 0.0, 1.0)
        # either kind of evidence alone can find a question; both together rank it higher
        score = np.maximum(wording, meaning) + 0.25 * np.minimum(wording, meaning)
        score = np.minimum(score, 0.99)  # below a concept the query names exactly
        for k in np.argsort(-score, kind="stable")[: limit * 3]:
            how = "meaning" if meaning[k] > wording[k] else "words"
            add(qnode(index.items[k].id), score[k], how)

    return hits.ranked(limit, index.asked)


class Hits:
    """The best hit per node found so far, of those scoring :data:`MIN_SCORE` or more."""

    def __init__(self) -> None:
        self.best: dict[str, Hit] = {}

    def add(self, node: str, score: float, how: str) -> None:
        if score >= MIN_SCORE and (node not in self.best or score > self.best[node].score):
            self.best[node] = Hit(node, round(float(score), 4), how)

    def narrower(self) -> list[Hit]:
        """The concepts found by a longer name that holds the query's words."""
        return [h for h in self.best.values() if h.how == "narrower"]

    def ranked(self, limit: int, asked: Mapping[str, int] | None = None) -> list[Hit]:
        """Concepts the query names (or nearly) first, then the :data:`MOST_NARROWER` longer names that hold
        its words of the concepts in most questions (``asked``, by concept node), then everything else by
        score; at most ``limit``. Names a typo away are left out when a concept's name is the query.

        >>> hits = Hits()
        >>> hits.add("c:p-value", 1.0, "name"); hits.add("c:fp-value", 0.83, "typo"); hits.add("q:1", 0.5, "words")
        >>> [h.node for h in hits.ranked(10)]
        ['c:p-value', 'q:1']
        """
        asked = asked or {}
        # A name spelled as typed leaves out the names a letter or two from it: "p-value" is no typo of
        # "fp value", "PDF value" or "PMF value" when the bank has "p-value".
        exact = any(h.score >= 1.0 and h.node.startswith("c:") for h in self.best.values())
        hits = [h for h in self.best.values() if not (exact and h.how == "typo")]
        narrower = sorted(self.narrower(), key=lambda h: (-asked.get(h.node, 0), -h.score, h.node))
        first = {h.node: k for k, h in enumerate(narrower[:MOST_NARROWER])}

        def key(h: Hit) -> tuple:
            if h.score >= STRONG and h.node.startswith("c:"):
                return 0, 0, -h.score, h.node
            return (1, first[h.node], 0.0, "") if h.node in first else (2, 0, -h.score, h.node)

        return sorted(hits, key=key)[:limit]
