"""Edit runs of the pair stage: the pairs equal a full scoring of the new bank with the same statistics."""

from __future__ import annotations

import dataclasses
import logging
import random
from pathlib import Path

import numpy as np
import pytest

from kg.model import QAItem
from kg.pairstate import PairStore, decode, encode, kept_pairs, state_key
from kg.parse import parse_paths
from kg.similar.copies import copy_key
from kg.similar.incremental import LEAN, _with_rows, digests, edit_run, full_run, lean, needs_full_run
from kg.similar.kinds import DEFAULT_THRESHOLDS
from kg.similar.pairs import score_pairs
from kg.similar.vectors import vectorise
from tests.fakes import LetterEmbedder
from tests.shared import SHARED_ROOT

SMALL_BANK = SHARED_ROOT / "banks" / "alexeygrigorev-data-science-interviews"

WORDS = (
    "gradient descent dropout overfitting regularisation variance bias tree forest boosting kernel margin "
    "embedding token attention softmax entropy likelihood prior posterior sampling bootstrap median outlier "
    "cluster centroid distance cosine matrix vector eigenvalue projection layer neuron batch epoch"
).split()


def made_up_bank(n: int = 80, seed: int = 0) -> list[QAItem]:
    """Questions and answers of random domain words, some reworded copies of others (real duplicate work)."""
    rng = random.Random(seed)
    out: list[QAItem] = []
    for k in range(n):
        if out and rng.random() < 0.25:  # a reworded copy of an earlier item
            src = rng.choice(out)
            q = src.question_text.replace("What", "Which", 1)
            a = src.answer_text + " " + rng.choice(WORDS) + "."
        else:
            q = f"What is the {rng.choice(WORDS)} of a {rng.choice(WORDS)} {rng.choice(WORDS)}?"
            a = " ".join(f"The {rng.choice(WORDS)} {rng.choice(WORDS)} needs {rng.choice(WORDS)}." for _ in range(4))
        out.append(QAItem(f"m{k}", k, q, a, f"f{k // 20}.md", k, q, a))
    return out


def concepts(items: list[QAItem]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Made-up concepts: an item's long words, and those of its question."""
    def long_words(text: str) -> set[str]:
        return {w.strip("?.,").lower() for w in text.split() if len(w.strip("?.,")) > 6}

    return ({it.id: long_words(it.text) for it in items}, {it.id: long_words(it.question_text) for it in items})


def edited(items: list[QAItem], edit: str, rng: random.Random) -> list[QAItem]:
    """The bank after one kind of edit, at a random place."""
    new = list(items)
    k = rng.randrange(len(new))
    it = new[k]
    if edit == "reword":
        words = it.question_text.split()
        rng.shuffle(words)
        q = " ".join(words)
        new[k] = dataclasses.replace(it, question=q, question_text=q)
    elif edit == "answer":
        a = it.answer_text + " It also depends on the learning rate and the batch size."
        new[k] = dataclasses.replace(it, answer=a, answer_text=a)
    elif edit == "remove":
        del new[k]
    elif edit == "add":
        src = new[rng.randrange(len(new))]
        new.insert(k, dataclasses.replace(src, id=f"{src.id}-again"))
    elif edit == "several":
        for kind in ("reword", "answer", "remove", "add", "reword"):
            new = edited(new, kind, rng)
    return new


def _banks() -> list[tuple[str, list[QAItem]]]:
    out = [("made-up", made_up_bank())]
    if SMALL_BANK.is_dir():
        items, _ = parse_paths([SMALL_BANK])
        out.append(("alexeygrigorev", [i for i in items if i.question_text.strip()]))
    return out


BANKS = _banks()


@pytest.fixture(scope="module", params=[name for name, _ in BANKS])
def bank(request) -> list[QAItem]:
    return dict(BANKS)[request.param]


def test_incremental_full_run_gives_the_pairs_of_score_pairs(bank: list[QAItem]) -> None:
    ic, qc = concepts(bank)
    pairs, _ = full_run(bank, ic, question_concepts=qc)
    assert pairs == score_pairs(bank, ic, question_concepts=qc)


@pytest.mark.parametrize("edit", ["reword", "answer", "remove", "add", "several"])
@pytest.mark.parametrize("seed", [0, 1])
def test_incremental_edit_run_equals_a_full_scoring_with_the_same_statistics(
    bank: list[QAItem], edit: str, seed: int
) -> None:
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc)
    new = edited(bank, edit, random.Random(seed))
    ic2, qc2 = concepts(new)
    assert needs_full_run(state, new, digests(new, ic2, qc2), state.top_k, 0.5)[0] == ""
    got, after, rescored = edit_run(new, ic2, decode(encode(state, "k"), "k"), question_concepts=qc2)
    assert got == score_pairs(new, ic2, question_concepts=qc2, stats=state.stats)
    assert 0 < rescored < len(new)
    # and a second edit on top of the first
    newer = edited(new, "reword", random.Random(seed + 10))
    ic3, qc3 = concepts(newer)
    again, _, _ = edit_run(newer, ic3, after, question_concepts=qc3)
    assert again == score_pairs(newer, ic3, question_concepts=qc3, stats=state.stats)


@pytest.mark.parametrize("edit", ["reword", "answer", "several"])
def test_incremental_edit_run_with_embeddings_equals_a_full_scoring(edit: str) -> None:
    bank = made_up_bank(70, seed=3)
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc, embedder=LetterEmbedder())
    new = edited(bank, edit, random.Random(5))
    ic2, qc2 = concepts(new)
    got, _, _ = edit_run(new, ic2, decode(encode(state, "k"), "k"), question_concepts=qc2, embedder=LetterEmbedder())
    assert got == score_pairs(new, ic2, question_concepts=qc2, stats=state.stats, embedder=LetterEmbedder())


def _rows_of(fields, name: str):
    """A LEAN part's rows as one sparse matrix (a BM25 weighting's queries, weights and self-scores side by side)."""
    import scipy.sparse as sp

    value = getattr(fields, name)
    if name == "answers":
        return value
    if name.endswith("bm25"):
        return sp.hstack([value.queries, value.weights, sp.csr_matrix(value.self_scores[:, None])], format="csr")
    return value


@pytest.mark.parametrize("name", LEAN)
def test_incremental_state_keeps_no_rows_of_the_lean_vectors(name: str) -> None:
    bank = made_up_bank()
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc)
    for fields in (state.fields, decode(encode(state, "k"), "k").fields):
        part = _rows_of(fields, name)
        assert part == [""] * len(bank) if name == "answers" else (part.shape[0] == len(bank) and part.nnz == 0)
        assert fields.q_word.nnz > 0 and fields.full_word.nnz > 0  # the searched vectors are kept


@pytest.mark.parametrize("name", LEAN)
def test_incremental_rows_made_again_are_those_of_the_whole_bank(bank: list[QAItem], name: str) -> None:
    whole = vectorise(bank, None)
    rows = np.array([0, 3, len(bank) - 1])
    made = _with_rows(lean(whole), bank, rows)
    fitted = _rows_of(vectorise(bank, None, fitted=whole.fitted), name)
    got = _rows_of(made, name)
    if name == "answers":
        assert [got[r] for r in rows] == [fitted[r] for r in rows] and got[1] == ""
    else:
        assert (got[rows] != fitted[rows]).nnz == 0 and (fitted[rows] != _rows_of(whole, name)[rows]).nnz == 0
        assert got[rows].nnz > 0 and got[1].nnz == 0


@pytest.mark.parametrize("embedder", [None, LetterEmbedder()], ids=["words", "embeddings"])
def test_pairstate_state_after_an_edit_reads_back_as_written(embedder) -> None:
    bank = made_up_bank(70, seed=3)
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc, embedder=embedder)
    new = edited(bank, "several", random.Random(2))
    ic2, qc2 = concepts(new)
    _, after, _ = edit_run(new, ic2, state, question_concepts=qc2, embedder=embedder)
    back = decode(encode(after, "k"), "k")
    assert back.fitted_on == after.fitted_on != dict(zip(after.ids, after.digests, strict=True))
    assert back.copy_keys == after.copy_keys == tuple(copy_key(it) for it in new)
    assert (back.ids, back.digests, back.fitted_at) == (after.ids, after.digests, after.fitted_at)
    s, t = after.scored, back.scored
    assert any(s.matches.tuples()) and any(s.shared.tuples()) and len(set(s.method.tolist())) > 1
    assert (t.shared.tuples(), t.matches.tuples()) == (s.shared.tuples(), s.matches.tuples())
    for name in ("left", "right", "score", "lexical", "concept", "semantic", "kind", "method"):
        assert np.array_equal(getattr(t, name), getattr(s, name)) if getattr(s, name) is not None else (
            getattr(t, name) is None)


@pytest.mark.parametrize("edit", ["add", "several"])
def test_incremental_state_without_copy_keys_gives_the_same_edit_run(edit: str) -> None:
    bank = made_up_bank(70, seed=5)
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc)
    new = edited(bank, edit, random.Random(4))
    ic2, qc2 = concepts(new)
    pairs, after, _ = edit_run(new, ic2, state, question_concepts=qc2)
    older, _, _ = edit_run(new, ic2, dataclasses.replace(state, copy_keys=None), question_concepts=qc2)
    assert any(p.score == 1.0 and p.kind == "duplicate" for p in pairs)  # the added copy
    assert older == pairs == score_pairs(new, ic2, question_concepts=qc2, stats=state.stats)
    assert after.copy_keys == tuple(copy_key(it) for it in new)


def test_incremental_unchanged_bank_rescores_nothing() -> None:
    bank = made_up_bank()
    ic, qc = concepts(bank)
    pairs, state = full_run(bank, ic, question_concepts=qc)
    again, _, rescored = edit_run(bank, ic, state, question_concepts=qc)
    assert (again, rescored) == (pairs, 0)


def test_incremental_concept_change_touches_the_item() -> None:
    bank = made_up_bank()
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc)
    ic2 = {**ic, bank[3].id: ic[bank[3].id] | {"a-new-concept"}}
    got, _, rescored = edit_run(bank, ic2, state, question_concepts=qc)
    assert rescored > 0
    assert got == score_pairs(bank, ic2, question_concepts=qc, stats=state.stats)


def test_incremental_too_many_changes_need_a_full_run() -> None:
    bank = made_up_bank()
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc)
    new = list(bank)
    for k in range(0, 12):  # 12 of 80 questions: 15%
        new[k] = dataclasses.replace(new[k], question=f"Q {k}?", question_text=f"Q {k}?")
    why, moved = needs_full_run(state, new, digests(new, ic, qc), state.top_k, 0.10)
    assert moved == pytest.approx(12 / 80)
    assert why == "15.0% of the questions changed since the last full run, more than 10%"
    assert needs_full_run(state, new, digests(new, ic, qc), state.top_k, 0.20)[0] == ""


def test_incremental_moved_questions_need_a_full_run() -> None:
    bank = made_up_bank()
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc)
    moved = [bank[1], bank[0], *bank[2:]]
    assert needs_full_run(state, moved, digests(moved, ic, qc), state.top_k, 0.10)[0] == "questions moved between files"


def _store_run(store: PairStore, items: list[QAItem], **kw):
    ic, qc = concepts(items)
    return kept_pairs(items, ic, store, question_concepts=qc, **kw)


def test_pairstate_store_edit_then_full_on_request(tmp_path: Path) -> None:
    store = PairStore(tmp_path)
    bank = made_up_bank()
    first, outcome = _store_run(store, bank)
    assert outcome.full and outcome.why == "no earlier run"
    new = edited(bank, "reword", random.Random(0))
    got, outcome = _store_run(store, new)
    assert not outcome.full and 0 < outcome.rescored < len(new)
    assert outcome.line().startswith(f"pairs: {outcome.rescored} of {len(new)} questions rescored; bank statistics")
    forced, outcome = _store_run(store, new, full=True)
    assert outcome.full and outcome.why == "asked for"
    ic, qc = concepts(new)
    assert forced == score_pairs(new, ic, question_concepts=qc)


def test_pairstate_share_threshold_triggers_a_full_run(tmp_path: Path) -> None:
    store = PairStore(tmp_path)
    bank = made_up_bank()
    _store_run(store, bank)
    new = list(bank)
    for k in range(0, 12):
        new[k] = dataclasses.replace(new[k], question=f"Q {k}?", question_text=f"Q {k}?")
    pairs, outcome = _store_run(store, new)
    assert outcome.full and "more than 10%" in outcome.why
    ic, qc = concepts(new)
    assert pairs == score_pairs(new, ic, question_concepts=qc)


def test_pairstate_state_of_another_version_is_ignored(tmp_path: Path, caplog) -> None:
    store = PairStore(tmp_path)
    bank = made_up_bank()
    ic, qc = concepts(bank)
    _store_run(store, bank)
    key = state_key(bank, None, None, 20, DEFAULT_THRESHOLDS)
    other = "0" * 64
    assert store.load(other) is None  # another version's key names another file
    store.path(other).write_bytes(store.path(key).read_bytes())  # a state filed under a key it was not written for
    with caplog.at_level(logging.WARNING, logger="kg.pairstate"):
        assert store.load(other) is None
    assert "written for another key" in caplog.text


@pytest.mark.parametrize("damage", [b"", b"not a state", "truncate"])
def test_pairstate_corrupt_state_warns_and_runs_in_full(tmp_path: Path, caplog, damage) -> None:
    store = PairStore(tmp_path)
    bank = made_up_bank()
    _store_run(store, bank)
    key = state_key(bank, None, None, 20, DEFAULT_THRESHOLDS)
    path = store.path(key)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncate" else damage)
    with caplog.at_level(logging.WARNING, logger="kg.pairstate"):
        pairs, outcome = _store_run(store, bank)
    assert outcome.full and outcome.why == "no earlier run"
    assert "kept pair state not used" in caplog.text
    ic, qc = concepts(bank)
    assert pairs == score_pairs(bank, ic, question_concepts=qc)


def test_pairstate_changed_arrays_fail_the_checksum(tmp_path: Path, caplog) -> None:
    import io

    import numpy as np

    store = PairStore(tmp_path)
    bank = made_up_bank()
    _store_run(store, bank)
    key = state_key(bank, None, None, 20, DEFAULT_THRESHOLDS)
    with np.load(store.path(key), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays["s.score"] = arrays["s.score"] * 0.5
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    store.path(key).write_bytes(buffer.getvalue())
    with caplog.at_level(logging.WARNING, logger="kg.pairstate"):
        assert store.load(key) is None
    assert "checksum does not match" in caplog.text


def test_pairstate_small_bank_is_scored_in_full_and_keeps_no_state(tmp_path: Path) -> None:
    store = PairStore(tmp_path)
    bank = made_up_bank(12)
    pairs, outcome = _store_run(store, bank)
    assert outcome.full and outcome.why == "a bank this small keeps none"
    ic, qc = concepts(bank)
    assert pairs == score_pairs(bank, ic, question_concepts=qc)
    assert not store.folder.exists()


# ----------------------------------------------------------------------------------------------
# Past the exact search: a bank of a few hundred questions with the limit lowered, and fewer words
# counted as uncommon, so that the approximate lists really differ from the exact ones.


@pytest.fixture
def approximate(monkeypatch: pytest.MonkeyPatch) -> list[QAItem]:
    import kg.similar.ann as ann

    monkeypatch.setattr(ann, "EXACT_LIMIT", 50)
    monkeypatch.setattr(ann, "COMMON", 30)
    return made_up_bank(300)


def _scored_with_lists(items: list[QAItem], state, monkeypatch: pytest.MonkeyPatch, **kw):
    """``score_pairs`` of ``items`` with ``state``'s statistics, its candidate search answered by the
    neighbour lists ``state`` holds (rows of ``items``)."""
    import kg.similar.pairs as pairs_module

    assert state.ids == tuple(it.id for it in items)
    union = sorted({tuple(p) for nb in state.neighbours.values() for p in nb.pairs().tolist()})
    with monkeypatch.context() as m:
        m.setattr(pairs_module, "candidates", lambda *a, **k: union)
        ic, qc = concepts(items)
        return score_pairs(items, ic, question_concepts=qc, stats=state.stats, **kw)


def test_incremental_past_the_exact_limit_full_run_gives_the_pairs_of_score_pairs(approximate) -> None:
    bank = approximate
    ic, qc = concepts(bank)
    pairs, state = full_run(bank, ic, question_concepts=qc)
    assert state.approximate
    assert pairs == score_pairs(bank, ic, question_concepts=qc)


@pytest.mark.parametrize("edit", ["reword", "answer", "remove", "add", "several"])
def test_incremental_past_the_exact_limit_edit_run_equals_a_full_scoring_of_its_neighbour_lists(
    approximate, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    bank = approximate
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc)
    new = edited(bank, edit, random.Random(2))
    ic2, qc2 = concepts(new)
    assert needs_full_run(state, new, digests(new, ic2, qc2), state.top_k, 0.5)[0] == ""
    got, after, rescored = edit_run(new, ic2, decode(encode(state, "k"), "k"), question_concepts=qc2)
    assert after.approximate
    assert got == _scored_with_lists(new, after, monkeypatch)
    assert 0 < rescored < len(new)
    newer = edited(new, "reword", random.Random(12))
    ic3, qc3 = concepts(newer)
    again, last, _ = edit_run(newer, ic3, after, question_concepts=qc3)
    assert again == _scored_with_lists(newer, last, monkeypatch)


def test_incremental_past_the_exact_limit_with_embeddings_equals_a_full_scoring_of_its_lists(
    approximate, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = approximate[:200]
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc, embedder=LetterEmbedder())
    new = edited(bank, "several", random.Random(4))
    ic2, qc2 = concepts(new)
    got, after, _ = edit_run(new, ic2, state, question_concepts=qc2, embedder=LetterEmbedder())
    assert got == _scored_with_lists(new, after, monkeypatch, embedder=LetterEmbedder())


@pytest.mark.parametrize("edit", ["reword", "remove", "several"])
def test_incremental_past_the_exact_limit_lists_follow_the_edit(approximate, edit: str) -> None:
    from kg.similar.search import search_spaces

    bank = approximate
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc)
    new = edited(bank, edit, random.Random(3))
    ic2, qc2 = concepts(new)
    _, after, _ = edit_run(new, ic2, state, question_concepts=qc2)
    old_digest = dict(zip(state.ids, state.digests, strict=True))
    touched = {it.id for it, d in zip(new, digests(new, ic2, qc2), strict=True) if old_digest.get(it.id) != d}
    gone = set(state.ids) - {it.id for it in new}
    assert touched or gone
    ids = after.ids
    k = after.top_k
    for name, matrix in search_spaces(after.fields):
        sims = (matrix @ matrix.T).toarray()
        np.fill_diagonal(sims, -1.0)
        nb, was = after.neighbours[name], state.neighbours[name]
        for r, rid in enumerate(ids):
            cols = nb.columns[nb.start[r] : nb.start[r + 1]]
            mine = {ids[c] for c in cols}
            assert ((cols >= 0) & (cols < len(ids))).all()
            assert len(mine) == cols.size <= k and rid not in mine and not mine & gone
            if rid in touched:  # searched exactly: no other row is closer than its k-th
                others = np.delete(sims[r], np.concatenate([cols, [r]]))
                assert sims[r, cols].min() >= others.max() - 1e-5
                continue
            o = state.ids.index(rid)
            before = {state.ids[c] for c in was.columns[was.start[o] : was.start[o + 1]]}
            low = sims[r, cols].min() if cols.size == k else 0.0
            for t in touched:  # a touched row closer than the row's k-th best is among its neighbours
                if sims[r, ids.index(t)] > low + 1e-4:
                    assert t in mine
            if not before & (touched | gone) and not any(sims[r, ids.index(t)] > was.kth[o] for t in touched):
                assert mine == before  # far from the edit: the list as it was


def test_pairstate_past_the_exact_limit_full_run_keeps_a_state_the_edit_run_uses(
    approximate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PairStore(tmp_path)
    bank = approximate
    first, outcome = _store_run(store, bank)
    assert outcome.full and outcome.why == "no earlier run"
    ic, qc = concepts(bank)
    assert first == score_pairs(bank, ic, question_concepts=qc)
    assert len(list(store.folder.glob("*.npz"))) == 1
    new = edited(bank, "several", random.Random(7))
    got, outcome = _store_run(store, new)
    assert not outcome.full and 0 < outcome.rescored < len(new)
    assert outcome.line().startswith(f"pairs: {outcome.rescored} of {len(new)} questions rescored; bank statistics")
    key = state_key(new, None, None, 20, DEFAULT_THRESHOLDS)
    kept = store.load(key)
    assert kept is not None and kept.approximate
    assert got == _scored_with_lists(new, kept, monkeypatch)


def test_pairstate_approximate_lists_need_a_full_run_once_the_bank_is_searched_exactly(
    approximate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.similar.ann as ann

    store = PairStore(tmp_path)
    bank = approximate
    _store_run(store, bank)
    monkeypatch.setattr(ann, "EXACT_LIMIT", 20_000)
    new = edited(bank, "reword", random.Random(1))
    pairs, outcome = _store_run(store, new)
    assert outcome.full and outcome.why == "the last run's search was approximate, this one is exact"
    ic, qc = concepts(new)
    assert pairs == score_pairs(new, ic, question_concepts=qc)


def test_incremental_made_pairs_equal_constructed_ones() -> None:
    import dataclasses as dc

    from kg.model import Pair, SentenceMatch
    from kg.similar.incremental import _made_pairs

    match = (SentenceMatch("a b.", "a c.", 0.5),)
    columns = ([0.9, 0.2], ["duplicate", "related"], [("x", "y"), ()], [0.5, 0.1], [None, 0.3], [0.25, 0.0],
               [match, ()])
    made = _made_pairs(["q1", "q2", "q3"], [0, 1], [2, 2], columns)
    built = [Pair("q1", "q3", 0.9, "duplicate", ("x", "y"), 0.5, None, 0.25, match),
             Pair("q2", "q3", 0.2, "related", (), 0.1, 0.3, 0.0, ())]
    assert made == built and [hash(p) for p in made] == [hash(p) for p in built]
    assert [vars(p) for p in made] == [dc.asdict(p) | {"matches": p.matches} for p in built]
    with pytest.raises(dc.FrozenInstanceError):
        made[0].score = 0.0  # type: ignore[misc]


def _weak_by_hand(pairs, kinds, scores, most=3):
    """The rule, one pair at a time: related pairs, strongest first (ties in order), each taken while
    either of its items has been taken fewer than ``most`` times."""
    weak, shown = set(), {}
    for k in sorted((k for k, kind in enumerate(kinds) if kind == "related"), key=lambda k: -scores[k]):
        i, j = pairs[k]
        if shown.get(i, 0) < most or shown.get(j, 0) < most:
            weak.add((i, j))
            shown[i], shown[j] = shown.get(i, 0) + 1, shown.get(j, 0) + 1
    return weak


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_incremental_weak_related_chooses_each_items_strongest_related_pairs(seed: int) -> None:
    from kg.similar.explain import EXPLAINED_RELATED, weak_related

    rng = random.Random(seed)
    n = 9  # every pair: each item in several related pairs, so that some are left unexplained
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    kinds = [rng.choice(["related"] * 6 + ["overlap", "duplicate"]) for _ in pairs]
    scores = [rng.choice([0.2, 0.3, 0.3, 0.5, 0.7]) for _ in pairs]  # ties, which keep their order
    weak = _weak_by_hand(pairs, kinds, scores, EXPLAINED_RELATED)
    mask = weak_related([i for i, _ in pairs], [j for _, j in pairs], np.array([k == "related" for k in kinds]),
                        np.array(scores), n)
    assert [p in weak for p in pairs] == mask.tolist()
    assert 0 < mask.sum() < kinds.count("related")


def test_incremental_edit_run_leaves_out_accepted_pairs_as_score_pairs_does() -> None:
    bank = made_up_bank()
    ic, qc = concepts(bank)
    every, state = full_run(bank, ic, question_concepts=qc)
    accepted = {frozenset((p.a, p.b)) for p in every[:: max(len(every) // 5, 1)]}
    new = edited(bank, "several", random.Random(4))
    ic2, qc2 = concepts(new)
    got, _, _ = edit_run(new, ic2, state, question_concepts=qc2, accepted=accepted)
    want = score_pairs(new, ic2, question_concepts=qc2, stats=state.stats, accepted=accepted)
    assert got == want and len(want) < len(score_pairs(new, ic2, question_concepts=qc2, stats=state.stats))


def test_incremental_item_digest_is_the_parts_hashed_one_at_a_time() -> None:
    # kept states hold these digests: one call over the joined parts must give what the parts fed in turn gave
    import hashlib

    from kg.similar.incremental import item_digest

    item = QAItem("1", 1, "Why é?", "Because.", "b.md", 1, "Why é?", "Because.")
    h = hashlib.sha256()
    for part in (item.question, item.answer, item.question_text, item.answer_text, "a", "b", "\0q", "c"):
        h.update(part.encode("utf-8") + b"\0")
    assert item_digest(item, {"b", "a"}, {"c"}) == h.hexdigest()
