"""The generic tier on every bank: how many concepts are marked generic, the top generic ones and the
most frequent specific ones.

For each bank (the seed, every bank in ../shared/banks and in bench/banks) it prints the number of
concepts and of generic concepts (:mod:`kg.specificity`), then the 15 generic concepts in the most
questions and the 15 specific concepts in the most questions, each with its questions, the questions
that ask about it, its English Zipf frequency and its specificity. The thresholds of kg.specificity
were set looking at ajitsingh98 only; every other bank is held out.

Run: ``python bench/generic.py [--top N]`` (the spaCy readings are cached as ``kg`` caches them).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]
SHARED = SHARED_ROOT / "banks"
TUNED_ON = {"ajitsingh98-ds-interview-qa"}


def banks() -> list[Path]:
    """The seed, then each bank of ../shared/banks and bench/banks, by name."""
    found = [ROOT / "data" / "questions.md"]
    for folder in (SHARED, ROOT / "bench" / "banks"):
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.is_dir() or (p.suffix == ".md" and not p.stem.isupper()))
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=15, help="concepts listed per tier")
    args = ap.parse_args()

    from wordfreq import zipf_frequency

    from kg.embed import cache_root
    from kg.extract import load_nlp
    from kg.extract.merge import merge_readings
    from kg.parse import parse_paths
    from kg.pipeline import never_generic
    from kg.readings import ReadingStore, read_with_store
    from kg.specificity import evidence, rate_concepts
    from kg.vocabulary import find_vocabulary

    nlp = load_nlp()
    store = ReadingStore(cache_root())
    total = generic_total = 0
    for path in banks():
        t = time.perf_counter()
        items, _ = parse_paths([path])
        readings, _ = read_with_store(items, nlp, store, settings="relations False ")
        vocabulary = find_vocabulary([path])
        ex = merge_readings(items, readings, vocabulary)
        concepts = rate_concepts(
            items,
            ex.concepts,
            ex.mentions,
            terms=never_generic(vocabulary),
            specific=vocabulary.specific,
            generic=vocabulary.generic,
        )
        ev = evidence(concepts, ex.mentions)
        generic = sorted((c for c in concepts if c.generic), key=lambda c: (-len(c.questions), c.label))
        specific = sorted((c for c in concepts if not c.generic), key=lambda c: (-len(c.questions), c.label))
        total += len(concepts)
        generic_total += len(generic)
        role = "tuned on" if path.name in TUNED_ON else "held out"
        print(
            f"\n{path.name} ({role}): {len(items)} questions, {len(concepts)} concepts, "
            f"{len(generic)} generic ({len(generic) / max(len(concepts), 1):.1%}), {time.perf_counter() - t:.1f} s"
        )
        for title, tier in (("generic", generic), ("specific, most frequent", specific)):
            print(f"  {title}:")
            if not tier:
                print("    (none)")
            for c in tier[: args.top]:
                e = ev[c.id]
                print(
                    f"    {c.label[:40]:40s} questions {len(c.questions):4d}  asked {e.asked:3d}  "
                    f"zipf {zipf_frequency(c.label, 'en'):4.1f}  specificity {c.specificity:.2f}"
                )
    print(f"\nall banks: {generic_total} generic of {total} concepts ({generic_total / max(total, 1):.2%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
