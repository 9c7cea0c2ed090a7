"""The confidence of a typed relation: its evidence on made-up sentences, the model, and the default filter."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conceptdocs import concept_doc

from kg.model import Relation
from kg.relations import GraphRelation, confident, merge_relations
from kg.relations.confidence import combine, confidence, threshold
from kg.relations.walk import statements


def _one(parser, text: str, concepts: list[str]):
    found = list(statements(concept_doc(parser, text, concepts), "q1"))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "concepts", "evidence"),
    [
        ("What is the difference between caching and prefetching?", ["caching", "prefetching"], "question"),
        # the relative pronoun between the ends: "which" may stand for the arrays or the whole clause
        ("Teams adopt caching in storage arrays, which reduces disk contention.", ["storage array", "disk contention"],
         "relative"),
        ("Its omission leads to overfitting.", ["omission", "overfitting"], "pointer"),
        # an adjective left of the concept: "prefetching" may not be the concept the sentence means
        ("Aggressive prefetching reduces latency.", ["prefetching", "latency"], "cut_left"),
        ("Prefetching reduces latency.", ["prefetching", "latency"], "reader:verb_with_object"),
        ("Prefetching reduces latency.", ["prefetching", "latency"], "class:mitigates"),
        # words between the ends, the head as the main clause's subject, an end of one lower-case noun
        ("Prefetching reduces latency.", ["prefetching", "latency"], "gap"),
        ("Prefetching reduces latency.", ["prefetching", "latency"], "subject"),
        ("Prefetching reduces latency.", ["prefetching", "latency"], "one_word"),
        # the head is the predicate noun of a clause whose subject is a relative pronoun, not what it is about
        ("We chose Raftkv, which is a key-value store built on the Raft protocol.",
         ["key-value store", "raft protocol"], "predicate_head"),
    ],
)
def test_confidence_evidence_names_what_the_sentence_shows(
    parser, text: str, concepts: list[str], evidence: str
) -> None:
    _, ev = _one(parser, text, concepts)
    assert evidence in ev


@pytest.mark.model
def test_confidence_evidence_of_a_plain_statement_has_no_weakness(parser) -> None:
    _, ev = _one(parser, "Prefetching reduces disk latency.", ["prefetching", "disk latency"])
    assert set(ev) == {"reader:verb_with_object", "class:mitigates", "subject", "gap"}
    assert ev["gap"] == pytest.approx(math.log(2))  # one word, the verb, between the ends


@pytest.mark.model
def test_confidence_evidence_gap_grows_with_the_words_between_the_ends(parser) -> None:
    _, near = _one(parser, "Prefetching reduces latency.", ["prefetching", "latency"])
    _, far = _one(parser, "Prefetching in the storage controllers of most vendors reduces latency.",
                  ["prefetching", "latency"])
    assert far["gap"] > near["gap"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "concepts", "evidence"),
    [
        # the head is the subject of a subordinate clause, not of the main one
        ("Caching helps because prefetching reduces latency.", ["prefetching", "latency"], "subject"),
        # two words and a capitalised name are no single common noun
        ("Prefetching reduces disk latency.", ["prefetching", "disk latency"], "one_word"),
        ("Prefetching reduces Latency.", ["prefetching", "latency"], "one_word"),
        # the same relation with the store as the subject
        ("Key-value stores are built on the Raft protocol.", ["key-value store", "raft protocol"], "predicate_head"),
    ],
)
def test_confidence_evidence_is_absent_where_the_sentence_does_not_show_it(
    parser, text: str, concepts: list[str], evidence: str
) -> None:
    _, ev = _one(parser, text, concepts)
    assert evidence not in ev


@pytest.mark.model
@pytest.mark.parametrize(
    ("plain", "weaker", "concepts"),
    [
        ("Prefetching reduces latency.", "Aggressive prefetching reduces latency.", ["prefetching", "latency"]),
        ("Storage arrays reduce disk contention.",
         "Teams adopt caching in storage arrays, which reduces disk contention.", ["storage array", "disk contention"]),
        ("Prefetching reduces latency.", "Prefetching in the storage controllers of most vendors reduces latency.",
         ["prefetching", "latency"]),
    ],
)
def test_confidence_a_weakness_lowers_it_against_the_plain_statement(
    parser, plain: str, weaker: str, concepts: list[str]
) -> None:
    sure, sure_ev = _one(parser, plain, concepts)
    unsure, unsure_ev = _one(parser, weaker, concepts)
    assert (sure.head, sure.relation, sure.tail) == (unsure.head, unsure.relation, unsure.tail)
    assert confidence(unsure_ev) < confidence(sure_ev)


def test_confidence_is_the_logistic_of_the_weights_file(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"intercept": 0.5, "weights": {"question": 1.0, "long": -2.0}, "threshold": 0.6}))
    ev = {"question": 1.0, "long": 0.25, "reader:new_reader": 1.0}  # a reader the weights do not know counts nothing
    assert confidence(ev, path) == pytest.approx(1 / (1 + math.exp(-(0.5 + 1.0 - 0.5))))
    assert threshold(path) == 0.6


def test_confidence_shipped_weights_and_threshold_are_probabilities() -> None:
    assert 0.0 < threshold() < 1.0
    assert 0.0 < confidence({}) < 1.0


def test_confidence_combine_grows_with_each_sentence_that_states_it() -> None:
    assert combine([0.6]) == pytest.approx(0.6)
    assert combine([0.6, 0.5]) == pytest.approx(0.8)
    assert combine([0.6, 0.5]) > max(0.6, 0.5)


def test_confidence_merge_counts_a_sentence_once() -> None:
    said = "Prefetching reduces latency."
    rels = [
        Relation("prefetching", "mitigates", "latency", "reduces", "q1", said, confidence=0.6),
        Relation("prefetching", "mitigates", "latency", "reduces", "q2", said, confidence=0.6),  # copied answer
        Relation("prefetching", "mitigates", "latency", "cuts", "q3", "Prefetching cuts latency.", confidence=0.5),
    ]
    ids = {"prefetching": "prefetching", "latency": "latency"}
    [merged] = merge_relations(rels, ids)
    assert merged.confidence == pytest.approx(combine([0.6, 0.5]))
    assert merged.to_dict()["confidence"] == round(combine([0.6, 0.5]), 3)
    [once] = merge_relations(rels[:1], ids)
    assert once.confidence == pytest.approx(0.6)


def test_confidence_default_filter_hides_relations_below_the_threshold() -> None:
    t = threshold()
    above = GraphRelation("a", "uses", "b", "uses", ("q1",), "A uses B.", confidence=min(1.0, t + 0.01))
    at = GraphRelation("a", "is_a", "c", "is a", ("q1",), "A is a C.", confidence=t)
    below = GraphRelation("a", "causes", "d", "leads to", ("q2",), "A leads to D.", confidence=t - 0.01)
    assert confident([above, at, below]) == [above, at]
    assert confident([above, at, below], everything=True) == [above, at, below]
