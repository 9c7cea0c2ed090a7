"""The Duplicates page: every pair of a kind and score, groups of duplicates, a side-by-side card, downloads."""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

import streamlit as st

from kg.decisions import FILENAME as DECISIONS_FILE
from kg.decisions import decisions_toml, verdict_counts
from kg.model import CLOSE_KINDS, PAIR_KINDS, Pair, qnode
from kg.store.pairlist import GROUP_TITLE
from kg.text import quantity
from kg.views import group_title, kind_counts, pair_rows, pairs_csv
from ui.access import access
from ui.banks import Source, decisions, session_verdicts, set_aside_pairs
from ui.state import on_pick, page_url_moved, page_url_noted
from ui.widgets import md, pair_card

TITLE = "Duplicates"


def decisions_download(source: Source, stem: str) -> None:
    """The bank's decisions (the curator's verdicts) as a file to download, once there are any.

    The decisions file itself (notes and all) when it holds them all, else the verdicts written afresh.
    """
    decided = decisions(source)
    if not decided:
        return
    toml = None
    if source.decisions is not None and not session_verdicts(source):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            toml = source.decisions.read_text(encoding="utf-8")
    where = f"kept in {source.decisions}" if source.decisions and toml else "kept for this session only"
    counts = ", ".join(f"{n} {verdict}" for verdict, n in verdict_counts(decided).items() if n)
    st.download_button(
        f"Download {DECISIONS_FILE} ({counts})",
        toml or decisions_toml(decided.values()),
        f"{stem}-{DECISIONS_FILE}",
        "application/toml",
        key="dl_accepted",
        help=md(f"The verdicts given on this bank's pairs, {where}."),
    )


# The page's state in the URL, so that a reload or a link opens it as it was left: the kinds listed, the
# lowest score and the pair open (its two ids).
KINDS, SCORE, PAIR = "kinds", "score", "pair"


def url_kinds(text: str | None) -> list[str]:
    """The kinds the URL lists (``kinds=duplicate,overlap``), in the page's order; the close kinds when it
    lists none the page knows.

    >>> url_kinds("related,duplicate"), url_kinds("bogus"), url_kinds(None)
    (['duplicate', 'related'], ['duplicate', 'overlap'], ['duplicate', 'overlap'])
    """
    asked = set((text or "").split(","))
    return [k for k in PAIR_KINDS if k in asked] or list(CLOSE_KINDS)


def url_score(text: str | None) -> float:
    """The lowest score the URL gives (``score=0.5``), on the slider's steps of 0.05; 0 when it gives none.

    >>> url_score("0.5"), url_score("0.52"), url_score("2"), url_score("x"), url_score(None)
    (0.5, 0.5, 0.0, 0.0, 0.0)
    """
    try:
        value = float(text or 0)
    except ValueError:
        return 0.0
    return round(round(value / 0.05) * 0.05, 2) if 0.0 <= value <= 1.0 else 0.0


def _keep_filters() -> None:
    """The kinds and the lowest score just chosen, in the URL."""
    kinds, floor = ",".join(st.session_state.get("dup_kinds") or []), st.session_state.get("dup_min", 0.0)
    st.query_params.update({KINDS: kinds, SCORE: f"{floor:g}"})  # at once: one step of the browser's history
    page_url_noted("duplicates")


def _open(shown: list, at: int | None) -> None:
    """Open the pair at row ``at`` of the list ``shown`` (none for ``None``), and remember the pairs
    before and after it there: a verdict moves the pair it is given to among its new kind, and J and K
    go on from where the curator was reading, not from that new place. The URL names the pair open."""
    if at is None:
        st.session_state["dup_pair"] = st.session_state["dup_around"] = None
        st.query_params.pop(PAIR, None)
    else:
        st.session_state["dup_pair"] = shown[at]
        before, after = shown[at - 1] if at > 0 else None, shown[at + 1] if at + 1 < len(shown) else None
        st.session_state["dup_around"] = (before, after)
        st.query_params[PAIR] = ",".join(shown[at])
    page_url_noted("duplicates")


def _on_select(table: str) -> None:
    """Remember the selected pair by its ids, not its row: a verdict can move or drop its row."""
    state = st.session_state.get(table)
    rows = state.selection.rows if state is not None else []
    shown = st.session_state.get("dup_shown", [])
    _open(shown, rows[0] if rows and rows[0] < len(shown) else None)


def _step(by: int) -> None:
    """Open the next (``by=1``) or previous (``-1``) pair of the list shown; the first when none is open.

    The pairs before and after the open one are those it had when it was opened (see :func:`_open`),
    while they are still listed, whether a verdict moved the open one or took it off the list. The table
    ticks the row opened (:func:`pair_table`)."""
    shown = st.session_state.get("dup_shown", [])
    if not shown:
        return
    current = st.session_state.get("dup_pair")
    around = st.session_state.get("dup_around") or (None, None)
    then = around[0 if by < 0 else 1]
    if current is not None and then in shown:
        at = shown.index(then)
    else:
        at = min(max((shown.index(current) if current in shown else -1) + by, 0), len(shown) - 1)
    _open(shown, at)


EVIDENCE_COLUMNS = ("wording", "meaning", "concepts")
# What a curator reads first, the verdict included, fits a window 1,400 px wide; the evidence follows. The two
# questions come side by side before where they are: at 900 px, "where a" left "question b" five letters.
READ_FIRST = ("kind", "score", "question a", "question b", "where a", "where b", "verdict")
TABLE_COLUMNS = (*READ_FIRST, *EVIDENCE_COLUMNS, "shared")
COLUMN_CONFIG = {
    "kind": st.column_config.TextColumn("kind", width=80),
    "score": st.column_config.ProgressColumn("score", min_value=0.0, max_value=1.0, format="%.2f", width=90),
    "question a": st.column_config.TextColumn("question a", width=260),
    "question b": st.column_config.TextColumn("question b", width=260),
    "where a": st.column_config.TextColumn("where a", width=180),
    "where b": st.column_config.TextColumn("where b", width=180),
    "verdict": st.column_config.TextColumn("verdict", width=80),
    **{c: st.column_config.NumberColumn(c, format="%.2f", width=80) for c in EVIDENCE_COLUMNS},
}


# Seven rows and the header (35 px each): the card of the row selected opens below the table, in view.
# A list up to two rows longer is shown whole: a scroll for one or two rows hides them for little room.
TABLE_ROWS = 7
WHOLE_UP_TO = TABLE_ROWS + 2


def table_rows(rows: int) -> int:
    """How many rows the table's frame shows at a time.

    >>> table_rows(3), table_rows(9), table_rows(10)
    (3, 9, 7)
    """
    return rows if rows <= WHOLE_UP_TO else TABLE_ROWS


def select_hint(rows: int) -> str:
    """How to open a pair's card, and, for a table taller than its frame, that the rest is a scroll away.

    >>> select_hint(10).split(". ")[-1]
    'The table shows 7 rows at a time: scroll it for the rest.'
    >>> "scroll" in select_hint(9)
    False
    """
    hint = "Select a row to compare the two side by side and give your verdict: tick the box at its left."
    shown = table_rows(rows)
    return f"{hint} The table shows {shown} rows at a time: scroll it for the rest." if rows > shown else hint


def none_listed(counts: Mapping[str, int], kinds: Collection[str], floor: float) -> str:
    """What to say when the filters list no pair: which kinds they leave out, and how many pairs of each
    (``counts``: the pairs of each kind scored ``floor`` or more).

    >>> none_listed({"duplicate": 0, "overlap": 0, "related": 41}, ["duplicate", "overlap"], 0.0)
    'No duplicate or overlap pairs. 41 related pairs are left out by the Kind filter: add related to see them.'
    >>> none_listed({"duplicate": 0, "overlap": 0, "related": 0}, ["duplicate"], 0.5)
    'No duplicate pairs scored 0.50 or more. Lower the lowest score to see more.'
    """
    if not kinds:
        return "No kind is chosen: choose one or more under Kind."
    above = f" scored {floor:.2f} or more" if floor > 0 else ""
    said = f"No {' or '.join(kinds)} pairs{above}."
    others = [(k, n) for k, n in counts.items() if n and k not in kinds]
    if others:
        out = " and ".join(quantity(n, f"{k} pair") for k, n in others)
        verb, them = ("is", "it") if sum(n for _, n in others) == 1 else ("are", "them")
        add = " and ".join(k for k, _ in others)
        return f"{said} {out} {verb} left out by the Kind filter: add {add} to see {them}."
    return f"{said} Lower the lowest score to see more." if floor > 0 else said


def pair_table(data, pairs: list[Pair], table: str) -> None:
    """The pairs as a table whose selected row opens the pair's card (see :func:`_on_select`); ``data``
    names their questions (a bank in memory or a store)."""
    rows = pair_rows(data, pairs)
    for row, p in zip(rows, pairs, strict=True):
        row["verdict"] = p.verdict or ""
    shown = st.session_state["dup_shown"] = [(p.a, p.b) for p in pairs]
    st.session_state["dup_table"] = table
    if "dup_pair" not in st.session_state:  # a new session: the pair the URL names, when it is listed
        named = tuple(st.query_params.get(PAIR, "").split(","))
        _open(shown, shown.index(named) if named in shown else None)
    # The open pair's row is ticked, wherever it is now: the selection is the table's state, which can be set
    # before the table is drawn. Streamlit would keep the row ticked last after a step (J, K), and none after
    # a verdict, whose new rows reset it.
    opened = st.session_state.get("dup_pair")
    if opened in shown:
        st.session_state[table] = {"selection": {"rows": [shown.index(opened)], "columns": [], "cells": []}}
    st.dataframe(
        rows,
        key=table,
        on_select=functools.partial(_on_select, table),
        selection_mode="single-row",
        hide_index=True,
        column_order=TABLE_COLUMNS,
        column_config=COLUMN_CONFIG,
        height=(max(table_rows(len(rows)), 1) + 1) * 35 + 3,  # the header and the rows, 35 px each
    )


def listed(
    pairs: Sequence[Pair], aside: Sequence[Pair], kinds: Collection[str], floor: float, with_aside: bool
) -> list[Pair]:
    """The pairs of ``kinds`` scored at least ``floor``, in the bank's order; then, ``with_aside``, those
    decided different at or above it.

    Examples
    --------
    >>> P = lambda a, s, kind: Pair(a, "q", s, kind)
    >>> [p.a for p in listed([P("x", 0.9, "duplicate"), P("y", 0.4, "overlap")], [P("z", 0.8, "overlap")],
    ...                      ["duplicate", "overlap"], 0.5, True)]
    ['x', 'z']
    """
    out = [p for p in pairs if p.kind in kinds and p.score >= floor]
    if with_aside:
        out += [p for p in aside if p.score >= floor]
    return out


def pairs_json(pairs: Sequence[Pair]) -> str:
    """The pairs as the JSON download holds them (a store writes the same a chunk at a time)."""
    return json.dumps([p.to_dict() for p in pairs], indent=1)


def pair_filters(aside: int, counts_at: Callable[[float], Mapping[str, int]] | None = None) -> tuple[list, float, bool]:
    """The kinds, the lowest score and whether the ``aside`` pairs decided different are listed too;
    with ``counts_at`` (the pairs of each kind at a floor), the count of each kind at the floor chosen
    is shown under the choice."""
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    # A new session (a reload, a link) starts from the URL's choice, and so does Back or Forward, which
    # moves the URL and not the widgets; otherwise the widgets keep the session's own.
    if page_url_moved("duplicates"):
        for widget in ("dup_kinds", "dup_min"):
            st.session_state.pop(widget, None)
        st.session_state.pop("dup_pair", None)  # the pair table opens the URL's
    if "dup_min" not in st.session_state:
        st.session_state["dup_min"] = url_score(st.query_params.get(SCORE))
    if "dup_kinds" not in st.session_state:
        st.session_state["dup_kinds"] = url_kinds(st.query_params.get(KINDS))
    floor = c2.slider("Lowest score", 0.0, 1.0, step=0.05, key="dup_min", on_change=_keep_filters)
    # The counts go beside the choice, not into its labels: Streamlit keeps a multiselect's choice by
    # label, so a kind whose count changed with the floor was dropped from it.
    kinds = c1.multiselect("Kind", list(PAIR_KINDS), key="dup_kinds", on_change=_keep_filters)
    if counts_at:
        counts = counts_at(floor)
        above = f" scored {floor:.2f} or more" if floor else ""
        c1.caption(" · ".join(f"{k} {counts[k]:,}" for k in PAIR_KINDS) + above)
    if not aside:  # the last one undone: the box goes off with its list, not ticked and greyed out
        st.session_state["dup_aside"] = False
    with_aside = c3.checkbox(
        f"Pairs decided different ({aside})",
        key="dup_aside",
        disabled=not aside,
        help="List the pairs a curator called different too: they are left out of everything else.",
    )
    return kinds, floor, with_aside


def show_groups(groups: Sequence[Sequence[tuple[str, str]]], key: str, shown: int | None = None) -> None:
    """Groups of duplicates in an expander, the first ``shown``: each a row of its questions' titles (an id
    with its title a question), and a click on one opens that question with its duplicates."""
    if not groups:
        return
    with st.expander(f"Duplicate groups ({len(groups)})"):
        st.caption("Click a question to open it with its duplicates.")
        titles = {qnode(i): title for group in groups[:shown] for i, title in group}  # a question is in one group
        for n, group in enumerate(groups[:shown]):
            widget = f"dup_group-{key}-{n}"
            st.pills(
                f"Group {n + 1}",
                [qnode(i) for i, _ in group],
                format_func=lambda node: md(titles[node]),
                key=widget,
                on_change=on_pick,
                args=(widget,),
                label_visibility="collapsed",
            )
        if shown is not None and len(groups) > shown:
            st.caption(f"The first {shown:,} of {len(groups):,} groups: a higher lowest score leaves fewer.")


def _chosen(pairs: list[Pair], aside: Sequence[Pair]) -> Pair | None:
    """The pair whose card is shown: the one selected, as the verdicts now type it (or set aside)."""
    ids = st.session_state.get("dup_pair")
    if not ids:
        return None
    key = frozenset(ids)
    return next((p for p in (*pairs, *aside) if frozenset((p.a, p.b)) == key), None)


def pair_downloads(csv: bytes | str | Callable[[], bytes], json_: bytes | str | Callable[[], bytes], stem: str) -> None:
    """The CSV and JSON of the pairs listed; a callable is written when its button is clicked."""
    with st.container(horizontal=True):  # side by side, each as wide as its label
        st.download_button("Download CSV", csv, f"{stem}-pairs.csv", "text/csv", key="dl_csv")
        st.download_button("Download JSON", json_, f"{stem}-pairs.json", "application/json", key="dl_json")


def steps_and_card(data, source: Source, pairs: list[Pair], aside: Sequence[Pair], hint: str) -> None:
    """Previous and next pair (K, J) through ``pairs``, and the card of the pair selected."""
    row = st.container(horizontal=True, vertical_alignment="center")  # each button as wide as its label
    back, forward, note = row.empty(), row.empty(), row.empty()
    back.button("Previous pair", key="dup_prev", shortcut="K", on_click=_step, args=(-1,), disabled=not pairs)
    forward.button("Next pair", key="dup_next", shortcut="J", on_click=_step, args=(1,), disabled=not pairs)
    pair = _chosen(pairs, aside)
    shown = st.session_state.get("dup_shown", [])
    opened = (pair.a, pair.b) if pair is not None else None
    # which row of the table is open: ticked after a step, but the table cannot scroll to it
    if opened in shown:
        hint = f"Pair {shown.index(opened) + 1:,} of {len(shown):,} open. {hint}"
    elif opened is not None:
        hint = f"The pair open is off the list (decided different). {hint}"
    elif st.session_state.get("dup_pair"):  # opened, then filtered out: say so, and where it went
        hint = f"The pair opened is not of the kinds and scores chosen: widen them to see it again. {hint}"
    note.caption(hint)
    if pair is not None:
        item = data.item(pair.a)
        if item is not None:
            pair_card(data, source, item, pair, key=f"dp-{pair.a}-{pair.b}", open_both=True)


def show(bank, source: Source, key: str) -> None:
    """Pairs by kind and lowest score; a selected row opens the two questions side by side."""
    data = access(bank, key)
    if data.paged:  # a store: its pairs a page at a time, and no stage imported (spaCy takes seconds)
        from ui.storepairs import show_pages

        stem = re.sub(r"[^\w-]+", "-", Path(source.path or "bank").stem).strip("-") or "bank"
        decisions_download(source, stem)
        show_pages(data, source, key, stem)
        return
    # Imported when the page is shown: the app imports every page to start, and these import the stages
    # (spaCy, scikit-learn), which opening a stored bank on the Explore page does not need.
    from kg.similar import group_duplicates
    from kg.text import slug

    # Named after the bank: its file or folder, or the uploaded files' names without their suffix.
    stem = slug(Path(source.path).stem if source.path else re.sub(r"\.(md|markdown)\b", "", source.name)) or "bank"
    decisions_download(source, stem)
    aside = set_aside_pairs()
    if not bank.pairs and not aside:
        st.info("No duplicate, overlapping or related pairs in this bank.")
        return
    def counts_at(floor: float) -> dict[str, int]:
        return {k: n for k, n in kind_counts(p for p in bank.pairs if p.score >= floor).items()}

    kinds, floor, with_aside = pair_filters(len(aside), counts_at)  # each kind's count shown under the choice
    pairs = listed(bank.pairs, aside, kinds, floor, with_aside)
    groups = group_duplicates([p for p in pairs if p.verdict != "different"])
    show_groups([[(i, group_title(bank.item(i), GROUP_TITLE)) for i in g] for g in groups], key)
    if not pairs:  # an empty table, steps and downloads would say nothing of why
        st.info(none_listed(counts_at(floor), kinds, floor))
        return
    st.caption(f"{quantity(len(pairs), 'pair')}. {select_hint(len(pairs))}")
    # A new table (no row selected) once the rows change: the card follows the pair, not a row number.
    pair_table(bank, pairs, f"dup_table-{key}-{len(pairs)}")
    steps_and_card(bank, source, pairs, aside, "J and K: next and previous pair, in the table's order.")
    pair_downloads(pairs_csv(bank, pairs), pairs_json(pairs), stem)
