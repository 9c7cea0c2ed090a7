"""Termhood of a relation's ends as evidence for its confidence, screened as ``bench/relation_ends.py`` screens.

The largest class of wrong relations in every judged sample is an end that is no concept: a description
("experimental successor"), a value ("highest available version"), a span cut from a longer name. The
judged concept labels (``bench/labels/concepts_*.json``, each label of a bank judged good, borderline or
junk by ``concepts_guide.md``) are a second, independent source of what a term looks like. A termhood
scorer is fitted on them, P(good) of a label, and the relation evidence gains ``min_term``: the lower
P(good) of the statement's two end spans. Two scorers:

- ``embedding``: logistic regression on the all-MiniLM-L6-v2 embedding of the label (needs the
  ``semantic`` extra);
- ``char``: logistic regression on character 2-4-grams and words of the label (no model).

Beside them, with no scorer, ``glossary``: how many of the two ends are a name or a term of art of kg's
bundled glossary (``kg/data/glossary.toml``, a machine-learning glossary), the termhood a curated list gives.

Printed:

1. each scorer's AUC of good against the rest on the concept labels, each bank held out of its fit;
2. for each scorer, the shipped evidence alone and with ``min_term``: precision of shown and AUC by
   leave one bank and one file out on samples 1-12 (the folds, model and seed-bound thresholds of
   ``bench/relations.py --cv``), then the model fitted on samples 1-12 scored on samples 13-19, each held
   out of every rule and fit (precision of shown per sample and pooled). For this part the scorer is
   fitted only on concept labels of banks whose owner gives no sample 13-19 bank (so no Azure,
   learning-zone or sudheerj labels), so the held-out samples stay blind to it.

Scores are per judged statement, as in ``bench/relation_ends.py``; its "fires on" counts are every row
for a score like ``min_term``, which every statement has.

Run: ``python bench/relation_termhood.py`` (one parse of every judged file: about 4 minutes of CPU).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

from bench import relation_ends as ends  # noqa: E402
from bench import relations as rb  # noqa: E402

C_TERM = 3.0  # inverse regularisation of the termhood scorers

Scorer = Callable[[Sequence[str]], np.ndarray]


def concept_labels() -> list[tuple[str, str, bool]]:
    """Every judged concept label as (bank, label, judged good)."""
    out = []
    for path in sorted((ROOT / "bench" / "labels").glob("concepts_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out += [(data["bank"], label, verdict == "good") for label, verdict in data["verdicts"].items()]
    return out


def embedding_scorer(embedder: Any) -> Callable[[Sequence[str], Sequence[bool]], Scorer]:
    from sklearn.linear_model import LogisticRegression

    from kg.embed import encode, normalise_rows

    def fitted(labels: Sequence[str], good: Sequence[bool]) -> Scorer:
        model = LogisticRegression(C=C_TERM, max_iter=3000).fit(normalise_rows(encode(embedder, labels)), good)
        return lambda texts: model.predict_proba(normalise_rows(encode(embedder, texts)))[:, 1]

    return fitted


def char_scorer(labels: Sequence[str], good: Sequence[bool]) -> Scorer:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    words = make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
                       TfidfVectorizer(analyzer="word", token_pattern=r"[^ ]+"))
    model = make_pipeline(words, LogisticRegression(C=C_TERM, max_iter=3000)).fit(list(labels), list(good))
    return lambda texts: model.predict_proba(list(texts))[:, 1]


def concept_auc(name: str, fit: Callable[[Sequence[str], Sequence[bool]], Scorer],
                labels: list[tuple[str, str, bool]]) -> None:
    from sklearn.metrics import roc_auc_score

    bank = np.array([b for b, _, _ in labels])
    good = np.array([g for _, _, g in labels])
    out = np.zeros(len(labels))
    for b in sorted(set(bank)):
        held = bank == b
        out[held] = fit([t for (_, t, _), h in zip(labels, held, strict=True) if not h], good[~held])(
            [t for (_, t, _), h in zip(labels, held, strict=True) if h])
    per = " ".join(f"{roc_auc_score(good[bank == b], out[bank == b]):.2f}" for b in sorted(set(bank)))
    print(f"  {name:10s} AUC {roc_auc_score(good, out):.3f}   per bank {per}")


def collect(nlp: Any) -> tuple[dict[str, list[tuple[dict, dict | None]]], list, list[tuple[str, str]]]:
    """Judged rows of samples 1-19 and the seed's gold statements, each statement's evidence holding
    ``_ends``, the index of its two end texts in the list returned last."""
    import kg.relations.walk as walk
    from kg.relations.confidence import evidence

    texts: list[tuple[str, str]] = []

    def with_ends(sent: Any, reader: str, relation: str, head: Any, tail: Any) -> dict[str, float]:
        ev = evidence(sent, reader, relation, head, tail)
        ev["_ends"] = float(len(texts))  # a number, so the shipped confidence can read the evidence as it is
        texts.append((head.text, tail.text))
        return ev

    walk.evidence = with_ends
    try:
        data = {name: [(r, ev) for r, ev, _ in rb.judged(nlp, rb.LABELS / name)] for name in (*rb.FIT_ON, *rb.HELD_OUT)}
        seed = rb.seed_gold_statements(nlp)
    finally:
        walk.evidence = evidence
    return data, seed, texts


def _judged(data: dict, names: Sequence[str]) -> list[dict]:
    """The evidence of every judged statement still read in the samples ``names``."""
    return [ev for name in names for _, ev in data[name] if ev is not None]


def _seed(seed: list) -> list[dict]:
    """The evidence of every statement of the seed's gold relations."""
    return [ev for found in seed for by_sentence in found for evs in by_sentence.values() for ev in evs]


def with_termhood(data: dict, seed: list, texts: list[tuple[str, str]], scorer: Scorer) -> None:
    """Set ``cand:min_term`` on every statement's evidence, in place."""
    unique = sorted({t for pair in texts for t in pair})
    p = dict(zip(unique, scorer(unique).tolist(), strict=True))
    for ev in [*_judged(data, list(data)), *_seed(seed)]:
        head, tail = texts[int(ev["_ends"])]
        ev["cand:min_term"] = min(p[head], p[tail])


def with_glossary(data: dict, seed: list, texts: list[tuple[str, str]]) -> None:
    """Set ``cand:glossary`` on every statement's evidence, in place: its ends named by the glossary."""
    from kg.extract.lexicon import bundled_glossary

    glossary = bundled_glossary()
    names = {n.lower() for label, aliases in glossary.aliases.items() for n in (label, *aliases)} | glossary.terms

    def named(text: str) -> bool:
        words = text.lower().split()
        if words and words[0] in ("the", "a", "an"):
            words = words[1:]
        name = " ".join(words)
        return name in names or name.removesuffix("s") in names or name.removesuffix("es") in names

    for ev in [*_judged(data, list(data)), *_seed(seed)]:
        ev["cand:glossary"] = float(sum(named(t) for t in texts[int(ev["_ends"])]))


def screen(data: dict, seed: list, candidate: str = "min_term") -> None:
    rows = [(r, ev) for name in rb.FIT_ON for r, ev in data[name] if ev is not None]
    shipped = sorted({k for _, ev in rows for k in ev if not k.startswith(("_", "cand:"))})
    for label, names in (("shipped evidence", shipped), (f"+ {candidate}", [*shipped, f"cand:{candidate}"])):
        by_bank, by_file = ends._cv(rows, names, seed, "bank"), ends._cv(rows, names, seed, "file")
        print(f"    {label:18s} cv by bank {by_bank} | by file {by_file}")
        print(f"    {'':18s} {ends._held(data, rows, names, seed)}")


def main() -> int:
    from kg.embed import load_embedder
    from kg.extract import load_nlp

    labels = concept_labels()
    embedder = load_embedder()
    fits: dict[str, Callable[[Sequence[str], Sequence[bool]], Scorer]] = {"char": char_scorer}
    if embedder is not None:
        fits = {"embedding": embedding_scorer(embedder), **fits}
    good = sum(g for _, _, g in labels)
    print(f"1. Termhood on {len(labels)} judged concept labels ({good} good), each bank held out")
    for name, fit in fits.items():
        concept_auc(name, fit, labels)

    data, seed, texts = collect(load_nlp())
    owners = {r["bank"].split("-")[0] for name in rb.HELD_OUT for r, _ in data[name]}
    blind = [(b, t, g) for b, t, g in labels if b.split("-")[0] not in owners]
    print(f"\n2. Relation confidence with the termhood of its ends (scorer fitted on {len(blind)} concept labels of "
          f"{len({b for b, _, _ in blind})} banks; samples 1-12: "
          f"{len(_judged(data, rb.FIT_ON))} judged rows still read)")
    for name, fit in fits.items():
        print(f"  {name}")
        with_termhood(data, seed, texts, fit([t for _, t, _ in blind], [g for _, _, g in blind]))
        screen(data, seed)
    with_glossary(data, seed, texts)

    def named(evs: list[dict]) -> str:
        return f"{sum(ev['cand:glossary'] > 0 for ev in evs)} of {len(evs)}"

    print(f"  glossary: statements with an end the glossary names: seed {named(_seed(seed))}; "
          f"samples 1-12 {named(_judged(data, rb.FIT_ON))}; samples 13-19 {named(_judged(data, rb.HELD_OUT))}")
    screen(data, seed, "glossary")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
