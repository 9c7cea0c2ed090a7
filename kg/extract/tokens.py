"""What a token can be in a concept name, read from its tags and its place in the parse.

The rules of :class:`~kg.extract.component.ConceptFinder` are written with these tests: which tokens
make up a run of modifiers and nouns, which can end a term, which are verbs the tagger took for
nouns, and which modifiers listed before a term ("L1 and L2 regularization") share its head.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from spacy.tokens import Doc, Token

from kg.extract.formula import is_formula, is_variable
from kg.extract.keys import QUOTES, zipf
from kg.extract.lexicon import (
    ACRONYM,
    CLAUSE_VERBS,
    DO_QUESTION_VERBS,
    GENERIC_MODIFIERS,
    IDIOMS,
    INVARIANT_PLURALS,
    LATIN_ABBREVIATIONS,
    LY_ADJECTIVES,
    PLACE_MODIFIERS,
    PLACEHOLDER_NAMES,
    PLACEHOLDER_NOTES,
    REFERENCE_ABBREVIATIONS,
)
from kg.parse.plaintext import CLI_OPTION

NOUNS = {"NOUN", "PROPN"}
_MODIFIERS = {"NOUN", "PROPN", "ADJ", "NUM"}
_ADVERB_TAGS = frozenset({"RB", "RBR", "RBS"})  # "so", "much", "well", "faster"


def _is_gerund_noun(tok: Token) -> bool:
    """A gerund used as a noun ("transfer learning", "gradient clipping", "overfitting")."""
    if tok.tag_ != "VBG":
        return False
    prev = tok.nbor(-1) if tok.i > 0 else None
    takes_object = any(c.dep_ in {"dobj", "pobj", "prep", "ccomp", "xcomp"} for c in tok.children)
    return tok.dep_ in {"compound", "nsubj", "nsubjpass", "pobj", "dobj", "conj", "ROOT", "amod", "attr"} and (
        (prev is not None and prev.pos_ in NOUNS | {"ADJ"} and prev.dep_ in {"compound", "amod"})
        or tok.dep_ in {"nsubj", "nsubjpass", "pobj"}
        or tok.text.lower().endswith("fitting")
        or not takes_object  # "What is forecasting?"
    )


_VERSUS = frozenset({"vs", "vs.", "versus"})
# Tags of a word a name can end on before "VS" ("TCP VS UDP", "Supervised VS Unsupervised Learning",
# "Python 2 VS Python 3"); a verb or a determiner before it makes "VS" a name ("Install VS 2022")
_NAME_END_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "JJ", "VBN", "VBG", "CD"})


def _versus(tok: Token) -> bool:
    """"vs." written apart: "one-vs-all" is one word. In capitals it sets apart the names either side of it
    ("TCP VS UDP"); "VS Code" is a name, and so is "VS" after a word that ends no name ("Install VS 2022")."""
    doc = tok.doc
    if not (tok.lower_ in _VERSUS and bool(tok.whitespace_) and tok.i > 0 and bool(doc[tok.i - 1].whitespace_)):
        return False
    if not tok.text.isupper():
        return True
    before, after = doc[tok.i - 1], doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    ends_name = before.text == ")" or before.tag_ in _NAME_END_TAGS
    return ends_name and (after is None or after.lower_ != "code")


def _is_term_token(tok: Token) -> bool:
    if tok.is_space or tok.is_punct and tok.text not in QUOTES and tok.text != "-":
        return False
    if is_formula(tok) or is_variable(tok):  # "x = b", "theta |", "scaled_dataset", "point x"
        return False
    if is_cited_name(tok):  # "Koren, Y., & Volinsky, C. (2008)"
        return False
    if is_cross_reference(tok):  # "in Fig. 3"
        return False
    if is_latin_abbreviation(tok):  # "extension eg. authentication"
        return False
    if _placeholder(tok):  # "var foo", "TODO.", "XXX is not a function"
        return False
    if _hex_string(tok):  # "(usb) 0123456789abcdef device": a serial number, a hash or an address
        return False
    if _versus(tok):  # "SwiGLU vs. GELU vs. ReLU": the word sets two terms apart, it joins none
        return False
    if tok.text == "-":
        # Inside a hyphenated word only: "mini-batch", "pre-trained".
        return tok.i > 0 and not tok.nbor(-1).whitespace_ and not tok.whitespace_
    if tok.text in QUOTES:
        return True
    if ACRONYM.match(tok.text) and not tok.is_stop:
        return True
    if tok.pos_ in _MODIFIERS:
        if tok.is_stop and tok.i + 1 < len(tok.doc) and tok.nbor(1).text == "-" and not tok.whitespace_:
            return True  # "one-dimensional", "multi-class"
        return (
            not (tok.is_stop and tok.pos_ != "PROPN")
            or tok.lower_ in {"same", "top", "first"}
            or _stop_word_in_compound(tok)
            or counts_a_modifier(tok)
        )
    if tok.tag_ in {"VBG", "VBN"}:
        return True
    return False


def _placeholder(tok: Token) -> bool:
    """A made-up name ("foo"), or a note of something still to write that modifies no noun after it
    ("TODO.", "XXX is not a function", but "TODO list")."""
    word = tok.lower_.rstrip(".:")
    if word in PLACEHOLDER_NAMES:
        return True
    if word not in PLACEHOLDER_NOTES:
        return False
    after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return after is None or after.pos_ not in NOUNS or tok.text.endswith((".", ":"))


_HEX = re.compile(r"[0-9a-fA-F]{8,}")


def _hex_string(tok: Token) -> bool:
    """A string of eight or more hexadecimal digits with letters and numbers both: a serial number, a hash or an
    address ("0123456789abcdef", "e3b0c442"), which names no concept. "deadbeef" and "20240101" have one kind only.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("0123456789abcdef e3b0c442 deadbeef 20240101 word2vec")
    >>> [t.text for t in doc if _hex_string(t)]
    ['0123456789abcdef', 'e3b0c442']
    """
    text = tok.text
    return bool(_HEX.fullmatch(text)) and any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def _stop_word_in_compound(tok: Token) -> bool:
    """A word of the stop list that names a side or a place, modifying the noun after it: "front end
    developers", "bottom layer storage", "side effects", "client-side rendering". Stop lists hold these
    everyday words because they rarely carry meaning alone, yet before a noun they name a kind of it, and
    leaving them out cuts the name ("end developers", "layer storage"). Other stop words ("only", "full",
    "part", "name") grade, count or head a phrase as often as they name, and stay out.
    """
    doc = tok.doc
    return (
        tok.lower_ in PLACE_MODIFIERS
        and tok.dep_ in {"compound", "amod", "nmod"}
        and tok.head.i > tok.i
        and tok.i + 1 < len(doc)
        and doc[tok.i + 1].pos_ in NOUNS
    )


def counts_a_modifier(tok: Token) -> bool:
    """A number word that counts the noun right after it, itself a modifier of a later singular noun, which the
    number cannot count: "three way handshake", "two phase commit", "billion dollar mistake". The two words are
    one modifier, and the modifier alone ("way handshake") names nothing. Numbers are stop words, yet a word of
    the term there. Before a plural ("two probability distributions") the number counts the noun, whatever the
    parse says. An ordinal other than "first" ranks the modifier as a kind ("third party tools", "second order
    methods"); "first" orders the noun ("the first n words").

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["a", "three", "way", "handshake", "two", "vector", "spaces"],
    ...           heads=[3, 2, 3, 3, 5, 6, 6], deps=["det", "nummod", "compound", "ROOT", "nummod", "compound", "ROOT"],
    ...           tags=["DT", "CD", "NN", "NN", "CD", "NN", "NNS"])
    >>> counts_a_modifier(doc[1]), counts_a_modifier(doc[4])
    (True, False)
    """
    head = tok.head
    if not (head.i == tok.i + 1 and head.tag_ in ("NN", "NNP") and head.dep_ in {"compound", "amod", "nmod", "npadvmod"}
            and head.head.i > head.i):
        return False
    return tok.lower_ in _ORDINALS or (tok.lower_ in _CARDINALS and head.head.tag_ in ("NN", "NNP"))


_CARDINALS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundred",
                        "thousand", "million", "billion"})
# Ordinals that rank a kind as often as a place in a sequence ("third party tools", "second order methods"); "first"
# mostly orders ("the first n words", "the first layer output")
_ORDINALS = frozenset({"second", "third", "fourth", "fifth"})


def is_cited_name(tok: Token) -> bool:
    """A word of a citation's authors: a surname followed by a comma and an initial ("Volinsky, C."), by
    "et al." ("Nakkiran et al. 2020", and "et al." itself), or by a year or a dash after "&" or a list of
    surnames ("Loshchilov & Hutter 2017", "Dao & Gu —", "Goodfellow, Bengio, Courville — Deep Learning")."""
    doc = tok.doc
    if tok.lower_ in ("et", "al", "al.") and _et_al(doc, tok.i - (tok.lower_ != "et")):
        return True
    if tok.lower_ in _NAME_PARTICLES:  # "van der Maaten et al."
        k = tok.i + 1
        while k < len(doc) and doc[k].lower_ in _NAME_PARTICLES:
            k += 1
        return k < len(doc) and doc[k].is_title and is_cited_name(doc[k])
    if not _surname(tok):
        return False
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == ",":
        initial = doc[tok.i + 2].text
        if len(initial) == 2 and initial[0].isupper() and initial[1] == ".":
            return True
    if _et_al(doc, tok.i + 1):
        return True
    return _in_author_list(doc, tok.i)


# Lower-case words that open a surname
_NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "del", "du", "le", "la"})


def _surname(tok: Token) -> bool:
    return tok.is_alpha and tok.is_title and len(tok) > 1


def _et_al(doc: Doc, i: int) -> bool:
    """``doc[i]`` opens "et al" or "et al."."""
    return i + 1 < len(doc) and doc[i].lower_ == "et" and doc[i + 1].lower_ in ("al", "al.")


# What follows a citation's list of authors: a year, bare or in brackets, or a dash before the title
_YEAR = re.compile(r"(?:19|20)\d\d[a-z]?")
_DASHES = frozenset({"—", "–"})


def _in_author_list(doc: Doc, i: int) -> bool:
    """``doc[i]`` is one of two or more surnames joined by commas, "&" or "and" that a year follows, or a
    dash and then a quoted or capitalised title: "Loshchilov & Hutter 2017", "Grinsztajn, Oyallon,
    Varoquaux — "Why do ..."". One name alone before a dash is too often a term ("Transformers — an
    overview"), and a list of names with a dash and lower-case words is a list of things ("Docker and Helm
    — the tools we use")."""
    start = i
    while start >= 2 and doc[start - 1].text in (",", "&", "and") and _surname(doc[start - 2]):
        start -= 2
    end = i + 1
    while end + 1 < len(doc) and doc[end].text in (",", "&", "and") and _surname(doc[end + 1]):
        end += 2
    if end - start < 3 or end >= len(doc):  # one name
        return False
    after = doc[end]
    nxt = doc[end + 1] if end + 1 < len(doc) else None
    if _YEAR.fullmatch(after.text) or _et_al(doc, end):
        return True
    if after.text == "(":
        return nxt is not None and bool(_YEAR.fullmatch(nxt.text))
    return after.text in _DASHES and nxt is not None and (nxt.text in QUOTES or nxt.is_title)


def is_latin_abbreviation(tok: Token) -> bool:
    """"e.g.", "eg", "i.e", "etc." and the like, in any case but all capitals ("IE", "CF" are names)."""
    return tok.lower_.rstrip(".") in LATIN_ABBREVIATIONS and not tok.text.isupper()


def is_cross_reference(tok: Token) -> bool:
    """An abbreviation that points at a figure of the source: "Fig. 3", "Fig.(7.4)" (one token), "below
    fig.", "Below fig depicts". Written with its period, before a number or a bracket, or after a word
    that points up or down the page."""
    low = tok.lower_
    if low.split(".", 1)[0] not in REFERENCE_ABBREVIATIONS:
        return False
    if "." in low:
        return True
    after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    before = tok.nbor(-1) if tok.i > 0 else None
    return (after is not None and (after.text in {".", "("} or after.like_num)) or (
        before is not None and before.lower_ in {"below", "above"}
    )


def cuts_word(doc: Doc, end: int) -> bool:
    """Whether a span ending before token *end* cuts a hyphenated word: the token there is a hyphen
    glued to the words on both sides ("one-vs" of "one-vs-all", "scikit" of "scikit-learn")."""
    return (
        0 < end < len(doc) - 1
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].text[:1].isalnum()
    )


def do_support_verb(tok: Token) -> bool:
    """The bare verb that closes a question asked with "do" ("How does max pooling work?", "Why does
    tokenization matter so much for arithmetic?"), with nothing but the subject between it and the
    "do": the last word of its sentence, or followed by adverbs and then the end or a preposition. A
    noun there followed by anything else ("Does the weight matrix always have full rank?", "Does the
    feature matrix in PCA need scaling?") is the subject's."""
    sent = tok.sent
    after = [t for t in sent if t.i > tok.i and not t.is_punct and not t.is_space]
    adverbs = next((k for k, t in enumerate(after) if t.tag_ not in _ADVERB_TAGS), len(after))
    closes = not after or (adverbs > 0 and (adverbs == len(after) or after[adverbs].tag_ == "IN"))
    if not closes or tok.tag_ not in {"NN", "NNP", "VB"} or tok.i == sent.start:
        return False
    for t in reversed(sent[: tok.i - sent.start]):
        if t.lemma_ == "do" and t.tag_ in {"VBZ", "VBP", "VBD"}:
            return t.i < tok.i - 1
        if t.pos_ in {"VERB", "AUX"} and t.tag_ not in {"VBG", "VBN"}:  # "max pooling", "a trained model"
            return False
    return False


_QUESTION_OPENERS = frozenset({"does", "do", "did", "can", "could", "will", "would", "should", "may", "might", "must"})
WH_WORDS = frozenset({"how", "why", "what", "when", "where", "who"})
_BARE_TAGS = frozenset({"NN", "NNP", "JJ", "VB"})  # what the tagger makes of a bare verb it did not see


def do_question_verb(
    doc: Doc, start: int, end: int, verbs: Iterable[str] = (), verbs_only: Iterable[str] = ()
) -> int | None:
    """The index of the verb inside the run ``doc[start:end]`` of a question opened by "does", "do" or a
    modal (alone or after a question word) and holding no verb the tagger saw: "support" of "Does
    Application Gateway support IPv6?", read as one name "application gateway support IPv6"; "encode"
    of "How do vision-language models encode images?". The verb is a word after the run's first, in its
    bare form, that ``verbs`` (English's verbs) holds and that has something other than a preposition
    after it: one English uses only as a verb (``verbs_only``) where there is one, else one of
    ``do_question_verbs`` (``kg/data/english.toml``), else the last, since the subject's words come
    before its verb; none where the question ends on a verb (:func:`do_support_verb`). Outside a heading
    in title case, a word with a capital is a name's, unless ``do_question_verbs`` holds it ("Does Azure
    Synapse workspace Support CI/CD?"). Without ``verbs`` the words of ``do_question_verbs`` are the verbs.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> words, vocab = ["Does", "Application", "Gateway", "support", "IPv6", "?"], English().vocab
    >>> tags, starts = ["VBZ", "NNP", "NNP", "NN", "NNP", "."], [True] + [False] * 5
    >>> do_question_verb(Doc(vocab, words=words, tags=tags, sent_starts=starts), 1, 5)
    3
    >>> do_question_verb(Doc(vocab, words=["Is", *words[1:]], tags=tags, sent_starts=starts), 1, 5)  # no verb
    """
    sent = doc[start].sent
    lead = (t for t in sent if not t.is_punct)  # called for every run: look no further than the opener first
    opener = next(lead, None)
    if opener is not None and opener.lower_ in WH_WORDS:
        opener = next(lead, opener)
    if opener is None or opener.lower_ not in _QUESTION_OPENERS or not sent.text.rstrip().endswith("?"):
        return None
    if any(t.tag_ in {"VB", "VBP"} and t.i > opener.i for t in sent):
        return None  # the tagger found the verb
    if opener.i >= start:
        return None
    words = [t for t in sent if not t.is_punct and t.i >= opener.i]
    # A heading in title case writes its verb with a capital too; elsewhere a word in capitals is a name's
    titled = all(t.text[:1].isupper() for t in words if t.is_alpha and len(t) > 3)
    verbs = frozenset(verbs) or DO_QUESTION_VERBS

    def takes_object(k: int) -> bool:
        # a verb has its object after it; "a failed audit in a pipeline", "the absolute value of" are nouns
        if k + 1 >= sent.end:
            return False
        nxt = doc[k + 1]
        return (nxt.text in QUOTES or (nxt.text == "-" and bool(doc[k].whitespace_))
                or (nxt.tag_ != "IN" and not nxt.is_punct))

    # the subject may stand before the run: "How do I decrease Kopia's usage?" asks with the run's first word
    first = start if start > 0 and doc[start - 1].tag_ == "PRP" and doc[start - 1].i == opener.i + 1 else start + 1
    bare = [k for k in range(first, end)
            if doc[k].tag_ in _BARE_TAGS and doc[k].lower_ in verbs and takes_object(k)
            and (titled or doc[k].is_lower or doc[k].lower_ in DO_QUESTION_VERBS)]
    only = frozenset(verbs_only)
    sure = [k for k in bare if doc[k].lower_ in only] + [k for k in bare if doc[k].lower_ in DO_QUESTION_VERBS]
    if sure:
        return sure[0]
    last = next((t for t in reversed(words) if not (t.tag_ in _ADVERB_TAGS and t.is_lower)), opener)
    if last.i >= start and last.tag_ in _BARE_TAGS and last.lower_ in verbs:
        return None  # the verb closes the question ("How does a rolling update work?"): do_support_verb's
    return bare[-1] if bare else None


def naming_participle(tok: Token) -> bool:
    """*tok* is a participle that gives the name of the noun before it: "called" of "a variable called
    members", "named" of "a model named BERT". "called" is no modifier before a noun; "named" is one
    ("named entity recognition"), so it counts only where the parser hangs it on the noun before.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> words, heads, tags = ["a", "model", "named", "BERT"], [1, 1, 1, 2], ["DT", "NN", "VBN", "NNP"]
    >>> doc = Doc(English().vocab, words=words, heads=heads, deps=["det", "ROOT", "acl", "oprd"], tags=tags)
    >>> naming_participle(doc[2]), naming_participle(doc[1])
    (True, False)
    """
    if tok.tag_ != "VBN":
        return False
    low = tok.lower_
    return low == "called" or (low in ("named", "termed", "dubbed") and tok.dep_ == "acl")


def idiom_object(tok: Token) -> bool:
    """*tok* is the object of a verb it makes an idiom with (``idioms`` in ``kg/data/english.toml``): "pays
    attention to", "made use of", "attention is paid to". Such a noun names no thing.

    Examples
    --------
    >>> from spacy.tokens import Doc
    >>> from spacy.vocab import Vocab
    >>> doc = Doc(Vocab(), words=["It", "pays", "attention"], heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"],
    ...           lemmas=["it", "pay", "attention"])
    >>> idiom_object(doc[2]), idiom_object(doc[0])
    (True, False)
    """
    return tok.dep_ in ("dobj", "obj", "nsubjpass") and (tok.head.lemma_.lower(), tok.lemma_.lower()) in IDIOMS


def wh_clause_verb(doc: Doc, start: int, end: int) -> bool:
    """The last word of the run ``doc[start:end]`` is the verb of a clause that "how" or "why" opens, read
    as a noun of its subject's name: "how cross-validation works", "Why Depth Matters:", "How Attention
    Works in Transformers". The run follows the word (or its determiner), ends the clause (a mark, the
    end, or a preposition after it) and ends on one of ``clause_verbs`` (``kg/data/english.toml``).

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> doc = English()("Explain how gradient boosting works.")
    >>> wh_clause_verb(doc, 2, 5), wh_clause_verb(English()("Why neural networks?"), 1, 3)
    (True, False)
    """
    if end - start < 2 or doc[end - 1].lower_ not in CLAUSE_VERBS:
        return False
    before = start - 1
    if before >= 0 and doc[before].lower_ in ("the", "a", "an"):
        before -= 1
    if before < 0 or doc[before].lower_ not in ("how", "why"):
        return False
    return end == len(doc) or doc[end].is_punct or doc[end].tag_ == "IN"


# A sign of code in inline code of several words: a statement, a path or a message rather than a name
# ("`const x = 1`", "`could not read local://...`", "`Release Version: v1.0`"; not "`br log stop`").
_CODE_SIGNS = re.compile(r"[=;{}()\[\]<>\"'$|&*+!?,:\\/`@#%^~]")
# One path of code: no statement, and its last part often names what it points to ("/dev/urandom", "certs.d")
_PATH = re.compile(r"[\w.~-]*(?:/[\w.~-]*)+")
# The words of such code that are names by their shape: a keyword in capitals ("ALTER TABLE"), words
# joined by a hyphen, dot or underscore ("box-sizing", "storage.api-version"), a word with a capital
# inside ("SQLException", "getUser"). Other words of a statement ("const", "path", "failed") name nothing.
_CAPS_WORD = re.compile(r"[A-Z][A-Z0-9_]+")
_IDENTIFIER = re.compile(r"(?<![\w.-])[A-Za-z][A-Za-z0-9_]*(?:[-.][A-Za-z][A-Za-z0-9_]*)*")
_NAME_SHAPE = re.compile(
    r"[A-Za-z][A-Za-z0-9]*(?:[-._][A-Za-z][A-Za-z0-9]*)+"  # joined words
    r"|(?=.*[a-z])[A-Za-z0-9]*[a-zA-Z0-9][A-Z][A-Za-z0-9]*"  # a capital inside
)


def code_tokens(doc: Doc, ranges: Iterable[tuple[int, int]]) -> tuple[frozenset[int], frozenset[int]]:
    """For the inline code of several words, or of a path or an option, at ``ranges`` (character offsets,
    :func:`kg.parse.code_ranges`) in ``doc``: the tokens that name nothing, and the token offsets across
    which no name runs.

    Code without a sign of code (``=``, ``:``, a bracket, a quote...), and one path ("`/dev/urandom`"), is
    read as words, but no name runs into it or out of it ("the error message `transaction too large`" is
    no "error message transaction", "the `./p` folder" no "./p folder"). In a command with options only
    the words before the first option are read ("`docker build -t app .`"). Code with a sign is a
    statement, path or message: only its first word (its command or keyword) and the identifiers in it
    shaped as names (:data:`_NAME_SHAPE`) are read, each alone, and keywords in capitals side by side
    together.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> doc = English()("Run br log stop, then ALTER TABLE t ADD COLUMN c; and const maxSize = 1.")
    >>> blocked, bounds = code_tokens(doc, [(4, 15), (22, 49), (54, 71)])
    >>> [t.text for t in doc if t.i not in blocked]
    ['Run', 'br', 'log', 'stop', ',', 'then', 'ALTER', 'TABLE', 'ADD', 'COLUMN', 'and', 'const', 'maxSize', '.']
    >>> sorted(bounds)  # "br log stop" whole; "ALTER TABLE", "ADD COLUMN", "const", "maxSize" each alone
    [1, 4, 6, 8, 9, 11, 13, 14, 15, 16, 18]
    """
    blocked: set[int] = set()
    bounds: set[int] = set()
    for a, b in ranges:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None:
            continue
        bounds.update((span.start, span.end))
        code = doc.text[a:b]
        if _PATH.fullmatch(code):
            continue  # a path, whose words name what it points to ("/dev/urandom")
        option = CLI_OPTION.search(code)
        if option is not None and not _CODE_SIGNS.search(code):
            # a command with its options ("docker build -t app ."): the words before the first option
            # name the command, and the options and their values name nothing ("--edit-format diff")
            rest = doc.char_span(a + option.start(), b, alignment_mode="expand")
            if rest is not None:
                blocked.update(range(rest.start, rest.end))
                bounds.add(rest.start)
            continue
        if not _CODE_SIGNS.search(code):
            continue
        blocked.update(range(span.start, span.end))
        caps_end = -1  # where the last keyword in capitals ends: the next one joins it ("ALTER TABLE")
        for n, m in enumerate(_IDENTIFIER.finditer(doc.text, span.start_char, span.end_char)):
            name = doc.char_span(m.start(), m.end())
            if name is None:
                continue  # part of a token ("ODEProblem(f"): no name of its own
            caps = bool(_CAPS_WORD.fullmatch(m.group()))
            # the statement's first word is its command or keyword ("grep", "docker", "typeof")
            command = n == 0 and m.start() == span.start_char and m.group().isalpha()
            if not caps and not command and not _NAME_SHAPE.fullmatch(m.group()):
                continue
            blocked.difference_update(range(name.start, name.end))
            if caps and caps_end == m.start() - 1 and doc.text[caps_end] == " ":
                bounds.discard(name.start)
            else:
                bounds.add(name.start)
            bounds.add(name.end)
            caps_end = m.end() if caps else -1
    return frozenset(blocked), frozenset(bounds)


_OPTION = re.compile(r"[A-H][.)]")


def option_markers(doc: Doc) -> frozenset[int]:
    """The tokens that letter the options of a quiz written on one line ("A. Accounts Payable B. Owner's
    Capital C. Rent Expense"): a capital and a dot, three or more of them in a row of the alphabet, so that
    an initial of a name ("T. M. Scanlon") or a plan B is not one. No name runs across them.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> nlp = English()
    >>> doc = nlp("Which is temporary? A. Accounts Payable B. Owner Capital C. Rent Expense")
    >>> sorted(doc[i].text for i in option_markers(doc))
    ['A.', 'B.', 'C.']
    >>> option_markers(nlp("As T. M. Scanlon wrote.")), option_markers(nlp("Plan B. Then plan C."))
    (frozenset(), frozenset())
    """
    letters = [t for t in doc if _OPTION.fullmatch(t.text)]
    if len(letters) < 3:
        return frozenset()
    marks = {t.text[0] for t in letters}
    runs = {c for c in marks if {chr(ord(c) + k) for k in range(3)} <= marks}  # each letter opening three in a row
    lettered = {chr(ord(c) + k) for c in runs for k in range(3)}
    return frozenset(t.i for t in letters if t.text[0] in lettered)


def split_run(start: int, end: int, blocked: Container[int], bounds: Container[int]) -> Iterable[tuple[int, int]]:
    """The run ``start``-``end`` cut at each of ``bounds`` and without the tokens of ``blocked``
    (:func:`code_tokens`).

    Examples
    --------
    >>> list(split_run(0, 8, blocked={1, 2}, bounds={1, 3, 5}))
    [(0, 1), (3, 5), (5, 8)]
    """
    piece = start
    for i in range(start, end):
        if i in blocked:
            if piece < i:
                yield piece, i
            piece = i + 1
        elif i in bounds and piece < i:
            yield piece, i
            piece = i
    if piece < end:
        yield piece, end


# The hyphens that join the pieces of a word: the ASCII one and the non-breaking one.
HYPHENS = frozenset({"-", "‑"})


def can_end(tok: Token) -> bool:
    """Whether a term can end on *tok*: a noun, an acronym or a gerund used as a noun, but no number
    written in words ("two consecutive threes", "in the hundreds")."""
    return (
        tok.pos_ in NOUNS
        or (bool(ACRONYM.match(tok.text)) and not capitals_as_a_word(tok))
        or _is_gerund_noun(tok)
    ) and tok.text not in QUOTES and tok.text != "-" and not number_word(tok)


def number_word(tok: Token) -> bool:
    """A number written in words, in the singular or the plural: "three", "threes", "hundreds"; not a name
    written with capitals inside ("ZeRO") nor the last piece of a hyphenated one ("one-vs-one").

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("two consecutive threes or sixes in the hundreds of tries, 10 nodes, ZeRO, R1-zero")
    >>> [t.text for t in doc if number_word(t)]
    ['two', 'threes', 'sixes', 'hundreds']
    """
    if not tok.is_alpha or any(c.isupper() for c in tok.text[1:]):
        return False  # "ZeRO" is a name
    doc = tok.doc
    if tok.i > 0 and doc[tok.i - 1].text in HYPHENS and not doc[tok.i - 1].whitespace_:
        return False  # the last piece of a hyphenated name: "one-vs-one", "R1-zero"
    low = tok.lower_
    return tok.like_num or any(low.endswith(end) and tok.vocab[low[: -len(end)]].like_num for end in ("s", "es"))


def capitals_as_a_word(tok: Token) -> bool:
    """An everyday word written in capitals and used as one, not as a name: the parser reads it as an
    adjective, adverb or interjection on its own ("is it OK to rename it?", "OK, now run it"). It may still
    modify a name after it ("the OK button"), and a name in capitals is no everyday word ("GPU", "NP"),
    whatever the parser makes of it.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["it", "is", "OK", "and", "GPU", "bound"], pos=["PRON", "AUX", "ADJ",
    ...           "CCONJ", "ADJ", "ADJ"], deps=["nsubj", "ROOT", "acomp", "cc", "amod", "conj"])
    >>> capitals_as_a_word(doc[2]), capitals_as_a_word(doc[4])
    (True, False)
    """
    return (
        tok.pos_ in ("ADJ", "ADV", "INTJ")
        and tok.dep_ in ("acomp", "advmod", "intj", "ROOT", "conj")
        and tok.text.isupper()
        and zipf(tok.lower_) >= EVERYDAY_WORD_ZIPF
    )


# From this Zipf frequency a word in capitals is an everyday word ("ok" 5.1, "gpu" 3.2, "np" 3.6)
EVERYDAY_WORD_ZIPF = 4.5


def runs(doc: Doc) -> Iterable[tuple[int, int]]:
    """Maximal runs of term-like tokens, as (start, end) token offsets."""
    start = None
    for tok in doc:
        if _is_term_token(tok):
            if start is None:
                start = tok.i
            continue
        if start is not None:
            yield start, tok.i
            start = None
    if start is not None:
        yield start, len(doc)


# Words and marks that join the items of a list of modifiers ("L1 and L2", "valid/same").
_JOINERS = frozenset({"and", "or", ",", "/", "&"})


def _modifier_group(doc: Doc, end: int) -> int | None:
    """Start of the modifier ending at token *end* - 1: a word, or hyphenated words ("semi-supervised",
    "weakly supervised"); None if the token there is not a modifier."""
    i = end - 1
    while i >= 0 and doc[i].text in QUOTES:
        i -= 1
    if i < 0:
        return None
    tok = doc[i]
    if tok.is_punct or tok.is_stop or tok.lower_ in GENERIC_MODIFIERS or is_formula(tok) or is_variable(tok):
        return None  # "bin" of "/usr/bin/env bash" is no modifier listed before "env bash"
    if tok.pos_ not in _MODIFIERS and tok.tag_ not in {"VBG", "VBN", "VBD"}:
        return None
    if tok.tag_ in {"NNS", "NNPS"} and not ACRONYM.match(tok.text):
        return None  # "KD-trees, or vector quantization": a plural noun is a list item, not a modifier
    start = i
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
        start -= 2  # "semi - supervised"
    if start >= 1 and is_adverb(doc[start - 1]):
        start -= 1  # "weakly supervised"
    while start < end and doc[start].text in QUOTES:
        start += 1
    return start


def coordinated_modifiers(doc: Doc, span_start: int, first: Token) -> list[tuple[int, int]]:
    """Modifiers listed before a term that share its head: "L1 and L2 regularization", "'valid' and
    'same' padding", "vanishing/exploding gradients", "supervised, unsupervised and active learning".
    """
    found: list[tuple[int, int]] = []
    i = span_start
    while True:
        j = i
        saw_joiner = False
        while j > 0 and (doc[j - 1].lower_ in _JOINERS or doc[j - 1].text in QUOTES):
            saw_joiner = saw_joiner or doc[j - 1].lower_ in _JOINERS
            j -= 1
        if not saw_joiner or j == i:
            break
        # The joiner next to the term must close a list ("and", "or", "/"): in "learning rate,
        # batch size" the comma separates two terms.
        if i == span_start and not any(doc[k].lower_ in {"and", "or", "/", "&"} for k in range(j, i)):
            break
        start = _modifier_group(doc, j)
        if start is None:
            break
        end = j
        while end > start and doc[end - 1].text in QUOTES:
            end -= 1
        # The parser must agree the listed word belongs with the term, or the list must be
        # one the slash writes ("vanishing/exploding").
        tok = doc[end - 1]
        if any(c.dep_ in {"compound", "amod"} and c.i < start for c in tok.children):
            # "the delta rule or gradient descent", '"permanent resident" and "citizen" status':
            # "rule" and "resident" head terms of their own
            break
        joined_by_slash = doc[j].text == "/"
        linked = (
            joined_by_slash
            or tok.head.i == first.i
            or first.head.i == tok.i
            or tok.head.i >= span_start
            or tok.dep_ == "conj"
            # Listed adjectives and participles before a term describe it ("supervised and
            # unsupervised learning") even where the parse of such lists goes astray.
            or tok.pos_ == "ADJ"
            or tok.tag_ in {"VBN", "VBD"}
        )
        if not linked:
            break
        found.append((start, end))
        i = start
    return found


# Finite verbs and modals: a sentence without one is a heading or an instruction ("recreate file:").
FINITE = frozenset({"VBZ", "VBP", "VBD", "MD"})
# Determiners of one thing: a run after one cannot end in a plural noun ("as a model complexity
# increases"), so a plural there is the verb.
SINGULAR_DETERMINERS = frozenset({"a", "an", "this", "each", "every", "another"})
ARTICLES = frozenset({"a", "an", "the"})
# Words that open a clause of time or manner ("as elaboration runs"), and adverbs in -ly that may follow a
# noun ("upgrades daily", "rank-1 types only")
_TIME_MARKS = frozenset({"as", "while", "when", "whenever", "once", "until", "unless", "whereas"})
_NOUN_ADVERBS = frozenset({"only", "early", "daily", "weekly", "monthly", "yearly", "hourly", "nightly"})
# The words of _TIME_MARKS that open a clause before "the" ("until the function returns"); "as" does not
# ("such as the database connections" lists things)
_CLAUSE_BEFORE_THE = _TIME_MARKS - {"as"}


def opens_on_one_thing(doc: Doc, start: int) -> bool:
    """Whether the run at ``start`` follows a determiner of one thing, or "the" right after a word that opens
    a clause ("until the surrounding function returns"). Such a run cannot end its clause in a plural noun
    after a singular one: the clause needs a verb, and the plural is it.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> doc = English()("until the surrounding function returns ; such as the database connections")
    >>> opens_on_one_thing(doc, 2), opens_on_one_thing(doc, 9)
    (True, False)
    """
    if start < 1:
        return False
    before = doc[start - 1].lower_
    return before in SINGULAR_DETERMINERS or (
        before == "the" and start > 1 and doc[start - 2].lower_ in _CLAUSE_BEFORE_THE)


def acts_as_verb(tok: Token) -> bool:
    """A token tagged as a noun that heads a clause: it has a subject, or it is the root of a
    sentence with no finite verb and something before it that could be its subject."""
    if tok.pos_ not in NOUNS and tok.tag_ not in {"VBZ", "VBP", "VBD"}:
        return False
    if tok.tag_ in {"VBZ", "VBP", "VBD"}:
        return True
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children):
        return True
    if (
        tok.tag_ in {"NN", "NNP"}
        and tok.i > 0
        and tok.doc[tok.i - 1].pos_ in NOUNS
        and any(c.dep_ == "aux" and (c.lemma_ == "do" or c.tag_ == "MD") for c in tok.children)
        and (
            any(c.dep_ == "dobj" for c in tok.children)
            or tok.i + 1 == len(tok.doc)
            or tok.doc[tok.i + 1].is_punct
            or tok.doc[tok.i + 1].dep_ == "prep"
        )
    ):
        # "Does the gateway support IPv6?", "How many flows can the probe handle?", "Can the app work
        # with it?": no noun takes "does" or "can", so a singular noun glued to its subject that takes
        # one, with an object or nothing after it, is the verb in its base form ("What does the absolute
        # value of ..." keeps its noun; in "Can the API handle bursts?" the plural is the object)
        return True
    if tok.tag_ == "NNS" and tok.dep_ == "relcl":
        return True  # "the format that the remote service returns": a relative clause is headed by its verb
    if tok.tag_ == "NNS" and tok.dep_ not in {"dobj", "pobj"} and any(
        (c.dep_ == "mark" and c.lower_ in _TIME_MARKS and tok.dep_ in {"ccomp", "advcl"})
        or (c.dep_ == "advmod" and c.i == tok.i + 1 and c.tag_ == "RB" and c.lower_.endswith("ly")
            and c.lower_ not in _NOUN_ADVERBS)
        for c in tok.children
    ):
        return True  # "as elaboration runs", "files Kopia uploads simultaneously": no noun takes either
    if (
        tok.tag_ == "NNS"
        and tok.dep_ in {"ccomp", "advcl"}
        and tok.i + 1 < len(tok.doc)
        and (nxt := tok.doc[tok.i + 1]).dep_ == "prep"
        and nxt.head.i == tok.i
        and nxt.lower_ != "of"
    ):
        return True  # "LoRA merges into the weights": the parser hangs a clause on it ("of" follows nouns)
    if tok.dep_ == "ROOT" and tok.tag_ == "NNS" and tok.i > tok.sent.start + 1 and any(
        c.dep_ == "dobj" for c in tok.children
    ):
        return True
    if _stranded_preposition_after(tok):
        return True  # "all the metric cares about is ...": a noun takes no preposition without its object
    if _joined_to_a_verb(tok):
        return True
    return _verb_of_verbless_sentence(tok)


def _stranded_preposition_after(tok: Token) -> bool:
    """A plural noun after a noun or an adjective, right before a preposition of its own that has no object and a
    verb after it: "All the AUC metric cares about is how well ...". A noun's preposition takes an object;
    a verb's may stand alone at the end of a relative clause."""
    doc = tok.doc
    if tok.tag_ != "NNS" or tok.i == 0 or tok.i + 2 >= len(doc) or doc[tok.i - 1].pos_ not in NOUNS | {"ADJ"}:
        return False
    prep, after = doc[tok.i + 1], doc[tok.i + 2]
    return (prep.dep_ == "prep" and prep.head.i == tok.i and prep.n_lefts + prep.n_rights == 0
            and after.pos_ in {"VERB", "AUX"})


def _joined_to_a_verb(tok: Token) -> bool:
    """A plural noun after another noun, joined by "or" or "and" to a verb in "-s" with an object right after
    it, and no finite verb before it in its sentence: "git rebase moves or combines a sequence of commits". A
    noun is not joined to a finite verb; the object tells the verb from a tagger's slip ("users and/or servers"
    is no verb), and a verb before makes the plural its object ("prevents API calls and ensures consistency")."""
    doc = tok.doc
    if tok.tag_ != "NNS" or tok.i == 0 or tok.i + 2 >= len(doc) or doc[tok.i - 1].pos_ not in NOUNS:
        return False
    if any(t.tag_ in FINITE for t in doc[tok.sent.start : tok.i]):
        return False
    verb = doc[tok.i + 2]
    return (
        doc[tok.i + 1].lower_ in {"or", "and"}
        and verb.tag_ == "VBZ"
        and verb.dep_ == "conj"
        and verb.head.i == tok.i
        and any(c.dep_ == "dobj" for c in verb.children)
    )


def _verb_of_verbless_sentence(tok: Token) -> bool:
    """A plural noun after another noun and a determiner of one thing, as the root of a sentence that ends
    in a full stop and has no finite verb, with a preposition or an adverb of its own after it: "A leaky
    bucket drains at a fixed rate." A sentence has its verb, and nothing else there can be it ("Docker
    images in a registry." has no determiner of one thing; "of" follows nouns)."""
    doc = tok.doc
    if tok.tag_ != "NNS" or tok.dep_ != "ROOT" or tok.i + 1 >= len(doc) or tok.i <= tok.sent.start:
        return False
    nxt = doc[tok.i + 1]
    sent = tok.sent
    return (
        doc[tok.i - 1].pos_ in NOUNS
        and tok.left_edge.lower_ in SINGULAR_DETERMINERS
        and nxt.head.i == tok.i
        and (nxt.dep_ == "prep" and nxt.lower_ != "of" or nxt.dep_ == "advmod")
        and sent[-1].text == "."
        and not any(t.tag_ in FINITE for t in sent)
    )


def opens_clause(prev: Token) -> bool:
    """Whether a gerund after *prev* starts a clause: after a verb, a preposition, a comma, or an
    "and" that follows a noun ("reducing shift and accelerating convergence"; but "vanishing and
    exploding gradients" joins two modifiers). Adverbs in between do not count ("by randomly
    deactivating neurons")."""
    while is_adverb(prev) and prev.i > 0 and prev.i > prev.sent.start:
        prev = prev.nbor(-1)
    if prev.lower_ in {"and", "or"} and prev.i > 0:
        return prev.nbor(-1).pos_ in NOUNS
    return (prev.tag_ == "IN" and prev.lower_ != "of") or prev.pos_ in {"VERB", "AUX"} or prev.text == ","


def plural_before_noun(tok: Token, nxt: Token) -> bool:
    """A plural noun inside a sentence followed by a noun: most likely a verb the tagger misread."""
    return (
        tok.tag_ == "NNS"
        and nxt.pos_ in NOUNS
        and tok.lower_ not in INVARIANT_PLURALS
        and not ACRONYM.match(tok.text)
        and tok.i > tok.sent.start
    )


def is_adverb(tok: Token) -> bool:
    """Adverbs, including -ly words the tagger calls adjectives ("randomly")."""
    low = tok.lower_
    return tok.pos_ == "ADV" or (low.endswith("ly") and low not in LY_ADJECTIVES and tok.pos_ == "ADJ")


def attached_within(tok: Token, lo: int, hi: int) -> bool:
    """Whether the head of *tok* lies in the token range [*lo*, *hi*)."""
    return lo <= tok.head.i < hi


def gerund_of_subject(tok: Token) -> bool:
    """*tok* is a gerund that opens a subject whose plural noun has a verb in the singular: "Recreating
    resources such as indexes requires ...", "Scaling features helps ...". The verb agrees with the gerund's
    clause, not with the noun, so the gerund is a verb with its object rather than a word of a name
    ("training data is ..." keeps its word: "data" is no plural a verb must agree with).

    Examples
    --------
    >>> from spacy.tokens import Doc
    >>> from spacy.vocab import Vocab
    >>> words, deps = ["Scaling", "features", "helps", "training"], ["amod", "nsubj", "ROOT", "dobj"]
    >>> doc = Doc(Vocab(), words=words, heads=[1, 2, 2, 2], deps=deps, tags=["VBG", "NNS", "VBZ", "NN"])
    >>> gerund_of_subject(doc[0])
    True
    >>> doc = Doc(Vocab(), words=words, heads=[1, 2, 2, 2], deps=deps, tags=["VBG", "NNS", "VBP", "NN"])
    >>> gerund_of_subject(doc[0])  # "Scaling features help training": the features are the subject
    False
    """
    if not (tok.tag_ == "VBG" or tok.tag_ in ("NN", "NNP") and tok.lower_.endswith("ing")):
        return False  # the tagger often takes a capitalised gerund that opens a sentence for a name
    noun, verb = tok.head, tok.head.head
    if noun.i <= tok.i or noun.tag_ != "NNS" or noun.dep_ not in ("nsubj", "nsubjpass") or noun.left_edge.i != tok.i:
        return False
    if noun.lower_ in INVARIANT_PLURALS or ACRONYM.match(noun.text):
        return False
    return verb.tag_ == "VBZ" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBZ" for c in verb.children)
