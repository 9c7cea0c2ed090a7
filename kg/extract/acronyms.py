"""Acronyms read in context: what a file of the bank defines wins, in that file, over the glossary.

A bank defines an acronym with parentheses (:mod:`kg.extract.abbreviations`): "approximate nearest
neighbor (ANN)". :func:`resolve` decides, for each file, which expansion a mention of the acronym
stands for:

- in a file that defines it, its own expansion (the first one it defines, should it define two);
- elsewhere, the glossary's meaning, when the glossary (or the user's concept file) lists the acronym:
  a definition holds where it is written, and a file that needs none means what the field means;
- elsewhere, for an acronym the glossary does not list, the bank's one expansion when it gives one;
  when it gives two or more, nothing is decided here and the acronym stays a concept of its own, as
  kg cannot tell which.

Each meaning of an acronym with two in the bank (the glossary's counts) is then a concept of its own,
labelled by its long form.

Expansions that differ in a plural or a slip only ("approximate nearest neighbors", "root mean square
error" and "root mean squared error") are one meaning, and one concept. A definition whose
short form is the long form's last words ("Softmax Regression (Multinomial Logistic Regression)" read
as "Regression" for the long form) is no definition: it would pull a narrower term into a wider one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from kg.extract.lexicon import FOLDED_TAILS, INVARIANT_PLURALS, narrower


@dataclass(frozen=True)
class Definition:
    """A file defines ``short`` (a concept key) as ``long`` (another)."""

    source: str
    short: str
    long: str


@dataclass(frozen=True)
class Resolution:
    """The key each acronym key stands for: per file, and bank-wide where the bank gives one meaning.

    ``ambiguous`` are the acronyms the bank gives two or more meanings; ``same`` the long forms that
    are one meaning written two ways, which are one concept.
    """

    by_file: dict[tuple[str, str], str] = field(default_factory=dict)
    bank: dict[str, str] = field(default_factory=dict)
    ambiguous: frozenset[str] = frozenset()
    same: tuple[tuple[str, ...], ...] = ()

    def target(self, source: str, key: str) -> str | None:
        """The key a mention of ``key`` in file ``source`` stands for, or None when it stands for itself."""
        return self.by_file.get((source, key)) or self.bank.get(key)

    def meanings(self) -> set[tuple[str, str]]:
        """Each acronym with each key it stands for somewhere."""
        return {(short, long) for (_, short), long in self.by_file.items()} | set(self.bank.items())


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


def same_meaning(a: str, b: str) -> bool:
    """Whether two expansions of one acronym are one meaning written two ways.

    Word by word, with hyphens read as spaces and a folded tail ("algorithm") aside: each pair of
    words is the same but for a plural, an inflection or a slip of the pen ("square" and "squared",
    "neighbour" and "neighbor", "posteiori" and "posteriori").

    Examples
    --------
    >>> same_meaning("root mean square error", "root mean squared error")
    True
    >>> same_meaning("approximate nearest neighbors", "approximate nearest neighbour")
    True
    >>> same_meaning("approximate nearest neighbor", "artificial neural network")
    False
    """
    wa, wb = _words(a), _words(b)
    return len(wa) == len(wb) and all(_close(x, y) for x, y in zip(wa, wb, strict=True))


def _words(key: str) -> list[str]:
    words = key.lower().replace("-", " ").split()
    if len(words) > 1 and words[-1] in FOLDED_TAILS:
        words = words[:-1]
    return words


def _close(x: str, y: str) -> bool:
    if x == y or (min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)) and abs(len(x) - len(y)) <= 2):
        return True
    return min(len(x), len(y)) >= 5 and SequenceMatcher(None, x, y).ratio() >= 0.85


def resolve(definitions: Iterable[Definition], keys: set[str], listed: Container[str] = ()) -> Resolution:
    """Which expansion each acronym stands for in each file (see the module's rules).

    Only definitions of acronyms the bank mentions (``keys``) count; ``listed`` are the acronym keys
    the glossary gives a meaning, which a definition overrides only in its own file.

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
    >>> resolve(defs[:1], {"ann", "approximate nearest neighbor"}, listed={"ann"}).target("c.md", "ann") is None
    True
    """
    first: dict[tuple[str, str], str] = {}
    # per acronym: its meanings, each the list of long forms the bank defines it by
    meanings: dict[str, list[list[str]]] = defaultdict(list)
    for d in definitions:
        if d.short == d.long or d.short not in keys or narrower(d.long, d.short):
            continue
        first.setdefault((d.source, d.short), d.long)
        groups = meanings[d.short]
        group = next((g for g in groups if same_meaning(g[0], d.long)), None)
        if group is None:
            groups.append([d.long])
        else:
            group.append(d.long)
    # one key per meaning, the one written most, so that every file that means the same lands on it
    chosen: dict[tuple[str, str], str] = {}
    same: list[tuple[str, ...]] = []
    for short, groups in meanings.items():
        for longs in groups:
            pick = max(set(longs), key=lambda k: (longs.count(k), -len(k), k))
            chosen.update(((short, k), pick) for k in longs)
            if len(set(longs)) > 1:
                same.append(tuple(sorted(set(longs))))
    by_file = {(src, short): chosen[short, long] for (src, short), long in first.items()}
    bank = {
        short: chosen[short, groups[0][0]]
        for short, groups in meanings.items()
        if len(groups) == 1 and short not in listed
    }
    ambiguous = frozenset(short for short, groups in meanings.items() if len(groups) > 1)
    return Resolution(by_file, bank, ambiguous, tuple(same))
