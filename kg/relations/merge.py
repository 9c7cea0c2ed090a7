"""Relations of a bank: ends mapped from concept keys to concept ids, merged over the items that state them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.model import Relation
from kg.relations.confidence import combine


@dataclass(frozen=True)
class GraphRelation:
    """One relation between two concepts of a bank, merged over every item that states it.

    ``head`` and ``tail`` are concept ids; ``questions`` the ids of the items that state it, in bank
    order; ``verb`` and ``sentence`` come from the first of them. ``confidence`` is how likely the
    relation is right, its statements taken together (:func:`kg.relations.confidence.combine`).
    """

    head: str
    relation: str
    tail: str
    verb: str
    questions: tuple[str, ...]
    sentence: str
    confidence: float = 1.0

    def to_dict(self) -> dict:
        """The export shape: ``{"head", "relation", "tail", "verb", "questions", "sentence", "confidence"}``."""
        return {
            "head": self.head,
            "relation": self.relation,
            "tail": self.tail,
            "verb": self.verb,
            "questions": list(self.questions),
            "sentence": self.sentence,
            "confidence": round(self.confidence, 3),
        }



def merge_relations(
    relations: Iterable[Relation],
    key_to_id: Mapping[str, str],
    item_key_to_id: Mapping[tuple[str, str], str] | None = None,
) -> list[GraphRelation]:
    """Map relation ends from concept keys to concept ids and merge what several items state.

    ``item_key_to_id`` maps (item id, key) where a key means another concept in that item (an
    acronym its file defines), ahead of ``key_to_id``. Relations whose ends map to the same concept,
    or to no concept (a key the extraction dropped), are left out. The result is ordered by the
    number of items that state a relation, then by ids. A relation's confidence combines those of its
    statements, one per sentence.

    Examples
    --------
    >>> from kg.model import Relation
    >>> rels = [Relation("relu", "mitigates", "vanishing gradient", "mitigates", "q2", "ReLU mitigates ..."),
    ...         Relation("relu", "mitigates", "vanishing gradients", "addresses", "q30", "ReLU addresses ...")]
    >>> ids = {"relu": "relu", "vanishing gradient": "vgp", "vanishing gradients": "vgp"}
    >>> [r.to_dict()["questions"] for r in merge_relations(rels, ids)]
    [['q2', 'q30']]
    """
    merged: dict[tuple[str, str, str], list] = {}
    local = item_key_to_id or {}
    for rel in relations:
        head = local.get((rel.item, rel.head)) or key_to_id.get(rel.head)
        tail = local.get((rel.item, rel.tail)) or key_to_id.get(rel.tail)
        if head is None or tail is None or head == tail:
            continue
        entry = merged.setdefault((head, rel.relation, tail), [rel.verb, [], rel.sentence, {}])
        if rel.item not in entry[1]:
            entry[1].append(rel.item)
        said = entry[3]  # one confidence per sentence: the same sentence twice is no more evidence
        said[rel.sentence] = max(said.get(rel.sentence, 0.0), rel.confidence)
    out = [
        GraphRelation(head, relation, tail, verb, tuple(items), sentence, combine(said.values()))
        for (head, relation, tail), (verb, items, sentence, said) in merged.items()
    ]
    out.sort(key=lambda r: (-len(r.questions), r.head, r.relation, r.tail))
    return out
