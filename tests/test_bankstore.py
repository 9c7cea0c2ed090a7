"""Tests of kg.bankstore: built banks stored on disk, read back whole, and rebuilt when not trusted."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import kg.bankstore
from kg.bankstore import BankStore, bank_key, embedder_fingerprint, expected_embedder_fingerprint, file_digest
from kg.embed import CachedEmbedder

pytestmark = pytest.mark.model

KEY = bank_key("content")


def stored(bank, root: Path) -> Path:
    store = BankStore(root)
    store.save(KEY, bank)
    return store.path(KEY)


def test_bankstore_round_trip_gives_an_equal_bank(seed_bank, tmp_path) -> None:
    stored(seed_bank, tmp_path)
    back = BankStore(tmp_path).load(KEY)
    assert back is not None and back is not seed_bank
    assert back == seed_bank  # items, concepts, mentions, relations, pairs, topics, errors, semantic
    assert (back.items, back.concepts, back.pairs, back.topics) == (
        seed_bank.items, seed_bank.concepts, seed_bank.pairs, seed_bank.topics
    )
    assert list(back.graph.nodes(data=True)) == list(seed_bank.graph.nodes(data=True))
    assert list(back.graph.edges(data=True)) == list(seed_bank.graph.edges(data=True))
    item = seed_bank.items[0].id
    assert back.concepts_of(item) == seed_bank.concepts_of(item)


def test_bankstore_notes_come_back_with_the_bank(seed_bank, tmp_path) -> None:
    store = BankStore(tmp_path)
    notes = ["bank.md:12: no answer under this question", "other.md: not UTF-8 text"]
    store.save(KEY, seed_bank, notes)
    found: list[str] = ["kept"]
    assert BankStore(tmp_path).load(KEY, found) == seed_bank
    assert found == ["kept", *notes]
    assert BankStore(tmp_path).load(KEY) == seed_bank  # without a list to fill, the bank alone


def test_bankstore_reading_a_stored_bank_imports_no_stage(seed_bank, tmp_path) -> None:
    """A fresh process that reads a stored bank imports neither spaCy, torch nor scikit-learn: on a
    fresh app server those imports took longer than the read itself."""
    stored(seed_bank, tmp_path)
    code = (
        "import sys; from kg.bankstore import BankStore, bank_key; "
        f"bank = BankStore({str(tmp_path)!r}).load(bank_key('content')); "
        "print(len(bank.items), sorted(m for m in ('spacy', 'torch', 'sklearn', 'thinc', 'kg.pipeline', "
        "'kg.extract', 'kg.similar.pairs') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert run.stdout.split(" ", 1) == [str(len(seed_bank.items)), "[]\n"]


def _rewrite_head(path: Path, **changes: object) -> None:
    head, _, payload = path.read_bytes().partition(b"\n")
    path.write_bytes(json.dumps({**json.loads(head), **changes}).encode() + b"\n" + payload)


def _foreign(path: Path) -> None:
    """A well-formed entry for this key whose payload is not a bank."""
    payload = pickle.dumps({"not": "a bank"})
    head = {**json.loads(path.read_bytes().partition(b"\n")[0]), "size": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest()}
    path.write_bytes(json.dumps(head).encode() + b"\n" + payload)


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), "checksum"),  # cut mid-write
        (lambda p: p.write_bytes(p.read_bytes()[:-1] + b"\0"), "checksum"),  # a changed byte
        (lambda p: p.write_bytes(b""), "cannot be read"),
        (lambda p: p.write_bytes(b"junk\n" + p.read_bytes()), "cannot be read"),
        (lambda p: _rewrite_head(p, key="0" * 64), "another key"),
        (lambda p: _rewrite_head(p, code="0" * 64), "another version of kg"),
        (_foreign, "not a bank"),
        (lambda p: _rewrite_head(p, notes="not a list"), "notes are not a list"),
    ],
    ids=["truncated", "edited", "empty", "no header", "other key", "other code", "foreign", "bad notes"],
)
def test_bankstore_damaged_or_foreign_entry_is_not_used_with_one_warning(seed_bank, tmp_path, caplog, damage,
                                                                       why) -> None:
    damage(stored(seed_bank, tmp_path))
    caplog.set_level(logging.WARNING, logger="kg.bankstore")
    store = BankStore(tmp_path)
    assert store.load(KEY) is None
    assert store.load(KEY) is None  # asked again: still no second warning
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.bankstore"]
    assert len(warnings) == 1 and "stored bank not used" in warnings[0] and why in warnings[0]
    store.save(KEY, seed_bank)  # what the caller does after building it again
    assert BankStore(tmp_path).load(KEY) == seed_bank


@pytest.mark.parametrize(
    "other",
    [
        {"content": "content2"},
        {"embedder": "a459c4b0fd7cebf7"},
        {"concepts": "1" * 64},
        {"pair_model": "2" * 64},
    ],
    ids=["changed file", "embedding model", "concept file", "pair model"],
)
def test_bankstore_changed_files_or_settings_are_a_miss(seed_bank, tmp_path, other) -> None:
    stored(seed_bank, tmp_path)
    args = {"content": "content", **other}
    key = bank_key(args.pop("content"), **args)
    assert key != KEY
    assert BankStore(tmp_path).load(key) is None


def test_bankstore_another_kg_code_digest_is_a_miss(seed_bank, tmp_path, monkeypatch, caplog) -> None:
    path = stored(seed_bank, tmp_path)
    monkeypatch.setattr(kg.bankstore, "code_digest", lambda: "f" * 64)
    assert bank_key("content") != KEY
    assert BankStore(tmp_path).load(bank_key("content")) is None
    # and an entry under the old key, read by the new code, is refused by its header
    caplog.set_level(logging.WARNING, logger="kg.bankstore")
    assert path.is_file() and BankStore(tmp_path).load(KEY) is None
    assert "another version of kg" in caplog.records[-1].getMessage()


def test_bankstore_unwritable_store_warns_once_and_loads_nothing(seed_bank, tmp_path, caplog) -> None:
    (tmp_path / "banks").write_text("a file where the folder should be")
    caplog.set_level(logging.WARNING, logger="kg.bankstore")
    store = BankStore(tmp_path)
    store.save(KEY, seed_bank)
    store.save(KEY, seed_bank)
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.bankstore"]
    assert len(warnings) == 1 and "cannot store the built bank" in warnings[0]
    assert store.load(KEY) is None


def test_bankstore_settings_digests_name_files_and_embedders(tmp_path) -> None:
    concepts = tmp_path / "concepts.toml"
    assert file_digest(concepts) == "none"
    concepts.write_text("ignore = []\n")
    first = file_digest(concepts)
    concepts.write_text("ignore = ['x']\n")
    assert first not in ("none", file_digest(concepts))

    class Inner:
        def encode(self, texts):
            raise AssertionError("not called")

    assert embedder_fingerprint(CachedEmbedder(Inner(), tmp_path / "embeddings" / "abc123")) == "abc123"
    assert embedder_fingerprint(None) == "none"


def test_bankstore_expected_fingerprint_names_the_embedding_runtime(monkeypatch, tmp_path) -> None:
    pytest.importorskip("sentence_transformers")
    from kg import embed

    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    monkeypatch.setattr(embed, "int8_supported", lambda: True)
    fingerprints = {}
    for runtime in ("float32", "int8"):
        monkeypatch.setenv("KG_EMBEDDING_RUNTIME", runtime)
        fingerprints[runtime] = expected_embedder_fingerprint(str(model))
        assert fingerprints[runtime] == embed.embedding_cache_name(str(model), runtime)
    assert fingerprints["float32"] != fingerprints["int8"]  # a bank built with one is not the other's


def test_bankstore_loaded_bank_is_in_the_oldest_generation_and_nothing_stays_frozen(seed_bank, tmp_path) -> None:
    """Moved there in one step, so the young collections after a load do not walk it, yet still
    collectable: nothing is left in the permanent generation."""
    import gc

    stored(seed_bank, tmp_path)
    bank = BankStore(tmp_path).load(KEY)
    assert bank is not None
    assert gc.get_freeze_count() == 0
    assert any(o is bank for o in gc.get_objects(generation=2))


def _first(bank):
    from kg.render import first_view

    return first_view(bank.graph, bank.pairs, bank.concepts, bank.topics, lambda G: {n: (0.0, 0.0) for n in G},
                      min_confidence=0.5)


@pytest.fixture
def big(monkeypatch):
    """Banks over 30 nodes open on a neighbourhood, so that the seed's first view has one."""
    import kg.render.view

    monkeypatch.setattr(kg.render.view, "FULL_VIEW_LIMIT", 30)


def test_bankstore_first_view_comes_back_with_its_bank(seed_bank, tmp_path, big) -> None:
    stored(seed_bank, tmp_path)
    first = _first(seed_bank)
    assert first.view is not None and first.summaries
    BankStore(tmp_path).save_view(KEY, first)
    assert BankStore(tmp_path).load_view(KEY) == first


def test_bankstore_first_view_needs_its_bank(seed_bank, tmp_path) -> None:
    store = BankStore(tmp_path)
    store.save_view(KEY, _first(seed_bank))  # no bank stored: nothing to keep it with
    assert not store.view_path(KEY).exists()
    assert store.load_view(KEY) is None


def test_bankstore_storing_a_bank_drops_the_first_view_of_the_one_it_replaces(seed_bank, tmp_path, caplog) -> None:
    stored(seed_bank, tmp_path)
    store = BankStore(tmp_path)
    store.save_view(KEY, _first(seed_bank))
    view = store.view_path(KEY).read_bytes()
    store.save(KEY, dataclasses.replace(seed_bank, pairs=seed_bank.pairs[1:]))  # another build, another bank
    assert not store.view_path(KEY).exists()
    # and a first view put back beside the new entry is refused: it names the old one's checksum
    store.view_path(KEY).write_bytes(view)
    caplog.set_level(logging.WARNING, logger="kg.bankstore")
    assert BankStore(tmp_path).load_view(KEY) is None
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.bankstore"]
    assert len(warnings) == 1 and "stored first view not used (it was computed from another bank)" in warnings[0]


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), "checksum"),
        (lambda p: p.write_bytes(p.read_bytes()[:-1] + b"\0"), "checksum"),
        (lambda p: p.write_bytes(b""), "cannot be read"),
        (lambda p: _rewrite_head(p, key="0" * 64), "another key"),
        (lambda p: _rewrite_head(p, code="0" * 64), "another version of kg"),
        (_foreign, "not a first view"),
    ],
    ids=["truncated", "edited", "empty", "other key", "other code", "foreign"],
)
def test_bankstore_damaged_first_view_is_not_used_with_one_warning(seed_bank, tmp_path, caplog, damage, why) -> None:
    stored(seed_bank, tmp_path)
    store = BankStore(tmp_path)
    store.save_view(KEY, _first(seed_bank))
    damage(store.view_path(KEY))
    caplog.set_level(logging.WARNING, logger="kg.bankstore")
    fresh = BankStore(tmp_path)
    assert fresh.load(KEY) == seed_bank  # the bank itself is still good
    assert fresh.load_view(KEY) is None
    assert fresh.load_view(KEY) is None
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.bankstore"]
    assert len(warnings) == 1 and "stored first view not used" in warnings[0] and why in warnings[0]
    fresh.save_view(KEY, _first(seed_bank))  # what the app does after computing it again
    assert BankStore(tmp_path).load_view(KEY) == _first(seed_bank)
