"""Questions kg.parse finds in a folder of markdown files against counts made by hand.

The folder holds the files and an ``INDEX.tsv``: a header line, then a line a file with its name, its
repository, its path there, the commit, a note on how its questions are written, and the number of
questions a person counted by eye (the first number in the last column). Such a folder is a sample of
banks as users bring them, kept outside the repository (whose licences are not checked); this script
prints, per file, the questions found beside the count, and how many files are read within
``--within`` of it and how many are read as holding no question.

Run: ``python bench/parse_index.py DIR [--within 0.15] [--all]``
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from shared_dir import SHARED_ROOT  # noqa: F401  (puts this tree first on the path)

from kg.errors import ParseError
from kg.parse import parse_paths


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder with the files and their INDEX.tsv")
    parser.add_argument("--within", type=float, default=0.15, help="share of the count a file may be off by")
    parser.add_argument("--all", action="store_true", help="print every file, not only those off the count")
    args = parser.parse_args(argv)
    with (args.folder / "INDEX.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    close = empty = 0
    for row in rows:
        name, count = row[0], re.search(r"\d+", row[-1])
        expected = int(count.group()) if count else 0
        try:
            items, errors = parse_paths([args.folder / name])
            found = len(items) if not errors else 0
        except ParseError:
            found = 0
        near = expected > 0 and abs(found - expected) <= max(1.0, args.within * expected)
        close += near
        empty += found == 0
        if args.all or not near:
            print(f"  {found:4d} found  {expected:4d} counted  {name}")
    print(f"{close} of {len(rows)} files read within {args.within:.0%} of the count by eye; "
          f"{empty} read as holding no question")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
