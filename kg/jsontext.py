"""JSON text with the bytes of ``json.dump(value, ensure_ascii=False, indent=2)``, faster and streamed.

With an indent, :mod:`json` encodes in pure Python, one generator per nesting level and one write per
token. Here the C encoder writes every scalar (its escapes and its float and int text are json's own),
a whole container's scalars in one call, and only the brackets and the indentation are put around them
in Python. :func:`write_object` writes a top-level object whose lists come from iterables, a record at
a time, so a big bank's export is never one string in memory.

The C encoder is asked for a compact list with NUL as the separator: a NUL in a string is always
escaped (``\\u0000``), so splitting on it gives back each scalar's text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

INDENT = 2
_SEP = "\x00"
_CONTAINERS = (list, tuple, dict)
_encoder = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(_SEP, ": "))
_make_encoder = getattr(json.encoder, "c_make_encoder", None)  # None only where _json is not built
# the C encoder ``_encoder.encode`` builds on every call, built once: a third of the time on small records
_one_shot = _make_encoder and _make_encoder(
    None, _encoder.default, json.encoder.encode_basestring, None, ": ", _SEP, False, False, True
)


def _compact(values: list) -> str:
    return _one_shot(values, 0)[0] if _one_shot else _encoder.encode(values)


_string = json.JSONEncoder(ensure_ascii=False).encode
_templates: dict[tuple[tuple[Any, ...], int], str] = {}
_KEPT_TEMPLATES = 256  # the shapes of a bank's records are few; other data must not grow the cache
BATCH = 512  # records joined per write


_PADS = ["\n" + " " * (INDENT * level) for level in range(16)]


def _pad(level: int) -> str:
    return _PADS[level] if level < len(_PADS) else "\n" + " " * (INDENT * level)


def _scalars(values: list) -> list[str]:
    """json's text of each scalar of a non-empty list."""
    return _compact(values)[1:-1].split(_SEP)


def _texts(values: list, level: int) -> list[str]:
    """json's text of each value of a non-empty list, containers indented as at ``level``."""
    nested = [i for i, v in enumerate(values) if isinstance(v, _CONTAINERS)]
    if not nested:
        return _scalars(values)
    plain = list(values)
    for i in nested:
        plain[i] = None
    texts = _scalars(plain)
    for i in nested:
        texts[i] = dumps(values[i], level)
    return texts


def _key(key: Any) -> str:
    # json's own conversions of a key that is not a string: True -> "true", 1.5 -> "1.5"
    if not isinstance(key, str):
        if not (key is None or isinstance(key, (bool, int, float))):
            raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
        key = _scalars([key])[0]
    return _string(key)


def _template(keys: tuple[Any, ...], level: int) -> str:
    """The text of a dict with these keys at ``level``, a ``{}`` field for each value."""
    found = _templates.get((keys, level))
    if found is None:
        inner = _pad(level + 1)
        fields = ",".join(inner + _key(k).replace("{", "{{").replace("}", "}}") + ": {}" for k in keys)
        found = "{{" + fields + _pad(level) + "}}"
        # only string keys: 1, 1.0 and True are equal keys of the cache but written differently
        if len(_templates) < _KEPT_TEMPLATES and all(type(k) is str for k in keys):
            _templates[(keys, level)] = found
    return found


def dumps(value: Any, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, as if nested ``level`` deep.

    Examples
    --------
    >>> print(dumps({"a": [1, "é"], "b": {}, "c": None}))
    {
      "a": [
        1,
        "é"
      ],
      "b": {},
      "c": null
    }
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        return _template(tuple(value), level).format(*_texts(list(value.values()), level + 1))
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = _pad(level + 1)
        return "[" + inner + ("," + inner).join(_texts(list(value), level + 1)) + _pad(level) + "]"
    return _scalars([value])[0]


def write_object(handle: TextIO, fields: Sequence[tuple[str, Iterable[Any]]]) -> None:
    """Write ``{key: list(values), ...}`` as :func:`dumps` would, taking each list's values as they come.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_object(out, [("a", iter([{"x": 1}])), ("b", iter([]))])
    >>> out.getvalue() == dumps({"a": [{"x": 1}], "b": []})
    True
    """
    if not fields:
        handle.write("{}")
        return
    outer, inner = _pad(1), _pad(2)
    between = "," + inner
    handle.write("{")
    for n, (key, values) in enumerate(fields):
        handle.write(("," if n else "") + outer + _key(key) + ": ")
        batch: list[str] = []
        written = False
        for value in values:
            batch.append(dumps(value, 2))
            if len(batch) == BATCH:
                handle.write(("," if written else "[") + inner + between.join(batch))
                batch, written = [], True
        if batch:
            handle.write(("," if written else "[") + inner + between.join(batch))
            written = True
        handle.write(outer + "]" if written else "[]")
    handle.write(_pad(0) + "}")
