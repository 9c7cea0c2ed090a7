"""Pool the pairs of a bank for judging by hand, and write a blind judging sheet.

Run from the repository root::

    .venv/bin/python bench/pool_pairs.py BANK [--name NAME] [--top 25] [--deep 10] [--seed 0]
    .venv/bin/python bench/pool_pairs.py BANK --name theory --prefill bench/labels/alexeygrigorev-theory.json
    .venv/bin/python bench/pool_pairs.py data/questions.md --name seed --gold ../shared/gold/seed.json

The pool is the union of the top ``--top`` pairs of each ranker in :mod:`bench.rankers` (word TF-IDF,
BM25, all-MiniLM-L6-v2, kg; ``--rankers`` names others, such as the question-only ``q_tfidf`` and
``q_minilm`` that find paraphrased questions) and ``--deep`` pairs drawn at random from kg's pairs ranked between
``2 × top`` and 400 (so the labels also hold lower-scored pairs), shuffled with ``--seed``. It writes,
under ``bench/labels/pairs/``:

- ``<name>.sheet.md``: the blind sheet, to be filled in by a judge (see ``bench/labels/pairs_guide.md``);
  it says nothing of which ranker proposed a pair or of any score;
- ``<name>.pool.json``: which rankers proposed each pair and at which rank, kept apart from the sheet;
- with ``--gold``, ``<name>.json``: the labels from the seed's hand labels, no judging needed.

``bench/read_sheet.py`` turns a filled sheet into ``<name>.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pairlabels import (  # noqa: E402
    PAIR_LABELS,
    bank_name,
    norm_question,
    ref,
)
from bench.rankers import DEFAULT, NAMES, Ranking, rankers  # noqa: E402
from kg.model import QAItem  # noqa: E402
from kg.similar.model import read_model  # noqa: E402

CUT = 2500  # characters of an answer shown on the sheet
DEEPEST = 400  # the deep pairs come from kg's ranking down to this rank
OLD_LABELS = {"duplicate": "duplicate", "overlap": "overlap", "related": "different", "none": "different",
              "different": "different"}


def pool(rankings: dict[str, Ranking], top: int, deep: int, seed: int) -> list[tuple[frozenset[str], dict]]:
    """The pooled pairs, shuffled, each with where it came from.

    The deep pairs are drawn from kg's ranks ``2 × top + 1`` to :data:`DEEPEST` that no ranker's top
    already pooled, so there are ``deep`` of them whenever kg returns enough pairs.

    Examples
    --------
    >>> p = lambda a, b: frozenset((a, b))
    >>> ranked = {"x": [(p("1", "2"), .9), (p("1", "3"), .5)], "kg": [(p("1", "3"), .8), (p("2", "3"), .1)]}
    >>> sorted((sorted(k), v) for k, v in pool(ranked, top=1, deep=0, seed=0))
    [(['1', '2'], {'x': 1}), (['1', '3'], {'kg': 1})]
    """
    origin: dict[frozenset[str], dict] = {}
    for name, ranking in rankings.items():
        for rank, (key, _) in enumerate(ranking[:top], 1):
            origin.setdefault(key, {})[name] = rank
    rng = np.random.default_rng(seed)
    kg = rankings.get("kg", [])
    deeper = [(rank, key) for rank, (key, _) in enumerate(kg[2 * top:DEEPEST], 2 * top + 1) if key not in origin]
    for k in sorted(rng.choice(len(deeper), size=min(deep, len(deeper)), replace=False)):
        rank, key = deeper[k]
        origin[key] = {"kg_deep": rank}
    keys = sorted(origin, key=sorted)  # a fixed order before the shuffle, so the seed decides it alone
    return [(keys[k], origin[keys[k]]) for k in rng.permutation(len(keys))]


def _quoted(text: str) -> str:
    """Answer text as a block quote, so no answer line can pass for a ``label:`` line of the sheet."""
    if len(text) > CUT:
        text = text[:CUT].rstrip() + " **[cut]**"
    if not text.strip():
        return "> (no answer)"
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def _side(tag: str, entry: dict, item: QAItem) -> list[str]:
    return [
        f"**{tag}** · `{entry['file']}` line {entry['line']}",
        "",
        f"**Q:** {item.question_text}",
        "",
        _quoted(item.answer.strip() or item.answer_text),
        "",
    ]


def sheet(title: str, bank: str, pairs: Sequence[dict], by_id: dict[str, QAItem]) -> str:
    """The judging sheet: per pair its number, both items, and ``label:`` and ``note:`` lines to fill in."""
    lines = [
        f"# Judging sheet: {title}",
        "",
        f"Bank: `{bank}`, {len(pairs)} pairs. Judge by `bench/labels/pairs_guide.md`: after each `label:`",
        "write `duplicate`, `overlap` or `different`; `note:` is optional. Answers longer than",
        f"{CUT:,} characters end in **[cut]**; open the file at the line given to read the rest.",
        "",
    ]
    for p in pairs:
        lines += [f"## Pair {p['number']}", ""]
        lines += _side("A", p["a"], by_id[p["a"]["id"]])
        lines += _side("B", p["b"], by_id[p["b"]["id"]])
        lines += [f"label: {p.get('label', '')}".rstrip(), f"note: {p.get('note', '')}".rstrip(), ""]
    return "\n".join(lines)


def prefill_from_labels(path: Path, pairs: list[dict]) -> int:
    """Fill in the label of pooled pairs judged before (either labels shape); returns how many.

    Old files name pairs by question text (``"a": "What is X?"``) and use ``related``/``none``, both
    ``different`` here; new ones are the shape :mod:`bench.pairlabels` describes.
    """
    doc = json.loads(path.read_text(encoding="utf-8"))
    known: dict[frozenset[str], tuple[str, str]] = {}
    for e in doc["pairs"]:
        qa, qb = (e[s] if isinstance(e[s], str) else e[s]["question"] for s in ("a", "b"))
        known[frozenset((norm_question(qa), norm_question(qb)))] = (OLD_LABELS[e["label"]], e.get("note", ""))
    filled = 0
    for p in pairs:
        found = known.get(frozenset((norm_question(p["a"]["question"]), norm_question(p["b"]["question"]))))
        if found:
            p["label"] = found[0]
            p["note"] = f"from {path.name}"
            filled += 1
    return filled


def prefill_from_gold(path: Path, pairs: list[dict], by_id: dict[str, QAItem]) -> None:
    """Label every pooled pair of the seed from its hand labels: their duplicate and overlap pairs as
    such, every other pair ``different`` (the gold file's rule: every other pair is at most related)."""
    gold = json.loads(path.read_text(encoding="utf-8"))["pairs"]
    kind = {frozenset(map(int, ab)): label for label in ("duplicate", "overlap") for ab in gold[label]}
    for p in pairs:
        numbers = frozenset((by_id[p["a"]["id"]].number, by_id[p["b"]["id"]].number))
        p["label"] = kind.get(numbers, "different")  # type: ignore[arg-type]
        p["note"] = f"from {path.name}"


def labels_doc(bank: str, about: str, pairs: Sequence[dict]) -> dict:
    """The labels file of judged pairs (the shape :mod:`bench.pairlabels` reads)."""
    strip = lambda e: {k: e[k] for k in ("file", "line", "question")}  # noqa: E731 - ids are not kept
    return {
        "bank": bank,
        "about": about,
        "pairs": [{"a": strip(p["a"]), "b": strip(p["b"]), "label": p["label"], "note": p.get("note", "")}
                  for p in pairs],
    }


def write_json(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    import os

    from kg.embed import load_embedder
    from kg.parse import parse_paths

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bank", type=Path, help="a bank file or folder")
    parser.add_argument("--name", help="name of the sheet and pool files (default: the bank's stem)")
    parser.add_argument("--top", type=int, default=25, help="pairs pooled from the top of each ranker")
    parser.add_argument("--deep", type=int, default=10, help=f"pairs drawn from kg's ranks 2×top to {DEEPEST}")
    parser.add_argument("--seed", type=int, default=0, help="seed of the deep draw and of the shuffle")
    parser.add_argument("--prefill", type=Path, help="a labels file judged before: its pairs come labelled")
    parser.add_argument("--gold", type=Path, help="the seed's gold file: label every pair from it and "
                        "write the labels file too")
    parser.add_argument("--force", action="store_true", help="overwrite an existing sheet, judged or not")
    parser.add_argument("--model", type=Path, help="score kg's pairs with this pair model file (for example one "
                        "fitted without this bank, so that the pool holds what a held-out model ranks first)")
    parser.add_argument("--rankers", default=",".join(DEFAULT),
                        help=f"the rankers pooled, comma-separated (of {', '.join(NAMES)}; default: %(default)s)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.rankers.split(",") if n.strip()]
    if unknown := sorted(set(names) - set(NAMES)):
        sys.exit(f"error: unknown rankers {', '.join(unknown)} (known: {', '.join(NAMES)})")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    name = args.name or args.bank.stem
    bank = bank_name(args.bank)
    if (PAIR_LABELS / f"{name}.sheet.md").exists() and not args.force:
        # judges fill sheets in place: a second run would throw their labels away
        sys.exit(f"error: {PAIR_LABELS / f'{name}.sheet.md'} exists and may hold labels; give another --name, "
                 "or --force to overwrite it")

    items, errors = parse_paths([args.bank])
    for e in errors:
        print(f"parse: {e}", file=sys.stderr)
    items = [it for it in items if it.question_text]
    if len(items) < 2:
        sys.exit(f"error: {args.bank}: fewer than two questions, nothing to pool")
    by_id = {it.id: it for it in items}
    embedder = load_embedder(cache_dir=Path(os.environ.get("KG_CACHE_DIR") or ROOT / ".kg-cache"))
    if embedder is None:
        sys.exit("error: the all-MiniLM-L6-v2 ranker needs sentence-transformers and the model package")
    rankings = {}
    model = read_model(args.model) if args.model else None
    for ranker, rank in rankers(embedder, [args.bank], pair_model=model, names=names).items():
        rankings[ranker] = rank(items)
        print(f"  {ranker}: {len(rankings[ranker]):,} pairs ranked", file=sys.stderr)

    pairs = []
    for number, (key, origin) in enumerate(pool(rankings, args.top, args.deep, args.seed), 1):
        a, b = sorted((by_id[i] for i in key), key=lambda it: (it.source, it.line))
        pairs.append({"number": number, "a": {**ref(a, args.bank), "id": a.id}, "b": {**ref(b, args.bank), "id": b.id},
                      "proposed": origin})

    filled = 0
    if args.prefill:
        filled = prefill_from_labels(args.prefill, pairs)
    if args.gold:
        prefill_from_gold(args.gold, pairs, by_id)
        filled = len(pairs)

    PAIR_LABELS.mkdir(parents=True, exist_ok=True)
    (PAIR_LABELS / f"{name}.sheet.md").write_text(sheet(name, bank, pairs, by_id), encoding="utf-8")
    write_json(PAIR_LABELS / f"{name}.pool.json", {
        "bank": bank,
        "about": "Where each pair of the sheet came from: for each ranker (bench/rankers.py) that had it in "
                 "its top pairs, the rank; kg_deep: drawn at random from kg's ranks 2×top to "
                 f"{DEEPEST}. Keep this file away from judges.",
        "top": args.top, "deep": args.deep, "seed": args.seed, "rankers": [n for n in NAMES if n in rankings],
        "pairs": [{k: p[k] for k in ("number", "a", "b", "proposed")} for p in pairs],
    })
    if args.gold:
        about = (f"The pooled pairs of {bank} (bench/pool_pairs.py, top {args.top} of each ranker and {args.deep} "
                 f"deep kg pairs, seed {args.seed}) labelled from the hand labels in {args.gold.name}, not judged "
                 "again: its duplicate pairs are duplicate, its overlapping pairs overlap, every other pooled pair "
                 "different (the gold file: every other pair is at most related).")
        write_json(PAIR_LABELS / f"{name}.json", labels_doc(bank, about, pairs))
    sources: dict[str, int] = {}
    for p in pairs:
        for r in cast(list[str], p["proposed"]):
            sources[r] = sources.get(r, 0) + 1
    shares = ", ".join(f"{k} {v}" for k, v in sources.items())
    print(f"{name}: {len(items)} items, {len(pairs)} pairs pooled ({shares}); "
          f"{filled} labelled already, {len(pairs) - filled} to judge")


if __name__ == "__main__":
    main()
