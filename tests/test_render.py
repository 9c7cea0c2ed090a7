"""Tests of kg.render: graph to vis-network data, layout, neighbourhood, standalone page."""

from __future__ import annotations

import math
import re

import networkx as nx
import pytest

from kg.model import Concept, QAItem
from kg.render import (
    CONCEPT_COLOUR,
    PALETTE,
    QUESTION_COLOUR,
    component_css,
    component_js,
    concept_size,
    graph_data,
    layout,
    neighbourhood,
    network_options,
    node_id,
    split_node_id,
    to_html,
)

EVIL = '<img src=x onerror="alert(1)"></script><script>alert(2)</script> & co'


def _bank() -> tuple[nx.Graph, dict[str, QAItem], dict[str, Concept]]:
    """Three concepts over four questions; q4 is a planted near-copy of q1."""
    mentions = {
        "q1": ["relu", "vanishing gradient problem"],
        "q2": ["relu"],
        "q3": ["dropout"],
        "q4": ["relu", "vanishing gradient problem"],
    }
    items = {
        q: QAItem(q, int(q[1:]), f"Question {q} about {', '.join(cs)}?", "An answer.", "bank.md", i)
        for i, (q, cs) in enumerate(mentions.items(), start=1)
    }
    items["q3"] = QAItem("q3", 3, EVIL, "An answer.", "bank.md", 3, question_text=EVIL)
    concepts: dict[str, Concept] = {}
    G = nx.Graph()
    for q, cs in mentions.items():
        G.add_node(f"q:{q}", kind="question")
        for c in cs:
            G.add_node(f"c:{c}", kind="concept")
            G.add_edge(f"c:{c}", f"q:{q}")
    for c in sorted({c for cs in mentions.values() for c in cs}):
        qs = tuple(q for q, cs in mentions.items() if c in cs)
        concepts[c] = Concept(c, c.upper() if c == "relu" else c, (), qs)
    G.add_edge("q:q1", "q:q4", label="duplicate 0.93")
    return G, items, concepts


@pytest.mark.parametrize(
    ("kind", "key", "node"),
    [("concept", "relu", "c:relu"), ("question", "q7", "q:q7"), ("concept", "a:b", "c:a:b")],
)
def test_render_node_id_round_trip(kind: str, key: str, node: str) -> None:
    assert node_id(kind, key) == node
    assert split_node_id(node) == (kind, key)


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ("relu", "not a kg node id: 'relu'; expected 'c:<concept>' or 'q:<question>'"),
        ("x:relu", "not a kg node id: 'x:relu'; expected 'c:<concept>' or 'q:<question>'"),
        ("c:", "not a kg node id: 'c:'; expected 'c:<concept>' or 'q:<question>'"),
    ],
)
def test_render_split_node_id_rejects(node: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        split_node_id(node)


def test_render_node_id_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match=r"^unknown node kind 'topic'; expected 'concept' or 'question'$"):
        node_id("topic", "x")


def test_render_graph_data_shapes_and_sizes() -> None:
    G, items, concepts = _bank()
    nodes = {n["id"]: n for n in graph_data(G, items, concepts)["nodes"]}
    assert set(nodes) == set(G)
    assert {n["shape"] for k, n in nodes.items() if k.startswith("c:")} == {"dot"}
    assert {n["shape"] for k, n in nodes.items() if k.startswith("q:")} == {"square"}
    assert nodes["c:relu"]["size"] == concept_size(3)
    assert nodes["c:dropout"]["size"] == concept_size(1)
    assert nodes["c:relu"]["size"] > nodes["c:vanishing gradient problem"]["size"] > nodes["c:dropout"]["size"]
    assert nodes["c:relu"]["label"] == "RELU"
    assert nodes["q:q2"]["label"] == "Q2"
    assert nodes["q:q2"]["color"] == QUESTION_COLOUR
    assert "3 questions" in nodes["c:relu"]["title"]


@pytest.mark.parametrize("n", [0, 1, 2, 5, 30, 10_000])
def test_render_concept_size_grows_and_is_capped(n: int) -> None:
    assert concept_size(n) <= concept_size(n + 1) <= 42.0
    assert concept_size(n) >= 8.0


def test_render_graph_data_colours_by_topic() -> None:
    G, items, concepts = _bank()
    topics = {"relu": "activations", "vanishing gradient problem": "activations", "dropout": "regularisation"}
    nodes = {n["id"]: n for n in graph_data(G, items, concepts, topics=topics)["nodes"]}
    assert nodes["c:relu"]["color"] == nodes["c:vanishing gradient problem"]["color"] == PALETTE[0]
    assert nodes["c:dropout"]["color"] == PALETTE[1]
    assert "topic: regularisation" in nodes["c:dropout"]["title"]
    plain = {n["id"]: n for n in graph_data(G, items, concepts)["nodes"]}
    assert {plain[c]["color"] for c in ("c:relu", "c:dropout")} == {CONCEPT_COLOUR}


def test_render_graph_data_keeps_text_plain_and_page_escapes_it() -> None:
    G, items, concepts = _bank()
    data = graph_data(G, items, concepts)
    q3 = next(n for n in data["nodes"] if n["id"] == "q:q3")
    # Plain text for vis-network, which writes string titles with innerText.
    assert q3["title"] == f"Q3. {EVIL}"
    page = to_html(data, title=EVIL)
    assert "<img" not in page
    assert "alert(1)" in page  # the text is there, as data
    assert "<script>alert(2)" not in page
    assert page.count("</script>") == 2  # closing vis-network's element and ours, nothing else
    assert f"<title>{EVIL}" not in page
    assert "<title>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_render_page_and_component_load_nothing_from_a_network() -> None:
    G, items, concepts = _bank()
    page = to_html(graph_data(G, items, concepts))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "vis-network" in component_js()
    assert "export default function" in component_js()
    assert "\n" in component_js().strip()  # Streamlit would take a one-line string for a path
    for text in (component_js().split("vis.js may be distributed")[-1], component_css()):
        assert not re.search(r"""(import|url)\s*\(?\s*["']?https?://""", text)


def test_render_graph_data_subset_has_induced_edges_only() -> None:
    G, items, concepts = _bank()
    data = graph_data(G, items, concepts, nodes=["c:relu", "q:q1", "q:q4", "q:q3", "c:missing"])
    assert [n["id"] for n in data["nodes"]] == ["c:relu", "q:q1", "q:q3", "q:q4"]
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == [
        ("c:relu", "q:q1"),
        ("c:relu", "q:q4"),
        ("q:q1", "q:q4"),
    ]
    duplicate = next(e for e in data["edges"] if e["from"] == "q:q1")
    assert duplicate["dashes"] is True and duplicate["title"] == "duplicate 0.93"


def test_render_graph_data_version_follows_the_node_set() -> None:
    G, items, concepts = _bank()
    full = graph_data(G, items, concepts)["version"]
    assert graph_data(G, items, concepts)["version"] == full
    assert graph_data(G, items, concepts, positions=layout(G))["version"] == full
    assert graph_data(G, items, concepts, nodes=["c:relu", "q:q1"])["version"] != full


def test_render_graph_data_places_nodes_from_positions() -> None:
    G, items, concepts = _bank()
    pos = layout(G, seed=3)
    nodes = graph_data(G, items, concepts, positions=pos)["nodes"]
    assert all((n["x"], n["y"]) == pos[n["id"]] for n in nodes)
    assert "x" not in graph_data(G, items, concepts)["nodes"][0]


@pytest.mark.parametrize(
    ("centre", "hops", "limit", "expected"),
    [
        ("c:dropout", 1, 150, ["c:dropout", "q:q3"]),
        ("c:dropout", 2, 150, ["c:dropout", "q:q3"]),
        ("c:relu", 1, 150, ["c:relu", "q:q1", "q:q2", "q:q4"]),
        # q1 and q4 lead to the vanishing gradient problem twice, so it ranks in the second ring.
        ("c:relu", 2, 150, ["c:relu", "q:q1", "q:q2", "q:q4", "c:vanishing gradient problem"]),
        ("c:relu", 2, 3, ["c:relu", "q:q1", "q:q2"]),
        ("q:q2", 2, 150, ["q:q2", "c:relu", "q:q1", "q:q4"]),
    ],
)
def test_render_neighbourhood(centre: str, hops: int, limit: int, expected: list[str]) -> None:
    G, _, _ = _bank()
    assert neighbourhood(G, centre, hops=hops, limit=limit) == expected


def test_render_neighbourhood_of_unknown_node() -> None:
    G, _, _ = _bank()
    with pytest.raises(KeyError, match="'c:nope' is not a node of the graph"):
        neighbourhood(G, "c:nope")


def test_render_layout_is_deterministic_per_seed() -> None:
    G = nx.les_miserables_graph()
    first = layout(G, seed=7)
    assert layout(G, seed=7) == first
    assert layout(G, seed=8) != first
    assert set(first) == set(G)
    assert len(set(first.values())) == len(first)  # no two nodes on one spot


@pytest.mark.parametrize("n", [0, 1, 2])
def test_render_layout_of_tiny_graphs(n: int) -> None:
    G = nx.path_graph(n)
    pos = layout(G)
    assert set(pos) == set(G)
    assert all(all(math.isfinite(v) for v in xy) for xy in pos.values())


def test_render_layout_puts_neighbours_closer_than_strangers() -> None:
    # Two cliques joined by one edge: a useful layout keeps each clique together.
    G = nx.barbell_graph(8, 0)
    pos = layout(G, seed=0)

    def dist(u: int, v: int) -> float:
        return math.dist(pos[u], pos[v])

    inside = [dist(u, v) for u, v in G.edges()]
    across = [dist(u, v) for u in range(8) for v in range(8, 16) if not G.has_edge(u, v)]
    assert max(inside) < min(across) * 1.5
    assert sum(inside) / len(inside) < sum(across) / len(across) / 2


@pytest.mark.parametrize(("positioned", "physics"), [(True, False), (False, True)])
def test_render_network_options(positioned: bool, physics: bool) -> None:
    options = network_options(positioned=positioned)
    assert options["physics"]["enabled"] is physics
    assert options["edges"]["smooth"] is False
    assert options["layout"]["improvedLayout"] is False
