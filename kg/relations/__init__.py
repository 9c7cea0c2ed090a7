"""Typed relations between concepts, read off spaCy's dependency parse.

A relation holds between two concept mentions (spans of ``doc.spans["concepts"]``, whose ``label_`` is
the concept key) in one sentence: "ReLU mitigates the vanishing gradient problem" gives
``Relation("relu", "mitigates", "vanishing gradient problem", ...)``. The class comes from the words
that state it, looked up in a table (``kg/data/relations.toml``, which a user file can extend):

- a verb between a subject and an object, with passives turned round, conjunctions on both sides
  expanded, and gerund clauses ("..., reducing overfitting") given the subject of the clause they hang
  from;
- a copula: "X is a Y" (``is_a``), "X is a variant of Y", "X is similar to Y";
- a relational noun: "the forget gate of Y" (``part_of``), "the difference between X and Y";
- examples and comparisons: "X such as Y", "Y and other X", "X is more ADJ than Y", "X vs Y".

Verbs the table does not list give the class the table flags ``fallback`` (``related``) when their own
subject and object are concepts; the classes of "X is a Y", "X is faster than Y" and "X makes it
difficult to V Y" are flagged in the table too. Nothing here calls the language model: the functions
walk a parse made once for the whole bank.

The stages, one module each:

- :mod:`kg.relations.table`: the table, its schema, loading and checking;
- :mod:`kg.relations.sentence`: the sentence being read and the concept each token stands for;
- :mod:`kg.relations.clause`: clause rules (supposed and reported clauses, passives, negation,
  restricted subjects, asides, subjects looked for up the tree);
- :mod:`kg.relations.arguments`: the concepts a phrase stands for;
- :mod:`kg.relations.readers`: one reader per construction, in a registry;
- :mod:`kg.relations.walk`: :func:`relations_from_doc`, which runs the readers over each sentence;
- :mod:`kg.relations.merge`: relations of a bank merged over its items;
- :mod:`kg.relations.confidence`: how likely each relation is right, and which are shown by default.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.component import SPAN_KEY
    from kg.relations.confidence import confident
    from kg.relations.merge import GraphRelation, merge_relations
    from kg.relations.table import Cue, RelationTable, default_table_path, load_relation_table
    from kg.relations.walk import relations_from_doc

# Imported on first use: reading relations needs spaCy, a bank's merged relations
# (kg.relations.merge, what a stored bank holds) do not.
_LAZY = {
    "SPAN_KEY": "kg.extract.component",
    "confident": "kg.relations.confidence",
    "GraphRelation": "kg.relations.merge",
    "merge_relations": "kg.relations.merge",
    "Cue": "kg.relations.table",
    "RelationTable": "kg.relations.table",
    "default_table_path": "kg.relations.table",
    "load_relation_table": "kg.relations.table",
    "relations_from_doc": "kg.relations.walk",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:  # a submodule not imported yet: ``from kg.relations import walk`` imports it
        raise AttributeError(f"module 'kg.relations' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = [
    # A flat name of the single-module kg.relations, kept for one release (defined in kg.extract.component).
    "SPAN_KEY",
    "Cue",
    "GraphRelation",
    "RelationTable",
    "confident",
    "default_table_path",
    "load_relation_table",
    "merge_relations",
    "relations_from_doc",
]
