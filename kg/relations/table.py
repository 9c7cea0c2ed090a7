"""The relation table: which words state which relation class, read from ``kg/data/relations.toml``.

The shipped table can be extended by a user's file in the same shape (``kg ... --relations FILE``); the
user's entries come first, so a word both list takes the user's class.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.tomlfile import read_toml


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

    The roles are the classes the table flags for a construction that names no class itself:
    ``comparative`` ("X is faster than Y"), ``taxonomy`` ("X is a Y"), ``hinders`` ("X makes it
    difficult to V Y"), ``bettered`` ("X results in better Y") and ``fallback`` (a verb the table does
    not list); ``None`` when no class is flagged, and then that construction states nothing.
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
    taxonomy: str | None = None
    hinders: str | None = None
    fallback: str | None = None
    graded: frozenset[str] = field(default_factory=frozenset)
    light_nouns: frozenset[str] = field(default_factory=frozenset)
    light_verbs: frozenset[str] = field(default_factory=frozenset)
    generic_heads: frozenset[str] = field(default_factory=frozenset)
    facets: frozenset[str] = field(default_factory=frozenset)
    wholes: frozenset[str] = field(default_factory=frozenset)
    causatives: frozenset[str] = field(default_factory=frozenset)
    reporting: frozenset[str] = field(default_factory=frozenset)
    conditionals: frozenset[str] = field(default_factory=frozenset)
    occasions: frozenset[str] = field(default_factory=frozenset)
    diminishing: frozenset[str] = field(default_factory=frozenset)
    excessive: frozenset[str] = field(default_factory=frozenset)
    hindering: frozenset[str] = field(default_factory=frozenset)
    negating: frozenset[str] = field(default_factory=frozenset)
    worsening: frozenset[str] = field(default_factory=frozenset)
    bettering: frozenset[str] = field(default_factory=frozenset)
    bettered: str | None = None


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


# --------------------------------------------------------------------------------------------------
# The schema: every key a table file may hold, its type and limits, and what it adds to the table.
# The checker and the builder both read it.


class _Build:
    """The table being built from its layers, the user's first."""

    def __init__(self) -> None:
        self.classes: list[str] = []
        self.verbs: dict[str, list[Cue]] = {}
        self.nouns: dict[str, list[Cue]] = {}
        self.heads: dict[str, list[Cue]] = {}
        self.adjectives: dict[str, list[Cue]] = {}
        self.examples: dict[str, str] = {}
        self.contrasts: dict[tuple[str, ...], str] = {}
        self.infixes: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.graded: dict[str, bool] = {}
        self.words: dict[str, set[str]] = {key: set() for key in _WORD_KEYS}

    def table(self) -> RelationTable:
        # roles and word lists are fields of the table named by their keys
        roles: dict[str, Any] = {role: self.roles.get(role) for role in _ROLES}
        words: dict[str, Any] = {key: frozenset(words) for key, words in self.words.items()}
        return RelationTable(
            classes=tuple(self.classes),
            verbs={k: tuple(v) for k, v in self.verbs.items()},
            nouns={k: tuple(v) for k, v in self.nouns.items()},
            heads={k: tuple(v) for k, v in self.heads.items()},
            adjectives={k: tuple(v) for k, v in self.adjectives.items()},
            examples=self.examples,
            contrasts=self.contrasts,
            infixes=self.infixes,
            graded=frozenset(name for name, on in self.graded.items() if on),
            **roles,
            **words,
        )


def _add_verb(inverse: bool) -> Callable[[_Build, str, str], None]:
    def add(build: _Build, name: str, entry: str) -> None:
        parts = entry.lower().split()
        if len(parts) == 3:  # "make use of": the verb, the object it needs, the preposition
            cue = Cue(name, prep=parts[2], noun=parts[1], inverse=inverse)
        else:
            cue = Cue(name, prep=parts[1] if len(parts) == 2 else None, inverse=inverse)
        build.verbs.setdefault(parts[0], []).append(cue)

    return add


def _add_noun(inverse: bool) -> Callable[[_Build, str, str], None]:
    def add(build: _Build, name: str, entry: str) -> None:
        word, *rest = entry.lower().split()
        build.nouns.setdefault(word, []).append(Cue(name, prep=" ".join(rest), inverse=inverse))

    return add


def _add_head(build: _Build, name: str, entry: str) -> None:
    word, *rest = entry.lower().split()
    build.heads.setdefault(word, []).append(Cue(name, prep=" ".join(rest)))


def _add_adjective(build: _Build, name: str, entry: str) -> None:
    word, prep = entry.lower().split()
    build.adjectives.setdefault(word, []).append(Cue(name, prep=prep))


def _add_example(build: _Build, name: str, entry: str) -> None:
    build.examples.setdefault(" ".join(entry.lower().split()), name)


def _add_contrast(build: _Build, name: str, entry: str) -> None:
    build.contrasts.setdefault(tuple(entry.lower().split()), name)


def _add_infix(build: _Build, name: str, entry: str) -> None:
    build.infixes.setdefault(entry.lower().strip(), name)


def _set_graded(build: _Build, name: str, on: bool) -> None:
    build.graded.setdefault(name, on)  # the first layer that says decides, true or false


@dataclass(frozen=True)
class _Key:
    """A key of a table file: a list of words or phrases (at most ``max_words`` each, at least
    ``min_words``: two for a word and its preposition), or a flag (true or false).

    ``add`` takes one entry, or the flag, into the table being built for a class. A ``role`` flag
    gives its class the role of the same name (a field of :class:`RelationTable`): the first layer's
    flagged class takes it, and one file may flag one class for each role.
    """

    flag: bool = False
    role: bool = False
    max_words: int = 1
    min_words: int = 1
    add: Callable[[_Build, str, Any], None] | None = None


_WORD_KEYS: dict[str, _Key] = {
    key: _Key()  # single words, collected into the table's field of the same name
    for key in (
        "light_nouns",
        "light_verbs",
        "generic_heads",
        "facets",
        "wholes",
        "causatives",
        "reporting",
        "conditionals",
        "occasions",
        "diminishing",
        "excessive",
        "hindering",
        "negating",
        "worsening",
        "bettering",
    )
}
"""The keys of ``[words]``."""

_CLASS_KEYS: dict[str, _Key] = {
    "verbs": _Key(max_words=3, add=_add_verb(inverse=False)),
    "inverse_verbs": _Key(max_words=3, add=_add_verb(inverse=True)),
    "nouns": _Key(max_words=3, min_words=2, add=_add_noun(inverse=False)),
    "inverse_nouns": _Key(max_words=3, min_words=2, add=_add_noun(inverse=True)),
    "heads": _Key(max_words=3, min_words=2, add=_add_head),
    "adjectives": _Key(max_words=2, min_words=2, add=_add_adjective),
    "examples": _Key(max_words=3, add=_add_example),
    "contrasts": _Key(max_words=3, add=_add_contrast),
    "infixes": _Key(max_words=2, add=_add_infix),
    "comparative": _Key(flag=True, role=True),
    "graded": _Key(flag=True, add=_set_graded),
    "taxonomy": _Key(flag=True, role=True),
    "hinders": _Key(flag=True, role=True),
    "fallback": _Key(flag=True, role=True),
    "bettered": _Key(flag=True, role=True),
}
"""The keys of ``[classes.NAME]``, in the order the builder takes them in."""

_ROLES = tuple(key for key, rule in _CLASS_KEYS.items() if rule.role)

_SECTIONS = ("words", "classes")
_CLASS_NAME = re.compile(r"^[a-z][a-z_]*$")


# --------------------------------------------------------------------------------------------------
# Checking and building


def _read_table(path: Path) -> dict:
    data, text = read_toml(path, "relation table")
    _check_table(data, text, path)
    return data


def _check_table(data: dict, text: str, path: Path) -> None:
    for key, value in data.items():
        if key not in _SECTIONS:
            raise ConfigError(
                f"unknown table [{key}]; a relation table has [words] and [classes.NAME] tables",
                path,
                _line_of(text, key),
            )
        if not isinstance(value, dict):
            raise ConfigError(f"'{key}' must be a table, as in [{key}]", path, _line_of(text, key))
    _check_keys(data.get("words", {}), _WORD_KEYS, "words", text, path)
    roles: dict[str, str] = {}
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
        _check_keys(spec, _CLASS_KEYS, section, text, path)
        for role in _ROLES:
            if spec.get(role) is True:
                if role in roles:
                    raise ConfigError(
                        f"'{role}' is set in [classes.{roles[role]}] and in [{section}]; one class takes each role",
                        path,
                        _line_of(text, section, role),
                    )
                roles[role] = name


def _check_keys(spec: dict, keys: Mapping[str, _Key], section: str, text: str, path: Path) -> None:
    for key, value in spec.items():
        rule = keys.get(key)
        if rule is None:
            raise ConfigError(
                f"unknown key '{key}' in [{section}]; expected one of: {', '.join(keys)}",
                path,
                _line_of(text, section, key),
            )
        if rule.flag:
            if not isinstance(value, bool):
                raise ConfigError(f"'{key}' in [{section}] must be true or false", path, _line_of(text, section, key))
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(
                f"'{key}' in [{section}] must be a list of non-empty strings", path, _line_of(text, section, key)
            )
        for entry in value:
            if len(entry.split()) > rule.max_words:
                raise ConfigError(
                    f"'{key}' entry '{entry}' in [{section}] has more than {rule.max_words} words",
                    path,
                    _line_of(text, section, key),
                )
        for entry in value:
            if len(entry.split()) < rule.min_words:
                raise ConfigError(
                    f"'{key}' entry '{entry}' in [{section}] needs its preposition, as in '{entry} of'",
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
    build = _Build()
    for data in layers:
        for key, values in data.get("words", {}).items():
            build.words[key].update(v.strip().lower() for v in values)
        for name, spec in data.get("classes", {}).items():
            if name not in build.classes:
                build.classes.append(name)
            for key, rule in _CLASS_KEYS.items():
                if key not in spec:
                    continue
                if rule.role:
                    if spec[key] and key not in build.roles:  # the first layer's class takes the role
                        build.roles[key] = name
                elif rule.add is not None and rule.flag:
                    rule.add(build, name, spec[key])
                elif rule.add is not None:
                    for entry in spec[key]:
                        rule.add(build, name, entry)
    return build.table()
