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
from typing import IO, Any

import networkx as nx

from kg.jsontext import RECORD_LEVEL, dict_template, dumps, list_text, scalars, write_object
from kg.model import CLOSE_KINDS, Concept, Pair, QAItem
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
    bank: Bank, handle: IO[str], related_per_item: int = EXPLAINED_RELATED, all_relations: bool = False
) -> None:
    """Write :func:`to_dict` to ``handle`` with the bytes of ``json.dump(…, ensure_ascii=False, indent=2)``,
    record by record (:mod:`kg.jsontext`).

    Notes
    -----
    About four times faster than that ``json.dump`` of :func:`to_dict` (1.3 s against 5.3 s of CPU on a
    generated bank of 19,073 questions and 66,534 exported pairs, ``bench/write_speed.py``), and never
    holds the text of more than a few hundred records at once.
    """
    # The records hold no cycles. Right after a build (whose collector was paused) the collections the
    # write's allocations set off re-scan the whole bank: on 19,073 questions the write took 2.8-4.2 s of
    # CPU with the collector on and 1.6-1.9 s without, and a gc.collect() after it 1.1 s in both cases.
    with collector_paused():
        write_object(handle, _texts(bank, related_per_item, all_relations))


def _records(bank: Bank, related_per_item: int, all_relations: bool) -> list[tuple[str, Iterator[dict]]]:
    """Each list of the export, by name, its records made as they are asked for."""
    return [
        ("questions", (item.to_dict() | {"concepts": bank.concepts_of(item.id)} for item in bank.items)),
        ("concepts", (c.to_dict() | {"topic": bank.topics.get(c.id)} for c in bank.concepts)),
        ("pairs", (p.to_dict() for p in select_pairs(bank, related_per_item))),
        ("relations", (r.to_dict() for r in confident(bank.relations, everything=all_relations))),
    ]


# The texts of the three big lists' records, each from one call of the C encoder on the record's
# scalars (kg.jsontext); the same as dumps(record, RECORD_LEVEL) of the record _records makes, which
# tests/test_jsontext.py checks. A value of another type than its field's (a list where a string
# belongs) makes more scalars than counted: that record is written by dumps instead.
_FIELD = RECORD_LEVEL + 1
_QUESTION = dict_template(("id", "number", "question", "answer", "source", "line", "concepts"), RECORD_LEVEL)
_CONCEPT = dict_template(("id", "label", "aliases", "questions", "specificity", "generic", "topic"), RECORD_LEVEL)
_PAIR = dict_template(
    ("a", "b", "score", "kind", "shared_concepts", "lexical", "semantic", "concept", "matches", "verdict"),
    RECORD_LEVEL,
)
_MATCH = dict_template(("a", "b", "score"), _FIELD + 1)


def _question_text(item: QAItem, concepts: list[str]) -> str:
    t = scalars([item.id, item.number, item.question, item.answer, item.source, item.line, *concepts])
    if len(t) != 6 + len(concepts):
        return dumps(item.to_dict() | {"concepts": concepts}, RECORD_LEVEL)
    return _QUESTION.format(*t[:6], list_text(t[6:], _FIELD))


def _concept_text(c: Concept, topic: str | None) -> str:
    t = scalars([c.id, c.label, c.specificity, c.generic, topic, *c.aliases, *c.questions])
    n = 5 + len(c.aliases)
    if len(t) != n + len(c.questions):
        return dumps(c.to_dict() | {"topic": topic}, RECORD_LEVEL)
    return _CONCEPT.format(t[0], t[1], list_text(t[5:n], _FIELD), list_text(t[n:], _FIELD), t[2], t[3], t[4])


def _pair_text(p: Pair) -> str:
    leaves = [p.a, p.b, p.score, p.kind, p.lexical, p.semantic, p.concept, p.verdict, *p.shared_concepts]
    for m in p.matches:
        leaves += (m.a, m.b, m.score)
    t = scalars(leaves)
    n = 8 + len(p.shared_concepts)
    if len(t) != n + 3 * len(p.matches):
        return dumps(p.to_dict(), RECORD_LEVEL)
    matches = [_MATCH.format(*t[i : i + 3]) for i in range(n, len(t), 3)]
    return _PAIR.format(*t[:4], list_text(t[8:n], _FIELD), *t[4:7], list_text(matches, _FIELD), t[7])


def _texts(bank: Bank, related_per_item: int, all_relations: bool) -> list[tuple[str, Iterator[str]]]:
    """The texts of the export's records, list by list, made as they are asked for."""
    return [
        ("questions", (_question_text(item, bank.concepts_of(item.id)) for item in bank.items)),
        ("concepts", (_concept_text(c, bank.topics.get(c.id)) for c in bank.concepts)),
        ("pairs", map(_pair_text, select_pairs(bank, related_per_item))),
        (
            "relations",
            (dumps(r.to_dict(), RECORD_LEVEL) for r in confident(bank.relations, everything=all_relations)),
        ),
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
