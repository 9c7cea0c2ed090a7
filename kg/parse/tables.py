"""FAQ tables: a markdown table with a question column and an answer column, one item a row; or, with no
answer column, a question column whose cells mostly ask, one question without an answer a row.

Pages built by documentation kits often keep their FAQ as data, and some write it as a table ("| Question
| Short Answer | Detailed Answer |"). Each row is an item of its own; the answer is the row's answer
cells, joined. The table's lines are then passed over by the other shapes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.parse.lines import TABLE_RULE
from kg.parse.plaintext import plain_short
from kg.parse.shapes import question_like
from kg.parse.spans import Span

_QUESTION_HEADER = re.compile(r"(?:q|questions?|faq|query)\b.*|.*\bquestions?", re.I)
_ANSWER_HEADER = re.compile(r"(?:a|ans|answers?|responses?|solutions?|explanations?)\b.*|.*\banswers?", re.I)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
# The share of a table's question cells that must ask for a table with no answer column to be a list of questions.
QUESTION_ROWS = 0.5
_LINK_CELL = re.compile(r"[*_\s]*\[[^\]]*\]\([^)]*\)[*_\s]*")


def cells(line: str) -> list[str]:
    r"""The cells of a table row, outer pipes dropped and escaped ones kept.

    >>> cells(r"| What is `a \| b`? | The union. |")
    ['What is `a | b`?', 'The union.']
    """
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    return [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(s)]


def _asking_rows(rows: Sequence[str], column: int) -> bool:
    """Whether a table without an answer column is a list of questions: two rows or more, most of whose
    cells in the question column ask ("| 1 | What is OAuth? |") and are not links.

    >>> _asking_rows(["| 1 | What is OAuth? |", "| 2 | Flow of JWT |", "| 3 | Why rotate keys? |"], 1)
    True
    >>> _asking_rows(["| 1 | [What is OAuth?](#oauth) |", "| 2 | [Why rotate keys?](#keys) |"], 1)
    False
    """
    questions = [r[column] for r in map(cells, rows) if column < len(r) and r[column]]
    if sum(bool(_LINK_CELL.fullmatch(q)) for q in questions) >= QUESTION_ROWS * len(questions):
        return False  # a table of contents: each question a link to where it is asked and answered
    return len(questions) >= 2 and sum(map(question_like, questions)) >= QUESTION_ROWS * len(questions)


def table_spans(lines: Sequence[str], skip: list[bool]) -> list[Span]:
    """One span a row of each FAQ table of ``lines``, its cells the question and the answer; the table's
    lines are marked in ``skip`` so that no other shape reads them.

    A header may abbreviate its columns: "| Q | Ans |".

    >>> lines = ["| Area | Question | Answer |", "|---|---|---|", "| Web | Why? | Speed. |", "| App | How? | So. |"]
    >>> skip = [False] * 4
    >>> [(s.line, s.question, s.answer_cell) for s in table_spans(lines, skip)], skip
    ([(2, 'Why?', 'Speed.'), (3, 'How?', 'So.')], [True, True, True, True])
    """
    spans: list[Span] = []
    i = 0
    while i + 2 < len(lines):
        if skip[i] or "|" not in lines[i] or not TABLE_RULE.match(lines[i + 1].strip()):
            i += 1
            continue
        header = [plain_short(c).strip() for c in cells(lines[i])]
        asks = [k for k, h in enumerate(header) if _QUESTION_HEADER.fullmatch(h)]
        answers = [k for k, h in enumerate(header) if _ANSWER_HEADER.fullmatch(h) and k not in asks[:1]]
        end = i + 2
        while end < len(lines) and not skip[end] and lines[end].strip().startswith("|"):
            end += 1
        if not asks or not (answers or _asking_rows(lines[i + 2 : end], asks[0])):
            i = end
            continue
        for row in range(i + 2, end):
            row_cells = cells(lines[row])
            question = row_cells[asks[0]] if asks[0] < len(row_cells) else ""
            answer = "\n\n".join(row_cells[k] for k in answers if k < len(row_cells) and row_cells[k])
            if question:
                spans.append(Span(row, None, question, (0, 0), (row, row), row, "table", answer_cell=answer))
        for k in range(i, end):
            skip[k] = True
        i = end
    return spans
