"""How often the progress bar moves on a cold build: the longest waits between two progress reports.

The app's progress bar should move at least every 2 s, naming the stage and its counts. This builds a
bank from an empty cache (a fresh temporary ``KG_CACHE_DIR``: no stored readings, no embeddings), with
the embedding model when it is installed, as the app does on a first open, and prints the longest gaps
between reports with the report that ended each, and how many gaps passed 2 s.

Run: ``python bench/progress_gaps.py [BANK] [--top N]`` (default: the ajitsingh98 folder)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DEFAULT = SHARED_ROOT / "banks" / "ajitsingh98-ds-interview-qa"
LIMIT = 2.0  # seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bank", nargs="?", default=str(DEFAULT))
    ap.add_argument("--top", type=int, default=8, help="longest gaps listed")
    args = ap.parse_args(argv)
    os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-progress-")

    from kg.embed import load_embedder
    from kg.extract import load_nlp
    from kg.parse import parse_paths
    from kg.pipeline import build_bank
    from kg.readings import ReadingStore

    items, _ = parse_paths([Path(args.bank)])
    nlp, embedder = load_nlp(), load_embedder()
    reports: list[tuple[float, float, str]] = []

    def progress(fraction: float, stage: str) -> None:
        reports.append((time.perf_counter(), fraction, stage))

    start = time.perf_counter()
    build_bank(items, nlp, embedder=embedder, progress=progress, store=ReadingStore(Path(os.environ["KG_CACHE_DIR"])))
    end = time.perf_counter()
    times = [start] + [t for t, _, _ in reports] + [end]
    stages = ["(start)"] + [s for _, _, s in reports] + ["(done)"]
    gaps = sorted(((times[k + 1] - times[k], stages[k + 1]) for k in range(len(times) - 1)), reverse=True)
    load = os.getloadavg()[0]
    print(f"{Path(args.bank).name}: {len(items):,} questions, embeddings {'on' if embedder else 'off'}, "
          f"{len(reports):,} reports in {end - start:.1f} s (load {load:.1f})")
    print(f"gaps over {LIMIT:.0f} s: {sum(g > LIMIT for g, _ in gaps)}; longest:")
    for gap, stage in gaps[: args.top]:
        print(f"  {gap:6.2f} s  before: {stage}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
