"""Tests of kg.parse: one small inline bank per shape, ids, errors, the seed."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from kg.errors import ParseError
from kg.parse import parse_file, parse_paths, parse_text, plain_text
from kg.parse.plaintext import display_text
from kg.parse.unread import partly_read

SEED = Path(__file__).resolve().parents[1] / "data" / "questions.md"
NO_QUESTION = (
    "no question found; expected numbered or 'Q:' headings, bold question lines, "
    "<summary> blocks or numbered list items"
)

NUMBERED_H4 = """\
Deep learning is a way computers learn. Why does it matter? Because it works.

## Top 4 Questions

#### 1. What is L1 regularization?

It penalises absolute weights.

#### 2. Why use ReLU?

It does not saturate.

#### 3. Define dropout.

Randomly dropping units.

#### 4. Compare SGD and Adam.

Adam adapts the step size.
"""

NUMBERED_H2_TOC = """\
[Source](https://example.org/doc)

- [1. Why select features?](#1-why-select-features)
    - [Filter methods](#filter-methods)
- [2. Expected value](#2-expected-value)

## 1. Why select features?
Fewer inputs.
#### Filter methods
Score each feature.
![alt text](images/a.png)

## 2. Expected value
The mean.</br>
### Notes
Weighted by probability.
"""

Q_HEADING_DETAILS = """\
# Calculus

## Table of Contents
- [Basics](#basics)

---

### Basics

### Q: What is a tensor?
<details>
<summary><b>💡 Show Answer</b></summary>

An array with **n** axes.

</details>

---

### Q: Convexity

1. What does convex mean?
1. Why is it useful?

<details>
<summary><b>💡 Show Answer</b></summary>

1. A chord lies above the graph.
2. Local minima are global.

</details>

---

## More

What is a scalar?

<details>
<summary><b>💡 Show Answer</b></summary>

A single number.

</details>

---

[⬆️ Back to Top](#table-of-contents) | [🏠 Back to Main Index](./README.md)
"""

SUMMARY_BLOCKS = """\
<p align="center">A test of skills.</p>

## <a name="intro">Introduction</a>

### Simple Questions

- <b>What did you learn this week?</b>
- <b>Tell me about your last project.</b>

## <a name="general">General Knowledge</a>

###### System Questions (2)

<details>
<summary><b>What is a shell? ***</b></summary><br>

To be completed.

</details>

<details>
<summary><b>How do you list open files
of a process?</b></summary><br>

- <b>lsof</b> - lists open files

</details>

###### Network Questions (1)

<details>
<summary><b>What is DNS?</b></summary><br>

Name resolution.

</details>
"""

BOLD_LINES = """\
# Theory questions

* Legend: 👶 easy ⭐️ medium 🚀 expert

## Linear regression

**What is regression? 👶**

Predicting a number.

1. **Linear** relationship.
2. **Additive** effects.

### Example

House prices.

<br/>

**Precision-recall trade-off ⭐️**

Answer here

**Why scale features? ⭐️**

**Useful resources:**

- a book

## Trees

**How does a tree split? 🚀**

By impurity.
"""

NUMBERED_BOLD = """\
## SQL

Suppose a table Ads(ad_id, status).

**1)** The number of active ads.

```sql
SELECT count(*) FROM Ads WHERE status = 'active';
```

<br/>

**2)** All active campaigns.

## Coding (Python)

**1) FizzBuzz.** Print numbers from 1 to 100

```python
# a comment, not a heading
print(1)
```

**2) Factorial**. Calculate a factorial.
"""

NUMBERED_LIST = """\
# My list

Some words about this list.

1. What is overfitting?
   Learning the noise.

   It does not generalise.
2. What is underfitting?
   Too simple a model.
3. Define bias.
   Error from wrong assumptions.
4. Define variance.

Closing remarks.
"""

Q_A_LINES = """\
Questions I was asked.

Q: What is a tensor?
A: A multi-dimensional array.

Q: What is a vector
of numbers?
A: A one-dimensional array.
"""


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param(
            NUMBERED_H4,
            [
                (1, "What is L1 regularization?", "It penalises absolute weights.", 5),
                (2, "Why use ReLU?", "It does not saturate.", 9),
                (3, "Define dropout.", "Randomly dropping units.", 13),
                (4, "Compare SGD and Adam.", "Adam adapts the step size.", 17),
            ],
            id="numbered-h4-with-intro",
        ),
        pytest.param(
            NUMBERED_H2_TOC,
            [
                (
                    1,
                    "Why select features?",
                    "Fewer inputs.\n#### Filter methods\nScore each feature.\n"
                    "![alt text](images/a.png)",
                    7,
                ),
                (2, "Expected value", "The mean.</br>\n### Notes\nWeighted by probability.", 13),
            ],
            id="numbered-h2-linked-toc-subheadings",
        ),
        pytest.param(
            Q_HEADING_DETAILS,
            [
                (None, "What is a tensor?", "An array with **n** axes.", 10),
                (
                    None,
                    "Convexity\n1. What does convex mean?\n1. Why is it useful?",
                    "1. A chord lies above the graph.\n2. Local minima are global.",
                    20,
                ),
                (None, "What is a scalar?", "A single number.", 37),
            ],
            id="q-heading-details-answer",
        ),
        pytest.param(
            SUMMARY_BLOCKS,
            [
                (None, "What did you learn this week?", "", 7),
                (None, "Tell me about your last project.", "", 8),
                (None, "What is a shell? ***", "To be completed.", 15),
                (
                    None,
                    "How do you list open files\nof a process?",
                    "- <b>lsof</b> - lists open files",
                    22,
                ),
                (None, "What is DNS?", "Name resolution.", 32),
            ],
            id="summary-blocks-and-question-list",
        ),
        pytest.param(
            BOLD_LINES,
            [
                (
                    None,
                    "What is regression? 👶",
                    "Predicting a number.\n\n1. **Linear** relationship.\n2. **Additive** effects."
                    "\n\n### Example\n\nHouse prices.",
                    7,
                ),
                (None, "Precision-recall trade-off ⭐️", "Answer here", 20),
                (None, "Why scale features? ⭐️", "**Useful resources:**\n\n- a book", 24),
                (None, "How does a tree split? 🚀", "By impurity.", 32),
            ],
            id="bold-lines-in-sections",
        ),
        pytest.param(
            NUMBERED_BOLD,
            [
                (
                    1,
                    "The number of active ads.",
                    "```sql\nSELECT count(*) FROM Ads WHERE status = 'active';\n```",
                    5,
                ),
                (2, "All active campaigns.", "", 13),
                (
                    1,
                    "**FizzBuzz.** Print numbers from 1 to 100",
                    "```python\n# a comment, not a heading\nprint(1)\n```",
                    17,
                ),
                (2, "**Factorial**. Calculate a factorial.", "", 24),
            ],
            id="numbered-bold-restarting",
        ),
        pytest.param(
            NUMBERED_LIST,
            [
                (1, "What is overfitting?", "Learning the noise.\n\nIt does not generalise.", 5),
                (2, "What is underfitting?", "Too simple a model.", 9),
                (3, "Define bias.", "Error from wrong assumptions.", 11),
                (4, "Define variance.", "", 13),
            ],
            id="numbered-list-indented-answers",
        ),
        pytest.param(
            Q_A_LINES,
            [
                (None, "What is a tensor?", "A multi-dimensional array.", 3),
                (None, "What is a vector\nof numbers?", "A one-dimensional array.", 6),
            ],
            id="q-and-a-lines",
        ),
    ],
)
def test_parse_shapes(markdown: str, expected: list[tuple]) -> None:
    items = parse_text(markdown, "bank.md")
    assert [(i.number, i.question, i.answer, i.line) for i in items] == expected


@pytest.mark.parametrize(
    ("markdown", "questions", "answers"),
    [
        (
            SUMMARY_BLOCKS,
            [
                "What did you learn this week?",
                "Tell me about your last project.",
                "What is a shell?",
                "How do you list open files of a process?",
                "What is DNS?",
            ],
            ["", "", "", "lsof - lists open files", "Name resolution."],
        ),
        (
            BOLD_LINES,
            [
                "What is regression?",
                "Precision-recall trade-off",
                "Why scale features?",
                "How does a tree split?",
            ],
            [
                "Predicting a number.\nLinear relationship.\nAdditive effects.\n"
                "Example\nHouse prices.",
                "",
                "Useful resources:\na book",
                "By impurity.",
            ],
        ),
        (
            Q_HEADING_DETAILS,
            [
                "What is a tensor?",
                "Convexity\nWhat does convex mean?\nWhy is it useful?",
                "What is a scalar?",
            ],
            [
                "An array with n axes.",
                "A chord lies above the graph.\nLocal minima are global.",
                "A single number.",
            ],
        ),
        (
            NUMBERED_BOLD,
            [
                "The number of active ads.",
                "All active campaigns.",
                "FizzBuzz. Print numbers from 1 to 100",
                "Factorial. Calculate a factorial.",
            ],
            ["", "", "", ""],
        ),
    ],
    ids=["summary", "bold", "details", "code-only-answers"],
)
def test_parse_text_fields_are_plain(
    markdown: str, questions: list[str], answers: list[str]
) -> None:
    items = parse_text(markdown, "bank.md")
    assert [i.question_text for i in items] == questions
    assert [i.answer_text for i in items] == answers


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**What is X? 👶**", "What is X?"),
        ("<summary><b>How? ***</b></summary>", "How?"),
        ("See [the docs](https://x.org/a_(b)) and <https://x.org>.", "See the docs and."),
        # a link whose text is code holding brackets loses its target all the same
        ("Run [`kg set [target] -j=#`](../ref/kg-set/) to change it.", "Run kg set [target] -j=# to change it."),
        # a note's label opening a block is a mark of the page
        ("> NOTE There is no way back.\n\n**Warning:** it deletes.", "There is no way back.\nit deletes."),
        ("INFO logs are verbose.", "INFO logs are verbose."),
        ("![diagram](img/a.png) Caption <img src='b.png' alt='b'/>", "Caption"),
        (
            "Loss $L_1$ with $\\alpha = 0.5$ and $\\frac{a}{b}$ here",
            "Loss L1 with α = 0.5 and here",
        ),
        ("Costs $5 and $10 a month", "Costs $5 and $10 a month"),
        # a letter below a letter is an index, never read as part of a name: "B_n" is no acronym BN
        ("If $B_1, B_2, \\ldots, B_n$ hold and $x_{ij}$ too", "If B1, B2, ..., B_n hold and x_ij too"),
        ("Text\n\n$$\nx^2\n$$\n\nMore", "Text\nMore"),
        ("Before\n```python\nx = 1  # code\n```\nAfter", "Before\nAfter"),
        (
            "Use `snake_case_name` and *em* and _em_ and ~~old~~",
            "Use snake_case_name and em and em and old",
        ),
        ("| a | b |\n|---|:--|\n| 1 | **2** |", "a\nb\n1\n2"),
        ("# Title\n\nline one\nline two\n\n- item :star: ⭐️", "Title\nline one line two\nitem"),
        ("a &amp; b <br> c<!-- hidden --> d", "a & b c d"),
        # entities are decoded in table cells and code spans too: none reaches the NLP text
        ("| R&amp;D | `a &lt; b` |\n|---|---|\n| &quot;q&quot; | &#956; |", "R&D\na < b\n\"q\"\nμ"),
        ("> quoted\n> more", "quoted more"),
        # a word a typeset page broke at a line's end is whole again; a prefix two words share is not joined
        ("the single predict-\nors, and there-\nfore", "the single predictors, and therefore"),
        ("its suc- cesses in single- or multi-label tasks", "its successes in single- or multi-label tasks"),
        # a link's text may hold brackets: a citation mark after a question
        ("Explain each briefly. [[src]](https://x.org/a)", "Explain each briefly. [src]"),
        # a bare address of any scheme is no text
        ("Open chrome-extension://abc/pdfjs/viewer.html or s3://logs/app in a tab", "Open or in a tab"),
        ("", ""),
    ],
)
def test_parse_plain_text(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        # C-family code pasted without a fence, its spaces lost or kept
        ("An example:\n#include\nusingnamespacestd;\nintmain()\n{\nint total = 0;\ncout << total;\n}\nDone.",
         "An example:\nDone."),
        ("A copy constructor has the form\nPoint (const Point &other);\nand copies each field.",
         "A copy constructor has the form\nand copies each field."),
        # prose that ends in ";" or holds braces without a sign of code stays
        ("Two rules hold:\n- it is fast;\n- it is small;\n\nUse {braces} in templates.",
         "Two rules hold:\nit is fast;\nit is small;\nUse {braces} in templates."),
    ],
)
def test_parse_plain_text_drops_code_lines_outside_fences(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        # a bold label opens a field of its own, not the end of the line above
        ("**Correct answer:** B\n**Explanation:** Courts follow precedent.",
         "Correct answer: B\nExplanation: Courts follow precedent."),
        ("A line that goes\n**on** in bold.", "A line that goes on in bold."),
        # so do a quiz's options and an answer's label, emphasised or not
        ("**Root of 1 carbon:**\n   A) Eth-\n   B) Meth-\n   *Answer: B*",
         "Root of 1 carbon:\nA) Eth-\nB) Meth-\nAnswer: B"),
        ("Pick one\n(a) a list\nAnswer: (a)", "Pick one\n(a) a list\nAnswer: (a)"),
        # a note's label is dropped where it opens a sentence, not where it ends a longer label
        ("**Exam Tip:** Keys mean DynamoDB.", "Exam Tip: Keys mean DynamoDB."),
        ("Is it zero? Hint: check the sign.", "Is it zero? check the sign."),
        # kramdown's attribute lists and a site generator's variables are marks of the page
        ("## Can I pause a job?\n{: faq}\n{: #pause-job}\n\nYes, in the [console](https://x.org){: external}.",
         "Can I pause a job?\nYes, in the console."),
        ("The {{site.data.keyword.product}} agent runs {{ page.title }} nightly.", "The agent runs nightly."),
        ("Bind {{ user.name }} here.", "Bind {{ user.name }} here."),
    ],
)
def test_parse_plain_text_drops_page_marks_and_splits_labelled_fields(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        # an include tag's link text names a file, not a concept
        ("Why?\n{% include [faq-data-from-all-objects](../x.md) %}\nBecause.", "Why? Because."),
        ("{{< note >}}Keep this{{< /note >}} and {{% tab %}}that{{% /tab %}}", "Keep this and that"),
        ("Intro\n<pre>{% highlight java %}\npublic class A {}\n{% endhighlight %}</pre>\nAfter.", "Intro\nAfter."),
        ("Kept\n{% comment %}\ndraft note\n{% endcomment %}\nAlso kept", "Kept\nAlso kept"),
    ],
)
def test_parse_plain_text_drops_site_generator_template_tags(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


def test_parse_plain_text_keeps_template_outputs_and_tags_written_as_code() -> None:
    # an output is what a page prints (Angular's and Vue's interpolation is the subject of their banks)
    assert plain_text("Interpolation: {{ value }} adds the value") == "Interpolation: {{ value }} adds the value"
    assert plain_text("Jekyll reads `{% include x.md %}` here") == "Jekyll reads {% include x.md %} here"
    # TeX groups in double braces are no template tag: their words stay for the math rules
    assert "limit" in plain_text("the limit {{x \\to 3}} of f") and "x" in plain_text("{{x \\to 3}}")


def test_parse_plain_text_keeps_an_unclosed_highlight_block() -> None:
    assert plain_text("{% highlight sh %}\nrun the job\nmore text") == "run the job more text"


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("What does <img src=x onerror=alert(1)> do?", "What does <img src=x onerror=alert(1)> do?"),
        ("<summary><b>How?</b></summary>", "<summary>How?</summary>"),  # inline code and emphasis tags go
        ("What if <code>kill -9</code> or <kbd>Ctrl</kbd>+<kbd>C</kbd> fails?", "What if kill -9 or Ctrl+C fails?"),
        ("<code>&lt;b&gt;</code> and <b>a <i>nested</i> one</b>", "<b> and <b>a nested one</b>"),
        ("Is &lt;b&gt; a tag? &amp;lt; stays &amp;lt;", "Is <b> a tag? &lt; stays &lt;"),
        ("&#42;not emphasis&#42; and \\*not either\\*", "*not emphasis* and *not either*"),
        ("**Bold**, *em*, _em_, ~~old~~ and ***both***", "Bold, em, em, old and both"),
        ("Use `a*b*c`, ``x ` y`` and `&lt;`", "Use a*b*c, x ` y and &lt;"),
        ("See [the docs](https://x.org/a_(b)) and <https://x.org>.", "See the docs (https://x.org/a_(b)) and https://x.org."),
        ("![diagram](img/a.png \"t\") here", "diagram (img/a.png) here"),
        ("Explain each briefly. [[src]](https://x.org/a)", "Explain each briefly. [src] (https://x.org/a)"),
        ("Loss $L_1 + b_1$ and snake_case_name", "Loss $L_1 + b_1$ and snake_case_name"),
        ("1. First\n2.  Second  <br>\n\n$$\nx^2\n$$", "1. First 2. Second <br> $$ x^2 $$"),
        ("Private \ue000\ue001 characters", "Private \ue000\ue001 characters"),
        # a fenced block keeps its code and loses its fences and info string
        ("Output?\n```python\nprint(*args)\n```\n- A: `1`", "Output? print(*args) - A: 1"),
        ("Run ```ls -a``` first", "Run ls -a first"),
        ("", ""),
    ],
)
def test_parse_display_text_drops_formatting_and_keeps_every_written_character(markdown: str, shown: str) -> None:
    assert display_text(markdown) == shown


def test_parse_seed_has_thirty_numbered_items() -> None:
    items = parse_file(SEED)
    assert [i.number for i in items] == list(range(1, 31))
    assert [i.id for i in items] == [f"questions-{n}" for n in range(1, 31)]
    first = items[0]
    assert first.question == "What is the role of L1 regularization in neural networks?"
    assert first.answer.startswith("L1 regularization encourages sparsity by penalizing")
    assert (first.line, items[-1].line) == (7, 123)
    assert all(i.source == str(SEED) and i.answer for i in items)


def test_parse_seed_skips_intro() -> None:
    text = SEED.read_text(encoding="utf-8")
    intro = text[: text.index("#### 1.")]
    assert all(i.question not in intro and i.answer not in intro for i in parse_file(SEED))
    assert "Deep learning is a special way" not in " ".join(i.text for i in parse_file(SEED))


def test_parse_intro_question_words_and_sections_are_not_items() -> None:
    md = "## Why read this?\n\nWhy? Because.\n\n" + NUMBERED_H4
    assert [i.number for i in parse_text(md)] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "heading", ["###### References", "##### Additional links", "### Further reading:", "#### See also"]
)
def test_parse_a_section_of_references_is_shown_but_not_read(heading: str) -> None:
    md = f"## 1. What is a closure?\n\nA function with its scope.\n\n{heading}\n\n* [MDN docs for closures](https://x.org)\n"
    (item,) = parse_text(md)
    assert "MDN docs" in item.answer and "MDN" not in item.answer_text
    assert item.answer_text == "A function with its scope."


def _titles(n: int) -> str:
    return "".join(f"### {k}) Part {k}\n\nWhat part {k} does.\n\n" for k in range(1, n + 1))


@pytest.mark.parametrize(
    ("markdown", "questions"),
    [
        # numbered titles that do not ask, right under a heading that does: the parts of its answer
        ("# What is the difference between GD and SGD?\n\nThey differ.\n\n" + _titles(3),
         ["What is the difference between GD and SGD?"]),
        ("# How do you handle many features?\n\nThree ways.\n\n**1) Regularization**\n\nL1.\n\n"
         "**2) Feature selection**\n\nDrop some.\n\n", ["How do you handle many features?"]),
        # under a section title, or a run too long to be one answer's parts: entries of the bank
        ("# What should you know?\n\n## Basics\n\n" + _titles(3), ["Part 1", "Part 2", "Part 3"]),
        ("## Why read this?\n\nTo learn.\n\n" + _titles(12), [f"Part {k}" for k in range(1, 13)]),
    ],
)
def test_parse_numbered_titles_under_a_heading_that_asks_are_its_answer(markdown: str, questions: list[str]) -> None:
    assert [i.question_text for i in parse_text(markdown)] == questions


@pytest.mark.parametrize(
    ("markdown", "ids"),
    [
        (NUMBERED_H4, ["bank-1", "bank-2", "bank-3", "bank-4"]),
        (
            NUMBERED_BOLD,
            [
                "bank-the-number-of-active-ads",
                "bank-all-active-campaigns",
                "bank-fizzbuzz-print-numbers-from-1-to",
                "bank-factorial-calculate-a-factorial",
            ],
        ),
        (
            "**What is X?**\n\na\n\n**What is X?**\n\nb\n\n**What is X?**\n\nc\n",
            ["bank-what-is-x", "bank-what-is-x-2", "bank-what-is-x-3"],
        ),
    ],
    ids=["unique-numbers", "repeated-numbers", "repeated-questions"],
)
def test_parse_ids(markdown: str, ids: list[str]) -> None:
    assert [i.id for i in parse_text(markdown, "dir/Bank.md")] == ids


@pytest.mark.parametrize("markdown", [NUMBERED_BOLD, BOLD_LINES])
def test_parse_ids_stable_under_reordering(markdown: str) -> None:
    head, *sections = re.split(r"(?m)^(?=## )", markdown)
    swapped = head + "\n".join(s.strip("\n") + "\n" for s in reversed(sections))
    assert swapped != markdown
    by_id = {i.id: (i.question, i.answer) for i in parse_text(markdown, "bank.md")}
    assert {i.id: (i.question, i.answer) for i in parse_text(swapped, "bank.md")} == by_id


def test_parse_bom_and_crlf_match_plain_lf() -> None:
    crlf = "\ufeff" + NUMBERED_H4.replace("\n", "\r\n")
    assert parse_text(crlf, "bank.md") == parse_text(NUMBERED_H4, "bank.md")


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\ufeff", "\r\n\r\n"])
def test_parse_empty_text_gives_no_items_and_a_warning(text: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kg.parse"):
        assert parse_text(text, "empty.md") == []
    assert caplog.messages == ["empty.md: the file is empty; no question read"]


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("missing.md", None, "{path}: file not found"),
        (
            "latin1.md",
            b"#### 1. What?\n\nYes.\nCaf\xe9 au lait\n",
            "{path}:4: not valid UTF-8 (byte 0xe9 at column 4); save the file as UTF-8",
        ),
        (
            "bom-bad.md",
            b"\xef\xbb\xbf\xff\n",
            "{path}:1: not valid UTF-8 (byte 0xff at column 4); save the file as UTF-8",
        ),
        ("prose.md", "Just a paragraph.\n\n## A heading\n\nMore.\n", "{path}: " + NO_QUESTION),
        ("data.md", '{"questions": [{"q": "What is Kotlin?", "a": "A language."}]}\n',
         "{path}: the file is JSON, not markdown; kg reads question banks written in markdown"),
        ("folder.md", "dir", "{path}: is a folder; pass folders to parse_paths"),
    ],
)
def test_parse_file_errors(
    tmp_path: Path, name: str, data: bytes | str | None, message: str
) -> None:
    path = tmp_path / name
    if data == "dir":
        path.mkdir()
    elif data is not None:
        _write(path, data)
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value) == message.format(path=path)
    assert err.value.path == str(path)


def test_parse_text_without_questions_names_the_source() -> None:
    with pytest.raises(ParseError, match="^notes.md: no question found"):
        parse_text("A paragraph.\n\n- a list\n- [a link](#x)\n", "notes.md")


def test_parse_paths_reads_folders_and_collects_errors(tmp_path: Path) -> None:
    _write(tmp_path / "b" / "bank.md", NUMBERED_H4)
    _write(tmp_path / "a" / "bank.markdown", Q_A_LINES)
    _write(tmp_path / "a" / "deeper" / "extra.md", "**Why?**\n\nBecause.\n")
    _write(tmp_path / "a" / "LICENSE.md", "MIT License\n\n1. Do what you like?\n")
    _write(tmp_path / "a" / "notes.txt", "#### 1. Not markdown?\n")
    _write(tmp_path / "a" / "bad.md", b"\xff")
    _write(tmp_path / "a" / "empty.md", "")
    single = _write(tmp_path / "single.md", "Q: Alone?\nA: Yes.\n")

    items, errors = parse_paths([tmp_path / "a", tmp_path / "b", single, tmp_path / "none.md"])

    assert [str(e) for e in errors] == [
        f"{tmp_path / 'a' / 'bad.md'}:1: not valid UTF-8 (byte 0xff at column 1); "
        "save the file as UTF-8",
        f"{tmp_path / 'none.md'}: file not found",
    ]
    assert [i.id for i in items] == [
        "a-bank-what-is-a-tensor",
        "a-bank-what-is-a-vector-of-numbers",
        "extra-why",
        "b-bank-1",
        "b-bank-2",
        "b-bank-3",
        "b-bank-4",
        "single-alone",
    ]
    assert items[2].source == str(tmp_path / "a" / "deeper" / "extra.md")


def test_parse_paths_empty_folder_is_an_error(tmp_path: Path) -> None:
    items, errors = parse_paths([tmp_path])
    assert items == []
    assert [str(e) for e in errors] == [f"{tmp_path}: folder holds no .md, .markdown or .mdx file"]


def test_parse_paths_ids_unique_across_files(tmp_path: Path) -> None:
    a = _write(tmp_path / "one" / "x" / "q.md", "**What is A?**\n\na\n")
    b = _write(tmp_path / "two" / "x" / "q.md", "**What is A?**\n\nb\n")
    c = _write(tmp_path / "two" / "x-q.md", "**What is A?**\n\nc\n")
    items, errors = parse_paths([a, b, c, a])  # the second `a` is read once
    assert errors == []
    assert [(i.id, i.answer) for i in items] == [
        ("x-q-what-is-a", "a"),
        ("x-q-what-is-a-2", "b"),
        ("x_q-what-is-a", "c"),
    ]


def test_parse_paths_drops_template_answer_lines_from_nlp_text(tmp_path) -> None:
    from kg.parse import parse_paths

    body = "".join(
        f"## {i}. What is topic {i}?\n\n- Stock line: formulation for topic {i} here.\n- Topic {i} is real.\n\n"
        for i in range(1, 13)
    )
    (tmp_path / "bank.md").write_text(body, encoding="utf-8")
    items, errors = parse_paths([tmp_path])
    assert errors == []
    assert items[0].answer_text == "Topic 1 is real."
    assert "Stock line" in items[0].answer  # the display text is untouched


def test_parse_paths_drops_a_footer_under_each_answer_of_one_file_in_a_big_bank(tmp_path) -> None:
    from kg.parse import parse_paths

    footer = "##### last change 2023-01-{:02d} by Jane Roe"
    body = "".join(f"## What is topic {i}?\n\nTopic {i} is real.\n\n{footer.format(i)}\n\n" for i in range(1, 7))
    (tmp_path / "faq.md").write_text(body, encoding="utf-8")
    others = "".join(f"## What is item {i}?\n\nItem {i} is a thing.\n\n" for i in range(400))
    (tmp_path / "more.md").write_text(others, encoding="utf-8")  # far more answers than the footer's file
    items, errors = parse_paths([tmp_path])
    assert errors == []
    first = next(it for it in items if it.question == "What is topic 1?")
    assert first.answer_text == "Topic 1 is real." and "Jane Roe" in first.answer


def test_parse_paths_drops_a_short_line_many_answers_repeat_from_nlp_text(tmp_path) -> None:
    from kg.parse import parse_paths

    body = "".join(
        f"## {i}. What is topic {i}?\n\nTopic {i} is real.\n\nAnswer: A\n\nUseful resources:\n\n- [page {i}](https://e.org/{i})\n"
        f"{'' if i % 3 else chr(10) + 'Useful resources and the manual pages of topic ' + str(i) + '.' + chr(10)}\n"
        for i in range(1, 13)
    )
    (tmp_path / "bank.md").write_text(body, encoding="utf-8")
    items, errors = parse_paths([tmp_path])
    assert errors == []
    assert "Useful resources:" not in items[0].answer_text and "Topic 1 is real." in items[0].answer_text
    assert "Useful resources:" in items[0].answer  # the display text is untouched
    # a longer line that opens with the same words is no copy of the label, and a label with its value says
    # something of its own answer
    assert "manual pages of topic 3" in items[2].answer_text and "Answer: A" in items[0].answer_text


def test_parse_paths_drops_a_label_many_answers_open_a_sentence_with_and_keeps_the_sentence(tmp_path) -> None:
    from kg.parse import parse_paths

    body = "".join(
        f"### {i}. What is topic {i}?\n\n**Level**: easy\n\n**Model Answer**:\nTopic {i} is a real idea of its own.\n\n"
        for i in range(1, 7)
    )
    (tmp_path / "bank.md").write_text(body, encoding="utf-8")
    items, errors = parse_paths([tmp_path])
    assert errors == [] and len(items) == 6
    assert items[0].answer_text == "Level: easy\nTopic 1 is a real idea of its own."
    assert "**Model Answer**" in items[0].answer  # the display text is untouched
    # a label few answers open stays: it may be a term of the answer
    (tmp_path / "bank.md").write_text(body.replace("**Model Answer**", "**Gradient Descent**", 1), encoding="utf-8")
    items, _ = parse_paths([tmp_path])
    assert items[0].answer_text.startswith("Level: easy\nGradient Descent:")


def test_parse_heading_without_words_or_answer_is_no_question():
    text = "### 1. What is a tensor?\n\nAn array of numbers.\n\n### 2. ?\n\n### 3. ?\n"
    items = parse_text(text, "bank.md")
    assert [it.question_text for it in items] == ["What is a tensor?"]


def test_parse_inline_triple_backtick_span_does_not_hide_the_next_questions() -> None:
    # "```x```" on one line is a code span; read as a fence it would swallow everything up to the
    # next fence, question 2's heading with it.
    md = (
        "### 1. What does f return?\n\nIt returns nothing; compare:\n\n```f = () => ({})```\n\n"
        "### 2. What is the output?\n\n```js\nlog(1)\n```\n\nIt logs 1.\n"
    )
    items = parse_text(md)
    assert [it.number for it in items] == [1, 2]
    assert "f = () => ({})" in items[0].answer


def test_parse_empty_anchor_before_a_heading_number_keeps_the_number() -> None:
    md = "".join(
        f"###### {'<a name=20190805></a>' if n == 2 else ''}{n}. What is item {n}?\n\nAnswer {n}.\n\n"
        for n in (1, 2, 3)
    )
    items = parse_text(md)
    assert [(it.number, it.question) for it in items] == [(n, f"What is item {n}?") for n in (1, 2, 3)]


def test_parse_heading_that_is_one_link_elsewhere_is_a_question_named_by_its_label() -> None:
    md = (
        "## [Basics](@id basics)\n\n"
        "### [How do I stop a running job?](@id stop-job)\n\nSend it an interrupt.\n\n"
        "### [Why is my build slow?](https://example.org/slow)\n\nThe cache is cold.\n\n"
        "### What is a runner?\n\nA machine that runs jobs.\n"
    )
    items = parse_text(md)
    assert [it.question for it in items] == [
        "How do I stop a running job?", "Why is my build slow?", "What is a runner?"
    ]
    assert items[0].answer == "Send it an interrupt."


def test_parse_heading_that_links_to_this_page_stays_a_contents_entry() -> None:
    md = "## [How do I stop a job?](#how-do-i-stop-a-job)\n\n## How do I stop a job?\n\nInterrupt it.\n"
    assert [(it.question, it.line) for it in parse_text(md)] == [("How do I stop a job?", 3)]


def test_parse_heading_inside_a_numbered_list_item_is_the_question_text() -> None:
    md = "1. ### What is a pipe?\n\n   A transform.\n\n2. ### What is a zone?\n\n   A context.\n"
    assert [it.question for it in parse_text(md)] == ["What is a pipe?", "What is a zone?"]


def test_parse_numbered_question_keeps_its_answer_written_unindented_below_it() -> None:
    md = ("# Questions\n\n1. What is dropout?\n\nDropout zeroes activations at random.\n\n"
          "2. What is a learning rate?\n\n   The step size of each update.\n\n"
          "3. What is a batch?\n4. What is an epoch?\n\nOne pass over the data.\n\n"
          "5. What is a step?\n   One update.\n\nThe page's closing remarks.\n")
    assert [(it.question, it.answer) for it in parse_text(md)] == [
        ("What is dropout?", "Dropout zeroes activations at random."),
        ("What is a learning rate?", "The step size of each update."),
        ("What is a batch?", ""),  # the next item follows at once: nothing of the answer is lost
        ("What is an epoch?", "One pass over the data."),
        ("What is a step?", "One update."),  # prose after the last question is the page's own
    ]


def test_parse_list_question_keeps_an_answer_list_written_at_the_margin() -> None:
    md = ("1. Why keep state in stateful services?\n\nAnswer: Several reasons:\n\n- No sticky sessions.\n"
          "- No failover on each host.\n\n2. Which kinds of storage are there?\n\n- **SQL** is relational.\n"
          "- **Key-value** stores pairs.\n\n3. What is replication?\n\nAnswer: Copies of data.\n")
    assert [it.answer for it in parse_text(md)] == [
        "Several reasons:\n\n- No sticky sessions.\n- No failover on each host.",
        "- **SQL** is relational.\n- **Key-value** stores pairs.",
        "Copies of data.",
    ]


def test_parse_answers_written_below_list_questions_run_up_to_the_next_heading() -> None:
    md = ("## Usage\n\n- **How do I define a metric?**\n\nWrite a function.\n\n"
          "- **How slow is compiling?**\n\nA few minutes.\n\n## Deployment\n\n"
          "- **How do I save a program?**\n\nCall save.\n\n- **How do I export it?**\n\nSave it.\n")
    assert [(it.question, it.answer) for it in parse_text(md)] == [
        ("How do I define a metric?", "Write a function."),
        ("How slow is compiling?", "A few minutes."),  # before a heading: the file writes answers below
        ("How do I save a program?", "Call save."),
        ("How do I export it?", "Save it."),
    ]


def test_parse_a_rule_below_a_list_question_ends_its_answer() -> None:
    md = ("1. What is a query?\n\nWhat is looked up.\n\n---\n\n![diagram](q.png)\n\nSee the figure above.\n\n"
          "2. What is a token?\n\nA piece of text.\n")
    assert [it.answer for it in parse_text(md)] == ["What is looked up.", "A piece of text."]


def test_parse_short_title_among_question_headings_is_a_section() -> None:
    questions = [f"### How do I configure option {n}?\n\nSet it in the file.\n\n" for n in range(12)]
    md = "".join(questions[:6]) + "## Supported plans\n\n### Basic tier\n\n* Storage\n\n" + "".join(questions[6:])
    md += "### Explain how the retry policy works.\n\nIt backs off.\n"
    texts = [it.question for it in parse_text(md)]
    assert "Basic tier" not in texts
    assert "Explain how the retry policy works." in texts  # a task, not a bare title
    assert len(texts) == 13


def test_parse_problem_stated_as_a_heading_among_questions_is_an_entry() -> None:
    md = (
        "## How do I pair a notebook?\n\nUse the menu.\n\n"
        "## Which files should I commit?\n\nOnly the text ones.\n\n"
        "## The editor warns me that the file has changed on disk\n\nIt saves every two minutes.\n\n"
        "## Install and deploy\n\nTwo ways.\n\n"
        "## Deploy the cluster using the installer tool\n\nRun it once.\n\n### Why does it stop?\n\nA timeout.\n\n"
        "## Can I undo a pairing?\n\nYes.\n\n## Is it free?\n\nYes.\n\n## Does it run offline?\n\nYes.\n\n"
        "## My requests are timing out!\n\nRaise the timeout.\n"
    )
    items = parse_text(md)
    texts = [it.question for it in items]
    assert "The editor warns me that the file has changed on disk" in texts  # its answer was lost before
    assert items[texts.index("My requests are timing out!")].answer == "Raise the timeout."
    assert "Install and deploy" not in texts  # a title, not a sentence
    assert "Deploy the cluster using the installer tool" not in texts  # a section over a deeper question
    assert "Why does it stop?" in texts
    assert len(texts) == 8


def test_parse_answer_label_heading_over_a_hidden_answer_is_no_part_of_the_question() -> None:
    entry = ("### {q}\n\n#### Answer\n\n<details>\n<summary>View answer</summary>\n\n{a}\n\n"
             "#### Good to hear\n\n* A point\n\n</details>\n\n")
    md = "## Javascript\n\n" + "".join(
        entry.format(q=q, a=a)
        for q, a in [("What is a closure?", "A function that keeps its scope."),
                     ("Generate an array of the first n squares.", "Use Array.from."),
                     ("What is hoisting?", "Declarations move up."), ("What is a promise?", "A future value.")]
    )
    items = parse_text(md)
    assert [it.question for it in items] == [
        "What is a closure?", "Generate an array of the first n squares.", "What is hoisting?", "What is a promise?"
    ]
    assert items[0].answer.startswith("A function that keeps its scope.")


def test_parse_asking_heading_above_the_question_level_with_an_answer_is_a_question() -> None:
    md = (
        "# Product FAQ\n\n## What is the product?\n\nA service that moves data.\n\n"
        + "".join(f"### Can I do thing {n}?\n\nYes.\n\n" for n in range(5))
        + "## Billing\n\n"
        + "".join(f"### How is item {n} billed?\n\nMonthly.\n\n" for n in range(3))
        + "## Why choose us?\n\n### Is it fast?\n\nYes.\n"
    )
    texts = [it.question for it in parse_text(md)]
    assert texts[0] == "What is the product?"
    assert "Billing" not in texts
    assert "Why choose us?" not in texts  # no prose under it: a section over its questions
    assert len(texts) == 10


def test_parse_numbered_question_at_another_heading_level_fills_its_gap() -> None:
    q = "#### {n}. How does part {n} work?\n\nIt turns.\n\n"
    md = "## Tricky ones\n\n" + q.format(n=1) + "### 2. How do you stop the race below?\n\n```go\nx++\n```\n\n"
    md += q.format(n=3) + q.format(n=4)
    items = parse_text(md)
    assert [it.number for it in items] == [1, 2, 3, 4]
    assert "x++" in items[1].answer  # its code stays with it, not lost between items


def test_parse_numbered_section_title_between_question_runs_is_no_question() -> None:
    q = "#### {n}. How does part {n} work?\n\nIt turns.\n\n"
    md = q.format(n=1) + q.format(n=2) + "### 2. What about the advanced parts?\n\n" + q.format(n=1) + q.format(n=2)
    items = parse_text(md)
    assert [it.number for it in items] == [1, 2, 1, 2]  # its 2 follows question 2: a section, not a lost question


def test_parse_q_marked_heading_deeper_than_the_questions_is_a_question_not_a_sub_heading() -> None:
    md = "".join(f"## Q. What is part {n}?\n\nA part.\n\n" for n in range(3))
    md += "#### Q. What does the last part mean?\n\n*ToDo*\n"
    md += "\n## Q. What is the end?\n\nThe end.\n\n### Details\n\nMore.\n"
    items = parse_text(md)
    assert [it.question for it in items][2:] == ["What is part 2?", "What does the last part mean?", "What is the end?"]
    assert "last part" not in items[2].answer
    assert "Details" in items[-1].answer  # a deeper heading without the marker stays in its answer


@pytest.mark.parametrize(
    ("q_label", "a_label"),
    [
        ("**Q**:", "**A**:"),  # the label emphasised alone, its colon after it
        ("**Q**.", "**A**."),
        ("**Q1.**", "**A.**"),
        ("*Q*:", "*A*:"),
        ('<a class="anchor" href="#timeout">**Q**</a>.', "**A**."),  # a link target round the label
        ("<b>Q:</b>", "<b>A:</b>"),  # in HTML
        ("<strong>Question</strong>:", "<strong>Answer</strong>:"),
        ("Q7", "A:"),  # a numbered label with no stop, before a question
    ],
)
def test_parse_q_and_a_labels_written_apart_from_their_colon_or_dot_mark_the_items(q_label: str, a_label: str) -> None:
    md = "# FAQ\n\n" + "".join(f"{q_label} Why does query {n} time out?\n\n{a_label} It never connected.\n\n"
                                for n in range(3))
    items = parse_text(md)
    assert [(it.question, it.answer) for it in items] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(3)
    ]


@pytest.mark.parametrize(
    "item",
    ["- Q: Why does query {n} time out?\n- A: It never connected.\n",
     "* **Q{n}.** Why does query {n} time out?\n  * **A:** It never connected.\n\n"],
)
def test_parse_bullets_labelled_q_and_a_are_questions_and_answers(item: str) -> None:
    items = parse_text("# FAQ\n\n" + "".join(item.format(n=n) for n in range(1, 4)))
    assert [(it.question, it.answer) for it in items] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(1, 4)
    ]


def test_parse_asking_bullets_with_answers_indented_under_them_are_questions() -> None:
    md = "# Interview questions\n\n" + "".join(
        f"- Why does query {n} time out?\n  - It never connected.\n  - Check the address.\n" for n in range(1, 4)
    )
    items = parse_text(md)
    assert [it.question for it in items] == [f"Why does query {n} time out?" for n in range(1, 4)]
    assert all("never connected" in it.answer and "Check the address" in it.answer for it in items)


def test_parse_admonitions_that_hold_questions_are_questions_with_their_bodies_as_answers() -> None:
    md = "# FAQ\n\n## Setup\n\n" + "".join(
        f'??? question "Why does query {n} time out?"\n\n    It never connected.\n\n    !!! note "Tip"\n'
        f"        Check the address.\n\n" for n in range(1, 4)
    )
    items = parse_text(md)
    assert [it.question for it in items] == [f"Why does query {n} time out?" for n in range(1, 4)]
    assert all(it.answer_text.startswith("It never connected.") and "Check the address" in it.answer_text
               for it in items)


def test_parse_mdbook_admonish_blocks_of_a_question_type_are_entries_and_others_answer_text() -> None:
    titles = ["CMake error: no CMakeLists.txt file.", "Why does query 2 time out?", "Running macros from the shell"]
    md = "# What the F.A.Q.?\n\n" + "".join(
        f'~~~admonish question collapsible=true title="{t}"\nIt never connected.\n```\nping host\n```\n'
        f"```admonish note\nCheck the address.\n```\n~~~\n\n" for t in titles
    )
    items = parse_text(md)
    # the type says each title is a question, whether it asks or states a problem
    assert [it.question for it in items] == titles
    assert all(it.answer_text.startswith("It never connected.") and "Check the address" in it.answer_text
               for it in items)
    assert all("ping host" in it.answer and "admonish" not in it.answer for it in items)


def test_parse_vitepress_details_containers_that_ask_are_entries_and_other_containers_answer_text() -> None:
    md = "# FAQ\n\n" + "".join(
        f"::: details Why does query {n} time out?\nIt never connected.\n\n::: tip Mind it\nCheck the address.\n:::\n"
        ":::\n\n" for n in range(1, 9)
    )
    items = parse_text(md)
    assert [it.question for it in items] == [f"Why does query {n} time out?" for n in range(1, 9)]
    assert all(it.answer_text.split() == "It never connected. Check the address.".split() for it in items)
    assert partly_read(md, "faq.md", items) is None  # the container lines ask what the entries ask


def test_parse_headings_inside_admonition_content_tabs_are_entries() -> None:
    md = "".join(
        f'!!! Question ""\n    === "Question"\n        #### Why does query {n} time out?\n\n    === "Answer"\n\n'
        "        It never connected.\n\n" for n in range(1, 4)
    )
    items = parse_text(md)
    assert [(it.question, it.answer_text) for it in items] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(1, 4)]


def test_parse_summary_whose_tag_spreads_over_lines_is_an_entry() -> None:
    block = ("<details style={{\n  border: '1px solid #3d3d40',\n}}>\n<summary style={{\n    fontWeight: 'bold',\n"
             "  }}>**Why does query %d time out?**</summary>\n\nIt never connected.\n</details>\n\n")
    items = parse_text("".join(block % n for n in range(1, 4)))
    assert [(it.question, it.answer_text) for it in items] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(1, 4)]


def test_parse_admonition_that_hides_an_answer_answers_the_question_above_it() -> None:
    md = "".join(f'#### {n}. Why does query {n} time out?\n\n??? question "Show Answer"\n    It never connected.\n\n'
                 for n in range(1, 4))
    items = parse_text(md)
    assert [(it.question, it.answer_text) for it in items] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(1, 4)
    ]


def test_parse_definition_list_terms_that_ask_are_questions_and_labels_are_not() -> None:
    md = "# FAQ\n\n" + "".join(f"Why does query {n} time out?\n\n: It never connected.\n\n" for n in range(3))
    md += "**Speed**\n: It is fast.\n"  # a term that labels, inside the last answer
    items = parse_text(md)
    assert [(it.question, it.answer_text) for it in items][:2] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(2)
    ]
    assert "Speed" in items[2].answer_text and ": It is fast." in items[2].answer


def test_parse_mdx_accordions_are_questions_and_an_mdx_file_in_a_folder_is_a_bank(tmp_path) -> None:
    body = "".join(f'  <Accordion title="Why does query {n} time out?">\n    It never connected.\n  </Accordion>\n'
                   for n in range(3))
    (tmp_path / "faq.mdx").write_text(f"---\ntitle: FAQ\n---\n\n<AccordionGroup>\n{body}</AccordionGroup>\n")
    items, errors = parse_paths([tmp_path])
    assert not errors
    assert [(it.question, it.answer) for it in items] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(3)
    ]


def test_parse_faq_whose_headings_state_problems_as_often_as_they_ask_reads_every_entry() -> None:
    asks = [f"### Can I copy config {n} to another machine ###" for n in range(3)]
    states = ["### Rclone gives a certificate error on every start", "### The total size in the stats is wrong",
              "### Rclone uses too much memory on a large sync", "### Uploaded office files appear as zip archives"]
    md = "# Frequently Asked Questions\n\n" + "".join(f"{h}\n\nSee the docs.\n\n" for h in asks + states)
    items = parse_text(md)
    assert len(items) == 7 and all(it.answer == "See the docs." for it in items)


def test_parse_troubleshooting_faq_whose_headings_mostly_state_problems_reads_every_entry() -> None:
    states = ["Cannot connect to Wi-Fi", "Device is hot to the touch", "Status LED blinking",
              "Flashing fails on an older laptop", "Timers trigger at the wrong time", "Sensors do not show values",
              "Relay clicks every second", "Web interface asks for a password", "Frequent MQTT reconnects"]
    asks = ["Why is my changed configuration not loaded?", "How do I invert the LED?", "What is a core?"]
    entries = states[:3] + asks[:1] + states[3:] + asks[1:]
    body = "".join(f"### {h}\n\nThe power supply is too weak.\n\n" for h in entries)
    md = f"## Network\n\n{body}## I cannot find an answer here\n\nAsk on the forum.\n"
    items = parse_text(md, "docs/FAQ.md")
    assert [it.question for it in items] == entries
    assert items[0].answer == "The power supply is too weak."
    # named as a FAQ by its title instead of its file name
    assert len(parse_text("# Troubleshooting\n\n" + md, "docs/wifi.md")) == len(entries)
    # a page that does not call itself a FAQ is not read as one: its headings are a text's sections
    with pytest.raises(ParseError, match="no question found"):
        parse_text("# Device notes\n\n" + md, "docs/notes.md")


def test_parse_troubleshooting_page_whose_headings_never_ask_reads_the_headings_with_text_under_them() -> None:
    problems = ["Could not open audio device", "Mouse clicks do not work", "Black screen after the update",
                "Timeout while scanning large images"]
    body = "".join(f"### {p}\n\nRestart the service.\n\n" for p in problems)
    # a title, a table of contents and a section over the entries are no entries
    toc = "".join(f"- [{p}](#{p.lower().replace(' ', '-')})\n" for p in problems)
    md = f"# Known issues\n\n## Contents\n\n{toc}\n## Common problems\n\n{body}"
    items = parse_text(md, "docs/known-issues.md")
    assert [(it.question, it.answer) for it in items] == [(p, "Restart the service.") for p in problems]
    # a page that does not call itself a FAQ or a list of issues still reads as no bank
    with pytest.raises(ParseError, match="no question found"):
        parse_text(md.replace("# Known issues", "# Device notes"), "docs/notes.md")


def test_parse_faq_of_sections_holding_bullets_with_their_answers_reads_the_bullets() -> None:
    bullets = ['"No module named ops"', "Build fails on Windows during installation", '"Loss goes NaN"']
    md = "# Frequently Asked Questions\n\n## Installation\n\n" + "".join(
        f"- {b}\n\n  Reinstall the package.\n\n" for b in bullets[:2]
    ) + f"## Training\n\n- {bullets[2]}\n\n  Lower the learning rate.\n"
    items = parse_text(md, "docs/faq.md")
    assert [(it.question, it.answer) for it in items] == [
        (bullets[0], "Reinstall the package."), (bullets[1], "Reinstall the package."),
        (bullets[2], "Lower the learning rate."),
    ]


def test_parse_full_width_question_marks_ask() -> None:
    md = "".join(f"## 如何使用第{n}个组件？\n\n请阅读文档。\n\n" for n in range(3))
    assert [it.question for it in parse_text(md)] == [f"如何使用第{n}个组件？" for n in range(3)]


def test_parse_hugo_shortcode_folding_an_answer_under_a_question_is_an_item_whatever_headings_it_holds() -> None:
    questions = ["May I email you my essay?", "May I have an extension?", "Do you have a grading rubric?"]
    md = "## Course FAQs\n\n" + "".join(
        f'{{{{< details "{q}" >}}}}\n## No.\n\nAsk in class.\n{{{{< /details >}}}}\n\n' for q in questions
    )
    items = parse_text(md)
    assert [it.question for it in items] == questions
    assert all("Ask in class." in it.answer and "details" not in it.answer for it in items)


def test_parse_bare_list_of_questions_is_read_when_nothing_else_asks() -> None:
    md = "# CSS Questions\n\n* What is the difference between classes and IDs?\n* Describe floats?\n"
    md += "* How do you serve pages for feature-constrained browsers?\n  * What techniques do you use?\n"
    items = parse_text(md)
    assert items[0].question == "What is the difference between classes and IDs?" and len(items) >= 3


def test_parse_bare_list_of_questions_outweighs_a_bold_question_of_the_preface() -> None:
    questions = [f"What does command {n} print?" for n in range(1, 13)]
    md = "# Shell Questions\n\n**Where are the answers??** Look them up yourself.\n\n## Basics\n\n"
    md += "".join(f"-   {q}\n\n" for q in questions)
    assert [it.question for it in parse_text(md)] == questions


def test_parse_lines_numbered_with_a_tab_are_questions_in_any_order() -> None:
    # a list pasted from a spreadsheet: number, tab, question, many without a question mark
    questions = ["What is a service worker", "How do you cancel a fetch request", "What is a microtask?",
                 "Explain event delegation", "What is the purpose of the dir method", "What is a polyfill"]
    md = "".join(f"{n}\t{q}\n" for n, q in zip((48, 45, 41, 40, 33, 30), questions))
    assert [it.question.split("\t", 1)[1] for it in parse_text(md)] == questions


def test_parse_numbered_quiz_prompts_with_answers_under_them_are_entries() -> None:
    prompts = ["A packet is always delivered (T/F)", "A switch forwards frames by:",
               "ARP maps an IP address to a ____.", "A hub works at layer 1 (T/F)", "Routers join:"]
    answers = ["False", "MAC address", "MAC address", "True", "networks"]
    md = "# Review\n\n" + "".join(f"{n}. {p}\n\t- {a}\n" for n, (p, a) in enumerate(zip(prompts, answers), 1))
    items = parse_text(md)
    assert [(it.question, it.answer) for it in items] == [(p, f"- {a}") for p, a in zip(prompts, answers)]


def test_parse_numbered_statements_without_answers_are_still_no_bank() -> None:
    md = "# Notes\n\n" + "".join(f"{n}. Point {n} of the lecture.\n" for n in range(1, 8))
    with pytest.raises(ParseError):
        parse_text(md)


def test_parse_plain_lines_of_questions_outweigh_a_title_that_asks() -> None:
    """Questions pasted from a web page: each a plain line, no mark and no blank line between them."""
    questions = [f"How does estimator {n} handle missing data?" for n in range(1, 13)]
    md = "# What is a statistics interview?\n\nA talk on data.\n\n## Sample questions\n\n"
    md += "".join(f"{q}\n" for q in questions)
    assert [it.question for it in parse_text(md)][-12:] == questions


def test_parse_flashcards_split_by_question_marks_alone_are_read_a_card_an_item() -> None:
    cards = [("What is overfitting?", "Learning the noise of the training data."),
             ("What is gradient descent?", "Stepping against the gradient of the loss."),
             ("What is a learning rate?", "The size of each step."),
             ("What is dropout?", "Zeroing units at random in training.")]
    md = "---\ntitle: ML cards\n---\n\n" + "---\n\n".join(f"{q}\n\n???\n\n{a}\n\n" for q, a in cards)
    items = parse_text(md)
    assert [it.question for it in items] == [q for q, _ in cards]
    assert all(a in it.answer for it, (_, a) in zip(items, cards, strict=True))


def test_parse_question_of_a_short_file_stays_over_a_few_asking_bullets() -> None:
    md = "## How do I pick a port?\n\nCheck these:\n\n- Is it free?\n- Is it open?\n- Is it allowed?\n"
    assert [it.question for it in parse_text(md)] == ["How do I pick a port?"]


def test_parse_list_of_questions_where_a_few_carry_a_follow_up_is_read_whole() -> None:
    questions = ["What is the difference between classes and IDs?", "Describe floats and how they work.",
                 "How do you serve pages for feature-constrained browsers?", "Explain CSS sprites.",
                 "What are the gotchas of efficient CSS?", "Is there a reason to use translate()?"]
    md = "# CSS Questions\n\n" + "".join(f"* {q}\n" for q in questions)
    md = md.replace(questions[2] + "\n", questions[2] + "\n  * Say which techniques you use.\n")
    items = parse_text(md)
    assert [it.question for it in items] == questions
    assert items[2].answer == "* Say which techniques you use." and items[3].answer == ""


def test_parse_unanswered_bullets_among_answered_ones_are_entries_without_an_answer() -> None:
    md = "- What is term 0?\n\n" + "".join(f"- What is term {n}?\n  - Term {n} is a word.\n" for n in (1, 2, 3, 4))
    md = md.replace("- What is term 3?\n  - Term 3 is a word.\n", "- What is term 3?\n")
    items = parse_text(md)
    assert [(it.question, it.answer) for it in items] == [
        ("What is term 0?", ""), ("What is term 1?", "- Term 1 is a word."), ("What is term 2?", "- Term 2 is a word."),
        ("What is term 3?", ""), ("What is term 4?", "- Term 4 is a word."),
    ]


def test_parse_question_label_alone_on_its_line_labels_the_paragraph_under_it() -> None:
    md = "# Quiz\n\n" + "".join(
        f"## Question {n}\n\n{q}\n\n{a}\n\n" for n, q, a in (
            (1, "What is a tensor\nin deep learning?", "An array of numbers."),
            (2, "Why use ReLU?", "It avoids saturation."), (3, "Explain dropout.", "It drops units at random.")))
    items = parse_text(md)
    assert [(it.number, it.question_text, it.answer) for it in items] == [
        (1, "What is a tensor in deep learning?", "An array of numbers."),
        (2, "Why use ReLU?", "It avoids saturation."), (3, "Explain dropout.", "It drops units at random."),
    ]
    practice = "".join(f"__Practice Question__\n\nWhat is {n} + {n}?\n\nA. {2 * n}\nB. 0\n\n"
                       "__Suggested Answers__\n\n- A\n\n" for n in range(1, 4))
    assert [it.question for it in parse_text(practice)] == [f"What is {n} + {n}?" for n in range(1, 4)]
    # the label may carry the question's kind or level in brackets, the question on the very next line
    tagged = "".join(f"### Q{n} ({kind})  \nWhich layer {verb}?\n\nA. Input\nB. Output\n\n**B**. The last one.\n\n"
                     for n, kind, verb in ((1, "MCQ", "predicts"), (2, "Hard", "scores"), (3, "Easy", "ranks")))
    assert [(it.number, it.question) for it in parse_text(tagged)] == [
        (1, "Which layer predicts?"), (2, "Which layer scores?"), (3, "Which layer ranks?")]
    # an answer key labels no question: its paragraphs open with the answer
    key = "".join(f"## Question {n}\n\n**The correct answer is:** B\n\nBecause.\n\n" for n in range(3))
    assert all("correct answer" not in it.question for it in parse_text(key + md))


def test_parse_questions_written_as_plain_lines_are_read_when_nothing_else_asks() -> None:
    md = "Data Engineering Fundamentals\n\n15 core questions\n\n" + "".join(
        f"{q}\n\n" for q in ["Explain the difference between ETL and ELT.", "What is a data lake?",
                              "How do you handle schema evolution in a pipeline?", "What is data lineage?"])
    assert [it.question for it in parse_text(md)] == [
        "Explain the difference between ETL and ELT.", "What is a data lake?",
        "How do you handle schema evolution in a pipeline?", "What is data lineage?",
    ]
    # a text with a few questions of its own among its prose is no bank
    prose = "A data lake keeps raw files.\nWhy keep them raw?\nSo they can be read again.\n" * 2
    prose += "What about cost?\nStorage is cheap.\nIt grows.\nIt is kept for years.\nAnd read rarely.\n"
    with pytest.raises(ParseError, match="no question found"):
        parse_text(prose)


def test_parse_list_that_asks_inside_an_answer_stays_in_it() -> None:
    md = "# Why re-use the training parameters?\n\nAn example:\n\n- sample4: 5 cm -> class ?\n"
    md += "- sample5: 6 cm -> class ?\n- sample6: 7 cm -> class ?\n\nSo scale both the same way.\n"
    (item,) = parse_text(md)
    assert "sample6" in item.answer and item.answer.endswith("same way.")


def test_parse_paragraph_that_links_to_itself_is_its_label() -> None:
    md = "# FAQ\n\n[Why?](#q0)\n\n" + "".join(
        f"[__Why does query {n} time out?__](#q{n}){{ #q{n} }}\n\nIt never connected.\n\n" for n in range(3)
    )
    items = parse_text(md)
    assert [(it.question_text, it.answer) for it in items] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(3)
    ]


def test_parse_headings_without_a_space_after_their_hashes_are_headings_in_a_file_that_asks_in_them() -> None:
    md = "#Quiz\n" + "".join(f"###Why does query {n} time out?\nIt never connected.\n" for n in range(3))
    assert [(it.question, it.answer) for it in parse_text(md)] == [
        (f"Why does query {n} time out?", "It never connected.") for n in range(3)
    ]


def test_parse_faq_table_gives_an_item_a_row_and_a_table_of_contents_gives_none() -> None:
    md = "# FAQ\n\n| Area | Question | Short answer | Detailed answer |\n|:--|:--|:--|:--|\n"
    md += "".join(f"| Web | Why does query {n} time out? | No connection. | It never connected. |\n" for n in range(3))
    items = parse_text(md)
    assert [(it.question, it.answer, it.line) for it in items] == [
        (f"Why does query {n} time out?", "No connection.\n\nIt never connected.", 5 + n) for n in range(3)
    ]
    toc = "| No. | Questions |\n|---|---|\n| 1 | [What is X?](#x) |\n\n## What is X?\n\nA thing.\n"
    assert [it.question for it in parse_text(toc)] == ["What is X?"]


def test_parse_table_whose_header_abbreviates_its_columns_gives_an_item_a_row_whatever_its_rows_ask() -> None:
    rows = ["JDK vs JRE vs JVM", "OOP pillars", "String immutability", "Why is String final?"]
    md = "| Q | Ans |\n|---|-----|\n" + "".join(f"| {r} | Short note {k}. |\n" for k, r in enumerate(rows))
    md += "\n1. What is a JVM?\n   > It runs bytecode.\n"
    items = parse_text(md)
    assert [it.question for it in items][: len(rows)] == rows
    assert [it.answer for it in items][: len(rows)] == [f"Short note {k}." for k in range(len(rows))]


def test_parse_table_of_questions_without_answers_gives_a_question_a_row() -> None:
    md = "# OAuth notes\n\n## Basics\n\n| Number | Question |\n| --- | --- |\n"
    md += "| 1 | What is OAuth? |\n| 2 | How are refresh tokens rotated? |\n| 3 | Flow of JWT authentication |\n"
    md += "\n## Results\n\n| Question | Votes |\n| --- | --- |\n| Tabs | 3 |\n| Spaces | 4 |\n"
    items = parse_text(md)
    assert [(it.question, it.answer, it.line) for it in items] == [
        ("What is OAuth?", "", 7), ("How are refresh tokens rotated?", "", 8), ("Flow of JWT authentication", "", 9)
    ]


def test_parse_html_headings_alone_on_their_line_are_headings() -> None:
    md = "<h1>FAQ</h1>\n\n<h2>Setup</h2>\n\n" + "".join(
        f'<h3 id="q{n}">Why does query {n} time out?</h3>\n\n<p>It never connected.</p>\n\n' for n in range(3)
    ) + "<h2>Other</h2>\n\nNot an answer.\n"
    items = parse_text(md)
    assert [it.question for it in items] == [f"Why does query {n} time out?" for n in range(3)]
    assert [it.line for it in items] == [5, 9, 13]  # line numbers kept
    assert "Not an answer" not in items[-1].answer  # a section heading as high as the questions ends an answer
    split = parse_text("".join(f'<h3 name="q{n}">\nWhy does query {n} time out?\n</h3>\n\nIt never connected.\n\n'
                               for n in range(3)))  # the tags on lines of their own
    assert [(it.question, it.answer, it.line) for it in split] == [
        (f"Why does query {n} time out?", "It never connected.", 2 + 6 * n) for n in range(3)
    ]



def test_parse_html_paragraphs_classed_as_questions_are_questions() -> None:
    md = "<h2>Queue FAQ</h2>\n\n" + "".join(
        f'<p class="faq-question">Why does worker {n} stall?</p>\n<p class="answer">Its queue is full.</p>\n\n'
        for n in range(3)
    ) + "<p>Why read on? A paragraph of the preface.</p>\n"
    items = parse_text(md)
    assert [(it.question, it.line) for it in items] == [(f"Why does worker {n} stall?", 3 + 3 * n) for n in range(3)]
    assert items[0].answer_text == "Its queue is full."


def test_parse_attribute_list_after_a_bold_question_is_markup() -> None:
    md = "".join(f"* **Why does build {n} fail?**{{ #build-{n} }}\n\n  The cache is stale.\n\n" for n in range(3))
    items = parse_text(md)
    assert [(it.question, it.answer) for it in items] == [(f"Why does build {n} fail?", "The cache is stale.")
                                                           for n in range(3)]
    # control: braces after a word are text
    assert parse_text("## Why is ids{#a} a set?\n\nIt has no order.\n")[0].question == "Why is ids{#a} a set?"


def test_parse_number_emoji_that_opens_a_line_numbers_a_question() -> None:
    item = ":{w}: Why does job {n} retry?\n\nIts lock timed out.\n\n"
    md = "## Questions\n" + "".join(item.format(w=w, n=n) for n, w in enumerate(["one", "two", "three"]))
    items = parse_text(md)
    assert [(it.question, it.answer, it.number) for it in items] == [
        (f"Why does job {n} retry?", "Its lock timed out.", n + 1) for n in range(3)
    ]
    # keycaps too; an emoji inside a line is text
    keycaps = "".join(f"{n + 1}\ufe0f\u20e3 Why does job {n} retry?\n\nIts lock timed out.\n\n" for n in range(3))
    assert [it.number for it in parse_text(keycaps)] == [1, 2, 3]
    assert parse_text("## Why is :one: a word?\n\nIt is an emoji.\n")[0].question == "Why is :one: a word?"


def test_parse_mdx_question_components_with_their_text_inside_are_questions() -> None:
    md = "<Questions>\n" + "".join(
        f"  <Q>\n    Can plugin {n} run offline?\n    <A>\n      Yes, once it is installed.\n    </A>\n  </Q>\n"
        for n in range(3)
    ) + "</Questions>\n"
    items = parse_text(md)
    assert [(it.question, it.answer_text, it.line) for it in items] == [
        (f"Can plugin {n} run offline?", "Yes, once it is installed.", 3 + 6 * n) for n in range(3)
    ]

def test_parse_deeper_heading_that_asks_with_an_answer_is_a_follow_up_question() -> None:
    md = "".join(f"### Will image {n} still work?\n\nYes.\n\n" for n in range(3))
    md += "#### What about private images?\n\nThey work too.\n\n#### Example\n\nA mirror.\n\n"
    md += "#### Why not?\n\n### Can I go back?\n\nNo.\n"
    items = parse_text(md)
    questions = [it.question for it in items][2:]
    assert questions == ["Will image 2 still work?", "What about private images?", "Can I go back?"]
    assert items[2].answer == "Yes."
    assert "Example" in items[3].answer and "Why not?" in items[3].answer  # a title, and a heading with no answer


def test_parse_deeper_asking_heading_under_numbered_questions_stays_in_the_answer() -> None:
    item = "## {n}. What is part {n}?\n\nA part.\n\n### Why does it matter?\n\nIt holds.\n\n"
    md = "".join(item.format(n=n) for n in range(1, 4))
    items = parse_text(md)
    assert [it.number for it in items] == [1, 2, 3]
    assert all("Why does it matter?" in it.answer for it in items)


def test_parse_bold_labels_under_headings_that_all_ask_are_parts_of_their_answers() -> None:
    # more bold lines than headings, some asking and some not: labels of each answer's parts
    item = ("# {n}) How does part {n} work?\n\n**What is part {n}?**\n\nA part.\n\n**When does it run?**\n\n"
            "At start.\n\n**In an interview**\n\nSay so.\n\n")
    items = parse_text("".join(item.format(n=n) for n in range(1, 5)))
    assert [it.question_text for it in items] == [f"How does part {n} work?" for n in range(1, 5)]
    assert all("When does it run?" in it.answer for it in items)
    # control: under section titles that do not ask, the bold lines are the questions
    sections = "".join(item.format(n=n).replace(f"How does part {n} work?", f"Part {n}") for n in range(1, 5))
    assert len(parse_text(sections)) > 4


def test_parse_html_back_to_top_block_is_trimmed_from_the_answer_but_an_image_is_kept() -> None:
    nav = '<div align="right">\n    <b><a href="#">↥ back to top</a></b>\n</div>\n\n'
    md = f"## Q. What is a pod?\n\nA group of containers.\n\n{nav}## Q. What is a node?\n\nA machine.\n\n"
    md += '<img src="node.png" alt="node">\n\n' + nav
    first, second = parse_text(md)
    assert first.answer == "A group of containers."
    assert second.answer == 'A machine.\n\n<img src="node.png" alt="node">'


def test_parse_heading_attribute_block_is_no_part_of_the_question() -> None:
    md = "### What does `setState` do? {#what-does-setstate-do}\n\nIt schedules an update.\n\n"
    md += "### Why use braces {like these}?\n\nFor sets.\n"
    first, second = parse_text(md)
    assert first.question == "What does `setState` do?"
    assert second.question == "Why use braces {like these}?"  # braces in the text stay


@pytest.mark.parametrize("label", ["- Answer:", "- Answer", "**Answer:**", "* **Answer**"])
def test_parse_numbered_question_with_an_answer_label_keeps_the_answer_under_it(label: str) -> None:
    md = "".join(f"{n}. **What is model {n}?**\n{label}\n\n    It predicts {n}.\n\n    It is fitted.\n\n---\n\n"
                 for n in range(1, 4))
    items = parse_text(md)
    assert [it.answer for it in items] == [f"It predicts {n}.\n\nIt is fitted." for n in range(1, 4)]


def test_parse_numbered_question_with_an_answer_label_and_text_keeps_the_text() -> None:
    md = "1. What is a tensor?\n- A: An array.\n  Of any rank.\n\n2. What is a rank?\n- A: The number of axes.\n"
    assert [" ".join(it.answer.split()) for it in parse_text(md)] == ["An array. Of any rank.", "The number of axes."]


def test_parse_answer_that_opens_with_a_word_like_answer_keeps_it() -> None:
    md = "### What is a tensor?\n\nAnswers vary: an array.\n\n### What is a rank?\n\nAns. the number of axes.\n"
    assert [it.answer for it in parse_text(md)] == ["Answers vary: an array.", "Ans. the number of axes."]


def test_parse_answer_numbered_as_its_question_drops_the_number() -> None:
    md = "**Q9. How do I move a server?**<br/>\nA9. Register it again.\n\n"
    md += "**Q10. How are jobs kept short?**  \n**A10.** Limit the query time.\n\n"
    md += "**Q11. Which paper size is it?**\nA4 paper is used.\n\n**Q12. What lags?**\nA3. Replication lags.\n"
    items = parse_text(md)
    assert [it.answer for it in items] == ["Register it again.", "Limit the query time.", "A4 paper is used.",
                                           "A3. Replication lags."]  # A3 is not the number of question 12
    assert items[0].answer_text == "Register it again."


def test_parse_line_break_that_ends_a_question_is_no_part_of_it() -> None:
    md = "<b>Q:</b> Why does it time out?<br>\n<b>A:</b> It never connected.\n\n<b>Q:</b> Why?<br/>\n<b>A:</b> No.\n"
    assert [(it.question, it.answer) for it in parse_text(md)] == [
        ("Why does it time out?", "It never connected."), ("Why?", "No."),
    ]


def test_parse_answer_number_after_a_blank_line_is_dropped_too() -> None:
    md = "Q1) How do I move a server?\n\nA1) Register it again.\n\nQ2) How are jobs kept short?\n\n**A2)** Limit it.\n"
    assert [it.answer for it in parse_text(md)] == ["Register it again.", "Limit it."]


def test_parse_script_and_style_blocks_are_no_text_of_an_answer() -> None:
    md = "## How is the page laid out?\n\nA list of links.\n\n<style>\n  ul.toc { padding: 0; }\n</style>\n\n"
    md += "<script>\n  function createTOC() { return document.body; }\n</script>\n\n## Why?\n\nFor speed.\n"
    first, second = parse_text(md)
    assert first.answer_text == "A list of links."
    assert second.question_text == "Why?" and second.answer_text == "For speed."


def test_parse_answer_ends_without_its_back_to_top_link_or_an_empty_link_target() -> None:
    md = "".join(
        f"### What is term {n}?\n\nTerm {n} is a word.\n\n[[↑] Back to top](#git)\n\n<a id=\"term-{n + 1}\"></a>\n"
        for n in range(3)
    )
    assert [it.answer for it in parse_text(md)] == [f"Term {n} is a word." for n in range(3)]


def test_parse_question_ends_without_the_empty_link_target_written_after_it() -> None:
    md = "".join(f'### What is term {n}? <a name="question{n}"></a>\n\nTerm {n} is a word.\n\n' for n in range(3))
    assert [it.question for it in parse_text(md)] == [f"What is term {n}?" for n in range(3)]


def test_parse_deck_of_folded_cards_that_do_not_ask_gives_a_card_an_item() -> None:
    cards = [("The command _____ displays disk usage", "quota"), ("The command _____ lists files", "ls"),
             ("The command touch on an existing file will _____", "change its timestamp")]
    md = "".join(f"<details>\n\t<summary>\n\t\t{p}\n\t</summary>\n\t\t{a}\n</details>\n\n" for p, a in cards)
    assert [(it.question, it.answer_text) for it in parse_text(md)] == cards


def test_parse_folded_faq_keeps_an_entry_that_states_rather_than_asks() -> None:
    entries = ["How do you suggest I study for this course?", "What is a practice exercise?",
               "I already know a lot of programming and this course is too easy for me.", "Can I miss a class?"]
    md = "".join(f"<details><summary>{e}</summary>\n\nSee the syllabus.\n\n</details>\n\n" for e in entries)
    assert [it.question for it in parse_text(md)] == entries


@pytest.mark.parametrize(
    ("md", "questions"),
    [
        # a number and a dot glued to a capitalised word, the answer indented under it
        ("1.Every team needs access. What should you do?\n\n    R: C. Use groups.\n\n"
         "2.You need a subnet. What should you do?\n\n    R: B. Use a custom VPC.\n\n"
         "3.You want autohealing. What should you do?\n\n    R: A. Add a health check.\n",
         ["Every team needs access. What should you do?", "You need a subnet. What should you do?",
          "You want autohealing. What should you do?"]),
        # a label alone on its heading, in any emphasis, over the question
        ("".join(f"### __***Question {n}***__\n\nWhat is the output of step {n}?\n\n**Answer:** {n}\n\n"
                 "It prints the number.\nThe loop runs once.\nNothing else is printed.\n\n" for n in (1, 2, 3)),
         [f"What is the output of step {n}?" for n in (1, 2, 3)]),
        # a question's label with a hyphen after its number
        ("".join(f"**Q{n}- Why does step {n} fail?**\n\nBecause of {n}.\n\n" for n in (1, 2, 3)),
         [f"Why does step {n} fail?" for n in (1, 2, 3)]),
    ],
    ids=["glued-number", "emphasised-label", "hyphen-label"],
)
def test_parse_question_marks_written_loosely_are_read(md: str, questions: list[str]) -> None:
    assert [it.question.strip("*") for it in parse_text(md)] == questions


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        # a table may leave out its outer pipes: each cell is a line of its own all the same
        ("n|Country|Capital\n---|---|---\n63|Ethiopia|Addis Ababa\n35|San Marino|San Marino",
         "n\nCountry\nCapital\n63\nEthiopia\nAddis Ababa\n35\nSan Marino\nSan Marino"),
        # a pipe in a sentence, with no table rule under it, is no table
        ("A | B is the union of A and B.", "A | B is the union of A and B."),
    ],
)
def test_parse_plain_text_reads_a_row_without_outer_pipes_a_cell_a_line(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        # a table pasted from a page keeps its cells apart with tabs: a cell a line, the next row a line of its own
        ("Offers error checking\tNo error checking\nProtocols like HTTP use TCP at the transport layer\tProtocols "
         "like DNS use UDP\nThe next line.",
         "Offers error checking\nNo error checking\nProtocols like HTTP use TCP at the transport layer\n"
         "Protocols like DNS use UDP\nThe next line."),
        # a tab after a list mark, or inside inline code, parts no cells
        ("1.\tPrefer static routes.\n\n- Run `a\tb` now.", "Prefer static routes.\nRun a b now."),
    ],
    ids=["pasted-rows", "list-mark-and-code"],
)
def test_parse_plain_text_reads_a_tab_between_words_as_a_cell_break(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain
