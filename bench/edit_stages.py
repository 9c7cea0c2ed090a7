"""Where an edit run's bank-wide work goes before the pair stage: CPU seconds per step, on a bank
whose cache a run of ``bench/scale.py --work DIR`` left (so every file is found in it).

Steps: parsing with the parse store, ids and template lines (inside ``parse_paths``); the readings'
keys and reading them back from the store; merging concepts; rating them; relations; the graph; topics
(Louvain and its preparation). Each step is run ``--repeat`` times and the least CPU time printed, with
the load.

Run: ``python bench/edit_stages.py --dir DIR/realistic-30000`` (the folder holding ``bank`` and ``cache``);
with ``PYTHONPATH`` set to another checkout, that checkout's kg is timed (one from before the parse
store parses every file).
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _least(step: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        out = step()
        best = min(best, time.process_time() - start)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, required=True, help="a bench/scale.py size folder: bank/ and cache/")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from kg.extract import load_nlp
    from kg.extract.conceptfile import Vocabulary
    from kg.extract.merge import merge_readings
    from kg.graph import build_graph
    from kg.parse import parse_paths
    from kg.pipeline import KeepRelations, never_generic, reading_settings
    from kg.readings import ReadingStore, by_file, file_key
    from kg.relations import load_relation_table, merge_relations
    from kg.specificity import rate_concepts
    from kg.topics import topics

    try:
        from kg.parsestore import ParseStore

        parse_store: Any = ParseStore(args.dir / "cache")
    except ImportError:  # a kg from before the parse store (to time the code before it): every file parsed
        parse_store = None
    bank, cache = args.dir / "bank", args.dir / "cache"
    nlp = load_nlp()
    gc.disable()  # as build_bank runs (after the pipeline is loaded: loading it turns the collector on)
    table = load_relation_table()
    settings = reading_settings(True, table)
    store = ReadingStore(cache)
    rows: list[tuple[str, float]] = []

    t, (items, _) = _least(lambda: parse_paths([bank], parse_store) if parse_store else parse_paths([bank]),
                           args.repeat)
    rows.append(("parse" + (" (parse store)" if parse_store else ""), t))
    groups = list(by_file(items).values())
    t, keys = _least(lambda: [file_key([items[i] for i in p], nlp, settings) for p in groups], args.repeat)
    rows.append(("readings: keys", t))
    t, loaded = _least(lambda: [store.load(k, len(p)) for k, p in zip(keys, groups, strict=True)], args.repeat)
    missing = sum(r is None for r in loaded)
    rows.append((f"readings: read back ({len(groups) - missing} of {len(groups)} files)", t))
    readings: list[Any] = [None] * len(items)
    for p, got in zip(groups, loaded, strict=True):
        for i, r in zip(p, got or [], strict=False):
            readings[i] = r
    if missing:  # the files the store does not hold (an edit since the run): read here, not timed
        todo = [i for i, r in enumerate(readings) if r is None]
        from kg.extract.merge import read

        for i, r in zip(todo, read([items[i] for i in todo], nlp, keep=KeepRelations(table)), strict=True):
            readings[i] = r
    t, ex = _least(lambda: merge_readings(items, readings, None), args.repeat)
    rows.append(("merging concepts", t))
    t, concepts = _least(
        lambda: rate_concepts(items, ex.concepts, ex.mentions, terms=never_generic(None),
                              specific=Vocabulary().specific, generic=Vocabulary().generic), args.repeat)
    rows.append(("rating concepts", t))
    raw = [rel for r in readings for rel in r.kept]
    t, relations = _least(lambda: tuple(merge_relations(raw, ex.key_to_id, ex.item_key_to_id)), args.repeat)
    rows.append(("relations", t))
    t, graph = _least(lambda: build_graph(items, concepts, ex.mentions, relations), args.repeat)
    rows.append(("graph", t))
    t, _ = _least(lambda: topics(graph, seed=0), args.repeat)
    rows.append(("topics", t))

    print(f"{len(items):,} questions in {len(groups)} files, {len(ex.concepts):,} concepts, "
          f"{len(ex.mentions):,} mentions; CPU seconds, least of {args.repeat}")
    for name, seconds in rows:
        print(f"  {name:<40} {seconds:6.2f}")
    print("  load " + " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
