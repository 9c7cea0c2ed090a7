"""Acronyms read in context: what a file of the bank defines wins, in that file, over the glossary.

A bank defines an acronym with parentheses (:mod:`kg.extract.abbreviations`): "approximate nearest
neighbor (ANN)". :func:`resolve` decides, for each file, which expansion a mention of the acronym
stands for:

- in a file that defines it, its own expansion (the first one it defines, should it define two);
- elsewhere, when the whole bank gives it one expansion, that one: a bank that defines a term once
  uses it so throughout, whatever a general glossary says;
- elsewhere, when the bank gives it two or more, nothing is decided here: the glossary's meaning holds
  if it lists the acronym, else the acronym stays a concept of its own, as kg cannot tell which.

Each meaning of an acronym with two is then a concept of its own, labelled by its long form.

Expansions that differ in a plural only ("approximate nearest neighbors") are one. A definition whose
short form is the long form's last words ("Softmax Regression (Multinomial Logistic Regression)" read
as "Regression" for the long form) is no definition: it would pull a narrower term into a wider one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.extract.keys import fold_tail
from kg.extract.lexicon import INVARIANT_PLURALS, narrower


@dataclass(frozen=True)
class Definition:
    """A file defines ``short`` (a concept key) as ``long`` (another)."""

    source: str
    short: str
    long: str


@dataclass(frozen=True)
class Resolution:
    """The key each acronym key stands for: per file, and bank-wide where the bank gives one meaning.

    ``ambiguous`` are the acronyms the bank gives two or more meanings.
    """

    by_file: dict[tuple[str, str], str] = field(default_factory=dict)
    bank: dict[str, str] = field(default_factory=dict)
    ambiguous: frozenset[str] = frozenset()

    def target(self, source: str, key: str) -> str | None:
        """The key a mention of ``key`` in file ``source`` stands for, or None when it stands for itself."""
        return self.by_file.get((source, key)) or self.bank.get(key)


def singular_tail(key: str) -> str | None:
    """``key`` with its last word's plural "s" dropped, or None where that would not be a singular.

    Words that end in "ss", "us" or "is" ("loss", "corpus", "analysis"), and the plurals a key keeps
    as written ("statistics", "data"), have no such form.

    Examples
    --------
    >>> singular_tail("approximate nearest neighbors"), singular_tail("neural networks")
    ('approximate nearest neighbor', 'neural network')
    >>> singular_tail("hinge loss"), singular_tail("summary statistics"), singular_tail("gradient")
    (None, None, None)
    """
    last = key.rsplit(" ", 1)[-1]
    if len(last) < 4 or not last.endswith("s") or last.endswith(("ss", "us", "is")) or last in INVARIANT_PLURALS:
        return None
    return key[:-1]


def _meaning(key: str) -> str:
    """What two expansions share when they are one: the folded key, singular, without a folded tail."""
    return fold_tail(singular_tail(key) or key)


def resolve(definitions: Iterable[Definition], keys: set[str]) -> Resolution:
    """Which expansion each acronym stands for in each file (see the module's rules).

    Only definitions whose both ends are keys of the bank count.

    Examples
    --------
    >>> defs = [Definition("a.md", "ann", "approximate nearest neighbor"),
    ...         Definition("b.md", "ann", "artificial neural network")]
    >>> r = resolve(defs, {"ann", "approximate nearest neighbor", "artificial neural network"})
    >>> r.target("a.md", "ann"), r.target("b.md", "ann"), r.target("c.md", "ann")
    ('approximate nearest neighbor', 'artificial neural network', None)
    >>> r = resolve(defs[:1], {"ann", "approximate nearest neighbor"})
    >>> r.target("c.md", "ann")
    'approximate nearest neighbor'
    """
    first: dict[tuple[str, str], str] = {}
    # per acronym: the expansions by meaning, each with the key written most for it
    meanings: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for d in definitions:
        if d.short == d.long or d.long not in keys or narrower(d.long, d.short):
            continue
        first.setdefault((d.source, d.short), d.long)
        meanings[d.short][_meaning(d.long)].append(d.long)
    # one key per meaning, so that every file that means the same lands on the same key
    chosen = {
        (short, m): max(set(longs), key=lambda k: (longs.count(k), -len(k), k))
        for short, by_meaning in meanings.items()
        for m, longs in by_meaning.items()
    }
    by_file = {(src, short): chosen[short, _meaning(long)] for (src, short), long in first.items()}
    bank = {
        short: chosen[short, next(iter(by_meaning))] for short, by_meaning in meanings.items() if len(by_meaning) == 1
    }
    ambiguous = frozenset(short for short, by_meaning in meanings.items() if len(by_meaning) > 1)
    return Resolution(by_file, bank, ambiguous)
