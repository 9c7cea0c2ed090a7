"""Tests of kg.parsestore: each file's parsed items, stored and reused while the file is unchanged."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

import kg.parse.files as files
from kg.parse import parse_paths
from kg.parsestore import ParseStore

FIRST = """## 1. What does dropout do?

Dropout randomly switches off units during training.

## 2. Why does ReLU help?

It does not saturate for positive inputs.
"""
SECOND = """# Notes

**What is batch normalization?**

It normalizes the activations of a layer.

**What is a learning rate?**

The step size of gradient descent.
"""


def write_bank(folder: Path, second: str = SECOND) -> Path:
    (folder / "bank" / "sub").mkdir(parents=True, exist_ok=True)
    (folder / "bank" / "first.md").write_text(FIRST)
    (folder / "bank" / "sub" / "first.md").write_text(second)  # the same stem: ids take the folder's name
    return folder / "bank"


def counting(monkeypatch) -> list[str]:
    """Sources that the markdown parser is run on, from now on."""
    seen: list[str] = []
    real = files.parse_bank

    def parse_bank(text, source, prefix):
        seen.append(Path(source).parent.name + "/" + Path(source).name)
        return real(text, source, prefix)

    monkeypatch.setattr(files, "parse_bank", parse_bank)
    return seen


def test_parsestore_gives_the_same_items_and_parses_nothing_again(tmp_path, monkeypatch) -> None:
    bank = write_bank(tmp_path)
    plain = parse_paths([bank])
    store = ParseStore(tmp_path / "cache")
    assert parse_paths([bank], store) == plain
    seen = counting(monkeypatch)
    assert parse_paths([bank], ParseStore(tmp_path / "cache")) == plain
    assert seen == []
    assert [i.id for i in plain[0]] == ["bank-first-1", "bank-first-2", "sub-first-what-is-batch-normalization",
                                        "sub-first-what-is-a-learning-rate"]


def test_parsestore_parses_only_the_file_that_changed(tmp_path, monkeypatch) -> None:
    bank = write_bank(tmp_path)
    parse_paths([bank], ParseStore(tmp_path / "cache"))
    edited = SECOND.replace("step size", "size of each step")
    write_bank(tmp_path, second=edited)
    seen = counting(monkeypatch)
    again = parse_paths([bank], ParseStore(tmp_path / "cache"))
    assert seen == ["sub/first.md"]
    monkeypatch.undo()
    assert again == parse_paths([bank])
    assert again[0][-1].answer_text == "The size of each step of gradient descent."


def test_parsestore_keys_on_the_name_as_given(tmp_path, monkeypatch) -> None:
    bank = write_bank(tmp_path)
    parse_paths([bank / "first.md"], ParseStore(tmp_path / "cache"))
    seen = counting(monkeypatch)
    items, _ = parse_paths([bank / "sub" / "first.md"], ParseStore(tmp_path / "cache"))
    assert seen == ["sub/first.md"] and {i.source for i in items} == {str(bank / "sub" / "first.md")}


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # cut mid-write
        lambda p: p.write_bytes(p.read_bytes().replace(b"dropout", b"dropin")),  # changed: checksum fails
        lambda p: p.write_bytes(  # written for another key
            json.dumps({**json.loads(p.read_bytes().partition(b"\n")[0]), "key": "0" * 64}).encode()
            + b"\n" + p.read_bytes().partition(b"\n")[2]
        ),
        lambda p: p.write_bytes(b""),
    ],
    ids=["truncated", "edited", "other key", "empty"],
)
def test_parsestore_parses_a_damaged_entry_again_with_one_warning(tmp_path, caplog, damage) -> None:
    bank = write_bank(tmp_path)
    plain = parse_paths([bank], ParseStore(tmp_path / "cache"))
    for path in (tmp_path / "cache" / "parsed").rglob("*.json"):
        damage(path)
    caplog.set_level(logging.WARNING, logger="kg.parsestore")
    assert parse_paths([bank], ParseStore(tmp_path / "cache")) == plain
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.parsestore"]
    assert len(warnings) == 1 and "stored items not used" in warnings[0]


def test_parsestore_reports_a_file_without_questions_every_time(tmp_path, caplog) -> None:
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "prose.md").write_text("Just some prose, no question here.\n")
    for _ in range(2):
        caplog.clear()
        caplog.set_level(logging.WARNING, logger="kg.parse")
        items, errors = parse_paths([tmp_path / "empty.md", tmp_path / "prose.md"], ParseStore(tmp_path / "c"))
        assert items == [] and len(errors) == 1
        assert str(errors[0]).startswith(f"{tmp_path / 'prose.md'}: no question found")
        assert any("the file is empty" in r.getMessage() for r in caplog.records)


def test_parsestore_that_cannot_be_written_warns_once_and_parses(tmp_path, caplog) -> None:
    bank = write_bank(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    caplog.set_level(logging.WARNING, logger="kg.parsestore")
    assert parse_paths([bank], ParseStore(blocker)) == parse_paths([bank])
    assert len([r for r in caplog.records if r.name == "kg.parsestore"]) == 1
