"""Turn a kg graph into what vis-network draws: node and edge dicts, positions, a neighbourhood, a page.

Pure functions with no Streamlit in them: the app calls them and caches what they return, and the
same data can be written to a standalone HTML page.

- :mod:`kg.render.view`: the view graph, the neighbourhood of a selection, which labels are drawn;
- :mod:`kg.render.layout`: positions;
- :mod:`kg.render.style`: colours, sizes and short labels;
- :mod:`kg.render.visdata`: vis-network nodes, edges and options;
- :mod:`kg.render.legend`: the legend of the topics' colours;
- :mod:`kg.render.firstview`: a bank's legend and opening view, computed once and stored with it;
- :mod:`kg.render.page`: the component's script and style, vis-network, a standalone page.
"""

from kg.render.firstview import FirstView, close_pairs_digest, first_view
from kg.render.layout import EXACT_REPULSION, GRAVITY, PIXELS_PER_UNIT, layout
from kg.render.legend import LEGEND_TOPICS, LegendEntry, legend, legend_html
from kg.render.page import (
    APP_CSP,
    APP_ICON,
    COMPONENT_HTML,
    VIS_VERSION,
    component_css,
    component_js,
    policy_js,
    search_js,
    to_html,
    vis_loader_js,
    vis_network_js,
)
from kg.render.style import (
    CONCEPT_COLOUR,
    GENERIC_COLOUR,
    GENERIC_SIZE,
    NO_TOPIC_COLOUR,
    PALETTE,
    QUESTION_COLOUR,
    QUESTION_FONT,
    concept_font,
    concept_size,
    question_label,
    shorten,
    topic_colours,
)
from kg.render.view import (
    DEFAULT_HOPS,
    FULL_VIEW_LIMIT,
    LABEL_ALL,
    LABELS_AT_FIT,
    NEIGHBOURHOOD_LIMIT,
    drawn_whole,
    filtered,
    label_ranks,
    labelled,
    local_graph,
    neighbourhood,
    opening,
    shown,
    top_concept,
    view_graph,
)
from kg.render.visdata import focus_labels, graph_data, network_options, view_data

__all__ = [
    "APP_CSP",
    "APP_ICON",
    "COMPONENT_HTML",
    "CONCEPT_COLOUR",
    "DEFAULT_HOPS",
    "EXACT_REPULSION",
    "FULL_VIEW_LIMIT",
    "GENERIC_COLOUR",
    "GENERIC_SIZE",
    "FirstView",
    "GRAVITY",
    "LABEL_ALL",
    "LABELS_AT_FIT",
    "NEIGHBOURHOOD_LIMIT",
    "LEGEND_TOPICS",
    "LegendEntry",
    "NO_TOPIC_COLOUR",
    "PALETTE",
    "PIXELS_PER_UNIT",
    "QUESTION_COLOUR",
    "QUESTION_FONT",
    "VIS_VERSION",
    "close_pairs_digest",
    "component_css",
    "component_js",
    "concept_font",
    "concept_size",
    "drawn_whole",
    "filtered",
    "first_view",
    "focus_labels",
    "graph_data",
    "label_ranks",
    "labelled",
    "legend",
    "legend_html",
    "layout",
    "local_graph",
    "neighbourhood",
    "network_options",
    "opening",
    "policy_js",
    "search_js",
    "question_label",
    "shorten",
    "shown",
    "to_html",
    "top_concept",
    "topic_colours",
    "view_data",
    "view_graph",
    "vis_loader_js",
    "vis_network_js",
]
