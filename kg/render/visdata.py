"""The vis-network ``nodes``, ``edges`` and ``options`` of a view.

Text from a bank never becomes HTML here: vis-network draws labels on a canvas and writes a string
``title`` with ``innerText``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from kg.model import CLOSE_KINDS, DUPLICATE, cnode, node_id
from kg.render.style import (
    CONCEPT_COLOUR,
    GENERIC_COLOUR,
    GENERIC_SIZE,
    NO_TOPIC_COLOUR,
    QUESTION_COLOUR,
    QUESTION_FONT,
    concept_font,
    concept_size,
    question_label,
    topic_colours,
)
from kg.render.view import LABEL_ALL, LABELS_AT_FIT, Related, filtered, label_ranks, local_graph
from kg.text import quantity, readable_math, shorten

Positions = dict[str, tuple[float, float]]


def _concept_title(attrs: Mapping[str, Any], label: str, topic: str | None) -> str:
    lines = [label]
    aliases = [a for a in str(attrs.get("aliases") or "").split("; ") if a]
    if aliases:
        lines.append("also: " + ", ".join(aliases[:6]))
    n = int(attrs.get("questions") or 0)
    lines.append(quantity(n, "question"))
    if topic:
        lines.append(f"topic: {topic}")
    return "\n".join(lines)


def _edge(u: str, v: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    kind = attrs.get("kind")
    edge: dict[str, Any] = {"id": f"{u}|{v}", "from": u, "to": v}
    if kind in CLOSE_KINDS:
        edge.update(
            color="#d55e00" if kind == DUPLICATE else "#e69f00",
            width=2,
            dashes=True,
            title=f"{kind}, score {float(attrs.get('score', 0)):.2f}",
        )
    elif attrs.get("relation"):
        head = cnode(str(attrs.get("relation_head")))
        tail = v if head == u else u
        if head in (u, v):
            edge.update({"from": head, "to": tail, "arrows": "to"})
        verb = f" ({attrs['verb']})" if attrs.get("verb") else ""
        edge.update(
            color="#0072b2",
            width=1.5,
            title=f"{node_id(edge['from'])} {attrs['relation']} {node_id(edge['to'])}{verb}",
        )
    elif kind == "related":
        shared = int(attrs.get("shared") or 0)
        edge.update(
            color="#9fb3c8",
            width=round(1 + math.log1p(shared), 2),
            dashes=[2, 4],
            title=quantity(shared, "shared question"),
        )
    else:
        # Darker when the question asks about the concept, lighter when only its answer mentions it.
        edge.update(color="#aab1b8" if attrs.get("in_question") else "#d5d9dd", width=1)
    return edge


def graph_data(
    V: nx.Graph,
    *,
    positions: Mapping[str, tuple[float, float]] | None = None,
    nodes: Iterable[str] | None = None,
    topics: Mapping[str, str] | None = None,
    centre: str | None = None,
) -> dict[str, Any]:
    """The vis-network ``nodes`` and ``edges`` of ``V`` (:func:`view_graph`), or of its subgraph on ``nodes``;
    ``centre``, the node ``V`` is the neighbourhood of, whose concepts are labelled first in a big view.

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
    [('c:relu', 'ReLU', 'dot'), ('q:q1', 'Q1. What is\\n<b>ReLU</b>?', 'square')]
    >>> data["nodes"][1]["title"]
    'Q1. What is <b>ReLU</b>?'
    >>> data["edges"]
    [{'id': 'c:relu|q:q1', 'from': 'c:relu', 'to': 'q:q1', 'color': '#aab1b8', 'width': 1}]
    """
    topics = dict(topics or {})
    for node, attrs in V.nodes(data=True):
        if attrs.get("kind") == "concept" and attrs.get("topic") and node_id(node) not in topics:
            topics[node_id(node)] = str(attrs["topic"])
    colours = topic_colours(topics)
    keep = list(V) if nodes is None else [n for n in nodes if n in V]
    # A big view labels its hubs only, and the script shows them by rank as the view is zoomed in.
    ranks = label_ranks(V, keep, centre=centre) if len(keep) > LABEL_ALL else None
    shown = set(keep) if ranks is None else set(ranks)
    out_nodes = []
    for node in sorted(keep, key=str):
        attrs = V.nodes[node]
        entry: dict[str, Any] = {"id": node}
        if attrs.get("kind") == "concept":
            n_questions = int(attrs.get("questions") or 0)
            topic = topics.get(node_id(node))
            label = str(attrs.get("label") or node_id(node))
            entry.update(
                label=label,
                title=_concept_title(attrs, label, topic),
                shape="dot",
                size=concept_size(n_questions),
                color=colours[topic] if topic else (NO_TOPIC_COLOUR if colours else CONCEPT_COLOUR),
                font={"size": concept_font(n_questions)},
            )
            if attrs.get("generic"):
                # in the background: an everyday word used everywhere would otherwise be the biggest hub
                entry.update(
                    size=GENERIC_SIZE,
                    color=GENERIC_COLOUR,
                    font={"size": concept_font(1), "color": "#80868b"},
                    title=entry["title"] + "\ngeneric: an everyday word the answers use in passing",
                )
        else:
            number = attrs.get("number")
            text = readable_math(str(attrs.get("label") or node_id(node)))  # the canvas cannot typeset TeX
            numbered = isinstance(number, int) and number >= 0
            entry.update(
                label=question_label(number if isinstance(number, int) else None, text),
                title=f"Q{number}. {shorten(text, 300)}" if numbered else shorten(text, 300),
                shape="square",
                size=8,
                color=QUESTION_COLOUR,
                font={"size": QUESTION_FONT, "color": "#5f6368"},
            )
        if node not in shown:
            entry["label"] = ""
        elif ranks is not None:
            entry["rank"] = ranks[node]
        if positions is not None and node in positions:
            x, y = positions[node]
            entry["x"], entry["y"] = float(x), float(y)
        out_nodes.append(entry)
    out_edges = [_edge(u, v, V.edges[u, v]) for u, v in sorted(tuple(sorted(e)) for e in V.subgraph(keep).edges())]
    digest = hashlib.sha1(
        json.dumps([[n["id"] for n in out_nodes], [(e["from"], e["to"]) for e in out_edges]]).encode()
    ).hexdigest()[:16]
    data: dict[str, Any] = {"nodes": out_nodes, "edges": out_edges, "version": digest}
    if ranks is not None:
        data["labelsAtFit"] = LABELS_AT_FIT
    return data


def focus_labels(nodes: Iterable[Mapping[str, Any]], focus: Iterable[str]) -> dict[str, str]:
    r"""The labels of the nodes in ``focus`` that a big view sent without one (:func:`graph_data` labels only
    its hubs): a concept's name, the first line of its title; a question's label, from its title as
    :func:`~kg.render.style.question_label` writes it. The browser labels a selection's neighbours with them.

    Examples
    --------
    >>> nodes = [{"id": "c:a", "label": "", "shape": "dot", "title": "ridge\n3 questions"},
    ...          {"id": "c:b", "label": "lasso", "shape": "dot", "title": "lasso\n9 questions"},
    ...          {"id": "q:1", "label": "", "shape": "square", "title": "Q1. Why shrink weights at all?"}]
    >>> focus_labels(nodes, ["c:a", "c:b", "q:1"])
    {'c:a': 'ridge', 'q:1': 'Q1. Why shrink weights\nat all?'}
    """
    wanted = set(focus)
    out: dict[str, str] = {}
    for n in nodes:
        title = str(n.get("title") or "")
        if n["id"] in wanted and not n.get("label") and title:
            out[n["id"]] = title.split("\n", 1)[0] if n.get("shape") == "dot" else question_label(None, title)
    return out


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


def view_data(
    V: nx.Graph,
    place: Callable[[nx.Graph], Positions],
    *,
    full: bool,
    centre: str | None,
    hops: int,
    questions: bool,
    min_questions: int,
    generic: bool,
    topics: Mapping[str, str] | None = None,
    related: Related | None = None,
) -> dict[str, Any]:
    """What the graph component draws: nodes, edges and options of the whole of ``V`` or of the
    neighbourhood of ``centre``, placed by ``place``.

    The whole graph is placed once whatever the filters hide (``place(V)``), so a node stays where it
    was; a neighbourhood (:func:`~kg.render.view.local_graph` of ``hops``) is placed alone. The filters
    are those of :func:`~kg.render.view.shown`; ``topics`` colours the concepts (:func:`graph_data`);
    ``related`` is passed on to :func:`~kg.render.view.local_graph`.

    Examples
    --------
    >>> V = nx.Graph()
    >>> V.add_nodes_from([("c:a", {"kind": "concept", "questions": 1}), ("q:1", {"kind": "question"}),
    ...                   ("c:b", {"kind": "concept", "questions": 1})])
    >>> V.add_edges_from([("c:a", "q:1"), ("q:1", "c:b")])
    >>> data = view_data(V, lambda G: {n: (0.0, 0.0) for n in G}, full=True, centre=None, hops=1,
    ...                  questions=False, min_questions=1, generic=True)
    >>> [n["id"] for n in data["nodes"]], data["options"]["physics"]
    (['c:a', 'c:b'], {'enabled': False})
    """
    if full or centre is None:
        default = questions and min_questions <= 1 and generic
        shown = None if default else filtered(V, questions=questions, min_questions=min_questions, generic=generic)
        data = graph_data(V, positions=place(V), nodes=shown, topics=topics)
    else:
        L = local_graph(
            V, centre, hops=hops, questions=questions, min_questions=min_questions, generic=generic, related=related
        )
        data = graph_data(L, positions=place(L), topics=topics, centre=centre)
    data["options"] = network_options(positioned=True)
    return data
