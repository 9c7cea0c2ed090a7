// Search as you type. Streamlit commits a text input's value only on Enter or when it loses focus;
// this module commits the search box (found by data.selector) after a pause in the typing, as Enter
// would, so that its results follow what is typed. It mounts once and watches the page, since the
// box is drawn again when the page changes.

const FLAG = "kgLive";

function attach(selector, pause) {
  const input = document.querySelector(selector);
  if (!input || input.dataset[FLAG]) {
    return;
  }
  input.dataset[FLAG] = "";
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (document.activeElement === input) {
        const enter = { key: "Enter", code: "Enter", keyCode: 13, which: 13, bubbles: true };
        input.dispatchEvent(new KeyboardEvent("keydown", enter));
      }
    }, pause);
  });
}

// Data comes as {selector: "...", pause: ms}; a bare string would go through Streamlit's table code.
export default function kgSearch({ data }) {
  const selector = data && data.selector;
  const pause = (data && data.pause) || 300;
  if (typeof selector !== "string") {
    return;
  }
  attach(selector, pause);
  if (!globalThis.__kgSearchWatch) {
    globalThis.__kgSearchWatch = new MutationObserver(() => attach(selector, pause));
    globalThis.__kgSearchWatch.observe(document.body, { childList: true, subtree: true });
  }
}
