"""Reading a store: each query reads the rows it needs, never the whole bank."""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.graph import RelatedConcept, RelatedQuestion
from kg.model import PAIR_KINDS, Concept, Mention, Pair, QAItem, SentenceMatch
from kg.relations.merge import GraphRelation
from kg.store.schema import FORMAT, SCHEMA, StoreError

log = logging.getLogger("kg.store")

_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class ConceptPage:
    """A concept as its panel shows it: the concept, its topic, its questions (those that ask about it
    first, as :func:`kg.graph.questions_of`), its related concepts (:func:`kg.graph.related_concepts`)
    and the relations its answers state (all of them; :func:`kg.relations.confident` picks the shown)."""

    concept: Concept
    topic: str | None
    questions: tuple[str, ...]
    related: tuple[RelatedConcept, ...]
    relations: tuple[GraphRelation, ...]


@dataclass(frozen=True)
class QuestionPage:
    """A question as its panel shows it: the item, its title, its concepts in order of first mention
    (with their labels), the character ranges of the concepts in its question text, its duplicate and
    overlap pairs, and its related questions (:func:`kg.graph.related_questions`)."""

    item: QAItem
    title: str
    concepts: tuple[tuple[str, str], ...]
    spans: tuple[tuple[int, int], ...]
    close: tuple[Pair, ...]
    related: tuple[RelatedQuestion, ...]


@dataclass(frozen=True)
class Neighbourhood:
    """The nodes :func:`kg.render.local_graph` keeps around a centre, nearest first, with their
    attributes, and the edges among them; :meth:`to_graph` gives the same graph."""

    centre: str
    nodes: tuple[tuple[str, dict[str, Any]], ...]
    edges: tuple[tuple[str, str, dict[str, Any]], ...] = field(repr=False)

    def to_graph(self):
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from(self.edges)
        return g


def open_store(path: str | Path, *, check: bool = False) -> Store:
    """Open the store at ``path`` for reading, after checking that it is a complete kg store of this
    version; with ``check``, SQLite's own check of every page too (a few seconds on a big store).

    Raises
    ------
    StoreError
        With the file's name: missing, not a kg store, written by another kg or schema, incomplete or damaged.

    Examples
    --------
    >>> open_store("/no/such/bank.sqlite")
    Traceback (most recent call last):
    ...
    kg.store.schema.StoreError: /no/such/bank.sqlite: no such file
    """
    return Store(Path(path), check=check)


def open_current(path: str | Path, key: str, *, check: bool = False) -> Store | None:
    """The store at ``path`` if it can be read and was written for the bank ``key``; otherwise ``None``,
    with one warning naming the file and why (none when there is no file), for the caller to build the
    bank and write the store again: a store of another kg, schema, bank or settings is never read.

    Examples
    --------
    >>> open_current("/no/such/bank.sqlite", "abc") is None
    True
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        store = open_store(path, check=check)
    except StoreError as exc:
        log.warning("%s; writing it again", exc)
        return None
    if store.key != key:
        store.close()
        log.warning("%s: written for another bank or other settings; writing it again", path)
        return None
    return store


def is_store(path: str | Path) -> bool:
    """Whether ``path`` is an SQLite file (a store, or another kind a reader will refuse by name)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_HEADER)) == _HEADER
    except OSError:
        return False


class Store:
    """A kg store opened for reading: every query returns plain records, and runs under one lock, so a
    store may be shared by threads (the app's sessions)."""

    def __init__(self, path: Path, *, check: bool = False) -> None:
        from kg import __version__

        self.path = path
        if not path.exists():
            raise StoreError(path, "no such file")
        if path.is_dir():
            raise StoreError(path, "is a folder, not a store")
        if not is_store(path):
            raise StoreError(path, "not a kg store (not an SQLite file); write one with 'kg store'")
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(self._db.execute("SELECT name, value FROM meta"))
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                raise StoreError(path, "not a kg store (an SQLite file without kg's tables)") from None
            raise StoreError(path, f"cannot be read ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(path, f"the store is damaged ({exc}); write it again with 'kg store'") from None
        if meta.get("format") != FORMAT:
            raise StoreError(path, "not a kg store (an SQLite file without kg's tables)")
        if meta.get("schema") != str(SCHEMA) or meta.get("kg_version") != __version__:
            raise StoreError(
                path,
                f"written by kg {meta.get('kg_version')} (store schema {meta.get('schema')}); this is kg "
                f"{__version__} (schema {SCHEMA}): write it again with 'kg store'",
            )
        if meta.get("complete") != "1":
            raise StoreError(path, "the store is incomplete; write it again with 'kg store'")
        if check:
            problems = [r[0] for r in self._query("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise StoreError(path, f"the store is damaged ({problems[0]}); write it again with 'kg store'")
        self.meta = meta
        self.items_total = int(meta["items"])
        self._terms_total = (int(meta["question_terms"]), int(meta["answer_terms"]))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------
    # plumbing

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(self.path, f"the store is damaged ({exc}); write it again with 'kg store'") from None

    def _in(self, sql: str, values: Sequence[Any], args: Sequence[Any] = ()) -> list[tuple]:
        """``sql`` with ``{}`` standing for ``?, ?, …`` over ``values``, in chunks SQLite accepts."""
        out: list[tuple] = []
        values = list(values)
        for start in range(0, len(values), 900):
            chunk = values[start : start + 900]
            out += self._query(sql.format(", ".join("?" * len(chunk))), [*args, *chunk])
        return out

    @property
    def key(self) -> str:
        """The bank key the store was written under (:func:`kg.bankstore.bank_key`)."""
        return self.meta.get("key", "")

    @property
    def semantic(self) -> bool:
        return self.meta.get("semantic") == "1"

    def errors(self) -> list[str]:
        """What reading the bank's files reported when the store was written."""
        return list(json.loads(self.meta.get("errors", "[]")))

    def counts(self) -> dict[str, int]:
        return {k: int(self.meta[k]) for k in ("items", "concepts", "pairs", "relations")}

    def files(self) -> list[str]:
        """The bank's files or folders, as ``kg store`` was given them (absolute)."""
        return list(json.loads(self.meta.get("files", "[]")))

    @property
    def nodes_total(self) -> int:
        """How many nodes the bank's graph has (questions and concepts)."""
        return int(self.meta["nodes"])

    # ------------------------------------------------------------------------------------------
    # items and concepts

    _ITEM = "row, id, number, question, answer, source, line, question_text, answer_text, title"

    @staticmethod
    def _item(row: tuple) -> QAItem:
        return QAItem(*row[1:9])

    def find_question(self, ref: str) -> list[str]:
        """Ids of the questions ``ref`` names: its id, else every question of that number."""
        found = self._query("SELECT id FROM items WHERE id = ?", (ref,))
        if not found and ref.isdigit():
            found = self._query("SELECT id FROM items WHERE number = ? ORDER BY row", (int(ref),))
        return [r[0] for r in found]

    def item(self, item_id: str) -> QAItem | None:
        rows = self._query(f"SELECT {self._ITEM} FROM items WHERE id = ?", (item_id,))
        return self._item(rows[0]) if rows else None

    def items(self, offset: int = 0, limit: int = -1) -> list[QAItem]:
        rows = self._query(f"SELECT {self._ITEM} FROM items ORDER BY row LIMIT ? OFFSET ?", (limit, offset))
        return [self._item(r) for r in rows]

    def items_of(self, item_ids: Iterable[str]) -> dict[str, QAItem]:
        """The items of these ids that the store holds, by id: one query for many."""
        return {r[1]: self._item(r) for r in self._in(f"SELECT {self._ITEM} FROM items WHERE id IN ({{}})",
                                                      list(set(item_ids)))}  # fmt: skip

    def titles(self, item_ids: Iterable[str]) -> dict[str, str]:
        """``question_title`` of each item (:func:`kg.views.question_title`)."""
        return dict(self._in("SELECT id, title FROM items WHERE id IN ({})", list(item_ids)))

    def find_concept(self, name: str) -> str | None:
        """The id of the concept ``name`` names: its id, label or an alias, case, spaces and hyphens
        aside (as ``kg related --concept``); the first in the bank's order when several do."""
        rows = self._query(
            "SELECT min(row) FROM (SELECT row FROM concepts WHERE id = ? "
            "UNION SELECT concept FROM names WHERE folded = ?)",
            (name, _fold(name)),
        )
        if not rows or rows[0][0] is None:
            return None
        return self._query("SELECT id FROM concepts WHERE row = ?", (rows[0][0],))[0][0]

    def concepts(self, ids: Iterable[str] | None = None) -> list[Concept]:
        """Concepts with their aliases and questions, in the bank's order: all of them, or those of ``ids``."""
        sql = "SELECT row, id, label, specificity, generic, question_ids FROM concepts"
        if ids is None:
            rows = self._query(sql + " ORDER BY row")
        else:
            rows = self._in(sql + " WHERE id IN ({}) ORDER BY row", list(ids))
        return self._concepts(rows)

    def _concepts(self, rows: list[tuple]) -> list[Concept]:
        """Concepts of rows (row, id, label, specificity, generic, question_ids)."""
        aliases: dict[int, list[str]] = defaultdict(list)
        sql = "SELECT concept, name FROM names WHERE alias = 1 AND concept IN ({}) ORDER BY concept, pos"
        for c, name in self._in(sql, [r[0] for r in rows]):
            aliases[c].append(name)
        return [
            Concept(cid, label, tuple(aliases[row]), tuple(json.loads(questions)), spec, bool(generic))
            for row, cid, label, spec, generic, questions in rows
        ]

    def top_concepts(self, n: int, *, generic: bool = True) -> list[Concept]:
        """The ``n`` concepts in the most questions, the generic ones after the specific ones (none
        without ``generic``); ties by label, then the bank's order (:func:`kg.specificity.ranked`)."""
        rows = self._query(
            "SELECT row, id, label, specificity, generic, question_ids FROM concepts WHERE generic = 0 OR ? "
            "ORDER BY generic, questions DESC, label, row LIMIT ?",
            (int(generic), n),
        )
        return self._concepts(rows)

    def opening(self) -> str | None:
        """The concept node a neighbourhood opens on when nothing is selected: the concept in most
        questions, a specific one before a generic one, ties to the later label
        (:func:`kg.render.opening`, for a bank too big to draw whole)."""
        rows = self._query("SELECT id FROM concepts ORDER BY generic, questions DESC, label DESC, row LIMIT 1")
        return f"c:{rows[0][0]}" if rows else None

    def view(self, settings: Sequence[Any]) -> dict[str, Any] | None:
        """The view stored for ``settings`` (the app's first view, :func:`kg.store.write.opening_view`),
        else ``None``."""
        rows = self._query("SELECT data FROM views WHERE settings = ?", (json.dumps(list(settings)),))
        return json.loads(rows[0][0]) if rows else None

    def topic_summaries(self):
        """The topics as the legend names them, largest first (:func:`kg.topics.topic_summaries`)."""
        from kg.topics import TopicSummary

        rows = self._query("SELECT topic, name, concepts, questions FROM topic_summaries ORDER BY row")
        return [TopicSummary(t, name, tuple(json.loads(cs)), q) for t, name, cs, q in rows]

    def concept_rows(self) -> list[dict[str, Any]]:
        """Every concept as the Concepts page lists it (:func:`kg.views.concept_rows`)."""
        aliases: dict[int, list[str]] = defaultdict(list)
        for c, name in self._query("SELECT concept, name FROM names WHERE alias = 1 ORDER BY concept, pos"):
            aliases[c].append(name)
        rows = self._query(
            "SELECT row, id, label, questions, asked, topic, central, specificity, generic FROM concepts "
            "ORDER BY generic, questions DESC, row"
        )
        return [
            {"concept": label, "questions": questions, "asked in": asked, "topic": topic or "", "centrality": central,
             "specificity": spec, "generic": bool(generic), "aliases": ", ".join(aliases[row]), "id": cid}
            for row, cid, label, questions, asked, topic, central, spec, generic in rows
        ]  # fmt: skip

    def topics(self) -> dict[str, str]:
        """Each concept's topic, as :attr:`kg.bank.Bank.topics`."""
        return dict(self._query("SELECT id, topic FROM concepts WHERE topic IS NOT NULL ORDER BY row"))

    def _concept_row(self, concept_id: str) -> tuple | None:
        rows = self._query("SELECT row, topic FROM concepts WHERE id = ?", (concept_id,))
        return rows[0] if rows else None

    def questions_of(self, concept_id: str) -> list[str]:
        """The concept's questions, those that ask about it first (:func:`kg.graph.questions_of`)."""
        rows = self._query(
            "SELECT i.id FROM links l JOIN items i ON i.row = l.item JOIN concepts c ON c.row = l.concept "
            "WHERE c.id = ? ORDER BY l.in_question DESC, l.count DESC, i.id",
            (concept_id,),
        )
        return [r[0] for r in rows]

    def concept(self, name: str, *, top: int | None = None) -> ConceptPage | None:
        """The concept ``name`` names (:meth:`find_concept`) with its questions, related concepts (the
        first ``top``, or all) and relations; ``None`` when the bank has no such concept."""
        cid = self.find_concept(name)
        return None if cid is None else self.concept_page(cid, top=top)

    def concept_page(self, concept_id: str, *, top: int | None = None) -> ConceptPage | None:
        """:meth:`concept` of the concept with this id (not a name); ``None`` when there is none."""
        found = self._concept_row(concept_id)
        if found is None:
            return None
        row, topic = found
        concept = self.concepts([concept_id])[0]
        related = self._related(row, top, 0.0)
        return ConceptPage(
            concept, topic, tuple(self.questions_of(concept_id)), tuple(related), tuple(self._relations(row))
        )

    def _relations(self, row: int) -> list[GraphRelation]:
        rows = self._query(
            "SELECT h.id, r.relation, t.id, r.verb, r.questions, r.sentence, r.confidence FROM relations r "
            "JOIN concepts h ON h.row = r.head JOIN concepts t ON t.row = r.tail "
            "WHERE r.row IN (SELECT row FROM relations WHERE head = ? UNION SELECT row FROM relations WHERE tail = ?) "
            "ORDER BY r.row",
            (row, row),
        )
        return [GraphRelation(h, rel, t, verb, tuple(json.loads(qs)), s, conf) for h, rel, t, verb, qs, s, conf in rows]

    def related_concepts(
        self, concept_id: str, top: int | None = None, min_confidence: float = 0.0
    ) -> list[RelatedConcept]:
        """:func:`kg.graph.related_concepts` of the bank's graph (relations below ``min_confidence`` left
        out, as in the drawn graph)."""
        found = self._concept_row(concept_id)
        return [] if found is None else self._related(found[0], top, min_confidence)

    def _related(self, row: int, top: int | None, min_confidence: float) -> list[RelatedConcept]:
        shared: dict[int, set[str]] = defaultdict(set)
        for c, item_id in self._query(
            "SELECT l2.concept, i.id FROM links l1 JOIN links l2 ON l2.item = l1.item JOIN items i ON i.row = l1.item "
            "WHERE l1.concept = ? AND l2.concept != ?",
            (row, row),
        ):
            shared[c].add(item_id)
        for (c,) in self._query("SELECT b FROM relation_edges WHERE a = ? AND confidence >= ?", (row, min_confidence)):
            shared.setdefault(c, set())
        if not shared:
            return []
        known = {
            r: (cid, df) for r, cid, df in self._in("SELECT row, id, df FROM concepts WHERE row IN ({})", list(shared))
        }
        n = max(self.items_total, 1)
        out = [
            RelatedConcept(known[c][0], tuple(sorted(qs)), round(len(qs) * _rarity(known[c][1], n), 4))
            for c, qs in shared.items()
        ]
        out.sort(key=lambda r: (-r.score, -len(r.shared_questions), r.concept))
        return out[:top] if top else out

    # ------------------------------------------------------------------------------------------
    # questions

    def concepts_of(self, item_id: str) -> list[str]:
        """Concept ids an item mentions, in order of first mention (:meth:`kg.bank.Bank.concepts_of`)."""
        rows = self._query(
            "SELECT c.id FROM links l JOIN items i ON i.row = l.item JOIN concepts c ON c.row = l.concept "
            "WHERE i.id = ? ORDER BY l.first",
            (item_id,),
        )
        return [r[0] for r in rows]

    def mentions(self, item_id: str, field: str | None = None) -> list[Mention]:
        """An item's concept mentions in the bank's order, of one field or both."""
        rows = self._query(
            'SELECT c.id, m.field, m.start, m."end", m.text, s.text FROM mentions m '
            "JOIN items i ON i.row = m.item JOIN concepts c ON c.row = m.concept "
            "JOIN sentences s ON s.row = m.sentence "
            "WHERE i.id = ? AND (? IS NULL OR m.field = ?) ORDER BY m.row",
            (item_id, field, field),
        )
        return [Mention(cid, item_id, f, start, end, text, sentence) for cid, f, start, end, text, sentence in rows]

    def answer_mentions(self, concept_id: str, item_ids: Iterable[str]) -> dict[str, Mention]:
        """The first answer mention of the concept in each of ``item_ids``: the sentence its panel shows
        under a question (:func:`kg.views.answer_mentions`)."""
        found = self._concept_row(concept_id)
        if found is None:
            return {}
        out: dict[str, Mention] = {}
        for item_id, start, end, text, sentence in self._in(
            'SELECT i.id, m.start, m."end", m.text, s.text FROM mentions m JOIN items i ON i.row = m.item '
            "JOIN sentences s ON s.row = m.sentence WHERE m.concept = ? AND m.field = 'answer' AND i.id IN ({}) "
            "ORDER BY m.row",
            list(item_ids),
            (found[0],),
        ):
            out.setdefault(item_id, Mention(concept_id, item_id, "answer", start, end, text, sentence))
        return out

    def question(self, item_id: str, *, top: int | None = 10) -> QuestionPage | None:
        """A question's page (:class:`QuestionPage`), its first ``top`` related questions; ``None`` when
        the bank has no such question."""
        rows = self._query(f"SELECT {self._ITEM} FROM items WHERE id = ?", (item_id,))
        if not rows:
            return None
        item = self._item(rows[0])
        concepts = self._query(
            "SELECT c.id, c.label FROM links l JOIN concepts c ON c.row = l.concept WHERE l.item = ? ORDER BY l.first",
            (rows[0][0],),
        )
        spans = [(m.start, m.end) for m in self.mentions(item_id, "question")]
        close = self._close_pairs(rows[0][0])
        return QuestionPage(
            item,
            rows[0][9],
            tuple(concepts),
            tuple(spans),
            tuple(close),
            tuple(self._related_questions(rows[0][0], top)),
        )

    def close_pairs(self, item_id: str) -> list[Pair]:
        """The question's duplicate and overlap pairs, in the bank's order."""
        rows = self._query("SELECT row FROM items WHERE id = ?", (item_id,))
        return self._close_pairs(rows[0][0]) if rows else []

    def _close_pairs(self, row: int) -> list[Pair]:
        return self._pairs(
            "WHERE p.row IN (SELECT row FROM pairs WHERE a = ? UNION SELECT row FROM pairs WHERE b = ?) "
            "AND p.kind IN ('duplicate', 'overlap') ORDER BY p.row",
            (row, row),
        )

    def related_questions(self, item_id: str, top: int | None = None) -> list[RelatedQuestion]:
        """:func:`kg.graph.related_questions`: questions that share concepts, by the rarity of what they share."""
        rows = self._query("SELECT row FROM items WHERE id = ?", (item_id,))
        return self._related_questions(rows[0][0], top) if rows else []

    def _related_questions(self, row: int, top: int | None) -> list[RelatedQuestion]:
        mine = self._query(
            "SELECT l.concept, c.id, c.df FROM links l JOIN concepts c ON c.row = l.concept "
            "WHERE l.item = ? ORDER BY l.qpos",
            (row,),
        )
        n = max(self.items_total, 1)
        rarity = {cid: _rarity(df, n) for _, cid, df in mine}
        order = {c: k for k, (c, _, _) in enumerate(mine)}
        name = {c: cid for c, cid, _ in mine}
        shared: dict[int, list[int]] = defaultdict(list)
        for item, c in self._query(
            "SELECT l2.item, l2.concept FROM links l1 JOIN links l2 ON l2.concept = l1.concept "
            "WHERE l1.item = ? AND l2.item != ?",
            (row, row),
        ):
            shared[item].append(c)
        if not shared:
            return []
        ids = dict(self._in("SELECT row, id FROM items WHERE row IN ({})", list(shared)))
        out = []
        for item, cs in shared.items():
            cs.sort(key=order.__getitem__)  # summed in the graph's neighbour order, as kg.graph sums them
            out.append(RelatedQuestion(ids[item], tuple(sorted(name[c] for c in cs)),
                                       round(sum(rarity[name[c]] for c in cs), 4)))  # fmt: skip
        out.sort(key=lambda r: (-r.score, r.item))
        return out[:top] if top else out

    # ------------------------------------------------------------------------------------------
    # pairs

    def pairs(self, kind: str | None = None, offset: int = 0, limit: int = 50, floor: float = 0.0) -> list[Pair]:
        """The bank's pairs in its order (best first), of one ``kind`` or all, those scored at least
        ``floor``, a page at a time: a range of the kind's places, as the pairs of a kind at or above a
        floor are its first ones (:func:`kg.store.write.best_first`)."""
        if kind is None:
            if floor <= 0.0:
                return self._pairs("WHERE p.row >= ? ORDER BY p.row LIMIT ?", (offset, limit))
            out: list[Pair] = []
            for k in PAIR_KINDS:  # the kinds follow each other in the bank's order
                n = self.pair_count(k, floor)
                if offset < n and len(out) < limit:
                    out += self.pairs(k, offset, limit - len(out), floor)
                offset = max(offset - n, 0)
            return out
        limit = max(min(limit, self.pair_count(kind, floor) - offset), 0)
        return self._pairs("WHERE p.kind = ? AND p.nth >= ? ORDER BY p.nth LIMIT ?", (kind, offset, limit))

    def pair_count(self, kind: str | None = None, floor: float = 0.0) -> int:
        """How many pairs the bank has, of one ``kind`` or all, scored at least ``floor``: the place of
        the first pair of the kind below it, found by two seeks of an index however many there are."""
        if floor <= 0.0:  # no score is below 0
            return int(self.meta["pairs" if kind is None else f"pairs {kind}"])
        if kind is None:
            return sum(self.pair_count(k, floor) for k in PAIR_KINDS)
        below = self._query("SELECT max(score) FROM pairs WHERE kind = ? AND score < ?", (kind, floor))[0][0]
        if below is None:
            return self.pair_count(kind)
        return int(self._query("SELECT min(nth) FROM pairs WHERE kind = ? AND score = ?", (kind, below))[0][0])

    def pairs_between(self, keys: Iterable[frozenset[str]]) -> list[tuple[int, Pair]]:
        """The stored pairs of these questions (each key two item ids), with their place among the pairs
        of their kind, in the bank's order; a key the store has no pair of is left out."""
        keys = [k for k in keys if len(k) == 2]
        ids = {i for k in keys for i in k}
        if not ids:
            return []
        row_of = dict(self._in("SELECT id, row FROM items WHERE id IN ({})", list(ids)))
        wanted = {frozenset(row_of[i] for i in k) for k in keys if k <= row_of.keys()}
        rows = [
            r for r, a, b in self._in("SELECT row, a, b FROM pairs WHERE a IN ({})", list(row_of.values()))
            if frozenset((a, b)) in wanted
        ]  # fmt: skip
        if not rows:
            return []
        found = self._in(f"SELECT p.nth, {self._PAIR} FROM {self._from('pairs')} WHERE p.row IN ({{}}) ORDER BY p.row",
                         sorted(rows))  # fmt: skip
        return [(r[0], self._pair(r[1:])) for r in found]

    def aside_pairs(self) -> list[Pair]:
        """The scored pairs a curator had called different when the store was written, in the bank's
        order (:func:`kg.decisions.set_aside`): the bank's pairs leave them out."""
        return self._pairs("ORDER BY p.row", (), table="aside_pairs")

    def duplicate_links(self, floor: float = 0.0, *, first: int | None = None) -> list[tuple[str, str, float]]:
        """The two item ids and the score of each duplicate pair scored at least ``floor`` (or of the
        ``first`` duplicate pairs), best first: what groups of duplicates are made of
        (:func:`kg.store.pairlist.duplicate_groups`)."""
        return [(a, b, score) for a, b, score in self._query(
            f"SELECT ia.id, ib.id, p.score FROM {self._from('pairs')} WHERE p.kind = 'duplicate' AND p.nth < ? "
            "ORDER BY p.nth",
            (self.pair_count("duplicate", floor) if first is None else first,),
        )]  # fmt: skip

    def duplicate_groups(self) -> list[list[tuple[str, str]]]:
        """The groups of all the duplicate pairs, best first, each question's id with its title, as
        they were when the store was written (:func:`kg.store.pairlist.duplicate_groups`)."""
        rows = self._query("SELECT members, titles FROM duplicate_groups ORDER BY row")
        return [list(zip(json.loads(m), json.loads(t), strict=True)) for m, t in rows]

    _PAIR = "ia.id, ib.id, p.score, p.kind, p.shared, p.lexical, p.semantic, p.concept, p.matches, p.verdict"

    @staticmethod
    def _from(table: str) -> str:
        return f"{table} p JOIN items ia ON ia.row = p.a JOIN items ib ON ib.row = p.b"

    @staticmethod
    def _pair(row: Sequence[Any]) -> Pair:
        a, b, score, kind, shared, lexical, semantic, concept, matches, verdict = row
        return Pair(a, b, score, kind, tuple(json.loads(shared)), lexical, semantic, concept,
                    tuple(SentenceMatch(*m) for m in json.loads(matches)), verdict)  # fmt: skip

    def _pairs(self, where: str, args: Sequence[Any], table: str = "pairs") -> list[Pair]:
        return [self._pair(r) for r in self._query(f"SELECT {self._PAIR} FROM {self._from(table)} {where}", args)]


    # ------------------------------------------------------------------------------------------
    # layout

    def positions(self, nodes: Iterable[str] | None = None) -> dict[str, tuple[float, float]]:
        """Stored positions of the whole graph's layout (of ``nodes``, or all); empty when none was stored."""
        if nodes is None:
            rows = self._query("SELECT node, x, y FROM positions")
        else:
            rows = self._in("SELECT node, x, y FROM positions WHERE node IN ({})", list(nodes))
        return {n: (x, y) for n, x, y in rows}

    # ------------------------------------------------------------------------------------------
    # search and neighbourhoods: their own modules

    def search(self, text: str, limit: int = 10):
        """:func:`kg.search.search` without the meaning part: concepts by name, questions by words."""
        from kg.store.search import search

        return search(self, text, limit)

    def neighbourhood(self, centre: str, depth: int = 2, **options: Any) -> Neighbourhood:
        """:func:`kg.render.local_graph` of the drawn graph around ``centre`` (a node, or a concept's name)."""
        from kg.store.walk import neighbourhood

        return neighbourhood(self, centre, depth, **options)


def _rarity(df: int, n: int) -> float:
    """:func:`kg.graph._rarity` from a stored question count."""
    return math.log((1 + n) / (1 + df)) + 1.0


def _fold(name: str) -> str:
    """:func:`kg.extract.keys.fold`, without importing the extraction package (and spaCy) to read a store."""
    import re

    return re.sub(r"[\s\-_/]+", "", name.lower())


__all__ = ["ConceptPage", "Neighbourhood", "QuestionPage", "Store", "is_store", "open_current", "open_store"]
