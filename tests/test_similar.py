"""Tests of kg.similar (candidate search, similarity functions, typing, groups) and kg.accepted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kg.accepted import FILENAME, accepted_path, add_accepted, find_accepted, read_accepted
from kg.errors import ConfigError
from kg.model import Pair, QAItem
from kg.similar.boilerplate import Prompts, common_prompts, cut_prompts, informative_answers, strip_boilerplate
from kg.similar.explain import split_sentences
from kg.similar.kinds import DEFAULT_THRESHOLDS, pair_kinds
from kg.similar.measures import cosine, rarity_weights, rescale, weighted_jaccard
from kg.similar.pairs import group_duplicates, match_against, score_pairs
from kg.similar.questions import question_adds, questions_conflict
from kg.similar.search import find_pairs
from kg.similar.vectors import vectorise
from tests.fakes import LetterEmbedder


def item(id_: str, question: str, answer: str) -> QAItem:
    return QAItem(id_, None, question, answer, "bank.md", 1, question, answer)


def _numbered(i: int, question: str, answer: str) -> QAItem:
    """Item ``q<i>``, numbered and on line ``i``."""
    return QAItem(f"q{i}", i, question, answer, "b.md", i, question, answer)


# A small bank: q1/q2 are one question copied with small edits (the planted duplicate), q3 is a template
# look-alike of q4 ("How do you deal with X?" for another X), q5 is unrelated.
BANK = [
    item("q1", "How do you deal with outliers in a dataset?",
         "Outliers can be removed, capped at a percentile, or handled with robust models such as "
         "trees. Always check first whether an outlier is an error or a rare real value."),
    item("q2", "How do you deal with outliers in your dataset?",
         "Outliers can be removed, capped at a percentile or handled with robust models like trees. "
         "First check whether an outlier is a data error or a rare but real value."),
    item("q3", "How do you deal with sparse data?",
         "Sparse matrices store only the non-zero entries; linear models with L1 penalties and "
         "factorisation methods work well on them, and dense conversions waste memory."),
    item("q4", "How do you deal with missing values?",
         "Missing values can be imputed with the mean, median or a model, or flagged with an "
         "indicator column; some boosting libraries handle them natively."),
    item("q5", "What is a p-value?",
         "The probability, under the null hypothesis, of a result at least as extreme as the one "
         "observed."),
]
CONCEPTS = {
    "q1": {"outlier", "robust model", "percentile"},
    "q2": {"outlier", "robust model", "percentile"},
    "q3": {"sparse data", "l1 penalty", "sparse matrix"},
    "q4": {"missing value", "imputation", "boosting"},
    "q5": {"p-value", "null hypothesis"},
}
QUESTION_CONCEPTS = {"q1": {"outlier"}, "q2": {"outlier"}, "q3": {"sparse data"},
                     "q4": {"missing value"}, "q5": {"p-value"}}


# ------------------------------------------------------------------ find_pairs


VECTORS = np.array([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])


@pytest.mark.parametrize(
    ("threshold", "top_k", "expected"),
    [
        (0.5, None, [(0, 1, 0.8), (1, 2, 0.6)]),
        (0.7, None, [(0, 1, 0.8)]),
        (0.1, 1, [(0, 1, 0.8), (1, 2, 0.6)]),  # row 2's best is row 1; row 3 has none above 0.1
        (0.1, 2, [(0, 1, 0.8), (1, 2, 0.6)]),
        (0.9, None, []),
        (-1.0, None, [(0, 1, 0.8), (1, 2, 0.6), (0, 2, 0.0), (0, 3, 0.0), (1, 3, 0.0), (2, 3, 0.0)]),
    ],
)
def test_similar_find_pairs_threshold_and_top_k(threshold, top_k, expected):
    assert find_pairs(VECTORS, threshold, top_k=top_k) == expected


def test_similar_find_pairs_each_pair_once_with_i_below_j_highest_first():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(40, 8))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    pairs = find_pairs(v, 0.0, top_k=5, block=7)
    keys = [(i, j) for i, j, _ in pairs]
    assert all(i < j for i, j in keys)
    assert len(keys) == len(set(keys))
    scores = [s for _, _, s in pairs]
    assert scores == sorted(scores, reverse=True)
    # every item's single best neighbour is among the pairs
    sims = v @ v.T
    np.fill_diagonal(sims, -np.inf)
    for i, j in enumerate(sims.argmax(axis=1)):
        assert (min(i, j), max(i, j)) in set(keys)


def test_similar_find_pairs_top_k_matches_brute_force_on_sparse_input():
    import scipy.sparse as sp

    rng = np.random.default_rng(1)
    dense = rng.random((30, 12)) * (rng.random((30, 12)) > 0.6)
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-9)
    assert find_pairs(sp.csr_matrix(dense), 0.1, top_k=4) == find_pairs(dense, 0.1, top_k=4)


@pytest.mark.parametrize("vectors", [np.zeros((0, 3)), np.ones((1, 3))])
def test_similar_find_pairs_empty_and_single_row(vectors):
    assert find_pairs(vectors, 0.0) == []


def test_similar_find_pairs_rows_and_columns_only_cross():
    pairs = find_pairs(VECTORS, -1.0, rows=[0], columns=[1, 2, 3])
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (0, 2), (0, 3)]


# ------------------------------------------------------------------ pure similarities


SETS = [set(), {"a"}, {"a", "b"}, {"b", "c"}, {"x"}]
WEIGHTS = {"a": 0.2, "b": 1.0, "c": 0.5}


@pytest.mark.parametrize("s", SETS)
@pytest.mark.parametrize("t", SETS)
def test_similar_weighted_jaccard_symmetric_in_range(s, t):
    value = weighted_jaccard(s, t, WEIGHTS)
    assert value == weighted_jaccard(t, s, WEIGHTS)
    assert 0.0 <= value <= 1.0
    if s and s == t:
        assert value == 1.0


@pytest.mark.parametrize(
    ("u", "v", "expected"),
    [
        ([], [], 0.0),
        ([0, 0], [1, 1], 0.0),
        ([1, 0], [1, 0], 1.0),
        ([1, 0], [-1, 0], 0.0),  # opposite vectors clip at 0
        ([1, 2], [2, 1], 0.8),
    ],
)
def test_similar_cosine_values(u, v, expected):
    assert cosine(np.array(u, float), np.array(v, float)) == expected
    assert cosine(np.array(v, float), np.array(u, float)) == expected


@pytest.mark.parametrize(("value", "background", "expected"), [(0.2, 0.2, 0.0), (1.0, 0.3, 1.0), (0.0, 0.5, 0.0)])
def test_similar_rescale_background_is_zero_identity_is_one(value, background, expected):
    assert float(rescale(value, background)) == pytest.approx(expected)


def test_similar_rarity_weights_rare_concepts_weigh_more():
    w = rarity_weights([{"common", "rare"}, {"common"}, {"common"}, {"common", "x"}])
    assert w["rare"] > w["common"]
    assert rarity_weights([]) == {}


@pytest.mark.parametrize(
    ("qa", "qb", "ia", "ib", "expected"),
    [
        ({"outlier"}, {"sparse data"}, {"outlier"}, {"sparse data"}, True),
        ({"outlier"}, {"outlier"}, {"outlier"}, {"outlier"}, False),
        ({"outlier", "generic"}, {"outlier"}, {"outlier", "generic"}, {"outlier"}, False),
        ({"outlier"}, {"sparse data"}, {"outlier", "sparse data"}, {"sparse data"}, False),
        (set(), set(), set(), set(), False),
    ],
)
def test_similar_questions_conflict(qa, qb, ia, ib, expected):
    weights = {"outlier": 1.0, "sparse data": 1.0, "generic": 0.1}
    assert questions_conflict(qa, qb, ia, ib, weights) is expected
    assert questions_conflict(qb, qa, ib, ia, weights) is expected


@pytest.mark.parametrize(
    ("qa", "qb", "ia", "ib", "expected"),
    [
        ({"rmse", "mse"}, {"mae", "rmse", "mse"}, {"rmse", "mse"}, {"mae", "rmse", "mse"}, True),
        ({"outlier"}, {"outlier", "generic"}, {"outlier"}, {"outlier", "generic"}, False),  # adds nothing specific
        (
            {"rmse", "mse"},
            {"mae", "rmse", "mse"},
            {"rmse", "mse", "mae"},
            {"mae", "rmse", "mse"},
            False,
        ),  # A's answer covers MAE
        (
            {"collinearity"},
            {"multicollinearity"},
            {"collinearity"},
            {"multicollinearity"},
            False,
        ),  # a swap, not an addition
        (set(), {"mae"}, set(), {"mae"}, False),
    ],
)
def test_similar_question_adds_a_specific_concept_to_the_other(qa, qb, ia, ib, expected):
    weights = {
        "rmse": 0.7,
        "mse": 0.6,
        "mae": 0.7,
        "outlier": 1.0,
        "generic": 0.1,
        "collinearity": 0.9,
        "multicollinearity": 0.7,
    }
    assert question_adds(qa, qb, ia, ib, weights) is expected
    assert question_adds(qb, qa, ib, ia, weights) is expected


def test_similar_split_sentences_drops_fragments():
    assert split_sentences("") == []
    assert split_sentences("One two three. Four.\n- five six seven") == ["One two three.", "- five six seven"]


def test_similar_informative_answers_boilerplate_and_short():
    bank = [
        item("a", "What is A?", "Answer here"),
        item("b", "What is B?", ""),
        item("c", "What is C?", "TODO write a real answer"),
        item("d", "What is D?", "TODO write a real answer"),
        item("e", "What is E?", "TODO write a real answer"),
        item("f", "What is F?", "F is the sixth letter."),
    ]
    assert informative_answers(bank).tolist() == [False, False, False, False, False, True]


def test_similar_strip_boilerplate_cuts_only_what_many_answers_repeat():
    template = (
        "Direct solution: analytical solution and formulation for {}. "
        "Key takeaway: a standard answer on edge cases and assumptions."
    )
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron".split()
    answers = [template.format(w) for w in words] + [
        "Dropout drops random units while training.",
        "Dropout drops random units while training, too.",
    ]
    cleaned = strip_boilerplate(answers)
    assert cleaned[:2] == ["alpha", "beta"]
    assert cleaned[-2:] == answers[-2:]
    assert strip_boilerplate([]) == []


def test_similar_templated_answers_give_no_evidence():
    # every answer is one template around the question: no pair may overlap on its answers
    template = (
        "Direct solution: analytical solution and mathematical formulation for {} "
        "Key takeaway: a standard answer on edge cases and assumptions."
    )
    # doubled letters: "a" and "i" alone are stop words, which would make two of the questions one
    questions = [f"How does method {w}{w} work?" for w in "abcdefghijklmn"]
    bank = [item(f"t{i}", q, template.format(q)) for i, q in enumerate(questions)]
    assert not informative_answers(bank, answers=strip_boilerplate([it.answer_text for it in bank])).any()
    assert "overlap" not in {p.kind for p in score_pairs(bank, {})}


# ------------------------------------------------------------------ score_pairs


def kinds(pairs):
    return {frozenset((p.a, p.b)): p.kind for p in pairs}


def test_similar_score_pairs_planted_duplicate_and_template_look_alike():
    pairs = score_pairs(BANK, CONCEPTS, question_concepts=QUESTION_CONCEPTS)
    typed = kinds(pairs)
    assert typed[frozenset(("q1", "q2"))] == "duplicate"
    assert [p.kind for p in pairs].count("duplicate") == 1
    assert typed.get(frozenset(("q3", "q4"))) != "duplicate"
    assert pairs[0].a == "q1" and pairs[0].b == "q2"
    best = pairs[0]
    assert best.shared_concepts and set(best.shared_concepts) <= CONCEPTS["q1"]
    assert best.semantic is None  # no embedder given
    # the evidence is shown as similarities, each in [0, 1], beside the probability
    assert 0.5 < best.lexical <= 1.0 and 0.0 < best.concept <= 1.0 and 0.5 <= best.score <= 1.0
    assert best.matches and best.matches[0].score > 0.5


def test_similar_score_pairs_template_look_alike_without_concepts_is_not_duplicate():
    # the answer evidence alone must keep "How do you deal with X?" pairs apart
    typed = kinds(score_pairs(BANK, {}))
    for a, b in [("q1", "q3"), ("q1", "q4"), ("q3", "q4"), ("q2", "q3")]:
        assert typed.get(frozenset((a, b))) != "duplicate"


def test_similar_score_pairs_sorted_and_in_range():
    pairs = score_pairs(BANK, CONCEPTS)
    order = {"duplicate": 0, "overlap": 1, "related": 2}
    keys = [(order[p.kind], -p.score) for p in pairs]
    assert keys == sorted(keys)
    assert all(0.0 <= p.score <= 1.0 for p in pairs)
    assert all(p.a != p.b for p in pairs)


@pytest.mark.parametrize("bank", [[], BANK[:1]])
def test_similar_score_pairs_empty_bank(bank):
    assert score_pairs(bank, {}) == []


def test_similar_score_pairs_accepted_pair_left_out():
    pairs = score_pairs(BANK, CONCEPTS, accepted=frozenset({frozenset(("q2", "q1"))}))
    assert frozenset(("q1", "q2")) not in kinds(pairs)


def test_similar_score_pairs_placeholder_answers_do_not_make_duplicates():
    bank = [
        item(f"p{i}", q, "Answer here")
        for i, q in enumerate(["What is bagging?", "What is boosting?", "What is stacking?", "What is a p-value?"])
    ]
    assert "duplicate" not in [p.kind for p in score_pairs(bank, {})]


def test_similar_score_pairs_copies_without_answers_are_duplicates():
    bank = [
        item("a", "What is stacking in ensembles?", ""),
        item("b", "What is stacking in ensembles?", ""),
        item("c", "What is a p-value?", ""),
    ]
    assert kinds(score_pairs(bank, {})).get(frozenset(("a", "b"))) == "duplicate"


def test_similar_score_pairs_with_embedder_splits_wording_and_meaning():
    pairs = score_pairs(BANK, CONCEPTS, embedder=LetterEmbedder(), question_concepts=QUESTION_CONCEPTS)
    best = pairs[0]
    assert (best.a, best.b, best.kind) == ("q1", "q2", "duplicate")
    assert best.semantic is not None and 0.5 < best.semantic <= 1.0


def test_similar_match_against_only_crosses_new_to_bank():
    new = [
        item("n1", "How do you deal with outliers in the dataset?", BANK[0].answer_text),
        item("n2", "What does a p-value mean?", BANK[4].answer_text),
    ]
    pairs = match_against(new, BANK, CONCEPTS)
    assert pairs
    assert all(p.a in {"n1", "n2"} and p.b.startswith("q") for p in pairs)
    typed = kinds(pairs)
    assert typed[frozenset(("n1", "q1"))] == "duplicate"


@pytest.mark.parametrize("explain", [True, False])
def test_similar_match_against_takes_the_options_of_score_pairs(explain):
    new = [item("n1", "How do you deal with outliers in the dataset?", BANK[0].answer_text)]
    pairs = match_against(new, BANK, CONCEPTS, explain=explain, question_concepts=QUESTION_CONCEPTS)
    assert pairs and any(p.matches for p in pairs) is explain


def test_similar_match_against_is_score_pairs_restricted_to_new_and_bank_pairs():
    new = [item("n1", "How do you deal with outliers in the dataset?", BANK[0].answer_text)]
    # every pair is a candidate (top_k covers the bank) and explanations, which depend on the other
    # pairs an item has, are left out: the crossing pairs then score and type alike either way
    options = {"top_k": len(BANK), "explain": False, "question_concepts": QUESTION_CONCEPTS}
    crossing = [p for p in score_pairs(new + BANK, CONCEPTS, **options) if "n1" in (p.a, p.b)]
    assert crossing and match_against(new, BANK, CONCEPTS, **options) == crossing


# ------------------------------------------------------------------ group_duplicates


def dup(a, b, s):
    return Pair(a, b, s, "duplicate")


@pytest.mark.parametrize(
    ("pairs", "groups"),
    [
        ([], []),
        ([dup("A", "B", 0.9), dup("B", "C", 0.8)], [["A", "B"]]),  # a chain does not join A and C
        ([dup("A", "B", 0.9), dup("B", "C", 0.8), dup("A", "C", 0.7)], [["A", "B", "C"]]),
        ([dup("C", "D", 0.95), dup("A", "B", 0.9)], [["C", "D"], ["A", "B"]]),
        ([dup("A", "B", 0.9), Pair("B", "C", 0.99, "overlap")], [["A", "B"]]),
        # two cliques joined by one weak link stay two groups
        ([dup("A", "B", 0.9), dup("C", "D", 0.9), dup("B", "C", 0.6)], [["A", "B"], ["C", "D"]]),
    ],
)
def test_similar_group_duplicates_complete_linkage(pairs, groups):
    assert group_duplicates(pairs) == groups


# ------------------------------------------------------------------ accepted pairs


def test_accepted_write_then_read(tmp_path):
    path = tmp_path / FILENAME
    assert read_accepted(path) == frozenset()
    assert add_accepted(path, "q-1", "q-2", note='kept "on purpose"\nsee issue')
    assert not add_accepted(path, "q-2", "q-1")
    assert add_accepted(path, "q-3", "q-4")
    assert read_accepted(path) == {frozenset(("q-1", "q-2")), frozenset(("q-3", "q-4"))}
    assert path.read_text(encoding="utf-8").startswith("# Pairs of questions")


def test_accepted_next_to_bank(tmp_path):
    bank = tmp_path / "ml.md"
    bank.write_text("#### 1. Q?\n\nA.\n", encoding="utf-8")
    assert accepted_path(bank) == tmp_path / FILENAME
    assert accepted_path(tmp_path) == tmp_path / FILENAME
    add_accepted(accepted_path(bank), "a", "b")
    assert find_accepted([bank, tmp_path]) == {frozenset(("a", "b"))}
    assert bank.read_text(encoding="utf-8") == "#### 1. Q?\n\nA.\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[pair]]\na = "q-1"\nb = \n', "kg-accepted.toml:3: not valid TOML: Invalid value"),
        (
            '[[pair]]\na = "q-1"\nb = "q-2"\n\n[[pair]]\na = "q-3"\n',
            'kg-accepted.toml:5: each [[pair]] needs a = "<question id>" and b = "<question id>"',
        ),
        (
            '[[pair]]\na = "q-1"\nb = "q-1"\n',
            "kg-accepted.toml:1: a pair needs two different questions, got 'q-1' twice",
        ),
        (
            "pairs = 1\n",
            "kg-accepted.toml: unknown key 'pairs'; the file holds only [[pair]] tables with a, b, verdict and note",
        ),
    ],
)
def test_accepted_malformed_file_names_file_and_line(tmp_path, text, message):
    path = tmp_path / FILENAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_accepted(path)
    assert str(err.value) == f"{tmp_path}/{message}"


def test_accepted_same_question_twice_refused(tmp_path):
    with pytest.raises(ConfigError, match="two different questions"):
        add_accepted(tmp_path / FILENAME, "q", "q")
    assert not Path(tmp_path / FILENAME).exists()


@pytest.mark.parametrize(
    ("positive", "duplicate", "concept", "kind"),
    [
        (0.95, 0.80, 0.0, "duplicate"),
        (0.40, 0.49, 0.0, "overlap"),  # likely worth a review, not likely the same question
        (0.30, 0.10, 0.3, "related"),  # shares a concept
        (0.20, 0.05, 0.0, "related"),  # shares none, but not unlikely
        (0.05, 0.01, 0.0, None),
    ],
)
def test_similar_kinds_come_from_the_probabilities(positive, duplicate, concept, kind):
    one = lambda v: np.array([v])  # noqa: E731
    assert pair_kinds(one(positive), one(duplicate), one(concept), DEFAULT_THRESHOLDS) == [kind]


def test_similar_flat_names_of_the_single_module_still_import():
    import kg.ngrams
    import kg.similar
    from kg.similar.ngrams import CharNgrams

    assert kg.ngrams.CharNgrams is CharNgrams
    assert kg.similar._kinds is pair_kinds and kg.similar._vectorise is not None
    assert kg.similar.EXPLAINED_RELATED == 3
    assert all(hasattr(kg.similar, name) for name in kg.similar.__all__)


def test_similar_fifty_copies_of_one_question_are_one_group_of_duplicates():
    """Copies are found by hashing, not by the top-k search: every pair of 50 copies, in one group."""
    copies = [_numbered(i, "What does batch normalization do to training?", "It normalizes each layer's inputs.")
              for i in range(50)]
    others = [_numbered(100 + i, f"How does method {i} rank documents?", f"Method {i} scores terms.")
              for i in range(30)]
    pairs = score_pairs(copies + others, {}, top_k=5)
    copy_ids = {c.id for c in copies}
    dup = [p for p in pairs if p.a in copy_ids and p.b in copy_ids]
    assert len(dup) == 50 * 49 // 2
    assert {(p.kind, p.score) for p in dup} == {("duplicate", 1.0)}
    assert pairs[: len(dup)] == dup  # exact copies come first
    assert [sorted(g) for g in group_duplicates(pairs)] == [sorted(copy_ids)]


def test_similar_copy_numbered_in_one_file_and_not_in_another_is_a_duplicate():
    def mk(i: int, src: str, q: str, a: str) -> QAItem:
        return QAItem(f"q{i}", i, q, a, src, i, q, a)

    bank = [
        mk(1, "a.md", "What is Docker Compose?", "A tool that runs several containers from one YAML file."),
        mk(2, "b.md", "19. What is Docker Compose?", "It defines multi-container applications in a compose file."),
        mk(3, "b.md", "20. What is a Docker volume?", "Storage that outlives the container that mounts it."),
    ]
    pairs = {(p.a, p.b): p.kind for p in score_pairs(bank, {})}
    assert pairs.get(("q1", "q2")) == "duplicate", pairs


def test_similar_short_questions_are_copies_only_with_the_same_answer():
    bank = [
        _numbered(1, "Why?", "Because the gradient vanishes in deep sigmoid networks."),
        _numbered(2, "Why?", "Because a random forest averages many decorrelated trees."),
    ]
    assert [p for p in score_pairs(bank, {}) if p.kind == "duplicate"] == []


def test_similar_a_prompt_over_different_code_is_no_copy():
    """A quiz asks "What does this print?" of one snippet after another: the prompt points at the code."""
    bank = [
        _numbered(1, "What does this code print?", "```js\nconsole.log(0 || 1)\n```"),
        _numbered(2, "What does this code print?", "```js\nconsole.log(typeof null)\n```"),
        _numbered(3, "What does this code print?", "```js\nconsole.log(typeof null)\n```"),
        _numbered(4, "What did you learn this week?", "A new shell."),
        _numbered(5, "What did you learn this week?", "How to profile a query."),
    ]
    kinds = {(p.a, p.b): p.kind for p in score_pairs(bank, {})}
    assert kinds.get(("q1", "q2")) != "duplicate", kinds
    assert kinds.get(("q2", "q3")) == "duplicate", kinds  # the same prompt over the same code is a copy
    assert kinds.get(("q4", "q5")) == "duplicate", kinds  # "this week" points at a time, not at a thing shown


# A quiz: one prompt over snippets that test different things, each explained in its own words.
QUIZ = [
    _numbered(1, "What's the output?\nA: 1\nB: undefined", "var is hoisted as undefined until its line runs."),
    _numbered(2, "What's the output?\nA: 3 3 3\nB: 0 1 2", "The callbacks run after the loop, when i is already 3."),
    _numbered(3, "What's the output?\nA: true\nB: false", "Strict equality compares type and value, no coercion."),
    _numbered(4, "What's the output?\nA: NaN\nB: 12", "The plus operator concatenates when one operand is a string."),
    _numbered(5, "What's the output?\nA: object\nB: null", "typeof null is object, a bug kept for compatibility."),
    _numbered(6, "What is a closure?", "A function that keeps the variables of the scope it was made in."),
]


def _lettered(n: int, stem: str = "Which one holds?") -> list[QAItem]:
    return [_numbered(i, f"{stem} {i}\nA. red {i}\nB. green\nC. blue", f"Colour {i}.") for i in range(n)]


@pytest.mark.parametrize(("bank", "cut"), [
    (_lettered(5), True),  # a quiz: options under many questions
    (_lettered(3) + [_numbered(9, f"Why {w}?", "Because.") for w in "abcdefgh"], False),  # a few lettered lists
])
def test_similar_options_are_cut_from_questions_only_in_a_bank_that_letters_them_often(bank, cut):
    prompts = common_prompts(bank)
    assert prompts.options is cut
    assert cut_prompts([bank[0].question_text], prompts) == (["Which one holds? 0"] if cut else [bank[0].question_text])


def test_similar_lettered_lines_that_ask_are_parts_of_the_question_not_options():
    parts = "Explain:\na) What is bias?\nb) What is variance?\nc) How do they trade off?"
    assert cut_prompts([parts], Prompts(options=True)) == [parts]


def test_similar_prompt_a_quiz_repeats_is_cut_from_the_question_evidence():
    fields = vectorise(QUIZ, LetterEmbedder())
    assert fields.fitted.prompts.lines == frozenset({"what s the output"})
    # the options are left to compare, the prompt is not
    output = fields.fitted.word.vocabulary_.get("output")
    assert output is None or fields.q_word[:, output].nnz == 0
    assert fields.q_word[0].nnz and fields.q_word[5].nnz
    again = vectorise(QUIZ[:1], LetterEmbedder(), fitted=fields.fitted)
    assert (again.q_word != fields.q_word[0]).nnz == 0


def _prompt_only(quiz: list[QAItem]) -> list[QAItem]:
    return [replace(it, question=it.question.split("\n")[0], question_text=it.question_text.split("\n")[0])
            for it in quiz]


def test_similar_a_question_that_is_only_the_prompt_has_no_question_vectors():
    fields = vectorise(_prompt_only(QUIZ), LetterEmbedder())
    assert fields.q_sem is not None
    assert not fields.q_sem[:5].any() and fields.q_word[:5].nnz == 0
    assert np.linalg.norm(fields.q_sem[5]) == pytest.approx(1.0, abs=1e-5)


def _three_options(quiz: list[QAItem]) -> list[QAItem]:
    return [replace(it, question_text=f"{it.question_text}\nC: something else") if "\nA: " in it.question_text else it
            for it in quiz]


@pytest.mark.parametrize("quiz", [_prompt_only(QUIZ), _three_options(QUIZ)], ids=["prompt only", "lettered options"])
def test_similar_a_shared_prompt_does_not_make_a_quiz_s_questions_alike(quiz):
    pairs = score_pairs(quiz, {})
    assert [(p.a, p.b, p.kind) for p in pairs if p.kind in ("duplicate", "overlap")] == []
    # the wording shown as the reason two snippets' items match is not the prompt's
    prompted = {"q1", "q2", "q3", "q4", "q5"}
    shown = [(p.a, p.b, p.lexical) for p in pairs if {p.a, p.b} <= prompted]
    assert all(lexical < 0.5 for _, _, lexical in shown), shown
