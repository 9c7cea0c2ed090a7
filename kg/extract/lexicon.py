"""Word lists and the glossary that steer concept extraction.

The lists are about English and about the field, never about one bank. The English ones, in
``kg/data/english.toml``, name words that do not make a concept on their own ("the role", "a
technique") and modifiers that only grade the noun they sit on ("different strategies"). The
glossary in ``kg/data/glossary.toml`` adds canonical names, their aliases, and terms of art that
look like everyday words.
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
GENERIC_MODIFIERS = frozenset(english_words()["generic_modifiers"])
INVARIANT_PLURALS = frozenset(english_words()["invariant_plurals"])
PROMPT_VERBS = frozenset(english_words()["prompt_verbs"])
LY_ADJECTIVES = frozenset(english_words()["ly_adjectives"])

# Acronyms and mixed-case names: ReLU, LeakyReLU, Conv1D, RMSProp, LSTM, GRU, t-SNE, L1.
ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z0-9]|[A-Z]\d)[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")


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
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", str(source)) from exc
    aliases = {str(k): tuple(str(a) for a in v) for k, v in data.get("aliases", {}).items()}
    terms = frozenset(str(w).lower() for w in data.get("terms", {}).get("words", []))
    return Glossary(aliases=aliases, terms=terms)


@lru_cache(maxsize=1)
def bundled_glossary() -> Glossary:
    """The glossary that ships with kg, read once."""
    return read_glossary()
