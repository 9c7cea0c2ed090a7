"""Turn a kg graph into what vis-network draws: node and edge dicts, positions, a neighbourhood, a page.

Pure functions with no Streamlit in them: ``app.py`` calls them and caches what they return, and the
same data can be written to a standalone HTML page. vis-network comes from the installed ``pyvis``
package (``pyvis/lib/vis-9.1.2``), never from a CDN.

Text from a bank never becomes HTML here: vis-network draws labels on a canvas and writes a string
``title`` with ``innerText``, and :func:`to_html` embeds the data as JSON with ``<``, ``>`` and ``&``
escaped, so a question containing ``</script>`` stays text.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import Any

import networkx as nx
import numpy as np

from kg.model import Concept, QAItem

VIS_VERSION = "9.1.2"
COMPONENT_HTML = '<div class="kg-graph" data-testid="kg-graph"></div>'

# Colour-blind-safe categorical colours (Okabe-Ito, then Tableau), one per topic in sorted order.
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#4e79a7",
    "#59a14f",
    "#b07aa1",
    "#9c755f",
    "#76b7b2",
)
CONCEPT_COLOUR = "#0072b2"
QUESTION_COLOUR = "#9aa0a6"
SELECTED_BORDER = "#d62728"
PIXELS_PER_UNIT = 90.0  # one ideal edge length of the layout, on screen

# A bank above this many nodes opens on the neighbourhood of a selection, not the whole graph:
# in a view of thousands of nodes a click lands on the wrong node.
FULL_VIEW_LIMIT = 400


def node_id(kind: str, key: str) -> str:
    """The graph node id of a concept or question key.

    Examples
    --------
    >>> node_id("concept", "relu"), node_id("question", "q7")
    ('c:relu', 'q:q7')
    """
    if kind not in ("concept", "question"):
        raise ValueError(f"unknown node kind {kind!r}; expected 'concept' or 'question'")
    return f"{kind[0]}:{key}"


def split_node_id(node: str) -> tuple[str, str]:
    """The kind and key of a graph node id, the inverse of :func:`node_id`.

    Examples
    --------
    >>> split_node_id("c:vanishing gradient problem")
    ('concept', 'vanishing gradient problem')
    """
    prefix, sep, key = node.partition(":")
    if not sep or prefix not in ("c", "q") or not key:
        raise ValueError(f"not a kg node id: {node!r}; expected 'c:<concept>' or 'q:<question>'")
    return ("concept" if prefix == "c" else "question"), key


def _kind(G: nx.Graph, node: str) -> str:
    kind = G.nodes[node].get("kind")
    return kind if kind in ("concept", "question") else split_node_id(node)[0]


def concept_size(n_questions: int) -> float:
    """Node size of a concept asked about in ``n_questions`` questions: area grows with the count.

    Examples
    --------
    >>> concept_size(1), concept_size(4), concept_size(1000)
    (14.0, 20.0, 42.0)
    """
    return round(min(8.0 + 6.0 * math.sqrt(max(n_questions, 0)), 42.0), 1)


def concept_font(n_questions: int) -> int:
    """Label size of a concept: hubs are read from further out.

    Examples
    --------
    >>> concept_font(1), concept_font(9), concept_font(100)
    (20, 24, 28)
    """
    return int(min(18 + 2 * math.sqrt(max(n_questions, 1)), 28))


def topic_colours(topics: Mapping[str, str]) -> dict[str, str]:
    """A colour for each distinct topic, stable for the same set of topics.

    Examples
    --------
    >>> topic_colours({"relu": "activations", "l1": "regularisation", "tanh": "activations"})
    {'activations': '#0072b2', 'regularisation': '#e69f00'}
    """
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(sorted(set(topics.values())))}


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def question_label(item: QAItem) -> str:
    """The short on-canvas label of a question node.

    Examples
    --------
    >>> question_label(QAItem("q3", 3, "What is ReLU?", "", "bank.md", 5))
    'Q3'
    >>> question_label(QAItem("faq-1", None, "Why normalise inputs at all?", "", "bank.md", 9))
    'Why normalise…'
    """
    if item.number is not None:
        return f"Q{item.number}"
    return _short(item.question_text or item.question, 15)


def neighbourhood(G: nx.Graph, centre: str, *, hops: int = 2, limit: int = 150) -> list[str]:
    """The nodes within ``hops`` of ``centre``, at most ``limit`` of them, nearest first.

    Within one ring, nodes tied more strongly to what is already kept come first (more edges into it,
    then the node id), so a hub concept keeps its most related neighbours instead of a random few.

    Examples
    --------
    >>> G = nx.Graph([("c:a", "q:1"), ("c:a", "q:2"), ("q:1", "c:b"), ("q:2", "c:b"), ("q:2", "c:c")])
    >>> neighbourhood(G, "c:a", hops=1)
    ['c:a', 'q:1', 'q:2']
    >>> neighbourhood(G, "c:a", hops=2, limit=4)
    ['c:a', 'q:1', 'q:2', 'c:b']
    """
    if centre not in G:
        raise KeyError(f"{centre!r} is not a node of the graph")
    kept = [centre]
    seen = {centre}
    ring = [centre]
    for _ in range(hops):
        candidates = {n for r in ring for n in G[r] if n not in seen}
        ties = {n: sum(1 for m in G[n] if m in seen) for n in candidates}
        ring = sorted(candidates, key=lambda n: (-ties[n], n))[: max(limit - len(kept), 0)]
        kept.extend(ring)
        seen.update(ring)
        if len(kept) >= limit or not ring:
            break
    return kept


def layout(G: nx.Graph, *, seed: int = 0, iterations: int = 150) -> dict[str, tuple[float, float]]:
    """Positions for every node, in screen pixels, from a force-directed layout.

    Fruchterman–Reingold forces (attraction ``d**2`` along edges, repulsion ``1/d``) with the
    repulsion split in two, so one step costs O(n) rather than O(n**2): exact from each node's
    nearest neighbours (a k-d tree) and, from everything else, the centres of mass of a coarse grid.
    A weak pull to the centre keeps separate components near each other. The same graph and
    ``seed`` give the same positions.

    Notes
    -----
    About 2 s for 3,000 nodes and 6,500 edges on one core, where ``networkx.spring_layout`` takes
    about 18 s; the caller caches the result per bank.

    Examples
    --------
    >>> G = nx.path_graph(["c:a", "q:1", "c:b"])
    >>> layout(G, seed=1) == layout(G, seed=1)
    True
    >>> sorted(layout(G))
    ['c:a', 'c:b', 'q:1']
    """
    from scipy.spatial import cKDTree

    nodes = sorted(G, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64)
    edges = edges.reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)  # the ideal edge length is 1, so n nodes fill a square of this side
    pos = (rng.random((n, 2)) - 0.5) * side
    near = min(12, n - 1)
    cells = max(2, min(8, int(math.sqrt(n) / 2)))
    temperature = side / 8.0
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        # Near field: exact repulsion from the nearest nodes.
        _, nbr = cKDTree(pos).query(pos, k=near + 1)
        delta = pos[:, None, :] - pos[nbr[:, 1:]]
        d2 = np.maximum((delta**2).sum(axis=2), 1e-4)
        force = 2.0 * (delta / d2[:, :, None]).sum(axis=1)
        # Far field: repulsion from the centre of mass of each grid cell, softened by the cell size.
        lo = pos.min(axis=0)
        size = max(float((pos.max(axis=0) - lo).max()), 1e-6) / cells
        cell = np.minimum(((pos - lo) / size).astype(np.int64), cells - 1)
        cid = cell[:, 0] * cells + cell[:, 1]
        mass = np.bincount(cid, minlength=cells * cells).astype(float)
        occupied = mass > 0
        com = np.stack(
            [np.bincount(cid, weights=pos[:, k], minlength=cells * cells) for k in (0, 1)], axis=1
        )[occupied] / mass[occupied, None]
        delta = pos[:, None, :] - com[None, :, :]
        d2 = (delta**2).sum(axis=2) + size**2
        force += (delta * (mass[occupied] / d2)[:, :, None]).sum(axis=1)
        # Attraction along edges.
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = delta * np.sqrt((delta**2).sum(axis=1))[:, None]
            np.add.at(force, edges[:, 0], -pull)
            np.add.at(force, edges[:, 1], pull)
        force -= 0.05 * pos
        length = np.maximum(np.sqrt((force**2).sum(axis=1)), 1e-9)
        pos += force / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(temperature - cooling, 0.01)
    pos -= pos.mean(axis=0)
    # Turn the longest extent to the horizontal and widen it a little: screens and labels are wide.
    _, _, axes = np.linalg.svd(pos, full_matrices=False)
    pos = pos @ axes.T
    pos *= np.sign(axes.sum(axis=1) + 1e-12)  # fix the sign SVD leaves free, for determinism
    pos *= PIXELS_PER_UNIT * np.array([1.25, 1.0])
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, pos, strict=True)}


def _concept_title(concept: Concept, topic: str | None) -> str:
    lines = [concept.label]
    if concept.aliases:
        lines.append("also: " + ", ".join(concept.aliases[:6]))
    n = len(concept.questions)
    lines.append(f"{n} question" + ("" if n == 1 else "s"))
    if topic:
        lines.append(f"topic: {topic}")
    return "\n".join(lines)


def graph_data(
    G: nx.Graph,
    items: Mapping[str, QAItem],
    concepts: Mapping[str, Concept],
    *,
    positions: Mapping[str, tuple[float, float]] | None = None,
    topics: Mapping[str, str] | None = None,
    nodes: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The vis-network ``nodes`` and ``edges`` of ``G``, or of the subgraph on ``nodes``.

    Concepts are dots sized by their number of questions and coloured by topic; questions are small
    grey squares labelled ``Q<number>``. Labels and titles are plain text (see the module docstring).
    ``version`` is a digest of the node and edge sets, so the browser swaps its data only when it
    changed.

    Examples
    --------
    >>> G = nx.Graph([("c:relu", "q:q1")])
    >>> G.nodes["c:relu"]["kind"], G.nodes["q:q1"]["kind"] = "concept", "question"
    >>> items = {"q1": QAItem("q1", 1, "What is <b>ReLU</b>?", "", "bank.md", 1)}
    >>> concepts = {"relu": Concept("relu", "ReLU", questions=("q1",))}
    >>> data = graph_data(G, items, concepts, positions={"c:relu": (0, 0), "q:q1": (90, 0)})
    >>> [(n["id"], n["label"], n["shape"]) for n in data["nodes"]]
    [('c:relu', 'ReLU', 'dot'), ('q:q1', 'Q1', 'square')]
    >>> data["nodes"][1]["title"]
    'Q1. What is <b>ReLU</b>?'
    >>> data["edges"]
    [{'from': 'c:relu', 'to': 'q:q1', 'color': '#c7ccd1', 'width': 1}]
    """
    topics = topics or {}
    colours = topic_colours(topics)
    keep = list(G) if nodes is None else [n for n in nodes if n in G]
    keep_set = set(keep)
    out_nodes = []
    for node in sorted(keep, key=str):
        kind = _kind(G, node)
        key = split_node_id(node)[1]
        entry: dict[str, Any] = {"id": node}
        if kind == "concept":
            concept = concepts.get(key) or Concept(key, key)
            topic = topics.get(key)
            entry.update(
                label=concept.label,
                title=_concept_title(concept, topic),
                shape="dot",
                size=concept_size(len(concept.questions)),
                color=colours.get(topic, CONCEPT_COLOUR) if topic else CONCEPT_COLOUR,
                font={"size": concept_font(len(concept.questions))},
            )
        else:
            item = items.get(key)
            label = question_label(item) if item else key
            text = (item.question_text or item.question) if item else key
            entry.update(
                label=label,
                title=f"{label}. {_short(text, 300)}",
                shape="square",
                size=8,
                color=QUESTION_COLOUR,
                font={"size": 14, "color": "#5f6368"},
            )
        if positions is not None and node in positions:
            x, y = positions[node]
            entry["x"], entry["y"] = float(x), float(y)
        out_nodes.append(entry)
    out_edges = []
    for u, v in sorted((tuple(sorted((u, v))) for u, v in G.subgraph(keep_set).edges()), key=str):
        kinds = {_kind(G, u), _kind(G, v)}
        attrs = G.edges[u, v]
        edge: dict[str, Any] = {"from": u, "to": v}
        if kinds == {"question"}:
            edge.update(color="#d55e00", width=2, dashes=True)
        elif kinds == {"concept"}:
            weight = float(attrs.get("weight", 1) or 1)
            edge.update(color="#8fb3d9", width=round(min(1 + math.log1p(weight), 5), 2))
        else:
            edge.update(color="#c7ccd1", width=1)
        if attrs.get("label"):
            edge["title"] = str(attrs["label"])
        out_edges.append(edge)
    digest = hashlib.sha1(
        json.dumps([[n["id"] for n in out_nodes], [(e["from"], e["to"]) for e in out_edges]]).encode()
    ).hexdigest()[:16]
    return {"nodes": out_nodes, "edges": out_edges, "version": digest}


def network_options(*, positioned: bool) -> dict[str, Any]:
    """vis-network options: no physics when Python placed the nodes, a short stabilisation otherwise.

    Straight edges, a bounded stabilisation and no ``improvedLayout`` are what keep the first draw of
    a few hundred nodes to seconds rather than tens of seconds.

    Examples
    --------
    >>> network_options(positioned=True)["physics"]
    {'enabled': False}
    >>> network_options(positioned=False)["physics"]["stabilization"]["iterations"]
    200
    """
    options: dict[str, Any] = {
        "autoResize": True,
        "edges": {"smooth": False, "selectionWidth": 2},
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {"face": "sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
        "layout": {"improvedLayout": False, "randomSeed": 0},
    }
    if positioned:
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {
            "enabled": True,
            "solver": "barnesHut",
            "stabilization": {"enabled": True, "iterations": 200, "fit": True},
        }
    return options


def _package_text(*parts: str) -> str:
    return files("kg").joinpath("webcomponent", *parts).read_text(encoding="utf-8")


def vis_network_js() -> str:
    """The vis-network library shipped inside the installed ``pyvis`` package."""
    return files("pyvis").joinpath("lib", f"vis-{VIS_VERSION}", "vis-network.min.js").read_text(encoding="utf-8")


def component_js() -> str:
    """The graph component's JavaScript module: vis-network followed by ``webcomponent/graph.js``.

    It contains newlines, so Streamlit takes it for inline code rather than a file path.
    """
    return vis_network_js() + "\n" + _package_text("graph.js")


def component_css() -> str:
    """The graph component's style sheet (``webcomponent/graph.css``)."""
    return _package_text("graph.css")


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def to_html(data: Mapping[str, Any], *, title: str = "kg graph", height: int = 800) -> str:
    """A standalone page drawing ``data`` (from :func:`graph_data`), with nothing loaded from a network.

    Examples
    --------
    >>> page = to_html({"nodes": [{"id": "q:1", "label": "</script><b>"}], "edges": []}, title="<bank>")
    >>> "</script><b>" in page
    False
    >>> "<title>&lt;bank&gt;</title>" in page
    True
    """
    payload = {
        "nodes": list(data.get("nodes", [])),
        "edges": list(data.get("edges", [])),
        "options": network_options(positioned=all("x" in n for n in data.get("nodes", []))),
    }
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{component_css()}\n"
        f"body {{ margin: 0; font-family: sans-serif; }} .kg-graph {{ height: {int(height)}px; }}</style>\n"
        f"<script>{vis_network_js()}</script>\n</head>\n<body>\n{COMPONENT_HTML}\n<script>\n"
        f"const data = {_script_json(payload)};\n"
        "const host = document.querySelector('.kg-graph');\n"
        "new vis.Network(host, {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)},"
        " data.options);\n</script>\n</body>\n</html>\n"
    )
