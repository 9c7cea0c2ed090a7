"""Throughput of ``kg export`` against raw ``nlp.pipe`` of the same pipeline over the same texts.

Both use the pipeline of :func:`kg.extract.load_nlp`, loaded and warmed up on the seed before timing. "raw" pipes every
question and answer text and throws the docs away; "kg export" parses the files, runs every stage
(concepts, relations, graph, topics, pairs) and serialises the JSON. Pairs are timed without sentence
embeddings and, when the semantic extra is installed, with them (cold, then from the embedding cache).
The load of the machine moves both sides, so the two are timed in alternating rounds (``--repeat``,
default 3) and their medians compared. A last line times the whole ``kg export`` command, start-up
included, against the embedding cache the warm run filled.

Run: ``python bench/speed.py [FOLDER] [--n-process N] [--repeat N] [--no-semantic]`` (``--no-semantic``
skips the embedding lines and the whole-command line, for quick iterations)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = SHARED_ROOT / "banks" / "ajitsingh98-ds-interview-qa"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT))
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--no-semantic", action="store_true", help="time without sentence embeddings only")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of raw and kg export, alternating (median)")
    args = ap.parse_args()

    from kg import export
    from kg.embed import load_embedder
    from kg.extract import load_nlp
    from kg.parse import parse_paths
    from kg.pipeline import build_bank

    nlp = load_nlp()
    # Warm up on the bundled bank, so that neither side pays first-use costs (lazy imports, word
    # frequency tables, vectorizer set-up) inside its timing.
    seed, _ = parse_paths([ROOT / "data" / "questions.md"])
    build_bank(seed, nlp)
    items, errors = parse_paths([Path(args.folder)])
    texts = [t for i in items for t in (i.question_text, i.answer_text) if t]
    words = sum(len(t.split()) for t in texts)
    print(f"{args.folder}: {len(items)} questions, {len(texts)} texts, {words:,} words, {len(errors)} unreadable files")

    def raw_pass() -> float:
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64, n_process=args.n_process):
            pass
        return time.perf_counter() - t

    def kg_export(embedder) -> tuple[float, str]:
        t = time.perf_counter()
        found, _ = parse_paths([Path(args.folder)])
        bank = build_bank(found, nlp, embedder=embedder)
        json.dumps(export.to_dict(bank))
        took = time.perf_counter() - t
        return took, f"{len(bank.concepts)} concepts, {len(bank.relations)} relations, {len(bank.pairs)} pairs"

    def line(label: str, took: float, raw: float, note: str = "") -> None:
        print(f"{label:28} {took:6.1f} s  {words / took:8,.0f} words/s  {raw / took:.2f} of raw  {note}".rstrip())

    # The machine's load moves both sides; rounds alternate them and the medians are compared.
    raws, kgs = [], []
    for r in range(1, args.repeat + 1):
        raws.append(raw_pass())
        took, note = kg_export(None)
        kgs.append(took)
        print(f"round {r}: raw nlp.pipe {raws[-1]:5.1f} s, kg export (no semantic) {took:5.1f} s, "
              f"{raws[-1] / took:.2f} of raw  ({note})")
    raw = statistics.median(raws)
    print(f"raw nlp.pipe, median       {raw:6.1f} s  {words / raw:8,.0f} words/s")
    line("kg export, no semantic", statistics.median(kgs), raw, f"(median of {args.repeat})")
    if args.no_semantic:
        return 0
    with tempfile.TemporaryDirectory() as cache:
        embedder = load_embedder(cache_dir=Path(cache))
        if embedder is None:
            return 0
        line("kg export, cold cache", kg_export(embedder)[0], raw)
        line("kg export, warm cache", kg_export(embedder)[0], raw)
        t = time.perf_counter()
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "kg",
                    "export",
                    args.folder,
                    "--format",
                    "json",
                    "-o",
                    os.path.join(out, "b.json"),
                ],
                check=False,
                capture_output=True,
                env={**os.environ, "KG_CACHE_DIR": cache},
            )
        print(f"whole kg export command, start-up included, warm cache: {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
