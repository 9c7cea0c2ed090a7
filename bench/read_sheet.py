"""Turn a filled judging sheet into its labels file.

Run from the repository root::

    .venv/bin/python bench/read_sheet.py bench/labels/pairs/NAME.sheet.md [--about TEXT]

Reads the ``label:`` and ``note:`` line of every pair of the sheet, names the pairs by file, line and
question from ``NAME.pool.json`` next to it, and writes ``NAME.json`` (the shape :mod:`bench.pairlabels`
describes). A pair without a label, or with a label other than ``duplicate``, ``overlap`` or
``different``, stops it with the pair's number; nothing is written until every pair is judged.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pairlabels import LABELS  # noqa: E402
from bench.pool_pairs import labels_doc, write_json  # noqa: E402

_PAIR = re.compile(r"^## Pair (\d+)\s*$")
_FIELD = re.compile(r"^(label|note):(.*)$")  # answers are block-quoted, so only the judge's lines match


class SheetError(ValueError):
    """A sheet that cannot become a labels file; the message names the pairs to fix."""


def read_judgements(text: str) -> dict[int, dict[str, str]]:
    """``{pair number: {"label": ..., "note": ...}}`` of a sheet, labels checked.

    Examples
    --------
    >>> read_judgements("## Pair 1\\n> label: quoted\\nlabel: Overlap \\nnote: same ground\\n")
    {1: {'label': 'overlap', 'note': 'same ground'}}
    >>> read_judgements("## Pair 1\\nlabel:\\n## Pair 2\\nlabel: related\\n")
    Traceback (most recent call last):
    ...
    read_sheet.SheetError: pair 1: no label; pair 2: unknown label 'related' (use duplicate, overlap or different)
    """
    found: dict[int, dict[str, str]] = {}
    number = None
    for line in text.splitlines():
        if m := _PAIR.match(line):
            number = int(m.group(1))
            found[number] = {"label": "", "note": ""}
        elif (m := _FIELD.match(line.strip())) and number is not None:
            found[number][m.group(1)] = m.group(2).strip()
    problems = []
    for n, j in found.items():
        j["label"] = j["label"].casefold().strip("`*_ ")
        if not j["label"]:
            problems.append(f"pair {n}: no label")
        elif j["label"] not in LABELS:
            problems.append(f"pair {n}: unknown label {j['label']!r} (use {', '.join(LABELS[:-1])} or {LABELS[-1]})")
    if problems:
        raise SheetError("; ".join(problems))
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sheet", type=Path, help="a filled NAME.sheet.md")
    parser.add_argument("--about", default="", help="what the labels are and who judged them, for the file")
    args = parser.parse_args(argv)
    name = args.sheet.name.removesuffix(".sheet.md")
    pool_file = args.sheet.with_name(f"{name}.pool.json")
    if not pool_file.is_file():
        sys.exit(f"error: {pool_file}: not found; it names the sheet's pairs (bench/pool_pairs.py writes both)")
    pool = json.loads(pool_file.read_text(encoding="utf-8"))
    try:
        judged = read_judgements(args.sheet.read_text(encoding="utf-8"))
    except SheetError as exc:
        sys.exit(f"error: {args.sheet}: {exc}")
    numbers = {p["number"] for p in pool["pairs"]}
    if set(judged) != numbers:
        missing, extra = sorted(numbers - set(judged)), sorted(set(judged) - numbers)
        sys.exit(f"error: {args.sheet}: does not match {pool_file.name}: pairs missing {missing}, unknown {extra}")
    pairs = [{**p, **judged[p["number"]]} for p in sorted(pool["pairs"], key=lambda p: p["number"])]
    about = args.about or (
        f"Hand labels of the pooled pairs of {pool['bank']} (bench/pool_pairs.py: top {pool['top']} of each of "
        f"{', '.join(pool['rankers'])}, {pool['deep']} deep kg pairs, seed {pool['seed']}), judged blind on "
        "the sheet by bench/labels/pairs_guide.md. Pairs outside the pool are unjudged."
    )
    out = args.sheet.with_name(f"{name}.json")
    doc = labels_doc(pool["bank"], about, pairs)
    kept = _earlier(out, doc["pairs"])
    if kept:  # a sheet holds the latest pool only: the pairs judged in earlier pools stay labelled
        previous = json.loads(out.read_text(encoding="utf-8"))
        doc = {**doc, "about": previous.get("about", doc["about"]), "pairs": doc["pairs"] + kept}
    write_json(out, doc)
    counts = {k: sum(p["label"] == k for p in doc["pairs"]) for k in LABELS}
    print(f"{out}: {len(doc['pairs'])} pairs ({len(kept)} from earlier pools), "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))


def _earlier(labels_file: Path, pairs: list[dict]) -> list[dict]:
    """The pairs of an existing labels file that ``pairs`` does not hold (by file and line of both items)."""
    if not labels_file.is_file():
        return []

    def key(entry: dict) -> frozenset:
        return frozenset(((entry["a"]["file"], entry["a"]["line"]), (entry["b"]["file"], entry["b"]["line"])))

    have = {key(p) for p in pairs}
    earlier = json.loads(labels_file.read_text(encoding="utf-8"))["pairs"]
    return [p for p in earlier if key(p) not in have]


if __name__ == "__main__":
    main()
