"""Tests of kg.parse.shapes: the registry of question-line shapes is what detection reads."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from kg.parse import shapes
from kg.parse.bank import parse_bank
from kg.parse.shapes import FALLBACK_SHAPES, SHAPES, Found, Shape, detect


def test_parse_shapes_names_are_unique() -> None:
    names = [s.name for s in SHAPES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("shape", "shapes"),
    [(s, SHAPES) for s in SHAPES] + [(s, FALLBACK_SHAPES) for s in FALLBACK_SHAPES],
    ids=lambda s: s.name if isinstance(s, Shape) else ("fallback" if s is FALLBACK_SHAPES else "registry"),
)
def test_parse_shapes_each_reads_its_own_example(shape: Shape, shapes: tuple[Shape, ...]) -> None:
    # No shape tried earlier takes the line from it (an example of more lines holds one question).
    lines = shape.example.split("\n")
    (found,) = detect(lines, [False] * len(lines), shapes)
    assert found.found_by is shape


@pytest.mark.parametrize(
    ("line", "shape"),
    [
        ("1. **What is X?**", "list-num"),  # a list item before a bold line
        ("- Q: What is X?", "list-q"),  # a bullet labelled as a question
        ("- What is X?", None),  # a bullet that is neither labelled nor all bold is no question
        ("**Q:** What is X?", "para-q"),  # a bold lead-in is passed on to later shapes
        ("<summary>Show Answer</summary>", None),  # only labels an answer
    ],
)
def test_parse_shapes_first_shape_to_claim_a_line_reads_it(line: str, shape: str | None) -> None:
    assert [c.found_by.name for c in detect([line], [False])] == ([shape] if shape else [])


def test_parse_shapes_a_new_shape_is_one_registry_record(monkeypatch: pytest.MonkeyPatch) -> None:
    def read_arrow(lines: Sequence[str], i: int) -> Found | None:
        head, arrow, text = lines[i].partition(" -> ")
        return Found(i, "arrow", "", None, text) if arrow and head == "Question" else None

    bank = "Question -> What is X?\nX is a thing.\n\nQuestion -> Why Y?\nBecause.\n"
    monkeypatch.setattr(shapes, "SHAPES", (*SHAPES, Shape("arrow", read_arrow, "Question -> X?")))
    items, analysis = parse_bank(bank, "bank.md", "bank")
    assert analysis.shape == "arrow"
    assert [(i.question, i.answer) for i in items] == [
        ("What is X?", "X is a thing."),
        ("Why Y?", "Because."),
    ]


SETEXT_BANK = """Deep learning FAQ
=================

What is ReLU?
-------------

ReLU is max(0, x).

What is dropout?
----------------

Dropout zeroes random units while training.
"""


def test_parse_shapes_setext_headings_are_questions_at_their_own_lines() -> None:
    items, _ = parse_bank(SETEXT_BANK, "faq.md", "faq")
    assert [(i.question, i.line) for i in items] == [("What is ReLU?", 4), ("What is dropout?", 9)]
    assert items[0].answer.strip() == "ReLU is max(0, x)."


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: FAQ\n---\n\n## What is X?\n\nX is Y.\n",  # front matter is no heading
        "## What is X?\n\n- one\n---\n\nX is Y.\n",  # a list item over a rule
        "## What is X?\n\n| a | b |\n---\n\nX is Y.\n",  # a table row over a rule
        "## What is X?\n\nWhere:\n-\nX is Y.\n",  # a lone dash is not an underline here
    ],
)
def test_parse_shapes_setext_rule_leaves_other_markdown_alone(text: str) -> None:
    items, _ = parse_bank(text, "faq.md", "faq")
    assert [i.question for i in items] == ["What is X?"]


def test_parse_shapes_a_bare_bold_number_asks_what_the_item_under_it_asks() -> None:
    text = "\n".join([
        "**1.** Why do caches help?",
        "",
        "They keep hot data close.",
        "",
        "**2.**",
        "",
        "* i. Why do queues decouple services?",
        "",
        "A producer need not wait.",
        "",
        "* ii. When is a queue a bad idea?",
        "",
        "When callers need an answer now.",
        "",
        "**3.** What is back-pressure?",
        "",
        "Slowing producers down.",
    ])
    items, _ = parse_bank(text, "q.md", "q")
    assert [(i.number, i.line, i.question) for i in items] == [
        (1, 1, "Why do caches help?"),
        (2, 5, "Why do queues decouple services?"),
        (3, 15, "What is back-pressure?"),
    ]
    assert "When is a queue a bad idea?" in items[1].answer


@pytest.mark.parametrize(
    "lines",
    [
        # numbered, the answer after an arrow (and no space after the number's parenthesis)
        ["1)What is a cache? ->A store of hot data.", "", "2) What is a queue? => A buffer between services."],
        # labelled, the answer's label on the question's line
        ["Q: What is a cache? A: A store of hot data.", "",
         "Q: What is a queue? **Answer:** A buffer between services."],
        # bold questions that open their answer's paragraph
        ["**What is a cache?** A store of hot data.", "", "**What is a queue?** A buffer between services."],
    ],
    ids=["arrow", "label", "bold-lead"],
)
def test_parse_shapes_answer_on_the_question_s_line_is_its_answer(lines: list[str]) -> None:
    items, _ = parse_bank("\n".join(lines), "q.md", "q")
    assert [(i.line, i.question.strip("*"), i.answer) for i in items] == [
        (1, "What is a cache?", "A store of hot data."),
        (3, "What is a queue?", "A buffer between services."),
    ]


def test_parse_shapes_answer_on_the_question_s_line_runs_on_below_it() -> None:
    text = "1. Why cache? -> It saves a trip:\nreads come from memory.\n2. Why queue? -> Producers need not wait."
    items, _ = parse_bank(text, "q.md", "q")
    assert [(i.question, i.answer) for i in items] == [
        ("Why cache?", "It saves a trip:\nreads come from memory."),
        ("Why queue?", "Producers need not wait."),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "1. Which one copies a repository? A. fork B. clone C. pull",  # a quiz's options, no answer
        "1. **Why not cache everything?** (Senior)",  # a level tag after a bold question
        "1. What does A: mean in a log line?",  # a label inside the question
    ],
)
def test_parse_shapes_question_without_an_answer_on_its_line_is_kept_whole(line: str) -> None:
    found = detect([line], [False])
    assert found and found[0].text.strip("*") == line.split(". ", 1)[-1].strip("*") and not found[0].inline


def test_parse_shapes_list_numbered_one_before_every_item_gives_its_items_no_number() -> None:
    # markdown counts "1." lists up by itself: the number written tells the items apart no more than none would
    lazy = "\n".join(f"1. What is term {n}?\n\n   Term {n} is a word.\n" for n in range(3))
    counted = "\n".join(f"{n + 1}. What is term {n}?\n\n   Term {n} is a word.\n" for n in range(3))
    assert [i.number for i in parse_bank(lazy, "q.md", "q")[0]] == [None, None, None]
    assert [i.number for i in parse_bank(counted, "q.md", "q")[0]] == [1, 2, 3]
