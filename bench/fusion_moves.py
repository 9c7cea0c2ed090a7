"""Pairs nobody judged whose kind rank fusion moves across the overlap cut, drawn into a blind sheet.

``bench/duplicates.py`` measures rank fusion (:mod:`kg.similar.fusion`) on the judged pairs. The pairs
nobody judged that it moves are not in those figures: this draws them. For each judged bank named, kg's
pairs with the shipped model, with and without fusion (``score_pairs(fuse=...)``); a pair *moves up*
when fusion types it at least overlap and the model alone does not, *down* the other way. Pairs the
bank's labels judge are left out. ``--sheet`` draws up to ``--n`` of each direction over all the banks
(``--seed``), shuffles them into one judging sheet in the shape ``bench/pool_pairs.py`` writes (judged
by ``bench/labels/pairs_guide.md``, blind: the sheet says nothing of directions or scores), and writes
which direction each pair came from to a key file beside it. ``--read`` counts a judged sheet's labels
per direction. Run from the repository root::

    .venv/bin/python bench/fusion_moves.py ajitsingh98 trimstray alexeygrigorev-theory --sheet S.sheet.md
    .venv/bin/python bench/fusion_moves.py --read S.sheet.md
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.duplicates import concepts_of  # noqa: E402
from bench.pairlabels import PAIR_LABELS, load_labels  # noqa: E402
from bench.pool_pairs import sheet  # noqa: E402
from bench.read_sheet import read_judgements  # noqa: E402
from kg.model import CLOSE_KINDS, Pair, QAItem  # noqa: E402

DIRECTIONS = ("up", "down")


def moved(fused: Sequence[Pair], alone: Sequence[Pair]) -> dict[str, list[frozenset[str]]]:
    """The pairs fusion types at least overlap and the model alone does not (``up``), and the other way."""
    close = {name: {frozenset((p.a, p.b)) for p in pairs if p.kind in CLOSE_KINDS}
             for name, pairs in (("fused", fused), ("alone", alone))}
    return {"up": sorted(close["fused"] - close["alone"], key=sorted),
            "down": sorted(close["alone"] - close["fused"], key=sorted)}


def draw(banks: Sequence[str], n: int, seed: int) -> tuple[list[dict], dict[str, QAItem], Counter]:
    """Up to ``n`` moved pairs nobody judged of each direction over ``banks``, shuffled; the items they name;
    how many moved per bank and direction."""
    from kg.embed import load_embedder
    from kg.similar import score_pairs

    embedder = load_embedder()
    pools: dict[str, list[tuple[str, frozenset[str]]]] = {d: [] for d in DIRECTIONS}
    by_id: dict[str, QAItem] = {}
    counts: Counter = Counter()
    for name in banks:
        items, mapped = load_labels(PAIR_LABELS / f"{name}.json")
        item_concepts, question_concepts = concepts_of(items)
        fused, alone = (score_pairs(items, item_concepts, embedder=embedder, question_concepts=question_concepts,
                                    explain=False, fuse=fuse) for fuse in (True, False))
        for direction, keys in moved(fused, alone).items():
            fresh = [k for k in keys if k not in mapped.labels]
            counts[(name, direction)] = len(fresh)
            pools[direction] += [(name, k) for k in fresh]
        by_id.update({f"{name}:{it.id}": it for it in items})
    rng = random.Random(seed)
    picked = [(d, name, k) for d in DIRECTIONS for name, k in rng.sample(pools[d], min(n, len(pools[d])))]
    rng.shuffle(picked)
    pairs = []
    for number, (direction, name, key) in enumerate(picked, 1):
        # each side by its file as parsed and its line, so the judge can open a cut answer
        a, b = (f"{name}:{i}" for i in sorted(key))
        pairs.append({"number": number, "bank": name, "direction": direction,
                      "a": {"file": by_id[a].source, "line": by_id[a].line, "id": a},
                      "b": {"file": by_id[b].source, "line": by_id[b].line, "id": b}})
    return pairs, by_id, counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("banks", nargs="*", help="judged banks by the name of their labels file")
    parser.add_argument("--sheet", type=Path, help="write the blind sheet here (its key beside it, .key.json)")
    parser.add_argument("--read", type=Path, help="a judged sheet: its labels per direction")
    parser.add_argument("--n", type=int, default=12, help="pairs drawn per direction (default 12)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draw and the shuffle")
    args = parser.parse_args(argv)
    if args.read:
        key = json.loads(args.read.with_suffix("").with_suffix(".key.json").read_text(encoding="utf-8"))
        judged = read_judgements(args.read.read_text(encoding="utf-8"))
        for direction in DIRECTIONS:
            labels = Counter(judged[int(n)]["label"] for n, d in key["direction"].items() if d == direction)
            total = sum(labels.values())
            print(f"fusion moves {direction} ({'now' if direction == 'up' else 'no longer'} at least overlap): "
                  f"{total} judged: " + ", ".join(f"{labels[x]} {x}" for x in ("duplicate", "overlap", "different")))
        return
    if not args.banks or not args.sheet:
        parser.error("name the banks and --sheet, or --read a judged sheet")
    pairs, by_id, counts = draw(args.banks, args.n, args.seed)
    for (name, direction), count in sorted(counts.items()):
        print(f"{name}: {count} pairs nobody judged move {direction}")
    title = f"pairs of {', '.join(args.banks)}"
    args.sheet.write_text(sheet(title, "several banks (each pair's files are named)", pairs, by_id) + "\n",
                          encoding="utf-8")
    key = {"banks": list(args.banks), "seed": args.seed, "n": args.n,
           "direction": {str(p["number"]): p["direction"] for p in pairs},
           "bank": {str(p["number"]): p["bank"] for p in pairs}}
    args.sheet.with_suffix("").with_suffix(".key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    print(f"{len(pairs)} pairs in {args.sheet}; which direction each came from in its .key.json")


if __name__ == "__main__":
    main()
