"""Word lists and the glossary that steer concept extraction.

The lists are about English and about the field, never about one bank. The English ones, in
``kg/data/english.toml``, name words that do not make a concept on their own ("the role", "a
technique") and modifiers that only grade the noun they sit on ("different strategies"). The
glossary in ``kg/data/glossary.toml`` adds canonical names, their aliases, and terms of art that
look like everyday words.

An alias names the same thing as its label, never a narrower one (:func:`narrower`): "k-fold
cross-validation" is a kind of cross-validation, not another name for it. The glossary's ``[same]``
table states the few longer names whose modifier adds nothing in the field ("artificial neural
network").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from kg.english import english_words
from kg.errors import ConfigError

# What each list is for is said in english.toml.
GENERIC_NOUNS = frozenset(english_words()["generic_nouns"])
GENERIC_TAILS = frozenset(english_words()["generic_tails"])
FOLDED_TAILS = english_words()["folded_tails"]
PAIRED_HEADS = frozenset(english_words()["paired_heads"])
GRADING_PHRASES = tuple(tuple(phrase.split()) for phrase in english_words()["grading_phrases"])
GENERIC_MODIFIERS = frozenset(english_words()["generic_modifiers"])
INVARIANT_PLURALS = frozenset(english_words()["invariant_plurals"])
PROMPT_VERBS = frozenset(english_words()["prompt_verbs"])
LY_ADJECTIVES = frozenset(english_words()["ly_adjectives"])
PLACE_MODIFIERS = frozenset(english_words()["place_modifiers"])
REFERENCE_ABBREVIATIONS = frozenset(english_words()["reference_abbreviations"])
LATIN_ABBREVIATIONS = frozenset(english_words()["latin_abbreviations"])
PLACEHOLDER_NAMES = frozenset(english_words()["placeholder_names"])
PLACEHOLDER_NOTES = frozenset(english_words()["placeholder_notes"])
QUANTITY_UNITS = frozenset(english_words()["quantity_units"])
CLAUSE_VERBS = frozenset(
    form
    for verb in english_words()["clause_verbs"]
    for form in (verb, verb + "s", verb + "es", *([verb[:-1] + "ies"] if verb.endswith("y") else []))
)
DO_QUESTION_VERBS = frozenset(english_words()["do_question_verbs"])
IDIOMS = frozenset(tuple(idiom.split()) for idiom in english_words()["idioms"])  # (verb, noun), lemmas

# Acronyms and mixed-case names: ReLU, LeakyReLU, Conv1D, RMSProp, LSTM, GRU, t-SNE, L1.
ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z0-9]|[A-Z]\d)[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")


def narrower(longer: str, shorter: str) -> bool:
    """Whether *longer* is *shorter* with words in front: a modified, more specific term.

    Case aside, and hyphens read as spaces ("k-fold cross-validation" ends in "cross validation").

    Examples
    --------
    >>> narrower("multinomial logistic regression", "regression")
    True
    >>> narrower("k-fold cross-validation", "cross validation")
    True
    >>> narrower("regression problem", "regression"), narrower("regression", "regression")
    (False, False)
    """
    def words(text: str) -> list[str]:
        return re.sub(r"[\s\-]+", " ", text.lower()).split()

    lw, sw = words(longer), words(shorter)
    return len(sw) > 0 and len(lw) > len(sw) and lw[-len(sw) :] == sw


@dataclass(frozen=True)
class Glossary:
    """Canonical labels with aliases, and single-word terms of art."""

    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    terms: frozenset[str] = frozenset()


def read_glossary(path: Path | str | None = None) -> Glossary:
    """Read a glossary TOML file; the bundled one when *path* is None.

    Examples
    --------
    >>> g = read_glossary()
    >>> "ReLU" in g.aliases["rectified linear unit"]
    True
    >>> "attention" in g.terms
    True
    """
    source = files("kg").joinpath("data/glossary.toml") if path is None else Path(path)
    try:
        text = source.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", str(source)) from exc
    aliases = {str(k): tuple(str(a) for a in v) for k, v in data.get("aliases", {}).items()}
    for label, names in aliases.items():
        for name in (label, *names):
            wider = [other for other in (label, *names) if narrower(name, other)]
            if wider:
                raise ConfigError(
                    f'"{name}" is a narrower term than "{wider[0]}", not another name for it: give it an entry '
                    f'of its own, or list it under [same] when its modifier adds nothing in the field',
                    str(source),
                    next((n for n, line in enumerate(text.splitlines(), 1) if f'"{name}"' in line), None),
                )
    # Stated exceptions to the rule above: checked by whoever wrote them, joined as aliases.
    for label, names in data.get("same", {}).items():
        aliases[str(label)] = aliases.get(str(label), ()) + tuple(str(a) for a in names)
    terms = frozenset(str(w).lower() for w in data.get("terms", {}).get("words", []))
    return Glossary(aliases=aliases, terms=terms)


@lru_cache(maxsize=1)
def bundled_glossary() -> Glossary:
    """The glossary that ships with kg, read once."""
    return read_glossary()
