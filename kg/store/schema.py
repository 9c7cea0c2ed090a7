"""The tables of a kg store, its version, and the one error its readers raise.

A store is one SQLite file. Nodes are numbered rows (``items.row``, ``concepts.row``: their place in the
bank), so that the large tables (mentions, links, the word index) hold integers, not ids.
"""

from __future__ import annotations

from kg.errors import KGError

#: Bumped whenever a table changes: a store of another schema is refused (or written again), never read.
SCHEMA = 3
#: What the meta table's ``format`` row holds, telling a kg store from any other SQLite file.
FORMAT = "kg-store"

DDL = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- a bank's questions, in bank order; title, line and label are what views and the graph show
CREATE TABLE items (
    row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, number INTEGER,
    question TEXT NOT NULL, answer TEXT NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL,
    question_text TEXT NOT NULL, answer_text TEXT NOT NULL,
    title TEXT NOT NULL, line_text TEXT NOT NULL, label TEXT NOT NULL,
    qlen INTEGER NOT NULL, alen INTEGER NOT NULL  -- search terms in the question, in the answer
);

-- df: the questions that mention the concept (its rarity); topic: NULL when it has none; asked: the
-- questions whose question mentions it; central: kg.coverage.central_concepts's score; question_ids:
-- Concept.questions as JSON, so that a concept is one row read (a hub's are hundreds of links)
CREATE TABLE concepts (
    row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, label TEXT NOT NULL, specificity REAL NOT NULL,
    generic INTEGER NOT NULL, topic TEXT, questions INTEGER NOT NULL, df INTEGER NOT NULL,
    asked INTEGER NOT NULL, central REAL NOT NULL, question_ids TEXT NOT NULL
);
-- the most asked concepts first, the generic ones last: the app's opening concept and overview
CREATE INDEX concepts_rank ON concepts (generic, questions DESC, label);

-- the topics as a legend names them (kg.topics.topic_summaries), largest first; concepts as JSON
CREATE TABLE topic_summaries (
    row INTEGER PRIMARY KEY, topic TEXT NOT NULL, name TEXT NOT NULL, concepts TEXT NOT NULL,
    questions INTEGER NOT NULL
);

-- every label and alias: as written, folded (a CLI lookup), and as search keys them
CREATE TABLE names (
    concept INTEGER NOT NULL, pos INTEGER NOT NULL, name TEXT NOT NULL, alias INTEGER NOT NULL,
    folded TEXT NOT NULL, key TEXT NOT NULL, wkey TEXT NOT NULL, klen INTEGER NOT NULL,
    PRIMARY KEY (concept, alias, pos)
) WITHOUT ROWID;
CREATE INDEX names_folded ON names (folded);
CREATE INDEX names_key ON names (key);
CREATE INDEX names_wkey ON names (wkey);
CREATE INDEX names_klen ON names (klen, key);

-- question-concept edges of the graph: qpos is the concept's place among the question's neighbours,
-- cpos the question's place in the concept's questions, first the first mention's place in the bank
CREATE TABLE links (
    item INTEGER NOT NULL, concept INTEGER NOT NULL, count INTEGER NOT NULL,
    in_question INTEGER NOT NULL, in_answer INTEGER NOT NULL,
    qpos INTEGER NOT NULL, cpos INTEGER, first INTEGER NOT NULL,
    PRIMARY KEY (item, concept)
) WITHOUT ROWID;
CREATE INDEX links_concept ON links (concept, item);

CREATE TABLE sentences (row INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE mentions (
    row INTEGER PRIMARY KEY, item INTEGER NOT NULL, concept INTEGER NOT NULL, field TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, sentence INTEGER NOT NULL
);
CREATE INDEX mentions_item ON mentions (item, concept);

-- the graph's concept-concept edges that carry a relation, once each way
CREATE TABLE relation_edges (
    a INTEGER NOT NULL, b INTEGER NOT NULL, weight INTEGER NOT NULL, relation TEXT NOT NULL,
    relation_head TEXT, verb TEXT, confidence REAL NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- every merged relation of the bank, in bank order
CREATE TABLE relations (
    row INTEGER PRIMARY KEY, head INTEGER NOT NULL, relation TEXT NOT NULL, tail INTEGER NOT NULL,
    verb TEXT NOT NULL, questions TEXT NOT NULL, sentence TEXT NOT NULL, confidence REAL NOT NULL
);
CREATE INDEX relations_head ON relations (head);
CREATE INDEX relations_tail ON relations (tail);

-- the pairs, in the bank's order (best first), nth their place among the pairs of their kind (a page
-- is a range of row or of nth, not an OFFSET that steps over every pair before it); shared concepts and
-- matches as JSON
CREATE TABLE pairs (
    row INTEGER PRIMARY KEY, nth INTEGER NOT NULL, a INTEGER NOT NULL, b INTEGER NOT NULL, score REAL NOT NULL,
    kind TEXT NOT NULL,
    shared TEXT NOT NULL, lexical REAL NOT NULL, semantic REAL, concept REAL NOT NULL,
    matches TEXT NOT NULL, verdict TEXT
);
CREATE INDEX pairs_kind ON pairs (kind, nth);
-- within a kind the score falls as nth rises (the bank's order), so the pairs at or above a floor are
-- the first of their kind, and how many there are is two seeks in this index (Store.pair_count)
CREATE INDEX pairs_score ON pairs (kind, score, nth);
CREATE INDEX pairs_a ON pairs (a);
CREATE INDEX pairs_b ON pairs (b);

-- the scored pairs a curator had called different when the store was written (kg.decisions.set_aside),
-- in the bank's order: left out of the pairs above, listed by the app's Duplicates page
CREATE TABLE aside_pairs (
    row INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL, score REAL NOT NULL, kind TEXT NOT NULL,
    shared TEXT NOT NULL, lexical REAL NOT NULL, semantic REAL, concept REAL NOT NULL,
    matches TEXT NOT NULL, verdict TEXT
);

-- the groups of duplicates of all the duplicate pairs (kg.store.pairlist.duplicate_groups), best first,
-- members and their titles (as the Duplicates page shows them) as JSON: the page's groups while its
-- floor keeps every duplicate pair and no verdict since has called one different (else a query)
CREATE TABLE duplicate_groups (row INTEGER PRIMARY KEY, members TEXT NOT NULL, titles TEXT NOT NULL);

-- the question-question edges the drawn graph adds for duplicates and overlaps, once each way
CREATE TABLE close_edges (
    a INTEGER NOT NULL, b INTEGER NOT NULL, kind TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- search: each term once, its questions and answers by term number (kg.search's own words)
CREATE TABLE terms (row INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df_q INTEGER NOT NULL, df_a INTEGER NOT NULL);
CREATE VIRTUAL TABLE item_terms USING fts5 (q, a, content='', detail=full, tokenize='ascii');
CREATE VIRTUAL TABLE item_terms_at USING fts5vocab (item_terms, instance);

CREATE TABLE positions (node TEXT PRIMARY KEY, x REAL NOT NULL, y REAL NOT NULL) WITHOUT ROWID;

-- what the app draws first (kg.render.view_data of the opening neighbourhood, laid out), by its
-- settings as JSON (kg.render.firstview.Settings): a fresh server reads it instead of laying it out
CREATE TABLE views (settings TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
"""


class StoreError(KGError):
    """A store that cannot be read as one: missing, not a kg store, of another version, or damaged.

    Examples
    --------
    >>> str(StoreError("bank.sqlite", "not a kg store"))
    'bank.sqlite: not a kg store'
    """

    def __init__(self, path: object, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


__all__ = ["DDL", "FORMAT", "SCHEMA", "StoreError"]
