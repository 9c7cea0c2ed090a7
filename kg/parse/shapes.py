"""The shapes of the line that starts a question, as a registry of :class:`Shape` records, and
:func:`detect`, which finds every line of a bank that has one of them.

Banks come in many shapes. Rather than one pattern per bank, every line (outside code fences and
HTML comments) is offered to the readers of :data:`SHAPES`, in order; the first that claims the
line reads it:

- a heading, plain (``h3``), numbered (``h2-num``: ``## 1. ...``) or prefixed
  (``h3-q``: ``### Q: ...``);
- a ``<summary>`` (``summary``), unless it only labels a hidden answer ("Show Answer");
- a numbered list item (``list-num``), a bullet that opens with ``Q:`` (``list-q``), a plain bullet that
  asks with its answer indented under it (``list-ask``) or one that is all bold (``list-bold``);
- a line that is all bold (``bold``: ``**Question? 👶**``) or numbered bold
  (``bold-num``: ``**1)** ...``);
- a paragraph opening with ``Q:`` (``para-q``);
- in a file where none of these asks often enough, a plain bullet that asks (``list-asked``,
  :data:`FALLBACK_SHAPES`).

A candidate's label (``h3-q``) is the base its shape gives it plus the ``N.`` or ``Q:`` marker of
the question; the file's question shape is the label that scores best (:mod:`kg.parse.score`). A
new shape of bank is one more :class:`Shape` in :data:`SHAPES`.

Examples
--------
>>> [(c.found_by.name, c.shape, c.text) for c in detect(["## 1. What is X?", "X."], [False] * 2)]
[('heading', 'h2-num', 'What is X?')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from kg.english import english_words
from kg.parse.lines import (
    ANSWER_LABEL,
    DETAILS_OPEN,
    FENCE,
    HEADING,
    QUESTION_MARKS,
    SUMMARY,
    SUMMARY_END,
    strip_closing_hashes,
)
from kg.parse.plaintext import plain_short

_NUMBER = re.compile(r"(\d{1,4})[.):]\s+(?=\S)")
_Q_PREFIX = re.compile(
    r"(?:(?:\*\*|__)?(?:Q|Question)[ \t]*(\d{1,4})?[ \t]*(?:[:.)]|(?<=\d)-)(?:\*\*|__)?"  # "Q1-" too
    # the label emphasised alone, its colon or dot after it: "**Q**:", "**Q1**.", "*Q*:"
    r"|(\*\*|__|\*|_)(?:Q|Question)[ \t]*(\d{1,4})?\2[ \t]*[:.)]?"
    # or in HTML: "<b>Q:</b>", "<strong>Question 2</strong>:"
    r"|<(b|strong)>[ \t]*(?:Q|Question)[ \t]*(\d{1,4})?[ \t]*[:.)]?[ \t]*</\4>[ \t]*[:.)]?)[ \t]*(?=\S)",
    re.I,
)
# A question's label with its number and no stop after it ("Q1 What is Java?"): a label only before a question
_Q_NUMBERED = re.compile(r"(?:\*\*|__)?Q(\d{1,4})(?:\*\*|__)?[ \t]+(?=\S)")
_EMPTY_ANCHORS = re.compile(r"\A[ \t]*(?:<a\s+(?:name|id)\s*=[^>]{0,200}>[ \t]*</a>[ \t]*)+", re.I)
# An anchor wrapped round the question's label alone ('<a class="anchor" href="#x">**Q**</a>. ...'): a link
# target, the label inside it
_ANCHORED_LABEL = re.compile(r"\A[ \t]*<a\s[^>]{0,200}>[ \t]*((?:\*\*|__)?(?:Q|Question)[ \t]*\d{0,4}"
                             r"(?:\*\*|__)?)[ \t]*</a>", re.I)
# "1)What is Git?": a closing parenthesis needs no space before the text; a dot needs one before anything but a
# capitalised word ("1.Every employee ..." is an item, "1.5 GB" is not)
_ORDERED = re.compile(r"( {0,3})(\d{1,4})(?:[.)][ \t]+|\)(?=[^\W\d_])|\.(?=[A-Z][a-z]))(?=\S)")
_BULLET = re.compile(r"( {0,3})[-*+][ \t]+(?=\S)")
_QUESTION_WORDS = frozenset(english_words()["question_words"])


class Found(NamedTuple):
    """What a shape's reader found on a question line."""

    last: int  # last line of the marker (a <summary> may span lines)
    base: str  # the label stem: h1..h6, summary, list, bold, para
    kind: str  # "", "num" or "q" (the question's own N. or Q: marker); "bold" for list-bold
    number: int | None
    text: str  # question markdown without the structural marker
    opener: int = -1  # for summaries: line of the enclosing <details>
    level: int = 7  # heading level; 7 for lines that are no heading
    inline: str = ""  # an answer written on the question's own line, after it (:func:`inline_answer`)


class NotAQuestion:
    """The type of :data:`NOT_A_QUESTION`."""


#: What a reader returns for a line of its shape that holds no question (a "Show Answer"
#: summary, a bullet that is not all bold): later shapes are not tried on that line.
NOT_A_QUESTION = NotAQuestion()

Reader = Callable[[Sequence[str], int], Found | NotAQuestion | None]


@dataclass(frozen=True)
class Shape:
    """One way banks write the line that starts a question.

    Attributes
    ----------
    name : str
        Unique name of the shape.
    read : callable
        ``read(lines, i)``: a :class:`Found` when line ``i`` has this shape and holds a question,
        :data:`NOT_A_QUESTION` when it has this shape but holds none, ``None`` when it has another
        shape (the next one in :data:`SHAPES` is tried). The labels (``base`` and ``kind``) it
        gives must differ from those of every other shape.
    example : str
        A line of this shape that holds a question (with the lines the shape needs after it, if any).
    weight : float
        What each line counts for in the score of a file's question shape.
    numbered_run : bool
        Whether lines numbered in sequence count as questions even when their text does not read
        as one ("14. Expected value").
    answer : {"until-heading", "indented", "in-details"}
        Where the answer is: the lines that follow (or a "Show Answer" block among them), up to
        the next question or a heading as high as the question; the same, up to the first line
        that is not indented; or the rest of the enclosing ``<details>`` block.
    plain_is_section : bool
        Whether a line of this shape without an ``N.`` or ``Q:`` marker, outside every item, is a
        section title rather than a question.
    """

    name: str
    read: Reader
    example: str
    weight: float = 1.0
    numbered_run: bool = True
    answer: Literal["until-heading", "indented", "in-details"] = "until-heading"
    plain_is_section: bool = False


@dataclass(frozen=True)
class Candidate:
    """A line that could start a question: where, what shape, and the question it would hold."""

    found_by: Shape
    line: int  # 0-based index of the line holding the question text
    last: int  # last line of the marker (a <summary> may span lines)
    base: str  # h1..h6, bold, summary, list, para
    kind: str  # "", "num" or "q"
    number: int | None
    text: str  # question markdown without the structural marker
    opener: int = -1  # for summaries: line of the enclosing <details>
    level: int = 7  # heading level; 7 for lines that are no heading
    inline: str = ""  # an answer written on the question's own line, after it (:func:`inline_answer`)

    @property
    def shape(self) -> str:
        """The label the file's question shape is picked by, such as ``h3-q`` or ``list-num``."""
        return f"{self.base}-{self.kind}" if self.kind else self.base


# --------------------------------------------------------------------------------------------------
# Readers, one per shape
# --------------------------------------------------------------------------------------------------


# A heading that is one link to somewhere else than this page: "[What is X?](@id x)" gives a heading its
# own anchor (Documenter's syntax), "[What is X?](https://…)" points to a source. Its label is the
# heading; a link to a place on this page ("(#x)") stays a table-of-contents entry (_is_link_only).
_LINKED_HEADING = re.compile(r"\[([^\]\n]{1,500})\]\((?!#)[^)\n]{1,500}\)")


def _read_heading(lines: Sequence[str], i: int) -> Found | None:
    """A markdown heading; a heading that is one link to elsewhere reads as the link's label.

    >>> _read_heading(["### [How do I catch CTRL-C?](@id catch-ctrl-c)"], 0).text
    'How do I catch CTRL-C?'
    >>> _read_heading(["## [1. Why?](#1-why)"], 0).text
    '[1. Why?](#1-why)'
    """
    line = lines[i]
    m = HEADING.match(line)
    if not m:
        return None
    level = len(m.group(1))
    text = strip_closing_hashes(line[m.end() :])
    linked = _LINKED_HEADING.fullmatch(text.strip())
    kind, number, text = _number_or_q(linked.group(1) if linked else text)
    return Found(i, f"h{level}", kind, number, text, level=level)


def _read_summary(lines: Sequence[str], i: int) -> Found | NotAQuestion | None:
    line = lines[i]
    m = SUMMARY.match(line)
    if not m:
        return None
    rest, last = line[m.end() :], i
    while not SUMMARY_END.search(rest) and last + 1 < len(lines) and last - i < 20:
        last += 1
        rest += "\n" + lines[last]
    text = SUMMARY_END.split(rest, maxsplit=1)[0].strip()
    if not SUMMARY_END.search(rest):
        text, last = line[m.end() :].strip(), i
    text = _unwrap_bold(text)
    if ANSWER_LABEL.match(plain_short(text)):
        return NOT_A_QUESTION
    kind, number, text = _number_or_q(text)
    opener = i if DETAILS_OPEN.match(line) else _previous_details(lines, i)
    return Found(last, "summary", kind, number, text, opener)


def _read_numbered_item(lines: Sequence[str], i: int) -> Found | None:
    line = lines[i]
    m = _ORDERED.match(line)
    if not m:
        return None
    text = line[m.end() :].strip()
    heading = HEADING.match(text)  # "1. ### What is X?": a heading inside a list item
    if heading:
        text = strip_closing_hashes(text[heading.end() :]).strip()
    return Found(i, "list", "num", int(m.group(2)), text)


def _read_q_item(lines: Sequence[str], i: int) -> Found | None:
    """A bullet that opens with a question's label: "- Q: Why?", "* **Q1.** Why?"; its answer follows,
    often as a bullet labelled "A:".

    >>> _read_q_item(["- **Q:** Why?"], 0).text, _read_q_item(["- Quality matters."], 0)
    ('Why?', None)
    """
    m = _BULLET.match(lines[i])
    if not m:
        return None
    kind, number, text = _number_or_q(lines[i][m.end() :].strip())
    return Found(i, "list", "q", number, text) if kind == "q" else None


def _next_text_line(lines: Sequence[str], i: int) -> int:
    """The line after ``i``, or the one after up to two blank lines under it (``len(lines)`` past the end)."""
    j = i + 1
    while j < len(lines) and j <= i + 2 and not lines[j].strip():
        j += 1
    return j


def indent(line: str) -> int:
    """How far ``line`` is indented, in characters."""
    return len(line) - len(line.lstrip())


def _read_asking_item(lines: Sequence[str], i: int) -> Found | None:
    """A plain bullet that asks, with its answer indented under it: "- What is X?" over "  - X is ..." or
    an indented paragraph. A bullet that asks with nothing under it is one of a list of questions.

    >>> _read_asking_item(["- What is X?", "  - X is Y."], 0).text, _read_asking_item(["- What is X?", "- Y?"], 0)
    ('What is X?', None)
    """
    asked = _read_bare_asking_item(lines, i)
    if asked is None or _bold_line(asked.text):
        return None
    j = _next_text_line(lines, i)
    if j >= len(lines) or not lines[j].strip():
        return None
    if indent(lines[j]) <= indent(lines[i]) + 1 or _read_bare_asking_item(lines, j):
        return None  # nothing under it, or a question of its own: a list of questions
    return asked._replace(kind="ask")


def _read_bold_item(lines: Sequence[str], i: int) -> Found | NotAQuestion | None:
    line = lines[i]
    m = _BULLET.match(line)
    if not m:
        return None
    bold = _bold_line(line[m.end() :].strip())
    if bold and not _has_words(bold[1]):
        return Found(i, "list", "bold", None, _rejoin(bold))
    return NOT_A_QUESTION


def _read_bold(lines: Sequence[str], i: int) -> Found | NotAQuestion | None:
    s = lines[i].strip()
    bold = _bold_line(s)
    if not bold:
        return None
    inner, rest = bold
    number_only = re.fullmatch(r"(\d{1,4})[.):]?", inner)
    if number_only:  # **1)** Question text
        if rest:
            return Found(i, "bold", "num", int(number_only.group(1)), rest)
        below = _first_item_below(lines, i)
        return Found(below[0], "bold", "num", int(number_only.group(1)), below[1]) if below else NOT_A_QUESTION
    kind, number, text = _number_or_q(inner)
    if not _has_words(rest):  # **Question? 👶**, **1. Question?**, **Q: Question?**
        return Found(i, "bold", kind, number, _rejoin((text, rest)))
    if kind:  # **1) Title**. Question text: keep the bold title, drop its number
        bold_open = re.match(r"\*\*|__|<b>|<strong>", s, re.I)
        assert bold_open is not None  # _bold_line read the line as bold
        opener = bold_open.group()
        text = opener + _number_or_q(s[len(opener) :])[2]
        return Found(i, "bold", kind, number, text)
    if inner.rstrip("*_ ").endswith("?") and _answers_inline(rest):  # **Why scale features?** So that ...
        return Found(i, "bold", "", None, inner, inline=rest)
    return None  # a bold lead-in of a paragraph; "**Q:** text" is read as para-q


#: A list item's own enumerator ahead of its text: "i.", "ii)", "a."
_ENUMERATOR = re.compile(r"(?:[ivx]{1,4}|[a-z])[.)][ \t]+(?=\S)", re.I)


def _first_item_below(lines: Sequence[str], i: int) -> tuple[int, str] | None:
    """The line and text of the list item right under a bare question number (``**4.**`` over
    ``* i. Why do we use feature selection?``): the question asks what its first item asks. Only
    blank lines may come between; the item's bullet and its own enumerator are left out."""
    j = _next_text_line(lines, i)
    if j >= len(lines):
        return None
    m = _BULLET.match(lines[j]) or _ORDERED.match(lines[j])
    if m is None:
        return None
    text = lines[j][m.end() :].strip()
    text = text[e.end() :] if (e := _ENUMERATOR.match(text)) else text
    return (j, text) if _has_words(text) else None


def _read_q_paragraph(lines: Sequence[str], i: int) -> Found | None:
    kind, number, text = _number_or_q(lines[i].strip())
    return Found(i, "para", "q", number, text) if kind == "q" else None


#: The shapes in the order they are tried on a line; the order decides which shape a line that
#: fits several gets (a bold numbered list item is ``list-num``, not ``bold-num``).
SHAPES: tuple[Shape, ...] = (
    Shape("heading", _read_heading, "### Q: What is a tensor?", plain_is_section=True),
    Shape(
        "summary", _read_summary, "<details><summary>What is DNS?</summary>", answer="in-details"
    ),
    # List items weigh less, and their numbers prove nothing: any list counts up.
    Shape(
        "list-num",
        _read_numbered_item,
        "1. What is overfitting?",
        weight=0.6,
        numbered_run=False,
        answer="indented",
    ),
    Shape("list-q", _read_q_item, "- Q: What is a tensor?"),
    Shape(
        "list-ask",
        _read_asking_item,
        "- What is a tensor?\n  - An array of numbers.",
        weight=0.6,
        numbered_run=False,
        answer="indented",
    ),
    Shape(
        "list-bold",
        _read_bold_item,
        "- <b>What did you learn this week?</b>",
        weight=0.6,
        numbered_run=False,
        answer="indented",
    ),
    Shape("bold", _read_bold, "**What is regression? 👶**"),
    Shape("para-q", _read_q_paragraph, "Q: Why scale features?"),
)


def _read_bare_asking_item(lines: Sequence[str], i: int) -> Found | None:
    """A plain bullet that asks, whatever follows it: a bare list of questions ("* What is a float?")."""
    text = bullet_text(lines[i])
    return Found(i, "list", "asked", None, text) if text.rstrip("*_ ").endswith("?") else None


def _read_listed_item(lines: Sequence[str], i: int) -> Found | None:
    """A plain bullet that asks or sets a task ("* Describe floats."): an entry of a list of questions."""
    text = bullet_text(lines[i])
    return Found(i, "list", "asked", None, text) if text and question_like(text) else None


def bullet_text(line: str) -> str:
    """The text of a plain bullet line after its mark; empty for a line that is none."""
    m = _BULLET.match(line)
    return line[m.end() :].strip() if m else ""


_NO_PLAIN_LINE = re.compile(r"[ \t]*(?:[-*+>|<#]|\d{1,4}[.)])")


def _read_plain_asking_line(lines: Sequence[str], i: int) -> Found | None:
    """A line of plain text that asks, with no mark of any kind: a list of questions written as lines or
    paragraphs ("What is data lineage?", "Explain the CAP theorem.")."""
    text = lines[i].strip()
    if len(text) > 400 or _NO_PLAIN_LINE.match(lines[i]) or not question_like(text):
        return None
    return Found(i, "para", "asked", None, text)


#: Shapes tried only on a file where no shape of :data:`SHAPES` asks often enough: a plain bullet that asks
#: is as often one of a list inside an answer, and a plain line that asks one of a text's own questions, so
#: either is taken as a question only when nothing else is (the plain line only where such lines are many:
#: :data:`PLAIN_SHARE`).
FALLBACK_SHAPES: tuple[Shape, ...] = (
    Shape("list-asked", _read_bare_asking_item, "* What is a float?", weight=0.6, numbered_run=False,
          answer="indented"),
    Shape("para-asked", _read_plain_asking_line, "What is data lineage?", weight=0.6, numbered_run=False),
)
#: The shape of a list of questions, once known to be one: a bullet that asks or sets a task ("* Explain CSS
#: sprites."), its follow-up bullets under it.
LISTED_SHAPES: tuple[Shape, ...] = (
    Shape("list-asked", _read_listed_item, "* Explain CSS sprites.", weight=0.6, numbered_run=False,
          answer="indented"),
)
#: The share of a file's lines of text that plain lines asking must make up to be its questions.
PLAIN_SHARE = 1 / 3


def detect(lines: Sequence[str], skip: Sequence[bool], shapes: Sequence[Shape] | None = None) -> list[Candidate]:
    """Every line that has the shape of a question start.

    Parameters
    ----------
    lines : sequence of str
        The lines of a bank.
    skip : sequence of bool
        True for lines to pass over (fenced code, comments).
    shapes : sequence of Shape, optional
        The shapes to try, in order: :data:`SHAPES` by default, or :data:`FALLBACK_SHAPES`.

    Returns
    -------
    list of Candidate
        In line order; each read by the first shape of ``shapes`` that claims its line.
    """
    out: list[Candidate] = []
    for i, line in enumerate(lines):
        if skip[i]:
            continue
        s = line.strip()
        if not s:
            continue
        c = _read_line(lines, i, SHAPES if shapes is None else shapes)
        if c is not None and not _is_link_only(c.text) and plain_short(c.text):
            out.append(c)
    return out


def _read_line(lines: Sequence[str], i: int, shapes: Sequence[Shape]) -> Candidate | None:
    for shape in shapes:
        found = shape.read(lines, i)
        if found is None:
            continue
        if isinstance(found, NotAQuestion):
            return None
        if (label := _LABEL_ALONE.fullmatch(found.text.strip())) and (below := _paragraph_below(lines, found.last)):
            number = int(label.group(1)) if label.group(1) else None
            found = found._replace(kind="q", number=number, text=below[0], last=below[1])
        if not found.inline and found.level > 6 and found.base != "summary" and (split := inline_answer(found.text)):
            found = found._replace(text=split[0], inline=split[1])
        return Candidate(shape, i, *found)
    return None


# A question's label alone on its line ("## Question 3", "**Q1**", "__Practice Question__", "__***Question 1***__"),
# maybe with its kind or level in brackets ("### Q4 (MCQ)", "Question 2 [Hard]"): the question is the paragraph under it
_LABEL_ALONE = re.compile(r"[*_]{0,6}(?:(?-i:[A-Z][a-z]+)[ \t]+(?=question))?(?:Q|Question)[ \t]*#?(\d{1,4})?"
                          r"(?:[ \t]+[(\[][^()\[\]\n]{1,24}[)\]])?[ \t]*[:.)]?[*_]{0,6}[ \t]*[:.)]?", re.I)


def _paragraph_below(lines: Sequence[str], i: int) -> tuple[str, int] | None:
    """The paragraph right under line ``i`` (one blank line may come between) and its last line, unless it
    is a heading, code, a list or an answer's label: what a question label alone on its line labels.

    >>> _paragraph_below(["## Question 1", "", "What is a tensor", "in deep learning?", "", "An array."], 0)
    ('What is a tensor\\nin deep learning?', 3)
    >>> _paragraph_below(["## Question 1", "**Answer:** B"], 0) is None
    True
    """
    j = _next_text_line(lines, i)
    first = lines[j].strip() if j < len(lines) else ""
    plain = plain_short(first)
    if (not first or HEADING.match(first) or FENCE.match(first) or _BULLET.match(lines[j]) or _ORDERED.match(lines[j])
            or first.startswith(("<", ">", "|")) or ANSWER_LABEL.match(plain) or _ANSWER_OPENER.match(plain)):
        return None
    k = j
    while k + 1 < len(lines) and lines[k + 1].strip() and not HEADING.match(lines[k + 1]):
        k += 1
    return "\n".join(line.strip() for line in lines[j : k + 1]), k


# A paragraph that opens an answer rather than asks: "Answer: B", "The correct answer is: B"
_ANSWER_OPENER = re.compile(r"(?:the\s+)?(?:correct\s+|right\s+)?(?:answer|solution)s?\b(?:\s+is)?\s*[:.-]", re.I)


# --------------------------------------------------------------------------------------------------
# Reading question text
# --------------------------------------------------------------------------------------------------


def _number_or_q(text: str) -> tuple[str, int | None, str]:
    """Split a leading ``N.`` or ``Q:``/``Q1.`` marker off question text.

    Empty link anchors before it (``<a name="x"></a>12. ...``) are only a target for links: they
    are dropped, so the number behind them is still seen.

    >>> _number_or_q('<a name=20190805></a>87. What is the output?')
    ('num', 87, 'What is the output?')
    >>> _number_or_q('**Q**: Why?'), _number_or_q('<a class="anchor" href="#x">**Q**</a>. Why?')
    (('q', None, 'Why?'), ('q', None, 'Why?'))
    >>> _number_or_q('**Q1.** Why?'), _number_or_q('*Q2*: Why?'), _number_or_q('**Quality** matters.')
    (('q', 1, 'Why?'), ('q', 2, 'Why?'), ('', None, '**Quality** matters.'))
    >>> _number_or_q('<b>Q3:</b> Why?'), _number_or_q('<strong>Question</strong>: Why?')
    (('q', 3, 'Why?'), ('q', None, 'Why?'))
    >>> _number_or_q('Q1 What is Java?'), _number_or_q('Q3 revenue grew.')
    (('q', 1, 'What is Java?'), ('', None, 'Q3 revenue grew.'))
    """
    text = _EMPTY_ANCHORS.sub("", text, count=1)
    m = _NUMBER.match(text)
    if m:
        return "num", int(m.group(1)), text[m.end() :]
    labelled = _ANCHORED_LABEL.sub(r"\1", text, count=1)
    m = _Q_PREFIX.match(labelled)
    if m:
        number = m.group(1) or m.group(3) or m.group(5)
        return "q", int(number) if number else None, labelled[m.end() :]
    m = _Q_NUMBERED.match(text)
    if m and question_like(text[m.end() :]):  # "Q1 What is Java?", where "Q3 revenue" is a quarter's
        return "q", int(m.group(1)), text[m.end() :]
    return "", None, text


# A mark between a question and its answer on one line: an arrow, or an answer's label ("A:", "Ans:",
# "**Answer:**"); a bare "A." is left alone, as it may open a quiz's first option.
_INLINE_MARK = re.compile(
    r"\?(?:\*\*|__|\*|_)?[ \t]*(?:=>|->|-->|→|⇒|(?:\*\*|__)?(?:A|Ans|Answer)[ \t]*:(?:\*\*|__)?"
    r"|(?:\*\*|__)?(?:Ans|Answer)[ \t]*\.(?:\*\*|__)?)[ \t]*",
    re.I,
)


def inline_answer(text: str) -> tuple[str, str] | None:
    """``(question, answer)`` when ``text`` goes on after its question with a marked answer on the same line.

    >>> inline_answer("What is Git? ->Git is a version control system.")
    ('What is Git?', 'Git is a version control system.')
    >>> inline_answer("**Q: Why?** A: Because it is fast.")
    ('**Q: Why?**', 'Because it is fast.')
    >>> inline_answer("Can I pin it? A: Yes."), inline_answer("Which is right? A. fork B. clone")
    (('Can I pin it?', 'Yes.'), None)
    """
    for m in _INLINE_MARK.finditer(text):
        question, answer = text[: m.start() + 1], text[m.end() :].strip()
        if m.group().startswith(("?**", "?__")):  # the question's emphasis closes after its mark
            question += m.group()[1:3]
        elif m.group()[1:2] in ("*", "_"):
            question += m.group()[1]
        if _has_words(question) and _has_words(answer):  # a marked answer may be short: "A: Yes."
            return question, answer
    return None


def _answers_inline(rest: str) -> bool:
    """Whether the text after a question on its line is an answer: a few words, not a tag of level or
    source ("(Junior)", "👶", "[[src]](...)")."""
    return len(re.findall(r"[^\W\d_]{2,}", plain_short(rest))) >= 3


def q_marked(text: str) -> bool:
    """Whether text opens with a ``Q:``/``Q1.`` question marker."""
    return _number_or_q(text)[0] == "q"


def _bold_line(s: str) -> tuple[str, str] | None:
    """``(inner, rest)`` when ``s`` opens with bold that covers it all but a short tail."""
    for open_, close in (("**", "**"), ("__", "__"), ("<b>", "</b>"), ("<strong>", "</strong>")):
        if s[: len(open_)].lower() == open_:
            end = s.lower().find(close, len(open_))
            if end <= len(open_):
                return None
            inner, rest = s[len(open_) : end].strip(), s[end + len(close) :].strip()
            if not inner or inner.strip("*_") == "" or open_ in inner.lower():
                return None
            return inner, rest
    return None


def _rejoin(bold: tuple[str, str]) -> str:
    inner, rest = bold
    return f"{inner} {rest}".strip() if rest else inner


def _has_words(tail: str) -> bool:
    """Does the text after a bold opening hold prose (not just emoji, markers or punctuation)?"""
    return bool(tail) and bool(re.search(r"[^\W\d_]{2,}", plain_short(tail)))


def _unwrap_bold(text: str) -> str:
    bold = _bold_line(text)
    return _rejoin(bold) if bold and not _has_words(bold[1]) else text


def _is_link_only(text: str) -> bool:
    """Table-of-contents entries: nothing but a link (``[1. Why ...](#1-why)``)."""
    s = text.strip().strip("*_").strip()
    return bool(re.fullmatch(r"\[[^\]\n]{0,500}\]\([^)\n]{0,500}\)", s)) or bool(
        re.fullmatch(r"<a\b[^>]{0,500}>.{0,500}</a>", s, re.I)
    ) and "name=" not in s.lower()


def _previous_details(lines: Sequence[str], i: int) -> int:
    for j in range(i - 1, max(-1, i - 4), -1):
        if DETAILS_OPEN.match(lines[j]):
            return j
        if lines[j].strip():
            break
    return -1


def end_marker(text: str) -> str:
    """The symbols a question ends with, such as a difficulty emoji or ``***`` ('' if none)."""
    m = re.search(r"[^\w\s?.!:;,)\]\"'`*_]+\W*$", text.replace("\u200d", "").replace("\ufe0f", ""))
    return re.sub(r"\s+", "", m.group()) if m else ""


_TAB_NUMBER = re.compile(r"[ ]*\d{1,4}\t+")


def question_like(text: str) -> bool:
    """Does this read as a question: a '?' or a question word or imperative up front, after its number if
    a tab sets the number off ("446<TAB>What is deno", a list pasted from a spreadsheet)?"""
    plain = plain_short(_TAB_NUMBER.sub("", text, count=1))[:400]
    if not any(c.isalnum() for c in plain):
        return False  # "???" between a flashcard's two sides, "?!": marks that ask nothing
    if any(mark in plain for mark in QUESTION_MARKS):
        return True
    m = re.match(r"[^\w]*([A-Za-z']+)", plain)
    return m is not None and m.group(1).lower() in _QUESTION_WORDS
