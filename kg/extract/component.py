"""The spaCy component ``kg_concepts``: concept mentions of a doc in ``doc.spans["concepts"]``.

How a mention is found: runs of modifier and noun tokens (found from part-of-speech tags, which are
steadier than the parser's noun chunks on this kind of text) are trimmed of determiners, grading
modifiers ("different", "crucial") and generic heads ("role", "technique"). What is left is a concept
when it has two or more words, or is one word that is an acronym (ReLU, LSTM), a glossary term, or
rare in everyday English (word frequencies from ``wordfreq``): "dropout" and "overfitting" are terms,
"model" and "data" are not. Each span is labelled with its normalised key (:func:`~kg.extract.keys.term_key`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.formula import is_formula
from kg.extract.keys import QUOTES, display, plural, singular, term_key
from kg.extract.lexicon import (
    ACRONYM,
    GENERIC_MODIFIERS,
    GENERIC_NOUNS,
    GENERIC_TAILS,
    GRADING_PHRASES,
    INVARIANT_PLURALS,
    PAIRED_HEADS,
    PROMPT_VERBS,
    QUANTITY_UNITS,
    Glossary,
    bundled_glossary,
)
from kg.extract.tokens import (
    ARTICLES,
    FINITE,
    HYPHENS,
    NOUNS,
    SINGULAR_DETERMINERS,
    WH_WORDS,
    acts_as_verb,
    attached_within,
    can_end,
    code_tokens,
    coordinated_modifiers,
    counts_a_modifier,
    cuts_word,
    do_question_verb,
    do_support_verb,
    gerund_of_subject,
    idiom_object,
    is_adverb,
    naming_participle,
    opens_clause,
    opens_on_one_thing,
    option_markers,
    plural_before_noun,
    runs,
    split_run,
    wh_clause_verb,
)

SPAN_KEY = "concepts"
WEAK_KEY = "concepts_weak"
# Where a doc's inline code of several words, paths and options lies, in its ``user_data``
# (:func:`kg.parse.code_ranges`)
CODE_KEY = "kg_code"
# The language of a doc's file where it is not English, in its ``user_data`` (:mod:`kg.extract.language`)
FOREIGN_KEY = "kg_foreign"
# A strong mention is a concept wherever it stands; a weak one only where the bank also names the
# same term strongly or in a question (kg.extract.merge decides). Each tier has its span group.
STRONG, WEAK = "strong", "weak"

# A span found in a doc, with its tier.
_Tiered = tuple[Span, str]

# A number and its unit written as one token ("10ms", "100k"): a quantity, no part of a name.
_NUMBER_WITH_UNIT = re.compile(r"^\d+(?:[.,]\d+)?([a-z]+)$", re.IGNORECASE)
# A word at least this common in English (wordfreq's Zipf scale) is an everyday word, not a name
_EVERYDAY_NOUN_ZIPF = 3.5
# Words that count what follows them; they come first in a noun phrase ("multiple streams").
_QUANTIFIERS = frozenset({"multiple", "several", "various", "numerous", "many", "few"})
# A capitalised name with a dotted ending in capitals or ".js": "Node.js", "ASP.NET", "Socket.IO". Code
# ("Object.keys", "JSON.stringify", "java.lang.Object") and file names ("setup.py") are no such name.
_DOTTED_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\.(?:js|[A-Z]{2,})")
# Capital endings of files, not of names: "DATA.TXT", "README.MD"
_FILE_ENDINGS = frozenset({"md", "txt", "json", "yaml", "yml", "toml", "cfg", "ini", "xml", "csv", "log",
                           "py", "sh", "html", "pdf", "png", "jpg", "gif", "svg", "zip", "exe", "dll"})
# Heads of the phrases that say how something is done ("in a timely manner", "in a consistent fashion")
_MANNERS = frozenset({"manner", "way", "fashion"})
_ADJECTIVES = frozenset({"JJ", "JJR", "JJS"})
# Superlative and comparative adjectives: they grade a noun ("the simplest way"), so before a generic one
# they leave nothing to name.
_GRADES = frozenset({"JJS", "JJR"})
# Where a gerund with an object heads a verb's complement clause, no noun's modifier: "hibernates Wi-Fi
# preventing tethering", with "tethering" right after it as in "routing preference". An adverbial clause is
# no sign: the parser makes one of "configure hub routing preference" too.
_CLAUSE_GERUND = frozenset({"xcomp", "ccomp"})


def _lemma_index(nlp: Language) -> dict[str, set[str]]:
    """The words of each part of speech ("noun", "verb", "adj", "adv") in the pipeline's lemma index
    (WordNet's), lower case; empty for a pipeline without one."""
    if "lemmatizer" not in nlp.pipe_names:
        return {}
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return {}
    index = lookups.get_table("lemma_index")
    return {pos: {w for w in index[pos] if w.isalpha()} for pos in ("noun", "verb", "adj", "adv") if pos in index}


def _only(index: dict[str, set[str]], pos: str) -> frozenset[str]:
    """Words English uses only as *pos* ("recreate" and "diagnose" only as verbs, "redundant" only as
    an adjective): those of the index's *pos* less those of its other parts of speech."""
    if pos not in index:
        return frozenset()
    other = set().union(*(words for p, words in index.items() if p != pos))
    return frozenset(index[pos] - other)


class ConceptFinder:
    """Marks concept mentions in a doc, each span labelled with its normalised key.

    Strong mentions go to ``doc.spans["concepts"]`` (:data:`SPAN_KEY`), weak ones to
    ``doc.spans["concepts_weak"]`` (:data:`WEAK_KEY`).

    Parameters
    ----------
    nlp
        The pipeline the component runs in; its tokenizer splits the glossary's names for matching.
    name
        The component's name in the pipeline.
    glossary
        Names and terms of the field; the bundled glossary when None.
    max_zipf
        A one-word noun rarer than this in everyday English (Zipf scale, singular and as written)
        is a term.
    max_words
        Longest term, in words.
    everyday_zipf
        Two words, a modifier and a noun, both at least this common are a description ("positive
        input"): a weak mention.
    question_zipf
        A one-word noun or gerund rarer than this, singular or as written, that is no term by
        ``max_zipf`` is a weak mention ("the weights of a network").

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> finder = ConceptFinder(nlp)
    >>> finder.max_zipf, finder.question_zipf
    (3.6, 4.5)
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "kg_concepts",
        *,
        glossary: Glossary | None = None,
        max_zipf: float = 3.6,
        max_words: int = 6,
        everyday_zipf: float = 4.0,
        question_zipf: float = 4.5,
    ) -> None:
        from wordfreq import zipf_frequency

        self.name = name
        self.glossary = bundled_glossary() if glossary is None else glossary
        self.max_zipf = max_zipf
        self.max_words = max_words
        self.everyday_zipf = everyday_zipf
        self.question_zipf = question_zipf
        self._zipf = zipf_frequency
        known = set(self.glossary.terms)
        for label, aliases in self.glossary.aliases.items():
            known.add(label.lower())
            known.update(a.lower() for a in aliases)
        self._known = frozenset(known)
        index = _lemma_index(nlp)
        self._verbs_only = _only(index, "verb")
        self._adjectives_only = _only(index, "adj")
        self._verbs = frozenset(index.get("verb", ()))
        self._nouns = frozenset(index.get("noun", ()))
        self._build_matchers(nlp)

    def _build_matchers(self, nlp: Language) -> None:
        """Match glossary names whatever the tagger makes of them ("learning rate")."""
        from spacy.matcher import PhraseMatcher

        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        names = set(self.glossary.terms)
        for label, aliases in self.glossary.aliases.items():
            names.add(label)
            names.update(aliases)
        names |= {plural(n) for n in names}
        exact = [n for n in names if n.replace("-", "").rstrip("s").isupper()]
        lower = [n for n in names if not n.replace("-", "").rstrip("s").isupper()]
        tokenizer = cast(Tokenizer, nlp.tokenizer)
        self._exact.add("glossary", list(tokenizer.pipe(exact)))
        self._lower.add("glossary", list(tokenizer.pipe(lower)))

    def __call__(self, doc: Doc) -> Doc:
        code = doc.user_data.get(CODE_KEY)
        blocked, bounds = code_tokens(doc, code) if code else (frozenset(), frozenset())
        blocked |= option_markers(doc)  # "A. Accounts Payable B. Owner's Capital": no name runs across a letter
        if FOREIGN_KEY in doc.user_data:
            # The English parse of another language names nothing: only what every language writes alike does
            alike = [Span(doc, t.i, t.i + 1, label=term_key([t])) for t in doc
                     if t.i not in blocked and not t.is_stop and _written_alike(t.text)]
            doc.spans[SPAN_KEY], doc.spans[WEAK_KEY] = alike, []
            return doc
        known: list[Span] = []
        for _, start, end in list(self._exact(doc)) + list(self._lower(doc)):
            if end - start == 1 and _commands(doc[start]):
                continue  # "Recall that the prior ...": the verb, not the metric
            if end - start == 1 and idiom_object(doc[start]):
                continue  # "pays attention to": an idiom, not the mechanism
            if end - start == 1 and _adjective_of_next(doc[start]):
                continue  # "residual risks": the adjective, not the glossary's noun (a residual)
            known.append(Span(doc, start, end, label=term_key(list(doc[start:end]))))
        if code:  # no name inside a statement written as code, nor across the edge of code
            known = [k for k in known
                     if not any(i in blocked or (i in bounds and i > k.start) for i in range(k.start, k.end))]
        known = filter_spans(known)
        spans: list[_Tiered] = [(k, STRONG) for k in known]
        for start, end in (piece for run in runs(doc) for piece in split_run(*run, blocked, bounds)):
            for span, tier in self._terms_in_run(doc, start, end):
                # A glossary name wins over a run that cuts across it; a run that holds it whole
                # is a longer term ("mini-batch gradient descent", "learning rate schedule").
                if any(
                    span.start < k.end
                    and k.start < span.end
                    and (
                        not (span.start <= k.start and k.end <= span.end) or (span.start, span.end) == (k.start, k.end)
                    )
                    for k in known
                ):
                    continue
                spans.append((span, tier))
        shared = self._coordinated(doc, spans)
        at = {(c.start, c.end) for c, _ in shared}
        spans = [(s, tier) for s, tier in spans if (s.start, s.end) not in at] + shared
        # The words a slash joins into one name ("train/val/test split") name nothing apart from it:
        # "fixed train" and "val" are runs of their own only because the slash breaks them.
        wholes = [s for s, _ in spans if _paired_whole(s)]
        spans = [
            (s, tier)
            for s, tier in spans
            if not any(s is not w and s.start < w.end and w.start < s.end and s.end <= w.end for w in wholes)
        ]
        spans = _share_repeated_heads(doc, spans)
        spans = in_order(spans)
        doc.spans[SPAN_KEY] = [s for s, tier in spans if tier != WEAK]
        doc.spans[WEAK_KEY] = [s for s, tier in spans if tier == WEAK]
        return doc

    # A run can hold more than one term ("CNNs process image data"); split it where the parser
    # says a token does not modify the next one, then trim each piece.
    def _terms_in_run(self, doc: Doc, start: int, end: int) -> list[_Tiered]:
        pieces: list[tuple[int, int]] = []
        piece_start = start
        # Verbs inside the run, each ending the piece before it and starting the next after it: the verb of
        # "Does Application Gateway support IPv6?" (the subject, the verb asked about, its object); a
        # participle that names what follows it ("a variable called members", "a model named BERT")
        verbs = {k for k in range(start + 1, end - 1) if naming_participle(doc[k])}
        asked = do_question_verb(doc, start, end, self._verbs, self._verbs_only)
        if asked == start:
            piece_start = start + 1  # "How do I decrease Kopia's usage?": the run opens with the verb asked
        elif asked is not None:
            verbs.add(asked)
        for i in range(start, end - 1):
            tok = doc[i]
            nxt = doc[i + 1]
            if i + 1 in verbs:
                pieces.append((piece_start, i + 1))
                piece_start = i + 2
                continue
            if i in verbs:
                continue
            if tok.lower_ == nxt.lower_ and tok.is_alpha:
                # "proportion proportion", "chmod chmod": a word twice over is two mentions, never one name
                pieces.append((piece_start, i + 1))
                piece_start = i + 1
                continue
            if tok.text in QUOTES or nxt.text in QUOTES or tok.text == "-" or nxt.text == "-":
                continue
            if i == piece_start and self._gerund_before_adjective(tok, nxt):
                # "training generative models", "processing longer sequences": the gerund takes the phrase
                # after it as its object, and the name starts after it
                piece_start = i + 1
                continue
            if i > start and self._gerund_with_object(tok):
                # "hallucinations using GPT", "items retrieving top 500": a clause, no word of a name
                pieces.append((piece_start, i))
                piece_start = i + 1
                continue
            if i > start and is_adverb(tok) and nxt.tag_ in {"NN", "NNS", "VBZ", "VBP"}:
                # "this architecture majorly caters to": no name has an adverb before its noun, so the
                # "noun" is the verb of the sentence
                pieces.append((piece_start, i))
                piece_start = i + 2
                continue
            if i > piece_start and self._verb_only_plural(tok, nxt):
                # "greedy best first search evaluates nodes": the parser may make the object the verb
                pieces.append((piece_start, i))
                piece_start = i + 1
                continue
            if acts_as_verb(nxt):
                # "the flatten layer converts outputs": a tagger slip makes the verb a noun.
                pieces.append((piece_start, i + 1))
                piece_start = i + 2
                continue
            if acts_as_verb(tok):
                continue
            if i + 2 < end and _plural_verb_after_one(doc, start, i):
                # "this adaptation simplifies rapid prototyping": the verb, then its object
                pieces.append((piece_start, i))
                piece_start = i + 1
                continue
            if plural_before_noun(tok, nxt):
                # "dropout deactivates neurons", "transfer learning expedites training": a plural
                # rarely modifies a noun, so this is a verb the tagger took for one.
                pieces.append((piece_start, i))
                piece_start = i + 1
                continue
            if self._verb_after_plural_acronym(tok, nxt, end):
                # "CNNs process image data": a name in the plural is the subject, the word after it the verb
                pieces.append((piece_start, i + 1))
                piece_start = i + 2
                continue
            if (tok.pos_ in NOUNS and nxt.pos_ in {"NOUN", "PROPN", "VERB"} and tok.head.i < i
                    and not self._misread_appos(nxt)):
                pieces.append((piece_start, i + 1))
                piece_start = i + 1
            elif (
                tok.pos_ in NOUNS
                and tok.dep_ in {"nsubj", "dobj", "pobj", "appos", "conj"}
                and tok.head.i != nxt.i
                and tok.head.i > i + 1
                and not attached_within(tok, i + 1, end)
                and not _one_role(tok, nxt)
            ):
                pieces.append((piece_start, i + 1))
                piece_start = i + 1
        pieces.append((piece_start, end))
        out: list[_Tiered] = []
        for s, e in pieces:
            found = self._trim(doc, s, e)
            if found is not None:
                out.append(found)
        return out

    def _trim(self, doc: Doc, start: int, end: int) -> _Tiered | None:
        # Drop trailing tokens that cannot end a term (adjectives, participles, quotes), a verb the
        # tagger took for a plural noun ("gradient boosting relies on ...": "relie" is no word),
        # the verb that closes a question asked with "do" ("how does max pooling work?"), and a word
        # that is only an adjective after a name ("is the queue consumer idempotent?"), unless
        # hyphenated ("block-sparse"); and the verb of a clause that "how" or "why" opens ("how
        # cross-validation works").
        if wh_clause_verb(doc, start, end):
            end -= 1
        while end > start and (
            not can_end(doc[end - 1])
            or self._misread_verb(doc[end - 1])
            or (end - start > 1 and self._verb_only_as_noun(doc[end - 1]))
            or (end - start > 1 and self._verb_as_plural_root(doc[end - 1]))
            or do_support_verb(doc[end - 1])
            or (end - start > 1 and doc[end - 2].text != "-" and self._misread_adjective(doc[end - 1]))
        ):
            end -= 1
        # An amount with its unit after a name says how much of it ("GPT-4o 200-600ms", "Redis 2GB"), no part
        # of it; a bare number may be one ("Python 3", "Windows 10")
        if end - start > 1 and (width := _trailing_amount(doc, start, end)):
            end -= width
            while end > start and not can_end(doc[end - 1]):
                end -= 1
        if cuts_word(doc, end):
            # "one-vs" of "one-vs-all", "scikit" of "scikit-learn", "GPT-style decoder" of "GPT-style
            # decoder-only": a run that ends inside a hyphenated word names nothing whole
            return None
        # "as a model complexity increases, ...", "until the surrounding function returns.": after a
        # determiner of one thing, a plural that ends the run and its clause is the verb ("a ID3 trees:"
        # or "a bind mounts is" are slips of the writer's).
        if (
            end - start > 1
            and end < len(doc)
            and doc[end].text in {",", ";", "."}
            and opens_on_one_thing(doc, start)
            and doc[end - 1].tag_ == "NNS"
            and not ACRONYM.match(doc[end - 1].text)
            and singular(doc[end - 1]) != doc[end - 1].lower_
            and doc[end - 2].tag_ in {"NN", "NNP"}
        ):
            end -= 1
            while end > start and not can_end(doc[end - 1]):
                end -= 1
        # "a perfect ensemble comprises the models", "RNNs address the problem": a noun right before
        # a determiner is the verb of the sentence, read as a noun ("all", "both" and "each" may
        # follow a real noun: "the models all agree"; "a" before a sign is a variable: "product a × b").
        if (
            end - start > 1
            and end + 1 < len(doc)
            and doc[end].tag_ in {"DT", "PRP$"}
            and doc[end].lower_ not in {"that", "all", "both", "each"}
            and doc[end + 1].is_alpha
            and doc[end - 1].tag_ in {"NN", "NNS"}
        ):
            end -= 1
            while end > start and not can_end(doc[end - 1]):
                end -= 1
        # A quantifier opens its noun phrase: what comes before it is no part of the name
        # ("Composing multiple streams": the action, then the streams).
        for i in range(end - 2, start, -1):
            if doc[i].lower_ in _QUANTIFIERS and doc[i - 1].text != "-":
                start = i
                break
        # Drop leading quotes, hyphens, grading modifiers and verb forms that start a clause
        # ("accelerating model convergence" keeps "model convergence" only if the parser agrees).
        while start < end:
            tok = doc[start]
            if tok.text in QUOTES or tok.text == "-" or _enumerator(tok):
                start += 1
            elif tok.lower_ in ARTICLES and tok.is_sent_start and start < end - 1 and doc[start + 1].text[0].isupper():
                # "A Bloom filter is ..." on the line after "Difficulty: Easy": the tagger, reading the capitals
                # on, makes the article a proper noun; a name does not open with one
                start += 1
            elif (idiom := _graded_idiom_end(doc, start)) is not None:
                start = idiom + 1  # "state of the art algorithms", "state-of-the-art models": a grade, then the name
            elif width := _quantity_width(doc, start, end):
                start += width  # "16GB RAM", "10ms latency", "~10K iterations": a quantity and its unit, then the name
            elif (
                (tok.lower_ in GENERIC_MODIFIERS or tok.like_num and not ACRONYM.match(tok.text))
                and not (start + 1 < end and doc[start + 1].text == "-")
                and not _capitalised_name(doc, start, end)
                and not _glued_number(doc, start, end)
                and not counts_a_modifier(tok)
            ):
                # "short" is a grading word, but not in "short-term".
                start += 1
            elif start < end - 1 and start > 0 and doc[start - 1].tag_ == "TO":
                # "how to recover root password": after an infinitive "to" the word is a verb
                start += 1
            elif tok.tag_ == "VBN" and start < end - 1 and tok.i > tok.sent.start and doc[start - 1].pos_ == "ADV":
                # "a widely used activation function", "a commonly applied method": how often, not a name
                start += 1
            elif (
                tok.tag_ in {"VBG", "VBN"}
                and start < end - 1
                and (
                    tok.dep_ not in {"amod", "compound"}
                    or any(c.dep_ in {"dobj", "pobj"} and start < c.i < end for c in tok.children)
                )
            ):
                # A verb with its object ("halting training", "using dropout") is a clause.
                start += 1
            elif start < end - 1 and gerund_of_subject(tok):
                # "Recreating resources ... requires": a singular verb agrees with the gerund's clause
                start += 1
            elif (
                (tok.tag_ == "VBG" or tok.tag_ == "NN" and tok.lower_.endswith("ing"))
                and start < end - 1
                and start > 0
                and opens_clause(doc[start - 1])
                and (tok.tag_ == "VBG" or doc[start - 1].lower_ not in {"and", "or"})
                and doc[start + 1].pos_ in NOUNS | {"ADJ"}
            ):
                # "by normalizing inputs", "involves halting training": a gerund after a verb or a
                # preposition is an action on what follows, not part of its name.
                start += 1
            elif _opens_sentence(tok) and (
                tok.lower_ in PROMPT_VERBS
                or tok.lemma_.lower() in PROMPT_VERBS
                or tok.lower_.endswith("s")
                and tok.lower_[:-1] in PROMPT_VERBS
                or end == start + 1 and end < len(doc) and doc[end].lower_ in WH_WORDS
            ):
                # "Compare target encoding vs one-hot encoding": the tagger often takes the
                # imperative that opens a question for a proper noun. A word that opens the sentence
                # right before "what", "how" or "why" is one too, however it is spelt ("Explan What Is
                # Closure?", "Describe how ..."): no name stands there before the question it asks.
                start += 1
            elif start < end - 1 and tok.i == tok.sent.start and self._command_before_name(tok, doc[start + 1]):
                # "Install LibreNMS as per the docs", "CLOSE qFlipper, otherwise ...": an instruction
                start += 1
            elif start < end - 1 and self._verb_heads_chunk(doc, start, end):
                # "to orchestrate volumes", "discover and query usage data", "Manages traffic routes":
                # the verb, then its object
                start += 1
            elif start < end - 1 and self._opens_instruction(doc, start):
                # "recreate file:", "Reset or Recover Root Password": a heading or an instruction
                # opens with its verb
                start += 1
            elif start < end - 1 and _in_case_clause(doc, start, end):
                # "in case submodule repos have their own", "in which case synchronous calls work": the
                # words open a clause, whose subject follows them ("in case studies" stays a name)
                start += 1
            elif is_adverb(tok) and not (start + 1 < end and doc[start + 1].tag_ == "VBN"):
                # "randomly deactivates" goes, "fully connected layer" stays.
                start += 1
            else:
                break
        if start >= end:
            return None
        # A prefix glued on with a hyphen belongs to the word, whatever the tagger made of it:
        # "fine-tuning embedding models" ("fine" read as an adverb), "pre-trained".
        while _glued_before(doc, start, "-"):
            start -= 2
        # A noun said twice around "to" or "by" is one modifier, as it is hyphenated: "peer to peer network",
        # "step by step instructions" are not a "peer network" or "step instructions".
        while start >= 2 and start < end - 1 and _repeated_around(doc, start):
            start -= 2
        # A word written with a slash and a piece of one or two characters is one word: "I/O disks" is not
        # "O disks", nor "TCP/IP stack" "IP stack"; longer pieces are alternatives ("vanishing/exploding"),
        # unless the head names a whole made of them all ("key/value pairs", "train/val/test split").
        # A folder of a path before it is no piece of its name: "rg" of "/usr/bin/rg" is not "bin/rg".
        if _glued_before(doc, start, "/") and doc[start].is_alpha and not is_formula(doc[start - 2]):
            if min(len(doc[start - 2].text), len(doc[start].text)) <= 2:
                start -= 2
            elif _paired_head(doc, end):
                while _glued_before(doc, start, "/") and doc[start - 2].is_alpha:
                    start -= 2
        # Strip a generic tail when a term is left: "initialization strategies" -> "initialization".
        while end - start > 1 and doc[end - 1].lower_ in GENERIC_TAILS and can_end(doc[end - 2]):
            end -= 1
        tokens = [t for t in doc[start:end]]
        words = [t for t in tokens if t.text not in QUOTES and t.text != "-"]
        if not words or len(words) > self.max_words:
            return None
        tier = self._is_term(doc, start, end, words)
        if tier is None:
            return None
        return Span(doc, start, end, label=term_key(tokens)), tier

    def _opens_instruction(self, doc: Doc, start: int) -> bool:
        """Whether the word at *start* is a verb and only a verb ("recreate", "recover") that opens
        a sentence with no finite verb, or follows a "/", "and" or "or" in one ("add/delete")."""
        tok = doc[start]
        if tok.lower_ not in self._verbs_only:
            return False
        sent = tok.sent
        if any(t.tag_ in FINITE for t in sent):
            return False
        return tok.i == sent.start or doc[start - 1].lower_ in {"/", "and", "or"}

    def _command_before_name(self, tok: Token, nxt: Token) -> bool:
        """Whether ``tok``, opening a sentence, is a verb in its bare form before a name written with a capital
        inside ("Install LibreNMS", "CLOSE qFlipper", "Configure GitHub"): such a name is modified by no verb,
        so the verb is the sentence's instruction. A word English also uses as a noun is one only in capitals,
        since names open with such words ("Azure PowerShell", "Flutter DevTools", "Default YugabyteDB user");
        names of one capital ("Build Tools") are left alone."""
        name = nxt.text
        return (
            tok.lower_ in self._verbs
            and (tok.lower_ not in self._nouns or tok.text.isupper())
            and tok.is_alpha
            and tok.tag_ not in {"VBD", "VBN", "VBG", "VBZ"}
            and name[:1].isalpha()
            and any(c.isupper() for c in name[1:])
            and any(c.islower() for c in name)
        )

    def _verb_heads_chunk(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the word at *start*, tagged as a noun or an adjective, is a verb with its object after
        it: a word that is only a verb after "to"; a verb joined by "and" or "or" to a verb before it; or a
        verb-only word in its "-s" form."""
        tok = doc[start]
        low = tok.lower_
        if tok.tag_ in {"VB", "VBG", "VBN"}:
            return False  # the other rules of _trim judge what the tagger calls a verb
        before = doc[start - 1] if start > 0 else None
        if before is not None and before.lower_ == "to" and low in self._verbs_only and tok.pos_ not in NOUNS:
            return True  # "interacts with the provider to orchestrate volumes" ("due to merge conflicts" stays)
        if before is not None and before.lower_ in {"and", "or"} and low in self._verbs and _after_verb(doc, start - 1):
            return True  # "allows it to discover and query usage data"
        if (before is not None and before.lower_ in {"and", "or"} and low in self._verbs_only and tok.is_lower
                and _verbs_listed_before(doc, start - 1)):
            return True  # "enhance security, reduce traffic, and facilitate network management": the list's last verb
        if (before is not None and before.lower_ == "and" and tok.tag_ in {"NNS", "JJ"} and tok.is_lower
                and self._verb_s_form(low) and any(t.tag_ == "VBZ" for t in doc[tok.sent.start : start])):
            # "operates at the data link layer and forwards data packets": after a singular subject's verb, an
            # "-s" word after "and" with its object is that subject's next verb
            return True
        if tok.tag_ != "NNS" and low.endswith("s") and low[:-1] in self._verbs_only:
            return True  # "Manages traffic routes" (a plural noun, "uploads folder", is tagged NNS)
        if (
            tok.tag_ in {"NNS", "NNPS"}
            and tok.text[:1].isupper()
            and before is not None
            and before.text.endswith(":")
            and low.endswith("s")
            and self._verb_only_s_form(low)
        ):
            return True  # "RoPE: Rotates existing embeddings", "WEAT: Assesses biases": a description's verb
        if (
            tok.is_sent_start
            and self._never_a_noun_s_form(low)
            and not any(t.tag_ in FINITE for t in tok.sent if t.i != tok.i)
        ):
            # "Selects random feature subsets for each tree" (tagged a plural or an adjective): a description
            # line opens with its verb
            return True
        if (
            tok.tag_ == "NNS"
            and tok.dep_ == "ROOT"
            and any(c.dep_ == "dobj" for c in tok.children)
            and low.endswith("s")
            and (low[:-1] in self._verbs or low[:-2] in self._verbs)
        ):
            # "Exposes operations like X": tagged a plural noun, yet the parser makes it the verb of its
            # sentence, with an object; a plural noun that is a name ("uploads folder") has no object
            return True
        return False

    def _is_known(self, tok: Token) -> bool:
        """A word that is a glossary term of its own, as written or in the singular."""
        return tok.lower_ in self._known or singular(tok) in self._known

    def _misread_appos(self, tok: Token) -> bool:
        """An everyday lower-case noun the parser hangs on the noun right before it as an apposition: "an
        eager learning algorithm" read as "learning, (an) algorithm". Nothing sets it off, so it is the
        phrase's own head; an apposition that names ("the framework PyTorch", "man chmod", "feature xi")
        is capitalised or a rare word."""
        return (tok.dep_ == "appos" and tok.head.i == tok.i - 1 and tok.is_lower and tok.is_alpha
                and len(tok) > 2 and self._zipf(tok.lower_, "en") >= _EVERYDAY_NOUN_ZIPF)

    def _gerund_before_adjective(self, tok: Token, nxt: Token) -> bool:
        """An -ing form of a verb opening a run with an adjective of the noun after it next: a gerund and its
        object ("training generative models", "processing longer sequences"). A noun that modifies another
        comes after the adjectives of its head ("large training set"), not before them; a participle the
        parser reads as an adjective ("existing", "underlying", "moving average") describes the noun."""
        low = tok.lower_
        return (
            low.endswith("ing")
            and tok.tag_ in {"NN", "VBG"}
            and tok.dep_ != "amod"
            and (tok.is_lower or bool(tok.is_sent_start) and tok.text[1:].islower())
            and bool({low[:-3], low[:-3] + "e", low[:-4]} & self._verbs)  # not "string", "thing"
            and nxt.pos_ == "ADJ"
            and nxt.dep_ == "amod"
            and nxt.head.i > nxt.i
            # the parser reads the noun as the gerund's object, or hangs both words on the noun
            and (tok.head.i == nxt.head.i or nxt.head.dep_ == "dobj" and nxt.head.head.i == tok.i)
        )

    def _verb_after_plural_acronym(self, tok: Token, nxt: Token, end: int) -> bool:
        """An acronym in the plural ("CNNs", "GPUs") followed inside a run by a lower-case word English uses
        as a verb, with more of the run after it: the acronym is the subject and the word its verb ("CNNs
        process image data", "GPUs accelerate matrix products"). A name modifies a noun in the singular
        ("CNN architecture")."""
        text = tok.text
        return (
            len(text) > 2 and text.endswith("s") and ACRONYM.match(text[:-1]) is not None and text[:-1].isupper()
            and nxt.is_lower and nxt.is_alpha and nxt.lower_ in self._verbs and nxt.i + 1 < end
        )

    def _gerund_with_object(self, tok: Token) -> bool:
        """A gerund that takes an object inside a run of nouns: "using" always ("X using Y" names no thing);
        another only where English has no noun of that form and its object does not follow it at once,
        since the parser gives nouns of the kind an object too ("routing preference", "rendering engine")."""
        if tok.tag_ != "VBG":
            return False
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        if not objects:
            return False
        if tok.lemma_.lower() == "use":
            return True
        return tok.lower_ not in self._nouns and (
            all(o.i > tok.i + 1 for o in objects) or tok.dep_ in _CLAUSE_GERUND and not self._compounded(tok))

    @staticmethod
    def _compounded(tok: Token) -> bool:
        """A common noun compounded onto ``tok`` right before it: the two are one noun ("connection draining")."""
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        return prev is not None and prev.dep_ == "compound" and prev.head.i == tok.i and prev.tag_ in ("NN", "NNS")

    def _verb_only_plural(self, tok: Token, nxt: Token) -> bool:
        """A word English uses only as a verb, in "-s" and tagged as a plural noun, before a noun: the verb of
        the sentence and its object, whichever of the two the parser makes the verb."""
        return (tok.tag_ == "NNS" and tok.is_lower and tok.lemma_.lower() in self._verbs_only
                and nxt.pos_ in NOUNS and tok.doc[tok.i - 1].text != "-")

    def _verb_only_as_noun(self, tok: Token) -> bool:
        """A word English uses only as a verb, tagged as a noun at the end of a run, with what a verb takes
        after it: the verb of the sentence after its subject ("loss functions like cross-entropy align well",
        "nodes belong to"). Software names such verbs as things ("hot reload", "two-phase commit"), so
        the word alone is not enough; one glued on by a hyphen ("fine-tune") is left alone."""
        doc = tok.doc
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        return (tok.tag_ in {"NN", "NNP"} and tok.is_lower and tok.lower_ in self._verbs_only
                and tok.i > 0 and doc[tok.i - 1].text != "-" and nxt is not None
                and (nxt.tag_ in {"RB", "RBR"} and nxt.lower_ not in {"not", "also", "only"}
                     or nxt.lower_ in {"to", "with", "at"} and nxt.head.i == tok.i))

    def _misread_adjective(self, tok: Token) -> bool:
        """A word that is only an adjective, tagged as a noun ("Are connections to the hub redundant?");
        not a gerund ("pattern matching")."""
        low = tok.lower_
        return tok.tag_ == "NN" and tok.text.islower() and not low.endswith("ing") and low in self._adjectives_only

    def _verb_s_form(self, low: str) -> bool:
        """Whether ``low`` is the "-s" or "-es" form of a verb ("forwards", "pushes")."""
        return low.endswith("s") and any(w in self._verbs for w in _s_stems(low))

    def _never_a_noun_s_form(self, low: str) -> bool:
        """Whether ``low`` is the "-s" or "-es" form of a verb English never uses as a noun ("selects",
        "cleans"): no plural, so a verb."""
        return low.endswith("s") and any(w in self._verbs and w not in self._nouns for w in _s_stems(low))

    def _verb_only_s_form(self, low: str) -> bool:
        """Whether ``low`` is the "-s" or "-es" form of a word English uses only as a verb ("rotates", "assesses")."""
        return any(w in self._verbs_only for w in _s_stems(low))

    def _verb_as_plural_root(self, tok: Token) -> bool:
        """The "-s" form of a word English uses only as a verb, tagged as a plural noun and made the root of a
        sentence that has no finite verb, with a preposition or an adverb after it ("Training converges after
        50K steps", "The loss flattens out"): the sentence's verb after its subject. A plural that ends a
        heading or a list line ("Lost update - Concurrent overwrites") is the noun it is written as."""
        low = tok.lower_
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < tok.sent.end else None
        return (
            tok.tag_ == "NNS"
            and tok.dep_ == "ROOT"
            and tok.is_lower
            and nxt is not None
            and nxt.tag_ in {"IN", "RB", "RBR", "RP", "TO"}  # what a verb takes after it: "converges after"
            and self._verb_only_s_form(low)
            and not any(t.tag_ in FINITE for t in tok.sent)
        )

    def _misread_verb(self, tok: Token) -> bool:
        if tok.tag_ != "NNS" or ACRONYM.match(tok.text) or tok.lower_ in INVARIANT_PLURALS:
            return False
        one = tok.lemma_.lower()
        # a real plural's singular is about as common as the plural; "relie" is far rarer than "relies"
        return (
            one[:3] == tok.lower_[:3]
            and one != tok.lower_
            and self._zipf(tok.lower_, "en") - self._zipf(one, "en") >= 2.0
        )

    def _is_term(self, doc: Doc, start: int, end: int, words: list[Token]) -> str | None:
        """ "strong", "weak" (a term only where a question names it) or None."""
        head = words[-1]
        if len(words) == 1 and (head.lower_ in GENERIC_NOUNS or singular(head) in GENERIC_NOUNS or idiom_object(head)):
            return None
        if (head.lower_ in _MANNERS and start >= 2 and doc[start - 1].lower_ in {"a", "an"}
                and doc[start - 2].lower_ == "in"):
            return None  # "in a timely manner", "in an efficient way": how something is done, not a thing
        if _TIME_OF_DAY.fullmatch(words[0].text):
            return None  # "21:30 pm": a time, not a thing
        if len(words) == 1:
            text = head.text
            low = head.lower_
            if _QUESTION_LABEL.fullmatch(text):
                return None  # "[Q5] Do you ...": the question's number, not a thing
            if ACRONYM.match(text) and len(text) > 1:
                return None if head.is_stop else STRONG
            if self._is_known(head):
                return STRONG
            if low in self._verbs_only or singular(head) in self._verbs_only:
                return None  # "for diagnose what ...", "Rotates": a word that is only ever a verb names no thing
            if head.pos_ == "PROPN" and end < len(doc) and doc[end].tag_ == "POS":
                return None  # "Zipf's law": the name says whose the term is, and is not the term
            if _DOTTED_NAME.fullmatch(text) and low.rsplit(".", 1)[1] not in _FILE_ENDINGS:
                return STRONG  # "Node.js", "Immutable.JS": a name, where "setup.py" is a file
            if head.is_stop or len(low) < 3 or not head.is_alpha:
                return None
            # Rare in both forms makes a term; rare as written is enough where a question asks
            # ("the weights of a network": "weights" is rarer than "weight").
            freqs = (self._zipf(low, "en"), self._zipf(singular(head), "en"))
            if head.pos_ not in NOUNS:
                # A lone participle is usually the rest of a term elsewhere ("vanishing and
                # exploding gradients"); a question may still ask about one ("forecasting").
                return WEAK if head.tag_ == "VBG" and min(freqs) < self.question_zipf else None
            if max(freqs) < self.max_zipf:
                return STRONG
            return WEAK if min(freqs) < self.question_zipf else None
        if (len(words[0].text) == 2 and _ENUMERATOR.fullmatch(words[0].text) and start > 0
                and (doc[start - 1].lemma_ == "be" or doc[start - 1].text == ":")):
            # "The correct answer is A. Diffraction ...": a letter that answers, run into the next word (an
            # initial opens a name after anything else: "by J. Smith")
            return None
        if all(len(w.text) == 1 and w.is_alpha for w in words):
            return None  # "W W H W": letters spelling a pattern or naming variables, no word of a name
        # Several words whose head is generic and whose modifiers are too: "the same way"; a superlative or
        # comparative grades whatever it stands before ("the simplest way", "a cleaner approach").
        if all(w.lower_ in GENERIC_NOUNS | GENERIC_MODIFIERS or w.is_stop or self._grades(w) for w in words):
            return None
        # Two everyday words, the first describing the second ("positive input", "related task"),
        # read as a description in an answer; they name a term where a question asks about them
        # ("normal distribution", "linear model").
        if len(words) == 2 and (words[0].pos_ == "ADJ" or words[0].tag_ in {"VBN", "VBG"}):
            mod, head_word = words[0].lower_, singular(words[1])
            if (
                f"{mod} {head_word}" not in self._known
                and min(self._zipf(mod, "en"), self._zipf(head_word, "en")) >= self.everyday_zipf
            ):
                return WEAK
        return STRONG

    def _grades(self, word: Token) -> bool:
        """A superlative or comparative of an everyday adjective ("simplest" of "simple", "newer"), not a noun
        the tagger took for one ("outlier", whose "lemma" "outli" is no word)."""
        return (
            word.tag_ in _GRADES
            and word.is_lower
            and word.lemma_ != word.lower_
            and self._zipf(word.lemma_, "en") >= self.everyday_zipf
        )

    # "L1 and L2 regularization", "'valid' and 'same' padding", "vanishing and exploding gradient
    # problems": a word coordinated with the first word of a term shares the rest of the term.
    def _coordinated(self, doc: Doc, spans: list[_Tiered]) -> list[_Tiered]:
        out: list[_Tiered] = []
        for span, tier in spans:
            words = [t for t in span if t.text not in QUOTES]
            # the listed modifiers stand for the span's first modifier, hyphenated words included:
            # "parametric and non-parametric methods" shares "methods", not "-parametric methods"; and so
            # are words glued by a slash: "memory and I/O" shares nothing, not "/O"
            k = 1
            while k + 1 < len(words) and words[k].text in ("-", "/") and not words[k - 1].whitespace_:
                k += 2
            if k >= len(words):
                continue  # "parameters and hyper-parameters": nothing is left to share
            rest = display(words[k:], singular(words[-1]))
            name = _proper_name(words)
            for first, last in coordinated_modifiers(doc, span.start, words[0]):
                if name and doc[last].text != "/":
                    break  # "Cuba, Iran and North Korea": names side by side, no "Cuba Korea"
                if singular(doc[last - 1]) == singular(words[-1]):
                    break  # "token bucket / leaky bucket": a listed item with the term's head is a term of its own
                if last - first == 1 and (self._is_known(doc[first]) or _own_name(doc[first], words[0])
                                          or _own_action(doc[first], words)):
                    break  # "dropout and batch normalization": a listed term of its own shares nothing
                label = f"{display(list(doc[first:last]))} {rest}".lower()
                out.append((Span(doc, first, last, label=label), tier))
        return out


@Language.factory(
    "kg_concepts",
    default_config={"max_zipf": 3.6, "max_words": 6, "everyday_zipf": 4.0, "question_zipf": 4.5},
    requires=["token.pos", "token.tag", "token.dep", "token.lemma"],
    assigns=["doc.spans"],
)
def make_concept_finder(
    nlp: Language, name: str, max_zipf: float, max_words: int, everyday_zipf: float, question_zipf: float
) -> ConceptFinder:
    """Factory of the ``kg_concepts`` component: ``nlp.add_pipe("kg_concepts")``.

    The thresholds are those of :class:`ConceptFinder`; set them with ``config={...}``.
    """
    return ConceptFinder(
        nlp,
        name,
        max_zipf=max_zipf,
        max_words=max_words,
        everyday_zipf=everyday_zipf,
        question_zipf=question_zipf,
    )


# Endings of adjectives made from a name: "Gaussian", "Euclidean", "Boolean", "Socratic"
_NAME_ADJECTIVE = re.compile(r"(?:ian|ean|an|ic)$")


def _plural_verb_after_one(doc: Doc, start: int, k: int) -> bool:
    """Whether the plural at ``k``, in a run that opens after a determiner of one thing, right after a singular
    noun and before an adjective with its noun, is the verb: "this adaptation simplifies rapid prototyping".
    A plural with a noun after it modifies that noun ("a data systems engineer")."""
    tok = doc[k]
    return (
        start > 0
        and doc[start - 1].lower_ in SINGULAR_DETERMINERS
        and k > start
        and tok.tag_ == "NNS"
        and tok.lower_.endswith("s")
        and not ACRONYM.match(tok.text)
        and tok.lower_ not in INVARIANT_PLURALS
        and doc[k - 1].tag_ in {"NN", "NNP"}
        and doc[k + 1].tag_ in _ADJECTIVES
        and doc[k + 2].pos_ in NOUNS
    )


def _written_alike(text: str) -> bool:
    """Whether a word is written the same in any language: an acronym or a name with capitals inside or
    digits ("TCP", "IaaS", "WebSocket", "S3"), or a dotted name ("Node.js").

    Examples
    --------
    >>> [_written_alike(w) for w in ("TCP", "WebSocket", "S3", "Node.js", "Presupuesto", "llega", "cookie")]
    [True, True, True, True, False, False, False]
    """
    return bool(ACRONYM.match(text) or _DOTTED_NAME.fullmatch(text))


def _in_case_clause(doc: Doc, start: int, end: int) -> bool:
    """Whether the run ``doc[start:end]`` opens with the "case" of "in case" or "in which case" and ends on the
    subject of a clause: the words are a conjunction, not a name's first word."""
    if doc[start].lower_ != "case" or start == 0 or doc[end - 1].dep_ not in {"nsubj", "nsubjpass"}:
        return False
    before = doc[start - 1].lower_
    if before == "in":
        return True
    return before in {"which", "that", "this", "any", "either"} and start > 1 and doc[start - 2].lower_ == "in"


def _after_verb(doc: Doc, joiner: int) -> bool:
    """Whether the list item before the "and" or "or" at ``joiner`` is a verb in its base form: "discover and
    query usage data", or the last of a list of them ("prioritize, shape, and control network traffic", where
    the parser joins the misread "shape" to the verb it follows)."""
    k = joiner - 1
    if k >= 0 and doc[k].text == ",":
        k -= 1
    if k < 0:
        return False
    item = doc[k]
    return item.tag_ in {"VB", "VBP"} or (item.dep_ == "conj" and item.head.tag_ in {"VB", "VBP"} and item.head.i < k)


def _s_stems(low: str) -> list[str]:
    """The stems an "-s" or "-es" form may have: "pushes" is "push" or "pushe", "rotates" "rotate".

    Examples
    --------
    >>> _s_stems("pushes"), _s_stems("forwards")
    (['pushe', 'push'], ['forward'])
    """
    return [low[:-1]] + ([low[:-2]] if low.endswith("es") else [])


def _verbs_listed_before(doc: Doc, joiner: int) -> bool:
    """Whether the sentence lists verbs before the "and" or "or" at ``joiner``: a verb in its base form joined to
    a verb before it ("enhance security, reduce traffic, and ..."), so what the joiner adds is one more of them."""
    return any(t.tag_ in {"VB", "VBP"} and t.dep_ == "conj" and t.head.pos_ in {"VERB", "AUX"}
               for t in doc[doc[joiner].sent.start : joiner])


def _own_name(listed: Token, first: Token) -> bool:
    """Whether ``listed``, coordinated with the first word of a term written in lower case, is a name of its own:
    in "a Perceptron, Adaline, and neural network model" Adaline is a model, not an "Adaline network". A name
    written with a capital inside the sentence stands apart from a lower-case modifier; an adjective made
    from a name ("Gaussian and uniform distributions", "Bayesian and frequentist statistics") is a modifier."""
    return (
        listed.pos_ == "PROPN"
        and listed.text.istitle()
        and not listed.is_sent_start
        and listed.doc[listed.i - 1].text != ":"  # a capital after a colon may open a sentence
        and first.is_lower
        and _NAME_ADJECTIVE.search(listed.lower_) is None
    )


_GRADING_WORDS = frozenset(w for phrase in GRADING_PHRASES for w in phrase)


def _graded_idiom_end(doc: Doc, i: int) -> int | None:
    """The index of the last word of a grading phrase (``grading_phrases`` in ``kg/data/english.toml``) that
    token ``i`` of ``doc`` is part of, its hyphens passed over, where a noun follows it; else None. Such a
    phrase names nothing, and no term starts inside it ("art algorithm" of "state of the art algorithms").

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> doc = English()("It uses state of the art algorithms and state-of-the-art models and modern art.")
    >>> _graded_idiom_end(doc, 5), _graded_idiom_end(doc, 8), _graded_idiom_end(doc, 18)
    (5, 14, None)
    """
    if doc[i].lower_ not in _GRADING_WORDS:
        return None  # nearly every token: no phrase to look for
    words = [k for k in range(max(0, i - 8), min(len(doc), i + 9)) if doc[k].text not in HYPHENS]
    for phrase in GRADING_PHRASES:
        for n in range(len(words)):
            found = words[n : n + len(phrase)]
            if (len(found) == len(phrase) and found[0] <= i <= found[-1]
                    and all(doc[j].lower_ == w for j, w in zip(found, phrase, strict=True))
                    and all(doc[j].text in HYPHENS for x, y in zip(found, found[1:]) for j in range(x + 1, y))
                    and found[-1] + 1 < len(doc) and doc[found[-1] + 1].is_alpha):
                return found[-1]
    return None


# Endings of nouns that name an action: "reduction", "engineering", "assessment", "analysis"
_ACTION_NOUN = re.compile(r"(?:tion|sion|ment|ing|sis)$")


def _own_action(listed: Token, words: Sequence[Token]) -> bool:
    """Whether ``listed``, a gerund coordinated with the first word of a term that names an action, is an
    action of its own: "grouping or dimension reduction" lists grouping beside dimension reduction, and
    "caching and load balancing" caching beside load balancing, while "training and inference time" and
    "vanishing and exploding gradients" share a head that names no action. The term's first word is a
    noun, which the gerund stands beside rather than modifies; an adjective or participle ("supervised and
    unsupervised learning") leaves the list to share as before.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["grouping", "or", "dimension", "reduction", "and", "training", "time"],
    ...           tags=["VBG", "CC", "NN", "NN", "CC", "NN", "NN"], pos=["VERB", "CCONJ", "NOUN", "NOUN", "CCONJ",
    ...           "NOUN", "NOUN"])
    >>> _own_action(doc[0], list(doc[2:4])), _own_action(doc[0], list(doc[5:7]))
    (True, False)
    """
    return (
        (listed.is_lower or listed.is_title)
        and listed.lower_.endswith("ing")
        and len(words) >= 2
        and words[0].pos_ in ("NOUN", "PROPN")
        and words[-1].is_lower
        and _ACTION_NOUN.search(words[-1].lower_) is not None
    )


def in_order(spans: list[_Tiered]) -> list[_Tiered]:
    """``spans`` without repeats, in the order of the text, and by label where two cover the same words: one
    listed word can share two terms' heads ("Adaline, and neural network model" gives "adaline network" and
    "adaline network model"), and a span's hash follows its doc's address, so a set's order changes from run
    to run."""
    return sorted(set(spans), key=lambda found: (found[0].start, found[0].end, found[0].label_))


def _share_repeated_heads(doc: Doc, spans: list[_Tiered]) -> list[_Tiered]:
    """A term coordinated with an earlier one and cut where the earlier one goes on, by the words that
    follow it, is the whole phrase: in "a parametric learning algorithm and a nonparametric learning
    algorithm" the parser reads the second "learning" as a verb, but coordinated phrases share their
    build, so the words that repeat the first term's end are the second's too."""
    out: list[_Tiered | None] = list(spans)
    for n, (later, tier) in enumerate(spans):
        root = later.root
        if root.dep_ != "conj" or later.end >= len(doc):
            continue
        for earlier, _ in spans:
            if earlier.end > later.start or root.head.i not in range(earlier.start, earlier.end):
                continue
            for k in range(len(earlier) - 1, 0, -1):  # the longest end of the earlier term written next
                tail = [t.lower_ for t in earlier[len(earlier) - k :]]
                if [t.lower_ for t in doc[later.end : later.end + k]] == tail and all(
                        t.is_alpha for t in doc[later.end : later.end + k]):
                    end = later.end + k
                    if not any(s.start < end < s.end or s.start < later.end < s.end for s, _ in spans):
                        out[n] = (Span(doc, later.start, end, label=term_key(list(doc[later.start : end]))), tier)
                        for m, (s, _) in enumerate(spans):  # "algorithm" of the repeated words is part of the whole
                            if later.end <= s.start and s.end <= end:
                                out[m] = None
                    break
            break
    return [found for found in out if found is not None]


def _adjective_of_next(tok: Token) -> bool:
    """An adjective that modifies the noun after it ("residual risks", "sparse coverage"): a glossary name
    written so is the adjective, and the noun phrase it opens is the term."""
    return (tok.tag_ == "JJ" and tok.dep_ == "amod" and tok.is_lower  # not an acronym ("ELU activation")
            and tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN"))


def _commands(tok: Token) -> bool:
    """Whether a word opens its sentence as a command with a clause or a noun phrase after it: "Recall
    that ...", "Recall the definition of ...". A glossary name there is the verb it is spelled like."""
    if tok.i != tok.sent.start or tok.tag_ != "VB" or tok.dep_ != "ROOT" or tok.i + 1 >= len(tok.doc):
        return False
    nxt = tok.doc[tok.i + 1]
    return nxt.lower_ == "that" or nxt.tag_ in {"DT", "PRP$", "WRB", "WP"}


def _paired_whole(span: Span) -> bool:
    """Whether a name is words a slash joins before a head made of them all ("key/value pairs")."""
    return any(t.text == "/" for t in span) and _paired_head(span.doc, span.end)


def _paired_head(doc: Doc, end: int) -> bool:
    """Whether the word that ends at ``end``, hyphenated parts included ("trade-off", not "off"), names a
    whole made of the things a slash joins before it (``paired_heads`` of ``kg/data/english.toml``)."""
    start = end - 1
    while _glued_before(doc, start, "-"):
        start -= 2
    return doc[start:end].text.lower() in PAIRED_HEADS


def _repeated_around(doc: Doc, start: int) -> bool:
    """Whether the word at ``start`` repeats the word two before it across "to" or "by": "peer to peer",
    "end to end", "step by step".

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> doc = English()("a peer to peer network, step by step, a way to go, a block-cache to cache data")
    >>> _repeated_around(doc, 3), _repeated_around(doc, 8), _repeated_around(doc, 13), _repeated_around(doc, 20)
    (True, True, False, False)
    """
    word, first = doc[start], doc[start - 2]
    if first.i > 0 and doc[first.i - 1].text == "-" and not doc[first.i - 1].whitespace_:
        return False  # "a block-cache to cache data blocks": the first is part of another word
    return word.is_alpha and doc[start - 1].lower_ in ("to", "by") and first.lower_ == word.lower_


def _glued_before(doc: Doc, start: int, mark: str) -> bool:
    """Whether a word and ``mark`` stand glued to ``doc[start]`` ("pre-" of "pre-trained", "I/" of "I/O")."""
    return (
        start >= 2
        and doc[start - 1].text == mark
        and not doc[start - 1].whitespace_
        and not doc[start - 2].whitespace_
        and doc[start - 2].is_alpha
        and not doc[start - 1].is_sent_start
    )


def _glued_number(doc: Doc, start: int, end: int) -> bool:
    """A number written as one word with the letters after it, before a noun ("4G networks", "16GB RAM"):
    the tokenizer splits it, and dropping the number alone would leave a piece of a word ("G networks",
    "GB RAM"). With a unit (:data:`QUANTITY_UNITS`) it is a quantity and goes whole; otherwise it is part
    of the name. A quantity that ends the run ("16kb") is no name, and goes as before."""
    tok = doc[start]
    return tok.like_num and not tok.whitespace_ and start + 2 < end and doc[start + 1].is_alpha


def _unit_of_number_before(doc: Doc, start: int) -> bool:
    """``doc[start]`` is the unit of a number written glued before it, which the tokenizer split off as a
    word of its own: "K" of "~10K iterations", "ms" of "≈5ms latency".

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["after", "~10", "K", "iterations", "and", "K", "means"],
    ...           spaces=[True, False, True, True, True, True, False])
    >>> _unit_of_number_before(doc, 2), _unit_of_number_before(doc, 5)
    (True, False)
    """
    return (
        start > 0
        and doc[start].lower_ in QUANTITY_UNITS
        and not doc[start - 1].whitespace_
        and doc[start - 1].text[-1:].isdigit()
    )


def _proper_name(words: Sequence[Token]) -> bool:
    """The words are one proper name of several, each capitalised in a sentence that writes other words in
    lower case ("North Korea", "Google Cloud"): a name listed before it ("Cuba, Iran and North Korea") is
    another name, not a modifier of its last word; a slash still writes alternatives of one word
    ("Source/Destination Check"). In a title, where every word is capitalised
    ("Behavioral / Situational Questions"), capitals tell nothing; a plural head ("Key Performance/Risk
    Indicators", "Google and Facebook APIs") names a kind, which listed names do share."""
    return (
        len(words) > 1
        and all(w.pos_ == "PROPN" and w.text.istitle() for w in words)
        and not words[-1].lower_.endswith("s")  # the tagger calls a capitalised plural a name ("Containers")
        and any(t.is_lower and t.is_alpha and not t.is_stop for t in words[0].sent)
    )


def _quantity_width(doc: Doc, start: int, end: int) -> int:
    """How many tokens at ``start`` write a number with its unit (:data:`QUANTITY_UNITS`) before the rest
    of a term: 2 for "16GB", which the tokenizer splits in two, 1 for "10ms", one token, 1 for the "K" of
    "~10K", whose number stands outside the run, 0 for none."""
    if start + 1 >= end:
        return 0
    if _unit_of_number_before(doc, start):
        return 1
    written = _NUMBER_WITH_UNIT.match(doc[start].text)
    if written is not None and written.group(1).lower() in QUANTITY_UNITS:
        return 1
    if _glued_number(doc, start, end) and doc[start + 1].lower_ in QUANTITY_UNITS:
        return 2
    return _range_width(doc, start, end)


_MEASURES = QUANTITY_UNITS - {"k", "m", "b", "bn"}  # units of measure, not counts
_DASHES = ("-", "–", "—")  # between the ends of a range


def _trailing_amount(doc: Doc, start: int, end: int) -> int:
    """How many tokens at the end of ``doc[start:end]`` write an amount with a unit of measure
    (:data:`QUANTITY_UNITS` but counts): 1 for "200ms", 2 for "16 GB", 3 for "200-600ms" (which the
    tokenizer splits), 0 for none, a bare number or a count, which ends many a name ("Mistral 7B",
    "GPT-4 128k").

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> doc = English()("GPT-4o 200-600ms and Redis 2 GB and Python 3")
    >>> [_trailing_amount(doc, a, b) for a, b in ((0, 4), (5, 8), (9, 11))]
    [3, 2, 0]
    """
    last = doc[end - 1]
    written = _NUMBER_WITH_UNIT.match(last.text)
    if written is None or written.group(1).lower() not in _MEASURES:
        if last.lower_ in _MEASURES and end - start > 2 and doc[end - 2].like_num:
            return 2  # "16 GB"
        return 0
    if end - start > 3 and doc[end - 2].text in _DASHES and doc[end - 3].like_num:
        return 3  # "200-600ms"
    return 1


def _is_amount(text: str) -> bool:
    """A number, bare or with its unit: "200", "1.5", "200ms", "20x"."""
    written = _NUMBER_WITH_UNIT.match(text)
    return bool(re.fullmatch(r"\d+(?:[.,]\d+)?", text)) or (
        written is not None and written.group(1).lower() in QUANTITY_UNITS
    )


def _range_width(doc: Doc, start: int, end: int) -> int:
    """How many tokens at ``start`` write a range of amounts, with its unit, before the rest of a term:
    "1-2 GPUs", "50-200ms", "10-20x speedup", "0–900 ms" say how many or how much, and are no part of the
    name. A number with a hyphen and a word ("4-bit quantization", "3-gram") is no range and stays."""
    tok = doc[start]
    one = re.fullmatch(r"(\d+(?:[.,]\d+)?)[–—-](\d+(?:[.,]\d+)?[a-z]*)", tok.text, re.IGNORECASE)
    if one is not None and _is_amount(one.group(2)):
        width = 1
    elif (
        start + 2 < end
        and tok.like_num
        and not tok.whitespace_
        and doc[start + 1].text in _DASHES
        and _is_amount(doc[start + 2].text)
    ):
        width = 3
    else:
        return 0
    nxt = doc[start + width] if start + width < end else None
    if nxt is not None and (
        nxt.lower_ in QUANTITY_UNITS or (not doc[start + width - 1].whitespace_ and nxt.is_alpha and len(nxt) <= 2)
    ):
        width += 1  # "1-3 GB of memory"; "1-3T tokens", split after the number
    return width


def _capitalised_name(doc: Doc, start: int, end: int) -> bool:
    """Whether the word at ``start`` opens a name written with capitals inside a sentence written mostly in lower case:
    "a Standard SKU address", "the Key Vault of the subscription". There "standard" or "key" is a word of the name,
    not a grade of it. At the start of a sentence, or in a title where (nearly) every word is capitalised, a
    capital says nothing."""
    tok = doc[start]
    if start + 1 >= end or tok.i == tok.sent.start or not tok.text[:1].isupper() or not tok.is_alpha:
        return False
    if not doc[start + 1].text[:1].isupper():
        return False
    words = [t for t in tok.sent if t.is_alpha and not t.is_stop and t.i != tok.sent.start]
    return sum(t.text[:1].islower() for t in words) >= max(1.0, len(words) / 4)


_ENUMERATOR = re.compile(r"\(?(?:[A-Za-z]|[ivx]{1,4}|[IVX]{1,4})[.)]")
# The number of an entry before its words ("6.1 -", "12.", "Q5:", "(3)")
_ENTRY_CODE = re.compile(r"\(?[Qq]?\d{1,3}(?:\.\d{1,3})*[.):]?")
_CODE_MARKS = frozenset({"-", "–", "—", ".", ")", ":", "("})


def _opens_sentence(tok: Token) -> bool:
    """Whether ``tok`` is the first word of its sentence, after the number of an entry if one comes first:
    "6.1 - Explain Latent Dirichlet Allocation", "Q5: Describe random forests", but not after a count ("2 Name
    Servers").

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> vocab = English().vocab
    >>> coded = Doc(vocab, words=["6.1", "-", "Explain", "LDA"], sent_starts=[True, False, False, False])
    >>> counted = Doc(vocab, words=["2", "Name", "Servers"], sent_starts=[True, False, False])
    >>> _opens_sentence(coded[2]), _opens_sentence(counted[1]), _opens_sentence(counted[0])
    (True, False, True)
    """
    before = tok.doc[tok.sent.start : tok.i]
    if not before:
        return True
    if len(before) > 3 or not _ENTRY_CODE.fullmatch(before[0].text):
        return False
    if before[0].text.isdigit() and len(before) == 1:
        return False  # "2 Name Servers": a count, no entry's number
    return all(_ENTRY_CODE.fullmatch(t.text) or t.text in _CODE_MARKS for t in before)


# A question's number as its label ("Q5", "[Q12]"), and a time of day ("21:30", "7:30")
_QUESTION_LABEL = re.compile(r"Q\d{1,3}")
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")


def _enumerator(tok: Token) -> bool:
    """The letter that opens a line as an option's or a list item's mark ("A. Microsoft Cloud Native Accounts",
    "b) Shared disk"): no part of a name. An initial inside a sentence ("by J. Smith") is not at a line's start."""
    if not _ENUMERATOR.fullmatch(tok.text):
        return False
    if tok.i + 1 < len(tok.doc) and _ENUMERATOR.fullmatch(tok.doc[tok.i + 1].text):
        return False  # initials: "A. M. Martinez"
    return tok.i == 0 or _after_break(tok)


def _after_break(tok: Token) -> bool:
    """Whether the token before ``tok`` ends a line: a line break, or a sentence's end."""
    before = tok.doc[tok.i - 1]
    return "\n" in before.text or before.text in {".", ":", ";"} or tok.is_sent_start is True


def _one_role(tok: Token, nxt: Token) -> bool:
    """Whether two adjacent nouns fill one role of one verb: "The private endpoint NIC is a virtual NIC", parsed
    with "endpoint" and "NIC" each a subject of "is". A verb has one subject and one object, so the parser split a
    name it could not read as a compound, and the two words are one name."""
    return (
        nxt.pos_ in NOUNS
        and tok.dep_ in {"nsubj", "nsubjpass", "dobj"}
        and nxt.dep_ == tok.dep_
        and nxt.head.i == tok.head.i
        and bool(tok.whitespace_)
    )
