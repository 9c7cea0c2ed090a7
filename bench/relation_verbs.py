"""Whole relation classes or verbs that are mostly wrong among the relations kg shows by default.

Chosen on samples 1-12 only (the fitted samples, ``FIT_ON`` of ``bench/relations.py``), or on the sheets given
with ``--choose`` (samples reported before, once they are no longer blind): among the judged
relations still read and shown (confidence at least the shipped threshold), each class, each verb (its
lemmas, lower case) and each verb form as written ("using" apart from "uses") with at least ``MIN_ROWS``
shown rows and precision under ``MAX_PRECISION`` is a candidate for leaving the default view. Only then
are the candidates counted on the held-out samples given with ``--check`` (for example sample 18,
``relations_fresh10.json``): how many wrong and right shown relations dropping each would take out there.
Nothing else of the held-out samples is printed, so they stay blind for any other class or verb.

Run: ``python bench/relation_verbs.py [--choose relations_older.json ...] [--check relations_fresh10.json ...]``
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from typing import Any

import relations as rb

MIN_ROWS = 5  # fewer shown rows say nothing about a verb
MAX_PRECISION = 0.5  # a verb right less often than wrong


def _lemma(nlp: Any, verb: str, cache: dict[str, str]) -> str:
    if verb not in cache:
        cache[verb] = " ".join(t.lemma_.lower() for t in nlp(verb))
    return cache[verb]


def shown_rows(nlp: Any, names: tuple[str, ...]) -> list[dict]:
    """The judged rows of ``names`` that kg still reads and shows by default."""
    from kg.relations.confidence import threshold

    least = threshold()
    return [r for name in names for r, _, c in rb.judged(nlp, rb.LABELS / name) if c is not None and c >= least]


def tally(rows: list[dict], key: Any) -> dict[str, list[int]]:
    """Wrong and right counts of ``rows`` per value of ``key``."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        out[key(r)][bool(r["correct"])] += 1
    return dict(out)


def candidates(counts: dict[str, list[int]]) -> list[str]:
    """Keys with enough shown rows, right less often than ``MAX_PRECISION``."""
    return sorted(k for k, (wrong, right) in counts.items()
                  if wrong + right >= MIN_ROWS and right / (wrong + right) < MAX_PRECISION)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", nargs="*", default=[], help="held-out sheets to count the candidates on")
    parser.add_argument("--choose", nargs="*", default=list(rb.FIT_ON), help="sheets to choose the candidates on "
                        "(default: samples 1-12)")
    args = parser.parse_args(argv)
    from kg.extract import load_nlp

    nlp = load_nlp()
    cache: dict[str, str] = {}
    # by lemma, "using" counts with "use", "uses" and "used"; by form as written it stands alone
    keys = {"class": lambda r: r["relation"], "verb": lambda r: _lemma(nlp, r["verb"], cache),
            "form": lambda r: r["verb"].lower()}
    fitted = shown_rows(nlp, tuple(args.choose))
    right = sum(bool(r["correct"]) for r in fitted)
    print(f"{' '.join(args.choose)}: {len(fitted)} shown, {right} right ({right / max(len(fitted), 1):.3f})")
    chosen: dict[str, list[str]] = {}
    for kind, key in keys.items():
        counts = tally(fitted, key)
        print(f"by {kind} (wrong / right shown), {MIN_ROWS}+ rows:")
        for k, (w, r) in sorted(counts.items(), key=lambda kv: -sum(kv[1])):
            if w + r >= MIN_ROWS:
                print(f"    {k}: {w} / {r}")
        chosen[kind] = candidates(counts)
        print(f"  candidates (precision < {MAX_PRECISION}): {chosen[kind] or 'none'}")
        for k in chosen[kind]:
            w, r = counts[k]
            rest = [x for x in fitted if key(x) != k]
            print(f"    without {k}: {sum(bool(x['correct']) for x in rest)}/{len(rest)} "
                  f"({sum(bool(x['correct']) for x in rest) / max(len(rest), 1):.3f}), {w} wrong and {r} right out")
    for name in args.check:
        rows = shown_rows(nlp, (name,))
        ok = sum(bool(r["correct"]) for r in rows)
        print(f"{name}: {len(rows)} shown, {ok} right ({ok / max(len(rows), 1):.3f})")
        for kind, key in keys.items():
            for k in chosen[kind]:
                hit = [r for r in rows if key(r) == k]
                rest = [r for r in rows if key(r) != k]
                good = sum(bool(r["correct"]) for r in rest)
                print(f"    without {kind} {k}: {len(hit) - sum(bool(r['correct']) for r in hit)} wrong / "
                      f"{sum(bool(r['correct']) for r in hit)} right out, {good}/{len(rest)} "
                      f"({good / max(len(rest), 1):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
