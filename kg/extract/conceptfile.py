"""A user's concept file: aliases to add, concepts to merge, terms to ignore.

The file sits next to a bank (``concepts.toml``) and is applied on every load::

    # names for one idea; the first is the label
    [aliases]
    "rectified linear unit" = ["ReLU"]

    # merge concepts the extractor keeps apart
    merge = [["LeakyReLU", "leaky ReLU"]]

    # terms that are not concepts of this bank
    ignore = ["smaller output dimension"]

    # the generic tier (kg.specificity): concepts never marked generic here, and ones always marked
    specific = ["component"]
    generic = ["example"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.bankfiles import CONCEPT_FILE, bank_folder
from kg.errors import ConfigError
from kg.extract.keys import fold
from kg.tomlfile import read_toml

FILENAME = CONCEPT_FILE


@dataclass(frozen=True)
class Vocabulary:
    """What a user said about the concepts of a bank.

    Examples
    --------
    >>> v = Vocabulary(ignore=("Smaller output dimension",))
    >>> v.ignores("smaller output-dimension")
    True
    """

    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    merges: tuple[tuple[str, ...], ...] = ()
    ignore: tuple[str, ...] = ()
    specific: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()

    def ignores(self, key: str) -> bool:
        """Whether *key* is a term to ignore, case, hyphens and spaces aside."""
        return fold(key) in {fold(t) for t in self.ignore}


def read_vocabulary(path: Path | str) -> Vocabulary:
    """Read a concept file.

    Raises
    ------
    ConfigError
        When the file is not TOML or its values have the wrong shape; the message names the file and,
        for syntax errors, the line.
    """
    path = Path(path)
    data, _ = read_toml(path, "concept file")

    unknown = set(data) - {"aliases", "merge", "ignore", "specific", "generic"}
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(sorted(unknown))}; expected aliases, merge, ignore, specific, generic", path
        )
    aliases = data.get("aliases", {})
    if not isinstance(aliases, dict) or not all(
        isinstance(v, list) and all(isinstance(a, str) for a in v) for v in aliases.values()
    ):
        raise ConfigError(
            '[aliases] must map a label to a list of names, e.g. "ReLU" = ["rectified linear unit"]', path
        )
    merge = data.get("merge", [])
    if not isinstance(merge, list) or not all(
        isinstance(g, list) and len(g) >= 2 and all(isinstance(t, str) for t in g) for g in merge
    ):
        raise ConfigError('merge must be a list of lists of two or more names, e.g. merge = [["a", "b"]]', path)
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(t, str) for t in ignore):
        raise ConfigError('ignore must be a list of names, e.g. ignore = ["output dimension"]', path)
    tiers = {}
    for key in ("specific", "generic"):
        names = data.get(key, [])
        if not isinstance(names, list) or not all(isinstance(t, str) for t in names):
            raise ConfigError(f'{key} must be a list of names, e.g. {key} = ["component"]', path)
        tiers[key] = tuple(names)
    return Vocabulary(
        aliases={k: tuple(v) for k, v in aliases.items()},
        merges=tuple(tuple(g) for g in merge),
        ignore=tuple(ignore),
        specific=tiers["specific"],
        generic=tiers["generic"],
    )


def find_vocabulary(paths: list[Path]) -> Vocabulary:
    """The concept file next to the first bank that has one, or an empty vocabulary."""
    for p in paths:
        candidate = bank_folder(p) / FILENAME
        if candidate.is_file():
            return read_vocabulary(candidate)
    return Vocabulary()
