"""Benchmark of the duplicate finder: seed quality, a hand-labelled real bank, and speed.

Run from the repository root::

    .venv/bin/python bench/duplicates.py            # everything
    .venv/bin/python bench/duplicates.py --skip-speed
    .venv/bin/python bench/duplicates.py --pool 40  # print the pooled pairs to label (see bench/labels/)

Prints:

1. Seed (data/questions.md vs /work/shared/gold/seed.json): average precision over the ranking of all
   pairs (duplicate + overlap gold pairs are the positives; pairs kg does not return rank last), the
   rank and kind of each gold pair, and any non-gold pair typed duplicate.
2. The hand-labelled bank (bench/labels/*.json): AP of kg's ranking against AP of plain
   all-MiniLM-L6-v2 cosine on question+answer text, side by side, from the same run.
3. Speed: time and peak memory of each step for ajitsingh98 (~1,300 items) and a 10,000-item bank.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar, cast

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.embed import load_embedder, normalise_rows  # noqa: E402
from kg.model import QAItem  # noqa: E402
from kg.similar import find_pairs, group_duplicates, score_pairs  # noqa: E402

SHARED = Path("/work/shared")
SEED = ROOT / "data" / "questions.md"
GOLD = SHARED / "gold" / "seed.json"
BANKS = SHARED / "banks"
LABELS = ROOT / "bench" / "labels"

T = TypeVar("T")


# --------------------------------------------------------------------------- loading


def _plain(md: str) -> str:
    """Markdown to rough plain text (only for the fallback loader)."""
    text = re.sub(r"```.*?```", " ", md, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[*_`#>|]+", " ", text)
    text = re.sub(r"[^\S\n]+", " ", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _fallback_parse(path: Path) -> list[QAItem]:
    """A crude loader for the seed's ``#### N.`` shape and bold-line banks, used until kg.parse exists."""
    lines = path.read_text(encoding="utf-8").splitlines()
    heads: list[tuple[int, str]] = []
    for n, line in enumerate(lines):
        m = re.match(r"#{2,4}\s+(\d+)\.\s+(.*)", line) or re.match(r"\*\*(.+\?.*)\*\*\s*$", line)
        if m:
            heads.append((n, m.groups()[-1]))
    items = []
    for k, (n, q) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        body = []
        for line in lines[n + 1 : end]:
            if line.startswith("## "):
                break
            body.append(line)
        answer = "\n".join(body).strip()
        q = re.sub(r"[\U0001F300-\U0001FAFF\u2B50\u200d\uFE0F]+", "", q).strip()
        items.append(
            QAItem(f"{path.stem}#{k + 1}", k + 1, q, answer, str(path), n + 1, _plain(q), _plain(answer))
        )
    return items


def load(paths: Sequence[Path]) -> list[QAItem]:
    """Items of the files, through kg.parse when it exists (else the fallback loader above)."""
    try:
        from kg.parse import parse_paths
    except ImportError:
        return [it for p in paths for it in _fallback_parse(p)]
    items, errors = parse_paths([str(p) for p in paths])
    for e in errors:
        print(f"  parse: {e}")
    return list(items)


def concepts_of(items: Sequence[QAItem]) -> tuple[dict[str, set[str]], dict[str, set[str]], str]:
    """Concepts per item and per question: kg.extract when it exists, else a crude noun-word proxy."""
    try:
        from kg.extract import extract, load_nlp
    except ImportError:
        stop = set("what which when where why how does do is are the a an of in to for and or with "
                   "can you we your use used using between difference explain describe".split())

        def words(t: str) -> set[str]:
            return {w for w in re.findall(r"[a-z][a-z0-9-]{3,}", t.lower()) if w not in stop}

        item_words = {it.id: words(it.text) for it in items}
        question_words = {it.id: words(it.question_text) for it in items}
        return item_words, question_words, "proxy (content words; kg.extract not available)"
    ex = extract(items, load_nlp())
    per_item: dict[str, set[str]] = {it.id: set() for it in items}
    per_q: dict[str, set[str]] = {it.id: set() for it in items}
    for m in ex.mentions:
        per_item[m.item].add(m.concept)
        if m.field == "question":
            per_q[m.item].add(m.concept)
    return per_item, per_q, "kg.extract"


# --------------------------------------------------------------------------- measures


def average_precision(ranking: Sequence[frozenset], positives: set[frozenset], total: int) -> float:
    """AP of a ranking of pairs; positives not in the ranking count as found at the very end."""
    if not positives:
        return float("nan")
    hits, precisions = 0, []
    for rank, pair in enumerate(ranking, 1):
        if pair in positives:
            hits += 1
            precisions.append(hits / rank)
    missing = len(positives) - hits
    for extra in range(missing):  # ranked after all returned pairs, in the worst place
        precisions.append((hits + extra + 1) / (total - missing + extra + 1))
    return sum(precisions) / len(positives)


def cosine_ranking(items: Sequence[QAItem], embedder) -> list[tuple[frozenset, float]]:
    """Plain baseline: all-MiniLM-L6-v2 cosine on question+answer text, every pair."""
    vectors = normalise_rows(embedder.encode([it.text for it in items]))
    pairs = find_pairs(vectors, -1.0)
    return [(frozenset((items[i].id, items[j].id)), s) for i, j, s in pairs]


def tfidf_ranking(items: Sequence[QAItem]) -> list[tuple[frozenset, float]]:
    """Plain lexical baseline: word TF-IDF cosine on question+answer text, every pair."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [it.text for it in items]
    )
    pairs = find_pairs(vectors, -1.0)
    return [(frozenset((items[i].id, items[j].id)), s) for i, j, s in pairs]


def kg_ranking(items, item_concepts, question_concepts, embedder):
    pairs = score_pairs(items, item_concepts, embedder=embedder, question_concepts=question_concepts)
    return pairs, [(frozenset((p.a, p.b)), p.score) for p in pairs]


def pool(items: Sequence[QAItem], embedder, item_concepts, question_concepts, depth: int) -> None:
    """Print the union of the top ``depth`` pairs of three methods, for labelling by hand."""
    by_id = {it.id: it for it in items}
    rankings = {
        "tfidf": tfidf_ranking(items),
        "minilm": cosine_ranking(items, embedder),
        "kg": kg_ranking(items, item_concepts, question_concepts, embedder)[1],
    }
    seen: dict[frozenset, list[str]] = {}
    for name, ranking in rankings.items():
        for pair, _ in ranking[:depth]:
            seen.setdefault(pair, []).append(name)
    for pair, names in sorted(seen.items(), key=lambda kv: sorted(kv[0])):
        a, b = sorted(pair, key=lambda i: by_id[i].line)
        print(f"=== {a} | {b}   ({', '.join(names)})")
        for i in (a, b):
            it = by_id[i]
            print(f"  Q {it.question_text}")
            print(f"  A {it.answer_text[:700]!r}")


# --------------------------------------------------------------------------- report sections


def seed_report(embedder) -> None:
    items = load([SEED])
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["pairs"]
    by_number = {it.number: it.id for it in items}
    dup = {frozenset((by_number[a], by_number[b])) for a, b in gold["duplicate"]}
    over = {frozenset((by_number[a], by_number[b])) for a, b in gold["overlap"]}
    item_c, question_c, how = concepts_of(items)
    pairs, ranking = kg_ranking(items, item_c, question_c, embedder)
    total = len(items) * (len(items) - 1) // 2
    ap = average_precision([p for p, _ in ranking], dup | over, total)
    print(f"seed: {len(items)} items, {total} pairs, {len(pairs)} returned; concepts from {how}")
    print(f"  average precision (duplicate+overlap positives): {ap:.3f}")
    if embedder is not None:
        _, plain = kg_ranking(items, item_c, question_c, None)
        plain_ap = average_precision([p for p, _ in plain], dup | over, total)
        print(f"  (without embeddings: {plain_ap:.3f}; plain MiniLM cosine on Q+A: "
              f"{average_precision([p for p, _ in cosine_ranking(items, embedder)], dup | over, total):.3f})")
    rank = {frozenset((p.a, p.b)): (r, p) for r, p in enumerate(pairs, 1)}
    for label, gold_set in (("duplicate", dup), ("overlap", over)):
        for key in sorted(gold_set, key=lambda k: sorted(k)):
            r, p = rank.get(key, (None, None))
            a, b = sorted(key)
            shown = f"rank {r:3d}  kind {p.kind:9s} score {p.score:.3f}" if p else "not returned"
            print(f"  gold {label:9s} {a} ~ {b}: {shown}")
    wrong = [p for p in pairs if p.kind == "duplicate" and frozenset((p.a, p.b)) not in dup]
    print(f"  non-gold pairs typed duplicate: {len(wrong)}")
    for p in wrong:
        print(f"    {p.a} ~ {p.b} score {p.score:.3f}")
    print(f"  duplicate groups: {group_duplicates(pairs)}")


def _norm_q(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def labelled_report(embedder, label_file: Path) -> None:
    doc = json.loads(label_file.read_text(encoding="utf-8"))
    items = load([BANKS / doc["bank"]])
    by_q: dict[str, list[str]] = {}
    for it in items:
        by_q.setdefault(_norm_q(it.question_text), []).append(it.id)
    positives: set[frozenset] = set()
    unmatched = 0
    for entry in doc["pairs"]:
        ids_a, ids_b = by_q.get(_norm_q(entry["a"]), []), by_q.get(_norm_q(entry["b"]), [])
        if len(ids_a) != 1 or len(ids_b) != 1:
            unmatched += 1
            continue
        if entry["label"] in ("duplicate", "overlap"):
            positives.add(frozenset((ids_a[0], ids_b[0])))
    total = len(items) * (len(items) - 1) // 2
    item_c, question_c, how = concepts_of(items)
    pairs, ranking = kg_ranking(items, item_c, question_c, embedder)
    _, plain = kg_ranking(items, item_c, question_c, None)
    base = cosine_ranking(items, embedder) if embedder is not None else []
    lexical = tfidf_ranking(items)
    print(f"{doc['bank']}: {len(items)} items, {len(doc['pairs'])} labelled pairs "
          f"({len(positives)} positives, {unmatched} not matched to items); concepts from {how}")
    print(f"  AP kg score                       : {average_precision([p for p, _ in ranking], positives, total):.3f}")
    if embedder is not None:
        print(f"  AP all-MiniLM-L6-v2 cosine (Q+A)  : {average_precision([p for p, _ in base], positives, total):.3f}")
    print(f"  AP kg score without embeddings    : {average_precision([p for p, _ in plain], positives, total):.3f}")
    print(f"  AP word TF-IDF cosine (Q+A)       : {average_precision([p for p, _ in lexical], positives, total):.3f}")
    labels = {}
    for entry in doc["pairs"]:
        ids_a, ids_b = by_q.get(_norm_q(entry["a"]), []), by_q.get(_norm_q(entry["b"]), [])
        if len(ids_a) == 1 and len(ids_b) == 1:
            labels[frozenset((ids_a[0], ids_b[0]))] = entry["label"]
    for kind in ("duplicate", "overlap"):
        typed = [p for p in pairs if p.kind == kind]
        judged = [labels.get(frozenset((p.a, p.b)), "unlabelled") for p in typed]
        print(f"  typed {kind:9s}: {len(typed):3d}; hand labels of these: "
              + ", ".join(f"{k} {judged.count(k)}" for k in sorted(set(judged))))
    for p in pairs:
        if p.kind == "duplicate":
            print(f"    duplicate {p.score:.3f} {p.a} ~ {p.b}  (hand label: "
                  f"{labels.get(frozenset((p.a, p.b)), 'unlabelled')})")


# --------------------------------------------------------------------------- speed


def _step(rows: list, name: str, fn: Callable[[], T], trace: bool = False) -> T:
    """Run one step and record its wall time and the process peak RSS after it.

    With ``trace``, the step runs a second time under tracemalloc for the peak of the memory it
    allocates itself (Python objects and numpy arrays; torch's buffers are not traced). Timing is
    always from the untraced run, as tracemalloc slows allocation-heavy code several times over.
    """
    gc.collect()
    start = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = None
    if trace:
        gc.collect()
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    rows.append((name, elapsed, peak, rss))
    return out


def _print_steps(title: str, rows: list) -> None:
    print(f"  {title}")
    print(f"    {'step':50s} {'seconds':>8s} {'traced peak MiB':>16s} {'process peak RSS MiB':>21s}")
    for name, secs, peak, rss in rows:
        traced = f"{peak:16.1f}" if peak is not None else f"{'-':>16s}"
        print(f"    {name:50s} {secs:8.1f} {traced} {rss:21.0f}")


def _perturb(item: QAItem, k: int, rng: np.random.Generator) -> QAItem:
    """A near copy: one question word dropped and two adjacent words swapped; one answer sentence
    dropped (or, for a one-sentence answer, one word)."""
    words = item.question_text.split()
    if len(words) > 3:
        del words[rng.integers(len(words))]
        i = int(rng.integers(len(words) - 1))
        words[i], words[i + 1] = words[i + 1], words[i]
    sentences = re.split(r"(?<=[.!?])\s+", item.answer_text)
    if len(sentences) > 1:
        del sentences[rng.integers(len(sentences))]
        answer = " ".join(sentences)
    else:
        aw = item.answer_text.split()
        if len(aw) > 3:
            del aw[rng.integers(len(aw))]
        answer = " ".join(aw)
    question = " ".join(words)
    return QAItem(f"{item.id}~{k}", item.number, question, answer, item.source, item.line, question, answer)


def build_10k(originals: Sequence[QAItem], size: int = 10_000, seed: int = 0) -> list[QAItem]:
    """All originals, then perturbed copies of randomly drawn originals until ``size`` items."""
    rng = np.random.default_rng(seed)
    out = list(originals)
    k = 0
    while len(out) < size:
        k += 1
        out.append(_perturb(originals[int(rng.integers(len(originals)))], k, rng))
    return out


def speed_report(embedder_factory, *, big: int) -> None:
    from kg.similar import _vectorise

    def run(title: str, items: Sequence[QAItem], concepts: tuple, rows: list) -> None:
        embedder = embedder_factory()
        item_c, question_c = concepts
        questions = [it.question_text for it in items]
        answers = [it.answer_text for it in items if it.answer_text.strip()]
        _step(rows, "TF-IDF vectors (word 1-2 + char 3-5 grams)", lambda: _vectorise(items, None), trace=True)
        if embedder is not None:
            _step(rows, f"embed {len(questions)} questions + {len(answers)} answers, cold", lambda: (
                embedder.encode(questions), embedder.encode(answers)))
            _step(rows, "embed again, cache hit", lambda: (embedder.encode(questions), embedder.encode(answers)))
        pairs = _step(rows, "score_pairs: candidates, evidence, explanations", lambda: score_pairs(
            items, item_c, embedder=embedder, question_concepts=question_c))
        _step(rows, "score_pairs again (every embedding cached)", lambda: score_pairs(
            items, item_c, embedder=embedder, question_concepts=question_c), trace=True)
        groups = _step(rows, "group_duplicates", lambda: group_duplicates(pairs), trace=True)
        kinds = {k: sum(p.kind == k for p in pairs) for k in ("duplicate", "overlap", "related")}
        sizes = sorted((len(g) for g in groups), reverse=True)
        _print_steps(f"{title}: {len(items)} items -> {len(pairs)} pairs {kinds}, {len(groups)} groups "
                     f"(largest {sizes[:3]})", rows)

    rows: list = []
    files = sorted((BANKS / "ajitsingh98-ds-interview-qa").glob("*.md"))
    items = _step(rows, "parse (kg.parse)", lambda: load(files))
    concepts = _step(rows, "concepts (kg.extract)", lambda: concepts_of(items)[:2])
    run("ajitsingh98-ds-interview-qa", items, concepts, rows)

    rows = []
    every = sorted(p for p in BANKS.rglob("*.md") if not p.name.upper().startswith(("SOURCES", "LICENSE"))) + [SEED]
    originals = _step(rows, "parse all shared banks", lambda: [it for it in load(every) if it.question_text])
    base_c = _step(rows, f"concepts of the {len(originals)} originals", lambda: concepts_of(originals)[:2])
    big_items = build_10k(originals, big)
    # a copy keeps its original's concepts (the perturbation drops a word, it adds none)
    origin = {it.id: it.id.split("~")[0] for it in big_items}
    big_c = tuple({it.id: c.get(origin[it.id], set()) for it in big_items} for c in base_c)
    run(f"{big} items: every shared bank plus perturbed copies", big_items, big_c, rows)


def main(argv: Sequence[str] | None = None) -> None:
    import logging
    import os
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-speed", action="store_true", help="only the quality figures")
    parser.add_argument("--only-speed", action="store_true", help="only the speed figures")
    parser.add_argument("--big", type=int, default=10_000, help="size of the large speed bank")
    parser.add_argument("--pool", type=int, metavar="N", help="print the top N pairs of each method on "
                        "the labelled bank, for labelling, and stop")
    args = parser.parse_args(argv)
    # progress shows when the output is piped to a file
    cast(io.TextIOWrapper, sys.stdout).reconfigure(line_buffering=True)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    cache = Path(os.environ.get("KG_CACHE_DIR") or ROOT / ".kg-cache")
    embedder = load_embedder(cache_dir=cache)
    # bench/labels also holds other stages' labels: pair labels are the files with a bank and pairs
    label_files = [
        f for f in sorted(LABELS.glob("*.json"))
        if {"bank", "pairs"} <= set(json.loads(f.read_text(encoding="utf-8")))
    ]
    if args.pool:
        doc = json.loads(label_files[0].read_text(encoding="utf-8"))
        items = load([BANKS / doc["bank"]])
        item_c, question_c, _ = concepts_of(items)
        pool(items, embedder, item_c, question_c, args.pool)
        return
    print(f"embeddings: {'off' if embedder is None else 'all-MiniLM-L6-v2 (offline)'}\n")
    if not args.only_speed:
        seed_report(embedder)
        print()
        for label_file in label_files:
            labelled_report(embedder, label_file)
            print()
    if not args.skip_speed:
        print("speed (2 CPU cores shared with other jobs, so times vary; traced peak = what the step "
              "allocates in Python and numpy, measured in a second, traced run; the embedding model's "
              "buffers show only in the process peak RSS)")

        with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
            count = iter(range(1_000))

            def fresh():  # a cold, empty embedding cache for each bank, so the first embedding is real work
                return load_embedder(cache_dir=Path(tmp) / str(next(count)))

            speed_report(fresh, big=args.big)


if __name__ == "__main__":
    main()
