"""The concepts a phrase stands for: the ends a reader puts on a relation.

A phrase may stand for a concept it does not name: "the problem of exploding gradients" (a light noun),
"techniques such as X and Y" (its examples), "by using X" (a light verb), "which" (the noun a relative
clause hangs on). Conjuncts and concepts written against each other with a slash come along.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.relations.clause import (
    MAX_CLIMB,
    PERSONAL,
    REL_PRONOUNS,
    objects_of,
    phrase_of,
    predicate_noun,
    with_conjuncts,
)
from kg.relations.sentence import Sentence


def concepts_of(ctx: Sentence, token: Token, depth: int = 0) -> list[Span]:
    """The concepts a phrase headed by ``token`` stands for, conjuncts included."""
    out: list[Span] = []
    for tok in with_conjuncts(token):
        for span in resolve(ctx, tok, depth):
            if span not in out:
                out.append(span)
    return out


def resolve(ctx: Sentence, tok: Token, depth: int) -> list[Span]:
    """The concepts ``tok`` itself stands for, without its conjuncts; ``depth`` counts the hops taken."""
    if depth > MAX_CLIMB:
        return []
    table, index = ctx.table, ctx.index
    if tok.lemma_.lower() in table.light_nouns:  # "the problem of exploding gradients"
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                objects = objects_of(prep)
                spans = [s for obj in objects for s in concepts_of(ctx, obj, depth + 1)]
                if spans or any(o.tag_ == "VBG" for o in objects):
                    return spans  # "the likelihood of failing": of an event no concept names, not of likelihood
    examples = _example_args(ctx, tok, depth)
    if examples:  # "techniques such as X and Y reduce Z", "functions like X address Z": X and Y do
        return examples
    span = index.concept(tok)
    if span is not None:
        out = [span, *index.slashed(span)]
        for left in tok.lefts:  # "[gradient clipping and weight] decay": a coordination read as a modifier
            if left.i < span.start and left.dep_ in ("nmod", "compound", "amod") and any(
                c.dep_ == "cc" for c in left.children
            ):
                other = index.by_token.get(left.i)
                if other is not None and other not in out:
                    out.insert(0, other)
        return out
    if tok.pos_ == "VERB" and tok.lemma_.lower() in table.light_verbs:
        for child in tok.children:  # "by using X", "and adding X": the gerund stands for its object
            if child.dep_ == "dobj":
                return concepts_of(ctx, child, depth + 1)
    if tok.lower_ in REL_PRONOUNS and tok.head.dep_ == "relcl":
        if tok.lower_ in PERSONAL:
            return []  # "the engineer, who was a statistician": "who" stands for people, not concepts
        if tok.i > 0 and tok.doc[tok.i - 1].text in ("(", "["):
            return []  # "X uses raw text (which resembles Y)": the aside comments on the whole clause
        if tok.i > 0 and tok.doc[tok.i - 1].text == ",":
            return concepts_of(ctx, tok.head.head, depth + 1)  # "was an X, which ...": said of X itself
        return concepts_of(ctx, _antecedent(tok.head.head), depth + 1)
    return []


def _antecedent(noun: Token) -> Token:
    """What a restrictive relative clause on ``noun`` is said of: the subject, when the noun is the predicate of a
    copula ("a DNS zone is a data resource that contains records": the zone contains them) or hangs
    from it by a preposition other than "of" ("operators are extensions to Kubernetes that use Y":
    the operators use Y; "a set of pods that" is the pods')."""
    node = noun
    while node.dep_ == "pobj" and node.head.lower_ != "of" and node.head.head.pos_ in ("NOUN", "PROPN"):
        node = node.head.head
    if predicate_noun(node):
        subjects = [c for c in node.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0]
    return _name_given(node) or noun


# Verbs that give a name to the subject of their passive: "a model that uses L1 is called Lasso"
_NAMING = frozenset({"call", "name", "term", "know", "refer"})


def _name_given(noun: Token) -> Token | None:
    """The name a passive of naming gives ``noun``: "Lasso" of "a model that uses L1 is called Lasso", "a
    residual network" of "a network which uses skips is known as a residual network". A relative clause on
    the noun defines the name, and what it says is said of what it names."""
    verb = noun.head
    if noun.dep_ != "nsubjpass" or verb.lemma_.lower() not in _NAMING:
        return None
    for child in verb.children:
        if child.dep_ in ("oprd", "attr"):
            return child
        if child.dep_ == "prep" and child.lower_ == "as":
            return next(iter(objects_of(child)), None)
    return None


def _example_args(ctx: Sentence, tok: Token, depth: int) -> list[Span]:
    """The examples given of a noun: "techniques such as X, Y and using Z" -> X, Y, Z."""
    out: list[Span] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and phrase_of(prep) in ctx.table.examples and prep.i > tok.i:
            for obj in (*objects_of(prep), *(c for c in prep.children if c.dep_ == "conj")):
                if not others(obj):
                    out.extend(concepts_of(ctx, obj, depth + 1))
    return out


def others(obj: Token) -> bool:
    """Whether an example phrase names the class, not examples: "namespaces, like other resources"."""
    return any(c.dep_ == "amod" and c.lower_ == "other" for c in obj.children)
