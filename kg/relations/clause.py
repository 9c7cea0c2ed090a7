"""Clause logic on the dependency parse: who does what a verb says, and which clauses state nothing.

Functions of spaCy tokens. Those that need the table's word lists (reporting verbs, causatives, ...) or
the concept index take the :class:`~kg.relations.sentence.Sentence` being read; the rest take tokens
alone.

- a clause is *supposed* or *reported* ("if X is trained using Y", "your friend claims that X causes Y")
  and states nothing;
- a *passive* clause turns round: its subject is acted on, its agent does;
- a *negated* word states nothing, nor a conjunct *contrasted* with the one before it ("X rather than Y");
- a subject *restricted* by a relative clause ("any data point that has ...") classifies only some of it;
- an *aside* in brackets is no object; a *premodified* object ("less data") is not the plain concept;
- a clause without a subject *climbs* the tree for one: "X normalizes activations, reducing Y";
- a *cited title* ("Kojima et al. — "Large Language Models are Zero-Shot Reasoners"") is the name of a
  work, whose words the bank does not state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from kg.extract.tokens import is_cited_name

if TYPE_CHECKING:
    from kg.relations.sentence import Sentence
    from kg.relations.table import RelationTable

SUBJ = ("nsubj", "csubj")
PASS_SUBJ = ("nsubjpass", "csubjpass")
REL_PRONOUNS = frozenset({"that", "which", "who", "whom"})
PERSONAL = frozenset({"who", "whom"})  # relative pronouns of people
MAX_CLIMB = 8  # clauses a subject is looked for above a verb; deeper chains are parse noise
# Prepositions whose clause the sentence's subject does not do: one set against the sentence's ("X does it
# better than using Y"), or one the subject keeps others from ("X prevents users from using Y").
_NOT_THE_SUBJECTS = frozenset({"than", "unlike", "versus", "instead", "from"})


# --------------------------------------------------------------------------------------------------
# Words and phrases


def phrase_of(prep: Token) -> str:
    """A preposition with the word that makes it a phrase: "as" after "such" reads "such as"."""
    if prep.lower_ == "as" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "such":
        return "such as"
    return prep.lower_


def objects_of(prep: Token) -> list[Token]:
    """The objects of a preposition (or of a particle read as one)."""
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp", "dobj")]


def is_passive(verb: Token) -> bool:
    """A passive clause, or a participle that modifies its patient ("problems caused by X")."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    return any(c.dep_ in ("nsubjpass", "csubjpass", "auxpass") for c in verb.children)


# What opens an example of something named before it: "e.g. AES", "for example, AES"
_EXAMPLE_MARKS = (("e.g.",), ("eg",), ("e.g",), ("eg.",), ("for", "example"), ("for", "instance"))
# The words of a noun's own phrase before it: "a [single] [trial] version"
_NOUN_PHRASE = frozenset({"compound", "amod", "nmod", "det", "nummod", "poss", "case"})


def exemplifies(obj: Token) -> bool:
    """A phrase an example mark opens ("can mitigate this e.g. AES with x86", "techniques (e.g., BPE)"): an
    example of something the clause names, whatever the parser hangs it on; not what a verb acts on, nor
    what a noun is.

    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> doc = Doc(English().vocab, words=["mitigate", "this", "e.g.", "AES", "for", "example", ",", "RSA"])
    >>> exemplifies(doc[3]), exemplifies(doc[7]), exemplifies(doc[1])
    (True, True, False)
    """
    first = min([obj.i, *(t.i for t in obj.lefts if t.dep_ in _NOUN_PHRASE)])
    before = [t.lower_ for t in obj.doc[max(first - 4, 0) : first] if not t.is_punct or "." in t.text]
    return any(tuple(before[-len(mark) :]) == mark for mark in _EXAMPLE_MARKS)


# Adverbs that deny what the verb says as surely as "not": "Bagging will rarely get a better bias".
_NEGATING_ADVERBS = frozenset({"never", "rarely", "seldom", "hardly", "scarcely", "barely"})


def negated(token: Token) -> bool:
    """Whether ``token`` carries a negation ("does not prevent", "rarely improves")."""
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in _NEGATING_ADVERBS) for c in token.children)


# What opens a conjunct set against the one before it: "X rather than Y", "X instead of Y", "X and not Y".
_SET_AGAINST = (("rather", "than"), ("instead", "of"), ("as", "opposed", "to"), ("not",))


def contrasted(conjunct: Token) -> bool:
    """A conjunct written as what is not meant: "contains runtime libraries and not the compiler",
    "uses soft labels rather than hard labels". What is said of the first conjunct is not said of it.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> words = ["soft", "labels", "rather", "than", "hard", "labels"]
    >>> doc = Doc(English().vocab, words=words, heads=[1, 1, 3, 1, 5, 1],
    ...           deps=["amod", "ROOT", "advmod", "cc", "amod", "conj"])
    >>> contrasted(doc[5]), contrasted(doc[1])
    (True, False)
    """
    if negated(conjunct):
        return True
    start = conjunct.left_edge.i
    before = tuple(t.lower_ for t in conjunct.doc[max(start - 3, 0) : start])
    return any(before[-len(words) :] == words for words in _SET_AGAINST)


def with_conjuncts(token: Token) -> tuple[Token, ...]:
    """``token`` and the conjuncts that share what is said of it: not those set against it ("X rather
    than Y")."""
    return (token, *(c for c in token.conjuncts if not contrasted(c)))


def restricted(noun: Token) -> bool:
    """Whether a restrictive relative clause narrows ``noun``: "any data point that has z > 3"."""
    for clause in noun.children:
        if clause.dep_ == "relcl":
            first = clause.left_edge
            if first.i == 0 or first.doc[first.i - 1].text not in (",", "(", "—", "–"):
                return True
    return False


def aside(verb: Token, obj: Token) -> bool:
    """Whether ``obj`` sits in brackets opened after ``verb``: an aside, not the verb's object."""
    depth = 0
    for tok in obj.doc[verb.i + 1 : obj.i]:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")" and depth:
            depth -= 1
    return depth > 0


def premodified(obj: Token, words: frozenset[str]) -> bool:
    """Whether a word of ``words`` comes before ``obj`` in its phrase: "less labelled data" (diminishing),
    "excessive iterations", "too many layers" (excessive). A word hyphened to the next grades nothing
    ("low-level control", "a low-pass filter" name kinds)."""
    doc = obj.doc
    return any(t.lower_ in words and not (t.i + 1 < len(doc) and doc[t.i + 1].text == "-")
               for t in obj.subtree if t.i < obj.i)


# --------------------------------------------------------------------------------------------------
# Clauses that state nothing


def supposed(ctx: Sentence, tok: Token) -> bool:
    """Whether ``tok`` sits in a clause the bank supposes or reports rather than states.

    "If a perceptron is trained using X ...", "your friend claims that X reduces Y": the relation
    is somebody's claim or a premise, often one the question asks the reader to refute.
    """
    known = ctx.supposed_at.get(tok.i)
    if known is not None:
        return known  # every word of the sentence asks: remember each clause's answer
    table = ctx.table
    is_root = tok.head.i == tok.i
    head_lemma = tok.head.lemma_.lower()
    found = any(c.dep_ == "mark" and c.lower_ in table.conditionals for c in tok.children) or (
        not is_root
        and (
            (tok.dep_ in ("ccomp", "xcomp", "advcl", "conj") and head_lemma in table.reporting)
            or (tok.dep_ == "xcomp" and head_lemma in table.negating)  # "X fails to include Y"
            # "X does not support using Y"; a clause before the verb is the parser's join of two ("X is a
            # Y; it does not contain Z"), not what the verb governs
            or (tok.dep_ in ("xcomp", "ccomp") and tok.i > tok.head.i and negated(tok.head))
            or (tok.dep_ in ("relcl", "acl") and _reported_object(ctx, tok.head))
            or supposed(ctx, tok.head)
        )
    )
    ctx.supposed_at[tok.i] = found
    return found


def _reported_object(ctx: Sentence, noun: Token) -> bool:
    """Whether ``noun`` is what a reporting verb puts forward: "suggests a layer [which is based on X]".

    What a clause on it says is part of the proposal, not a fact the bank states; the noun itself
    (and examples given of it) still names what it names.
    """
    node = noun
    for _ in range(MAX_CLIMB):
        if node.dep_ in ("pobj", "compound", "appos", "conj") or node.dep_ == "prep":
            node = node.head
            continue
        return node.dep_ == "dobj" and node.head.lemma_.lower() in ctx.table.reporting
    return False


# --------------------------------------------------------------------------------------------------
# Subjects and doers


def made_to(table: RelationTable, verb: Token) -> bool:
    """``verb`` is the complement clause of a causative: "prevent" of "X helps the model prevent Y"."""
    return verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_.lower() in table.causatives


def subject_of(ctx: Sentence, verb: Token, depth: int = 0) -> list[Token]:
    """The grammatical subject of a clause, looked for up the tree when the clause has none."""
    if depth > MAX_CLIMB:
        return []
    if made_to(ctx.table, verb):
        above = subject_of(ctx, verb.head, depth + 1)
        if above:  # "X helps the model prevent Y": X prevents Y
            return above
    own = [c for c in verb.children if c.dep_ in SUBJ or c.dep_ in PASS_SUBJ]
    if own:
        return _not_labels(verb, own)
    if verb.dep_ == "ROOT" and verb.i == ctx.span.start and verb.tag_ == "VB" and verb.i in ctx.index.by_token:
        # "Dropout randomly deactivates neurons, forcing ...": a term that opens the sentence, read
        # as an imperative verb, is the subject of what the sentence goes on to say
        return [verb]
    return _inherited(ctx, verb, depth)


def doer_of(ctx: Sentence, verb: Token, depth: int = 0) -> tuple[list[Token], bool]:
    """Who does what ``verb`` says, and whether that was read off the verb's own clause."""
    if is_passive(verb):
        return [o for agent in verb.children if agent.dep_ == "agent" for o in objects_of(agent)], True
    if made_to(ctx.table, verb):
        above = subject_of(ctx, verb.head, depth + 1)
        if above:
            return above, False
    own = [c for c in verb.children if c.dep_ in SUBJ]
    if own and _small_clause_misread(verb):
        return [], True
    if own:
        return _not_labels(verb, own), True
    return _not_labels(verb, _inherited(ctx, verb, depth)), False


def _not_labels(verb: Token, subjects: list[Token]) -> list[Token]:
    """``subjects`` but a label before a colon that an instruction follows: in "Model-based PLC: use a
    predictive model" or "Third, quantization: convert the model" the label names the step, and the verb
    in the base form, with no auxiliary, tells the reader what to do; the label does nothing."""
    if verb.tag_ != "VB" or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return subjects
    doc = verb.doc
    return [s for s in subjects if not any(doc[k].text in (":", "):") for k in range(s.i + 1, verb.i))]


def with_to(verb: Token) -> bool:
    """``verb`` has the "to" of an infinitive: "to prevent collapse", "encourages X to form Y"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _purpose(verb: Token) -> bool:
    """An infinitive with "to": "to prevent collapse"."""
    return verb.tag_ == "VB" and with_to(verb)


def _small_clause_misread(verb: Token) -> bool:
    """A gerund with a subject of its own, as the complement of a verb that has no object: the parser
    took that verb's object for the gerund's subject ("deploy TiDB quickly using X": TiDB uses nothing);
    or as the object of a preposition, where the gerund says how the phrase's event was done ("the test
    result for TiDB using Sysbench": the test uses Sysbench)."""
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp":
        return True
    upper = verb.head
    return (verb.tag_ == "VBG" and verb.dep_ in ("ccomp", "xcomp", "advcl") and upper.pos_ in ("VERB", "AUX")
            and upper.i != verb.i and not any(c.dep_ in ("dobj", "obj") for c in upper.children))


def _inherited(ctx: Sentence, verb: Token, depth: int) -> list[Token]:
    dep, head = verb.dep_, verb.head
    if head.i == verb.i or head.lemma_.lower() in ctx.table.reporting:
        return []  # "a colleague suggests using X": the one who suggests does not use X
    if _doer_unsaid(ctx, verb):
        return []  # "the server crashes when using X": who uses X is not said, and it is not the server
    light = ctx.table.light_verbs  # "use X to use Y" says nothing of what X uses
    by_tool = head.lemma_.lower() in light and verb.lemma_.lower() not in light
    if dep in ("advcl", "xcomp") and by_tool and _purpose(verb):
        tools = [c for c in head.children if c.dep_ == "dobj"]
        if tools:  # "MoE models use an auxiliary loss to prevent collapse": the loss prevents it
            return tools
    if dep == "conj" and _after_a_noun(verb):
        return []  # "X is not A and our focus is B": the parser took "focus" for a conjunct of A
    if dep in ("advcl", "conj", "xcomp") and head.pos_ in ("VERB", "AUX"):
        return subject_of(ctx, head, depth + 1) if _passes_on(ctx, head) else []
    if (dep in ("relcl", "advcl") or (dep == "acl" and verb.tag_ == "VBN")) and head.pos_ in ("NOUN", "PROPN"):
        return described(head)  # "initialization used to tackle Y"
    # "rates using X" is left alone: the parser hangs such gerunds on the nearest noun too often
    if dep == "pcomp" and head.lower_ in _NOT_THE_SUBJECTS:
        return []  # "X estimates it more reliably than using Y", "X prevents users from using Y": X uses no Y
    if dep == "pcomp" and head.dep_ == "prep":  # "X does A by reducing Y"
        clause = head.head
        while clause.pos_ in ("NOUN", "PROPN") and clause.dep_ in ("dobj", "pobj", "attr") and clause.head != clause:
            clause = clause.head  # "by" hung on the object: "encourages sparsity by penalizing"
            if clause.dep_ == "prep":
                clause = clause.head
        if clause.pos_ in ("VERB", "AUX") and _passes_on(ctx, clause):
            return subject_of(ctx, clause, depth + 1)
    return []


def _after_a_noun(verb: Token) -> bool:
    """A conjoined verb whose clause opens right after a noun: "X is not A and our focus is B". A verb
    that shares its subject follows "and", "or" or a comma ("X reduces A and improves B"); one that
    follows a noun has a subject of its own, which the parser hung elsewhere.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc
    >>> words = ["X", "is", "A", "and", "our", "focus", "is", "B", "and", "is", "C"]
    >>> doc = Doc(English().vocab, words=words, heads=[1, 1, 1, 2, 5, 2, 1, 6, 6, 6, 9],
    ...           deps=["nsubj", "ROOT", "attr", "cc", "poss", "conj", "conj", "attr", "cc", "conj", "attr"],
    ...           pos=["PROPN", "AUX", "NOUN", "CCONJ", "PRON", "NOUN", "AUX", "NOUN", "CCONJ", "AUX", "NOUN"])
    >>> _after_a_noun(doc[6]), _after_a_noun(doc[9])
    (True, False)
    """
    doc = verb.doc
    start = verb.i
    while start > 0 and doc[start - 1].head == verb and doc[start - 1].dep_ in ("advmod", "aux", "auxpass", "neg"):
        start -= 1  # "and also improves", "and can improve"
    return start > 0 and doc[start - 1].pos_ in ("NOUN", "PROPN")


def _doer_unsaid(ctx: Sentence, verb: Token) -> bool:
    """A gerund opened by a word of the occasion ("when using X"): who does it is not said.

    Unless the clause above is a passive light verb, whose subject is the means: in "X is applied when
    leveraging Y" X leverages Y, as in "X is used to do Y" (:func:`_passes_on`).
    """
    above = verb.head
    return (verb.tag_ == "VBG"
            and any(c.dep_ in ("advmod", "mark") and c.lower_ in ctx.table.occasions for c in verb.children)
            and not (is_passive(above) and above.lemma_.lower() in ctx.table.light_verbs))


def _passes_on(ctx: Sentence, clause: Token) -> bool:
    """Whether a clause's subject also does what a clause hung on it says.

    Not when the clause is passive, since its subject is what is acted on: in "outliers are removed
    by using standard deviations" the outliers use nothing. "X is used / applied to do Y" is the
    exception: there X does Y.
    """
    return not is_passive(clause) or clause.lemma_.lower() in ctx.table.light_verbs


def predicate_noun(node: Token) -> bool:
    """Whether ``node`` is the predicate noun of "be": its attribute, or what the parser took for its object
    ("It’s a pre-processing step to ...": "be" takes no object, so the noun is what the subject is)."""
    return node.dep_ in ("attr", "dobj") and node.head.lemma_ == "be"


def described(noun: Token) -> list[Token]:
    """What a clause hung on ``noun`` is said of: the subject when the noun only classifies it.

    "Label smoothing is a regularization technique used to improve generalization": label smoothing
    improves generalization. The noun may sit in an "of" phrase of the predicate ("a form of
    regularization used to avoid overfitting").
    """
    node = noun
    while node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ in ("NOUN", "PROPN"):
        node = node.head.head
    if predicate_noun(node) and not negated(node.head):
        subjects = [c for c in node.head.children if c.dep_ in SUBJ and c.lower_ not in REL_PRONOUNS]
        if subjects:
            return subjects
    return [noun]


# --------------------------------------------------------------------------------------------------
# Titles of cited works

_QUOTES_OPEN = frozenset({'"', "“"})
_QUOTES_CLOSE = frozenset({'"', "”"})
# What stands between a citation's authors and the title: "Nakkiran et al. — "Deep Double Descent""
_BEFORE_TITLE = frozenset({"—", "–", "-", ":", ",", ".", "("})


def cited_title(end: Span) -> tuple[int, int] | None:
    """The quotes around ``end`` when they hold the title of a cited work: they open right after the
    authors ("Dao & Gu — "Transformers are SSMs"", "Kojima et al. — "..."", "Koren, Y. (2009): "...""). A
    title names a work; what its words say ("Transformers are SSMs") is the work's claim, not the bank's.
    ``None`` for an end outside such quotes."""
    doc, sent = end.doc, end.sent
    i = end.start - 1
    while i >= sent.start and doc[i].text not in _QUOTES_OPEN | _QUOTES_CLOSE:
        i -= 1
    if i < sent.start or doc[i].text not in _QUOTES_OPEN:
        return None
    if doc[i].text == '"' and sum(t.text == '"' for t in doc[sent.start : i]) % 2:
        return None  # a straight quote that closes an earlier pair
    j = end.end
    while j < sent.end and doc[j].text not in _QUOTES_CLOSE:
        j += 1
    if j >= sent.end:
        return None
    k = i - 1
    while k >= sent.start and doc[k].text in _BEFORE_TITLE:
        k -= 1
    if k < sent.start or not (is_cited_name(doc[k]) or doc[k].lower_ in ("al", "al.") or doc[k].like_num):
        return None
    if doc[k].like_num and not (k > sent.start and is_cited_name(doc[k - 1])):
        return None  # a year after the authors: "Hastie & Tibshirani 2009, "The Elements ...""
    return i, j
