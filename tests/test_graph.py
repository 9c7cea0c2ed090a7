from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest

from kg.graph import build_graph, cnode, qnode, questions_of, related_concepts, related_questions
from kg.model import Concept, Mention, QAItem


def _bank(concepts_per_item: dict[str, list[str]], in_question: dict[str, list[str]] | None = None):
    in_question = in_question or {}
    items = [QAItem(i, n, f"question {i}", "", "b.md", n) for n, i in enumerate(concepts_per_item, 1)]
    mentions = []
    for item, cs in concepts_per_item.items():
        for c in cs:
            field = "question" if c in in_question.get(item, []) else "answer"
            mentions.append(Mention(c, item, field, 0, 1, c, c))
    ids = sorted({c for cs in concepts_per_item.values() for c in cs})
    concepts = [Concept(c, c, (), tuple(i for i, cs in concepts_per_item.items() if c in cs)) for c in ids]
    return items, concepts, mentions


def test_graph_has_typed_nodes_and_edges() -> None:
    g = build_graph(*_bank({"a": ["relu", "vgp"], "b": ["relu"]}, {"a": ["relu"]}))
    assert g.nodes[qnode("a")]["kind"] == "question"
    assert g.nodes[cnode("relu")]["kind"] == "concept"
    edge = g.edges[qnode("a"), cnode("relu")]
    assert edge["kind"] == "mentions" and edge["in_question"] and not edge["in_answer"]
    assert g.edges[cnode("relu"), cnode("vgp")] == {"kind": "cooccurs", "weight": 1}


def test_graph_cooccurrence_weight_counts_shared_questions() -> None:
    g = build_graph(*_bank({"a": ["x", "y"], "b": ["x", "y"], "c": ["x"]}))
    assert g.edges[cnode("x"), cnode("y")]["weight"] == 2


def test_graph_edges_in_the_order_first_met() -> None:
    # each node's neighbours in the order their edges were first met, as the export and topics read them
    g = build_graph(*_bank({"a": ["z", "x", "y"], "b": ["y", "x"], "c": ["w", "y"]}))
    assert list(g.adj[cnode("y")]) == [qnode("a"), qnode("b"), qnode("c"), cnode("x"), cnode("z"), cnode("w")]
    assert [(v, d["weight"]) for v, d in g.adj[cnode("x")].items() if d["kind"] == "cooccurs"] == [
        (cnode("y"), 2), (cnode("z"), 1)]
    assert list(g.edges[qnode("a"), cnode("z")]) == ["kind", "count", "in_question", "in_answer"]


def test_graph_questions_of_puts_questions_that_ask_first() -> None:
    g = build_graph(*_bank({"a": ["x"], "b": ["x"]}, {"b": ["x"]}))
    assert questions_of(g, "x") == ["b", "a"]
    assert questions_of(g, "missing") == []


def test_graph_related_concepts_prefers_rare_partners() -> None:
    # Each partner shares one question with x; "common" is everywhere, "rare" only with x.
    bank = {"a": ["x", "rare"], "b": ["x", "common"], "c": ["common"], "d": ["common"], "e": ["common"]}
    related = related_concepts(build_graph(*_bank(bank)), "x")
    assert [r.concept for r in related] == ["rare", "common"]
    assert related[0].shared_questions == ("a",)


def test_graph_related_questions_ranks_by_rarity_of_shared_concepts() -> None:
    bank = {"a": ["x", "common"], "b": ["common"], "c": ["x"], "d": ["common"], "e": ["common"]}
    ranked = related_questions(build_graph(*_bank(bank)), "a")
    assert ranked[0].item == "c"  # shares the rare concept
    assert {r.item for r in ranked} == {"b", "c", "d", "e"}
    assert related_questions(build_graph(*_bank(bank)), "zzz") == []


def test_graph_related_concepts_follows_a_graph_changed_after_ranking() -> None:
    # Each concept's question count is kept per graph; a question that mentions "rare" once ranked makes
    # it as common as "common", and the ranking follows. Scores are the shared count times the rarity.
    bank = {"a": ["x", "rare"], "b": ["x", "common"], "c": ["common"], "d": ["common"], "e": ["common"]}
    g = build_graph(*_bank(bank))
    before = {r.concept: r.score for r in related_concepts(g, "x")}
    assert before["rare"] > before["common"]
    for item in ("f", "g", "h"):
        g.add_node(qnode(item), kind="question")
        g.add_edge(qnode(item), cnode("rare"), kind="mentions", count=1, in_question=False, in_answer=True)
    after = {r.concept: r.score for r in related_concepts(g, "x")}
    assert after["rare"] == before["common"]


@pytest.mark.parametrize("top", [1, 2])
def test_graph_related_questions_top_limits(top: int) -> None:
    bank = {"a": ["x"], "b": ["x"], "c": ["x"]}
    assert len(related_questions(build_graph(*_bank(bank)), "a", top)) == top


def test_graph_relations_become_edge_attributes() -> None:
    from kg.relations import GraphRelation

    items, concepts, mentions = _bank({"a": ["relu", "vgp"]})
    rel = GraphRelation("relu", "mitigates", "vgp", "mitigates", ("a",), "ReLU mitigates vgp.")
    g = build_graph(items, concepts, mentions, [rel])
    edge = g.edges[cnode("relu"), cnode("vgp")]
    assert (edge["relation"], edge["relation_head"], edge["verb"]) == ("mitigates", "relu", "mitigates")


def test_graph_empty_bank_is_an_empty_graph() -> None:
    g = build_graph([], [], [])
    assert g.number_of_nodes() == 0


def _graph_by_networkx_calls(items, concepts, mentions) -> nx.Graph:
    """The graph built with networkx's own add_node and add_edge, one call each, as the definition."""
    g = nx.Graph(questions=len(items))
    for item in items:
        g.add_node(qnode(item.id), kind="question", label=item.question, number=item.number, source=item.source,
                   line=item.line)  # fmt: skip
    for c in concepts:
        g.add_node(cnode(c.id), kind="concept", label=c.label, aliases="; ".join(c.aliases),
                   questions=len(c.questions), specificity=c.specificity, generic=c.generic)  # fmt: skip
    by_item: dict[str, list[str]] = {}
    for m in mentions:
        u, v = qnode(m.item), cnode(m.concept)
        if g.has_edge(u, v):
            g.edges[u, v]["count"] += 1
        else:
            g.add_edge(u, v, kind="mentions", count=1, in_question=False, in_answer=False)
            by_item.setdefault(m.item, []).append(m.concept)
        g.edges[u, v]["in_" + m.field] = True
    for cs in by_item.values():
        for a, b in combinations(sorted(cs), 2):
            if g.has_edge(cnode(a), cnode(b)):
                g.edges[cnode(a), cnode(b)]["weight"] += 1
            else:
                g.add_edge(cnode(a), cnode(b), kind="cooccurs", weight=1)
    return g


def test_graph_is_the_graph_networkx_calls_build() -> None:
    # a mention counted twice, one in both fields, a concept the list leaves out, a repeated item id
    items, concepts, mentions = _bank({"a": ["z", "x", "y"], "b": ["y", "x"], "c": ["w", "y"]}, {"a": ["x"]})
    mentions += [Mention("x", "a", "answer", 3, 4, "x", "x"), Mention("z", "a", "answer", 5, 6, "z", "z"),
                 Mention("ghost", "c", "answer", 0, 1, "g", "g")]  # fmt: skip
    items.append(QAItem("a", 9, "question a again", "", "c.md", 9))
    got = build_graph(items, concepts, mentions)
    want = _graph_by_networkx_calls(items, concepts, mentions)
    assert got.graph == want.graph
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))
    assert [(u, list(nbrs.items())) for u, nbrs in got.adj.items()] == [
        (u, list(nbrs.items())) for u, nbrs in want.adj.items()]
    assert all(list(got.edges[e]) == list(want.edges[e]) for e in want.edges)
    assert got.edges[qnode("a"), cnode("x")] == {"kind": "mentions", "count": 2, "in_question": True, "in_answer": True}


def test_graph_question_label_shows_what_a_figure_table_lays_out_not_its_markup() -> None:
    figure = "See the net:\n<table align='center'><tr><td><img src='n.png' alt='A net'></td></tr></table>\nWhy <hr>?"
    item = QAItem("q1", 1, figure, "", "b.md", 1, "See the net: Why?")
    g = build_graph([item], [], [])
    assert g.nodes[qnode("q1")]["label"] == "See the net: A net (n.png) Why <hr>?"  # a tag that is no layout stays
