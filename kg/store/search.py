""":func:`kg.search.search` answered from a store, without the meaning part (the store keeps no vectors).

The same scores, read from indexes instead of a scan of the bank: concept names by their search key
(exact, as a prefix, within the lengths a typo allows, or named inside the query), and questions by
the term index, each term's questions and answers with its counts (an FTS5 index whose tokens are the
numbers of kg's own search terms, so that words are split and folded as :mod:`kg.search` does).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from kg.model import cnode, node_id, qnode

if TYPE_CHECKING:
    from kg.search import Hit
    from kg.store.read import Store

_TOP = "\U0010ffff"  # after every character: the end of a range of keys that start alike


def search(store: Store, query: str, limit: int = 10) -> list[Hit]:
    """The concepts and questions ``query`` finds, best first, at most ``limit``: the hits of
    :func:`kg.search.search` with no embedder, score for score.
    """
    from kg.search import Hits, _name_score, _terms, words

    qwords = words(query)
    qkey = "".join(qwords)
    if not qkey:
        return []
    hits = Hits()
    add = hits.add
    for cid, key, name in _name_candidates(store, qkey, qwords):
        add(cnode(cid), *_name_score(qkey, qwords, key, name))

    terms = _terms(query)
    if store.items_total and terms:
        rows, score = _wording(store, terms)
        order = np.argsort(-score, kind="stable")[: limit * 3]
        ids = dict(store._in("SELECT row, id FROM items WHERE row IN ({})", [int(rows[k]) for k in order]))
        for k in order:
            add(qnode(ids[int(rows[k])]), score[k], "words")

    narrower = [node_id(h.node) for h in hits.narrower()]
    asked = dict(store._in("SELECT id, questions FROM concepts WHERE id IN ({})", narrower)) if narrower else {}
    return hits.ranked(limit, {cnode(cid): n for cid, n in asked.items()})


def _name_candidates(store: Store, qkey: str, qwords: list[str]) -> list[tuple[str, str, str]]:
    """(concept id, key, name) of every name :func:`kg.search._name_score` can score above zero."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import DamerauLevenshtein

    sql = "SELECT c.id, n.key, n.name FROM names n JOIN concepts c ON c.row = n.concept WHERE n.key != '' AND "
    found = store._query(sql + "n.key = ?", (qkey,))
    if len(qkey) >= 2:
        found += store._query(sql + "n.key > ? AND n.key < ?", (qkey, qkey + _TOP))
    if len(qkey) >= 5:
        # fuzz.ratio of 0.85 needs lengths within 0.739 to 1.353 times each other; a typo (two edits at
        # most) lengths within two letters
        low = max(5, min(int(len(qkey) * 0.73), len(qkey) - 2))
        high = max(int(len(qkey) * 1.36) + 1, len(qkey) + 2)
        keys = [k for (k,) in store._query("SELECT DISTINCT key FROM names WHERE klen BETWEEN ? AND ?", (low, high))]
        close = [k for k, _, _ in process.extract(qkey, keys, scorer=fuzz.ratio, score_cutoff=84.9, limit=None)]
        typos = [k for k in keys if k[:1] == qkey[:1]]
        close += [k for k, _, _ in process.extract(qkey, typos, scorer=DamerauLevenshtein.distance, score_cutoff=2,
                                                   limit=None)]  # fmt: skip
        found += store._in(sql + "n.key IN ({})", sorted(set(close)))
    if len(qkey) >= 3:  # longer names holding the query's words (kg.search.NARROWER); a key is letters and digits
        found += store._query(sql + "n.key LIKE ?", (f"%{qkey}%",))
    windows = {"".join(qwords[i:j]) for i in range(len(qwords)) for j in range(i + 1, len(qwords) + 1)}
    found += store._in(sql + "n.wkey IN ({})", sorted(windows))
    return list(dict.fromkeys(found))


def _wording(store: Store, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the items that hold a query term, in bank order, and their word scores as
    :func:`kg.search.search` computes them (BM25 over questions, answers filling in)."""
    from kg.search import ANSWER_WEIGHT, K1, B

    n = store.items_total
    info = {t: (r, dq, da) for t, r, dq, da in store._in(
        "SELECT term, row, df_q, df_a FROM terms WHERE term IN ({})", sorted(set(terms)))}  # fmt: skip
    counts: dict[str, dict[tuple[int, str], int]] = {}
    for term, (number, _, _) in info.items():
        found = store._query(
            "SELECT doc - 1, col, count(*) FROM item_terms_at WHERE term = ? GROUP BY doc, col", (str(number),)
        )
        counts[term] = {(row, col): c for row, col, c in found}
    rows = np.array(sorted({row for c in counts.values() for row, _ in c}), dtype=np.int64)
    if not len(rows):
        return rows, np.zeros(0)
    position = {int(r): k for k, r in enumerate(rows)}
    lengths = {"q": np.zeros(len(rows)), "a": np.zeros(len(rows))}
    for row, qlen, alen in store._in("SELECT row, qlen, alen FROM items WHERE row IN ({})", rows.tolist()):
        lengths["q"][position[row]] = qlen
        lengths["a"][position[row]] = alen

    def field(col: str, total: int, df_at: int) -> np.ndarray:
        # kg.search._Field.scores over the bank, for the rows that hold a term (the others score 0)
        average = float(total / n) or 1.0
        norm = K1 * (1 - B + B * lengths[col] / average)
        out = np.zeros(len(rows))
        most = 0.0
        for term in terms:
            df = info[term][df_at] if term in info else 0
            weight = math.log(1 + (n - df + 0.5) / (df + 0.5))
            most += weight
            tf = np.zeros(len(rows))
            for (row, c), k in counts.get(term, {}).items():
                if c == col:
                    tf[position[row]] = k
            out += weight * tf * (K1 + 1) / (tf + norm)
        return 1 - np.exp(-1.6 * out / most) if most else out

    asked = field("q", store._terms_total[0], 1)
    wording = asked + ANSWER_WEIGHT * field("a", store._terms_total[1], 2) * (1 - asked)
    meaning = np.zeros(len(rows))
    score = np.maximum(wording, meaning) + 0.25 * np.minimum(wording, meaning)
    return rows, np.minimum(score, 0.99)


__all__ = ["search"]
