"""Word lists and the glossary that steer concept extraction: see :mod:`kg.extract.lexicon`.

The flat module ``kg.lexicon`` is kept for one release; import from ``kg.extract.lexicon``.
"""

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

__all__ = [
    "ACRONYM",
    "FOLDED_TAILS",
    "GENERIC_MODIFIERS",
    "GENERIC_NOUNS",
    "GENERIC_TAILS",
    "INVARIANT_PLURALS",
    "Glossary",
    "bundled_glossary",
    "read_glossary",
]
