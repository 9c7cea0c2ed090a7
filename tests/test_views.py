"""Tests of kg.views: the rows and titles the app and the CLI show, checked against the bank they come from."""

from __future__ import annotations

import csv
import io
import re

import pytest

from kg.model import Pair, QAItem, cnode, qnode
from kg.views import (
    TITLE_LIMIT,
    WHERE_WIDTH,
    answer_mentions,
    as_written,
    concept_rows,
    filter_concept_rows,
    highlighted_outside_math,
    kind_counts,
    mention_spans,
    node_title,
    pair_rows,
    pairs_csv,
    question_line,
    question_title,
    quoted,
    search_index,
    shown_spans,
    source_of,
)

pytestmark = pytest.mark.model


def test_views_concept_rows_count_questions_and_askers(seed_bank) -> None:
    rows = {r["id"]: r for r in concept_rows(seed_bank)}
    assert set(rows) == {c.id for c in seed_bank.concepts}
    for c in seed_bank.concepts:
        asked = {m.item for m in seed_bank.mentions if m.concept == c.id and m.field == "question"}
        assert (rows[c.id]["concept"], rows[c.id]["questions"], rows[c.id]["asked in"]) == (
            c.label,
            len(c.questions),
            len(asked),
        )


def test_views_concept_rows_list_the_most_asked_first_and_generic_last(seed_bank) -> None:
    rows = concept_rows(seed_bank)
    tiers = [r["generic"] for r in rows]
    assert tiers == sorted(tiers)
    for generic in (False, True):
        counts = [r["questions"] for r in rows if r["generic"] is generic]
        assert counts == sorted(counts, reverse=True)
    assert rows[0]["concept"] == "neural network"  # the seed's most asked concept, not the first by name


def test_views_filter_concept_rows_puts_the_named_concept_first(seed_bank) -> None:
    rows = concept_rows(seed_bank)
    found = filter_concept_rows(rows, "relu")
    assert found[0]["concept"] == "ReLU"
    assert {"LeakyReLU", "dying ReLU problem"} <= {r["concept"] for r in found}
    assert all("relu" in f"{r['concept']} {r['aliases']}".lower() for r in found)
    assert filter_concept_rows(rows, "  ") == rows


def test_views_pair_rows_and_csv_name_both_questions(seed_bank) -> None:
    pairs = [Pair("questions-2", "questions-30", 0.9, "duplicate", ("relu",), 0.8, None, 0.7)]
    (row,) = pair_rows(seed_bank, pairs)
    assert row["question a"] == question_title(seed_bank.item("questions-2"))
    assert row["meaning"] is None
    (record,) = list(csv.DictReader(io.StringIO(pairs_csv(seed_bank, pairs))))
    assert (record["a"], record["b"], record["kind"]) == ("questions-2", "questions-30", "duplicate")
    assert record["meaning"] == ""
    assert record["question_b"] == question_line(seed_bank.item("questions-30"))
    b = seed_bank.item("questions-30")
    assert (record["source_b"], record["line_b"]) == (b.source, str(b.line))
    assert row["where b"] == f"line {b.line}"  # a bank of one file: the line says where


class _Items:
    def __init__(self, items: list[QAItem]) -> None:
        self.items = {i.id: i for i in items}

    def item(self, item_id: str) -> QAItem | None:
        return self.items.get(item_id)

    def concept(self, concept_id: str) -> None:
        return None


def test_views_pair_rows_cut_file_names_around_what_tells_them_apart() -> None:
    items = _Items([QAItem(f"c{n}", 1, "Why?", "", f"book/Chapter {n} Answers.md", 390 + n) for n in (5, 7, 8)])
    rows = pair_rows(items, [Pair("c5", "c7", 0.5, "overlap"), Pair("c7", "c8", 0.4, "overlap")])
    shown = [r[k] for r in rows for k in ("where a", "where b")]
    assert shown == ["Chapter 5…wers.md:395", "Chapter 7…wers.md:397", "Chapter 7…wers.md:397", "Chapter 8…wers.md:398"]
    assert all(len(w) <= WHERE_WIDTH for w in shown)


def test_views_search_index_holds_every_label_alias_and_question(seed_bank) -> None:
    index = search_index(seed_bank)
    texts = {text for text, _ in index}
    for c in seed_bank.concepts:
        assert {c.label, *c.aliases} <= texts
    assert {(i.question_text, qnode(i.id)) for i in seed_bank.items} <= set(index)


def test_views_answer_mentions_are_the_first_in_each_answer(seed_bank) -> None:
    first = answer_mentions(seed_bank)
    for m in seed_bank.mentions:
        if m.field == "answer":
            assert first[(m.concept, m.item)].start <= m.start


def test_views_node_title_of_a_concept_and_of_a_question(seed_bank) -> None:
    concept = seed_bank.concepts[0]
    assert node_title(seed_bank, cnode(concept.id)) == concept.label
    assert node_title(seed_bank, qnode("questions-2"), 12) == question_title(seed_bank.item("questions-2"), 12)
    short = node_title(seed_bank, qnode("questions-2"), 12)
    assert len(short) <= 12 and short.endswith("…")


def test_views_mention_spans_point_at_the_mentioned_text(seed_bank) -> None:
    item = seed_bank.item("questions-2")
    spans = mention_spans(seed_bank, "questions-2", "question")
    assert spans and all(item.question_text[a:b] for a, b in spans)


def test_views_question_title_writes_formulas_out() -> None:
    # titles go to buttons, captions and tables, which cannot typeset TeX
    question = r"Given $f(x)$ and $\alpha \leq 1$, what is the gradient of $L^1$? It costs $5 and $10."
    item = QAItem("b-1", 1, question, "", "b.md", 1, "")
    assert question_title(item, 200) == "Q1. Given f(x) and α ≤ 1, what is the gradient of L¹? It costs $5 and $10."


@pytest.mark.parametrize(
    ("number", "limit", "title"),
    [
        (3, 0, "Q3. What is ReLU and why is it used?"),
        (None, 0, "What is ReLU and why is it used?"),
        (3, 10, "Q3. What…"),
    ],
)
def test_views_question_title(number, limit, title) -> None:
    text = "What is ReLU and why is it used?"
    item = QAItem("b-3", number, "What is **ReLU** and why is it used?", "", "b.md", 1, text)
    assert question_title(item, limit) == title


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Separable?\n<table align='center'><tr><th>x</th><th>y</th></tr><tr><td>1</td><td>+</td></tr></table>",
         "Q1. Separable? — x y 1 +"),  # a table's cells, not its markup
        ("Separable?\n<table><tr><td><img src=http://x/p.png></td></tr></table>",
         "Q1. Separable? — <img src=http://x/p.png>"),  # other tags stay as text
    ],
)
def test_views_question_title_after_a_short_lead_shows_a_tables_cells(question, title) -> None:
    assert question_title(QAItem("b-1", 1, question, "", "b.md", 1)) == title


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ('What does <img src="x"> do?', 'Q7. What does <img src="x"> do?'),
        ("Is &lt;b&gt; bold? Is &amp;lt; a sign?", "Q7. Is <b> bold? Is &lt; a sign?"),
        ("What is **ReLU** and *why* `max(0, x)`?", "Q7. What is ReLU and why max(0, x)?"),
        # a short lead is followed by the start of the rest of the question
        ("Why\n<div>\n<b>x</b>\n</div>", "Q7. Why — <div> x </div>"),
        ("What if <code>kill -9</code> does not work?", "Q7. What if kill -9 does not work?"),
    ],
)
def test_views_question_title_keeps_every_written_character(question: str, title: str) -> None:
    item = QAItem("b-7", 7, question, "", "b.md", 1, "plain text made for NLP")
    assert question_title(item) == title


def test_views_question_line_falls_back_to_the_plain_text() -> None:
    assert question_line(QAItem("b-1", 1, "", "", "b.md", 1, "Plain?")) == "Plain?"


def test_views_shown_spans_follow_the_words_and_skip_missing_ones() -> None:
    plain, shown = "ReLU and ReLU or GELU", "<b>ReLU</b> and ReLU or G&E"
    assert shown_spans(plain, shown, [(9, 13), (0, 4), (17, 21)]) == [(3, 7), (16, 20)]


@pytest.mark.parametrize(
    ("sentence", "markdown", "source"),
    [
        ("Dropout helps.", "Intro.\n\nDropout helps. More.", "Dropout helps."),
        ("Dropout cuts it.", "x\n**Dropout** <b>cuts</b> it.", "**Dropout** <b>cuts</b> it."),
        ("See the docs here.", "See [the docs](http://h/d) here.", "See [the docs](http://h/d) here."),
        ("It spans two lines.", "It spans\ntwo lines.", "It spans\ntwo lines."),
        ("MSE is Mean Error.", "MSE is <b>M</b>ean <b>E</b>rror.", "MSE is <b>M</b>ean <b>E</b>rror."),
        ("Bias is it.", "**Bias**: x. [Bias](http://h/Bias) is it.", "[Bias](http://h/Bias) is it."),
        ("Brute force, O(n2):", "Brute force, O(n<sup>2</sup>):\n\n```\nx\n```", "Brute force, O(n<sup>2</sup>):"),
        ("Dropout helps.", "Dropout hurts.", None),
        ("reduction helps.", "[Dimensionality reduction](http://h) helps.", None),  # starts inside a link
        ("", "Anything.", None),
    ],
)
def test_views_source_of_a_sentence_or_none(sentence: str, markdown: str, source: str | None) -> None:
    assert source_of(sentence, markdown) == source


def test_views_kind_counts_every_kind() -> None:
    pairs = [Pair("a", "b", 0.9, "duplicate"), Pair("a", "c", 0.5, "overlap"), Pair("b", "c", 0.5, "overlap")]
    assert kind_counts(pairs) == {"duplicate": 1, "overlap": 2, "related": 0}


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("Plot: ![p](http://h/p.png)", "Plot: *Image: p* (`http://h/p.png`)"),
        ("See [docs](https://x.org/a).", "See [docs](https://x.org/a)."),  # a web page: the reader may open it
        ("See [notes](notes.md), [top](#top)", "See notes (`notes.md`), top"),
        ("[run](javascript:alert(1)) [f](file:///etc/passwd)", r"\[run\](javascript:alert(1)) f (`file:///etc/passwd`)"),
        ("Raw <img src=x> tag", "Raw &lt;img src=x> tag"),
        ("Bare https://x.org/a_b and www.x.org", r"Bare [https\://x\.org/a\_b](https://x.org/a_b) and `www.x.org`"),
        ("Use `<b>` here", "Use `<b>` here"),
        ("```html\n<img src=x>\n```", "```html\n<img src=x>\n```"),
        (r"Orthogonal if $\vec a\cdot\vec b=0$.", r"Orthogonal if $\vec a\cdot\vec b=0$."),
        ("$$\n[0, 1] < 2\n$$", "$$\n[0, 1] < 2\n$$"),
        ("one<br>two", "one  \ntwo"),
        (r"a rate of $30%$, or $30\%$", r"a rate of \$30%\$, or $30\%$"),  # TeX would drop a bare "%"
        ("odds of probability <i>p</i> are <b>not</b> p", "odds of probability *p* are **not** p"),
        ("<b> spaced </b> and <i>two\nlines</i>", "&lt;b> spaced &lt;/b> and &lt;i>two\nlines&lt;/i>"),
        ("If <code>kill -9</code> fails, <code>a &lt; b</code>", "If `kill -9` fails, `a < b`"),  # HTML code: a span
        ("```html\n<code>x</code>\n```", "```html\n<code>x</code>\n```"),  # in a code block, as written
        ("- a list\n- **bold** item\n\n| a | b |\n|---|---|", "- a list\n- **bold** item\n\n| a | b |\n|---|---|"),
        # a heading inside an answer names a part of it: bold, not larger than the question
        ("### Bagging\nIt averages.\n\nBoosting\n========", "**Bagging**\nIt averages.\n\n**Boosting**"),
        ("```sh\n# a comment\n```", "```sh\n# a comment\n```"),
        # a superscript or subscript written as HTML: raised or lowered, not its tags as text
        ("X<sup>T</sup>X of n<sub>i</sub>, `<sup>x</sup>`", r"X$^{\text{T}}$X of n$_{\text{i}}$, `<sup>x</sup>`"),
    ],
)
def test_views_as_written_keeps_markdown_and_loads_nothing(markdown: str, shown: str) -> None:
    assert as_written(markdown) == shown


def test_views_as_written_highlights_sentences_outside_code() -> None:
    text = "Dropout helps. `It drops units.` It drops units."
    marked = as_written(text, ["It drops units."])
    assert marked == "Dropout helps. `It drops units.` :orange-background[It drops units.]"


def test_views_question_title_is_the_lead_of_a_long_question() -> None:
    lead = "A dropout layer is used to regularise a network by zeroing outputs at random, as in the figure."
    question = f"{lead}\n\n<table>\n<tr><td><img src='a.png'></td></tr>\n</table>\n\n1. Compute the posterior."
    item = QAItem("b-8", 8, question, "", "b.md", 1, "plain")
    assert question_title(item) == f"Q8. {lead}"
    assert len(question_title(QAItem("b-9", None, "word " * 100, "", "b.md", 1, "plain"))) == TITLE_LIMIT


def test_views_as_written_shows_a_figure_table_as_its_caption_and_inert_image() -> None:
    figure = (
        "Before.\n\n<table align='center'>\n  <tr>\n    <td align=\"center\">\n"
        "      <img src=\"img/drop.png\" alt= \"A dropout layer\" style=\"max-width:70%;\" />\n"
        "    </td>\n  </tr>\n  <tr><td align=\"center\"> Figure 1: a dropout layer </td></tr>\n</table>\n\nAfter."
    )
    shown = as_written(figure)
    assert "<table" not in shown and "&lt;" not in shown
    assert "*Image: A dropout layer* (`img/drop.png`)" in shown  # never loaded: its description, its address as code
    assert "Figure 1: a dropout layer" in shown
    assert not any(line.startswith("    ") for line in shown.split("\n"))  # no line read as code


def test_views_as_written_shows_an_html_table_of_data_as_a_table() -> None:
    """Cells one per line read as paragraphs, and a lone "-" under a number as a heading's underline: an HTML
    table of data is shown as a markdown table, every cell kept in its row and column."""
    from markdown_it import MarkdownIt

    grid = ("Is the data separable?\n\n  <table align='center'>\n    <tr>\n      <th>X_1</th>\n      <th>Y</th>\n"
            "    </tr>\n    <tr>\n      <td>12</td>\n      <td>-</td>\n    </tr>\n"
            "    <tr><td>1 | 2</td><td>+</td></tr>\n  </table>\n\nWhy?")
    html = MarkdownIt("commonmark").enable("table").render(as_written(grid))
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert [re.findall(r"<t[hd]>(.*?)</t[hd]>", r) for r in rows] == [["X_1", "Y"], ["12", "-"], ["1 | 2", "+"]]
    assert "<h2>" not in html and "Why?" in html


@pytest.mark.parametrize(
    "block",
    [
        "<table><tr><td><img src=x onerror=alert(1)></td></tr></table>",
        "<div><script>alert(1)</script></div>",
        "<p><a href='http://h/'>link</a></p>",
    ],
)
def test_views_as_written_keeps_html_blocks_with_more_than_layout_as_written(block: str) -> None:
    assert as_written(block).count("&lt;") == block.count("<")  # every tag shown as written


def test_highlight_never_lands_inside_a_formula() -> None:
    # a concept named inside a formula of a question's title: the formula stays whole and typeset
    title = "Define $p-value$ in context of hypothesis testing."
    assert highlighted_outside_math(title, [(8, 15)], "blue").startswith("Define $p-value$ in context")
    # a formula with a space before its closing dollar, which the renderer typesets all the same: kept as
    # written, its "<" not escaped, and a mark inside it left out
    line = "- if the $p-value < \\alpha $(usually$.05 $), we reject $H_0$."
    shown = as_written(line, ["p-value"], "blue")
    assert "$p-value < \\alpha $" in shown and "background[" not in shown
    assert as_written("The p-value is small.", ["p-value"], "blue") == "The :blue-background[p-value] is small."


def test_as_written_highlights_a_matching_sentence_that_holds_a_formula_around_it() -> None:
    answer = "To find it:\n\n- Consider whether $n$, the count, is even or odd.\n- Stop."
    shown = as_written(answer, ["Consider whether n, the count, is even or odd."], "orange")
    assert ":orange-background[Consider whether ]$n$:orange-background[, the count, is even or odd.]" in shown
    assert "Stop." in shown and "background[Stop" not in shown and "background[To find" not in shown


def test_as_written_typesets_formulas_between_latex_delimiters() -> None:
    md = ("The gain $\\( IG \\)$ is:$$ \n\n  \\[\n  IG = H(S) - \\sum_v H(S_v)\n  \\]\n  $$\n\n"
          "Here, \\( A \\) is the attribute. \\[We\\] keep a\\[0\\] and `\\(x\\)`.")
    shown = as_written(md)
    assert "$IG$ is:$$IG = H(S) - \\sum_v H(S_v)$$" in shown  # one formula, no blank line to end it
    assert "Here, $A$ is the attribute." in shown
    assert "$We$" not in shown and "$0$" not in shown and "`\\(x\\)`" in shown  # escaped brackets, code as written


def test_views_a_quoted_sentence_reads_links_as_their_words_and_leaves_tags_out() -> None:
    source = 'In a <td>DNS</td> cell, see [Telnet and SSH](https://www.ssh.com/ssh/telnet) and ![a plot](p.png).'
    assert quoted(source) == "In a DNS cell, see Telnet and SSH and a plot."
    # code and math are quoted as written
    assert quoted("Write `<td>` or `[x](y)` and $a<b$.") == "Write `<td>` or `[x](y)` and $a<b$."
