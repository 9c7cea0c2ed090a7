from __future__ import annotations

import gc

import pytest

from kg.pipeline import collector_paused


def test_pipeline_collector_paused_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


TOPICS = [
    ("dropout", "Dropout drops random units while training, which reduces overfitting."),
    ("ReLU", "ReLU passes positive inputs unchanged, so gradients do not vanish."),
    ("batch normalization", "Batch normalization rescales activations, which steadies training."),
    ("the LSTM forget gate", "The forget gate of an LSTM decides what the cell state keeps."),
    ("a p-value", "A p-value is the chance of data this extreme when the null hypothesis holds."),
    ("gradient descent", "Gradient descent steps against the gradient of the loss."),
    ("an embedding", "An embedding maps a token to a dense vector learnt in training."),
    ("k-means", "K-means assigns points to the nearest of k centroids and moves the centroids."),
]
FRAMES = ["What is {}?", "Why would you use {}?", "How does {} work in practice?", "When does {} fail?",
          "Explain {} to a beginner.", "What are the limits of {}?"]


def _bank_text(n: int) -> str:
    """``n`` questions on a few topics, in a few frames: many candidate pairs, some close."""
    parts = []
    for k in range(n):
        topic, answer = TOPICS[k % len(TOPICS)]
        frame = FRAMES[(k // len(TOPICS)) % len(FRAMES)]
        parts.append(f"## {k + 1}. {frame.format(topic)}\n\n{answer} Note {k} of the bank, version {k % 7}.\n")
    return "\n".join(parts)


class _Batches:
    """A stand-in for the sentence-embedding model that encodes in batches, as the real one does."""

    batch = 32

    def encode(self, texts):
        import numpy as np

        from kg.embed import normalise_rows

        rows = [[(hash(w) % 97) / 97.0 for w in (t.lower().split() + ["", "", ""])[:3]] + [1.0] for t in texts]
        return normalise_rows(np.array(rows, dtype=np.float64).reshape(len(texts), 4))

    def encode_counted(self, texts, count):
        import numpy as np

        parts = []
        for start in range(0, len(texts), self.batch):
            parts.append(self.encode(texts[start : start + self.batch]))
            count(min(start + self.batch, len(texts)))
        return np.concatenate(parts) if parts else self.encode([])


@pytest.mark.model
def test_pipeline_progress_moves_in_small_steps_through_every_stage(nlp) -> None:
    from kg.parse import parse_text
    from kg.pipeline import build_bank

    items = parse_text(_bank_text(240), "big.md")
    calls: list[tuple[float, str]] = []
    bank = build_bank(items, nlp, embedder=_Batches(), progress=lambda f, s: calls.append((f, s)))
    assert bank.pairs
    fractions = [f for f, _ in calls]
    assert fractions[0] == 0.0 and calls[-1] == (1.0, "done")
    assert all(a <= b for a, b in zip(fractions, fractions[1:], strict=False)), "the bar went back"
    stages = " | ".join(s for _, s in calls)
    for stage in [
        "reading questions and answers: 0 of 480 texts",
        "reading questions and answers: 480 of 480 texts",
        "building the graph",
        "finding topics",
        "comparing questions: 240 questions",
        "comparing questions: reading the words",
        "embedding questions: 32 of 240",
        "embedding answers: 240 of 240",
        "nearest neighbours by wording",
        "nearest neighbours by answer meaning",
        "candidate pairs",
        "explaining pairs: embedding answer sentences",
        "explaining pairs: matching",
    ]:
        assert stage in stages
    # counted in work, not time: no step of the bar is more than a small share of the whole
    steps = [b - a for a, b in zip(fractions, fractions[1:], strict=False)]
    assert max(steps) <= 0.05, calls[steps.index(max(steps))]


@pytest.mark.model
def test_pipeline_progress_is_optional(nlp) -> None:
    from kg.parse import parse_text
    from kg.pipeline import build_bank

    items = parse_text(_bank_text(12), "small.md")
    calls: list[tuple[float, str]] = []
    quiet = build_bank(items, nlp)
    told = build_bank(items, nlp, progress=lambda f, s: calls.append((f, s)))
    assert quiet == told and calls


def test_bank_concepts_of_each_field_in_order_of_first_mention(seed_bank):
    for item in seed_bank.items:
        for field in ("question", "answer"):
            firsts = dict.fromkeys(m.concept for m in seed_bank.mentions if m.item == item.id and m.field == field)
            assert seed_bank.concepts_of(item.id, field) == list(firsts)
        anywhere = dict.fromkeys(m.concept for m in seed_bank.mentions if m.item == item.id)
        assert seed_bank.concepts_of(item.id) == list(anywhere)
    assert seed_bank.concepts_of("no such item") == [] == seed_bank.concepts_of("no such item", "answer")


def test_pipeline_concept_sets_are_each_items_concepts_of_every_field_and_of_its_question(seed_bank) -> None:
    from kg.pipeline import concept_sets

    every, asked = concept_sets(seed_bank.mentions)
    assert set(every) == {m.item for m in seed_bank.mentions}
    for item in seed_bank.items:
        assert every.get(item.id, set()) == set(seed_bank.concepts_of(item.id))
        assert asked.get(item.id, set()) == set(seed_bank.concepts_of(item.id, "question"))
    assert asked and all(asked[i] <= every[i] for i in asked)
