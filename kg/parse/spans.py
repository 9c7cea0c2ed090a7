"""Where each item starts and ends, as line ranges of the file.

The candidates of the file's question shape mark the items. Everything else is answer, section
context or introduction: a heading that is not the question shape is a section title (dropped)
or, when deeper than the question, a sub-heading kept in the answer. Then two kinds of stragglers
are picked up: answer blocks (``<details>`` with a "Show Answer" summary) outside every item take
the paragraph above as their question, and questions of another shape outside every item (a list
of questions without answers) are kept when nearly all of them read as questions.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from kg.parse.lines import (
    ANSWER_LABEL,
    ANSWER_LINE,
    ANSWER_MARK,
    DETAILS_CLOSE,
    DETAILS_OPEN,
    DETAILS_OPEN_ANY,
    HEADING,
    SEPARATOR,
    is_block_html,
)
from kg.parse.plaintext import plain_short, plain_text
from kg.parse.shapes import Candidate, q_marked, question_like


@dataclass(frozen=True)
class Span:
    """One item before ids, as line ranges of the file (0-based, end excluded)."""

    line: int
    number: int | None
    question: str  # the question on the marker line
    q_extra: tuple[int, int]  # more question lines after the marker (details-style banks)
    answer: tuple[int, int]
    end: int  # last line that belongs to the item
    shape: str
    marked: bool = False  # the answer opens with an "A:" marker to drop
    answer_cell: str | None = None  # a table row's answer, written in its cells rather than on lines of its own
    lead: str = ""  # the answer's start, written on the question's line after it


def details_blocks(lines: Sequence[str], skip: Sequence[bool]) -> dict[int, tuple[int, bool]]:
    """``{opening line: (closing line, is an answer block)}`` for each ``<details>`` block.

    An answer block is one whose summary is a label such as "Show Answer". A block that is never
    closed ends where the next block opens.
    """
    blocks: dict[int, tuple[int, bool]] = {}
    opens = [i for i, line in enumerate(lines) if not skip[i] and DETAILS_OPEN.match(line)]
    for n, i in enumerate(opens):
        limit = opens[n + 1] if n + 1 < len(opens) else len(lines)
        depth, close = 0, limit - 1
        for j in range(i, len(lines)):
            if skip[j]:
                continue
            line = lines[j]
            depth += len(DETAILS_OPEN_ANY.findall(line)) - len(DETAILS_CLOSE.findall(line))
            if depth <= 0:
                close = j
                break
            if j + 1 >= limit and depth == 1:
                close = limit - 1
                break
        blocks[i] = (close, _is_answer_block(lines, i))
    return blocks


def _is_answer_block(lines: Sequence[str], i: int) -> bool:
    for j in range(i, min(len(lines), i + 3)):
        m = re.search(r"<summary\b[^>]{0,200}>(.{0,200}?)</summary", lines[j], re.I)
        if m:
            return bool(ANSWER_LABEL.match(plain_short(m.group(1))))
    return False


def main_spans(
    chosen: Sequence[Candidate],
    lines: Sequence[str],
    skip: Sequence[bool],
    details: dict[int, tuple[int, bool]],
    headings: Sequence[Candidate] = (),
) -> list[Span]:
    """Spans of the items marked by the file's question shape, and of the follow-up questions among
    ``headings`` (the file's other plain headings): a deeper heading that asks, with prose under it
    ("#### What about private images?" under "### Will my images still work?"), is a question of its
    own, whose answer runs on to where its parent's would have ended."""
    follow = {h.line: h for h in headings if not h.kind and h.level <= 6 and _asks_with_answer(h, lines, skip)}
    starts = [c.line if c.opener < 0 else c.opener for c in chosen] + [len(lines)]
    answer_blocks = sorted(i for i, (_, answer) in details.items() if answer)
    section_level = _section_level(chosen, lines, skip)
    ends = [_heading_end(c, nxt, lines, skip, section_level) for c, nxt in zip(chosen, starts[1:])]
    below = _writes_below(lines, skip, [(c, e, e == nxt < len(lines)) for c, e, nxt in zip(chosen, ends, starts[1:])])
    spans = []
    for c, nxt, end in zip(chosen, starts[1:], ends):
        if c.found_by.answer == "in-details":  # the answer follows </summary>, up to </details>
            close = details[c.opener][0] if c.opener in details else nxt - 1
            end = min(close, nxt - 1)
            spans.append(Span(c.line, c.number, c.text, (0, 0), (c.last, end + 1), end, c.shape, lead=c.inline))
            continue
        k = bisect_right(answer_blocks, c.last)
        block = answer_blocks[k] if k < len(answer_blocks) and answer_blocks[k] < nxt else None
        if block is not None:
            close = min(details[block][0], nxt - 1)
            q_end = block
            while q_end > c.last + 1 and _label_only(lines[q_end - 1]):
                q_end -= 1  # "#### Answer" over the block labels it, and is no part of the question
            question, answer = (c.last + 1, q_end), (block, close + 1)
            spans.append(Span(c.line, c.number, c.text, question, answer, close, c.shape, lead=c.inline))
            continue
        label, end = _label_and_end(lines, skip, c, end, asked_next=end == nxt < len(lines), below=below)
        if not c.kind and c.level <= 6 and "-" not in c.shape:  # numbered questions keep their sub-headings
            ups = [follow[k] for k in range(c.last + 1, end) if k in follow and follow[k].level > c.level]
            for up, after in zip(ups, [*(u.line for u in ups[1:]), end]):
                spans.append(Span(up.line, None, up.text, (0, 0), (up.last + 1, after), after - 1, up.shape))
            if ups:
                end = ups[0].line
        q_extra, a0, marked = (0, 0), c.last + 1, False
        if label is not None:
            a0, marked = _answer_start(lines, a0, label)
        elif c.kind == "q":  # "Q:" questions may run on over several lines up to an "A:" line
            mark = next((k for k in range(c.last + 1, end) if ANSWER_MARK.match(lines[k])), None)
            if mark is not None:
                q_extra, a0, marked = (c.last + 1, mark), mark, True
        spans.append(Span(c.line, c.number, c.text, q_extra, (a0, end), end - 1, c.shape, marked, lead=c.inline))
    return spans


def _label_only(line: str) -> bool:
    """A blank line, or one that only labels an answer: "#### Answer", "**Answer:**"."""
    m = HEADING.match(line)
    text = line[m.end() :] if m else line
    return not text.strip() or bool(ANSWER_LINE.match(text) or ANSWER_LABEL.match(plain_short(text).strip()))


def _heading_end(c: Candidate, nxt: int, lines: Sequence[str], skip: Sequence[bool], section_level: int) -> int:
    """Where ``c``'s answer ends at the latest: the next question ``nxt``, or a heading before it that closes
    ``c``'s section."""
    for k in range(c.last + 1, nxt):
        m = None if skip[k] else HEADING.match(lines[k])
        if m and len(m.group(1)) <= (c.level if c.level <= 6 else section_level):
            return k
        if m and c.kind == "q" and c.level <= 6 and q_marked(lines[k][m.end() :]):
            return k  # a deeper "Q." heading is the next question, not a sub-heading of this answer
    return nxt


def _section_level(chosen: Sequence[Candidate], lines: Sequence[str], skip: Sequence[bool]) -> int:
    """The deepest heading level that ends an answer, for questions that are not headings.

    (Under a heading question of level L, headings of level L or higher end the answer and deeper
    ones are its sub-headings.) Headings found right above a question, with only blank lines
    between, are section titles; headings as high as the deepest of those end answers, deeper ones
    stay inside. With no such heading, any heading ends an answer.
    """
    levels = set()
    previous = -1
    for c in chosen:
        for k in range(c.line - 1, previous, -1):
            if skip[k] or not lines[k].strip() or is_block_html(lines[k].strip()):
                continue
            m = HEADING.match(lines[k])
            if m:
                levels.add(len(m.group(1)))
            break
        previous = c.line
    return max(levels) if levels else 6


def _answer_label(lines: Sequence[str], skip: Sequence[bool], start: int, end: int, with_text: bool) -> int | None:
    """The line of an item's answer label, when its first line after the question is one: "- Answer:" or
    "**Answer**" alone on its line, or with ``with_text`` (a list item, whose label is often followed by
    its answer: "- A: It is ..."), a label and text. A list item's answer starts there though the label is
    not indented ("1. **What is a GAN?**", then "- Answer:" and the answer indented under it), and the
    label is no part of the answer. ``None`` when the first line is anything else."""
    for k in range(start, end):
        if skip[k] or not lines[k].strip():
            continue
        return k if ANSWER_LINE.match(lines[k]) or (with_text and ANSWER_MARK.match(lines[k])) else None
    return None


def _label_and_end(
    lines: Sequence[str], skip: Sequence[bool], c: Candidate, end: int, asked_next: bool, below: bool = False
) -> tuple[int | None, int]:
    """The line of ``c``'s answer label (:func:`_answer_label`) and where its answer ends: at ``end``, or for
    a list item where its indented continuation ends, counted from after the label. ``asked_next``: the next
    question starts at ``end``; ``below``: the file writes its answers unindented below its list items
    (:func:`_writes_below`)."""
    if c.found_by.answer != "indented":
        return _answer_label(lines, skip, c.last + 1, end, with_text=False), end
    label, start, list_end = _list_answer(lines, skip, c, end)
    # text written unindented below a list item, up to the next question, is its answer too ("1. How
    # many ways ...?", a blank line, "(6_2)*(4_1) = 60 ways"; "Answer: several reasons:" and a bullet
    # list at the margin): nobody else's, and dropped otherwise. It stops at a heading or a rule, which
    # open something else. Prose after the last question of a list is the page's own, unless the file
    # writes its answers below its items and this item has nothing indented under it
    if list_end < end and (asked_next or (below and _nothing_indented(lines, skip, start, list_end))):
        return label, next((k for k in range(list_end, end) if _is_boundary(lines[k], skip[k])), end)
    return label, list_end


def _list_answer(lines: Sequence[str], skip: Sequence[bool], c: Candidate, end: int) -> tuple[int | None, int, int]:
    """A list item's answer label (:func:`_answer_label`), the line after it (or after the item), and where its
    indented continuation ends (:func:`_list_answer_end`)."""
    label = _answer_label(lines, skip, c.last + 1, end, with_text=True)
    start = c.last + 1 if label is None else label + 1
    return label, start, _list_answer_end(lines, skip, start, end)


def _nothing_indented(lines: Sequence[str], skip: Sequence[bool], start: int, end: int) -> bool:
    return all(skip[k] or not lines[k].strip() for k in range(start, end))


def _writes_below(lines: Sequence[str], skip: Sequence[bool], items: Sequence[tuple[Candidate, int, bool]]) -> bool:
    """Some list item of ``items`` (each with where its answer may end, and whether the next question starts
    there) has nothing indented under it and prose below it before the next question: the file writes its
    answers below its items ("- **How do I save a checkpoint?**", a blank line, the answer at the margin)."""
    for c, end, asked_next in items:
        if not asked_next or c.found_by.answer != "indented":
            continue
        _, start, list_end = _list_answer(lines, skip, c, end)
        if list_end < end and _nothing_indented(lines, skip, start, list_end):
            return True
    return False


def _answer_start(lines: Sequence[str], start: int, label: int | None) -> tuple[int, bool]:
    """Where an answer starts, and whether its first line opens with a label to drop: a label line alone
    is dropped whole, "A: text" keeps its text."""
    if label is None:
        return start, False
    return (label + 1, False) if ANSWER_LINE.match(lines[label]) else (label, True)


def _list_answer_end(lines: Sequence[str], skip: Sequence[bool], start: int, end: int) -> int:
    """A list item's answer is its indented continuation."""
    for k in range(start, end):
        if skip[k]:
            continue
        s = lines[k]
        if s.strip() and not s.startswith((" ", "\t")):
            return k
    return end


def orphan_spans(
    lines: Sequence[str],
    skip: Sequence[bool],
    details: dict[int, tuple[int, bool]],
    taken: Sequence[bool],
) -> list[Span]:
    """Answer blocks ("Show Answer") outside every item: the text just above is their question."""
    out = []
    for i, (close, is_answer) in sorted(details.items()):
        if not is_answer or taken[i]:
            continue
        q0 = i
        while q0 > 0 and not taken[q0 - 1] and not _is_boundary(lines[q0 - 1], skip[q0 - 1]):
            q0 -= 1
        while q0 < i and not lines[q0].strip():
            q0 += 1
        if q0 == i or not plain_text("\n".join(lines[q0:i])):
            continue
        question, answer = (q0 + 1, i), (i, close + 1)
        out.append(Span(q0, None, lines[q0].strip(), question, answer, close, "details"))
    return out


def _is_boundary(line: str, skipped: bool) -> bool:
    s = line.strip()
    return (
        not skipped
        and bool(SEPARATOR.match(s) or HEADING.match(line) or DETAILS_CLOSE.search(s))
    )


def cover(taken: list[bool], spans: Sequence[Span]) -> None:
    for s in spans:
        for k in range(s.line, s.end + 1):
            taken[k] = True


def _asks_with_answer(c: Candidate, lines: Sequence[str], skip: Sequence[bool]) -> bool:
    """A heading that ends with "?" and has prose under it before the next heading."""
    if not plain_short(c.text).rstrip().endswith("?"):
        return False
    for k in range(c.last + 1, len(lines)):
        if skip[k] or HEADING.match(lines[k]):
            return False
        if lines[k].strip():
            return True
    return False


def _fills_gap(c: Candidate, numbered: Sequence[Candidate]) -> bool:
    """A numbered heading of another level whose number is the one missing from the questions
    around it (question 1 above, question 3 below, or none below): one question typed at the wrong
    heading level. A numbered section title restarts or breaks the run instead."""
    if c.number is None or not c.base.startswith("h") or not numbered:
        return False
    k = bisect_right([q.line for q in numbered], c.line)
    if k == 0 or numbered[k - 1].number != c.number - 1:
        return False
    return k == len(numbered) or numbered[k].number == c.number + 1


def secondary_spans(
    cands: Sequence[Candidate],
    main_shape: str,
    lines: Sequence[str],
    skip: Sequence[bool],
    taken: Sequence[bool],
) -> list[Span]:
    """Questions of another shape found outside every item, such as a list of questions that
    have no answers. Plain headings outside items are sections, unless the file's questions
    are plain headings too and this one asks (ends with "?") with prose under it: "## What is
    X?" over a file of "### ...?" questions. Where the questions are numbered, an unnumbered
    heading is none of them, and a numbered one at another level that asks is one of them when its
    number is the one missing between its neighbours."""
    outside: dict[str, list[Candidate]] = {}
    asking: set[int] = set()  # lines of headings that ask, each taken on its own
    numbered = [c for c in cands if c.shape == main_shape and c.number is not None]
    for c in cands:
        if c.shape == main_shape or taken[c.line]:
            continue
        if _fills_gap(c, numbered) and question_like(c.text):
            asking.add(c.line)
        if c.kind == "q" and c.level <= 6 and main_shape.endswith("-q"):
            asking.add(c.line)  # "Q." marks a question at any heading level
        if not c.kind and c.found_by.plain_is_section:
            if "-" in main_shape or not _asks_with_answer(c, lines, skip):
                continue
            asking.add(c.line)
        outside.setdefault(c.shape, []).append(c)
    starts = sorted(
        [c.line for cs in outside.values() for c in cs]
        + [k for k in range(len(taken)) if taken[k] and (k == 0 or not taken[k - 1])]
    )
    out = []
    for shape, cs in outside.items():
        good = [c for c in cs if c.kind == "q" or question_like(c.text)]
        if len(good) < 2 or len(good) < 0.8 * len(cs):
            good = [c for c in cs if c.line in asking]
        for c in good:
            k = bisect_right(starts, c.line)
            nxt = starts[k] if k < len(starts) else len(lines)
            end = nxt
            for k in range(c.last + 1, nxt):
                if not skip[k] and HEADING.match(lines[k]):
                    end = k
                    break
            label, end = _label_and_end(lines, skip, c, end, asked_next=end == nxt < len(lines))
            a0, marked = _answer_start(lines, c.last + 1, label)
            out.append(Span(c.line, c.number, c.text, (0, 0), (a0, end), end - 1, shape, marked, lead=c.inline))
    return out
