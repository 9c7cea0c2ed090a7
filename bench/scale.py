"""How kg's cost grows with the size of a bank, and what a re-run costs after one file is edited.

Banks are generated from the banks in ``../shared/banks``, so their text is real:

* ``realistic``: every question and answer of the shared banks, then reworded copies of randomly
  drawn ones (a question word dropped, two words swapped, an answer sentence dropped), shuffled and
  written 200 to a file, until the size is reached; the copies make real duplicate work for the
  pair stage.
* ``tiny``: one-line questions with one-line answers ("What is the churn of a sparse matrix?"), made
  of words drawn from the shared banks: what a support FAQ or a scraped Q&A list looks like, and the
  case where a cost paid per item rather than per word would show.

Each size runs as ``kg export`` does (``kg.cli``'s build: the readings store, the pair state and the
embedding cache on, in a cache folder of the run's own, the CLI's number of spaCy processes unless
``--jobs``, the embedding model unless ``--no-semantic``) and then writes the JSON export. Two runs per size, each in a
fresh process so that its peak memory is its own:

* ``cold``: an empty cache folder;
* ``edit``: one file of the bank edited (its first question reworded, its second answer given one more
  sentence), then the same build with the cache the cold run left. Its share is its total over the
  cold run's.

Each run's row is followed by its CPU seconds per stage (this process, and the spaCy workers once
they have ended), and "cpu" / "cpu%" are the run's CPU time and the edit run's share of it: on a shared
machine wall time also counts the time a stage waits for a core, which made an edit run's pair stage
look slower than the cold run's with the same CPU time. The "MB" row under it is the run's peak memory
after each stage (this process alone): the stage where it first reaches the run's peak is the one to
look at.

Stages are timed through ``build_bank``'s progress calls: load (the spaCy pipeline and the embedding
model), parse (reading the markdown files), spaCy (the pass over every question and answer, or its
readings from the cache, with concept merging and relations), graph and topics, embed (sentence
embeddings, computed or read from the cache, for the pairs and their explanations), pairs (the rest of
the pair stage), write (the JSON export). Words/s is the bank's words over the cold total; "vs first"
compares it with the first size's.

``--jobs-compare`` also times the spaCy pass alone (no cache) on one and on two processes, each in a
fresh process, and prints their ratio.

Run: ``python bench/scale.py [--sizes 1300,10000,30000] [--kind realistic|tiny] [--jobs N]
[--no-semantic] [--jobs-compare] [--work DIR]`` (``--jobs 0``, the default, is the CLI's choice;
``--work`` keeps the generated banks and caches there instead of a temporary folder).
``python bench/scale.py --kind tiny --sizes 1300,100000`` is the per-word check of tiny questions
against the same words in fewer items.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]
# ../shared from the main checkout, ../../shared from a worktree under it
BANKS = SHARED_ROOT / "banks"
PER_FILE = 200
STAGES = ("load", "parse", "spaCy", "graph+topics", "embed", "pairs", "write")


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


def write_file(pairs: Sequence[tuple[str, str]], path: Path) -> int:
    """One markdown file of ``pairs``; returns its word count."""
    words = 0
    lines = []
    for q, a in pairs:
        q = " ".join(q.split()).rstrip("#") or "Untitled question"
        lines.append(f"## {q}\n\n{a.strip()}\n")
        words += len(q.split()) + len(a.split())
    path.write_text("\n".join(lines), encoding="utf-8")
    return words


def write_bank(pairs: Sequence[tuple[str, str]], folder: Path) -> int:
    """The bank as markdown files of ``PER_FILE`` questions; returns its word count."""
    return sum(
        write_file(pairs[start : start + PER_FILE], folder / f"part{f:04d}.md")
        for f, start in enumerate(range(0, len(pairs), PER_FILE))
    )


def edit_one_file(pairs: Sequence[tuple[str, str]], folder: Path) -> str:
    """Edit the middle file of a bank written by :func:`write_bank`, as a curator would: its first
    question reworded and its second answer given one more sentence. Returns the file's name."""
    files = (len(pairs) + PER_FILE - 1) // PER_FILE
    f = files // 2
    chunk = list(pairs[f * PER_FILE : (f + 1) * PER_FILE])
    q, a = chunk[0]
    words = q.split()
    chunk[0] = (" ".join(["Briefly,", *words[:1], *reversed(words[1:])]), a)
    if len(chunk) > 1:
        q, a = chunk[1]
        chunk[1] = (q, f"{a.strip()} It is also asked about in interviews for that reason.")
    name = f"part{f:04d}.md"
    write_file(chunk, folder / name)
    return name


def build_as_export(bank: Path, cache: Path, jobs: int, semantic: bool, out: Path) -> dict:
    """Build ``bank`` as ``kg export --format json -o out`` does, timing each stage."""
    os.environ["KG_CACHE_DIR"] = str(cache)
    marks: dict[str, float] = {}
    cpu: dict[str, float] = {}
    peaks: dict[str, int] = {}
    t0, c0 = time.perf_counter(), _cpu()
    from kg import export
    from kg.atomic import replacing
    from kg.decisions import find_decisions
    from kg.embed import load_embedder
    from kg.extract import load_nlp
    from kg.extract.conceptfile import find_vocabulary
    from kg.extract.merge import default_processes
    from kg.pairstate import PairStore
    from kg.parse import parse_paths
    from kg.parsestore import ParseStore
    from kg.pipeline import build_bank
    from kg.readings import ReadingStore
    from kg.similar.model import find_model
    from kg.topicstate import TopicStore

    nlp = load_nlp()
    embedder = load_embedder(cache_dir=cache) if semantic else None
    t1, c1 = time.perf_counter(), _cpu()
    marks["load"], cpu["load"] = t1 - t0, c1 - c0
    peaks["load"] = _peak_mb()
    items, errors = parse_paths([bank], ParseStore(cache))
    vocabulary = find_vocabulary([bank])
    model = find_model([bank])
    decisions = find_decisions([bank])
    start, c_start = time.perf_counter(), _cpu()
    marks["parse"], cpu["parse"] = start - t1, c_start - c1
    peaks["parse"] = _peak_mb()
    current, since, c_since = "spaCy", start, c_start

    def stage_of(stage: str) -> str:
        # stage names carry counts ("reading questions and answers: 120 of 2,600 texts")
        if stage.startswith("reading questions and answers"):
            return "spaCy"
        if stage.startswith(("building the graph", "finding topics")):
            return "graph+topics"
        if "embedding " in stage:
            return "embed"
        if stage.startswith(("comparing questions", "explaining pairs")):
            return "pairs"
        return "done" if stage == "done" else current

    def progress(_: float, stage: str) -> None:
        nonlocal current, since, c_since
        name = stage_of(stage)
        if name != current:
            now, c_now = time.perf_counter(), _cpu()
            marks[current] = marks.get(current, 0.0) + now - since
            cpu[current] = cpu.get(current, 0.0) + c_now - c_since
            peaks[current] = _peak_mb()
            current, since, c_since = name, now, c_now

    # 0 as the CLI passes it: the reader chooses by the texts it reads (the edited file, in an edit run)
    processes = f"{jobs}p" if jobs else f"auto (bank: {default_processes(items)}p)"
    built = build_bank(
        items, nlp, vocabulary=vocabulary, embedder=embedder, decisions=decisions, pair_model=model,
        errors=errors, store=ReadingStore(cache), progress=progress, n_process=jobs,
        pair_store=(pairs := PairStore(cache)), topic_store=TopicStore(cache),
    )
    t2, c2 = time.perf_counter(), _cpu()
    with replacing(out) as handle:
        export.write_json(built, handle)
        handle.write("\n")
    marks["write"], cpu["write"] = time.perf_counter() - t2, _cpu() - c2
    peaks["write"] = _peak_mb()
    for kept in (marks, cpu, peaks):
        kept.pop("done", None)
    return {
        "items": len(built.items), "processes": processes, "semantic": embedder is not None,
        "stages": {k: round(v, 2) for k, v in marks.items()}, "total": round(sum(marks.values()), 2),
        "cpu_stages": {k: round(v, 2) for k, v in cpu.items()}, "cpu": round(sum(cpu.values()), 2),
        "pairs": len(built.pairs), "concepts": len(built.concepts),
        "pair_stage": pairs.last.line() if pairs.last is not None else "",
        "peak_mb": _peak_mb(), "stage_peaks": peaks,
    }


def _peak_mb() -> int:
    """This process's peak resident memory so far, in MB: read after each stage, it shows the stage
    that reached the run's peak (the spaCy workers' memory is their own)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the spaCy workers): on a shared
    machine wall time also counts the time spent waiting for a core, which CPU time does not."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def spacy_alone(bank: Path, jobs: int) -> dict:
    """The spaCy pass alone over a bank, on ``jobs`` processes, without the cache."""
    from kg.extract import load_nlp
    from kg.extract.merge import read
    from kg.parse import parse_paths
    from kg.pipeline import KeepRelations
    from kg.relations import load_relation_table

    nlp = load_nlp()
    items, _ = parse_paths([bank])
    keep = KeepRelations(load_relation_table())
    t0 = time.perf_counter()
    read(items, nlp, keep=keep, n_process=jobs)
    return {"seconds": round(time.perf_counter() - t0, 2), "jobs": jobs}


def _child(args: list[str]) -> dict | str:
    run = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return f"failed: {run.stderr.strip().splitlines()[-1:]}"
    return json.loads(run.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1300,10000,30000")
    ap.add_argument("--kind", choices=("realistic", "tiny"), default="realistic")
    ap.add_argument("--jobs", type=int, default=0, help="spaCy processes (0: the CLI's choice)")
    ap.add_argument("--no-semantic", action="store_true", help="build without the embedding model")
    ap.add_argument("--no-edit", action="store_true", help="the cold run only")
    ap.add_argument("--jobs-compare", action="store_true", help="the spaCy pass alone on 1 and 2 processes")
    ap.add_argument("--work", type=Path, help="keep the banks and caches here (default: a temporary folder)")
    ap.add_argument("--phase", choices=("cold", "edit", "spacy"), help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--digest", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        from kg.cachefile import code_digest

        # the caches are keyed by kg's code: code edited between the cold and the edit run makes every
        # stored entry a miss, and the edit run would time a cold one
        if args.digest and code_digest() != args.digest:
            sys.exit("kg's code changed since this benchmark began; run it from a checkout nobody edits")
        if args.phase == "spacy":
            result = spacy_alone(args.dir / "bank", args.jobs)
        else:
            result = build_as_export(args.dir / "bank", args.dir / "cache", args.jobs, not args.no_semantic,
                                     args.dir / f"{args.phase}.json")
        print(json.dumps(result))
        return 0
    from kg.cachefile import code_digest

    digest = code_digest()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    semantic = "off" if args.no_semantic else "on (the CLI's default)"
    jobs = args.jobs or "the CLI's default (every core from 4,000 texts)"
    print(f"{args.kind} banks from {BANKS}; spaCy processes: {jobs}; semantic embeddings: {semantic}")
    print(f"{'questions':>10} {'run':>5} {'words':>11} " + " ".join(f"{s:>8}" for s in STAGES)
          + f" {'total':>8} {'share':>6} {'cpu':>8} {'cpu%':>6} {'words/s':>8} {'vs first':>8} {'peak MB':>8}"
          f" {'pairs':>8}  load", flush=True)
    first = None
    compare = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            folder = work / f"{args.kind}-{size}"
            shutil.rmtree(folder, ignore_errors=True)
            (folder / "bank").mkdir(parents=True)
            pairs = realistic(size) if args.kind == "realistic" else tiny(size)
            words = write_bank(pairs, folder / "bank")
            common = ["--jobs", str(args.jobs), "--dir", str(folder), "--digest", digest]
            common += ["--no-semantic"] if args.no_semantic else []
            cold = _child(["--phase", "cold", *common])
            if isinstance(cold, str):
                print(f"{size:>10} {'cold':>5}  {cold}", flush=True)
                continue
            rate = words / cold["total"]
            first = first or rate
            shares = f"{'':>6} {cold['cpu']:>7.1f}s {'':>6}"
            print(_row(cold, "cold", words, shares, f"{rate:>8,.0f} {rate / first:>8.2f}"), flush=True)
            print(_cpu_row(cold), flush=True)
            if not args.no_edit:
                edit_one_file(pairs, folder / "bank")
                edit = _child(["--phase", "edit", *common])
                if isinstance(edit, str):
                    print(f"{size:>10} {'edit':>5}  {edit}", flush=True)
                else:
                    share = (f"{edit['total'] / cold['total']:>6.1%} {edit['cpu']:>7.1f}s "
                             f"{edit['cpu'] / cold['cpu']:>6.1%}")
                    print(_row(edit, "edit", words, share, f"{'':>8} {'':>8}"), flush=True)
                    print(_cpu_row(edit), flush=True)
            if args.jobs_compare:
                shutil.rmtree(folder / "bank")
                (folder / "bank").mkdir()
                write_bank(pairs, folder / "bank")
                one, two = (_child(["--phase", "spacy", "--jobs", str(j), "--dir", str(folder)]) for j in (1, 2))
                compare.append((size, one, two, _load()))
            if not args.work:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    for size, one, two, load in compare:
        if isinstance(one, str) or isinstance(two, str):
            print(f"spaCy pass alone, {size:,} questions: {one if isinstance(one, str) else two}")
            continue
        print(f"spaCy pass alone, {size:,} questions: 1 process {one['seconds']:.1f}s, "
              f"2 processes {two['seconds']:.1f}s: {one['seconds'] / two['seconds']:.2f}x  ({load})")
    return 0


def _cpu_row(r: dict) -> str:
    """The run's CPU seconds by stage, under its row, and what the pair stage did."""
    line = f"{'':>10} {'cpu':>5} {'':>11} " + " ".join(f"{r['cpu_stages'].get(s, 0):>7.1f}s" for s in STAGES)
    peaks = r.get("stage_peaks", {})
    line += f"\n{'':>10} {'MB':>5} {'':>11} " + " ".join(
        f"{peaks[s]:>8,}" if s in peaks else f"{'':>8}" for s in STAGES) + "  (peak after each stage)"
    return line + (f"\n{'':>17} {r['pair_stage']}" if r.get("pair_stage") else "")


def _row(r: dict, run: str, words: int, share: str, rates: str) -> str:
    return (f"{r['items']:>10,} {run:>5} {words:>11,} "
            + " ".join(f"{r['stages'].get(s, 0):>7.1f}s" for s in STAGES)
            + f" {r['total']:>7.1f}s {share:>6} {rates} {r['peak_mb']:>8,} {r['pairs']:>8,}  "
            f"{r['processes']}, {_load()}")


if __name__ == "__main__":
    sys.exit(main())
