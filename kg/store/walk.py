"""A neighbourhood read from a store: what :func:`kg.render.local_graph` draws around a node.

The same walk, ring by ring, over the drawn graph (:func:`kg.render.view_graph`: questions and their
concepts, relations at or above a confidence, duplicate and overlap pairs) and each concept's related
concepts, reading from the store only the nodes it steps from. ``tests/test_store.py`` holds the two
to the same nodes, in the same order, and the same edges.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from kg.model import cnode, is_concept_node, is_node, node_id, qnode
from kg.store.read import Neighbourhood

if TYPE_CHECKING:
    from kg.store.read import Store

Attrs = dict[str, Any]


def neighbourhood(
    store: Store,
    centre: str,
    depth: int = 2,
    *,
    limit: int = 150,
    questions: bool = True,
    min_questions: int = 0,
    generic: bool = True,
    min_confidence: float | None = None,
) -> Neighbourhood:
    """The nodes within ``depth`` steps of ``centre``, at most ``limit``, and the edges among them.

    Parameters
    ----------
    centre : a node (``"c:relu"``, ``"q:questions-2"``) or a concept's name.
    depth : 1 to 3 steps, as the app's **1-3 hops**.
    limit, questions, min_questions, generic : as :func:`kg.render.local_graph`.
    min_confidence : relations below it are not drawn; the default threshold when ``None``.

    Raises
    ------
    KeyError
        ``centre`` is not a node of the bank.
    """
    from kg.graph import RELATED_TOP

    if min_confidence is None:
        from kg.relations.confidence import threshold

        min_confidence = threshold()
    walk = _Walk(store, min_confidence, questions, min_questions, generic)
    centre = walk.locate(centre)

    def keep(n: str) -> bool:
        return n == centre or walk.shown(n)

    def related(n: str) -> dict[str, int]:
        if not is_concept_node(n):
            return {}
        found = store._related(walk.rows[n], RELATED_TOP, min_confidence)
        walk.learn_concepts([cnode(r.concept) for r in found])
        return {cnode(r.concept): len(r.shared_questions) for r in found if keep(cnode(r.concept))}

    kept = [centre]
    seen = {centre}
    ring = [centre]
    links: dict[tuple[str, str], int] = {}
    asked: set[str] = set()  # nodes with an edge from a seen node that asks about the concept
    first = set(related(centre))
    for hop in range(depth):
        ties: dict[str, int] = defaultdict(int)
        for r in ring:
            around = walk.neighbours(r)
            asked.update(n for n, e in around.items() if e.get("in_question"))
            for n in around:
                if n not in seen and keep(n):
                    ties[n] += 1
            for n, shared in related(r).items():
                links.setdefault((r, n) if r < n else (n, r), shared)
                if n not in seen and n not in around:
                    ties[n] += 1
        room = limit - len(kept)
        if hop < depth - 1:
            room = min(room, max(int(0.4 * limit), 1))
        ring = sorted(ties, key=lambda n: (n not in first, -ties[n], n not in asked, n))[: max(room, 0)]
        kept.extend(ring)
        seen.update(ring)
        if len(kept) >= limit or not ring:
            break
    edges = walk.edges_among(kept)
    for (u, v), shared in links.items():
        if u in seen and v in seen and (u, v) not in edges:
            edges[(u, v)] = {"kind": "related", "shared": shared}
    nodes = walk.attributes(kept)
    return Neighbourhood(
        centre, tuple((n, nodes[n]) for n in kept), tuple((u, v, e) for (u, v), e in sorted(edges.items()))
    )


class _Walk:
    """The rows of the nodes met so far, what the filters need of them, and the neighbours read."""

    def __init__(self, store: Store, min_confidence: float, questions: bool, min_questions: int, generic: bool) -> None:
        self.store = store
        self.min_confidence = min_confidence
        self.filters = (questions, min_questions, generic)
        self.rows: dict[str, int] = {}
        self.concept_info: dict[str, tuple[int, bool]] = {}  # node: (questions, generic)

    def locate(self, centre: str) -> str:
        if not is_node(centre):
            cid = self.store.find_concept(centre)
            if cid is None:
                raise KeyError(f"{centre!r} is not a node of the graph")
            centre = cnode(cid)
        if is_concept_node(centre):
            self.learn_concepts([centre])
        else:
            for row, item_id in self.store._query("SELECT row, id FROM items WHERE id = ?", (node_id(centre),)):
                self.rows[qnode(item_id)] = row
        if centre not in self.rows:
            raise KeyError(f"{centre!r} is not a node of the graph")
        return centre

    def learn_concepts(self, nodes: list[str]) -> None:
        new = [node_id(n) for n in nodes if n not in self.rows]
        for row, cid, count, gen in self.store._in(
            "SELECT row, id, questions, generic FROM concepts WHERE id IN ({})", new
        ):
            self.rows[cnode(cid)] = row
            self.concept_info[cnode(cid)] = (count, bool(gen))

    def shown(self, n: str) -> bool:
        """:func:`kg.render.shown`."""
        questions, min_questions, generic = self.filters
        if is_concept_node(n):
            count, is_generic = self.concept_info[n]
            return count >= min_questions and (generic or not is_generic)
        return questions

    def neighbours(self, n: str) -> dict[str, Attrs]:
        """``n``'s neighbours in the drawn graph, with the attributes of the edge to each."""
        q = self.store._query
        out: dict[str, Attrs] = {}
        row = self.rows[n]
        if is_concept_node(n):
            for r, item_id, count, in_q, in_a in q(
                "SELECT i.row, i.id, l.count, l.in_question, l.in_answer FROM links l JOIN items i ON i.row = l.item "
                "WHERE l.concept = ?",
                (row,),
            ):
                self.rows[nb := qnode(item_id)] = r
                out[nb] = _mention(count, in_q, in_a)
            for r, cid, count, gen, *edge in q(
                "SELECT c.row, c.id, c.questions, c.generic, e.weight, e.relation, e.relation_head, e.verb, "
                "e.confidence FROM relation_edges e JOIN concepts c ON c.row = e.b WHERE e.a = ? AND e.confidence >= ?",
                (row, self.min_confidence),
            ):
                self._concept(r, cid, count, gen)
                out[cnode(cid)] = _relation(*edge)
        else:
            for r, cid, count, gen, n_, in_q, in_a in q(
                "SELECT c.row, c.id, c.questions, c.generic, l.count, l.in_question, l.in_answer "
                "FROM links l JOIN concepts c ON c.row = l.concept WHERE l.item = ?",
                (row,),
            ):
                self._concept(r, cid, count, gen)
                out[cnode(cid)] = _mention(n_, in_q, in_a)
            for r, item_id, kind, score in q(
                "SELECT i.row, i.id, e.kind, e.score FROM close_edges e JOIN items i ON i.row = e.b WHERE e.a = ?",
                (row,),
            ):
                self.rows[nb := qnode(item_id)] = r
                out[nb] = {"kind": kind, "score": score}
        return out

    def _concept(self, row: int, cid: str, count: int, gen: int) -> None:
        self.rows[node := cnode(cid)] = row
        self.concept_info[node] = (count, bool(gen))

    def edges_among(self, kept: list[str]) -> dict[tuple[str, str], Attrs]:
        """The drawn graph's edges between nodes of ``kept``, each once, its ends in sorted order."""
        inside = set(kept)
        qrows = [self.rows[n] for n in kept if not is_concept_node(n)]
        crows = [self.rows[n] for n in kept if is_concept_node(n)]
        out: dict[tuple[str, str], Attrs] = {}

        def add(u: str, v: str, attrs: Attrs) -> None:
            if u in inside and v in inside:
                out[(u, v) if u < v else (v, u)] = attrs

        for item_id, cid, count, in_q, in_a in self.store._in(
            "SELECT i.id, c.id, l.count, l.in_question, l.in_answer FROM links l JOIN items i ON i.row = l.item "
            "JOIN concepts c ON c.row = l.concept WHERE l.item IN ({})",
            qrows,
        ):
            add(qnode(item_id), cnode(cid), _mention(count, in_q, in_a))
        for a, b, *edge in self.store._in(
            "SELECT ca.id, cb.id, e.weight, e.relation, e.relation_head, e.verb, e.confidence FROM relation_edges e "
            "JOIN concepts ca ON ca.row = e.a JOIN concepts cb ON cb.row = e.b WHERE e.confidence >= ? AND e.a IN ({})",
            crows,
            (self.min_confidence,),
        ):
            add(cnode(a), cnode(b), _relation(*edge))
        for a, b, kind, score in self.store._in(
            "SELECT ia.id, ib.id, e.kind, e.score FROM close_edges e JOIN items ia ON ia.row = e.a "
            "JOIN items ib ON ib.row = e.b WHERE e.a IN ({})",
            qrows,
        ):
            add(qnode(a), qnode(b), {"kind": kind, "score": score})
        return out

    def attributes(self, kept: list[str]) -> dict[str, Attrs]:
        """The node attributes of :func:`kg.graph.build_graph` for each node of ``kept``."""
        out: dict[str, Attrs] = {}
        qrows = [self.rows[n] for n in kept if not is_concept_node(n)]
        crows = [self.rows[n] for n in kept if is_concept_node(n)]
        for item_id, label, number, source, line in self.store._in(
            "SELECT id, label, number, source, line FROM items WHERE row IN ({})", qrows
        ):
            out[qnode(item_id)] = {"kind": "question", "label": label, "number": -1 if number is None else number,
                                   "source": source, "line": line}  # fmt: skip
        aliases: dict[int, list[str]] = defaultdict(list)
        for c, name in self.store._in(
            "SELECT concept, name FROM names WHERE alias = 1 AND concept IN ({}) ORDER BY concept, pos", crows
        ):
            aliases[c].append(name)
        for row, cid, label, count, spec, gen, topic in self.store._in(
            "SELECT row, id, label, questions, specificity, generic, topic FROM concepts WHERE row IN ({})", crows
        ):
            attrs: Attrs = {"kind": "concept", "label": label, "aliases": "; ".join(aliases[row]), "questions": count,
                            "specificity": spec, "generic": bool(gen)}  # fmt: skip
            if topic is not None:
                attrs["topic"] = topic
            out[cnode(cid)] = attrs
        return out


def _mention(count: int, in_q: int, in_a: int) -> Attrs:
    return {"kind": "mentions", "count": count, "in_question": bool(in_q), "in_answer": bool(in_a)}


def _relation(weight: int, relation: str, head: str | None, verb: str | None, confidence: float) -> Attrs:
    return {"kind": "cooccurs", "weight": weight, "relation": relation, "relation_head": head, "verb": verb,
            "confidence": confidence}  # fmt: skip


__all__ = ["neighbourhood"]
