"""Tests of ``kg duplicates`` and ``kg check`` (click's CliRunner, spaCy pipeline, no embeddings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.accepted import FILENAME, add_accepted
from kg.cli import cli

pytestmark = pytest.mark.model

BANK = """# Data cleaning

## 1. How do you deal with outliers in a dataset?

Outliers can be removed, capped at a percentile, or handled with robust models such as decision trees.
Always check first whether an outlier is a data error or a rare real value.

## 2. How do you deal with missing values?

Missing values can be imputed with the mean, the median or a model, or flagged with an indicator column.

## 3. What is a p-value?

The probability, under the null hypothesis, of a result at least as extreme as the one observed.

## 4. How do you deal with outliers in your dataset?

Outliers can be removed, capped at a percentile or handled with robust models like decision trees.
First check whether an outlier is a data error or a rare but real value.
"""

CLEAN = """# Statistics

## 1. What is a p-value?

The probability, under the null hypothesis, of a result at least as extreme as the one observed.

## 2. What is a confidence interval?

A range built so that, over repeated samples, it covers the true parameter at the stated rate.
"""

NEW = """# New questions

## 1. How should outliers in a dataset be dealt with?

Outliers can be removed, capped at a percentile, or handled with robust models such as decision trees.
Check first whether an outlier is a data error or a rare real value.

## 2. What is gradient boosting?

An ensemble that adds shallow trees one at a time, each fitted to the errors of the ones before.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["duplicates" if args[0] == "dup" else args[0], *args[1:]], catch_exceptions=False)


def test_cli_duplicates_json_lists_the_planted_pair_first(tmp_path: Path) -> None:
    bank = write(tmp_path, "bank.md", BANK)
    result = run("dup", str(bank), "--no-semantic", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["semantic"] is False
    first = data["pairs"][0]
    assert (first["kind"], {first["a"], first["b"]}) == ("duplicate", {"bank-1", "bank-4"})
    assert data["groups"] == [["bank-1", "bank-4"]]
    assert "outlier" in " ".join(first["shared_labels"]).lower()
    assert first["matches"] and first["matches"][0]["score"] > 0.5
    # the template look-alike (same "How do you deal with" wording, other subject) is no duplicate
    kinds = {frozenset((p["a"], p["b"])): p["kind"] for p in data["pairs"]}
    assert kinds.get(frozenset(("bank-1", "bank-2"))) in (None, "related")


def test_cli_duplicates_table_and_kind_filter(tmp_path: Path) -> None:
    bank = write(tmp_path, "bank.md", BANK)
    result = run("dup", str(bank), "--no-semantic")
    assert result.exit_code == 0
    assert "1 duplicate group(s):" in result.output
    assert "duplicate  " in result.output and "why: wording" in result.output
    related = run("dup", str(bank), "--no-semantic", "--kind", "related", "--json")
    assert {p["kind"] for p in json.loads(related.stdout)["pairs"]} <= {"related"}


def test_cli_duplicates_against_a_bank(tmp_path: Path) -> None:
    bank = write(tmp_path, "bank.md", BANK)
    new = write(tmp_path, "new.md", NEW)
    result = run("dup", str(new), "--against", str(bank), "--no-semantic", "--json")
    assert result.exit_code == 0, result.output
    pairs = json.loads(result.stdout)["pairs"]
    assert pairs, "the outlier question of new.md is in the bank"
    assert all(p["a"].startswith("new-") and p["b"].startswith("bank-") for p in pairs)
    assert {p["b"] for p in pairs if p["a"] == "new-1"} & {"bank-1", "bank-4"}
    assert not [p for p in pairs if p["a"] == "new-2"]


def test_cli_check_fails_on_duplicates_and_passes_once_accepted(tmp_path: Path) -> None:
    bank = write(tmp_path, "bank.md", BANK)
    failed = run("check", str(bank), "--no-semantic")
    assert failed.exit_code == 1
    assert "bank-1 ~ bank-4" in failed.output
    assert "1 duplicate pair(s) in 1 group(s) among 4 questions" in failed.output
    add_accepted(tmp_path / FILENAME, "bank-4", "bank-1", note="kept on purpose")
    passed = run("check", str(bank), "--no-semantic")
    assert passed.exit_code == 0, passed.output
    assert passed.output.strip() == "no duplicates among 4 questions"


def test_cli_check_clean_bank_exits_0(tmp_path: Path) -> None:
    result = run("check", str(write(tmp_path, "clean.md", CLEAN)), "--no-semantic")
    assert (result.exit_code, result.output.strip()) == (0, "no duplicates among 2 questions")


def test_cli_check_malformed_accepted_file_is_one_line_error(tmp_path: Path) -> None:
    bank = write(tmp_path, "bank.md", BANK)
    write(tmp_path, FILENAME, "[[pair]]\na = \n")
    result = CliRunner().invoke(cli, ["check", str(bank), "--no-semantic"])
    assert result.exit_code == 2
    assert f"error: {tmp_path / FILENAME}:2: not valid TOML" in result.output


@pytest.mark.semantic
def test_cli_duplicates_semantic_finds_a_paraphrase(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    bank = write(tmp_path, "bank.md", BANK)
    new = write(tmp_path, "new.md", NEW)
    result = run("dup", str(new), "--against", str(bank), "--json")
    data = json.loads(result.stdout)
    assert data["semantic"] is True
    best = data["pairs"][0]
    assert best["a"] == "new-1" and best["b"] in {"bank-1", "bank-4"} and best["semantic"] > 0


def test_cli_check_names_an_exact_copy_as_the_same_question(tmp_path: Path) -> None:
    bank = write(
        tmp_path,
        "copies.md",
        "## 1. How do you deal with sparse data?\n\nUse sparse matrices.\n\n"
        "## 2. What is dropout?\n\nDropout drops random units while training.\n\n"
        "## 3. How do you deal with sparse data?\n\nPick models that accept sparse input, such as linear models.\n",
    )
    result = run("check", str(bank), "--no-semantic")
    assert result.exit_code == 1
    assert "duplicate  1.000  copies-1 ~ copies-3" in result.output
    assert "why: the same question asked twice (wording" in result.output


def test_cli_a_copy_of_a_repeated_prompt_shows_no_empty_figures(tmp_path: Path) -> None:
    quiz = "".join(f"## {n}. What is this print?\n\n```js\nconsole.log({n} * {n + 7});\n```\n\n" for n in range(1, 7))
    quiz += "## 7. What is this print?\n\nTo do.\n\n## 8. What is this print?\n\nTo do.\n"
    bank = write(tmp_path, "quiz.md", quiz)
    result = run("check", str(bank), "--no-semantic")
    assert "duplicate  1.000  quiz-7 ~ quiz-8" in result.output
    # the prompt is cut from the question evidence, so the copy is the whole reason
    assert "why: the same question asked twice\n" in result.output


@pytest.mark.parametrize(
    ("verdict", "code", "line"),
    [
        ("different", 0, "no duplicates among 4 questions"),
        ("overlap", 0, "no duplicates among 4 questions"),
        ("duplicate", 1, "1 duplicate pair(s) in 1 group(s) among 4 questions, 1 confirmed by a curator. Keep one"),
    ],
)
def test_cli_check_exit_status_follows_the_verdict(tmp_path: Path, verdict: str, code: int, line: str) -> None:
    from kg.decisions import set_verdict

    bank = write(tmp_path, "bank.md", BANK)
    set_verdict(tmp_path / FILENAME, "bank-4", "bank-1", verdict)
    result = run("check", str(bank), "--no-semantic")
    assert result.exit_code == code, result.output
    assert line in result.output
    if verdict == "duplicate":
        assert "bank-1 ~ bank-4  (confirmed by a curator: duplicate)" in result.output


def test_cli_check_fails_on_a_duplicate_the_scorer_did_not_find(tmp_path: Path) -> None:
    from kg.decisions import set_verdict

    bank = write(tmp_path, "clean.md", CLEAN)
    set_verdict(tmp_path / FILENAME, "clean-1", "clean-2", "duplicate")
    result = run("check", str(bank), "--no-semantic")
    assert result.exit_code == 1, result.output
    assert "clean-1 ~ clean-2  (a curator's verdict: duplicate; not found by the scorer)" in result.output


def test_cli_check_unknown_id_is_a_warning_and_a_bad_verdict_an_error(tmp_path: Path) -> None:
    bank = write(tmp_path, "bank.md", BANK)
    decisions = write(
        tmp_path,
        FILENAME,
        '[[pair]]\na = "bank-1"\nb = "bank-99"\nverdict = "different"\n\n'
        '[[pair]]\na = "bank-1"\nb = "bank-4"\nverdict = "dup"\n\n'
        '[[pair]]\na = "bank-2"\nb = "bank-3"\nverdict = "overlap"\n',
    )
    result = CliRunner().invoke(cli, ["check", str(bank), "--no-semantic"])
    # the bad verdict is an input error (2); bank-1 ~ bank-4 is then undecided, the rest still counts
    assert result.exit_code == 2, result.output
    assert f"error: {decisions}:6: unknown verdict 'dup' for bank-1 ~ bank-4" in result.output
    assert f"warning: {decisions}:1: no question 'bank-99' in the bank" in result.output
    assert "bank-1 ~ bank-4" in result.output


def test_cli_verdicts_agree_in_check_duplicates_and_export(tmp_path: Path) -> None:
    from kg.decisions import set_verdict

    bank = write(tmp_path, "bank.md", BANK)
    set_verdict(tmp_path / FILENAME, "bank-1", "bank-4", "overlap")
    listed = json.loads(run("dup", str(bank), "--no-semantic", "--json").stdout)["pairs"]
    exported = json.loads(run("export", str(bank), "--no-semantic").stdout)["pairs"]
    for pairs in (listed, exported):
        (pair,) = [p for p in pairs if {p["a"], p["b"]} == {"bank-1", "bank-4"}]
        assert (pair["kind"], pair["verdict"]) == ("overlap", "overlap")
    assert run("check", str(bank), "--no-semantic").exit_code == 0


def test_cli_calibrate_writes_the_banks_model_which_the_other_commands_then_use(tmp_path: Path) -> None:
    bank = write(tmp_path, "bank.md", BANK)
    before = json.loads(run("dup", str(bank), "--no-semantic", "--json").stdout)
    add_accepted(tmp_path / FILENAME, "bank-1", "bank-2")  # outliers / missing values: "different"
    result = run("calibrate", str(bank), "--no-semantic")
    assert result.exit_code == 0, result.output
    assert "refitted with 1 verdict(s)" in result.output
    model = tmp_path / "kg-model.json"
    assert model.is_file()
    after = json.loads(run("dup", str(bank), "--no-semantic", "--json").stdout)
    scores = lambda doc: {(p["a"], p["b"]): p["score"] for p in doc["pairs"]}  # noqa: E731
    assert scores(after) != scores(before)  # the bank's model, not kg's, scored the second run


def test_cli_calibrate_without_verdicts_is_an_input_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["calibrate", str(write(tmp_path, "bank.md", BANK)), "--no-semantic"])
    assert result.exit_code == 2 and "nothing to refit" in result.output
    assert not (tmp_path / "kg-model.json").exists()


def test_cli_damaged_bank_model_is_one_error_naming_it(tmp_path: Path) -> None:
    bank = write(tmp_path, "bank.md", BANK)
    (tmp_path / "kg-model.json").write_text("{broken", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(bank), "--no-semantic"])
    assert result.exit_code == 2
    assert "kg-model.json" in result.output and "Traceback" not in result.output
