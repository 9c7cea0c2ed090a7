"""The judged pairs of every labelled bank, with their features: what the pair model is fitted on.

Each ``bench/labels/pairs/<name>.json`` (see ``bench/labels/pairs_guide.md``) names a bank and its judged
pairs. :func:`load_corpus` parses each bank, runs kg's concept pass on it (readings cached in
``.kg-cache``, as the CLI does) and computes the features of :mod:`kg.similar.features` for every
judged pair that maps onto the bank's items. Labels are 0 (different), 1 (overlap), 2 (duplicate).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pairlabels import PAIR_LABELS, bank_path, map_labels  # noqa: E402
from kg.embed import Embedder  # noqa: E402
from kg.model import QAItem  # noqa: E402
from kg.similar.fit import LABELS as CODES  # noqa: E402

#: Banks judged blind like the others but never fitted on (nor used to choose a setting): what the shipped
#: model does on banks it has not seen. Their files live in this folder, so every script that fits reads
#: none of them.
UNSEEN = PAIR_LABELS / "unseen"


@dataclass(frozen=True)
class BankData:
    """One labelled bank: its items and concepts, and its judged pairs with their features."""

    name: str
    path: Path
    items: list[QAItem]
    item_concepts: dict[str, set[str]]
    question_concepts: dict[str, set[str]]
    labels: dict[frozenset[str], str]
    left: np.ndarray  # item rows of the judged pairs
    right: np.ndarray
    y: np.ndarray  # 0 different, 1 overlap, 2 duplicate
    values: np.ndarray  # SEMANTIC features (or WORDING without an embedder), one row per judged pair
    unmapped: int = 0  # judged pairs whose questions the bank no longer holds as labelled (left out)

    @property
    def positives(self) -> set[frozenset[str]]:
        return {k for k, v in self.labels.items() if v != "different"}


def label_files(names: Sequence[str] = (), folder: Path = PAIR_LABELS) -> list[Path]:
    """The labels files of ``folder``, all or those named."""
    files = sorted(folder.glob("*.json"))
    files = [f for f in files if not f.name.endswith(".pool.json")]
    return [f for f in files if not names or f.stem in names]


def load_bank(label_file: Path, embedder: Embedder | None) -> BankData:
    """Parse, read and featurise one labelled bank; unmapped labels are reported on stderr."""
    from kg.embed import cache_root
    from kg.extract import load_nlp
    from kg.extract.conceptfile import find_vocabulary
    from kg.parse import parse_paths
    from kg.pipeline import build_bank, concept_sets
    from kg.readings import ReadingStore
    from kg.similar.features import pair_features
    from kg.similar.vectors import vectorise

    doc = json.loads(label_file.read_text(encoding="utf-8"))
    path = bank_path(doc["bank"])
    items, _ = parse_paths([path])
    mapped = map_labels(doc, items, path)
    for problem in mapped.unmapped:
        print(f"{label_file.name}: {problem}", file=sys.stderr)
    bank = build_bank(
        items,
        load_nlp(),
        vocabulary=find_vocabulary([path]),
        with_relations=False,
        with_pairs=False,
        store=ReadingStore(cache_root()),
        n_process=0,
    )
    item_concepts, question_concepts = concept_sets(bank.mentions)
    row = {it.id: n for n, it in enumerate(items)}
    keys = sorted(mapped.labels, key=lambda k: sorted(row[i] for i in k))
    pairs = [sorted(row[i] for i in k) for k in keys]
    left = np.array([p[0] for p in pairs], dtype=np.int64)
    right = np.array([p[1] for p in pairs], dtype=np.int64)
    y = np.array([CODES[mapped.labels[k]] for k in keys], dtype=np.int64)
    fields = vectorise(items, embedder)
    features = pair_features(items, fields, left, right, item_concepts, question_concepts)
    return BankData(label_file.stem, path, items, item_concepts, question_concepts, dict(mapped.labels), left, right,
                    y, features.values, len(mapped.unmapped))


def load_corpus(embedder: Embedder | None, names: Sequence[str] = (), folder: Path = PAIR_LABELS) -> list[BankData]:
    """Every labelled bank of ``folder`` (or those named), in name order: by default the banks the pair model
    is fitted on; :data:`UNSEEN` holds the banks kept out of every fit."""
    return [load_bank(f, embedder) for f in label_files(names, folder)]
