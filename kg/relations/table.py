"""The relation table: which words state which relation class, read from ``kg/data/relations.toml``.

The shipped table can be extended by a user's file in the same shape (``kg ... --relations FILE``); the
user's entries come first, so a word both list takes the user's class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import ConfigError
from kg.tomlfile import read_toml

_CLASS_KEYS = (
    "verbs",
    "inverse_verbs",
    "nouns",
    "heads",
    "adjectives",
    "examples",
    "contrasts",
    "infixes",
    "comparative",
    "graded",
)
_WORD_KEYS = (
    "light_nouns",
    "light_verbs",
    "generic_heads",
    "causatives",
    "reporting",
    "conditionals",
    "diminishing",
    "excessive",
    "hindering",
)
_CLASS_NAME = re.compile(r"^[a-z][a-z_]*$")


@dataclass(frozen=True)
class Cue:
    """What one table entry says: the class, and the words the entry needs besides its head word.

    ``noun`` is the object a three-word verb needs ("make use of": noun "use"); ``prep`` the preposition
    whose object is the tail; ``inverse`` marks entries that name the tail first ("consist of").
    """

    relation: str
    prep: str | None = None
    noun: str | None = None
    inverse: bool = False


@dataclass(frozen=True, eq=False)
class RelationTable:
    """The words that state each relation class, indexed for lookup during the dependency walk.

    Build it with :func:`load_relation_table`. Every mapping is keyed by a lower-case lemma (or, for
    ``examples``, ``contrasts`` and ``infixes``, by the phrase as written).
    """

    classes: tuple[str, ...]
    verbs: Mapping[str, tuple[Cue, ...]]
    nouns: Mapping[str, tuple[Cue, ...]]
    heads: Mapping[str, tuple[Cue, ...]]
    adjectives: Mapping[str, tuple[Cue, ...]]
    examples: Mapping[str, str]
    contrasts: Mapping[tuple[str, ...], str]
    infixes: Mapping[str, str]
    comparative: str | None
    graded: frozenset[str] = field(default_factory=frozenset)
    light_nouns: frozenset[str] = field(default_factory=frozenset)
    light_verbs: frozenset[str] = field(default_factory=frozenset)
    generic_heads: frozenset[str] = field(default_factory=frozenset)
    causatives: frozenset[str] = field(default_factory=frozenset)
    reporting: frozenset[str] = field(default_factory=frozenset)
    conditionals: frozenset[str] = field(default_factory=frozenset)
    diminishing: frozenset[str] = field(default_factory=frozenset)
    excessive: frozenset[str] = field(default_factory=frozenset)
    hindering: frozenset[str] = field(default_factory=frozenset)



def default_table_path() -> Path:
    """The table shipped with kg (``kg/data/relations.toml``)."""
    return Path(str(resources.files("kg") / "data" / "relations.toml"))


def load_relation_table(path: str | Path | None = None) -> RelationTable:
    """Read the relation table, extended by a user's file when ``path`` is given.

    Parameters
    ----------
    path
        A TOML file in the shape of ``kg/data/relations.toml``. Its words are added to the shipped
        table; a word it lists under another class than the shipped table does takes the user's class.

    Raises
    ------
    ConfigError
        The file is missing, not TOML, or does not have the table's shape; the message names the file
        and, where it can be told, the line.

    Examples
    --------
    >>> table = load_relation_table()
    >>> table.verbs["mitigate"][0].relation
    'mitigates'
    >>> [c.relation for c in table.nouns["variant"]]
    ['is_a']
    """
    layers = [_read_table(default_table_path())]
    if path is not None:
        layers.append(_read_table(Path(path)))
    return _build_table(reversed(layers))  # the user's entries come first, so they win


@lru_cache(maxsize=1)
def default_table() -> RelationTable:
    """The shipped table, read once."""
    return load_relation_table()


def _read_table(path: Path) -> dict:
    data, text = read_toml(path, "relation table")
    _check_table(data, text, path)
    return data


def _check_table(data: dict, text: str, path: Path) -> None:
    for key, value in data.items():
        if key not in ("words", "classes"):
            raise ConfigError(
                f"unknown table [{key}]; a relation table has [words] and [classes.NAME] tables",
                path,
                _line_of(text, key),
            )
        if not isinstance(value, dict):
            raise ConfigError(f"'{key}' must be a table, as in [{key}]", path, _line_of(text, key))
    for key, value in data.get("words", {}).items():
        if key not in _WORD_KEYS:
            raise ConfigError(
                f"unknown key '{key}' in [words]; expected one of: {', '.join(_WORD_KEYS)}",
                path,
                _line_of(text, "words", key),
            )
        _check_words(value, key, "words", text, path, max_words=1)
    for name, spec in data.get("classes", {}).items():
        section = f"classes.{name}"
        if not _CLASS_NAME.match(name):
            raise ConfigError(
                f"class name '{name}' must be lower-case letters and underscores",
                path,
                _line_of(text, section),
            )
        if not isinstance(spec, dict):
            raise ConfigError(f"class '{name}' must be a table, as in [{section}]", path, _line_of(text, "classes"))
        for key, value in spec.items():
            if key not in _CLASS_KEYS:
                raise ConfigError(
                    f"unknown key '{key}' in [{section}]; expected one of: {', '.join(_CLASS_KEYS)}",
                    path,
                    _line_of(text, section, key),
                )
            if key in ("comparative", "graded"):
                if not isinstance(value, bool):
                    raise ConfigError(
                        f"'{key}' in [{section}] must be true or false", path, _line_of(text, section, key)
                    )
                continue
            max_words = 3 if key in ("verbs", "inverse_verbs", "nouns", "heads") else 2
            if key in ("examples", "contrasts"):
                max_words = 3
            _check_words(value, key, section, text, path, max_words=max_words)
            if key in ("nouns", "heads", "adjectives"):
                for entry in value:
                    if len(entry.split()) < 2:
                        raise ConfigError(
                            f"'{key}' entry '{entry}' in [{section}] needs its preposition, as in "
                            f"'{entry} of'",
                            path,
                            _line_of(text, section, key),
                        )


def _check_words(value: object, key: str, section: str, text: str, path: Path, *, max_words: int) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(
            f"'{key}' in [{section}] must be a list of non-empty strings", path, _line_of(text, section, key)
        )
    for entry in value:
        if len(entry.split()) > max_words:
            raise ConfigError(
                f"'{key}' entry '{entry}' in [{section}] has more than {max_words} words",
                path,
                _line_of(text, section, key),
            )


def _line_of(text: str, section: str, key: str | None = None) -> int | None:
    """The 1-based line of ``[section]`` (or of ``key =`` inside it), for error messages."""
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[+\s*([^\]]+?)\s*\]+", stripped)
        if header:
            current = header.group(1).replace('"', "").replace(" ", "")
            if key is None and (current == section or current.startswith(section + ".")):
                return number
            continue
        if key is not None and current == section and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
        if key is None and re.match(rf"^{re.escape(section)}\s*=", stripped):
            return number
    return None


def _build_table(layers: Iterable[dict]) -> RelationTable:
    verbs: dict[str, list[Cue]] = {}
    nouns: dict[str, list[Cue]] = {}
    heads: dict[str, list[Cue]] = {}
    adjectives: dict[str, list[Cue]] = {}
    examples: dict[str, str] = {}
    contrasts: dict[tuple[str, ...], str] = {}
    infixes: dict[str, str] = {}
    classes: list[str] = []
    comparative: str | None = None
    graded: dict[str, bool] = {}
    words: dict[str, set[str]] = {k: set() for k in _WORD_KEYS}
    for data in layers:
        for key, values in data.get("words", {}).items():
            words[key].update(v.strip().lower() for v in values)
        for name, spec in data.get("classes", {}).items():
            if name not in classes:
                classes.append(name)
            for entry in spec.get("verbs", []):
                _add_verb(verbs, entry, name, inverse=False)
            for entry in spec.get("inverse_verbs", []):
                _add_verb(verbs, entry, name, inverse=True)
            for entry in spec.get("nouns", []):
                word, *rest = entry.lower().split()
                nouns.setdefault(word, []).append(Cue(name, prep=" ".join(rest)))
            for entry in spec.get("heads", []):
                word, *rest = entry.lower().split()
                heads.setdefault(word, []).append(Cue(name, prep=" ".join(rest)))
            for entry in spec.get("adjectives", []):
                word, prep = entry.lower().split()
                adjectives.setdefault(word, []).append(Cue(name, prep=prep))
            for entry in spec.get("examples", []):
                examples.setdefault(" ".join(entry.lower().split()), name)
            for entry in spec.get("contrasts", []):
                contrasts.setdefault(tuple(entry.lower().split()), name)
            for entry in spec.get("infixes", []):
                infixes.setdefault(entry.lower().strip(), name)
            if spec.get("comparative") and comparative is None:
                comparative = name
            if "graded" in spec:
                graded.setdefault(name, bool(spec["graded"]))
    return RelationTable(
        classes=tuple(classes),
        verbs={k: tuple(v) for k, v in verbs.items()},
        nouns={k: tuple(v) for k, v in nouns.items()},
        heads={k: tuple(v) for k, v in heads.items()},
        adjectives={k: tuple(v) for k, v in adjectives.items()},
        examples=examples,
        contrasts=contrasts,
        infixes=infixes,
        comparative=comparative,
        graded=frozenset(name for name, on in graded.items() if on),
        light_nouns=frozenset(words["light_nouns"]),
        light_verbs=frozenset(words["light_verbs"]),
        generic_heads=frozenset(words["generic_heads"]),
        causatives=frozenset(words["causatives"]),
        reporting=frozenset(words["reporting"]),
        conditionals=frozenset(words["conditionals"]),
        diminishing=frozenset(words["diminishing"]),
        excessive=frozenset(words["excessive"]),
        hindering=frozenset(words["hindering"]),
    )


def _add_verb(verbs: dict[str, list[Cue]], entry: str, name: str, *, inverse: bool) -> None:
    parts = entry.lower().split()
    if len(parts) == 3:  # "make use of": the verb, the object it needs, the preposition
        cue = Cue(name, prep=parts[2], noun=parts[1], inverse=inverse)
    else:
        cue = Cue(name, prep=parts[1] if len(parts) == 2 else None, inverse=inverse)
    verbs.setdefault(parts[0], []).append(cue)

