"""Topics: communities of concepts that questions mention together, each named by its central concept.

A 1,000-question bank has thousands of concepts; drawn at once they are a hairball. Louvain community
detection on the concept–concept co-occurrence graph cuts it into a few dozen groups that read as the
bank's subjects ("convolutional neural network", "hypothesis testing", ...). Each group is named by its
most central concept, and groups too small to be a subject are pooled as ``"other"``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

import networkx as nx

log = logging.getLogger(__name__)

OTHER = "other"
"""The topic of concepts whose community is too small to name a subject."""


def topics(
    G: nx.Graph,
    seed: int = 0,
    resolution: float = 1.0,
    *,
    min_size: int | None = None,
    max_topics: int = 30,
) -> dict[str, str]:
    """The topic of each concept of ``G``, named by the most central concept of its community.

    Parameters
    ----------
    G
        The concept–question graph (:func:`kg.graph.build_graph`): nodes ``"c:<id>"`` with
        ``kind="concept"`` (and a ``label``), concept–concept edges with a co-occurrence ``weight``.
        Question nodes and question–concept edges are ignored.
    seed
        Seed of the Louvain method; the same graph and seed give the same topics.
    resolution
        Louvain resolution: above 1 gives more, smaller topics; below 1 fewer, larger ones.
    min_size
        Communities with fewer concepts go to ``"other"``. By default 3, or one concept in 150 for
        large banks, so that strays and tiny cliques do not each become a topic.
    max_topics
        At most this many named topics: the largest communities keep their names, the rest go to
        ``"other"``.

    Returns
    -------
    dict
        Concept id (without the ``"c:"`` prefix) to topic name: the label of the topic's central
        concept, or ``"other"``.

    Notes
    -----
    The central concept is the one with the highest weighted degree inside its community (how many
    questions it shares with the rest of the topic), discounted by the share of its co-occurrences that
    leave the topic. Plain weighted degree names topics after hubs such as "model" or "variable" that
    sit in every topic; betweenness or eigenvector centrality drift to the same hubs and cost more. This
    score costs one pass over the edges. Louvain is about linear in the number of edges (a few seconds
    for 5,000 concepts); the result does not depend on the order in which the graph was built, as nodes
    and edges are sorted before the seeded run.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> for a, b, w in [("relu", "vanishing gradient", 3), ("relu", "leaky relu", 2), ("leaky relu", "vanishing gradient", 1),
    ...                 ("pca", "eigenvector", 3), ("pca", "variance", 2), ("eigenvector", "variance", 1)]:
    ...     G.add_edge("c:" + a, "c:" + b, weight=w)
    >>> for n in G:
    ...     G.nodes[n].update(kind="concept", label=n[2:])
    >>> t = topics(G, seed=1)
    >>> t["leaky relu"], t["variance"]
    ('relu', 'pca')
    """
    H = _concept_graph(G)
    if H.number_of_nodes() == 0:
        log.info("topics: no concepts in the graph")
        return {}
    if min_size is None:
        min_size = max(3, math.ceil(H.number_of_nodes() / 150))
    communities = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    named = [c for c in communities if len(c) >= min_size]
    named.sort(key=lambda c: (-len(c), min(c)))
    named = named[:max_topics]

    out: dict[str, str] = {}
    used: set[str] = set()
    for community in named:
        central = _central(H, community)
        name = H.nodes[central].get("label") or _concept_id(central)
        if name in used or name == OTHER:
            name = f"{name} ({_concept_id(central)})"
        used.add(name)
        for node in community:
            out[_concept_id(node)] = name
    for node in H:
        out.setdefault(_concept_id(node), OTHER)
    log.info("topics: %d named topics over %d concepts", len(named), len(out))
    return out


def topic_members(topic_of: dict[str, str]) -> dict[str, list[str]]:
    """Concept ids per topic, largest topic first and ``"other"`` last.

    Examples
    --------
    >>> topic_members({"a": "x", "b": "other", "c": "x", "d": "y"})
    {'x': ['a', 'c'], 'y': ['d'], 'other': ['b']}
    """
    groups: dict[str, list[str]] = {}
    for concept, topic in sorted(topic_of.items()):
        groups.setdefault(topic, []).append(concept)
    order = sorted(groups, key=lambda t: (t == OTHER, -len(groups[t]), t))
    return {t: groups[t] for t in order}


def _concept_graph(G: nx.Graph) -> nx.Graph:
    """Concept nodes and the positive co-occurrence edges between them, in sorted order."""
    concepts = sorted(n for n, kind in G.nodes(data="kind") if kind == "concept")
    keep = set(concepts)
    H = nx.Graph()
    H.add_nodes_from((n, {"label": G.nodes[n].get("label")}) for n in concepts)
    edges = []
    for u, v, w in G.edges(data="weight", default=1):
        if u in keep and v in keep and u != v and (w or 0) > 0:
            a, b = sorted((u, v))
            edges.append((a, b, float(w)))
    H.add_weighted_edges_from(sorted(edges))
    return H


def _central(H: nx.Graph, community: Iterable[str]) -> str:
    members = set(community)

    def score(node: str) -> tuple[float, int]:
        inside = total = 0.0
        for _, other, w in H.edges(node, data="weight"):
            total += w
            if other in members:
                inside += w
        # weighted degree inside the topic, times the share of the concept's ties that stay inside:
        # a hub such as "model" that co-occurs with everything loses to the topic's own concept
        return (inside * inside / total if total else 0.0), H.degree(node)

    return max(sorted(members), key=score)  # sorted: ties go to the smallest id, for stability


def _concept_id(node: str) -> str:
    return node[2:] if node.startswith("c:") else node
