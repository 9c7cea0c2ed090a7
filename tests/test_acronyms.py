"""Acronyms read in the context of the file that defines them, and aliases that stay aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ConfigError
from kg.extract.abbreviations import abbreviations
from kg.extract.acronyms import Definition, resolve, same_meaning, singular_tail
from kg.extract.component import SPAN_KEY
from kg.extract.conceptfile import Vocabulary
from kg.extract.lexicon import Glossary, narrower, read_glossary
from kg.extract.merge import _Found, _merge, extract
from kg.model import QAItem, Relation
from kg.relations import merge_relations


def _item(source: str, n: int, q: str, a: str = "") -> QAItem:
    return QAItem(f"{source}-{n}", n, q, a, source, n, q, a)


@pytest.mark.parametrize(
    ("longer", "shorter", "expected"),
    [
        ("multinomial logistic regression", "regression", True),
        ("Multinomial Logistic Regression", "logistic regression", True),
        ("k-fold cross-validation", "cross validation", True),
        ("regression problem", "regression", False),  # the head changed: a tail, not a modifier
        ("logistic regression", "logistic regression", False),
        ("supervised machine learning", "supervised learning", False),
        ("regression", "multinomial logistic regression", False),
    ],
)
def test_acronyms_narrower_is_a_term_with_words_in_front(longer: str, shorter: str, expected: bool) -> None:
    assert narrower(longer, shorter) is expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("graph neural networks", "graph neural network"),
        ("decision trees", "decision tree"),
        ("hinge loss", None),
        ("summary statistics", None),
        ("principal component analysis", None),
        ("gradient", None),
        ("gps", None),
    ],
)
def test_acronyms_singular_tail_drops_a_plural_s_only(key: str, expected: str | None) -> None:
    assert singular_tail(key) == expected


def test_acronyms_resolve_gives_each_file_its_own_expansion() -> None:
    defs = [
        Definition("retrieval.md", "knn", "k nearest neighbor"),
        Definition("graphs.md", "knn", "k-nearest-neighbour graph"),
    ]
    r = resolve(defs, {"knn", "k nearest neighbor", "k-nearest-neighbour graph"})
    assert r.target("retrieval.md", "knn") == "k nearest neighbor"
    assert r.target("graphs.md", "knn") == "k-nearest-neighbour graph"
    assert r.target("elsewhere.md", "knn") is None  # the glossary or the acronym itself decides
    assert r.ambiguous == {"knn"}


def test_acronyms_resolve_a_single_meaning_holds_for_the_whole_bank() -> None:
    defs = [
        Definition("a.md", "wer", "word error rates"),
        Definition("b.md", "wer", "word error rate"),
        Definition("b.md", "wer", "word error rate"),
    ]
    r = resolve(defs, {"wer", "word error rate", "word error rates"})
    # a plural is the same meaning, and every file lands on the key written most
    assert {r.target(f, "wer") for f in ("a.md", "b.md", "c.md")} == {"word error rate"}
    assert r.ambiguous == frozenset()


def test_acronyms_resolve_ignores_a_definition_by_the_long_forms_last_word() -> None:
    defs = [Definition("a.md", "regression", "ordinal logistic regression")]
    r = resolve(defs, {"regression", "ordinal logistic regression"})
    assert r.target("a.md", "regression") is None


def test_acronyms_resolve_needs_the_acronym_mentioned_not_its_long_form() -> None:
    defs = [Definition("a.md", "abc", "alpha beta chain")]
    assert resolve(defs, {"abc"}).target("a.md", "abc") == "alpha beta chain"
    assert resolve(defs, {"alpha beta chain"}).target("a.md", "abc") is None


def test_acronyms_glossary_refuses_a_narrower_alias_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.toml"
    path.write_text('[aliases]\n"ranking" = ["rank"]\n"sampling" = ["sample",\n  "stratified sampling"]\n')
    with pytest.raises(ConfigError) as err:
        read_glossary(path)
    assert str(err.value) == (
        f'{path}:4: "stratified sampling" is a narrower term than "sampling", not another name for it: give it an '
        "entry of its own, or list it under [same] when its modifier adds nothing in the field"
    )


def test_acronyms_glossary_same_table_joins_a_stated_exception(tmp_path: Path) -> None:
    path = tmp_path / "glossary.toml"
    path.write_text('[aliases]\n"lattice" = ["grid"]\n\n[same]\n"lattice" = ["regular lattice"]\n')
    assert read_glossary(path).aliases["lattice"] == ("grid", "regular lattice")


def test_acronyms_bundled_glossary_keeps_wider_terms_apart() -> None:
    glossary = read_glossary()
    for label, names in glossary.aliases.items():
        for name in names:
            assert not narrower(name, label) or name in _same_table(), (label, name)


def _same_table() -> set[str]:
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(files("kg").joinpath("data/glossary.toml").read_text(encoding="utf-8"))
    return {name for names in data.get("same", {}).values() for name in names}


def test_acronyms_abbreviations_refuse_a_word_of_the_long_form_as_short_form() -> None:
    import spacy
    from spacy.tokens import Span

    nlp = spacy.blank("en")
    doc = nlp("Ordinal Regression ( Cumulative Link Regression ) and Cumulative Link Model ( CLM )")
    doc.spans[SPAN_KEY] = [
        Span(doc, 1, 2, label="regression"),
        Span(doc, 3, 6, label="cumulative link regression"),
        Span(doc, 8, 11, label="cumulative link model"),
        Span(doc, 12, 13, label="clm"),
    ]
    assert [(s.label_, lf.label_) for s, lf in abbreviations(doc)] == [("clm", "cumulative link model")]


def test_acronyms_relation_ends_follow_the_items_own_meaning() -> None:
    rels = [
        Relation("ann", "uses", "vector index", "uses", "a-1", "ANN uses a vector index."),
        Relation("ann", "uses", "vector index", "uses", "b-1", "ANN uses a vector index."),
    ]
    ids = {"ann": "neural-network", "vector index": "vector-index"}
    merged = merge_relations(rels, ids, {("a-1", "ann"): "approximate-nearest-neighbor"})
    assert sorted((r.head, r.questions) for r in merged) == [
        ("approximate-nearest-neighbor", ("a-1",)),
        ("neural-network", ("b-1",)),
    ]


# Through the real pipeline: small banks of two or three files, texts of their own.


def _concept_of(ex, item: str, text: str):
    by_id = {c.id: c for c in ex.concepts}
    found = {by_id[m.concept] for m in ex.mentions if m.item == item and m.text == text}
    assert len(found) == 1, (item, text, found)
    return found.pop()


@pytest.mark.model
def test_acronyms_two_files_two_meanings_give_two_concepts(nlp) -> None:
    items = [
        _item("search.md", 1, "What is an approximate nearest neighbor (ANN) index?", "An ANN index answers fast."),
        _item("search.md", 2, "When does ANN lose recall?", "ANN skips some candidates."),
        _item("nets.md", 1, "What is an artificial neural network (ANN)?", "An ANN stacks layers of neurons."),
        _item("nets.md", 2, "How is an ANN trained?", "Backpropagation trains an ANN."),
        _item("misc.md", 1, "Why is an ANN a universal approximator?", "Hidden units let an ANN fit a function."),
    ]
    ex = extract(items, nlp)
    search = _concept_of(ex, "search.md-2", "ANN")
    nets = _concept_of(ex, "nets.md-2", "ANN")
    assert search != nets
    assert search.label == "approximate nearest neighbor"
    assert set(search.questions) == {"search.md-1", "search.md-2"}
    # the file that defines it the glossary's way, and a file that defines neither, follow the glossary
    assert "neural network" in nets.aliases
    assert _concept_of(ex, "misc.md-1", "ANN") == nets
    assert set(nets.questions) == {"nets.md-1", "nets.md-2", "misc.md-1"}


@pytest.mark.model
def test_acronyms_a_definition_beats_the_glossary_in_its_own_file_only(nlp) -> None:
    items = [
        _item("search.md", 1, "Why do vector databases use approximate nearest neighbor (ANN) search?", "ANN is fast."),
        _item("training.md", 1, "How is an ANN trained?", "Backpropagation trains an ANN."),
        _item("training.md", 2, "What does a neural network learn?", "A neural network learns weights."),
    ]
    ex = extract(items, nlp)
    search = _concept_of(ex, "search.md-1", "ANN")
    assert search.label == "approximate nearest neighbor"  # two meanings in this bank: the long form names it
    nets = _concept_of(ex, "training.md-1", "ANN")
    assert nets == _concept_of(ex, "training.md-2", "neural network") != search


@pytest.mark.model
def test_acronyms_one_definition_outside_the_glossary_holds_in_every_file(nlp) -> None:
    items = [
        _item("drift.md", 1, "What is the population stability index (PSI)?", "PSI compares two distributions."),
        _item("alerts.md", 1, "When does PSI raise an alarm?", "PSI above a threshold raises it."),
    ]
    ex = extract(items, nlp)
    assert _concept_of(ex, "alerts.md-1", "PSI") == _concept_of(ex, "drift.md-1", "population stability index")


@pytest.mark.model
def test_acronyms_meanings_outside_the_glossary_and_an_undefined_use_stay_apart(nlp) -> None:
    items = [
        _item("drift.md", 1, "What is the population stability index (PSI)?", "PSI compares two distributions."),
        _item("genes.md", 1, "How is the positive selection index (PSI) computed?", "The PSI counts selected sites."),
        _item("alerts.md", 1, "When does PSI raise an alarm?", "PSI above a threshold raises it."),
    ]
    ex = extract(items, nlp)
    labels = [_concept_of(ex, f"{f}-1", "PSI").label for f in ("drift.md", "genes.md", "alerts.md")]
    assert labels == ["population stability index", "positive selection index", "PSI"]


@pytest.mark.model
def test_acronyms_a_parenthesised_synonym_is_no_definition_of_its_last_word(nlp) -> None:
    items = [
        _item("a.md", 1, "How are survival times modelled?", "With Cox Regression (Proportional Hazards Regression)."),
        _item("a.md", 2, "What does regression predict?", "Regression predicts a number."),
    ]
    ex = extract(items, nlp)
    wide = _concept_of(ex, "a.md-2", "Regression")
    assert wide != _concept_of(ex, "a.md-1", "Proportional Hazards Regression")
    assert not any(narrower(name, "regression") for name in (wide.label, *wide.aliases))


@pytest.mark.model
def test_acronyms_title_plural_joins_its_singular_but_a_capital_s_does_not(nlp) -> None:
    items = [
        _item("t.md", 1, "What are Graph Neural Networks?", "A graph neural network passes messages."),
        _item("t.md", 2, "Why serve a model over HTTPS?", "HTTP sends plain text."),
    ]
    ex = extract(items, nlp)
    assert _concept_of(ex, "t.md-1", "Graph Neural Networks") == _concept_of(ex, "t.md-1", "graph neural network")
    assert _concept_of(ex, "t.md-2", "HTTPS") != _concept_of(ex, "t.md-2", "HTTP")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("root mean square error", "root mean squared error", True),
        ("maximum a posteiori", "maximum a posteriori", True),
        ("approximate nearest neighbours", "approximate nearest neighbor", True),
        ("domain specific language", "domain-specific language", True),
        ("approximate nearest neighbor", "artificial neural network", False),
        ("mean absolute error", "mean absolute percentage error", False),
        ("error rate", "error ratio", False),
    ],
)
def test_acronyms_same_meaning_forgives_plurals_inflections_and_slips(a: str, b: str, same: bool) -> None:
    assert same_meaning(a, b) is same


def _found(item: int, key: str, surface: str | None = None) -> _Found:
    text = surface or key
    return _Found(item, "answer", key, 0, len(text), text, text, text, True)


def test_acronyms_expansion_written_otherwise_still_meets_the_glossarys_names() -> None:
    items = [_item("a.md", 1, "q"), _item("b.md", 1, "q")]
    raw = [_found(0, "gated recurrent units"), _found(0, "gru", "GRU"), _found(1, "gated unit")]
    glossary = Glossary(aliases={"gated recurrent unit": ("GRU", "gated unit")})
    ex = _merge(items, raw, [Definition("a.md", "gru", "gated recurrent units")], glossary, Vocabulary())
    assert len(ex.concepts) == 1
    assert set(ex.concepts[0].questions) == {"a.md-1", "b.md-1"}


def test_acronyms_long_forms_of_one_meaning_are_one_concept() -> None:
    items = [_item("a.md", 1, "q"), _item("b.md", 1, "q")]
    raw = [_found(0, "root mean square error"), _found(1, "root mean squared error"), _found(1, "rmse", "RMSE")]
    defs = [Definition("a.md", "rmse", "root mean square error"), Definition("b.md", "rmse", "root mean squared error")]
    ex = _merge(items, raw, defs, Glossary(), Vocabulary())
    assert len(ex.concepts) == 1
    assert ex.item_key_to_id[("b.md-1", "rmse")] == ex.concepts[0].id


@pytest.mark.model
def test_acronyms_a_definition_before_a_colon_is_read(nlp) -> None:
    doc = nlp("Retrieval uses Approximate Nearest Neighbor (ANN): embeddings are indexed offline.")
    assert [(s.label_, lf.label_) for s, lf in abbreviations(doc)] == [("ann", "approximate nearest neighbor")]


@pytest.mark.model
def test_acronyms_a_long_form_the_concept_span_cut_short_is_widened(nlp) -> None:
    text = "2. Ranking & Approximate Nearest Neighbor (ANN): candidates come from an ANN index."
    doc = nlp(text)
    assert "nearest neighbor" in [s.label_ for s in doc.spans[SPAN_KEY]]  # the span the finder gives
    assert [(s.label_, lf.text) for s, lf in abbreviations(doc)] == [("ann", "Approximate Nearest Neighbor")]
    ex = extract([_item("rank.md", 1, "How are candidates ranked?", text)], nlp)
    ann = _concept_of(ex, "rank.md-1", "ANN")
    assert "approximate nearest neighbor" in {ann.label, *ann.aliases}
    assert "neural network" not in {ann.label, *ann.aliases}


@pytest.mark.model
def test_acronyms_a_one_word_span_before_the_parenthesis_is_widened_to_spell_the_short_form(nlp) -> None:
    text = "Responsible AI (RAI), promoted by many labs, is a set of practices for building AI systems."
    doc = nlp(text)
    before = [s for s in doc.spans[SPAN_KEY] if s.end == 2]
    assert [s.text for s in before] == ["AI"]  # the finder leaves the adjective out
    assert [(s.label_, lf.text) for s, lf in abbreviations(doc)] == [("rai", "Responsible AI")]
    ex = extract([_item("rai.md", 1, "What is RAI?", text)], nlp)
    rai = _concept_of(ex, "rai.md-1", "RAI")
    assert "responsible ai" in {rai.label.lower(), *rai.aliases}


@pytest.mark.model
def test_acronyms_a_name_holding_an_acronym_is_the_name_spelt_out(nlp) -> None:
    items = [
        _item("ops.md", 1, "How do you deploy an ML model?", "Serve the machine learning model behind an API."),
        _item("gnn.md", 1, "What does a GNN layer do?",
              "A graph neural network (GNN) layer passes messages; each graph neural network layer aggregates."),
    ]
    ex = extract(items, nlp)
    assert _concept_of(ex, "ops.md-1", "ML model") == _concept_of(ex, "ops.md-1", "machine learning model")
    assert _concept_of(ex, "gnn.md-1", "GNN layer") == _concept_of(ex, "gnn.md-1", "graph neural network layer")


@pytest.mark.model
def test_acronyms_a_name_spelt_out_is_merged_only_where_the_bank_writes_it(nlp) -> None:
    ex = extract([_item("ops.md", 1, "How do you deploy an ML model?", "Wrap it in a container.")], nlp)
    assert "machine learning model" not in {c.label for c in ex.concepts}
    assert "ML model" in {c.label for c in ex.concepts}
