"""Tests of kg.topicstate: the last full run's topics kept, and carried over after small edits."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from kg.graph import build_graph
from kg.model import Concept, Mention, QAItem
from kg.topics import OTHER, topics
from kg.topicstate import FULL_SHARE, TopicStore, kept_topics

# Twenty questions on two subjects; every question names a few concepts of its subject.
NEURAL = ["relu", "vanishing gradient", "leaky relu", "activation function", "backpropagation"]
STATS = ["pca", "eigenvector", "variance", "dimensionality reduction", "covariance"]
QUESTIONS = {
    f"q{n}": [words[n % 5], words[(n + 1) % 5], words[(n + 2) % 5]]
    for n, words in enumerate([NEURAL] * 10 + [STATS] * 10)
}


def _bank(questions: dict[str, list[str]]) -> tuple[list[QAItem], dict[str, set[str]], object]:
    items = [QAItem(q, n, f"question {q}", "an answer", "bank/b.md", 2 * n) for n, q in enumerate(questions, 1)]
    asked: dict[str, list[str]] = {}
    for q, cs in questions.items():
        for c in cs:
            asked.setdefault(c, []).append(q)
    concepts = [Concept(c, c, (), tuple(qs)) for c, qs in sorted(asked.items())]
    mentions = [Mention(c, q, "answer", 0, len(c), c, c) for q, cs in questions.items() for c in cs]
    item_concepts = {q: set(cs) for q, cs in questions.items()}
    return items, item_concepts, build_graph(items, concepts, mentions)


def _run(store: TopicStore, questions: dict[str, list[str]], **kw):
    items, item_concepts, G = _bank(questions)
    topic_of, outcome = kept_topics(G, items, item_concepts, store, **kw)
    return topic_of, outcome, G


def test_topicstate_first_run_finds_the_topics_and_keeps_them(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    topic_of, outcome, G = _run(store, QUESTIONS)
    assert topic_of == topics(G, seed=0)
    assert (outcome.full, outcome.why) == (True, "no earlier run")
    assert store.last == outcome
    assert len(list((tmp_path / "topics").rglob("*.json"))) == 1


def test_topicstate_unchanged_bank_keeps_the_same_topics(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    first, _, _ = _run(store, QUESTIONS)
    again, outcome, _ = _run(store, QUESTIONS)
    assert again == first
    assert (outcome.full, outcome.changed) == (False, 0.0)
    assert outcome.line().startswith("topics: kept from the full run of ")


def test_topicstate_small_edit_carries_the_topics_over(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    first, _, _ = _run(store, QUESTIONS)
    edited = dict(QUESTIONS, q0=[*QUESTIONS["q0"], "gelu"], q20=["pca", "scree plot"])  # one edited, one added
    carried, outcome, _ = _run(store, edited)
    assert not outcome.full
    assert outcome.changed == pytest.approx(2 / 20)
    assert carried["gelu"] == first["relu"] and carried["scree plot"] == first["pca"]
    assert {c: carried[c] for c in first} == first


def test_topicstate_edit_past_the_share_finds_topics_again_and_keeps_those(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    _run(store, QUESTIONS)
    changed = int(len(QUESTIONS) * FULL_SHARE) + 1
    edited = dict(QUESTIONS) | {f"q{n}": [*QUESTIONS[f"q{n}"], f"new {n}"] for n in range(changed)}
    found, outcome, G = _run(store, edited)
    assert outcome.full
    assert outcome.why.startswith(f"{changed / len(QUESTIONS):.1%} of the questions name other concepts")
    assert found == topics(G, seed=0)
    _, after, _ = _run(store, edited)
    assert (after.full, after.changed) == (False, 0.0)  # measured from the new full run


def test_topicstate_removed_questions_count_as_changed(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    first, _, _ = _run(store, QUESTIONS)
    fewer = {q: cs for q, cs in QUESTIONS.items() if q != "q19"}
    carried, outcome, G = _run(store, fewer)
    assert not outcome.full and outcome.changed == pytest.approx(1 / 20)
    assert carried == {c: t for c, t in first.items() if c in {n[2:] for n in G if n.startswith("c:")}}


def test_topicstate_full_asked_for_finds_topics_again(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    _run(store, QUESTIONS)
    found, outcome, G = _run(store, QUESTIONS, full=True)
    assert (outcome.full, outcome.why) == (True, "asked for")
    assert outcome.line() == "topics: found again (asked for)"
    assert found == topics(G, seed=0)


def test_topicstate_another_seed_keeps_its_own_topics(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    _run(store, QUESTIONS, seed=0)
    _, outcome, _ = _run(store, QUESTIONS, seed=1)
    assert (outcome.full, outcome.why) == (True, "no earlier run")


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda raw: raw[:-10], "its checksum does not match"),
        (lambda raw: raw.split(b"\n", 1)[0].replace(b'"key"', b'"kez"') + b"\n" + raw.split(b"\n", 1)[1],
         "it was written for another key"),
    ],
)
def test_topicstate_damaged_state_is_not_used_and_said_once(tmp_path: Path, caplog, damage, why) -> None:
    store = TopicStore(tmp_path)
    first, _, _ = _run(store, QUESTIONS)
    (path,) = (tmp_path / "topics").rglob("*.json")
    path.write_bytes(damage(path.read_bytes()))
    with caplog.at_level(logging.WARNING, logger="kg.topicstate"):
        again, outcome, _ = _run(TopicStore(tmp_path), QUESTIONS)
    assert (outcome.full, outcome.why) == (True, "no earlier run")
    assert again == first
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        f"{path}: stored topics not used ({why}); finding them again"
    ]


def test_topicstate_malformed_payload_is_not_used(tmp_path: Path) -> None:
    import hashlib

    store = TopicStore(tmp_path)
    _run(store, QUESTIONS)
    (path,) = (tmp_path / "topics").rglob("*.json")
    head = json.loads(path.read_bytes().split(b"\n", 1)[0])
    payload = json.dumps({"fitted_at": "x", "fitted_on": [], "topics": {}}).encode()
    head["sha256"] = hashlib.sha256(payload).hexdigest()
    path.write_bytes(json.dumps(head).encode() + b"\n" + payload)
    _, outcome, _ = _run(TopicStore(tmp_path), QUESTIONS)
    assert outcome.full


def test_topicstate_new_concepts_with_only_new_neighbours_are_other(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    _run(store, QUESTIONS)
    carried, outcome, _ = _run(store, dict(QUESTIONS, q20=["sql", "join"]))
    assert not outcome.full
    assert carried["sql"] == carried["join"] == OTHER


@pytest.mark.model
def test_topicstate_in_build_bank_cold_run_is_the_plain_one_and_an_edit_keeps_topics(nlp, tmp_path: Path) -> None:
    from kg import export
    from kg.parse import parse_text
    from kg.pipeline import build_bank

    seed = (Path(__file__).resolve().parents[1] / "data" / "questions.md").read_text(encoding="utf-8")
    items = parse_text(seed, "bank/questions.md")
    store = TopicStore(tmp_path)
    cold = build_bank(items, nlp, topic_store=store, with_pairs=False)
    plain = build_bank(items, nlp, with_pairs=False)
    assert json.dumps(export.to_dict(cold), sort_keys=True) == json.dumps(export.to_dict(plain), sort_keys=True)
    assert store.last is not None and store.last.full

    # one question asks about something new: the other concepts keep their topics, Louvain does not run
    edited = parse_text(seed.replace("?", " and how does it relate to gelu?", 1), "bank/questions.md")
    again = build_bank(edited, nlp, topic_store=store, with_pairs=False)
    assert not store.last.full
    assert {c: t for c, t in again.topics.items() if c in cold.topics} == {
        c: t for c, t in cold.topics.items() if c in again.topics
    }
    assert set(again.topics) == {c.id for c in again.concepts}
    assert "gelu" in set(again.topics) - set(cold.topics)
    assert all(again.graph.nodes[f"c:{c}"]["topic"] == t for c, t in again.topics.items())


def test_topicstate_other_settings_keep_their_own_topics(tmp_path: Path) -> None:
    store = TopicStore(tmp_path)
    items, item_concepts, G = _bank(QUESTIONS)
    kept_topics(G, items, item_concepts, store, settings="concept file A")
    assert not kept_topics(G, items, item_concepts, store, settings="concept file A")[1].full
    assert kept_topics(G, items, item_concepts, store, settings="concept file B")[1].why == "no earlier run"
