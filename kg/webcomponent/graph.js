
// The kg graph component: a vis-network canvas inside a Streamlit v2 component.
//
// vis-network comes from a second component mounted just before this one (kg.render.vis_loader_js),
// which sets globalThis.vis; until it has, calls wait. Streamlit calls the default export again on
// every rerun whose data changed, on the same host element, so the network is created once and
// then only updated: a click never rebuilds or re-lays-out the graph.

const READY = "kgReady";
const DIM_LIMIT = 2000; // beyond this many nodes, fading costs more than it shows: a veil stands in for it
const DEFAULT_FONT = "#343434"; // vis-network's label colour
const FADED_FONT = "rgba(60, 64, 67, 0.22)";
const FADED_OPACITY = 0.2;
const FADED_EDGE_OPACITY = 0.1;
const VEIL = "rgba(255, 255, 255, 0.78)"; // over a big view, what is not lit shows through as faintly as faded
const LABEL_PX = 13; // a big view's labels are never drawn smaller than this many screen pixels
const LABEL_STEPS = 4; // label sizes change at every quarter of a doubling of the zoom, not on every frame
// A hovered node brings out its neighbours once the pointer rests on it this long: fading is an update
// of every node drawn, and a pointer crossing the graph, or on its way to a click, passes over many.
const HOVER_MS = 120;

// The data as Python sent it, with every value fading changes stated, so that an update restores
// a node or an edge whole (vis-network merges updates into what it has).
function plainNode(n) {
  const font = { color: DEFAULT_FONT, strokeWidth: 4, ...(n.font || {}) };
  return { ...n, opacity: 1, font };
}

function plainEdge(e) {
  const c = e.color;
  return { ...e, color: { color: c, highlight: c, hover: c, opacity: 1 } };
}

// A new node set (another bank, another depth or filter): change only what differs, so the nodes
// both views share stay the same objects and nothing flickers. The options are set again only when
// they changed: setting them restarts vis-network's rendering loop, about ten redraws.
function swapData(state, data) {
  const { network, nodes, edges } = state;
  const options = JSON.stringify(data.options || {});
  if (options !== state.options) {
    network.setOptions(data.options || {});
    state.options = options;
  }
  const newNodes = (data.nodes || []).map(plainNode);
  const newEdges = (data.edges || []).map(plainEdge);
  const nodeIds = new Set(newNodes.map((n) => n.id));
  const edgeIds = new Set(newEdges.map((e) => e.id));
  edges.remove(edges.getIds({ filter: (e) => !edgeIds.has(e.id) }));
  nodes.remove(nodes.getIds({ filter: (n) => !nodeIds.has(n.id) }));
  nodes.update(newNodes);
  edges.update(newEdges);
  state.plainNodes = new Map(newNodes.map((n) => [n.id, n]));
  // each node's label size as sent: reveal enlarges a label to read at the zoom, always from this size
  state.sentSizes = new Map(newNodes.map((n) => [n.id, n.font.size || 14]));
  // A big view sends labels for its hubs with a rank; they are shown by rank (see reveal), so
  // until the view is fitted none is.
  state.ranked = newNodes.filter((n) => Number.isInteger(n.rank)).sort((a, b) => a.rank - b.rank);
  state.rankedLabels = new Map(state.ranked.map((n) => [n.id, { label: n.label, size: n.font.size }]));
  // a small view's labels as sent: placeLabels leaves out those that would cover one kept, from these
  state.sentLabels = new Map(newNodes.map((n) => [n.id, n.label || ""]));
  state.labelsAtFit = data.labelsAtFit || 0;
  state.labelKey = null;
  if (state.ranked.length > 0) {
    nodes.update(state.ranked.map((n) => ({ id: n.id, label: "" })));
    for (const n of state.ranked) {
      n.label = "";
    }
  }
  state.plainEdges = new Map(newEdges.map((e) => [e.id, e]));
  state.faded = new Set();
  state.fadedEdges = new Set();
  state.hovered = null;
  clearTimeout(state.hoverTimer);
  state.version = data.version;
  state.swapStarted = performance.now();
}

function applyData(state, data) {
  const { network, nodes } = state;
  const swapped = state.version !== data.version;
  if (swapped) {
    // vis-network redraws the canvas after each change of its data sets, synchronously and then
    // again in a loop: seven to sixteen redraws of the old and half-made views, before the one
    // below draws the new view once.
    network.body.emitter.emit("_blockRedraw");
    try {
      swapData(state, data);
    } finally {
      network.body.emitter.emit("_allowRedraw");
    }
  }
  const selected = data.selected && nodes.get(data.selected) ? [data.selected] : [];
  state.selected = selected[0] || null;
  network.selectNodes(selected, true);
  state.host.dataset.kgSelected = data.selected || ""; // for the benchmark: this update has landed
  const focus = (data.focus || []).filter((id) => nodes.get(id));
  const key = `${data.version}|${data.selected}|${focus.join(",")}`;
  if (key !== state.focusKey) {
    state.focusKey = key;
    state.focus = new Set(focus);
    hideTooltip(state); // a tooltip shown since the click would stay where its node was before the move
    // labels of nodes in focus that the view sent without one (not among its ranked hubs)
    state.focusLabels = new Map(Object.entries(data.focusLabels || {}).filter(([id]) => nodes.get(id)));
    paint(state);
    // Measures every node and its label, so that the bounding boxes below include the labels, without
    // drawing: a draw here, of the new nodes in the old view, was followed by the one the move asks for.
    network.body.emitter.emit("setSize");
    network.body.emitter.emit("_resizeNodes");
    // The camera glides only within one node set (the whole graph, zooming to a selection). A new set,
    // such as the neighbourhood of a clicked node, is laid out on its own: gliding from the old view's
    // coordinates would show nothing, and each of its frames redraws the whole canvas.
    const animation = state.fitted && !swapped ? { duration: 300, easingFunction: "easeInOutQuad" } : false;
    const target = focus.length > 0 ? focus : nodes.getIds();
    state.fit = { target, selected: selected[0], minScale: data.minScale || 0.5 };
    state.moved = false;
    // A node's box holds its label where it was last drawn: in a new node set, where the nodes both views
    // share were laid out again, the boxes span old and new places, and the first fit comes out too
    // small. The first draw of the new set puts the labels in place, and the view is fitted again.
    state.refit = swapped;
    fitView(state, animation);
    state.fitted = true;
    reveal(state);
  }
}

// Moves the camera to the view of the last fit (see view): on a new view, after its first draw, and when
// the canvas changes size (vis-network would scale the old camera by the change of width).
function fitView(state, animation) {
  if (state.destroyed) {
    return;
  }
  const { network, nodes, fit } = state;
  if (state.ranked.length > 0) {
    state.fitScale = view(network, state.host, nodes.getIds(), null, 0).scale;
  }
  network.moveTo({ ...view(network, state.host, fit.target, fit.selected, fit.minScale), animation });
}

// The labels of a big view: seen whole, the ``labelsAtFit`` hubs of lowest rank, drawn large enough
// to read; zoomed in k times, about k² times as many (as many per screen as when seen whole), each at
// least LABEL_PX on screen until its own size is larger. The rest of the nodes show their text on hover.
function reveal(state) {
  const { network, nodes, ranked, rankedLabels, plainNodes } = state;
  if (!state.destroyed && ranked && ranked.length === 0) {
    placeLabels(state);
    return;
  }
  // A frame a draw asked for may come after Streamlit unmounted the graph, when the network is gone.
  if (state.destroyed || !ranked || ranked.length === 0 || !state.fitScale) {
    return;
  }
  // The scale rounded down to a step, so that a zoom changes the labels a few times, not every frame.
  const step = Math.floor(Math.log2(network.getScale()) * LABEL_STEPS);
  const scale = 2 ** (step / LABEL_STEPS);
  const zoom = Math.max(scale / state.fitScale, 1);
  const count = Math.min(ranked.length, Math.round(state.labelsAtFit * zoom * zoom));
  const key = `${step}|${count}|${state.focusKey}`;
  if (key === state.labelKey) {
    return;
  }
  state.labelKey = key;
  const least = Math.round(LABEL_PX / scale);
  // By rank, a label that would cover one already kept waits for a closer zoom: in the dense core
  // of a big bank the hubs sit on top of each other. Boxes are in canvas units, under each dot.
  // The nodes in focus (a selection's neighbours, zoomed to) come first, the concepts each labelled: they
  // are what the view is about, however low their rank.
  const focus = state.focus || new Set();
  const { focusLabels } = state;
  const extra = [...focusLabels.keys()].filter((id) => !rankedLabels.has(id) && plainNodes.has(id));
  const order = ranked.map((n, rank) => [n, rank]).concat(extra.map((id) => [plainNodes.get(id), Infinity]));
  const first = (n) => (n.id === state.selected ? 2 : focus.has(n.id) ? 1 : 0); // the selection, then its focus
  order.sort((a, b) => first(b[0]) - first(a[0]) || a[1] - b[1]);
  const kept = [];
  const changes = [];
  // a node labelled for an earlier focus, and out of this one, is unlabelled again
  for (const id of state.extraLabelled) {
    const plain = plainNodes.get(id);
    if (!focusLabels.has(id) && plain && plain.label) {
      plain.label = "";
      plain.font = { ...plain.font, size: state.sentSizes.get(id) };
      changes.push(state.faded.has(id) ? { id, label: "" } : { id, label: "", font: plain.font });
    }
  }
  state.extraLabelled = new Set(extra);
  order.forEach(([n, rank]) => {
    const plain = plainNodes.get(n.id);
    const sent = rankedLabels.get(n.id) || { label: focusLabels.get(n.id), size: state.sentSizes.get(n.id) };
    const size = Math.max(sent.size, least);
    let label = "";
    let vadjust = 0;
    if (rank < count || focus.has(n.id)) {
      const p = network.getPosition(n.id);
      const lines = sent.label.split("\n");
      const half = halfWidth(lines, size);
      const dot = n.size || 10;
      const high = 1.3 * size * lines.length;
      const below = { left: p.x - half, right: p.x + half, top: p.y, bottom: p.y + dot + high };
      // In focus, a concept is labelled above its dot where below it covers a label kept and above does
      // not, and the selection whatever it covers; a label that covers one kept either way shows on hover
      // (a question's long label is never moved: a zoom that shows a neighbourhood whole piles them up).
      const concept = focus.has(n.id) && !n.id.startsWith("q:");
      const above = { ...below, top: p.y - dot - high, bottom: p.y - dot };
      if (clear(kept, below)) {
        kept.push(below);
        label = sent.label;
      } else if ((concept || n.id === state.selected) && clear(kept, above)) {
        kept.push(above);
        vadjust = -Math.round(2 * dot + high);
        label = sent.label;
      } else if (n.id === state.selected) {
        kept.push(below);
        label = sent.label;
      }
    }
    const fontSize = label ? size : sent.size;
    if (plain.label !== label || plain.font.size !== fontSize || (plain.font.vadjust || 0) !== vadjust) {
      plain.label = label;
      plain.font = { ...plain.font, size: fontSize, vadjust };
      // a faded node keeps its faded font; fade restores this one when it lights up again
      changes.push(state.faded.has(n.id) ? { id: n.id, label } : { id: n.id, label, font: plain.font });
    }
  });
  if (changes.length > 0) {
    nodes.update(changes);
    raiseLit(state);
  }
}

// Half the width of a label's longest line at font ``size``, from rough widths of the sans-serif's letters
// (capitals and digits wide, i, l, t narrow: "XHTML" is a third wider than five average letters), with a
// space's width between two labels side by side, which read as one without it ("block elementModifier").
function halfWidth(lines, size) {
  const em = (c) => (/[A-Z0-9MWmw@%]/.test(c) ? 0.68 : /[ijlt.,:;'|!I ]/.test(c) ? 0.3 : 0.55);
  const width = (line) => [...line].reduce((sum, c) => sum + em(c), 0);
  return 0.5 * size * (Math.max(...lines.map(width)) + 0.3);
}

// Whether ``box`` covers none of the label boxes ``kept`` (all in canvas units).
function clear(kept, box) {
  return kept.every((b) => b.right < box.left || box.right < b.left || b.bottom < box.top || box.bottom < b.top);
}

// The labels of a small view, each node's as sent, but one that would cover a label kept: it shows on hover.
// The selection first, then the nodes in focus, the concepts before the questions, the larger dots first.
// Labels scale with the view, so the boxes (in canvas units) are measured once for each node set, focus and
// step of the zoom: the selection's label is drawn at least LABEL_PX on screen, as in a big view. At its size
// as sent, a neighbourhood fitted below 0.39 (50 nodes in a narrow frame) drew it under vis-network's
// drawThreshold, not at all: a grey square among others, its ring a pixel wide.
function placeLabels(state) {
  const { network, nodes, plainNodes, sentLabels } = state;
  const step = Math.floor(Math.log2(network.getScale()) * LABEL_STEPS);
  const key = `${state.focusKey}|${step}`;
  if (!sentLabels || state.labelKey === key) {
    return;
  }
  state.labelKey = key;
  const least = Math.round(LABEL_PX / 2 ** (step / LABEL_STEPS));
  const focus = state.focus || new Set();
  const rank = (n) => (n.id === state.selected ? 4 : 0) + (focus.has(n.id) ? 2 : 0) + (n.id.startsWith("q:") ? 0 : 1);
  const order = [...plainNodes.values()].filter((n) => sentLabels.get(n.id));
  order.sort((a, b) => rank(b) - rank(a) || (b.size || 10) - (a.size || 10) || (a.id < b.id ? -1 : 1));
  const kept = [];
  const changes = [];
  for (const n of order) {
    const text = sentLabels.get(n.id);
    const sent = state.sentSizes.get(n.id);
    const size = n.id === state.selected ? Math.max(sent, least) : sent;
    const p = network.getPosition(n.id);
    const lines = text.split("\n");
    const half = halfWidth(lines, size);
    const dot = n.size || 10;
    const box = { left: p.x - half, right: p.x + half, top: p.y + 0.5 * dot, bottom: p.y + dot + 1.3 * size * lines.length };
    const label = clear(kept, box) || n.id === state.selected ? text : "";
    if (label) {
      kept.push(box);
    }
    if (n.label !== label || n.font.size !== size) {
      n.label = label;
      n.font = { ...n.font, size };
      changes.push(state.faded.has(n.id) ? { id: n.id, label } : { id: n.id, label, font: n.font });
    }
  }
  if (changes.length > 0) {
    nodes.update(changes);
    raiseLit(state);
  }
}

// vis-network draws nodes in the order of its node index list, which it rebuilds on every update, and the
// pointer finds the last one drawn under it. Lit nodes go last: over the faded or veiled ones, and what a
// click or hover at a lit node finds, not a veiled node that the view drew over it.
function raiseLit(state) {
  const order = state.network.body && state.network.body.nodeIndices;
  const shown = state.veiled ? state.veiled.nodes : null;
  if (!Array.isArray(order) || (state.faded.size === 0 && !shown)) {
    return;
  }
  const low = shown ? (id) => !shown.has(id) : (id) => state.faded.has(id);
  order.sort((a, b) => Number(low(b)) - Number(low(a)));
}

// What stands out: the hovered node and its neighbours (vis-network's hover events, no rerun),
// else the selection's neighbourhood in the whole graph, else everything. ``null``: everything.
// The selected node hovered keeps its neighbourhood, which reaches further than the nodes it touches
// (the related concepts the panel lists).
function lit(state) {
  const { network, nodes, edges } = state;
  const onSelection = state.hovered === state.selected && state.focus.size > 0;
  if (state.hovered && nodes.get(state.hovered) && !onSelection) {
    return {
      nodes: new Set([state.hovered, ...network.getConnectedNodes(state.hovered)]),
      edges: new Set(network.getConnectedEdges(state.hovered)),
    };
  }
  if (state.focus && state.focus.size > 0) {
    const litNodes = state.focus;
    return { nodes: litNodes, edges: new Set(edges.getIds({ filter: (e) => litNodes.has(e.from) && litNodes.has(e.to) })) };
  }
  return null;
}

// Brings out what is lit. In a view of up to DIM_LIMIT nodes the rest is faded, an update of each node;
// in a bigger one the rest is left as it is, and each draw veils it and draws the lit nodes and edges
// again on top (drawVeil), which costs a few dozen shapes, whatever the size of the view. True when
// the veil changed, which only a redraw shows (a change of focus moves the camera, which redraws).
function paint(state) {
  const { nodes, edges } = state;
  const shown = lit(state);
  const big = nodes.length > DIM_LIMIT;
  const changed = big && (state.veiled !== null || shown !== null);
  state.veiled = big ? shown : null;
  if (big || shown === null) {
    fade(state, new Set(), new Set());
  } else {
    fade(
      state,
      new Set(nodes.getIds({ filter: (n) => !shown.nodes.has(n.id) })),
      new Set(edges.getIds({ filter: (e) => !shown.edges.has(e.id) })),
    );
  }
  raiseLit(state); // the faded or veiled ones first, so the bright labels are drawn over them
  return changed;
}

// Called by afterDrawing with the canvas in graph coordinates: a white veil over the visible area, then
// the lit edges, nodes and labels drawn by vis-network's own shapes, so they look as they did below it.
function drawVeil(state, ctx) {
  const { network, host } = state;
  const { nodes: litNodes, edges: litEdges } = state.veiled;
  const corner = network.DOMtoCanvas({ x: 0, y: 0 });
  const far = network.DOMtoCanvas({ x: host.clientWidth, y: host.clientHeight });
  ctx.fillStyle = VEIL;
  ctx.fillRect(corner.x, corner.y, far.x - corner.x, far.y - corner.y);
  const { body } = network;
  for (const id of litEdges) {
    const edge = body.edges[id];
    if (edge && edge.connected) {
      edge.draw(ctx);
    }
  }
  const labels = [];
  for (const id of litNodes) {
    const node = body.nodes[id];
    if (node) {
      const drawn = node.draw(ctx);
      if (drawn && drawn.drawExternalLabel) {
        labels.push(drawn.drawExternalLabel);
      }
    }
  }
  labels.forEach((draw) => draw()); // labels over every shape, as vis-network draws them
}

// Fade ``fadeNodes`` and ``fadeEdges`` and restore the rest. A faded label is smaller, faint and
// without its white outline, and faded nodes are drawn first, so it never covers a bright one.
function fade(state, fadeNodes, fadeEdges) {
  const { nodes, edges, plainNodes, plainEdges } = state;
  const nodeChanges = [];
  for (const id of fadeNodes) {
    if (!state.faded.has(id)) {
      const font = plainNodes.get(id).font;
      const size = Math.max(Math.round((font.size || 14) * 0.6), 8);
      nodeChanges.push({ id, opacity: FADED_OPACITY, font: { ...font, size, color: FADED_FONT, strokeWidth: 0 } });
    }
  }
  for (const id of state.faded) {
    if (!fadeNodes.has(id) && plainNodes.has(id)) {
      nodeChanges.push({ id, opacity: 1, font: plainNodes.get(id).font });
    }
  }
  const edgeChanges = [];
  for (const id of fadeEdges) {
    if (!state.fadedEdges.has(id)) {
      edgeChanges.push({ id, color: { ...plainEdges.get(id).color, opacity: FADED_EDGE_OPACITY } });
    }
  }
  for (const id of state.fadedEdges) {
    if (!fadeEdges.has(id) && plainEdges.has(id)) {
      edgeChanges.push({ id, color: plainEdges.get(id).color });
    }
  }
  if (nodeChanges.length > 0) {
    nodes.update(nodeChanges);
  }
  if (edgeChanges.length > 0) {
    edges.update(edgeChanges);
  }
  state.faded = fadeNodes;
  state.fadedEdges = fadeEdges;
}

// The view of the ``target`` nodes, fitted. With a selection, zoomed out a little further if that
// brings the selected node nearer the middle (never below ``minScale``: its label must be read),
// and moved as far towards it as keeps the targets in view: its label is never cut.
function view(network, host, target, selected, minScale) {
  const width = host.clientWidth || 600;
  const height = host.clientHeight || 400;
  const boxes = target.map((id) => network.getBoundingBox(id)).filter(Boolean);
  if (boxes.length === 0) {
    return { position: { x: 0, y: 0 }, scale: 1 };
  }
  const left = Math.min(...boxes.map((b) => b.left));
  const right = Math.max(...boxes.map((b) => b.right));
  const top = Math.min(...boxes.map((b) => b.top));
  const bottom = Math.max(...boxes.map((b) => b.bottom));
  const fit = 0.92 * Math.min(width / Math.max(right - left, 1), height / Math.max(bottom - top, 1));
  if (!selected) {
    return { position: { x: (left + right) / 2, y: (top + bottom) / 2 }, scale: Math.min(fit, 1.5) };
  }
  const centre = network.getPosition(selected);
  const halfX = Math.max(centre.x - left, right - centre.x, 1);
  const halfY = Math.max(centre.y - top, bottom - centre.y, 1);
  const centred = 0.92 * Math.min(width / (2 * halfX), height / (2 * halfY));
  const scale = Math.min(Math.max(centred, 0.75 * fit, minScale), 1.5);
  // Along each axis, the view's centre nearest the selected node that keeps the targets' box covered.
  const clamp = (v, lo, hi, half) => {
    const a = lo + half;
    const b = hi - half;
    return Math.min(Math.max(v, Math.min(a, b)), Math.max(a, b));
  };
  const margin = 0.04 / scale; // keep the selected node's label clear of the frame
  return {
    position: {
      x: clamp(centre.x, left - margin * width, right + margin * width, width / (2 * scale)),
      y: clamp(centre.y, top - margin * height, bottom + margin * height, height / (2 * scale)),
    },
    scale,
  };
}

// Hides vis-network's tooltip until the pointer moves again. Its div hidden alone came back: vis-network
// still took the tooltip for shown, and the pointer moving a pixel on the clicked node, or a tooltip timer
// still running, showed it again while the app reran; it then stayed where the node had been, over another
// node or the new selection's label.
function hideTooltip(state) {
  const handler = state.network.interactionHandler;
  if (handler) {
    clearTimeout(handler.popupTimer);
    handler.popupObj = undefined;
    if (handler.popup) {
      handler.popup.hide();
    }
  }
  state.host.querySelectorAll(".vis-tooltip").forEach((tip) => { tip.style.visibility = "hidden"; });
}

let visLoaded = null;

function whenVis() {
  if (!visLoaded) {
    visLoaded = new Promise((resolve) => {
      const poll = () => (globalThis.vis ? resolve(globalThis.vis) : setTimeout(poll, 10));
      poll();
    });
  }
  return visLoaded;
}

export default function kgGraph(component) {
  if (!globalThis.vis) {
    // Later calls queue behind this one in order, so the newest data is applied last.
    const pending = whenVis().then(() => kgGraph(component));
    return () => pending.then((cleanup) => cleanup && cleanup());
  }
  const { parentElement, setTriggerValue } = component;
  // The graph comes as JSON text ({graph: "..."}), which Streamlit passes on without looking for tables.
  const sent = component.data && component.data.graph;
  const data = typeof sent === "string" ? JSON.parse(sent) : null;
  const host = parentElement.querySelector(".kg-graph");
  if (!host || !data) {
    return undefined;
  }
  host.style.height = `${data.height || 600}px`;
  let state = host.__kg;
  if (!state) {
    const started = performance.now();
    const nodes = new vis.DataSet();
    const edges = new vis.DataSet();
    const network = new vis.Network(host, { nodes, edges }, {});
    state = {
      network, nodes, edges, host, version: null, options: null, focusKey: null, fitted: false, started, swapStarted: null,
      plainNodes: new Map(), plainEdges: new Map(), faded: new Set(), fadedEdges: new Set(),
      focus: new Set(), hovered: null, hoverTimer: null, ranked: [], rankedLabels: new Map(), labelsAtFit: 0, fitScale: null,
      labelKey: null, fit: null, moved: false, refit: false, destroyed: false,
      focusLabels: new Map(), extraLabelled: new Set(), veiled: null, sentSizes: new Map(), selected: null,
    };
    host.__kg = state;
    network.on("click", (params) => {
      if (params.nodes.length > 0) {
        clearTimeout(state.hoverTimer); // the view is about to change: no fade for it
        hideTooltip(state); // nor the clicked node's tooltip, which stayed where the node was while the graph redrew
        state.trigger("select", params.nodes[0]);
      }
    });
    // a hover moves no camera: a changed veil is shown by a redraw of its own
    const repaint = () => {
      if (paint(state)) {
        network.redraw();
      }
    };
    network.on("hoverNode", (params) => {
      clearTimeout(state.hoverTimer);
      state.hoverTimer = setTimeout(() => {
        state.hovered = params.node;
        repaint();
      }, HOVER_MS);
    });
    const blur = () => {
      clearTimeout(state.hoverTimer);
      if (state.hovered !== null) {
        state.hovered = null;
        repaint();
      }
    };
    network.on("blurNode", blur);
    // Once the reader moves the camera, a resize keeps their view rather than fitting the last one again.
    network.on("dragStart", () => { state.moved = true; });
    network.on("zoom", () => { state.moved = true; });
    // a view laid out in the browser settles after the labels were placed: place them again where it stopped
    network.on("stabilized", () => {
      if (state.ranked && state.ranked.length === 0) {
        state.labelKey = null;
        reveal(state);
      }
    });
    network.on("resize", () => {
      if (state.fit && !state.moved) {
        fitView(state, false);
        reveal(state);
      }
    });
    host.addEventListener("mouseleave", () => {
      // vis-network neither blurs a node the pointer leaves the canvas from nor hides its tooltip, which
      // then stays over the graph while the reader works in the panel. It learns of the pointer only on its
      // canvas: a move far outside clears its hover (the left node's label stays bold otherwise).
      blur();
      const canvas = host.querySelector("canvas");
      if (canvas) {
        canvas.dispatchEvent(new MouseEvent("mousemove", { clientX: -1e5, clientY: -1e5 }));
      }
      hideTooltip(state);
    });
    network.on("afterDrawing", (ctx) => {
      if (state.veiled) {
        drawVeil(state, ctx);
      }
      if (state.refit) {
        state.refit = false;
        if (!state.moved) {
          fitView(state, false);
        }
      }
      // after a zoom by wheel, pinch, button or animation alike; reveal (placeLabels in a small view)
      // does nothing until the scale crosses a step, and its own redraw lands here again with nothing to do
      if (state.ranked) {
        requestAnimationFrame(() => reveal(state));
      }
      // Marks for the browser test and the benchmark: when the first draw happened (ms since the
      // page started loading), and how long the last data swap took to draw.
      const now = performance.now();
      if (!host.dataset[READY] && nodes.length > 0) {
        host.dataset[READY] = String(now);
        host.dataset.kgDrawMs = String(now - state.started);
      }
      if (state.swapStarted !== null) {
        host.dataset.kgSwapMs = String(now - state.swapStarted);
        host.dataset.kgVersion = state.version;
        host.dataset.kgNodes = String(nodes.length);
        state.swapStarted = null;
      }
    });
  }
  // The newest callback, in case Streamlit hands a new one on a later call.
  state.trigger = setTriggerValue;
  applyData(state, data);
  // Streamlit may call this cleanup for a stale call while the component stays mounted (a rerun
  // that landed while the previous one was still starting), so destroy only once the host is gone.
  return () => {
    if (!host.isConnected && host.__kg === state) {
      clearTimeout(state.hoverTimer);
      state.destroyed = true;
      state.network.destroy();
      delete host.__kg;
    }
  };
}
