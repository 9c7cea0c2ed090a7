"""How far a learner can trust a typed relation: its evidence, and a probability that it is right.

Each statement of a relation gets a few pieces of evidence read off its sentence, all general:

- ``reader:NAME`` and ``class:NAME``: the construction that read it (a verb with its object, "X is a
  Y", "X such as Y", "X vs Y", ...) and the class, whose precision differs from one to another;
- ``question``: the sentence asks ("What is the difference between X and Y?"), which names its
  concepts with care; ``fragment``: no finite verb (a heading, a list label, a table row);
- ``colon``: a label and a colon in the sentence ("Sensitivity to Scaling: PCA is ...");
- ``imperative``: the sentence opens with a verb of command, and has no subject;
- ``cut_left``, ``cut_right``: an end whose noun phrase goes on past the concept ("subset selection"
  of "best subset selection", "lookup" of "lookup token"), so the end may not be the concept meant;
  ``cut_right_term`` when the noun it modifies is no generic head ("lookup token", not "clustering
  algorithm"). An end cut on its left by a noun or participle of the term ("autoencoder" of
  "denoising autoencoders") is not typed at all (:func:`cut_mid_term`, applied by the walk);
- ``pointer``: an end that points elsewhere ("its omission", "which technique", a tail "this variability"; a head
  "this" or "these" points with is not typed at all, :func:`demonstrative`);
- ``verb_in_end``: an end holding a verb ("transform feature", "decomposes large weight"): a broken span;
- ``head_of_phrase``: the head sits in an "of" phrase ("the number of predictors vs R2");
- ``relative``: a relative pronoun between the ends, which the parser often hangs on the wrong noun;
- ``path``: how far apart the ends are in the parse (beyond two edges), as when a subject is looked
  for up the tree;
- ``long``: the sentence's length in tokens over 25, parses getting worse as sentences grow;
- ``list``: commas of a list or a flattened table (four or more);
- ``gap``: how many words stand between the ends (its logarithm), each a place where the parse can
  attach a clause to the wrong noun;
- ``subject``: the head is the subject of the sentence's main clause, so the sentence is about it
  rather than about something a subordinate clause mentions;
- ``one_word``: an end that is one lower-case noun ("classification", "lookup"), which is more often
  a field named for a class or a term cut short than a multi-word or proper name is;
- ``predicate_head``: the head is the predicate noun of "X is a Y" ("Y built on Z", "Y that contains Z"),
  a description of X rather than a concept the relation is about. Such a clause is said of X where X is
  named (:func:`kg.relations.clause.described`); the predicate noun stays the head where it is not
  ("..., which is a store built on Z").

A logistic model turns them into a probability (:func:`confidence`); its weights are fitted on the
hand-judged samples of ``bench/labels/relations_*.json`` by ``bench/relations.py --fit`` and shipped
in ``kg/data/relation_confidence.json``. A relation several items state is more likely
right than any one statement of it (:func:`combine`). The app and the export show a relation when its
confidence is at least :func:`threshold` (the file's ``threshold``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Container, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:  # a stored bank's relations combine confidences without spaCy
    from spacy.tokens import Span, Token

_FINITE = frozenset({"VBZ", "VBP", "VBD", "MD"})
_VERB_TAGS = _FINITE | {"VB"}
_LEFT_MODIFIERS = frozenset({"amod", "compound", "nmod", "nummod", "advmod", "npadvmod"})
_RELATIVE = frozenset({"which", "that", "who", "whom"})
_POINTERS = frozenset({"this", "these", "that", "those", "its", "their", "which", "what"})
LONG_SENTENCE = 25  # tokens; the parse of a longer sentence is less often right

Evidence = dict[str, float]


class _Rated(Protocol):
    @property
    def confidence(self) -> float: ...


R = TypeVar("R", bound=_Rated)


def evidence(sent: Span, reader: str, relation: str, head: Span, tail: Span) -> Evidence:
    """The evidence for one statement: ``head`` and ``tail`` concept spans in ``sent``, read by ``reader``
    as ``relation``.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc, Span
    >>> doc = Doc(English().vocab, words=["ReLU", "mitigates", "saturation", "."], heads=[1, 1, 1, 1],
    ...           deps=["nsubj", "ROOT", "dobj", "punct"], tags=["NNP", "VBZ", "NN", "."])
    >>> ev = evidence(doc[0:4], "verb_with_object", "mitigates", doc[0:1], doc[2:3])
    >>> sorted(ev), round(ev["gap"], 3)  # one word between the ends, the head the main clause's subject
    (['class:mitigates', 'gap', 'reader:verb_with_object', 'subject'], 0.693)
    """
    toks = list(sent)
    out: Evidence = {f"reader:{reader}": 1.0, f"class:{relation}": 1.0}
    if sent.text.rstrip().endswith("?"):
        out["question"] = 1.0
    if not any(t.tag_ in _FINITE for t in toks):
        out["fragment"] = 1.0
    if toks and toks[0].tag_ == "VB" and toks[0].dep_ == "ROOT":
        out["imperative"] = 1.0  # "Implement the backward pass using X": an instruction, and no subject
    if any(t.text == ":" for t in toks[:-1]):
        out["colon"] = 1.0
    for name, test in (
        ("cut_left", _cut_left),
        ("cut_right", _cut_right),
        ("cut_right_term", _cut_right_term),
        ("pointer", _pointer),
    ):
        n = sum(test(end) for end in (head, tail))
        if n:
            out[name] = float(n)
    if any(t.tag_ in _VERB_TAGS or t.pos_ == "AUX" for end in (head, tail) for t in end):
        out["verb_in_end"] = 1.0
    if head.root.dep_ == "pobj" and head.root.head.lower_ == "of" and head.root.head.head.pos_ in ("NOUN", "PROPN"):
        out["head_of_phrase"] = 1.0  # "the number of predictors vs R2": the relation is the number's
    lo, hi = sorted((head.end, tail.end))
    if any(t.lower_ in _RELATIVE and t.dep_ in ("nsubj", "nsubjpass", "dobj") for t in sent.doc[lo:hi]):
        out["relative"] = 1.0
    path = _tree_distance(head.root, tail.root)
    if path > 2:
        out["path"] = math.log(path / 2)  # ends far apart in the parse: a subject looked for up the tree
    if len(toks) > LONG_SENTENCE:
        out["long"] = math.log(len(toks) / LONG_SENTENCE)
    if sum(t.text == "," for t in toks) >= 4:
        out["list"] = 1.0
    first, last = sorted((head, tail), key=lambda end: end.start)
    if last.start > first.end:
        out["gap"] = math.log1p(last.start - first.end)  # words between the ends: room for a wrong attachment
    if head.root.dep_ in ("nsubj", "nsubjpass") and head.root.head.dep_ == "ROOT":
        out["subject"] = 1.0  # the head is the main clause's subject: what the sentence is about
    n = sum(len(end) == 1 and end[0].is_lower and end[0].pos_ == "NOUN" for end in (head, tail))
    if n:
        out["one_word"] = float(n)  # one lower-case noun: often a field or a cut term ("classification")
    if head.root.dep_ == "attr":
        out["predicate_head"] = 1.0  # "..., which is a platform built on Z": the platform describes what "which" is
    return out


def _cut_left(end: Span) -> bool:
    """A modifier of the end's words stands left of it: "subset selection" of "best subset selection"."""
    return any(c.dep_ in _LEFT_MODIFIERS and c.i < end.start for t in end for c in t.lefts)


def cut_mid_term(end: Span, mentioned: Container[int] = (), verbs: Container[str] = ()) -> bool:
    """A word of the term itself stands left of the end: "autoencoder" of "denoising autoencoder",
    "key" of "copied key/value pairs", "cross-validation" of "k-fold cross-validation".

    The word is a noun or a participle that modifies the end, outside it and outside any other
    mention (``mentioned``: the indices of tokens in a concept mention), and not a gerund of ``verbs``
    that states the relation itself ("reducing X and accelerating model convergence", read as a
    modifier). An adjective is left to the
    evidence (``cut_left``): it grades ("aggressive prefetching") as often as it names. A generic
    noun ("model convergence"), a number, a modifier coordinated with the end's own ("L1 and L2
    regularization") and a graded phrase ("a widely used function") are no part of the term.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["denoising", "autoencoders", "help"], heads=[1, 2, 2],
    ...           deps=["amod", "nsubj", "ROOT"], tags=["VBG", "NNS", "VBP"], pos=["VERB", "NOUN", "VERB"])
    >>> cut_mid_term(doc[1:2]), cut_mid_term(doc[0:2]), cut_mid_term(doc[1:2], mentioned={0})
    (True, False, False)
    """
    return any(
        c.dep_ in _LEFT_MODIFIERS
        and c.i < end.start
        and c.i not in mentioned
        and c.is_alpha
        and c.pos_ != "ADJ"
        and not (c.tag_ == "VBG" and c.lemma_.lower() in verbs)
        and not grading(c)
        and not _coordinated(c)
        and not any(g.dep_ == "advmod" for g in c.children)
        and not any(b.text in ("(", "[") for b in end.doc[c.i + 1 : end.start])  # "Gaussian (L2 penalty)"
        for t in end
        for c in t.lefts
    )


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")


def number_cut(end: Span) -> bool:
    """A number in digits left of the end modifies one of its words other than its head: "way handshake" of
    "3 way handshake", "party tools" of "3rd party tools". A number on the head counts the things ("3 GPUs"),
    and so does one in words, wherever the parser hangs it ("one MySQL primary", "three weight matrices").

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["uses", "3", "way", "handshake", "and", "3", "GPUs"],
    ...           heads=[0, 2, 3, 0, 0, 6, 0], deps=["ROOT", "nummod", "compound", "dobj", "cc", "nummod", "conj"])
    >>> number_cut(doc[2:4]), number_cut(doc[1:4]), number_cut(doc[6:7])
    (True, False, False)
    """
    root = end.root
    return any(c.i < end.start and (c.text.isdigit() or _ORDINAL.fullmatch(c.lower_) is not None)
               for t in end if t != root for c in t.lefts)


def hyphen_cut(end: Span) -> bool:
    """A hyphenated compound modifies the end from its left: "VPN" of "point-to-site VPNs", "bus" of
    "peer-to-peer bus". Its words are one modifier that names the kind, so the end is cut mid-term,
    even where the compound is a mention of its own; a grading compound ("high-quality data") is not.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["point", "-", "to", "-", "site", "VPNs"], heads=[5, 0, 0, 2, 2, 5],
    ...           deps=["nmod", "punct", "prep", "punct", "pobj", "ROOT"])
    >>> hyphen_cut(doc[5:6]), hyphen_cut(doc[0:6])
    (True, False)
    """
    doc = end.doc
    k = end.start - 1
    if k < 1 or not doc[k].is_alpha or doc[k - 1].text not in ("-", "‑"):
        return False
    first = k
    while first >= 2 and doc[first - 1].text in ("-", "‑") and doc[first - 2].is_alpha:
        first -= 2  # back to the compound's first word
    words = doc[first : k + 1]
    if any(grading(t) for t in words if t.is_alpha):
        return False
    return any(t.head.i in range(end.start, end.end) for t in words)  # the compound modifies the end


def graded_cause(end: Span) -> bool:
    """A word of degree modifies ``end``, the head of an effect, from outside it: "high cardinality may lead
    to memory use", "too much bias results in underfitting", "a higher learning rate accelerates
    convergence". That amount of the concept has the effect, not the concept, so the relation does not
    hold as typed (of the 9 judged relations it takes out, 7 were wrong). A modifier of the end's
    own ("poor" of "poor double-talk detection", a mention) is part of the concept and changes nothing.
    Which classes are effects is the relation table's to say (:func:`kg.relations.walk.statements`).

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["high", "cardinality", "causes", "high", "memory", "use"],
    ...           heads=[1, 2, 2, 5, 5, 2], deps=["amod", "nsubj", "ROOT", "amod", "compound", "dobj"],
    ...           tags=["JJ", "NN", "VBZ", "JJ", "NN", "NN"])
    >>> graded_cause(doc[1:2]), graded_cause(doc[0:2])
    (True, False)
    """
    degree = _degree_words()
    return any(
        c.dep_ in ("amod", "advmod") and c.i < end.start
        and (c.lower_ in degree or c.tag_ in ("JJR", "JJS", "RBR", "RBS")
             or any(g.lower_ == "too" for g in c.children))
        for c in end.root.lefts
    )


@cache
def _degree_words() -> frozenset[str]:
    from kg.english import english_words

    return frozenset(english_words()["degree_modifiers"])


# A version number: "3", "2.13", "1.x", "v2", "3.8+"
_VERSION = re.compile(r"v?\d+(?:\.(?:\d+|x))*\+?", re.IGNORECASE)


def versioned(end: Span) -> bool:
    """A version number follows the end: "Scala 3 uses the 2.13 library", "sbt 1.x is a Scala 2.12 program".
    What is said holds of that version, so the head of a relation so written is not the concept it names
    (an object keeps its version out harmlessly: "profiles use TLS 1.2" use TLS).

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> nlp = English()
    >>> doc = nlp("Scala 3 uses it, and Scala uses 1.2.")
    >>> versioned(doc[0:1]), versioned(doc[6:7]), versioned(doc[0:2])
    (True, False, False)
    """
    doc = end.doc
    return end.end < len(doc) and _VERSION.fullmatch(doc[end.end].text) is not None


# Words that open a mention pointing at another thing: "the same SDKs", "a separate service".
_REFERENTIAL = frozenset({"same", "separate", "other", "another", "respective", "corresponding",
                          "aforementioned", "latter", "former"})
# Before an end, "other" names the class the end is in ("and other resources"), which its readers take care of
_REFERENTIAL_BEFORE = _REFERENTIAL - {"other", "another"}


def referential(end: Span) -> bool:
    """The end opens with a word that points at another thing ("same SDK", "separate service"), or is
    headed by the pro-form "one" ("upstream ones"): it names that thing's relation to something said
    elsewhere, or stands for a noun said before it, not a concept. The word may stand just outside the
    end, where the concept's trim left it as a grading word ("the respective models" gives the concept
    "model"); "other" there names a class ("and other resources"), which its readers take care of.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["the", "same", "SDKs", "other", "tools"], heads=[2, 2, 2, 4, 2],
    ...           deps=["det", "amod", "ROOT", "amod", "conj"])
    >>> referential(doc[2:3]), referential(doc[1:3]), referential(doc[4:5])
    (True, True, False)
    """
    if end[0].lower_ in _REFERENTIAL or end.root.lower_ in ("one", "ones"):
        return True
    return any(c.dep_ == "amod" and c.i < end.start and c.lower_ in _REFERENTIAL_BEFORE for c in end.root.children)


_DEMONSTRATIVES = frozenset({"this", "these", "those"})


def demonstrative(end: Span) -> bool:
    """The end is determined by "this", "these" or "those" ("this irregularity would cause gaps", "these
    optimizations reduce TTFB"): it points back at what an earlier sentence named, and the relation is that
    thing's, which this sentence does not name. Over the judged samples, 10 of 12 such heads were wrong.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["this", "irregularity", "causes", "gaps"], heads=[1, 2, 2, 2],
    ...           deps=["det", "nsubj", "ROOT", "dobj"])
    >>> demonstrative(doc[1:2]), demonstrative(doc[3:4])
    (True, False)
    """
    return any(c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES for c in end.root.children)


def slash_cut(end: Span, mentioned: Container[int] = ()) -> bool:
    """A word glued to the end by a slash is a word of the term: "output resource" of "input/output
    resource", "O disk" of "I/O disks". Where the word is a mention of its own ("popd/pushd"), the slash
    sets two concepts side by side and the end is whole.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["input", "/", "output", "resources", "and", "disks"],
    ...           spaces=[False, False, True, True, True, False])
    >>> slash_cut(doc[2:4]), slash_cut(doc[2:4], mentioned={0}), slash_cut(doc[5:6])
    (True, False, False)
    """
    doc = end.doc

    def glued(slash: int, word: int) -> bool:  # "word/end" or "end/word", with no space on either side
        return (doc[slash].text == "/" and doc[word].is_alpha and word not in mentioned
                and not doc[slash - 1].whitespace_ and not doc[slash].whitespace_)

    return (end.start >= 2 and glued(end.start - 1, end.start - 2)) or (
        end.end + 1 < len(doc) and glued(end.end, end.end + 1))


def possessed(end: Span) -> bool:
    """A one-word common noun end whose owner is named outside it: "embeddings" of "BERT's embeddings", "router"
    of "SvelteKit's router". The end is the named owner's own kind of thing, which the word alone does not name.
    A name ("Python's GIL"), a term of several words ("Angular's animation system"), a common noun owner ("the
    model's coefficients") and a pronoun owner ("its scheduler", a pointer) are left alone.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["BERT", "'s", "embeddings", "and", "Python", "'s", "GIL"],
    ...           heads=[2, 0, 2, 2, 6, 4, 2], deps=["poss", "case", "ROOT", "cc", "poss", "case", "conj"],
    ...           tags=["NNP", "POS", "NNS", "CC", "NNP", "POS", "NNP"], pos=["PROPN", "PART", "NOUN", "CCONJ",
    ...           "PROPN", "PART", "PROPN"])
    >>> possessed(doc[2:3]), possessed(doc[6:7]), possessed(doc[0:3])
    (True, False, False)
    """
    return len(end) == 1 and end.root.tag_ in ("NN", "NNS") and end.root.text.islower() and any(
        c.dep_ == "poss" and c.pos_ == "PROPN" and c.i < end.start for c in end.root.children)


# Head nouns that describe a thing rather than name a class it belongs to: "a design choice", "a bagging
# example", "a workaround", "another way".
_DESCRIPTIVE = frozenset({"example", "choice", "workaround", "way", "kind", "sort", "instance"})
# Head nouns of words about words: "X is an acronym", "an overloaded word", "a technical term". With a noun
# before them they name a thing again ("error term", "domain name", "stop word").
_METALINGUISTIC = frozenset({"acronym", "abbreviation", "initialism", "word", "term", "phrase", "name",
                             "synonym", "shorthand", "misnomer", "buzzword"})


def descriptive(end: Span) -> bool:
    """The end is headed by a noun that describes rather than names ("design choice", "bagging example",
    "workaround") or by a word about words ("acronym", "overloaded word", but not "error term"): the
    sentence says what something is like, or how it is written, not which concept it relates to. "Type of",
    "kind of" and "example of" are read as relational nouns before an end is formed, so a phrase that
    names its class ("a type of autoencoder") never ends in such a head.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["design", "choice", "bagging", "method"], heads=[1, 1, 3, 3],
    ...           deps=["compound", "ROOT", "compound", "ROOT"], lemmas=["design", "choice", "bagging", "method"])
    >>> descriptive(doc[0:2]), descriptive(doc[2:4])
    (True, False)
    """
    root = end.root
    if root.lemma_.lower() in _DESCRIPTIVE or root.lower_ in _DESCRIPTIVE:
        return True
    return root.lemma_.lower() in _METALINGUISTIC and not any(
        t.dep_ in ("compound", "nmod") or t.pos_ == "PROPN" for t in end if t.i < root.i)


# Head nouns of people in a role: "Windows developers can use WSL2", "Flink users are using HDFS". What they do is
# a practice of theirs, not a relation between two concepts of the bank.
_PEOPLE = frozenset({"user", "developer", "customer", "engineer", "scientist", "people", "person", "student",
                     "programmer", "maintainer", "contributor", "colleague", "analyst", "administrator", "admin",
                     "beginner", "employee", "researcher", "practitioner", "attacker"})


def personal(end: Span) -> bool:
    """The end is headed by a noun of people in a role ("Windows developers", "data scientist").

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["Windows", "developers", "user", "interface"], heads=[1, 1, 3, 3],
    ...           deps=["compound", "ROOT", "compound", "ROOT"], lemmas=["Windows", "developer", "user", "interface"])
    >>> personal(doc[0:2]), personal(doc[2:4])
    (True, False)
    """
    return end.root.lemma_.lower() in _PEOPLE or end.root.lower_ in _PEOPLE


def _coordinated(tok: Token) -> bool:
    """A modifier coordinated with the end's own ("L1 and L2 regularization"): another concept, not a cut."""
    return any(c.dep_ in ("cc", "conj") for c in tok.children) or tok.nbor(1).text in ("/", ",")


def _cut_right_term(end: Span) -> bool:
    """The end modifies a noun of the term right of it: "lookup" of "lookup token", "conjugate" of
    "conjugate prior"; a generic head ("a clustering algorithm") adds nothing to the term."""
    root = end.root
    generic = _generic_heads()
    return _cut_right(end) and root.head.lower_ not in generic and root.head.lemma_.lower() not in generic


def grading(tok: Token) -> bool:
    """A word that grades or counts rather than names: a generic modifier or noun, a number, a
    comparative or superlative, a determiner."""
    return tok.lower_ in _grading_words() or tok.like_num or tok.tag_ in ("JJR", "JJS", "RBR", "RBS", "CD", "DT")


@cache
def _grading_words() -> frozenset[str]:
    from kg.english import english_words

    words = english_words()
    return frozenset(words["generic_modifiers"]) | frozenset(words["generic_nouns"])


@cache
def _generic_heads() -> frozenset[str]:
    from kg.english import english_words
    from kg.relations.table import default_table

    words = english_words()
    return frozenset(words["generic_nouns"]) | frozenset(words["generic_tails"]) | default_table().generic_heads


def _cut_right(end: Span) -> bool:
    """The end modifies a noun right of it: "lookup" of "lookup token"."""
    root = end.root
    return root.dep_ in ("compound", "amod", "nmod") and root.head.i >= end.end and root.head.pos_ in ("NOUN", "PROPN")


def _pointer(end: Span) -> bool:
    """The end points elsewhere: "this variability", "its omission", "which technique"."""
    return any(c.dep_ in ("det", "poss") and c.lower_ in _POINTERS for c in end.root.children)


def _tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree."""
    up = {}
    node, depth = a, 0
    while True:
        up[node.i] = depth
        if node.head.i == node.i:
            break
        node, depth = node.head, depth + 1
    node, depth = b, 0
    while node.i not in up:
        if node.head.i == node.i:
            return depth + len(up)  # different sentences' roots: as far as can be
        node, depth = node.head, depth + 1
    return depth + up[node.i]


def default_weights_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "relation_confidence.json"


@cache
def _weights(path: str) -> tuple[float, Mapping[str, float], float]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return float(data["intercept"]), dict(data["weights"]), float(data["threshold"])


def confidence(ev: Evidence, path: Path | None = None) -> float:
    """The probability that a statement with evidence ``ev`` is right, under the shipped weights.

    Evidence the weights do not know (a reader added since they were fitted) counts for nothing.
    """
    intercept, weights, _ = _weights(str(path or default_weights_path()))
    z = intercept + sum(weights.get(k, 0.0) * v for k, v in ev.items())
    return 1.0 / (1.0 + math.exp(-z))


def combine(confidences: Iterable[float]) -> float:
    """The confidence of a relation stated several times: right if any one statement is.

    Examples
    --------
    >>> round(combine([0.6, 0.5]), 2)
    0.8
    >>> combine([])
    0.0
    """
    wrong = 1.0
    for c in confidences:
        wrong *= 1.0 - c
    return 1.0 - wrong


def threshold(path: Path | None = None) -> float:
    """The confidence from which a relation is shown by default."""
    return _weights(str(path or default_weights_path()))[2]


def confident(relations: Iterable[R], everything: bool = False) -> list[R]:
    """The relations shown by default: those whose ``confidence`` reaches :func:`threshold`; all of
    them with ``everything``.

    Examples
    --------
    >>> from kg.relations import GraphRelation
    >>> sure = GraphRelation("relu", "mitigates", "vgp", "mitigates", ("q1",), "...", confidence=0.99)
    >>> unsure = GraphRelation("relu", "uses", "x", "uses", ("q2",), "...", confidence=0.01)
    >>> [r.relation for r in confident([sure, unsure])], len(confident([sure, unsure], everything=True))
    (['mitigates'], 2)
    """
    if everything:
        return list(relations)
    least = threshold()
    return [r for r in relations if r.confidence >= least]

