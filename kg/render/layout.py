"""Positions for a view: a force-directed layout per component, packed, with labels kept apart.

Pure NumPy (and SciPy's k-d tree for the label pass), seeded, so the same view is drawn the same way.
Both are imported when a view is first laid out, not with the module: a fresh server that reads its
first view from the stores (:mod:`kg.render.layoutstore`, :mod:`kg.bankstore`) needs neither.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.render.style import QUESTION_FONT, concept_font, concept_size, question_label
from kg.render.view import labelled

if TYPE_CHECKING:
    import numpy as np

PIXELS_PER_UNIT = 70.0  # the median edge of a layout, in canvas pixels
GRAVITY = 0.1  # pull to the centre, in the force layout's units
EXACT_REPULSION = 800  # components up to this size get exact all-pairs repulsion
ASPECT = 1.3  # the canvas's width over its height, which a layout is shaped for


def layout(G: nx.Graph, *, seed: int = 0, iterations: int = 150) -> dict[str, tuple[float, float]]:
    """Positions for every node, in canvas pixels, from a force-directed layout.

    Each connected component is laid out on its own (:func:`_force_layout`), turned so its long side
    is horizontal, scaled so a typical edge is :data:`PIXELS_PER_UNIT` long, and then nudged until no
    two labels overlap (:func:`_separate`, using the label sizes :func:`graph_data` will draw). The
    components are packed in rows, biggest first, so a bank with a few small islands does not shrink
    its main cluster to a dot. The same graph and ``seed`` give the same positions.

    Notes
    -----
    Components above 2,000 nodes get half the iterations and a few overlap passes. The view graph
    of a 1,300-question bank (5,800 nodes, 11,000 edges) takes about 5 s on one core, where
    ``networkx.spring_layout`` takes about 18 s for half as many; the caller caches the result.

    Examples
    --------
    >>> G = nx.path_graph(["c:a", "q:1", "c:b"])
    >>> layout(G, seed=1) == layout(G, seed=1)
    True
    >>> sorted(layout(G))
    ['c:a', 'c:b', 'q:1']
    """
    import numpy as np

    components = sorted((sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0])))
    shown = labelled(G)
    placed = []
    for nodes in components:
        steps = iterations if len(nodes) <= 2000 else iterations // 2
        pos = _force_layout(G.subgraph(nodes), nodes, seed=seed, iterations=steps) * PIXELS_PER_UNIT
        boxes = np.array([_label_box(G.nodes[v], v, v in shown) for v in nodes])
        # A few thousand nodes are only read zoomed in, where vis-network shows their labels; a few
        # passes, and one reshaping, keep them apart there at a fraction of the cost.
        big = len(nodes) > 2000
        pos = _shaped(pos, boxes, iterations=15 if big else 80, rounds=1 if big else 3)
        lo, hi = (pos - boxes).min(axis=0), (pos + boxes).max(axis=0)
        placed.append((nodes, pos - lo, hi - lo))
    offsets = _pack([size for _, _, size in placed], gap=PIXELS_PER_UNIT)
    out: dict[str, tuple[float, float]] = {}
    for (nodes, pos, _), offset in zip(placed, offsets, strict=True):
        shifted = pos + offset
        out.update({v: (round(float(a), 1), round(float(b), 1)) for v, (a, b) in zip(nodes, shifted, strict=True)})
    return out


def _shaped(pos: np.ndarray, boxes: np.ndarray, *, iterations: int, rounds: int = 3) -> np.ndarray:
    """``pos`` with no two labels overlapping (:func:`_separate`), about as wide as the canvas is.

    Labels are wide and short, so separating them pushes nodes apart mostly up and down: a neighbourhood
    of the ajitsingh98 bank came out 1.6-2.1 times taller than wide, and a canvas 1.3 times wider than
    tall drew it small with its sides empty. While the result is taller than the canvas, the layout is
    stretched along x by the difference and separated again; stretching along x never brings two
    labels closer.
    """
    import numpy as np

    separated = _separate(pos, boxes, iterations)
    for _ in range(rounds):
        width, height = (separated + boxes).max(axis=0) - (separated - boxes).min(axis=0)
        tall = float(height) * ASPECT / max(float(width), 1e-6)
        if tall <= 1.05:
            break
        pos = pos * np.array([tall, 1.0])
        separated = _separate(pos, boxes, iterations)
    return separated


def _pack(sizes: Sequence[np.ndarray], *, gap: float, aspect: float = ASPECT) -> list[np.ndarray]:
    """Top-left corners for boxes of ``sizes`` (biggest first) in rows, the rows as wide as suits a
    canvas ``aspect`` times wider than tall: of every row width that breaks after some box, the one
    whose packing can be drawn largest.

    Examples
    --------
    >>> import numpy as np
    >>> [tuple(map(float, o)) for o in _pack([np.array([4.0, 4.0]), np.array([2.0, 2.0])], gap=1.0)]
    [(0.0, 0.0), (5.0, 0.0)]
    >>> [tuple(map(float, o)) for o in _pack([np.array([4.0, 2.0]), np.array([2.0, 2.0])], gap=1.0)]
    [(0.0, 0.0), (0.0, 3.0)]
    """
    import numpy as np

    def shelf(width: float) -> tuple[list[np.ndarray], float, float]:
        corners, x, y, row, right = [], 0.0, 0.0, 0.0, 0.0
        for w, h in sizes:
            if x > 0 and x + w > width:
                x, y, row = 0.0, y + row + gap, 0.0
            corners.append(np.array([x, y]))
            right = max(right, x + w)
            x += w + gap
            row = max(row, h)
        return corners, right, y + row

    if not sizes:
        return []
    widths = [float(np.cumsum([w + gap for w, _ in sizes])[k] - gap) for k in range(len(sizes))]
    best, best_scale = [], -1.0
    for width in sorted({max(w for w, _ in sizes), *widths}):
        corners, w, h = shelf(width + 1e-6)
        scale = min(aspect / max(w, 1e-6), 1.0 / max(h, 1e-6))
        if scale > best_scale + 1e-12:
            best, best_scale = corners, scale
    return best


def _label_box(attrs: Mapping[str, Any], node: str, shown: bool = True) -> tuple[float, float]:
    """Half width and half height, in canvas pixels, of a node and the label drawn under it."""
    if not shown:
        radius = concept_size(int(attrs.get("questions") or 0)) if attrs.get("kind") == "concept" else 8.0
        return radius + 4, radius + 4
    if attrs.get("kind") == "concept":
        n = int(attrs.get("questions") or 0)
        font, radius = concept_font(n), concept_size(n)
        text = str(attrs.get("label") or node)
    else:
        font, radius = QUESTION_FONT, 8.0
        number = attrs.get("number")
        text = question_label(number if isinstance(number, int) else None, str(attrs.get("label") or node))
    lines = text.split("\n")
    # Long labels count as 24 characters: a few may touch, but one very long label must not make
    # every node a neighbour of every other in _separate.
    width = max(0.55 * font * min(max(len(t) for t in lines), 24), 2 * radius)
    return width / 2 + 4, (2 * radius + font * len(lines)) / 2 + 4


def _separate(pos: np.ndarray, boxes: np.ndarray, iterations: int = 80) -> np.ndarray:
    """Push apart nodes whose label boxes overlap, each pair along the axis it overlaps least on."""
    import numpy as np

    pos = pos.copy()
    if len(pos) < 2:
        return pos
    for _ in range(iterations):
        pairs = _near_pairs(pos, boxes)
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = pos[j] - pos[i]
        overlap = boxes[i] + boxes[j] - np.abs(d)
        hit = (overlap > 0).all(axis=1)
        if not hit.any():
            break
        i, j, d, overlap = i[hit], j[hit], d[hit], overlap[hit]
        axis = overlap.argmin(axis=1)
        rows = np.arange(len(axis))
        side = np.sign(d[rows, axis])
        side[side == 0] = np.where(i[side == 0] < j[side == 0], 1.0, -1.0)  # on one spot: by index
        shift = np.zeros_like(d)
        shift[rows, axis] = side * (overlap[rows, axis] / 2 + 0.5)
        np.add.at(pos, j, shift)
        np.add.at(pos, i, -shift)
    return pos


def _near_pairs(pos: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, among which are all whose boxes overlap, and few others.

    In a space squeezed along x so that the widest box becomes square, two boxes overlap only if
    their centres are within the sum of their reaches in the max norm, a node's reach being its
    box's larger squeezed side. One search at twice the largest reach pairs every node with a hub's
    worth of neighbours: on a big view, where most nodes are unlabelled dots and a few hubs carry
    wide labels, that was 9 million pairs to find 330,000 overlaps. So, above 1,000 nodes, the nine
    in ten of least reach are paired among themselves at twice the largest of their reaches, and
    each other node with the nodes of less reach (by reach, then index) within twice its own.
    """
    import numpy as np
    from scipy.spatial import cKDTree

    squeeze = np.array([boxes[:, 1].max() / boxes[:, 0].max(), 1.0])
    squeezed = pos * squeeze
    reach = (boxes * squeeze).max(axis=1)
    order = np.lexsort((np.arange(len(reach)), reach))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    # A neighbourhood's few hundred nodes are searched at once: two searches would cost more than they save.
    cut = len(order) if len(order) <= 1000 else math.ceil(0.9 * len(order))
    small, big = np.sort(order[:cut]), order[cut:]  # sorted, so that a pair of small ones reads (i, j), i < j
    within = cKDTree(squeezed[small]).query_pairs(2 * float(reach[small].max()), p=np.inf, output_type="ndarray")
    found = [small[within]]
    if len(big):
        near = cKDTree(squeezed).query_ball_point(squeezed[big], 2 * reach[big], p=np.inf)
        b = np.repeat(big, [len(n) for n in near])
        k = np.concatenate([np.asarray(n, dtype=np.int64) for n in near])
        less = rank[k] < rank[b]  # each pair from its end of more reach, once
        found.append(np.stack([np.minimum(b[less], k[less]), np.maximum(b[less], k[less])], axis=1))
    return np.concatenate(found).reshape(-1, 2)


def _force_layout(G: nx.Graph, nodes: Sequence[str], *, seed: int, iterations: int) -> np.ndarray:
    """Fruchterman–Reingold positions of ``nodes`` (one connected component), ideal edge length 1.

    Attraction ``d**2`` along edges, repulsion ``1/d`` split in two so a step costs O(n) rather than
    O(n**2): exact from each node's nearest neighbours (a k-d tree) and, from everything else, the
    centres of mass of a coarse grid. The result is centred and turned so its long side is along x.
    """
    import numpy as np

    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    index = {v: i for i, v in enumerate(nodes)}
    # Sorted: the sums of forces depend on the order they are added in, and a neighbourhood's edges
    # come in an order that changes from one process to the next (networkx walks a set of its nodes).
    pairs = sorted(tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v)
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)  # n nodes at unit spacing fill a square of this side
    pos = (rng.random((n, 2)) - 0.5) * side
    near = min(12, n - 1)
    cells = max(2, min(8, int(math.sqrt(n) / 2)))
    temperature = side / 8.0 + 0.5
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        if n <= EXACT_REPULSION:
            # By coordinate: summing an (n, n, 2) array over its short last axis is several times
            # slower than two (n, n) arrays, and a neighbourhood is laid out on every click.
            dx = pos[:, 0, None] - pos[None, :, 0]
            dy = pos[:, 1, None] - pos[None, :, 1]
            d2 = np.maximum(dx * dx + dy * dy, 1e-4)
            force = np.stack([(dx / d2).sum(axis=1), (dy / d2).sum(axis=1)], axis=1)
        else:
            force = _approximate_repulsion(pos, near, cells)
        # Attraction along edges, and a weak pull to the centre.
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = delta * np.sqrt((delta**2).sum(axis=1))[:, None]
            np.add.at(force, edges[:, 0], -pull)
            np.add.at(force, edges[:, 1], pull)
        force -= GRAVITY * pos
        length = np.maximum(np.sqrt((force**2).sum(axis=1)), 1e-9)
        pos += force / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(temperature - cooling, 0.01)
    pos -= pos.mean(axis=0)
    # Scale so that the median edge is one unit long: the caller's pixels per unit assume it.
    if len(edges):
        median = float(np.median(np.sqrt(((pos[edges[:, 0]] - pos[edges[:, 1]]) ** 2).sum(axis=1))))
        pos /= max(median, 1e-6)
    # Turn the longest extent to the horizontal, and widen a little: screens and labels are wide.
    _, _, axes = np.linalg.svd(pos, full_matrices=False)
    axes *= np.where(axes.sum(axis=1, keepdims=True) < 0, -1.0, 1.0)  # fix the sign SVD leaves free
    return (pos @ axes.T) * np.array([1.8, 1.0])


def _approximate_repulsion(pos: np.ndarray, near: int, cells: int) -> np.ndarray:
    """Repulsion ``1/d`` on every node: exact from its nearest nodes, from the rest by grid cell."""
    import numpy as np
    from scipy.spatial import cKDTree

    _, nbr = cKDTree(pos).query(pos, k=near + 1)
    delta = pos[:, None, :] - pos[nbr[:, 1:]]
    d2 = np.maximum((delta**2).sum(axis=2), 1e-4)
    force = (delta / d2[:, :, None]).sum(axis=1)
    # Far field: the centre of mass of each grid cell, softened by the cell size so that the
    # near nodes, already counted, add little twice.
    lo = pos.min(axis=0)
    size = max(float((pos.max(axis=0) - lo).max()), 1e-6) / cells
    cell = np.minimum(((pos - lo) / size).astype(np.int64), cells - 1)
    cid = cell[:, 0] * cells + cell[:, 1]
    mass = np.bincount(cid, minlength=cells * cells).astype(float)
    occupied = mass > 0
    com = np.stack([np.bincount(cid, weights=pos[:, k], minlength=cells * cells) for k in (0, 1)], axis=1)
    com = com[occupied] / mass[occupied, None]
    delta = pos[:, None, :] - com[None, :, :]
    d2 = (delta**2).sum(axis=2) + size**2
    return force + (delta * (mass[occupied] / d2)[:, :, None]).sum(axis=1)
