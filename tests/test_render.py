"""Tests of kg.render: graph to vis-network data, layout, neighbourhood, standalone page."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.graph import RELATED_TOP, build_graph, related_concepts
from kg.model import Concept, Mention, Pair, QAItem, cnode
from kg.render import (
    CONCEPT_COLOUR,
    LABEL_ALL,
    LABELS_AT_FIT,
    NO_TOPIC_COLOUR,
    PALETTE,
    QUESTION_COLOUR,
    LegendEntry,
    component_css,
    component_js,
    concept_size,
    filtered,
    graph_data,
    label_ranks,
    labelled,
    layout,
    legend,
    legend_html,
    local_graph,
    neighbourhood,
    network_options,
    to_html,
    topic_colours,
    view_data,
    view_graph,
    vis_loader_js,
)
from kg.render.firstview import first_view
from kg.topics import OTHER, topic_summaries

EVIL = '<img src=x onerror="alert(1)"></script><script>alert(2)</script> & co'


class _Rel:
    head, relation, tail, verb = "relu", "mitigates", "vanishing gradient problem", "mitigates"


def _bank_parts() -> tuple:
    """Three concepts over four questions, q3's text hostile, and a relation of relu: build_graph's arguments."""
    mentions = {
        "q1": ["relu", "vanishing gradient problem"],
        "q2": ["relu"],
        "q3": ["dropout"],
        "q4": ["relu", "vanishing gradient problem"],
    }
    items = [
        QAItem(q, int(q[1:]), f"About {', '.join(cs)}?", "An answer.", "bank.md", i, f"About {', '.join(cs)}?")
        for i, (q, cs) in enumerate(mentions.items(), start=1)
    ]
    items[2] = QAItem("q3", 3, EVIL, "An answer.", "bank.md", 3, question_text=EVIL)
    concepts = [
        Concept(
            c,
            "ReLU" if c == "relu" else c,
            ("rectifier",) if c == "relu" else (),
            tuple(q for q, cs in mentions.items() if c in cs),
        )
        for c in sorted({c for cs in mentions.values() for c in cs})
    ]
    found = [Mention(c, q, "question", 0, 1, c, "s") for q, cs in mentions.items() for c in cs]
    return items, concepts, found, [_Rel()]


def _bank() -> nx.Graph:
    """The view graph of :func:`_bank_parts`; q4 is a planted near-copy of q1."""
    G = build_graph(*_bank_parts())
    return view_graph(G, [Pair("q1", "q4", 0.93, "duplicate"), Pair("q1", "q2", 0.3, "related")])


def test_render_graph_data_shapes_and_sizes() -> None:
    V = _bank()
    nodes = {n["id"]: n for n in graph_data(V)["nodes"]}
    assert set(nodes) == set(V)
    assert {n["shape"] for k, n in nodes.items() if k.startswith("c:")} == {"dot"}
    assert {n["shape"] for k, n in nodes.items() if k.startswith("q:")} == {"square"}
    assert nodes["c:relu"]["size"] == concept_size(3)
    assert nodes["c:dropout"]["size"] == concept_size(1)
    assert nodes["c:relu"]["size"] > nodes["c:vanishing gradient problem"]["size"] > nodes["c:dropout"]["size"]
    assert nodes["c:relu"]["label"] == "ReLU"
    assert nodes["c:relu"]["title"].splitlines() == ["ReLU", "also: rectifier", "3 questions"]
    assert nodes["q:q2"]["label"] == "Q2. About relu?"
    assert nodes["q:q2"]["title"] == "Q2. About relu?"
    assert nodes["q:q2"]["color"] == QUESTION_COLOUR


@pytest.mark.parametrize("n", [0, 1, 2, 5, 30, 10_000])
def test_render_concept_size_grows_and_is_capped(n: int) -> None:
    assert 8.0 <= concept_size(n) <= concept_size(n + 1) <= 42.0


def test_render_graph_data_colours_by_topic() -> None:
    V = _bank()
    topics = {"relu": "activations", "vanishing gradient problem": "activations", "dropout": "regularisation"}
    nodes = {n["id"]: n for n in graph_data(V, topics=topics)["nodes"]}
    assert nodes["c:relu"]["color"] == nodes["c:vanishing gradient problem"]["color"] == PALETTE[0]
    assert nodes["c:dropout"]["color"] == PALETTE[1]
    assert "topic: regularisation" in nodes["c:dropout"]["title"]
    plain = {n["id"]: n for n in graph_data(V)["nodes"]}
    assert {plain[c]["color"] for c in ("c:relu", "c:dropout")} == {CONCEPT_COLOUR}
    V.nodes["c:dropout"]["topic"] = "regularisation"  # as kg.pipeline sets it
    from_attr = {n["id"]: n for n in graph_data(V)["nodes"]}
    assert from_attr["c:dropout"]["color"] == PALETTE[0]
    assert from_attr["c:relu"]["color"] == NO_TOPIC_COLOUR


def test_render_graph_data_keeps_text_plain_and_page_escapes_it() -> None:
    data = graph_data(_bank())
    q3 = next(n for n in data["nodes"] if n["id"] == "q:q3")
    # Plain text for vis-network, which writes string titles with innerText.
    assert q3["title"] == f"Q3. {EVIL}"
    page = to_html(data, title=EVIL)
    assert "<img" not in page
    assert "alert(1)" in page  # the text is there, as data
    assert "<script>alert(2)" not in page
    assert page.count("</script>") == 2  # closing vis-network's element and ours, nothing else
    assert "<title>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_render_graph_data_writes_formulas_out_in_question_labels() -> None:
    G = nx.Graph()
    G.add_node("q:q1", kind="question", label=r"Given a function $f(x)$, find $\frac{1}{2} x^2$.", number=1)
    q1 = next(n for n in graph_data(G)["nodes"] if n["id"] == "q:q1")
    assert "$" not in q1["label"] and "$" not in q1["title"]
    assert q1["title"] == "Q1. Given a function f(x), find 1/2 x²."


def test_render_page_and_component_load_nothing_from_a_network() -> None:
    page = to_html(graph_data(_bank()))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "vis-network" in vis_loader_js()
    for js in (vis_loader_js(), component_js()):
        assert "export default function" in js
        assert "\n" in js.strip()  # Streamlit would take a one-line string for a path
    for text in (vis_loader_js().split("vis.js may be distributed")[-1], component_js(), component_css()):
        assert not re.search(r"""(import|url)\s*\(?\s*["']?https?://""", text)


def test_render_vis_network_is_read_without_importing_pyvis() -> None:
    """pyvis imports jinja2, jsonpickle and IPython; the app needs one file from its folder."""
    root = Path(__file__).resolve().parents[1]
    code = (
        "import sys; from kg.render.page import vis_network_js; js = vis_network_js(); "
        "print(len(js) > 100_000, 'vis-network' in js[:2000], "
        "sorted(m for m in ('pyvis', 'jinja2', 'jsonpickle', 'IPython') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert run.stdout == "True True []\n"


def test_render_view_graph_keeps_mentions_relations_and_close_pairs() -> None:
    V = _bank()
    kinds = {tuple(sorted((u, v))): k for u, v, k in V.edges(data="kind")}
    assert kinds[("c:relu", "c:vanishing gradient problem")] == "cooccurs"  # it states a relation
    assert kinds[("q:q1", "q:q4")] == "duplicate"
    assert not V.has_edge("q:q1", "q:q2")  # a merely related pair is not drawn
    assert set(kinds.values()) == {"mentions", "cooccurs", "duplicate"}


def test_render_view_graph_drops_plain_cooccurrence() -> None:
    G = nx.Graph()
    G.add_edge("c:a", "c:b", kind="cooccurs", weight=3)
    G.add_edge("q:1", "c:a", kind="mentions", in_question=True)
    assert sorted(view_graph(G).edges()) == [("c:a", "q:1")]
    assert set(view_graph(G)) == {"c:a", "c:b", "q:1"}


def test_render_graph_data_subset_has_induced_edges_only() -> None:
    data = graph_data(_bank(), nodes=["c:relu", "q:q1", "q:q4", "q:q3", "c:missing"])
    assert [n["id"] for n in data["nodes"]] == ["c:relu", "q:q1", "q:q3", "q:q4"]
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == [
        ("c:relu", "q:q1"),
        ("c:relu", "q:q4"),
        ("q:q1", "q:q4"),
    ]
    duplicate = next(e for e in data["edges"] if {e["from"], e["to"]} == {"q:q1", "q:q4"})
    assert duplicate["dashes"] is True and duplicate["title"] == "duplicate, score 0.93"


def test_render_graph_data_points_relations_from_head_to_tail() -> None:
    data = graph_data(_bank(), nodes=["c:vanishing gradient problem", "c:relu"])
    assert data["edges"] == [
        {
            "id": "c:relu|c:vanishing gradient problem",
            "from": "c:relu",
            "to": "c:vanishing gradient problem",
            "arrows": "to",
            "color": "#0072b2",
            "width": 1.5,
            "title": "relu mitigates vanishing gradient problem (mitigates)",
        }
    ]


def test_render_graph_data_version_follows_the_node_set() -> None:
    V = _bank()
    full = graph_data(V)["version"]
    assert graph_data(V)["version"] == full
    assert graph_data(V, positions=layout(V))["version"] == full
    assert graph_data(V, nodes=["c:relu", "q:q1"])["version"] != full


def test_render_graph_data_places_nodes_from_positions() -> None:
    V = _bank()
    pos = layout(V, seed=3)
    nodes = graph_data(V, positions=pos)["nodes"]
    assert all((n["x"], n["y"]) == pos[n["id"]] for n in nodes)
    assert "x" not in graph_data(V)["nodes"][0]


@pytest.mark.parametrize(
    ("centre", "hops", "limit", "expected"),
    [
        ("c:dropout", 1, 150, ["c:dropout", "q:q3"]),
        ("c:dropout", 2, 150, ["c:dropout", "q:q3"]),
        # A concept's related concepts (the panel's list) come first, then its questions.
        ("c:relu", 1, 150, ["c:relu", "c:vanishing gradient problem", "q:q1", "q:q2", "q:q4"]),
        ("c:relu", 1, 3, ["c:relu", "c:vanishing gradient problem", "q:q1"]),
        ("q:q2", 1, 150, ["q:q2", "c:relu"]),
        ("q:q2", 2, 150, ["q:q2", "c:relu", "q:q1", "q:q4", "c:vanishing gradient problem"]),
        # The first of two rings takes at most 40% of the limit.
        ("q:q2", 2, 4, ["q:q2", "c:relu", "q:q1", "q:q4"]),
        # In the second ring from q3 there is nothing; from q1, q4 is tied to three kept nodes.
        ("q:q3", 2, 150, ["q:q3", "c:dropout"]),
        ("q:q1", 2, 150, ["q:q1", "c:relu", "c:vanishing gradient problem", "q:q4", "q:q2"]),
    ],
)
def test_render_neighbourhood(centre: str, hops: int, limit: int, expected: list[str]) -> None:
    assert neighbourhood(_bank(), centre, hops=hops, limit=limit) == expected


@pytest.mark.parametrize(
    ("centre", "hops", "filters", "expected"),
    [
        # Without question nodes a concept's first hop is its related concepts, joined by "related" edges.
        ("c:dropout", 1, {"questions": False}, ["c:dropout"]),
        ("c:relu", 1, {"questions": False}, ["c:relu", "c:vanishing gradient problem"]),
        ("q:q1", 2, {"questions": False}, ["q:q1", "c:relu", "c:vanishing gradient problem"]),
        # Concepts in fewer questions are hidden; the centre never is.
        ("c:relu", 1, {"min_questions": 3}, ["c:relu", "q:q1", "q:q2", "q:q4"]),
        ("c:dropout", 1, {"min_questions": 3}, ["c:dropout", "q:q3"]),
    ],
)
def test_render_neighbourhood_filters(centre: str, hops: int, filters: dict, expected: list[str]) -> None:
    assert neighbourhood(_bank(), centre, hops=hops, **filters) == expected


def test_render_local_graph_links_related_concepts_without_an_edge() -> None:
    V = _bank()
    V.remove_edge("c:relu", "c:vanishing gradient problem")  # no stated relation: they only share q1 and q4
    L = local_graph(V, "c:relu", hops=1, questions=False)
    assert list(L) == ["c:relu", "c:vanishing gradient problem"]
    assert L.edges["c:relu", "c:vanishing gradient problem"] == {"kind": "related", "shared": 2}
    edge = graph_data(L)["edges"][0]
    assert (edge["title"], edge["dashes"]) == ("2 shared questions", [2, 4])


def test_render_local_graph_walks_the_related_concepts_it_is_given() -> None:
    V = _bank()
    V.remove_edge("c:relu", "c:vanishing gradient problem")
    asked: list[str] = []

    def remembered(concept_id: str) -> list:
        asked.append(concept_id)
        return related_concepts(V, concept_id, top=RELATED_TOP)

    given = local_graph(V, "c:relu", hops=2, related=remembered)
    assert asked and set(asked) <= {"relu", "vanishing gradient problem", "dropout"}
    assert list(given) == list(local_graph(V, "c:relu", hops=2))
    # what it returns is what is walked: with no related concepts, only edges of the graph lead on
    alone = local_graph(V, "c:relu", hops=1, questions=False, related=lambda concept_id: [])
    assert list(alone) == ["c:relu"]


def test_render_view_graph_keeps_the_graph_s_attributes() -> None:
    G = build_graph(*_bank_parts())
    assert view_graph(G).graph == G.graph == {"questions": 4}


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_render_depth_grows_the_neighbourhood(hops: int) -> None:
    V = _bank()
    assert set(neighbourhood(V, "q:q3", hops=hops)) == {"q:q3", "c:dropout"}
    assert len(neighbourhood(V, "q:q2", hops=hops)) == [2, 5, 5][hops - 1]


def test_render_filtered_whole_graph() -> None:
    V = _bank()
    assert filtered(V) == list(V)
    assert filtered(V, questions=False) == ["c:dropout", "c:relu", "c:vanishing gradient problem"]
    assert filtered(V, min_questions=2, questions=False) == ["c:relu", "c:vanishing gradient problem"]


def test_render_filter_drops_questions_whose_concepts_it_all_hides() -> None:
    """Concepts in at least N questions: a question none of whose concepts is left is no square floating alone."""
    V = _bank()
    kept = filtered(V, min_questions=2)
    concepts = {n for n in kept if n.startswith("c:")}
    assert concepts == {"c:relu", "c:vanishing gradient problem"}
    assert [n for n in kept if n.startswith("q:")] == [q for q in V if q.startswith("q:") and set(V[q]) & concepts]
    assert "q:q3" not in kept  # it asks about dropout alone


def test_render_labelled_keeps_hubs_of_big_views() -> None:
    G = nx.Graph()
    for i in range(700):
        G.add_node(f"c:{i:03}", kind="concept", questions=i % 7)
    assert labelled(G, [f"c:{i:03}" for i in range(10)]) == {f"c:{i:03}" for i in range(10)}
    hubs = labelled(G, most=5)
    assert hubs == {"c:006", "c:013", "c:020", "c:027", "c:034"}  # 6 questions each, first ids
    data = graph_data(G)
    assert sum(1 for n in data["nodes"] if n["label"]) == 300


def test_render_big_views_rank_their_labels_for_the_zoom() -> None:
    G = nx.Graph()
    for i in range(700):
        G.add_node(f"c:{i:03}", kind="concept", questions=i % 7)
    data = graph_data(G)
    ranks = {n["id"]: n["rank"] for n in data["nodes"] if "rank" in n}
    assert sorted(ranks.values()) == list(range(300))
    assert ranks == label_ranks(G)
    assert [n for n, r in ranks.items() if r < 3] == ["c:006", "c:013", "c:020"]  # the most asked, by id
    assert data["labelsAtFit"] == LABELS_AT_FIT
    small = graph_data(G, nodes=[f"c:{i:03}" for i in range(10)])
    assert "labelsAtFit" not in small and not any("rank" in n for n in small["nodes"])  # every label shows


def test_render_neighbourhood_ranks_the_centres_own_concepts_first() -> None:
    G = nx.Graph()
    for i in range(LABEL_ALL + 20):
        G.add_node(f"c:{i:03}", kind="concept", questions=10 + i)  # hubs: many questions each
        G.add_edge(f"c:{i:03}", "q:other")
    G.add_node("q:asked", kind="question")
    G.add_node("c:gini", kind="concept", questions=2)
    G.add_node("c:split", kind="concept", questions=3)
    G.add_edges_from([("q:asked", "c:gini"), ("q:asked", "c:split"), ("q:asked", "c:000")])
    nodes = {n["id"]: n for n in graph_data(G, centre="q:asked")["nodes"]}
    ranks = {k: n["rank"] for k, n in nodes.items() if "rank" in n}
    # the question itself, labelled, then its concepts
    assert sorted(ranks, key=ranks.get)[:4] == ["q:asked", "c:000", "c:split", "c:gini"]
    assert nodes["q:asked"]["label"]
    hubs = label_ranks(G)
    assert sorted(hubs, key=hubs.get)[0] == f"c:{LABEL_ALL + 19:03}"  # without a centre: the most asked


def test_render_topic_colours_largest_first_rest_grey() -> None:
    topic_of = {f"c{i}": f"t{i % 15:02}" for i in range(15 * 4)} | {"x": "t14", "y": OTHER}
    colours = topic_colours(topic_of)
    assert colours["t14"] == PALETTE[0]  # the largest topic
    assert [colours[f"t{i:02}"] for i in range(11)] == list(PALETTE[1:12])  # ties by name
    assert {colours[t] for t in ("t11", "t12", "t13", OTHER)} == {NO_TOPIC_COLOUR}


def test_render_legend_matches_the_node_colours() -> None:
    sizes = {f"t{i:02}": 20 - i for i in range(len(PALETTE) + 2)}  # two topics more than colours
    G = nx.Graph()
    topic_of = {}
    for t, n in sizes.items():
        for i in range(n):
            G.add_node(f"c:{t}-{i}", kind="concept", label=f"{t}-{i}", questions=1)
            topic_of[f"{t}-{i}"] = t
    G.add_node("c:stray", kind="concept", label="stray", questions=1)
    topic_of["stray"] = OTHER
    entries, more = legend(topic_summaries(G, topic_of), topic_of)
    colour_of = {n["id"]: n["color"] for n in graph_data(G, topics=topic_of)["nodes"]}
    assert [(e.topic, e.colour) for e in entries[:-1]] == [(t, colour_of[f"c:{t}-0"]) for t in list(sizes)[:12]]
    assert len({e.colour for e in entries}) == len(entries)  # one colour, one line
    grey = entries[-1]
    assert (grey.topic, grey.name, grey.colour, more) == (None, "2 more topics and other concepts", NO_TOPIC_COLOUR, 2)
    assert grey.concepts == sizes["t12"] + sizes["t13"] + 1
    assert colour_of["c:t13-0"] == colour_of["c:stray"] == NO_TOPIC_COLOUR
    assert [e.topic for e in legend(topic_summaries(G, topic_of), topic_of, shown={"t03-1", "stray"})[0]] == [
        "t03",
        None,
    ]


def test_render_legend_html_escapes_topic_names() -> None:
    page = legend_html([LegendEntry("<x>", "<img src=x> · relu", "#0072b2", 3, 2)])
    assert "<img" not in page and "&lt;img src=x&gt; · relu" in page
    assert "3 concepts · 2 q" in page


def test_render_neighbourhood_of_unknown_node() -> None:
    with pytest.raises(KeyError, match="'c:nope' is not a node of the graph"):
        neighbourhood(_bank(), "c:nope")


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


def test_render_related_concepts_are_the_same_on_the_view_graph() -> None:
    G = build_graph(*_bank_parts())
    V = view_graph(G)
    for concept in ("relu", "vanishing gradient problem", "dropout"):
        assert related_concepts(V, concept) == related_concepts(G, concept)


@pytest.mark.model
@pytest.mark.parametrize("hops", [1, 2, 3])
def test_render_neighbourhood_shows_the_related_concepts_the_panel_lists(seed_bank, hops: int) -> None:
    V = view_graph(seed_bank.graph, seed_bank.pairs)
    for c in seed_bank.concepts:
        listed = {cnode(r.concept) for r in related_concepts(seed_bank.graph, c.id, top=RELATED_TOP)}
        assert listed <= set(neighbourhood(V, cnode(c.id), hops=hops)), c.id


def _first(G: nx.Graph, concepts, pairs, topic_of):
    place = {n: (float(i), 0.0) for i, n in enumerate(sorted(G))}.__getitem__
    return first_view(G, pairs, concepts, topic_of, lambda V: {n: place(n) for n in V}, min_confidence=0.5), place


def test_render_first_view_is_the_legend_and_the_neighbourhood_a_big_bank_opens_on(monkeypatch) -> None:
    import kg.render.view

    monkeypatch.setattr(kg.render.view, "FULL_VIEW_LIMIT", 4)  # the 7 nodes of this bank make a big one
    items, concepts, found, relations = _bank_parts()
    G = build_graph(items, concepts, found, relations)
    pairs = [Pair("q1", "q4", 0.93, "duplicate"), Pair("q1", "q2", 0.3, "related")]
    topic_of = {"relu": "relu", "vanishing gradient problem": "relu", "dropout": OTHER}
    first, place = _first(G, concepts, pairs, topic_of)
    assert first.summaries == tuple(topic_summaries(G, topic_of))
    assert first.settings == (False, "c:relu", 2, True, 1, False, True)  # relu: the concept in most questions
    V = view_graph(G, pairs, min_confidence=0.5)
    drawn = view_data(V, lambda L: {n: place(n) for n in L}, full=False, centre="c:relu", hops=2, questions=True,
                      min_questions=1, generic=True, topics=topic_of)
    assert first.view == drawn
    assert {"q:q1", "q:q4", "c:relu"} <= {n["id"] for n in drawn["nodes"]}
    assert first.serves(first.settings) == drawn
    assert first.serves((False, "c:relu", 1, True, 1, False, True)) is None  # another depth is computed


def test_render_first_view_of_a_bank_drawn_whole_is_its_legend_alone() -> None:
    items, concepts, found, relations = _bank_parts()
    G = build_graph(items, concepts, found, relations)
    first, _ = _first(G, concepts, [], {"relu": "relu"})
    assert first.summaries and first.view is None and first.settings is None
    assert first.serves((True, None, 2, True, 1, False, True)) is None


def test_render_first_view_stands_while_verdicts_leave_the_close_pairs_as_drawn(monkeypatch) -> None:
    import kg.render.view

    monkeypatch.setattr(kg.render.view, "FULL_VIEW_LIMIT", 4)
    items, concepts, found, relations = _bank_parts()
    G = build_graph(items, concepts, found, relations)
    pairs = [Pair("q1", "q4", 0.93, "duplicate"), Pair("q1", "q2", 0.3, "related")]
    first, _ = _first(G, concepts, pairs, {"relu": "relu"})
    # a verdict on a pair that is not drawn changes nothing drawn
    assert first.for_pairs([pairs[0], Pair("q1", "q2", 0.3, "related", verdict="different")]) is first
    # one that makes the duplicate an overlap changes its edge: the view is computed again, the legend kept
    changed = first.for_pairs([Pair("q1", "q4", 0.93, "overlap"), pairs[1]])
    assert changed.view is None and changed.summaries == first.summaries


def test_render_layout_depends_on_the_graph_not_on_the_order_of_its_edges() -> None:
    """A neighbourhood's edges come in another order in each process (networkx walks a set of its
    nodes); the layout, stored once for every server, must not follow it."""
    karate = nx.karate_club_graph()
    names = {n: f"c:{n}" if n % 2 else f"q:{n}" for n in karate}
    edges = [(names[u], names[v]) for u, v in karate.edges()]
    one, other = nx.Graph(), nx.Graph()
    one.add_nodes_from(names.values())
    other.add_nodes_from(names.values())
    one.add_edges_from(edges)
    other.add_edges_from((v, u) for u, v in reversed(edges))
    assert layout(one) == layout(other)


def test_render_layout_of_a_crowded_neighbourhood_is_shaped_like_the_canvas() -> None:
    # Wide labels pushed apart up and down made neighbourhoods up to twice as tall as wide, drawn small in
    # a canvas wider than tall (and, separated in too little room, some labels still overlapped).
    from kg.render.layout import ASPECT, _label_box
    from kg.render.view import labelled

    G = nx.complete_bipartite_graph(3, 45)
    nx.relabel_nodes(G, {v: f"c:{v}" for v in G}, copy=False)
    for v in G:
        G.nodes[v].update(kind="concept", label=f"concept {v}", questions=2)
    pos = layout(G, seed=0)
    shown = labelled(G)
    box = {v: _label_box(G.nodes[v], v, v in shown) for v in G}
    width = max(pos[v][0] + box[v][0] for v in G) - min(pos[v][0] - box[v][0] for v in G)
    height = max(pos[v][1] + box[v][1] for v in G) - min(pos[v][1] - box[v][1] for v in G)
    assert height * ASPECT <= width * 1.1
    overlapping = [
        (u, v) for u in G for v in G if str(u) < str(v)
        and abs(pos[u][0] - pos[v][0]) < box[u][0] + box[v][0] - 1
        and abs(pos[u][1] - pos[v][1]) < box[u][1] + box[v][1] - 1
    ]
    assert len(overlapping) < len(G) / 4


@pytest.mark.parametrize(("n", "seed"), [(300, 0), (1500, 0), (1500, 1), (1500, 2), (3000, 3)])
def test_render_label_separation_considers_every_pair_of_overlapping_boxes(n: int, seed: int) -> None:
    """The separation searches pairs by size: dots among themselves, each wide hub label on its own.
    However the sizes are spread, no overlapping pair may fall between the two searches."""
    import numpy as np

    from kg.render.layout import _near_pairs

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) * 45 * math.sqrt(n)
    boxes = np.column_stack([rng.uniform(6, 20, n), rng.uniform(6, 20, n)])
    wide = rng.choice(n, size=n // 6, replace=False)  # hubs: long labels, from slightly wider to very wide
    boxes[wide] = np.column_stack([rng.uniform(20, 250, n // 6), rng.uniform(10, 70, n // 6)])
    i, j = np.triu_indices(n, 1)
    overlaps = (boxes[i] + boxes[j] - np.abs(pos[j] - pos[i]) > 0).all(axis=1)
    expected = set(zip(i[overlaps].tolist(), j[overlaps].tolist(), strict=True))
    pairs = _near_pairs(pos, boxes)
    found = set(map(tuple, pairs.tolist()))
    assert expected and expected <= found
    assert len(found) == len(pairs) and all(a < b for a, b in found)  # each pair once, in order
