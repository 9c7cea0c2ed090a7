"""The Duplicates page of a bank read from a store: what the page shows for a bank in memory, a page
of pairs at a time.

The kinds, the lowest score, the pairs decided different, the groups of duplicates and the downloads
are those of ``ui/pages/duplicates.py``; the pairs they leave are a :class:`kg.store.pairlist.PairList`,
whose pages, counts and groups are queries of the store, and whose CSV and JSON are written from
the store a chunk at a time when a download is asked for, never on a rerun.
"""

from __future__ import annotations

import streamlit as st

from kg.model import PAIR_KINDS
from ui.banks import Source
from ui.pages.duplicates import (
    none_listed,
    pair_downloads,
    pair_filters,
    pair_table,
    select_hint,
    show_groups,
    steps_and_card,
)

PAGE = 50  # pairs a page
GROUPS_SHOWN = 200  # a 100,000-question bank has thousands: a page of them, not thousands of elements


def _turn(offset: int) -> None:
    state = st.session_state.get("dup_page")
    if state is not None:
        st.session_state["dup_page"] = (state[0], max(offset, 0))
    st.session_state["dup_pair"] = st.session_state["dup_around"] = None


def show_pages(data, source: Source, key: str, stem: str) -> None:
    """The store's pairs as the filters choose them, :data:`PAGE` at a time, and the card of the
    selected one."""
    everything = data.pair_list(PAIR_KINDS, 0.0, True)
    if not len(everything):
        st.info("No duplicate, overlapping or related pairs in this bank.")
        return
    if note := data.note("verdicts"):
        st.caption(note)
    aside = everything.aside()
    kinds, floor, with_aside = pair_filters(len(aside), lambda f: data.pair_list(PAIR_KINDS, f, False).counts())
    listing = data.pair_list(kinds, floor, with_aside)
    show_groups(data.duplicate_groups(listing), key, GROUPS_SHOWN)
    total = len(listing)
    if not total:  # an empty table, steps and downloads would say nothing of why
        st.info(none_listed(data.pair_list(PAIR_KINDS, floor, False).counts(), listing.kinds, floor))
        return
    # the page follows the filters: other kinds, another floor or the aside pairs start it again
    chosen = (key, tuple(listing.kinds), floor, with_aside)
    state = st.session_state.get("dup_page")
    offset = state[1] if state is not None and state[0] == chosen else 0
    offset = min(offset, max(total - 1, 0) // PAGE * PAGE)
    st.session_state["dup_page"] = (chosen, offset)
    pairs = listing.page(offset, PAGE)
    c1, c2, c3 = st.columns([4, 1, 1], vertical_alignment="center")
    above = f" scored {floor:.2f} or more" if floor > 0 else ""
    shown = f"pairs {offset + 1:,}–{offset + len(pairs):,} of {total:,}{above}, best first" if pairs else "no pairs"
    c1.caption(f"{shown.capitalize()}. {select_hint(len(pairs))}")
    c2.button("Previous page", key="dup_page_prev", disabled=offset == 0, on_click=_turn, args=(offset - PAGE,))
    c3.button("Next page", key="dup_page_next", disabled=offset + PAGE >= total, on_click=_turn,
              args=(offset + PAGE,))  # fmt: skip
    pair_table(data, pairs, f"dup_table-{key}-{'-'.join(listing.kinds)}-{floor}-{with_aside:d}-{offset}-{total}")
    # callables: written when the button is clicked (the whole list, from the store), not on every rerun
    steps_and_card(data, source, pairs, listing.marked(aside), "J and K: next and previous pair of this page.")
    pair_downloads(listing.csv_bytes, listing.json_bytes, stem)


__all__ = ["GROUPS_SHOWN", "PAGE", "show_pages"]
