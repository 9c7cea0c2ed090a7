"""``kg store`` and ``kg query``: a store written once answers each query as the bank's own commands
do, and a bad store or a bad name is one line on stderr with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from tests.storefaults import older_schema, other_version

pytestmark = pytest.mark.model

SEED = Path(__file__).resolve().parents[1] / "data" / "questions.md"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "seed.sqlite"
    result = run("store", str(SEED), "-o", str(path), "--no-semantic")
    assert result.exit_code == 0, result.output
    assert f"wrote {path}: 30 questions" in result.stderr
    return path


def test_cli_store_concept_matches_kg_related(store) -> None:
    from_store = json.loads(run("query", str(store), "concept", "relu", "--json").stdout)
    from_bank = json.loads(run("related", str(SEED), "--concept", "relu", "--json").stdout)
    assert from_store["questions"] == from_bank["questions"]
    assert from_store["related_concepts"] == from_bank["related_concepts"]
    assert from_store["relations"] == from_bank["relations"]
    assert from_store["concept"]["label"] == "ReLU"


def test_cli_store_question_matches_kg_related(store) -> None:
    from_store = json.loads(run("query", str(store), "question", "2", "--json").stdout)
    from_bank = json.loads(run("related", str(SEED), "--question", "2", "--json").stdout)
    assert from_store["question"] == from_bank["question"]
    assert from_store["related_questions"] == from_bank["related_questions"]


def test_cli_store_search_matches_kg_search_without_meaning(store) -> None:
    for query in ("relu", "dying relu", "gradient desent", "What is dropout?"):
        from_store = json.loads(run("query", str(store), "search", query, "--json").stdout)
        from_bank = json.loads(run("search", query, str(SEED), "--no-semantic", "--json").stdout)
        assert from_store == from_bank, query


def test_cli_store_pairs_page_through_kg_duplicates(store) -> None:
    every = json.loads(run("duplicates", str(SEED), "--kind", "related", "--no-semantic", "--json").stdout)["pairs"]
    first = json.loads(run("query", str(store), "pairs", "--kind", "related", "--limit", "5", "--json").stdout)
    second = json.loads(
        run("query", str(store), "pairs", "--kind", "related", "--offset", "5", "--limit", "5", "--json").output
    )
    assert first["total"] == len(every)
    drop = "shared_labels"
    assert first["pairs"] + second["pairs"] == [{k: v for k, v in p.items() if k != drop} for p in every[:10]]
    text = run("query", str(store), "pairs", "--kind", "related", "--limit", "5").output
    assert f"related pairs 1-5 of {len(every)} (--offset 5 for more)" in text


def test_cli_store_neighbourhood_lists_nodes_and_edges(store) -> None:
    result = run("query", str(store), "neighbourhood", "relu", "--depth", "1", "--json")
    data = json.loads(result.stdout)
    assert data["centre"] == "c:relu" and data["nodes"][0]["id"] == "c:relu"
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert "q:questions-13" in ids  # a question that asks about ReLU is one step away
    concepts_only = json.loads(
        run("query", str(store), "neighbourhood", "relu", "--hide-questions", "--json").output
    )  # fmt: skip
    assert all(n["kind"] == "concept" for n in concepts_only["nodes"])


def test_cli_store_about_names_the_version_and_counts(store) -> None:
    out = run("query", str(store), "about").output
    from kg.store import SCHEMA

    assert f"store schema {SCHEMA}" in out and "30 questions" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["concept", "no such thing"], "no concept 'no such thing'"),
        (["question", "999"], "no question '999'"),
        (["neighbourhood", "c:nothing"], "no concept or question 'c:nothing'"),
    ],
)
def test_cli_store_unknown_names_are_usage_errors(store, args, message) -> None:
    result = run("query", str(store), *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.write_text("## 1. What is ReLU?\n\nAn activation.\n"), "not a kg store"),
        (other_version, "written by kg 0.0.1 (store schema 3); this is kg"),
        (older_schema, "(store schema 2); this is kg 0.1.0 (schema 3): write it again with 'kg store'"),
    ],
)
def test_cli_store_bad_store_is_one_line_and_exit_2(store, tmp_path, make, message) -> None:
    path = tmp_path / "bank.sqlite"
    if make in (other_version, older_schema):
        path.write_bytes(store.read_bytes())
    make(path)
    result = run("query", str(path), "about")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"error: {path}: ") and message in result.stderr
    assert "Traceback" not in result.output


def test_cli_store_given_as_a_bank_points_to_kg_query(store) -> None:
    result = run("concepts", str(store))
    assert result.exit_code == 2
    assert f"{store} is an SQLite file (a kg store?), not a markdown bank: ask a store with 'kg query" in result.stderr


def test_cli_store_into_a_missing_folder_fails_before_the_build(tmp_path) -> None:
    result = run("store", str(SEED), "-o", str(tmp_path / "no" / "b.sqlite"), "--no-semantic")
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"error: {tmp_path / 'no' / 'b.sqlite'}: the folder {tmp_path / 'no'} does not exist"
    )


def test_cli_store_layout_keeps_the_whole_graph_s_positions(tmp_path, monkeypatch) -> None:
    from kg.store import open_store

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "laid.sqlite"
    assert run("store", str(SEED), "-o", str(path), "--no-semantic", "--layout").exit_code == 0
    with open_store(path) as store:
        positions = store.positions()
        assert "c:relu" in positions and "q:questions-2" in positions
        assert len(positions) == store.counts()["items"] + store.counts()["concepts"]
    assert list((tmp_path / "cache" / "layouts").iterdir())  # the app finds the same layout stored


def test_cli_store_keeps_the_pairs_called_different_apart_for_the_app(tmp_path) -> None:
    """A pair the bank's decisions file calls different is left out of the store's pairs, as out of
    ``kg duplicates``, and kept apart with its score and evidence (the app lists it)."""
    from kg.decisions import set_verdict
    from kg.store import open_store

    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "questions.md").write_bytes(SEED.read_bytes())
    scored = json.loads(run("duplicates", str(folder), "--kind", "related", "--no-semantic", "--json").stdout)["pairs"]
    called = scored[3]
    set_verdict(folder / "kg-accepted.toml", called["b"], called["a"], "different")
    out = tmp_path / "bank.sqlite"
    result = run("store", str(folder), "-o", str(out), "--no-semantic")
    assert result.exit_code == 0, result.output
    with open_store(out) as store:
        assert [{p.a, p.b} for p in store.aside_pairs()] == [{called["a"], called["b"]}]
        aside = store.aside_pairs()[0]
        assert (aside.kind, aside.score, aside.verdict) == ("related", called["score"], "different")
        assert store.pair_count("related") == len(scored) - 1
        assert {called["a"], called["b"]} not in [{p.a, p.b} for p in store.pairs("related", 0, len(scored))]


@pytest.mark.parametrize("module", ["kg", "kg.cli"])
def test_cli_run_as_a_module_lists_the_store_commands(module) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    commands = {line.split()[0] for line in done.stdout.splitlines() if line.startswith("  ") and line.split()}
    assert {"store", "query", "check"} <= commands
