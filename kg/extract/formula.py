"""Tokens that belong to a formula, a piece of code or a table rather than to prose.

Banks write math (``$x = b$``, ``P(A|B)``), code (``scaled_dataset = fit(x)``) and tables inline, and
what the plain text keeps of them reads to the tagger as nouns: "x = b", "theta |", "=setosa", "--trace-ascii". No term
of the field is written with these signs, so a token that holds one ends a run of term words
(:func:`is_formula`), and so does a lone lower-case letter, which is a variable, not a word
(:func:`is_variable`). Hyphens, slashes and pluses inside a word stay: "p-value", "A/B testing",
"k-means++".
"""

from __future__ import annotations

from spacy.tokens import Token

# Operators, relations, TeX and markup signs: not one is part of a term's name.
_SIGNS = frozenset("=|^~∼≈×÷±≥≤≠⇒⇔→←↔∈∉∑∏√∞∂∇·$\\{}[]()<>_@′″−")
# Signs that join the parts of a name when written without spaces ("A/B", "k-means++", "C++"),
# and are operators when they stand apart.
_JOINING = frozenset("+*/%–")


def is_formula(tok: Token) -> bool:
    """Whether *tok* is a sign of a formula, code or a table, or holds one.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("x = b , theta | u , A/B testing , C++ , y + z , p-value , dist(a)")
    >>> [t.text for t in doc if is_formula(t)]
    ['=', '|', '+', 'dist(a', ')']
    >>> [t.text for t in spacy.blank("en")("run bash --login in /bin") if is_formula(t)]
    ['--login', '/bin']
    """
    text = tok.text
    if any(c in _SIGNS for c in text):
        return True
    if len(text) > 1 and (text[0] == "/" or text[0] == "-" and (text[1].isalnum() or text[1] == "-")):
        return True  # a path ("/bin") or a command-line option ("-c", "--source-port")
    if text.isalpha() and text.islower() and not tok.whitespace_ and tok.i + 1 < len(tok.doc):
        if tok.doc[tok.i + 1].text.startswith("("):
            return True  # a function called: "dist(p, q)", "softmax(z)"
    if all(c in _JOINING for c in text):
        # standing apart ("y + z") it is an operator; glued to a word ("C++", "A/B") it is a name
        return bool(tok.whitespace_) or (tok.i > 0 and bool(tok.nbor(-1).whitespace_))
    return False


def is_variable(tok: Token) -> bool:
    """A lone lower-case letter, standing apart from its neighbours: a variable ("point x", "array a.").

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("the test point x and the p-value")
    >>> [t.text for t in doc if is_variable(t)]
    ['x']
    """
    text = tok.text.rstrip(".")
    if len(text) != 1 or not text.isalpha() or not text.islower():
        return False
    doc = tok.doc
    glued_after = tok.i + 1 < len(doc) and not tok.whitespace_ and doc[tok.i + 1].text == "-"
    glued_before = tok.i > 0 and not doc[tok.i - 1].whitespace_ and doc[tok.i - 1].text == "-"
    return not (glued_after or glued_before)
