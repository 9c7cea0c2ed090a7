// Search as you type. Streamlit commits a text input's value only on Enter or when it loses focus;
// this module commits the search box (found by data.selector) after a pause in the typing, as Enter
// would, so that its results follow what is typed. Enter on a query whose results are shown opens the
// first of them (data.hits: its buttons), as a search box does. It mounts once and watches the page,
// since the box is drawn again when the page changes.

const FLAG = "kgLive";

function attach(selector, pause, hits) {
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
    }
    typed = false; // otherwise Streamlit commits the query, and its results follow
  }, true);
}

// Data comes as {selector: "...", pause: ms, hits: "..."}; a bare string would go through Streamlit's
// table code.
export default function kgSearch({ data }) {
  const selector = data && data.selector;
  const pause = (data && data.pause) || 300;
  const hits = data && typeof data.hits === "string" ? data.hits : null;
  if (typeof selector !== "string") {
    return;
  }
  attach(selector, pause, hits);
  if (!globalThis.__kgSearchWatch) {
    globalThis.__kgSearchWatch = new MutationObserver(() => attach(selector, pause, hits));
    globalThis.__kgSearchWatch.observe(document.body, { childList: true, subtree: true });
  }
}
