"""How kg's cost grows with the size of a bank: wall time per stage, words a second and peak memory.

Banks are generated from the banks in ``../shared/banks``, so their text is real:

* ``realistic``: every question and answer of the shared banks, then reworded copies of randomly
  drawn ones (a question word dropped, two words swapped, an answer sentence dropped), shuffled and
  written 200 to a file, until the size is reached; the copies make real duplicate work for the
  pair stage.
* ``tiny``: one-line questions with one-line answers ("What is the churn of a sparse matrix?"), made
  of words drawn from the shared banks: what a support FAQ or a scraped Q&A list looks like, and the
  case where a cost paid per item rather than per word would show.

Each size runs in a fresh process, so its peak memory is its own. Stages are timed through
``build_bank``'s progress calls: parse (reading the markdown files), spaCy (the pass over every
question and answer, with concept merging and relations), graph and topics, pairs. Words/s is the
bank's words over the whole time; the last column compares it with the first row's.

Run: ``python bench/scale.py [--sizes 1300,10000,30000] [--kind realistic|tiny] [--jobs N]``
(``--jobs``: spaCy processes, default 1). ``python bench/scale.py --kind tiny --sizes 1300,100000``
is the per-word check of tiny questions against the same words in fewer items.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BANKS = ROOT.parent / "shared" / "banks"
PER_FILE = 200


def shared_items():
    from kg.parse import parse_paths

    items, _ = parse_paths(sorted(p for p in BANKS.iterdir() if p.suffix == ".md" or p.is_dir()))
    return [i for i in items if i.question_text.strip()]


def reword(question: str, answer: str, rng: random.Random) -> tuple[str, str]:
    """A reworded copy: one question word dropped and two neighbours swapped; one answer sentence dropped."""
    words = question.split()
    if len(words) > 3:
        del words[rng.randrange(len(words))]
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    sentences = re.split(r"(?<=[.!?])\s+", answer)
    if len(sentences) > 1:
        del sentences[rng.randrange(len(sentences))]
    return " ".join(words), " ".join(sentences)


def realistic(size: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pool = [(i.question_text, i.answer_text) for i in shared_items()]
    out = list(pool[:size])
    while len(out) < size:
        out.append(reword(*rng.choice(pool), rng))
    rng.shuffle(out)
    return out


def tiny(size: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    text = " ".join(f"{i.question_text} {i.answer_text}" for i in shared_items())
    vocab = sorted({w for w in re.findall(r"[a-z]{4,12}", text.lower())})
    pick = lambda: rng.choice(vocab)  # noqa: E731
    out = []
    for _ in range(size):
        q = f"What is the {pick()} of a {pick()} {pick()}?"
        a = f"It {pick()}s the {pick()} {pick()} by {pick()}."
        out.append((q, a))
    return out


def write_bank(pairs: Sequence[tuple[str, str]], folder: Path) -> int:
    """The bank as markdown files of ``PER_FILE`` questions; returns its word count."""
    words = 0
    for f, start in enumerate(range(0, len(pairs), PER_FILE)):
        lines = []
        for q, a in pairs[start : start + PER_FILE]:
            q = " ".join(q.split()).rstrip("#") or "Untitled question"
            lines.append(f"## {q}\n\n{a.strip()}\n")
            words += len(q.split()) + len(a.split())
        (folder / f"part{f:04d}.md").write_text("\n".join(lines), encoding="utf-8")
    return words


def one(kind: str, size: int, jobs: int) -> dict:
    """Build one generated bank in this process and measure it."""
    from kg.extract import load_nlp
    from kg.parse import parse_paths
    from kg.pipeline import build_bank

    nlp = load_nlp()
    pairs = realistic(size) if kind == "realistic" else tiny(size)
    with tempfile.TemporaryDirectory() as tmp:
        words = write_bank(pairs, Path(tmp))
        t0 = time.perf_counter()
        items, _ = parse_paths([Path(tmp)])
    marks = {"parse": time.perf_counter() - t0}
    start = time.perf_counter()
    current, since = "spaCy", start
    names = {"reading questions and answers": "spaCy", "building the graph": "graph+topics",
             "finding topics": "graph+topics", "comparing questions": "pairs", "done": "done"}

    def progress(_: float, stage: str) -> None:
        nonlocal current, since
        # stage names carry counts ("reading questions and answers: 120 of 2,600 texts")
        name = next((short for long, short in names.items() if stage.startswith(long)), current)
        if name != current:
            now = time.perf_counter()
            marks[current] = marks.get(current, 0.0) + now - since
            current, since = name, now

    bank = build_bank(items, nlp, progress=progress, n_process=jobs)
    total = marks["parse"] + time.perf_counter() - start
    return {
        "kind": kind, "size": size, "items": len(bank.items), "words": words, "jobs": jobs,
        "stages": {k: round(v, 2) for k, v in marks.items()}, "total": round(total, 2),
        "pairs": len(bank.pairs), "concepts": len(bank.concepts),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1300,10000,30000")
    ap.add_argument("--kind", choices=("realistic", "tiny"), default="realistic")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.kind, args.one, args.jobs)))
        return 0
    stages = ("parse", "spaCy", "graph+topics", "pairs")
    print(f"{args.kind} banks from {BANKS}, spaCy processes: {args.jobs}")
    print(f"{'questions':>10} {'words':>11} " + " ".join(f"{s:>12}" for s in stages)
          + f" {'total':>8} {'words/s':>8} {'vs first':>8} {'peak MB':>8} {'pairs':>8}")
    first = None
    for size in (int(s) for s in args.sizes.split(",")):
        run = subprocess.run(
            [sys.executable, __file__, "--kind", args.kind, "--jobs", str(args.jobs), "--one", str(size)],
            capture_output=True, text=True, check=False,
        )
        if run.returncode != 0:
            print(f"{size:>10}  failed: {run.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        rate = r["words"] / r["total"]
        first = first or rate
        print(f"{r['items']:>10,} {r['words']:>11,} " + " ".join(f"{r['stages'].get(s, 0):>11.1f}s" for s in stages)
              + f" {r['total']:>7.1f}s {rate:>8,.0f} {rate / first:>8.2f} {r['peak_mb']:>8,} {r['pairs']:>8,}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
