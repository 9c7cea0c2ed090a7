"""The page around the graph: vis-network from the installed ``pyvis`` package (never a CDN), the
component's own script and style sheet, and a standalone HTML page.

:func:`to_html` embeds the data as JSON with ``<``, ``>`` and ``&`` escaped, so a question containing
``</script>`` stays text.
"""

from __future__ import annotations

import html
import importlib.util
import json
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from kg.render.visdata import network_options

VIS_VERSION = "9.1.2"
COMPONENT_HTML = '<div class="kg-graph" data-testid="kg-graph"></div>'


def _package_text(*parts: str) -> str:
    return files("kg").joinpath("webcomponent", *parts).read_text(encoding="utf-8")


def vis_network_js() -> str:
    """The vis-network library shipped inside the installed ``pyvis`` package.

    The file is found, not imported: importing pyvis loads jinja2, jsonpickle and IPython, 0.15-0.3 s
    of a fresh server's first view, for one file of data.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis is not installed: kg draws its graph with the vis-network that pyvis ships")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "lib" / f"vis-{VIS_VERSION}" / "vis-network.min.js").read_text(encoding="utf-8")


def vis_loader_js() -> str:
    """A JavaScript module that only loads vis-network (it sets ``globalThis.vis``).

    Mounted as its own component with no data, its message is the same on every rerun, so Streamlit
    sends the 470 kB once and afterwards only a reference to it; the graph component
    (:func:`component_js`) stays small however often its data change.
    """
    return vis_network_js() + "\nexport default function loadVis() {}\n"


def component_js() -> str:
    """The graph component's JavaScript module (``webcomponent/graph.js``); it waits for vis-network."""
    return _package_text("graph.js")


def policy_js() -> str:
    """A JavaScript module that adds its data, a Content-Security-Policy, to the page (``webcomponent/policy.js``)."""
    return _package_text("policy.js")


def search_js() -> str:
    """A JavaScript module that commits the search box after a pause in the typing (``webcomponent/search.js``)."""
    return _package_text("search.js")


def component_css() -> str:
    """The graph component's style sheet (``webcomponent/graph.css``)."""
    return _package_text("graph.css")


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


# The standalone page loads nothing: its script and style are inline, and images only from itself.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:"


# The app's page: images, media and fonts only from the app itself (or made in the page), no plugins,
# frames only from the app. Scripts, styles and connections are left to Streamlit, which needs
# its own inline styles and websocket; bank text never reaches the page as markup anyway.
APP_CSP = (
    "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; "
    "object-src 'none'; frame-src 'self'; base-uri 'self'; form-action 'self'"
)

APP_ICON = (
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'>"
    "<text y='.9em' font-size='90'>\U0001f578\ufe0f</text></svg>"
)
"""The page's icon, 🕸️ drawn as Streamlit draws an emoji icon: set by the page's own script
(``webcomponent/policy.js``), as ``st.set_page_config(page_icon="🕸️")`` first loads Streamlit's
catalogue of every emoji to check it is one (0.05-0.1 s of a fresh server's first page)."""


def to_html(data: Mapping[str, Any], *, title: str = "kg graph", height: int = 800) -> str:
    """A standalone page drawing ``data`` (from :func:`graph_data`), with nothing loaded from a network.

    Examples
    --------
    >>> page = to_html({"nodes": [{"id": "q:1", "label": "</script><b>"}], "edges": []}, title="<bank>")
    >>> "</script><b>" in page
    False
    >>> "<title>&lt;bank&gt;</title>" in page
    True
    >>> "img-src 'self' data:" in page
    True
    """
    payload = {
        "nodes": list(data.get("nodes", [])),
        "edges": list(data.get("edges", [])),
        "options": network_options(positioned=all("x" in n for n in data.get("nodes", []))),
    }
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{html.escape(title)}</title>\n<style>{component_css()}\n"
        f"body {{ margin: 0; font-family: sans-serif; }} .kg-graph {{ height: {int(height)}px; }}</style>\n"
        f"<script>{vis_network_js()}</script>\n</head>\n<body>\n{COMPONENT_HTML}\n<script>\n"
        f"const data = {_script_json(payload)};\n"
        "const host = document.querySelector('.kg-graph');\n"
        "new vis.Network(host, {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)},"
        " data.options);\n</script>\n</body>\n</html>\n"
    )
