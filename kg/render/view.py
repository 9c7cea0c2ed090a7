"""What is drawn: the view graph of a bank, the neighbourhood of a selection, which nodes are labelled."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.model import CLOSE_KINDS, Concept, Pair, cnode, node_id, qnode

if TYPE_CHECKING:
    from kg.graph import RelatedConcept

#: A concept id's related concepts in the graph walked, strongest first (:func:`kg.graph.related_concepts`).
Related = Callable[[str], Sequence["RelatedConcept"]]

# A bank above this many nodes opens on the neighbourhood of a selection, not the whole graph:
# in a view of thousands of nodes a click lands on the wrong node.
FULL_VIEW_LIMIT = 400
# Views up to this many nodes label every node; bigger ones only their hubs, as many as read at the zoom (see
# labelled): at the scale a view of more nodes fits its frame, most labels are too small to read, and overlap.
LABEL_ALL = 80
# Labels a big view shows when seen whole; more appear as it is zoomed in (see label_ranks).
LABELS_AT_FIT = 30
# How far a neighbourhood reaches until the reader sets it.
DEFAULT_HOPS = 2


def drawn_whole(G: nx.Graph) -> bool:
    """Whether a bank's graph opens whole: up to :data:`FULL_VIEW_LIMIT` nodes (those of its view graph,
    which has the same nodes as ``G``)."""
    return G.number_of_nodes() <= FULL_VIEW_LIMIT


def opening(G: nx.Graph, concepts: Iterable[Concept]) -> str | None:
    """The node a bank's graph opens on when nothing is selected: none when it opens whole
    (:func:`drawn_whole`), else the concept in most questions, a specific one before a generic one
    (ties go to the label).

    Examples
    --------
    >>> G = nx.Graph([(f"q:{i}", "c:relu") for i in range(FULL_VIEW_LIMIT + 1)])
    >>> opening(G, [Concept("relu", "ReLU", questions=("1", "2")), Concept("model", "model", questions=("1", "2", "3"),
    ...                                                                    generic=True)])
    'c:relu'
    >>> opening(nx.Graph([("q:1", "c:relu")]), [Concept("relu", "ReLU", questions=("1",))]) is None
    True
    """
    return None if drawn_whole(G) else top_concept(concepts)


def top_concept(concepts: Iterable[Concept]) -> str | None:
    """The node of the concept in most questions, a specific one before a generic one (ties go to the
    label): what a neighbourhood opens on when nothing is selected; none without concepts.

    >>> top_concept([Concept("relu", "ReLU", questions=("1",)), Concept("tanh", "tanh", questions=("1", "2"))])
    'c:tanh'
    """
    top = max(concepts, key=lambda c: (not c.generic, len(c.questions), c.label), default=None)
    return cnode(top.id) if top else None


def view_graph(G: nx.Graph, pairs: Iterable[Pair] = (), min_confidence: float = 0.0) -> nx.Graph:
    """The graph that is drawn: questions, concepts, who mentions what, stated relations, near-copies.

    Concept co-occurrence edges without a stated relation are left out (the shared questions already
    show them, and in a big bank they are most of the edges); duplicate and overlap pairs are added
    as question–question edges. Node attributes are those of ``G`` (:func:`kg.graph.build_graph`).
    A relation whose confidence is below ``min_confidence`` is left out with its edge.

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
    V = nx.Graph(**G.graph)  # with the bank's question count, which the ranking functions read (kg.graph)
    V.add_nodes_from(G.nodes(data=True))
    for u, v, attrs in G.edges(data=True):
        if attrs.get("kind") != "cooccurs" or (
            attrs.get("relation") and attrs.get("confidence", 1.0) >= min_confidence
        ):
            V.add_edge(u, v, **attrs)
    for p in pairs:
        if p.kind in CLOSE_KINDS:
            u, v = qnode(p.a), qnode(p.b)
            if u in G and v in G:
                V.add_edge(u, v, kind=p.kind, score=p.score)
    return V


def shown(G: nx.Graph, node: str, *, questions: bool = True, min_questions: int = 0, generic: bool = True) -> bool:
    """Whether the explore filters keep ``node``: question nodes when ``questions``, concepts in at
    least ``min_questions`` questions, generic concepts (:mod:`kg.specificity`) when ``generic``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("c:a", kind="concept", questions=2)
    >>> G.add_node("c:b", kind="concept", questions=9, generic=True)
    >>> G.add_node("q:1", kind="question")
    >>> shown(G, "c:a", min_questions=3), shown(G, "q:1", questions=False), shown(G, "c:a", questions=False)
    (False, False, True)
    >>> shown(G, "c:b", generic=False), shown(G, "c:a", generic=False)
    (False, True)
    """
    attrs = G.nodes[node]
    if attrs.get("kind") == "concept":
        return int(attrs.get("questions") or 0) >= min_questions and (generic or not attrs.get("generic"))
    return questions


def filtered(G: nx.Graph, *, questions: bool = True, min_questions: int = 0, generic: bool = True) -> list[str]:
    """The nodes of ``G`` the explore filters keep (:func:`shown`), in the graph's order; with concepts
    hidden, no question left without a node it links to.

    Examples
    --------
    >>> G = nx.Graph([("q:1", "c:a"), ("q:2", "c:b"), ("q:3", "q:2")])
    >>> nx.set_node_attributes(G, {"c:a": 1, "c:b": 5}, "questions")
    >>> nx.set_node_attributes(G, {"c:a": "concept", "c:b": "concept"}, "kind")
    >>> filtered(G, min_questions=2)  # q:1 asks only about a concept hidden: a square alone says nothing
    ['q:2', 'c:b', 'q:3']
    """
    kept = [n for n in G if shown(G, n, questions=questions, min_questions=min_questions, generic=generic)]
    if not questions or (min_questions <= 1 and generic):
        return kept
    keep = set(kept)
    return [n for n in kept if G.nodes[n].get("kind") == "concept" or any(m in keep for m in G[n])]


#: The most nodes a neighbourhood view keeps (:func:`local_graph`): more would not read as one.
NEIGHBOURHOOD_LIMIT = 150


def local_graph(
    G: nx.Graph,
    centre: str,
    *,
    hops: int = 2,
    limit: int = NEIGHBOURHOOD_LIMIT,
    questions: bool = True,
    min_questions: int = 0,
    generic: bool = True,
    related: Related | None = None,
) -> nx.Graph:
    """The nodes within ``hops`` of ``centre``, at most ``limit`` of them, and the edges among them.

    A step goes along an edge of ``G`` (:func:`view_graph`: a question and its concepts, a stated
    relation, a near-copy) or from a concept to one of its related concepts
    (:func:`kg.graph.related_concepts`, the first :data:`~kg.graph.RELATED_TOP`, as the app's panel
    lists them); the latter, when ``G`` has no edge for it, is added as a ``kind="related"`` edge
    carrying the number of ``shared`` questions. Nodes the filters hide (:func:`shown`) are neither
    kept nor walked through; the centre always is.

    The centre's related concepts come first in the first ring. Within a ring, nodes tied more
    strongly to what is already kept come next (more links into it, then questions that ask about
    the concept before those whose answer only mentions it, then the node id), so a hub concept keeps
    its most related neighbours instead of a random few. When a second ring follows, the first takes
    at most 40% of ``limit``: a concept in 120 questions then shows its related concepts, its 45
    closest questions and the concepts they share, not 150 squares. Nodes are in the order kept.

    ``related`` gives a concept id's first :data:`~kg.graph.RELATED_TOP` related concepts in ``G``
    (default: :func:`~kg.graph.related_concepts` of ``G``); a caller that walks the same graph often
    passes one that remembers them.

    Notes
    -----
    One :func:`~kg.graph.related_concepts` per concept walked from: a few milliseconds each on a
    1,300-question bank, about nine tenths of the walk.
    """
    from kg.graph import RELATED_TOP, related_concepts

    if centre not in G:
        raise KeyError(f"{centre!r} is not a node of the graph")

    def keep(n: str) -> bool:
        return n == centre or shown(G, n, questions=questions, min_questions=min_questions, generic=generic)

    ranked: Related = related or (lambda concept_id: related_concepts(G, concept_id, top=RELATED_TOP))

    def partners(n: str) -> dict[str, int]:
        if G.nodes[n].get("kind") != "concept":
            return {}
        found = ranked(node_id(n))
        return {cnode(r.concept): len(r.shared_questions) for r in found if keep(cnode(r.concept))}

    kept = [centre]
    seen = {centre}
    ring = [centre]
    links: dict[tuple[str, str], int] = {}
    first = set(partners(centre))
    for hop in range(hops):
        ties: dict[str, int] = defaultdict(int)
        for r in ring:
            for n in G[r]:
                if n not in seen and keep(n):
                    ties[n] += 1
            for n, shared in partners(r).items():
                links.setdefault((r, n) if r < n else (n, r), shared)
                if n not in seen and not G.has_edge(r, n):
                    ties[n] += 1
        asks = {n: any(G.edges[n, m].get("in_question") for m in G[n] if m in seen) for n in ties}
        room = limit - len(kept)
        if hop < hops - 1:
            room = min(room, max(int(0.4 * limit), 1))
        ring = sorted(ties, key=lambda n: (n not in first, -ties[n], not asks[n], n))[: max(room, 0)]
        kept.extend(ring)
        seen.update(ring)
        if len(kept) >= limit or not ring:
            break
    L = nx.Graph()
    L.add_nodes_from((n, G.nodes[n]) for n in kept)
    L.add_edges_from(G.subgraph(kept).edges(data=True))
    for (u, v), shared in links.items():
        if u in seen and v in seen and not L.has_edge(u, v):
            L.add_edge(u, v, kind="related", shared=shared)
    return L


def neighbourhood(
    G: nx.Graph, centre: str, *, hops: int = 2, limit: int = NEIGHBOURHOOD_LIMIT, **filters: Any
) -> list[str]:
    """The nodes of :func:`local_graph`, nearest first.

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
    return list(local_graph(G, centre, hops=hops, limit=limit, **filters))


def labelled(G: nx.Graph, nodes: Iterable[str] | None = None, *, most: int = 300) -> set[str]:
    """The nodes whose label is drawn: all of a view up to :data:`LABEL_ALL` nodes, else the hubs.

    In a view of thousands of nodes every label overlaps another; there only the ``most`` concepts
    in the most questions are labelled (:func:`label_ranks`), and the rest show their text on hover.

    Examples
    --------
    >>> G = nx.Graph([("c:a", "q:1")])
    >>> sorted(labelled(G))
    ['c:a', 'q:1']
    """
    keep = list(G) if nodes is None else [n for n in nodes if n in G]
    if len(keep) <= LABEL_ALL:
        return set(keep)
    return set(label_ranks(G, keep, most=most))


def label_ranks(
    G: nx.Graph, nodes: Iterable[str] | None = None, *, most: int = 300, centre: str | None = None
) -> dict[str, int]:
    """The ``most`` concepts of a view in the most questions, each with its rank (0 for the first); in the
    neighbourhood of ``centre``, the centre first (a question too), then the concepts linked to it (a
    question's own concepts) and those sharing the most questions with it: what the view is about.

    A big view shows the first :data:`LABELS_AT_FIT` labels when it is seen whole and more, by rank,
    as it is zoomed in (the component's script): a hub's label reads before a rare concept's. Ties
    go to the node id, so the ranks are stable. Views up to :data:`LABEL_ALL` nodes have no ranks:
    they label every node.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("c:a", {"kind": "concept", "questions": 2}), ("c:b", {"kind": "concept", "questions": 5}),
    ...                   ("q:1", {"kind": "question"}), ("c:c", {"kind": "concept", "questions": 5})])
    >>> label_ranks(G, most=2)
    {'c:b': 0, 'c:c': 1}
    >>> G.add_edge("c:a", "q:1")
    >>> label_ranks(G, most=3, centre="q:1")
    {'q:1': 0, 'c:a': 1, 'c:b': 2}
    >>> G.add_nodes_from(["q:2", "q:3"], kind="question")
    >>> G.add_edges_from([("c:b", "q:2"), ("c:c", "q:2"), ("c:b", "q:3"), ("c:c", "q:3"), ("c:b", "c:a")])
    >>> label_ranks(G, most=3, centre="c:b")  # c shares two questions with b, a only a relation
    {'c:b': 0, 'c:c': 1, 'c:a': 2}
    """
    keep = list(G) if nodes is None else [n for n in nodes if n in G]
    near: Counter[str] = Counter()
    if centre in G:
        # A question's own concepts come first. A concept's neighbours by a relation come by the questions
        # they share with it, like the rest: one relation, however thin ("LLM uses latest snapshot"), put
        # concepts of one question before the hubs of the view, which then went unlabelled.
        linked = len(G) if G.nodes[centre].get("kind") == "question" else 1
        for a in G[centre]:
            near[a] += linked
            if G.nodes[a].get("kind") == "question":
                near.update(list(G[a]))
    # a question at the centre is labelled too: a grey square among a hundred, it is what the view is about
    concepts = [n for n in keep if G.nodes[n].get("kind") == "concept" or n == centre]
    concepts.sort(key=lambda n: (n != centre, -near[n], -int(G.nodes[n].get("questions") or 0), n))
    return {n: rank for rank, n in enumerate(concepts[:most])}
