"""Tests of kg.render.layoutstore: layouts kept on disk, read back as made, made again when not trusted."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg import render
from kg.render.layoutstore import LayoutStore, layout_key


def view() -> nx.Graph:
    G = nx.Graph()
    for concept, n in [("c:relu", 3), ("c:dropout", 2), ("c:overfitting", 1)]:
        G.add_node(concept, kind="concept", label=concept[2:], questions=n)
    for q in ("q:1", "q:2", "q:3"):
        G.add_node(q, kind="question", label=f"Question {q[2:]}", number=int(q[2:]))
    G.add_edges_from([("q:1", "c:relu"), ("q:1", "c:dropout"), ("q:2", "c:relu"), ("q:2", "c:overfitting"),
                      ("q:3", "c:relu"), ("q:3", "c:dropout")])
    return G


def counting(calls: list[int]):
    def make(G: nx.Graph, *, seed: int = 0):
        calls.append(seed)
        return render.layout(G, seed=seed)

    return make


def test_layoutstore_stored_layout_is_read_back_as_made(tmp_path) -> None:
    calls: list[int] = []
    first = LayoutStore(tmp_path).layout(view(), counting(calls))
    assert first == render.layout(view(), seed=0)
    again = LayoutStore(tmp_path).layout(view(), counting(calls))  # another server over the same cache
    assert again == first and list(again) == list(first) and calls == [0]


def test_layoutstore_same_graph_in_another_order_is_read_back(tmp_path) -> None:
    """A neighbourhood is gathered from sets, so another process builds it in another order."""
    calls: list[int] = []
    first = LayoutStore(tmp_path).layout(view(), counting(calls))
    G = view()
    shuffled = nx.Graph()
    shuffled.add_nodes_from(reversed(list(G.nodes(data=True))))
    shuffled.add_edges_from((v, u, d) for u, v, d in reversed(list(G.edges(data=True))))
    assert list(shuffled) != list(G)
    assert LayoutStore(tmp_path).layout(shuffled, counting(calls)) == first and calls == [0]


def test_layoutstore_another_graph_or_seed_is_a_miss(tmp_path) -> None:
    calls: list[int] = []
    store = LayoutStore(tmp_path)
    store.layout(view(), counting(calls))
    relabelled = view()
    relabelled.nodes["c:relu"]["label"] = "ReLU activation"
    assert layout_key(relabelled) != layout_key(view())
    store.layout(relabelled, counting(calls))
    store.layout(view(), counting(calls), seed=1)
    assert calls == [0, 0, 1]


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda p: p.write_text("{not json"), "stored layout not used"),
        (lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "key": "0" * 64})), "another key"),
        (lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "positions": {"c:relu": [0, 0]}})),
         "does not place the graph's nodes"),
        (lambda p: p.write_text("[1, 2]"), "stored layout not used"),
    ],
    ids=["not json", "other key", "other nodes", "not an entry"],
)
def test_layoutstore_damaged_entry_is_laid_out_again_with_one_warning(tmp_path, caplog, damage, why) -> None:
    store = LayoutStore(tmp_path)
    made = store.layout(view(), render.layout)
    damage(store.path(layout_key(view())))
    caplog.set_level(logging.WARNING, logger="kg.render.layoutstore")
    calls: list[int] = []
    fresh = LayoutStore(tmp_path)
    assert fresh.layout(view(), counting(calls)) == made and calls == [0]
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.render.layoutstore"]
    assert len(warnings) == 1 and why in warnings[0]
    assert LayoutStore(tmp_path).layout(view(), counting(calls)) == made and calls == [0]  # stored again


def test_layoutstore_unwritable_store_warns_once_and_still_lays_out(tmp_path, caplog) -> None:
    (tmp_path / "layouts").write_text("a file where the folder should be")
    caplog.set_level(logging.WARNING, logger="kg.render.layoutstore")
    store = LayoutStore(tmp_path)
    assert store.layout(view(), render.layout) == render.layout(view(), seed=0)
    assert store.layout(view(), render.layout) == render.layout(view(), seed=0)
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.render.layoutstore"]
    assert len(warnings) == 1 and "layouts" in warnings[0]  # the folder, as read first (not a folder)


def test_layoutstore_reading_a_stored_layout_imports_no_scipy(tmp_path) -> None:
    """Laying a graph out imports scipy (its k-d tree); reading the stored layout must not."""
    LayoutStore(tmp_path).layout(view(), render.layout)
    code = (
        "import sys; from tests.test_layoutstore import view; from kg import render; "
        "from kg.render.layoutstore import LayoutStore; "
        f"p = LayoutStore({str(tmp_path)!r}).layout(view(), render.layout); "
        "print(len(p), 'scipy' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert run.stdout.split() == ["6", "False"]
