"""A bank as JSON, GraphML or GEXF.

The JSON shape is the public contract of ``kg export --format json``::

    {"questions": [{"id", "number", "question", "answer", "source", "line", "concepts"}],
     "concepts":  [{"id", "label", "aliases", "questions", "topic"}],
     "pairs":     [{"a", "b", "score", "kind", "shared_concepts", ...}],   # best first
     "relations": [{"head", "relation", "tail", "verb", "questions", "sentence", "confidence"}]}

GraphML and GEXF carry the graph of :mod:`kg.graph` (both open in Gephi); list-valued attributes are
joined with "; " because neither format has lists. Every format carries the relations a learner can
trust (:func:`kg.relations.confident`) unless asked for all of them.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import Any, TextIO

import networkx as nx

from kg.jsontext import write_object
from kg.model import CLOSE_KINDS
from kg.pipeline import Bank, collector_paused
from kg.relations import confident
from kg.relations.confidence import threshold
from kg.similar.explain import EXPLAINED_RELATED

FORMATS = ("json", "graphml", "gexf")


def select_pairs(bank: Bank, related_per_item: int = EXPLAINED_RELATED) -> list:
    """Every duplicate and overlap, and each item's strongest related pairs, highest score first."""
    kept = []
    per_item: Counter[str] = Counter()
    for p in sorted(bank.pairs, key=lambda p: -p.score):  # stable: kinds stay in order on ties
        if p.kind in CLOSE_KINDS:
            kept.append(p)
        elif per_item[p.a] < related_per_item or per_item[p.b] < related_per_item:
            kept.append(p)
            per_item[p.a] += 1
            per_item[p.b] += 1
    return kept  # in score order already: a subsequence of a stable sort


def to_dict(bank: Bank, related_per_item: int = EXPLAINED_RELATED, all_relations: bool = False) -> dict[str, Any]:
    """The JSON-ready description of a bank; its relations the confident ones unless ``all_relations``.

    Examples
    --------
    >>> from kg.extract import load_nlp
    >>> from kg.parse import parse_text
    >>> from kg.pipeline import build_bank
    >>> bank = build_bank(parse_text("## 1. What is dropout?\\n\\nDropout reduces overfitting.\\n", "b.md"), load_nlp())
    >>> d = to_dict(bank)
    >>> sorted(d), d["questions"][0]["concepts"]
    (['concepts', 'pairs', 'questions', 'relations'], ['dropout', 'overfitting'])
    """
    return {name: list(records) for name, records in _records(bank, related_per_item, all_relations)}


def write_json(
    bank: Bank, handle: TextIO, related_per_item: int = EXPLAINED_RELATED, all_relations: bool = False
) -> None:
    """Write :func:`to_dict` to ``handle`` with the bytes of ``json.dump(…, ensure_ascii=False, indent=2)``,
    record by record (:mod:`kg.jsontext`).

    Notes
    -----
    About 20 times faster than that ``json.dump`` and never holds the text of more than a few hundred
    records at once.
    """
    with collector_paused():  # the records hold no cycles; a collection would only re-scan the bank
        write_object(handle, _records(bank, related_per_item, all_relations))


def _records(bank: Bank, related_per_item: int, all_relations: bool) -> list[tuple[str, Iterator[dict]]]:
    """Each list of the export, by name, its records made as they are asked for."""
    return [
        ("questions", (item.to_dict() | {"concepts": bank.concepts_of(item.id)} for item in bank.items)),
        ("concepts", (c.to_dict() | {"topic": bank.topics.get(c.id)} for c in bank.concepts)),
        ("pairs", (p.to_dict() for p in select_pairs(bank, related_per_item))),
        ("relations", (r.to_dict() for r in confident(bank.relations, everything=all_relations))),
    ]


_RELATION_ATTRS = ("relation", "relation_head", "verb", "confidence")


def _flat(graph: nx.Graph, all_relations: bool = False) -> nx.Graph:
    """A copy whose attributes are all scalars, as GraphML and GEXF require; an edge's relation below
    the confidence threshold is left off (the edge stays) unless ``all_relations``."""
    least = 0.0 if all_relations else threshold()
    g = nx.Graph()
    for n, data in graph.nodes(data=True):
        g.add_node(n, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, data in graph.edges(data=True):
        unsure = data.get("relation") is not None and data.get("confidence", 1.0) < least
        g.add_edge(u, v, **{
            k: _scalar(val) for k, val in data.items() if val is not None and not (unsure and k in _RELATION_ATTRS)
        })
    return g


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value)
    return value


def to_graphml(bank: Bank, all_relations: bool = False) -> str:
    buf = io.BytesIO()
    nx.write_graphml(_flat(bank.graph, all_relations), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def to_gexf(bank: Bank, all_relations: bool = False) -> str:
    buf = io.BytesIO()
    nx.write_gexf(_flat(bank.graph, all_relations), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")
