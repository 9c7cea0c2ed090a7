"""Keys: one normalised string per way of writing a term.

A mention's key is its text with the head word in the singular and the case folded ("ReLUs" ->
"relu", "vanishing gradients" -> "vanishing gradient"). Keys that fold to the same string (hyphens,
spaces and a trailing "problem" dropped) name one concept; :func:`slug` turns its label into an id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.extract.lexicon import ACRONYM, FOLDED_TAILS, INVARIANT_PLURALS
from kg.text import GREEK_LETTERS, slug  # noqa: F401  (slug kept here: ids of labels are made with it)

if TYPE_CHECKING:
    from spacy.tokens import Token

# Quote marks around a term ("'same' padding") are not part of its name.
QUOTES = {"'", '"', "‘", "’", "“", "”", "`", "``", "''"}


_FOLD_SPACE = re.compile(r"[\s\-_/]+")


@lru_cache(maxsize=1 << 18)  # a bank's keys repeat: each is folded a few times per mention
def fold(key: str) -> str:
    """Merge key: lower case, hyphens and spaces removed.

    Examples
    --------
    >>> fold("Mini-batch gradient descent") == fold("minibatch gradient descent")
    True
    """
    return _FOLD_SPACE.sub("", key.lower())


# Greek letters' names, each a whole word: "epsilon" of "epsilon-tube", not of "epsilons"
_LETTER_OF = {name: letter for name, letter in GREEK_LETTERS.items() if name.islower()}
_GREEK_NAME = re.compile(r"\b(" + "|".join(sorted(_LETTER_OF, key=len, reverse=True)) + r")\b")


def with_greek_letters(key: str) -> str:
    """``key`` with each Greek letter written by name written as the letter.

    Examples
    --------
    >>> with_greek_letters("epsilon-insensitive loss"), with_greek_letters("alphabet")
    ('ε-insensitive loss', 'alphabet')
    """
    return _GREEK_NAME.sub(lambda m: _LETTER_OF[m.group(1)], key)


def fold_tail(key: str) -> str:
    """Fold key without a trailing "problem"/"issue": "vanishing gradient problem" -> "vanishinggradient"."""
    words = key.split()
    if len(words) > 1 and words[-1] in FOLDED_TAILS:
        words = words[:-1]
    return fold(" ".join(words))


# A dot between two letters inside a word: a dotted name ("Node.js", "Immutable.JS"), written one way
_INNER_DOT = re.compile(r"[^\W\d_]\.[^\W\d_]")
# A word in lower camel case, a capital inside it after small letters: an identifier or a brand ("useState",
# "getConnection", "iPhone"), whose capital is part of its name
_CAMEL = re.compile(r"[a-z]+[A-Z][A-Za-z0-9]*")


def _as_written(word: str) -> bool:
    """A dotted name or one in lower camel case: written one way, its case part of the name."""
    return bool(_INNER_DOT.search(word) or _CAMEL.fullmatch(word))


def singular(token: Token) -> str:
    """The head word in the singular, and nothing else changed ("data" stays "data")."""
    text = token.text
    low = text.lower()
    if ACRONYM.match(text) or (text[:-1].isupper() and text.endswith("s") and len(text) > 2):
        # CNNs -> CNN; ReLUs -> ReLU, NaNs -> NaN; keep the case, it is part of the name. A JavaScript library's
        # "Js" is its name's own ending ("AngularJs", "VueJs"), not a plural.
        plural = text.endswith("s") and len(text) > 2 and text[-2].isupper() and not text.endswith("Js")
        return text[:-1] if plural else text
    if low in INVARIANT_PLURALS or token.tag_ not in {"NNS", "NNPS"} or _ends_invariant(low):
        return low
    lemma = token.lemma_.lower()
    # The lemmatizer sometimes maps a term to an unrelated word; keep the text then.
    if not lemma or lemma[:3] != low[:3]:
        return low
    if lemma != low and zipf(lemma) < _RARE and zipf(low) >= max(_KNOWN, zipf(lemma) + _NAME_IN_S):
        # A name ending in "s" cut to a word English hardly knows: "bayes" is no plural of "baye",
        # nor "postgres" of "postgre"; a real plural's singular is a word ("neurons", "neuron").
        return low
    if (lemma == low[:-1] and low.endswith(_SIBILANT_PLURALS) and zipf(lemma) < _RARE
            and zipf(low[:-2]) >= max(_KNOWN, zipf(lemma) + _NAME_IN_S)):
        # "backslashes" cut to "backslashe": after a hiss the "e" is the plural's, as in "hashes"; "caches"
        # keeps its own
        return low[:-2]
    if lemma == low[:-1] and low.endswith("ies") and zipf(lemma) < _RARE and zipf(low[:-3] + "y") > zipf(lemma):
        return low[:-3] + "y"  # "subqueries" cut to "subquerie"; "cookies" keeps its "e"
    if lemma == low[:-1] and low.endswith("fs") and zipf(lemma) == 0:
        return low  # a file system's name ("tmpfs", "procfs"), no plural of a "tmpf"; "motifs" gives "motif"
    return lemma


def _ends_invariant(low: str) -> bool:
    """A word written as one with a plural that has no singular after it: "timeseries", "biostatistics"."""
    return any(low.endswith(w) and len(low) > len(w) and low[-len(w) - 1].isalpha() for w in _LONG_INVARIANTS)


_LONG_INVARIANTS = tuple(w for w in INVARIANT_PLURALS if len(w) >= 5)


# Lemmatiser damage: a lemma rarer than _RARE (Zipf) and at least _NAME_IN_S rarer than the written
# form, which English knows (_KNOWN or commoner).
_RARE = 2.0
_SIBILANT_PLURALS = ("ses", "xes", "zes", "ches", "shes")  # plurals that add "es"
_KNOWN = 1.5
_NAME_IN_S = 0.75


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` is in English (wordfreq's Zipf scale, 0 for a word it does not know), cached."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def display(tokens: Sequence[Token], head_form: str | None = None) -> str:
    """Surface text of tokens, quotes dropped, whitespace as written; the head replaced if given."""
    parts: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.text in QUOTES:
            if tok.whitespace_ and parts and not parts[-1].endswith(" "):
                parts[-1] += " "  # "'same' padding": the space after the quote separates words
            continue
        text = head_form if (head_form is not None and i == len(tokens) - 1) else tok.text
        parts.append(text + (tok.whitespace_ if i < len(tokens) - 1 else ""))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def shown_singular(token: Token) -> str:
    """:func:`singular` as a label shows it: a dotted name ("Node.js") or one in lower camel case ("useState",
    "mergeProps") is written one way, never inflected nor folded, and so is a capital letter alone ("CRI-O",
    "vitamin C")."""
    text = token.text
    return text if _as_written(text) or (len(text) == 1 and text.isupper()) else singular(token)


def keep_case(text: str) -> str:
    """Lower case except words that are acronyms or mixed case (ReLU, LSTM, L1, t-SNE) and dotted
    names (Node.js), whose capitals are part of the name, not of the sentence.

    Examples
    --------
    >>> keep_case("Long Short-Term Memory and t-SNE on ReLU")
    'long short-term memory and t-SNE on ReLU'
    >>> keep_case("Immutable.JS Object and Node.js")
    'Immutable.JS object and Node.js'
    >>> keep_case("The useState Hook")
    'the useState hook'

    A capital alone beside an acronym in one hyphenated name is part of it too:

    >>> keep_case("CRI-O and X-Ray")
    'CRI-O and x-ray'
    """
    def part(p: str, caps: bool) -> str:
        return p if ACRONYM.match(p) or _as_written(p) or (caps and len(p) == 1 and p.isupper()) else p.lower()

    def word(w: str) -> str:
        parts = w.split("-")
        caps = len(parts) > 1 and any(ACRONYM.match(p) for p in parts)
        return "-".join(part(p, caps) for p in parts)

    return " ".join(word(w) for w in text.split(" "))


def term_key(tokens: Sequence[Token]) -> str:
    """Normalised key of a term: head word singular, everything else as written, case folded."""
    return display(tokens, singular(tokens[-1])).lower()


def plural(name: str) -> str:
    """English plural of a name's last word, for matching ("fully connected layers")."""
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"

