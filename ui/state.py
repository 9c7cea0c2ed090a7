"""Navigation: the URL is the state. Every view has query parameters, so back and shared links work."""

from __future__ import annotations

from collections.abc import Callable
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

#: The query parameters of the Explore settings.
SETTING_PARAMS = tuple(param for param, _ in URL_SETTINGS.values())
#: Query parameters that are no view but how views are drawn: a view opened keeps them.
KEPT = ("bank", *SETTING_PARAMS)


#: The URL's values of each group of query parameters as this session last read or wrote them, by group.
URL_SEEN = "url_seen"


def url_moved(group: str, params: tuple[str, ...]) -> bool:
    """Whether the URL's ``params`` differ from what this session last read or wrote of them
    (:func:`url_noted`): the browser's Back or Forward moved them, or a page switch dropped them. Their
    values now count as read.

    The widgets that show them keep their own values across runs; the page gives them the URL's when it
    moved, or Back would change the URL and leave the view as it was.
    """
    now = tuple(st.query_params.get(p) for p in params)
    seen = st.session_state.setdefault(URL_SEEN, {})
    moved = group in seen and seen[group] != now
    seen[group] = now
    return moved


def url_noted(group: str, params: tuple[str, ...]) -> None:
    """Note the URL's ``params`` just written by the session itself (a callback), which did not move it."""
    st.session_state.setdefault(URL_SEEN, {})[group] = tuple(st.query_params.get(p) for p in params)


def url_last(group: str, params: tuple[str, ...]) -> dict[str, str]:
    """The values of ``params`` the URL held when this session last saw the group, those set."""
    seen = st.session_state.get(URL_SEEN, {}).get(group, ())
    return {p: v for p, v in zip(params, seen, strict=False) if v}


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


#: Each page's own query parameters besides ``page``, which a page switch gives back as they were left.
PAGE_PARAMS: dict[str, tuple[str, ...]] = {"duplicates": ("kinds", "score", "pair"), "concepts": ("filter",)}


def _page_group(page: str) -> str:
    """The group of ``page``'s own query parameters (:data:`PAGE_PARAMS`) for :func:`url_moved`: one per bank."""
    return f"{page}:{st.query_params.get('bank', '')}"


def page_url_moved(page: str) -> bool:
    """:func:`url_moved` of ``page``'s own query parameters in this bank."""
    return url_moved(_page_group(page), PAGE_PARAMS[page])


def page_url_noted(page: str) -> None:
    """:func:`url_noted` of ``page``'s own query parameters in this bank."""
    url_noted(_page_group(page), PAGE_PARAMS[page])


def on_nav() -> None:
    page = st.session_state.get("nav") or "explore"
    if page == "explore":
        go(**st.session_state.get(EXPLORE_VIEW, {}).get(st.query_params.get("bank", ""), {}))
    else:
        go(page=page, **url_last(_page_group(page), PAGE_PARAMS.get(page, ())))


#: The graph settings in the URL when each bank (its ``bank`` query parameter) was last left for another.
BANK_SETTINGS = "bank_settings"


def on_bank_change() -> None:
    """Open the bank chosen, with the graph settings the URL had when it was last left (none for a bank
    not yet opened), so that the URL says what the graph shows."""
    left = st.query_params.get("bank", "")
    kept = st.session_state.setdefault(BANK_SETTINGS, {})
    kept[left] = {p: v for p in SETTING_PARAMS if (v := st.query_params.get(p))}
    choice = st.session_state["bank_choice"]
    bank = "" if choice == default_key() else choice
    st.query_params.from_dict({**({"bank": bank} if bank else {}), **kept.get(bank, {})})


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
            st.session_state["flash"] = f"{said} in {source.decisions.name}."  # a file beside the bank: say so
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


def on_explore_change(bank: str, name: str, widget: str) -> None:
    """Record a graph control's new value (of the widget ``widget``), in the session and in the URL."""
    value = st.session_state[widget]
    st.session_state.setdefault("explore", {}).setdefault(bank, {})[name] = value
    if name in URL_SETTINGS and value is not None:
        st.query_params[URL_SETTINGS[name][0]] = str(int(value))
    url_noted(f"explore:{bank}", SETTING_PARAMS)


def setting_widgets(bank: str) -> Callable[[str], str]:
    """The widget key of each graph control of ``bank`` (``<name>-<bank>``), by the setting's name.

    After Back or Forward the settings are the URL's: the session's own are dropped, so that
    :func:`explore_setting` reads the URL (the default where it says nothing), and the controls get new
    keys (``<name>-<bank>-<n>``). A control keeps the value it shows under its key whatever value it is
    given, and one set through the session state lost the first click on it in the Filters popover.
    """
    generation = st.session_state.setdefault("setting_generation", {})
    if url_moved(f"explore:{bank}", SETTING_PARAMS):
        st.session_state.setdefault("explore", {})[bank] = {}
        generation[bank] = generation.get(bank, 0) + 1
    n = generation.get(bank, 0)
    return lambda name: f"{name}-{bank}" + (f"-{n}" if n else "")
