"""The generic tier (kg.specificity): scores on made-up banks, then the pipeline, the CLI and the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.model import Concept, Mention, QAItem
from kg.specificity import (
    GENERIC_AT,
    MIN_PASSING,
    Evidence,
    asks_what,
    evidence,
    is_generic,
    ranked,
    rate_concepts,
    specificity,
)

SEED = Path(__file__).resolve().parents[1] / "data" / "questions.md"

# Made-up English frequencies (Zipf): the scores must follow them, whatever wordfreq says.
ZIPF = {"kettle": 4.3, "teapot": 3.2, "oolong": 2.0, "steeping": 3.0, "cup": 4.8}


def zipf(word: str) -> float:
    return ZIPF.get(word, 0.0)


def score(label: str, questions: int, asked: int = 0, *, bank: int = 100, words: float = 50.0, **kw) -> float:
    return specificity(Evidence(label, questions, asked, **kw), bank, words, zipf, kw.pop("terms", ()))


def test_specificity_everyday_word_used_in_passing_everywhere_is_generic() -> None:
    ev = Evidence("kettle", 30, 1)
    s = specificity(ev, 100, 50.0, zipf)
    assert s == 0.0
    assert is_generic(ev, s)


@pytest.mark.parametrize("label", ["kettle boiling point", "PID", "HttpClient", "tea2", "kettle_id"])
def test_specificity_several_words_acronyms_and_code_names_are_specific_however_broad(label: str) -> None:
    assert score(label, 90) == 1.0


def test_specificity_falls_with_english_frequency() -> None:
    rare, middling, everyday = score("oolong", 30), score("teapot", 30), score("kettle", 30)
    assert rare == 1.0
    assert everyday < middling < rare
    assert middling > GENERIC_AT  # between rare and everyday: not generic on breadth alone


def test_specificity_falls_with_how_broadly_answers_mention_it() -> None:
    scores = [score("kettle", n) for n in (1, 2, 3, 5)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 1.0 and scores[-1] == 0.0


def test_specificity_questions_that_ask_about_it_do_not_count_as_passing() -> None:
    # in 8 of 100 questions either way; asked in 7 of them, it is a topic of the bank, not a word in passing
    assert score("kettle", 8, asked=7) > GENERIC_AT >= score("kettle", 8, asked=0)


def test_specificity_long_answers_need_more_questions_to_be_broad() -> None:
    short = score("kettle", 3, bank=100, words=50.0)
    long = score("kettle", 3, bank=100, words=300.0)
    assert short < long


def test_specificity_a_word_the_bank_writes_capitalised_is_a_name() -> None:
    assert score("kettle", 40, named=0.9) == 1.0
    assert score("kettle", 40, named=0.1) == 0.0


def test_specificity_terms_of_art_are_never_generic() -> None:
    ev = Evidence("cup", 60, 0)
    assert specificity(ev, 100, 50.0, zipf, {"cup"}) == 1.0
    assert specificity(ev, 100, 50.0, zipf) == 0.0


def test_specificity_few_passing_mentions_make_no_generic_concept() -> None:
    # a third of a six-question bank, but only MIN_PASSING - 1 mentions in passing: no pattern yet
    ev = Evidence("kettle", MIN_PASSING - 1, 0)
    s = specificity(ev, 6, 50.0, zipf)
    assert s <= GENERIC_AT
    assert not is_generic(ev, s)


def test_specificity_empty_bank_scores_nothing_generic() -> None:
    assert rate_concepts([], [], [], zipf=zipf) == ()
    assert score("kettle", 0, bank=0) == 1.0


def test_evidence_counts_questions_asked_and_capitalised_mentions() -> None:
    concepts = [Concept("kettle", "kettle", (), ("a", "b", "c"))]
    mentions = [
        Mention("kettle", "a", "question", 7, 13, "kettle", "Is the kettle on?"),
        Mention("kettle", "b", "answer", 0, 6, "Kettle", "Kettle first, then the pot."),  # first word: not counted
        Mention("kettle", "c", "answer", 4, 10, "Kettle", "The Kettle brand."),
        Mention("kettle", "c", "answer", 4, 10, "kettle", "Any kettle."),
    ]
    ev = evidence(concepts, mentions)["kettle"]
    assert (ev.questions, ev.asked, ev.named) == (3, 1, 0.3333)


def _bank(n: int, words: str = "tea " * 40) -> tuple[list[QAItem], list[Concept], list[Mention]]:
    items = [QAItem(f"q{k}", k, "?", "!", "tea.md", k, "A question?", words) for k in range(n)]
    broad = tuple(f"q{k}" for k in range(0, n, 2))
    concepts = [
        Concept("kettle", "kettle", (), broad),
        Concept("oolong", "oolong", (), broad),
        Concept("steeping", "steeping", (), ("q1", "q3", "q5")),
    ]
    mentions = [
        Mention(c.id, q, "answer", 10, 16, c.label, "Then the " + c.label) for c in concepts for q in c.questions
    ]
    return items, concepts, mentions


def test_rate_concepts_marks_the_generic_and_keeps_the_rest() -> None:
    items, concepts, mentions = _bank(40)
    rated = rate_concepts(items, concepts, mentions, zipf=zipf)
    assert [c.id for c in rated] == [c.id for c in concepts]
    assert [(c.label, c.questions) for c in rated] == [(c.label, c.questions) for c in concepts]
    assert [c.generic for c in rated] == [True, False, False]
    assert rated[0].specificity < GENERIC_AT < rated[2].specificity <= rated[1].specificity == 1.0


def test_rate_concepts_user_terms_stay_specific() -> None:
    items, concepts, mentions = _bank(40)
    rated = rate_concepts(items, concepts, mentions, zipf=zipf, terms={"Kettle"})
    assert not any(c.generic for c in rated)


def test_rate_concepts_the_concept_file_decides_for_the_names_it_lists() -> None:
    items, concepts, mentions = _bank(40)
    rated = rate_concepts(items, concepts, mentions, zipf=zipf, specific=["KETTLE"], generic=["Oo-long"])
    assert [(c.generic, c.specificity) for c in rated[:2]] == [(False, 1.0), (True, 0.0)]


def test_specificity_ranked_puts_generic_concepts_after_specific_ones() -> None:
    cs = [
        Concept("a", "a", (), ("1", "2", "3"), 0.1, True),
        Concept("b", "b", (), ("1",)),
        Concept("c", "c", (), ("1", "2")),
    ]
    assert [c.id for c in ranked(cs, lambda c: -len(c.questions))] == ["c", "b", "a"]


# A made-up bank of its own: one everyday word ("recipe") that the answers use in passing, and terms.
BAKING = """# Sourdough questions

## 1. How do you scale a recipe up for a bigger batch?

Multiply every weight by the same factor and keep the hydration and the levain share unchanged.

## 2. What is a levain?

A levain is a portion of sourdough starter built the night before; most recipes call for it at peak.

## 3. What does an autolyse do?

An autolyse rests flour and water before the levain goes in; the recipe tells you how long.

## 4. Why proof dough in a banneton?

A banneton supports the loaf during the final proof; any recipe with high hydration benefits.

## 5. What does hydration mean for sourdough?

Hydration is the water weight over the flour weight; a recipe at 80% hydration gives an open crumb.

## 6. How can you tell when bulk fermentation is done?

The dough has risen by half and shows bubbles at the edges; the recipe timing is only a guide.

## 7. What causes a gummy crumb?

Underbaking or slicing too early; follow the recipe bake time and let the loaf cool.

## 8. Why score a loaf before baking?

Scoring lets the loaf expand where you choose; a lame gives a clean ear.
"""


@pytest.fixture()
def baking(tmp_path: Path) -> Path:
    path = tmp_path / "baking.md"
    path.write_text(BAKING, encoding="utf-8")
    return path


def run(*args: str):
    from kg.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.model
def test_specificity_no_seed_concept_is_generic(seed_bank) -> None:
    assert seed_bank.concepts
    assert [c.label for c in seed_bank.concepts if c.generic] == []
    assert all(0.0 <= c.specificity <= 1.0 for c in seed_bank.concepts)


@pytest.mark.model
def test_specificity_graph_nodes_carry_the_flag(seed_bank) -> None:
    from kg.model import cnode

    for c in seed_bank.concepts:
        node = seed_bank.graph.nodes[cnode(c.id)]
        assert (node["specificity"], node["generic"]) == (c.specificity, c.generic)


@pytest.mark.model
def test_cli_concepts_ranks_generic_last_and_hides_them_on_request(baking: Path) -> None:
    shown = run("concepts", str(baking), "--json")
    assert shown.exit_code == 0
    concepts = json.loads(shown.stdout)
    generic = [c["label"] for c in concepts if c["generic"]]
    assert generic == ["recipe"]
    assert concepts[-1]["label"] == "recipe"  # in the most questions, yet listed last
    assert max(len(c["questions"]) for c in concepts) == len(concepts[-1]["questions"])

    hidden = run("concepts", str(baking), "--json", "--hide-generic")
    assert [c["label"] for c in json.loads(hidden.stdout)] == [c["label"] for c in concepts[:-1]]

    table = run("concepts", str(baking))
    assert "generic" in table.stdout.splitlines()[-3]  # the tier column of the last row
    table = run("concepts", str(baking), "--hide-generic")
    assert not [line for line in table.stdout.splitlines() if line.split("  ")[0].strip() == "recipe"]
    assert table.stdout.rstrip().endswith("(1 generic concepts hidden)")


@pytest.mark.model
def test_cli_related_hide_generic_leaves_them_out_of_related_concepts(baking: Path) -> None:
    def related(*extra: str) -> list[str]:
        out = run("related", str(baking), "--concept", "hydration", "--json", *extra)
        assert out.exit_code == 0
        return [r["label"] for r in json.loads(out.stdout)["related_concepts"]]

    assert "recipe" in related()
    assert "recipe" not in related("--hide-generic")
    assert [r for r in related() if r != "recipe"] == related("--hide-generic")


@pytest.mark.model
def test_cli_concepts_file_marks_concepts_specific_or_generic(baking: Path) -> None:
    (baking.parent / "concepts.toml").write_text('specific = ["Recipe"]\ngeneric = ["loaf"]\n', encoding="utf-8")
    concepts = json.loads(run("concepts", str(baking), "--json").stdout)
    assert [c["label"] for c in concepts if c["generic"]] == ["loaf"]


@pytest.mark.model
def test_export_carries_specificity_and_generic(baking: Path) -> None:
    out = run("export", str(baking), "--format", "json", "--no-semantic")
    concepts = json.loads(out.stdout)["concepts"]
    assert all({"specificity", "generic"} <= set(c) for c in concepts)
    assert [c["label"] for c in concepts if c["generic"]] == ["recipe"]


@pytest.mark.model
def test_cli_coverage_hide_generic_leaves_them_out_of_every_list(baking: Path) -> None:
    def lists(*extra: str) -> dict:
        out = run("coverage", str(baking), "--no-semantic", "--json", *extra)
        assert out.exit_code == 0
        report = json.loads(out.stdout)
        return {k: [e["label"] for e in v] for k, v in report.items() if isinstance(v, list)} | {
            "concepts": report["concepts"]
        }

    shown, hidden = lists(), lists("--hide-generic")
    assert shown["central"][0] == "recipe"
    assert not [label for k, v in hidden.items() if k != "concepts" for label in v if label == "recipe"]
    assert hidden["central"]
    assert hidden["concepts"] == shown["concepts"] - 1


def test_specificity_everyday_word_the_bank_asks_about_is_specific() -> None:
    # A bank that asks what a kettle is treats "kettle" as one of its terms, however broad its use.
    assert score("kettle", 30, 1, defined=True) == 1.0
    mentions = [
        Mention("kettle", "q1", "question", 9, 16, "kettles", "What are kettles?"),
        Mention("kettle", "q2", "question", 16, 22, "kettle", "How hot does a kettle get?"),
    ]
    ev = evidence([Concept("kettle", "kettle", (), ("q1", "q2"))], mentions)["kettle"]
    assert ev.defined
    assert not evidence([Concept("kettle", "kettle", (), ("q2",))], mentions[1:])["kettle"].defined


def test_specificity_question_asking_what_a_term_is_within_a_field_defines_it() -> None:
    assert asks_what("What is a kettle in a kitchen?", "kettle")
    assert asks_what("What are kettles within the range, and which is best?", "kettles")
    assert asks_what("What are kettles and how are they cleaned?", "kettles")
    # the role, the price or the history of a kettle is what those questions ask about
    assert not asks_what("What is the role of a kettle in a kitchen?", "kettle")
    assert not asks_what("What is the price of kettles?", "kettles")
    assert not asks_what("What are kettles and teapots?", "kettles")
