"""The measures of bench/duplicates.py that its report rests on: calibration noise and copies."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from kg.model import QAItem

_PATH = Path(__file__).resolve().parents[1] / "bench" / "duplicates.py"


@pytest.fixture(scope="module")
def duplicates():
    spec = importlib.util.spec_from_file_location("bench_duplicates", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_duplicates_calibration_floor_shrinks_with_more_pairs(duplicates):
    rng = np.random.default_rng(1)
    few, many = rng.random(50), rng.random(5000)
    floor_few, _ = duplicates.calibration_floor(few, 0.0, draws=300)
    floor_many, _ = duplicates.calibration_floor(many, 0.0, draws=300)
    # a calibrated scorer still shows an error on 50 pairs; on 5,000 hardly any
    assert floor_few > 0.05
    assert floor_many < 0.02
    assert floor_many < floor_few


def test_duplicates_calibration_floor_tells_miscalibration_from_noise(duplicates):
    p = np.full(80, 0.8)
    wrong = np.zeros(80)  # scored 0.8, never positive: an error of 0.8
    measured = duplicates.calibration(p, wrong)[0]
    floor, share = duplicates.calibration_floor(p, measured, draws=500)
    assert measured == pytest.approx(0.8)
    assert floor < 0.15
    assert share == 0.0
    # an error at the floor itself is reached by about half the calibrated draws
    _, share_at_floor = duplicates.calibration_floor(p, floor, draws=500)
    assert 0.2 < share_at_floor < 0.8


def test_duplicates_copies_are_duplicates_by_question_text(duplicates):
    def item(i, q, a="An answer."):
        return QAItem(str(i), i, q, a, "b.md", i, q, a)

    items = [
        item(1, "How do you deal with sparse data?"),
        item(2, "How do you deal with sparse data? (Part 2)", "Another answer."),
        item(3, "How do you deal with missing data?"),
    ]
    labels = {frozenset(("1", "2")): "duplicate", frozenset(("1", "3")): "overlap"}
    none = np.zeros(0)
    bank = duplicates.BankData("b", Path("b.md"), items, {}, {}, labels, none, none, none, none)
    assert duplicates._copies(bank) == {frozenset(("1", "2"))}
