"""One reader per construction that states a relation, in a registry the walk runs through.

A reader takes the sentence being read and the token that may open its construction (a verb, "be", a
relational noun, "than", ...) and yields ``(head, class, tail, words)``: the two concept spans, the
relation class and the words that state it as written. Each is registered with the test a token must
pass for it to run.

Readers run in the order they are registered here, and what each yields keeps its order: the walk
keeps the first statement of each (head, class, tail) in a sentence, so the order decides which words
are kept. A new construction is one more function ``(ctx, token) -> Iterable[Found]`` decorated with
``@reads(test)`` where it should run; a class it states without naming one is a role flag of the table
(see :mod:`kg.relations.table`), not a name written here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.abbreviations import spells
from kg.extract.lexicon import GENERIC_MODIFIERS
from kg.extract.tokens import ARTICLES
from kg.relations.arguments import concepts_of, others, resolve
from kg.relations.clause import (
    PASS_SUBJ,
    REL_PRONOUNS,
    SUBJ,
    aside,
    described,
    doer_of,
    exemplifies,
    is_passive,
    made_to,
    negated,
    objects_of,
    phrase_of,
    premodified,
    restricted,
    subject_of,
    with_conjuncts,
    with_to,
)
from kg.relations.confidence import grading
from kg.relations.sentence import Sentence
from kg.relations.table import Cue, RelationTable

OTHER = "other"
"""The word of "Y and other X", looked up among the table's example phrases for its class."""

_COMPARISON = frozenset({"more", "less", "fewer"})
# Example phrases that also mean "as ... does": "does not assume spherical clusters like K-means".
_ALSO_AS = frozenset({"like"})
# Relational nouns that, once an adjective qualifies them, name a changed thing, not a kind: "the
# declarative version of Y", "an enhanced subset of Y", "the exponentiated form of Y".
_QUALIFIED_CHANGES = frozenset({"version", "form", "subset"})

Found = tuple[Span, str, Span, str]
"""What a reader yields: head span, relation class, tail span, the words that state it."""

TokenTest = Callable[[Token, str, RelationTable], bool]
"""Whether a token (with its lower-case lemma, under the table) may open a construction."""
ReadToken = Callable[[Sentence, Token], Iterable[Found]]
ReadSentence = Callable[[Sentence], Iterable[Found]]


@dataclass(frozen=True)
class Reader:
    """A construction read from one token: when a token opens it, and how it is read from there."""

    name: str
    when: TokenTest
    read: ReadToken


@dataclass(frozen=True)
class SentenceReader:
    """A construction read from the words of the whole sentence, after every token's readers."""

    name: str
    when: Callable[[RelationTable], bool]
    read: ReadSentence


_token_readers: list[Reader] = []
_sentence_readers: list[SentenceReader] = []


def reads(when: TokenTest) -> Callable[[ReadToken], ReadToken]:
    """Register a token reader, run on each token for which ``when(token, lemma, table)`` holds."""

    def register(read: ReadToken) -> ReadToken:
        _token_readers.append(Reader(read.__name__, when, read))
        return read

    return register


def reads_sentence(when: Callable[[RelationTable], bool]) -> Callable[[ReadSentence], ReadSentence]:
    """Register a sentence reader, run once per sentence when ``when(table)`` holds."""

    def register(read: ReadSentence) -> ReadSentence:
        _sentence_readers.append(SentenceReader(read.__name__, when, read))
        return read

    return register


# --------------------------------------------------------------------------------------------------
# A verb with its subject and object: "ReLU mitigates the vanishing gradient problem"

# Verbs of not doing: "should avoid using hardcoded constants", "refrain from calling X" say the action is not done
_ABSTAINING = frozenset({"avoid", "refrain", "stop", "quit", "cease"})


def _abstained(verb: Token) -> bool:
    """``verb`` is what a verb of not doing governs: "avoid using X", "refrain from using X".

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["avoid", "using", "X", "refrain", "from", "using", "Y"],
    ...           heads=[0, 0, 1, 3, 3, 4, 5], deps=["ROOT", "xcomp", "dobj", "ROOT", "prep", "pcomp", "dobj"],
    ...           lemmas=["avoid", "use", "X", "refrain", "from", "use", "Y"])
    >>> _abstained(doc[1]), _abstained(doc[5]), _abstained(doc[0])
    (True, True, False)
    """
    governor = verb.head
    if verb.dep_ == "pcomp" and governor.dep_ == "prep":
        governor = governor.head
    return verb.dep_ in ("xcomp", "pcomp") and governor.lemma_.lower() in _ABSTAINING


@reads(lambda tok, lemma, table: tok.pos_ == "VERB" or (tok.tag_.startswith("VB") and tok.pos_ != "AUX"))
def verb_with_object(ctx: Sentence, verb: Token) -> Iterable[Found]:
    """A verb between a doer and an object; passives turned round, gerund modifiers read as verbs.

    A verb the table does not list gives the class flagged ``fallback``, and only with its own subject.
    """
    if negated(verb) or (verb.dep_ == "pcomp" and verb.head.lower_ == "without") or _abstained(verb):
        return
    if verb.i > ctx.span.start and verb.text[:1].isupper() and verb.text[1:].islower():
        return  # "as described in Using bulk import": a capital inside a sentence opens a title, no verb
    if _bare_participle(verb):
        return  # "Computing GEMM using several kernels": a heading; its "subject" is an action's words
    table = ctx.table
    cue, prep = _verb_cue(table, verb)
    passive = is_passive(verb)
    doers, own = doer_of(ctx, verb)
    if cue is None and not own:
        return  # untyped verbs only with their own subject: inherited ones are too loose
    if (not own and cue is not None and made_to(table, _first_conjunct(verb))
            and cue.relation not in table.graded | {table.hinders}):
        return  # "X allows the network to use Y": the network uses Y; X only brings that about
    if cue is not None and cue.inverse and cue.relation == table.taxonomy and (
        verb.tag_ == "VBZ" or any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
    ):
        # "the score includes a penalty": one thing that includes another has it as a part, no kind;
        # "questions can include tangents" says what they may hold
        return
    patients_alone = False
    if passive:
        patients = [c for c in verb.children if c.dep_ in PASS_SUBJ]
        if not patients and verb.dep_ == "acl":
            # "problems caused by X"; "HTTP is a protocol built upon TCP": the subject the noun classifies
            patients = described(verb.head)
            patients_alone = True  # "A and B required by X": the participle is said of B alone
        if cue is not None and cue.prep and prep is not None and not doers:
            if cue.relation in table.graded:
                return  # "X is protected against Y": X is kept from harm, and what protects it is not said
            # "X is based on Y": the subject is the head, the preposition's object the tail
            if verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "pobj"):
                # "adapts the learning rate based on squared gradients": the parser cannot tell
                # what the participle describes, the object or the whole clause
                return
            doers, patients = patients, objects_of(prep)
    else:
        patients = _active_objects(verb, cue, prep, table.graded)
        compared = [c for c in verb.children if c.dep_ == "dobj"]
        if cue is not None and cue.relation == table.comparative and prep is not None and compared:
            # "VAD must distinguish speech from echo", "we compare X with Y": the object is compared
            # with the preposition's, and the subject, who compares, is neither
            doers, patients = compared, objects_of(prep)
    heads = [s for d in doers for s in concepts_of(ctx, d)]
    if not heads:
        return
    text = verb.text if prep is None else " ".join([verb.text, *([cue.noun] if cue and cue.noun else []), prep.text])
    for obj in patients if patients_alone else (o for p in patients for o in with_conjuncts(p)):
        relation, verb_text, inverse = (cue.relation, text, cue.inverse) if cue else (table.fallback, text, False)
        gerund = _gerund_modifier(obj, table) if obj.dep_ == "conj" else None
        if gerund is not None:  # "reducing X and accelerating Y", with the second verb read as an adjective
            relation, verb_text, inverse = gerund[0].relation, gerund[1].text, gerund[0].inverse
        if relation not in table.graded and premodified(obj, table.diminishing):
            relation = table.fallback  # "requires less labelled data", "results in smaller outputs"
        elif relation in table.graded and premodified(obj, table.excessive):
            relation = table.fallback  # "avoiding excessive training iterations": the excess, not the iterations
        elif relation not in table.graded and premodified(obj, table.worsening):
            relation = table.fallback  # "leads to incorrect clustering" is no cause of clustering
        elif relation not in table.graded and premodified(obj, table.bettering):
            than = next((o for c in obj.children if c.dep_ == "prep" and c.lower_ == "than" for o in objects_of(c)),
                        None)
            if than is not None and table.comparative is not None:
                relation, obj = table.comparative, than  # "X achieves better quality than Z" compares X with Z
            elif verb.lemma_.lower() not in _HAVING:
                relation = table.bettered  # "results in better generalization" improves it; "has better Y" has it
        if relation is None:
            continue  # no class is flagged fallback
        if _amount(obj):
            continue  # "uses 1 to 8 megabytes of stack": an amount of the stack, and a unit is no concept
        if exemplifies(obj):
            continue  # "can mitigate this, e.g. AES": an example of what the verb acts on, read as its object
        if verb.lemma_.lower() in table.causatives and _made_to_act(verb, obj):
            continue  # "X encourages the discriminator to form Y": the discriminator is made to act, not caused
        if relation in table.graded | {table.hinders} and _use_of(obj):
            continue  # "X encourages the use of Y": X brings about using Y, no effect on Y itself
        if relation in table.graded and _kept_from_acting(verb, obj):
            continue  # "X prevents the router from sending ...": the sending is prevented, not the router
        if relation in table.graded and relation != table.bettered and _brought_to(verb, obj):
            continue  # "reduces the coefficients to zero", "resolves names to addresses": a value set, no harm lessened
        for tail in resolve(ctx, obj, 0):
            if aside(verb, tail.root):
                continue  # "combines many weak (high bias) models": the aside is not what is combined
            for head in heads:
                yield (tail, relation, head, verb_text) if inverse else (head, relation, tail, verb_text)


# Verbs of having: "larger models have better reasoning" says what they have, not that they improve it
_HAVING = frozenset({"have", "possess"})


def _first_conjunct(verb: Token) -> Token:
    """The first of the verbs coordinated with ``verb``: "generate" of "enables you to generate and use X"."""
    while verb.dep_ == "conj" and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head
    return verb


def _made_to_act(verb: Token, obj: Token) -> bool:
    """``obj``, the object of a causative ``verb``, is followed by a "to" clause of the verb: the object is
    who is made to act ("encourages the discriminator to form smoother boundaries")."""
    return obj.dep_ == "dobj" and any(
        c.dep_ in ("xcomp", "ccomp") and c.i > obj.i and with_to(c) for c in verb.children
    )


def _bare_participle(verb: Token) -> bool:
    """``verb`` is a present participle heading its sentence with no auxiliary: a heading or a list item
    ("Computing GEMM using multiple kernels", "Computing GEMM using a kernel which handles all cases"). What
    the parser takes for its subject is the words of an action, or nothing the sentence says does it. Over
    the judged samples, 2 of 5 such relations were right.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["Computing", "GEMM", "using", "kernels"], heads=[1, 2, 2, 2],
    ...           deps=["compound", "nsubj", "ROOT", "dobj"], tags=["NNP", "NNP", "VBG", "NNS"])
    >>> _bare_participle(doc[2])
    True
    >>> doc = Doc(English().vocab, words=["GEMM", "is", "using", "kernels"], heads=[2, 2, 2, 2],
    ...           deps=["nsubj", "aux", "ROOT", "dobj"], tags=["NNP", "VBZ", "VBG", "NNS"])
    >>> _bare_participle(doc[2])
    False
    """
    return verb.tag_ == "VBG" and verb.dep_ == "ROOT" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _use_of(obj: Token) -> bool:
    """``obj`` is the light noun "use" with an "of" phrase: what an effect verb acts on is the using of a thing
    ("encourages the use of the error type"), which ``resolve`` would pass on to the thing itself. Other heads
    stay ("reduces the memory usage of the model" acts on the usage)."""
    return obj.lemma_.lower() == "use" and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in obj.children)


def _kept_from_acting(verb: Token, obj: Token) -> bool:
    """``obj`` is kept from doing something: "from" and a gerund follow it ("prevent custom admission controllers
    from impacting internal services"). What is prevented is that act, and the object is no problem mitigated.
    The gerund is read off the word after "from": the parser may hang it on the noun it governs ("from
    exhausting cluster resources").

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["loss", "prevents", "router", "from", "sending", "tokens"],
    ...           heads=[1, 1, 1, 1, 3, 4], deps=["nsubj", "ROOT", "dobj", "prep", "pcomp", "dobj"],
    ...           tags=["NN", "VBZ", "NN", "IN", "VBG", "NNS"])
    >>> _kept_from_acting(doc[1], doc[2]), _kept_from_acting(doc[1], doc[5])
    (True, False)
    """
    return obj.dep_ == "dobj" and any(
        c.dep_ == "prep" and c.lower_ == "from" and c.i > obj.i
        and c.i + 1 < len(c.doc) and c.doc[c.i + 1].tag_ == "VBG"
        for c in (*verb.children, *obj.children)
    )


def _brought_to(verb: Token, obj: Token) -> bool:
    """``verb`` takes its object to something named after it: "shrinks the weights to zero", "resolves host
    names into addresses". A verb of lessening then sets a value or maps one thing to another; it
    lessens no harm. A "to" on the object itself stays: "reduces sensitivity to noise".

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["it", "reduces", "weights", "to", "zero"], heads=[1, 1, 1, 1, 3],
    ...           deps=["nsubj", "ROOT", "dobj", "prep", "pobj"])
    >>> _brought_to(doc[1], doc[2])
    True
    >>> doc = Doc(English().vocab, words=["it", "reduces", "noise", "in", "images"], heads=[1, 1, 1, 2, 3],
    ...           deps=["nsubj", "ROOT", "dobj", "prep", "pobj"])
    >>> _brought_to(doc[1], doc[2])
    False
    """
    return obj.dep_ == "dobj" and any(
        c.dep_ == "prep" and c.lower_ in ("to", "into") and c.i > obj.i for c in verb.children)


def _verb_cue(table: RelationTable, verb: Token) -> tuple[Cue | None, Token | None]:
    cues = table.verbs.get(verb.lemma_.lower()) or table.verbs.get(verb.lower_)
    if not cues:
        return None, None
    plain: Cue | None = None
    for cue in cues:  # a cue that needs a preposition is more specific: it wins when it fits
        if cue.prep is None:
            plain = plain or cue
            continue
        anchor = verb
        if cue.noun is not None:
            noun = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() == cue.noun), None)
            if noun is None:
                continue
            anchor = noun
        holders = (anchor, verb, *(c for c in verb.children if c.dep_ == "dobj"))
        for holder in holders:  # "combines X with Y" hangs "with" on X as often as on the verb
            for child in holder.children:
                if child.dep_ in ("prep", "prt", "agent") and child.lower_ == cue.prep:
                    return cue, child
    if plain is not None:
        return plain, None
    return None, None


def _active_objects(verb: Token, cue: Cue | None, prep: Token | None, graded: Set[str]) -> list[Token]:
    if prep is not None and prep.dep_ != "prt":
        objs = objects_of(prep)
        if cue is not None and cue.noun is None and cue.relation not in graded:
            # "combines X with Y"; but "protects X against Y" keeps X from Y, and only Y is mitigated
            objs = [c for c in verb.children if c.dep_ == "dobj"] + objs
        return objs
    return [c for c in verb.children if c.dep_ == "dobj"]


def _gerund_modifier(obj: Token, table: RelationTable) -> tuple[Cue, Token] | None:
    """A table verb the parser hung on a noun as a modifier: "reducing X and accelerating Y"."""
    for child in obj.lefts:
        if child.dep_ in ("amod", "compound") and child.tag_ == "VBG":
            for cue in table.verbs.get(child.lemma_.lower(), ()):
                if cue.prep is None:
                    return cue, child
    return None


# --------------------------------------------------------------------------------------------------
# The copula: "K-means is a clustering algorithm"


# Modals that make "be" say what a thing may, would or ought to be, not what kind it is.
_HEDGES = frozenset({"can", "could", "may", "might", "would", "should"})


@reads(lambda tok, lemma, table: lemma == "be" and tok.dep_ != "auxpass")
def copula(ctx: Sentence, be: Token) -> Iterable[Found]:
    """Read "X is a Y" and "X and Y are Zs" as X is a Y (the class flagged ``taxonomy``), when the
    predicate noun is itself a concept."""
    table = ctx.table
    relation = table.taxonomy
    if relation is None or negated(be):
        return
    attrs = [c for c in be.children if c.dep_ == "attr"]
    if not attrs or any(c.dep_ == "expl" for c in be.children):
        return  # "there are modest requirements" says that something exists, of no subject
    if any(c.dep_ == "aux" and c.lower_ in _HEDGES for c in be.children):
        return  # "the parsing can be a bottleneck", "some shards would be global shards": what it may be
    if be.dep_ in ("xcomp", "ccomp") and with_to(be) and (
        any(c.dep_ == "dobj" and c.i < be.i for c in be.head.children) or any(c.dep_ == "nsubj" for c in be.children)
    ):
        return  # "the update allows the app to be a VPN": what another is let, made or wanted to be
    subjects = [s for subj in subject_of(ctx, be) if not restricted(subj) for s in concepts_of(ctx, subj)
                if not _narrowed(subj, s)]
    for attr in attrs:
        if any(_noun_cue(table.nouns, attr)) or attr.lemma_.lower() in table.light_nouns:
            continue  # "X is a variant of Y" is the noun's relation
        det = next((c for c in attr.children if c.dep_ == "det"), None)
        if det is None and attr.tag_ not in ("NNS", "NNPS"):
            continue
        if det is not None and det.lower_ not in ("a", "an"):
            continue  # "X is the Y" defines or identifies; "X is a Y" and "X and Y are Zs" classify
        if any(c.dep_ == "prep" and c.lower_ in ("of", "for") for c in attr.children):
            continue  # "a plot of Y", "an abbreviation for Y": a frame the table does not type
        if any(c.dep_ == "amod" and _graded(c) for c in attr.children):
            continue  # "a more economical solution", "a better choice": a grade, no class
        if any(c.dep_ in ("nummod", "quantmod") for c in attr.children):
            continue  # "keys can be up to 255 bytes": a size, no class
        # The class must be the predicate noun itself: "a machine learning algorithm" is not
        # "machine learning", and a conjunct after the predicate is most often the next clause.
        tail = ctx.index.by_token.get(attr.i)
        if tail is None or tail.root != attr:
            continue
        for head in subjects:
            if spells(head.text, tail.text):
                continue  # "FTP is a File Transfer Protocol" spells the name out: one concept, no class of it
            yield head, relation, tail, f"{be.text} {det.text}" if det is not None else be.text


def _narrowed(subject: Token, concept: Span) -> bool:
    """Whether an "of" or "for" phrase after ``concept`` narrows the subject it heads: "a common root cause
    for this is a typo" classifies the cause of one error, not root causes."""
    return concept.root == subject and any(
        c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i >= concept.end for c in subject.children
    )


# --------------------------------------------------------------------------------------------------
# A relational noun: "LeakyReLU is a variant of ReLU", "the forget gate of an LSTM"


@reads(
    lambda tok, lemma, table: (lemma in table.nouns or lemma in table.heads)
    and tok.pos_ in ("NOUN", "PROPN", "NUM", "PRON")
)
def relational_noun(ctx: Sentence, noun: Token) -> Iterable[Found]:
    """A noun of the table with its preposition, said of its subject, its apposition or its own concept."""
    table = ctx.table
    own = ctx.index.by_token.get(noun.i)
    if own is not None and own.root == noun and not _unnamed_part(own, noun, table):
        # a concept named by its head: "the forget gate of an LSTM", "the flatten layer in a CNN"
        holders = [own]
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":
            # "VAD is the critical first stage in any voice pipeline": the predicate noun describes the
            # subject, which is what the sentence places in the pipeline ("This is the analysis step of
            # Y" places nothing kg names)
            holders = [] if negated(noun.head) else [
                s for subj in subject_of(ctx, noun.head) for s in concepts_of(ctx, subj)
            ]
        for cue, prep in _noun_cue(table.heads, noun):
            for tail in (s for obj in objects_of(prep) for s in concepts_of(ctx, obj)):
                for head in holders:
                    yield head, cue.relation, tail, f"{noun.text} {prep.text}"
    for cue, prep in _noun_cue(table.nouns, noun):
        if any(c.dep_ == "amod" and c.tag_ == "VBN" for c in noun.lefts):
            continue  # "the exponentiated form of Y", "a scaled version of Y": Y transformed, no kind of Y
        if noun.lemma_.lower() in _QUALIFIED_CHANGES and any(
            c.dep_ == "amod" and not grading(c) for c in noun.lefts
        ):
            continue  # "the declarative version of Y", "an enhanced subset of Y": a changed Y, no kind of it
        objs = objects_of(prep)
        if prep.lower_ == "between" and any(_quantity_of(o) for obj in objs for o in (obj, *obj.conjuncts)):
            continue  # "the difference between the entropy of A and the weighted sum": arithmetic
        tails = [s for obj in objs for s in concepts_of(ctx, obj)]
        text = f"{noun.text} {prep.text}"
        if prep.lower_ == "between":  # "the difference between X and Y"
            heads = {t.root.i for t in tails if _list_head(t, tails)}
            items = [t for t in tails if t.root.i not in heads]
            for i, a in enumerate(items):
                for b in items[i + 1 :]:
                    yield a, cue.relation, b, text
            continue
        if noun.dep_ == "attr" and not negated(noun.head):
            holders = [s for subj in subject_of(ctx, noun.head) for s in concepts_of(ctx, subj)]
        elif noun.dep_ == "appos" and _set_apart(noun):
            holders = concepts_of(ctx, noun.head)
        else:
            continue
        for tail in tails:
            for head in holders:
                yield (tail, cue.relation, head, text) if cue.inverse else (head, cue.relation, tail, text)


def _set_apart(appositive: Token) -> bool:
    """An apposition is set apart from its noun by a comma, a bracket, a dash or a colon ("LeakyReLU, a variant
    of ReLU"). One that runs on from it ("On Spigot and BungeeCord versions of Geyser") is a misparse of a
    modifier: those versions are Geyser's, and the names before them are no kinds of it.

    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["X", ",", "a", "variant", "of", "Y", "Z", "versions", "of", "Y"],
    ...           heads=[0, 0, 3, 0, 3, 4, 6, 6, 7, 8],
    ...           deps=["ROOT", "punct", "det", "appos", "prep", "pobj", "ROOT", "appos", "prep", "pobj"])
    >>> _set_apart(doc[3]), _set_apart(doc[7])
    (True, False)
    """
    start = appositive.left_edge.i
    return start > 0 and appositive.doc[start - 1].text in (",", "(", "[", "—", "–", "-", ":", ";")


# Adjectives that rank a part rather than name it: "the core components of X", "the major stages of X".
_RANKING = frozenset({"core", "major", "central", "principal", "chief", "critical", "vital"})


def _unnamed_part(own: Span, noun: Token, table: RelationTable) -> bool:
    """The concept headed by a part noun ranks the parts, and names none: "the core components of X", "the
    main modules of X", "the building blocks of X" (a noun the table reads with its modifier). "The forget
    gate of an LSTM" and "the output layer of an RNN" name one."""
    modifiers = [t for t in own if t.i < noun.i]
    listed = (cue.prep or "" for t in modifiers for cue in table.nouns.get(t.lower_, ()))
    if any(prep.split()[:1] == [noun.lemma_.lower()] for prep in listed):
        return True  # "building block of" is listed whole: the table's words, not a part's name
    return all(t.lower_ in GENERIC_MODIFIERS or t.lower_ in _RANKING or t.like_num for t in modifiers)


def _list_head(end: Span, ends: list[Span]) -> bool:
    """Whether ``end`` is the head noun of a list of other ends: "between A, B and C service types"
    names the class of A, B and C, no item to compare with them. In "L1 and L2 regularization" the
    last item is the end itself."""
    for other in ends:
        mod = other.root
        if mod.dep_ in ("nmod", "compound", "amod") and mod.head == end.root and mod.i < end.start:
            if max(t.i for t in (mod, *mod.conjuncts)) < end.start:
                return True
    return False


def _amount(obj: Token) -> bool:
    """Whether ``obj`` is counted and is of something right after it: "8 megabytes of stack", "5GB of disk
    space"; not "three matrices instead of two".

    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> words = ["uses", "8", "megabytes", "of", "stack", "and", "three", "matrices", "instead", "of", "two"]
    >>> doc = Doc(English().vocab, words=words, heads=[0, 2, 0, 2, 3, 0, 7, 0, 7, 7, 9],
    ...           deps=["ROOT", "nummod", "dobj", "prep", "pobj", "cc", "nummod", "conj", "advmod", "prep", "pobj"])
    >>> _amount(doc[2]), _amount(doc[7])
    (True, False)
    """
    return any(c.dep_ in ("nummod", "quantmod") for c in obj.children) and any(
        c.dep_ == "prep" and c.lower_ == "of" and c.i == obj.i + 1 for c in obj.children)


def _quantity_of(obj: Token) -> bool:
    """Whether ``obj`` is a quantity of something else: "the entropy of the parent", "the sum of ..."."""
    return any(c.dep_ == "prep" and c.lower_ == "of" for c in obj.children)


def _graded(adj: Token) -> bool:
    """A comparative adjective: "more economical", "better", "cheapest"."""
    return adj.tag_ in ("JJR", "JJS") or any(c.dep_ == "advmod" and c.lower_ in _COMPARISON for c in adj.children)


def _noun_cue(cues: Mapping[str, tuple[Cue, ...]], noun: Token) -> Iterable[tuple[Cue, Token]]:
    for cue in cues.get(noun.lemma_.lower(), ()):
        words = cue.prep.split() if cue.prep else []
        if len(words) == 2:  # "special case of": the noun's modifier, then the preposition
            if not any(c.lower_ == words[0] for c in noun.lefts):
                continue
            words = words[1:]
        for child in noun.children:
            if child.dep_ == "prep" and words and child.lower_ == words[0]:
                yield cue, child


# --------------------------------------------------------------------------------------------------
# An adjective with its preposition: "X is robust to Y", "X is similar to Y"


# Verbs that link a subject to an adjective ("is", "becomes", "remains similar to"): other verbs take it
# for the manner of their action
_LINKING = frozenset({"be", "become", "remain", "seem", "appear", "look", "stay", "sound", "feel"})


@reads(lambda tok, lemma, table: lemma in table.adjectives and tok.pos_ in ("ADJ", "VERB"))
def adjective_with_preposition(ctx: Sentence, adj: Token) -> Iterable[Found]:
    """An adjective of the table, said of the subject of its clause or of the noun it modifies."""
    for cue in ctx.table.adjectives.get(adj.lemma_.lower(), ()):
        prep = next((c for c in adj.children if c.dep_ == "prep" and c.lower_ == cue.prep), None)
        if prep is None or negated(adj) or negated(adj.head):
            continue
        if adj.dep_ in ("acomp", "oprd") and adj.head.lemma_.lower() not in _LINKING:
            continue  # "bumps are done similar to X", "set similar to X": how an action is done, not what X is like
        if adj.dep_ in ("acomp", "oprd") or adj.dep_ == "ROOT":
            holders = [
                s for subj in subject_of(ctx, adj.head if adj.dep_ != "ROOT" else adj) for s in concepts_of(ctx, subj)
            ]
        elif adj.dep_ == "amod":
            # "batch processing (similar to MapReduce) and new workloads": a bracket is said of its noun alone
            holders = resolve(ctx, adj.head, 0) if _bracketed(adj) else concepts_of(ctx, adj.head)
        else:
            continue
        for obj in objects_of(prep):
            # "different from other container technologies": a class the subject is in, not a thing compared
            # with it (its examples are: "similar to other tools like Gradle")
            other = any(c.dep_ == "amod" and c.lower_ in ("other", "another") for c in obj.children)
            own = ctx.index.concept(obj) if other else None
            for tail in concepts_of(ctx, obj):
                if tail == own:
                    continue
                for head in holders:
                    yield head, cue.relation, tail, f"{adj.text} {prep.text}"


def _bracketed(adj: Token) -> bool:
    """The adjective opens a bracket after the noun it modifies: "Lodash (similar to callbacks)".

    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["X", "(", "similar", "to", "Y", ")", "Z", "similar", "to", "Y"],
    ...           heads=[0, 2, 0, 2, 3, 2, 6, 6, 7, 8], deps=["ROOT", "punct", "amod", "prep", "pobj", "punct",
    ...           "ROOT", "amod", "prep", "pobj"])
    >>> _bracketed(doc[2]), _bracketed(doc[7])
    (True, False)
    """
    between = [t.text for t in adj.doc[adj.head.i + 1 : adj.i]]
    return "(" in between and ")" not in between[between.index("(") :]


# --------------------------------------------------------------------------------------------------
# A causative with a hindering adjective: "X makes it difficult to capture Y"


@reads(lambda tok, lemma, table: lemma in table.hindering and tok.pos_ == "ADJ")
def makes_it_difficult(ctx: Sentence, adj: Token) -> Iterable[Found]:
    """Read "X makes it difficult to capture Y" as X hinders Y (the class flagged ``hinders``)."""
    make = adj.head
    relation = ctx.table.hinders
    if relation is None or make.lemma_.lower() != "make" or adj.dep_ not in ("ccomp", "xcomp", "oprd"):
        return
    if negated(make) or not any(
        c.dep_ in ("nsubj", "expl", "dobj") and c.lower_ == "it" for c in (*adj.children, *make.children)
    ):
        return
    actions = [c for c in adj.children if c.dep_ in ("advcl", "xcomp", "ccomp") and c.pos_ == "VERB"]
    doers = [s for d in doer_of(ctx, make)[0] for s in concepts_of(ctx, d)]
    for action in actions:
        text = f"{make.text} it {adj.text} to {action.text}"
        for obj in (c for c in action.children if c.dep_ == "dobj"):
            for tail in concepts_of(ctx, obj):
                for head in doers:
                    yield head, relation, tail, text


# --------------------------------------------------------------------------------------------------
# Examples: "activation functions such as ReLU"


@reads(lambda tok, lemma, table: tok.dep_ == "prep")
def examples(ctx: Sentence, prep: Token) -> Iterable[Found]:
    """Read "X such as Y", "X like Y", "X including Y": Y is an example of X."""
    phrase = phrase_of(prep)
    relation = ctx.table.examples.get(phrase)
    if relation is None or prep.head.pos_ not in ("NOUN", "PROPN") or prep.head.i > prep.i:
        return  # the general term comes first: "techniques like X"; a later noun is a misparse
    general = ctx.index.concept(prep.head)
    if general is None:
        return
    if phrase in _ALSO_AS and negated(_clause_of(prep.head)):
        return  # "does not assume spherical clusters like K-means": as K-means does, not an example
    if phrase in _ALSO_AS and prep.head.tag_ not in ("NNS", "NNPS"):
        return  # "set the image in the pod spec like the build tag": matching it; examples follow a plural
    if any(c.dep_ == "prep" and c.lower_ == "of" and c.i < prep.i for c in prep.head.children):
        return  # "the details of storage such as X": the examples may be of either noun
    if _set_off(prep) and _in_or_by(prep.head):
        return  # "the tools in the SQL ecosystem, such as X": the tools' examples, not the ecosystem's
    if _facet_of(prep.head, ctx.table.facets):
        return  # "the aspects of training, such as pipeline implementation": aspects, no kinds of training
    if prep.head.i not in ctx.index.by_token and prep.head.lemma_.lower() in ctx.table.wholes and (
        prep.head.tag_ not in ("NNS", "NNPS")
    ):
        return  # "the WebRTC architecture including STUN servers": its parts; "CNN architectures such as ResNet": kinds
    one_thing = prep.head.tag_ in ("NN", "NNP") and any(
        c.dep_ == "det" and c.lower_ in ARTICLES for c in prep.head.children)
    close = _bracket_closing(prep)
    for obj in (*objects_of(prep), *(c for c in prep.children if c.dep_ == "conj")):
        if one_thing and obj.tag_ in ("NNS", "NNPS"):
            continue  # "the SerenityOS ABI, such as library symbols": things one thing has, no kinds of it
        if others(obj):  # "namespaces, like other Kubernetes resources": the noun is one of the class
            for cls in concepts_of(ctx, obj):
                yield general, relation, cls, phrase
            continue
        for example in concepts_of(ctx, obj):
            if example.start > close:
                continue  # "operations (including X and Y), assets": the examples end with their bracket
            yield example, relation, general, phrase


def _bracket_closing(prep: Token) -> int:
    """Where the bracket that opens right before an example phrase closes ("operations (including X), assets"),
    or past the sentence's end when no bracket opens it."""
    first = prep.i - 1 if phrase_of(prep) == "such as" else prep.i
    sent = prep.sent
    if first == 0 or prep.doc[first - 1].text != "(":
        return sent.end
    return next((t.i for t in prep.doc[prep.i : sent.end] if t.text == ")"), sent.end)


def _set_off(prep: Token) -> bool:
    """A comma or an opening bracket stands before the example phrase ("errors in JSON, such as X")."""
    first = prep.i - 1 if phrase_of(prep) == "such as" else prep.i
    return first > 0 and prep.doc[first - 1].text in (",", "(")


def _in_or_by(noun: Token) -> bool:
    """``noun`` is the object of "in" or of the "by" of a passive: where something is ("the tools in the SQL
    ecosystem", "an error in JSON"), or who does what is done to it ("sessions managed by the server").
    Examples set off after it are examples of that something (the tools, the error, the sessions), though
    the parser hangs them on the nearest noun. Other prepositions keep them: "adapters for several
    formats, including X" gives examples of the formats."""
    prep = noun.head
    return noun.dep_ == "pobj" and (prep.dep_ == "agent" or (prep.dep_ == "prep" and prep.lower_ == "in"))


def _facet_of(noun: Token, facets: frozenset[str]) -> bool:
    """``noun`` is the object of the "of" of a noun that names what a thing has or is made of ("the
    attributes of a data range", "other aspects of training"): examples after it are of those facets,
    though the parser hangs them on the nearest noun."""
    prep = noun.head
    return (noun.dep_ == "pobj" and prep.lower_ == "of" and prep.head.i != prep.i
            and prep.head.lemma_.lower() in facets)


def _clause_of(tok: Token) -> Token:
    """The verb of the clause ``tok`` stands in."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


# --------------------------------------------------------------------------------------------------
# Comparatives: "GRU is more memory-efficient than LSTM"


@reads(lambda tok, lemma, table: bool(table.comparative) and tok.lower_ == "than")
def comparative(ctx: Sentence, than: Token) -> Iterable[Found]:
    """Read "X is more ADJ than Y", "X trains faster than Y", "an X larger than Y"."""
    relation = ctx.table.comparative
    if relation is None:  # the registry's test already asks for a comparative class
        return
    target = than.head
    is_comparative = target.tag_ in ("JJR", "RBR") or any(
        c.dep_ == "advmod" and c.lower_ in _COMPARISON for c in target.children
    )
    if not is_comparative or target.lower_ in ("rather", "other"):
        return
    tails = [s for obj in objects_of(than) for s in concepts_of(ctx, obj)]
    if not tails:
        return
    holders: list[Span] = []
    if target.dep_ == "amod" and target.head.pos_ in ("NOUN", "PROPN"):
        holders = concepts_of(ctx, target.head)
    else:
        clause = target
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        if negated(clause):
            return
        holders = [s for d in doer_of(ctx, clause)[0] for s in concepts_of(ctx, d)]
        if not holders:
            holders = [s for d in subject_of(ctx, clause) for s in concepts_of(ctx, d)]
    start = min([target.i] + [c.i for c in target.lefts if c.dep_ in ("advmod", "npadvmod", "punct")])
    text = than.doc[start : than.i + 1].text
    for tail in tails:
        for head in holders:
            yield head, relation, tail, text


# --------------------------------------------------------------------------------------------------
# "Y and other X"


@reads(lambda tok, lemma, table: tok.lower_ == OTHER)
def and_other(ctx: Sentence, other: Token) -> Iterable[Found]:
    """Read "Y and other X": Y is an X."""
    relation = ctx.table.examples.get(OTHER)
    general_tok = other.head
    if relation is None or other.dep_ != "amod" or general_tok.dep_ != "conj":
        return
    general = ctx.index.concept(general_tok)
    implicit = general is None and any(
        c.relation == relation for c in ctx.table.nouns.get(general_tok.lemma_.lower(), ())
    )
    if general is None and not implicit:
        return
    cc = next((c for c in general_tok.head.children if c.dep_ == "cc"), None)
    text = f"{cc.text} other" if cc is not None else other.text
    for tok in (general_tok.head, *general_tok.head.conjuncts):
        if tok.i < general_tok.i:
            for example in resolve(ctx, tok, 1):
                if implicit:  # "LeakyReLU or other variants": variants of the ReLU named before
                    base = _named_within(ctx, example)
                    if base is not None:
                        yield example, relation, base, f"{text} {general_tok.text}"
                elif general is not None:  # always, when not implicit
                    yield example, relation, general, text


def _named_within(ctx: Sentence, example: Span) -> Span | None:
    """The longest concept named earlier in the doc whose name is part of ``example``'s name."""
    name = example.label_
    found = [s for s in ctx.index.spans if s.end <= example.start and s.label_ != name and s.label_ in name]
    return max(found, key=lambda s: len(s.label_), default=None)


# --------------------------------------------------------------------------------------------------
# A word between the ends: "bagging vs boosting"


@reads(lambda tok, lemma, table: tok.lower_ in table.infixes)
def infix(ctx: Sentence, tok: Token) -> Iterable[Found]:
    """Read "X vs Y": the concept that ends right before the word and the one that starts right after it."""
    relation = ctx.table.infixes[tok.lower_]
    left = ctx.index.by_end.get(tok.i)
    nxt = tok.i + 1
    if nxt < ctx.span.end and tok.doc[nxt].text == ".":
        nxt += 1
    right = ctx.index.by_start.get(nxt)
    if left is not None and right is not None:
        yield left, relation, right, tok.text


# --------------------------------------------------------------------------------------------------
# A contrast: "X converges quickly, unlike Y"


@reads_sentence(lambda table: bool(table.contrasts))
def contrast(ctx: Sentence) -> Iterable[Found]:
    """A contrast phrase of the table, setting its object against the subject of its clause."""
    sent = ctx.span
    words = [t.lower_ for t in sent]
    for phrase, relation in ctx.table.contrasts.items():
        n = len(phrase)
        for k in range(len(words) - n + 1):
            if tuple(words[k : k + n]) != phrase:
                continue
            first, last = sent[k], sent[k + n - 1]
            tails = [s for obj in objects_of(last) for s in concepts_of(ctx, obj)]
            if not tails:
                continue
            attach = first.head
            if attach.pos_ in ("NOUN", "PROPN") and attach.dep_ in ("dobj", "pobj"):
                continue  # "does not suffer from outliers unlike MSE": set against the clause's subject
            if attach.pos_ in ("NOUN", "PROPN"):
                holder = ctx.index.concept(attach)
                holders = [holder] if holder is not None else []
            else:
                while attach.pos_ not in ("VERB", "AUX") and attach.head.i != attach.i:
                    attach = attach.head
                # only the clause's own subject: an inherited one is too often the wrong clause's
                subjects = [c for c in attach.children if c.dep_ in SUBJ and c.lower_ not in REL_PRONOUNS]
                holders = [s for d in subjects for s in concepts_of(ctx, d)]
            text = " ".join(t.text for t in sent[k : k + n])
            for tail in tails:
                for head in holders:
                    yield head, relation, tail, text


TOKEN_READERS: tuple[Reader, ...] = tuple(_token_readers)
"""The token readers, in the order they run on each token."""

SENTENCE_READERS: tuple[SentenceReader, ...] = tuple(_sentence_readers)
"""The sentence readers, in the order they run after the tokens."""
