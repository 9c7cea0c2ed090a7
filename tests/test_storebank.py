"""The app's questions answered from a store (ui.storebank.StoreBank) are those the bank in memory
answers (what ui.access.MemoryAccess calls): panels, neighbourhoods, search, pages of pairs."""

from __future__ import annotations

import random

import pytest

from kg import render
from kg.decisions import Decision
from kg.graph import RELATED_TOP, questions_of, related_concepts, related_questions
from kg.model import CLOSE_KINDS, cnode, qnode
from kg.relations.confidence import threshold
from kg.search import search, search_index
from kg.store import open_store, write_store
from kg.views import answer_mentions, mention_spans
from ui.access import access
from ui.storebank import StoreBank

pytestmark = pytest.mark.model


def place(G):
    """A layout that depends on the nodes alone, so that both sides place a view alike."""
    return {n: (float(k), float(-k)) for k, n in enumerate(sorted(G))}


@pytest.fixture(scope="module")
def both(seed_bank, tmp_path_factory):
    path = write_store(seed_bank, tmp_path_factory.mktemp("store") / "seed.sqlite", files=["data/questions.md"])
    with open_store(path) as store:
        yield seed_bank, StoreBank(store, place)


def test_storebank_is_its_own_access_and_pages_its_pairs(both) -> None:
    bank, data = both
    assert access(data, "k") is data and data.paged
    assert not access(bank, "k").paged


def test_storebank_concept_panels_are_the_bank_s(both) -> None:
    bank, data = both
    for c in bank.concepts:
        assert data.concept(c.id) == c
        assert data.topic(c.id) == bank.topics.get(c.id)
        assert data.related_concepts(c.id, RELATED_TOP) == related_concepts(bank.graph, c.id, top=RELATED_TOP)
        assert data.relations_of(c.id) == [r for r in bank.relations if c.id in (r.head, r.tail)]
        asked = questions_of(bank.graph, c.id)
        assert data.questions_of(c.id) == asked
        every = answer_mentions(bank)
        assert data.answer_mentions(c.id, asked) == {q: every[(c.id, q)] for q in asked if (c.id, q) in every}
    assert data.concept("no-such-concept") is None and data.questions_of("no-such-concept") == []


def test_storebank_question_panels_are_the_bank_s(both) -> None:
    bank, data = both
    for item in bank.items:
        assert data.item(item.id) == item
        assert data.concepts_of(item.id) == bank.concepts_of(item.id)
        assert data.mention_spans(item.id, "question") == mention_spans(bank, item.id, "question")
        assert data.close_pairs(item.id) == [p for p in bank.pairs if item.id in (p.a, p.b) and p.kind in CLOSE_KINDS]
        assert data.related_questions(item.id, 10) == related_questions(bank.graph, item.id, top=10)
    assert data.has_node(qnode(bank.items[0].id)) and not data.has_node("q:nothing") and not data.has_node("x")


@pytest.mark.parametrize(
    "settings",
    [(2, True, 1, False, True), (1, True, 1, False, True), (3, False, 2, True, False)],
    ids=["defaults", "one hop", "filters"],
)
def test_storebank_neighbourhood_payload_is_the_app_s(both, settings) -> None:
    bank, data = both
    hops, questions, least, uncertain, generic = settings
    V = render.view_graph(bank.graph, bank.pairs, min_confidence=0.0 if uncertain else threshold())
    hubs = sorted(bank.concepts, key=lambda c: -len(c.questions))[:3]
    for centre in [cnode(c.id) for c in hubs] + [qnode(bank.items[3].id)]:
        asked = (False, centre, hops, questions, least, uncertain, generic)
        # the first view was laid out when the store was written; any other is laid out when asked for
        first = data.store.view(asked) is not None
        want = render.view_data(
            V, layout if first else place, full=False, centre=centre, hops=hops, questions=questions,
            min_questions=least, generic=generic, topics=bank.topics,
        )  # fmt: skip
        assert data.graph_payload(asked) == want


def layout(G):
    return render.layout(G, seed=0)


def test_storebank_first_view_is_stored_with_the_default_settings(both) -> None:
    bank, data = both
    default = (False, data.opening(), render.DEFAULT_HOPS, True, 1, False, True)
    assert data.opening() == cnode(max(bank.concepts, key=lambda c: (not c.generic, len(c.questions), c.label)).id)
    assert data.store.view(default) is not None
    for other in [(False, data.opening(), 1, True, 1, False, True), (False, data.opening(), 2, False, 1, False, True)]:
        assert data.store.view(other) is None
    V = render.view_graph(bank.graph, bank.pairs, min_confidence=threshold())
    assert data.graph_payload(default) == render.view_data(
        V, layout, full=False, centre=data.opening(), hops=render.DEFAULT_HOPS, questions=True, min_questions=1,
        generic=True, topics=bank.topics,
    )  # fmt: skip


def test_storebank_search_overview_and_legend_are_the_bank_s(both) -> None:
    from kg.topics import topic_summaries
    from kg.views import kind_counts

    bank, data = both
    index = search_index(bank.items, bank.concepts)
    rng = random.Random(0)
    queries = ["relu", "dying relu", "vanishing gradent", "What is dropout?"]
    queries += [rng.choice(bank.items).question_text for _ in range(5)]
    for q in queries:
        assert data.search(q, 10) == [h.node for h in search(index, q, None, limit=10)], q
    assert data.counts() == (len(bank.items), len(bank.concepts), kind_counts(bank.pairs))
    assert data.questions() == len(bank.items)
    assert data.topics() == bank.topics
    assert data.topic_summaries() == topic_summaries(bank.graph, bank.topics)
    assert data.note("search") and data.note("whole graph") and data.coverage() is None


def test_storebank_marks_the_curator_s_verdicts_on_its_pairs_and_keeps_its_kinds(both) -> None:
    bank, data = both
    pair = next(p for p in bank.pairs if p.kind in CLOSE_KINDS)
    decided = data.with_verdicts({frozenset((pair.a, pair.b)): Decision(pair.b, pair.a, "different")})
    shown = next(p for p in decided.close_pairs(pair.a) if {p.a, p.b} == {pair.a, pair.b})
    assert shown.verdict == "different" and shown.kind == pair.kind
    assert all(p.verdict is None for p in data.close_pairs(pair.a))  # the shared bank is not changed
    page = decided.pairs(pair.kind, 0, 50)
    assert [p.verdict for p in page if {p.a, p.b} == {pair.a, pair.b}] == ["different"]


def test_storeload_verdicts_go_beside_the_bank_the_store_names(seed_bank, tmp_path) -> None:
    from ui.banks import Source
    from ui.storeload import store_decisions

    folder = tmp_path / "bank"
    folder.mkdir()
    named = write_store(seed_bank, tmp_path / "named.sqlite", files=[folder / "questions.md"])
    assert store_decisions(str(named)) == folder.resolve() / "kg-accepted.toml"
    assert Source("bank1", "named.sqlite", str(named), store=True).decisions == store_decisions(str(named))
    # no files named, or their folder gone: the verdicts are kept for the session and offered for download
    assert store_decisions(str(write_store(seed_bank, tmp_path / "unnamed.sqlite"))) is None
    gone = write_store(seed_bank, tmp_path / "gone.sqlite", files=[tmp_path / "moved" / "questions.md"])
    assert store_decisions(str(gone)) is None
    assert store_decisions(str(tmp_path / "missing.sqlite")) is None
