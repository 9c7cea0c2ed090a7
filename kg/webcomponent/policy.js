// The app page's Content-Security-Policy (kg.render.APP_CSP), added to document.head once, and its
// icon (kg.render.APP_ICON).
//
// Streamlit sets no such header, and the page is Streamlit's; Chromium enforces a policy from a
// <meta http-equiv> element that a script adds, from then on. A policy cannot be loosened later:
// removing the element or adding another only ever narrows what loads.

const MARK = "kgPolicy";

// The policy comes as {policy: "..."}: Streamlit hands a bare string to its dataframe code, which
// imports pandas and pyarrow (most of a second on a fresh server) only to find it is not a table.
export default function kgPolicy({ data }) {
  const policy = data && data.policy;
  if (typeof policy === "string" && !document.head.querySelector(`meta[data-kg-policy]`)) {
    const meta = document.createElement("meta");
    meta.httpEquiv = "Content-Security-Policy";
    meta.content = policy;
    meta.dataset[MARK] = "";
    document.head.appendChild(meta);
  }
  // Where Streamlit puts the icon it is given; it sets its own there once, when the page opens.
  const icon = data && data.icon;
  const link = document.head.querySelector("link[rel='shortcut icon']");
  if (typeof icon === "string" && link && link.getAttribute("href") !== icon) {
    link.setAttribute("href", icon);
  }
}
