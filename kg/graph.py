"""The concept–question graph and the questions it answers.

One undirected :class:`networkx.Graph` holds two kinds of node, ``"q:<item id>"`` (``kind="question"``)
and ``"c:<concept id>"`` (``kind="concept"``), with

* question–concept edges (``kind="mentions"``): how often the concept is mentioned, and whether in the
  question, the answer or both;
* concept–concept edges (``kind="cooccurs"``): ``weight`` = number of questions that mention both, and,
  when an answer states one, the typed relation (``relation``, ``relation_head``, ``verb``, ``confidence``).

Queries rank by rarity: two questions that share "vanishing gradient problem" are closer than two that
share "neural network", which half a deep-learning bank mentions.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from kg.model import Concept, Mention, QAItem, cnode, node_id, qnode
from kg.parse.plaintext import display_short
from kg.views import layout_as_markdown


@dataclass(frozen=True)
class RelatedConcept:
    concept: str
    shared_questions: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class RelatedQuestion:
    item: str
    shared_concepts: tuple[str, ...]
    score: float


def build_graph(
    items: Sequence[QAItem],
    concepts: Sequence[Concept],
    mentions: Iterable[Mention],
    relations: Iterable = (),
) -> nx.Graph:
    """Build the concept–question graph.

    Parameters
    ----------
    items, concepts, mentions
        From :func:`kg.parse.parse_paths` and :func:`kg.extract.extract`.
    relations
        Objects with ``head``, ``relation``, ``tail``, ``verb`` (concept ids) and optionally
        ``confidence``, e.g. :class:`kg.relations.GraphRelation`; each is put on the concept–concept
        edge it connects.

    Notes
    -----
    Co-occurrence edges cost the sum over questions of (concepts per question)²; a 1,300-question bank
    with ~15 concepts a question builds in well under a second.

    Examples
    --------
    >>> from kg.model import QAItem, Concept, Mention
    >>> items = [QAItem("a", 1, "q", "", "x.md", 1), QAItem("b", 2, "q", "", "x.md", 3)]
    >>> concepts = [Concept("relu", "ReLU", (), ("a", "b")), Concept("dropout", "dropout", (), ("a",))]
    >>> mentions = [Mention("relu", "a", "question", 0, 4, "ReLU", "s"),
    ...             Mention("relu", "b", "answer", 0, 4, "ReLU", "s"),
    ...             Mention("dropout", "a", "answer", 0, 7, "dropout", "s")]
    >>> g = build_graph(items, concepts, mentions)
    >>> g.number_of_nodes(), g.edges["c:relu", "c:dropout"]["weight"]
    (4, 1)
    """
    g = nx.Graph(questions=len(items))
    # The graph's dicts are filled here in the order, and with the attribute dicts, that add_node and
    # add_edges_from would give: one Python call per node or edge through networkx was most of the cost
    # of a big bank's graph (millions of co-occurrence edges). Every edge below is new and no node is
    # None, the only checks those methods make that matter here.
    node, adj = g._node, g._adj
    for item in items:
        _put_node(node, adj, qnode(item.id), {
            "kind": "question",
            # shown: tags kept as text, but for layout (a figure's table), which shows what it lays out
            "label": display_short(layout_as_markdown(item.question)) or item.question_text,
            "number": item.number if item.number is not None else -1,
            "source": item.source,
            "line": item.line,
        })  # fmt: skip
    for c in concepts:
        _put_node(node, adj, cnode(c.id), {
            "kind": "concept",
            "label": c.label,
            "aliases": "; ".join(c.aliases),
            "questions": len(c.questions),
            "specificity": c.specificity,
            "generic": c.generic,
        })  # fmt: skip

    # One attribute dict per (question, concept), counted as the mentions come, in the order first met.
    mentioned: dict[tuple[str, str], dict] = {}
    for m in mentions:
        attrs = mentioned.get((m.item, m.concept))
        in_question = m.field == "question"
        if attrs is None:
            mentioned[(m.item, m.concept)] = {
                "kind": "mentions", "count": 1, "in_question": in_question, "in_answer": m.field == "answer"
            }
        else:
            attrs["count"] += 1
            if in_question:
                attrs["in_question"] = True
            elif m.field == "answer":
                attrs["in_answer"] = True
    # Each question's and concept's node name made (and the node checked) once, not once per pair: a
    # big bank has a million (question, concept) pairs.
    by_item: dict[str, list[str]] = {}
    item_node: dict[str, str] = {}
    concept_node: dict[str, str] = {}
    for (item_id, concept), attrs in mentioned.items():
        u = item_node.get(item_id)
        if u is None:
            u = item_node[item_id] = qnode(item_id)
            by_item[item_id] = []
            if u not in node:
                _put_node(node, adj, u, {})
        v = concept_node.get(concept)
        if v is None:
            v = concept_node[concept] = cnode(concept)
            if v not in node:
                _put_node(node, adj, v, {})
        adj[u][v] = adj[v][u] = attrs
        by_item[item_id].append(v)

    # Co-occurrences are counted first (Counter.update counts in C) and added once each, in the order
    # they are first met: the same graph as adding each and raising its weight in the graph.
    together: Counter[tuple[str, str]] = Counter()
    for cs in by_item.values():
        together.update(combinations(sorted(cs), 2))
    for (u, v), w in together.items():
        adj[u][v] = adj[v][u] = {"kind": "cooccurs", "weight": w}
    nx._clear_cache(g)

    for rel in relations:
        u, v = cnode(rel.head), cnode(rel.tail)
        if u not in g or v not in g:
            continue
        if not g.has_edge(u, v):
            g.add_edge(u, v, kind="cooccurs", weight=0)
        edge = g.edges[u, v]
        # One relation per edge in an undirected graph: the most confident wins, then the first stated
        # (the best supported).
        sure = getattr(rel, "confidence", 1.0)
        if "relation" not in edge or sure > edge.get("confidence", 1.0):
            edge.update(relation=rel.relation, relation_head=rel.head, verb=rel.verb, confidence=sure)
    return g


def _put_node(node: dict, adj: dict, n: str, attrs: dict) -> None:
    """``add_node(n, **attrs)`` on a graph's node and adjacency dicts."""
    if n in node:
        node[n].update(attrs)
    else:
        adj[n] = {}
        node[n] = attrs


def concept_nodes(g: nx.Graph) -> list[str]:
    return [n for n, k in g.nodes(data="kind") if k == "concept"]


def question_nodes(g: nx.Graph) -> list[str]:
    return [n for n, k in g.nodes(data="kind") if k == "question"]


def _question_count(g: nx.Graph) -> int:
    # counted once per call of the ranking functions: a graph without the count (a view) would
    # otherwise be scanned whole for every concept ranked
    return max(g.graph.get("questions") or len(question_nodes(g)), 1)


def _rarity(g: nx.Graph, concept_id: str, n: int) -> float:
    """Inverse document frequency of a concept over the ``n`` questions of the bank."""
    df = _question_degree(g, cnode(concept_id))
    return math.log((1 + n) / (1 + df)) + 1.0


# Each node's count of question neighbours, per graph, with the node's degree it was counted at: a
# ranking needs it for every partner of a concept, and walking each partner's edges (a hub has
# thousands, co-occurrences included) was most of ranking a concept's related concepts. An edge
# added or removed at a node changes its degree, and the count is made again.
_COUNTED: weakref.WeakKeyDictionary[nx.Graph, dict[str, tuple[int, int]]] = weakref.WeakKeyDictionary()
_COUNTED_LOCK = threading.Lock()  # the app ranks in several sessions' threads at once


def _question_degree(g: nx.Graph, node: str) -> int:
    """How many question nodes ``node`` is linked to in ``g`` (0 when it is not in ``g``).

    Examples
    --------
    >>> g = nx.Graph([("q:a", "c:x"), ("q:b", "c:x"), ("c:x", "c:y")])
    >>> nx.set_node_attributes(g, {"q:a": "question", "q:b": "question", "c:x": "concept", "c:y": "concept"}, "kind")
    >>> _question_degree(g, "c:x"), _question_degree(g, "c:y"), _question_degree(g, "c:z")
    (2, 0, 0)
    >>> g.add_node("q:c", kind="question")
    >>> g.add_edge("q:c", "c:y")
    >>> _question_degree(g, "c:y")
    1
    """
    neighbours = g.adj.get(node)
    if neighbours is None:
        return 0
    with _COUNTED_LOCK:
        counted = _COUNTED.get(g)
        if counted is None:
            counted = _COUNTED[g] = {}
    kept = counted.get(node)
    if kept is not None and kept[0] == len(neighbours):
        return kept[1]
    df = sum(1 for nb in neighbours if g.nodes[nb]["kind"] == "question")
    counted[node] = (len(neighbours), df)
    return df


def questions_of(g: nx.Graph, concept_id: str) -> list[str]:
    """Item ids that mention a concept, those that ask about it (in the question) first.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("q:a", "c:x", kind="mentions", count=1, in_question=False, in_answer=True)
    >>> g.add_edge("q:b", "c:x", kind="mentions", count=2, in_question=True, in_answer=True)
    >>> questions_of(g, "x")
    ['b', 'a']
    """
    node = cnode(concept_id)
    if node not in g:
        return []
    edges = [(nb, g.edges[node, nb]) for nb in g.neighbors(node) if g.edges[node, nb]["kind"] == "mentions"]
    edges.sort(key=lambda e: (not e[1]["in_question"], -e[1]["count"], e[0]))
    return [node_id(nb) for nb, _ in edges]


# How many related concepts a concept lists: the app's panel, ``kg related`` and the graph's first hop.
RELATED_TOP = 15


def related_concepts(g: nx.Graph, concept_id: str, top: int | None = None) -> list[RelatedConcept]:
    """Concepts that share questions with a concept, or that an answer relates to it, strongest first.

    Ranked by shared questions weighted against how common the other concept is (the shared count
    times its rarity), so a rare concept always found with this one ranks above one found everywhere.
    The partners are found through the concept's questions and its stated relations, not through
    co-occurrence edges, so the drawn view graph (:func:`kg.render.view_graph`, which leaves those
    out) gives the same answer as the bank's graph: the panel and the graph's first hop agree.

    Examples
    --------
    >>> g = nx.Graph()
    >>> for q, cs in {"a": ["x", "y"], "b": ["x", "y"], "c": ["y", "z"]}.items():
    ...     for c in cs:
    ...         g.add_node("c:" + c, kind="concept")
    ...         g.add_edge("q:" + q, "c:" + c, kind="mentions", count=1, in_question=True, in_answer=False)
    >>> g.add_nodes_from(["q:a", "q:b", "q:c"], kind="question")
    >>> [(r.concept, r.shared_questions) for r in related_concepts(g, "x")]
    [('y', ('a', 'b'))]
    """
    node = cnode(concept_id)
    if node not in g:
        return []
    shared: dict[str, set[str]] = defaultdict(set)
    for q in questions_of(g, concept_id):
        for nb in g.neighbors(qnode(q)):
            if nb != node and g.nodes[nb].get("kind") == "concept" and g.edges[qnode(q), nb].get("kind") == "mentions":
                shared[nb].add(q)
    for nb in g.neighbors(node):
        if g.nodes[nb].get("kind") == "concept" and g.edges[node, nb].get("relation"):
            shared.setdefault(nb, set())
    n = _question_count(g)
    out = [
        RelatedConcept(node_id(nb), tuple(sorted(qs)), round(len(qs) * _rarity(g, node_id(nb), n), 4))
        for nb, qs in shared.items()
    ]
    out.sort(key=lambda r: (-r.score, -len(r.shared_questions), r.concept))
    return out[:top] if top else out


def related_questions(g: nx.Graph, item_id: str, top: int | None = None) -> list[RelatedQuestion]:
    """Questions that share concepts with a question, ranked by the summed rarity of what they share.

    Examples
    --------
    >>> g = nx.Graph()
    >>> for q, cs in {"a": ["x", "common"], "b": ["x", "common"], "c": ["common"], "d": ["common"]}.items():
    ...     g.add_node("q:" + q, kind="question")
    ...     for c in cs:
    ...         g.add_node("c:" + c, kind="concept")
    ...         g.add_edge("q:" + q, "c:" + c, kind="mentions", count=1, in_question=True, in_answer=False)
    >>> [(r.item, r.shared_concepts) for r in related_questions(g, "a")]
    [('b', ('common', 'x')), ('c', ('common',)), ('d', ('common',))]
    """
    node = qnode(item_id)
    if node not in g:
        return []
    shared: dict[str, list[str]] = defaultdict(list)
    for c in g.neighbors(node):
        if g.nodes[c]["kind"] != "concept":
            continue
        for q in g.neighbors(c):
            if q != node and g.nodes[q]["kind"] == "question":
                shared[node_id(q)].append(node_id(c))
    n = _question_count(g)
    rarity = {c: _rarity(g, c, n) for cs in shared.values() for c in cs}
    out = [
        RelatedQuestion(q, tuple(sorted(cs)), round(sum(rarity[c] for c in cs), 4)) for q, cs in shared.items()
    ]
    out.sort(key=lambda r: (-r.score, r.item))
    return out[:top] if top else out
