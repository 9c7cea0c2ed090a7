"""The SQLite store (:mod:`kg.store`) on generated banks: what writing it costs, how big it is, how
fast it opens, and the median and p90 time of each query, beside the same query on the bank in memory.

Banks are the ``realistic`` banks of ``bench/scale.py`` (the shared banks, then reworded copies), built
without sentence embeddings. Per size, in a fresh process: the build (for scale), ``write_store``, the
file's size, ``open_store`` (and SQLite's page check, ``--check``), then each query on random concepts
and questions (seeded; the five concepts in the most questions among them). Every query whose time is
reported is also asked of the in-memory bank, and the answers are compared: ``agree`` counts them.

Run: ``python bench/store.py [--sizes 1300,10000] [--jobs 2] [--queries 40]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402  (bench/scale.py: the bank generator)

# ../shared beside the checkout, or beside the folder of worktrees that holds it

QUERIES = ("concept", "depth 1", "depth 2", "depth 3", "search", "pairs", "question")


T = TypeVar("T")


def _timed(fn: Callable[[], T]) -> tuple[float, T]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def one(size: int, jobs: int, queries: int) -> dict:
    from kg import render
    from kg.extract import load_nlp
    from kg.graph import questions_of, related_concepts, related_questions
    from kg.model import PAIR_KINDS, cnode
    from kg.parse import parse_paths
    from kg.pipeline import build_bank
    from kg.relations.confidence import threshold
    from kg.search import search, search_index
    from kg.store import open_store, write_store

    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        scale.write_bank(scale.realistic(size), Path(tmp))
        items, _ = parse_paths([Path(tmp)])
        build, bank = _timed(lambda: build_bank(items, load_nlp(), n_process=jobs))
    out: dict = {"size": size, "items": len(bank.items), "concepts": len(bank.concepts), "pairs": len(bank.pairs),
                 "build": build}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.sqlite"
        out["write"], _ = _timed(lambda: write_store(bank, path))
        out["mb"] = path.stat().st_size / 1e6
        out["open"], store = _timed(lambda: open_store(path))
        out["check"], _ = _timed(lambda: open_store(path, check=True))

        concepts = sorted(rng.sample(bank.concepts, min(queries, len(bank.concepts))), key=lambda c: -len(c.questions))
        sample_items = rng.sample(bank.items, min(queries, len(bank.items)))
        V = render.view_graph(bank.graph, bank.pairs, min_confidence=threshold())
        index = search_index(bank.items, bank.concepts)
        texts = [c.label for c in concepts[: queries // 2]] + [
            " ".join(rng.sample(i.question_text.split(), min(3, len(i.question_text.split()))))
            for i in sample_items[: queries - queries // 2]
        ]
        kinds = [None, *PAIR_KINDS]

        def page(k: int) -> tuple:
            kind = kinds[k % len(kinds)]
            every = [p for p in bank.pairs if kind is None or p.kind == kind]
            return kind, rng.randrange(max(len(every) - 50, 1)), every

        pages = [page(k) for k in range(queries)]
        # (query, store call, in-memory call, how the answers compare)
        cases: dict[str, list[tuple[Callable, Callable, Callable]]] = {
            "concept": [
                (lambda c=c: store.concept(c.id),
                 lambda c=c: (questions_of(bank.graph, c.id), related_concepts(bank.graph, c.id)),
                 lambda s, m: (list(s.questions), list(s.related)) == m)
                for c in concepts
            ],
            **{
                f"depth {d}": [
                    (lambda c=c, d=d: store.neighbourhood(cnode(c.id), d),
                     lambda c=c, d=d: render.local_graph(V, cnode(c.id), hops=d),
                     lambda s, m: [n for n, _ in s.nodes] == list(m) and _edges(s.edges) == _edges(m.edges(data=True)))
                    for c in concepts
                ]
                for d in (1, 2, 3)
            },
            "search": [
                (lambda q=q: store.search(q), lambda q=q: search(index, q, None), lambda s, m: s == m) for q in texts
            ],
            "pairs": [
                (lambda k=k, o=o: store.pairs(k, o, 50), lambda o=o, e=e: e[o : o + 50], lambda s, m: s == m)
                for k, o, e in pages
            ],
            "question": [
                (lambda i=i: store.question(i.id),
                 lambda i=i: (bank.concepts_of(i.id), related_questions(bank.graph, i.id, top=10)),
                 lambda s, m: ([c for c, _ in s.concepts], list(s.related)) == m)
                for i in sample_items
            ],
        }  # fmt: skip
        out["queries"] = {}
        for name in QUERIES:
            times, memory, agree = [], [], 0
            for ask, recall, same in cases[name]:
                t, got = _timed(ask)
                tm, want = _timed(recall)
                times.append(t)
                memory.append(tm)
                agree += bool(same(got, want))
            out["queries"][name] = {
                "median": statistics.median(times), "p90": _p90(times), "memory": statistics.median(memory),
                "agree": agree, "asked": len(times),
            }  # fmt: skip
        store.close()
    return out


def _edges(edges) -> dict:
    return {frozenset((u, v)): e for u, v, e in edges}


def _p90(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1300,10000")
    ap.add_argument("--jobs", type=int, default=2, help="spaCy processes for the build")
    ap.add_argument("--queries", type=int, default=40, help="queries of each kind")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.jobs, args.queries)))
        return 0
    print(f"realistic banks from {scale.BANKS}; {args.queries} queries of each kind; times in ms, median / p90")
    for size in (int(s) for s in args.sizes.split(",")):
        run = subprocess.run(
            [sys.executable, __file__, "--jobs", str(args.jobs), "--queries", str(args.queries), "--one", str(size)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if run.returncode != 0:
            print(f"{size:>8}  failed: {run.stderr.strip().splitlines()[-3:]}")
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(
            f"\n{r['items']:,} questions, {r['concepts']:,} concepts, {r['pairs']:,} pairs "
            f"(built in {r['build']:.0f} s): write {r['write']:.1f} s, {r['mb']:.1f} MB, "
            f"open {r['open'] * 1e3:.1f} ms, page check {r['check']:.2f} s"
        )
        print(f"  {'query':<10} {'store median':>12} {'p90':>9} {'in memory':>10}  agree")
        for name in QUERIES:
            q = r["queries"][name]
            print(f"  {name:<10} {q['median'] * 1e3:>12.1f} {q['p90'] * 1e3:>9.1f} {q['memory'] * 1e3:>10.1f}  "
                  f"{q['agree']}/{q['asked']}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
