"""Shapes of the line that starts a question, and :func:`detect`, which finds every line of a
bank that has one of them.

Banks come in many shapes. Rather than one pattern per bank, every line (outside code fences and
HTML comments) is offered to a few generic line-shape detectors:

- a heading, plain (``h3``), numbered (``h2-num``: ``## 1. ...``) or prefixed
  (``h3-q``: ``### Q: ...``);
- a line that is all bold (``bold``: ``**Question? 👶**``) or numbered bold
  (``bold-num``: ``**1)** ...``);
- a ``<summary>`` (``summary``), unless it only labels a hidden answer ("Show Answer");
- a numbered list item (``list-num``) or a bullet that is all bold (``list-bold``);
- a paragraph opening with ``Q:`` (``para-q``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg.parse.lines import (
    ANSWER_LABEL,
    DETAILS_OPEN,
    HEADING,
    SUMMARY,
    SUMMARY_END,
    strip_closing_hashes,
)
from kg.parse.plaintext import plain_short

_NUMBER = re.compile(r"(\d{1,4})[.):]\s+(?=\S)")
_Q_PREFIX = re.compile(
    r"(?:\*\*|__)?(?:Q|Question)[ \t]*(\d{1,4})?[ \t]*[:.)](?:\*\*|__)?[ \t]*(?=\S)", re.I
)
_ORDERED = re.compile(r"( {0,3})(\d{1,4})[.)][ \t]+(?=\S)")
_BULLET = re.compile(r"( {0,3})[-*+][ \t]+(?=\S)")


_QUESTION_WORDS = frozenset(
    """what what's whats why how how's when where which who whom whose is are was were can could
    do does did should would will shall may might must have has explain describe define compare
    contrast give list name tell write implement calculate compute find derive prove state discuss
    suggest differentiate distinguish identify outline mention provide design estimate evaluate
    create build draw complete true assume suppose given consider imagine print return count check
    remove sort reverse select convert solve predict choose summarize summarise interpret justify
    analyze analyse illustrate elaborate enumerate walk show""".split()
)


@dataclass(frozen=True)
class Candidate:
    """A line that could start a question: where, what shape, and the question it would hold."""

    line: int  # 0-based index of the line holding the question text
    last: int  # last line of the marker (a <summary> may span lines)
    base: str  # h1..h6, bold, summary, list, para
    kind: str  # "", "num" or "q"
    number: int | None
    text: str  # question markdown without the structural marker
    opener: int = -1  # for summaries: line of the enclosing <details>

    @property
    def shape(self) -> str:
        return f"{self.base}-{self.kind}" if self.kind else self.base

    @property
    def level(self) -> int:
        return int(self.base[1]) if self.base[0] == "h" else 7


def _number_or_q(text: str) -> tuple[str, int | None, str]:
    """Split a leading ``N.`` or ``Q:``/``Q1.`` marker off question text."""
    m = _NUMBER.match(text)
    if m:
        return "num", int(m.group(1)), text[m.end() :]
    m = _Q_PREFIX.match(text)
    if m:
        return "q", int(m.group(1)) if m.group(1) else None, text[m.end() :]
    return "", None, text


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


def detect(lines: Sequence[str], skip: Sequence[bool]) -> list[Candidate]:
    """Every line that has the shape of a question start."""
    out: list[Candidate] = []
    for i, line in enumerate(lines):
        if skip[i]:
            continue
        s = line.strip()
        if not s:
            continue
        c = _detect_line(lines, i, line, s)
        if c is not None and not _is_link_only(c.text) and plain_short(c.text):
            out.append(c)
    return out


def _detect_line(lines: Sequence[str], i: int, line: str, s: str) -> Candidate | None:
    m = HEADING.match(line)
    if m:
        kind, number, text = _number_or_q(strip_closing_hashes(line[m.end() :]))
        return Candidate(i, i, f"h{len(m.group(1))}", kind, number, text)
    m = SUMMARY.match(line)
    if m:
        rest, last = line[m.end() :], i
        while not SUMMARY_END.search(rest) and last + 1 < len(lines) and last - i < 20:
            last += 1
            rest += "\n" + lines[last]
        text = SUMMARY_END.split(rest, maxsplit=1)[0].strip()
        if not SUMMARY_END.search(rest):
            text, last = line[m.end() :].strip(), i
        text = _unwrap_bold(text)
        if ANSWER_LABEL.match(plain_short(text)):
            return None
        kind, number, text = _number_or_q(text)
        opener = i if DETAILS_OPEN.match(line) else _previous_details(lines, i)
        return Candidate(i, last, "summary", kind, number, text, opener)
    m = _ORDERED.match(line)
    if m:
        return Candidate(i, i, "list", "num", int(m.group(2)), line[m.end() :].strip())
    m = _BULLET.match(line)
    if m:
        bold = _bold_line(line[m.end() :].strip())
        if bold and not _has_words(bold[1]):
            return Candidate(i, i, "list", "bold", None, _rejoin(bold))
        return None
    bold = _bold_line(s)
    if bold:
        inner, rest = bold
        number_only = re.fullmatch(r"(\d{1,4})[.):]?", inner)
        if number_only:  # **1)** Question text
            number = int(number_only.group(1))
            return Candidate(i, i, "bold", "num", number, rest) if rest else None
        kind, number, text = _number_or_q(inner)
        if not _has_words(rest):  # **Question? 👶**, **1. Question?**, **Q: Question?**
            return Candidate(i, i, "bold", kind, number, _rejoin((text, rest)))
        if kind:  # **1) Title**. Question text: keep the bold title, drop its number
            opener = re.match(r"\*\*|__|<b>|<strong>", s, re.I).group()
            text = opener + _number_or_q(s[len(opener) :])[2]
            return Candidate(i, i, "bold", kind, number, text)
    kind, number, text = _number_or_q(s)
    if kind == "q":
        return Candidate(i, i, "para", "q", number, text)
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


def question_like(text: str) -> bool:
    """Does this read as a question: a '?' or a question word or imperative up front?"""
    plain = plain_short(text)[:400]
    if "?" in plain:
        return True
    m = re.match(r"[^\w]*([A-Za-z']+)", plain)
    return bool(m) and m.group(1).lower() in _QUESTION_WORDS
