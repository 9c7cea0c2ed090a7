"""The Explore page: the graph on the left; a concept, a question, or the bank's overview on the right."""

from __future__ import annotations

import json
import re
from pathlib import Path

import streamlit as st

from kg import render
from kg.graph import RELATED_TOP
from kg.model import DUPLICATE, OVERLAP, cnode, is_concept_node, node_id, qnode
from kg.parse.plaintext import display_short
from kg.relations import confident
from kg.text import quantity, slug
from kg.views import (
    as_written,
    concept_label,
    highlighted_outside_math,
    node_title,
    question_line,
    question_parts,
    question_title,
    relation_phrase,
    shown_spans,
    where,
)
from ui.access import access
from ui.banks import Source, set_aside_pairs
from ui.state import (
    GRAPH_KEY,
    MOST_QUESTIONS,
    decide,
    explore_setting,
    on_explore_change,
    on_graph_click,
    on_pick,
    open_node,
    remember_explore_view,
    setting_widgets,
)
from ui.widgets import GRAPH_HEIGHT, graph_component, md, pair_card, vis_loader, written_sentence

TITLE = "Explore"


PAGE = 10  # questions listed at a time in a concept's panel
FOCUS_FLOOR = 0.1  # how far a big whole graph may zoom out to show a selection's neighbours (its fit: about 0.08)


def concept_view(bank, key: str, concept_id: str) -> None:
    concept = bank.concept(concept_id)
    if concept is None:
        st.warning(f"No concept “{md(concept_id)}” in this bank.")
        return
    st.subheader(md(concept.label), anchor=False)
    n = len(concept.questions)
    facts = [quantity(n, "question")]
    if topic := bank.topic(concept_id):
        facts.append(f"topic: {topic}")
    if concept.generic:
        facts.append("generic: an everyday word the answers use in passing")
    if concept.aliases:
        facts.append("also written: " + ", ".join(concept.aliases))
    st.caption(md(" · ".join(facts)))

    related = bank.related_concepts(concept_id, RELATED_TOP)
    if explore_setting(key, "hide_generic", False):  # as the graph leaves them out of the concept's first hop
        related = [r for r in related if not getattr(bank.concept(r.concept), "generic", False)]
    if related:
        shared = {cnode(r.concept): len(r.shared_questions) for r in related}
        st.pills(
            "Related concepts (questions shared)",
            # the most related chosen, shown by the count each pill reads (ties as related_concepts ranks them)
            sorted(shared, key=lambda n: -shared[n]),
            format_func=lambda n: f"{md(concept_label(bank, node_id(n)))} · {shared[n]}",
            key=f"related-{concept_id}",
            on_change=on_pick,
            args=(f"related-{concept_id}",),
        )

    stated = bank.relations_of(concept_id)
    relations = confident(stated, everything=bool(explore_setting(key, "uncertain", False)))
    if len(relations) < len(stated):
        less = len(stated) - len(relations)
        st.caption(f"{quantity(less, 'less certain relation')} hidden (Filters: show less certain relations)")
    if relations:
        with st.expander(f"Relations ({len(relations)})"):
            for r in relations[:30]:
                said = written_sentence(bank, r.sentence, r.verb, r.questions)
                st.markdown(
                    f"**{md(concept_label(bank, r.head))}** *{md(relation_phrase(r.relation))}* "
                    f"**{md(concept_label(bank, r.tail))}**  \n{said}"
                )

    st.markdown(f"**Questions on {md(concept.label)}**")
    asked = bank.questions_of(concept_id)
    # A page at a time: a hub concept's few hundred questions, each a few elements, would be built
    # again on every run, and under concurrent sessions that is what the server spends its time on.
    # The panel shows two or three question cards under the concept's facts; ten run to about twice
    # its height, and each card is three elements the browser draws anew on every click.
    shown = st.session_state.get(f"shown-{concept_id}", PAGE)
    in_answer = bank.answer_mentions(concept_id, asked[:shown])
    for item_id in asked[:shown]:
        item = bank.item(item_id)
        if item is None:
            continue
        m = in_answer.get(item_id)
        with st.container(border=True):
            st.button(
                md(question_title(item)),
                key=f"cq-{concept_id}-{item_id}",
                on_click=open_node,
                args=(qnode(item_id),),
                type="tertiary",
            )
            if m is not None:  # where the answer names it, told apart from the question in small grey type
                st.caption("In the answer: " + written_sentence(bank, m.sentence, m.text, [item_id], "blue"))
    if len(asked) > shown:
        st.button(
            f"Show {min(PAGE, len(asked) - shown)} more ({shown} of {len(asked)} shown)",
            key=f"more-{concept_id}",
            on_click=show_more,
            args=(f"shown-{concept_id}", shown + PAGE),
        )


def show_more(state_key: str, count: int) -> None:
    st.session_state[state_key] = count


def question_view(bank, source: Source, item_id: str) -> None:
    item = bank.item(item_id)
    if item is None:
        st.warning(f"No question “{md(item_id)}” in this bank.")
        return
    number = f"Q{item.number} · " if item.number is not None else ""
    st.caption(md(f"{number}{Path(item.source).name}, line {item.line}"))
    # The lead as a heading (tags as text; the mentions were found in the NLP text), then the rest of
    # the question (its code, tables, figures and parts) and the answer as written.
    lead, rest = question_parts(item.question)
    shown = display_short(lead) or question_line(item)
    spans = shown_spans(item.question_text, shown, bank.mention_spans(item_id, "question"))
    st.markdown("##### " + highlighted_outside_math(shown, spans, "blue"))  # formulas typeset
    if rest:
        with st.container(border=True):
            st.markdown(as_written(rest))
    st.markdown(as_written(item.answer or item.answer_text))  # formulas, code, lists and tables as written
    concepts = bank.concepts_of(item_id)
    if concepts:
        st.pills(
            "Concepts",
            [cnode(c) for c in concepts],
            format_func=lambda n: md(concept_label(bank, node_id(n))),
            key=f"concepts-{item_id}",
            on_change=on_pick,
            args=(f"concepts-{item_id}",),
        )
    close = bank.close_pairs(item_id)
    if close:
        st.markdown(f"**Duplicates and overlaps ({len(close)})**")
        for n, pair in enumerate(close):
            pair_card(bank, source, item, pair, key=f"qp-{item_id}-{n}")
    aside = [p for p in set_aside_pairs() if item_id in (p.a, p.b)]
    if aside:
        st.caption(f"Decided different ({len(aside)}): left out of the pairs")
        for n, pair in enumerate(aside):
            other = pair.b if pair.a == item_id else pair.a
            name, undo = st.columns([5, 1], vertical_alignment="center")
            name.button(
                md(question_title(bank.item(other), 90)),
                key=f"qa-{item_id}-{n}-open",
                on_click=open_node,
                args=(qnode(other),),
                type="tertiary",
            )
            names = (where(bank.item(pair.a)), where(bank.item(pair.b)))  # as the verdict's message named them
            undo.button(
                "Undo", key=f"qa-{item_id}-{n}-undo", on_click=decide, args=(source, pair.a, pair.b, None, names)
            )
    related = bank.related_questions(item_id, 10)
    if related:
        st.markdown("**Related questions** (shared concepts)")
        for r in related:
            shared = ", ".join(concept_label(bank, c) for c in r.shared_concepts)
            st.button(
                md(f"{question_title(bank.item(r.item), 90)} — {shared}"),
                key=f"rq-{item_id}-{r.item}",
                on_click=open_node,
                args=(qnode(r.item),),
                type="tertiary",
            )


def overview(bank, source: Source, key: str) -> None:
    st.subheader(md(source.name), anchor=False)
    questions, concepts, counts = bank.counts()
    st.caption(
        f"{quantity(questions, 'question')} · {quantity(concepts, 'concept')} · "
        f"{quantity(counts[DUPLICATE], 'duplicate pair')} · {quantity(counts[OVERLAP], 'overlap')}"
    )
    st.markdown("Click a concept (a dot) or a question (a square) in the graph, or search above.")
    # generic concepts after the specific ones, and not at all while the filter hides them
    hide = explore_setting(key, "hide_generic", False)
    top = bank.top_concepts(15, generic=not hide)
    titles = {cnode(c.id): f"{md(c.label)} · {len(c.questions)}" for c in top}
    st.pills(
        "In most questions",
        list(titles),
        format_func=lambda n: titles[n],
        key="top-concepts",
        on_change=on_pick,
        args=("top-concepts",),
    )


def controls(key: str, big: bool, whole: bool = True) -> tuple[bool, int, bool, int, bool, bool]:
    """The graph's switches, one set per bank: whole graph (off and disabled without ``whole``), depth,
    question nodes, rarest concept shown, generic concepts shown, less certain relations shown."""
    widget = setting_widgets(key)  # each control's key; new ones after Back, which take the URL's values
    c1, c2, c3 = st.columns([1.1, 1.6, 1], vertical_alignment="center")
    # A newly opened bank starts on its own defaults, not the last bank's choices.
    full = c1.toggle(
        "Whole graph",
        value=bool(explore_setting(key, "full_graph", not big)) and whole,
        key=widget("full_graph"),
        disabled=not whole,
        on_change=on_explore_change,
        args=(key, "full_graph", widget("full_graph")),
    )
    hops = c2.segmented_control(
        "Depth",
        (1, 2, 3),
        default=explore_setting(key, "hops", render.DEFAULT_HOPS),
        key=widget("hops"),
        disabled=full,
        label_visibility="collapsed",
        format_func=lambda h: f"{h} hop" + ("s" if h > 1 else ""),
        on_change=on_explore_change,
        args=(key, "hops", widget("hops")),
        help="How far from the selection the graph reaches",
    )
    questions = bool(explore_setting(key, "questions", True))
    least = int(explore_setting(key, "min_questions", 1))
    generic = not explore_setting(key, "hide_generic", False)
    uncertain = bool(explore_setting(key, "uncertain", False))
    hidden = (not questions) + (least > 1) + (not generic) + uncertain
    with c3.popover("Filters" + (f" ({hidden})" if hidden else ""), width="stretch"):
        questions = _setting_toggle(
            key, "questions", widget("questions"), "Question nodes", questions,
            "Without them, a concept is linked to its related concepts",
        )  # fmt: skip
        least = st.number_input(
            "Concepts in at least … questions",
            min_value=1,
            max_value=MOST_QUESTIONS,
            value=least,
            step=1,
            key=widget("min_questions"),
            on_change=on_explore_change,
            args=(key, "min_questions", widget("min_questions")),
        )
        generic = not _setting_toggle(
            key,
            "hide_generic",
            widget("hide_generic"),
            "Hide generic concepts",
            not generic,
            "Everyday words the bank's answers use in passing in many questions (drawn small and grey)",
        )
        uncertain = _setting_toggle(
            key,
            "uncertain",
            widget("uncertain"),
            "Show less certain relations",
            uncertain,
            "Relations read from the answers that are less likely right; hidden by default",
        )
    return full, int(hops or render.DEFAULT_HOPS), questions, int(least), generic, uncertain


def _setting_toggle(key: str, name: str, widget: str, label: str, value: bool, help: str) -> bool:
    """A switch in the Filters popover (widget key ``widget``) that keeps its Explore setting ``name`` for the
    bank ``key``."""
    return st.toggle(
        label, value=value, key=widget, on_change=on_explore_change, args=(key, name, widget), help=help
    )


def graph(bank, key: str, selected: str | None) -> None:
    # The view graph has the bank graph's nodes: what only asks about nodes does not build it.
    big = not bank.drawn_whole()
    apart = bank.note("whole graph")  # a store draws neighbourhoods only
    full, hops, questions, least, generic, uncertain = controls(key, big, whole=apart is None)
    vis_loader()(key="kg_vis", height=0)
    centre = selected if selected is not None and bank.has_node(selected) else None
    chosen = centre is not None
    if centre is None and not full:  # a neighbourhood, as the switch says (a big bank: not a ball of thousands)
        centre = bank.opening()
    data = dict(bank.graph_payload((full, None if full else centre, hops, questions, least, uncertain, generic)))
    if centre and not full:
        label = md(node_title(bank, centre, 90))
        why = "" if chosen else ", the concept in most questions"
        # a view keeps the nodes nearest its centre: past the limit, more hops reach further but no wider
        drawn = len(data["nodes"])
        cut = f", cut to the {drawn} nodes nearest it" if drawn >= render.NEIGHBOURHOOD_LIMIT else ""
        st.caption(f"Neighbourhood of “{label}”{why}, {quantity(hops, 'hop')}{cut}" + (f". {apart}" if apart else ""))
    few = f"in fewer than {least:,} questions" if least > 1 else ""
    hidden = [w for w in (few, "" if generic else "generic") if w]
    if not any(is_concept_node(n["id"]) for n in data["nodes"]):
        # the filters left no concept: say which, rather than draw an empty frame or questions alone
        st.info("No concept to draw" + (f": the Filters hide every concept {' or '.join(hidden)}." if hidden else "."))
        if not data["nodes"]:
            return
    elif centre and not full and [n["id"] for n in data["nodes"]] == [centre] and (hidden or not questions):
        # the selection alone, drawn as big as the frame: say that the filters hid the rest
        parts = [f"concepts {few}" if few else "", "" if generic else "generic concepts"]
        parts = [p for p in (*parts, "" if questions else "questions") if p]
        said = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        st.info(f"The Filters hide every neighbour of “{label}”: {said}.")
    # In the whole graph, zoom to the selection's neighbours and fade the rest; a neighbourhood view
    # already is that, and is shown whole.
    focus = (
        bank.focus(centre, uncertain, questions=questions, min_questions=least, generic=generic)
        if centre and full
        else []
    )
    # A neighbourhood is centred on its selection and may be zoomed out further than the whole graph
    # is around one: it is small enough that its concepts' labels still read. A big whole graph labels
    # the selection's neighbours large enough to read at any zoom (and veils the rest), so it is zoomed
    # out as far as shows them all: at 0.5, 11 of dropout's 36 were in view on ajitsingh98.
    # A neighbourhood the app chose is marked and centred on its centre, as a chosen one is on the selection
    # A big view's labels are drawn large enough to read at any zoom, so it may zoom out as far as shows its
    # nodes whole; at 900 px a big bank's opening neighbourhood lost 8 of its 150 nodes to a floor of 0.3.
    marked = selected if chosen or full else centre
    ranked = bool(data.get("labelsAtFit"))
    floor = FOCUS_FLOOR if ranked else 0.5 if full else 0.3
    data.update(selected=marked, focus=focus, height=GRAPH_HEIGHT, minScale=floor)
    if focus and ranked:  # a big view labels its hubs only: the selection's neighbours too
        data["focusLabels"] = render.focus_labels(data["nodes"], focus)
    # As JSON text: Streamlit checks each value of a component's data for a table, and a list made it
    # import pandas and pyarrow, most of a second on a fresh server's first view.
    graph_component()(
        key=GRAPH_KEY, data={"graph": json.dumps(data)}, on_select_change=on_graph_click, height=GRAPH_HEIGHT + 4
    )
    concepts = [node_id(n["id"]) for n in data["nodes"] if is_concept_node(n["id"])]
    legend(bank, key, None if full or not centre else concepts)


def legend(bank, key: str, shown: list[str] | None) -> None:
    """The topics' colours under the graph, largest first; in a neighbourhood, only the topics drawn.

    Under the graph rather than above it: the graph stays where it was, and the legend is read
    after it.
    """
    topics = bank.topics()
    if not topics:
        return
    entries, _ = render.legend(bank.topic_summaries(), topics, shown=shown)
    if entries:
        st.html(render.legend_html(entries))


def show(bank, source: Source, key: str) -> None:
    panel_and_graph(bank, source, key)


def concept_named(bank, asked: str) -> str:
    """The id of the concept ``asked`` names: its id, or its label or an alias written any way ("CORS",
    "ReLU", "Long short-term memory"); ``asked`` itself when no concept has that name."""
    if bank.concept(asked) is not None:
        return asked
    if bank.concept(guess := slug(asked)) is not None:
        return guess
    folded = asked.casefold()
    for node in bank.search(asked, 5):
        c = bank.concept(node_id(node)) if is_concept_node(node) else None
        if c is not None and folded in {c.label.casefold(), *(a.casefold() for a in c.aliases)}:
            return c.id
    return asked


@st.fragment
def panel_and_graph(bank, source: Source, key: str) -> None:
    """The panel and the graph, as a fragment: a click in either reruns them alone, not the toolbar,
    so the server builds and the browser draws only what a click changes."""
    if "flash" in st.session_state:
        # A verdict was given (ui.state.decide): the bank's pairs change, so the whole page runs again.
        st.rerun()
    bank = access(bank, key)  # what the panels and the graph ask of it, in memory or in a store
    concept = st.query_params.get("concept")
    if concept and (named := concept_named(bank, concept)) != concept:
        concept = st.query_params["concept"] = named  # a link may name it as written: ?concept=CORS
    question = st.query_params.get("question")
    selected = cnode(concept) if concept else qnode(question) if question else None
    remember_explore_view(**({"concept": concept} if concept else {"question": question} if question else {}))
    left, right = st.columns([3, 2], gap="medium")
    # The panel first: after a click it is what the reader waits for, and the browser draws it
    # before it takes on the graph's update.
    # Keyed by what it shows: another node's panel is a new element, so it opens at its top rather
    # than where the last one was scrolled to.
    panel = re.sub(r"[^\w-]", "-", f"panel-{selected or 'overview'}")
    with right, st.container(height=GRAPH_HEIGHT + 50, border=False, key=panel):
        if concept:
            concept_view(bank, key, concept)
        elif question:
            question_view(bank, source, question)
        else:
            overview(bank, source, key)
    with left:
        graph(bank, key, selected)
