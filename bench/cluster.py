"""The spaCy pass on a local Ray of 1 and of 2 workers: wall time, the ratio, and a worker's memory.

Starts a Ray of two CPUs on this machine, then times :func:`kg.cluster.read_on_ray` over a shared bank
(default ``../shared/banks/ajitsingh98-ds-interview-qa``, its items ``--copies`` times over, so that
the bank is past the size a cluster is for) with one worker and with two, ``--rounds`` times each,
alternating. Each time includes starting the workers (a process each, kg and spaCy imported, the
pipeline loaded); that start is also timed alone, as a run over one item, and the ratio printed with
it taken off. Every run's readings are checked against the first. While a run goes, the workers'
resident memory is sampled; its peak is printed, with the load average. Workers run at nice 0, as
with ``kg --ray local`` (Ray's default, 15, starves them on a machine doing other work).

Run: ``python bench/cluster.py [BANK] [--copies 3] [--rounds 2]`` (needs the cluster extra).
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
import time
from pathlib import Path

from shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BANK = SHARED_ROOT / "banks" / "ajitsingh98-ds-interview-qa"


class WorkerMemory:
    """Peak resident memory of the Ray Data workers (``ray::MapWorker`` processes), sampled twice a second."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(0.5):
            for proc in psutil.process_iter(["cmdline", "memory_info"]):
                cmd = " ".join(proc.info["cmdline"] or ())
                if "MapWorker" in cmd and proc.info["memory_info"] is not None:
                    self.peak = max(self.peak, proc.info["memory_info"].rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bank", nargs="?", default=str(DEFAULT_BANK))
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    import ray

    from kg.cluster import read_on_ray
    from kg.extract import load_nlp
    from kg.extract.merge import text_count
    from kg.parse import parse_paths
    from kg.pipeline import KeepRelations
    from kg.relations import load_relation_table

    items, _ = parse_paths([Path(args.bank)])
    items = items * args.copies
    nlp = load_nlp()
    keep = KeepRelations(load_relation_table())
    texts = text_count(items)
    words = sum(len(i.question_text.split()) + len(i.answer_text.split()) for i in items)
    print(f"{args.bank} x{args.copies}: {len(items)} items, {texts} texts, {words} words; "
          f"load {os.getloadavg()[0]:.1f}")

    os.environ.setdefault("RAY_worker_niceness", "0")  # as kg --ray local does: workers at the priority of other work
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    times: dict[int, list[float]] = {1: [], 2: []}
    starts: list[float] = []
    expected = None
    try:
        for _ in range(args.rounds):
            start = time.perf_counter()
            read_on_ray(items[:1], nlp, keep=keep, n_process=1)
            starts.append(time.perf_counter() - start)
            print(f"Ray, starting a worker (one item): {starts[-1]:.1f} s, load {os.getloadavg()[0]:.1f}")
            for workers in (1, 2):
                with WorkerMemory() as memory:
                    start = time.perf_counter()
                    readings = read_on_ray(items, nlp, keep=keep, n_process=workers)
                    took = time.perf_counter() - start
                expected = expected or readings
                assert readings == expected, "the readings differ between runs"
                times[workers].append(took)
                print(f"Ray, {workers} worker(s): {took:.1f} s, peak worker RSS {memory.peak / 2**20:.0f} MiB, "
                      f"load {os.getloadavg()[0]:.1f}")
    finally:
        ray.shutdown()
    one, two, begin = min(times[1]), min(times[2]), min(starts)
    print(f"best of {args.rounds}: 1 worker {one:.1f} s, 2 workers {two:.1f} s, ratio {one / two:.2f}x; "
          f"without the {begin:.1f} s start {(one - begin) / (two - begin):.2f}x; "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
