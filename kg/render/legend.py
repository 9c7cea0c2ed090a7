"""The legend of the graph's colours: each topic's swatch, its name and its size, largest first.

The colours are those :func:`kg.render.style.topic_colours` gives the nodes, computed from the same
topics, so the legend and the canvas cannot disagree.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from kg.render.style import NO_TOPIC_COLOUR, PALETTE, topic_colours
from kg.text import quantity
from kg.topics import OTHER, TopicSummary

LEGEND_TOPICS = len(PALETTE)
"""Topics named one by one: those with a colour of their own (:func:`~kg.render.style.topic_colours`)."""


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a topic, or the topics drawn grey taken together (``topic=None``)."""

    topic: str | None
    name: str
    colour: str
    concepts: int
    questions: int | None  # None for the grey line: its topics' questions overlap


def legend(
    summaries: Sequence[TopicSummary],
    topic_of: Mapping[str, str],
    *,
    shown: Collection[str] | None = None,
) -> tuple[list[LegendEntry], int]:
    """The legend's lines and how many topics it leaves out.

    Parameters
    ----------
    summaries
        Every topic, largest first (:func:`kg.topics.topic_summaries` on ``topic_of``).
    topic_of
        Concept id to topic, as the graph was coloured with (:func:`kg.render.graph_data`).
    shown
        The concept ids drawn, when not all of them are (a neighbourhood): only their topics are listed.

    Each topic with a colour of its own (at most :data:`LEGEND_TOPICS`) has a line; the smaller
    topics and ``"other"`` make one grey line, as they are drawn grey.

    Returns
    -------
    tuple
        The entries (topics with a colour of their own, largest first, then the grey line when there
        is one) and the number of topics in the grey line (``"other"`` not counted).

    Examples
    --------
    >>> from kg.topics import TopicSummary
    >>> topic_of = {"relu": "relu", "tanh": "relu", "pca": "pca", "sql": "other", "join": "other"}
    >>> summaries = [TopicSummary("relu", "relu · tanh", ("relu", "tanh"), 5),
    ...              TopicSummary("pca", "pca", ("pca",), 2), TopicSummary("other", "other", ("join", "sql"), 1)]
    >>> entries, more = legend(summaries, topic_of)
    >>> [(e.name, e.colour, e.concepts) for e in entries], more
    ([('relu · tanh', '#0072b2', 2), ('pca', '#e69f00', 1), ('other concepts', '#9fb3c8', 2)], 0)
    >>> [e.name for e in legend(summaries, topic_of, shown={"pca"})[0]]
    ['pca']
    """
    colours = topic_colours(topic_of)
    wanted = None if shown is None else {topic_of[c] for c in shown if c in topic_of}
    entries: list[LegendEntry] = []
    grey_topics: list[TopicSummary] = []
    for s in summaries:
        if wanted is not None and s.topic not in wanted:
            continue
        colour = colours.get(s.topic, NO_TOPIC_COLOUR)
        if s.topic == OTHER or colour == NO_TOPIC_COLOUR:
            grey_topics.append(s)
        else:
            entries.append(LegendEntry(s.topic, s.name, colour, len(s.concepts), s.questions))
    more = sum(s.topic != OTHER for s in grey_topics)
    if grey_topics:
        entries.append(
            LegendEntry(None, _grey_name(more, any(s.topic == OTHER for s in grey_topics)), NO_TOPIC_COLOUR,
                        sum(len(s.concepts) for s in grey_topics), None)
        )
    return entries, more


def _grey_name(more: int, other: bool) -> str:
    """What the grey line stands for.

    Examples
    --------
    >>> _grey_name(0, True), _grey_name(3, False), _grey_name(1, True)
    ('other concepts', '3 more topics', '1 more topic and other concepts')
    """
    topics = quantity(more, "more topic") if more else ""
    return " and ".join(part for part in (topics, "other concepts" if other else "") if part)


def legend_html(entries: Sequence[LegendEntry]) -> str:
    """The legend as an HTML block: a swatch, the name and the counts per entry, in columns.

    Names are bank text and are escaped; a long one is cut with an ellipsis and shown whole on hover.

    Examples
    --------
    >>> html_ = legend_html([LegendEntry("x", "<b>relu</b> · tanh", "#0072b2", 2, 5)])
    >>> "&lt;b&gt;relu&lt;/b&gt; · tanh" in html_, "<b>" in html_, "background:#0072b2" in html_
    (True, False, True)
    >>> legend_html([])
    ''
    """
    if not entries:
        return ""
    items = []
    for e in entries:
        counts = quantity(e.concepts, "concept")
        if e.questions is not None:
            counts += f" · {e.questions:,} q"
        name = html.escape(e.name)
        topic = html.escape(e.topic or "", quote=True)
        items.append(
            f'<li data-topic="{topic}" data-colour="{e.colour}" title="{name} ({counts})">'
            f'<span class="kg-swatch" style="background:{e.colour}"></span>'
            f'<span class="kg-topic">{name}</span><span class="kg-count">{counts}</span></li>'
        )
    return f"<style>{_LEGEND_CSS}</style><ul class=\"kg-legend\" data-testid=\"kg-legend\">{''.join(items)}</ul>"


_LEGEND_CSS = """
.kg-legend { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.1rem 1rem;
  grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); font-size: 0.78rem; line-height: 1.25; }
.kg-legend li { display: flex; align-items: center; gap: 0.4rem; min-width: 0; margin: 0; }
.kg-swatch { flex: none; width: 0.75rem; height: 0.75rem; border-radius: 50%; border: 1px solid rgba(0,0,0,0.25); }
.kg-topic { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
.kg-count { flex: none; margin-left: auto; opacity: 0.6; font-size: 0.72rem; }
"""
