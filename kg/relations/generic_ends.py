"""Relations with an end in the bank's generic tier: kept, but not shown by default.

A concept the bank-wide generic tier marks (:mod:`kg.specificity`: an everyday word the answers use in
passing, "resource", "parameter", "value") names nothing particular, so a relation that ends in it
tells a learner little and is most often a misreading: on every judged relation with such an end the
relation was wrong (``bench/labels/relations_sample.md``, rounds 9 and 10). The tier is known only
once the whole bank is read, so this runs where the rated concepts and the merged relations meet
(:func:`kg.pipeline.build_bank`), after the sentence-level confidence.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

from kg.relations.confidence import threshold
from kg.relations.merge import GraphRelation

# A demoted relation's confidence is at most this share of the shown threshold: well under it for any
# refitted threshold, and still ordered among the hidden ones by what its sentences say.
GENERIC_END_SHARE = 0.5


def generic_cap(least: float | None = None) -> float:
    """The highest confidence a relation with a generic end keeps: half the shown threshold."""
    return (threshold() if least is None else least) * GENERIC_END_SHARE


def demote_generic_ends(
    relations: Iterable[GraphRelation], generic: Collection[str], least: float | None = None
) -> list[GraphRelation]:
    """``relations`` with the confidence of each one whose head or tail is in ``generic`` (concept ids)
    lowered to at most :func:`generic_cap`, so that it is not shown by default; the others unchanged,
    in the same order.

    ``least`` is the shown threshold (the shipped one when None).

    Examples
    --------
    >>> rels = [GraphRelation("lasso", "mitigates", "overfitting", "reduces", ("q1",), "...", 0.9),
    ...         GraphRelation("l1", "mitigates", "coefficient", "shrinks", ("q2",), "...", 0.9)]
    >>> [(r.tail, r.confidence) for r in demote_generic_ends(rels, {"coefficient"}, least=0.5)]
    [('overfitting', 0.9), ('coefficient', 0.25)]
    """
    cap = generic_cap(least)
    return [
        replace(r, confidence=min(r.confidence, cap)) if r.head in generic or r.tail in generic else r
        for r in relations
    ]
