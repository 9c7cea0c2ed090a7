"""The Duplicates page: every pair of a kind and score, groups of duplicates, a side-by-side card, downloads."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import streamlit as st

from kg.accepted import FILENAME as ACCEPTED_FILE
from kg.accepted import pairs_toml
from kg.extract.keys import slug
from kg.model import CLOSE_KINDS, PAIR_KINDS
from kg.similar import group_duplicates
from kg.views import pair_rows, pairs_csv, question_title
from ui.banks import Source, accepted_pairs
from ui.widgets import md, pair_card

TITLE = "Duplicates"


def decisions_download(source: Source, stem: str) -> None:
    """The bank's decisions ("not a duplicate") as a file to download, once there are any.

    The decisions file itself (notes and all) when it holds them all, else the pairs written afresh.
    """
    pairs = accepted_pairs(source)
    if not pairs:
        return
    toml = None
    if source.decisions is not None and not st.session_state.get("accepted", {}).get(source.key):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            toml = source.decisions.read_text(encoding="utf-8")
    where = f"kept in {source.decisions}" if source.decisions and toml else "kept for this session only"
    st.download_button(
        f"Download {ACCEPTED_FILE} ({len(pairs)} not duplicate{'s' if len(pairs) != 1 else ''})",
        toml or pairs_toml(pairs),
        f"{stem}-{ACCEPTED_FILE}",
        "application/toml",
        key="dl_accepted",
        help=md(f"The pairs marked “not a duplicate” on this bank, {where}."),
    )


def show(bank, source: Source, key: str) -> None:
    """Pairs by kind and lowest score; a selected row opens the two questions side by side."""
    # Named after the bank: its file or folder, or the uploaded files' names without their suffix.
    stem = slug(Path(source.path).stem if source.path else re.sub(r"\.(md|markdown)\b", "", source.name)) or "bank"
    decisions_download(source, stem)
    if not bank.pairs:
        st.info("No duplicate, overlapping or related pairs in this bank.")
        return
    c1, c2 = st.columns(2)
    kinds = c1.multiselect("Kind", list(PAIR_KINDS), list(CLOSE_KINDS), key="dup_kinds")
    floor = c2.slider("Lowest score", 0.0, 1.0, 0.0, 0.05, key="dup_min")
    pairs = [p for p in bank.pairs if p.kind in kinds and p.score >= floor]
    groups = group_duplicates(pairs)
    if groups:
        with st.expander(f"Duplicate groups ({len(groups)})"):
            for g in groups:
                st.markdown("- " + " · ".join(md(question_title(bank.item(i), 80)) for i in g))
    rows = pair_rows(bank, pairs)
    st.caption(f"{len(pairs)} pairs. Select a row to compare the two side by side.")
    event = st.dataframe(
        rows,
        key="dup_table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_config={
            "score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=1.0, format="%.2f"),
            **{c: st.column_config.NumberColumn(c, format="%.2f") for c in ("wording", "meaning", "concepts")},
        },
    )
    d1, d2 = st.columns(2)
    d1.download_button("Download CSV", pairs_csv(bank, pairs), f"{stem}-pairs.csv", "text/csv", key="dl_csv")
    d2.download_button(
        "Download JSON",
        json.dumps([p.to_dict() for p in pairs], indent=1),
        f"{stem}-pairs.json",
        "application/json",
        key="dl_json",
    )
    chosen = event.selection.rows if event is not None else []
    if chosen and chosen[0] < len(pairs):
        pair = pairs[chosen[0]]
        item = bank.item(pair.a)
        if item is not None:
            pair_card(bank, source, item, pair, key=f"dp-{pair.a}-{pair.b}")
