"""CPU time of the JSON export's write stage alone, and that the streamed writer's bytes equal json.dump's.

The bank is built once (``--no-semantic``, as ``kg export`` builds it) and pickled, so later runs time
the write only: ``json.dump(to_dict(bank), indent=2, ensure_ascii=False)`` (the reference) and
:func:`kg.export.write_json`, each into a temporary file, with the SHA-256 of both. Run from the
repository root::

    nice -n 10 .venv/bin/python bench/write_speed.py BANK [--generate N] --pickle PATH [--runs 2]

Each writer is timed in a fresh process that reads the pickle; with ``PYTHONPATH`` naming another
checkout, its ``kg`` is timed (one without ``write_json`` is timed with ``json.dump`` only).
``--generate N`` writes a realistic bank of N questions (``bench/scale.py``'s generator) into BANK first.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "bench"))
if importlib.util.find_spec("kg") is None:  # PYTHONPATH may name another checkout's kg, to time it
    sys.path.append(str(ROOT))

from kg import export  # noqa: E402


def _build(bank: Path):
    from kg.decisions import find_decisions
    from kg.extract import load_nlp
    from kg.extract.conceptfile import find_vocabulary
    from kg.parse import parse_paths
    from kg.pipeline import build_bank
    from kg.similar.model import find_model

    items, errors = parse_paths([bank])
    return build_bank(
        items, load_nlp(), vocabulary=find_vocabulary([bank]), embedder=None, decisions=find_decisions([bank]),
        pair_model=find_model([bank]), errors=errors, n_process=0,
    )


def _timed(write, bank) -> tuple[float, str, int]:
    """CPU seconds of ``write(bank, handle)`` into a temporary file, the file's SHA-256 and size."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".json", delete=False) as handle:
        cpu = time.process_time()
        write(bank, handle)
        handle.write("\n")
        handle.flush()
        spent = time.process_time() - cpu
    data = Path(handle.name).read_bytes()
    os.unlink(handle.name)
    return spent, hashlib.sha256(data).hexdigest(), len(data)


def _reference(bank, handle) -> None:
    json.dump(export.to_dict(bank), handle, ensure_ascii=False, indent=2)


def _streamed(bank, handle) -> None:
    export.write_json(bank, handle)


WRITERS = {"json.dump(to_dict)": _reference, "write_json": _streamed}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bank", type=Path)
    parser.add_argument("--generate", type=int, help="first write a realistic bank of this many questions")
    parser.add_argument("--pickle", type=Path, help="the built bank is kept here and read back on later runs")
    parser.add_argument("--runs", type=int, default=2, help="timed runs of each writer, each in a fresh process")
    parser.add_argument("--only", choices=WRITERS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        from scale import realistic, write_bank

        args.bank.mkdir(parents=True, exist_ok=True)
        write_bank(realistic(args.generate), args.bank)
    if args.pickle and args.pickle.exists():
        bank = pickle.loads(args.pickle.read_bytes())
    else:
        cpu = time.process_time()
        bank = _build(args.bank)
        print(f"built in {time.process_time() - cpu:.1f} s CPU (this process)", flush=True)
        if args.pickle:
            args.pickle.write_bytes(pickle.dumps(bank, protocol=pickle.HIGHEST_PROTOCOL))
    if args.only:
        # the first write of a process, as in `kg export`: what it pays once (the collector's scans of
        # the bank, lazily built indexes) is part of the cost
        spent, digest, size = _timed(WRITERS[args.only], bank)
        print(f"{args.only:20s} {spent:6.2f} s CPU  {digest}  {size:>12,} bytes  load {os.getloadavg()[0]:.1f}")
        return
    print(
        f"{len(bank.items):,} questions, {len(bank.concepts):,} concepts, {len(bank.pairs):,} pairs, "
        f"{len(bank.relations):,} relations, {len(export.select_pairs(bank)):,} pairs exported",
        flush=True,
    )
    if not args.pickle:
        return
    for _ in range(args.runs):
        for name in WRITERS:
            if name == "write_json" and not hasattr(export, "write_json"):
                continue  # a checkout from before it
            child = [sys.executable, __file__, str(args.bank), "--pickle", str(args.pickle), "--only", name]
            print(subprocess.run(child, capture_output=True, text=True, check=True).stdout, end="", flush=True)


if __name__ == "__main__":
    main()
