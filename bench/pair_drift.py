"""How far an edit run's pairs (the bank statistics kept from the last full run) lie from the pairs of
statistics fitted on the edited bank, by share of questions edited.

On the ajitsingh98 folder (kg's concepts): a full run, then edits of 2%, 5%, 10% and 20% of the
questions, each edited question reworded (its words shuffled) and its answer given one more sentence,
either the same sentence for all (``same``: template text, which fitted statistics cut as boilerplate)
or its own question again (``own``). Concepts of an edited question are those it had. Per edit: the
questions whose pairs the edit run rescored, the pairs only one side has, the pairs of both sides whose
kind differs, and the duplicate and overlap pairs of each side and how many differ. Run from the
repository root::

    nice -n 10 .venv/bin/python bench/pair_drift.py
"""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.duplicates import BANKS, concepts_of, load  # noqa: E402
from kg.model import CLOSE_KINDS, QAItem  # noqa: E402
from kg.similar.incremental import edit_run, full_run  # noqa: E402
from kg.similar.pairs import score_pairs  # noqa: E402

SHARES = (0.02, 0.05, 0.10, 0.20)


def edited(items: list[QAItem], share: float, kind: str, seed: int = 1) -> list[QAItem]:
    rng = random.Random(seed)
    new = list(items)
    for k in rng.sample(range(len(new)), int(share * len(new))):
        it = new[k]
        words = it.question_text.split()
        rng.shuffle(words)
        q = " ".join(words)
        extra = "It also depends on the data and the model." if kind == "same" else it.question_text
        a = f"{it.answer_text} {extra}"
        new[k] = dataclasses.replace(it, question=q, question_text=q, answer=a, answer_text=a)
    return new


def main() -> None:
    items = [i for i in load(sorted((BANKS / "ajitsingh98-ds-interview-qa").glob("*.md"))) if i.question_text.strip()]
    ic, qc = concepts_of(items)
    _, state = full_run(items, ic, question_concepts=qc)
    print(f"ajitsingh98, {len(items):,} questions")
    print(f"{'edit':>5} {'share':>6} {'rescored':>9} {'one side':>9} {'kind differs':>13} {'close kept':>11} "
          f"{'close fitted':>13} {'differ':>7}")
    for kind in ("same", "own"):
        for share in SHARES:
            new = edited(items, share, kind)
            kept, _, rescored = edit_run(new, ic, state, question_concepts=qc)
            fitted = score_pairs(new, ic, question_concepts=qc)
            a = {(p.a, p.b): p for p in kept}
            b = {(p.a, p.b): p for p in fitted}
            both = a.keys() & b.keys()
            close_a = {k for k, p in a.items() if p.kind in CLOSE_KINDS}
            close_b = {k for k, p in b.items() if p.kind in CLOSE_KINDS}
            print(f"{kind:>5} {share:>6.0%} {rescored:>9,} {len(a.keys() ^ b.keys()):>9,} "
                  f"{sum(a[k].kind != b[k].kind for k in both):>13,} {len(close_a):>11,} {len(close_b):>13,} "
                  f"{len(close_a ^ close_b):>7,}")


if __name__ == "__main__":
    main()
