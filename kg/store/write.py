"""A built bank written to one SQLite file, whole or not at all.

The file is made under a temporary name beside the target and renamed into place once it is complete,
so an interrupted run leaves the old store (or none), never half of one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import OutputError, check_writable
from kg.model import CLOSE_KINDS, DUPLICATE, PAIR_KINDS, Pair, cnode, qnode
from kg.store.schema import DDL, FORMAT, SCHEMA

if TYPE_CHECKING:
    from kg.bank import Bank

log = logging.getLogger("kg.store")

_BATCH = 20_000  # rows handed to executemany at once: bounded memory for a 100,000-question bank


def write_store(
    bank: Bank,
    path: str | Path,
    *,
    key: str = "",
    positions: Mapping[str, tuple[float, float]] | None = None,
    files: Sequence[str | Path] = (),
    aside: Sequence[Pair] = (),
) -> Path:
    """Write ``bank`` to the SQLite file ``path`` (replaced only once the new one is complete).

    Parameters
    ----------
    bank : the built bank (:func:`kg.pipeline.build_bank`).
    path : the file to write; its folder must exist.
    key : the bank's key (:func:`kg.bankstore.bank_key`), kept in the meta table for a caller that
        decides whether the store is still current.
    positions : node positions of the whole graph's layout, when one was made.
    files : the bank's files or folders as given; kept (absolute) so that a reader finds the files beside
        the bank, such as its decisions file, where the app records a curator's verdicts.
    aside : the scored pairs a curator called different (:func:`kg.decisions.set_aside`), which the
        bank's pairs leave out; kept apart for the app's list of pairs decided different.

    Raises
    ------
    OutputError
        The file cannot be written there (no folder, no permission, a full disk).

    Notes
    -----
    Linear in the bank: one pass over items, concepts, mentions, graph edges and pairs.
    """
    target = check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        try:
            # A temporary file that is renamed only when complete: no journal is needed to stay whole.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(DDL)
            _fill(db, bank, key, positions or {}, [str(Path(f).resolve()) for f in files], aside)
            db.commit()
            db.execute("ANALYZE")
            db.commit()
        finally:
            db.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise OutputError(f"{target}: could not write the store: {exc}") from None
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fill(
    db: sqlite3.Connection,
    bank: Bank,
    key: str,
    positions: Mapping[str, tuple[float, float]],
    files: list[str],
    aside: Sequence[Pair],
) -> None:
    from kg import __version__
    from kg.cachefile import code_digest
    from kg.coverage import central_concepts
    from kg.extract.keys import fold
    from kg.search import _terms, name_key, words
    from kg.store.pairlist import GROUP_TITLE, duplicate_groups
    from kg.topics import topic_summaries
    from kg.views import group_title, question_line, question_title

    graph = bank.graph
    item_row = {item.id: k for k, item in enumerate(bank.items)}
    concept_row = {c.id: k for k, c in enumerate(bank.concepts)}

    # items, and their search terms: the FTS index holds term numbers, so its tokens are kg's own words
    term_row: dict[str, int] = {}
    df_q: Counter[int] = Counter()
    df_a: Counter[int] = Counter()
    totals = [0, 0]
    item_rows, fts_rows = [], []
    for k, item in enumerate(bank.items):
        tq = [term_row.setdefault(t, len(term_row)) for t in _terms(item.question_text or item.question)]
        ta = [term_row.setdefault(t, len(term_row)) for t in _terms(item.answer_text)]
        df_q.update(set(tq))
        df_a.update(set(ta))
        totals[0] += len(tq)
        totals[1] += len(ta)
        node = graph.nodes.get(qnode(item.id), {})
        item_rows.append((
            k, item.id, item.number, item.question, item.answer, item.source, item.line,
            item.question_text, item.answer_text, question_title(item), question_line(item),
            node.get("label", ""), len(tq), len(ta),
        ))  # fmt: skip
        fts_rows.append((k + 1, " ".join(map(str, tq)), " ".join(map(str, ta))))
        if len(item_rows) >= _BATCH:
            _flush(db, item_rows, fts_rows)
    _flush(db, item_rows, fts_rows)
    db.executemany("INSERT INTO terms VALUES (?, ?, ?, ?)", ((r, t, df_q[r], df_a[r]) for t, r in term_row.items()))

    def df(cid: str) -> int:
        node = cnode(cid)
        return (
            sum(1 for nb in graph.neighbors(node) if graph.nodes[nb].get("kind") == "question") if node in graph else 0
        )

    # what the app's Concepts page lists: the questions that ask about each concept, and its centrality
    asked: dict[str, set[str]] = {}
    for m in bank.mentions:
        if m.field == "question":
            asked.setdefault(m.concept, set()).add(m.item)
    central = {c.id: c.score for c in central_concepts(graph, n=len(bank.concepts))}
    db.executemany(
        "INSERT INTO concepts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (k, c.id, c.label, c.specificity, int(c.generic), bank.topics.get(c.id), len(c.questions), df(c.id),
             len(asked.get(c.id, ())), central.get(c.id, 0.0),
             json.dumps([q for q in c.questions if q in item_row], ensure_ascii=False))
            for k, c in enumerate(bank.concepts)
        ),
    )  # fmt: skip
    db.executemany(
        "INSERT INTO topic_summaries VALUES (?, ?, ?, ?, ?)",
        (
            (k, t.topic, t.name, json.dumps(list(t.concepts), ensure_ascii=False), t.questions)
            for k, t in enumerate(topic_summaries(graph, bank.topics))
        ),
    )
    names = []
    for k, concept in enumerate(bank.concepts):
        for alias, pos, name in [(0, 0, concept.label), *((1, p, a) for p, a in enumerate(concept.aliases))]:
            nkey = name_key(name)
            names.append((k, pos, name, alias, fold(name), nkey, "".join(words(name)), len(nkey)))
    db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?, ?, ?, ?, ?, ?)", names)

    # mentions, their sentences stored once; the first mention of each (item, concept) orders concepts_of
    first: dict[tuple[int, int], int] = {}
    sentence_row: dict[str, int] = {}
    rows = []
    for k, m in enumerate(bank.mentions):
        i, cr = item_row.get(m.item), concept_row.get(m.concept)
        if i is None or cr is None:
            continue
        first.setdefault((i, cr), k)
        s = sentence_row.get(m.sentence)
        if s is None:
            s = sentence_row[m.sentence] = len(sentence_row)
            db.execute("INSERT INTO sentences VALUES (?, ?)", (s, m.sentence))
        rows.append((k, i, cr, m.field, m.start, m.end, m.text, s))
        if len(rows) >= _BATCH:
            db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            rows.clear()
    db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    # the graph's question-concept edges, in each question's neighbour order
    place = {
        (concept_row[c.id], item_row[q]): p for c in bank.concepts for p, q in enumerate(c.questions) if q in item_row
    }
    links = []
    for item in bank.items:
        node = qnode(item.id)
        if node not in graph:
            continue
        i = item_row[item.id]
        for pos, (nb, edge) in enumerate(graph.adj[node].items()):
            if edge.get("kind") != "mentions":
                continue
            cr = concept_row[nb[2:]]
            links.append((
                i, cr, edge["count"], int(edge["in_question"]), int(edge["in_answer"]), pos,
                place.get((cr, i)), first.get((i, cr), -1),
            ))  # fmt: skip
        if len(links) >= _BATCH:
            db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?)", links)
            links.clear()
    db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?)", links)

    edges = []
    for u, v, d in graph.edges(data=True):
        if d.get("kind") == "cooccurs" and d.get("relation"):
            a, b = concept_row[u[2:]], concept_row[v[2:]]
            rest = (d.get("weight", 0), d["relation"], d.get("relation_head"), d.get("verb"), d.get("confidence", 1.0))
            edges += [(a, b, *rest), (b, a, *rest)]
    db.executemany("INSERT INTO relation_edges VALUES (?, ?, ?, ?, ?, ?, ?)", edges)
    db.executemany(
        "INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (k, concept_row[r.head], r.relation, concept_row[r.tail], r.verb, json.dumps(list(r.questions)),
             r.sentence, r.confidence)
            for k, r in enumerate(bank.relations)
            if r.head in concept_row and r.tail in concept_row
        ),
    )  # fmt: skip

    close: dict[tuple[int, int], tuple[str, float]] = {}  # the last pair of two questions sets the edge
    pairs = []
    nth: Counter[str] = Counter()
    for k, p in enumerate(best_first(bank.pairs)):
        a, b = item_row[p.a], item_row[p.b]
        nth[p.kind] += 1
        pairs.append((k, nth[p.kind] - 1, a, b, *_pair_columns(p)))
        if p.kind in CLOSE_KINDS and qnode(p.a) in graph and qnode(p.b) in graph:
            close[(a, b)] = close[(b, a)] = (p.kind, p.score)
        if len(pairs) >= _BATCH:
            db.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", pairs)
            pairs.clear()
    db.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", pairs)
    db.executemany("INSERT INTO close_edges VALUES (?, ?, ?, ?)", ((a, b, k, s) for (a, b), (k, s) in close.items()))
    groups = duplicate_groups((p.a, p.b, p.score) for p in bank.pairs if p.kind == DUPLICATE)
    items = {i.id: i for i in bank.items}
    db.executemany(
        "INSERT INTO duplicate_groups VALUES (?, ?, ?)",
        (
            (k, json.dumps(g, ensure_ascii=False),
             json.dumps([group_title(items.get(i), GROUP_TITLE) for i in g], ensure_ascii=False))
            for k, g in enumerate(groups)
        ),
    )  # fmt: skip
    db.executemany(
        "INSERT INTO aside_pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (k, item_row[p.a], item_row[p.b], *_pair_columns(p))
            for k, p in enumerate(best_first(aside))
            if p.a in item_row and p.b in item_row
        ),
    )
    db.executemany(
        "INSERT INTO positions VALUES (?, ?, ?)", ((n, float(x), float(y)) for n, (x, y) in positions.items())
    )
    opening = opening_view(bank)
    if opening is not None:
        settings, data = opening
        db.execute("INSERT INTO views VALUES (?, ?)", (json.dumps(settings), json.dumps(data, ensure_ascii=False)))

    meta = {
        "format": FORMAT,
        "schema": str(SCHEMA),
        "kg_version": __version__,
        "code": code_digest(),
        "key": key,
        "items": str(len(bank.items)),
        "concepts": str(len(bank.concepts)),
        "pairs": str(len(bank.pairs)),
        "relations": str(len(bank.relations)),
        **{f"pairs {kind}": str(nth[kind]) for kind in PAIR_KINDS},
        "semantic": "1" if bank.semantic else "0",
        "question_terms": str(totals[0]),
        "answer_terms": str(totals[1]),
        "errors": json.dumps([str(e) for e in bank.errors], ensure_ascii=False),
        "nodes": str(graph.number_of_nodes()),
        "files": json.dumps(files, ensure_ascii=False),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.execute("INSERT INTO meta VALUES ('complete', '1')")  # last: a store without it is not read


def best_first(pairs: Iterable[Pair]) -> list[Pair]:
    """``pairs`` by kind (:data:`kg.model.PAIR_KINDS`' order), each kind by falling score, otherwise in
    their order: the bank's own order (:func:`kg.similar.sort_pairs`) is left as it is, and a store's
    pages at or above a score are always the first pairs of their kind.

    Examples
    --------
    >>> [(p.a, p.kind) for p in best_first([Pair("a", "b", 0.2, "related"), Pair("a", "c", 0.4, "overlap"),
    ...                                     Pair("b", "c", 0.9, "related")])]
    [('a', 'overlap'), ('b', 'related'), ('a', 'related')]
    """
    rank = {kind: k for k, kind in enumerate(PAIR_KINDS)}
    return sorted(pairs, key=lambda p: (rank[p.kind], -p.score))


def _pair_columns(p: Pair) -> tuple:
    """A pair's columns from ``score`` on, as the pair tables hold them."""
    return (
        p.score, p.kind, json.dumps(list(p.shared_concepts)), p.lexical, p.semantic, p.concept,
        json.dumps([[m.a, m.b, m.score] for m in p.matches]), p.verdict,
    )  # fmt: skip


def opening_view(bank: Bank) -> tuple[list, dict] | None:
    """The settings and data of the view the app opens a store on: the neighbourhood of the concept in
    most questions (:meth:`kg.store.Store.opening`), with the default settings, laid out as the app lays
    out a view (:func:`kg.render.layout`, seed 0); ``None`` for a bank without concepts."""
    from kg import render
    from kg.relations.confidence import threshold

    centre = render.top_concept(bank.concepts)
    if centre is None or centre not in bank.graph:
        return None
    settings = [False, centre, render.DEFAULT_HOPS, True, 1, False, True]
    V = render.view_graph(bank.graph, bank.pairs, min_confidence=threshold())
    data = render.view_data(
        V, lambda G: render.layout(G, seed=0), full=False, centre=centre, hops=render.DEFAULT_HOPS, questions=True,
        min_questions=1, generic=True, topics=bank.topics,
    )  # fmt: skip
    return settings, data


def _flush(db: sqlite3.Connection, items: list, fts: list) -> None:
    db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", items)
    db.executemany("INSERT INTO item_terms (rowid, q, a) VALUES (?, ?, ?)", fts)
    items.clear()
    fts.clear()


__all__ = ["best_first", "opening_view", "write_store"]
