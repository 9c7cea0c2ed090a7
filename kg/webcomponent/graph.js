
// The kg graph component: a vis-network canvas inside a Streamlit v2 component.
//
// vis-network comes from a second component mounted just before this one (kg.render.vis_loader_js),
// which sets globalThis.vis; until it has, calls wait. Streamlit calls the default export again on
// every rerun whose data changed, on the same host element, so the network is created once and
// then only updated: a click never rebuilds or re-lays-out the graph.

const READY = "kgReady";
const DIM_LIMIT = 2000; // beyond this many nodes, fading costs more than it shows
const DEFAULT_FONT = "#343434"; // vis-network's label colour

function applyData(state, data) {
  const { network, nodes, edges } = state;
  if (state.version !== data.version) {
    // A new node set (another bank, another neighbourhood): swap the data in one step.
    network.setOptions(data.options || {});
    nodes.clear();
    edges.clear();
    nodes.add(data.nodes || []);
    edges.add(data.edges || []);
    state.fonts = new Map((data.nodes || []).map((n) => [n.id, n.font || {}]));
    state.colours = new Map((data.edges || []).map((e) => [e.id, e.color]));
    state.dimmed = new Set();
    state.dimmedEdges = new Set();
    state.version = data.version;
    state.fitted = false;
    state.swapStarted = performance.now();
  }
  const selected = data.selected && nodes.get(data.selected) ? [data.selected] : [];
  network.selectNodes(selected, true);
  state.host.dataset.kgSelected = data.selected || ""; // for the benchmark: this update has landed
  const focus = (data.focus || []).filter((id) => nodes.get(id));
  const key = `${data.version}|${data.selected}|${focus.join(",")}`;
  if (key !== state.focusKey) {
    state.focusKey = key;
    dim(state, new Set(focus));
    const animation = state.fitted ? { duration: 300, easingFunction: "easeInOutQuad" } : false;
    if (focus.length > 0) {
      network.moveTo({ ...view(network, state.host, focus, selected[0], data.minScale || 0.5), animation });
    } else {
      network.fit({ animation });
    }
    state.fitted = true;
  }
}

// Fade what is outside the selection's neighbourhood (all of it comes back when nothing is
// selected), so the neighbourhood reads even where the whole graph is drawn around it. vis-network
// merges updates into a node's options, so a restore names every value it changed.
function dim(state, focus) {
  const { nodes, edges, fonts, colours } = state;
  const on = focus.size > 0 && nodes.length <= DIM_LIMIT;
  const fadeNodes = new Set(on ? nodes.getIds().filter((id) => !focus.has(id)) : []);
  const fadeEdges = new Set(on ? edges.getIds({ filter: (e) => !(focus.has(e.from) && focus.has(e.to)) }) : []);
  const nodeChanges = [];
  for (const id of fadeNodes) {
    if (!state.dimmed.has(id)) {
      nodeChanges.push({ id, opacity: 0.2, font: { ...fonts.get(id), color: "rgba(60, 64, 67, 0.18)" } });
    }
  }
  for (const id of state.dimmed) {
    if (!fadeNodes.has(id) && nodes.get(id)) {
      const font = fonts.get(id) || {};
      nodeChanges.push({ id, opacity: 1, font: { ...font, color: font.color || DEFAULT_FONT } });
    }
  }
  const edgeChanges = [];
  for (const id of fadeEdges) {
    if (!state.dimmedEdges.has(id)) {
      edgeChanges.push({ id, color: { color: colours.get(id), opacity: 0.12 } });
    }
  }
  for (const id of state.dimmedEdges) {
    if (!fadeEdges.has(id) && edges.get(id)) {
      edgeChanges.push({ id, color: { color: colours.get(id), opacity: 1 } });
    }
  }
  if (nodeChanges.length > 0) {
    nodes.update(nodeChanges);
  }
  if (edgeChanges.length > 0) {
    edges.update(edgeChanges);
  }
  state.dimmed = fadeNodes;
  state.dimmedEdges = fadeEdges;
}

// The view that shows the focus nodes, centred on them; when that would make labels too small to
// read (a hub with neighbours all over the graph), the selected node at the smallest readable scale.
function view(network, host, focus, selected, minScale) {
  const width = host.clientWidth || 600;
  const height = host.clientHeight || 400;
  const boxes = focus.map((id) => network.getBoundingBox(id));
  const left = Math.min(...boxes.map((b) => b.left));
  const right = Math.max(...boxes.map((b) => b.right));
  const top = Math.min(...boxes.map((b) => b.top));
  const bottom = Math.max(...boxes.map((b) => b.bottom));
  const fit = 0.92 * Math.min(width / Math.max(right - left, 1), height / Math.max(bottom - top, 1));
  const scale = Math.min(fit, 1.5);
  if (scale >= minScale || !selected) {
    return { position: { x: (left + right) / 2, y: (top + bottom) / 2 }, scale };
  }
  return { position: network.getPosition(selected), scale: minScale };
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
  const { data, parentElement, setTriggerValue } = component;
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
      network, nodes, edges, host, version: null, focusKey: null, fitted: false, started,
      swapStarted: null, fonts: new Map(), colours: new Map(), dimmed: new Set(), dimmedEdges: new Set(),
    };
    host.__kg = state;
    network.on("click", (params) => {
      if (params.nodes.length > 0) {
        state.trigger("select", params.nodes[0]);
      }
    });
    network.on("afterDrawing", () => {
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
      state.network.destroy();
      delete host.__kg;
    }
  };
}
