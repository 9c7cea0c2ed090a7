"""The kg explorer: ``streamlit run app.py [-- BANK ...]``.

Opens on the bundled ``data/questions.md``; bank files or folders given after ``--`` (or in the
``KG_BANKS`` environment variable, separated by ``os.pathsep``) and uploaded files can be switched to.
Click a concept or a question in the graph, or search, to see what the bank says about it. Every view
has a URL (``?concept=relu``, ``?question=questions-2``, ``?page=duplicates``), so the browser's back
button and shared links work.

This file stays thin: it caches and lays out what the kg library computes.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import streamlit as st

from kg import render
from kg.accepted import FILENAME as ACCEPTED_FILE
from kg.accepted import accepted_path, add_accepted, read_accepted
from kg.errors import KGError, ParseError
from kg.graph import cnode, qnode, questions_of, related_concepts, related_questions
from kg.model import Mention, Pair, QAItem

SEED = Path(__file__).resolve().parent / "data" / "questions.md"
SUFFIXES = (".md", ".markdown")
GRAPH_KEY = "kg_graph"
GRAPH_HEIGHT = 640
PAGES = {"explore": "Explore", "duplicates": "Duplicates", "concepts": "Concepts"}
# Lists of questions are tertiary buttons: read them like text, from the left.
STYLE = """<style>
.stButton button[kind="tertiary"] { justify-content: flex-start; text-align: left; }
.stButton button[kind="tertiary"] p { text-align: left; }
</style>"""


# ----------------------------------------------------------------------------------------------
# Banks: where they come from, cached by content


@dataclasses.dataclass(frozen=True)
class Source:
    """One bank the app can open: files on disk (``path``) or uploaded (``files``, names and bytes)."""

    key: str
    name: str
    path: str | None = None
    files: tuple[tuple[str, bytes], ...] = ()


def _digest(parts: Sequence[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in parts:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:12]


def _disk_digest(path: Path) -> str:
    """The digest of a bank's files; read again only when a file's size or time changed."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
    stats = tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file())
    known = st.session_state.setdefault("digests", {})
    if stats not in known:
        known[stats] = _digest([(name, Path(name).read_bytes()) for name, _, _ in stats])
    return known[stats]


def _bank_args() -> list[Path]:
    """Banks named after ``--`` on the ``streamlit run app.py`` command line or in ``KG_BANKS``."""
    args = sys.argv[1:] if Path(sys.argv[0]).name == Path(__file__).name else []
    args += [a for a in os.environ.get("KG_BANKS", "").split(os.pathsep) if a]
    return [Path(a) for a in args]


def _sources() -> dict[str, Source]:
    """The bundled seed, banks from the command line, and this session's uploads, by key."""
    if "sources" not in st.session_state:
        found = {"seed": Source("seed", "Seed bank (data/questions.md)", str(SEED))}
        for n, path in enumerate(_bank_args(), start=1):
            if path.exists():
                found[f"bank{n}"] = Source(f"bank{n}", path.name or str(path), str(path))
        st.session_state["sources"] = found
    return st.session_state["sources"]


@st.cache_data(show_spinner=False, max_entries=16)
def _parse(digest: str, path: str | None, files: tuple[tuple[str, bytes], ...]) -> tuple[list[QAItem], list[str]]:
    """Items and error messages of a bank; ``digest`` (of the content) is what keys the cache."""
    from kg.parse import parse_paths, parse_text

    if path is not None:
        items, errors = parse_paths([Path(path)])
        return items, [str(e) for e in errors]
    items, messages = [], []
    seen: set[str] = set()
    for name, data in files:
        try:
            found = parse_text(data.decode("utf-8-sig"), name)
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            messages.append(str(ParseError(f"not UTF-8 text ({e.reason}); save it as UTF-8", name, line)))
            continue
        except KGError as e:
            messages.append(str(e))
            continue
        clash = seen.intersection(i.id for i in found)
        if clash:
            messages.append(f"{name}: left out, its question ids repeat another file's ({sorted(clash)[0]}); rename it")
            continue
        seen.update(i.id for i in found)
        items.extend(found)
    return items, messages


@st.cache_resource(show_spinner="Loading the English language pipeline…")
def _nlp():
    from kg.extract import load_nlp

    return load_nlp()


@st.cache_resource(show_spinner="Loading the sentence-embedding model…")
def _embedder():
    from kg.embed import load_embedder

    return load_embedder()


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(digest: str, name: str, path: str | None, files: tuple[tuple[str, bytes], ...]):
    """The bank (or ``None``) and the parse messages for one content digest.

    A resource, not data: unpickling the Bank of a 1,300-question bank alone takes 2–4 s, which is
    what ``st.cache_data`` would do on every new session. The app only reads a Bank (a frozen
    dataclass whose graph nothing here changes), so one copy serves every session. Parsing, which
    only a first open needs, stays ``st.cache_data``. The progress bar is made in here rather than
    passed in: Streamlit replays the elements of a cached function on a cache hit, and the replay
    of a bar that ends empty shows nothing.
    """
    from kg.pipeline import build_bank
    from kg.vocabulary import Vocabulary, find_vocabulary

    items, messages = _parse(digest, path, files)
    if not items:
        return None, messages
    bar = st.progress(0.0, text=f"Opening {name}…")

    def progress(fraction: float, stage: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"Opening {name}: {stage}…")

    bank = build_bank(
        items,
        _nlp(),
        vocabulary=find_vocabulary([Path(path)]) if path else Vocabulary(),
        embedder=_embedder(),
        progress=progress,
    )
    bar.empty()
    return bank, messages


def _accepted(source: Source) -> tuple[tuple[str, str], ...]:
    """The pairs marked "not a duplicate": the bank's accepted-pairs file, or this session's list."""
    if source.path is not None:
        pairs = read_accepted(accepted_path(source.path))
    else:
        pairs = st.session_state.get("accepted", {}).get(source.key, frozenset())
    return tuple(sorted(tuple(sorted(p)) for p in pairs))


def load_bank(source: Source, slot):
    """The bank of ``source``, its content key and parse messages.

    From this session's memo when nothing changed, else from the cache, else built with a progress
    bar in ``slot``: a placeholder that every run makes at the same
    place, so the elements after it keep their places and the graph is not mounted anew.
    """
    digest = _digest(source.files) if source.path is None else _disk_digest(Path(source.path))
    accepted = _accepted(source)
    key = f"{digest}-{_digest([(repr(accepted), b'')])[:6]}"
    memo = st.session_state.get("bank_memo")
    if memo and memo[0] == key:
        return memo[1], key, memo[2]
    with slot.container():
        bank, messages = _open(digest, source.name, source.path, source.files)
    slot.empty()
    if bank is not None and accepted:
        # Accepted pairs are only left out of the pairs (kg.similar scores every pair on its own),
        # so marking one is a filter here, not a new pass over the whole bank.
        marked = {frozenset(p) for p in accepted}
        bank = dataclasses.replace(bank, pairs=tuple(p for p in bank.pairs if frozenset((p.a, p.b)) not in marked))
    st.session_state["bank_memo"] = (key, bank, messages)
    return bank, key, messages


# ----------------------------------------------------------------------------------------------
# Derived views, cached per bank key


def _per_session(fn: Callable) -> Callable:
    """Keep what a cached function returned for this session's bank, so a rerun does not unpickle it.

    ``st.cache_data`` hands every call a fresh copy; for a big bank that copy costs more than the
    rest of a rerun. The copy kept here belongs to this session alone and is dropped when the bank
    (its key, the first argument) changes.
    """

    @functools.wraps(fn)
    def wrapper(key: str, *args: Any) -> Any:
        store = st.session_state.setdefault("derived", {})
        if store.get("key") != key:
            store.clear()
            store["key"] = key
        name = (fn.__name__, *(a for a in args if a is None or isinstance(a, (str, int, bool))))
        if name not in store:
            store[name] = fn(key, *args)
        return store[name]

    return wrapper


@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def _view_graph(key: str, _bank) -> nx.Graph:
    return render.view_graph(_bank.graph, _bank.pairs)


@st.cache_data(show_spinner="Laying out the graph…", max_entries=8)
def _positions(key: str, _V: nx.Graph) -> dict[str, tuple[float, float]]:
    return render.layout(_V, seed=0)


@_per_session
@st.cache_data(show_spinner=False, max_entries=64)
def _graph_payload(key: str, full: bool, centre: str | None, hops: int, _bank) -> dict[str, Any]:
    """Nodes, edges and options for the component: the whole graph, or a neighbourhood laid out alone."""
    V = _view_graph(key, _bank)
    if full or centre is None:
        data = render.graph_data(V, positions=_positions(key, V), topics=_bank.topics)
    else:
        nodes = render.neighbourhood(V, centre, hops=hops)
        positions = render.layout(V.subgraph(nodes), seed=0)
        data = render.graph_data(V, positions=positions, nodes=nodes, topics=_bank.topics)
    data["options"] = render.network_options(positioned=True)
    return data


@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def _search_index(key: str, _bank) -> list[tuple[str, str]]:
    """(text, node) for every concept label, alias and question."""
    index = []
    for c in _bank.concepts:
        index.extend((text, cnode(c.id)) for text in (c.label, *c.aliases))
    index.extend((i.question_text or i.question, qnode(i.id)) for i in _bank.items)
    return index


@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def _concept_rows(key: str, _bank) -> list[dict[str, Any]]:
    from kg.coverage import central_concepts

    central = {c.id: c.score for c in central_concepts(_bank.graph, n=len(_bank.concepts))}
    asked: dict[str, set[str]] = {}
    for m in _bank.mentions:
        if m.field == "question":
            asked.setdefault(m.concept, set()).add(m.item)
    return [
        {
            "concept": c.label,
            "questions": len(c.questions),
            "asked in": len(asked.get(c.id, ())),
            "topic": _bank.topics.get(c.id, ""),
            "centrality": central.get(c.id, 0.0),
            "aliases": ", ".join(c.aliases),
            "id": c.id,
        }
        for c in _bank.concepts
    ]


@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def _coverage(key: str, _bank):
    from kg.coverage import coverage_report

    return coverage_report(
        _bank.concepts, _bank.mentions, _bank.pairs, _bank.graph, topics=_bank.topics, questions=len(_bank.items)
    )


@_per_session
@st.cache_data(show_spinner=False, max_entries=8)
def _answer_mentions(key: str, _bank) -> dict[tuple[str, str], Mention]:
    """The first mention of each (concept, item) in the answer: the sentence shown under a question."""
    out: dict[tuple[str, str], Mention] = {}
    for m in _bank.mentions:
        if m.field == "answer":
            out.setdefault((m.concept, m.item), m)
    return out


# ----------------------------------------------------------------------------------------------
# Navigation: the URL is the state


def _go(**params: str) -> None:
    """Open a view: set the view's query parameters, keep the bank."""
    bank = st.query_params.get("bank")
    st.query_params.from_dict({**({"bank": bank} if bank else {}), **{k: v for k, v in params.items() if v}})


def _open_node(node: str) -> None:
    kind, key = ("concept" if node.startswith("c:") else "question"), node.split(":", 1)[1]
    _go(**{kind: key})


def _on_graph_click() -> None:
    node = st.session_state[GRAPH_KEY].get("select")
    if isinstance(node, str) and node[:2] in ("c:", "q:"):
        _open_node(node)


def _on_pick(widget: str) -> None:
    """A pills widget whose value is a node id: open it, and unselect the pill for when we come back."""
    node = st.session_state.get(widget)
    if node:
        st.session_state[widget] = None
        _open_node(node)


def _on_nav() -> None:
    page = st.session_state.get("nav") or "explore"
    _go(page="" if page == "explore" else page)


def _on_bank_change() -> None:
    choice = st.session_state["bank_choice"]
    st.query_params.from_dict({} if choice == "seed" else {"bank": choice})


def _on_upload() -> None:
    uploads = st.session_state.get("upload") or []
    if uploads:
        content = tuple(sorted((u.name, u.getvalue()) for u in uploads))
        key = f"up-{_digest(content)}"
        names = ", ".join(n for n, _ in content)
        name = names if len(names) <= 50 else f"{len(content)} uploaded files"
        _sources()[key] = Source(key, name, None, content)
        st.query_params.from_dict({"bank": key})


# ----------------------------------------------------------------------------------------------
# Text helpers

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:])")


def _md(text: str) -> str:
    """Plain text shown as markdown, every markdown character escaped (bank text is data)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _highlight(text: str, spans: Sequence[tuple[int, int]], colour: str = "blue") -> str:
    """``text`` as escaped markdown with the character ranges ``spans`` highlighted."""
    out, pos = [], 0
    for start, end in sorted(set(spans)):
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(_md(text[pos:start]))
        out.append(f":{colour}-background[{_md(text[start:end])}]")
        pos = end
    out.append(_md(text[pos:]))
    return "".join(out)


def _highlight_phrase(text: str, phrase: str, colour: str = "orange") -> str:
    i = text.lower().find(phrase.lower()) if phrase else -1
    return _highlight(text, [(i, i + len(phrase))] if i >= 0 else [], colour)


def _label(bank, concept_id: str) -> str:
    c = bank.concept(concept_id)
    return c.label if c else concept_id


def _qtitle(item: QAItem | None, limit: int = 0) -> str:
    if item is None:
        return "(missing question)"
    text = item.question_text or item.question
    title = f"Q{item.number}. {text}" if item.number is not None else text
    return title if not limit or len(title) <= limit else title[: limit - 1] + "…"


# ----------------------------------------------------------------------------------------------
# Views


def concept_view(bank, key: str, concept_id: str) -> None:
    concept = bank.concept(concept_id)
    if concept is None:
        st.warning(f"No concept “{concept_id}” in this bank.")
        return
    st.subheader(concept.label, anchor=False)
    n = len(concept.questions)
    facts = [f"{n} question" + ("" if n == 1 else "s")]
    if bank.topics.get(concept_id):
        facts.append(f"topic: {bank.topics[concept_id]}")
    if concept.aliases:
        facts.append("also written: " + ", ".join(concept.aliases))
    st.caption(_md(" · ".join(facts)))

    related = related_concepts(bank.graph, concept_id, top=15)
    if related:
        shared = {cnode(r.concept): len(r.shared_questions) for r in related}
        st.pills(
            "Related concepts (questions shared)",
            list(shared),
            format_func=lambda n: f"{_label(bank, n[2:])} · {shared[n]}",
            key=f"related-{concept_id}",
            on_change=_on_pick,
            args=(f"related-{concept_id}",),
        )

    relations = [r for r in bank.relations if concept_id in (r.head, r.tail)]
    if relations:
        with st.expander(f"Relations ({len(relations)})"):
            for r in relations[:30]:
                st.markdown(
                    f"**{_md(_label(bank, r.head))}** *{_md(r.relation.replace('_', ' '))}* "
                    f"**{_md(_label(bank, r.tail))}**  \n{_highlight_phrase(r.sentence, r.verb)}"
                )

    st.markdown(f"**Questions on {_md(concept.label)}**")
    in_answer = _answer_mentions(key, bank)
    for item_id in questions_of(bank.graph, concept_id):
        item = bank.item(item_id)
        if item is None:
            continue
        m = in_answer.get((concept_id, item_id))
        with st.container(border=True):
            st.button(
                _qtitle(item),
                key=f"cq-{concept_id}-{item_id}",
                on_click=_open_node,
                args=(qnode(item_id),),
                type="tertiary",
            )
            if m is not None:
                st.markdown(_highlight_phrase(m.sentence, m.text, "blue"))


def _mention_spans(bank, item_id: str, field: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in bank.mentions if m.item == item_id and m.field == field]


def pair_card(bank, source: Source, item: QAItem, pair: Pair, *, key: str) -> None:
    """Two questions side by side, their matching sentences highlighted, the score split into parts."""
    other_id = pair.b if pair.a == item.id else pair.a
    other = bank.item(other_id)
    if other is None:
        return
    mine = [m.a if pair.a == item.id else m.b for m in pair.matches]
    theirs = [m.b if pair.a == item.id else m.a for m in pair.matches]
    with st.container(border=True):
        meaning = f"{pair.semantic:.2f}" if pair.semantic is not None else "n/a"
        st.markdown(
            f"**{pair.kind.capitalize()}** · score **{pair.score:.2f}** = wording {pair.lexical:.2f} "
            f"+ meaning {meaning} + concepts {pair.concept:.2f}"
        )
        for col, it, sentences in zip(st.columns(2), (item, other), (mine, theirs), strict=True):
            with col:
                st.markdown(f"**{_md(_qtitle(it))}**")
                text = it.answer_text or it.answer
                spans = [(i, i + len(s)) for s in sentences if s and (i := text.find(s)) >= 0]
                st.markdown(_highlight(text, spans, "orange"))
        if pair.shared_concepts:
            st.caption("Shared concepts: " + _md(", ".join(_label(bank, c) for c in pair.shared_concepts)))
        b1, b2 = st.columns(2)
        b1.button(f"Open {_qtitle(other, 40)}", key=f"{key}-open", on_click=_open_node, args=(qnode(other_id),))
        where = accepted_path(source.path) if source.path else "this session's list (see the Duplicates page)"
        b2.button(
            "Not a duplicate",
            key=f"{key}-accept",
            on_click=_accept,
            args=(source, pair.a, pair.b),
            help=f"Records the pair in {where}; the bank itself is not changed.",
        )


def question_view(bank, source: Source, item_id: str) -> None:
    item = bank.item(item_id)
    if item is None:
        st.warning(f"No question “{item_id}” in this bank.")
        return
    number = f"Q{item.number} · " if item.number is not None else ""
    st.caption(_md(f"{number}{Path(item.source).name}, line {item.line}"))
    st.markdown("##### " + _highlight(item.question_text or item.question, _mention_spans(bank, item_id, "question")))
    st.markdown(_highlight(item.answer_text or item.answer, _mention_spans(bank, item_id, "answer")))
    concepts = bank.concepts_of(item_id)
    if concepts:
        st.pills(
            "Concepts",
            [cnode(c) for c in concepts],
            format_func=lambda n: _label(bank, n[2:]),
            key=f"concepts-{item_id}",
            on_change=_on_pick,
            args=(f"concepts-{item_id}",),
        )
    close = [p for p in bank.pairs if item_id in (p.a, p.b) and p.kind in ("duplicate", "overlap")]
    if close:
        st.markdown(f"**Duplicates and overlaps ({len(close)})**")
        for n, pair in enumerate(close):
            pair_card(bank, source, item, pair, key=f"qp-{item_id}-{n}")
    related = related_questions(bank.graph, item_id, top=10)
    if related:
        st.markdown("**Related questions** (shared concepts)")
        for r in related:
            shared = ", ".join(_label(bank, c) for c in r.shared_concepts)
            st.button(
                f"{_qtitle(bank.item(r.item), 90)} — {shared}",
                key=f"rq-{item_id}-{r.item}",
                on_click=_open_node,
                args=(qnode(r.item),),
                type="tertiary",
            )


def overview(bank, source: Source) -> None:
    st.subheader(source.name, anchor=False)
    st.caption(
        f"{len(bank.items)} questions · {len(bank.concepts)} concepts · "
        f"{sum(p.kind == 'duplicate' for p in bank.pairs)} duplicate pairs · "
        f"{sum(p.kind == 'overlap' for p in bank.pairs)} overlaps"
    )
    st.markdown("Click a concept (a dot) or a question (a square) in the graph, or search above.")
    top = sorted(bank.concepts, key=lambda c: (-len(c.questions), c.label))[:15]
    st.pills(
        "Most asked about",
        [cnode(c.id) for c in top],
        format_func=lambda n: f"{_label(bank, n[2:])} · {len(bank.concept(n[2:]).questions)}",
        key="top-concepts",
        on_change=_on_pick,
        args=("top-concepts",),
    )


@st.cache_resource(show_spinner=False)
def _graph_component():
    """The v2 component hosting vis-network: inline, no iframe, so a click reaches Python."""
    return st.components.v2.component(
        "kg_graph",
        html=render.COMPONENT_HTML,
        css=render.component_css(),
        js=render.component_js(),
    )


@st.cache_resource(show_spinner=False)
def _vis_loader():
    """vis-network from the pyvis package, as a component of its own that never changes (sent once)."""
    return st.components.v2.component("kg_vis", js=render.vis_loader_js())


def graph(bank, key: str, selected: str | None) -> None:
    V = _view_graph(key, bank)
    big = V.number_of_nodes() > render.FULL_VIEW_LIMIT
    c1, c2, c3 = st.columns([1, 1, 3], vertical_alignment="center")
    full = c1.toggle("Whole graph", value=not big, key="full_graph")
    hops = c2.segmented_control(
        "Hops",
        (1, 2),
        default=2,
        key="hops",
        disabled=full,
        label_visibility="collapsed",
        format_func=lambda h: f"{h} hop" + ("s" if h > 1 else ""),
    )
    with c3:
        _vis_loader()(key="kg_vis", height=0)
    centre = selected if selected in V else None
    if big and centre is None and not full:
        top = max(bank.concepts, key=lambda c: (len(c.questions), c.label), default=None)
        centre = cnode(top.id) if top else None
    if centre and not full:
        c3.caption(f"Neighbourhood of “{_md(V.nodes[centre].get('label', centre))}”, {hops or 2} hops")
    data = dict(_graph_payload(key, full, None if full else centre, hops or 2, bank))
    # In the whole graph, zoom to the selection's neighbours and fade the rest; a neighbourhood view
    # already is that, and is shown whole.
    data.update(
        selected=selected,
        focus=render.neighbourhood(V, centre, hops=1) if centre and full else [],
        height=GRAPH_HEIGHT,
    )
    _graph_component()(key=GRAPH_KEY, data=data, on_select_change=_on_graph_click, height=GRAPH_HEIGHT + 4)


def explore(bank, source: Source, key: str) -> None:
    concept = st.query_params.get("concept")
    question = st.query_params.get("question")
    selected = cnode(concept) if concept else qnode(question) if question else None
    left, right = st.columns([3, 2], gap="medium")
    # The panel first: after a click it is what the reader waits for, and the browser draws it
    # before it takes on the graph's update.
    with right, st.container(height=GRAPH_HEIGHT + 50, border=False):
        if concept:
            concept_view(bank, key, concept)
        elif question:
            question_view(bank, source, question)
        else:
            overview(bank, source)
    with left:
        graph(bank, key, selected)


def duplicates_page(bank, source: Source) -> None:
    if not bank.pairs:
        st.info("No duplicate, overlapping or related pairs in this bank.")
        return
    c1, c2 = st.columns(2)
    kinds = c1.multiselect("Kind", ["duplicate", "overlap", "related"], ["duplicate", "overlap"], key="dup_kinds")
    floor = c2.slider("Lowest score", 0.0, 1.0, 0.0, 0.05, key="dup_min")
    pairs = [p for p in bank.pairs if p.kind in kinds and p.score >= floor]
    from kg.similar import group_duplicates

    groups = group_duplicates(pairs)
    if groups:
        with st.expander(f"Duplicate groups ({len(groups)})"):
            for g in groups:
                st.markdown("- " + " · ".join(_md(_qtitle(bank.item(i), 80)) for i in g))
    rows = [
        {
            "kind": p.kind,
            "score": p.score,
            "wording": p.lexical,
            "meaning": p.semantic,
            "concepts": p.concept,
            "question a": _qtitle(bank.item(p.a)),
            "question b": _qtitle(bank.item(p.b)),
            "shared": ", ".join(_label(bank, c) for c in p.shared_concepts),
        }
        for p in pairs
    ]
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
    d1, d2, d3 = st.columns(3)
    d1.download_button("Download CSV", _pairs_csv(bank, pairs), f"{source.key}-pairs.csv", "text/csv", key="dl_csv")
    d2.download_button(
        "Download JSON",
        json.dumps([p.to_dict() for p in pairs], indent=1),
        f"{source.key}-pairs.json",
        "application/json",
        key="dl_json",
    )
    if source.path is None and _accepted(source):
        d3.download_button(
            f"Download {ACCEPTED_FILE}", _accepted_toml(_accepted(source)), ACCEPTED_FILE, key="dl_accepted"
        )
    chosen = event.selection.rows if event is not None else []
    if chosen and chosen[0] < len(pairs):
        pair = pairs[chosen[0]]
        item = bank.item(pair.a)
        if item is not None:
            pair_card(bank, source, item, pair, key=f"dp-{pair.a}-{pair.b}")


def _pairs_csv(bank, pairs: Sequence[Pair]) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["a", "b", "kind", "score", "wording", "meaning", "concepts", "question_a", "question_b", "shared"])
    for p in pairs:
        a, b = bank.item(p.a), bank.item(p.b)
        w.writerow(
            [
                p.a,
                p.b,
                p.kind,
                p.score,
                p.lexical,
                "" if p.semantic is None else p.semantic,
                p.concept,
                a.question_text if a else "",
                b.question_text if b else "",
                "; ".join(p.shared_concepts),
            ]
        )
    return out.getvalue()


def _accepted_toml(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f"[[pair]]\na = {json.dumps(a)}\nb = {json.dumps(b)}\n\n" for a, b in pairs)


def _accept(source: Source, a: str, b: str) -> None:
    """"Not a duplicate": append the pair to the bank's accepted-pairs file (never to the bank)."""
    if source.path is not None:
        try:
            add_accepted(accepted_path(source.path), a, b, note="marked in the kg app")
        except (OSError, KGError) as e:
            st.session_state["flash"] = f"Could not record the pair: {e}"
            return
    else:
        store = st.session_state.setdefault("accepted", {})
        store[source.key] = store.get(source.key, frozenset()) | {frozenset((a, b))}
    st.session_state["flash"] = f"Recorded {a} and {b} as not duplicates."


def concepts_page(bank, key: str) -> None:
    rows = _concept_rows(key, bank)
    query = st.text_input("Filter concepts", key="concept_filter", placeholder="part of a concept or alias")
    if query.strip():
        from rapidfuzz import fuzz

        q = query.strip().lower()
        rows = [r for r in rows if fuzz.partial_ratio(q, f"{r['concept']} {r['aliases']}".lower()) >= 80]
    st.caption(f"{len(rows)} concepts. Sort by a column header; select a row to open the concept.")
    event = st.dataframe(
        rows,
        key="concept_table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_order=["concept", "questions", "asked in", "topic", "centrality", "aliases"],
    )
    chosen = event.selection.rows if event is not None else []
    if chosen and chosen[0] < len(rows):
        _go(concept=rows[chosen[0]]["id"])
        st.rerun()
    coverage_gaps(bank, key)


def coverage_gaps(bank, key: str) -> None:
    report = _coverage(key, bank)
    st.markdown(f"**Coverage** — {report.asked} of {report.concepts} concepts are asked about in a question.")
    lists = [
        ("Only in answers (candidates for new questions)", [c.id for c in report.answer_only]),
        ("Asked in one question only", [c.id for c in report.single_question]),
        ("Asked again and again (in several duplicate or overlapping pairs)", [c.id for c in report.over_served]),
    ]
    for n, (title, ids) in enumerate(lists):
        if ids:
            st.pills(
                title,
                [cnode(c) for c in ids],
                format_func=lambda node: _label(bank, node[2:]),
                key=f"gap-{n}",
                on_change=_on_pick,
                args=(f"gap-{n}",),
            )


def search_results(bank, key: str, query: str) -> None:
    from rapidfuzz import fuzz, process

    index = _search_index(key, bank)
    hits = process.extract(query, [t for t, _ in index], scorer=fuzz.WRatio, limit=30, score_cutoff=70)
    nodes = list(dict.fromkeys(index[i][1] for _, _, i in hits))[:10]
    if not nodes:
        st.caption(f"Nothing matches “{_md(query)}”.")
        return
    st.pills(
        "Search results",
        nodes,
        format_func=lambda n: ("● " + _label(bank, n[2:])) if n[0] == "c" else ("▪ " + _qtitle(bank.item(n[2:]), 60)),
        key="search_hits",
        on_change=_on_pick,
        args=("search_hits",),
    )


def toolbar(bank, source: Source, key: str) -> None:
    sources = _sources()
    nav, search, choose, upload = st.columns([2.2, 3, 2.6, 1.2], vertical_alignment="bottom")
    st.session_state["nav"] = st.query_params.get("page", "explore")
    nav.segmented_control(
        "Page", list(PAGES), format_func=PAGES.get, key="nav", on_change=_on_nav, label_visibility="collapsed"
    )
    query = search.text_input(
        "Search", key="search", placeholder="Search concepts and questions", label_visibility="collapsed"
    )
    st.session_state["bank_choice"] = source.key
    choose.selectbox(
        "Bank",
        list(sources),
        format_func=lambda k: sources[k].name,
        key="bank_choice",
        on_change=_on_bank_change,
        label_visibility="collapsed",
    )
    with upload.popover("Upload", width="stretch"):
        st.file_uploader(
            "Markdown banks (one or several files)",
            type=["md", "markdown"],
            accept_multiple_files=True,
            key="upload",
            on_change=_on_upload,
        )
    if bank is not None and query.strip():
        search_results(bank, key, query.strip())


def main() -> None:
    st.set_page_config(page_title="kg · question bank explorer", page_icon="🕸️", layout="wide")
    st.html(STYLE)
    slot = st.empty()  # first, so that it is always the same element (see load_bank)
    sources = _sources()
    source = sources.get(st.query_params.get("bank", "seed"))
    if source is None:
        st.warning("That bank is not open in this session (uploads are per session); showing the seed bank.")
        source = sources["seed"]
    try:
        bank, key, messages = load_bank(source, slot)
    except KGError as e:
        st.error(str(e))
        return
    toolbar(bank, source, key)
    if flash := st.session_state.pop("flash", None):
        st.toast(flash)
    for message in messages:
        st.warning(message)
    if bank is None or not bank.items:
        st.info("This bank holds no questions.")
        return
    page = st.query_params.get("page", "explore")
    if page == "duplicates":
        duplicates_page(bank, source)
    elif page == "concepts":
        concepts_page(bank, key)
    else:
        explore(bank, source, key)


main()
