"""The topics of the last full run, kept on disk, so that a run after a small edit keeps them.

Louvain (:func:`kg.topics.topics`) costs seconds on a big bank, and on a bank edited in a few
questions it can move many concepts between topics and rename topics: the legend a user knew changes
for an edit it has nothing to do with. So, as the pair stage keeps its bank statistics
(:mod:`kg.similar.incremental`), a full run keeps its topics and, per question, a digest of the
concepts it mentions (the co-occurrences topics are found on). A later run in which at most
:data:`FULL_SHARE` of the questions mention other concepts than at the full run (edited, added or
removed) carries the topics over (:func:`kg.topics.carried_topics`): a concept keeps its topic, a new
one takes its neighbours'. Past that share, or with no kept topics, Louvain runs again and its
topics are kept for the next runs.

What an edit run's topics differ in from a full run's: they are the full run's partition, with new
concepts added to a neighbour's topic rather than the communities found again; a topic keeps the name
it had at the full run (the label of its central concept then), even if that concept is gone or
relabelled since; and the ``min_size``/``max_topics`` cuts are those of the full run.

One entry per bank and settings, ``<cache>/topics/<key[:2]>/<key>.json`` (:class:`kg.cachefile.EntryFolder`:
checked, written atomically), keyed by kg's own code, the bank's folder, the seed and the concept file: topics kept by
another kg, for another seed or with another concept file are never read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.cachefile import EntryFolder, code_digest
from kg.model import QAItem

# Share of the bank's questions whose concepts changed (edited, added or removed) since the topics were
# found past which Louvain runs again: the pair stage's own share, so that a user sees both kept or both
# found again after the same edits.
from kg.similar.incremental import FULL_SHARE
from kg.topics import carried_topics, topics

log = logging.getLogger("kg.topicstate")

FORMAT = 1


@dataclass(frozen=True)
class TopicState:
    """The topics of a full run and what they were found on."""

    fitted_at: str  # when (ISO 8601, UTC)
    fitted_on: Mapping[str, str]  # question id -> digest of the concepts it mentioned (:func:`concept_digests`)
    topic_of: Mapping[str, str]  # concept id -> topic, as :func:`kg.topics.topics` gave it


@dataclass(frozen=True)
class TopicOutcome:
    """What a run did with the topics, for the user."""

    full: bool
    fitted_at: str
    changed: float  # share of the questions whose concepts changed since the full run
    why: str = ""  # why Louvain ran, when it did

    def line(self) -> str:
        """One line for the user.

        Examples
        --------
        >>> print(TopicOutcome(False, "2026-12-03T08:00:00+00:00", 0.004).line())
        topics: kept from the full run of 2026-12-03 08:00 UTC (0.4% of the questions name other concepts since)
        >>> TopicOutcome(True, "2026-12-03T08:00:00+00:00", 1.0, "no earlier run").line()
        'topics: found again (no earlier run)'
        """
        if self.full:
            return f"topics: found again ({self.why})"
        when = dt.datetime.fromisoformat(self.fitted_at).strftime("%Y-%m-%d %H:%M UTC")
        share = f"{self.changed:.1%} of the questions name other concepts since"
        return f"topics: kept from the full run of {when} ({share})"


def concept_digests(items: Sequence[QAItem], item_concepts: Mapping[str, Collection[str]]) -> dict[str, str]:
    """Per question id, a digest of the concepts it mentions (its co-occurrences), whatever their order.

    Examples
    --------
    >>> items = [QAItem("a", 1, "q", "", "b.md", 1), QAItem("b", 2, "q", "", "b.md", 3)]
    >>> d = concept_digests(items, {"a": {"x", "y"}})
    >>> d["a"] == concept_digests(items, {"a": ["y", "x"]})["a"], d["a"] == d["b"]
    (True, False)
    """
    none: Collection[str] = ()
    return {
        it.id: hashlib.blake2b("\0".join(sorted(item_concepts.get(it.id, none))).encode("utf-8", "surrogatepass"),
                               digest_size=8).hexdigest()
        for it in items
    }  # fmt: skip


def changed_share(state: TopicState, now: Mapping[str, str]) -> float:
    """Share of the full run's questions whose concepts differ now, counting added and removed ones.

    Examples
    --------
    >>> st = TopicState("", {"a": "1", "b": "2", "c": "3", "d": "4"}, {})
    >>> changed_share(st, {"a": "1", "b": "9", "c": "3", "e": "5"})  # b edited, d removed, e added
    0.75
    """
    fitted = state.fitted_on
    changed = sum(1 for i, d in now.items() if fitted.get(i) != d) + sum(1 for i in fitted if i not in now)
    return changed / max(len(fitted), 1)


def state_key(items: Sequence[QAItem], seed: int, settings: str = "") -> str:
    """The key of a bank's kept topics: kg's code, the format, the bank's folder, the seed and the caller's
    settings (the concept file's digest): a command run with another concept file keeps its own."""
    sources = sorted({it.source for it in items})
    folder = os.path.commonpath(sources) if sources else ""
    h = hashlib.sha256()
    for part in (f"format {FORMAT}", code_digest(), folder, f"seed {seed}", settings):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def _encode(state: TopicState) -> bytes:
    members: dict[str, list[str]] = {}
    for concept, topic in state.topic_of.items():
        members.setdefault(topic, []).append(concept)
    data = {"fitted_at": state.fitted_at, "fitted_on": dict(state.fitted_on), "topics": members}
    return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _decode(payload: bytes) -> TopicState:
    data = json.loads(payload)
    fitted_on = data["fitted_on"]
    if not isinstance(fitted_on, dict) or not isinstance(data["topics"], dict):
        raise ValueError("not a topic state")
    topic_of = {str(c): str(topic) for topic, concepts in data["topics"].items() for c in concepts}
    return TopicState(str(data["fitted_at"]), fitted_on, topic_of)


class TopicStore:
    """Kept topics on disk, one entry per key; ``load`` gives ``None`` for anything it cannot trust."""

    def __init__(self, root: str | Path) -> None:
        self.entries = EntryFolder(root, "topics", FORMAT, log, what="topics", redo="finding them again",
                                   lost="the topics, so they will be found again next time")  # fmt: skip
        self.last: TopicOutcome | None = None  # what the last run through this store did

    def path(self, key: str) -> Path:
        return self.entries.path(key)

    def load(self, key: str) -> TopicState | None:
        return self.entries.read(key, _decode)

    def save(self, key: str, state: TopicState) -> None:
        self.entries.save(key, _encode(state))


def kept_topics(
    G: nx.Graph,
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    store: TopicStore,
    *,
    seed: int = 0,
    settings: str = "",
    full: bool = False,
    share: float = FULL_SHARE,
) -> tuple[dict[str, str], TopicOutcome]:
    """The topics of ``G`` (the graph of ``items``, whose concepts per question are ``item_concepts``):
    those ``store`` keeps for this bank carried over (:func:`kg.topics.carried_topics`), or found by
    Louvain (:func:`kg.topics.topics`) and kept when ``full``, when none are kept, or when more than
    ``share`` of the questions' concepts changed since they were found. ``settings`` key the kept topics
    apart (:func:`state_key`).

    Notes
    -----
    Carrying over costs a pass over the concepts and the questions' concept sets, against Louvain's
    few seconds on a 100,000-question bank.
    """
    key = state_key(items, seed, settings)
    now = concept_digests(items, item_concepts)
    state = None if full else store.load(key)
    why, moved = ("asked for" if full else "no earlier run"), 1.0
    if state is not None:
        moved = changed_share(state, now)
        if moved > share:
            why = f"{moved:.1%} of the questions name other concepts than at the last full run, more than {share:.0%}"
        else:
            why = ""
    if why or state is None:
        found = topics(G, seed=seed)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        store.save(key, TopicState(stamp, now, found))
        outcome = TopicOutcome(True, stamp, moved, why)
    else:
        found = carried_topics(G, state.topic_of)
        outcome = TopicOutcome(False, state.fitted_at, moved)
    store.last = outcome
    log.info("%s", outcome.line())
    return found, outcome


__all__ = ["FULL_SHARE", "TopicOutcome", "TopicState", "TopicStore", "changed_share", "concept_digests",
           "kept_topics", "state_key"]  # fmt: skip
