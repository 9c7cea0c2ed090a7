from __future__ import annotations

import pytest

from kg.model import Concept, QAItem, cnode, qnode
from kg.search import Hit, name_key, search, search_index, words

PVALUE = """# Statistics

## 1. What does dropout do?

Dropout drops random units while training, which reduces overfitting.

## 2. Define p-value in the context of hypothesis testing.

The p-value is the probability of data at least this extreme when the null hypothesis holds.

## 3. How do you choose the significance level of a test?

Pick alpha before looking at the data; 0.05 is common. Compare the p-value with it.

## 4. What is the value of a validation set?

It estimates how the model does on data it was not trained on.
"""


def _item(n: int, question: str, answer: str = "") -> QAItem:
    return QAItem(f"b-{n}", n, question, answer, "b.md", n, question, answer)


@pytest.fixture(scope="module")
def tiny():
    items = [
        _item(1, "What does dropout do?", "Dropout drops random units while training."),
        _item(2, "Why does ReLU help with vanishing gradients?", "ReLU does not saturate for positive inputs."),
        _item(3, "Define p-value in hypothesis testing.", "The chance of data this extreme under the null."),
    ]
    concepts = [
        Concept("relu", "ReLU", ("rectified linear unit",)),
        Concept("lstm", "LSTM", ("long short-term memory",)),
        Concept("vanishing-gradient-problem", "vanishing gradient problem", ("vanishing gradients",)),
        Concept("cnn", "convolutional neural network", ("CNN",)),
        Concept("kernel", "kernel"),
        Concept("backpropagation", "backpropagation"),
    ]
    return search_index(items, concepts)


@pytest.mark.parametrize(
    ("text", "key"),
    [("ReLU", "relu"), ("ReLUs", "relu"), ("Conv-1D", "conv1d"), ("vanishing gradient problem", "vanishinggradient"),
     ("loss", "loss"), ("?!", "")],
)
def test_search_name_key_ignores_case_punctuation_and_plurals(text: str, key: str) -> None:
    assert name_key(text) == key


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("relu", "c:relu"),
        ("RELU", "c:relu"),
        ("ReLUs", "c:relu"),
        ("lstm", "c:lstm"),
        ("lst", "c:lstm"),
        ("cnn", "c:cnn"),
        ("rectified linear unit", "c:relu"),
        ("vanishing gradients", "c:vanishing-gradient-problem"),
        ("vanishing-gradient problem", "c:vanishing-gradient-problem"),
        ("What is a p-value?", "q:b-3"),
        ("dropout", "q:b-1"),
        ("kernal", "c:kernel"),  # typos: a letter wrong in a short name, two in a long one
        ("kernle", "c:kernel"),
        ("backpropogaton", "c:backpropagation"),
    ],
)
def test_search_finds_the_right_concept_or_question_first(tiny, query: str, first: str) -> None:
    assert search(tiny, query)[0].node == first


def test_search_leaves_out_names_a_typo_away_when_a_name_is_spelled_as_typed() -> None:
    concepts = [Concept("p-value", "p-value"), Concept("fp-value", "fp value"), Concept("pdf-value", "PDF value")]
    index = search_index([], concepts)
    assert [h.node for h in search(index, "p-value")] == ["c:p-value"]
    assert {h.node for h in search(index, "pdf-valu")} == {"c:pdf-value"}  # a prefix: no typo
    assert {h.node for h in search(index, "fp-valeu")} >= {"c:fp-value"}  # nothing spelled so: the typo stays


@pytest.mark.parametrize("query", ["zebra crossing", "qwxz", "", "  ", "?!", "the of and"])
def test_search_without_a_match_returns_nothing(tiny, query: str) -> None:
    assert search(tiny, query) == []


def test_search_puts_a_named_concept_before_questions_and_keeps_the_limit(tiny) -> None:
    hits = search(tiny, "relu")
    assert hits[0] == Hit("c:relu", 1.0, "name")
    assert hits[1].node == "q:b-2" and hits[1].how == "words"
    assert len(search(tiny, "relu", limit=1)) == 1


def test_search_finds_a_hyphenated_name_typed_with_a_space() -> None:
    items = [
        _item(1, "Can the values of a PMF be greater than 1?", "No: each value is a probability."),
        _item(2, "How do you interpret mse value?", "The lower value the better."),
        _item(3, "Statistical significance", "Compute the p-value of the test statistic."),
        _item(4, "Define p-value in hypothesis testing.", "The chance of data this extreme under the null."),
    ]
    found = [h.node for h in search(search_index(items, []), "p value")]
    assert found[0] == "q:b-4" and "q:b-3" in found, found  # not first a question that only says "value"


def test_search_words_splits_punctuation() -> None:
    assert words("What's a p-value?") == ["what", "s", "a", "p", "value"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("query", "label"),
    [("relu", "ReLU"), ("lstm", "LSTM"), ("cnn", "convolutional neural network"),
     ("vanishing gradients", "vanishing gradient problem"), ("batch norm", "batch normalization")],
)
def test_search_finds_concepts_of_the_seed(seed_bank, query: str, label: str) -> None:
    index = search_index(seed_bank.items, seed_bank.concepts)
    first = search(index, query)[0]
    assert seed_bank.concept(first.node[2:]).label == label


@pytest.mark.model
def test_search_question_shaped_query_finds_the_question_of_the_seed(seed_bank) -> None:
    # the seed has no p-value question; a question in its own words stands in
    index = search_index(seed_bank.items, seed_bank.concepts)
    first = search(index, "What is L1 regularization?")[0]
    assert seed_bank.item(first.node[2:]).number == 1
    assert search(index, "zebra crossing") == []


@pytest.mark.model
def test_search_p_value_question_of_a_parsed_bank(nlp) -> None:
    from kg.parse import parse_text
    from kg.pipeline import build_bank

    bank = build_bank(parse_text(PVALUE, "stats.md"), nlp, with_pairs=False)
    hits = search(search_index(bank.items, bank.concepts), "What is a p-value?")
    assert hits[0].node == qnode("stats-2")
    assert cnode("p-value") in [h.node for h in hits]


@pytest.mark.semantic
def test_search_by_meaning_finds_a_question_in_other_words(tmp_path, monkeypatch) -> None:
    from kg.embed import load_embedder

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    embedder = load_embedder()
    assert embedder is not None
    items = [
        _item(1, "What does dropout do?", "Dropout drops random units while training."),
        _item(2, "How can a network be kept from overfitting its training data?", "Regularise it."),
        _item(3, "Define p-value in hypothesis testing.", "The chance of data this extreme under the null."),
    ]
    index = search_index(items, [], embedder.encode([i.question_text for i in items]))
    first = search(index, "How do I prevent overfitting?", embedder)[0]
    assert (first.node, first.how) == ("q:b-2", "meaning")
    assert first.score > search(index, "How do I prevent overfitting?")[0].score  # words alone
    assert search(index, "What is a p-value?", embedder)[0].node == "q:b-3"
    assert search(index, "banana bread recipe", embedder) == []
    import numpy as np

    stored = sum(len(np.load(pack)) for pack in tmp_path.rglob("packs/*.npy"))
    assert stored == 3, "a query was written to the embedding cache"  # the three questions only


def test_search_a_name_finds_the_longer_names_holding_its_words() -> None:
    """"regression" offers the regressions of the bank after the concept it names, those in most questions
    first (then the best covered) and before the questions that use the word, however well they match; a
    piece of a word is no word of a name."""
    names = ["regression", "linear regression", "multinomial logistic regression", "regressor", "aggression",
             "regression tree"]
    items = [_item(1, "What is regression?", "Fitting a function to data."), _item(2, "Regression or regression?")]
    index = search_index(items, [Concept(name.replace(" ", "-"), name, ()) for name in names])
    found = [h.node for h in search(index, "regression")]
    # a name that starts with the query's words is one of them too
    multinomial = "c:multinomial-logistic-regression"
    assert found[:4] == ["c:regression", "c:regression-tree", "c:linear-regression", multinomial]
    assert sorted(found[4:]) == ["q:b-1", "q:b-2"]
    asked = [Concept(n.replace(" ", "-"), n, (), ("b-1", "b-2") if n.startswith("multi") else ()) for n in names]
    found = [h.node for h in search(search_index(items, asked), "regression")]
    assert found[:4] == ["c:regression", multinomial, "c:regression-tree", "c:linear-regression"]
    assert [h.node for h in search(index, "logistic regression")] == [multinomial]
    assert "c:linear-regression" not in [h.node for h in search(index, "gression")]
