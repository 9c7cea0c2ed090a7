"""Concept extraction quality against hand labels.

Seed (``shared/gold/seed.json``): for each question, recall of its required concepts and precision of
what kg extracted for it (an extracted concept counts when it is required or allowed). Matching follows
the file's rule: a concept matches when its label or any alias equals a gold label or alias after
normalisation (lower case, hyphens and spaces folded, trailing plural "s" dropped). Macro-averaged
over the questions.

Unseen banks (``bench/labels/unseen_concepts.json``): recall of the concepts each question itself
names, counting only concepts kg found in the question text.

Judged banks (``bench/labels/concepts_<bank>.json``, judged by ``bench/labels/concepts_guide.md``):
labels drawn at random from an earlier ``kg concepts`` output (``bench/sample_concepts.py``) and judged junk,
borderline or good; a sample may name its bank's folder in this repository (``folder``).
The junk rate counts the judged labels that are still concepts; labels outside that earlier output
are not covered, and when they pass 20% of the concepts the sample no longer speaks for the bank.
Concepts per question are shown then and now.

Run: ``python bench/concepts.py [--show]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from shared_dir import SHARED_ROOT

if TYPE_CHECKING:
    from kg.model import Concept

ROOT = Path(__file__).resolve().parents[1]
SHARED = SHARED_ROOT


def norm(text: str) -> str:
    text = re.sub(r"[\s\-]+", "", text.lower())
    return text[:-1] if text.endswith("s") else text


def gold_names(label: str, aliases: dict[str, list[str]]) -> set[str]:
    return {norm(label), *(norm(a) for a in aliases.get(label, []))}


def concept_names(concept) -> set[str]:
    return {norm(concept.label), *(norm(a) for a in concept.aliases)}


def score(found: list, required: list[str], allowed: list[str], aliases) -> tuple[float, float, list, list]:
    names = [concept_names(c) for c in found]
    req = [gold_names(r, aliases) for r in required]
    ok = [gold_names(a, aliases) for a in required + allowed]
    hit = [r for r, g in zip(required, req) if any(g & n for n in names)]
    missed = [r for r in required if r not in hit]
    good = [c for c, n in zip(found, names) if any(n & g for g in ok)]
    extra = [c.label for c, n in zip(found, names) if not any(n & g for g in ok)]
    recall = len(hit) / len(required) if required else 1.0
    precision = len(good) / len(found) if found else 1.0
    return recall, precision, missed, extra


def bank_folder(data: dict) -> Path:
    """A judged bank's folder: in this repository when the sample names one, else in the shared banks."""
    return ROOT / data["folder"] if "folder" in data else SHARED / "banks" / data["bank"]


def judged_bank(data: dict, labels: list[str], questions: int, *, show: bool = False) -> float:
    """Print the junk rate of a judged bank among today's concepts, with coverage; return the rate."""
    # A label's case is how it is shown ("Nagios", written so by the bank), not which concept it is
    current = {label.lower() for label in labels}
    verdicts = {label: v for label, v in data["verdicts"].items() if label.lower() in current}
    counts = {v: sum(1 for x in verdicts.values() if x == v) for v in ("junk", "borderline", "good")}
    rate = counts["junk"] / len(verdicts) if verdicts else 0.0
    uncovered = sorted(current - {label.lower() for label in data["population"]})
    share = len(uncovered) / len(current) if current else 0.0
    before = len(data["population"]) / data["questions"]
    print(f"{data['bank']}: {len(current)} concepts, {questions} questions")
    print(
        f"  junk {rate:.1%} of {len(verdicts)} judged labels still concepts "
        f"(borderline {counts['borderline']}, good {counts['good']}; target <= 5%)"
    )
    note = "  -> over 20%: judge a fresh sample" if share > 0.2 else ""
    print(f"  not covered by the judged pool: {len(uncovered)} concepts ({share:.1%}){note}")
    print(
        f"  concepts per question {len(current) / max(questions, 1):.2f} (was {before:.2f} at {data['kg_commit'][:7]})"
    )
    if show:
        gone = sorted(label for label in data["verdicts"] if label.lower() not in current)
        print(f"  judged labels gone: {[(label, data['verdicts'][label]) for label in gone]}")
        print(f"  junk still there: {sorted(label for label, v in verdicts.items() if v == 'junk')}")
    return rate


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print misses and extras per question")
    args = ap.parse_args()

    from kg.extract import extract, load_nlp
    from kg.extract.merge import merge_readings, read
    from kg.parse import parse_file, parse_paths

    nlp = load_nlp()
    gold = json.loads((SHARED / "gold" / "seed.json").read_text())
    items = parse_file(ROOT / "data" / "questions.md")
    t = time.perf_counter()
    ex = extract(items, nlp)
    elapsed = time.perf_counter() - t
    by_id = {c.id: c for c in ex.concepts}
    per_item: defaultdict[str, dict[str, Concept]] = defaultdict(dict)
    for m in ex.mentions:
        per_item[m.item][m.concept] = by_id[m.concept]

    recalls, precisions = [], []
    for item in items:
        g = gold["questions"][str(item.number)]
        found = list(per_item[item.id].values())
        r, p, missed, extra = score(found, g["required"], g.get("allowed", []), gold["concepts"])
        recalls.append(r)
        precisions.append(p)
        if args.show and (missed or extra):
            print(f"Q{item.number}: missed={missed} extra={extra}")
    print(f"seed: {len(items)} questions, {len(ex.concepts)} concepts, {elapsed:.2f} s")
    print(f"seed macro recall    {sum(recalls) / len(recalls):.3f}  (target >= 0.95)")
    print(f"seed macro precision {sum(precisions) / len(precisions):.3f}  (target >= 0.88)")

    # Every bank is read once; each figure merges the readings of the files it needs.
    judged = {p: json.loads(p.read_text()) for p in sorted((ROOT / "bench" / "labels").glob("concepts_*.json"))}
    labels = ROOT / "bench" / "labels" / "unseen_concepts.json"
    unseen = json.loads(labels.read_text()) if labels.exists() else None
    folders = {bank_folder(d) for d in judged.values()}
    if unseen is not None:
        folders |= {(SHARED / "banks" / q["source"]).parent for q in unseen["questions"]}
    all_items, _ = parse_paths(sorted(folders))
    all_readings = read(all_items, nlp)

    def extract_where(chosen: Callable[[Path], bool]):
        picked = [k for k, i in enumerate(all_items) if chosen(Path(i.source).resolve())]
        some = [all_items[k] for k in picked]
        return some, merge_readings(some, [all_readings[k] for k in picked])

    junk_rates = []
    for d in judged.values():
        folder = bank_folder(d).resolve()
        files = {f for i in all_items if folder in (f := Path(i.source).resolve()).parents}
        bank_items, ex = extract_where(files.__contains__)
        junk_rates.append(judged_bank(d, [c.label for c in ex.concepts], len(bank_items), show=args.show))
    if junk_rates:
        print(f"junk <= 5% on every judged bank: {'yes' if max(junk_rates) <= 0.05 else 'no'}")

    if unseen is not None:
        data = unseen
        sources = sorted({q["source"] for q in data["questions"]})
        wanted = {(SHARED / "banks" / s).resolve() for s in sources}
        bank_items, ex = extract_where(wanted.__contains__)
        by_id = {c.id: c for c in ex.concepts}
        in_question: defaultdict[str, dict[str, Concept]] = defaultdict(dict)
        for m in ex.mentions:
            if m.field == "question":
                in_question[m.item][m.concept] = by_id[m.concept]
        index = {(Path(i.source).name, i.line): i for i in bank_items}
        recalls = []
        total_req = total_hit = 0
        for q in data["questions"]:
            bank_item = index.get((Path(q["source"]).name, q["line"]))
            if bank_item is None:
                print(f"  not parsed: {q['source']}:{q['line']}")
                recalls.append(0.0)
                continue
            found = list(in_question[bank_item.id].values())
            r, _, missed, _ = score(found, q["required"], q.get("allowed", []), q.get("aliases", {}))
            recalls.append(r)
            total_req += len(q["required"])
            total_hit += len(q["required"]) - len(missed)
            if args.show and missed:
                print(f"  {q['source']}:{q['line']} missed={missed} found={[c.label for c in found]}")
        print(f"unseen: {len(data['questions'])} questions, {total_req} required concepts")
        macro, micro = sum(recalls) / len(recalls), total_hit / max(total_req, 1)
        print(f"unseen macro recall  {macro:.3f}  (target >= 0.876); micro {micro:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
