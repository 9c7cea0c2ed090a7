"""The Duplicates page of a bank read from a store: the pairs of one kind, a page at a time.

Each page is a range of the store's pairs of that kind (:meth:`kg.store.Store.pairs`), never the whole
list; a selected row opens the pair card with its verdict buttons, as for a bank in memory.
"""

from __future__ import annotations

import streamlit as st

from kg.model import CLOSE_KINDS, PAIR_KINDS
from kg.views import pairs_csv
from ui.banks import Source
from ui.pages.duplicates import _step, pair_table
from ui.widgets import pair_card

PAGE = 50  # pairs a page


def _turn(state: str, offset: int) -> None:
    st.session_state[state] = max(offset, 0)
    st.session_state["dup_pair"] = None


def show_pages(data, source: Source, key: str, stem: str) -> None:
    """The store's pairs of the chosen kind, :data:`PAGE` at a time, and the card of the selected one."""
    _, _, counts = data.counts()
    if not any(counts.values()):
        st.info("No duplicate, overlapping or related pairs in this bank.")
        return
    if note := data.note("verdicts"):
        st.caption(note)
    first = next((k for k in CLOSE_KINDS if counts[k]), PAIR_KINDS[0])
    c1, c2, c3, c4 = st.columns([3, 1, 1, 2], vertical_alignment="bottom")
    kind = c1.segmented_control(
        "Kind", list(PAIR_KINDS), default=first, key="dup_kind_page",
        format_func=lambda k: f"{k} ({counts[k]:,})",
    ) or first  # fmt: skip
    total = counts[kind]
    state = f"dup_offset-{kind}"
    offset = min(st.session_state.get(state, 0), max(total - 1, 0) // PAGE * PAGE)
    c2.button("Previous page", key="dup_page_prev", disabled=offset == 0, on_click=_turn, args=(state, offset - PAGE))
    c3.button("Next page", key="dup_page_next", disabled=offset + PAGE >= total, on_click=_turn,
              args=(state, offset + PAGE))  # fmt: skip
    pairs = data.pairs(kind, offset, PAGE)
    c4.caption(f"{kind} pairs {offset + 1:,}–{offset + len(pairs):,} of {total:,}, best first")
    pair_table(data, pairs, f"dup_table-{key}-{kind}-{offset}")
    st.download_button("Download this page as CSV", pairs_csv(data, pairs), f"{stem}-{kind}-{offset + 1}.csv",
                       "text/csv", key="dl_csv_page")  # fmt: skip
    back, forward, hint = st.columns([1, 1, 4], vertical_alignment="center")
    back.button("Previous pair", key="dup_prev", shortcut="K", on_click=_step, args=(-1,), disabled=not pairs)
    forward.button("Next pair", key="dup_next", shortcut="J", on_click=_step, args=(1,), disabled=not pairs)
    hint.caption("J and K: next and previous pair of this page.")
    chosen = st.session_state.get("dup_pair")
    pair = next((p for p in pairs if chosen and frozenset((p.a, p.b)) == frozenset(chosen)), None)
    if pair is not None:
        item = data.item(pair.a)
        if item is not None:
            pair_card(data, source, item, pair, key=f"dp-{pair.a}-{pair.b}")


__all__ = ["PAGE", "show_pages"]
