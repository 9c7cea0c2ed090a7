from __future__ import annotations

import dataclasses
import json

import pytest

from kg.model import Pair, SentenceMatch

PAIRS = [
    Pair("a", "b", 0.5, "related"),
    Pair("q1", "q2", 0.91, "duplicate", ("relu", "gelu"), 0.4, 0.3, 0.21, (SentenceMatch("x.", "y.", 0.8),)),
    Pair(
        "q1",
        "q3",
        0.42,
        "overlap",
        ("pca",),
        0.22,
        None,
        0.2,
        (SentenceMatch("x.", "y.", 0.8), SentenceMatch("u.", "v.", 0.5)),
    ),
]


@pytest.mark.parametrize("pair", PAIRS)
def test_model_pair_to_dict_has_every_field_in_order(pair: Pair) -> None:
    expected = dataclasses.asdict(pair)
    expected["shared_concepts"] = list(pair.shared_concepts)
    expected["matches"] = [dataclasses.asdict(m) for m in pair.matches]
    d = pair.to_dict()
    assert d == expected
    assert list(d) == [f.name for f in dataclasses.fields(Pair)]  # the JSON keeps the field order
    assert json.loads(json.dumps(d)) == d  # plain JSON values only
