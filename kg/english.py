"""The English word lists of ``kg/data/english.toml``: one file for every stage that needs to know a word.

Parsing asks which words open a question; extraction asks which nouns make no concept on their own.
Kept apart from the stages so that reading a list never imports spaCy.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files

from kg.errors import ConfigError


@lru_cache(maxsize=1)
def english_words() -> dict[str, tuple[str, ...]]:
    """The named word lists of ``kg/data/english.toml``, read once.

    Examples
    --------
    >>> "role" in english_words()["generic_nouns"]
    True
    """
    source = files("kg").joinpath("data/english.toml")
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", str(source)) from exc
    return {name: tuple(str(w) for w in words) for name, words in data.items()}
