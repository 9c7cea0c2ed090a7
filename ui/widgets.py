"""Pieces several pages use: bank text as escaped markdown, the pair card, the graph, the toolbar."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from kg import render
from kg.model import Pair, QAItem, is_concept_node, node_id, qnode
from kg.similar.copies import same_question
from kg.text import quantity
from kg.views import (
    as_written,
    concept_label,
    escape_markdown,
    highlighted,
    node_title,
    question_parts,
    question_title,
    quoted,
    same_sentences,
    source_of,
    where,
)
from ui.access import access
from ui.banks import Source, all_sources
from ui.state import SEARCH, SEARCH_HITS, decide, on_bank_change, on_nav, on_pick, on_upload, open_node

GRAPH_HEIGHT = 640


def md(text: str) -> str:
    """Plain text shown as markdown, every markdown character escaped (bank text is data)."""
    return escape_markdown(text)


def highlight(text: str, spans: Sequence[tuple[int, int]], colour: str = "blue") -> str:
    """``text`` as escaped markdown with the character ranges ``spans`` highlighted."""
    return highlighted(text, spans, colour)


def highlight_phrase(text: str, phrase: str, colour: str = "orange") -> str:
    i = text.lower().find(phrase.lower()) if phrase else -1
    return highlight(text, [(i, i + len(phrase))] if i >= 0 else [], colour)


_HEADING_MARK = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+")


def written_sentence(bank, sentence: str, phrase: str, item_ids: Sequence[str], colour: str = "orange") -> str:
    """A sentence of the NLP text shown from its source as written, ``phrase`` highlighted.

    When its source cannot be found for certain, the plain sentence is shown with a note that
    markup was left out of it: the reader is told, not shown less than the bank says unawares.
    """
    for item_id in item_ids[:3]:
        item = bank.item(item_id)
        for markdown in (item.answer, item.question) if item is not None else ():
            source = source_of(sentence, markdown)
            if source is not None:  # a quoted sentence, not a heading of the page: its "#" marks go
                return as_written(quoted(_HEADING_MARK.sub("", source)), [phrase] if phrase else [], colour)
    return f"{highlight_phrase(sentence, phrase, colour)} :gray[(as read: markup left out)]"


def pair_card(bank, source: Source, item: QAItem, pair: Pair, *, key: str, open_both: bool = False) -> None:
    """Two questions side by side, their matching sentences highlighted, the score and its evidence.

    Under a question's view the card opens the other one; with ``open_both`` (the Duplicates page, where
    neither is open) each side has its own button, since two titles cut to one width may read the same."""
    other_id = pair.b if pair.a == item.id else pair.a
    other = bank.item(other_id)
    if other is None:
        return
    mine = [m.a if pair.a == item.id else m.b for m in pair.matches]
    theirs = [m.b if pair.a == item.id else m.a for m in pair.matches]
    with st.container(border=True, key=key):
        meaning = f"{pair.semantic:.2f}" if pair.semantic is not None else "n/a"
        # the score is a probability; the evidence is shown as similarities, each from 0 to 1
        parts = f"similar in wording {pair.lexical:.2f}, meaning {meaning}, concepts {pair.concept:.2f}"
        if same := same_sentences(pair):  # said in words: the numbers alone hide answers copied outright
            parts += f"; {quantity(same, 'answer sentence')} the same word for word"
        head = f"**{pair.kind.capitalize()}** · {pair.score:.0%} likely a duplicate or an overlap"
        copy = same_question(item, other)  # an exact copy scores 1 whatever its evidence says
        if pair.verdict is not None:  # a pair decided different keeps its kind, set aside: name the verdict
            # the verdict and kg's reading apart, since they may disagree
            said = "the same question asked twice" if copy else "likely a duplicate or an overlap"
            st.markdown(f"**{pair.verdict.capitalize()}**, the curator's verdict. kg: {pair.score:.0%} {said}; {parts}")
        elif copy:
            st.markdown(f"{head}: the same question asked twice ({parts})")
        else:
            st.markdown(f"{head}; {parts}")
        # the verdict under the score, in view when the card opens: long answers push anything below them out of it.
        # Under a question's view the card is a side panel's width: the button that opens the other question
        # has a row of its own, and the verdicts share the next one, each named whole
        if open_both:
            verdicts = st.columns([2.4, 1, 1, 1], vertical_alignment="center")[1:]
        else:
            title = md(f"Open {question_title(other, 40)}")
            st.button(title, key=f"{key}-open", on_click=open_node, args=(qnode(other_id),))
            verdicts = list(st.columns(3, vertical_alignment="center"))
        # named where they are, as the pairs table names them: two titles cut short may read the same
        verdict_buttons(source, pair, verdicts, key=key, names=(where(item), where(other)))
        for n, (col, it, sentences) in enumerate(zip(st.columns(2), (item, other), (mine, theirs), strict=True)):
            with col:
                st.markdown(f"**{md(question_title(it))}**")
                st.caption(md(where(it)))
                if open_both:
                    st.button("Open this question", key=f"{key}-open-{n}", on_click=open_node, args=(qnode(it.id),))
                rest = question_parts(it.question)[1]
                if rest:  # the question's code or figure is what a quiz pair differs by
                    with st.container(border=True):
                        st.markdown(as_written(rest))
                st.markdown(as_written(it.answer or it.answer_text, sentences))
        if pair.shared_concepts:
            shared = ", ".join(concept_label(bank, c) for c in pair.shared_concepts)
            st.caption("Shared concepts: " + md(shared))


VERDICT_HELP = {
    "duplicate": "The same question asked twice: kg check fails on it until one of the two goes.",
    "overlap": "Related on purpose: listed as an overlap, and kg check does not fail on it.",
    "different": "Not a duplicate: left out of the pairs, and kg check does not fail on it.",
}


def verdict_buttons(
    source: Source, pair: Pair, columns: Sequence, *, key: str, names: tuple[str, str] | None = None
) -> None:
    """Duplicate, Overlap and Different, or, once decided, the verdict and Undo.

    A click records the verdict in the decisions file (:func:`ui.state.decide`); the next run applies
    it to the cached pairs, so neither the bank nor the graph's layout is computed again.
    """
    record_in = source.decisions or "this session's list (see the Duplicates page)"
    said = names or (pair.a, pair.b)  # how the message after a click names the two questions
    if pair.verdict is not None:
        columns[0].markdown(f"Decided: **{pair.verdict}**")
        columns[1].button(
            "Undo",
            key=f"{key}-undo",
            on_click=decide,
            args=(source, pair.a, pair.b, None, said),
            help=md(f"Takes the verdict out of {record_in}."),
        )
        return
    for column, verdict in zip(columns, ("duplicate", "overlap", "different"), strict=True):
        column.button(
            verdict.capitalize(),
            key=f"{key}-{verdict}",
            on_click=decide,
            args=(source, pair.a, pair.b, verdict, said),
            help=md(f"{VERDICT_HELP[verdict]} Recorded in {record_in}; the bank itself is not changed."),
            width="stretch",
        )


@st.cache_resource(show_spinner=False)
def graph_component():
    """The v2 component hosting vis-network: inline, no iframe, so a click reaches Python."""
    return st.components.v2.component(
        "kg_graph",
        html=render.COMPONENT_HTML,
        css=render.component_css(),
        js=render.component_js(),
    )


@st.cache_resource(show_spinner=False)
def page_policy():
    """Adds the page's Content-Security-Policy (:data:`kg.render.APP_CSP`) once and sets its icon
    (:data:`kg.render.APP_ICON`); hidden by ``app.STYLE``."""
    return st.components.v2.component("kg_policy", js=render.policy_js())


@st.cache_resource(show_spinner=False)
def live_search():
    """Commits the search box after a pause in the typing, so results follow it; hidden by ``app.STYLE``."""
    return st.components.v2.component("kg_search", js=render.search_js())


@st.cache_resource(show_spinner=False)
def vis_loader():
    """vis-network from the pyvis package, as a component of its own that never changes (sent once)."""
    return st.components.v2.component("kg_vis", js=render.vis_loader_js())


SEARCH_PAUSE_MS = 300  # results follow the typing after this pause; each update is a rerun of the page
SEARCH_FOR = "search_for-"  # the key of the mark after a query's results: this and the query's UTF-8 in hex
SEARCH_FOR_HEX = 200  # hex digits of the query in the mark, at most


def search_results(bank, key: str, query: str) -> None:
    """Up to ten concepts and questions for ``query`` (:func:`kg.search.search`), as pills to open."""
    data = access(bank, key)
    nodes = data.search(query, 10)
    note = data.note("search")  # what this bank's search leaves out (a store: meaning)
    # Drawn after the results, empty and hidden (app.STYLE): the search box's script knows by it that the results
    # shown are this query's, and opens the first when Enter was pressed before they came.
    marker = f"{SEARCH_FOR}{query.encode().hex()[:SEARCH_FOR_HEX]}"
    if not nodes:
        st.caption(f"Nothing matches “{md(query)}”." + (f" {note}" if note else ""))
    else:
        # Questions of several files: each says its file, since numbers restart per file ("Q71." twice).
        files = {n: Path(it.source).name for n in nodes if not is_concept_node(n) and (it := data.item(node_id(n)))}
        several = len(set(files.values())) > 1

        def named(n: str) -> str:
            return node_title(data, n, 60) + (f" · {files[n]}" if several and n in files else "")

        st.pills(
            "Search results",
            nodes,
            format_func=lambda n: ("● " if is_concept_node(n) else "▪ ") + md(named(n)),
            key=SEARCH_HITS,
            on_change=on_pick,
            args=(SEARCH_HITS,),
        )
        if note:
            st.caption(note)
    st.container(key=marker).html("<span></span>")  # an empty container is not drawn


def toolbar(bank, source: Source, key: str, pages: dict[str, str]) -> None:
    """Page switch, search, bank choice and upload, in one row; search results under it."""
    sources = all_sources()
    nav, search, choose, upload = st.columns([2.2, 3, 2.6, 1.2], vertical_alignment="bottom")
    st.session_state["nav"] = st.query_params.get("page", "explore")
    nav.segmented_control(
        "Page", list(pages), format_func=lambda p: pages[p], key="nav", on_change=on_nav, label_visibility="collapsed"
    )
    query = search.text_input(
        "Search", key=SEARCH, placeholder="Search concepts and questions", label_visibility="collapsed"
    )
    live_search()(
        key="kg_search",
        data={
            "selector": f".st-key-{SEARCH} input",
            "pause": SEARCH_PAUSE_MS,
            "hits": f".st-key-{SEARCH_HITS} button",
            "marker": f".st-key-{SEARCH_FOR}",
            "hex": SEARCH_FOR_HEX,
        },
        height=0,
    )
    st.session_state["bank_choice"] = source.key
    choose.selectbox(
        "Bank",
        list(sources),
        format_func=lambda k: sources[k].name,
        key="bank_choice",
        on_change=on_bank_change,
        label_visibility="collapsed",
    )
    with upload.popover("Upload", width="stretch"):
        st.file_uploader(
            "Markdown banks (one or several files)",
            type=["md", "markdown", "mdx"],
            accept_multiple_files=True,
            key="upload",
            on_change=on_upload,
        )
    if bank is not None and query.strip():
        search_results(bank, key, query.strip())
