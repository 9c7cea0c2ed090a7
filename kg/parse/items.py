"""Spans to :class:`~kg.model.QAItem` records, and their ids.

Each item keeps two versions of its text: ``question``/``answer`` hold the source markdown, trimmed,
for display; ``question_text``/``answer_text`` hold :func:`~kg.parse.plaintext.plain_text` of it,
for NLP. Ids are ``<stem>-<number>`` when every item of a file has a distinct number, else
``<stem>-<first six words of the question>``, with ``-2``, ``-3`` on repeats; ``<stem>`` is the file
name without suffix, with ``_`` between words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kg.model import QAItem
from kg.parse.lines import (
    ANSWER_MARK,
    DETAILS_CLOSE,
    DETAILS_OPEN,
    HEADING,
    SEPARATOR,
    SUMMARY,
    SUMMARY_END,
    TABLE_RULE,
    fence_mask,
    split_lines,
)
from kg.parse.plaintext import plain_short, plain_text
from kg.parse.spans import Span

_TRAILING_BREAKS = re.compile(r"(?:\s*<br\s*/?>)+$", re.I)
_TRIM = re.compile(r"(?:<br\s*/?>|<hr\s*/?>|<details\b[^>]*>|</details>|</?p>|\s)*$", re.I)
# its text may hold a bracketed mark: "[[↑] Back to top](#git)"
_NAV_LINK = re.compile(r"\[(?:[^\[\]\n]|\[[^\[\]\n]{0,20}\]){0,200}\]\(([^()\s]{0,500})\)")
# a link target with nothing in it: "<a id="chain"></a>", "<a name="q12"></a>"
_EMPTY_ANCHOR = re.compile(r"<a\s+(?:name|id)\s*=[^<>]{0,300}>\s*</a>", re.I)


_HTML_NAV_LINK = re.compile(r"<a\s[^<>]{0,300}?href=[\"']?([^\"'\s<>]{0,500})[^<>]{0,300}>[^<>]{0,200}</a>", re.I)
# Tags that only lay text out; an image or a table is content, so it is not among them.
_LAYOUT_TAG = re.compile(r"</?(?:div|p|span|b|strong|em|i|center|small|sup|sub)\b[^<>]{0,300}>", re.I)


def _is_trim_line(s: str) -> bool:
    """Lines dropped at either end of an answer: rules, breaks, layout tags and empty link targets alone on
    their line, and navigation links ("[Back to top](#toc)", "[[↑] Back to top](#git)", or the same as an HTML
    link in a right-aligned div)."""
    if not s or SEPARATOR.match(s) or _TRIM.fullmatch(s) or TABLE_RULE.fullmatch(s):
        return True
    links = _NAV_LINK.findall(s) + _HTML_NAV_LINK.findall(s)
    rest = _LAYOUT_TAG.sub("", _EMPTY_ANCHOR.sub("", _HTML_NAV_LINK.sub("", _NAV_LINK.sub("", s))))
    if not links and not rest.strip():
        return True
    return bool(links) and not re.search(r"\w", rest) and all(
        t.startswith("#") or t.startswith("./") or t.endswith((".md", ".markdown")) for t in links
    )


def _block(lines: Sequence[str], a: int, b: int) -> str:
    """Lines [a, b) as markdown: ends trimmed, common indent and <details>/<summary> removed."""
    body = list(lines[a:b])
    if body and DETAILS_OPEN.match(body[0]):
        body[0] = re.sub(r"^\s*<details\b[^>]{0,500}>", "", body[0], flags=re.I)
    for k, line in enumerate(body[:3]):  # drop a leading summary, keep what follows it
        m = SUMMARY_END.search(line)
        if m:
            body = [re.sub(r"^\s*(?:<br\s*/?>)+", "", line[m.end() :])] + body[k + 1 :]
            break
        if line.strip() and not SUMMARY.match(line):
            break
    if body:
        parts = DETAILS_CLOSE.split(body[-1], maxsplit=1)
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


_WORD = re.compile(r"\w")

# The answer's own number before it, as its question has one ("**Q10. ...?**" then "A10. When you ..."):
# a label, not a name ("A10" would be read as a concept). A capital may follow at once ("A3.Replication").
_NUMBERED_ANSWER = re.compile(
    r"[ \t]*(?:\*\*|__)?(?:A|Ans|Answer)[ \t]?(\d{1,4})(?:[.:)](?:\*\*|__)?|(?:\*\*|__)[.:)]?)"
    r"(?:[ \t]+|$|(?=[A-Z][a-z]))",
    re.I,
)


def without_answer_number(line: str, number: int | None) -> str:
    """``line`` without an answer label carrying ``number``, the number of the question it answers.

    >>> without_answer_number("**A10.** Limit the query time.", 10), without_answer_number("A10. Yes.", 9)
    ('Limit the query time.', 'A10. Yes.')
    >>> without_answer_number("A4 paper is used.", 4), without_answer_number("A3.Replication lags.", 3)
    ('A4 paper is used.', 'Replication lags.')
    """
    m = _NUMBERED_ANSWER.match(line) if number is not None else None
    return line[m.end() :] if m and int(m.group(1)) == number else line


def _told_apart(numbers: Sequence[int | None]) -> list[int | None]:
    """The items' numbers, without those of a run of items that all carry the same one: a list written
    "1." before each item (markdown counts it up by itself), or a section's number before each of its
    questions; the number tells them apart no more than none would ("Q1." before each).

    >>> _told_apart([1, 2, 3, 1, 1, 1, None, 1, 4, 4])
    [1, 2, 3, None, None, None, None, 1, None, None]
    """
    out = list(numbers)
    for k, n in enumerate(numbers):
        if n is not None and ((k > 0 and numbers[k - 1] == n) or (k + 1 < len(numbers) and numbers[k + 1] == n)):
            out[k] = None
    return out


def make_items(
    spans: Sequence[Span], lines: Sequence[str], source: str, prefix: str
) -> list[QAItem]:
    items = []
    numbers = _told_apart([s.number for s in spans])
    for s, number in zip(spans, numbers, strict=True):
        # "<b>Q:</b> Why?<br>": the break ends the line; 'Why? <a name="q21"></a>': a link's target, not a word
        q = _EMPTY_ANCHOR.sub("", _TRAILING_BREAKS.sub("", s.question.strip())).strip() or s.question.strip()
        if s.q_extra[1] > s.q_extra[0]:
            more = _block(lines, *s.q_extra)
            q = f"{q}\n{more}".strip() if more else q
        body = list(lines[s.answer[0] : s.answer[1]])
        if s.marked and body:
            body[0] = ANSWER_MARK.sub("", body[0], count=1)
        first = next((k for k, line in enumerate(body) if line.strip()), None)
        if first is not None:  # the label opens the answer's first line, after any blank ones
            body[first] = without_answer_number(body[first], s.number)
        a = s.answer_cell if s.answer_cell is not None else _block(body, 0, len(body))
        if s.lead:  # "1)What is Git? ->Git is ...": the line's rest opens the answer, the lines under it go on
            a = f"{s.lead}\n{a}" if a else s.lead
        a_text = plain_text(without_references(a))
        if _PLACEHOLDER.fullmatch(a_text):
            a_text = ""  # a placeholder is no answer, and would make unrelated items look alike
        question_text = plain_short(q)
        if not _WORD.search(question_text) and not a_text.strip():
            continue  # a heading kept for a question not written yet ("### ?"): nothing to read or compare
        items.append(
            QAItem(
                id="",
                number=number,
                question=q,
                answer=a,
                source=source,
                line=s.line + 1,
                question_text=question_text,
                answer_text=a_text,
            )
        )
    return _assign_ids(items, prefix)


# A heading over a list of references and links, which name pages rather than say anything of the answer.
_REFERENCES = re.compile(
    r"(?:references?|further reading|bibliography|citations|see also|(?:additional|useful|external|more) "
    r"(?:links|resources|reading)|read more|learn more)\s*:?",
    re.I,
)


def without_references(markdown: str) -> str:
    r"""``markdown`` without its sections of references: a heading that names them ("###### References",
    "##### Additional links", "### Further reading") and what follows it up to the next heading as high.

    Their titles ("MDN docs for closures", "Cambridge University Press", "ISBN") are no concepts of the
    answer; the answer shown keeps them (this is for its NLP text).

    >>> without_references("ReLU is cheap.\n\n### References\n\n- Glorot et al., ISBN 978\n\n## Next\nMore.")
    'ReLU is cheap.\n\n## Next\nMore.'
    >>> without_references("```md\n## See also\n```\nText.")
    '```md\n## See also\n```\nText.'
    """
    if "#" not in markdown:
        return markdown
    lines = split_lines(markdown)
    skip = fence_mask(lines)
    kept, cut_at = [], 0  # cut_at: the level of the references heading being cut, 0 when none
    for line, fenced in zip(lines, skip, strict=True):
        m = None if fenced else HEADING.match(line)
        if m and cut_at and len(m.group(1)) <= cut_at:
            cut_at = 0
        if m and _REFERENCES.fullmatch(line[m.end() :].strip().strip("#*_ ").strip()):
            cut_at = len(m.group(1))
        if not cut_at:
            kept.append(line)
    return "\n".join(kept).strip() if len(kept) < len(lines) else markdown


# Ids


def slug_words(text: str, n: int | None = None) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(words[:n] if n else words)


def stem_prefix(source: str) -> str:
    return slug_words(Path(source).stem.replace("_", " ")).replace("-", "_") or "bank"


def _assign_ids(items: Sequence[QAItem], prefix: str) -> list[QAItem]:
    """``<stem>-<number>`` when every item of the file has a number and no two share one,
    else ``<stem>-<first six words>``; repeats get ``-2``, ``-3``.

    Numbers are used file-wide or not at all, so that adding one item never switches the ids of
    the others between the two styles.
    """
    numbers = [i.number for i in items]
    by_number = None not in numbers and len(set(numbers)) == len(numbers)
    ids = [
        f"{prefix}-{i.number if by_number else slug_words(i.question_text, 6) or 'item'}"
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


def unique_ids(items: Sequence[QAItem]) -> list[QAItem]:
    new = _dedupe([i.id for i in items])
    return [i if i.id == n else replace(i, id=n) for i, n in zip(items, new)]
