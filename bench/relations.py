"""Typed relation quality on the seed, and what relations and topics cost on a large bank.

Quality: the relations kg finds in the seed (``data/questions.md``) against the hand-labelled ones in
``shared/gold/seed.json``. A found relation matches a gold one when its head and its tail each match
the gold concept (the concept's label or any of its aliases equals the gold label or one of its
aliases after normalisation: lower case, hyphens and spaces folded, trailing plural "s" dropped), in
the stated direction, and the classes are equal. Recall is over the gold relations; precision over
the distinct typed relations kg found (class ``related`` is untyped and left out, its count printed).
The gold aliases are used here only, for matching. A second precision line also counts the found
relations outside the gold that were judged true by hand (``bench/labels/seed_relation_extras.json``);
the target is on the first.

Speed: the ajitsingh98 folder (about 1,300 questions) through parse and concept extraction with and
without relation extraction (in the same ``nlp.pipe`` pass, through ``on_doc``), merging and topics.

Sample: ``--sample BANK`` prints 30 typed relations drawn with a fixed seed from a bank kg was not
tuned on, for judging by hand (``bench/labels/relations_sample.md``).

Run: ``python bench/relations.py [--no-timing] [--show-all] [--sample BANK [--n 30] [--seed 0]]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from kg.extract import Extraction
    from kg.model import QAItem

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TIMING_BANK = SHARED / "banks" / "ajitsingh98-ds-interview-qa"
# Seconds the last ``run`` spent in relation extraction and merging alone.
run_seconds = 0.0


def _untyped() -> str | None:
    """The class the table gives a verb it does not list: a relation, but not a typed one."""
    from kg.relations import load_relation_table

    return load_relation_table().fallback


def norm(text: str) -> str:
    text = re.sub(r"[\s\-]+", "", text.lower())
    return text[:-1] if text.endswith("s") else text


def run(items, nlp):
    """Concepts, merged relations and the raw relation list of ``items``, in one parse."""
    global run_seconds
    from kg.extract import extract
    from kg.relations import load_relation_table, merge_relations, relations_from_doc

    table = load_relation_table()
    found = []
    spent = [0.0]

    def on_doc(item, field, doc) -> None:
        t0 = time.perf_counter()
        found.extend(relations_from_doc(doc, item.id, table))
        spent[0] += time.perf_counter() - t0

    extraction = extract(items, nlp, on_doc=on_doc)
    t0 = time.perf_counter()
    merged = merge_relations(found, extraction.key_to_id, extraction.item_key_to_id)
    run_seconds = spent[0] + time.perf_counter() - t0  # relation extraction and merging alone
    return extraction, merged, found


def cooccurrence_graph(items: Sequence[QAItem], extraction: Extraction) -> nx.Graph:
    """The concept graph the topics run on: the lead's ``build_graph`` when present."""
    import networkx as nx

    try:
        from kg.graph import build_graph
    except ImportError:  # until kg/graph.py lands: concepts co-occurring in an item, weighted by items
        G = nx.Graph()
        per_item: dict[str, set[str]] = {}
        for m in extraction.mentions:
            per_item.setdefault(m.item, set()).add(m.concept)
        for c in extraction.concepts:
            G.add_node(f"c:{c.id}", kind="concept", label=c.label)
        for concepts in per_item.values():
            ordered = sorted(concepts)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    u, v = f"c:{a}", f"c:{b}"
                    w = G.edges[u, v]["weight"] + 1 if G.has_edge(u, v) else 1
                    G.add_edge(u, v, weight=w)
        return G
    return build_graph(items, extraction.concepts, extraction.mentions)


def quality(nlp, show_all: bool) -> tuple[float, float]:
    from kg.parse import parse_file

    gold = json.loads((SHARED / "gold" / "seed.json").read_text(encoding="utf-8"))
    names = {k: {norm(k), *(norm(a) for a in v)} for k, v in gold["concepts"].items()}
    gold_rels = [(h, r, t, qs) for h, r, t, qs in gold["relations"]["gold"]]
    for h, _, t, _ in gold_rels:
        names.setdefault(h, {norm(h)})
        names.setdefault(t, {norm(t)})

    items = parse_file(ROOT / "data" / "questions.md")
    number = {item.id: item.number for item in items}
    extraction, merged, raw = run(items, nlp)
    concept_names = {c.id: {norm(c.label), *(norm(a) for a in c.aliases)} for c in extraction.concepts}
    label = {c.id: c.label for c in extraction.concepts}

    def matches(rel, g) -> bool:
        h, r, t, _ = g
        return (
            rel.relation == r
            and bool(concept_names.get(rel.head, set()) & names[h])
            and bool(concept_names.get(rel.tail, set()) & names[t])
        )

    typed = [r for r in merged if r.relation != _untyped()]
    hit_gold = [g for g in gold_rels if any(matches(r, g) for r in typed)]
    true_found = [r for r in typed if any(matches(r, g) for g in gold_rels)]
    recall = len(hit_gold) / len(gold_rels)
    precision = len(true_found) / len(typed) if typed else 0.0
    on_gold_pairs = [
        r for r in typed if any(
            concept_names.get(r.head, set()) & names[h] and concept_names.get(r.tail, set()) & names[t]
            for h, _, t, _ in gold_rels
        )
    ]
    pair_precision = sum(r in true_found for r in on_gold_pairs) / len(on_gold_pairs) if on_gold_pairs else 0.0

    print(f"seed: {len(items)} questions, {len(extraction.concepts)} concepts, {len(raw)} relation mentions")
    print(f"relations found: {len(merged)} distinct, {len(typed)} typed "
          f"({', '.join(f'{k} {v}' for k, v in sorted(Counter(r.relation for r in merged).items()))})")
    print(f"recall    {recall:.3f}  ({len(hit_gold)}/{len(gold_rels)} gold relations found)")
    print(f"precision {precision:.3f}  ({len(true_found)}/{len(typed)} typed relations found are gold)")
    print(f"precision on gold-labelled pairs {pair_precision:.3f}  "
          f"({sum(r in true_found for r in on_gold_pairs)}/{len(on_gold_pairs)}: class and direction right "
          "where the gold labels the pair)")
    judged = json.loads((ROOT / "bench" / "labels" / "seed_relation_extras.json").read_text(encoding="utf-8"))
    verdict = {(h, r, t): ok for h, r, t, ok, _ in judged["judged"]}
    extras = [verdict.get((label[r.head], r.relation, label[r.tail])) for r in typed if r not in true_found]
    if typed:
        print(f"precision {(len(true_found) + sum(v is True for v in extras)) / len(typed):.3f}  counting the "
              f"{sum(v is True for v in extras)} of {len(extras)} extras judged true by hand "
              f"(bench/labels/seed_relation_extras.json; {sum(v is None for v in extras)} not judged)")
    print("\nmissed gold relations:")
    for g in gold_rels:
        if g not in hit_gold:
            print(f"  {g[0]} --{g[1]}--> {g[2]}   (questions {', '.join(map(str, g[3]))})")
    print("\nfound typed relations not in the gold:")
    for r in typed:
        if r not in true_found:
            qs = ", ".join(str(number[q]) for q in r.questions)
            print(f"  {label[r.head]} --{r.relation} [{r.verb}]--> {label[r.tail]}   (q {qs}) {r.sentence[:110]}")
    if show_all:
        print("\nall relations:")
        for r in merged:
            qs = ", ".join(str(number[q]) for q in r.questions)
            print(f"  {label[r.head]} --{r.relation} [{r.verb}]--> {label[r.tail]}   (q {qs})")
    return recall, precision


def timing(nlp) -> None:
    from kg.extract import extract
    from kg.parse import parse_paths
    from kg.topics import topics

    paths = sorted(TIMING_BANK.glob("*.md"))
    items, errors = parse_paths(paths)
    print(f"\ntiming: {TIMING_BANK.name}: {len(items)} questions from {len(paths)} files"
          + (f" ({len(errors)} files not read)" if errors else ""))
    # warm up the pipeline so neither run pays for first-call costs
    extract(items[:20], nlp)

    t0 = time.perf_counter()
    base = extract(items, nlp)
    cooccurrence_graph(items, base)
    t_base = time.perf_counter() - t0

    t0 = time.perf_counter()
    extraction, merged, raw = run(items, nlp)
    G = cooccurrence_graph(items, extraction)
    t_rel = time.perf_counter() - t0
    t1 = time.perf_counter()
    named = topics(G, seed=0)
    t_topics = time.perf_counter() - t1
    t_with = t_rel + t_topics

    sizes = Counter(named.values())
    print(f"  pipeline without relations and topics: {t_base:6.1f} s")
    print(f"  pipeline with relations and topics:    {t_with:6.1f} s  "
          f"(relations in the same parse {t_rel:.1f} s, topics {t_topics:.2f} s)")
    print(f"  added: {100 * (t_with - t_base) / t_base:+.1f}%  (target at most +30%; two runs on a shared machine)")
    own = run_seconds + t_topics
    print(f"  time inside relation extraction, merging and topics: {own:.1f} s = {100 * own / t_base:.1f}% "
          "of the run without them (steadier than the difference of two runs)")
    print(f"  {len(merged)} distinct relations ({sum(r.relation != 'related' for r in merged)} typed), "
          f"{len(sizes)} topics over {len(named)} concepts; largest: "
          + ", ".join(f"{k} ({v})" for k, v in sizes.most_common(8)))


def bank_and_file(path: Path) -> tuple[str, str]:
    """The bank a sampled file belongs to and its name in the bank: a file in a bank folder is
    ``(folder, file name)``; a bank that is one file is ``(its stem, its name)``."""
    path = path.resolve()
    if path.parent.name in ("banks", "data"):
        return path.stem, path.name
    return path.parent.name, path.name


def sample(nlp, path: Path, n: int, seed: int, sheet: Path | None = None) -> None:
    """Print ``n`` typed relations of the bank at ``path``, drawn with ``seed``, as a table to judge.

    With ``sheet``, the draw is also added to that JSON judging sheet (made when missing), each row
    keyed by bank, file, line, head, class and tail, with ``correct`` and ``why`` left empty to fill
    in. Neither the table nor the sheet shows a relation's confidence or the rule that read it, so
    judging stays blind to them.
    """
    import random

    from kg.parse import parse_paths

    items, _ = parse_paths([path])
    extraction, merged, raw = run(items, nlp)
    label = {c.id: c.label for c in extraction.concepts}
    line = {item.id: item.line for item in items}
    typed = [r for r in merged if r.relation != _untyped()]
    print(f"{path.name}: {len(items)} questions, {len(merged)} distinct relations, {len(typed)} typed; "
          f"{min(n, len(typed))} drawn with seed {seed}\n")
    print("| # | relation | verb | sentence | correct | why |")
    print("|---|---|---|---|---|---|")
    drawn = random.Random(seed).sample(typed, min(n, len(typed)))
    for k, r in enumerate(drawn, start=1):
        sentence = " ".join(r.sentence.split()).replace("|", "\\|")
        print(f"| {k} | {label[r.head]} --{r.relation}--> {label[r.tail]} | {r.verb} | {sentence} |  |  |")
    if sheet is None:
        return
    bank, name = bank_and_file(path)
    rows = json.loads(sheet.read_text(encoding="utf-8")) if sheet.exists() else []
    have = {(x["bank"], x["file"], x["line"], x["head"], x["relation"], x["tail"]) for x in rows}
    for r in drawn:
        row = {"bank": bank, "file": name, "line": line[r.questions[0]], "head": label[r.head],
               "relation": r.relation, "tail": label[r.tail], "verb": r.verb,
               "sentence": " ".join(r.sentence.split()), "correct": None, "why": ""}
        if (bank, name, row["line"], row["head"], row["relation"], row["tail"]) not in have:
            rows.append(row)
    sheet.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n{len(rows)} rows in {sheet}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-timing", action="store_true", help="skip the timing on the large bank")
    parser.add_argument("--show-all", action="store_true", help="print every relation found in the seed")
    parser.add_argument("--sample", type=Path, nargs="+", help="draw typed relations from each bank to judge by hand")
    parser.add_argument("--sheet", type=Path, help="with --sample: add the draw to this JSON judging sheet")
    parser.add_argument("--n", type=int, default=30, help="relations to draw (default 30)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draw (default 0)")
    args = parser.parse_args(argv)

    from kg.extract import load_nlp

    nlp = load_nlp()
    if args.sample:
        for path in args.sample:
            sample(nlp, path, args.n, args.seed, args.sheet)
        return 0
    quality(nlp, args.show_all)
    if not args.no_timing:
        timing(nlp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
