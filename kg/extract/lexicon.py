"""Word lists and the glossary that steer concept extraction.

The lists are about English and about the field, never about one bank: they name words that do not
make a concept on their own ("the role", "a technique") and modifiers that only grade the noun they
sit on ("different strategies"). The glossary in ``kg/data/glossary.toml`` adds canonical names,
their aliases, and terms of art that look like everyday words.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from kg.errors import ConfigError

# Nouns that name a relation to a concept rather than a concept ("the role of dropout").
GENERIC_NOUNS = frozenset(
    """
    role significance purpose advantage disadvantage benefit drawback way technique method approach
    concept difference distinction process thing example type kind use usage case scenario aspect
    factor part impact effect importance need idea lot bit step situation reason problem issue
    question answer term choice number amount set subset variety range level degree form sort manner
    means measure strategy mechanism function functionality property characteristic feature
    instance time times result results output outputs input inputs value values performance
    task tasks goal objective context application applications area field domain tool tools
    implication implications consideration considerations challenge challenges limitation limitations
    pros cons tradeoff trade-off something anything everything nothing one ones others other
    stuff people person thing things fact basis terms detail details overview explanation
    concern concerns option options alternative alternatives balance efficiency stability
    help support model models data system systems information
    """.split()
)

# Heads stripped from the end of a longer term: "weight initialization strategies" is about
# weight initialization. ("problem" and "issue" are folded only when merging, so that
# "vanishing gradient problem" keeps its name.)
GENERIC_TAILS = frozenset(
    """
    technique techniques method methods approach approaches strategy strategies mechanism
    mechanisms concept concepts process architecture architectures task tasks performance
    framework procedure procedures scheme schemes idea principle principles
    """.split()
)

# Heads dropped when two forms of one idea are compared: "vanishing gradients" = "vanishing
# gradient problem".
FOLDED_TAILS = ("problem", "issue", "phenomenon", "algorithm")

# Modifiers that grade or count rather than name ("different", "crucial", "smaller").
GENERIC_MODIFIERS = frozenset(
    """
    different various several many some certain specific particular appropriate important crucial
    essential key main primary fundamental common typical diverse simple simpler complex effective
    efficient better best good large small smaller larger high higher low lower new more less fewer
    excessive robust multiple additional overall entire whole real actual possible potential
    significant relevant useful powerful such other own similar given basic general standard modern
    original final single numerous much most few each every any all another both either neither
    particularly especially major minor big bigger huge tiny great greater extra proper improper
    certain usual unusual whole wide wider narrow narrower long longer short shorter easy easier
    hard harder difficult quick quicker fast faster slow slower strong stronger weak weaker
    specific overall suitable unsuitable ideal optimal suboptimal correct incorrect right wrong
    available necessary sufficient insufficient limited unlimited traditional conventional
    classical classic typical popular famous well-known widely various respective corresponding
    following above below previous next latter former
    """.split()
)

# Plurals whose lemma is wrong for a term ("data" is not "datum").
INVARIANT_PLURALS = frozenset(
    """
    data series species news physics mathematics statistics analytics economics logistics
    dynamics kinetics semantics linguistics genetics ethics graphics electronics diagnostics
    metadata criteria media bias gas lens mass class loss means
    """.split()
)

# Verbs that open a question as an imperative ("Explain ...", "Compare ...").
PROMPT_VERBS = frozenset(
    "explain describe compare contrast define discuss list name give state write implement elaborate "
    "enumerate outline show derive prove calculate compute differentiate distinguish identify "
    "illustrate summarize summarise mention suggest design build find estimate evaluate highlight "
    "analyze analyse interpret justify assess use apply consider choose try check".split()
)

# Words in -ly that are adjectives, not adverbs ("early stopping", "weekly seasonality").
LY_ADJECTIVES = frozenset(
    "early only daily weekly monthly yearly hourly family friendly likely unlikely costly ugly holy "
    "silly lonely elderly curly oily lovely timely".split()
)

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
