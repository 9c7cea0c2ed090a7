from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from kg.topics import OTHER, TopicSummary, carried_topics, topic_members, topic_names, topic_summaries, topics

# Two dense groups joined by one weak edge, a hub that co-occurs with both, and a stray pair.
EDGES = [
    ("relu", "vanishing gradient", 4), ("relu", "leaky relu", 3), ("leaky relu", "vanishing gradient", 2),
    ("relu", "activation function", 3), ("activation function", "leaky relu", 1),
    ("pca", "eigenvector", 4), ("pca", "variance", 3), ("eigenvector", "variance", 2),
    ("pca", "dimensionality reduction", 3), ("dimensionality reduction", "variance", 1),
    ("model", "relu", 1), ("model", "pca", 1), ("model", "variance", 1), ("model", "leaky relu", 1),
    ("activation function", "dimensionality reduction", 1),
    ("sql", "join", 1),
]


def _graph(edges=EDGES, order_seed: int | None = None) -> nx.Graph:
    edges = list(edges)
    if order_seed is not None:
        random.Random(order_seed).shuffle(edges)
        edges = [(b, a, w) if i % 2 else (a, b, w) for i, (a, b, w) in enumerate(edges)]
    G = nx.Graph()
    G.add_node("q:1", kind="question")
    for a, b, w in edges:
        G.add_edge(f"c:{a}", f"c:{b}", kind="cooccurs", weight=w)
        G.add_edge("q:1", f"c:{a}", kind="mentions")
    for n in list(G):
        if n.startswith("c:"):
            G.nodes[n].update(kind="concept", label=n[2:].upper() if n == "c:pca" else n[2:])
    return G


def test_topics_named_by_central_concept_and_strays_pooled() -> None:
    t = topics(_graph(), seed=0)
    assert {c: t[c] for c in ("relu", "leaky relu", "vanishing gradient", "activation function")} == dict.fromkeys(
        ("relu", "leaky relu", "vanishing gradient", "activation function"), "relu"
    )
    assert {t[c] for c in ("pca", "eigenvector", "variance", "dimensionality reduction")} == {"PCA"}  # the label
    assert t["sql"] == t["join"] == OTHER  # a pair is too small to be a topic
    assert "q:1" not in t and "1" not in t  # question nodes have no topic


@pytest.mark.parametrize("order_seed", [1, 2, 3])
def test_topics_stable_whatever_the_build_order(order_seed: int) -> None:
    assert topics(_graph(order_seed=order_seed), seed=0) == topics(_graph(), seed=0)


def test_topics_stable_run_after_run() -> None:
    G = nx.les_miserables_graph()
    for n in G:
        G.nodes[n].update(kind="concept", label=n)
    runs = [topics(G, seed=7) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert 2 <= len(set(runs[0].values())) <= 30


def test_topics_max_topics_sends_the_smallest_to_other() -> None:
    t = topics(_graph(), seed=0, min_size=2, max_topics=1)
    assert set(t.values()) == {"relu", OTHER} or set(t.values()) == {"PCA", OTHER}
    assert t["sql"] == OTHER


def test_topics_ignore_zero_weight_edges() -> None:
    # an edge only a stated relation put there (weight 0) does not pull two topics together
    G = _graph(EDGES + [("relu", "pca", 0)])
    assert topics(G, seed=0) == topics(_graph(), seed=0)


def test_topics_of_an_empty_graph_is_empty() -> None:
    assert topics(nx.Graph()) == {}


def test_topics_members_lists_largest_first_and_other_last() -> None:
    members = topic_members(topics(_graph(), seed=0))
    assert list(members)[-1] == OTHER
    assert members[OTHER] == ["join", "sql"]
    assert sorted(len(v) for k, v in members.items() if k != OTHER) == [4, 5]


def _with_one_question_concepts(extra: dict[str, list[str]]) -> nx.Graph:
    """The test graph plus, for each question, concepts that only it names (weight-1 ties to its others)."""
    G = _graph()
    for concepts in extra.values():
        for a, b in itertools.combinations(concepts, 2):
            if not G.has_edge(f"c:{a}", f"c:{b}"):
                G.add_edge(f"c:{a}", f"c:{b}", kind="cooccurs", weight=1)
        for c in concepts:
            G.nodes[f"c:{c}"].setdefault("kind", "concept")
            G.nodes[f"c:{c}"].setdefault("label", c)
            G.nodes[f"c:{c}"]["questions"] = 1
    return G


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"q2": ["relu", "gelu", "swish"]}, {"gelu": "relu", "swish": "relu"}),
        (
            {"q2": ["pca", "scree plot", "whitening", "loadings"]},
            {"scree plot": "PCA", "whitening": "PCA", "loadings": "PCA"},
        ),
        (
            {"q2": ["relu", "gelu", "swish"], "q3": ["eigenvector", "power iteration", "rayleigh quotient"]},
            {"gelu": "relu", "swish": "relu", "power iteration": "PCA", "rayleigh quotient": "PCA"},
        ),
    ],
)
def test_topics_one_question_concepts_join_their_question_topic(extra, expected) -> None:
    t = topics(_with_one_question_concepts(extra), seed=0)
    assert {c: t[c] for c in expected} == expected
    base = topics(_graph(), seed=0)
    del base["model"]  # the hub ties equally to both topics and may go either way
    assert {c: t[c] for c in base} == base  # the concepts many questions share keep their topics


def test_topics_concepts_with_different_ties_are_not_merged() -> None:
    # "gelu" and "swish" each tie once (weight 1) but to different topics: each goes its own way
    G = _with_one_question_concepts({"q2": ["relu", "leaky relu", "gelu"], "q3": ["pca", "variance", "swish"]})
    t = topics(G, seed=0)
    assert (t["gelu"], t["swish"]) == ("relu", "PCA")


def test_topics_names_list_the_most_central_concepts_key_first() -> None:
    G = _graph()
    t = topics(G, seed=0)
    names = topic_names(G, t)
    # the key's concept first; the hub "model" sits in the relu topic but ties mostly outside it: last
    assert names["relu"] == "relu · leaky relu · vanishing gradient"
    assert next(s for s in topic_summaries(G, t) if s.topic == "relu").concepts[-1] == "model"
    assert names["PCA"] == "PCA · eigenvector · variance"
    assert names[OTHER] == OTHER
    assert set(names) == set(t.values())


@pytest.mark.parametrize(("top", "expected"), [(1, "relu"), (2, "relu · leaky relu"), (9, None)])
def test_topics_names_take_top_concepts(top: int, expected: str | None) -> None:
    name = topic_names(_graph(), topics(_graph(), seed=0), top=top)["relu"]
    if expected is None:  # more than the topic has: every member, once
        assert sorted(name.split(" · ")) == sorted(m for m, k in topics(_graph(), seed=0).items() if k == "relu")
    else:
        assert name == expected


def test_topics_names_of_no_topics_are_empty() -> None:
    assert topic_names(nx.Graph(), {}) == {}


def test_topics_summaries_count_concepts_and_questions_largest_first() -> None:
    G = _graph()
    for q, concepts in {"q:2": ["pca", "variance"], "q:3": ["pca", "relu"], "q:4": ["sql"]}.items():
        G.add_node(q, kind="question")
        G.add_edges_from((q, f"c:{c}") for c in concepts)
    summaries = topic_summaries(G, topics(G, seed=0))
    assert [s.topic for s in summaries][-1] == OTHER
    by_topic = {s.topic: s for s in summaries}
    assert by_topic[OTHER] == TopicSummary(OTHER, OTHER, ("join", "sql"), 2)  # q:1 names every concept
    assert by_topic["PCA"].questions == 3  # q:1, q:2 and q:3; q:3 counts for relu too
    assert by_topic["relu"].questions == 2
    assert by_topic["PCA"].concepts[0] == "pca"
    sizes = [len(s.concepts) for s in summaries[:-1]]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # new concepts asked with a topic's concepts join it, whatever the order they are met in
        ({"q2": ["relu", "gelu", "swish"]}, {"gelu": "relu", "swish": "relu"}),
        ({"q2": ["swish", "gelu", "relu"]}, {"gelu": "relu", "swish": "relu"}),
        # the heavier tie wins: two to PCA's concepts against one to relu's
        ({"q2": ["pca", "variance", "gelu"], "q3": ["relu", "gelu"]}, {"gelu": "PCA"}),
        # only new neighbours: no topic to take
        ({"q2": ["gelu", "swish"]}, {"gelu": OTHER, "swish": OTHER}),
    ],
)
def test_topics_carried_give_new_concepts_their_neighbours_topic(extra, expected) -> None:
    kept = topics(_graph(), seed=0)
    carried = carried_topics(_with_one_question_concepts(extra), kept)
    assert {c: carried[c] for c in expected} == expected
    assert {c: carried[c] for c in kept} == kept  # the others keep theirs


def test_topics_carried_drop_concepts_gone_and_keep_the_rest() -> None:
    kept = topics(_graph(), seed=0)
    G = _graph([e for e in EDGES if "sql" not in e[:2]])  # "sql" and "join", its only tie, are gone
    carried = carried_topics(G, kept)
    assert "sql" not in carried and "join" not in carried
    assert carried == {c: t for c, t in kept.items() if c not in ("sql", "join")}


def test_topics_carried_over_an_unchanged_graph_are_the_topics() -> None:
    G = _graph()
    assert carried_topics(G, topics(G, seed=0)) == topics(G, seed=0)


def test_topics_carried_ties_go_to_the_first_topic_by_name() -> None:
    G = _graph([("a", "x", 2), ("a", "y", 2)])
    assert carried_topics(G, {"x": "xs", "y": "wise"})["a"] == "wise"
    assert carried_topics(G, {"x": "xs", "y": "zed"})["a"] == "xs"
