"""The Concepts page: every concept in a sortable table, and what the bank covers and misses."""

from __future__ import annotations

import streamlit as st

from kg.model import cnode, node_id
from kg.text import quantity
from kg.views import concept_label, filter_concept_rows
from ui.access import access
from ui.banks import Source
from ui.state import go, on_pick, page_url_moved, page_url_noted
from ui.widgets import md

TITLE = "Concepts"
FILTER = "filter"  # the URL's copy of the filter, which Back and a reload read
FILTER_KEY = "concept_filter"
# What each column counts, shown on hovering its header: "asked in" and "centrality" said nothing by name.
COLUMN_HELP = {
    "questions": st.column_config.NumberColumn(help="Questions whose question or answer mentions the concept"),
    "asked in": st.column_config.NumberColumn(help="Questions that name the concept in the question itself"),
    "topic": st.column_config.TextColumn(help="The group of concepts it belongs to, one colour in the graph"),
    "centrality": st.column_config.NumberColumn(
        help="How often it shares a question with another concept: high for one discussed with many others"
    ),
    "generic": st.column_config.CheckboxColumn(
        help="An everyday word the answers use in passing: drawn small and grey, hidden by the Filters"
    ),
    "aliases": st.column_config.TextColumn(help="Other names the bank or the glossary gives it"),
}


def _keep_filter() -> None:
    """The filter in the URL: opening a concept and going back finds the list as it was left."""
    text = st.session_state.get(FILTER_KEY, "").strip()
    if text:
        st.query_params[FILTER] = text
    elif FILTER in st.query_params:
        del st.query_params[FILTER]
    page_url_noted("concepts")


#: Rows the concept table shows before it scrolls: Streamlit's default frame showed ten, over half a page
#: left empty below it.
LISTED = 20


def show(bank, source: Source, key: str) -> None:
    bank = access(bank, key)  # in memory or in a store
    rows = bank.concept_rows()
    # a new session, back from a concept, or Back or Forward between filters: the URL's filter
    if page_url_moved("concepts") or FILTER_KEY not in st.session_state:
        st.session_state[FILTER_KEY] = st.query_params.get(FILTER, "")
    query = st.text_input(
        "Filter concepts", key=FILTER_KEY, placeholder="part of a concept or alias", on_change=_keep_filter
    )
    if query.strip():
        rows = filter_concept_rows(rows, query)
    if not rows and query.strip():  # no table: an empty one shows only a blank frame
        st.caption(f"No concept or alias holds “{md(query.strip())}”.")
        coverage_gaps(bank, key)
        return
    generic = sum(bool(r["generic"]) for r in rows)
    matching = (" that matches" if len(rows) == 1 else " that match") + ", best first"
    st.caption(
        quantity(len(rows), "concept")
        + (matching if query.strip() else ", most asked first")
        + (f", the {quantity(generic, 'generic one')} last" if generic and not query.strip() else "")
        + ". Sort by a column header; select a row to open the concept."
    )
    event = st.dataframe(
        rows,
        key="concept_table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_order=["concept", "questions", "asked in", "topic", "centrality", "generic", "aliases"],
        column_config=COLUMN_HELP,
        height=(min(len(rows), LISTED) + 1) * 35 + 3,  # the header and the rows, 35 px each
    )
    chosen = event.selection.rows if event is not None else []
    if chosen and chosen[0] < len(rows):
        go(concept=rows[chosen[0]]["id"])
        st.rerun()
    coverage_gaps(bank, key)


def coverage_gaps(bank, key: str) -> None:
    report = bank.coverage()
    if report is None:
        st.caption(bank.note("coverage") or "")
        return
    st.markdown(f"**Coverage** — {report.asked:,} of {report.concepts:,} concepts are asked about in a question.")
    lists = [
        ("Only in answers, two or more (candidates for new questions)", "answer_only"),
        ("Asked in one question only, the most answered first", "single_question"),
        ("Asked again and again (in several duplicate or overlapping pairs)", "over_served"),
    ]
    for n, (title, name) in enumerate(lists):
        ids = [c.id for c in getattr(report, name)]
        if ids:
            total = report.total(name)
            st.pills(
                title + (f": the first {len(ids)} of {total:,}" if total > len(ids) else ""),
                [cnode(c) for c in ids],
                format_func=lambda node: md(concept_label(bank, node_id(node))),
                key=f"gap-{n}",
                on_change=on_pick,
                args=(f"gap-{n}",),
            )
