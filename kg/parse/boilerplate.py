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


def _opening(line: str, words: int) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", line.lower())[:words])


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
    contents ("Back to Top"), but not a label with its value ("Answer: D"). The display text keeps
    the line.

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
        openings = {_opening(line, words) for line in item.answer_text.splitlines() if not _VALUE.search(line)}
        counts.update(o for o in openings if o)  # a shorter opening is the whole line
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
