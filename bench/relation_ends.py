"""Candidate evidence that a relation's end is no concept its sentence means, screened as ``bench/relations.py``
screens evidence.

Each candidate is a test of one end (or of the statement's two ends, counted) read off the parse or the
bank's concepts:

- ``clause``: the end's noun goes on in a relative or participle clause right of it ("workloads that
  require ..."), so the clause, dropped from the concept, picks out what is meant;
- ``of_complement``, ``complement``: the same with an "of" phrase, with any prepositional phrase;
- ``the_complement``: a definite noun picked out by such a clause or phrase ("the VM utilized by ...");
- ``one_word_the_complement``: the same of a one-word end ("the accuracy of the initial clusters");
- ``the_bare``: a one-word lower-case end after "the" ("the tensor"): one particular thing;
- ``possessor``: a possessor left of the end ("Docker Desktop's VM"), no pronoun;
- ``light_verb_object``: the end is the object of a light verb ("have", "make", "provide", ...);
- ``generic_head``: the end's head is one of kg's generic nouns (``kg/data/english.toml``);
- ``people``: the end's head names people ("users", "team", "practitioners") or has a "who" clause;
- ``generic_tier``: the end's concept is generic by kg's specificity tier (:mod:`kg.specificity`);
- ``one_question_generic_head``: the end's concept is named in one question of its file and its last
  word is a generic noun; ``one_question_end``, ``one_question_multiword``: named in one question
  (and of more than one word);
- ``left_cut``: a modifier of the end's noun left of it, or a word glued to it by a hyphen or slash,
  is not in it ("learner" of "weak learner");
- ``version_after``: a version number right after the end ("Scala 3");
- ``adj_generic``: an adjective and a generic noun ("misleading metric");
- ``examples_of_inner_noun`` (``_set_off``): "X such as Y" where X hangs from another noun by a
  preposition ("interfaces for user sessions such as Y"), with a comma before the examples.

For each, alone beside the shipped evidence: precision of shown, coverage and AUC by leave one bank and
leave one file out on samples 1-12 (``FIT_ON``; the same folds, model and thresholds as ``--cv``), and
how many judged rows of samples 1-12 it fires on and how many of those are right (the cost of a rule).
``--held`` adds, for the candidates named, the model fitted on samples 1-12 scored on the held-out samples
(``HELD_OUT``): precision of shown per sample and pooled, and the wrong and right rows of each sample
it fires on (what a rule that dropped such relations would leave out, statement by statement). Scores
are per judged statement, so the figures of the shipped evidence are close to, not the same as,
``bench/relations.py --no-timing``'s, which combines a relation's statements.

``--bank-tier`` instead rates each judged bank's concepts whole, as kg does (the glossary's terms and the
bank's ``concepts.toml`` never generic), and prints for each sample the wrong and right judged relations
with an end the tier marks generic.

Run: ``python bench/relation_ends.py [--held] [CANDIDATE ...]`` or ``--bank-tier`` (one parse of every judged file,
about 80 s of CPU).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench import relations as rb  # noqa: E402

if TYPE_CHECKING:
    from spacy.tokens import Span

_LIGHT = frozenset({"have", "make", "take", "give", "do", "get", "provide", "offer"})
_PEOPLE = frozenset({"user", "people", "team", "developer", "customer", "person", "someone", "anyone",
                     "practitioner", "manager", "engineer", "scientist", "member", "administrator", "author"})
_OWN = frozenset({"its", "their", "his", "her", "our", "your", "my"})


def _the(end: Span) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "the" for c in end.root.children)


def _goes_on(end: Span, deps: Sequence[str], word: str | None = None) -> bool:
    """The end's noun has a dependent of ``deps`` right of the end (``word``: that preposition only)."""
    return any(c.dep_ in deps and c.i >= end.end and (word is None or c.lower_ == word) for c in end.root.children)


def _people(end: Span) -> bool:
    root = end.root
    return (root.lemma_.lower() in _PEOPLE or root.lower_ in _PEOPLE
            or any(c.dep_ == "relcl" and any(g.lower_ in ("who", "whom") for g in c.children) for c in root.children))


_VERSION = re.compile(r"^v?\d+(\.(\d+|x))*[+]?$", re.IGNORECASE)
_NOT_CUT = frozenset({"det", "poss", "predet", "punct", "case", "cc", "prep", "advmod", "neg", "quantmod"})


def _left_cut(end: Span) -> bool:
    """A modifier of the end's noun left of the end, or a word glued to it by a hyphen or slash, is not in it:
    "weak learner" read as "learner", "x86_64-conda-linux-gnu-cc" as "conda-linux-gnu-cc"."""
    doc = end.doc
    if end.start > 0 and not doc[end.start - 1].whitespace_ and doc[end.start - 1].text in ("-", "/", "_"):
        return True
    return any(c.i < end.start and c.dep_ not in _NOT_CUT and not c.is_stop and c.pos_ not in ("DET", "PRON", "PUNCT")
               for c in end.root.children)


def _version_after(end: Span) -> bool:
    """A version number right after the end: "Scala 3", "sbt 1.x", "IKE v2"."""
    doc = end.doc
    return end.end < len(doc) and bool(_VERSION.match(doc[end.end].text))


def _set_off_examples(general: Span) -> bool:
    """A comma or bracket between the general noun and its examples."""
    doc = general.doc
    return any(t.text in (",", "(") for t in doc[general.end : min(general.end + 2, len(doc))])


def _adj_generic(end: Span, generic: frozenset[str]) -> bool:
    """The end opens with an adjective and its noun is ``generic``: "misleading metric", "insecure method"."""
    return end[0].pos_ == "ADJ" and len(end) > 1 and (end.root.lemma_.lower() in generic or end.root.lower_ in generic)


def _span_tests() -> dict[str, Callable[[Span], bool]]:
    from kg.english import english_words

    generic = frozenset(english_words()["generic_nouns"])
    clause = ("relcl", "acl")
    return {
        "clause": lambda e: _goes_on(e, clause),
        "of_complement": lambda e: _goes_on(e, ("prep",), "of"),
        "complement": lambda e: _goes_on(e, ("prep",)),
        "the_complement": lambda e: _the(e) and _goes_on(e, (*clause, "prep")),
        "one_word_the_complement": lambda e: len(e) == 1 and _the(e) and _goes_on(e, (*clause, "prep")),
        "the_bare": lambda e: len(e) == 1 and e[0].is_lower and _the(e),
        "possessor": lambda e: any(c.dep_ == "poss" and c.i < e.start and c.lower_ not in _OWN
                                   for c in e.root.children),
        "light_verb_object": lambda e: e.root.dep_ == "dobj" and e.root.head.lemma_.lower() in _LIGHT,
        "generic_head": lambda e: e.root.lemma_.lower() in generic or e.root.lower_ in generic,
        "people": _people,
        "left_cut": _left_cut,
        "version_after": _version_after,
        "adj_generic": lambda e: _adj_generic(e, generic),
    }


def collect(nlp: Any) -> tuple[dict[str, list[tuple[dict, dict | None]]], list]:
    """Every judged row of ``FIT_ON`` and ``HELD_OUT`` with its evidence and the candidates, by sample file,
    and the seed's gold statements (for the seed-bound threshold)."""
    import kg.extract
    import kg.relations.walk as walk
    from kg.english import english_words
    from kg.pipeline import never_generic
    from kg.relations.confidence import evidence
    from kg.specificity import rate_concepts

    tests = _span_tests()
    generic = frozenset(english_words()["generic_nouns"])

    def with_candidates(sent: Span, reader: str, relation: str, head: Span, tail: Span) -> dict[str, float]:
        ev = evidence(sent, reader, relation, head, tail)
        for name, test in tests.items():
            n = sum(test(end) for end in (head, tail))
            if n:
                ev[f"cand:{name}"] = float(n)
        general = tail.root
        if reader == "examples" and general.dep_ == "pobj" and general.head.head.pos_ in ("NOUN", "PROPN"):
            ev["cand:examples_of_inner_noun"] = 1.0  # "interfaces for user sessions such as X": either noun's
        if reader == "examples" and general.dep_ == "pobj" and general.head.head.pos_ in ("NOUN", "PROPN") and (
                _set_off_examples(tail)):
            ev["cand:examples_of_inner_noun_set_off"] = 1.0
        return ev

    rated: list[dict[str, tuple[bool, int]]] = []
    extract = kg.extract.extract

    def extract_rated(items: Any, *args: Any, **kwargs: Any) -> Any:
        items = list(items)
        ex = extract(items, *args, **kwargs)
        concepts = rate_concepts(items, ex.concepts, ex.mentions, terms=never_generic(None))
        rated.append({c.label: (c.generic, len(c.questions)) for c in concepts})
        return ex

    def generic_word(label: str) -> bool:
        words = label.split()
        return bool(words) and (words[-1] in generic or words[-1].rstrip("s") in generic)

    walk.evidence = with_candidates  # the candidates ride along the shipped evidence
    kg.extract.extract = extract_rated
    try:
        out: dict[str, list[tuple[dict, dict | None]]] = {}
        for name in (*rb.FIT_ON, *rb.HELD_OUT):
            files = list(dict.fromkeys((r["bank"], r["file"]) for r in json.loads((rb.LABELS / name).read_text())))
            rated.clear()
            rows = rb.judged(nlp, rb.LABELS / name)
            by_file = dict(zip(files, rated, strict=True))
            out[name] = []
            for r, ev, _ in rows:
                if ev is not None:
                    ends = [by_file[(r["bank"], r["file"])].get(r[k], (False, 0)) + (r[k],) for k in ("head", "tail")]
                    for cand, n in (("generic_tier", sum(g for g, _, _ in ends)),
                                    ("one_question_generic_head", sum(q <= 1 and generic_word(w) for _, q, w in ends)),
                                    ("one_question_end", sum(q <= 1 for _, q, _ in ends)),
                                    ("one_question_multiword", sum(q <= 1 and " " in w for _, q, w in ends))):
                        if n:
                            ev[f"cand:{cand}"] = float(n)
                out[name].append((r, ev))
        seed = rb.seed_gold_statements(nlp)
    finally:
        walk.evidence = evidence
        kg.extract.extract = extract
    return out, seed


def _cv(rows: list[tuple[dict, dict]], names: list[str], seed: list, scheme: str) -> str:
    import numpy as np
    from sklearn.metrics import roc_auc_score

    X, y, _ = rb._design(rows, names)
    groups = [r["bank"] if scheme == "bank" else (r["bank"], r["file"]) for r, _ in rows]
    out = np.zeros(len(y))
    shown = np.zeros(len(y), dtype=bool)
    for g in sorted(set(groups), key=str):
        held = np.array([h == g for h in groups])
        model = rb._model(X[~held], y[~held])
        t = min(rb._precise_threshold(model.predict_proba(X[~held])[:, 1], y[~held]),
                rb._seed_threshold(model, names, seed))
        out[held] = model.predict_proba(X[held])[:, 1]
        shown[held] = out[held] >= t
    return f"{y[shown].mean():.3f} ({int(y[shown].sum())}/{int(shown.sum())}), AUC {roc_auc_score(y, out):.3f}"


def _held(data: dict[str, list[tuple[dict, dict | None]]], rows: list[tuple[dict, dict]], names: list[str],
          seed: list) -> str:
    X, y, _ = rb._design(rows, names)
    model = rb._model(X, y)
    t = min(rb._precise_threshold(model.predict_proba(X)[:, 1], y), rb._seed_threshold(model, names, seed))
    added = [k for k in names if k.startswith("cand:")]
    parts, right, shown = [], 0, 0
    for name in rb.HELD_OUT:
        read = [(r, ev) for r, ev in data[name] if ev is not None]
        Xh, yh, _ = rb._design(read, names)
        s = model.predict_proba(Xh)[:, 1] >= t
        fires = [bool(r["correct"]) for r, ev in read if any(ev.get(k) for k in added)]
        parts.append(f"{yh[s].mean():.3f} ({int(yh[s].sum())}/{int(s.sum())}; fires on "
                     f"{len(fires) - sum(fires)} wrong / {sum(fires)} right)")
        right, shown = right + int(yh[s].sum()), shown + int(s.sum())
    pooled = f"pooled {right / max(shown, 1):.3f} ({right}/{shown})"
    return f"threshold {t:.3f}; samples 13-19: {', '.join(parts)};\n{'':28s} {pooled}"


def _bank_path(bank: str) -> Path:
    for path in (rb.SHARED / "banks" / bank, rb.SHARED / "banks" / f"{bank}.md", ROOT / "bench" / "banks" / bank):
        if path.exists():
            return path
    raise FileNotFoundError(f"{bank}: no such judged bank")


def bank_tier(nlp: Any) -> None:
    """For each judged sample, the wrong and right relations with an end the bank's generic tier marks."""
    from kg.embed import cache_root
    from kg.extract.merge import merge_readings
    from kg.parse import parse_paths
    from kg.pipeline import never_generic
    from kg.readings import ReadingStore, read_with_store
    from kg.specificity import rate_concepts
    from kg.vocabulary import find_vocabulary

    store = ReadingStore(cache_root())
    samples = {name: json.loads((rb.LABELS / name).read_text()) for name in (*rb.FIT_ON, *rb.HELD_OUT)}
    generic: dict[str, set[str]] = {}
    for bank in sorted({r["bank"] for rows in samples.values() for r in rows}):
        path = _bank_path(bank)
        items, _ = parse_paths([path])
        readings, _ = read_with_store(items, nlp, store, settings="relations False ")
        said = find_vocabulary([path])
        ex = merge_readings(items, readings, said)
        rated = rate_concepts(items, ex.concepts, ex.mentions, terms=never_generic(said), specific=said.specific,
                              generic=said.generic)
        generic[bank] = {name for c in rated if c.generic for name in (c.label, *c.aliases)}
    for name, rows in samples.items():
        hit = [r for r in rows if r["head"] in generic[r["bank"]] or r["tail"] in generic[r["bank"]]]
        right = sum(bool(r["correct"]) for r in hit)
        print(f"{name}: {len(rows)} judged; an end generic: {len(hit) - right} wrong / {right} right")
        if name in rb.FIT_ON:  # the held-out samples stay unread
            for r in hit:
                print(f"    {'right' if r['correct'] else 'wrong'}: {r['head']} --{r['relation']}--> {r['tail']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("candidates", nargs="*", help="candidates to screen (default: all); a+b adds several")
    parser.add_argument("--held", action="store_true", help="also score the named candidates on the held-out samples")
    parser.add_argument("--bank-tier", action="store_true", help="relations with an end generic in its whole bank")
    args = parser.parse_args(argv)

    from kg.extract import load_nlp

    if args.bank_tier:
        bank_tier(load_nlp())
        return 0
    data, seed = collect(load_nlp())
    rows = [(r, ev) for name in rb.FIT_ON for r, ev in data[name] if ev is not None]
    shipped = sorted({k for _, ev in rows for k in ev if not k.startswith(("_", "cand:"))})
    every = sorted({k[5:] for _, ev in rows for k in ev if k.startswith("cand:")} | {"generic_tier"})
    print(f"samples 1-12: {len(rows)} judged rows still read ({sum(r['correct'] for r, _ in rows)} right)")
    for cand in ["", *(args.candidates or every)]:
        added = [f"cand:{c}" for c in cand.split("+") if c]
        names = shipped + added
        fires = [r["correct"] for r, ev in rows if any(ev.get(k) for k in added)]
        label = cand or "shipped evidence"
        print(f"{label:28s} fires on {len(fires):3d} ({sum(fires)} right) | cv by bank {_cv(rows, names, seed, 'bank')}"
              f" | by file {_cv(rows, names, seed, 'file')}")
        if args.held:
            print(f"{'':28s} {_held(data, rows, names, seed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
