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
from collections.abc import Callable, Hashable, Iterator, Sequence
from operator import attrgetter
from typing import IO, Any, TypeVar

import networkx as nx

from kg.jsontext import RECORD_LEVEL, dumps, join_records, records_text, template, write_object
from kg.model import CLOSE_KINDS, Concept, Pair, QAItem
from kg.pipeline import Bank, collector_paused
from kg.relations import confident
from kg.relations.confidence import threshold
from kg.similar.explain import EXPLAINED_RELATED

FORMATS = ("json", "graphml", "gexf")
R = TypeVar("R")


def select_pairs(bank: Bank, related_per_item: int = EXPLAINED_RELATED) -> list:
    """Every duplicate and overlap, and each item's strongest related pairs, highest score first."""
    kept = []
    per_item: dict[str, int] = {}  # not a Counter: its __missing__ is a Python call, for most items once
    count = per_item.get
    close = CLOSE_KINDS
    # reverse=True keeps equal scores in their order, as a key of -score did: kinds stay in order on
    # ties; attrgetter is no Python call a pair
    for p in sorted(bank.pairs, key=attrgetter("score"), reverse=True):
        if p.kind in close:
            kept.append(p)
        else:
            a, b = p.a, p.b
            n_a, n_b = count(a, 0), count(b, 0)
            if n_a < related_per_item or n_b < related_per_item:
                kept.append(p)
                per_item[a] = n_a + 1
                per_item[b] = count(b, 0) + 1  # counted again: a and b may be one item
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


# The three big lists are written _PER_CALL records at a time: one call of the C encoder on all the
# batch's scalars, one format of the batch's template (its records' templates by shape, kg.jsontext).
# The same text as dumps(record, RECORD_LEVEL) of each record _records makes, which
# tests/test_jsontext.py checks. A batch holding a value of another type than its field's (a list
# where a string belongs) is written record by record by dumps instead.
F = None  # a field of a shape


def _question_shape(n_concepts: int) -> dict:
    return {"id": F, "number": F, "question": F, "answer": F, "source": F, "line": F, "concepts": [F] * n_concepts}


def _concept_shape(shape: tuple[int, int]) -> dict:
    n_aliases, n_questions = shape
    return {"id": F, "label": F, "aliases": [F] * n_aliases, "questions": [F] * n_questions, "specificity": F,
            "generic": F, "topic": F}


def _pair_shape(shape: tuple[int, int]) -> dict:
    n_shared, n_matches = shape
    return {"a": F, "b": F, "score": F, "kind": F, "shared_concepts": [F] * n_shared, "lexical": F,
            "semantic": F, "concept": F, "matches": [{"a": F, "b": F, "score": F}] * n_matches, "verdict": F}


# Records per C call: enough to spread a call's cost, few enough that a batch's texts stay in the CPU's
# cache (the pairs of 19,073 questions: about 0.75 s with 64, 0.9-1.1 s with 512 and 0.9 s one by one)
_PER_CALL = 64
_KEPT_SHAPE_FIELDS = 512  # a template is kept for the next record of its shape up to this many fields


def _batched_texts(
    records: Sequence[R],
    leaves_of: Callable[[R, list], Hashable],
    shape: Callable[[Any], dict],
    record: Callable[[R], dict],
) -> Iterator[str]:
    """The texts of ``records``, a batch at a time: ``leaves_of`` appends a record's scalars in the
    order of its fields and returns its shape's key, ``shape`` makes the shape of a key, ``record`` the
    record itself (for a batch the C encoder cannot write as fields)."""
    templates: dict[Hashable, str] = {}
    for start in range(0, len(records), _PER_CALL):
        batch = records[start : start + _PER_CALL]
        leaves: list = []
        texts = []
        for r in batch:
            key = leaves_of(r, leaves)
            found = templates.get(key)
            if found is None:
                found = template(shape(key))
                if len(leaves) <= _KEPT_SHAPE_FIELDS:
                    templates[key] = found
            texts.append(found)
        text = records_text(texts, leaves)
        yield text if text is not None else join_records(dumps(record(r), RECORD_LEVEL) for r in batch)


def _question_texts(bank: Bank) -> Iterator[str]:
    concepts_of = bank.concepts_of

    def leaves_of(item: QAItem, leaves: list) -> int:
        concepts = concepts_of(item.id)
        leaves += (item.id, item.number, item.question, item.answer, item.source, item.line)
        leaves += concepts
        return len(concepts)

    def record(item: QAItem) -> dict:
        return item.to_dict() | {"concepts": concepts_of(item.id)}

    return _batched_texts(bank.items, leaves_of, _question_shape, record)


def _concept_texts(bank: Bank) -> Iterator[str]:
    topics = bank.topics

    def leaves_of(c: Concept, leaves: list) -> tuple[int, int]:
        leaves += (c.id, c.label)
        leaves += c.aliases
        leaves += c.questions
        leaves += (c.specificity, c.generic, topics.get(c.id))
        return len(c.aliases), len(c.questions)

    def record(c: Concept) -> dict:
        return c.to_dict() | {"topic": topics.get(c.id)}

    return _batched_texts(bank.concepts, leaves_of, _concept_shape, record)


def _pair_leaves(p: Pair, leaves: list) -> tuple[int, int]:
    leaves += (p.a, p.b, p.score, p.kind)
    leaves += p.shared_concepts
    leaves += (p.lexical, p.semantic, p.concept)
    for m in p.matches:
        leaves += (m.a, m.b, m.score)
    leaves.append(p.verdict)
    return len(p.shared_concepts), len(p.matches)


def _texts(bank: Bank, related_per_item: int, all_relations: bool) -> list[tuple[str, Iterator[str]]]:
    """The texts of the export's records, list by list, made as they are asked for."""
    return [
        ("questions", _question_texts(bank)),
        ("concepts", _concept_texts(bank)),
        ("pairs", _batched_texts(select_pairs(bank, related_per_item), _pair_leaves, _pair_shape, Pair.to_dict)),
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
