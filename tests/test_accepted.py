"""Tests of kg.accepted and kg.atomic: the decisions file is never torn, never duplicated, always readable."""

from __future__ import annotations

import multiprocessing
import os
import tomllib
from pathlib import Path

import pytest

from kg.accepted import FILENAME, add_accepted, read_accepted
from kg.atomic import OutputError, check_writable, replacing, write_atomic
from kg.errors import ConfigError


def _add_many(path: str, pairs: list[tuple[str, str]]) -> None:
    for a, b in pairs:
        add_accepted(path, a, b)


def test_accepted_concurrent_writers_record_each_pair_once(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    pairs = [(f"q-{i}", f"q-{i + 1000}") for i in range(60)]
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_add_many, args=(str(path), pairs[k::2] + pairs)) for k in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    text = path.read_text(encoding="utf-8")
    assert text.count("[[pair]]") - 1 == len(pairs)  # the header names [[pair]] once
    assert read_accepted(path) == {frozenset(p) for p in pairs}


@pytest.mark.parametrize("note", ["deleted\x7fhere", "tab\tand\nnewline", 'quote " and \\ backslash', "nul \x00"])
def test_accepted_note_with_control_characters_reads_back(tmp_path: Path, note: str) -> None:
    path = tmp_path / FILENAME
    assert add_accepted(path, "q-1", "q-2", note=note)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["pair"][0]["note"] == note


def test_accepted_lone_surrogate_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    add_accepted(path, "q-1", "q-2")
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="lone surrogate"):
        add_accepted(path, "q-3", "q-4", note="bad \udc80")
    assert path.read_bytes() == before


def test_accepted_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / FILENAME
    add_accepted(path, "q-1", "q-2")
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="the disk is full"):
        add_accepted(path, "q-3", "q-4")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILENAME]  # no temporary file left


@pytest.mark.parametrize(
    ("tables", "line", "message"),
    [
        ('[[pair]]\na = [1, 2]\nb = "q-2"\n', 4, 'each [[pair]] needs a = "<question id>"'),
        ('[[pair]]\na = "q-5"\nb = "q-5"\n', 4, "got 'q-5' twice"),
        ('[[pair]]\nb = "q-9"\n', 4, 'each [[pair]] needs a = "<question id>"'),
    ],
)
def test_accepted_malformed_table_is_named_and_the_rest_counts(tmp_path: Path, tables, line, message) -> None:
    path = tmp_path / FILENAME
    path.write_text('[[pair]]\na = "q-1"\nb = "q-2"\n' + tables, encoding="utf-8")
    errors: list[ConfigError] = []
    assert read_accepted(path, errors) == {frozenset(("q-1", "q-2"))}
    assert [(e.line, message in str(e)) for e in errors] == [(line, True)]
    with pytest.raises(ConfigError, match=f"{FILENAME}:{line}: "):
        read_accepted(path)


def test_accepted_pair_as_a_list_of_numbers_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    path.write_text("pair = [1, 2]\n", encoding="utf-8")
    errors: list[ConfigError] = []
    assert read_accepted(path, errors) == frozenset()
    assert [str(e) for e in errors] == [f"{path}: 'pair' must be written as [[pair]] tables"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing" / "out.json", "does not exist"),
        (lambda d: d, "is a folder"),
    ],
)
def test_atomic_output_location_checked_first(tmp_path: Path, make, message) -> None:
    with pytest.raises(OutputError, match=message):
        check_writable(make(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_atomic_read_only_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="not writable"):
            check_writable(folder / "out.json")
    finally:
        folder.chmod(0o700)


def test_atomic_failed_writer_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    write_atomic(path, "old")
    with pytest.raises(RuntimeError), replacing(path) as handle:
        handle.write("half of the new")
        raise RuntimeError("killed")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
