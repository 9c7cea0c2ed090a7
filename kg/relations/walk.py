"""The walk: each sentence of a doc read, token by token, by the registered readers.

Only sentences that name two concepts are read (or one, with "other": "Y or other variants" may name
its class in an earlier sentence), and not those that ask or test; an end that a question asks for
("which technique") states nothing either. A token in a supposed or reported
clause opens no construction. Each (head, class, tail) is kept once per sentence, with the words of
its first statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Doc

from kg.extract.component import SPAN_KEY
from kg.model import Relation
from kg.relations.clause import cited_title, supposed
from kg.relations.confidence import (
    Evidence,
    confidence,
    cut_mid_term,
    demonstrative,
    descriptive,
    evidence,
    graded_cause,
    hyphen_cut,
    number_cut,
    personal,
    possessed,
    referential,
    slash_cut,
    versioned,
)
from kg.relations.readers import OTHER, SENTENCE_READERS, TOKEN_READERS, Found
from kg.relations.sentence import ConceptIndex, Sentence, asked, states_nothing
from kg.relations.table import RelationTable, default_table


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
        ``sentence`` the sentence; ``reader`` the construction that read it and ``confidence`` how likely
        it is right (:mod:`kg.relations.confidence`). Each (head, relation, tail) appears once per sentence.

    Notes
    -----
    One walk over the tokens of each sentence holding two or more concepts: linear in the length of the
    doc, with no call to the language model.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> from spacy.tokens import Doc, Span
    >>> doc = Doc(English().vocab, words=["ReLU", "mitigates", "saturation", "."], heads=[1, 1, 1, 1],
    ...           deps=["nsubj", "ROOT", "dobj", "punct"], pos=["PROPN", "VERB", "NOUN", "PUNCT"],
    ...           lemmas=["ReLU", "mitigate", "saturation", "."])
    >>> doc.spans["concepts"] = [Span(doc, 0, 1, "relu"), Span(doc, 2, 3, "saturation")]
    >>> [(r.head, r.relation, r.tail, r.verb, r.reader) for r in relations_from_doc(doc, "q1")]
    [('relu', 'mitigates', 'saturation', 'mitigates', 'verb_with_object')]
    """
    return [replace(rel, confidence=confidence(ev)) for rel, ev in statements(doc, item_id, table)]


def statements(doc: Doc, item_id: str, table: RelationTable | None = None) -> Iterator[tuple[Relation, Evidence]]:
    """Each relation of :func:`relations_from_doc` (its confidence not yet set) with its evidence."""
    if table is None:
        table = default_table()
    if SPAN_KEY not in doc.spans or len(doc.spans[SPAN_KEY]) < 2 or not doc.has_annotation("DEP"):
        return
    index = ConceptIndex(doc.spans[SPAN_KEY], table)
    # the classes of an effect: those whose object is graded (mitigates, improves), and the one of hindering (causes)
    effects = table.graded | {table.hinders}
    for sent in doc.sents:
        named = {index.by_token[t.i].label_ for t in sent if t.i in index.by_token}
        if len(named) < 2 and not (named and any(t.lower_ == OTHER for t in sent)):
            continue  # "Y or other variants" may name its class in an earlier sentence
        if states_nothing(sent):
            continue  # "Does X cause Y?" asks and "True or false: X causes Y" tests; neither states
        seen: set[tuple[str, str, str]] = set()
        text = sent.text.strip()
        for reader, (head, relation, tail, verb) in _read(Sentence(sent, index, table)):
            if head.label_ == tail.label_ or asked(head) or asked(tail):
                continue  # "which technique leads to Y?" asks what leads to Y
            if any(cut_mid_term(end, index.by_token, table.verbs) or hyphen_cut(end) or number_cut(end)
                   or slash_cut(end, index.by_token) or possessed(end) for end in (head, tail)):
                continue  # "autoencoder" of "denoising autoencoders": an end must be a whole mention
            if versioned(head):
                continue  # "Scala 3 uses Y" says nothing of Scala 2
            if relation in effects and graded_cause(head):
                continue  # "high cardinality leads to Y": that amount of it does, not cardinality
            if (title := cited_title(head)) is not None and title == cited_title(tail):
                continue  # "Dao & Gu — "Transformers are SSMs"": a work's title, not what the bank says
            if demonstrative(head):
                continue  # "this irregularity causes gaps": the irregularity an earlier sentence named
            if referential(head) or referential(tail):
                continue  # "use the same SDKs": the same as what, the sentence says elsewhere
            if descriptive(head) or descriptive(tail):
                continue  # "X is a design choice": a description, no concept X relates to
            if personal(head) or personal(tail):
                continue  # "Windows developers can use WSL2": people's practice, no relation between concepts
            key = (head.label_, relation, tail.label_)
            if key in seen:
                continue
            seen.add(key)
            rel = Relation(head.label_, relation, tail.label_, verb, item_id, text, reader=reader)
            yield rel, evidence(sent, reader, relation, head, tail)


def _read(ctx: Sentence) -> Iterator[tuple[str, Found]]:
    """What the readers find in one sentence, token readers first, in registry order."""
    table = ctx.table
    for tok in ctx.span:
        if supposed(ctx, tok):
            continue
        lemma = tok.lemma_.lower()
        for reader in TOKEN_READERS:
            if reader.when(tok, lemma, table):
                for found in reader.read(ctx, tok):
                    yield reader.name, found
    for whole in SENTENCE_READERS:
        if whole.when(table):
            for found in whole.read(ctx):
                yield whole.name, found
