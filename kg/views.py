"""Rows and titles that the app and the command line show: plain data built from a :class:`~kg.pipeline.Bank`.

No Streamlit and no click here, so each view is tested on its own and both front ends show the same
thing the same way.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import os
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kg.model import (
    PAIR_KINDS,
    Concept,
    Field,
    Mention,
    Pair,
    PairKind,
    QAItem,
    cnode,
    is_concept_node,
    node_id,
    qnode,
)
from kg.parse.plaintext import HTML_CODE_TAGS, display_short, plain_short, plain_text
from kg.text import DISPLAY_MATH, GREEK_LETTERS, GREEK_NAMES, INLINE_MATH, MATH, around_matches, readable_math, shorten

if TYPE_CHECKING:
    from kg.pipeline import Bank

__all__ = [
    "answer_mentions",
    "as_written",
    "escape_markdown",
    "highlighted",
    "concept_label",
    "concept_rows",
    "kind_counts",
    "Lookup",
    "mention_spans",
    "node_title",
    "pair_rows",
    "pairs_csv",
    "question_line",
    "question_parts",
    "question_title",
    "search_index",
    "shown_spans",
    "source_of",
    "where",
]


class Lookup(Protocol):
    """What naming a question or a concept needs of a bank: a built :class:`~kg.bank.Bank`, or a bank
    read from a store (``ui.storebank.StoreBank``)."""

    def item(self, item_id: str) -> QAItem | None: ...
    def concept(self, concept_id: str) -> Concept | None: ...


def question_line(item: QAItem) -> str:
    """The question as one line to show: its markdown without formatting marks, raw HTML kept as text.

    Not ``question_text``, which is made for NLP and drops tags (:func:`kg.parse.plaintext.display_text`).

    Examples
    --------
    >>> question_line(QAItem("q-1", 1, "Is <img src=x> **safe**?", "", "b.md", 1, question_text="Is safe?"))
    'Is <img src=x> safe?'
    """
    return display_short(item.question) or item.question_text


# Where a question's lead ends: a blank line, or a line opening a block of code, table, HTML or math.
_BLOCK_START = re.compile(r"[ \t]*(?:```|~~~|\||\$\$|<(?:table|div|p|pre|img|figure|center|ul|ol)\b)", re.I)
#: A title longer than this is cut: lists show titles, the question view shows the whole question.
TITLE_LIMIT = 200
_SHORT_LEAD = 60  # a lead this short ("What's the output?") is followed by the start of the rest


def question_parts(markdown: str) -> tuple[str, str]:
    r"""A question's lead (its first paragraph) and the rest (code, tables, figures, sub-questions).

    Examples
    --------
    >>> question_parts("What's the output?\n```js\nf()\n```\n- A: 1")
    ("What's the output?", '```js\nf()\n```\n- A: 1')
    >>> question_parts("A layer drops units.\n\n<table><tr><td>fig</td></tr></table>\n\nWhy?")
    ('A layer drops units.', '<table><tr><td>fig</td></tr></table>\n\nWhy?')
    >>> question_parts("What is ReLU?")
    ('What is ReLU?', '')
    """
    lines = markdown.strip().split("\n")
    for i, line in enumerate(lines):
        if i and (not line.strip() or _BLOCK_START.match(line)):
            return "\n".join(lines[:i]).strip(), "\n".join(lines[i:]).strip()
    return "\n".join(lines), ""


# An HTML table's own tags: after a short lead the title shows the table's cells, not its markup (other
# tags, such as an image, stay as text for the reader to see).
_TABLE_TAG = re.compile(r"</?(?:table|thead|tbody|tfoot|tr|td|th|caption)\b[^<>]{0,500}>", re.I)


def question_title(item: QAItem | None, limit: int = 0) -> str:
    r"""``Q<number>. <lead>``: the question's first paragraph (:func:`question_parts`) as one line, as
    :func:`question_line` shows it, and after a short lead the start of the rest; cut to ``limit``
    characters (:data:`TITLE_LIMIT` when none is given).

    Examples
    --------
    >>> item = QAItem(id="q-3", question="What is **ReLU** &lt;x&gt;?", answer="", source="bank.md", line=3,
    ...               number=3, question_text="What is ReLU?")
    >>> question_title(item), question_title(item, 10), question_title(None)
    ('Q3. What is ReLU <x>?', 'Q3. What…', '(missing question)')
    >>> quiz = QAItem("q-9", 9, "What's the output?\n```js\nlog(typeof 1)\n```", "", "b.md", 1)
    >>> question_title(quiz)
    "Q9. What's the output? — log(typeof 1)"
    >>> grid = "Separable?\n<table align='center'><tr><th>x</th><th>y</th></tr></table>"
    >>> question_title(QAItem("q-1", 1, grid, "", "b.md", 1))
    'Q1. Separable? — x y'
    """
    if item is None:
        return "(missing question)"
    lead, rest = question_parts(item.question)
    text = display_short(lead) or item.question_text
    if rest and len(text) < _SHORT_LEAD:
        text = f"{text} — {display_short(_TABLE_TAG.sub(' ', rest))}"
    text = readable_math(text)  # titles go where formulas cannot be typeset: buttons, captions, tables
    title = f"Q{item.number}. {text}" if item.number is not None else text
    return shorten(title, limit or TITLE_LIMIT)


def concept_label(bank: Lookup, concept_id: str) -> str:
    """The label of a concept, or its id when the bank has no such concept."""
    concept = bank.concept(concept_id)
    return concept.label if concept else concept_id


def node_title(bank: Lookup, node: str, limit: int = 0) -> str:
    """What a graph node is called: a concept's label, or a question's title cut to ``limit``."""
    if is_concept_node(node):
        return concept_label(bank, node_id(node))
    return question_title(bank.item(node_id(node)), limit)


def kind_counts(pairs: Iterable[Pair]) -> dict[PairKind, int]:
    """How many pairs of each kind, strongest kind first.

    Examples
    --------
    >>> kind_counts([Pair("a", "b", 0.9, "duplicate"), Pair("a", "c", 0.3, "related")])
    {'duplicate': 1, 'overlap': 0, 'related': 1}
    """
    counts: dict[PairKind, int] = dict.fromkeys(PAIR_KINDS, 0)
    for p in pairs:
        counts[p.kind] += 1
    return counts


def concept_rows(bank: Bank) -> list[dict[str, Any]]:
    """One row per concept: label, questions, questions that ask about it, topic, centrality, specificity,
    whether it is generic, aliases, id; the specific concepts first, each tier most asked first, then in the
    bank's order."""
    from kg.coverage import central_concepts

    central = {c.id: c.score for c in central_concepts(bank.graph, n=len(bank.concepts))}
    asked: dict[str, set[str]] = {}
    for m in bank.mentions:
        if m.field == "question":
            asked.setdefault(m.concept, set()).add(m.item)
    return [
        {
            "concept": c.label,
            "questions": len(c.questions),
            "asked in": len(asked.get(c.id, ())),
            "topic": bank.topics.get(c.id, ""),
            "centrality": central.get(c.id, 0.0),
            "specificity": c.specificity,
            "generic": c.generic,
            "aliases": ", ".join(c.aliases),
            "id": c.id,
        }
        for c in sorted(bank.concepts, key=lambda c: (c.generic, -len(c.questions)))
    ]


# Near spellings are looked for from this many characters: a shorter query is a letter or two from too
# many words ("gini" found "initialization" and "initial centroid")
NEAR_FROM = 5


def filter_concept_rows(rows: Sequence[dict[str, Any]], query: str, cutoff: int = 85) -> list[dict[str, Any]]:
    """The rows of :func:`concept_rows` whose label or aliases ``query`` names, best first: the label itself,
    then a label or alias that holds the query (a word that starts with it before one that holds it
    inside), then near spellings of a query of :data:`NEAR_FROM` characters
    or more (``cutoff``: the least fuzzy score kept).
    A Greek letter's name finds the letter and the letter its name ("epsilon" finds "ε-insensitive loss", "ε"
    finds "epsilon-tube").

    Examples
    --------
    >>> rows = [{"concept": c, "aliases": a} for c, a in
    ...         [("adam", ""), ("enigma machine", ""), ("sigma", ""), ("ε-tube", ""), ("L1 penalty", "lasso")]]
    >>> [r["concept"] for r in filter_concept_rows(rows, "sigma")]
    ['sigma']
    >>> [r["concept"] for r in filter_concept_rows(rows, "Epsilon") + filter_concept_rows(rows, "lasso")]
    ['ε-tube', 'L1 penalty']
    >>> [r["concept"] for r in filter_concept_rows(rows, "σ")]
    ['sigma']
    >>> [r["concept"] for r in filter_concept_rows([{"concept": "initialization", "aliases": ""}], "gini")]
    []
    >>> [r["concept"] for r in filter_concept_rows([{"concept": c, "aliases": ""} for c in
    ...                                             ("neural network", "workflow", "work")], "work")]
    ['work', 'workflow', 'neural network']
    >>> [r["concept"] for r in filter_concept_rows([{"concept": c, "aliases": ""} for c in
    ...                                             ("fp value", "SHAP value", "p-value")], "p value")]
    ['p-value', 'fp value', 'SHAP value']
    """
    from rapidfuzz import fuzz

    q = query.strip().lower()
    if not q:
        return list(rows)
    names = [q] + [GREEK_LETTERS[w] for w in (q, query.strip()) if w in GREEK_LETTERS]
    names += [GREEK_NAMES[q]] if q in GREEK_NAMES else []  # "ε": "epsilon"
    scored = []
    for row in rows:
        label = str(row["concept"]).lower()
        text = f"{label} {row['aliases']}".lower()
        if label == q or _unspaced(label) == _unspaced(q):  # "p value" and "pvalue" name "p-value"
            score = 102.0
        elif any(n in text for n in names):
            # where a word starts with the query first ("work": "workflow", then "neural network")
            score = 101.0 if any(re.search(rf"(?<![^\W_]){re.escape(n)}", text) for n in names) else 100.5
        elif len(q) >= NEAR_FROM:
            score = fuzz.partial_ratio(q, text)
        else:
            continue
        if score >= cutoff:
            scored.append((score, row))
    return [row for _, row in sorted(scored, key=lambda found: -found[0])]


def same_sentences(pair: Pair) -> int:
    """How many of a pair's matched sentences read the same word for word, case and spacing aside: the
    plainest reason two questions match, which the similarities alone do not say.

    >>> from kg.model import SentenceMatch
    >>> matches = (SentenceMatch("Order the data.", "order the  data.", 0.99), SentenceMatch("Odd.", "Even.", 0.9))
    >>> same_sentences(Pair("a", "b", 0.8, "overlap", matches=matches))
    1
    """
    return sum(" ".join(m.a.casefold().split()) == " ".join(m.b.casefold().split()) for m in pair.matches)


def _unspaced(name: str) -> str:
    """A name without the spaces, hyphens and underscores people write it with or without."""
    return re.sub(r"[\s_-]+", "", name)


# How a relation class reads between its two ends in a sentence; a class of a user's table reads as named
_RELATION_PHRASES = {
    "is_a": "is a kind of",
    "part_of": "is part of",
    "compared_with": "is compared with",
    "related": "is related to",
}


def relation_phrase(relation: str) -> str:
    """A relation class as words between its ends: "ReLU *is a kind of* activation function".

    Examples
    --------
    >>> relation_phrase("is_a"), relation_phrase("mitigates"), relation_phrase("depends_on")
    ('is a kind of', 'mitigates', 'depends on')
    """
    return _RELATION_PHRASES.get(relation, relation.replace("_", " "))


def where(item: QAItem | None, limit: int | None = None, shared: tuple[int, int] = (0, 0)) -> str:
    """``file:line`` of an item, the file by its name: where a curator goes to edit it. With ``limit``, a
    longer file name is cut so that a narrow column still shows the line: around the part that tells it
    from the other files, when ``shared`` gives how many characters it has in common with them at its
    start and at its end (:func:`shared_ends`), else in its middle.

    Examples
    --------
    >>> where(QAItem("q-3", 3, "Why?", "", "banks/ml/probability.md", 1822))
    'probability.md:1822'
    >>> where(QAItem("q-3", 3, "Why?", "", "linear_regression_and_regularization.md", 599), limit=28)
    'linear_regre…rization.md:599'
    >>> where(QAItem("q-6", 6, "Why?", "", "Chapter 5 Answers.md", 390), limit=21, shared=(8, 11))
    'Chapter 5…wers.md:390'
    """
    if item is None:
        return ""
    name, line = Path(item.source).name, f":{item.line}"
    room = None if limit is None else limit - len(line)
    if room is None or len(name) <= room or room <= 6:
        return name + line
    start = min(shared[0], len(name))
    end = max(start, len(name) - shared[1])
    own = name[start:end]
    if 0 < len(own) and len(own) + 2 <= room:  # the telling part whole, what it shares with the others cut
        before, after = name[:start], name[end:]
        if len(before) + len(own) + 1 < room:  # its start whole, its end cut
            return f"{before}{own}…{after[len(after) - (room - len(before) - len(own) - 1):]}{line}"
        if len(own) + len(after) + 1 < room:  # its end whole, its start cut
            return f"{before[: room - len(own) - len(after) - 1]}…{own}{after}{line}"
        return f"…{own}…{line}"
    head = (room - 1) // 2 + (room - 1) % 2
    return f"{name[:head]}…{name[len(name) - (room - 1 - head):]}{line}"


def shared_ends(names: Iterable[str]) -> tuple[int, int]:
    """How many characters all ``names`` share at their start and at their end (not overlapping in the
    shortest); (0, 0) for fewer than two names.

    >>> shared_ends(["Chapter 5 Answers.md", "Chapter 7 Answers.md"])
    (8, 11)
    >>> shared_ends(["a.md"])
    (0, 0)
    """
    names = sorted(set(names))
    if len(names) < 2:
        return 0, 0
    first, last = names[0], names[-1]
    start = len(os.path.commonprefix([first, last]))
    shortest = min(len(n) for n in names)
    end = len(os.path.commonprefix([n[::-1] for n in names]))
    return start, min(end, shortest - start)


def group_title(item: QAItem | None, limit: int) -> str:
    """A question in a group of duplicates: its title cut to ``limit`` characters and where it is, since
    duplicates' titles are often the same as far as they are cut.

    Examples
    --------
    >>> group_title(QAItem("q-3", 3, "What is the likelihood of a discrete random variable?", "", "ml/p.md", 18), 24)
    'Q3. What is the likelih… (p.md:18)'
    """
    return f"{question_title(item, limit)} ({where(item)})" if item is not None else question_title(item)


# Characters of ``file:line`` a pairs table's column shows whole (180 px, wide letters and all); a longer file
# name is cut in its middle (:func:`where`), so the line number stays in view
WHERE_WIDTH = 21


def pair_rows(bank: Lookup, pairs: Sequence[Pair]) -> list[dict[str, Any]]:
    """One row per pair for a table: kind, score and its parts, both questions and where they are (a file
    name cut around what tells it from the table's other files; the line alone when all are one file),
    shared concepts."""
    items = {i: bank.item(i) for p in pairs for i in (p.a, p.b)}
    names = {Path(it.source).name for it in items.values() if it is not None}
    shared = shared_ends(names)

    def place(item_id: str) -> str:
        item = items[item_id]
        if len(names) == 1 and item is not None:
            return f"line {item.line}"
        return where(item, limit=WHERE_WIDTH, shared=shared)

    return [
        {
            "kind": p.kind,
            "score": p.score,
            "wording": p.lexical,
            "meaning": p.semantic,
            "concepts": p.concept,
            "question a": question_title(items[p.a]),
            "where a": place(p.a),
            "question b": question_title(items[p.b]),
            "where b": place(p.b),
            "shared": ", ".join(concept_label(bank, c) for c in p.shared_concepts),
        }
        for p in pairs
    ]


def pairs_csv(bank: Lookup, pairs: Sequence[Pair]) -> str:
    """The pairs as CSV: ids, kind, score and its parts, both questions (:func:`question_line`), shared concept ids."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["a", "b", "kind", "score", "wording", "meaning", "concepts", "question_a", "question_b", "shared"]
        + ["source_a", "line_a", "source_b", "line_b"]
    )
    for p in pairs:
        a, b = bank.item(p.a), bank.item(p.b)
        w.writerow(
            [
                p.a,
                p.b,
                p.kind,
                p.score,
                p.lexical,
                "" if p.semantic is None else p.semantic,
                p.concept,
                question_line(a) if a else "",
                question_line(b) if b else "",
                "; ".join(p.shared_concepts),
                a.source if a else "",
                a.line if a else "",
                b.source if b else "",
                b.line if b else "",
            ]
        )
    return out.getvalue()


def search_index(bank: Bank) -> list[tuple[str, str]]:
    """``(text, node)`` for every concept label, alias and question: what a search box looks through."""
    index: list[tuple[str, str]] = []
    for c in bank.concepts:
        index.extend((text, cnode(c.id)) for text in (c.label, *c.aliases))
    index.extend((i.question_text or i.question, qnode(i.id)) for i in bank.items)
    return index


def answer_mentions(bank: Bank) -> dict[tuple[str, str], Mention]:
    """The first mention of each (concept, item) in an answer: the sentence shown under a question."""
    out: dict[tuple[str, str], Mention] = {}
    for m in bank.mentions:
        if m.field == "answer":
            out.setdefault((m.concept, m.item), m)
    return out


def mention_spans(bank: Bank, item_id: str, field: Field) -> list[tuple[int, int]]:
    """Character ranges of the concept mentions in one field of one item."""
    return [(m.start, m.end) for m in bank.mentions if m.item == item_id and m.field == field]


def shown_spans(plain: str, shown: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges ``spans`` of ``plain`` moved onto ``shown``, another text of the same words.

    Each range's text is looked for in ``shown`` after the previous one; one that is not there is left out.

    Examples
    --------
    >>> shown_spans("Is ReLU safe?", "Is <b>ReLU</b> safe?", [(3, 7), (8, 12)])
    [(6, 10), (15, 19)]
    """
    out, pos = [], 0
    for start, end in sorted(spans):
        words = plain[start:end]
        i = shown.find(words, pos) if words else -1
        if i >= 0:
            out.append((i, i + len(words)))
            pos = i + len(words)
    return out


_BLOCK_LINES = 12  # a sentence is looked for across at most this many source lines


@lru_cache(maxsize=4096)
def source_of(sentence: str, markdown: str) -> str | None:
    r"""The stretch of ``markdown`` whose plain text (:func:`~kg.parse.plaintext.plain_text`) is ``sentence``.

    A sentence of the NLP text has lost its tags, link addresses and emphasis; its source shows
    them. The stretch is found by aligning the two texts and kept only when its plain text gives
    back ``sentence`` word for word; otherwise None, never a near miss.

    Examples
    --------
    >>> source_of("Dropout reduces overfitting.", "Intro.\n\nDropout <b>reduces</b> [overfitting](http://x).")
    'Dropout <b>reduces</b> [overfitting](http://x).'
    >>> source_of("Dropout helps.", "Something else.") is None
    True
    """
    words = re.findall(r"\w+", sentence)
    if not words:
        return None
    want = " ".join(sentence.split())
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if words[0] not in line and words[0] not in plain_short(line):  # "<b>M</b>ean" reads "Mean"
            continue
        for k in range(i, min(i + _BLOCK_LINES, len(lines))):
            if k > i and not lines[k].strip():
                break  # a blank line ends the block
            found = _aligned(want, "\n".join(lines[i : k + 1]))
            if found is not None:
                return found
    return None


_ENDS_TRIED = 4  # places tried for a sentence's first and last few characters


def _aligned(want: str, source: str) -> str | None:
    """The part of ``source`` that lines up with ``want``, widened to whole words, if its plain text is ``want``."""
    if len(source) < len(want) // 2:
        return None  # markup only ever adds characters (bar entities and TeX words): too short to hold it
    blocks = [b for b in difflib.SequenceMatcher(None, want, source, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return None
    # Anchor on the long matches, and on the longest alone: a short one may be the same word
    # elsewhere ("Bias" in a heading). What precedes the anchor and follows it may be matched
    # anywhere (a "." in an address): try the nearest places where it is written out in full too.
    floor = max(3, max(b.size for b in blocks) // 4)
    long = [b for b in blocks if b.size >= floor] or blocks
    longest = max(blocks, key=lambda b: b.size)
    starts, ends = [blocks[0].b], [blocks[-1].b + blocks[-1].size]
    for first in (long[0], longest):
        head = want[: first.a]
        starts += [first.b - len(head), *_places(source, head, 0, first.b, reverse=True)]
    for last in (long[-1], longest):
        tail, after = want[last.a + last.size :], last.b + last.size
        ends += [after + len(tail), *(p + len(tail) for p in _places(source, tail, after, len(source)))]
    seen = set()
    for start in dict.fromkeys(starts):
        for end in dict.fromkeys(ends):
            for a, b in ((_word_start(source, start), _word_end(source, end)), (start, end)):
                if (a, b) in seen or not 0 <= a < b <= len(source):
                    continue
                seen.add((a, b))
                if " ".join(plain_text(source[a:b]).split()) == want:
                    return source[a:b].strip()
    return None


def _places(source: str, text: str, lo: int, hi: int, reverse: bool = False) -> list[int]:
    """Up to :data:`_ENDS_TRIED` places of ``text`` in ``source[lo:hi]``, nearest ``hi`` first when ``reverse``."""
    if not text.strip():
        return []
    found: list[int] = []
    while len(found) < _ENDS_TRIED:
        i = source.rfind(text, lo, hi) if reverse else source.find(text, lo, hi)
        if i < 0:
            break
        found.append(i)
        if reverse:
            hi = i + len(text) - 1
        else:
            lo = i + 1
    return found


def _word_start(source: str, i: int) -> int:
    """``i`` moved back over an opening mark ("**", "[", "<b>") to the start of its word."""
    while i > 0 and not source[i - 1].isspace():
        i -= 1
    return i


def _word_end(source: str, i: int) -> int:
    """``i`` moved on over a closing mark ("**", "](http://…)", "</b>") to the end of its word."""
    while i < len(source) and not source[i].isspace():
        i += 1
    return i


# ------------------------------------------------------------------------------------------------
# Bank text as markdown that shows what the bank says and loads nothing

# Every character markdown (or a Streamlit directive) gives a meaning to, "&" included so that an entity
# shows as written: bank text is data, and no image, tag or link in it may reach the browser as one.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:&])")

# What is kept as the bank wrote it: fenced code blocks, display and inline math, and code spans.
# Code and math are shown as text by the renderer (KaTeX runs without trust: no links, no images).
_FENCED = r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^[ \t]{0,3}(?P=fence)[ \t]*$"  # a fenced block
_CODE_SPAN = r"(?P<ticks>`+)[^`].*?(?P=ticks)"
_VERBATIM = re.compile(rf"(?ms){_FENCED}|{DISPLAY_MATH}|{INLINE_MATH}|{_CODE_SPAN}")
# A formula written with a space inside its dollars and a TeX command ("$p-value < \alpha $"): the renderer
# typesets it all the same, so it is kept as written too, never escaped or highlighted inside.
_LOOSE_MATH = r"(?<![\\$\w])\$[^$\n]{0,500}?\\[A-Za-z]{2,}[^$\n]{0,500}?\$"
_AS_WRITTEN = re.compile(rf"(?ms){_FENCED}|{DISPLAY_MATH}|{INLINE_MATH}|{_LOOSE_MATH}|{_CODE_SPAN}")
# A dollar the renderer may pair with the next one in its paragraph into a formula: one not escaped
_DOLLAR = re.compile(r"(?<!\\)\$")
_LINK = re.compile(r"!?\[([^\]\n]{0,300})\]\(\s*<?([^()\s>]{0,2000})>?(?:\s+\"[^\"\n]*\")?\s*\)")
_BREAK = re.compile(r"<br\s*/?>", re.I)
# Inline emphasis written as HTML, within one line: "probability <i>p</i>", "<b>Note</b>"
_EMPHASIS = re.compile(r"<(i|em|b|strong)>([^<>\n*_]{1,200})</\1>", re.I)
_URL = re.compile(r"(?i)\b(?:https?|ftp)://[^\s<>()\[\]`]+|\bwww\.[^\s<>()\[\]`]+")


def escape_markdown(text: str) -> str:
    r"""``text`` shown as it is: every markdown character escaped.

    Examples
    --------
    >>> escape_markdown("![x](http://h/i.png) <b>")
    '\\!\\[x\\]\\(http\\://h/i\\.png\\) \\<b\\>'
    """
    return _MD_SPECIAL.sub(r"\\\1", text)


def escape_outside_math(text: str) -> str:
    r"""``text`` shown as it is, but its formulas typeset: :func:`escape_markdown` outside inline and
    display math, which stays as written (as :func:`as_written` keeps it), and "$5 and $10" stays text.

    Examples
    --------
    >>> print(escape_outside_math("If *A* and $A_1$ cost $5 and $10, at $30%$"))
    If \*A\* and $A_1$ cost \$5 and \$10, at \$30%\$
    """
    return around_matches(MATH, text, escape_markdown, lambda m: _typeset(m.group(0)))


_TEX_COMMENT = re.compile(r"(?<!\\)%")


def _typeset(formula: str) -> str:
    """A formula as markdown math, unless TeX would drop part of it: in "$30%$" the "%" opens a comment,
    and the reader would see "30"; such a formula is shown as written."""
    return escape_markdown(formula) if _TEX_COMMENT.search(formula) else formula


# HTML that only lays out text and figures ("<table align='center'><tr><td><img src=… alt=…>"), which
# banks use for captioned figures. Any other tag or attribute (an event handler, a link, a script)
# leaves the tag shown as written.
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,10})((?:\s+[a-zA-Z_:][-\w:.]{0,30}(?:\s*=\s*(?:\"[^\"<>]{0,2000}\"|'[^'<>]{0,2000}'"
    r"|[^\s\"'=<>`]{1,2000}))?){0,20})\s*/?>"
)
_ATTRIBUTE = re.compile(r"([a-zA-Z_:][-\w:.]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_LAYOUT_TAGS = frozenset(
    "table thead tbody tfoot tr td th div p center figure figcaption span img b i em strong".split()
)
_BLOCK_TAGS = frozenset("table thead tbody tfoot tr div p center figure figcaption".split())
_LAYOUT_ATTRIBUTES = frozenset(
    "align valign style width height class id colspan rowspan border cellpadding cellspacing alt src title".split()
)


def _layout_tag(m: re.Match) -> str | None:
    """What a layout tag shows: an image as a markdown image (made inert below), a block's end as a
    paragraph break, anything else as nothing; ``None`` for a tag that is not only layout."""
    closing, name, attributes = m.group(1), m.group(2).lower(), m.group(3)
    if name not in _LAYOUT_TAGS:
        return None
    values = {a.group(1).lower(): next((v for v in a.groups()[1:] if v is not None), "")
              for a in _ATTRIBUTE.finditer(attributes)}  # fmt: skip
    if not set(values) <= _LAYOUT_ATTRIBUTES:
        return None
    if name == "img":
        return f"![{' '.join(values.get('alt', '').split())}]({values.get('src', '').strip()})"
    return "\n\n" if closing and name in _BLOCK_TAGS else " "


def layout_as_markdown(text: str) -> str:
    """``text`` with each HTML layout tag replaced by what it shows (an image as a markdown image, the rest
    as a space); other tags stay as written. For one-line views (graph labels and tooltips), where a
    table that lays out a figure would otherwise show its markup.

    >>> " ".join(layout_as_markdown("See <table><tr><td><img src='a.png' alt='A net'></td></tr></table>").split())
    'See ![A net](a.png)'
    >>> layout_as_markdown("What does <img src=x onerror=alert(1)> do?")
    'What does <img src=x onerror=alert(1)> do?'
    """
    return _TAG.sub(lambda m: _layout_tag(m) or m.group(0), text) if "<" in text else text


def _laid_out(html: str) -> str:
    """``html`` whose tags are all layout, each replaced by what it shows (:func:`_layout_tag`)."""
    return _TAG.sub(lambda m: _layout_tag(m) or " ", html)


_HTML_BLOCK = re.compile(r"[ \t]{0,3}<(?:table|div|p|center|figure)\b", re.I)


def _unwrap_layout(text: str) -> str:
    r"""``text`` with each block of layout HTML (from a line opening ``<table``, ``<div``, ``<p``,
    ``<center`` or ``<figure`` to a blank line) replaced by what it lays out, when every tag in it is
    layout; its lines lose their indent, which markdown would read as code. Tags in running text, and
    blocks with any other tag or attribute, stay as written.

    >>> _unwrap_layout("<table align='center'>\n  <tr><td><img src=\"a.png\" alt= \"A layer\" /></td></tr>\n</table>")
    '\n![A layer](a.png) \n\n\n\n\n'
    >>> _unwrap_layout('<p>What does <img src=x onerror=alert(1)> do?</p>')
    '<p>What does <img src=x onerror=alert(1)> do?</p>'
    >>> _unwrap_layout('Raw <img src=x> tag')
    'Raw <img src=x> tag'
    """
    if "<" not in text:
        return text
    lines = text.split("\n")
    k = 0
    while k < len(lines):
        if not _HTML_BLOCK.match(lines[k]):
            k += 1
            continue
        end = next((j for j in range(k, len(lines)) if not lines[j].strip()), len(lines))
        block = lines[k:end]
        if all(_layout_tag(m) is not None for line in block for m in _TAG.finditer(line)):
            grid = _grid("\n".join(block))
            if grid is not None:  # a table of data: its rows and columns, not its cells one per line
                lines[k:end] = ["", *grid, ""]
                k += len(grid) + 2
                continue
            for j, line in enumerate(block, start=k):
                changed = _laid_out(line)
                lines[j] = changed.lstrip(" \t") if changed != line else line
        k = end
    return "\n".join(lines)


_TABLE = re.compile(r"<table\b[^<>]*>(.*?)</table\s*>", re.I | re.S)
_ROW = re.compile(r"<tr\b[^<>]*>(.*?)(?=<tr\b|</tbody|</thead|</tfoot|$)", re.I | re.S)
_CELL = re.compile(r"<(t[dh])\b[^<>]*>(.*?)(?=<t[dh]\b|</tr|$)", re.I | re.S)


def _grid(block: str) -> list[str] | None:
    r"""A block that is one HTML table of data (two columns or more) as the lines of a markdown table, its
    first row the header; ``None`` for anything else, such as a table that lays out a figure and its caption.

    >>> _grid("<table align='center'>\n<tr><th>x</th><th>y</th></tr>\n<tr><td>1</td><td>-</td></tr>\n</table>")
    ['| x | y |', '| --- | --- |', '| 1 | \\- |']
    >>> _grid("<table><tr><td><img src='a.png'></td></tr></table>") is None
    True
    """
    m = _TABLE.fullmatch(block.strip())
    if m is None or "<table" in m.group(1).lower():
        return None
    rows = [[_cell(c.group(2)) for c in _CELL.finditer(r.group(1))] for r in _ROW.finditer(m.group(1))]
    rows = [r for r in rows if r]
    width = max(map(len, rows), default=0)
    if width < 2:  # one column: a figure and its caption, shown as before
        return None
    rows = [r + [""] * (width - len(r)) for r in rows]
    rule = ["---"] * width
    return [f"| {' | '.join(r)} |" for r in (rows[0], rule, *rows[1:])]


def _cell(html: str) -> str:
    """A table cell's HTML as one line of markdown: its layout tags as what they show, a lone "-" or "+"
    not read as a list, and a pipe not read as a column."""
    text = " ".join(_laid_out(html).split())
    text = text.replace("|", "\\|")
    return "\\" + text if text in ("-", "+", "*") else text


def _prose(text: str) -> str:
    """Markdown outside code and math, with every way to load or link to something taken out.

    An image or a link is shown as written, its address as code (which no renderer turns into a link);
    so is a bare address. HTML that only lays out text and figures shows what it lays out, its images
    as images are shown; other raw HTML is shown as written (a ``<br>`` is the line break it stands
    for, ``<i>``/``<b>`` around a few words the emphasis), and ``[`` loses its meaning. Emphasis, lists,
    tables stay markdown; a heading is a line in bold (:func:`_bold_headings`).
    """
    text = _bold_headings(_unwrap_layout(_BREAK.sub("  \n", text)))
    text = _EMPHASIS.sub(_emphasis, text)
    text = _SCRIPT.sub(_script, text) if "<su" in text else text
    return around_matches(_LINK, text, _inert, _inert_link)


# A heading: "### Bagging", or a line underlined with "=" or "-" (a line that is itself no list item, quote,
# table row or heading).
_ATX_HEADING = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+(\S[^\n]*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_HEADING = re.compile(r"(?m)^[ \t]{0,3}(?![-*+>|#]|\d+[.)])(\S[^\n]*?)[ \t]*\n[ \t]{0,3}(?:=+|-{2,})[ \t]*$")
_WRAPPED = re.compile(r"^(\*\*|__)(.+)\1$")


def _bold_headings(text: str) -> str:
    r"""``text`` with each markdown heading a line in bold.

    A heading inside an answer names a part of it ("Bagging", "Good to hear"), and drawn as one it stood
    larger than the question above it; it also got a link of its own.

    >>> print(_bold_headings("### Bagging ###\nIt averages.\n\nBoosting\n---\n## **Why**"))
    **Bagging**
    It averages.
    <BLANKLINE>
    **Boosting**
    **Why**
    >>> _bold_headings("#hashtag and - [x] a | b")
    '#hashtag and - [x] a | b'
    """
    if "#" not in text and "\n" not in text:
        return text

    def bold(m: re.Match[str]) -> str:
        inner = m.group(1)
        wrapped = _WRAPPED.match(inner)
        return f"**{wrapped.group(2) if wrapped else inner}**"

    return _SETEXT_HEADING.sub(bold, _ATX_HEADING.sub(bold, text))


def _inert_link(m: re.Match[str]) -> str:
    """A link to a web page as a link (the reader's click opens it; nothing is fetched before), any other
    link as its words and its address as code, an in-page anchor as its words; an image, which is never
    loaded, as its description and its address as code: "*Image: A dropout layer* (`img/drop.png`)"."""
    words, address = m.group(1), m.group(2)
    if m.group(0).startswith("!"):
        alt = " ".join(words.split())
        said = f"*Image: {escape_markdown(alt)}*" if alt.strip("*_ ") else "*Image*"
        return f"{said} ({_code(address)})"
    if _WEB.fullmatch(address):
        return f"[{_plain(words) if words.strip() else escape_markdown(address)}]({address})"
    if not address or address.startswith("#"):
        return _plain(words)
    return f"{_plain(words)} ({_code(address)})" if words.strip() else _code(address)


# A superscript or subscript written as HTML around a short term: "X<sup>T</sup>X", "O(n<sup>2</sup>)", "x<sub>i</sub>"
_SCRIPT = re.compile(r"<(sup|sub)>([A-Za-z0-9+\-−*/.,' ]{1,20})</\1>", re.I)


def _script(m: re.Match[str]) -> str:
    r"""A superscript or subscript as the math it stands for, which the renderer sets raised or lowered
    (markdown shows the tags as text).

    >>> _SCRIPT.sub(_script, "X<sup>T</sup>X and x<sub>i+1</sub>")
    'X$^{\\text{T}}$X and x$_{\\text{i+1}}$'
    """
    mark = "^" if m.group(1).lower() == "sup" else "_"
    return f"${mark}{{\\text{{{m.group(2).strip()}}}}}$"


def _emphasis(m: re.Match[str]) -> str:
    """HTML emphasis as the markdown it stands for: ``<i>p</i>`` is ``*p*``, ``<b>x</b>`` is ``**x**``."""
    inner = m.group(2)
    if inner != inner.strip():
        return m.group(0)  # "<b> x </b>": markdown emphasis cannot open on a space; shown as written
    mark = "**" if m.group(1).lower() in ("b", "strong") else "*"
    return f"{mark}{inner}{mark}"


def _inert(text: str) -> str:
    return around_matches(_URL, text, _plain, _bare_address)


# An address a click may open: a web page, nothing a browser runs or reads from the machine
_WEB = re.compile(r"(?i)https?://[^\s<>()\[\]`\\]+")


def _bare_address(m: re.Match[str]) -> str:
    """An address written out: a link when it is a web page's, else code."""
    address = m.group(0)
    return f"[{escape_markdown(address)}]({address})" if _WEB.fullmatch(address) else _code(address)


def _plain(text: str) -> str:
    return text.replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]")


def _code(text: str) -> str:
    """``text`` as a code span: shown as written, never a link."""
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# Code, which TeX delimiters inside are not (a fenced block or a code span)
_CODE_ONLY = re.compile(rf"(?ms){_FENCED}|{_CODE_SPAN}")
# LaTeX's own delimiters, which the renderer does not read: \( x \) inline, \[ x \] displayed. "\[" also
# escapes a bracket in markdown ("a\[0\]", "\[We\] supplement"), so a displayed formula holds a TeX sign or
# runs over lines.
_PAREN_MATH = re.compile(r"\\\(((?:[^\\\n]|\\(?![()])){1,1000}?)\\\)")
_BRACKET_MATH = re.compile(r"\\\[((?:[^\\]|\\(?![\[\]])){1,5000}?)\\\]")
_TEX_SIGN = re.compile(r"[\\^_=]")
_TEX_BRACKETS = re.compile(r"\\[()\[\]]")


def tex_delimiters(markdown: str) -> str:
    r"""``markdown`` with formulas between LaTeX's delimiters written between dollars, which the renderer
    typesets, and those delimiters dropped inside dollars ("$\( IG \)$"), where they are TeX errors that
    show as red text. A displayed formula whose lines hold a blank one is joined onto one line: markdown
    ends a paragraph at a blank line, and the formula with it. Code is left as written.

    Examples
    --------
    >>> tex_delimiters(r"Here \( A \) splits, and \[ H(S) = -\sum_i p_i \]")
    'Here $A$ splits, and $$H(S) = -\\sum_i p_i$$'
    >>> tex_delimiters("gain $\\( IG \\)$ is:$$ \n\n  \\[\n  IG = H \n  \\]\n  $$")
    'gain $IG$ is:$$IG = H$$'
    >>> tex_delimiters(r"\[We\] read a\[0\], and `\(x\)`")
    '\\[We\\] read a\\[0\\], and `\\(x\\)`'
    """
    if "\\" not in markdown and "$$" not in markdown:
        return markdown
    return around_matches(_CODE_ONLY, markdown, _dollars, lambda m: m.group(0))


def _dollars(text: str) -> str:
    text = MATH.sub(_within_dollars, text)

    def display(m: re.Match[str]) -> str:
        inner = m.group(1)
        if not (_TEX_SIGN.search(inner) or "\n" in inner):
            return m.group(0)
        return f"$${' '.join(inner.split())}$$"

    text = _BRACKET_MATH.sub(display, text)
    return _PAREN_MATH.sub(lambda m: f"${m.group(1).strip()}$", text)


def _within_dollars(m: re.Match[str]) -> str:
    math = _TEX_BRACKETS.sub("", m.group(0))
    if math.startswith("$$"):
        inner = math[2:-2]
        joined = re.search(r"\n[ \t]*\n", inner) or math != m.group(0)
        return f"$${' '.join(inner.split())}$$" if joined else math
    return f"${math[1:-1].strip()}$" if math != m.group(0) else math


# Inline code written as HTML around text without tags: "What if <code>kill -9</code> fails?"
_HTML_CODE = re.compile(rf"<({'|'.join(HTML_CODE_TAGS)})>([^<>]{{1,2000}}?)</\1>", re.I)


def _html_code(markdown: str) -> str:
    r"""``markdown`` with inline code written as HTML made a code span, outside code: a code span shows
    its text as written, where the tags would be shown as text.

    >>> _html_code("If <code>kill -9</code> fails, `<code>` and <code>a &lt; b</code>")
    'If `kill -9` fails, `<code>` and `a < b`'
    """
    if "<" not in markdown:
        return markdown
    return around_matches(
        _CODE_ONLY, markdown, lambda text: _HTML_CODE.sub(lambda m: _code(html.unescape(m.group(2))), text),
        lambda m: m.group(0),
    )


def as_written(markdown: str, marks: Sequence[str] = (), colour: str = "orange") -> str:
    r"""A bank's markdown to show as written: formulas, code, lists and tables render, nothing loads.

    Code blocks, code spans and math are kept as they are; the rest goes through :func:`_prose`. Each
    of ``marks`` (plain sentences) found word for word outside code and math is highlighted; one whose
    source holds a formula or code (:func:`source_of`) is highlighted around them, in pieces.

    Examples
    --------
    >>> as_written("Use `<b>` and $x<y$; see ![plot](http://h/p.png).")
    'Use `<b>` and $x<y$; see *Image: plot* (`http://h/p.png`).'
    >>> as_written("Dropout helps. It drops units.", ["It drops units."])
    'Dropout helps. :orange-background[It drops units.]'
    >>> as_written("Take $n$ odd. Then stop.", ["Take n odd."])
    ':orange-background[Take ]$n$:orange-background[ odd.] Then stop.'
    """
    text = tex_delimiters(_html_code(markdown))
    pieces = list(_AS_WRITTEN.finditer(text))  # code and formulas, kept as written
    prose = list(zip([0] + [m.end() for m in pieces], [m.start() for m in pieces] + [len(text)]))
    # a sentence no stretch of prose holds whole: where its source lies, around the formulas and code in it
    whole = [m for m in marks if m and not any(m in text[a:b] for a, b in prose)]
    spread = [(i, i + len(src)) for m in whole if (src := source_of(m, text)) and (i := text.find(src)) >= 0]
    parts = []
    for (a, b), m in zip(prose, [*pieces, None]):
        local = [(max(start, a) - a, min(end, b) - a) for start, end in spread if start < b and a < end]
        parts.append(_marked(text[a:b], marks, colour, local))
        if m is not None:
            parts.append(_typeset(m.group(0)) if m.group(0).startswith("$") else m.group(0))
    return "".join(parts)


def quoted(markdown: str) -> str:
    """A sentence of a bank's markdown to quote in a line of its own: a link or an image reads as its
    words, and HTML tags ("<td>DNS</td>") are left out, outside code and math. What the sentence says
    stays; where it points or how a table lays it out is for the answer shown whole.

    Examples
    --------
    >>> quoted("See [Telnet and SSH](https://x.io/t) in <td>DNS</td>, not `<td>`.")
    'See Telnet and SSH in DNS, not `<td>`.'
    """
    def plain(text: str) -> str:
        return _TAG.sub("", _LINK.sub(lambda m: m.group(1), text))

    return around_matches(_VERBATIM, markdown, plain, lambda m: m.group(0))


def _marked(text: str, marks: Sequence[str], colour: str, spans: Sequence[tuple[int, int]] = ()) -> str:
    r"""``text`` as :func:`_prose` shows it, each of ``marks`` found in it and each of ``spans`` (character
    ranges) highlighted, unless it lies
    between two dollars the renderer would pair into a formula: a highlight there breaks the formula.

    >>> _marked("if $p = a $(or$.05 $), reject", ["p = a", "reject"], "blue")
    'if $p = a $(or$.05 $), :blue-background[reject]'
    """
    found = [(i, i + len(s)) for s in marks if s and (i := text.find(s)) >= 0] + list(spans)
    return highlighted(text, outside_formulas(found, _paired_dollars(text)), colour, _prose)


def _paired_dollars(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` between dollars paired in order within a paragraph, as a renderer pairs them."""
    out: list[tuple[int, int]] = []
    if "$" not in text:  # most prose: no formula to keep whole
        return out
    for paragraph in re.finditer(r"(?s).+?(?:\n[ \t]*\n|$)", text):
        dollars = [m.start() + paragraph.start() for m in _DOLLAR.finditer(paragraph.group(0))]
        out += [(a, b + 1) for a, b in zip(dollars[::2], dollars[1::2])]
    return out


def outside_formulas(spans: Sequence[tuple[int, int]], formulas: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` that overlap none of ``formulas`` (character ranges, end exclusive).

    >>> outside_formulas([(0, 4), (8, 12)], [(6, 10)])
    [(0, 4)]
    """
    return [(a, b) for a, b in spans if not any(a < f_end and f_start < b for f_start, f_end in formulas)]


def highlighted_outside_math(text: str, spans: Sequence[tuple[int, int]], colour: str) -> str:
    r"""``text`` with its formulas typeset (:func:`escape_outside_math`) and ``spans`` highlighted, but for
    those inside a formula: a highlight there would split the formula, and it would show as text.

    >>> print(highlighted_outside_math("Define $p-value$ for a test.", [(8, 15), (23, 27)], "blue"))
    Define $p-value$ for a :blue-background[test]\.
    """
    formulas = [m.span() for m in MATH.finditer(text)]
    return highlighted(text, outside_formulas(spans, formulas), colour, escape_outside_math)


def highlighted(
    text: str, spans: Sequence[tuple[int, int]], colour: str, escape: Callable[[str], str] = escape_markdown
) -> str:
    """``text`` through ``escape``, with the character ranges ``spans`` highlighted (overlaps skipped).

    Examples
    --------
    >>> print(highlighted("ReLU helps.", [(0, 4)], "blue"))
    :blue-background[ReLU] helps\\.
    """
    out, pos = [], 0
    for start, end in sorted(set(spans)):
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(f":{colour}-background[{escape(text[start:end])}]")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)
