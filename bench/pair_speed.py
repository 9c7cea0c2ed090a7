"""CPU and wall time of the pair stage (``score_pairs``) on the ajitsingh98 folder, every cache warm.

``bench/duplicates.py`` times the same step by wall clock only, which on a shared machine moves with
the other jobs; CPU time compares two versions more fairly. Run from the repository root::

    nice -n 10 .venv/bin/python bench/pair_speed.py [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.duplicates import BANKS, concepts_of, load  # noqa: E402
from kg.embed import load_embedder  # noqa: E402
from kg.similar import score_pairs  # noqa: E402


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up run")
    args = parser.parse_args(argv)
    items = load(sorted((BANKS / "ajitsingh98-ds-interview-qa").glob("*.md")))
    item_concepts, question_concepts = concepts_of(items)
    embedder = load_embedder()
    score_pairs(items, item_concepts, embedder=embedder, question_concepts=question_concepts)  # fills every cache
    for _ in range(args.runs):
        cpu, wall = time.process_time(), time.perf_counter()
        pairs = score_pairs(items, item_concepts, embedder=embedder, question_concepts=question_concepts)
        print(f"score_pairs on ajitsingh98 ({len(items)} items, {len(pairs)} pairs): CPU "
              f"{time.process_time() - cpu:.2f} s, wall {time.perf_counter() - wall:.2f} s", flush=True)


if __name__ == "__main__":
    main()
