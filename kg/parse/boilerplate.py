"""Answer lines that a bank repeats as a template, dropped from the text used for NLP:
:func:`drop_boilerplate`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from kg.model import QAItem

log = logging.getLogger("kg.parse")


# A short line that gives a value after its label ("Answer: D" under each of a quiz's questions) says
# something of its own answer, where a label alone ("Useful resources:") says nothing.
_VALUE = re.compile(r"^(?=(?:\W*\w+){1,4}\W*$).*:\W*\w")


# A date written in numbers: "2023-01-04", "04/01/2023"
_DATE = re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")


# A label of one to four words that opens a line before a colon and the line's own text: "Sample Answer: A
# stack is ...", "Explanation: The loop ...". A line that is only a label and its value is _VALUE.
_LABEL = re.compile(r"^\W*(\w+(?:[ \t]+\w+){0,3})\W*:\s+(?=\S)")


def _label_match(line: str) -> re.Match[str] | None:
    """The label that opens ``line`` before a colon and a sentence of its own (group 1), if there is one."""
    return None if _VALUE.search(line) else _LABEL.match(line)


def _label(line: str) -> str:
    """The label of :func:`_label_match`, lower-cased; "" if none."""
    m = _label_match(line)
    return m.group(1).lower() if m else ""


def _opening(line: str, words: int) -> str:
    # a date counts as any date: "last change 2023-01-04 by ..." under each answer is one line
    return " ".join(re.findall(r"[a-z0-9]+", _DATE.sub(" date ", line.lower()))[:words])


#: A line that opens this share of one file's answers, and at least FILE_ITEMS of them, is that file's template
#: (a footer under each answer: "last change 2023-01-04 by ..."), however few answers the bank has beside it.
FILE_SHARE = 0.5
FILE_ITEMS = 5


def drop_boilerplate(
    items: Sequence[QAItem], *, words: int = 5, min_items: int = 10, min_share: float = 0.02
) -> list[QAItem]:
    r"""Remove answer lines that a bank repeats as a template, from the text used for NLP.

    Banks grown by copy and paste fill empty answers with one stock line ("Direct Solution:
    Analytical solution and mathematical formulation for <the question>"). Such a line says nothing
    about its question, yet it makes every templated answer look alike and its words look like the
    bank's main concepts. A line counts as a template when its first *words* words open that many
    answers: at least *min_items* and *min_share* of the bank. A shorter line counts when the same
    words, and only they, make a line in that many answers: a stock label ("Useful resources:" over
    the links of 159 answers of one bank made "resource" its top concept) or a link back to the
    contents ("Back to Top"), but not a label with its value ("Answer: D"). A line that opens at least
    half of one file's answers, and five of them, is that file's template however big the bank (a footer
    "last change 2023-01-04 by ..." under each answer; a date counts as any date). A label before a colon
    that opens a sentence in as many answers ("Sample Answer: A stack is ...") is the template's too: the
    label goes and its sentence stays. The display text keeps the line.

    Examples
    --------
    >>> mk = lambda i, a: QAItem(str(i), i, f"Q{i}?", a, "b.md", i, f"Q{i}?", a)
    >>> bank = [mk(i, f"Stock answer line for question number {i}.\nReal point {i}.") for i in range(10)]
    >>> drop_boilerplate(bank, min_items=10)[3].answer_text
    'Real point 3.'
    >>> apart = [replace(item, source=f"{item.id}.md") for item in bank[:9]]  # nine files, no template in any
    >>> drop_boilerplate(apart, min_items=10)[3].answer_text == bank[3].answer_text
    True
    >>> drop_boilerplate(bank[:9], min_items=10)[3].answer_text  # nine answers of one file
    'Real point 3.'
    >>> labelled = [mk(i, f"Level: easy\nSample answer: point {i} is made here.") for i in range(6)]
    >>> drop_boilerplate(labelled)[2].answer_text  # the label goes, its sentence and a label's value stay
    'Level: easy\npoint 2 is made here.'
    """
    counts: Counter[str] = Counter()
    by_file: dict[str, Counter[str]] = {}
    labels: Counter[str] = Counter()
    labels_by_file: dict[str, Counter[str]] = {}
    for item in items:
        lines = item.answer_text.splitlines()
        openings = {_opening(line, words) for line in lines if not _VALUE.search(line)}
        found = [o for o in openings if o]  # a shorter opening is the whole line
        counts.update(found)
        by_file.setdefault(item.source, Counter()).update(found)
        named = {lab for lab in map(_label, lines) if lab}
        labels.update(named)
        labels_by_file.setdefault(item.source, Counter()).update(named)
    floor = max(min_items, min_share * len(items))
    stock = {o for o, n in counts.items() if n >= floor}
    sizes = Counter(item.source for item in items)
    own = {
        source: {o for o, n in c.items() if n >= max(FILE_ITEMS, FILE_SHARE * sizes[source])} - stock
        for source, c in by_file.items()
    }
    # A label that opens a sentence in as many answers is the template's too ("Sample Answer: A stack is ..."
    # under each question): the label goes, its sentence stays.
    stock_labels = {lab for lab, n in labels.items() if n >= floor}
    own_labels = {
        source: stock_labels | {lab for lab, n in c.items() if n >= max(FILE_ITEMS, FILE_SHARE * sizes[source])}
        for source, c in labels_by_file.items()
    }
    if not stock and not any(own.values()) and not any(own_labels.values()):
        return list(items)
    if stock:
        log.info("dropping %d template answer line(s) from NLP text: %s", len(stock), "; ".join(sorted(stock)))
    for source, templates in own.items():
        if templates:
            log.info("%s: dropping its template answer line(s) from NLP text: %s", source, "; ".join(sorted(templates)))
    for source, named in own_labels.items():
        if named:
            log.info("%s: dropping template label(s) from NLP text: %s", source, "; ".join(sorted(named)))
    out = []
    for item in items:
        lines = item.answer_text.splitlines()
        dropped = stock | own[item.source]
        unlabelled = own_labels.get(item.source, set())
        kept = [_unlabelled(line, unlabelled) for line in lines if _opening(line, words) not in dropped]
        out.append(item if kept == lines else replace(item, answer_text="\n".join(kept).strip()))
    return out


def _unlabelled(line: str, labels: set[str]) -> str:
    """``line`` without its opening label if that label is one of ``labels``."""
    m = _label_match(line) if labels else None
    return line[m.end() :] if m and m.group(1).lower() in labels else line
