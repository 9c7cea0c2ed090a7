"""Clause rules and readers on hand-built parses: no language model, and each parse written out.

Every case comes with a control: the same sentence parsed (or worded) one way differently, which must
give a different answer, so that each test can fail.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from spacy.lang.en import English
from spacy.tokens import Doc, Span

from kg.relations.clause import (
    aside,
    doer_of,
    is_passive,
    negated,
    restricted,
    subject_of,
    supposed,
)
from kg.relations.readers import SENTENCE_READERS, TOKEN_READERS
from kg.relations.sentence import ConceptIndex, Sentence
from kg.relations.table import RelationTable, load_relation_table
from kg.relations.walk import relations_from_doc

VOCAB = English().vocab  # English lexical attributes: the rules read lower-case forms


def _doc(parse: str, concepts: list[tuple[int, int, str]]) -> Doc:
    """A doc from one line per token: word, head index, dependency, POS, tag, lemma; and its concepts."""
    rows = [line.split() for line in parse.strip().splitlines()]
    words, heads, deps, pos, tags, lemmas = (list(column) for column in zip(*rows, strict=True))
    doc = Doc(VOCAB, words=words, heads=[int(h) for h in heads], deps=deps, pos=pos, tags=tags, lemmas=lemmas)
    doc.spans["concepts"] = [Span(doc, start, end, label) for start, end, label in concepts]
    return doc


def _with(parse: str, **rows: str) -> str:
    """``parse`` with the lines of some tokens rewritten: ``_with(parse, t3="less 4 amod ADJ JJR less")``."""
    lines = parse.strip().splitlines()
    for key, row in rows.items():
        lines[int(key[1:])] = row
    return "\n".join(lines)


def _sentence(doc: Doc, table: RelationTable | None = None) -> Sentence:
    table = table or load_relation_table()
    return Sentence(next(doc.sents), ConceptIndex(doc.spans["concepts"], table), table)


def _read(doc: Doc, table: RelationTable | None = None) -> list[tuple[str, str, str, str]]:
    return [(r.head, r.relation, r.tail, r.verb) for r in relations_from_doc(doc, "q1", table)]


PASSIVE = """
Overfitting  2 nsubjpass NOUN  NN  overfitting
is           2 auxpass   AUX   VBZ be
prevented    2 ROOT      VERB  VBN prevent
by           2 agent     ADP   IN  by
dropout      3 pobj      NOUN  NN  dropout
.            2 punct     PUNCT .   .
"""
PASSIVE_CONCEPTS = [(0, 1, "overfitting"), (4, 5, "dropout")]


def test_relations_passive_subject_is_acted_on_and_the_agent_does() -> None:
    doc = _doc(PASSIVE, PASSIVE_CONCEPTS)
    verb = doc[2]
    assert is_passive(verb)
    assert doer_of(_sentence(doc), verb) == ([doc[4]], True)
    assert _read(doc) == [("dropout", "mitigates", "overfitting", "prevented")]
    # read as active, "Overfitting" is the subject and there is no object: nothing is stated
    active = _doc(
        _with(PASSIVE, t0="Overfitting 2 nsubj NOUN NN overfitting", t1="is 2 aux AUX VBZ be"), PASSIVE_CONCEPTS
    )
    assert not is_passive(active[2])
    assert _read(active) == []


NEGATED = """
Dropout       3 nsubj  NOUN  NN  dropout
does          3 aux    AUX   VBZ do
not           3 neg    PART  RB  not
prevent       3 ROOT   VERB  VB  prevent
underfitting  3 dobj   NOUN  NN  underfitting
.             3 punct  PUNCT .   .
"""
NEGATED_CONCEPTS = [(0, 1, "dropout"), (4, 5, "underfitting")]


def test_relations_negated_verb_states_nothing() -> None:
    doc = _doc(NEGATED, NEGATED_CONCEPTS)
    assert negated(doc[3])
    assert _read(doc) == []
    unnegated = _doc(_with(NEGATED, t2="not 3 advmod PART RB not"), NEGATED_CONCEPTS)
    assert not negated(unnegated[3])
    assert _read(unnegated) == [("dropout", "mitigates", "underfitting", "prevent")]


SUPPOSED = """
If           2 mark    SCONJ IN  if
dropout      2 nsubj   NOUN  NN  dropout
prevents     6 advcl   VERB  VBZ prevent
overfitting  2 dobj    NOUN  NN  overfitting
,            6 punct   PUNCT ,   ,
training     6 nsubj   NOUN  NN  training
is           6 ROOT    AUX   VBZ be
slow         6 acomp   ADJ   JJ  slow
.            6 punct   PUNCT .   .
"""
SUPPOSED_CONCEPTS = [(1, 2, "dropout"), (3, 4, "overfitting")]


def test_relations_supposed_if_clause_states_nothing() -> None:
    doc = _doc(SUPPOSED, SUPPOSED_CONCEPTS)
    ctx = _sentence(doc)
    assert [tok.text for tok in doc if supposed(ctx, tok)] == ["If", "dropout", "prevents", "overfitting"]
    assert _read(doc) == []
    # the same words with "if" not read as the clause's marker: the clause is stated
    stated = _doc(_with(SUPPOSED, t0="If 2 advmod SCONJ IN if"), SUPPOSED_CONCEPTS)
    assert not any(supposed(_sentence(stated), tok) for tok in stated)
    assert _read(stated) == [("dropout", "mitigates", "overfitting", "prevents")]


REPORTED = """
Your         1 poss   PRON  PRP$ your
friend       2 nsubj  NOUN  NN   friend
claims       2 ROOT   VERB  VBZ  claim
that         5 mark   SCONJ IN   that
dropout      5 nsubj  NOUN  NN   dropout
causes       2 ccomp  VERB  VBZ  cause
underfitting 5 dobj   NOUN  NN   underfitting
.            2 punct  PUNCT .    .
"""
REPORTED_CONCEPTS = [(4, 5, "dropout"), (6, 7, "underfitting")]


def test_relations_reported_clause_states_nothing() -> None:
    doc = _doc(REPORTED, REPORTED_CONCEPTS)
    assert supposed(_sentence(doc), doc[5])
    assert _read(doc) == []
    # "shows" reports nothing: the bank states what it shows
    shown = _doc(_with(REPORTED, t2="shows 2 ROOT VERB VBZ show"), REPORTED_CONCEPTS)
    assert not supposed(_sentence(shown), shown[5])
    assert _read(shown) == [("dropout", "causes", "underfitting", "causes")]


ASIDE = """
Boosting  1 nsubj  NOUN  NN  boosting
combines  1 ROOT   VERB  VBZ combine
many      8 amod   ADJ   JJ  many
weak      8 amod   ADJ   JJ  weak
(         6 punct  PUNCT -LRB- (
high      6 amod   ADJ   JJ  high
bias      8 appos  NOUN  NN  bias
)         6 punct  PUNCT -RRB- )
models    1 dobj   NOUN  NNS model
.         1 punct  PUNCT .   .
"""
ASIDE_CONCEPTS = [(0, 1, "boosting"), (6, 7, "bias")]


def test_relations_aside_in_brackets_is_no_object() -> None:
    # "models" is a generic head: it stands for the concept hung on it, here the bracketed "bias"
    doc = _doc(ASIDE, ASIDE_CONCEPTS)
    assert aside(doc[1], doc[6])
    assert _read(doc) == []
    commas = _doc(_with(ASIDE, t4=", 6 punct PUNCT , ,", t7=", 6 punct PUNCT , ,"), ASIDE_CONCEPTS)
    assert not aside(commas[1], commas[6])
    assert _read(commas) == [("boosting", "uses", "bias", "combines")]


RESTRICTED = """
Any      1 det    DET   DT  any
point    4 nsubj  NOUN  NN  point
that     3 nsubj  PRON  WDT that
moves    1 relcl  VERB  VBZ move
is       4 ROOT   AUX   VBZ be
an       6 det    DET   DT  an
outlier  4 attr   NOUN  NN  outlier
.        4 punct  PUNCT .   .
"""
UNRESTRICTED = """
Any      1 det    DET   DT  any
point    6 nsubj  NOUN  NN  point
,        1 punct  PUNCT ,   ,
which    4 nsubj  PRON  WDT which
moves    1 relcl  VERB  VBZ move
,        1 punct  PUNCT ,   ,
is       6 ROOT   AUX   VBZ be
an       8 det    DET   DT  an
outlier  6 attr   NOUN  NN  outlier
.        6 punct  PUNCT .   .
"""


def test_relations_restricted_subject_classifies_nothing() -> None:
    doc = _doc(RESTRICTED, [(1, 2, "data point"), (6, 7, "outlier")])
    assert restricted(doc[1])
    assert _read(doc) == []
    # a relative clause set off by a comma adds to the subject; it does not narrow it
    aside_clause = _doc(UNRESTRICTED, [(1, 2, "data point"), (8, 9, "outlier")])
    assert not restricted(aside_clause[1])
    assert _read(aside_clause) == [("data point", "is_a", "outlier", "is an")]


PREMODIFIED = """
Transfer  1 compound NOUN  NN  transfer
learning  2 nsubj    NOUN  NN  learning
requires  2 ROOT     VERB  VBZ require
less      4 amod     ADJ   JJR less
data      2 dobj     NOUN  NNS datum
.         2 punct    PUNCT .   .
"""
PREMODIFIED_CONCEPTS = [(0, 2, "transfer learning"), (4, 5, "data")]


def test_relations_premodified_object_takes_the_fallback_class() -> None:
    doc = _doc(PREMODIFIED, PREMODIFIED_CONCEPTS)
    assert _read(doc) == [("transfer learning", "related", "data", "requires")]
    more = _doc(_with(PREMODIFIED, t3="more 4 amod ADJ JJR more"), PREMODIFIED_CONCEPTS)
    assert _read(more) == [("transfer learning", "uses", "data", "requires")]


GERUND = """
Batch          1 compound NOUN  NN  batch
normalization  2 nsubj    NOUN  NN  normalization
normalizes     2 ROOT     VERB  VBZ normalize
activations    2 dobj     NOUN  NNS activation
,              2 punct    PUNCT ,   ,
reducing       2 advcl    VERB  VBG reduce
covariate      7 compound NOUN  NN  covariate
shift          5 dobj     NOUN  NN  shift
.              2 punct    PUNCT .   .
"""
GERUND_CONCEPTS = [(0, 2, "batch normalization"), (6, 8, "covariate shift")]


def test_relations_subject_climbs_from_a_gerund_clause() -> None:
    doc = _doc(GERUND, GERUND_CONCEPTS)
    assert subject_of(_sentence(doc), doc[5]) == [doc[1]]
    assert _read(doc) == [("batch normalization", "mitigates", "covariate shift", "reducing")]
    # hung on the clause by an unknown dependency, the gerund inherits no subject
    loose = _doc(_with(GERUND, t5="reducing 2 dep VERB VBG reduce"), GERUND_CONCEPTS)
    assert subject_of(_sentence(loose), loose[5]) == []
    assert _read(loose) == []


CAUSATIVE = """
Data          1 compound NOUN  NN  data
augmentation  2 nsubj    NOUN  NN  augmentation
helps         2 ROOT     VERB  VBZ help
the           4 det      DET   DT  the
network       5 nsubj    NOUN  NN  network
prevent       2 ccomp    VERB  VB  prevent
overfitting   5 dobj     NOUN  NN  overfitting
.             2 punct    PUNCT .   .
"""
CAUSATIVE_CONCEPTS = [(0, 2, "data augmentation"), (6, 7, "overfitting")]


def test_relations_causative_gives_its_subject_to_the_clause() -> None:
    doc = _doc(CAUSATIVE, CAUSATIVE_CONCEPTS)
    assert doer_of(_sentence(doc), doc[5]) == ([doc[1]], False)
    assert _read(doc) == [("data augmentation", "mitigates", "overfitting", "prevent")]
    # "watches the network prevent": the network does it, and the network is no concept
    watched = _doc(_with(CAUSATIVE, t2="watches 2 ROOT VERB VBZ watch"), CAUSATIVE_CONCEPTS)
    assert doer_of(_sentence(watched), watched[5]) == ([watched[4]], True)
    assert _read(watched) == []


POLAR = """
Does         2 aux    AUX   VBZ do
dropout      2 nsubj  NOUN  NN  dropout
prevent      2 ROOT   VERB  VB  prevent
overfitting  2 dobj   NOUN  NN  overfitting
?            2 punct  PUNCT .   ?
"""
POLAR_CONCEPTS = [(1, 2, "dropout"), (3, 4, "overfitting")]


def test_relations_yes_no_question_states_nothing() -> None:
    assert _read(_doc(POLAR, POLAR_CONCEPTS)) == []
    statement = _doc(_with(POLAR, t4=". 2 punct PUNCT . ."), POLAR_CONCEPTS)
    assert _read(statement) == [("dropout", "mitigates", "overfitting", "prevent")]


# --------------------------------------------------------------------------------------------------
# Readers end to end

COPULA = """
K-means     1 nsubj  PROPN NNP k-means
is          1 ROOT   AUX   VBZ be
a           4 det    DET   DT  a
clustering  4 compound NOUN NN clustering
algorithm   1 attr   NOUN  NN  algorithm
.           1 punct  PUNCT .   .
"""
COPULA_CONCEPTS = [(0, 1, "k-means"), (3, 5, "clustering algorithm")]


def test_relations_copula_classifies_with_a_and_not_with_the() -> None:
    assert _read(_doc(COPULA, COPULA_CONCEPTS)) == [("k-means", "is_a", "clustering algorithm", "is a")]
    # "X is the Y" defines or identifies
    the = _doc(_with(COPULA, t2="the 4 det DET DT the"), COPULA_CONCEPTS)
    assert _read(the) == []


SUCH_AS = """
Activation  1 compound NOUN  NN  activation
functions   5 nsubj    NOUN  NNS function
such        3 amod     ADJ   JJ  such
as          1 prep     ADP   IN  as
ReLU        3 pobj     PROPN NNP relu
are         5 ROOT     AUX   VBP be
common      5 acomp    ADJ   JJ  common
.           5 punct    PUNCT .   .
"""
SUCH_AS_CONCEPTS = [(0, 2, "activation function"), (4, 5, "relu")]


def test_relations_such_as_gives_an_example_of_the_general_term() -> None:
    doc = _doc(SUCH_AS, SUCH_AS_CONCEPTS)
    assert _read(doc) == [("relu", "is_a", "activation function", "such as")]
    # "as" alone introduces no examples
    plain = _doc(_with(SUCH_AS, t2="so 3 advmod ADV RB so"), SUCH_AS_CONCEPTS)
    assert _read(plain) == []


DIFFICULT = """
Vanishing     1 amod   ADJ   JJ  vanishing
gradients     2 nsubj  NOUN  NNS gradient
make          2 ROOT   VERB  VBP make
it            4 nsubj  PRON  PRP it
difficult     2 ccomp  ADJ   JJ  difficult
to            6 aux    PART  TO  to
capture       4 xcomp  VERB  VB  capture
dependencies  6 dobj   NOUN  NNS dependency
.             2 punct  PUNCT .   .
"""
DIFFICULT_CONCEPTS = [(0, 2, "vanishing gradient"), (7, 8, "long-term dependency")]
DIFFICULT_READ = ("vanishing gradient", "causes", "long-term dependency", "make it difficult to capture")


def test_relations_makes_it_difficult_to_reads_as_hindering() -> None:
    doc = _doc(DIFFICULT, DIFFICULT_CONCEPTS)
    assert _read(doc) == [DIFFICULT_READ]
    # "easy" hinders nothing
    easy = _doc(_with(DIFFICULT, t4="easy 2 ccomp ADJ JJ easy"), DIFFICULT_CONCEPTS)
    assert _read(easy) == []


def test_relations_readers_run_in_a_fixed_order() -> None:
    assert [r.name for r in TOKEN_READERS] == [
        "verb_with_object",
        "copula",
        "relational_noun",
        "adjective_with_preposition",
        "makes_it_difficult",
        "examples",
        "comparative",
        "and_other",
        "infix",
    ]
    assert [r.name for r in SENTENCE_READERS] == ["contrast"]


# --------------------------------------------------------------------------------------------------
# Roles: the classes the table flags for constructions that name none


UNTYPED = """
Dropout  1 nsubj  NOUN  NN  dropout
drops    1 ROOT   VERB  VBZ drop
neurons  1 dobj   NOUN  NNS neuron
.        1 punct  PUNCT .   .
"""
UNTYPED_CONCEPTS = [(0, 1, "dropout"), (2, 3, "neuron")]


@pytest.mark.parametrize(
    ("user", "parse", "concepts", "expected"),
    [
        # a class of the user's takes the role from the shipped class by carrying its flag
        ('[classes.kind_of]\ntaxonomy = true\n', COPULA, COPULA_CONCEPTS,
         ("k-means", "kind_of", "clustering algorithm", "is a")),
        ('[classes.hinders]\nhinders = true\nverbs = ["hinder", "impede"]\n', DIFFICULT, DIFFICULT_CONCEPTS,
         ("vanishing gradient", "hinders", "long-term dependency", "make it difficult to capture")),
        ('[classes.associated]\nfallback = true\n', UNTYPED, UNTYPED_CONCEPTS,
         ("dropout", "associated", "neuron", "drops")),
        # without the flag a new class takes words, not the role
        ('[classes.kind_of]\nnouns = ["sort of"]\n', COPULA, COPULA_CONCEPTS,
         ("k-means", "is_a", "clustering algorithm", "is a")),
        ('[classes.hinders]\nverbs = ["hinder", "impede"]\n', DIFFICULT, DIFFICULT_CONCEPTS, DIFFICULT_READ),
        ('[classes.associated]\nverbs = ["link"]\n', UNTYPED, UNTYPED_CONCEPTS,
         ("dropout", "related", "neuron", "drops")),
    ],
)
def test_relations_user_table_moves_a_role_by_its_flag(
    tmp_path: Path, user: str, parse: str, concepts: list, expected: tuple
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(user, encoding="utf-8")
    assert _read(_doc(parse, concepts), load_relation_table(path)) == [expected]


@pytest.mark.parametrize(
    ("role", "parse", "concepts"),
    [
        ("taxonomy", COPULA, COPULA_CONCEPTS),
        ("hinders", DIFFICULT, DIFFICULT_CONCEPTS),
        ("fallback", UNTYPED, UNTYPED_CONCEPTS),
    ],
)
def test_relations_without_a_class_for_a_role_its_construction_states_nothing(
    role: str, parse: str, concepts: list
) -> None:
    table = load_relation_table()
    doc = _doc(parse, concepts)
    assert _read(doc, table) != []
    assert _read(doc, dataclasses.replace(table, **{role: None})) == []
