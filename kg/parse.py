"""Read markdown question banks into :class:`~kg.model.QAItem` records.

Banks come in many shapes. Rather than one pattern per bank, every line (outside code fences and
HTML comments) is offered to a few generic line-shape detectors:

- a heading, plain (``h3``), numbered (``h2-num``: ``## 1. ...``) or prefixed
  (``h3-q``: ``### Q: ...``);
- a line that is all bold (``bold``: ``**Question? 👶**``) or numbered bold
  (``bold-num``: ``**1)** ...``);
- a ``<summary>`` (``summary``), unless it only labels a hidden answer ("Show Answer");
- a numbered list item (``list-num``) or a bullet that is all bold (``list-bold``);
- a paragraph opening with ``Q:`` (``para-q``).

Per file, the shape with the best score (how many, how many read as questions, how many number in
sequence, how many are followed by an answer; list items weigh less) becomes the file's question
marker. Everything else is answer, section context or introduction: a heading that is not the
question shape is a section title (dropped) or, when deeper than the question, a sub-heading kept
in the answer. Then two kinds of stragglers are picked up: answer blocks (``<details>`` with a
"Show Answer" summary) outside every item take the paragraph above as their question, and questions
of another shape outside every item (a list of questions without answers) are kept when nearly
all of them read as questions.

Each item keeps two versions of its text: ``question``/``answer`` hold the source markdown, trimmed,
for display; ``question_text``/``answer_text`` hold :func:`plain_text` of it, for NLP. Ids are
``<stem>-<number>`` when every item of a file has a distinct number, else ``<stem>-<first six words
of the question>``, with ``-2``, ``-3`` on repeats; ``<stem>`` is the file name without suffix, with
``_`` between words.

Examples
--------
>>> items = parse_text("Hi.\\n\\n## 1. What is X?\\nX is a thing.\\n\\n## 2. Why Y?\\nBecause.\\n")
>>> [(i.id, i.number, i.question, i.answer, i.line) for i in items]
[('string-1', 1, 'What is X?', 'X is a thing.', 3), ('string-2', 2, 'Why Y?', 'Because.', 6)]
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from kg.errors import ParseError
from kg.model import QAItem

log = logging.getLogger("kg.parse")

__all__ = ["parse_file", "parse_paths", "parse_text", "plain_text"]

_SUFFIXES = (".md", ".markdown")
_NO_QUESTION = (
    "no question found; expected numbered or 'Q:' headings, bold question lines, "
    "<summary> blocks or numbered list items"
)

# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------


def parse_text(text: str, source: str = "<string>") -> list[QAItem]:
    """Parse one bank held in a string.

    Parameters
    ----------
    text : str
        The markdown of one bank. A leading byte-order mark and CRLF line endings are accepted.
    source : str
        Name of the file the text came from; it goes into each item's ``source`` and id.

    Returns
    -------
    list of QAItem
        The questions in file order. Empty (with a log line) when ``text`` is blank.

    Raises
    ------
    ParseError
        When the text is not blank but holds nothing that looks like a question.

    Examples
    --------
    >>> [i.question_text for i in parse_text("**What is a tensor? 👶**\\n\\nAn array.\\n")]
    ['What is a tensor?']
    >>> parse_text("  \\n")
    []
    """
    return _parse(text, source, _stem_prefix(source))[0]


def parse_file(path: str | Path) -> list[QAItem]:
    """Parse one bank file.

    Parameters
    ----------
    path : str or Path
        A markdown file, read as UTF-8.

    Returns
    -------
    list of QAItem

    Raises
    ------
    ParseError
        When the file is missing, unreadable, not UTF-8 (pointing at the line of the first bad byte)
        or holds no question.

    Examples
    --------
    >>> parse_file("no/such/bank.md")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: no/such/bank.md: file not found
    """
    return _parse(_read(Path(path)), str(path), _stem_prefix(str(path)))[0]


def parse_paths(paths: Iterable[str | Path]) -> tuple[list[QAItem], list[ParseError]]:
    """Parse several files and folders, going on past files that fail.

    A folder stands for every ``*.md``/``*.markdown`` file below it (recursively, sorted), except
    files named ``LICENSE*``. Ids are unique across the whole call: when two files share a stem, the
    parent folder's name is put in front.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders.

    Returns
    -------
    items : list of QAItem
        Items of all files that parsed, in file order.
    errors : list of ParseError
        One per file (or folder) that could not be used.

    Notes
    -----
    Time is linear in the size of the input: the 26 files and 1,309 questions of the largest real
    bank take about 0.3 s of CPU (``bench/bank_counts.py`` prints the figure).

    Examples
    --------
    >>> items, errors = parse_paths(["no/such/folder"])
    >>> items, [str(e) for e in errors]
    ([], ['no/such/folder: file not found'])
    """
    files: list[Path] = []
    errors: list[ParseError] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.suffix.lower() in _SUFFIXES and f.is_file() and not _is_licence(f)
            )
            if not found:
                errors.append(ParseError("folder holds no .md or .markdown file", p))
            files.extend(found)
        else:
            files.append(p)
    unique: dict[Path, Path] = {}  # a file named twice (or inside two folders given) is read once
    for f in files:
        unique.setdefault(f.resolve(), f)
    files = list(unique.values())

    stems = Counter(_stem_prefix(str(f)) for f in files)
    items: list[QAItem] = []
    for f in files:
        prefix = _stem_prefix(str(f))
        if stems[prefix] > 1:
            prefix = f"{_slug_words(f.parent.name) or 'root'}-{prefix}"
        try:
            items.extend(_parse(_read(f), str(f), prefix)[0])
        except ParseError as e:
            errors.append(e)
    return drop_boilerplate(_unique_ids(items)), errors


def _opening(line: str, words: int) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", line.lower())[:words])


def drop_boilerplate(items: Sequence[QAItem], *, words: int = 5, min_items: int = 10, min_share: float = 0.02) -> list[QAItem]:
    r"""Remove answer lines that a bank repeats as a template, from the text used for NLP.

    Banks grown by copy and paste fill empty answers with one stock line ("Direct Solution:
    Analytical solution and mathematical formulation for <the question>"). Such a line says nothing
    about its question, yet it makes every templated answer look alike and its words look like the
    bank's main concepts. A line counts as a template when its first *words* words open that many
    answers: at least *min_items* and *min_share* of the bank. The display text keeps the line.

    Examples
    --------
    >>> mk = lambda i, a: QAItem(str(i), i, f"Q{i}?", a, "b.md", i, f"Q{i}?", a)
    >>> bank = [mk(i, f"Stock answer line for question number {i}.\nReal point {i}.") for i in range(10)]
    >>> drop_boilerplate(bank, min_items=10)[3].answer_text
    'Real point 3.'
    >>> drop_boilerplate(bank[:9], min_items=10)[3].answer_text == bank[3].answer_text
    True
    """
    counts: Counter[str] = Counter()
    for item in items:
        openings = {_opening(line, words) for line in item.answer_text.splitlines()}
        counts.update(o for o in openings if len(o.split()) == words)
    floor = max(min_items, min_share * len(items))
    stock = {o for o, n in counts.items() if n >= floor}
    if not stock:
        return list(items)
    log.info("dropping %d template answer line(s) from NLP text: %s", len(stock), "; ".join(sorted(stock)))
    out = []
    for item in items:
        lines = item.answer_text.splitlines()
        kept = [line for line in lines if _opening(line, words) not in stock]
        out.append(item if len(kept) == len(lines) else replace(item, answer_text="\n".join(kept).strip()))
    return out


def plain_text(markdown: str) -> str:
    """Markdown/HTML to plain prose for NLP.

    Drops fenced code, images, HTML comments, link targets, bare URLs, display math and LaTeX that
    has no plain reading; keeps link text, inline code, table cell text and simple inline math
    (``$L_1$`` becomes ``L1``). Removes emphasis marks, HTML tags, emoji and ``:shortcode:`` emoji,
    and runs of three or more asterisks used as markers. Lines of one paragraph are joined; blocks
    (paragraphs, list items, headings, table cells) end up on lines of their own.

    Parameters
    ----------
    markdown : str

    Returns
    -------
    str

    Examples
    --------
    >>> plain_text("**What is [L1](https://x.org/l1) ($L_1$) <b>loss</b>? 👶 ***")
    'What is L1 (L1) loss?'
    >>> plain_text("Text\\n```python\\nx = 1\\n```\\n![img](a.png)\\n- item `code`")
    'Text\\nitem code'
    """
    lines = _split_lines(markdown)
    skip = [False] * len(lines)
    if len(lines) > 1:  # one line holds no block; inline rules below cover ``$$x$$`` there
        skip = _fence_mask(lines)
        _mask_comments(lines, skip)
        _mask_display_math(lines, skip)
    blocks: list[str] = []
    joinable = False  # may the next plain line continue the previous block?
    for line, skipped in zip(lines, skip):
        if skipped:
            joinable = False
            continue
        s = line.strip()
        if (
            not s
            or _SEPARATOR.match(s)
            or _TABLE_RULE.match(s)
            or _REF_DEF.match(s)
            or _FENCE.fullmatch(s)  # an unclosed fence or display-math mark
            or s == "$$"
        ):
            joinable = False
            continue
        block_start = True
        if s.startswith("|"):
            cells = [_clean_inline(c) for c in s.strip("|").split("|")]
            # one line per cell: a row is no sentence, and "Criteria, Uses X" must not read as "criteria use X"
            text = "\n".join(c for c in cells if c)
        else:
            m = _HEADING.match(s)
            if m:
                s = _strip_closing_hashes(s[m.end() :])
            else:
                s = _BLOCKQUOTE.sub("", s)
                m = _LIST_MARK.match(s)
                if m:
                    s = s[m.end() :]
                else:
                    block_start = not joinable
            text = _clean_inline(s)
        if not text:
            continue
        if block_start or not blocks:
            blocks.append(text)
        else:
            blocks[-1] = f"{blocks[-1]} {text}"
        joinable = not _is_block_html(s)
    return "\n".join(blocks)


# --------------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------------


def _is_licence(path: Path) -> bool:
    return path.name.upper().startswith(("LICENSE", "LICENCE"))


def _read(path: Path) -> str:
    """The text of ``path``, or a ParseError saying why it cannot be had."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError("file not found", path) from None
    except IsADirectoryError:
        raise ParseError("is a folder; pass folders to parse_paths", path) from None
    except OSError as e:
        raise ParseError(f"cannot read file: {e.strerror or e}", path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        offset = e.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line_start = data.rfind(b"\n", 0, offset) + 1
        raise ParseError(
            f"not valid UTF-8 (byte 0x{data[offset]:02x} at column {offset - line_start + 1}); "
            "save the file as UTF-8",
            path,
            line=data.count(b"\n", 0, offset) + 1,
        ) from None


def _split_lines(text: str) -> list[str]:
    # Not str.splitlines: it also splits on form feeds and U+2028, which would put line numbers
    # out of step with what an editor shows.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --------------------------------------------------------------------------------------------------
# Line shapes
# --------------------------------------------------------------------------------------------------

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_NUMBER = re.compile(r"(\d{1,4})[.):]\s+(?=\S)")
_Q_PREFIX = re.compile(
    r"(?:\*\*|__)?(?:Q|Question)[ \t]*(\d{1,4})?[ \t]*[:.)](?:\*\*|__)?[ \t]*(?=\S)", re.I
)
_ORDERED = re.compile(r"( {0,3})(\d{1,4})[.)][ \t]+(?=\S)")
_BULLET = re.compile(r"( {0,3})[-*+][ \t]+(?=\S)")
_LIST_MARK = re.compile(r"(?:[-*+]|\d{1,4}[.)])[ \t]+")
_BLOCKQUOTE = re.compile(r"^(?:>[ \t]?)+")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_SEPARATOR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|={3,})$")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?$")
_REF_DEF = re.compile(r"\[[^\]\n]{1,200}\]:[ \t]*\S+$")
_DETAILS_OPEN = re.compile(r"[ \t]*<details\b", re.I)
_DETAILS_OPEN_ANY = re.compile(r"<details\b", re.I)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.I)
_SUMMARY = re.compile(r"[ \t]*(?:<details\b[^>]{0,200}>[ \t]*)?<summary\b[^>]{0,200}>", re.I)
_SUMMARY_END = re.compile(r"</summary\s*>", re.I)
_ANSWER_MARK = re.compile(
    r"[ \t]*(?:\*\*|__)?(?:A|Ans|Answer)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*", re.I
)
_BLOCK_HTML = re.compile(r"</?(?:details|summary|table|tr|td|th|p|div|ul|ol|li|br|hr|img)\b", re.I)
# Summaries that only label a hidden answer ("💡 Show Answer", "Solution", "Click to expand").
_ANSWER_LABEL = re.compile(
    r"(?:(?:show|see|view|reveal|click|toggle|expand|here|to|the|for|me)\s+){0,4}"
    r"(?:answers?|solutions?|explanations?|details|hints?|expand)\b[\s.:!]*$",
    re.I,
)
_QUESTION_WORDS = frozenset(
    """what what's whats why how how's when where which who whom whose is are was were can could
    do does did should would will shall may might must have has explain describe define compare
    contrast give list name tell write implement calculate compute find derive prove state discuss
    suggest differentiate distinguish identify outline mention provide design estimate evaluate
    create build draw complete true assume suppose given consider imagine print return count check
    remove sort reverse select convert solve predict choose summarize summarise interpret justify
    analyze analyse illustrate elaborate enumerate walk show""".split()
)
_LIST_BASES = ("list",)


@dataclass(frozen=True)
class _Candidate:
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


def _fence_mask(lines: Sequence[str]) -> list[bool]:
    """True for lines of fenced code blocks (fences included). Unclosed fences are ignored."""
    mask = [False] * len(lines)
    bare: dict[str, list[tuple[int, int]]] = {"`": [], "~": []}  # char -> [(line, run length)]
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m and not line[m.end() :].strip():
            bare[m.group(1)[0]].append((i, len(m.group(1))))
    unclosable = {"`": 10**9, "~": 10**9}  # shortest run already known to have no closer
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and len(m.group(1)) < unclosable[m.group(1)[0]]:
            char, length = m.group(1)[0], len(m.group(1))
            closers = bare[char]
            k = bisect_right(closers, (i, 10**9))
            j = next((j for j, n in closers[k:] if n >= length), None)
            if j is None:
                unclosable[char] = length
            else:
                mask[i : j + 1] = [True] * (j + 1 - i)
                i = j
        i += 1
    return mask


def _mask_until(
    lines: Sequence[str], mask: list[bool], opens, closer: str, same_line: bool
) -> None:
    """Mark from each unmasked line that ``opens`` a block to the next line holding ``closer``."""
    closes = [j for j, line in enumerate(lines) if closer in line]
    i = 0
    while i < len(lines):
        if not mask[i] and opens(lines[i]):
            k = bisect_right(closes, i if not same_line else i - 1)
            if k < len(closes):
                j = closes[k]
                mask[i : j + 1] = [True] * (j + 1 - i)
                i = j
        i += 1


def _mask_comments(lines: Sequence[str], mask: list[bool]) -> None:
    """Mark lines of multi-line HTML comments (a line that only opens one, to its close)."""
    _mask_until(
        lines, mask, lambda s: s.lstrip().startswith("<!--") and "-->" not in s, "-->", False
    )


def _mask_display_math(lines: Sequence[str], mask: list[bool]) -> None:
    """Mark display math: ``$$`` lines to their closing ``$$`` and ``\\begin{..}``/``\\end{..}``."""
    for i, line in enumerate(lines):
        s = line.strip()
        if len(s) > 4 and s.startswith("$$") and s.endswith("$$") and "$$" not in s[2:-2]:
            mask[i] = True
    _mask_until(lines, mask, lambda s: s.strip().startswith("$$"), "$$", False)
    _mask_until(lines, mask, lambda s: s.strip().startswith("\\begin{"), "\\end{", True)


def _strip_closing_hashes(s: str) -> str:
    s = s.strip()
    t = s.rstrip("#")
    return t.rstrip() if t != s and (not t or t[-1] in " \t") else s


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


def _detect(lines: Sequence[str], skip: Sequence[bool]) -> list[_Candidate]:
    """Every line that has the shape of a question start."""
    out: list[_Candidate] = []
    for i, line in enumerate(lines):
        if skip[i]:
            continue
        s = line.strip()
        if not s:
            continue
        c = _detect_line(lines, i, line, s)
        if c is not None and not _is_link_only(c.text) and _plain_short(c.text):
            out.append(c)
    return out


def _detect_line(lines: Sequence[str], i: int, line: str, s: str) -> _Candidate | None:
    m = _HEADING.match(line)
    if m:
        kind, number, text = _number_or_q(_strip_closing_hashes(line[m.end() :]))
        return _Candidate(i, i, f"h{len(m.group(1))}", kind, number, text)
    m = _SUMMARY.match(line)
    if m:
        rest, last = line[m.end() :], i
        while not _SUMMARY_END.search(rest) and last + 1 < len(lines) and last - i < 20:
            last += 1
            rest += "\n" + lines[last]
        text = _SUMMARY_END.split(rest, maxsplit=1)[0].strip()
        if not _SUMMARY_END.search(rest):
            text, last = line[m.end() :].strip(), i
        text = _unwrap_bold(text)
        if _ANSWER_LABEL.match(_plain_short(text)):
            return None
        kind, number, text = _number_or_q(text)
        opener = i if _DETAILS_OPEN.match(line) else _previous_details(lines, i)
        return _Candidate(i, last, "summary", kind, number, text, opener)
    m = _ORDERED.match(line)
    if m:
        return _Candidate(i, i, "list", "num", int(m.group(2)), line[m.end() :].strip())
    m = _BULLET.match(line)
    if m:
        bold = _bold_line(line[m.end() :].strip())
        if bold and not _has_words(bold[1]):
            return _Candidate(i, i, "list", "bold", None, _rejoin(bold))
        return None
    bold = _bold_line(s)
    if bold:
        inner, rest = bold
        number_only = re.fullmatch(r"(\d{1,4})[.):]?", inner)
        if number_only:  # **1)** Question text
            number = int(number_only.group(1))
            return _Candidate(i, i, "bold", "num", number, rest) if rest else None
        kind, number, text = _number_or_q(inner)
        if not _has_words(rest):  # **Question? 👶**, **1. Question?**, **Q: Question?**
            return _Candidate(i, i, "bold", kind, number, _rejoin((text, rest)))
        if kind:  # **1) Title**. Question text: keep the bold title, drop its number
            opener = re.match(r"\*\*|__|<b>|<strong>", s, re.I).group()
            text = opener + _number_or_q(s[len(opener) :])[2]
            return _Candidate(i, i, "bold", kind, number, text)
    kind, number, text = _number_or_q(s)
    if kind == "q":
        return _Candidate(i, i, "para", "q", number, text)
    return None


def _rejoin(bold: tuple[str, str]) -> str:
    inner, rest = bold
    return f"{inner} {rest}".strip() if rest else inner


def _has_words(tail: str) -> bool:
    """Does the text after a bold opening hold prose (not just emoji, markers or punctuation)?"""
    return bool(tail) and bool(re.search(r"[^\W\d_]{2,}", _plain_short(tail)))


@lru_cache(maxsize=8192)
def _plain_short(text: str) -> str:
    """:func:`plain_text` of question-sized strings, which are cleaned several times."""
    return plain_text(text)


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
        if _DETAILS_OPEN.match(lines[j]):
            return j
        if lines[j].strip():
            break
    return -1


def _marker(text: str) -> str:
    """The symbols a question ends with, such as a difficulty emoji or ``***`` ('' if none)."""
    m = re.search(r"[^\w\s?.!:;,)\]\"'`*_]+\W*$", text.replace("\u200d", "").replace("\ufe0f", ""))
    return re.sub(r"\s+", "", m.group()) if m else ""


def _question_like(text: str) -> bool:
    """Does this read as a question: a '?' or a question word or imperative up front?"""
    plain = _plain_short(text)[:400]
    if "?" in plain:
        return True
    m = re.match(r"[^\w]*([A-Za-z']+)", plain)
    return bool(m) and m.group(1).lower() in _QUESTION_WORDS


# --------------------------------------------------------------------------------------------------
# Picking the question shape of a file
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ShapeStats:
    """How much the candidates of one shape look like the questions of a bank."""

    shape: str
    count: int
    question_like: float  # share of candidates that read as questions
    sequential: float  # share of consecutive numbers that go up by one or restart at 1
    answered: float  # share followed by some content before the next of the same shape
    score: float


def _shape_stats(cands: Sequence[_Candidate], lines: Sequence[str]) -> list[_ShapeStats]:
    """Score every shape found, best first."""
    by_shape: dict[str, list[_Candidate]] = {}
    for c in cands:
        by_shape.setdefault(c.shape, []).append(c)
    stats = []
    for shape, cs in by_shape.items():
        qlike = sum(c.kind == "q" or _question_like(c.text) for c in cs) / len(cs)
        numbers = [c.number for c in cs]
        if all(n is not None for n in numbers):
            steps = list(zip(numbers, numbers[1:]))
            # Counting up by one, or starting again at 1 in a new section.
            counted = sum(b == a + 1 or (b == 1 < a) for a, b in steps)
            sequential = counted / len(steps) if steps else 1.0
        else:
            sequential = 0.0
        ends = [c.line for c in cs[1:]] + [len(lines)]
        answered = sum(
            any(lines[k].strip() for k in range(c.last + 1, end)) for c, end in zip(cs, ends)
        ) / len(cs)
        # A numbered run of headings or bold lines counts as evidence of questions even when the
        # titles are terse ("14. Expected value"). Not for list items: any list counts up.
        evidence = qlike
        if cs[0].base not in _LIST_BASES and sequential >= 0.6:
            evidence = max(evidence, sequential)
        if shape.endswith("-q"):
            evidence = 1.0
        weight = 0.6 if cs[0].base in _LIST_BASES else 1.0
        score = len(cs) * evidence * (0.5 + 0.5 * answered) * weight if evidence >= 0.5 else 0.0
        stats.append(_ShapeStats(shape, len(cs), qlike, sequential, answered, score))
    return sorted(stats, key=lambda s: (-s.score, s.shape))


# --------------------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """One item before ids, as line ranges of the file (0-based, end excluded)."""

    line: int
    number: int | None
    question: str  # the question on the marker line
    q_extra: tuple[int, int]  # more question lines after the marker (details-style banks)
    answer: tuple[int, int]
    end: int  # last line that belongs to the item
    shape: str
    marked: bool = False  # the answer opens with an "A:" marker to drop


@dataclass(frozen=True)
class _Analysis:
    """What :func:`_parse` decided about a file (bench/bank_counts.py prints it)."""

    items: list[QAItem]
    shape: str  # the dominant question shape
    extra: dict[str, int]  # other shapes taken as questions, with counts
    stats: list[_ShapeStats]


def _parse(text: str, source: str, prefix: str) -> tuple[list[QAItem], _Analysis]:
    """Items of one bank, ids starting with ``prefix``, and how the bank was read."""
    if not text.removeprefix("\ufeff").strip():
        log.info("%s: empty bank, no items", source)
        return [], _Analysis([], "", {}, [])
    lines = _split_lines(text)
    skip = _fence_mask(lines)
    _mask_comments(lines, skip)
    cands = _detect(lines, skip)
    stats = _shape_stats(cands, lines)
    if not stats or stats[0].score <= 0:
        raise ParseError(_NO_QUESTION, source)
    top = stats[0]
    chosen = [c for c in cands if c.shape == top.shape]
    if chosen[0].kind == "" and top.question_like < 0.9:
        # Plain headings or bold lines that mix questions and topics: the topics are sections
        # (or bold lead-ins inside answers), unless they end with a marker that questions carry.
        markers = {_marker(c.text) for c in chosen if _question_like(c.text)} - {""}
        chosen = [c for c in chosen if _question_like(c.text) or _marker(c.text) in markers]
    details = _details_blocks(lines, skip)
    spans = _main_spans(chosen, lines, skip, details)
    taken = [False] * len(lines)  # lines that belong to an item
    _cover(taken, spans)
    orphans = _orphan_spans(lines, skip, details, taken)
    _cover(taken, orphans)
    extras = _secondary_spans(cands, top.shape, lines, skip, taken)
    all_spans = sorted(spans + orphans + extras, key=lambda s: s.line)
    items = _make_items(all_spans, lines, source, prefix)
    extra = Counter(s.shape for s in orphans + extras)
    log.debug("%s: %d items, question shape %s, also %s", source, len(items), top.shape, extra)
    return items, _Analysis(items, top.shape, dict(extra), stats)


def _details_blocks(lines: Sequence[str], skip: Sequence[bool]) -> dict[int, tuple[int, bool]]:
    """``{opening line: (closing line, is an answer block)}`` for each ``<details>`` block.

    An answer block is one whose summary is a label such as "Show Answer". A block that is never
    closed ends where the next block opens.
    """
    blocks: dict[int, tuple[int, bool]] = {}
    opens = [i for i, line in enumerate(lines) if not skip[i] and _DETAILS_OPEN.match(line)]
    for n, i in enumerate(opens):
        limit = opens[n + 1] if n + 1 < len(opens) else len(lines)
        depth, close = 0, limit - 1
        for j in range(i, len(lines)):
            if skip[j]:
                continue
            line = lines[j]
            depth += len(_DETAILS_OPEN_ANY.findall(line)) - len(_DETAILS_CLOSE.findall(line))
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
            return bool(_ANSWER_LABEL.match(_plain_short(m.group(1))))
    return False


def _main_spans(
    chosen: Sequence[_Candidate],
    lines: Sequence[str],
    skip: Sequence[bool],
    details: dict[int, tuple[int, bool]],
) -> list[_Span]:
    """Spans of the items marked by the file's question shape."""
    starts = [c.line if c.opener < 0 else c.opener for c in chosen] + [len(lines)]
    answer_blocks = sorted(i for i, (_, answer) in details.items() if answer)
    section_level = _section_level(chosen, lines, skip)
    spans = []
    for c, nxt in zip(chosen, starts[1:]):
        if c.base == "summary":  # the answer follows </summary>, up to the </details>
            close = details[c.opener][0] if c.opener in details else nxt - 1
            end = min(close, nxt - 1)
            spans.append(_Span(c.line, c.number, c.text, (0, 0), (c.last, end + 1), end, c.shape))
            continue
        k = bisect_right(answer_blocks, c.last)
        block = answer_blocks[k] if k < len(answer_blocks) and answer_blocks[k] < nxt else None
        if block is not None:
            close = min(details[block][0], nxt - 1)
            question, answer = (c.last + 1, block), (block, close + 1)
            spans.append(_Span(c.line, c.number, c.text, question, answer, close, c.shape))
            continue
        end = nxt
        for k in range(c.last + 1, nxt):
            m = None if skip[k] else _HEADING.match(lines[k])
            if m and len(m.group(1)) <= (c.level if c.level <= 6 else section_level):
                end = k
                break
        if c.base == "list":
            end = _list_answer_end(lines, skip, c.last + 1, end)
        q_extra, a0, marked = (0, 0), c.last + 1, False
        if c.kind == "q":  # "Q:" questions may run on over several lines up to an "A:" line
            mark = next((k for k in range(c.last + 1, end) if _ANSWER_MARK.match(lines[k])), None)
            if mark is not None:
                q_extra, a0, marked = (c.last + 1, mark), mark, True
        spans.append(_Span(c.line, c.number, c.text, q_extra, (a0, end), end - 1, c.shape, marked))
    return spans


def _section_level(chosen: Sequence[_Candidate], lines: Sequence[str], skip: Sequence[bool]) -> int:
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
            if skip[k] or not lines[k].strip() or _is_block_html(lines[k].strip()):
                continue
            m = _HEADING.match(lines[k])
            if m:
                levels.add(len(m.group(1)))
            break
        previous = c.line
    return max(levels) if levels else 6


def _list_answer_end(lines: Sequence[str], skip: Sequence[bool], start: int, end: int) -> int:
    """A list item's answer is its indented continuation."""
    for k in range(start, end):
        if skip[k]:
            continue
        s = lines[k]
        if s.strip() and not s.startswith((" ", "\t")):
            return k
    return end


def _orphan_spans(
    lines: Sequence[str],
    skip: Sequence[bool],
    details: dict[int, tuple[int, bool]],
    taken: Sequence[bool],
) -> list[_Span]:
    """Answer blocks ("Show Answer") outside every item: the text just above is their question."""
    out = []
    for i, (close, answer) in sorted(details.items()):
        if not answer or taken[i]:
            continue
        q0 = i
        while q0 > 0 and not taken[q0 - 1] and not _is_boundary(lines[q0 - 1], skip[q0 - 1]):
            q0 -= 1
        while q0 < i and not lines[q0].strip():
            q0 += 1
        if q0 == i or not plain_text("\n".join(lines[q0:i])):
            continue
        question, answer = (q0 + 1, i), (i, close + 1)
        out.append(_Span(q0, None, lines[q0].strip(), question, answer, close, "details"))
    return out


def _is_boundary(line: str, skipped: bool) -> bool:
    s = line.strip()
    return (
        not skipped
        and bool(_SEPARATOR.match(s) or _HEADING.match(line) or _DETAILS_CLOSE.search(s))
    )


def _cover(taken: list[bool], spans: Sequence[_Span]) -> None:
    for s in spans:
        for k in range(s.line, s.end + 1):
            taken[k] = True


def _secondary_spans(
    cands: Sequence[_Candidate],
    main_shape: str,
    lines: Sequence[str],
    skip: Sequence[bool],
    taken: Sequence[bool],
) -> list[_Span]:
    """Questions of another shape found outside every item, such as a list of questions that
    have no answers. Plain headings are never taken here: outside items they are sections."""
    outside: dict[str, list[_Candidate]] = {}
    for c in cands:
        if c.shape != main_shape and not taken[c.line] and (c.kind or c.base[0] != "h"):
            outside.setdefault(c.shape, []).append(c)
    starts = sorted(
        [c.line for cs in outside.values() for c in cs]
        + [k for k in range(len(taken)) if taken[k] and (k == 0 or not taken[k - 1])]
    )
    out = []
    for shape, cs in outside.items():
        good = [c for c in cs if c.kind == "q" or _question_like(c.text)]
        if len(good) < 2 or len(good) < 0.8 * len(cs):
            continue
        for c in good:
            k = bisect_right(starts, c.line)
            nxt = starts[k] if k < len(starts) else len(lines)
            end = nxt
            for k in range(c.last + 1, nxt):
                if not skip[k] and _HEADING.match(lines[k]):
                    end = k
                    break
            if c.base == "list":
                end = _list_answer_end(lines, skip, c.last + 1, end)
            out.append(_Span(c.line, c.number, c.text, (0, 0), (c.last + 1, end), end - 1, shape))
    return out


_TRIM = re.compile(r"(?:<br\s*/?>|<hr\s*/?>|<details\b[^>]*>|</details>|</?p>|\s)*$", re.I)


_NAV_LINK = re.compile(r"\[[^\[\]\n]{0,200}\]\(([^()\s]{0,500})\)")


def _is_trim_line(s: str) -> bool:
    """Lines dropped at either end of an answer: rules, breaks, and navigation links."""
    if not s or _SEPARATOR.match(s) or _TRIM.fullmatch(s) or _TABLE_RULE.fullmatch(s):
        return True
    links = _NAV_LINK.findall(s)
    rest = _NAV_LINK.sub("", s)
    return bool(links) and not re.search(r"\w", rest) and all(
        t.startswith("#") or t.startswith("./") or t.endswith((".md", ".markdown")) for t in links
    )


def _block(lines: Sequence[str], a: int, b: int) -> str:
    """Lines [a, b) as markdown: ends trimmed, common indent and <details>/<summary> removed."""
    body = list(lines[a:b])
    if body and _DETAILS_OPEN.match(body[0]):
        body[0] = re.sub(r"^\s*<details\b[^>]{0,500}>", "", body[0], flags=re.I)
    for k, line in enumerate(body[:3]):  # drop a leading summary, keep what follows it
        m = _SUMMARY_END.search(line)
        if m:
            body = [re.sub(r"^\s*(?:<br\s*/?>)+", "", line[m.end() :])] + body[k + 1 :]
            break
        if line.strip() and not _SUMMARY.match(line):
            break
    if body:
        parts = _DETAILS_CLOSE.split(body[-1], maxsplit=1)
        body[-1] = parts[0] if len(parts) > 1 else body[-1]
    while body and _is_trim_line(body[0].strip()):
        body.pop(0)
    while body and _is_trim_line(body[-1].strip()):
        body.pop()
    indents = [len(x) - len(x.lstrip()) for x in body if x.strip()]
    cut = min(indents, default=0)
    return "\n".join(x[cut:].rstrip() for x in body)


_PLACEHOLDER = re.compile(
    r"(?:answer here|to be completed|todo|tbd|tba|coming soon|work in progress|wip|n/?a)[.!]?",
    re.I,
)


def _make_items(
    spans: Sequence[_Span], lines: Sequence[str], source: str, prefix: str
) -> list[QAItem]:
    items = []
    for s in spans:
        q = s.question.strip()
        if s.q_extra[1] > s.q_extra[0]:
            more = _block(lines, *s.q_extra)
            q = f"{q}\n{more}".strip() if more else q
        body = list(lines[s.answer[0] : s.answer[1]])
        if s.marked and body:
            body[0] = _ANSWER_MARK.sub("", body[0], count=1)
        a = _block(body, 0, len(body))
        a_text = plain_text(a)
        if _PLACEHOLDER.fullmatch(a_text):
            a_text = ""  # a placeholder is no answer, and would make unrelated items look alike
        items.append(
            QAItem(
                id="",
                number=s.number,
                question=q,
                answer=a,
                source=source,
                line=s.line + 1,
                question_text=_plain_short(q),
                answer_text=a_text,
            )
        )
    return _assign_ids(items, prefix)


# --------------------------------------------------------------------------------------------------
# Ids
# --------------------------------------------------------------------------------------------------


def _slug_words(text: str, n: int | None = None) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(words[:n] if n else words)


def _stem_prefix(source: str) -> str:
    return _slug_words(Path(source).stem.replace("_", " ")).replace("-", "_") or "bank"


def _assign_ids(items: Sequence[QAItem], prefix: str) -> list[QAItem]:
    """``<stem>-<number>`` when every item of the file has a number and no two share one,
    else ``<stem>-<first six words>``; repeats get ``-2``, ``-3``.

    Numbers are used file-wide or not at all, so that adding one item never switches the ids of
    the others between the two styles.
    """
    numbers = [i.number for i in items]
    by_number = None not in numbers and len(set(numbers)) == len(numbers)
    ids = [
        f"{prefix}-{i.number if by_number else _slug_words(i.question_text, 6) or 'item'}"
        for i in items
    ]
    return [replace(item, id=new) for item, new in zip(items, _dedupe(ids))]


def _dedupe(ids: Sequence[str]) -> list[str]:
    seen: Counter[str] = Counter()
    used = set(ids)
    out = []
    for i in ids:
        seen[i] += 1
        new = i
        if seen[i] > 1:
            n = seen[i]
            while f"{i}-{n}" in used:
                n += 1
            new = f"{i}-{n}"
            used.add(new)
        out.append(new)
    return out


def _unique_ids(items: Sequence[QAItem]) -> list[QAItem]:
    new = _dedupe([i.id for i in items])
    return [i if i.id == n else replace(i, id=n) for i, n in zip(items, new)]


# --------------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------------

# Contents exclude their own opening character where they can, and repeats are bounded, so that
# no pattern rescans a long line from every position (lines of 20,000+ characters do occur).
_CODE_SPAN = re.compile(r"(?<!`)(`{1,16})(?!`)(.{1,2000}?)(?<!`)\1(?!`)")
_URL_PART = r"\((?:[^()\n]|\([^()\n]{0,200}\)){0,1000}\)"
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]" + _URL_PART)
_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]" + _URL_PART)
_REF_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,200}\]")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]{1,2000}>", re.I)
_URL = re.compile(r"\bhttps?://\S{1,2000}", re.I)
_IMG_TAG = re.compile(r"<img\b[^<>]{0,2000}>", re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,2000})?/?>")
_BR = re.compile(r"<br\s*/?>", re.I)
_DISPLAY_MATH = re.compile(r"\$\$[^$\n]{0,3000}\$\$")
_PAREN_MATH = re.compile(r"\\\(((?:[^\\\n]|\\(?![()])){0,1000})\\\)")
_INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]{1,500}?)(?<=[^\s\\])\$(?![\d$])")
# Second chance for math written loosely (``$x = 1 $``): only when the span holds TeX signs.
_LOOSE_MATH = re.compile(r"(?<![\\$])\$([^$\n]{1,300}?)\$(?!\$)")
_TEX_SIGNS = re.compile(r"[\\^_{}=]")
_TEX_LEFTOVER = re.compile(r"\\[A-Za-z]+")
_CODE_NOISE = re.compile(r"\*\*|</?(?:a|b|i|em|strong|code|sup|sub|span|u)\b[^<>]{0,500}>", re.I)
_STRONG = re.compile(
    r"\*\*(?=\S)((?:[^*\n]|\*(?!\*)){1,500}?)(?<=\S)\*\*"
    r"|__(?=\S)((?:[^_\n]|_(?!_)){1,500}?)(?<=\S)__"
)
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,2000}?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,2000}?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)((?:[^~\n]|~(?!~)){1,500}?)(?<=\S)~~")
_STARS = re.compile(r"\*{2,}")  # unpaired bold marks and "***" markers
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>$])")
_SHORTCODE = re.compile(r"(?<![\w:]):[a-z][a-z0-9_+-]{1,40}:(?![\w:])")
_SPACES = re.compile(r"[ \t\u00a0]+")
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi "
    "Psi Omega"
).split()
_TEX_WORDS = {
    **{g: g for g in _GREEK},
    "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=", "neq": "!=", "ne": "!=", "approx": "~",
    "times": "x", "cdot": "*", "pm": "+-", "infty": "infinity", "log": "log", "ln": "ln",
    "exp": "exp", "in": "in", "to": "->", "rightarrow": "->", "sim": "~", "mid": "|",
    "ldots": "...", "dots": "...", "cdots": "...", "quad": " ", "qquad": " ", ",": " ", ";": " ",
    "max": "max", "min": "min", "sum": "sum", "prod": "prod", "partial": "d", "nabla": "grad",
}
_TEX_TEXT = re.compile(
    r"\\(?:text|mathrm|mathbf|mathit|mathcal|operatorname|textbf|textit)\{([^{}]{0,200})\}"
)
_TEX_CMD = re.compile(r"\\([A-Za-z]+|[,;])")


def _math_to_text(expr: str) -> str:
    """A plain reading of simple inline TeX (``L_1``, ``\\alpha = 0.5``); '' when there is none."""
    s = _TEX_TEXT.sub(r"\1", expr)
    unknown = False

    def word(m: re.Match) -> str:
        nonlocal unknown
        w = _TEX_WORDS.get(m.group(1))
        if w is None:
            unknown = True
            return ""
        return f" {w} " if w.isalpha() else w

    s = _TEX_CMD.sub(word, s)
    if unknown:
        return ""
    s = s.replace("{", "").replace("}", "").replace("_", "")
    s = _SPACES.sub(" ", s).strip()
    return s if re.search(r"\w", s) else ""


_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\uFE0E\uFE0F\u200D\u20E3\u2300-\u23FF\u2460-\u24FF"
    "\u25A0-\u25FF\u2600-\u27BF\u2B00-\u2BFF\u3030\u303D\u3297\u3299]"
)


def _drop_comments(s: str) -> str:
    out, pos = [], 0
    while (i := s.find("<!--", pos)) >= 0:
        j = s.find("-->", i + 4)
        if j < 0:
            break
        out.append(s[pos:i] + " ")
        pos = j + 3
    return "".join(out) + s[pos:]


def _clean_prose(s: str) -> str:
    # Each step only runs when its trigger character is there: most lines are plain prose.
    if "<" in s:
        s = _drop_comments(s)
        s = _AUTOLINK.sub(" ", s)
        s = _BR.sub(" ", s)
        s = _IMG_TAG.sub(" ", s)
        s = _TAG.sub("", s)
    if "$" in s or "\\" in s:
        s = _DISPLAY_MATH.sub(" ", s)
        s = _PAREN_MATH.sub(lambda m: _math_to_text(m.group(1)), s)
        s = _INLINE_MATH.sub(lambda m: _math_to_text(m.group(1)), s)
        s = _LOOSE_MATH.sub(
            lambda m: _math_to_text(m.group(1)) if _TEX_SIGNS.search(m.group(1)) else m.group(0), s
        )
        s = _TEX_LEFTOVER.sub(" ", s)
    if "://" in s:
        s = _URL.sub(" ", s)
    if "*" in s or "_" in s or "~" in s:
        for _ in range(2):  # twice for nested emphasis: ***x*** and **_x_**
            before = s
            s = _STRONG.sub(lambda m: m.group(1) or m.group(2), s)
            s = _EM_STAR.sub(r"\1", s)
            s = _EM_UNDER.sub(r"\1", s)
            if s == before:
                break
        s = _STRIKE.sub(r"\1", s)
        s = _STARS.sub(" ", s)
    if "\\" in s:
        s = _ESCAPE.sub(r"\1", s)
    if ":" in s:
        s = _SHORTCODE.sub(" ", s)
    return s


def _clean_inline(s: str) -> str:
    if "[" in s:
        s = _IMAGE.sub(" ", s)
        s = _LINK.sub(r"\1", s)
        s = _REF_LINK.sub(r"\1", s)
    if "`" in s:
        parts = []
        pos = 0
        for m in _CODE_SPAN.finditer(s):
            parts.append(_clean_prose(s[pos : m.start()]))
            parts.append(_CODE_NOISE.sub("", m.group(2)).strip())
            pos = m.end()
        parts.append(_clean_prose(s[pos:]))
        s = "".join(parts)
    else:
        s = _clean_prose(s)
    if "&" in s:
        s = html.unescape(s)
    if not s.isascii():
        s = _EMOJI.sub("", s)
    s = _SPACES.sub(" ", s).strip()
    # Space left before punctuation by a dropped marker or emoji ("loss ?" -> "loss?").
    return re.sub(r" ([?.,:;!)])(?=\s|$)", r"\1", s) if " " in s else s


def _is_block_html(s: str) -> bool:
    return bool(_BLOCK_HTML.match(s.strip()))
