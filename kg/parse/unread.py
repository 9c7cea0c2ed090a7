"""Questions a file asks that were not read as questions: what a user is told of a file read only in part.

A parser that picks one question shape per file reads a file written in two shapes (a list of bare
question lines after a run of headings, questions kept in front matter) only in part, and nothing else
would say so: the questions it missed sit in some answer or in no item at all. A line is counted when it
ends in a question mark, outside code and comments, and its question is in no item's question nor, under a
title that does not ask, in the first line of its answer (a topic heading with its question under it). A link
whose text asks ("[What is X?](#what-is-x)", a table of contents or a "see also" list) points at a
question asked elsewhere, and a lettered or roman-numbered part ("ii. How would you ...?") belongs to
the question above it: neither is counted.

A question line with no answer under it (a list of questions still to be answered, the next line asking
again, a heading or the end of the file) is left out rightly, and the user is told so in those words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg.model import QAItem
from kg.parse.lines import code_mask, container_blocks, split_lines
from kg.parse.plaintext import plain_short

# A file is named when it asks at least this many questions that were not read ...
MIN_UNREAD = 5
# ... and at least this share of the number it was read with: a few questions inside answers are
# rhetorical ("Why? Because ..."), a file asking half as many again as were read was read in part.
UNREAD_SHARE = 0.5
# Words a question must have to be counted: "Why?", "Really?" ask nothing of their own.
MIN_WORDS = 3

_SPACE = re.compile(r"\s+")
# The question of a line: from its last sentence end, table pipe, colon or marker to its question mark,
# starting at a letter ("1 | What is X?" asks "What is X?").
_QUESTION = re.compile(r"[^\W\d_][^.!?|:>*\[\]]*[?？]$")
# A question's label or number, which the item's question leaves out: "Q1- ", "Question 3: ", "12) "
_LABEL = re.compile(r"(?:q(?:uestion)?\s*)?\d{1,4}(?:\s*[-.):–]+\s*|\s+)", re.IGNORECASE)
# A link's text that asks: "[What is X?](#x)", "[Why Y?][ref]"
_LINKED = re.compile(r"\[[^\[\]]*[?？][^\[\]]*\]\s*[(\[]")
# A part of a question: "ii. How would you ...?", "(b) Why ...?", "- iii) ..."
_PART = re.compile(r"\s*(?:[-*+]\s+)?\(?(?:[ivx]{1,4}|[a-h])[.)]\s", re.IGNORECASE)
# A list item's marker, and a line that is a rule between sections ("---", "⸻")
_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,4}[.)])\s")
_RULE = re.compile(r"\s*(?:[-*_⸻—]\s*){1,}$")
# A line that reads as prose, not as a label: it ends a sentence or a lead-in, or runs to eight words.
_PROSE = re.compile(r"[.:!]\**\s*$|(?:\S+\s+){7}\S")


@dataclass(frozen=True)
class PartlyRead:
    """A file read only in part: the questions read, the lines (1-based) of those that were not, and how many
    of those have no answer under them."""

    source: str
    read: int
    lines: tuple[int, ...]
    bare: int = 0

    def note(self) -> str:
        """What the user is told: that the file was read in part, unless no question left out has an answer.

        >>> PartlyRead("b.md", 1, (7, 9, 11, 13, 15)).note()
        'b.md: read in part: 1 question read, 5 more lines that ask a question not read (the first at line 7)'
        >>> PartlyRead("b.md", 1, (7, 9, 11, 13, 15), bare=2).note()[-50:]
        '(the first at line 7; 2 with no answer under them)'
        >>> PartlyRead("b.md", 1, (7, 8, 9, 10, 11), bare=5).note()
        'b.md: 1 question read; 5 more lines ask a question with no answer under it (the first at line 7)'
        """
        read = f"{self.read} question{'s' * (self.read != 1)} read"
        first = f"the first at line {self.lines[0]}"
        if self.bare == len(self.lines):
            return (f"{self.source}: {read}; {len(self.lines)} more lines ask a question with no answer under it "
                    f"({first})")
        bare = f"; {self.bare} with no answer under them" if self.bare else ""
        return (f"{self.source}: read in part: {read}, {len(self.lines)} more lines that ask a question not read "
                f"({first}{bare})")


def unread_lines(text: str, items: Sequence[QAItem]) -> list[int]:
    """The lines (1-based) of ``text`` that ask a question none of ``items``, the file's items, asks.

    Examples
    --------
    >>> text = "## What is a tensor?\\nAn array.\\n\\n- [What is a tensor?](#t)\\n- How is a matrix stored?\\n"
    >>> item = QAItem("t", 1, "What is a tensor?", "An array.", "b.md", 1, "What is a tensor?", "An array.")
    >>> unread_lines(text, [item])
    [5]
    """
    lines = _read_lines(text)
    return _outside_code(lines, _asking(lines, items))


def _read_lines(text: str) -> list[str]:
    """The lines of ``text`` with the markup that wraps a question and is not markdown's read as the parser
    reads it: "::: details Why X?" asks "Why X?"."""
    lines = split_lines(text)
    return container_blocks(lines, [False] * len(lines)) if any(":::" in line for line in lines) else lines


def _asking(lines: Sequence[str], items: Sequence[QAItem]) -> list[int]:
    """The indexes of lines that ask a question no item asks, code and comments not set apart."""
    asked = "\n".join(_SPACE.sub(" ", _asks(it)).strip().lower() for it in items)
    out = []
    for i, line in enumerate(lines):
        if not _ends_asking(line) or _LINKED.search(line) or _PART.match(line):
            continue
        m = _QUESTION.search(_SPACE.sub(" ", plain_short(line)).strip())
        if m is None:
            continue
        question = m.group(0).lower()
        if label := _LABEL.match(question):
            question = question[label.end() :]
        if len(question.split()) >= MIN_WORDS and question not in asked:
            out.append(i)
    return out


def _ends_asking(line: str) -> bool:
    """Whether a question mark ends ``line``, or the markup that closes it ("?**", "?</td>")."""
    end = line.rstrip()[-12:]
    return "?" in end or "？" in end


def _asks(item: QAItem) -> str:
    """What ``item`` asks: its question, and, under a title that does not ask ("## 1. make vs new"), the first
    line of its answer, where such a title's question is written.

    >>> _asks(QAItem("m", 1, "make vs new", "", "g.md", 1, "make vs new", "What is the difference?\\nnew(T) ..."))
    'make vs new\\nWhat is the difference?'
    """
    if item.question_text.rstrip().endswith(("?", "？")):
        return item.question_text
    first = item.answer_text.split("\n", 1)[0]
    return f"{item.question_text}\n{first}"


def _bare(lines: Sequence[str], line: int) -> bool:
    """Whether the question on ``line`` (1-based) has no answer under it: the next line with text asks, is a
    heading or a rule, is the next item of the question's list, or is a label set out left of the question;
    or there is none.

    >>> _bare(["Why X?", "", "Why Y?", "Because."], 1), _bare(["Why X?", "", "Why Y?", "Because."], 3)
    (True, False)
    >>> _bare(["- Why X?", "- Explain Y."], 1), _bare(["  - Why X?", "(b) Y"], 1), _bare(["  - Why X?", "X is Y."], 1)
    (True, True, False)
    """
    question = lines[line - 1].expandtabs(4)
    indent = len(question) - len(question.lstrip())
    for nxt in lines[line:]:
        if not nxt.strip():
            continue
        text = nxt.expandtabs(4)
        at = len(text) - len(text.lstrip())
        if text.lstrip().startswith("#") or _ends_asking(text) or _RULE.match(text):
            return True
        if at == indent and _ITEM.match(question) and _ITEM.match(text):
            return True
        return at < indent and not _PROSE.search(text)
    return True


def _outside_code(lines: Sequence[str], found: Sequence[int]) -> list[int]:
    """The lines (1-based) of the indexes ``found`` that are not code, a comment or a script."""
    skip = code_mask(lines)
    return [i + 1 for i in found if not skip[i]]


def _enough(unread: int, read: int) -> bool:
    return unread >= MIN_UNREAD and unread >= UNREAD_SHARE * read


def partly_read(text: str, source: str, items: Sequence[QAItem]) -> PartlyRead | None:
    """``source`` as read only in part, when its text asks many more questions than ``items`` hold.

    Examples
    --------
    >>> listed = "\\n".join(f"How does method {k} work?" for k in range(6))
    >>> text = "## What is a tensor?\\nAn array.\\n\\n" + listed + "\\n"
    >>> item = QAItem("t", 1, "What is a tensor?", "An array.", "b.md", 1, "What is a tensor?", "An array.")
    >>> partly_read(text, "b.md", [item]).lines
    (4, 5, 6, 7, 8, 9)
    >>> partly_read(text, "b.md", [item] * 20) is None
    True
    """
    lines = _read_lines(text)
    found = _asking(lines, items)
    if not _enough(len(found), len(items)):  # most files: the masks of code need not be made
        return None
    unread = _outside_code(lines, found)
    if not _enough(len(unread), len(items)):
        return None
    return PartlyRead(source, len(items), tuple(unread), sum(_bare(lines, i) for i in unread))
