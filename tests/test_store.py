"""The SQLite store: each query gives what the in-memory bank and views give, and a bad store is refused
by name, never misread."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from kg.atomic import OutputError
from kg.graph import questions_of, related_concepts, related_questions
from kg.model import CLOSE_KINDS, PAIR_KINDS, cnode, qnode
from kg.relations.confidence import threshold
from kg.render import local_graph, view_graph
from kg.search import search, search_index
from kg.store import StoreError, open_store, write_store
from kg.views import answer_mentions, mention_spans
from tests.shared import SHARED

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["seed", pytest.param("shared", marks=pytest.mark.skipif(
    not SHARED.is_file(), reason=f"{SHARED} is absent"))])  # fmt: skip
def stored(request, seed_bank, tmp_path_factory):
    """(bank, open store) for the seed and a ../shared bank."""
    bank = seed_bank if request.param == "seed" else request.getfixturevalue("shared_bank")
    path = write_store(bank, tmp_path_factory.mktemp("store") / "bank.sqlite", key="k")
    with open_store(path, check=True) as store:
        yield bank, store


def _sample(values, n: int, seed: int = 0) -> list:
    values = list(values)
    return values if len(values) <= n else random.Random(seed).sample(values, n)


def test_store_concept_pages_match_the_bank_graph(stored) -> None:
    bank, store = stored
    for c in bank.concepts:
        page = store.concept(c.id)
        assert page is not None
        assert page.concept == c
        assert page.topic == bank.topics.get(c.id)
        assert list(page.questions) == questions_of(bank.graph, c.id)
        assert list(page.related) == related_concepts(bank.graph, c.id)
        assert list(page.relations) == [r for r in bank.relations if c.id in (r.head, r.tail)]


def test_store_concept_found_by_label_or_alias_whatever_the_case(stored) -> None:
    bank, store = stored
    named = next(c for c in bank.concepts if c.aliases)
    assert store.find_concept(named.label.upper()) == named.id
    assert store.find_concept(named.aliases[0].replace(" ", "-")) in {c.id for c in bank.concepts}
    assert store.concept("no such concept at all") is None


@pytest.mark.parametrize(
    "filters",
    [{}, {"questions": False}, {"min_questions": 2}, {"generic": False}, {"min_confidence": 0.0}, {"limit": 40}],
)
def test_store_neighbourhood_is_the_local_graph_the_app_draws(stored, filters) -> None:
    bank, store = stored
    least = filters.get("min_confidence", threshold())
    V = view_graph(bank.graph, bank.pairs, min_confidence=least)
    options = {k: v for k, v in filters.items() if k != "min_confidence"}
    hubs = sorted(bank.concepts, key=lambda c: -len(c.questions))[:5]
    centres = [cnode(c.id) for c in hubs + _sample(bank.concepts, 10)] + [qnode(i.id) for i in _sample(bank.items, 5)]
    for centre in centres:
        for depth in (1, 2, 3):
            want = local_graph(V, centre, hops=depth, **options)
            got = store.neighbourhood(centre, depth, min_confidence=least, **options)
            assert [n for n, _ in got.nodes] == list(want), (centre, depth)
            assert dict(got.nodes) == dict(want.nodes(data=True))
            assert {frozenset((u, v)): d for u, v, d in got.edges} == {
                frozenset((u, v)): d for u, v, d in want.edges(data=True)
            }


def test_store_neighbourhood_of_an_unknown_node_is_a_key_error(stored) -> None:
    _, store = stored
    with pytest.raises(KeyError, match="is not a node"):
        store.neighbourhood("c:no-such-concept")


def test_store_search_gives_kg_search_hits_without_meaning(stored) -> None:
    bank, store = stored
    index = search_index(bank.items, bank.concepts)
    labels = [c.label for c in _sample(bank.concepts, 40)]
    queries = labels + [label[:-1] for label in labels if len(label) > 6]  # prefixes and typos
    queries += [label.upper() for label in labels[:5]] + [a for c in bank.concepts for a in c.aliases][:10]
    rng = random.Random(1)
    for item in _sample(bank.items, 15):
        words = item.question_text.split()
        queries.append(item.question_text)
        queries.append(" ".join(rng.sample(words, min(3, len(words)))))
    queries += ["", "?!", "zebra crossing", "What is the difference between them?"]
    for query in queries:
        for limit in (5, 10):
            assert store.search(query, limit) == search(index, query, None, limit=limit), query


def test_store_question_pages_match_the_bank(stored) -> None:
    bank, store = stored
    from kg.views import question_title

    for item in bank.items:
        page = store.question(item.id)
        assert page is not None and page.item == item
        assert page.title == question_title(item)
        assert [c for c, _ in page.concepts] == bank.concepts_of(item.id)
        assert list(page.spans) == mention_spans(bank, item.id, "question")
        assert list(page.close) == [p for p in bank.pairs if item.id in (p.a, p.b) and p.kind in CLOSE_KINDS]
        assert list(page.related) == related_questions(bank.graph, item.id, top=10)
    assert store.question("no-such-id") is None


def test_store_answer_sentences_are_the_panel_s(stored) -> None:
    bank, store = stored
    first = answer_mentions(bank)
    for c in _sample(bank.concepts, 20):
        asked = questions_of(bank.graph, c.id)
        found = store.answer_mentions(c.id, asked)
        assert found == {q: first[(c.id, q)] for q in asked if (c.id, q) in first}


@pytest.mark.parametrize("kind", [None, *PAIR_KINDS])
def test_store_pairs_come_a_page_at_a_time_in_the_bank_s_order(stored, kind) -> None:
    bank, store = stored
    want = [p for p in bank.pairs if kind is None or p.kind == kind]
    assert store.pair_count(kind) == len(want)
    for offset, limit in ((0, 10), (5, 7), (len(want) - 3, 50), (len(want) + 5, 10)):
        assert store.pairs(kind, max(offset, 0), limit) == want[max(offset, 0) : max(offset, 0) + limit]


@pytest.mark.parametrize("floor", [0.0, 0.05, 0.1, 0.3, 0.55, 0.9, 1.0])
def test_store_pairs_at_or_above_a_score_are_the_bank_s(stored, floor) -> None:
    bank, store = stored
    for kind in (None, *PAIR_KINDS):
        want = [p for p in bank.pairs if (kind is None or p.kind == kind) and p.score >= floor]
        assert store.pair_count(kind, floor) == len(want), (kind, floor)
        for offset, limit in ((0, 10), (3, 7), (max(len(want) - 3, 0), 50), (len(want) + 2, 5)):
            assert store.pairs(kind, offset, limit, floor) == want[offset : offset + limit], (kind, offset)
    links = [(p.a, p.b, p.score) for p in bank.pairs if p.kind == "duplicate" and p.score >= floor]
    assert store.duplicate_links(floor) == links


def test_store_pairs_of_a_kind_fall_in_score_whatever_the_bank_s_order(seed_bank, tmp_path) -> None:
    """A bank whose pairs are out of order is written best first, so a floor still cuts each kind once."""
    import dataclasses

    shuffled = list(seed_bank.pairs)
    random.Random(1).shuffle(shuffled)
    path = write_store(dataclasses.replace(seed_bank, pairs=tuple(shuffled)), tmp_path / "shuffled.sqlite")
    with open_store(path) as store:
        for kind in PAIR_KINDS:
            scores = [p.score for p in store.pairs(kind, 0, 10_000)]
            assert scores == sorted(scores, reverse=True) and len(scores) == store.pair_count(kind)
            assert store.pair_count(kind, 0.2) == sum(1 for s in scores if s >= 0.2)


def test_store_pairs_between_finds_stored_pairs_either_way_round(stored) -> None:
    bank, store = stored
    chosen = _sample(bank.pairs, 6, seed=3)
    keys = [frozenset((p.b, p.a)) for p in chosen] + [frozenset(("no-such", bank.items[0].id))]
    found = store.pairs_between(keys)
    assert sorted((p.a, p.b) for _, p in found) == sorted((p.a, p.b) for p in chosen)
    for nth, p in found:
        assert store.pairs(p.kind, nth, 1) == [p]
    assert store.pairs_between([]) == [] and store.aside_pairs() == []


def test_store_keeps_items_concepts_topics_and_counts(stored) -> None:
    bank, store = stored
    assert store.items() == list(bank.items)
    assert store.concepts() == list(bank.concepts)
    assert store.topics() == bank.topics
    assert store.counts() == {
        "items": len(bank.items), "concepts": len(bank.concepts), "pairs": len(bank.pairs),
        "relations": len(bank.relations),
    }  # fmt: skip
    assert store.key == "k"


def test_store_app_lists_match_the_bank(stored) -> None:
    """What the app's overview, opening view, legend and Concepts page read: as the bank in memory gives."""
    from kg.render import opening
    from kg.specificity import ranked
    from kg.topics import topic_summaries
    from kg.views import concept_rows

    bank, store = stored
    assert store.concept_rows() == concept_rows(bank)
    assert store.topic_summaries() == topic_summaries(bank.graph, bank.topics)
    for generic in (True, False):
        want = [c for c in ranked(bank.concepts, lambda c: (-len(c.questions), c.label)) if generic or not c.generic]
        assert store.top_concepts(15, generic=generic) == want[:15]
    # the concept a bank too big to draw whole opens on (kg.render.opening, whatever the bank's size)
    top = max(bank.concepts, key=lambda c: (not c.generic, len(c.questions), c.label))
    assert store.opening() == cnode(top.id)
    assert opening(bank.graph, bank.concepts) in (None, store.opening())
    assert store.nodes_total == bank.graph.number_of_nodes()


def test_store_names_the_bank_files_it_was_written_from(seed_bank, tmp_path) -> None:
    path = write_store(seed_bank, tmp_path / "b.sqlite", files=["data/questions.md"])
    assert open_store(path).files() == [str(Path("data/questions.md").resolve())]
    assert open_store(write_store(seed_bank, tmp_path / "c.sqlite")).files() == []


def test_store_fold_is_the_extraction_s(seed_bank) -> None:
    from kg.extract.keys import fold
    from kg.store.read import _fold

    for c in seed_bank.concepts:
        for name in (c.label, *c.aliases, c.label.upper() + " - x/y_z"):
            assert _fold(name) == fold(name)


def test_store_positions_round_trip(seed_bank, tmp_path) -> None:
    positions = {cnode(seed_bank.concepts[0].id): (1.5, -2.0), qnode(seed_bank.items[0].id): (0.0, 3.25)}
    store = open_store(write_store(seed_bank, tmp_path / "b.sqlite", positions=positions))
    assert store.positions() == positions
    assert store.positions([qnode(seed_bank.items[0].id)]) == {qnode(seed_bank.items[0].id): (0.0, 3.25)}


# ------------------------------------------------------------------------------------------------
# Bad stores and failed writes


@pytest.fixture
def written(seed_bank, tmp_path) -> Path:
    return write_store(seed_bank, tmp_path / "bank.sqlite")


def _set_meta(path: Path, name: str, value: str | None) -> None:
    db = sqlite3.connect(path)
    if value is None:
        db.execute("DELETE FROM meta WHERE name = ?", (name,))
    else:
        db.execute("UPDATE meta SET value = ? WHERE name = ?", (value, name))
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda p: p.unlink(), "no such file"),
        (lambda p: p.write_text("# a markdown bank\n"), r"not a kg store \(not an SQLite file\)"),
        (lambda p: (p.unlink(), sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit()),
         r"not a kg store \(an SQLite file without kg's tables\)"),
        (lambda p: _set_meta(p, "format", "other"), "not a kg store"),
        (lambda p: _set_meta(p, "schema", "0"), r"written by kg .* \(store schema 0\).*write it again with 'kg store'"),
        (lambda p: _set_meta(p, "kg_version", "0.0.1"), r"written by kg 0\.0\.1 .*write it again"),
        (lambda p: _set_meta(p, "schema", "2"), r"\(store schema 2\); this is kg \S+ \(schema 3\): write it again"),
        (lambda p: _set_meta(p, "complete", None), "the store is incomplete"),
    ],
)  # fmt: skip
def test_store_refuses_a_bad_file_by_name(written, spoil, message) -> None:
    spoil(written)
    with pytest.raises(StoreError, match=message) as caught:
        open_store(written)
    assert str(caught.value).startswith(f"{written}: ")


def test_store_damaged_pages_are_named_not_misread(written) -> None:
    data = bytearray(written.read_bytes())
    page = 4096
    for start in range(page * 3, len(data), page):  # keep the header, the schema and the meta pages
        data[start : start + page] = random.Random(start).randbytes(min(page, len(data) - start))
    written.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"damaged|cannot be read|not a kg store"):
        store = open_store(written, check=True)
        store.search("relu")


def test_store_write_into_a_missing_folder_is_an_output_error(seed_bank, tmp_path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_store(seed_bank, tmp_path / "no" / "bank.sqlite")


def test_store_interrupted_write_keeps_the_old_store_and_leaves_no_temporary(seed_bank, written, monkeypatch) -> None:
    import kg.store.write as writer

    before = written.read_bytes()

    def fail(db, bank, *args):
        db.execute("INSERT INTO meta VALUES ('half', 'written')")
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "_fill", fail)
    with pytest.raises(KeyboardInterrupt):
        write_store(seed_bank, written)
    assert written.read_bytes() == before
    assert sorted(os.listdir(written.parent)) == [written.name]
    assert open_store(written).counts()["items"] == len(seed_bank.items)


def test_store_copy_opened_read_only_is_not_changed(written, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite"
    shutil.copy(written, copy)
    before = copy.read_bytes()
    with open_store(copy) as store:
        store.search("relu")
        store.neighbourhood("relu", 2)
    assert copy.read_bytes() == before


def test_store_open_current_reads_only_a_store_of_this_key(seed_bank, tmp_path, caplog) -> None:
    from kg.store import open_current

    path = write_store(seed_bank, tmp_path / "bank.sqlite", key="this")
    assert open_current(path, "this") is not None
    assert not caplog.records
    assert open_current(path, "that") is None
    assert "written for another bank or other settings; writing it again" in caplog.text
    _set_meta(path, "kg_version", "0.0.1")
    caplog.clear()
    assert open_current(path, "this") is None
    assert f"{path}: written by kg 0.0.1" in caplog.text
    assert open_current(tmp_path / "none.sqlite", "this") is None
