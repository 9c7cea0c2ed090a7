"""Tokens that belong to a formula, a piece of code or a table rather than to prose.

Banks write math (``$x = b$``, ``P(A|B)``), code (``scaled_dataset = fit(x)``) and tables inline, and
what the plain text keeps of them reads to the tagger as nouns: "x = b", "theta |", "=setosa", "--trace-ascii". No term
of the field is written with these signs, so a token that holds one ends a run of term words
(:func:`is_formula`), and so does a lone lower-case letter, which is a variable, not a word
(:func:`is_variable`). Hyphens, slashes and pluses inside a word stay: "p-value", "A/B testing",
"k-means++". The folders of a path ("bin" in "/usr/bin/env") and the arguments of a function named by a letter
("E(XY)", "P(A)") are code and math too, and so are versions and addresses ("v2.3.0", "10.0.0.1") and the parts
colons join with no space ("drive:Folder", "s3:bucket").
"""

from __future__ import annotations

import re

from spacy.tokens import Token

# Operators, relations, TeX and markup signs: not one is part of a term's name.
_SIGNS = frozenset("=|^~∼≈×÷±≥≤≠⇒⇔→←↔∈∉∑∏√∞∂∇·$\\{}[]()<>_@′″−∝⊂⊃⊆⊇∪∩∀∃⊙⊗∘≡≅≪≫")
# Numbers with two dots or more, a "v" before them or not: versions and addresses.
_VERSION = re.compile(r"[vV]?\d+(?:\.\d+){2,}")
# A Greek letter of either case: in prose it is a variable ("tuning parameter λ", "the update Δ w")
_GREEK_LETTER = re.compile("[\u0391-\u03a9\u03b1-\u03c9\u03d1\u03d5]")
# A number with a minus sign and then a space: the left side of a difference ("power 1- β")
_MINUS = re.compile(r"\d+(?:\.\d+)?[-−–]")
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
    >>> [t.text for t in spacy.blank("en")("the “+” sign in /usr/bin/env") if is_formula(t)]
    ['+', '/usr', 'bin']
    >>> [t.text for t in spacy.blank("en")("sync drive:Folder s3:bucket, Note: done") if is_formula(t)]
    ['drive', 'Folder', 's3', 'bucket']
    """
    text = tok.text
    doc = tok.doc
    if any(c in _SIGNS for c in text):
        return True
    if len(text) > 1 and (text[0] == "/" or text[0] == "-" and (text[1].isalnum() or text[1] == "-")):
        return True  # a path ("/bin") or a command-line option ("-c", "--source-port")
    if text.isalpha() and (text.islower() or len(text) == 1) and _called(tok):
        return True  # a function called: "dist(p, q)", "softmax(z)", "E(X)"
    if tok.i >= 2 and doc[tok.i - 1].text == "(" and len(doc[tok.i - 2].text) == 1 and _called(doc[tok.i - 2]):
        return True  # its argument: "XY" in "E(XY)"
    if _in_path(tok) or _colon_joined(tok):
        return True
    if tok.whitespace_ and _MINUS.fullmatch(text):
        return True
    if _VERSION.fullmatch(text):
        return True  # a version or an address: "v2.3.0", "10.0.0.1"
    if all(c in _JOINING for c in text):
        # standing apart ("y + z") it is an operator; glued to a word ("C++", "A/B") it is a name;
        # glued to quotes only ("the “+” operation") it is the operator named
        if tok.whitespace_ or (tok.i > 0 and tok.nbor(-1).whitespace_):
            return True
        before = doc[tok.i - 1].text[-1:] if tok.i > 0 else ""
        after = doc[tok.i + 1].text[:1] if tok.i + 1 < len(doc) else ""
        return not (before.isalnum() or after.isalnum())
    return False


def _called(tok: Token) -> bool:
    """Whether an opening bracket is glued to *tok*: "f(" in "f(x)"."""
    return not tok.whitespace_ and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text.startswith("(")


def _colon_joined(tok: Token) -> bool:
    """A part of a name its colons join with no space ("drive:Folder", "s3:bucket", "assets:prepaid"): a
    remote, an address or an account in code, where a colon in prose has a space after it."""
    doc = tok.doc
    i = tok.i
    after = i + 2 < len(doc) and not tok.whitespace_ and doc[i + 1].text == ":" and not doc[i + 1].whitespace_
    before = i >= 2 and doc[i - 1].text == ":" and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_
    return (after and doc[i + 2].text[:1].isalnum()) or (before and doc[i - 2].text[-1:].isalnum())


def _in_path(tok: Token) -> bool:
    """A folder of a path after its first ("bin" in "/usr/bin/env"): glued to a slash that is glued
    to the path before it, and followed by another. The last part names a file or a program, which
    may be a term ("fstab" in "/etc/fstab")."""
    doc = tok.doc
    i = tok.i
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].text != "/" or tok.whitespace_:
        return False
    while i >= 2 and doc[i - 1].text == "/" and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_:
        if doc[i - 2].text.startswith("/"):
            return True
        i -= 2
    return False


def is_variable(tok: Token) -> bool:
    """A lone lower-case or Greek letter, standing apart from its neighbours: a variable ("point x", "array a.",
    "update Δ w"; not "β" of "β-VAE");
    a capital with its full stop after a noun or a comma: a variable closing a sentence ("array A.")
    or an initial of a name ("Koren, Y."); or a lone capital that ends a common noun's phrase: the name
    of one instance ("a random variable X supported on", "if user A watches", "node H)"). A capital
    followed by the rest of a term is a word of it: "Mann-Whitney U test", "Class A network".

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("the test point x and the p-value")
    >>> [t.text for t in doc if is_variable(t)]
    ['x']
    >>> [t.text for t in spacy.blank("en")("Hu, Y. and the array A. Written in R.") if is_variable(t)]
    ['Y.', 'A.']
    >>> [t.text for t in spacy.blank("en")("Δ w and the β-VAE of rate λ") if is_variable(t)]
    ['Δ', 'w', 'λ']
    """
    text = tok.text.rstrip(".")
    doc = tok.doc
    if len(tok.text) == 2 and tok.text[0].isupper() and tok.text[1] == "." and tok.i > 0:
        before = doc[tok.i - 1]
        return before.text == "," or before.pos_ == "NOUN" or before.is_lower and before.is_alpha and not before.is_stop
    greek = len(tok.text) == 1 and _GREEK_LETTER.match(tok.text) is not None
    if not greek and len(tok.text) == 1 and tok.text.isupper() and tok.text.isalpha() and tok.i > 0:
        return _names_an_instance(tok)
    if len(text) != 1 or not text.isalpha() or not (text.islower() or greek):
        return False
    glued_after = tok.i + 1 < len(doc) and not tok.whitespace_ and doc[tok.i + 1].text == "-"
    glued_before = tok.i > 0 and not doc[tok.i - 1].whitespace_ and doc[tok.i - 1].text == "-"
    return not (glued_after or glued_before)


def _names_an_instance(letter: Token) -> bool:
    """``letter`` (a lone capital) follows a common noun written in lower case or with only its first
    letter capitalised ("Matrix A" opening a sentence), or another word of lower case but a function
    word ("prior K", "computed K"), with a space between, and ends the phrase: no noun, adjective or
    number comes after it, nor a hyphen or slash that glues it to one ("plan A/B"). After a function
    word the capital is a name of its own ("written in C")."""
    doc = letter.doc
    before = doc[letter.i - 1]
    # the tagger often calls the noun a proper one or an adjective when a capital follows ("node H",
    # "dataset S"): lower case says it is a common word
    common = before.pos_ == "NOUN" or before.is_lower and not before.is_stop
    if not common or not before.is_alpha or not before.text[1:].islower() or not before.whitespace_:
        return False
    if letter.i + 1 == len(doc):
        return True
    after = doc[letter.i + 1]
    if not letter.whitespace_ and after.text in ("-", "/"):
        return False
    return after.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM")
