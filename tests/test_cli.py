from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import cli

SEED = Path(__file__).resolve().parents[1] / "data" / "questions.md"

SMALL = """# A small bank

## 1. What is dropout?

Dropout randomly drops units to reduce overfitting.

## 2. Why does ReLU help with the vanishing gradient problem?

ReLU does not saturate for positive inputs, so gradients keep flowing.
"""


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.md"
    path.write_text(SMALL, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_parse_json_prints_items_without_concepts(small: Path) -> None:
    result = run("parse", str(small), "--json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert [i["number"] for i in items] == [1, 2]
    assert set(items[0]) == {"id", "number", "question", "answer", "source", "line"}
    assert items[0]["question"] == "What is dropout?"
    assert items[0]["line"] == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"\xff\xfe\x00bad", "not valid UTF-8"),
        (b"Just prose, no questions here.\n", "no question found"),
    ],
)
def test_cli_bad_file_is_named_and_others_still_load(small: Path, tmp_path: Path, content, message: str) -> None:
    bad = tmp_path / "bad.md"
    if content is not None:
        bad.write_bytes(content)
    result = run("parse", str(bad), str(small), "--json")
    assert result.exit_code == 2
    assert str(bad) in result.stderr and message in result.stderr
    assert len(json.loads(result.stdout)) == 2


@pytest.mark.model
def test_cli_concepts_lists_concepts_with_their_questions() -> None:
    result = run("concepts", str(SEED), "--json")
    assert result.exit_code == 0
    concepts = {c["label"]: c for c in json.loads(result.stdout)}
    vgp = concepts["vanishing gradient problem"]
    assert {"questions-2", "questions-19", "questions-30"} <= set(vgp["questions"])


@pytest.mark.model
def test_cli_concepts_table_is_readable() -> None:
    result = run("concepts", str(SEED))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split()[:3] == ["concept", "questions", "in"]
    assert "concepts in 30 questions" in result.stdout


@pytest.mark.model
def test_cli_related_concept_shows_questions_and_neighbours() -> None:
    result = run("related", str(SEED), "--concept", "ReLU", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["concept"]["label"] in {"ReLU", "rectified linear unit"}
    assert "questions-13" in data["questions"]
    assert data["related_concepts"]


@pytest.mark.model
def test_cli_related_question_by_number() -> None:
    result = run("related", str(SEED), "--question", "2", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["question"]["number"] == 2
    assert data["related_questions"][0]["id"] == "questions-30"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give exactly one of --question or --concept"),
        (("--question", "1", "--concept", "relu"), "give exactly one of --question or --concept"),
    ],
)
def test_cli_related_needs_one_target(small: Path, args, message: str) -> None:
    result = run("related", str(small), *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.model
def test_cli_related_unknown_concept_suggests_close_names(small: Path) -> None:
    result = run("related", str(small), "--concept", "dropuot")
    assert result.exit_code == 2
    assert "no concept 'dropuot'; did you mean 'dropout'" in result.stderr


@pytest.mark.model
def test_cli_export_json_has_the_documented_shape(small: Path) -> None:
    result = run("export", str(small), "--format", "json", "--no-semantic")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"questions", "concepts", "pairs", "relations"} <= set(data)
    q = data["questions"][0]
    assert {"id", "number", "question", "answer", "source", "line", "concepts"} <= set(q)
    c = data["concepts"][0]
    assert {"id", "label", "aliases", "questions"} <= set(c)
    ids = {c["id"] for c in data["concepts"]}
    assert set(q["concepts"]) <= ids
    scores = [p["score"] for p in data["pairs"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.model
@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_cli_export_graph_formats_read_back(small: Path, tmp_path: Path, fmt: str, reader) -> None:
    out = tmp_path / f"bank.{fmt}"
    result = run("export", str(small), "--format", fmt, "--no-semantic", "-o", str(out))
    assert result.exit_code == 0
    g = reader(io.BytesIO(out.read_bytes()))
    kinds = {d.get("kind") for _, d in g.nodes(data=True)}
    assert kinds == {"question", "concept"}
    assert g.number_of_nodes() > 2


@pytest.mark.model
def test_cli_related_concept_lists_relations_its_answers_state() -> None:
    result = run("related", str(SEED), "--concept", "dropout", "--json")
    rels = {(r["head"], r["relation"], r["tail"]) for r in json.loads(result.stdout)["relations"]}
    assert ("dropout", "mitigates", "overfitting") in rels


@pytest.mark.model
def test_cli_export_pairs_are_sorted_by_score_on_the_seed() -> None:
    result = run("export", str(SEED), "--format", "json", "--no-semantic")
    pairs = json.loads(result.stdout)["pairs"]
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    kinds = {p["kind"] for p in pairs}
    assert "duplicate" in kinds and "related" in kinds


@pytest.mark.model
def test_cli_export_relations_file_adds_a_class(small: Path, tmp_path: Path) -> None:
    table = tmp_path / "mine.toml"
    table.write_text('[classes.lowers]\nverbs = ["reduce"]\n', encoding="utf-8")
    plain = json.loads(run("export", str(small), "--no-semantic").stdout)["relations"]
    extended = json.loads(run("export", str(small), "--no-semantic", "--relations", str(table)).stdout)["relations"]
    assert ("dropout", "mitigates", "overfitting") in {(r["head"], r["relation"], r["tail"]) for r in plain}
    assert ("dropout", "lowers", "overfitting") in {(r["head"], r["relation"], r["tail"]) for r in extended}


def test_cli_bad_relations_file_is_named(small: Path, tmp_path: Path) -> None:
    table = tmp_path / "bad.toml"
    table.write_text("[classes.x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(small), "--no-semantic", "--relations", str(table)])
    assert result.exit_code == 2
    assert f"{table}:1:" in result.stderr


@pytest.mark.model
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("relu", ["concept", "relu"]),
        ("LSTM", ["concept", "lstm"]),
        ("What is L1 regularization?", ["question", "questions-1"]),
    ],
)
def test_cli_search_prints_the_best_hit_first(query: str, first: list[str]) -> None:
    result = run("search", query, str(SEED), "--no-semantic")
    assert result.exit_code == 0
    assert result.output.splitlines()[2].split()[:2] == first, result.output


@pytest.mark.model
def test_cli_search_json_and_no_match(small: Path) -> None:
    hits = json.loads(run("search", "dropout", str(small), "--no-semantic", "--json").stdout)
    assert hits[0]["kind"] == "concept" and hits[0]["title"] == "dropout" and hits[0]["how"] == "name"
    assert [h["id"] for h in hits if h["kind"] == "question"][0] == "small-1"
    result = run("search", "zebra crossing", str(small), "--no-semantic")
    assert result.exit_code == 0 and result.output == "nothing matches 'zebra crossing'\n"


UNSURE = """# Caching

## 1. What does prefetching do?

Prefetching reduces latency.

## 2. Why use a write-back cache?

Teams adopt write-back caching in storage arrays, which in most database servers that serve many users every day and
run many batch jobs every night leads to disk contention.
"""


@pytest.mark.model
def test_cli_export_shows_confident_relations_unless_all_relations(tmp_path: Path) -> None:
    from kg.relations.confidence import threshold

    bank = tmp_path / "caching.md"
    bank.write_text(UNSURE, encoding="utf-8")
    every = json.loads(run("export", str(bank), "--no-semantic", "--all-relations").stdout)["relations"]
    shown = json.loads(run("export", str(bank), "--no-semantic").stdout)["relations"]
    assert all(0.0 <= r["confidence"] <= 1.0 for r in every)
    assert any(r["confidence"] < threshold() for r in every)  # the long sentence with "which" is less certain
    assert shown == [r for r in every if r["confidence"] >= threshold()]
    assert shown  # the plain statement stays


@pytest.mark.model
def test_cli_graph_export_leaves_less_certain_relations_off_the_edges(tmp_path: Path) -> None:
    from kg.relations.confidence import threshold

    bank = tmp_path / "caching.md"
    bank.write_text(UNSURE, encoding="utf-8")

    def relations(*flags: str) -> list[float]:
        out = tmp_path / "bank.graphml"
        assert run("export", str(bank), "--no-semantic", "--format", "graphml", "-o", str(out), *flags).exit_code == 0
        g = nx.read_graphml(out)
        return sorted(d["confidence"] for _, _, d in g.edges(data=True) if "relation" in d)

    every, shown = relations("--all-relations"), relations()
    assert shown == [c for c in every if c >= threshold()] and len(shown) < len(every)


@pytest.mark.model
def test_cli_related_concept_hides_less_certain_relations_and_says_so(tmp_path: Path) -> None:
    bank = tmp_path / "caching.md"
    bank.write_text(UNSURE, encoding="utf-8")
    every = json.loads(run("export", str(bank), "--no-semantic", "--all-relations").stdout)["relations"]
    unsure = min(every, key=lambda r: r["confidence"])
    plain = run("related", str(bank), "--concept", unsure["head"]).stdout
    assert "1 less certain relation not shown (--all-relations shows them)" in plain
    listed = json.loads(run("related", str(bank), "--concept", unsure["head"], "--json", "--all-relations").stdout)
    assert (unsure["head"], unsure["relation"], unsure["tail"]) in {
        (r["head"], r["relation"], r["tail"]) for r in listed["relations"]
    }


@pytest.mark.model
def test_cli_export_says_it_kept_the_topics_after_an_edit_and_full_finds_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    bank = tmp_path / "questions.md"
    bank.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    first = run("export", str(bank), "--no-semantic")
    assert "topics:" not in first.stderr  # a first run is logged, not said
    # the first question asks about one concept more
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("?", " and how does it relate to gelu?", 1), encoding="utf-8")
    edit = run("export", str(bank), "--no-semantic")
    assert "topics: kept from the full run of" in edit.stderr
    assert "(3.3% of the questions name other concepts since)" in edit.stderr
    searched = run("search", "relu", str(bank), "--no-semantic")
    assert "topics:" not in searched.stderr  # said only by the commands that write the whole bank
    full = run("--full", "export", str(bank), "--no-semantic")
    assert "topics: found again (asked for)" in full.stderr
    assert json.loads(full.stdout)["concepts"] == json.loads(
        run("--no-cache", "export", str(bank), "--no-semantic").stdout
    )["concepts"]


@pytest.mark.model
def test_cli_export_says_it_rescored_around_an_edit_and_full_scores_all(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    bank = tmp_path / "questions.md"
    bank.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    first = run("export", str(bank), "--no-semantic")
    assert "pairs:" not in first.stderr  # a first run is logged, not said
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("?", " in practice?", 1), encoding="utf-8")
    edit = run("export", str(bank), "--no-semantic")
    assert "questions rescored; bank statistics from the full run of" in edit.stderr
    assert "(3.3% changed since)" in edit.stderr
    full = run("--full", "export", str(bank), "--no-semantic")
    assert "pairs: all 30 questions scored, bank statistics fitted again (asked for)" in full.stderr
    assert json.loads(full.stdout)["pairs"] == json.loads(
        run("--no-cache", "export", str(bank), "--no-semantic").stdout
    )["pairs"]
