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
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files
from typing import Any

import networkx as nx
import numpy as np

from kg.model import Pair

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
CONCEPT_COLOUR = "#1f77b4"  # every concept, while the bank has no topics
NO_TOPIC_COLOUR = "#9fb3c8"  # a concept without a topic in a bank that has them
QUESTION_COLOUR = "#9aa0a6"
PIXELS_PER_UNIT = 70.0  # the median edge of a layout, in canvas pixels
GRAVITY = 0.1  # pull to the centre, in the force layout's units
EXACT_REPULSION = 800  # components up to this size get exact all-pairs repulsion

# A bank above this many nodes opens on the neighbourhood of a selection, not the whole graph:
# in a view of thousands of nodes a click lands on the wrong node.
FULL_VIEW_LIMIT = 400
# Views up to this many nodes label every node; bigger ones only their hubs (see labelled).
LABEL_ALL = 600


def concept_size(n_questions: int) -> float:
    """Node size of a concept asked about in ``n_questions`` questions: area grows with the count.

    Examples
    --------
    >>> concept_size(1), concept_size(4), concept_size(1000)
    (14.0, 20.0, 42.0)
    """
    return round(min(8.0 + 6.0 * math.sqrt(max(n_questions, 0)), 42.0), 1)


def concept_font(n_questions: int) -> int:
    """Label size of a concept: hubs stay legible when the whole graph is in view.

    vis-network skips labels smaller than 5 screen pixels, so when a big graph is zoomed out the
    labels of rare concepts (and of questions, at 12) give way first and the hubs remain.

    Examples
    --------
    >>> concept_font(1), concept_font(9), concept_font(100)
    (26, 34, 44)
    """
    return int(min(22 + 4 * math.sqrt(max(n_questions, 1)), 44))


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


def question_label(number: int | None, text: str) -> str:
    """The short on-canvas label of a question node: its number, else its first words.

    Examples
    --------
    >>> question_label(3, "What is ReLU?")
    'Q3'
    >>> question_label(None, "Why normalise inputs at all?")
    'Why normalise…'
    """
    if number is not None and number >= 0:
        return f"Q{number}"
    return _short(text, 15)


def view_graph(G: nx.Graph, pairs: Iterable[Pair] = ()) -> nx.Graph:
    """The graph that is drawn: questions, concepts, who mentions what, stated relations, near-copies.

    Concept co-occurrence edges without a stated relation are left out (the shared questions already
    show them, and in a big bank they are most of the edges); duplicate and overlap pairs are added
    as question–question edges. Node attributes are those of ``G`` (:func:`kg.graph.build_graph`).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("q:1", "c:relu", kind="mentions", in_question=True)
    >>> G.add_edge("q:2", "c:relu", kind="mentions", in_question=False)
    >>> G.add_edge("c:relu", "c:tanh", kind="cooccurs", weight=1)
    >>> G.add_edge("c:relu", "c:vgp", kind="cooccurs", weight=1, relation="mitigates", relation_head="relu")
    >>> sorted(view_graph(G, [Pair("1", "2", 0.9, "duplicate")]).edges())
    [('c:relu', 'c:vgp'), ('c:relu', 'q:2'), ('q:1', 'c:relu'), ('q:1', 'q:2')]
    """
    V = nx.Graph()
    V.add_nodes_from(G.nodes(data=True))
    for u, v, attrs in G.edges(data=True):
        if attrs.get("kind") != "cooccurs" or attrs.get("relation"):
            V.add_edge(u, v, **attrs)
    for p in pairs:
        if p.kind in ("duplicate", "overlap"):
            u, v = f"q:{p.a}", f"q:{p.b}"
            if u in G and v in G:
                V.add_edge(u, v, kind=p.kind, score=p.score)
    return V


def neighbourhood(G: nx.Graph, centre: str, *, hops: int = 2, limit: int = 150) -> list[str]:
    """The nodes within ``hops`` of ``centre``, at most ``limit`` of them, nearest first.

    Within one ring, nodes tied more strongly to what is already kept come first (more edges into
    it, then questions that ask about the concept before those whose answer only mentions it, then
    the node id), so a hub concept keeps its most related neighbours instead of a random few. When a
    second ring follows, the first takes at most 40% of ``limit``: a concept in 120 questions then
    shows its 60 closest questions and the concepts they share, not 150 squares.

    Examples
    --------
    >>> G = nx.Graph([("c:a", "q:1"), ("c:a", "q:2"), ("q:1", "c:b"), ("q:2", "c:b"), ("q:2", "c:c")])
    >>> neighbourhood(G, "c:a", hops=1)
    ['c:a', 'q:1', 'q:2']
    >>> neighbourhood(G, "c:a", hops=2, limit=4)
    ['c:a', 'q:1', 'c:b']
    >>> neighbourhood(G, "c:a", hops=2, limit=6)
    ['c:a', 'q:1', 'q:2', 'c:b', 'c:c']
    """
    if centre not in G:
        raise KeyError(f"{centre!r} is not a node of the graph")
    kept = [centre]
    seen = {centre}
    ring = [centre]
    for hop in range(hops):
        candidates = {n for r in ring for n in G[r] if n not in seen}
        ties = {n: sum(1 for m in G[n] if m in seen) for n in candidates}
        asks = {n: any(G.edges[n, m].get("in_question") for m in G[n] if m in seen) for n in candidates}
        room = limit - len(kept)
        if hop < hops - 1:
            room = min(room, max(int(0.4 * limit), 1))
        ring = sorted(candidates, key=lambda n: (-ties[n], not asks[n], n))[: max(room, 0)]
        kept.extend(ring)
        seen.update(ring)
        if len(kept) >= limit or not ring:
            break
    return kept


def labelled(G: nx.Graph, nodes: Iterable[str] | None = None, *, most: int = 300) -> set[str]:
    """The nodes whose label is drawn: all of a view up to :data:`LABEL_ALL` nodes, else the hubs.

    In a view of thousands of nodes every label overlaps another; there only the ``most`` concepts
    in the most questions are labelled, and the rest show their text on hover.

    Examples
    --------
    >>> G = nx.Graph([("c:a", "q:1")])
    >>> sorted(labelled(G))
    ['c:a', 'q:1']
    """
    keep = list(G) if nodes is None else [n for n in nodes if n in G]
    if len(keep) <= LABEL_ALL:
        return set(keep)
    concepts = [n for n in keep if G.nodes[n].get("kind") == "concept"]
    concepts.sort(key=lambda n: (-int(G.nodes[n].get("questions") or 0), n))
    return set(concepts[:most])


def layout(G: nx.Graph, *, seed: int = 0, iterations: int = 150) -> dict[str, tuple[float, float]]:
    """Positions for every node, in canvas pixels, from a force-directed layout.

    Each connected component is laid out on its own (:func:`_force_layout`), turned so its long side
    is horizontal, scaled so a typical edge is :data:`PIXELS_PER_UNIT` long, and then nudged until no
    two labels overlap (:func:`_separate`, using the label sizes :func:`graph_data` will draw). The
    components are packed in rows, biggest first, so a bank with a few small islands does not shrink
    its main cluster to a dot. The same graph and ``seed`` give the same positions.

    Notes
    -----
    Components above 2,000 nodes get half the iterations and a few overlap passes. The view graph
    of a 1,300-question bank (6,400 nodes, 16,000 edges) takes about 6 s on one core, where
    ``networkx.spring_layout`` takes about 18 s for half as many; the caller caches the result.

    Examples
    --------
    >>> G = nx.path_graph(["c:a", "q:1", "c:b"])
    >>> layout(G, seed=1) == layout(G, seed=1)
    True
    >>> sorted(layout(G))
    ['c:a', 'c:b', 'q:1']
    """
    components = sorted((sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0])))
    shown = labelled(G)
    placed = []
    for nodes in components:
        steps = iterations if len(nodes) <= 2000 else iterations // 2
        pos = _force_layout(G.subgraph(nodes), nodes, seed=seed, iterations=steps) * PIXELS_PER_UNIT
        boxes = np.array([_label_box(G.nodes[v], v, v in shown) for v in nodes])
        # A few thousand nodes are only read zoomed in, where vis-network shows their labels; a few
        # passes keep them apart there at a fraction of the cost.
        pos = _separate(pos, boxes, iterations=80 if len(nodes) <= 2000 else 15)
        lo, hi = (pos - boxes).min(axis=0), (pos + boxes).max(axis=0)
        placed.append((nodes, pos - lo, hi - lo))
    offsets = _pack([size for _, _, size in placed], gap=PIXELS_PER_UNIT)
    out: dict[str, tuple[float, float]] = {}
    for (nodes, pos, _), offset in zip(placed, offsets, strict=True):
        shifted = pos + offset
        out.update({v: (round(float(a), 1), round(float(b), 1)) for v, (a, b) in zip(nodes, shifted, strict=True)})
    return out


def _pack(sizes: Sequence[np.ndarray], *, gap: float, aspect: float = 1.3) -> list[np.ndarray]:
    """Top-left corners for boxes of ``sizes`` (biggest first) in rows, the rows as wide as suits a
    canvas ``aspect`` times wider than tall: of every row width that breaks after some box, the one
    whose packing can be drawn largest.

    Examples
    --------
    >>> [tuple(map(float, o)) for o in _pack([np.array([4.0, 4.0]), np.array([2.0, 2.0])], gap=1.0)]
    [(0.0, 0.0), (5.0, 0.0)]
    >>> [tuple(map(float, o)) for o in _pack([np.array([4.0, 2.0]), np.array([2.0, 2.0])], gap=1.0)]
    [(0.0, 0.0), (0.0, 3.0)]
    """

    def shelf(width: float) -> tuple[list[np.ndarray], float, float]:
        corners, x, y, row, right = [], 0.0, 0.0, 0.0, 0.0
        for w, h in sizes:
            if x > 0 and x + w > width:
                x, y, row = 0.0, y + row + gap, 0.0
            corners.append(np.array([x, y]))
            right = max(right, x + w)
            x += w + gap
            row = max(row, h)
        return corners, right, y + row

    if not sizes:
        return []
    widths = [float(np.cumsum([w + gap for w, _ in sizes])[k] - gap) for k in range(len(sizes))]
    best, best_scale = [], -1.0
    for width in sorted({max(w for w, _ in sizes), *widths}):
        corners, w, h = shelf(width + 1e-6)
        scale = min(aspect / max(w, 1e-6), 1.0 / max(h, 1e-6))
        if scale > best_scale + 1e-12:
            best, best_scale = corners, scale
    return best


def _label_box(attrs: Mapping[str, Any], node: str, shown: bool = True) -> tuple[float, float]:
    """Half width and half height, in canvas pixels, of a node and the label drawn under it."""
    if not shown:
        radius = concept_size(int(attrs.get("questions") or 0)) if attrs.get("kind") == "concept" else 8.0
        return radius + 4, radius + 4
    if attrs.get("kind") == "concept":
        n = int(attrs.get("questions") or 0)
        font, radius = concept_font(n), concept_size(n)
        text = str(attrs.get("label") or node)
    else:
        font, radius = 12, 8.0
        number = attrs.get("number")
        text = f"Q{number}" if isinstance(number, int) and number >= 0 else _short(str(attrs.get("label") or node), 15)
    # Long labels count as 24 characters: a few may touch, but one very long label must not make
    # every node a neighbour of every other in _separate.
    width = max(0.55 * font * min(len(text), 24), 2 * radius)
    return width / 2 + 4, (2 * radius + font) / 2 + 4


def _separate(pos: np.ndarray, boxes: np.ndarray, iterations: int = 80) -> np.ndarray:
    """Push apart nodes whose label boxes overlap, each pair along the axis it overlaps least on."""
    from scipy.spatial import cKDTree

    pos = pos.copy()
    if len(pos) < 2:
        return pos
    # Search in a space squeezed along x so the widest box becomes square: two boxes can only
    # overlap within this reach there, and the search finds few pairs that do not.
    squeeze = np.array([boxes[:, 1].max() / boxes[:, 0].max(), 1.0])
    reach = 2 * math.sqrt(2) * float(boxes[:, 1].max())
    for _ in range(iterations):
        pairs = cKDTree(pos * squeeze).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = pos[j] - pos[i]
        overlap = boxes[i] + boxes[j] - np.abs(d)
        hit = (overlap > 0).all(axis=1)
        if not hit.any():
            break
        i, j, d, overlap = i[hit], j[hit], d[hit], overlap[hit]
        axis = overlap.argmin(axis=1)
        rows = np.arange(len(axis))
        side = np.sign(d[rows, axis])
        side[side == 0] = np.where(i[side == 0] < j[side == 0], 1.0, -1.0)  # on one spot: by index
        shift = np.zeros_like(d)
        shift[rows, axis] = side * (overlap[rows, axis] / 2 + 0.5)
        np.add.at(pos, j, shift)
        np.add.at(pos, i, -shift)
    return pos


def _force_layout(G: nx.Graph, nodes: Sequence[str], *, seed: int, iterations: int) -> np.ndarray:
    """Fruchterman–Reingold positions of ``nodes`` (one connected component), ideal edge length 1.

    Attraction ``d**2`` along edges, repulsion ``1/d`` split in two so a step costs O(n) rather than
    O(n**2): exact from each node's nearest neighbours (a k-d tree) and, from everything else, the
    centres of mass of a coarse grid. The result is centred and turned so its long side is along x.
    """
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)  # n nodes at unit spacing fill a square of this side
    pos = (rng.random((n, 2)) - 0.5) * side
    near = min(12, n - 1)
    cells = max(2, min(8, int(math.sqrt(n) / 2)))
    temperature = side / 8.0 + 0.5
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        if n <= EXACT_REPULSION:
            delta = pos[:, None, :] - pos[None, :, :]
            d2 = np.maximum((delta**2).sum(axis=2), 1e-4)
            force = (delta / d2[:, :, None]).sum(axis=1)
        else:
            force = _approximate_repulsion(pos, near, cells)
        # Attraction along edges, and a weak pull to the centre.
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = delta * np.sqrt((delta**2).sum(axis=1))[:, None]
            np.add.at(force, edges[:, 0], -pull)
            np.add.at(force, edges[:, 1], pull)
        force -= GRAVITY * pos
        length = np.maximum(np.sqrt((force**2).sum(axis=1)), 1e-9)
        pos += force / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(temperature - cooling, 0.01)
    pos -= pos.mean(axis=0)
    # Scale so that the median edge is one unit long: the caller's pixels per unit assume it.
    if len(edges):
        median = float(np.median(np.sqrt(((pos[edges[:, 0]] - pos[edges[:, 1]]) ** 2).sum(axis=1))))
        pos /= max(median, 1e-6)
    # Turn the longest extent to the horizontal, and widen a little: screens and labels are wide.
    _, _, axes = np.linalg.svd(pos, full_matrices=False)
    axes *= np.where(axes.sum(axis=1, keepdims=True) < 0, -1.0, 1.0)  # fix the sign SVD leaves free
    return (pos @ axes.T) * np.array([1.8, 1.0])


def _approximate_repulsion(pos: np.ndarray, near: int, cells: int) -> np.ndarray:
    """Repulsion ``1/d`` on every node: exact from its nearest nodes, from the rest by grid cell."""
    from scipy.spatial import cKDTree

    _, nbr = cKDTree(pos).query(pos, k=near + 1)
    delta = pos[:, None, :] - pos[nbr[:, 1:]]
    d2 = np.maximum((delta**2).sum(axis=2), 1e-4)
    force = (delta / d2[:, :, None]).sum(axis=1)
    # Far field: the centre of mass of each grid cell, softened by the cell size so that the
    # near nodes, already counted, add little twice.
    lo = pos.min(axis=0)
    size = max(float((pos.max(axis=0) - lo).max()), 1e-6) / cells
    cell = np.minimum(((pos - lo) / size).astype(np.int64), cells - 1)
    cid = cell[:, 0] * cells + cell[:, 1]
    mass = np.bincount(cid, minlength=cells * cells).astype(float)
    occupied = mass > 0
    com = np.stack([np.bincount(cid, weights=pos[:, k], minlength=cells * cells) for k in (0, 1)], axis=1)
    com = com[occupied] / mass[occupied, None]
    delta = pos[:, None, :] - com[None, :, :]
    d2 = (delta**2).sum(axis=2) + size**2
    return force + (delta * (mass[occupied] / d2)[:, :, None]).sum(axis=1)


def _concept_title(attrs: Mapping[str, Any], label: str, topic: str | None) -> str:
    lines = [label]
    aliases = [a for a in str(attrs.get("aliases") or "").split("; ") if a]
    if aliases:
        lines.append("also: " + ", ".join(aliases[:6]))
    n = int(attrs.get("questions") or 0)
    lines.append(f"{n} question" + ("" if n == 1 else "s"))
    if topic:
        lines.append(f"topic: {topic}")
    return "\n".join(lines)


def _edge(u: str, v: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    kind = attrs.get("kind")
    edge: dict[str, Any] = {"id": f"{u}|{v}", "from": u, "to": v}
    if kind in ("duplicate", "overlap"):
        edge.update(
            color="#d55e00" if kind == "duplicate" else "#e69f00",
            width=2,
            dashes=True,
            title=f"{kind}, score {float(attrs.get('score', 0)):.2f}",
        )
    elif attrs.get("relation"):
        head = f"c:{attrs.get('relation_head')}"
        tail = v if head == u else u
        if head in (u, v):
            edge.update({"from": head, "to": tail, "arrows": "to"})
        verb = f" ({attrs['verb']})" if attrs.get("verb") else ""
        edge.update(
            color="#0072b2",
            width=1.5,
            title=f"{_key(edge['from'])} {attrs['relation']} {_key(edge['to'])}{verb}",
        )
    else:
        # Darker when the question asks about the concept, lighter when only its answer mentions it.
        edge.update(color="#aab1b8" if attrs.get("in_question") else "#d5d9dd", width=1)
    return edge


def _key(node: str) -> str:
    return node.split(":", 1)[1] if ":" in node else node


def graph_data(
    V: nx.Graph,
    *,
    positions: Mapping[str, tuple[float, float]] | None = None,
    nodes: Iterable[str] | None = None,
    topics: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The vis-network ``nodes`` and ``edges`` of ``V`` (:func:`view_graph`), or of its subgraph on ``nodes``.

    Concepts are dots sized by their number of questions and coloured by topic (the ``topic`` node
    attribute, else ``topics`` by concept id); questions are small grey squares labelled
    ``Q<number>``. Labels and titles are plain text (see the module docstring). ``version`` is a digest
    of the node and edge sets, so the browser swaps its data only when they changed.

    Examples
    --------
    >>> V = nx.Graph()
    >>> V.add_node("c:relu", kind="concept", label="ReLU", questions=1, aliases="")
    >>> V.add_node("q:q1", kind="question", label="What is <b>ReLU</b>?", number=1)
    >>> V.add_edge("c:relu", "q:q1", kind="mentions", in_question=True)
    >>> data = graph_data(V, positions={"c:relu": (0, 0), "q:q1": (90, 0)})
    >>> [(n["id"], n["label"], n["shape"]) for n in data["nodes"]]
    [('c:relu', 'ReLU', 'dot'), ('q:q1', 'Q1', 'square')]
    >>> data["nodes"][1]["title"]
    'Q1. What is <b>ReLU</b>?'
    >>> data["edges"]
    [{'id': 'c:relu|q:q1', 'from': 'c:relu', 'to': 'q:q1', 'color': '#aab1b8', 'width': 1}]
    """
    topics = dict(topics or {})
    for node, attrs in V.nodes(data=True):
        if attrs.get("kind") == "concept" and attrs.get("topic") and _key(node) not in topics:
            topics[_key(node)] = str(attrs["topic"])
    colours = topic_colours(topics)
    keep = list(V) if nodes is None else [n for n in nodes if n in V]
    shown = labelled(V, keep)
    out_nodes = []
    for node in sorted(keep, key=str):
        attrs = V.nodes[node]
        entry: dict[str, Any] = {"id": node}
        if attrs.get("kind") == "concept":
            n_questions = int(attrs.get("questions") or 0)
            topic = topics.get(_key(node))
            label = str(attrs.get("label") or _key(node))
            entry.update(
                label=label,
                title=_concept_title(attrs, label, topic),
                shape="dot",
                size=concept_size(n_questions),
                color=colours[topic] if topic else (NO_TOPIC_COLOUR if colours else CONCEPT_COLOUR),
                font={"size": concept_font(n_questions)},
            )
        else:
            number = attrs.get("number")
            text = str(attrs.get("label") or _key(node))
            label = question_label(number if isinstance(number, int) else None, text)
            entry.update(
                label=label,
                title=f"{label}. {_short(text, 300)}" if label.startswith("Q") else _short(text, 300),
                shape="square",
                size=8,
                color=QUESTION_COLOUR,
                font={"size": 12, "color": "#5f6368"},
            )
        if node not in shown:
            entry["label"] = ""
        if positions is not None and node in positions:
            x, y = positions[node]
            entry["x"], entry["y"] = float(x), float(y)
        out_nodes.append(entry)
    out_edges = [_edge(u, v, V.edges[u, v]) for u, v in sorted(tuple(sorted(e)) for e in V.subgraph(keep).edges())]
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
            # Skip labels under 7 screen pixels: zoomed out, question labels give way to concepts.
            "scaling": {"label": {"drawThreshold": 7}},
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


def vis_loader_js() -> str:
    """A JavaScript module that only loads vis-network (it sets ``globalThis.vis``).

    Mounted as its own component with no data, its message is the same on every rerun, so Streamlit
    sends the 470 kB once and afterwards only a reference to it; the graph component
    (:func:`component_js`) stays small however often its data change.
    """
    return vis_network_js() + "\nexport default function loadVis() {}\n"


def component_js() -> str:
    """The graph component's JavaScript module (``webcomponent/graph.js``); it waits for vis-network."""
    return _package_text("graph.js")


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
