"""Layouts kept on disk, so that a view laid out once (by any server) is read, not laid out again.

:func:`kg.render.layout` is deterministic: the same graph (in any order) with the same ``seed`` gives
the same positions. What it costs on a fresh server is mostly the import of scipy (its k-d tree,
about 0.7 s) before the first neighbourhood is drawn, and seconds for a big bank's whole graph. An
entry is stored under ``<cache>/layouts/``, keyed by:

* kg's own code (:func:`kg.cachefile.code_digest`), so a change to the layout is a miss;
* the seed and every node and edge of the graph with their attributes, in sorted order: a neighbourhood
  (:func:`kg.render.local_graph`) is gathered from sets, so its order differs from one process to
  the next.

An entry is JSON: its key and the position of every node. One that cannot be read, names another key,
or does not place exactly the graph's nodes is laid out again, with one warning; writes go to a
temporary file renamed into place (:mod:`kg.atomic`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from kg.atomic import OutputError, write_atomic
from kg.cachefile import code_digest, read_entry

log = logging.getLogger("kg.render.layoutstore")

FORMAT = 1
Positions = dict[str, tuple[float, float]]


def layout_key(G: nx.Graph, seed: int = 0) -> str:
    """The key of ``G``'s layout: kg's code, the seed, and the graph's nodes and edges with their data.

    Examples
    --------
    >>> a, b = nx.path_graph(["c:a", "q:1", "c:b"]), nx.path_graph(["c:a", "q:1", "c:b"])
    >>> layout_key(a) == layout_key(b), layout_key(a) == layout_key(a, seed=1)
    (True, False)
    >>> layout_key(a) == layout_key(nx.Graph([("c:b", "q:1"), ("q:1", "c:a")]))  # the same, in another order
    True
    >>> b.nodes["c:a"]["label"] = "A"
    >>> layout_key(a) == layout_key(b)
    False
    """
    h = hashlib.sha256()
    for part in (f"format {FORMAT}", code_digest(), f"seed {seed}"):
        h.update(part.encode() + b"\0")
    nodes = sorted((str(n), sorted(d.items())) for n, d in G.nodes(data=True))
    edges = sorted((*sorted((str(u), str(v))), sorted(d.items())) for u, v, d in G.edges(data=True))
    h.update(repr(nodes).encode("utf-8", "surrogatepass") + b"\0")
    h.update(repr(edges).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class LayoutStore:
    """Layouts on disk; :meth:`layout` reads one or makes it with ``make`` and keeps it.

    Examples
    --------
    >>> import tempfile
    >>> store = LayoutStore(tempfile.mkdtemp())
    >>> G = nx.path_graph(["c:a", "q:1"])
    >>> made = store.layout(G, lambda g, seed: {n: (float(i), 0.0) for i, n in enumerate(g)})
    >>> store.layout(G, lambda g, seed: {}) == made  # read back, not made again
    True
    """

    def __init__(self, root: str | Path) -> None:
        self.folder = Path(root) / "layouts"
        self.warned = False

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def layout(self, G: nx.Graph, make: Callable[..., Positions], *, seed: int = 0) -> Positions:
        """``G``'s positions: stored, else ``make(G, seed=seed)``, then stored."""
        key = layout_key(G, seed)
        found = self._load(key, G)
        if found is not None:
            return found
        positions = make(G, seed=seed)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            entry = {"format": FORMAT, "key": key, "positions": {n: list(p) for n, p in positions.items()}}
            write_atomic(self.path(key), json.dumps(entry, ensure_ascii=False))
        except (OSError, OutputError) as exc:
            self._warn(f"{self.folder}: cannot store the layout, so it will be made again next time: {exc}")
        return positions

    def _load(self, key: str, G: nx.Graph) -> Positions | None:
        path = self.path(key)
        raw = read_entry(path, lambda p, why: self._warn(f"{p}: stored layout not used ({why})"))
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            if entry.get("format") != FORMAT or entry.get("key") != key:
                raise ValueError("it was written for another key")
            positions = {str(n): (float(x), float(y)) for n, (x, y) in entry["positions"].items()}
            if positions.keys() != set(G):
                raise ValueError("it does not place the graph's nodes")
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            self._warn(f"{path}: stored layout not used ({exc}); laying the graph out again")
            return None
        return positions

    def _warn(self, message: str) -> None:
        if not self.warned:
            log.warning("%s", message)
            self.warned = True


__all__ = ["LayoutStore", "layout_key"]
