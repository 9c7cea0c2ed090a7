// Search as you type. Streamlit commits a text input's value only on Enter or when it loses focus;
// this module commits the search box (found by data.selector) after a pause in the typing, as Enter
// would, so that its results follow what is typed. Enter on a query whose results are shown opens the
// first of them (data.hits: its buttons), as a search box does; Enter before they come commits the
// query and opens its first result once it is shown, which a hidden mark drawn after the results says
// (data.marker and the query's UTF-8 in hex, data.hex digits at most). It mounts once and watches the
// page, since the box is drawn again when the page changes.

const FLAG = "kgLive";
const WAIT_MS = 60000; // how long an Enter waits for its results (a fresh server loads its search first)

function markOf(marker, digits, query) {
  const hex = Array.from(new TextEncoder().encode(query.trim()), (b) => b.toString(16).padStart(2, "0")).join("");
  return marker + hex.slice(0, digits);
}

// The first result of the query Enter was pressed on, opened once its results are shown.
function openWaiting(hits) {
  const waiting = globalThis.__kgOpenFirst;
  if (!waiting || Date.now() - waiting.at > WAIT_MS) {
    globalThis.__kgOpenFirst = null;
    return;
  }
  if (!document.querySelector(waiting.mark)) {
    return; // its results are not shown yet
  }
  globalThis.__kgOpenFirst = null;
  const first = hits && document.querySelector(hits);
  if (first) {
    first.click();
  }
}

function attach(selector, pause, hits, marker, digits) {
  openWaiting(hits);
  const input = document.querySelector(selector);
  if (!input || FLAG in input.dataset) {
    return; // attached already: the page's every change calls this
  }
  input.dataset[FLAG] = "1";
  let timer = null;
  let typed = false; // typed since the query was last committed (the box is drawn anew after a commit)
  input.addEventListener("input", () => {
    typed = true;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (document.activeElement === input) {
        typed = false;
        const enter = { key: "Enter", code: "Enter", keyCode: 13, which: 13, bubbles: true };
        input.dispatchEvent(new KeyboardEvent("keydown", enter));
      }
    }, pause);
  });
  input.addEventListener("keydown", (event) => {
    if (!event.isTrusted || event.key !== "Enter") {
      return;
    }
    clearTimeout(timer);
    const first = hits && document.querySelector(hits);
    if (!typed && first) {
      event.preventDefault();
      event.stopPropagation();
      first.click();
    } else if (marker) {
      globalThis.__kgOpenFirst = { mark: markOf(marker, digits, input.value), at: Date.now() };
    }
    typed = false; // otherwise Streamlit commits the query, and its results follow
  }, true);
}

// Data comes as {selector: "...", pause: ms, hits: "...", marker: "...", hex: n}; a bare string would go
// through Streamlit's table code.
export default function kgSearch({ data }) {
  const selector = data && data.selector;
  const pause = (data && data.pause) || 300;
  const hits = data && typeof data.hits === "string" ? data.hits : null;
  const marker = data && typeof data.marker === "string" ? data.marker : null;
  const digits = (data && data.hex) || 200;
  if (typeof selector !== "string") {
    return;
  }
  attach(selector, pause, hits, marker, digits);
  if (!globalThis.__kgSearchWatch) {
    globalThis.__kgSearchWatch = new MutationObserver(() => attach(selector, pause, hits, marker, digits));
    globalThis.__kgSearchWatch.observe(document.body, { childList: true, subtree: true });
  }
}
