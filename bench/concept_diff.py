"""The concept labels of every bank at hand under two versions of kg's code, and which labels a change took
out or put in.

``bench/concepts.py`` measures junk on randomly drawn labels, so a rule that touches a few labels of a bank
may move none of them. This script shows every label a change touches, over the seed and every bank of the
shared banks and of ``bench/banks`` (``generic.banks``), read whole (no concept file), so that each one can
be judged:

``--dump OUT``: the sorted concept labels of each bank, read by the code of the tree this script lies in
(``shared_dir`` puts that tree first on the path).

``--banks NAME...``: dump only these banks (their folder or file names), for a change that touches a
few.

``--compare BEFORE AFTER``: per bank, the labels only before (gone) and only after (new), and the totals.

Run: ``python bench/concept_diff.py --dump after.json`` here and ``--dump before.json`` in a copy of the old
tree (``git archive REV | tar -x -C DIR``, with this script copied into ``DIR/bench`` if the old tree lacks
it), then ``--compare before.json after.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generic import banks


def dump(out: Path, names: list[str]) -> None:
    from kg.extract import extract, load_nlp
    from kg.parse import parse_paths

    nlp = load_nlp()
    labels: dict[str, list[str]] = {}
    for bank in banks():
        if names and bank.name not in names:
            continue
        items, _ = parse_paths([bank])
        labels[bank.name] = sorted({c.label for c in extract(items, nlp).concepts})
        print(f"{bank.name}: {len(items)} items, {len(labels[bank.name])} concepts", file=sys.stderr)
    out.write_text(json.dumps(labels, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def compare(before_path: Path, after_path: Path) -> None:
    before = json.loads(before_path.read_text(encoding="utf-8"))
    after = json.loads(after_path.read_text(encoding="utf-8"))
    gone_all = new_all = 0
    for bank in sorted(before.keys() | after.keys()):
        old, new = set(before.get(bank, ())), set(after.get(bank, ()))
        gone, added = sorted(old - new), sorted(new - old)
        if gone or added:
            print(f"{bank}\n    gone: {gone}\n    new:  {added}")
        gone_all, new_all = gone_all + len(gone), new_all + len(added)
    total_before = sum(map(len, before.values()))
    total_after = sum(map(len, after.values()))
    print(f"{len(before.keys() | after.keys())} banks: {gone_all} labels gone, {new_all} new; "
          f"{total_before} -> {total_after} concepts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write the concept labels of every bank here")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--banks", nargs="*", default=[], help="dump only these banks (folder or file names)")
    args = parser.parse_args(argv)
    if args.dump:
        dump(args.dump, args.banks)
    if args.compare:
        compare(*args.compare)
    if not (args.dump or args.compare):
        parser.error("give --dump or --compare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
