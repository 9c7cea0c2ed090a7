from __future__ import annotations

import io
import json
import math

import pytest

from kg import export
from kg.jsontext import BATCH, RECORD_LEVEL, dumps, write_object
from kg.model import Pair, SentenceMatch


def _reference(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


AWKWARD = [
    'say "hi"',
    "back\\slash \\n not a newline",
    "tab\tnewline\ncarriage\rbell\x07nul\x00escape\x1bunit\x1f del\x7f",
    "café — naïve 東京 😀 \u2028 \u2029 \ufeff",
    "\ud800 lone surrogate",
    "\x00",
    "",
    "{} {0} {a} {{",
    0.1,
    1e-07,
    1e16,
    1.7976931348623157e308,
    5e-324,
    -0.0,
    0.30000000000000004,
    math.inf,
    -math.inf,
    math.nan,
    0,
    -7,
    10**30,
    True,
    False,
    None,
]


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_jsontext_dumps_scalar_as_json_does(value):
    assert dumps(value) == _reference(value)


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_jsontext_dumps_scalar_inside_containers_as_json_does(value):
    value = {"k": [value, {"inner": value, "empty": [], "none": {}}], "t": (value,), "x": value}
    assert dumps(value) == _reference(value)


@pytest.mark.parametrize(
    "value",
    [
        [],
        {},
        [[]],
        [{}],
        [[[[1]]]],
        {"a": {"b": {"c": {"d": [1, [2, [3, {}]]]}}}},
        {'"quoted" key': 1, "back\\slash\n": 2, "é{}": 3, "": 4},
        {1: "int", 2.5: "float", False: "false", None: "null", math.nan: "nan"},
        {"a": 1, "b": (1, 2), "c": [{"x": None, "y": [True, "s"]}, []]},
        [list(range(40))] * 3,
    ],
    ids=repr,
)
def test_jsontext_dumps_container_as_json_does(value):
    assert dumps(value) == _reference(value)


def test_jsontext_dumps_keys_equal_in_python_but_written_differently():
    # 1, 1.0 and True are one key of a dict, so each is its own dict here; each must keep its spelling
    for value in ({1: "a"}, {1.0: "a"}, {True: "a"}, {"1": "a"}):
        assert dumps(value) == _reference(value)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({(1, 2): "tuple key"}, "keys must be str, int, float, bool or None, not tuple"),
        ([object()], "Object of type object is not JSON serializable"),
    ],
)
def test_jsontext_dumps_refuses_what_json_refuses(value, error):
    with pytest.raises(TypeError, match=error):
        dumps(value)
    with pytest.raises(TypeError):
        _reference(value)


@pytest.mark.parametrize("sizes", [(), (0,), (0, 0), (1, 0, 3), (BATCH - 1, BATCH, BATCH + 1), (2 * BATCH, 1)])
def test_jsontext_write_object_streams_what_json_dump_writes(sizes):
    fields = [
        (f"list {n}", [{"n": i, "s": f"é\n{i}", "l": [i, None]} for i in range(size)]) for n, size in enumerate(sizes)
    ]
    out = io.StringIO()
    write_object(out, [(key, (dumps(v, RECORD_LEVEL) for v in values)) for key, values in fields])
    assert out.getvalue() == _reference(dict(fields))


def test_export_write_json_writes_json_dump_of_to_dict_on_seed(seed_bank):
    assert seed_bank.items and seed_bank.concepts and seed_bank.pairs and seed_bank.relations
    for all_relations in (False, True):
        out = io.StringIO()
        export.write_json(seed_bank, out, all_relations=all_relations)
        assert out.getvalue() == _reference(export.to_dict(seed_bank, all_relations=all_relations))


def test_export_write_json_writes_awkward_pairs_as_json_dump(seed_bank):
    from dataclasses import replace

    odd = [
        Pair("a\x00\"", "b\\", 1e-07, "duplicate", ("é", "{x}"), 0.1, None, 1.0,
             (SentenceMatch("s\n", "t\t", 0.30000000000000004),), "overlap"),
        Pair("c", "d", 0.5, "related", (), 0.0, 0.5, 0.0, (), None),
    ]
    bank = replace(seed_bank, pairs=(*seed_bank.pairs, *odd))
    out = io.StringIO()
    export.write_json(bank, out)
    assert out.getvalue() == _reference(export.to_dict(bank))
    assert '"a\\u0000\\""' in out.getvalue()


def test_export_select_pairs_keeps_score_order(seed_bank):
    scores = [p.score for p in export.select_pairs(seed_bank)]
    assert len(set(scores)) > 10
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("seed", range(3))
def test_export_select_pairs_takes_tied_scores_in_the_order_of_the_bank(seed_bank, seed):
    import random
    from dataclasses import replace

    rng = random.Random(seed)
    ids = [f"q{k}" for k in range(12)]
    # few scores, many ties across kinds and items, a pair of an item with itself, scores of 0.0 and -0.0
    pairs = tuple(
        Pair(rng.choice(ids), rng.choice(ids), rng.choice([0.0, -0.0, 0.25, 0.5, 0.5, 0.9]),
             rng.choice(["duplicate", "overlap", "related", "related"]))
        for _ in range(400)
    )
    bank = replace(seed_bank, pairs=pairs)
    kept, counts = [], {}
    for p in sorted(pairs, key=lambda p: -p.score):  # the selection as its doc states it
        if p.kind != "related":
            kept.append(p)
        elif counts.get(p.a, 0) < export.EXPLAINED_RELATED or counts.get(p.b, 0) < export.EXPLAINED_RELATED:
            kept.append(p)
            counts[p.a] = counts.get(p.a, 0) + 1
            counts[p.b] = counts.get(p.b, 0) + 1
    got = export.select_pairs(bank)
    assert [id(p) for p in got] == [id(p) for p in kept] and len(kept) < len(pairs)


def test_jsontext_dumps_without_the_reused_c_encoder_as_json_does(monkeypatch):
    import kg.jsontext

    monkeypatch.setattr(kg.jsontext, "_one_shot", None)
    value = {"k": AWKWARD, "d": {"x": AWKWARD[:5], "e": []}}
    assert dumps(value) == _reference(value)


@pytest.mark.parametrize("odd", [["x"], [], {"k": 1}, ("y", "z")], ids=repr)
def test_export_write_json_writes_a_container_where_a_string_belongs_as_json_dump(seed_bank, odd):
    # a one-value list is one scalar's worth of the C encoder's text, yet json.dump indents it
    from dataclasses import replace

    odd_pair = Pair("c", odd, 0.5, "duplicate", ("s",), 0.0, None, 0.0, (SentenceMatch("s", odd, 0.1),), None)
    bank = replace(seed_bank, pairs=(*seed_bank.pairs, odd_pair))
    out = io.StringIO()
    export.write_json(bank, out)
    assert out.getvalue() == _reference(export.to_dict(bank))


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_jsontext_records_text_joins_records_as_write_object(size):
    from kg.jsontext import join_records, records_text, template

    records = [{"a": f"é{i}\n", "l": list(range(i)), "d": [{"x": None, "y": 0.1}] * (i % 2)} for i in range(size)]
    shapes = [{"a": None, "l": [None] * i, "d": [{"x": None, "y": None}] * (i % 2)} for i in range(size)]
    leaves = [v for r in records for v in (r["a"], *r["l"], *(x for d in r["d"] for x in d.values()))]
    expected = join_records(dumps(r, RECORD_LEVEL) for r in records)
    assert records_text([template(s) for s in shapes], leaves) == expected
