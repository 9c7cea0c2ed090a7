"""Size of a kept pair state and the CPU time of reading and writing it, by part.

Reads every state in ``CACHE/pairs/`` (a cache folder a run left, e.g. ``bench/scale.py --work DIR``'s
``DIR/realistic-30000/cache``) as an edit run does (:meth:`kg.pairstate.PairStore.load`), writes it
again into a temporary folder as a run does (:meth:`~kg.pairstate.PairStore.save`), and prints its
size on disk, the bytes of its largest arrays grouped by part, read and write CPU seconds and this
process's peak memory. Run from the repository root::

    nice -n 10 .venv/bin/python bench/pair_state_io.py CACHE
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _part(name: str) -> str:
    """The part of the state an array belongs to: vectors by field, neighbours, pairs, statistics."""
    head = name.split(".")
    if head[0] == "f":
        return f"vectors {head[1]}"
    return {"n": "neighbour lists", "u": "candidate pairs", "union": "candidate pairs", "s": "typed pairs",
            "meta": "meta (JSON)", "ids": "ids and digests", "digests": "ids and digests",
            "copy_keys": "copy keys"}.get(head[0], "statistics")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cache", type=Path)
    args = ap.parse_args(argv)
    from kg.pairstate import PairStore

    store = PairStore(args.cache)
    for path in sorted(store.folder.glob("*.npz")):
        key = path.stem
        c0 = _cpu()
        state = store.load(key)
        read = _cpu() - c0
        if state is None:
            print(f"{path.name}: not readable", flush=True)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            again = PairStore(tmp)
            c1 = _cpu()
            again.save(key, state)
            write = _cpu() - c1
            written = again.path(key).stat().st_size
        sizes: dict[str, int] = {}
        with np.load(path, allow_pickle=False) as npz:
            for name in npz.files:
                sizes[_part(name)] = sizes.get(_part(name), 0) + npz[name].nbytes
            meta = json.loads(npz["meta"].tobytes().decode("utf-8", "surrogatepass"))
        print(f"{len(state.ids):,} questions, {state.scored.left.size:,} typed pairs, "
              f"approximate lists: {state.approximate}")
        print(f"  on disk {path.stat().st_size / 1e6:,.1f} MB (written again: {written / 1e6:,.1f} MB); "
              f"read {read:.2f} s CPU, write {write:.2f} s CPU; peak "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB; "
              f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for part, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {part:<28} {size / 1e6:>9,.1f} MB")
        print(f"  (meta: {len(json.dumps(meta)) / 1e6:,.1f} MB of JSON)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
