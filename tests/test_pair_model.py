"""The pair model and its features: BM25, answer chunks, the shipped model file, fitting and refitting."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kg.errors import ConfigError
from kg.model import QAItem
from kg.similar import bm25, score_pairs
from kg.similar.chunks import answer_chunks, best_chunk_similarity, chunk_spans
from kg.similar.features import SEMANTIC, WORDING, Z_LIMIT, PairFeatures, pair_features
from kg.similar.fit import BOOST, Boost, adapt, fit_head, fit_weights
from kg.similar.model import MODEL_FILE, default_model, find_model, model_from_dict, model_to_dict, read_model
from kg.similar.vectors import vectorise
from tests.fakes import LetterEmbedder


def item(i: str, q: str, a: str) -> QAItem:
    return QAItem(i, None, q, a, "bank.md", 1, q, a)


def _in_range(f: PairFeatures) -> bool:
    """Similarities in [0, 1]; bank-relative z-scores within the limit."""
    z = np.array([n.endswith("_z") for n in f.names])
    return bool(((f.values[:, ~z] >= 0) & (f.values[:, ~z] <= 1)).all() and (np.abs(f.values[:, z]) <= Z_LIMIT).all())


TEXTS = ["dropout drops random units", "dropout drops random units", "a p-value under the null", ""]


def test_bm25_is_symmetric_one_for_the_same_text_zero_for_no_shared_word():
    model = bm25.bm25(TEXTS)
    left, right = np.array([0, 1, 0, 0]), np.array([1, 0, 2, 3])
    sims = bm25.similarities(model, left, right)
    assert sims[0] == pytest.approx(1.0) and sims[0] == sims[1]
    assert sims[2] == 0.0 and sims[3] == 0.0  # nothing shared; an empty text matches nothing


def test_bm25_bank_without_words_gives_zeros():
    model = bm25.bm25(["", "  "])
    assert bm25.similarities(model, np.array([0]), np.array([1])).tolist() == [0.0]


def test_answer_chunks_cover_a_long_answer_whole_within_the_size():
    sentences = [f"Sentence {k} says something about gradients and weights here." for k in range(60)]
    text = " ".join(sentences)
    chunks = answer_chunks(text, size=40)
    assert len(chunks) > 1
    assert all(len(c.split()) <= 40 for c in chunks)
    assert " ".join(chunks).split() == text.split()  # every word kept, in order


def test_answer_chunks_cut_a_sentence_longer_than_a_chunk():
    text = " ".join(f"w{k}" for k in range(25))
    chunks = answer_chunks(text, size=10)
    assert [len(c.split()) for c in chunks] == [10, 10, 5]


def test_best_chunk_similarity_finds_a_match_past_the_first_chunk():
    # answer 0: [unrelated, shared example]; answer 1: [shared example]
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    spans = chunk_spans([["intro", "example"], ["example"]])
    assert best_chunk_similarity(vectors, spans, np.array([0]), np.array([1])).tolist() == [1.0]


def test_features_without_embeddings_are_the_wording_set_and_template_is_a_feature():
    bank = [
        item("a", "What is the time complexity of quicksort?", "O(n log n) on average, O(n^2) at worst."),
        item("b", "What is the time complexity of mergesort?", "O(n log n) in every case."),
        item("c", "What is the time complexity of quicksort?", "O(n log n) on average, O(n^2) at worst."),
    ]
    f = pair_features(bank, vectorise(bank, None), np.array([0, 0]), np.array([1, 2]), {}, None)
    assert f.names == WORDING
    assert f.column("template").tolist() == [1.0, 0.0]
    assert f.column("q_same").tolist() == [0.0, 1.0]
    assert _in_range(f)


def test_shipped_model_reads_and_matches_this_versions_features():
    model = default_model()
    assert model.semantic.features == SEMANTIC and model.wording.features == WORDING
    assert model.semantic.values.shape == (model.semantic.labels.size, len(SEMANTIC))
    assert set(model.semantic.banks) >= {"seed"}


def test_shipped_model_probabilities_are_in_range_and_positive_is_at_least_duplicate():
    weights = default_model().semantic
    positive, duplicate = weights.probabilities(weights.values)
    assert ((0 <= duplicate) & (duplicate <= positive) & (positive <= 1)).all()


def test_model_round_trips_through_json():
    model = default_model()
    again = model_from_dict(json.loads(json.dumps(model_to_dict(model))))
    values = model.wording.values[:20]
    np.testing.assert_allclose(again.wording.probabilities(values), model.wording.probabilities(values), atol=1e-9)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (None, "missing"),
        ("{not json", "damaged"),
        ('{"format": 1, "semantic": {}, "wording": {}}', "damaged"),
        ('{"format": 99}', "damaged"),
    ],
)
def test_missing_or_damaged_model_file_is_one_clear_error_naming_it(tmp_path, text, says):
    path = tmp_path / "pair_model.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=says) as err:
        read_model(path)
    assert str(path) in str(err.value)


def test_model_with_a_weight_that_is_not_a_number_is_refused(tmp_path):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["semantic"]["positive"]["coef"][0] = float("nan")
    path = tmp_path / "pair_model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="not a finite number"):
        read_model(path)


def _synthetic(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    p = 1 / (1 + np.exp(-(2.0 * x[:, 0] - 1.0)))
    return x, (rng.random(n) < p).astype(int)


def test_fit_head_probabilities_are_calibrated_on_data_it_was_not_fitted_on():
    x, y = _synthetic(6000, 0)
    head = fit_head(x, y, [f"bank{k % 3}" for k in range(y.size)])
    test_x, test_y = _synthetic(6000, 1)
    p = head.probability(test_x)
    bins = np.clip((p * 10).astype(int), 0, 9)
    ece = sum((bins == b).mean() * abs(p[bins == b].mean() - test_y[bins == b].mean()) for b in range(10)
              if (bins == b).any())
    assert ece < 0.03


def test_adapt_moves_the_bank_toward_its_verdicts():
    x, y = _synthetic(600, 2)
    labels = y.copy()  # 0 different, 1 overlap
    weights = fit_weights(("a", "b"), x, labels, ["corpus"] * y.size)
    # this bank's curator calls overlap what the corpus calls different: high on the second feature
    own = np.column_stack([np.full(40, -1.0), np.linspace(1.5, 3.0, 40)])
    before = weights.probabilities(own)[0].mean()
    after = adapt(weights, own, np.ones(40, dtype=int)).probabilities(own)[0].mean()
    assert after > before + 0.1
    assert adapt(weights, own[:0], np.ones(0, dtype=int)) is weights


def test_exact_copy_ranks_first_with_score_one():
    bank = [
        item("a", "What does the dropout layer do in training?", "It zeroes random units."),
        item("b", "What does the dropout layer do in training?", "Random activations are set to zero."),
        item("c", "Why does dropout reduce overfitting in training?", "It zeroes random units so nets generalise."),
    ]
    pairs = score_pairs(bank, {})
    assert (pairs[0].a, pairs[0].b, pairs[0].kind, pairs[0].score) == ("a", "b", "duplicate", 1.0)


def test_verdicts_refit_the_model_for_the_pairs_not_decided():
    # a bank whose curator calls "same question, other system" pairs overlaps
    systems = ["Linux", "Windows", "macOS", "FreeBSD", "Solaris", "AIX"]
    bank = [item(f"q{k}", f"How do you list open files on {s}?", f"Use the tool that {s} ships for it.")
            for k, s in enumerate(systems)]
    before = {frozenset((p.a, p.b)): p.score for p in score_pairs(bank, {})}
    verdicts = {frozenset(("q0", "q1")): "overlap", frozenset(("q2", "q3")): "overlap"}
    after = {frozenset((p.a, p.b)): p.score for p in score_pairs(bank, {}, verdicts=verdicts)}
    undecided = frozenset(("q4", "q5"))
    assert before.get(undecided, 0.0) < 0.15  # not even related before: the bank's shipped model sees little
    assert after[undecided] > before.get(undecided, 0.0) + 0.05


QA_BANK = [
    item("a", "How do goats climb cliffs?", "Their split hooves grip narrow rock ledges."),
    item("b", "Why can goats stand on cliffs?", "Split hooves grip the narrow ledges of rock."),
    item("c", "When was the lighthouse built?", "Stone by stone in eighteen ninety."),
    item("d", "When was the lighthouse built?", ""),
]


def test_qa_tfidf_feature_is_the_word_tfidf_cosine_of_question_and_answer_as_one_text():
    from sklearn.feature_extraction.text import TfidfVectorizer

    left, right = np.array([0, 0, 2]), np.array([1, 2, 3])
    f = pair_features(QA_BANK, vectorise(QA_BANK, None), left, right, {}, None)
    plain = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([it.text for it in QA_BANK])
    expected = [(plain[i] @ plain[j].T).toarray()[0, 0] for i, j in zip(left, right)]
    np.testing.assert_allclose(f.column("qa_tfidf"), expected, atol=1e-5)
    same_topic, unrelated, question_only = f.column("qa_tfidf")
    assert same_topic > 0.3 and unrelated == 0.0 and 0.0 < question_only < 1.0


def test_qa_text_meaning_feature_embeds_question_and_answer_together():
    embedder = LetterEmbedder()
    left, right = np.array([0, 2]), np.array([1, 3])
    f = pair_features(QA_BANK, vectorise(QA_BANK, embedder), left, right, {}, None)
    assert f.names == SEMANTIC
    # a short answer is one chunk, embedded after its question; an item without an answer is its question
    whole = embedder.encode([f"{it.question_text}\n{it.answer_text}" if it.answer_text else it.question_text
                             for it in QA_BANK])
    expected = [float(whole[i] @ whole[j]) for i, j in zip(left, right)]
    np.testing.assert_allclose(f.column("qa_text_meaning"), expected, atol=1e-5)
    # the answer counts: the same question with and without its answer is not the same text
    assert f.column("qa_text_meaning")[1] < 0.999
    assert _in_range(f)


def test_qa_text_meaning_of_a_long_answer_reads_the_question_and_the_answers_first_chunk():
    from kg.similar.chunks import CHUNK_WORDS

    opening = "Goats climb with split hooves. "
    filler = " ".join(["Zebra quiz vex jump"] * CHUNK_WORDS) + "."
    bank = [item("a", "How do goats climb?", opening + filler), item("b", "How do goats climb?", opening)]
    fields = vectorise(bank, LetterEmbedder())
    assert fields.qa_sem is not None and fields.a_chunks is not None
    first = LetterEmbedder().encode([f"How do goats climb?\n{answer_chunks(opening + filler)[0]}"])[0]
    np.testing.assert_allclose(fields.qa_sem[0], first, atol=1e-6)
    assert fields.a_chunks.shape[0] > 2  # the answer's later chunks are embedded on their own


def test_qa_tfidf_of_a_bank_of_stop_words_only_is_zero_not_an_error():
    from kg.similar.vectors import qa_tfidf

    m = qa_tfidf(["what is it", "is it this"])
    assert m.shape[0] == 2 and (m @ m.T).nnz == 0


def test_bank_model_of_another_kg_version_warns_and_uses_kgs_own(tmp_path, caplog):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["semantic"]["features"] = [*data["semantic"]["features"][:-1], "a_feature_of_old"]
    (tmp_path / "kg-model.json").write_text(json.dumps(data), encoding="utf-8")
    bank = tmp_path / "bank.md"
    with caplog.at_level("WARNING"):
        model = find_model([bank])
    assert model is default_model()
    assert "kg-model.json" in caplog.text and "kg calibrate" in caplog.text
    (tmp_path / "kg-model.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(ConfigError, match="damaged"):  # a damaged file is still refused by name
        find_model([bank])


# ------------------------------------------------------------------ bank-relative features


BANK_OF_SIX = [
    item("a", "What does dropout do?", "Dropout zeroes random units while training a network."),
    item("b", "What does dropout do in a net?", "It zeroes random units of a network while training."),
    item("c", "What is a p-value?", "The chance of data this extreme if the null hypothesis holds."),
    item("d", "How is a B-tree balanced?", "Nodes split and merge so every leaf sits at one depth."),
    item("e", "What is a hash join?", "A join that builds a hash table on the smaller input."),
    item("f", "Why use a bloom filter?", "It tells in little memory whether an element may be in a set."),
]


def test_features_bank_relative_z_of_a_pair_does_not_depend_on_the_other_pairs_scored():
    fields = vectorise(BANK_OF_SIX, LetterEmbedder())
    z = [n for n in SEMANTIC if n.endswith("_z")]
    alone = pair_features(BANK_OF_SIX, fields, np.array([0]), np.array([1]), {}, None)
    among = pair_features(BANK_OF_SIX, fields, np.array([0, 2, 3]), np.array([1, 4, 5]), {}, None)
    for name in z:
        assert alone.column(name)[0] == pytest.approx(among.column(name)[0])


def test_features_bank_relative_z_puts_a_paraphrase_far_above_the_banks_background():
    f = pair_features(BANK_OF_SIX, vectorise(BANK_OF_SIX, None), np.array([0, 2]), np.array([1, 3]), {}, None)
    paraphrase, unrelated = f.column("qa_wording_z")
    assert paraphrase > 1.0 > unrelated


# ------------------------------------------------------------------ boosted trees


def test_fit_trees_evaluated_with_numpy_match_scikit_learn():
    from sklearn.ensemble import HistGradientBoostingClassifier

    from kg.similar.fit import _boost

    x, y = _synthetic(800, 3)
    x = np.column_stack([x, x[:, 0] * x[:, 1]])
    trees = _boost(x, y, None, BOOST)
    fitted = HistGradientBoostingClassifier(
        max_iter=BOOST.trees, max_depth=BOOST.depth, learning_rate=BOOST.rate, max_bins=32, early_stopping=False,
        random_state=0,
    ).fit(x, y)
    test_x, _ = _synthetic(3000, 4)
    test_x = np.column_stack([test_x, test_x[:, 0] * test_x[:, 1]])
    np.testing.assert_allclose(trees.logit(test_x), fitted.decision_function(test_x), atol=1e-9)


def test_fit_head_with_trees_learns_an_interaction_a_logistic_regression_cannot():
    rng = np.random.default_rng(5)
    x = rng.random((3000, 2))
    y = ((x[:, 0] > 0.5) ^ (x[:, 1] > 0.5)).astype(int)  # positive when exactly one is high
    banks = [f"bank{k % 3}" for k in range(y.size)]
    linear = fit_head(x, y, banks, boost=Boost(share=0.0))
    blended = fit_head(x, y, banks, boost=Boost(trees=30, depth=2, share=0.5))
    assert blended.trees is not None and linear.trees is None
    corners = np.array([[0.9, 0.1], [0.1, 0.9], [0.1, 0.1], [0.9, 0.9]])
    p = blended.probability(corners)
    assert min(p[:2]) > max(p[2:]) + 0.2
    assert np.ptp(linear.probability(corners)) < 0.1


def test_model_with_trees_round_trips_through_json_and_damaged_trees_are_refused(tmp_path):
    model = default_model()
    assert model.semantic.positive.trees is not None  # the shipped model blends trees in
    data = model_to_dict(model)
    again = model_from_dict(json.loads(json.dumps(data)))
    values = model.semantic.values[:50]
    np.testing.assert_allclose(again.semantic.probabilities(values), model.semantic.probabilities(values), atol=1e-9)
    data["semantic"]["duplicate"]["trees"]["left"][0][0] = 10_000  # a child that does not exist
    path = tmp_path / "pair_model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="damaged") as err:
        read_model(path)
    assert str(path) in str(err.value) and "trees" in str(err.value)
