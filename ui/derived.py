"""What the pages show, computed once per bank and kept per session.

Each function takes the bank's key first (what the caches are keyed by) and the bank itself as an
argument Streamlit does not hash (a leading underscore).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import streamlit as st

from kg import render, views
from kg.bankstore import BankStore
from kg.graph import RELATED_TOP, RelatedConcept
from kg.graph import related_concepts as _related_concepts
from kg.model import Mention
from kg.relations.confidence import threshold
from kg.render.firstview import Settings
from kg.render.layoutstore import LayoutStore
from ui.banks import content_key, first_view


def _per_session(fn: Callable) -> Callable:
    """Keep what a cached function returned for this session's bank, so a rerun does not unpickle it.

    ``st.cache_data`` hands every call a fresh copy; for a big bank that copy costs more than the
    rest of a rerun. The copy kept here belongs to this session alone and is dropped when the bank
    (its key, the first argument) changes.
    """

    @functools.wraps(fn)
    def wrapper(key: str, *args: Any) -> Any:
        store = st.session_state.setdefault("derived", {})
        # Drop what belongs to another bank, or to other verdicts on this one; what _by_content keys on
        # the content alone stays while only the verdicts change.
        for name in [n for n in store if _stale(n[1], key)]:
            del store[name]
        name = (fn.__name__, key, *(a for a in args if a is None or isinstance(a, (str, int, bool))))
        if name not in store:
            store[name] = fn(key, *args)
        return store[name]

    return wrapper


def _stale(kept: str, key: str) -> bool:
    """Whether what was computed for bank key ``kept`` is of no use now that ``key`` is asked for.

    Examples
    --------
    >>> _stale("abc-v1", "abc-v2"), _stale("abc", "abc-v2"), _stale("abc-v1", "abc"), _stale("abc", "xyz-v1")
    (True, False, False, True)
    """
    if content_key(kept) != content_key(key):
        return True
    return kept != key and kept != content_key(kept) and key != content_key(key)


def _by_content(fn: Callable) -> Callable:
    """Call ``fn`` with the bank's content key: for what the verdicts on its pairs do not change."""

    @functools.wraps(fn)
    def wrapper(key: str, *args: Any) -> Any:
        return fn(content_key(key), *args)

    return wrapper


@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def view_graph(key: str, _bank, uncertain: bool = False) -> nx.Graph:
    """What is drawn; relations below the confidence threshold only with ``uncertain``."""
    return render.view_graph(_bank.graph, _bank.pairs, min_confidence=0.0 if uncertain else threshold())


@functools.cache
def _layouts(root: Path) -> LayoutStore:
    return LayoutStore(root)  # one per cache folder, so that it warns once


def laid_out(G: nx.Graph) -> dict[str, tuple[float, float]]:
    """:func:`kg.render.layout` of ``G``, kept on disk: a fresh server reads the layouts of the views
    drawn before (a stored bank's first view among them) instead of making them again."""
    from kg.embed import cache_root

    return _layouts(cache_root()).layout(G, render.layout, seed=0)


@st.cache_data(show_spinner="Laying out the graph…", max_entries=8)
def _positions(key: str, _V: nx.Graph) -> dict[str, tuple[float, float]]:
    return laid_out(_V)


@_per_session
def graph_payload(
    key: str,
    full: bool,
    centre: str | None,
    hops: int,
    questions: bool,
    min_questions: int,
    uncertain: bool,
    generic: bool,
    bank,
) -> dict[str, Any]:
    """Nodes, edges and options for the component: the whole graph, or a neighbourhood laid out alone.

    The view a bank opens on is read from its first view (:func:`stored_first_view`) when that was
    drawn with the same settings; any other is computed (:func:`kg.render.view_data`) and cached.
    """
    settings: Settings = (full, centre, hops, questions, min_questions, uncertain, generic)
    first = first_view(key)
    stored = first.serves(settings) if first is not None else None
    if stored is not None:
        return dict(stored)
    return _graph_payload(key, settings, bank)


@st.cache_data(show_spinner=False, max_entries=64)
def _graph_payload(key: str, settings: Settings, _bank) -> dict[str, Any]:
    full, centre, hops, questions, min_questions, uncertain, generic = settings
    V = view_graph(key, _bank, uncertain)

    def place(G: nx.Graph) -> dict[str, tuple[float, float]]:
        # The whole graph keeps one layout whatever the filters hide, so a node stays where it was; it
        # is keyed on the content alone: a verdict adds or drops a pair's edge, and the nodes stay put.
        return _positions(content_key(key), G) if G is V else laid_out(G)

    return render.view_data(
        V, place, full=full, centre=centre, hops=hops, questions=questions, min_questions=min_questions,
        generic=generic, topics=_bank.topics, related=lambda concept_id: _view_related(key, uncertain, concept_id, V),
    )


@st.cache_data(show_spinner=False, max_entries=16384)
def _view_related(key: str, uncertain: bool, concept_id: str, _V: nx.Graph) -> list[RelatedConcept]:
    """A concept's related concepts in the view graph, as a neighbourhood walks it: once per bank for
    every session. Neighbourhoods drawn one after another walk most of the same concepts, and ranking
    them was nine tenths of drawing one (a hub's in 5-10 ms)."""
    return _related_concepts(_V, concept_id, top=RELATED_TOP)


@_by_content
@_per_session
@st.cache_data(show_spinner=False, max_entries=512)
def related_concepts(key: str, concept_id: str, top: int, _bank) -> list[RelatedConcept]:
    """A concept's related concepts: computed once per bank for every session (a hub takes 40–70 ms)."""
    return _related_concepts(_bank.graph, concept_id, top=top)


@_by_content
@st.cache_resource(show_spinner="Indexing the bank for search…", max_entries=4)
def search_index(key: str, _bank):
    """The bank's :class:`~kg.search.SearchIndex`, one for every session (it is only read).

    The question vectors are those the pair stage computed: the embedding cache holds them by text,
    so they are read back, not encoded again.
    """
    from kg.search import search_index as index
    from ui.banks import _embedder

    embedder = _embedder()
    texts = [i.question_text for i in _bank.items]
    vectors = embedder.encode(texts) if embedder is not None and texts else None
    return index(_bank.items, _bank.concepts, vectors)


def topic_summaries(key: str, bank) -> list:
    """The bank's topics with their names and sizes, largest first (:func:`kg.topics.topic_summaries`):
    those stored with the bank (:func:`stored_first_view`), else computed once per bank."""
    first = first_view(key)
    return list(first.summaries) if first is not None else _topic_summaries(key, bank)


@_by_content
@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def _topic_summaries(key: str, _bank) -> list:
    from kg.topics import topic_summaries as summaries

    return summaries(_bank.graph, _bank.topics)


def stored_first_view(store: BankStore, key: str, bank) -> render.FirstView:
    """The first view of the bank stored under ``key`` (its legend and the view it opens on): read from
    ``store``, else computed and stored with it, so that a fresh server reads it."""
    found = store.load_view(key)
    if found is None:
        found = render.first_view(
            bank.graph, bank.pairs, bank.concepts, bank.topics, laid_out, min_confidence=threshold()
        )
        store.save_view(key, found)
    return found


@_by_content
@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def concept_rows(key: str, _bank) -> list[dict[str, Any]]:
    return views.concept_rows(_bank)


@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def coverage(key: str, _bank):
    from kg.coverage import coverage_report

    return coverage_report(
        _bank.concepts, _bank.mentions, _bank.pairs, _bank.graph, topics=_bank.topics, questions=len(_bank.items),
        question_texts=[it.question_text for it in _bank.items],
    )


@_by_content
@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def answer_mentions(key: str, _bank) -> dict[tuple[str, str], Mention]:
    return views.answer_mentions(_bank)
