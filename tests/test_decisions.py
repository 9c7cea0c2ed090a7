"""Tests of kg.decisions: verdicts per pair in the decisions file, and applying them to scored pairs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kg.decisions import (
    FILENAME,
    Decision,
    apply_verdicts,
    find_decisions,
    read_decisions,
    remove_verdict,
    set_aside,
    set_verdict,
    unknown_ids,
)
from kg.errors import ConfigError
from kg.model import Pair


def _verdicts(path: Path) -> dict[tuple[str, str], str]:
    return {(d.a, d.b): d.verdict for d in read_decisions(path).values()}


@pytest.mark.parametrize("verdict", ["duplicate", "overlap", "different"])
def test_decisions_each_verdict_round_trips(tmp_path: Path, verdict) -> None:
    path = tmp_path / FILENAME
    assert set_verdict(path, "q-1", "q-2", verdict, note='say "why"\nhere')
    (decision,) = read_decisions(path).values()
    assert (decision.a, decision.b, decision.verdict, decision.note) == ("q-1", "q-2", verdict, 'say "why"\nhere')
    assert tomllib.loads(path.read_text(encoding="utf-8"))["pair"] == [
        {"a": "q-1", "b": "q-2", "verdict": verdict, "note": 'say "why"\nhere'}
    ]


def test_decisions_old_file_without_verdict_reads_as_different(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    path.write_text('# kept\n[[pair]]\na = "q-1"\nb = "q-2"\nnote = "kept on purpose"\n', encoding="utf-8")
    assert _verdicts(path) == {("q-1", "q-2"): "different"}


def test_decisions_later_table_overrides_an_earlier_one(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    path.write_text(
        '[[pair]]\na = "q-1"\nb = "q-2"\nverdict = "duplicate"\n\n'
        '[[pair]]\na = "q-3"\nb = "q-4"\n\n'
        '[[pair]]\na = "q-2"\nb = "q-1"\nverdict = "overlap"\n',
        encoding="utf-8",
    )
    assert _verdicts(path) == {("q-3", "q-4"): "different", ("q-2", "q-1"): "overlap"}


def test_decisions_change_and_undo_rewrite_the_pair_once_and_keep_the_rest(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    path.write_text(
        "# my notes on this bank\n\n"
        '[[pair]]\na = "q-1"\nb = "q-2"\n\n'
        "# asked twice on purpose\n"
        '[[pair]]\na = "q-3"\nb = "q-4"\nverdict = "overlap"\n',
        encoding="utf-8",
    )
    assert set_verdict(path, "q-2", "q-1", "duplicate")
    assert not set_verdict(path, "q-1", "q-2", "duplicate")  # already so: the file is left alone
    text = path.read_text(encoding="utf-8")
    assert text.count("[[pair]]") == 2
    assert "# my notes on this bank" in text and "# asked twice on purpose" in text
    assert _verdicts(path) == {("q-3", "q-4"): "overlap", ("q-2", "q-1"): "duplicate"}
    assert remove_verdict(path, "q-1", "q-2")
    assert not remove_verdict(path, "q-1", "q-2")
    assert _verdicts(path) == {("q-3", "q-4"): "overlap"}
    assert "# asked twice on purpose" in path.read_text(encoding="utf-8")
    assert not remove_verdict(tmp_path / "other.toml", "q-1", "q-2")  # no file: nothing to undo, none made
    assert not (tmp_path / "other.toml").exists()


def test_decisions_undo_keeps_a_malformed_table_of_another_pair(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    path.write_text(
        '[[pair]]\na = "q-1"\nb = "q-2"\nverdict = "dup"\n\n[[pair]]\na = "q-3"\nb = "q-4"\n', encoding="utf-8"
    )
    assert set_verdict(path, "q-3", "q-4", "overlap")
    assert 'verdict = "dup"' in path.read_text(encoding="utf-8")  # still there for its author to fix


def test_decisions_file_that_is_not_toml_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    path.write_text('[[pair]]\na = "q-1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        set_verdict(path, "q-1", "q-2", "overlap")
    assert path.read_text(encoding="utf-8") == '[[pair]]\na = "q-1\n'


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[[pair]]\na = "q-3"\nb = "q-4"\nverdict = "dup"\n', "unknown verdict 'dup' for q-3 ~ q-4; write one of"),
        ('[[pair]]\na = "q-3"\nb = "q-4"\nverdict = 1\n', "unknown verdict 1 for q-3 ~ q-4; write one of"),
        ('[[pair]]\na = "q-3"\nb = "q-4"\nnote = 2\n', "the note of q-3 ~ q-4 must be a string"),
        ('[[pair]]\na = "q-3"\n', 'each [[pair]] needs a = "<question id>"'),
    ],
)
def test_decisions_malformed_table_named_with_file_and_line_and_the_rest_counts(tmp_path, table, message) -> None:
    path = tmp_path / FILENAME
    path.write_text('[[pair]]\na = "q-1"\nb = "q-2"\nverdict = "overlap"\n\n' + table, encoding="utf-8")
    errors: list[ConfigError] = []
    assert _verdicts_with(path, errors) == {("q-1", "q-2"): "overlap"}
    (error,) = errors
    assert (error.path, error.line) == (str(path), 6)
    assert str(error).startswith(f"{path}:6: {message}")
    with pytest.raises(ConfigError, match="6: "):
        read_decisions(path)


def _verdicts_with(path: Path, errors: list[ConfigError]) -> dict[tuple[str, str], str]:
    return {(d.a, d.b): d.verdict for d in read_decisions(path, errors).values()}


def test_decisions_unknown_id_named_with_file_and_line_and_the_rest_counts(tmp_path: Path) -> None:
    (tmp_path / FILENAME).write_text(
        '[[pair]]\na = "q-1"\nb = "q-2"\n\n[[pair]]\na = "q-1"\nb = "gone-7"\nverdict = "duplicate"\n',
        encoding="utf-8",
    )
    decided = find_decisions([tmp_path / "bank.md"])
    (error,) = unknown_ids(decided, {"q-1", "q-2"})
    assert str(error) == (
        f"{tmp_path / FILENAME}:5: no question 'gone-7' in the bank; the verdict on q-1 ~ gone-7 changes nothing"
    )
    pairs = apply_verdicts([Pair("q-1", "q-2", 0.9, "duplicate")], decided, {"q-1", "q-2"})
    assert pairs == []  # q-1 ~ q-2 still counts; the pair with the unknown id adds nothing


SCORED = [
    Pair("q-1", "q-2", 0.95, "duplicate"),
    Pair("q-1", "q-3", 0.7, "overlap"),
    Pair("q-2", "q-4", 0.6, "overlap"),
    Pair("q-3", "q-4", 0.3, "related"),
]


@pytest.mark.parametrize(
    ("decided", "expected"),
    [
        ([], [("q-1", "q-2", "duplicate", None), ("q-1", "q-3", "overlap", None), ("q-2", "q-4", "overlap", None)]),
        ([("q-2", "q-1", "different")], [("q-1", "q-3", "overlap", None), ("q-2", "q-4", "overlap", None)]),
        (
            [("q-1", "q-2", "overlap"), ("q-4", "q-2", "duplicate")],
            [
                ("q-2", "q-4", "duplicate", "duplicate"),
                ("q-1", "q-2", "overlap", "overlap"),
                ("q-1", "q-3", "overlap", None),
            ],
        ),
        (
            [("q-1", "q-2", "duplicate"), ("q-4", "q-1", "duplicate")],
            [
                ("q-1", "q-2", "duplicate", "duplicate"),
                ("q-4", "q-1", "duplicate", "duplicate"),
                ("q-1", "q-3", "overlap", None),
                ("q-2", "q-4", "overlap", None),
            ],
        ),
        (
            [("q-3", "q-4", "overlap"), ("q-1", "q-9", "duplicate")],
            [
                ("q-1", "q-2", "duplicate", None),
                ("q-1", "q-3", "overlap", None),
                ("q-2", "q-4", "overlap", None),
                ("q-3", "q-4", "overlap", "overlap"),
            ],
        ),
    ],
)
def test_decisions_apply_verdicts_types_or_leaves_out_each_pair(decided, expected) -> None:
    decisions = {d.key: d for d in (Decision(a, b, v) for a, b, v in decided)}
    pairs = apply_verdicts(SCORED, decisions, {"q-1", "q-2", "q-3", "q-4"})
    close = [(p.a, p.b, p.kind, p.verdict) for p in pairs if p.kind != "related"]
    assert close == expected
    assert SCORED[0].verdict is None  # pure: the scored pairs are not changed


def test_decisions_set_aside_lists_the_pairs_called_different() -> None:
    decisions = {frozenset(("q-1", "q-3")): Decision("q-3", "q-1", "different")}
    assert [(p.a, p.b, p.kind, p.verdict) for p in set_aside(SCORED, decisions)] == [
        ("q-1", "q-3", "overlap", "different")
    ]


def test_decisions_verdict_must_be_known_and_pair_two_questions(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown verdict 'same'"):
        set_verdict(tmp_path / FILENAME, "q-1", "q-2", "same")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="got 'q-1' twice"):
        set_verdict(tmp_path / FILENAME, "q-1", "q-1", "duplicate")
    assert not (tmp_path / FILENAME).exists()
