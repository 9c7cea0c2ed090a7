"""The SHA-256 of `kg export --format json` on the seed and on every bank in ../shared/banks.

A change that should not alter behaviour (a refactor, a speed-up) must leave every line the same:

    python bench/export_digests.py > before.txt
    ... change ...
    python bench/export_digests.py | diff before.txt -

Each export runs as its own `python -m kg` process, as a user would run it, with and without the
sentence-embedding evidence (`--no-semantic`). `--fast` skips the semantic runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parent.parent
BANKS = SHARED_ROOT / "banks"


def banks() -> list[Path]:
    """The seed, then each bank folder or single-file bank of ../shared/banks, by name."""
    found = [ROOT / "data" / "questions.md"]
    if BANKS.is_dir():
        # SOURCES.md and the like describe the banks; they are not banks.
        found += sorted(p for p in BANKS.iterdir() if p.is_dir() or (p.suffix == ".md" and not p.stem.isupper()))
    return found


def digest(bank: Path, semantic: bool) -> str:
    # Relative to the checkout, so that the sources recorded in the export (and so the digest) do not
    # depend on where the checkout is.
    args = [sys.executable, "-m", "kg", "export", os.path.relpath(bank, ROOT), "--format", "json"]
    if not semantic:
        args.append("--no-semantic")
    run = subprocess.run(args, capture_output=True, cwd=ROOT, check=False)
    if run.returncode != 0:
        return f"exit {run.returncode}: {run.stderr.decode(errors='replace').strip().splitlines()[-1:]}"
    return f"{hashlib.sha256(run.stdout).hexdigest()}  {len(run.stdout):>9,} bytes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="only the runs without embeddings")
    parser.add_argument("--jobs", type=int, default=2, help="exports run at once")
    args = parser.parse_args()
    runs = [(bank, semantic) for bank in banks() for semantic in ((False,) if args.fast else (False, True))]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda run: digest(*run), runs))
    for (bank, semantic), result in zip(runs, results):
        mode = "semantic" if semantic else "no-semantic"
        print(f"{bank.name:40s} {mode:12s} {result}")


if __name__ == "__main__":
    main()
