"""The walk: each sentence of a doc read construction by construction for relations between its concepts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from spacy.tokens import Doc, Span, Token

from kg.model import Relation
from kg.relations.table import Cue, RelationTable, _default_table

RELATED = "related"
"""The class of a relation stated by a verb the table does not list."""

SPAN_KEY = "concepts"

_SUBJ = ("nsubj", "csubj")
_PASS_SUBJ = ("nsubjpass", "csubjpass")
_REL_PRONOUNS = frozenset({"that", "which", "who", "whom"})
_COMPARISON = frozenset({"more", "less", "fewer"})
_QUIZ = re.compile(r"^\W*true\s*(?:or|/)\s*false\b", re.IGNORECASE)
_MAX_CLIMB = 8  # clauses a subject is looked for above a verb; deeper chains are parse noise


def relations_from_doc(doc: Doc, item_id: str, table: RelationTable | None = None) -> list[Relation]:
    """The typed relations that the sentences of ``doc`` state between its concept mentions.

    Parameters
    ----------
    doc
        A parsed doc (tagger, lemmatizer and dependency parser) whose ``doc.spans["concepts"]`` holds
        the concept mentions; each span's ``label_`` is the concept key.
    item_id
        The id of the item the doc belongs to, kept as the relation's provenance.
    table
        The relation table; the shipped one when ``None``.

    Returns
    -------
    list of Relation
        ``head`` and ``tail`` are concept keys; ``verb`` the words that state the relation as written;
        ``sentence`` the sentence. Each (head, relation, tail) appears once per sentence.

    Notes
    -----
    One walk over the tokens of each sentence holding two or more concepts: linear in the length of the
    doc, with no call to the language model.
    """
    if table is None:
        table = _default_table()
    if SPAN_KEY not in doc.spans or len(doc.spans[SPAN_KEY]) < 2 or not doc.has_annotation("DEP"):
        return []
    index = _ConceptIndex(doc.spans[SPAN_KEY], table)
    found: list[Relation] = []
    for sent in doc.sents:
        named = {index.by_token[t.i].label_ for t in sent if t.i in index.by_token}
        if len(named) < 2 and not (named and any(t.lower_ == "other" for t in sent)):
            continue  # "Y or other variants" may name its class in an earlier sentence
        if _is_polar_question(sent) or _QUIZ.match(sent.text):
            continue  # "Does X cause Y?" asks and "True or false: X causes Y" tests; neither states
        seen: set[tuple[str, str, str]] = set()
        text = sent.text.strip()
        for head, relation, tail, verb in _Walker(sent, index, table).relations():
            if head.label_ == tail.label_:
                continue
            key = (head.label_, relation, tail.label_)
            if key in seen:
                continue
            seen.add(key)
            found.append(Relation(head.label_, relation, tail.label_, verb, item_id, text))
    return found


def _is_polar_question(sent: Span) -> bool:
    words = [t for t in sent if not t.is_punct]
    return bool(words) and sent.text.rstrip().endswith("?") and words[0].pos_ == "AUX"


class _ConceptIndex:
    """Which concept span a token stands for."""

    def __init__(self, spans: Iterable[Span], table: RelationTable) -> None:
        self.table = table
        self.by_token: dict[int, Span] = {}
        self.by_start: dict[int, Span] = {}
        self.by_end: dict[int, Span] = {}
        self.spans = sorted(spans, key=lambda s: (-(s.end - s.start), s.start))
        # Longest first, so a token inside "vanishing gradient problem" stands for it, not "gradient".
        for span in self.spans:
            for i in range(span.start, span.end):
                self.by_token.setdefault(i, span)
            self.by_start.setdefault(span.start, span)
            self.by_end.setdefault(span.end, span)

    def slashed(self, span: Span) -> list[Span]:
        """Concepts written against ``span`` with a slash: "vanishing/exploding gradient problem"."""
        doc, out = span.doc, []
        if span.start >= 2 and doc[span.start - 1].text == "/" and span.start - 1 in self.by_end:
            out.append(self.by_end[span.start - 1])
        if span.end + 1 < len(doc) and doc[span.end].text == "/" and span.end + 1 in self.by_start:
            out.append(self.by_start[span.end + 1])
        return out

    def concept(self, token: Token) -> Span | None:
        """The span that contains ``token``, or the concept a generic head stands for ("LSTM networks")."""
        span = self.by_token.get(token.i)
        if span is not None:
            return span
        if token.lemma_.lower() in self.table.generic_heads:
            for child in token.children:
                if child.dep_ in ("compound", "amod", "nmod", "appos") and child.i in self.by_token:
                    return self.by_token[child.i]
        return None


class _Walker:
    """The relations of one sentence, found by walking its dependency tree once."""

    def __init__(self, sent: Span, index: _ConceptIndex, table: RelationTable) -> None:
        self.sent = sent
        self.index = index
        self.table = table
        self._supposed_at: dict[int, bool] = {}

    def relations(self) -> Iterable[tuple[Span, str, Span, str]]:
        table = self.table
        for tok in self.sent:
            if self._supposed(tok):
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" or (tok.tag_.startswith("VB") and tok.pos_ != "AUX"):
                yield from self._verb(tok)
            if lemma == "be" and tok.dep_ != "auxpass":
                yield from self._copula(tok)
            if (lemma in table.nouns or lemma in table.heads) and tok.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
                yield from self._relational_noun(tok)
            if lemma in table.adjectives and tok.pos_ in ("ADJ", "VERB"):
                yield from self._adjective(tok)
            if lemma in table.hindering and tok.pos_ == "ADJ":
                yield from self._hindering(tok)
            if tok.dep_ == "prep":
                yield from self._examples(tok)
            if table.comparative and tok.lower_ == "than":
                yield from self._comparative(tok)
            if tok.lower_ == "other":
                yield from self._other(tok)
            if tok.lower_ in table.infixes:
                yield from self._infix(tok)
        if table.contrasts:
            yield from self._contrasts()

    def _supposed(self, tok: Token) -> bool:
        """Whether ``tok`` sits in a clause the bank supposes or reports rather than states.

        "If a perceptron is trained using X ...", "your friend claims that X reduces Y": the relation
        is somebody's claim or a premise, often one the question asks the reader to refute.
        """
        known = self._supposed_at.get(tok.i)
        if known is not None:
            return known  # every word of the sentence asks: remember each clause's answer
        is_root = tok.head.i == tok.i
        found = any(c.dep_ == "mark" and c.lower_ in self.table.conditionals for c in tok.children) or (
            not is_root
            and (
                (tok.dep_ in ("ccomp", "xcomp", "advcl", "conj") and tok.head.lemma_.lower() in self.table.reporting)
                or self._supposed(tok.head)
            )
        )
        self._supposed_at[tok.i] = found
        return found

    # ---- arguments

    def args(self, token: Token, _depth: int = 0) -> list[Span]:
        """The concepts a phrase headed by ``token`` stands for, conjuncts included."""
        out: list[Span] = []
        for tok in (token, *token.conjuncts):
            for span in self._resolve(tok, _depth):
                if span not in out:
                    out.append(span)
        return out

    def _resolve(self, tok: Token, depth: int) -> list[Span]:
        if depth > _MAX_CLIMB:
            return []
        table = self.table
        if tok.lemma_.lower() in table.light_nouns:  # "the problem of exploding gradients"
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    spans = [s for obj in _objects_of(prep) for s in self.args(obj, depth + 1)]
                    if spans:
                        return spans
        examples = self._example_args(tok, depth)
        if examples:  # "techniques such as X and Y reduce Z", "functions like X address Z": X and Y do
            return examples
        span = self.index.concept(tok)
        if span is not None:
            out = [span, *self.index.slashed(span)]
            for left in tok.lefts:  # "[gradient clipping and weight] decay": a coordination read as a modifier
                if left.i < span.start and left.dep_ in ("nmod", "compound", "amod") and any(
                    c.dep_ == "cc" for c in left.children
                ):
                    other = self.index.by_token.get(left.i)
                    if other is not None and other not in out:
                        out.insert(0, other)
            return out
        if tok.pos_ == "VERB" and tok.lemma_.lower() in table.light_verbs:
            for child in tok.children:  # "by using X", "and adding X": the gerund stands for its object
                if child.dep_ == "dobj":
                    return self.args(child, depth + 1)
        if tok.lower_ in _REL_PRONOUNS and tok.head.dep_ == "relcl":
            return self.args(tok.head.head, depth + 1)
        return []

    def _example_args(self, tok: Token, depth: int) -> list[Span]:
        """The examples given of a noun: "techniques such as X, Y and using Z" -> X, Y, Z."""
        out: list[Span] = []
        for prep in tok.children:
            if prep.dep_ == "prep" and _phrase(prep) in self.table.examples and prep.i > tok.i:
                for obj in (*_objects_of(prep), *(c for c in prep.children if c.dep_ == "conj")):
                    out.extend(self.args(obj, depth + 1))
        return out

    # ---- subjects

    def subject_of(self, verb: Token, depth: int = 0) -> list[Token]:
        """The grammatical subject of a clause, looked for up the tree when the clause has none."""
        if depth > _MAX_CLIMB:
            return []
        if verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_.lower() in self.table.causatives:
            above = self.subject_of(verb.head, depth + 1)
            if above:  # "X helps the model prevent Y": X prevents Y
                return above
        own = [c for c in verb.children if c.dep_ in _SUBJ or c.dep_ in _PASS_SUBJ]
        if own:
            return own
        if verb.dep_ == "ROOT" and verb.i == self.sent.start and verb.tag_ == "VB" and verb.i in self.index.by_token:
            # "Dropout randomly deactivates neurons, forcing ...": a term that opens the sentence, read
            # as an imperative verb, is the subject of what the sentence goes on to say
            return [verb]
        return self._inherited(verb, depth)

    def doer_of(self, verb: Token, depth: int = 0) -> tuple[list[Token], bool]:
        """Who does what ``verb`` says, and whether that was read off the verb's own clause."""
        if _is_passive(verb):
            return [o for agent in verb.children if agent.dep_ == "agent" for o in _objects_of(agent)], True
        if verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_.lower() in self.table.causatives:
            above = self.subject_of(verb.head, depth + 1)
            if above:
                return above, False
        own = [c for c in verb.children if c.dep_ in _SUBJ]
        if own:
            return own, True
        return self._inherited(verb, depth), False

    def _inherited(self, verb: Token, depth: int) -> list[Token]:
        dep, head = verb.dep_, verb.head
        if head.i == verb.i or head.lemma_.lower() in self.table.reporting:
            return []  # "a colleague suggests using X": the one who suggests does not use X
        if dep in ("advcl", "conj", "xcomp") and head.pos_ in ("VERB", "AUX"):
            return self.subject_of(head, depth + 1) if self._passes_on(head) else []
        if dep in ("relcl", "advcl") or (dep == "acl" and verb.tag_ == "VBN"):
            if head.pos_ in ("NOUN", "PROPN"):
                return self._described(head)  # "initialization used to tackle Y"
        # "rates using X" is left alone: the parser hangs such gerunds on the nearest noun too often
        if dep == "pcomp" and head.dep_ == "prep":  # "X does A by reducing Y"
            clause = head.head
            while clause.pos_ in ("NOUN", "PROPN") and clause.dep_ in ("dobj", "pobj", "attr") and clause.head.i != clause.i:
                clause = clause.head  # "by" hung on the object: "encourages sparsity by penalizing"
                if clause.dep_ == "prep":
                    clause = clause.head
            if clause.pos_ in ("VERB", "AUX") and self._passes_on(clause):
                return self.subject_of(clause, depth + 1)
        return []

    def _passes_on(self, clause: Token) -> bool:
        """Whether a clause's subject also does what a clause hung on it says.

        Not when the clause is passive, since its subject is what is acted on: in "outliers are removed
        by using standard deviations" the outliers use nothing. "X is used / applied to do Y" is the
        exception: there X does Y.
        """
        return not _is_passive(clause) or clause.lemma_.lower() in self.table.light_verbs

    def _described(self, noun: Token) -> list[Token]:
        """What a clause hung on ``noun`` is said of: the subject when the noun only classifies it.

        "Label smoothing is a regularization technique used to improve generalization": label smoothing
        improves generalization. The noun may sit in an "of" phrase of the predicate ("a form of
        regularization used to avoid overfitting").
        """
        node = noun
        while node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ in ("NOUN", "PROPN"):
            node = node.head.head
        if node.dep_ == "attr" and node.head.lemma_ == "be" and not _negated(node.head):
            subjects = [c for c in node.head.children if c.dep_ in _SUBJ and c.lower_ not in _REL_PRONOUNS]
            if subjects:
                return subjects
        return [noun]

    # ---- verbs

    def _verb(self, verb: Token) -> Iterable[tuple[Span, str, Span, str]]:
        if _negated(verb) or (verb.dep_ == "pcomp" and verb.head.lower_ == "without"):
            return
        cue, prep = self._verb_cue(verb)
        passive = _is_passive(verb)
        doers, own = self.doer_of(verb)
        if cue is None and not own:
            return  # untyped verbs only with their own subject: inherited ones are too loose
        if passive:
            patients = [c for c in verb.children if c.dep_ in _PASS_SUBJ]
            if not patients and verb.dep_ == "acl":
                patients = [verb.head]  # "problems caused by X"
            if cue is not None and cue.prep and prep is not None and not doers:
                # "X is based on Y": the subject is the head, the preposition's object the tail
                if verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "pobj"):
                    # "adapts the learning rate based on squared gradients": the parser cannot tell
                    # what the participle describes, the object or the whole clause
                    return
                doers, patients = patients, _objects_of(prep)
        else:
            patients = self._active_objects(verb, cue, prep)
        heads = [s for d in doers for s in self.args(d)]
        if not heads:
            return
        text = verb.text if prep is None else " ".join([verb.text, *([cue.noun] if cue and cue.noun else []), prep.text])
        for obj in (o for p in patients for o in (p, *p.conjuncts)):
            relation, verb_text, inverse = (cue.relation, text, cue.inverse) if cue else (RELATED, text, False)
            gerund = _gerund_modifier(obj, self.table) if obj.dep_ == "conj" else None
            if gerund is not None:  # "reducing X and accelerating Y", with the second verb read as an adjective
                relation, verb_text, inverse = gerund[0].relation, gerund[1].text, gerund[0].inverse
            if relation not in self.table.graded and _premodified(obj, self.table.diminishing):
                relation = RELATED  # "requires less labelled data", "results in smaller outputs"
            elif relation in self.table.graded and _premodified(obj, self.table.excessive):
                relation = RELATED  # "avoiding excessive training iterations": the excess, not the iterations
            for tail in self._resolve(obj, 0):
                if _aside(verb, tail.root):
                    continue  # "combines many weak (high bias) models": the aside is not what is combined
                for head in heads:
                    yield (tail, relation, head, verb_text) if inverse else (head, relation, tail, verb_text)

    def _verb_cue(self, verb: Token) -> tuple[Cue | None, Token | None]:
        cues = self.table.verbs.get(verb.lemma_.lower()) or self.table.verbs.get(verb.lower_)
        if not cues:
            return None, None
        plain: Cue | None = None
        for cue in cues:  # a cue that needs a preposition is more specific: it wins when it fits
            if cue.prep is None:
                plain = plain or cue
                continue
            anchor = verb
            if cue.noun is not None:
                anchor = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() == cue.noun), None)
                if anchor is None:
                    continue
            holders = (anchor, verb, *(c for c in verb.children if c.dep_ == "dobj"))
            for holder in holders:  # "combines X with Y" hangs "with" on X as often as on the verb
                for child in holder.children:
                    if child.dep_ in ("prep", "prt", "agent") and child.lower_ == cue.prep:
                        return cue, child
        if plain is not None:
            return plain, None
        return None, None

    def _active_objects(self, verb: Token, cue: Cue | None, prep: Token | None) -> list[Token]:
        if prep is not None and prep.dep_ != "prt":
            objs = _objects_of(prep)
            if cue is not None and cue.noun is None:
                objs = [c for c in verb.children if c.dep_ == "dobj"] + objs  # "combines X with Y"
            return objs
        return [c for c in verb.children if c.dep_ == "dobj"]

    # ---- copula, nouns, adjectives

    def _copula(self, be: Token) -> Iterable[tuple[Span, str, Span, str]]:
        if _negated(be) or "is_a" not in self.table.classes:
            return
        attrs = [c for c in be.children if c.dep_ == "attr"]
        if not attrs:
            return
        subjects = [s for subj in self.subject_of(be) if not _restricted(subj) for s in self.args(subj)]
        for attr in attrs:
            if any(self._noun_cue(attr)) or attr.lemma_.lower() in self.table.light_nouns:
                continue  # "X is a variant of Y" is the noun's relation
            det = next((c for c in attr.children if c.dep_ == "det"), None)
            if det is None and attr.tag_ not in ("NNS", "NNPS"):
                continue
            if det is not None and det.lower_ not in ("a", "an"):
                continue  # "X is the Y" defines or identifies; "X is a Y" and "X and Y are Zs" classify
            if any(c.dep_ == "prep" and c.lower_ in ("of", "for") for c in attr.children):
                continue  # "a plot of Y", "an abbreviation for Y": a frame the table does not type
            # The class must be the predicate noun itself: "a machine learning algorithm" is not
            # "machine learning", and a conjunct after the predicate is most often the next clause.
            tail = self.index.by_token.get(attr.i)
            if tail is None or tail.root != attr:
                continue
            for head in subjects:
                yield head, "is_a", tail, f"{be.text} {det.text}" if det is not None else be.text

    def _noun_cue(self, noun: Token, table: Mapping[str, tuple[Cue, ...]] | None = None) -> Iterable[tuple[Cue, Token]]:
        for cue in (self.table.nouns if table is None else table).get(noun.lemma_.lower(), ()):
            words = cue.prep.split() if cue.prep else []
            if len(words) == 2:  # "special case of": the noun's modifier, then the preposition
                if not any(c.lower_ == words[0] for c in noun.lefts):
                    continue
                words = words[1:]
            for child in noun.children:
                if child.dep_ == "prep" and words and child.lower_ == words[0]:
                    yield cue, child

    def _relational_noun(self, noun: Token) -> Iterable[tuple[Span, str, Span, str]]:
        own = self.index.by_token.get(noun.i)
        if own is not None and own.root == noun:
            # a concept named by its head: "the forget gate of an LSTM", "the flatten layer in a CNN"
            for cue, prep in self._noun_cue(noun, self.table.heads):
                for tail in (s for obj in _objects_of(prep) for s in self.args(obj)):
                    yield own, cue.relation, tail, f"{noun.text} {prep.text}"
        for cue, prep in self._noun_cue(noun):
            tails = [s for obj in _objects_of(prep) for s in self.args(obj)]
            text = f"{noun.text} {prep.text}"
            if prep.lower_ == "between":  # "the difference between X and Y"
                for i, a in enumerate(tails):
                    for b in tails[i + 1 :]:
                        yield a, cue.relation, b, text
                continue
            if noun.dep_ == "attr" and not _negated(noun.head):
                holders = [s for subj in self.subject_of(noun.head) for s in self.args(subj)]
            elif noun.dep_ == "appos":
                holders = self.args(noun.head)
            else:
                continue
            for tail in tails:
                for head in holders:
                    yield head, cue.relation, tail, text

    def _adjective(self, adj: Token) -> Iterable[tuple[Span, str, Span, str]]:
        for cue in self.table.adjectives.get(adj.lemma_.lower(), ()):
            prep = next((c for c in adj.children if c.dep_ == "prep" and c.lower_ == cue.prep), None)
            if prep is None or _negated(adj) or _negated(adj.head):
                continue
            if adj.dep_ in ("acomp", "oprd") or adj.dep_ == "ROOT":
                holders = [s for subj in self.subject_of(adj.head if adj.dep_ != "ROOT" else adj) for s in self.args(subj)]
            elif adj.dep_ == "amod":
                holders = self.args(adj.head)
            else:
                continue
            for tail in (s for obj in _objects_of(prep) for s in self.args(obj)):
                for head in holders:
                    yield head, cue.relation, tail, f"{adj.text} {prep.text}"

    def _hindering(self, adj: Token) -> Iterable[tuple[Span, str, Span, str]]:
        """Read "X makes it difficult to capture Y" as X hinders Y."""
        make = adj.head
        cue = next((c for c in self.table.verbs.get("hinder", ()) if c.prep is None), None)
        if cue is None or make.lemma_.lower() != "make" or adj.dep_ not in ("ccomp", "xcomp", "oprd"):
            return
        if _negated(make) or not any(c.dep_ in ("nsubj", "expl", "dobj") and c.lower_ == "it" for c in (*adj.children, *make.children)):
            return
        actions = [c for c in adj.children if c.dep_ in ("advcl", "xcomp", "ccomp") and c.pos_ == "VERB"]
        doers = [s for d in self.doer_of(make)[0] for s in self.args(d)]
        for action in actions:
            text = f"{make.text} it {adj.text} to {action.text}"
            for obj in (c for c in action.children if c.dep_ == "dobj"):
                for tail in self.args(obj):
                    for head in doers:
                        yield head, cue.relation, tail, text

    # ---- examples, comparisons

    def _examples(self, prep: Token) -> Iterable[tuple[Span, str, Span, str]]:
        phrase = _phrase(prep)
        relation = self.table.examples.get(phrase)
        if relation is None or prep.head.pos_ not in ("NOUN", "PROPN") or prep.head.i > prep.i:
            return  # the general term comes first: "techniques like X"; a later noun is a misparse
        general = self.index.concept(prep.head)
        if general is None:
            return
        for obj in (*_objects_of(prep), *(c for c in prep.children if c.dep_ == "conj")):
            for example in self.args(obj):
                yield example, relation, general, phrase

    def _other(self, other: Token) -> Iterable[tuple[Span, str, Span, str]]:
        """Read "Y and other X": Y is an X."""
        relation = self.table.examples.get("other")
        general_tok = other.head
        if relation is None or other.dep_ != "amod" or general_tok.dep_ != "conj":
            return
        general = self.index.concept(general_tok)
        implicit = general is None and any(
            c.relation == relation for c in self.table.nouns.get(general_tok.lemma_.lower(), ())
        )
        if general is None and not implicit:
            return
        cc = next((c for c in general_tok.head.children if c.dep_ == "cc"), None)
        text = f"{cc.text} other" if cc is not None else other.text
        for tok in (general_tok.head, *general_tok.head.conjuncts):
            if tok.i < general_tok.i:
                for example in self._resolve(tok, 1):
                    if implicit:  # "LeakyReLU or other variants": variants of the ReLU named before
                        base = self._named_within(example)
                        if base is not None:
                            yield example, relation, base, f"{text} {general_tok.text}"
                    else:
                        yield example, relation, general, text

    def _named_within(self, example: Span) -> Span | None:
        """The longest concept named earlier in the doc whose name is part of ``example``'s name."""
        name = example.label_
        found = [s for s in self.index.spans if s.end <= example.start and s.label_ != name and s.label_ in name]
        return max(found, key=lambda s: len(s.label_), default=None)
 
    def _comparative(self, than: Token) -> Iterable[tuple[Span, str, Span, str]]:
        target = than.head
        is_comparative = target.tag_ in ("JJR", "RBR") or any(
            c.dep_ == "advmod" and c.lower_ in _COMPARISON for c in target.children
        )
        if not is_comparative or target.lower_ in ("rather", "other"):
            return
        tails = [s for obj in _objects_of(than) for s in self.args(obj)]
        if not tails:
            return
        holders: list[Span] = []
        if target.dep_ == "amod" and target.head.pos_ in ("NOUN", "PROPN"):
            holders = self.args(target.head)
        else:
            clause = target
            while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
                clause = clause.head
            if _negated(clause):
                return
            holders = [s for d in self.doer_of(clause)[0] for s in self.args(d)]
            if not holders:
                holders = [s for d in self.subject_of(clause) for s in self.args(d)]
        start = min([target.i] + [c.i for c in target.lefts if c.dep_ in ("advmod", "npadvmod", "punct")])
        text = than.doc[start : than.i + 1].text
        for tail in tails:
            for head in holders:
                yield head, self.table.comparative, tail, text

    def _infix(self, tok: Token) -> Iterable[tuple[Span, str, Span, str]]:
        relation = self.table.infixes[tok.lower_]
        left = self.index.by_end.get(tok.i)
        nxt = tok.i + 1
        if nxt < self.sent.end and tok.doc[nxt].text == ".":
            nxt += 1
        right = self.index.by_start.get(nxt)
        if left is not None and right is not None:
            yield left, relation, right, tok.text

    def _contrasts(self) -> Iterable[tuple[Span, str, Span, str]]:
        words = [t.lower_ for t in self.sent]
        for phrase, relation in self.table.contrasts.items():
            n = len(phrase)
            for k in range(len(words) - n + 1):
                if tuple(words[k : k + n]) != phrase:
                    continue
                first, last = self.sent[k], self.sent[k + n - 1]
                tails = [s for obj in _objects_of(last) for s in self.args(obj)]
                if not tails:
                    continue
                attach = first.head
                if attach.pos_ in ("NOUN", "PROPN"):
                    holder = self.index.concept(attach)
                    holders = [holder] if holder is not None else []
                else:
                    while attach.pos_ not in ("VERB", "AUX") and attach.head.i != attach.i:
                        attach = attach.head
                    # only the clause's own subject: an inherited one is too often the wrong clause's
                    subjects = [c for c in attach.children if c.dep_ in _SUBJ and c.lower_ not in _REL_PRONOUNS]
                    holders = [s for d in subjects for s in self.args(d)]
                text = " ".join(t.text for t in self.sent[k : k + n])
                for tail in tails:
                    for head in holders:
                        yield head, relation, tail, text


def _phrase(prep: Token) -> str:
    """A preposition with the word that makes it a phrase: "as" after "such" reads "such as"."""
    if prep.lower_ == "as" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "such":
        return "such as"
    return prep.lower_


def _objects_of(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp", "dobj")]


def _is_passive(verb: Token) -> bool:
    """A passive clause, or a participle that modifies its patient ("problems caused by X")."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    return any(c.dep_ in ("nsubjpass", "csubjpass", "auxpass") for c in verb.children)


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _restricted(noun: Token) -> bool:
    """Whether a restrictive relative clause narrows ``noun``: "any data point that has z > 3"."""
    for clause in noun.children:
        if clause.dep_ == "relcl":
            first = clause.left_edge
            if first.i == 0 or first.doc[first.i - 1].text not in (",", "(", "—", "–"):
                return True
    return False


def _aside(verb: Token, obj: Token) -> bool:
    """Whether ``obj`` sits in brackets opened after ``verb``: an aside, not the verb's object."""
    depth = 0
    for tok in obj.doc[verb.i + 1 : obj.i]:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")" and depth:
            depth -= 1
    return depth > 0


def _premodified(obj: Token, words: frozenset[str]) -> bool:
    """Whether a word of ``words`` comes before ``obj`` in its phrase: "less labelled data" (diminishing),
    "excessive iterations", "too many layers" (excessive)."""
    return any(t.lower_ in words for t in obj.subtree if t.i < obj.i)


def _gerund_modifier(obj: Token, table: RelationTable) -> tuple[Cue, Token] | None:
    """A table verb the parser hung on a noun as a modifier: "reducing X and accelerating Y"."""
    for child in obj.lefts:
        if child.dep_ in ("amod", "compound") and child.tag_ == "VBG":
            for cue in table.verbs.get(child.lemma_.lower(), ()):
                if cue.prep is None:
                    return cue, child
    return None
