"""Tests of kg.similar.explain: pairs explained together get what each gets alone."""

from __future__ import annotations

import pytest

from kg.model import DUPLICATE, OVERLAP, RELATED, QAItem
from kg.similar.explain import explain_pairs, sentence_matches, split_sentences
from kg.similar.vectors import vectorise


def _item(n: int, answer: str) -> QAItem:
    q = f"Question number {n} about trees?"
    return QAItem(str(n), n, q, answer, "bank.md", n, q, answer)


ANSWERS = [
    "A decision tree splits the data on one feature at a time. Each leaf holds a prediction. Deep trees overfit.",
    "Trees split data on a feature at each node. Leaves hold the predictions. Pruning keeps a tree from overfitting.",
    "A random forest averages many trees. Each tree sees a bootstrap sample of the rows.",
    "Boosting fits trees one after another. Each new tree corrects the errors of the ones before.",
    "Short.",  # no sentence of three words: nothing to match
    "Bagging averages trees grown on bootstrap samples. It lowers the variance of a single deep tree.",
]
ITEMS = [_item(n, a) for n, a in enumerate(ANSWERS)]


def _best_by_hand(answers, pair, wording, per_pair=2):
    """Each sentence pairing's cosine, best first; a sentence used once."""
    a, b = (split_sentences(answers[i]) for i in pair)
    if not a or not b:
        return []
    sims = (wording.transform(a) @ wording.transform(b).T).toarray()
    ranked = sorted((-float(sims[r, c]), r, c) for r in range(len(a)) for c in range(len(b)))
    out, used_a, used_b = [], set(), set()
    for s, r, c in ranked:
        if r not in used_a and c not in used_b and len(out) < per_pair:
            out.append((a[r], b[c], round(-s, 3)))
            used_a.add(r)
            used_b.add(c)
    return out


@pytest.mark.parametrize(
    ("pairs", "kinds"),
    [
        ([(0, 1), (2, 5), (1, 4)], [DUPLICATE, OVERLAP, OVERLAP]),
        ([(0, 1), (0, 2), (1, 2), (2, 3), (3, 5), (4, 5)], [OVERLAP, RELATED, RELATED, RELATED, RELATED, RELATED]),
        ([(0, 3), (2, 5)], [RELATED, RELATED]),
        ([(4, 4)], [RELATED]),
    ],
)
def test_similar_explain_pairs_match_as_each_pair_alone(pairs, kinds):
    fields = vectorise(ITEMS, None)
    scores = [1.0 - k / 10 for k in range(len(pairs))]
    matches = explain_pairs(fields, pairs, kinds, scores, None)
    for pair in pairs:  # every pair here is among its items' three strongest: all are explained
        alone = sentence_matches(fields.answers, [pair], None, wording=fields.char)[0]
        assert matches.get(pair, ()) == alone
        assert [(m.a, m.b, round(m.score, 3)) for m in alone] == _best_by_hand(fields.answers, pair, fields.char)
    assert any(matches.values()) is any(4 not in p for p in pairs)


@pytest.mark.parametrize("at_once", [1, 5, 9, 10_000])
def test_similar_explain_pairs_scored_in_chunks_match_as_scored_together(monkeypatch, at_once):
    # chunks of one pairing (each pair alone, being larger), of a few pairs, and all at once; a pair
    # with no sentence on one side (item 4) falls inside a chunk, at its start and at its end
    import kg.similar.explain as explain

    fields = vectorise(ITEMS, None)
    pairs = [(4, 0), (0, 1), (0, 2), (1, 4), (2, 3), (3, 5), (1, 5), (5, 4)]
    together = sentence_matches(fields.answers, pairs, None, wording=fields.char)
    monkeypatch.setattr(explain, "PAIRINGS_AT_ONCE", at_once)
    chunked = sentence_matches(fields.answers, pairs, None, wording=fields.char)
    assert chunked == together
    assert [bool(m) for m in chunked] == [4 not in p for p in pairs]
