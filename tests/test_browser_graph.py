"""The graph component's script (``kg/webcomponent/graph.js``) in headless Chromium, on its own: no
Streamlit, so that what happens between two frames can be set up exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.render import focus_labels, graph_data, layout
from kg.render.page import component_js, vis_network_js
from kg.render.visdata import network_options
from tests.test_browser import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

SIZE = 200  # concepts, and as many questions
PAGE = '<!doctype html><html><body><div id="parent"><div class="kg-graph"></div></div></body></html>'


def _big_view() -> dict:
    """A view with more nodes than are all labelled, so that the script ranks labels and reveals them
    frame by frame as the view is drawn."""
    G = nx.Graph()
    for c in range(SIZE):
        G.add_node(f"c:k{c}", kind="concept", label=f"concept {c}", questions=2, aliases="")
    for q in range(SIZE):
        G.add_node(f"q:q{q}", kind="question", label=f"Question {q}?", number=q + 1)
        G.add_edge(f"c:k{q}", f"q:q{q}", kind="mentions", in_question=True)
        G.add_edge(f"c:k{(q * 7 + 3) % SIZE}", f"q:q{q}", kind="mentions", in_question=False)
    data = graph_data(G, positions=layout(G))
    assert data.get("labelsAtFit"), "the view must be big enough to rank its labels"
    data.update(selected=None, focus=[], height=500, minScale=0.5)
    return data


def _drawn(page, data: dict):
    """Draw ``data`` with graph.js on a blank page; returns once the first draw has happened."""
    page.set_content(PAGE)
    page.add_script_tag(content=vis_network_js())
    page.add_script_tag(type="module", content=component_js() + "\nglobalThis.kgGraph = kgGraph;\n")
    page.wait_for_function("typeof globalThis.kgGraph === 'function'")
    page.evaluate(
        """(sent) => {
            const parentElement = document.getElementById("parent");
            globalThis.kgCleanup = kgGraph({ parentElement, setTriggerValue: () => {}, data: { graph: sent } });
        }""",
        json.dumps(data),
    )
    page.wait_for_function("document.querySelector('.kg-graph').dataset.kgReady !== undefined")


@contextmanager
def _graph_page(data: dict, errors: list[str] | None = None) -> Iterator[Any]:
    """A page of headless Chromium with ``data`` drawn by graph.js (:func:`_drawn`); page errors go to ``errors``."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            if errors is not None:
                page.on("pageerror", lambda e: errors.append(str(e)))
            _drawn(page, data)
            yield page
        finally:
            browser.close()


def _redraw(page, data: dict) -> None:
    """Hand graph.js new data, as Streamlit does on a rerun whose data changed."""
    page.evaluate(
        """(sent) => { kgGraph({ parentElement: document.getElementById("parent"), setTriggerValue: () => {},
                                 data: { graph: sent } }); }""",
        json.dumps(data),
    )


# the label of each node of a list of ids, as graph.js last set it
LABELS = "(ids) => ids.map((id) => document.querySelector('.kg-graph').__kg.nodes.get(id).label)"


def test_graph_labels_every_node_in_focus_whatever_its_rank() -> None:
    """In a big view only the hubs are labelled when seen whole; zoomed to a selection's neighbours,
    each of them is labelled, the lowest ranked too, while nodes out of focus of the same rank are not."""
    data = _big_view()
    ranked = sorted((n for n in data["nodes"] if "rank" in n), key=lambda n: n["rank"])
    # three of the lowest ranks, far apart, so that the view zoomed to them is about the whole graph
    last = ranked[-40:]
    low = list(dict.fromkeys(min(last, key=key)["id"] for key in (
        lambda n: n["x"], lambda n: -n["x"], lambda n: n["y"], lambda n: -n["y"])))
    data.update(selected=low[0], focus=low, minScale=0.1)  # no closer than the fit of the three
    with _graph_page(data) as page:
        page.wait_for_timeout(500)  # the labels are revealed a frame after the draw
        labels = page.evaluate(LABELS, [n["id"] for n in ranked])
    by_id = dict(zip([n["id"] for n in ranked], labels, strict=True))
    assert all(by_id[i] for i in low), [by_id[i] for i in low]
    rest = [n["id"] for n in last if n["id"] not in low]
    assert not any(by_id[i] for i in rest), "out of focus, the lowest ranks stay unlabelled"


def test_graph_labels_nodes_in_focus_that_the_view_sent_unlabelled_and_unlabels_them_after() -> None:
    """A big view sends labels for its ranked hubs only; the nodes of a selection's neighbourhood it sent
    without one are labelled from ``focusLabels`` while in focus, and unlabelled once the focus moves."""
    data = _big_view()
    bare = [n for n in data["nodes"] if not n.get("label") and "rank" not in n]
    assert len(bare) >= 4, "the view must send some nodes without a label"
    first, second = [bare[0]["id"], bare[1]["id"]], [bare[2]["id"], bare[3]["id"]]
    data.update(selected=first[0], focus=first, focusLabels=focus_labels(data["nodes"], first), minScale=0.1)
    moved = dict(data, selected=second[0], focus=second, focusLabels=focus_labels(data["nodes"], second))
    with _graph_page(data) as page:
        page.wait_for_timeout(500)
        before = page.evaluate(LABELS, first + second)
        _redraw(page, moved)
        page.wait_for_timeout(500)
        after = page.evaluate(LABELS, first + second)
    expected = focus_labels(data["nodes"], first + second)
    assert before == [expected[first[0]], expected[first[1]], "", ""], before
    assert after == ["", "", expected[second[0]], expected[second[1]]], after


def test_graph_removed_between_a_draw_and_the_next_frame_raises_no_error() -> None:
    """Streamlit may unmount the graph (the reader clicked through to another page) after a draw has
    asked for the next frame: that frame must find the network gone and do nothing, not throw."""
    errors: list[str] = []
    with _graph_page(_big_view(), errors) as page:
        gone = page.evaluate(
            """async () => {
                const host = document.querySelector(".kg-graph");
                const frames = (n) => new Promise((done) => {
                    const step = (k) => (k === 0 ? done() : requestAnimationFrame(() => step(k - 1)));
                    step(n);
                });
                host.__kg.network.redraw();  // a draw, whose labels are revealed on the next frame
                host.remove();
                globalThis.kgCleanup();
                await frames(3);
                return host.__kg === undefined;
            }"""
        )
    assert gone, "the cleanup of a removed graph destroys its network"
    assert not errors, errors


def _colour_at(page, node_ids: list[str]) -> list[list[int]]:
    """The canvas pixel (RGB) at the centre of each node, as drawn."""
    return page.evaluate(
        """(ids) => {
            const host = document.querySelector(".kg-graph");
            const { network } = host.__kg;
            const canvas = host.querySelector("canvas");
            const ratio = canvas.width / canvas.clientWidth;
            const ctx = canvas.getContext("2d");
            return ids.map((id) => {
                const p = network.canvasToDOM(network.getPosition(id));
                const pixel = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1);
                return Array.from(pixel.data.slice(0, 3));
            });
        }""",
        node_ids,
    )


def _huge_view() -> dict:
    """A view of 2,200 nodes: over graph.js's DIM_LIMIT, where a veil stands in for fading."""
    G = nx.Graph()
    size = 1100
    for q in range(size):
        G.add_node(f"q:q{q}", kind="question", label=f"Question {q}?", number=q + 1)
        G.add_node(f"c:k{q}", kind="concept", label=f"concept {q}", questions=2, aliases="")
        G.add_edge(f"c:k{q}", f"q:q{q}", kind="mentions", in_question=True)
        G.add_edge(f"c:k{(q + 1) % size}", f"q:q{q}", kind="mentions", in_question=False)
    data = graph_data(G, positions=layout(G, iterations=20))
    assert len(data["nodes"]) > 2000
    return data


@pytest.mark.parametrize("view", [_big_view, _huge_view], ids=["faded", "veiled"])
def test_graph_pointer_on_a_lit_node_finds_it_not_an_unlit_node_drawn_on_the_same_spot(view) -> None:
    """A lit node is drawn over the faded or veiled ones, and the pointer finds what it sees: on a spot where
    an unlit node lies too, hover and click go to the lit one (they went to the unlit one drawn later)."""
    data = view()
    data["options"] = network_options(positioned=True)  # as the app draws a laid-out view: nothing moves
    at = next(n for n in data["nodes"] if n["id"] == "c:k0")
    last = data["nodes"][-1]  # drawn last in the data's order: on top, unless lit ones are raised
    assert last["id"] not in ("c:k0", "q:q0")
    last.update(x=at["x"], y=at["y"])
    data.update(selected="c:k0", focus=["c:k0", "q:q0"], minScale=0.1)
    with _graph_page(data) as page:
        page.wait_for_timeout(600)  # the labels revealed after the draw update the nodes once more
        found = page.evaluate(
            """() => {
                const { network } = document.querySelector(".kg-graph").__kg;
                return network.getNodeAt(network.canvasToDOM(network.getPosition("c:k0")));
            }"""
        )
    assert found == "c:k0", found


def test_graph_too_big_to_fade_veils_what_is_not_lit_and_lifts_the_veil_when_the_focus_goes() -> None:
    """Above the node count where fading each node costs too much, a selection's neighbourhood still
    stands out: the nodes out of focus are drawn under a white veil, those in focus as bright as before,
    and with no focus the veil is gone."""
    data = _huge_view()
    focus = ["q:q0", "c:k0", "c:k1"]
    focused = dict(data, selected="q:q0", focus=focus, height=500, minScale=0.1)
    plain = dict(data, selected=None, focus=[], height=500, minScale=0.1)
    camera = "() => { const n = document.querySelector('.kg-graph').__kg.network; " \
             "return { position: n.getViewPosition(), scale: n.getScale() }; }"
    with _graph_page(focused) as page:
        page.wait_for_timeout(600)
        # a concept out of focus seen in the view zoomed to the focus, well inside the canvas
        out = page.evaluate(
            """(focus) => {
                const { network, nodes } = document.querySelector(".kg-graph").__kg;
                return nodes.getIds().find((id) => {
                    const p = network.canvasToDOM(network.getPosition(id));
                    return id.startsWith("c:") && !focus.includes(id) && p.x > 50 && p.x < 950 && p.y > 50 && p.y < 450;
                });
            }""",
            focus,
        )
        assert out, "the view zoomed to the focus shows a concept out of it"
        veiled = _colour_at(page, ["c:k0", out])
        view = page.evaluate(camera)
        _redraw(page, plain)
        page.wait_for_timeout(600)
        # the same camera as the focused view, so that the two nodes are drawn as large as they were
        page.evaluate("(v) => document.querySelector('.kg-graph').__kg.network.moveTo(v)", view)
        page.wait_for_timeout(300)
        bare = _colour_at(page, ["c:k0", out])
    # a concept is drawn in its blue (#1f77b4, red 31); under the veil its red is near white
    assert veiled[0][0] < 60, f"a concept in focus is drawn bright: {veiled[0]}"
    assert veiled[1][0] > 150, f"a concept out of focus is veiled: {veiled[1]}"
    assert bare[1][0] < 60, f"with no focus nothing is veiled: {bare[1]}"


def test_graph_label_of_a_node_in_focus_keeps_its_size_at_a_zoom_it_came_back_to() -> None:
    """A node in focus that the view sent unlabelled is labelled large enough to read at the zoom; zoomed out
    and back in, its label is as large as before, not enlarged again from the size it last had; once out
    of focus it has the size it was sent with."""
    data = _big_view()
    bare = [n for n in data["nodes"] if not n.get("label") and "rank" not in n]
    first = [bare[0]["id"], bare[1]["id"]]
    # the one watched is selected: a question in focus but not selected is labelled only where there is room
    data.update(selected=first[1], focus=first, focusLabels=focus_labels(data["nodes"], first), minScale=0.1)
    cleared = dict(data, selected=None, focus=[], focusLabels={})
    size = "(id) => document.querySelector('.kg-graph').__kg.nodes.get(id).font.size"
    zoom = """async (scale) => {
        const { network } = document.querySelector(".kg-graph").__kg;
        network.moveTo({ scale });
        await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    }"""
    with _graph_page(data) as page:
        page.wait_for_timeout(300)
        sizes = []
        for scale in (0.3, 0.2, 0.12, 0.3, 0.12, 0.3):
            page.evaluate(zoom, scale)
            page.wait_for_timeout(100)
            sizes.append(page.evaluate(size, first[1]))
        _redraw(page, cleared)
        page.wait_for_timeout(500)
        after = page.evaluate(size, first[1])
    at_03 = sizes[0::3] + [sizes[5]]
    assert len(set(at_03)) == 1, f"sizes at scale 0.3 after zooming out and back: {sizes}"
    assert sizes[2] == sizes[4] and sizes[2] > sizes[0], sizes
    assert after == bare[1]["font"]["size"], f"out of focus, the label size as sent: {after}"


def test_graph_hovering_the_selected_node_keeps_its_whole_neighbourhood_lit() -> None:
    """Hovering a node lights it and the nodes it touches; the selected node's neighbourhood reaches further
    (a concept two hops away, through a question), so hovering it keeps that neighbourhood, while hovering
    another node lights that node's own."""
    data = _big_view()
    # c:k0 - q:q0 - c:k3 (graph _big_view joins q:q0 to c:k0 and to c:k((0 * 7 + 3) % SIZE))
    focus = ["c:k0", "q:q0", "c:k3"]
    data.update(selected="c:k0", focus=focus, minScale=0.1)
    hover = """async (id) => {
        const { network } = document.querySelector(".kg-graph").__kg;
        network.body.emitter.emit("hoverNode", { node: id });
        await new Promise((done) => setTimeout(done, 400));
        return [...document.querySelector(".kg-graph").__kg.faded];
    }"""
    with _graph_page(data) as page:
        on_selection = set(page.evaluate(hover, "c:k0"))
        on_other = set(page.evaluate(hover, "q:q0"))
    assert not on_selection & set(focus), sorted(on_selection & set(focus))
    assert "c:k1" in on_selection, "the rest stays faded"
    assert "c:k0" not in on_other and "c:k3" not in on_other and "q:q1" in on_other


def test_graph_in_focus_labels_the_selection_always_and_the_rest_where_there_is_room() -> None:
    """Zoomed out to show a neighbourhood whole, its labels would pile up: the selected question is labelled
    whatever it covers, a concept where it covers no label kept (above its dot where only there is room), the
    other questions only where they cover none; the rest show on hover."""
    data = _big_view()
    bare = [n for n in data["nodes"] if not n.get("label") and "rank" not in n][:3]
    concepts = sorted((n for n in data["nodes"] if "rank" in n), key=lambda n: -n["rank"])[:2]
    for n in bare + concepts:  # all on one spot
        n.update(x=0.0, y=0.0)
    focus = [n["id"] for n in bare + concepts]
    data.update(selected=bare[2]["id"], focus=focus, focusLabels=focus_labels(data["nodes"], focus), minScale=0.1)
    with _graph_page(data) as page:
        page.wait_for_timeout(500)
        labels = page.evaluate(LABELS, focus)
        shifts = page.evaluate(
            "(ids) => ids.map((id) => document.querySelector('.kg-graph').__kg.nodes.get(id).font.vadjust || 0)",
            [n["id"] for n in concepts],
        )
    by_id = dict(zip(focus, labels, strict=True))
    # the selection's label is below its dot: of the two concepts on its spot, one goes above, where it
    # covers nothing, and the other, with no room left, waits for the hover
    assert sorted(bool(by_id[n["id"]]) for n in concepts) == [False, True], labels
    assert [shift < 0 for n, shift in zip(concepts, shifts, strict=True) if by_id[n["id"]]] == [True], shifts
    assert by_id[bare[2]["id"]], "the selected question is labelled"
    assert not by_id[bare[0]["id"]] and not by_id[bare[1]["id"]], "the others would cover it"


def test_graph_small_view_leaves_out_a_label_that_would_cover_one_kept() -> None:
    """A small view labels every node, but where two labels would cover each other the selection's (then
    a concept's, then the larger dot's) is kept and the other shows on hover."""
    G = nx.Graph()
    for cid, label, questions in (("c:a", "gradient descent", 9), ("c:b", "stochastic gradient", 2),
                                  ("c:far", "learning rate", 2)):
        G.add_node(cid, kind="concept", label=label, questions=questions, aliases="")
    G.add_node("q:q1", kind="question", label="What is gradient descent?", number=1)
    for cid in ("c:a", "c:b", "c:far"):
        G.add_edge(cid, "q:q1", kind="mentions", in_question=True)
    positions = {"c:a": (0.0, 0.0), "c:b": (4.0, 3.0), "c:far": (600.0, 0.0), "q:q1": (300.0, 300.0)}
    data = graph_data(G, positions=positions)
    assert not data.get("labelsAtFit"), "a small view sends every label"
    ids = ["c:a", "c:b", "c:far", "q:q1"]
    sent = {n["id"]: n["label"] for n in data["nodes"]}
    data.update(selected=None, focus=[], height=500, minScale=0.5)
    data["options"] = network_options(positioned=True)  # as the app draws a laid-out view: nothing moves
    with _graph_page(data) as page:
        page.wait_for_timeout(300)
        unselected = page.evaluate(LABELS, ids)
        _redraw(page, dict(data, selected="c:b", focus=["c:b", "q:q1"]))
        page.wait_for_timeout(300)
        selected = page.evaluate(LABELS, ids)
    assert unselected == [sent["c:a"], "", sent["c:far"], sent["q:q1"]], unselected  # the larger dot's kept
    assert selected == ["", sent["c:b"], sent["c:far"], sent["q:q1"]], selected  # the selection's kept


def test_graph_small_view_labels_the_selection_large_enough_to_read_at_any_zoom() -> None:
    """A small view fitted far out (a neighbourhood of 50 nodes in a narrow frame) drew its labels at their
    sizes as sent, the selected question's under the 7 screen pixels below which vis-network draws none: the
    selection's label is drawn at least 13 screen pixels, zoomed out further too, and the other nodes' as sent."""
    G = nx.Graph()
    for c in range(20):
        G.add_node(f"c:k{c}", kind="concept", label=f"concept {c}", questions=2, aliases="")
    for q in range(20):
        G.add_node(f"q:q{q}", kind="question", label=f"Question {q}?", number=q + 1)
        G.add_edge(f"c:k{q}", f"q:q{q}", kind="mentions", in_question=True)
    # spread wide, so that the view fits at about 0.3
    positions = {n: (150.0 * (i % 8) - 600.0, 300.0 * (i // 8) - 600.0) for i, n in enumerate(sorted(G))}
    data = graph_data(G, positions=positions)
    assert not data.get("labelsAtFit"), "a small view sends every label"
    data.update(selected="q:q5", focus=[], height=500, minScale=0.1)
    data["options"] = network_options(positioned=True)  # as the app draws a laid-out view
    on_screen = """(ids) => {
        const { network, nodes } = document.querySelector(".kg-graph").__kg;
        return ids.map((id) => [nodes.get(id).label, nodes.get(id).font.size * network.getScale()]);
    }"""
    zoom_out = "() => document.querySelector('.kg-graph').__kg.network.moveTo({ scale: 0.2 })"
    font_sizes = "(ids) => ids.map((id) => document.querySelector('.kg-graph').__kg.nodes.get(id).font.size)"
    with _graph_page(data) as page:
        page.wait_for_timeout(300)
        scale = page.evaluate("() => document.querySelector('.kg-graph').__kg.network.getScale()")
        fitted = page.evaluate(on_screen, ["q:q5", "q:q6"])
        page.evaluate(zoom_out)
        page.wait_for_timeout(300)
        zoomed = page.evaluate(on_screen, ["q:q5", "q:q6"])
        _redraw(page, dict(data, selected="q:q6"))
        page.wait_for_timeout(300)
        moved = page.evaluate(LABELS, ["q:q5", "q:q6"])
        sizes = page.evaluate(font_sizes, ["q:q5", "q:q6"])
    sent = {n["id"]: n for n in data["nodes"]}
    assert 18 * scale < 7, f"fitted at {scale}: the sent label would be drawn"
    for shown in (fitted, zoomed):
        (label, px), (_, other_px) = shown
        assert label == sent["q:q5"]["label"] and px >= 13, shown
        assert other_px < 7, "the other questions keep their size as sent"
    assert moved[1] == sent["q:q6"]["label"], moved
    assert sizes[0] == sent["q:q5"]["font"]["size"] < sizes[1], f"the size goes with the selection: {sizes}"


def test_graph_redraw_after_a_click_hides_the_tooltip_until_the_pointer_moves() -> None:
    """The pointer on a node shows its tooltip, which the click hides; a pointer moving a pixel on the node
    while the app reruns showed it again, and it stayed where the node had been once the view moved, over
    another node. The redraw hides it until the pointer moves, and the pointer moved shows the tooltips again."""
    G = nx.Graph()
    for c in range(4):
        G.add_node(f"c:k{c}", kind="concept", label=f"concept {c}", questions=5, aliases="")
        G.add_node(f"q:q{c}", kind="question", label=f"Question {c}?", number=c + 1)
        G.add_edge(f"c:k{c}", f"q:q{c}", kind="mentions", in_question=True)
    positions = {n: (200.0 * (i % 4), 150.0 * (i // 4)) for i, n in enumerate(sorted(G))}
    data = graph_data(G, positions=positions)
    data.update(selected=None, focus=[], height=500, minScale=0.5)
    data["options"] = network_options(positioned=True)  # as the app draws a laid-out view: nothing moves
    target, other = "c:k0", "q:q0"
    point = """(id) => {
        const host = document.querySelector(".kg-graph");
        const { network } = host.__kg;
        const p = network.canvasToDOM(network.getPosition(id));
        const r = host.querySelector("canvas").getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }"""
    tip = "document.querySelector('.kg-graph .vis-tooltip')"
    shown = f"() => {tip} !== null && {tip}.style.visibility === 'visible'"
    with _graph_page(data) as page:
        page.wait_for_timeout(300)
        x, y = page.evaluate(point, target)
        page.mouse.move(x - 2, y, steps=2)
        page.wait_for_function(shown, timeout=5_000)
        page.mouse.click(x - 2, y)
        page.mouse.move(x - 1, y)
        page.wait_for_function(shown, timeout=5_000)  # shown again, as a hand on the mouse does
        # the app's rerun: the view zoomed to the clicked node's neighbours
        _redraw(page, dict(data, selected=target, focus=[target, "q:q0"]))
        page.wait_for_timeout(500)
        after_redraw = page.evaluate(shown)
        page.mouse.move(*page.evaluate(point, other), steps=4)
        page.wait_for_function(shown, timeout=5_000)
        tooltip = page.evaluate(f"() => {tip}.innerText")
    assert not after_redraw, "the tooltip stayed over the view redrawn after the click"
    assert tooltip.startswith("Q1. Question 0?"), tooltip
