"""The judged pairs of ``bench/labels/pairs`` still name items the parser reads.

A label names its two items by file, line and plain question text; a change to parsing or to the plain text
that moves or rewrites a labelled question would drop its pair from every duplicate figure, said only in a
line of the bench's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.parse import parse_paths

ROOT = Path(__file__).resolve().parents[1]
LABELS = sorted(
    p for p in (ROOT / "bench" / "labels" / "pairs").rglob("*.json") if not p.name.endswith(".pool.json")
)


@pytest.mark.parametrize("path", LABELS, ids=lambda p: p.stem)
def test_pair_labels_name_items_the_parser_reads(path: Path) -> None:
    from bench.pairlabels import bank_path, map_labels

    doc = json.loads(path.read_text(encoding="utf-8"))
    bank = bank_path(doc["bank"])
    if not bank.exists():
        pytest.skip(f"{doc['bank']} is not here (../shared is beside the checkout only)")
    items, _ = parse_paths([bank])
    mapped = map_labels(doc, items, bank)
    assert mapped.unmapped == []
    assert len(mapped.labels) == len(doc["pairs"])
