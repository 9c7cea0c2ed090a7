"""Relations with an end in the bank's generic tier (kg.relations.generic_ends): demoted, not dropped."""

from __future__ import annotations

import pytest

from kg.relations.generic_ends import GENERIC_END_SHARE, demote_generic_ends, generic_cap
from kg.relations.merge import GraphRelation


def _rel(head: str, tail: str, confidence: float) -> GraphRelation:
    return GraphRelation(head, "uses", tail, "uses", ("q1",), f"{head} uses {tail}.", confidence)


@pytest.mark.parametrize(
    ("head", "tail", "before", "after"),
    [
        ("mulch", "soil", 0.9, 0.9),  # control: neither end generic
        ("garden", "mulch", 0.9, 0.2),  # a generic head
        ("mulch", "garden", 0.9, 0.2),  # a generic tail
        ("mulch", "garden", 0.1, 0.1),  # already under the cap: kept as low as it was
    ],
)
def test_generic_ends_demotes_a_relation_with_a_generic_end(head: str, tail: str, before: float, after: float) -> None:
    out = demote_generic_ends([_rel(head, tail, before)], {"garden"}, least=0.4)
    assert [r.confidence for r in out] == [pytest.approx(after)]


def test_generic_ends_keeps_every_relation_in_order() -> None:
    rels = [_rel("garden", "mulch", 0.8), _rel("mulch", "soil", 0.7), _rel("soil", "garden", 0.6)]
    out = demote_generic_ends(rels, {"garden"}, least=0.5)
    assert [(r.head, r.tail) for r in out] == [(r.head, r.tail) for r in rels]
    assert [r.confidence for r in out] == [0.25, 0.7, 0.25]


def test_generic_ends_cap_is_under_the_shipped_threshold() -> None:
    from kg.relations.confidence import confident, threshold

    assert generic_cap() == pytest.approx(threshold() * GENERIC_END_SHARE)
    assert generic_cap() < threshold()
    demoted = demote_generic_ends([_rel("garden", "mulch", 0.99)], {"garden"})
    assert confident(demoted) == []
    assert confident(demoted, everything=True) == demoted


def test_generic_ends_nothing_generic_changes_nothing() -> None:
    rels = [_rel("mulch", "soil", 0.9)]
    assert demote_generic_ends(rels, frozenset()) == rels
    assert demote_generic_ends([], {"garden"}) == []


# A made-up bank of its own: "fertilizer" is a fairly common word the answers use in passing in most
# questions, and one sentence states a relation to it; another states one between two terms (the control).
GARDENING = """# Gardening questions

## 1. What does mulch do?

Mulch reduces evaporation. Spread it thinly and add fertilizer under it in spring.

## 2. What is compost?

Compost is decomposed organic matter. Compost is a slow fertilizer.

## 3. When should you prune roses?

Prune roses in late winter, before the buds break, and give them fertilizer afterwards.

## 4. Why rotate crops?

Crop rotation breaks the cycles of pests, and each crop takes a different fertilizer.

## 5. What is a cold frame?

A cold frame is a low glazed box that protects seedlings; they need no fertilizer in it.

## 6. How deep should you plant garlic?

Plant garlic cloves about five centimetres deep and skip fertilizer until they sprout.

## 7. What is companion planting?

Companion planting grows plants side by side so that one helps the other, such as basil beside tomatoes.

## 8. How do you water seedlings?

Water seedlings from below so the roots reach down.
"""


@pytest.mark.model
def test_build_bank_hides_relations_with_a_generic_end_by_default() -> None:
    from kg.extract import load_nlp
    from kg.parse import parse_text
    from kg.pipeline import build_bank
    from kg.relations import confident

    bank = build_bank(parse_text(GARDENING, "gardening.md"), load_nlp(), with_pairs=False)
    label = {c.id: c.label for c in bank.concepts}
    generic = {c.label for c in bank.concepts if c.generic}
    assert "fertilizer" in generic
    stated = {(label[r.head], r.relation, label[r.tail]) for r in bank.relations}
    shown = {(label[r.head], r.relation, label[r.tail]) for r in confident(bank.relations)}
    to_generic = {k for k in stated if k[0] in generic or k[2] in generic}
    assert to_generic, "the bank states a relation with a generic end"
    assert not to_generic & shown  # hidden by default ...
    every = confident(bank.relations, everything=True)
    assert to_generic <= {(label[r.head], r.relation, label[r.tail]) for r in every}
    assert ("mulch", "mitigates", "evaporation") in shown  # ... while the control is shown
