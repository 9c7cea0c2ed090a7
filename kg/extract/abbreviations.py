"""Abbreviations a text defines with parentheses (Schwartz & Hearst 2003).

"long form (SF)" and "SF (long form)": both ends must be concept mentions, and the letters of the
short form must appear in order in the long form, the first one starting a word; the short form is
not a word of the long form. What each definition means where is :mod:`kg.extract.acronyms`' matter.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.extract.component import SPAN_KEY
from kg.extract.keys import term_key

_ABBREV_SF = re.compile(r"^[A-Za-z][A-Za-z0-9\-]{1,9}s?$")


def _sh_match(short: str, long: str) -> int | None:
    """Start of the shortest suffix of *long* that spells *short* (Schwartz–Hearst), or None.

    Examples
    --------
    >>> long = "gated recurrent unit"
    >>> long[_sh_match("GRU", long):]
    'gated recurrent unit'
    >>> _sh_match("LSTM", "fewer gates") is None
    True
    """
    s = short.lower()
    lf = long.lower()
    si = len(s) - 1
    li = len(lf) - 1
    while si >= 0:
        c = s[si]
        if not c.isalnum():
            si -= 1
            continue
        while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    return li + 1


def spells(short: str, long: str) -> bool:
    """Whether ``long`` is ``short`` written out: a name of two or more capitals whose letters ``long``
    holds in order, from the start of its first word.

    Examples
    --------
    >>> spells("FTP", "file transfer protocol"), spells("SCP", "Service Control Policy")
    (True, True)
    >>> spells("VPC", "virtual private network"), spells("CNN", "deep neural network"), spells("Go", "go tool")
    (False, False, False)
    """
    return (_ABBREV_SF.match(short) is not None and sum(c.isupper() for c in short) >= 2
            and _sh_match(short, long) == 0)


def abbreviations(doc: Doc) -> list[tuple[Span, Span]]:
    """(short form, long form) concept spans that a doc defines with parentheses.

    The short form must be a concept span; the long form is the concept span just before "(" (or
    inside it, for "SF (long form)") whose words spell the short form, widened by a word or two
    before it where the concept span leaves off the first letters.
    """
    by_end = {s.end: s for s in doc.spans[SPAN_KEY]}
    by_start = {s.start: s for s in doc.spans[SPAN_KEY]}
    pairs: list[tuple[Span, Span]] = []
    for tok in doc:
        if tok.text != "(":
            continue
        before = by_end.get(tok.i)
        inside = by_start.get(tok.i + 1)
        if before is None or inside is None or inside.end >= len(doc) or not doc[inside.end].text.startswith(")"):
            continue
        for short, long in ((inside, before), (before, inside)):
            sf = short.text.strip()
            if len(short) != 1 or not _ABBREV_SF.match(sf) or not any(c.isupper() for c in sf):
                continue
            lf = long.text
            # "Softmax Regression (Multinomial Logistic Regression)": a word of the long form is no
            # short form of it.
            if sf.lower() in lf.lower().replace("-", " ").split():
                continue
            letters = sf.rstrip("s") if sf.endswith("s") and sf[-2:-1].isupper() else sf
            at = _sh_match(letters, lf) if len(lf.split()) >= 2 else None
            if at is not None and (at == 0 or lf[at - 1] == " "):
                pairs.append((short, long))
                break
            # a one-word span before "(" is a long form only with the words before it: "Constitutional
            # AI (CAI)", where the concept finder keeps "AI" alone
            wider = _widened(doc, long, letters) if long is before else None
            if wider is not None:
                pairs.append((short, wider))
                break
    return pairs


def _widened(doc: Doc, long: Span, letters: str) -> Span | None:
    """The concept span before "(" with the words just before it that spell the short form with it.

    The concept finder can leave off a first word ("Approximate" in "Scoring & Approximate Nearest
    Neighbor (ANN)"); Schwartz & Hearst look that far back. Only whole words, no further than the
    short form has letters, and the first of them must start the match.
    """
    for start in range(long.start - 1, max(long.start - len(letters), 0) - 1, -1):
        if not doc[start].is_alpha:
            return None
        words = doc[start : long.end]
        if _sh_match(letters, words.text) == 0:
            return Span(doc, start, long.end, label=term_key(list(words)))
    return None
