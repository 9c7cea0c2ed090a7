"""What keeping the topics across an edit (kg.topicstate) does against running Louvain again, on real banks.

For each bank (the seed and every bank in ../shared/banks) and each share: the bank without a random
share of its questions is the "before" bank, whose topics a full run finds; the whole bank is the
"after" bank. It prints, over the concepts of both,

* ``moved``: the share whose topic Louvain on the after bank names otherwise than before (a topic is
  named by its central concept, so a renamed topic moves all of its concepts); carried over
  (:func:`kg.topics.carried_topics`), none move;
* ``new -> named``: the share of the after bank's new concepts that carrying over puts in a named topic
  (the rest go to "other"), and the share Louvain puts in one;
* the modularity of the carried topics and of Louvain's, on the after bank's co-occurrence graph
  ("other" concepts each alone), and the named topics of each.

Nothing here is fitted: kg.topicstate's share (10%) is the pair stage's. Readings come from the cache as
``kg export`` leaves it (run ``bench/export_digests.py --fast`` first, or wait for the spaCy pass).

Run: ``python bench/topic_drift.py [--shares 0.02,0.05,0.1] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

import networkx as nx
from shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]


def banks() -> list[Path]:
    found = [ROOT / "data" / "questions.md"]
    folder = SHARED_ROOT / "banks"
    if folder.is_dir():
        found += sorted(p for p in folder.iterdir() if p.is_dir() or (p.suffix == ".md" and not p.stem.isupper()))
    return found


def modularity(G: nx.Graph, topic_of: dict[str, str]) -> float:
    """Modularity of ``topic_of`` on the concept co-occurrences of ``G``, each "other" concept alone."""
    from kg.model import cnode, node_id
    from kg.topics import OTHER, _cooccurrence

    adjacency = _cooccurrence(G)
    H = nx.Graph()
    H.add_nodes_from(adjacency)
    H.add_weighted_edges_from((u, v, w) for u, ties in adjacency.items() for v, w in ties.items() if u < v)
    groups: dict[str, set[str]] = {}
    for node in H:
        topic = topic_of.get(node_id(node), OTHER)
        groups.setdefault(node if topic == OTHER else "t:" + topic, set()).add(node)
    assert all(cnode(node_id(n)) == n for n in H)
    return nx.community.modularity(H, groups.values(), weight="weight") if H.number_of_edges() else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shares", default="0.02,0.05,0.1")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from kg.embed import cache_root
    from kg.extract import load_nlp
    from kg.extract.merge import merge_readings
    from kg.graph import build_graph
    from kg.parse import parse_paths
    from kg.pipeline import KeepRelations, rate_bank_concepts, reading_settings
    from kg.readings import ReadingStore, read_with_store
    from kg.relations import load_relation_table
    from kg.topics import OTHER, carried_topics, topics

    os.chdir(ROOT)  # sources as the CLI records them, so the cache's entries are found
    nlp = load_nlp()
    table = load_relation_table()
    store = ReadingStore(cache_root())

    def graph_of(items, readings):
        ex = merge_readings(items, readings)
        return build_graph(items, rate_bank_concepts(items, ex.concepts, ex.mentions, None), ex.mentions)

    print(f"{'bank':40s} {'share':>6s} {'moved':>7s} {'new -> named (kept/Louvain)':>28s} "
          f"{'modularity kept/Louvain':>24s} {'named topics kept/Louvain':>26s}")
    for path in banks():
        items, _ = parse_paths([os.path.relpath(path, ROOT)])
        readings, _ = read_with_store(items, nlp, store, settings=reading_settings(True, table),
                                      keep=KeepRelations(table))
        after = graph_of(items, readings)
        fresh = topics(after, seed=0)
        for share in (float(s) for s in args.shares.split(",")):
            gone = set(random.Random(args.seed).sample(range(len(items)), round(len(items) * share)))
            kept_at = [i for i in range(len(items)) if i not in gone]
            before = topics(graph_of([items[i] for i in kept_at], [readings[i] for i in kept_at]), seed=0)
            carried = carried_topics(after, before)
            both = [c for c in fresh if c in before]
            new = [c for c in fresh if c not in before]
            moved = sum(fresh[c] != before[c] for c in both) / max(len(both), 1)
            named_kept = sum(carried[c] != OTHER for c in new) / max(len(new), 1)
            named_fresh = sum(fresh[c] != OTHER for c in new) / max(len(new), 1)
            n_kept = len(set(carried.values()) - {OTHER})
            n_fresh = len(set(fresh.values()) - {OTHER})
            print(f"{path.name[:40]:40s} {share:>6.0%} {moved:>7.1%} {named_kept:>13.0%} / {named_fresh:<12.0%} "
                  f"{modularity(after, carried):>11.3f} / {modularity(after, fresh):<10.3f} "
                  f"{n_kept:>12d} / {n_fresh:<11d}")


if __name__ == "__main__":
    main()
