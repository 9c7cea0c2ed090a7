"""Rank fusion of the pair model's ranking with the plain measures' (kg.similar.fusion)."""

from __future__ import annotations

import numpy as np
import pytest

from kg.similar.fusion import fusion_statistics, ranks, rearranged
from kg.similar.incremental import full_run
from kg.similar.pairs import score_pairs
from tests.fakes import LetterEmbedder
from tests.test_incremental import concepts, made_up_bank


def test_fusion_ranks_count_the_larger_values_and_ties_share_the_better_rank() -> None:
    descending = np.array([0.9, 0.7, 0.7, 0.7, 0.2])
    assert ranks(descending, np.array([0.95, 0.9, 0.7, 0.5, 0.2, 0.1])).tolist() == [0, 0, 1, 4, 4, 5]


@pytest.mark.parametrize("seed", range(5))
def test_fusion_deals_the_models_probabilities_out_again_in_fused_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    model, meaning, wording = rng.random(200), rng.random(200), rng.random(200)
    stats = fusion_statistics(model, meaning, wording)
    dealt = rearranged(stats, model, meaning, wording)
    # the same probabilities, pair for pair a permutation of the model's ...
    assert sorted(dealt.tolist()) == sorted(model.tolist())
    # ... in the order of the fused scores: a pair fused higher never gets less
    fused = 2.0 / (10 + ranks(stats.model, model)) + 1.0 / (10 + ranks(stats.meaning, meaning)) \
        + 1.0 / (10 + ranks(stats.wording, wording))
    order = np.argsort(-fused, kind="stable")
    assert (np.diff(dealt[order]) <= 0).all()


def test_fusion_puts_a_pair_both_plain_measures_rank_first_above_one_they_rank_last() -> None:
    # pair 0: the model's second, the plain measures' first; pair 1: the model's first, their last
    model, meaning, wording = np.array([0.5, 0.9, 0.2]), np.array([0.9, 0.1, 0.5]), np.array([0.9, 0.1, 0.5])
    dealt = rearranged(fusion_statistics(model, meaning, wording), model, meaning, wording)
    assert dealt.tolist() == [0.9, 0.5, 0.2]


def test_fusion_ranks_a_new_pair_against_the_kept_statistics_not_its_own() -> None:
    model, meaning, wording = np.array([0.1, 0.5, 0.9]), np.array([0.1, 0.5, 0.9]), np.array([0.1, 0.5, 0.9])
    stats = fusion_statistics(model, meaning, wording)
    # one pair scored alone in an edit run: above every pair of the full run, so it takes the top probability
    assert rearranged(stats, np.array([0.95]), np.array([0.95]), np.array([0.95])).tolist() == [0.9]
    # below every one: the lowest
    assert rearranged(stats, np.array([0.0]), np.array([0.0]), np.array([0.0])).tolist() == [0.1]


def test_fusion_statistics_are_kept_by_a_full_run_with_embeddings_and_not_without() -> None:
    bank = made_up_bank(60, seed=2)
    ic, qc = concepts(bank)
    pairs, state = full_run(bank, ic, question_concepts=qc, embedder=LetterEmbedder())
    assert state.stats.fusion is not None and state.stats.fusion.model.size >= len(pairs)
    assert pairs == score_pairs(bank, ic, question_concepts=qc, embedder=LetterEmbedder())
    _, plain = full_run(bank, ic, question_concepts=qc)
    assert plain.stats.fusion is None


def test_score_pairs_fused_and_unfused_share_the_models_probabilities_among_the_pairs_kept() -> None:
    bank = made_up_bank(60, seed=4)
    ic, qc = concepts(bank)
    _, state = full_run(bank, ic, question_concepts=qc, embedder=LetterEmbedder())
    assert state.stats.fusion is not None
    fused = score_pairs(bank, ic, question_concepts=qc, embedder=LetterEmbedder())
    alone = score_pairs(bank, ic, question_concepts=qc, embedder=LetterEmbedder(), fuse=False)
    dealt = set(np.round(state.stats.fusion.model, 4).tolist()) | {1.0}  # a copy is a duplicate at 1.0
    assert {p.score for p in fused} <= dealt
    assert [p.score for p in fused] != [p.score for p in alone]  # fusion moved something on this bank
