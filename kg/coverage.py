"""What a bank covers and what it misses, read off its concepts, mentions, pairs and graph.

- **Answer-only concepts**: answers mention them, no question asks about them: candidates for new
  questions.
- **Single-question concepts**: exactly one question asks about them: thin coverage.
- **Over-served concepts**: shared by several duplicate or overlapping pairs, a question of each asking
  about them: the bank asks about them again and again.
- **Central concepts**: the concepts the rest of the bank is built around.

"Asks about" means the concept is mentioned in the question text itself, not only in its answer.
Pure functions; the CLI (``kg coverage``) and the app render :class:`CoverageReport`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import networkx as nx

from kg.model import CLOSE_KINDS, Concept, Mention, Pair, node_id

log = logging.getLogger(__name__)

DEFAULT_KINDS = CLOSE_KINDS


@dataclass(frozen=True)
class ConceptCoverage:
    """How much of a bank asks about and explains one concept.

    ``asked_in`` holds the ids of the items whose question mentions the concept; ``answered_in`` those
    whose answer does.
    """

    id: str
    label: str
    asked_in: tuple[str, ...] = ()
    answered_in: tuple[str, ...] = ()
    topic: str | None = None


@dataclass(frozen=True)
class OverServed:
    """A concept shared by many duplicate or overlapping pairs, and the items of those pairs."""

    id: str
    label: str
    pairs: int
    items: tuple[str, ...]
    topic: str | None = None


@dataclass(frozen=True)
class Central:
    """A concept and its centrality score (see :func:`central_concepts`)."""

    id: str
    label: str
    score: float
    questions: int
    topic: str | None = None


@dataclass(frozen=True)
class CoverageReport:
    """Coverage of a bank: each list best first."""

    questions: int
    concepts: int
    asked: int
    answer_only: tuple[ConceptCoverage, ...] = ()
    single_question: tuple[ConceptCoverage, ...] = ()
    over_served: tuple[OverServed, ...] = ()
    central: tuple[Central, ...] = ()
    topics: Mapping[str, int] = field(default_factory=dict)
    totals: Mapping[str, int] = field(default_factory=dict)
    """How long each list was before it was cut (``answer_only``, ``single_question``, ``over_served``)."""

    def total(self, name: str) -> int:
        """How many entries the list ``name`` had before it was cut."""
        return self.totals.get(name, len(getattr(self, name)))

    def to_dict(self) -> dict:
        """Plain data for JSON output."""
        d = asdict(self)
        d["topics"] = dict(self.topics)
        d["totals"] = {name: self.total(name) for name in ("answer_only", "single_question", "over_served")}
        for key in ("answer_only", "single_question"):
            for entry in d[key]:
                entry["asked_in"] = list(entry["asked_in"])
                entry["answered_in"] = list(entry["answered_in"])
        for entry in d["over_served"]:
            entry["items"] = list(entry["items"])
        return d


def _by_field(mentions: Iterable[Mention]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Concept id -> items whose question (first) or answer (second) mentions it, in order of mention."""
    asked: dict[str, dict[str, None]] = defaultdict(dict)
    answered: dict[str, dict[str, None]] = defaultdict(dict)
    for m in mentions:
        (asked if m.field == "question" else answered)[m.concept][m.item] = None
    return {c: list(v) for c, v in asked.items()}, {c: list(v) for c, v in answered.items()}


def answer_only_concepts(
    mentions: Iterable[Mention],
    *,
    min_answers: int = 2,
    labels: Mapping[str, str] | None = None,
    topics: Mapping[str, str] | None = None,
) -> list[ConceptCoverage]:
    """Concepts that answers mention but no question asks about, most-answered first.

    Parameters
    ----------
    mentions
        Every mention of the bank (:attr:`kg.extract.Extraction.mentions`).
    min_answers
        Leave out concepts that fewer answers mention: one passing mention is rarely a gap.
    labels, topics
        Concept id to label and to topic, for display.

    Examples
    --------
    >>> from kg.model import Mention
    >>> ms = [Mention("dropout", "q1", "question", 0, 7, "dropout", ""),
    ...       Mention("co-adaptation", "q1", "answer", 0, 5, "co-adaptation", ""),
    ...       Mention("co-adaptation", "q2", "answer", 0, 5, "co-adaptation", "")]
    >>> [(c.id, c.answered_in) for c in answer_only_concepts(ms)]
    [('co-adaptation', ('q1', 'q2'))]
    """
    asked, answered = _by_field(mentions)
    out = [
        ConceptCoverage(c, _label(c, labels), (), tuple(items), _topic(c, topics))
        for c, items in answered.items()
        if c not in asked and len(items) >= min_answers
    ]
    out.sort(key=lambda e: (-len(e.answered_in), e.id))
    return out


def single_question_concepts(
    mentions: Iterable[Mention],
    *,
    labels: Mapping[str, str] | None = None,
    topics: Mapping[str, str] | None = None,
) -> list[ConceptCoverage]:
    """Concepts that exactly one question asks about, those most answers mention first.

    A concept asked once but explained in many answers is the likeliest to need another question.

    Examples
    --------
    >>> from kg.model import Mention
    >>> ms = [Mention("gru", "q8", "question", 0, 3, "GRU", ""),
    ...       Mention("gru", "q9", "answer", 0, 3, "GRU", ""),
    ...       Mention("lstm", "q8", "question", 0, 4, "LSTM", ""),
    ...       Mention("lstm", "q23", "question", 0, 4, "LSTM", "")]
    >>> [(c.id, c.asked_in, c.answered_in) for c in single_question_concepts(ms)]
    [('gru', ('q8',), ('q9',))]
    """
    asked, answered = _by_field(mentions)
    out = [
        ConceptCoverage(c, _label(c, labels), tuple(items), tuple(answered.get(c, ())), _topic(c, topics))
        for c, items in asked.items()
        if len(items) == 1
    ]
    out.sort(key=lambda e: (-len(e.answered_in), e.id))
    return out


def over_served_concepts(
    pairs: Iterable[Pair],
    *,
    min_pairs: int = 2,
    kinds: Sequence[str] = DEFAULT_KINDS,
    labels: Mapping[str, str] | None = None,
    topics: Mapping[str, str] | None = None,
    asked: Mapping[str, Collection[str]] | None = None,
) -> list[OverServed]:
    """Concepts shared by at least ``min_pairs`` duplicate or overlapping pairs, most pairs first.

    Parameters
    ----------
    pairs
        Scored pairs (:func:`kg.similar.find_pairs`); their ``shared_concepts`` are concept ids.
    kinds
        The pair kinds that count as serving a concept twice.
    asked
        Concept id to the items whose question mentions it: a pair counts for a concept only when one of
        its questions asks about it, not when both answers merely use it ("gradient" in every answer
        of a bank that never asks about it). Without it every shared concept counts.

    Examples
    --------
    >>> from kg.model import Pair
    >>> ps = [Pair("q2", "q30", 0.98, "duplicate", ("relu", "vanishing gradient")),
    ...       Pair("q13", "q21", 0.70, "overlap", ("relu", "leakyrelu")),
    ...       Pair("q1", "q5", 0.20, "related", ("relu",))]
    >>> [(o.id, o.pairs, o.items) for o in over_served_concepts(ps)]
    [('relu', 2, ('q13', 'q2', 'q21', 'q30'))]
    >>> over_served_concepts(ps, asked={"relu": ["q2"]})  # no question of the second pair asks about relu
    []
    """
    counts: Counter[str] = Counter()
    items: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        if p.kind not in kinds:
            continue
        for c in p.shared_concepts:
            if asked is not None and p.a not in asked.get(c, ()) and p.b not in asked.get(c, ()):
                continue
            counts[c] += 1
            items[c].update((p.a, p.b))
    out = [
        OverServed(c, _label(c, labels), n, tuple(sorted(items[c])), _topic(c, topics))
        for c, n in counts.items()
        if n >= min_pairs
    ]
    out.sort(key=lambda o: (-o.pairs, o.id))
    return out


def central_concepts(G: nx.Graph, n: int = 10, *, topics: Mapping[str, str] | None = None) -> list[Central]:
    """The ``n`` concepts with the highest weighted degree in the concept co-occurrence graph.

    The score is the number of (question, other concept) co-occurrences, so a concept is central when
    many questions discuss it together with many other concepts. Cheap (one pass over the edges) and
    easy to explain; ties go to the smaller id.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from(["c:a", "c:b", "c:c"], kind="concept")
    >>> G.add_node("q:1", kind="question")
    >>> G.add_edges_from([("c:a", "c:b", {"weight": 2}), ("c:a", "c:c", {"weight": 1}), ("q:1", "c:a")])
    >>> [(c.id, c.score, c.questions) for c in central_concepts(G, 2)]
    [('a', 3.0, 1), ('b', 2.0, 0)]
    """
    scored = []
    for node, data in G.nodes(data=True):
        if data.get("kind") != "concept":
            continue
        score = 0.0
        questions = 0
        for _, other, w in G.edges(node, data="weight"):
            kind = G.nodes[other].get("kind")
            if kind == "concept":
                score += float(w or 0)
            elif kind == "question":
                questions += 1
        cid = node_id(node)
        scored.append(Central(cid, data.get("label") or cid, score, questions, _topic(cid, topics)))
    scored.sort(key=lambda c: (-c.score, c.id))
    return scored[:n]


def coverage_report(
    concepts: Sequence[Concept],
    mentions: Sequence[Mention],
    pairs: Sequence[Pair] = (),
    G: nx.Graph | None = None,
    *,
    topics: Mapping[str, str] | None = None,
    questions: int | None = None,
    question_texts: Iterable[str] = (),
    n: int = 20,
    min_answers: int = 2,
    min_pairs: int = 2,
) -> CoverageReport:
    """Every coverage list of a bank in one report, each cut to its ``n`` first entries.

    Parameters
    ----------
    concepts, mentions
        From :func:`kg.extract.extract`.
    pairs
        Scored pairs; without them the over-served list is empty.
    G
        The concept–question graph; without it the central list is empty.
    topics
        Concept id to topic (:func:`kg.topics.topics`); the report counts concepts per topic.
    questions
        Number of questions of the bank (for the header); by default the items that have mentions.
    question_texts
        The bank's questions as read: a concept one of them names word for word is asked about, though
        the question's own concept is a longer one ("git" in "Explain some basic git commands"), and is
        no answer-only concept.

    Examples
    --------
    >>> from kg.model import Concept, Mention
    >>> cs = [Concept("dropout", "dropout", (), ("q1",)), Concept("co-adaptation", "co-adaptation", (), ("q1", "q2"))]
    >>> ms = [Mention("dropout", "q1", "question", 0, 7, "dropout", ""),
    ...       Mention("co-adaptation", "q1", "answer", 0, 5, "co-adaptation", ""),
    ...       Mention("co-adaptation", "q2", "answer", 0, 5, "co-adaptation", "")]
    >>> r = coverage_report(cs, ms, questions=2)
    >>> r.asked, [c.id for c in r.answer_only], [c.id for c in r.single_question]
    (1, ['co-adaptation'], ['dropout'])
    """
    labels = {c.id: c.label for c in concepts}
    asked, _ = _by_field(mentions)
    if questions is None:
        questions = len({m.item for m in mentions})
    answer_only = answer_only_concepts(mentions, min_answers=min_answers, labels=labels, topics=topics)
    if question_texts:
        worded = named_in(concepts, question_texts, [c.id for c in answer_only])
        answer_only = [c for c in answer_only if c.id not in worded]
    single = single_question_concepts(mentions, labels=labels, topics=topics)
    asking = {c: set(items) for c, items in asked.items()}
    over = over_served_concepts(pairs, min_pairs=min_pairs, labels=labels, topics=topics, asked=asking)
    report = CoverageReport(
        questions=questions,
        concepts=len(concepts),
        asked=len(asked),
        answer_only=tuple(answer_only[:n]),
        single_question=tuple(single[:n]),
        over_served=tuple(over[:n]),
        central=tuple(central_concepts(G, n, topics=topics)) if G is not None else (),
        topics=dict(Counter(topics.values()).most_common()) if topics else {},
        totals={"answer_only": len(answer_only), "single_question": len(single), "over_served": len(over)},
    )
    log.info(
        "coverage: %d of %d concepts asked about, %d answer-only",
        report.asked,
        report.concepts,
        len(report.answer_only),
    )
    return report


_WORD = re.compile(r"[a-z0-9]+[+#]*")


def _words(text: str) -> tuple[str, ...]:
    """Lower-case words, a plural's "s" dropped: "Explain some basic git commands" -> explain, some, ..."""
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _WORD.findall(text.lower()))


def named_in(concepts: Sequence[Concept], texts: Iterable[str], ids: Collection[str]) -> set[str]:
    """The ids among ``ids`` of the concepts whose label or an alias ``texts`` write word for word.

    Examples
    --------
    >>> from kg.model import Concept
    >>> cs = [Concept("git", "git", (), ()), Concept("sudo", "sudo", (), ()), Concept("shell", "shell", ("bash",), ())]
    >>> sorted(named_in(cs, ["Explain some basic git commands.", "What is Bash?"], ["git", "sudo", "shell"]))
    ['git', 'shell']
    """
    wanted = [c for c in concepts if c.id in set(ids)]
    if not wanted:
        return set()
    names = {c.id: {w for w in map(_words, (c.label, *c.aliases)) if w} for c in wanted}
    longest = max((len(w) for ws in names.values() for w in ws), default=0)
    grams: set[tuple[str, ...]] = set()
    for text in texts:
        words = _words(text)
        for n in range(1, longest + 1):
            grams.update(words[i : i + n] for i in range(len(words) - n + 1))
    return {cid for cid, ws in names.items() if ws & grams}


def _label(concept_id: str, labels: Mapping[str, str] | None) -> str:
    return labels.get(concept_id, concept_id) if labels else concept_id


def _topic(concept_id: str, topics: Mapping[str, str] | None) -> str | None:
    return topics.get(concept_id) if topics else None
