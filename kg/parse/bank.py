"""One bank's text to items: split into lines, mask code and comments, detect question lines,
pick the file's question shape, cut spans, build items.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from kg.errors import ParseError
from kg.model import QAItem
from kg.parse.items import make_items, stem_prefix
from kg.parse.lines import (
    HEADING,
    admonish_blocks,
    admonition_headings,
    code_mask,
    container_blocks,
    definition_questions,
    emoji_numbers,
    html_headings,
    indented_blocks,
    inline_attributes,
    permalink_labels,
    setext_headings,
    shortcode_details,
    split_lines,
    spread_tags,
    unspaced_headings,
)
from kg.parse.plaintext import plain_short
from kg.parse.score import FALLBACK_ASKED, FALLBACK_SHARE, QUESTION_SHARE, ShapeStats, shape_stats
from kg.parse.shapes import (
    FALLBACK_SHAPES,
    LISTED_SHAPES,
    PLAIN_SHARE,
    SHAPES,
    Candidate,
    bullet_text,
    detect,
    end_marker,
    indent,
    question_like,
)
from kg.parse.spans import cover, details_blocks, main_spans, orphan_spans, secondary_spans
from kg.parse.tables import table_spans

log = logging.getLogger("kg.parse")

_NO_QUESTION = (
    "no question found; expected numbered or 'Q:' headings, bold question lines, "
    "<summary> blocks or numbered list items"
)
_NOT_MARKDOWN = "the file is JSON, not markdown; kg reads question banks written in markdown"


def _is_json(body: str) -> bool:
    """Whether ``body``, a file's text without its BOM and outer space, is one JSON object or array (a file
    saved as ``.md`` that is data, not a bank).

    >>> _is_json('{"questions": [{"q": "Why?"}]}'), _is_json("# Why? {not json}")
    (True, False)
    """
    if not body.startswith(("{", "[")):
        return False
    try:
        json.loads(body)
    except (ValueError, RecursionError):  # "[[[[...": too deep for the decoder, and no bank either way
        return False
    return True


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
    return parse_bank(text, source, stem_prefix(source))[0]


@dataclass(frozen=True)
class Analysis:
    """What :func:`parse_bank` decided about a file (bench/bank_counts.py prints it)."""

    items: list[QAItem]
    shape: str  # the dominant question shape
    extra: dict[str, int]  # other shapes taken as questions, with counts
    stats: list[ShapeStats]


def _title_like(text: str) -> bool:
    """A short label with no sentence end: "Supported services", not "Explain X." or "10 tips."

    >>> _title_like("Private peering"), _title_like("Configure a virtual interface."), _title_like("10 tips.")
    (True, False, False)
    """
    plain = plain_short(text).strip()
    return bool(re.fullmatch(r"[A-Za-z][\w'’-]*(?: [\w'’-]+){0,2}", plain))


def _statement(text: str) -> bool:
    """A heading written as a sentence, not a section title: six words or more, or a sentence end.

    >>> _statement("I have modified a text file, but git reports no diff"), _statement("HTML should support headers!")
    (True, True)
    >>> _statement("Previous release versions"), _statement("Troubleshooting")
    (False, False)
    """
    plain = plain_short(text).strip()
    words = len(plain.split())
    return words >= 6 or (words >= 3 and plain.endswith((".", "!")))


def _prose_below(c: Candidate, lines: Sequence[str], skip: Sequence[bool]) -> bool:
    """Whether heading ``c`` has text under it and no deeper heading that asks before the next one of its
    level or higher: an entry of its own, not a section title over questions."""
    prose = False
    for k in range(c.last + 1, len(lines)):
        m = None if skip[k] else HEADING.match(lines[k])
        if m and len(m.group(1)) <= c.level:
            break
        if m and question_like(lines[k][m.end() :]):
            return False
        prose = prose or (not skip[k] and not m and bool(lines[k].strip()))
    return prose


# A file that says it is a FAQ, in its name or its title: "FAQ.md", "troubleshooting.md", "title: Common questions"
_FAQ_NAME = re.compile(
    r"faq|frequently[ _-]asked|troubleshoot|questions|\bq ?(?:&|and) ?a\b"
    r"|(?:known|common)[ _-](?:issues|problems|errors)",
    re.I,
)
_TITLE = re.compile(r" {0,3}(?:#[ \t]+|title:[ \t]*)(.+)", re.I)


#: The fewest items of a numbered list of prompts, each with its answer under it, to read as a quiz.
QUIZ_ITEMS = 5


def _answered_numbered_run(cands: Sequence[Candidate], stats: Sequence[ShapeStats]) -> list[Candidate]:
    """A quiz written as a numbered list of prompts that do not ask ("IP datagrams are guaranteed to be
    delivered (T/F)", "UDP communication is:"), each with its answer under it: the items of the list, where
    they count up without a gap and every one is answered; else none."""
    for st in stats:
        if st.shape == "list-num" and st.count >= QUIZ_ITEMS and st.sequential >= 1.0 and st.answered >= 1.0:
            return [c for c in cands if c.shape == "list-num"]
    return []


def _names_a_faq(source: str, lines: Sequence[str], skip: Sequence[bool]) -> bool:
    """Whether the file names itself a FAQ or a troubleshooting page: its file name, or its first title
    (a level-one heading or a front matter ``title:``) among its first lines.

    >>> _names_a_faq("docs/FAQ.md", [], []), _names_a_faq("a.md", ["---", "title: Troubleshooting", "---"], [False] * 3)
    (True, True)
    >>> _names_a_faq("docs/install.md", ["# Installing"], [False])
    False
    """
    if _FAQ_NAME.search(source.replace("\\", "/").rsplit("/", 1)[-1]):
        return True
    titles = (m.group(1) for k, line in enumerate(lines[:40]) if not skip[k] and (m := _TITLE.match(line)))
    return bool(_FAQ_NAME.search(next(titles, "")))


def _troubleshooting_entries(cands: Sequence[Candidate], lines: Sequence[str], skip: Sequence[bool]) -> list[Candidate]:
    """The entries of a FAQ whose headings state problems far more often than they ask ("Cannot connect to
    Wi-Fi", "Device is hot to the touch", and a few "Why is my configuration not loaded?"): the headings of
    the level where most ask, each with text of its own under it. Tried only on a file that names itself a
    FAQ and has no other shape of question, where the alternative is to read nothing."""
    by_level: dict[str, list[Candidate]] = {}
    for c in cands:
        if c.kind == "" and c.found_by.name == "heading":
            by_level.setdefault(c.shape, []).append(c)
    asking = {shape: sum(question_like(c.text) for c in cs) for shape, cs in by_level.items()}
    best = max(asking, key=lambda shape: (asking[shape], len(by_level[shape]), shape), default=None)
    if best is None:
        return []
    if asking[best] >= FALLBACK_ASKED:
        return [c for c in by_level[best] if _prose_below(c, lines, skip)]
    # Headings that hardly ever ask ("### Could not open audio device", "## Docker Desktop for Mac"): the entries
    # are the headings of the level where most have text of their own under them, as a section over entries has
    # none or a line of introduction.
    own = {shape: [c for c in cs if _own_text(c, lines, skip)] for shape, cs in by_level.items()}
    heads = own[max(own, key=lambda shape: (len(own[shape]), shape))]
    # Or the bullets with their answers indented under them, where the sections hold such bullets
    # ("## Installation" over '- "No module named mmcv.ops"' and its fix)
    bullets = _answered_bullets(lines, skip)
    starts = {b.line for b in bullets}
    if len(bullets) > len(heads) and 2 * sum(_first_text(h, lines, skip) in starts for h in heads) >= len(heads):
        heads = bullets
    return heads if len(heads) >= FALLBACK_ASKED else []


_ANSWERED_BULLET = next(shape for shape in SHAPES if shape.name == "list-ask")


def _answered_bullets(lines: Sequence[str], skip: Sequence[bool]) -> list[Candidate]:
    """The bullets of the outermost list level with lines indented under them, read as ``list-ask`` entries."""
    out = []
    for i, line in enumerate(lines):
        text = "" if skip[i] or indent(line) > 1 else bullet_text(line)
        if not text:
            continue
        j = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].strip()), len(lines))
        if j < len(lines) and not skip[j] and indent(lines[j]) > indent(line) + 1:
            out.append(Candidate(_ANSWERED_BULLET, i, i, "list", "ask", None, text))
    return out


def _first_text(c: Candidate, lines: Sequence[str], skip: Sequence[bool]) -> int:
    """The first line of text under heading ``c``."""
    return next((k for k in range(c.last + 1, len(lines)) if not skip[k] and lines[k].strip()), len(lines))


# A line of a table of contents: a list item that links to a place on the same page
_CONTENTS_LINE = re.compile(r"[ \t]*(?:[-*+]|\d{1,4}[.)])[ \t]+\[[^\]\n]{1,300}\]\(#")


def _own_text(c: Candidate, lines: Sequence[str], skip: Sequence[bool]) -> bool:
    """Whether heading ``c`` has text right under it, before the next heading of any level, other than a
    table of contents ("## Contents" over links to the entries)."""
    for k in range(c.last + 1, len(lines)):
        if not skip[k] and HEADING.match(lines[k]):
            return False
        if not skip[k] and lines[k].strip() and not _CONTENTS_LINE.match(lines[k]):
            return True
    return False


#: How many times more bullets that ask with nothing under them than with an answer under them make a list of
#: questions, the few with lines under them carrying follow-ups.
BARE_LIST = 3


def _bare_beside(answered: Sequence[Candidate], lines: Sequence[str], skip: Sequence[bool]) -> list[Candidate]:
    """The bullets that ask with nothing under them at the depth of ``answered``, bullets that ask with an
    answer under them (``list-ask``): questions of the same list."""
    depth = {indent(lines[c.line]) for c in answered}
    have = {c.line for c in answered}
    asking = detect(lines, skip, FALLBACK_SHAPES[:1])
    return [c for c in asking if c.line not in have and indent(lines[c.line]) in depth]


def _answered_few(answered: Sequence[Candidate], bare: Sequence[Candidate]) -> bool:
    """Whether the bullets answered under them are a few of the bullets that ask at their depth (``bare``
    the others, :func:`_bare_beside`): most have nothing under them, so the file is a list of questions
    ("* What is a float?") and the lines under the few are follow-ups, not answers.

    >>> lines = ["* What is X?", "* What is Y?", "  * Say why.", "* What is Z?", "* Is W?", "* Why V?"]
    >>> skip = [False] * len(lines)
    >>> cs = detect(lines, skip)
    >>> _answered_few(cs, _bare_beside(cs, lines, skip))
    True
    """
    return len(answered) + len(bare) >= max(FALLBACK_ASKED, BARE_LIST * len(answered))


def _with_unanswered(answered: Sequence[Candidate], bare: Sequence[Candidate]) -> list[Candidate]:
    """Bullets that ask with an answer under them, and those at their depth with nothing under them
    (:func:`_bare_beside`) read in their shape: questions of the list not answered yet, each an entry with
    no answer rather than a line of the answer above it, or lost before the first answered one."""
    unanswered = [replace(c, found_by=answered[0].found_by, kind=answered[0].kind) for c in bare]
    return sorted([*answered, *unanswered], key=lambda c: c.line)


#: Numbered titles under a heading that asks from which on they are entries, not the parts of its answer.
ANSWER_PARTS = 10


def _asking_parents(chosen: Sequence[Candidate], cands: Sequence[Candidate]) -> str | None:
    """The shape of the headings that ask, when each of ``chosen`` (a numbered run of titles that do not
    ask) sits right under one of them: the run is the parts of an answer ("# What is the difference
    between X and Y?" over "### 1) X", "### 2) Y"), not questions. ``None`` otherwise.

    Right under: the nearest candidate above that is a heading of a higher level than the title (a
    title's own level; a bold line is below every heading). A section title between them ("## Basics")
    leaves the run the bank's questions, as it is under a bank's title. So does a run of
    :data:`ANSWER_PARTS` titles or more: an answer comes in a few parts, and a long run is a list of terse
    entries, whatever an introduction above it asks ("## Why read this?").
    """
    if len(chosen) >= ANSWER_PARTS:
        return None
    above: list[Candidate] = []  # the headings above the line reached, each deeper than the one before
    parents = set()
    titles = {c.line for c in chosen}
    for c in cands:
        if c.line in titles:
            higher = [h for h in above if h.level < c.level]
            if not higher or not question_like(higher[-1].text):
                return None
            parents.add(higher[-1].shape)
        elif c.level <= 6:
            above = [h for h in above if h.level < c.level] + [c]
    return parents.pop() if len(parents) == 1 else None


def _asking_headings(bold: Sequence[Candidate], cands: Sequence[Candidate]) -> str | None:
    """The shape of the headings over bold lines, when every heading of that shape asks, at least
    :data:`FALLBACK_ASKED` of them, and the bold lines under them are labels of their answers: more of them
    than headings, not all asking ("# 1) How does X work?" over "**What is X?**", "**How to answer in an
    interview**"). ``None`` otherwise, and where a bold line stands under no heading or under headings of two
    shapes."""
    above: Candidate | None = None
    parents: set[str] = set()
    lines = {c.line for c in bold}
    for c in cands:
        if c.line in lines:
            if above is None:
                return None
            parents.add(above.shape)
        elif c.level <= 6:
            above = c
    if len(parents) != 1:
        return None
    shape = parents.pop()
    headings = [c for c in cands if c.shape == shape]
    if len(headings) < FALLBACK_ASKED or len(bold) <= len(headings):
        return None
    return shape if all(question_like(c.text) for c in headings) else None


#: The rewrites that put what other markups write as headings and labels in markdown's own shapes, in order:
#: headings without a space after their hashes, setext and HTML headings, tags spread over lines, Hugo shortcodes
#: that fold a body under a title, containers, admonitions and accordions that ask, headings inside admonitions and
#: content tabs, definition-list terms that ask, permalinked labels, attribute lists after a label.
_REWRITES: tuple[Callable[[Sequence[str], Sequence[bool]], list[str]], ...] = (
    unspaced_headings,
    setext_headings,
    html_headings,
    spread_tags,
    shortcode_details,
    container_blocks,
    admonition_headings,
    indented_blocks,
    definition_questions,
    permalink_labels,
    inline_attributes,
    emoji_numbers,
)


#: Where the best shape holds one or two questions, bullets or plain lines that ask, this many times as many, make
#: the file a bare list of questions.
LIST_OVER_FEW = 10


def parse_bank(text: str, source: str, prefix: str) -> tuple[list[QAItem], Analysis]:
    """Items of one bank, ids starting with ``prefix``, and how the bank was read."""
    body = text.removeprefix("\ufeff").strip()
    if not body:
        log.warning("%s: the file is empty; no question read", source)  # said, not skipped in silence
        return [], Analysis([], "", {}, [])
    if _is_json(body):  # data saved as .md: any line of it that asks is no question of a bank
        raise ParseError(_NOT_MARKDOWN, source)
    lines = admonish_blocks(split_lines(text))  # fenced, yet markdown: unfenced before code is masked
    skip = code_mask(lines)
    for rewrite in _REWRITES:  # each keeps the line numbers
        lines = rewrite(lines, skip)
    rows = table_spans(lines, skip)  # FAQ tables, their lines then passed over
    cands = detect(lines, skip)
    stats = shape_stats(cands, lines)
    answered = [c for c in cands if c.shape == "list-ask"] if stats and stats[0].shape == "list-ask" else []
    bare = _bare_beside(answered, lines, skip) if answered else []
    # A shape of one or two questions may be a bold line of the preface ("**But where are the answers??**") or
    # a title that asks, over a bare list of questions: such a list, far longer, is read instead.
    few = bool(stats) and stats[0].score > 0 and stats[0].count < FALLBACK_ASKED and not rows
    fell_back = not stats or stats[0].score <= 0 or bool(answered and _answered_few(answered, bare))
    fallback: list[Candidate] | None = None  # the fall-back shapes' lines, found once where they are needed
    if few and not fell_back:
        fallback = detect(lines, skip, FALLBACK_SHAPES)
        fell_back = len(fallback) >= LIST_OVER_FEW * stats[0].count
    if fell_back and not rows:
        # No shape asks often enough: a FAQ whose headings state problems as often as they ask, or a bare
        # list of questions. Take the shape that asks most, with bullets that ask among the shapes.
        if fallback is None:
            fallback = detect(lines, skip, FALLBACK_SHAPES)
        # lines of text: a rule or a mark alone ("---", "???" between a flashcard's sides) holds none
        text_lines = sum(1 for k, line in enumerate(lines) if not skip[k] and any(c.isalnum() for c in line))
        if sum(c.shape == "para-asked" for c in fallback) < PLAIN_SHARE * text_lines:
            fallback = [c for c in fallback if c.shape != "para-asked"]  # a text's own questions, among its prose
        stats = shape_stats(cands + fallback, lines, fallback=True)
        if stats and stats[0].shape == "list-asked":
            # a list of questions: a bullet at their usual depth that sets a task ("* Explain CSS sprites.") is
            # one too, and one nested under an entry is its follow-up
            depth = Counter(indent(lines[c.line]) for c in fallback if c.shape == "list-asked").most_common(1)[0][0]
            listed = [c for c in detect(lines, skip, LISTED_SHAPES) if indent(lines[c.line]) == depth]
            fallback = [c for c in fallback if c.shape != "list-asked"] + listed
            stats = shape_stats(cands + fallback, lines, fallback=True)
        cands = sorted(cands + fallback, key=lambda c: c.line)
    unscored = not stats or stats[0].score <= 0
    entries: list[Candidate] = []
    if unscored and not rows:
        # a deck of folded cards ("<details><summary>The command _____ shows disk usage</summary>quota"): each a
        # prompt over its answer, whether it asks or not; else a FAQ's headings or bullets that do not ask
        folded = [c for c in cands if c.found_by.name == "summary"]
        if len(folded) >= FALLBACK_ASKED:
            entries = folded
        elif numbered := _answered_numbered_run(cands, stats):
            entries = numbered
        elif _names_a_faq(source, lines, skip):
            entries = _troubleshooting_entries(cands, lines, skip)
    if unscored and not entries:
        if not rows:
            raise ParseError(_NO_QUESTION, source)
        items = make_items(rows, lines, source, prefix)
        return items, Analysis(items, "table", {}, stats)
    if entries:  # bullets read as entries may be a shape no line asked in
        top = next((s for s in stats if s.shape == entries[0].shape), None) or ShapeStats(
            entries[0].shape, len(entries), 0.0, 0.0, 1.0, 0.0
        )
    else:
        top = stats[0]
    chosen = entries or [c for c in cands if c.shape == top.shape]
    if top.shape == "list-ask":
        if chosen != answered:  # the shape won only among the fall-back's
            bare = _bare_beside(chosen, lines, skip)
        chosen = _with_unanswered(chosen, bare)
    if chosen[0].kind != "q" and top.question_like < 0.5 and (asking := _asking_parents(chosen, cands)):
        top = next(s for s in stats if s.shape == asking)
        chosen = [c for c in cands if c.shape == asking]
    elif top.shape == "bold" and top.question_like < 1.0 and (asking := _asking_headings(chosen, cands)):
        top = next(s for s in stats if s.shape == asking)
        chosen = [c for c in cands if c.shape == asking]
    if chosen[0].kind == "" and top.question_like < 1.0 and not entries:
        # Plain headings or bold lines that mix questions and topics: the topics are sections
        # (or bold lead-ins inside answers), unless they end with a marker that questions carry.
        # When nearly all are questions, the few others may be tasks ("Explain X."): only a bare
        # title of three words or fewer ("Private peering") is a section among them.
        # A heading written as a sentence among question headings, with prose under it, is an entry
        # too: FAQs state problems as well as ask ("Jupyter warns me that the file has changed on disk").
        markers = {end_marker(c.text) for c in chosen if question_like(c.text)} - {""}
        first_asked = next((n for n, c in enumerate(chosen) if question_like(c.text)), len(chosen))
        chosen = [
            c
            for n, c in enumerate(chosen)
            if question_like(c.text)
            or end_marker(c.text) in markers
            or (top.question_like >= 0.9 and not _title_like(c.text))
            or (
                top.question_like >= (FALLBACK_SHARE if fell_back else QUESTION_SHARE)
                and (c.level <= 6 or c.found_by.name == "summary")
                and first_asked < n
                and _statement(c.text)
                and _prose_below(c, lines, skip)
            )
        ]
    details = details_blocks(lines, skip)
    spans = main_spans(chosen, lines, skip, details, [c for c in cands if c.shape != top.shape])
    spans.sort(key=lambda s: s.line)
    taken = [False] * len(lines)  # lines that belong to an item
    cover(taken, spans)
    orphans = orphan_spans(lines, skip, details, taken)
    cover(taken, orphans)
    extras = secondary_spans(cands, top.shape, lines, skip, taken)
    all_spans = sorted(spans + orphans + extras + rows, key=lambda s: s.line)
    items = make_items(all_spans, lines, source, prefix)
    extra = Counter(s.shape for s in orphans + extras + rows)
    log.debug("%s: %d items, question shape %s, also %s", source, len(items), top.shape, extra)
    return items, Analysis(items, top.shape, dict(extra), stats)
