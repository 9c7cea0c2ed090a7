"""Concepts from the questions and answers of a bank.

Two steps. A spaCy pipeline component, ``kg_concepts``, marks concept mentions in each doc and writes
them to ``doc.spans["concepts"]``, each span labelled with a normalised key. Then :func:`extract` runs
the pipeline over a bank with ``nlp.pipe`` and merges keys that name one idea into
:class:`~kg.model.Concept` objects.

The modules, in the order the data flows:

- :mod:`kg.extract.nlp`: the English pipeline (:func:`load_nlp`) and its ``kg_block_breaks`` component;
- :mod:`kg.extract.component`: the ``kg_concepts`` component (:class:`ConceptFinder`);
- :mod:`kg.extract.tokens`: what a token can be in a concept name, from its tags and parse;
- :mod:`kg.extract.keys`: one normalised key per way of writing a term, and ids of labels;
- :mod:`kg.extract.abbreviations`: "long form (SF)" definitions (Schwartz & Hearst);
- :mod:`kg.extract.acronyms`: what each defined acronym stands for in each file;
- :mod:`kg.extract.merge`: :func:`extract`, mentions of a bank merged into concepts;
- :mod:`kg.extract.lexicon`: the English word lists and the field's glossary;
- :mod:`kg.extract.conceptfile`: a user's ``concepts.toml`` (aliases, merges, terms to ignore).
"""

from kg.extract.abbreviations import abbreviations  # the function; its module is kg.extract.abbreviations
from kg.extract.component import SPAN_KEY, STRONG, WEAK, WEAK_KEY, ConceptFinder, make_concept_finder
from kg.extract.conceptfile import FILENAME, Vocabulary, find_vocabulary, read_vocabulary
from kg.extract.keys import fold, fold_tail, slug, term_key
from kg.extract.lexicon import (
    ACRONYM,
    FOLDED_TAILS,
    GENERIC_MODIFIERS,
    GENERIC_NOUNS,
    GENERIC_TAILS,
    INVARIANT_PLURALS,
    Glossary,
    bundled_glossary,
    read_glossary,
)
from kg.extract.merge import Extraction, extract
from kg.extract.nlp import MODELS, block_breaks, load_nlp

__all__ = [
    "MODELS",
    "SPAN_KEY",
    "ConceptFinder",
    "Extraction",
    "Glossary",
    "Vocabulary",
    "abbreviations",
    "bundled_glossary",
    "extract",
    "find_vocabulary",
    "fold",
    "fold_tail",
    "load_nlp",
    "read_glossary",
    "read_vocabulary",
    "slug",
    "term_key",
    # Flat names of the single-module kg.extract, kg.lexicon and kg.vocabulary, kept for one release.
    "ACRONYM",
    "FILENAME",
    "FOLDED_TAILS",
    "GENERIC_MODIFIERS",
    "GENERIC_NOUNS",
    "GENERIC_TAILS",
    "INVARIANT_PLURALS",
    "STRONG",
    "WEAK",
    "WEAK_KEY",
    "block_breaks",
    "make_concept_finder",
]
