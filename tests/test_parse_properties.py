"""Property tests of kg.parse: any input either parses or raises a ParseError naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import ParseError
from kg.model import QAItem
from kg.parse import parse_file, parse_text, plain_text

BOUNDED = settings(max_examples=150, deadline=None)

# Pieces of the shapes banks are written in, and of the noise inside them.
FRAGMENTS = [
    "#### 1. What is L1 regularization?",
    "## 2. Expected value",
    "### Q: What is a tensor?",
    "### Q: 1. Define rank.",
    "### Basics",
    "# Title",
    "Q: Why?",
    "A: Because.",
    "**What is regression? 👶**",
    "**Useful resources:**",
    "**1)** The number of active ads.",
    "**2) Factorial**. Calculate a factorial.",
    "1. What is overfitting?",
    "   Learning the noise.",
    "- <b>What did you learn this week?</b>",
    "- [1. Why select features?](#1-why-select-features)",
    "<details>",
    "<details><summary>What is DNS?</summary>",
    "<summary><b>💡 Show Answer</b></summary>",
    "<summary><b>How do you list open files ***</b></summary><br>",
    "<summary><b>A summary that never closes",
    "</details>",
    "```python",
    "```",
    "~~~",
    "$$",
    "$$x^2$$",
    "\\begin{equation}",
    "\\end{equation}",
    "<!--",
    "-->",
    "---",
    "***",
    "<br/>",
    "| a | b |",
    "|---|---|",
    "![alt](img/a.png)",
    "<img src='a.png' alt='x'/>",
    "<table><tr><td align='center'>cell</td></tr></table>",
    "Loss $L_1$ and $\\frac{a}{b}$ and $x = 1 $ and costs $5",
    "Plain prose with `code` and *em* and __strong__ and ~~gone~~.",
    "[⬆️ Back to Top](#table-of-contents)",
    ":star: ⭐️ 🚀 \u200d",
    "",
    "   ",
    "\t",
]

markdown_lines = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    st.builds(  # long runs of openers that never close
        lambda piece, n: piece * n,
        st.sampled_from(["[", "**", "`", "$", "<", "\\(", "<!--", "a "]),
        st.integers(1, 3000),
    ),
)
markdown = st.builds(
    lambda lines, newline: newline.join(lines),
    st.lists(markdown_lines, max_size=40),
    st.sampled_from(["\n", "\r\n", "\r"]),
)


def _check_items(items: list[QAItem], source: str, text: str) -> None:
    n_lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))
    lines = [i.line for i in items]
    assert lines == sorted(lines)
    for item in items:
        assert item.source == source
        assert 1 <= item.line <= n_lines
        assert item.question_text == item.question_text.strip()
        assert "\r" not in item.question + item.answer


@BOUNDED
@given(markdown)
def test_parse_text_properties_never_crash(text: str) -> None:
    try:
        items = parse_text(text, "random.md")
    except ParseError as e:
        assert e.path == "random.md"
        assert str(e).startswith("random.md")
        return
    _check_items(items, "random.md", text)


@BOUNDED
@given(st.binary(max_size=400) | markdown.map(lambda t: t.encode("utf-8")))
def test_parse_file_properties_any_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.md"
        path.write_bytes(data)
        try:
            items = parse_file(path)
        except ParseError as e:
            assert e.path == str(path)
            assert str(e).startswith(str(path))
            if e.line is not None:
                assert 1 <= e.line <= data.count(b"\n") + 1
            return
        _check_items(items, str(path), data.decode("utf-8-sig"))


@BOUNDED
@given(
    st.lists(st.sampled_from(FRAGMENTS[:16]), max_size=20),
    st.integers(0, 15),
    st.binary(max_size=3),
)
def test_parse_file_properties_bad_byte_line(lines: list[str], at: int, tail: bytes) -> None:
    """A byte that cannot start UTF-8 is reported on its own line."""
    at = min(at, len(lines))
    data = "\n".join(lines[:at]).encode() + (b"\n" if at else b"") + b"\xff" + tail
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.md"
        path.write_bytes(data)
        try:
            parse_file(path)
        except ParseError as e:
            assert (e.path, e.line) == (str(path), at + 1)
            assert "not valid UTF-8 (byte 0xff" in e.message
        else:
            raise AssertionError("bad UTF-8 was accepted")


@BOUNDED
@given(markdown)
def test_parse_plain_text_properties(text: str) -> None:
    plain = plain_text(text)
    assert plain == plain.strip()
    assert "\r" not in plain
    assert all(line.strip() for line in plain.split("\n")) or plain == ""


@BOUNDED
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_parse_plain_text_properties_no_markup_left(lines: list[str]) -> None:
    plain = plain_text("\n".join(lines))
    noise = ("**", "<b>", "<summary", "<img", "<td", "](", "$$", "\\frac", "👶", "🚀", "⭐", ":star:")
    assert [n for n in noise if n in plain] == []


@BOUNDED
@given(st.text(alphabet=st.sampled_from(list("ab ?!()#>-.:;'\"\n\t\u00a0é") + list("\\`$[<&*_~\ue000")), max_size=40))
def test_parse_display_text_plain_shortcut_gives_what_the_rules_give(text: str) -> None:
    from kg.parse.plaintext import _display_marked, display_text

    assert display_text(text) == _display_marked(text)
