"""The typed relations of every judged file under two versions of kg's code, and a blind sheet of the new ones.

A change to the concept spans changes the ends of relations: "apache HBase --is_a--> value store" may become
"... --> key value store", a relation no sample judged. ``bench/relations.py`` counts judged rows only, so such
relations are invisible to it. This script makes them visible and judgeable:

``--dump OUT``: with the code on ``PYTHONPATH``, every typed relation kg reads in each file a judged sample
comes from, with its confidence (the generic-end rule applied as ``build_bank`` applies it), whether it is shown
at the shipped threshold, and whether a sample judged it.

``--compare BEFORE AFTER``: the relations shown after and not before (new), shown before and not after (gone),
how many of each were judged right or wrong, and the new ones no sample judged. With ``--sheet SHEET`` the
unjudged new ones are written to a judging sheet mixed with as many judged shown relations drawn at random from
the same files (``--seed``), shuffled, with no field saying which is which; ``--key KEY`` keeps that in a
separate file to read after judging, and the new relations are not listed.

Run: ``PYTHONPATH=. python bench/relation_diff.py --dump after.json``, then ``--compare before.json after.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from relations import GENERIC_ENDS, LABELS, bank_file, bank_generic_names

Key = tuple[str, str, str, str, str]  # bank, file, head, class, tail


def _judged() -> dict[Key, bool]:
    out: dict[Key, bool] = {}
    for labels in sorted(LABELS.glob("relations_*.json")):
        for r in json.loads(labels.read_text(encoding="utf-8")):
            if r.get("correct") is not None:
                out[(r["bank"], r["file"], r["head"], r["relation"], r["tail"])] = bool(r["correct"])
    return out


def dump(out: Path) -> None:
    from kg.extract import extract, load_nlp
    from kg.parse import parse_paths
    from kg.relations import load_relation_table, merge_relations
    from kg.relations.confidence import threshold
    from kg.relations.generic_ends import demote_generic_ends
    from kg.relations.walk import relations_from_doc

    nlp = load_nlp()
    table = load_relation_table()
    judged = _judged()
    t = threshold()
    rows = []
    for bank, name in dict.fromkeys((k[0], k[1]) for k in judged):
        items, _ = parse_paths([bank_file(bank, name)])
        found: list = []

        def keep(item, field, doc, found=found) -> None:
            found.extend(relations_from_doc(doc, item.id, table))

        extraction = extract(items, nlp, on_doc=keep)
        label = {c.id: c.label for c in extraction.concepts}
        names = bank_generic_names(nlp, bank) if GENERIC_ENDS else frozenset()
        generic = frozenset(c.id for c in extraction.concepts if {c.label, *c.aliases} & names)
        merged = demote_generic_ends(merge_relations(found, extraction.key_to_id, extraction.item_key_to_id), generic)
        for rel in merged:
            if rel.relation == table.fallback:
                continue
            key = (bank, name, label[rel.head], rel.relation, label[rel.tail])
            rows.append({"bank": bank, "file": name, "head": key[2], "relation": key[3], "tail": key[4],
                         "verb": rel.verb, "sentence": " ".join(rel.sentence.split()),
                         "confidence": round(rel.confidence, 4), "shown": rel.confidence >= t,
                         "judged": judged.get(key)})
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} typed relations of {len({(r['bank'], r['file']) for r in rows})} judged files in {out}")


def _key(r: dict) -> Key:
    return (r["bank"], r["file"], r["head"], r["relation"], r["tail"])


def compare(before: Path, after: Path, sheet: Path | None, key_file: Path | None, seed: int) -> None:
    b = {_key(r): r for r in json.loads(before.read_text(encoding="utf-8")) if r["shown"]}
    a = {_key(r): r for r in json.loads(after.read_text(encoding="utf-8")) if r["shown"]}
    new = [a[k] for k in a if k not in b]
    gone = [b[k] for k in b if k not in a]

    def tally(rows: list[dict]) -> str:
        right = sum(r["judged"] is True for r in rows)
        wrong = sum(r["judged"] is False for r in rows)
        return f"{len(rows)} ({right} judged right, {wrong} judged wrong, {len(rows) - right - wrong} unjudged)"

    print(f"shown before {len(b)}, after {len(a)}")
    print(f"new (shown after only): {tally(new)}")
    print(f"gone (shown before only): {tally(gone)}")
    if sheet is not None:
        _write_sheet(new, a, sheet, key_file, seed)
        return  # no listing: the sheet is to be judged before anyone sees which rows are new
    for title, rows in (("new", new), ("gone", gone)):
        print(f"\n{title}:")
        for r in sorted(rows, key=lambda r: (r["bank"], r["file"], r["head"])):
            mark = {True: "right", False: "wrong", None: "unjudged"}[r["judged"]]
            print(f"  [{mark}] {r['bank']}/{r['file']}: {r['head']} --{r['relation']}--> {r['tail']}"
                  f"  | {r['sentence'][:140]}")


def _write_sheet(new: list[dict], a: dict[Key, dict], sheet: Path, key_file: Path | None, seed: int) -> None:
    unjudged = [r for r in new if r["judged"] is None]
    files = {(r["bank"], r["file"]) for r in unjudged}
    rng = random.Random(seed)
    pool = [r for k, r in sorted(a.items()) if r["judged"] is not None and (r["bank"], r["file"]) in files
            and k not in {_key(u) for u in unjudged}]
    controls = rng.sample(pool, min(len(unjudged), len(pool)))
    mixed = [(r, "new") for r in unjudged] + [(r, "judged") for r in controls]
    rng.shuffle(mixed)
    rows = [{"n": i, "bank": r["bank"], "file": r["file"], "head": r["head"], "relation": r["relation"],
             "tail": r["tail"], "verb": r["verb"], "sentence": r["sentence"], "correct": None, "why": ""}
            for i, (r, _) in enumerate(mixed)]
    sheet.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if key_file is not None:
        key_file.write_text(json.dumps([{"n": i, "source": s, "label": r["judged"]}
                                        for i, (r, s) in enumerate(mixed)], indent=1) + "\n", encoding="utf-8")
    print(f"\n{len(rows)} rows ({len(unjudged)} unjudged new, {len(controls)} judged) in {sheet}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write the typed relations of every judged file here")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--sheet", type=Path, help="with --compare: blind judging sheet of the unjudged new ones")
    parser.add_argument("--key", type=Path, help="with --sheet: which rows are new, kept apart from the sheet")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.dump:
        dump(args.dump)
    if args.compare:
        before, after = args.compare
        compare(before, after, args.sheet, args.key, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
