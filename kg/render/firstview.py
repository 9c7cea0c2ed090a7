"""What the Explore page first shows of a bank, computed once per built bank and stored with it.

A fresh server that reads a stored bank (:mod:`kg.bankstore`) spent most of its first page on what
the bank alone decides: the legend's topic summaries (a pass over every concept's co-occurrences) and,
for a bank that opens on a neighbourhood, the view graph of the whole bank, the neighbourhood of its
opening concept and that view's nodes and edges. :func:`first_view` computes them once;
:class:`kg.bankstore.BankStore` keeps them beside the bank (``save_view`` and ``load_view``).

The view is drawn from the pairs the bank was built with, and a curator's verdict can add or drop the
edge of a close pair: the stored view serves a bank only while its close pairs are those it was drawn
with (:meth:`FirstView.for_pairs`). The topics do not depend on the pairs.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.model import CLOSE_KINDS, Concept, Pair
from kg.render.view import DEFAULT_HOPS, opening, view_graph
from kg.render.visdata import Positions, view_data
from kg.topics import TopicSummary, topic_summaries

#: The settings of a view as the app asks for one: whole graph, centre, hops, question nodes shown,
#: fewest questions of a concept shown, less certain relations shown, generic concepts shown.
Settings = tuple[bool, str | None, int, bool, int, bool, bool]


@dataclass(frozen=True)
class FirstView:
    """A bank's legend and the view it opens on."""

    summaries: tuple[TopicSummary, ...]
    """Every topic, largest first (:func:`kg.topics.topic_summaries`), for the legend."""
    settings: Settings | None
    """The settings ``view`` was drawn with; ``None`` when there is no view (a bank drawn whole)."""
    pairs: str
    """:func:`close_pairs_digest` of the pairs ``view`` was drawn with."""
    view: Mapping[str, Any] | None
    """The component's data of the opening neighbourhood (:func:`~kg.render.visdata.view_data`)."""

    def serves(self, settings: Settings) -> Mapping[str, Any] | None:
        """The stored view when it was drawn with ``settings``, else ``None``."""
        return self.view if self.view is not None and settings == self.settings else None

    def for_pairs(self, pairs: Iterable[Pair]) -> FirstView:
        """This first view for a bank with ``pairs`` (the bank's pairs after a curator's verdicts): the
        same, or without its view when a close pair was added, dropped or changed.

        Examples
        --------
        >>> first = FirstView((), (False, "c:a", 2, True, 1, False, True), close_pairs_digest([]), {"nodes": []})
        >>> first.for_pairs([Pair("1", "2", 0.4, "related")]) is first
        True
        >>> first.for_pairs([Pair("1", "2", 0.9, "duplicate")]).view is None
        True
        """
        if self.view is None or close_pairs_digest(pairs) == self.pairs:
            return self
        return dataclasses.replace(self, settings=None, view=None)


def close_pairs_digest(pairs: Iterable[Pair]) -> str:
    """A digest of what the view graph takes from ``pairs``: each close pair's questions, kind and score.

    Examples
    --------
    >>> close_pairs_digest([Pair("1", "2", 0.9, "duplicate"), Pair("3", "4", 0.2, "related")]) == (
    ...     close_pairs_digest([Pair("1", "2", 0.9, "duplicate")]))
    True
    >>> close_pairs_digest([Pair("1", "2", 0.9, "duplicate")]) == close_pairs_digest([Pair("1", "2", 0.9, "overlap")])
    False
    """
    close = sorted((p.a, p.b, p.kind, p.score) for p in pairs if p.kind in CLOSE_KINDS)
    return hashlib.sha256(repr(close).encode("utf-8", "surrogatepass")).hexdigest()


def first_view(
    G: nx.Graph,
    pairs: Iterable[Pair],
    concepts: Iterable[Concept],
    topic_of: Mapping[str, str],
    place: Callable[[nx.Graph], Positions],
    *,
    min_confidence: float,
) -> FirstView:
    """The legend and opening view of a bank: its graph ``G``, ``pairs``, ``concepts`` and topics.

    The view is that of the default settings (``DEFAULT_HOPS``, every node kind shown, relations of
    at least ``min_confidence``) around :func:`~kg.render.view.opening`, placed by ``place``; a bank
    that opens whole has none, as its whole graph is placed by the app once per bank content.

    Notes
    -----
    On a 1,300-question bank (6,000 nodes): the topic summaries, the view graph and the neighbourhood
    take 0.2-0.5 s, read back in a few milliseconds.
    """
    pairs = tuple(pairs)
    summaries = tuple(topic_summaries(G, topic_of))
    centre = opening(G, concepts)
    if centre is None:
        return FirstView(summaries, None, "", None)
    settings: Settings = (False, centre, DEFAULT_HOPS, True, 1, False, True)
    V = view_graph(G, pairs, min_confidence=min_confidence)
    data = view_data(
        V, place, full=False, centre=centre, hops=DEFAULT_HOPS, questions=True, min_questions=1, generic=True,
        topics=topic_of,
    )
    return FirstView(summaries, settings, close_pairs_digest(pairs), data)


__all__ = ["FirstView", "Settings", "close_pairs_digest", "first_view"]
