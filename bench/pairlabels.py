"""Pair labels files (``bench/labels/pairs/<name>.json``): where pairs are named, and back onto items.

A labels file is ``{"bank": ..., "about": ..., "pairs": [{"a": ref, "b": ref, "label": ..., "note": ...}]}``
where a ref is ``{"file": ..., "line": ..., "question": ...}``: the item's file relative to the bank
(a file bank: its own name), the line its question starts on, and its plain question text. Naming items
so, not by id, keeps the labels valid when kg changes how it makes ids; :func:`map_labels` finds each
ref by file and line, and falls back to the question text when the bank was edited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]
SHARED = SHARED_ROOT
PAIR_LABELS = ROOT / "bench" / "labels" / "pairs"
LABELS = ("duplicate", "overlap", "different")

from kg.bankfiles import bank_folder  # noqa: E402
from kg.model import QAItem  # noqa: E402
from kg.text import GREEK_NAMES  # noqa: E402


def bank_name(path: Path) -> str:
    """How a labels file names its bank: relative to ../shared, else to the repository, else as given."""
    path = path.resolve()
    for base in (SHARED, ROOT):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def bank_path(name: str) -> Path:
    """The bank a labels file names (:func:`bank_name` read back)."""
    for base in (SHARED, ROOT):
        if (base / name).exists():
            return base / name
    return Path(name)


def item_file(item: QAItem, bank: Path) -> str:
    """The item's file relative to the bank: the file's name for a one-file bank."""
    root = bank_folder(bank)
    source = Path(item.source).resolve()
    return str(source.relative_to(root.resolve())) if source.is_relative_to(root.resolve()) else item.source


def ref(item: QAItem, bank: Path) -> dict:
    """How a labels file names an item."""
    return {"file": item_file(item, bank), "line": item.line, "question": item.question_text}


def norm_question(text: str) -> str:
    """Question text compared without case, markup or punctuation, a Greek letter as its name: the NLP text
    writes "$\\gamma$" as "γ" (it wrote "gamma" when some labels were made)."""
    folded = "".join(GREEK_NAMES.get(c, c) for c in text.casefold())
    return " ".join(re.findall(r"\w+", folded))


@dataclass(frozen=True)
class Mapped:
    """A labels file on a bank's items: labels by pair of item ids, and the entries that found no item."""

    labels: dict[frozenset[str], str]
    notes: dict[frozenset[str], str]
    unmapped: list[str]


def find_item(entry: dict, items: Sequence[QAItem], bank: Path) -> QAItem | None:
    """The item a ref names: same file and line with the same question, else the one item with that question."""
    q = norm_question(entry["question"])
    for it in items:
        if it.line == entry["line"] and item_file(it, bank) == entry["file"] and norm_question(it.question_text) == q:
            return it
    same = [it for it in items if norm_question(it.question_text) == q]
    in_file = [it for it in same if item_file(it, bank) == entry["file"]]
    for found in (same, in_file):  # a question asked twice in the bank is told apart by its file
        if len(found) == 1:
            return found[0]
    return None


def map_labels(doc: dict, items: Sequence[QAItem], bank: Path | None = None) -> Mapped:
    """Labels of a labels file as pairs of the bank's item ids; entries that name no item are reported.

    Parameters
    ----------
    doc : a labels file's content.
    items : the bank's items (:func:`kg.parse.parse_paths` of :func:`bank_path` of ``doc["bank"]``).
    bank : the bank's file or folder, for the items' relative file names (default: from ``doc``).

    Returns
    -------
    Mapped
        ``unmapped`` says, per entry not mapped, which pair and which of its items was not found.
    """
    bank = bank or bank_path(doc["bank"])
    labels: dict[frozenset[str], str] = {}
    notes: dict[frozenset[str], str] = {}
    unmapped: list[str] = []
    for n, entry in enumerate(doc["pairs"], 1):
        a, b = find_item(entry["a"], items, bank), find_item(entry["b"], items, bank)
        if a is None or b is None:
            lost = [f"{e['file']}:{e['line']} {e['question'][:60]!r}" for e, it in ((entry["a"], a), (entry["b"], b))
                    if it is None]
            unmapped.append(f"pair {n}: no item for " + " and ".join(lost))
            continue
        key = frozenset((a.id, b.id))
        labels[key] = entry["label"]
        notes[key] = entry.get("note", "")
    return Mapped(labels, notes, unmapped)


def load_labels(path: Path) -> tuple[list[QAItem], Mapped]:
    """A labels file's bank, parsed, and its labels mapped onto it."""
    from kg.parse import parse_paths

    doc = json.loads(path.read_text(encoding="utf-8"))
    bank = bank_path(doc["bank"])
    items, _ = parse_paths([bank])
    return items, map_labels(doc, items, bank)
