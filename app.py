"""The kg explorer: ``streamlit run app.py [-- BANK ...]``.

Opens on the first bank file or folder given after ``--`` (or in the ``KG_BANKS`` environment
variable, separated by ``os.pathsep``), else on the bundled ``data/questions.md``; every one of them,
the seed and uploaded files can be switched to. Uploads are kept on the server (see ``kg.uploads``),
so ``?bank=up-<digest>`` opens one in any session. A store written by ``kg store`` (``bank.sqlite``)
opens as a bank that is read a query at a time (``ui.storeload``).
Click a concept or a question in the graph, or search, to see what the bank says about it. Every view
has a URL (``?concept=relu``, ``?question=questions-2``, ``?page=duplicates``), so the browser's back
button and shared links work.

This file is the entry point and the router; the pages live in ``ui/pages/``, one module each.
"""

from __future__ import annotations

import streamlit as st

from kg import render
from kg.errors import KGError
from kg.store.schema import StoreError
from ui.access import access
from ui.banks import all_sources, default_key, find_source, load_bank
from ui.pages import concepts, duplicates, explore
from ui.widgets import md, page_policy, toolbar

# The ?page= value of each page; the first is the default.
PAGES = {"explore": explore, "duplicates": duplicates, "concepts": concepts}
# Lists of questions are tertiary buttons: read them like text, from the left. The page starts at the
# toolbar, not under an empty band.
STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; }
.stButton button[kind="tertiary"] { justify-content: flex-start; text-align: left; }
.stButton button[kind="tertiary"] p { text-align: left; }
.st-key-kg_policy, .st-key-kg_search, [class*="st-key-search_for-"] { display: none; }
/* a column holding a short control is never narrower than it: in a narrow window the search box beside the
   page switch covered "Concepts", "3 hops" read "3 h" and "Pairs decided different" "Pairs decide…" */
[data-testid="stColumn"]:has(> div > :is(.st-key-nav, [class*="st-key-hops-"], .st-key-dup_aside)) {
  min-width: max-content;
}
/* highlighted words: a narrow pad, so that the punctuation after one does not stand apart ("problem ,") */
.stMarkdownColoredBackground { padding-left: 0.1em !important; padding-right: 0.1em !important; }
</style>"""


# More messages on a bank's files than this are folded into one expander, so that the bank still opens in view
MESSAGES_SHOWN = 3


def show_messages(messages: list[str]) -> None:
    """What reading the bank's files said (files left out, files in another language): each a warning, or,
    when there are many, folded under one line that counts them."""
    if len(messages) <= MESSAGES_SHOWN:
        for message in messages:
            st.warning(md(message))
        return
    with st.expander(f"⚠️ {len(messages)} notes on this bank's files"):
        for message in messages:
            st.warning(md(message))


def main() -> None:
    st.set_page_config(page_title="kg · question bank explorer", layout="wide")  # its icon: render.APP_ICON
    st.html(STYLE)
    # sent before a bank is loaded
    page_policy()(key="kg_policy", data={"policy": render.APP_CSP, "icon": render.APP_ICON}, height=0)
    slot = st.empty()  # before anything that varies, so that it is always the same element (see load_bank)
    asked = st.query_params.get("bank", default_key())
    source = find_source(asked)
    # Damaged stored uploads are named on every page until their folders are deleted.
    notes = list(st.session_state.get("store_warnings", []))
    if source is None:
        notes.append(f"No bank “{asked}” here (an upload opens on the server that took it); showing the seed bank.")
        source = all_sources()["seed"]
    if problem := st.session_state.get("upload_errors", {}).get(source.key):
        notes.append(f"This upload is open for this session only: {problem}")
    titles = {name: page.TITLE for name, page in PAGES.items()}
    try:
        bank, key, messages = load_bank(source, slot)
    except KGError as e:
        toolbar(None, source, "", titles)  # so that another bank can still be chosen
        for note in notes:
            st.warning(md(note))
        st.error(md(str(e)))
        return
    try:
        toolbar(bank, source, key, titles)
        if flash := st.session_state.pop("flash", None):
            st.toast(md(flash))
        for note in notes:
            st.warning(md(note))
        show_messages(messages)
        if bank is None or not access(bank, key).questions():
            st.info("This bank holds no questions.")
            return
        page = PAGES.get(st.query_params.get("page", ""), explore)
        page.show(bank, source, key)
    except StoreError as e:  # a damaged part of a store, met by the query that reads it
        st.error(md(str(e)))


main()
