"""JSON text with the bytes of ``json.dump(value, ensure_ascii=False, indent=2)``, faster and streamed.

With an indent, :mod:`json` encodes in pure Python, one generator per nesting level and one write per
token. Here the C encoder writes every scalar (its escapes and its float and int text are json's own),
a whole container's scalars in one call, and only the brackets and the indentation are put around them
in Python; a caller that knows its records' shapes makes the text of many records from one such call
(:func:`template`, :func:`records_text`). :func:`write_object` writes a top-level object whose lists
come from iterables, a batch of records at a time, so a big bank's export is never one string in memory.

The C encoder is asked for a compact list with NUL as the separator: a NUL in a string is always
escaped (``\\u0000``), so splitting on it gives back each scalar's text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

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
BATCH = 512  # most texts joined per write


_PADS = ["\n" + " " * (INDENT * level) for level in range(16)]


def _pad(level: int) -> str:
    return _PADS[level] if level < len(_PADS) else "\n" + " " * (INDENT * level)


def scalars(values: list) -> list[str]:
    """json's text of each scalar (str, int, float, bool, None) of a non-empty list, in one C call.

    Examples
    --------
    >>> scalars(["é", 1, 0.5, None, float("nan")])
    ['"é"', '1', '0.5', 'null', 'NaN']
    """
    return _compact(values)[1:-1].split(_SEP)


def _texts(values: list, level: int) -> list[str]:
    """json's text of each value of a non-empty list, containers indented as at ``level``."""
    nested = [i for i, v in enumerate(values) if isinstance(v, _CONTAINERS)]
    if not nested:
        return scalars(values)
    plain = list(values)
    for i in nested:
        plain[i] = None
    texts = scalars(plain)
    for i in nested:
        texts[i] = dumps(values[i], level)
    return texts


def _key(key: Any) -> str:
    # json's own conversions of a key that is not a string: True -> "true", 1.5 -> "1.5"
    if not isinstance(key, str):
        if not (key is None or isinstance(key, (bool, int, float))):
            raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
        key = scalars([key])[0]
    return _string(key)


def dict_template(keys: tuple[Any, ...], level: int) -> str:
    """The text of a dict with these keys at ``level``, a ``{}`` field for each value's text.

    Examples
    --------
    >>> print(dict_template(("a", "b"), 0).format("1", "[]"))
    {
      "a": 1,
      "b": []
    }
    """
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
        return dict_template(tuple(value), level).format(*_texts(list(value.values()), level + 1))
    if isinstance(value, (list, tuple)):
        return list_text(_texts(list(value), level + 1), level) if value else "[]"
    return scalars([value])[0]


def list_text(texts: Sequence[str], level: int) -> str:
    """The text of a list at ``level`` whose values' texts (indented as at ``level + 1``) are ``texts``.

    Examples
    --------
    >>> list_text(scalars(["a", 1]), 0) == dumps(["a", 1]), list_text([], 3)
    (True, '[]')
    """
    if not texts:
        return "[]"
    inner = _pad(level + 1)
    return "[" + inner + ("," + inner).join(texts) + _pad(level) + "]"


RECORD_LEVEL = 2  # of a record in a list of the top-level object
_BETWEEN = "," + _pad(RECORD_LEVEL)  # between two records' texts
_FLUSH = 1 << 18  # characters of text held before a write


def template(shape: Any, level: int = RECORD_LEVEL) -> str:
    """A format string of ``dumps(value, level)`` for any value of this shape: a ``{}`` field for each scalar.

    Examples
    --------
    >>> template({"a": None, "b": [None, None]}, 0).format("1", '"x"', "2") == dumps({"a": 1, "b": ["x", 2]})
    True
    """
    # _SEP marks a field: json escapes a NUL of a key, so the skeleton holds none of its own
    return _skeleton(shape, level).replace("{", "{{").replace("}", "}}").replace(_SEP, "{}")


def _skeleton(shape: Any, level: int) -> str:
    if isinstance(shape, dict):
        if not shape:
            return "{}"
        return dict_template(tuple(shape), level).format(*(_skeleton(v, level + 1) for v in shape.values()))
    if isinstance(shape, (list, tuple)):
        return list_text([_skeleton(v, level + 1) if isinstance(v, _CONTAINERS) else _SEP for v in shape], level)
    return _SEP


def records_text(templates: Sequence[str], leaves: list) -> str | None:
    """The texts of records at :data:`RECORD_LEVEL`, joined as in a list, from one C call on all their scalars.

    ``templates`` are the records' :func:`template` strings and ``leaves`` their scalars in order, every
    field's. None when a leaf is no scalar (a list where a string belongs): its text would not be one field.

    Examples
    --------
    >>> t = template({"a": None})
    >>> records_text([t, t], ["x", 1]) == join_records([dumps({"a": "x"}, RECORD_LEVEL), dumps({"a": 1}, RECORD_LEVEL)])
    True
    >>> records_text([t], [["x"]]) is None
    True
    """
    text = _compact(leaves)
    # a container's text starts with [ or { right after a separator (or the list's own bracket); a
    # string's cannot, a NUL in it being escaped
    if _SEP + "[" in text or _SEP + "{" in text or text.startswith(("[[", "[{")):
        return None
    texts = text.split(_SEP)
    if len(texts) != len(leaves):
        return None
    texts[0] = texts[0][1:]  # the list's brackets, without copying the whole text
    texts[-1] = texts[-1][:-1]
    return _BETWEEN.join(templates).format(*texts)


def join_records(texts: Iterable[str]) -> str:
    """Records' texts (each as ``dumps(record, RECORD_LEVEL)``) joined as :func:`write_object` joins them."""
    return _BETWEEN.join(texts)


def write_object(handle: IO[str], fields: Sequence[tuple[str, Iterable[str]]]) -> None:
    """Write ``{key: [record, ...], ...}`` as :func:`dumps` would, taking the records' texts as they come.

    Each text is a record's as ``dumps(record, RECORD_LEVEL)`` writes it, or several records' joined by
    :func:`join_records` (:func:`records_text`); they are written some hundred kilobytes at a time, so
    the whole text is never in memory.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_object(out, [("a", (dumps(r, RECORD_LEVEL) for r in [{"x": 1}])), ("b", iter([]))])
    >>> out.getvalue() == dumps({"a": [{"x": 1}], "b": []})
    True
    """
    if not fields:
        handle.write("{}")
        return
    outer, inner = _pad(RECORD_LEVEL - 1), _pad(RECORD_LEVEL)
    handle.write("{")
    for n, (key, texts) in enumerate(fields):
        handle.write(("," if n else "") + outer + _key(key) + ": ")
        batch: list[str] = []
        size = 0
        written = False
        for text in texts:
            batch.append(text)
            size += len(text)
            if size >= _FLUSH or len(batch) == BATCH:
                handle.write(("," if written else "[") + inner + _BETWEEN.join(batch))
                batch, size, written = [], 0, True
        if batch:
            handle.write(("," if written else "[") + inner + _BETWEEN.join(batch))
            written = True
        handle.write(outer + "]" if written else "[]")
    handle.write(_pad(0) + "}")
