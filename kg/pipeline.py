"""From parsed items to everything kg knows about a bank, in one call.

``build_bank`` runs the stages in order: one ``nlp.pipe`` pass that finds concept mentions (and, from the
same parses, typed relations), the concept–question graph, topics, and the scored pairs. The CLI and the
app both call it, so they always agree.
"""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from kg.bank import Bank
from kg.decisions import Decisions, apply_verdicts
from kg.embed import Embedder
from kg.errors import ParseError
from kg.extract.conceptfile import Vocabulary
from kg.extract.merge import merge_readings, read, text_count
from kg.graph import build_graph
from kg.model import Concept, Field, Mention, Pair, QAItem, Relation, cnode
from kg.progress import Progress, counted, no_progress, part
from kg.readings import Reader, ReadingStore, read_with_store, settings_digest
from kg.relations import RelationTable, load_relation_table, merge_relations, relations_from_doc
from kg.relations.generic_ends import demote_generic_ends
from kg.relations.merge import GraphRelation
from kg.similar import score_pairs
from kg.similar.model import PairModel
from kg.specificity import rate_concepts
from kg.topics import topics as find_topics

if TYPE_CHECKING:
    from kg.pairstate import PairStore
    from kg.similar.pairs import PairOptions
    from kg.topicstate import TopicStore

log = logging.getLogger("kg.pipeline")


def concept_sets(mentions: Sequence[Mention]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Concept ids per item id, of every field and of the question alone, in one pass over the mentions."""
    every: dict[str, set[str]] = defaultdict(set)
    asked: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        every[m.item].add(m.concept)
        if m.field == "question":
            asked[m.item].add(m.concept)
    return dict(every), dict(asked)


def never_generic(vocabulary: Vocabulary | None) -> frozenset[str]:
    """Names that are never generic: the glossary's terms of art and every name in the user's concept file."""
    from kg.extract.lexicon import bundled_glossary

    glossary = bundled_glossary()
    names = set(glossary.terms)
    for label, aliases in glossary.aliases.items():
        names.add(label)
        names.update(aliases)
    if vocabulary is not None:
        for label, aliases in vocabulary.aliases.items():
            names.add(label)
            names.update(aliases)
        names.update(t for group in vocabulary.merges for t in group)
    return frozenset(n.lower() for n in names)


def rate_bank_concepts(
    items: Sequence[QAItem], concepts: Sequence[Concept], mentions: Sequence[Mention], vocabulary: Vocabulary | None
) -> tuple[Concept, ...]:
    """The concepts of a whole bank with their specificity and generic tier (:func:`kg.specificity.rate_concepts`),
    the glossary's terms and the concept file's names never generic."""
    said = vocabulary or Vocabulary()
    return rate_concepts(
        items, concepts, mentions, terms=never_generic(vocabulary), specific=said.specific, generic=said.generic
    )


def generic_ids(concepts: Iterable[Concept]) -> frozenset[str]:
    """Ids of the concepts in the generic tier."""
    return frozenset(c.id for c in concepts if c.generic)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of a build.

    A build allocates millions of short-lived objects (tokens, spans, mentions) that reference counting
    frees at once; what the cyclic collector adds is re-scanning the hundreds of thousands of
    long-lived objects of the spaCy model each time allocations pile up. On the 1,309-question
    ajitsingh98 bank pausing it saved 0.4-1.5 s of 13-15 s, with the same peak memory (745 MiB)
    and about 12,000 cyclic objects left for the next collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class KeepRelations:
    """What the spaCy pass keeps of each doc: the relations it states (none without a table).

    A plain object rather than a closure, so that a reader on other machines (:mod:`kg.cluster`) can be
    sent it.
    """

    table: RelationTable | None

    def __call__(self, item: QAItem, fld: Field, doc: Doc) -> list[Relation]:
        return relations_from_doc(doc, item.id, self.table) if self.table is not None else []


def reading_settings(with_relations: bool, table: RelationTable | None) -> str:
    """What, besides the text, kg's code and the pipeline, the spaCy pass's readings depend on: the
    stored readings' key (:func:`kg.readings.file_key`), the same in every process."""
    return f"relations {with_relations} " + (settings_digest(table) if table else "")


@collector_paused()
def build_bank(
    items: Sequence[QAItem],
    nlp: Language,
    *,
    vocabulary: Vocabulary | None = None,
    embedder: Embedder | None = None,
    accepted: Collection[frozenset[str]] = frozenset(),
    decisions: Decisions | None = None,
    pair_model: PairModel | None = None,
    relation_table: RelationTable | None = None,
    with_relations: bool = True,
    with_pairs: bool = True,
    errors: Sequence[ParseError] = (),
    seed: int = 0,
    progress: Progress | None = None,
    n_process: int = 1,
    store: ReadingStore | None = None,
    reader: Reader = read,
    pair_store: PairStore | None = None,
    full_pairs: bool = False,
    topic_store: TopicStore | None = None,
    full_topics: bool = False,
) -> Bank:
    """Run every stage over a bank.

    Parameters
    ----------
    items : parsed items (:func:`kg.parse.parse_paths`).
    nlp : pipeline from :func:`kg.extract.load_nlp`.
    vocabulary : the user's concept file, if any.
    embedder : sentence embeddings for the meaning part of pair scores; None scores on wording and
        concepts only.
    accepted : pairs a curator marked "not a duplicate", left out by the scorer.
    decisions : a curator's verdicts (:mod:`kg.decisions`), applied to the scored pairs by
        :func:`kg.decisions.apply_verdicts`, as the app applies them to a bank built without.
    pair_model : the model that scores pairs (:mod:`kg.similar.model`): a bank's own, refitted by
        ``kg calibrate``, or by default the one shipped with kg.
    with_relations, with_pairs : skip stages a caller does not need. A relation with an end in the bank's
        generic tier is kept with a confidence under the shown threshold (:mod:`kg.relations.generic_ends`).
    seed : for community detection, so the same bank gives the same topics.
    progress : called with (fraction done, stage name), for a progress bar: every
        :data:`~kg.extract.merge.PROGRESS_STEP` texts of the spaCy pass, then at every step of the graph
        and of the pair scoring, with counts
        ("reading questions and answers: 1,200 of 2,600 texts", "embedding answers: 832 of 1,300").
    n_process : processes for the spaCy pass (``nlp.pipe``); 0 lets the reader choose by the texts it reads
        (:func:`kg.extract.merge.default_processes`); the result is the same for any number.
    store : where the spaCy pass's readings are kept per file (:mod:`kg.readings`): files read before
        are taken from it, and only the others parsed; the result is the same as without it.
    reader : what runs the spaCy pass: :func:`kg.extract.merge.read` in this process (and ``n_process``
        forked ones), or :func:`kg.cluster.read_on_ray` on a Ray cluster; the result is the same.
    pair_store : where the pair stage's state is kept between runs (:mod:`kg.pairstate`): with it, the
        pairs are rescored only around the items that changed since the last run, with the bank
        statistics of the last full run (:mod:`kg.similar.incremental`); ``pair_store.last`` then says
        what was done. Without it every pair is scored with statistics fitted on the bank.
    full_pairs : with ``pair_store``, score every pair and fit the statistics again all the same.
    topic_store : where the topics of the last full run are kept (:mod:`kg.topicstate`): with it, a run
        after a small edit carries them over instead of running Louvain again (new concepts take their
        neighbours' topic), so topics stay as the user knew them; ``topic_store.last`` then says what was
        done. Without it the topics are found on the bank.
    full_topics : with ``topic_store``, find the topics again all the same.

    Notes
    -----
    The spaCy pass dominates: roughly 20 s for 1,300 questions with long answers on one core. Pairs
    use a top-k neighbour search, so they grow about linearly with the bank.

    Examples
    --------
    >>> from kg.extract import load_nlp
    >>> from kg.parse import parse_text
    >>> items = parse_text("## 1. What is dropout?\\n\\nDropout reduces overfitting.\\n", "b.md")
    >>> bank = build_bank(items, load_nlp())
    >>> [c.label for c in bank.concepts]
    ['dropout', 'overfitting']
    """
    report = progress or no_progress
    table = relation_table if relation_table is not None else (load_relation_table() if with_relations else None)
    total = text_count(items)
    comparing = with_pairs and len(items) > 1
    # the spaCy pass is most of the work, but for the embeddings of a first run
    read_end = (0.5 if embedder is not None else 0.65) if comparing else 0.9
    count_read = counted(part(report, 0.0, read_end), "reading questions and answers", total, "texts")

    keep = KeepRelations(table if with_relations else None)

    count_read(0)
    settings = reading_settings(with_relations, table)
    readings, reused = read_with_store(
        items, nlp, store, settings=settings, keep=keep, progress=count_read, n_process=n_process, reader=reader
    )
    if reused:
        log.info("%d of %d items as read before, from %s", reused, len(items), store and store.entries.folder)
    ex = merge_readings(items, readings, vocabulary)
    concepts = rate_bank_concepts(items, ex.concepts, ex.mentions, vocabulary)
    raw_relations = [rel for r in readings for rel in r.kept]
    count_read(total)
    graph_part = part(report, read_end, read_end + (1.0 - read_end) * (0.1 if comparing else 1.0))
    graph_part(0.0, f"building the graph: {len(ex.concepts):,} concepts of {len(items):,} questions")
    relations: tuple[GraphRelation, ...] = ()
    if with_relations:  # a relation with an end in the bank's generic tier is kept but not shown by default
        merged = merge_relations(raw_relations, ex.key_to_id, ex.item_key_to_id)
        relations = tuple(demote_generic_ends(merged, generic_ids(concepts)))
    graph = build_graph(items, concepts, ex.mentions, relations)
    graph_part(0.5, f"finding topics among {len(ex.concepts):,} concepts")
    # made once, for the kept topics and the pairs
    item_concepts, question_concepts = (
        concept_sets(ex.mentions) if comparing or topic_store is not None else ({}, {})
    )
    topic_of: dict[str, str] = {}
    if ex.concepts and topic_store is not None:
        from kg.topicstate import kept_topics

        said = settings_digest(vocabulary) if vocabulary is not None else ""
        topic_of = kept_topics(graph, items, item_concepts, topic_store, seed=seed, settings=said, full=full_topics)[0]
    elif ex.concepts:
        topic_of = find_topics(graph, seed=seed)
    for cid, topic in topic_of.items():
        graph.nodes[cnode(cid)]["topic"] = topic
    pairs: tuple[Pair, ...] = ()
    if comparing:
        compare = part(report, read_end + (1.0 - read_end) * 0.1, 1.0)
        compare(0.0, f"comparing questions: {len(items):,} questions")
        options: PairOptions = {
            "embedder": embedder,
            "accepted": frozenset(accepted),
            "question_concepts": question_concepts,
            "progress": compare,
            "model": pair_model,
        }
        if pair_store is None:
            pairs = tuple(score_pairs(items, item_concepts, **options))
        else:
            from kg.pairstate import kept_pairs

            pairs = tuple(kept_pairs(items, item_concepts, pair_store, full=full_pairs, **options)[0])
        if decisions:
            pairs = tuple(apply_verdicts(pairs, decisions, {i.id for i in items}))
    report(1.0, "done")
    return Bank(
        items=tuple(items),
        concepts=concepts,
        mentions=ex.mentions,
        relations=relations,
        pairs=pairs,
        topics=topic_of,
        graph=graph,
        errors=tuple(errors),
        semantic=embedder is not None,
    )
