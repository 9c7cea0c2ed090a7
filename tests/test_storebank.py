"""The app's questions answered from a store (ui.storebank.StoreBank) are those the bank in memory
answers (what ui.access.MemoryAccess calls): panels, neighbourhoods, search, pages of pairs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg import render
from kg.decisions import Decision
from kg.graph import RELATED_TOP, questions_of, related_concepts, related_questions
from kg.model import CLOSE_KINDS, cnode, qnode
from kg.relations.confidence import threshold
from kg.search import search, search_index
from kg.store import open_store, write_store
from kg.views import answer_mentions, mention_spans
from tests.shared import SHARED
from ui.access import access
from ui.storebank import StoreBank

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]


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


# ------------------------------------------------------------------------------------------------
# The Duplicates page: what a store lists is what the page lists for the bank in memory

SMALL = """# Networks

1. What does a load balancer do?

   A load balancer spreads incoming requests across several backend servers so that no single server is
   overloaded, and it stops sending traffic to a server that fails its health check.

2. What does a load balancer do?

   A load balancer spreads incoming requests across several backend servers so that no single server is
   overloaded, and it stops sending traffic to a server that fails its health checks.

3. What does the load balancer do?

   A load balancer spreads incoming requests across several backend servers so that no single server is
   overloaded, and it stops sending traffic to a server that fails its health check.

4. What is a DNS record?

   A DNS record maps a domain name to data such as an IP address; an A record holds an IPv4 address and an
   MX record names the mail server of the domain.

5. What is a DNS record?

   A DNS record maps a domain name to data such as an IP address; an A record holds an IPv4 address and an
   MX record names the mail server.

6. How does TCP differ from UDP?

   TCP opens a connection, orders the bytes and retransmits lost segments; UDP sends independent datagrams
   with no delivery guarantee and no ordering.

7. What is a subnet mask?

   A subnet mask splits an IPv4 address into a network part and a host part, so hosts know which addresses
   are on their own subnet.
"""


@pytest.fixture(scope="module")
def small_bank(nlp, tmp_path_factory):
    """A bank of seven questions: three copies of one (a group of three duplicates), two of another."""
    from kg.parse import parse_file
    from kg.pipeline import build_bank

    path = tmp_path_factory.mktemp("small") / "bank.md"
    path.write_text(SMALL, encoding="utf-8")
    return build_bank(parse_file(path), nlp)


def _decided_store(scored, decisions, path):
    """The bank with ``decisions`` applied and its store written as ``kg store`` writes it (the pairs
    called different kept apart), and the pairs the bank in memory sets aside."""
    import dataclasses

    from kg.decisions import apply_verdicts, set_aside

    ids = {i.id for i in scored.items}
    bank = dataclasses.replace(scored, pairs=tuple(apply_verdicts(scored.pairs, decisions, ids)))
    aside = set_aside(scored.pairs, decisions)
    return bank, aside, write_store(bank, path, aside=aside)


def _in_memory(bank, aside, kinds, floor, with_aside):
    """The page's list, its groups and its downloads for the bank in memory (ui/pages/duplicates.py)."""
    from kg.similar import group_duplicates
    from kg.views import pairs_csv
    from ui.pages.duplicates import listed, pairs_json

    pairs = listed(bank.pairs, aside, kinds, floor, with_aside)
    groups = group_duplicates([p for p in pairs if p.verdict != "different"])
    return pairs, groups, pairs_csv(bank, pairs).encode(), pairs_json(pairs).encode()


CHOICES = [(CLOSE_KINDS, False), (("duplicate", "overlap", "related"), True), (("related",), False),
           (("overlap", "duplicate"), True), ((), True)]  # fmt: skip


def _compare(bank, aside, data, floors) -> int:
    """Check the store page's data against the bank's at every floor and choice; how many pairs were listed."""
    from kg.model import PAIR_KINDS
    from kg.views import kind_counts

    seen = 0
    for floor in floors:
        counts = data.pair_list(PAIR_KINDS, floor, False).counts()
        assert counts == kind_counts(p for p in bank.pairs if p.score >= floor), floor
        for kinds, with_aside in CHOICES:
            pairs, groups, csv, js = _in_memory(bank, aside, kinds, floor, with_aside)
            listing = data.pair_list(kinds, floor, with_aside)
            assert len(listing) == len(pairs)
            for size in (50, 7):  # pages that cross from one kind to the next, and into the aside pairs
                paged = [p for start in range(0, len(listing), size) for p in listing.page(start, size)]
                assert paged == pairs, (floor, kinds, with_aside, size)
            assert listing.page(len(pairs), 50) == []
            assert [[i for i, _ in g] for g in data.duplicate_groups(listing)] == groups
            assert listing.csv_bytes() == csv and listing.json_bytes() == js, (floor, kinds, with_aside)
            seen += len(pairs)
    return seen


FLOORS = (0.0, 0.05, 0.3, 0.5, 0.65, 0.8, 1.0)




@pytest.mark.parametrize("which", ["seed", pytest.param("shared", marks=pytest.mark.skipif(
    not SHARED.is_file(), reason=f"{SHARED} is absent"))])  # fmt: skip
def test_storebank_duplicates_page_lists_groups_and_downloads_what_the_bank_in_memory_does(which, request, tmp_path):
    bank, aside, path = _decided_store(request.getfixturevalue(f"{which}_bank"), {}, tmp_path / "bank.sqlite")
    with open_store(path) as store:
        assert _compare(bank, aside, StoreBank(store, place), FLOORS) > 0


def test_storebank_duplicate_group_of_three_is_the_bank_s(small_bank, tmp_path) -> None:
    from kg.similar import group_duplicates

    assert max(len(g) for g in group_duplicates(small_bank.pairs)) >= 3  # the bank has what is tested
    bank, aside, path = _decided_store(small_bank, {}, tmp_path / "small.sqlite")
    with open_store(path) as store:
        data = StoreBank(store, place)
        _compare(bank, aside, data, FLOORS)
        listing = data.pair_list(CLOSE_KINDS, 0.0, False)
        assert [len(g) for g in data.duplicate_groups(listing)] == [3, 2]
        assert data.duplicate_groups(data.pair_list(("overlap",), 0.0, False)) == []  # groups are of duplicates
        assert data.duplicate_groups(listing) == store.duplicate_groups()  # as written, while no floor cuts


def test_storebank_groups_follow_a_floor_that_cuts_duplicate_pairs(small_bank, tmp_path) -> None:
    """The bank's duplicate pairs scored apart (0.95, 0.9, …), so that each step of the floor cuts one
    off and the groups are made again from those left, as in memory; a chain breaks a group of three."""
    import dataclasses

    from kg.store.write import best_first

    scores = iter([0.95, 0.9, 0.85, 0.8, 0.75])
    spread = [dataclasses.replace(p, score=next(scores)) if p.kind == "duplicate" else p for p in small_bank.pairs]
    bank = dataclasses.replace(small_bank, pairs=tuple(best_first(spread)))
    bank, aside, path = _decided_store(bank, {}, tmp_path / "spread.sqlite")
    with open_store(path) as store:
        data = StoreBank(store, place)
        _compare(bank, aside, data, (0.0, 0.76, 0.8, 0.82, 0.86, 0.9, 0.92, 0.95, 0.96))
        sizes = [[len(g) for g in data.duplicate_groups(data.pair_list(CLOSE_KINDS, f, False))] for f in (0.0, 0.86)]
        assert sizes[0] == [3, 2] and sizes[1] == [2]  # of the three, two links left: a pair, not a chain


@pytest.mark.parametrize("which", ["seed", "small"])
def test_storebank_pairs_decided_different_are_left_out_and_listed_apart_as_in_memory(which, request, tmp_path):
    """Verdicts given before the store was written (kept apart in it) and after (the session's, on pairs
    inside its pages): the page's lists, groups and downloads are those of the bank in memory with the
    same verdicts."""
    scored = request.getfixturevalue(f"{which}_bank")
    of = {k: [p for p in scored.pairs if p.kind == k] for k in ("duplicate", "overlap", "related")}
    middle = [of["overlap"][len(of["overlap"]) // 2]] if of["overlap"] else []
    chosen = [of["duplicate"][0], of["duplicate"][-1], *middle,
              of["related"][len(of["related"]) // 3], of["related"][2 * len(of["related"]) // 3]]  # fmt: skip
    different = {frozenset((p.a, p.b)): Decision(p.b, p.a, "different") for p in chosen}
    first = next(iter(different))
    before = {first: different[first]}
    _, _, path = _decided_store(scored, before, tmp_path / "decided.sqlite")
    with open_store(path) as store:
        for verdicts in (before, different):
            bank, aside, _ = _decided_store(scored, verdicts, tmp_path / "memory.sqlite")
            data = StoreBank(store, place).with_verdicts(verdicts)
            _compare(bank, aside, data, FLOORS)
            assert [(p.a, p.b) for p in data.pair_list(CLOSE_KINDS, 0.0, True).aside()] == [(p.a, p.b) for p in aside]
        assert len(aside) == len(different) >= 3
        # a verdict since undone takes the pair set aside when the store was written off the list
        assert StoreBank(store, place).pair_list(CLOSE_KINDS, 0.0, True).aside() == []


def test_storebank_groups_are_kg_similar_s_complete_linkage() -> None:
    """The store's grouping (no scorer imported) is kg.similar.group_duplicates on any duplicate pairs:
    300 random graphs of chains, triangles and tied scores."""
    from kg.model import Pair
    from kg.similar import group_duplicates
    from kg.store.pairlist import duplicate_groups

    sizes = []
    for seed in range(300):
        rng = random.Random(seed)
        ids = [f"q-{k}" for k in range(rng.randint(2, 12))]
        links = {frozenset(rng.sample(ids, 2)): rng.choice([1.0, 0.9, 0.8, round(rng.random(), 2)])
                 for _ in range(rng.randint(1, 25))}  # fmt: skip
        pairs = [Pair(*sorted(k), s, "duplicate") for k, s in links.items()]
        groups = group_duplicates(pairs)
        assert duplicate_groups((p.a, p.b, p.score) for p in pairs) == groups, seed
        sizes += [len(g) for g in groups]
    assert max(sizes) >= 4 and sizes.count(2) > 10  # big groups and chains cut by complete linkage were met
