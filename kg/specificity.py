"""How specific a concept is to a bank: the generic tier.

Some concepts are everyday English words that a bank's answers use in passing in many questions
("parameter", "observation", "resource"): kept, but they crowd the top of every list and hub the
graph. Each concept gets a specificity from 0 (generic) to 1 (specific) from evidence that holds on
any bank:

* how common its name is in general English (Zipf frequency from ``wordfreq``): only a single plain
  word can be common; a term of several words, an acronym or a mixed-case name ("vanishing gradient
  problem", "LSTM", "HttpClient") is as specific as its words together, which is rare;
* how it is written: a word the bank capitalises mid-sentence ("Linux", "Azure") is a name;
* how broadly the bank's answers mention it in passing: the share of questions that mention it
  without naming it in the question, scaled down for banks with long answers, which mention more
  words per question;
* terms of art that are common English words ("loss", "regression": the glossary's ``terms``, and
  every name in the bank's ``concepts.toml``) are never generic; its ``specific`` and ``generic``
  lists decide for the concepts they name.

Specificity is ``1 - commonness * breadth``, each part in [0, 1]; a concept is generic when it is
at most :data:`GENERIC_AT` and at least :data:`MIN_PASSING` questions mention it in passing.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from kg.model import Concept, Mention, QAItem

# Zipf frequency (log10 of uses per billion words) from which a word starts to be, and is fully,
# everyday English: "overfitting" 1.8 is not, "prediction" 4.0 is.
RARE_ZIPF = 2.5
EVERYDAY_ZIPF = 4.0
# Share of questions mentioning a word in passing from which it starts to be, and is fully, broad.
NARROW_SHARE = 0.01
BROAD_SHARE = 0.05
# Answers longer than this (words per question on average) mention more words each; the share is
# scaled down in proportion, so that a bank of long answers is not all broad.
REFERENCE_WORDS = 60.0
GENERIC_AT = 0.5
MIN_PASSING = 3  # a word a small bank uses in passing twice is not yet a pattern

_PLAIN_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True)
class Evidence:
    """What a bank says about one concept, for :func:`specificity`."""

    label: str
    questions: int  # questions that mention it, in the question or the answer
    asked: int  # questions whose question names it
    named: float = 0.0  # share of its mentions after a sentence's first word that are capitalised
    defined: bool = False  # a question of the bank asks what it is ("What are directives?")


def commonness(label: str, zipf: Callable[[str], float], terms: Collection[str] = ()) -> float:
    """How everyday an English word a concept's name is, from 0 to 1.

    Examples
    --------
    >>> table = {"parameter": 3.6, "overfitting": 1.8, "gradient": 3.5}.get
    >>> zipf = lambda w: table(w, 0.0)
    >>> commonness("parameter", zipf) > 0.5, commonness("overfitting", zipf)
    (True, 0.0)
    >>> commonness("vanishing gradient problem", zipf), commonness("LSTM", zipf)
    (0.0, 0.0)
    >>> commonness("gradient", zipf, terms={"gradient"})
    0.0
    """
    if not _PLAIN_WORD.fullmatch(label) or label in terms:
        return 0.0
    return _clip((zipf(label) - RARE_ZIPF) / (EVERYDAY_ZIPF - RARE_ZIPF))


def breadth(passing: int, questions: int, words_per_question: float) -> float:
    """How broadly a bank mentions a concept in passing, from 0 to 1.

    Examples
    --------
    >>> breadth(50, 1000, 60.0), breadth(5, 1000, 60.0)
    (1.0, 0.0)
    >>> breadth(50, 1000, 240.0) < breadth(50, 1000, 60.0)
    True
    """
    if passing <= 0 or questions <= 0:
        return 0.0
    share = passing / questions * min(1.0, REFERENCE_WORDS / max(words_per_question, 1.0))
    return _clip(math.log(share / NARROW_SHARE) / math.log(BROAD_SHARE / NARROW_SHARE))


def specificity(
    ev: Evidence,
    questions: int,
    words_per_question: float,
    zipf: Callable[[str], float],
    terms: Collection[str] = (),
) -> float:
    """Specificity of a concept in a bank of ``questions`` questions, from 0 (generic) to 1.

    Examples
    --------
    >>> zipf = {"observation": 4.1, "dropout": 3.1}.get
    >>> specificity(Evidence("observation", 60, 2), 1000, 60.0, zipf)
    0.0
    >>> specificity(Evidence("dropout", 60, 30), 1000, 60.0, zipf) > 0.5
    True
    """
    if ev.named >= 0.5 or ev.defined:
        return 1.0
    common = commonness(ev.label, zipf, terms)
    if common == 0.0:
        return 1.0
    return round(1.0 - common * breadth(ev.questions - ev.asked, questions, words_per_question), 4)


def is_generic(ev: Evidence, score: float) -> bool:
    """Whether a concept of this evidence and specificity falls in the generic tier."""
    return score <= GENERIC_AT and ev.questions - ev.asked >= MIN_PASSING


def evidence(concepts: Iterable[Concept], mentions: Iterable[Mention]) -> dict[str, Evidence]:
    """The :class:`Evidence` of each concept, from its mentions.

    Examples
    --------
    >>> cs = [Concept("linux", "linux", (), ("a", "b"))]
    >>> ms = [Mention("linux", "a", "question", 9, 14, "Linux", "What is Linux?"),
    ...       Mention("linux", "b", "answer", 0, 5, "linux", "linux is a kernel.")]
    >>> evidence(cs, ms)["linux"]
    Evidence(label='linux', questions=2, asked=1, named=1.0, defined=True)
    """
    asked: dict[str, set[str]] = defaultdict(set)
    defined: set[str] = set()
    inner: dict[str, list[bool]] = defaultdict(list)  # capitalised or not, for mentions inside a sentence
    for m in mentions:
        if m.field == "question":
            asked[m.concept].add(m.item)
            if m.concept not in defined and asks_what(m.sentence, m.text):
                defined.add(m.concept)
        if m.text[:1].isalpha() and not m.sentence.lstrip().startswith(m.text):
            inner[m.concept].append(m.text[:1].isupper())
    out = {}
    for c in concepts:
        caps = inner.get(c.id, [])
        named = sum(caps) / len(caps) if caps else 0.0
        out[c.id] = Evidence(c.label, len(c.questions), len(asked.get(c.id, ())), round(named, 4), c.id in defined)
    return out


_WHAT_IS = re.compile(
    r"\W*(?:what\s+(?:is|are)|define|what\s+do\s+you\s+(?:mean|understand)\s+by)\s+(?:an?\s+|the\s+)?(?P<term>.+?)"
    r"\s*(?:\?|$)",
    re.I,
)


# "... and how is it used?": a second question after the one that asks what the term is
_SECOND_ASK = re.compile(r",|\s+and\s+(?=(?:how|what|why|when|where|which|who)\b)", re.I)
# "in Kubernetes", "within a cluster": the field or setting the term is asked in; "of" is left alone,
# since "the role of a parameter" asks about a role
_SCOPE = re.compile(r"\s+(?:in|within|inside|for)\s+[^,]+$", re.I)


def asks_what(sentence: str, term: str) -> bool:
    """Whether ``sentence`` asks what ``term`` is: a bank that defines a word treats it as one of
    its terms, however everyday the word ("What are directives?" in a bank on a web framework).

    Examples
    --------
    >>> asks_what("What are directives?", "directives"), asks_what("Define a parameter.", "parameter")
    (True, True)
    >>> asks_what("What is the role of a parameter in a model?", "parameter")
    False
    >>> asks_what("What are channels in Go and how are they used?", "channels")
    True
    """
    m = _WHAT_IS.match(sentence.strip())
    if m is None:
        return False
    asked = _SECOND_ASK.split(m.group("term"), maxsplit=1)[0].strip(" .")
    return term.casefold() in (asked.casefold(), _SCOPE.sub("", asked).casefold())


def words_per_question(items: Sequence[QAItem]) -> float:
    """Average words of question and answer text per item (0 for no items)."""
    if not items:
        return 0.0
    return sum(len(i.question_text.split()) + len(i.answer_text.split()) for i in items) / len(items)


def english_zipf() -> Callable[[str], float]:
    """Zipf frequency of an English word, from ``wordfreq``'s bundled lists (no network)."""
    from wordfreq import zipf_frequency

    return lambda word: zipf_frequency(word, "en")


def rate_concepts(
    items: Sequence[QAItem],
    concepts: Sequence[Concept],
    mentions: Iterable[Mention],
    *,
    terms: Collection[str] = (),
    specific: Collection[str] = (),
    generic: Collection[str] = (),
    zipf: Callable[[str], float] | None = None,
) -> tuple[Concept, ...]:
    """The concepts with their ``specificity`` and ``generic`` set, in the same order.

    ``terms`` are names never generic (terms of art, the user's own concepts). ``specific`` and
    ``generic`` are what the bank's ``concepts.toml`` says: a concept whose label or alias is named
    there is specific (1.0) or generic (0.0), whatever the evidence.

    Examples
    --------
    >>> items = [QAItem(f"q{k}", k, "q", "a", "b.md", k, "q", "some words " * 10) for k in range(10)]
    >>> cs = [Concept("variable", "variable", (), tuple(f"q{k}" for k in range(6))),
    ...       Concept("lasso", "lasso", (), ("q1", "q2", "q3"))]
    >>> ms = [Mention(c.id, q, "answer", 5, 10, c.label, "A " + c.label) for c in cs for q in c.questions]
    >>> zipf = {"variable": 4.1, "lasso": 2.6}.get
    >>> [(c.label, c.generic) for c in rate_concepts(items, cs, ms, zipf=zipf)]
    [('variable', True), ('lasso', False)]
    """
    from kg.extract.keys import fold

    freq = zipf or english_zipf()
    known = {t.lower() for t in terms}
    said_specific, said_generic = {fold(t) for t in specific}, {fold(t) for t in generic}
    per_concept = evidence(concepts, mentions)
    wpq = words_per_question(items)
    out = []
    for c in concepts:
        names = {fold(n) for n in (c.label, *c.aliases)}
        if names & said_specific:
            out.append(replace(c, specificity=1.0, generic=False))
        elif names & said_generic:
            out.append(replace(c, specificity=0.0, generic=True))
        else:
            ev = per_concept[c.id]
            score = specificity(ev, len(items), wpq, freq, known)
            out.append(replace(c, specificity=score, generic=is_generic(ev, score)))
    return tuple(out)


def ranked(concepts: Iterable[Concept], key: Callable[[Concept], object]) -> list[Concept]:
    """Concepts ordered by ``key``, the generic ones after all the specific ones."""
    return sorted(concepts, key=lambda c: (c.generic, key(c)))


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))
