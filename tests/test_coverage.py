from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.coverage import (
    answer_only_concepts,
    central_concepts,
    coverage_report,
    over_served_concepts,
    single_question_concepts,
)
from kg.model import Concept, Mention, Pair


def _m(concept: str, item: str, field: str) -> Mention:
    return Mention(concept, item, field, 0, len(concept), concept, "")


# q1 asks about dropout; q2 and q3 ask about relu; answers mention co-adaptation (twice), saturation
# (once) and relu.
MENTIONS = [
    _m("dropout", "q1", "question"), _m("dropout", "q1", "answer"), _m("co-adaptation", "q1", "answer"),
    _m("relu", "q2", "question"), _m("saturation", "q2", "answer"), _m("co-adaptation", "q2", "answer"),
    _m("relu", "q3", "question"), _m("relu", "q1", "answer"), _m("co-adaptation", "q3", "answer"),
    _m("gru", "q3", "question"),
]


@pytest.mark.parametrize(
    ("min_answers", "expected"),
    [(1, [("co-adaptation", 3), ("saturation", 1)]), (2, [("co-adaptation", 3)]), (4, [])],
)
def test_coverage_answer_only_concepts(min_answers: int, expected: list) -> None:
    got = answer_only_concepts(MENTIONS, min_answers=min_answers)
    assert [(c.id, len(c.answered_in)) for c in got] == expected


def test_coverage_answer_only_carries_label_and_topic() -> None:
    (c,) = answer_only_concepts(
        MENTIONS, labels={"co-adaptation": "Co-adaptation"}, topics={"co-adaptation": "dropout"}
    )
    assert (c.label, c.topic, c.asked_in, c.answered_in) == ("Co-adaptation", "dropout", (), ("q1", "q2", "q3"))


def test_coverage_single_question_concepts_most_answered_first() -> None:
    got = single_question_concepts(MENTIONS)
    assert [(c.id, c.asked_in, c.answered_in) for c in got] == [("dropout", ("q1",), ("q1",)), ("gru", ("q3",), ())]


@pytest.mark.parametrize(
    ("kinds", "min_pairs", "expected"),
    [
        (("duplicate", "overlap"), 2, [("relu", 2)]),
        (("duplicate", "overlap"), 1, [("relu", 2), ("leakyrelu", 1), ("vanishing gradient", 1)]),
        (("duplicate",), 1, [("relu", 1), ("vanishing gradient", 1)]),
        (("duplicate", "overlap", "related"), 2, [("relu", 3)]),
    ],
)
def test_coverage_over_served_concepts(kinds, min_pairs: int, expected: list) -> None:
    pairs = [
        Pair("q2", "q30", 0.98, "duplicate", ("relu", "vanishing gradient")),
        Pair("q13", "q21", 0.70, "overlap", ("relu", "leakyrelu")),
        Pair("q1", "q5", 0.20, "related", ("relu",)),
    ]
    got = over_served_concepts(pairs, kinds=kinds, min_pairs=min_pairs)
    assert [(o.id, o.pairs) for o in got] == expected


def _graph() -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(["q:1", "q:2"], kind="question")
    for c in ("relu", "dropout", "gru", "lonely"):
        G.add_node(f"c:{c}", kind="concept", label=c.upper())
    G.add_edge("c:relu", "c:dropout", weight=3)
    G.add_edge("c:relu", "c:gru", weight=1)
    G.add_edge("c:gru", "c:dropout", weight=1)
    G.add_edges_from([("q:1", "c:relu"), ("q:2", "c:relu"), ("q:1", "c:gru")])
    return G


def test_coverage_central_concepts_by_weighted_degree_questions_not_counted() -> None:
    got = central_concepts(_graph(), 3)
    # relu and dropout tie on 4 co-occurrences; the tie goes to the smaller id; q: edges add no score
    assert [(c.id, c.label, c.score, c.questions) for c in got] == [
        ("dropout", "DROPOUT", 4.0, 0),
        ("relu", "RELU", 4.0, 2),
        ("gru", "GRU", 2.0, 1),
    ]


def test_coverage_report_gathers_every_list_and_serialises() -> None:
    concepts = [Concept(c, c, (), ()) for c in ("dropout", "co-adaptation", "relu", "saturation", "gru")]
    pairs = [Pair("q2", "q3", 0.9, "duplicate", ("relu",)), Pair("q1", "q2", 0.6, "overlap", ("relu",))]
    topics = {"dropout": "dropout", "co-adaptation": "dropout", "relu": "relu", "saturation": "relu", "gru": "other"}
    report = coverage_report(concepts, MENTIONS, pairs, _graph(), topics=topics, questions=3, n=1)
    assert (report.questions, report.concepts, report.asked) == (3, 5, 3)
    assert [c.id for c in report.answer_only] == ["co-adaptation"]
    assert [c.id for c in report.single_question] == ["dropout"]  # cut to n=1
    assert [(o.id, o.pairs, o.items) for o in report.over_served] == [("relu", 2, ("q1", "q2", "q3"))]
    assert [c.id for c in report.central] == ["dropout"]
    assert report.topics == {"dropout": 2, "relu": 2, "other": 1}
    data = json.loads(json.dumps(report.to_dict()))
    assert data["over_served"][0]["items"] == ["q1", "q2", "q3"]
    assert data["answer_only"][0]["answered_in"] == ["q1", "q2", "q3"]


def test_coverage_over_served_needs_a_question_that_asks_about_the_concept() -> None:
    """Answers that share a concept no question asks about (co-adaptation) make it no over-served one: the
    list would say the bank asks about it again and again, beside the list of concepts only answers hold."""
    concepts = [Concept(c, c, (), ()) for c in ("dropout", "co-adaptation", "relu", "saturation", "gru")]
    pairs = [Pair("q1", "q2", 0.9, "duplicate", ("co-adaptation", "relu")),
             Pair("q2", "q3", 0.8, "overlap", ("co-adaptation", "relu"))]
    report = coverage_report(concepts, MENTIONS, pairs, questions=3)
    assert [o.id for o in report.over_served] == ["relu"]
    assert "co-adaptation" in [c.id for c in report.answer_only]


def test_coverage_report_keeps_how_long_each_list_was_before_the_cut() -> None:
    concepts = [Concept(c, c, (), ()) for c in ("dropout", "co-adaptation", "relu", "saturation", "gru")]
    report = coverage_report(concepts, MENTIONS, questions=3, n=1)
    assert [c.id for c in report.single_question] == ["dropout"]
    assert (report.total("single_question"), report.total("answer_only"), report.total("over_served")) == (2, 1, 0)
    assert report.to_dict()["totals"] == {"answer_only": 1, "single_question": 2, "over_served": 0}


def test_coverage_report_of_an_empty_bank() -> None:
    report = coverage_report([], [])
    assert (report.questions, report.concepts, report.asked) == (0, 0, 0)
    assert report.answer_only == report.single_question == report.over_served == report.central == ()


@pytest.mark.model
def test_coverage_cli_reports_every_section_and_json(tmp_path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    bank = tmp_path / "bank.md"
    bank.write_text(
        "#### 1. What is dropout?\n\nDropout prevents co-adaptation of neurons and reduces overfitting.\n\n"
        "#### 2. Why does dropout help?\n\nDropout reduces overfitting by preventing co-adaptation.\n\n"
        "#### 3. What is batch normalization?\n\nBatch normalization reduces internal covariate shift.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["coverage", str(bank), "--no-semantic"])
    assert result.exit_code == 0, result.output
    for title in ("no question asks about", "a single question asks about", "over-served", "Most central"):
        assert title in result.output
    assert "co-adaptation" in result.output.split("no question asks about")[1].split("single question")[0]
    data = json.loads(runner.invoke(cli, ["coverage", str(bank), "--no-semantic", "--json"]).stdout)
    assert data["questions"] == 3
    assert [c["label"] for c in data["single_question"]] == ["batch normalization"]


def test_coverage_a_concept_a_question_names_word_for_word_is_not_answer_only() -> None:
    from kg.model import Concept, Mention

    cs = [Concept("git-command", "git command", (), ("q1",)), Concept("git", "git", (), ("q2", "q3")),
          Concept("rebase", "rebase", (), ("q2", "q3"))]
    ms = [Mention("git-command", "q1", "question", 0, 12, "git commands", ""),
          *(Mention(c, q, "answer", 0, 3, c, "") for c in ("git", "rebase") for q in ("q2", "q3"))]
    texts = ["Explain some basic git commands.", "How do you undo a commit?", "What is a merge?"]
    report = coverage_report(cs, ms, questions=3, question_texts=texts)
    # the question asks about git, though its own concept is "git command"; nothing asks about rebase
    assert [c.id for c in report.answer_only] == ["rebase"]
    # without the questions' words, only the mentions count
    assert [c.id for c in coverage_report(cs, ms, questions=3).answer_only] == ["git", "rebase"]
