"""Navigation: the URL is the state. Every view has query parameters, so back and shared links work."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kg.decisions import Decision, Verdict, remove_verdict, set_verdict
from kg.errors import KGError
from kg.model import is_concept_node, is_node, node_id
from ui.banks import Source, add_upload, default_key, session_verdicts

GRAPH_KEY = "kg_graph"
SEARCH = "search"  # the search box
SEARCH_HITS = "search_hits"  # the pills of its results


#: The highest "Concepts in at least … questions" the Explore filter takes.
MOST_QUESTIONS = 500

#: The graph controls kept in the URL, by Explore setting: the query parameter, and the values it may take.
#: A reload or a link shared opens the graph as it was left; a value outside these is ignored.
URL_SETTINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "full_graph": (WHOLE := "whole", ("0", "1")),
    "hops": ("hops", ("1", "2", "3")),
    "questions": ("questions", ("0", "1")),
    "min_questions": ("min", tuple(str(n) for n in range(1, MOST_QUESTIONS + 1))),
    "hide_generic": ("hide_generic", ("0", "1")),
    "uncertain": ("uncertain", ("0", "1")),
}

#: Query parameters that are no view but how views are drawn: a view opened keeps them.
KEPT = ("bank", *(param for param, _ in URL_SETTINGS.values()))


def go(**params: str) -> None:
    """Open a view: set the view's query parameters, keep the bank and the graph's settings (:data:`KEPT`)."""
    kept = {k: v for k in KEPT if (v := st.query_params.get(k))}
    st.query_params.from_dict({**kept, **{k: v for k, v in params.items() if v}})


def open_node(node: str) -> None:
    """Open the view of a graph node (a concept or a question)."""
    go(**{"concept" if is_concept_node(node) else "question": node_id(node)})


def on_graph_click() -> None:
    node = st.session_state[GRAPH_KEY].get("select")
    if is_node(node):
        open_node(node)


def on_pick(widget: str) -> None:
    """A pills widget whose value is a node id: open it, and unselect the pill for when we come back."""
    node = st.session_state.get(widget)
    if node:
        st.session_state[widget] = None
        if widget == SEARCH_HITS:  # the results have done their job; they would push the graph down
            st.session_state[SEARCH] = ""
        open_node(node)


#: The Explore view last open in this session, per bank (its ``bank`` query parameter): the concept or
#: question selected, which going to another page and back opens again.
EXPLORE_VIEW = "explore_view"


def remember_explore_view(**view: str) -> None:
    """Note the Explore page's selection (``concept=`` or ``question=``, none for the overview)."""
    st.session_state.setdefault(EXPLORE_VIEW, {})[st.query_params.get("bank", "")] = view


def on_nav() -> None:
    page = st.session_state.get("nav") or "explore"
    if page == "explore":
        go(**st.session_state.get(EXPLORE_VIEW, {}).get(st.query_params.get("bank", ""), {}))
    else:
        go(page=page)


def on_bank_change() -> None:
    choice = st.session_state["bank_choice"]
    st.query_params.from_dict({} if choice == default_key() else {"bank": choice})


def on_upload() -> None:
    uploads = st.session_state.get("upload") or []
    if uploads:
        source = add_upload(tuple(sorted((u.name, u.getvalue()) for u in uploads)))
        st.query_params.from_dict({"bank": source.key})


def decide(
    source: Source, a: str, b: str, verdict: Verdict | None, names: tuple[str, str] | None = None
) -> None:
    """Record the curator's ``verdict`` on a pair in the bank's decisions file (never in the bank);
    ``None`` undoes it. ``names`` are how the message names the two questions (default: their ids).

    The pairs shown follow at the next run, which applies the verdicts to the cached pairs: nothing is
    built again. An upload's file is in its stored folder; when that cannot be written the verdict is
    kept in this session's list instead, as for an upload the store could not take.
    """
    one, two = names or (a, b)
    said = f"Recorded {one} and {two} as {verdict}" if verdict else f"Undid the verdict on {one} and {two}"
    pair = frozenset((a, b))
    here = session_verdicts(source)
    if source.decisions is not None:
        try:
            if verdict is None:
                remove_verdict(source.decisions, a, b)
            else:
                set_verdict(source.decisions, a, b, verdict, note="decided in the kg app")
            here.pop(pair, None)  # the file holds it now
            st.session_state["flash"] = f"{said}."
            return
        except (OSError, KGError) as e:
            if source.path is not None:
                st.session_state["flash"] = f"Could not record the verdict: {e}"
                return
            st.session_state["flash"] = f"{said} for this session only: {e}"
    else:
        st.session_state["flash"] = f"{said} for this session."
    here[pair] = None if verdict is None else Decision(a, b, verdict, "decided in the kg app")


def explore_setting(bank: str, name: str, default: Any) -> Any:
    """A graph control's value for this bank in this session (depth, filters), else the URL's, else
    ``default``.

    Kept apart from the widget's own state, which Streamlit drops while another page is shown: the
    Explore page opens again as it was left, and each bank keeps its own settings. The URL's value is
    for a new session (a reload, a link); the session's own choice wins over it.
    """
    chosen = st.session_state.setdefault("explore", {}).setdefault(bank, {})
    if name in chosen:
        return chosen[name]
    asked = url_setting(name, st.query_params.get(URL_SETTINGS[name][0]) if name in URL_SETTINGS else None)
    return default if asked is None else asked


def url_setting(name: str, text: str | None) -> bool | int | None:
    """The value of the Explore setting ``name`` that the URL's ``text`` says, or ``None`` (absent, unknown or
    out of range)."""
    if name not in URL_SETTINGS or text not in URL_SETTINGS[name][1]:
        return None
    return text == "1" if URL_SETTINGS[name][1] == ("0", "1") else int(text)


def on_explore_change(bank: str, name: str) -> None:
    """Record a graph control's new value (its widget key is ``<name>-<bank>``), in the session and in the URL."""
    value = st.session_state[f"{name}-{bank}"]
    st.session_state.setdefault("explore", {}).setdefault(bank, {})[name] = value
    if name in URL_SETTINGS and value is not None:
        st.query_params[URL_SETTINGS[name][0]] = str(int(value))
