"""Items parsed per bank file against an independent count.

Run:  python bench/bank_counts.py [BANKS_FOLDER]
(default: ../shared/banks next to the repository, that is
Path(__file__).parents[2] / "shared" / "banks"; the seed data/questions.md is always included).

For every file it prints the number of items kg.parse found, the question shape it picked (plus
other shapes it also took as questions), and the count expected from a plain regex count of the
raw file that does not use kg.parse. How each bank was counted:

- seed data/questions.md: lines ``^#### N. `` (numbered level-4 headings) = 30.
- iamtodor-ds-interview-qa.md: lines ``^## N. `` = 33 (the linked table of contents holds
  ``- [N. ...](#...)`` lines, which this count leaves out as the parser must).
- ajitsingh98-ds-interview-qa/*.md: lines that are exactly ``<details>``; each answer sits in one
  such block, and every block holds an answer ("Show Answer"). 1,309 in all: 1,304 ``^### Q`` lines
  plus 5 questions written as a bare paragraph above their answer block. The ``^### Q`` count is
  printed too.
- alexeygrigorev theory.md: bold question lines ``^**...**$`` = 166.
- alexeygrigorev technical.md: lines ``^**N)`` = 40 (numbering restarts in each section).
- trimstray sysadmin-skills.md: ``<summary>`` lines (271) + list items that are one bold question
  ``^- <b>...</b>$`` (14, the "Simple Questions", which have no answers) = 285.
- SOURCES.md describes the banks and holds no question: a ParseError is the expected result.

Files of other banks print "?" as expected. The script also times parsing the largest folder
(best of 3, wall and CPU time; on a shared machine the CPU figure is the steadier one).
Exit status 1 when a count differs.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from shared_dir import SHARED_ROOT

from kg.errors import ParseError

# The private helpers give the question shape picked and a cold cache for timing.
from kg.parse import _parse, _plain_short, _read, _stem_prefix, parse_paths

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BANKS = SHARED_ROOT / "banks"


def _lines(pattern: str) -> Callable[[str], int]:
    rx = re.compile(pattern, re.M)
    return lambda text: len(rx.findall(text))


def _sum(*counts: Callable[[str], int]) -> Callable[[str], int]:
    return lambda text: sum(c(text) for c in counts)


# (file name or folder/*.md glob, method, counter); None as counter = a ParseError is expected.
METHODS: list[tuple[str, str, Callable[[str], int] | None]] = [
    ("questions.md", "^#### N.", _lines(r"^#### \d+\. ")),
    ("iamtodor-ds-interview-qa.md", "^## N.", _lines(r"^## \d+\. ")),
    ("ajitsingh98-ds-interview-qa/*.md", "^<details>$", _lines(r"^<details>$")),
    (
        "alexeygrigorev-data-science-interviews/theory.md",
        "^**...**$",
        _lines(r"^\*\*.+\*\*[ \t]*$"),
    ),
    ("alexeygrigorev-data-science-interviews/technical.md", "^**N)", _lines(r"^\*\*\d+\)")),
    (
        "trimstray-sysadmin-skills/sysadmin-skills.md",
        "<summary> + ^- <b>..</b>$",
        _sum(_lines(r"<summary>"), _lines(r"^- <b>.*</b>$")),
    ),
    ("SOURCES.md", "not a bank", None),
]


def _method(path: Path, banks: Path) -> tuple[str, Callable[[str], int] | None] | None:
    rel = path.name if path.parent == REPO / "data" else path.relative_to(banks).as_posix()
    for pattern, method, count in METHODS:
        if Path(rel).match(pattern):
            return method, count
    return None


def main(argv: list[str]) -> int:
    banks = Path(argv[1]) if len(argv) > 1 else DEFAULT_BANKS
    files = [REPO / "data" / "questions.md"] + sorted(
        f for f in banks.rglob("*") if f.suffix.lower() in (".md", ".markdown")
        and not f.name.upper().startswith("LICENSE")
    )
    print(f"{'file':<72} {'items':>5} {'expected':>8}  {'check':<5} question shape (+ others)")
    bad = 0
    totals: dict[str, list[int]] = {}
    for f in files:
        name = f.name if f.parent == REPO / "data" else f.relative_to(banks).as_posix()
        found = _method(f, banks)
        text = _read(f)
        try:
            items, analysis = _parse(text, str(f), _stem_prefix(str(f)))
            got, shape = str(len(items)), analysis.shape + "".join(
                f" + {n} {s}" for s, n in sorted(analysis.extra.items())
            )
        except ParseError as e:
            items, got, shape = [], "error", e.message[:40]
        if found is None:
            expected, check = "?", ""
        elif found[1] is None:
            expected = "error"
            check = "ok" if got == "error" else "DIFF"
        else:
            expected = str(found[1](text))
            check = "ok" if got == expected else "DIFF"
        bad += check == "DIFF"
        if got != "error":
            bank = name.split("/")[0] if "/" in name else name
            t = totals.setdefault(bank, [0, 0])
            t[0] += len(items)
            t[1] += int(expected) if expected.isdigit() else 0
        print(f"{name:<72} {got:>5} {expected:>8}  {check:<5} {shape}")

    print("\nper bank: items / expected")
    for bank, (got_n, exp_n) in totals.items():
        print(f"  {bank:<46} {got_n:>5} / {exp_n}")
    aj = banks / "ajitsingh98-ds-interview-qa"
    if aj.is_dir():
        heads = sum(len(re.findall(r"^### Q", _read(f), re.M)) for f in aj.glob("*.md"))
        print(f"  (ajitsingh98 ^### Q lines: {heads})")

    folders = [d for d in banks.iterdir() if d.is_dir()]
    if folders:
        biggest = max(folders, key=lambda d: sum(f.stat().st_size for f in d.rglob("*.md")))
        wall = cpu = float("inf")
        for _ in range(3):
            _plain_short.cache_clear()  # time a cold parse
            t0, c0 = time.perf_counter(), time.process_time()
            items, errors = parse_paths([biggest])
            wall = min(wall, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
        print(
            f"\nparse_paths({biggest.name}): {len(items)} items, {len(errors)} errors; "
            f"best of 3: {wall:.3f} s wall, {cpu:.3f} s CPU"
        )
    print(f"\n{'all counts match' if not bad else f'{bad} file(s) differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
