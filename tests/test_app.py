"""Flows of the Streamlit app, run headless with streamlit.testing.v1.AppTest.

What the app shows is checked against what the library says about the same bank.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.accepted import accepted_path, read_accepted
from kg.graph import RELATED_TOP, questions_of, related_concepts
from kg.model import QAItem, qnode

streamlit_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = streamlit_testing.AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SEED = ROOT / "data" / "questions.md"
TIMEOUT = 600  # a cold first run loads the spaCy pipeline (and the embedder, where installed)

pytestmark = pytest.mark.model


def _shown(markdown: str) -> str:
    """What the reader sees of bank text that the app escaped for markdown."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _title(item: QAItem) -> str:
    text = item.question_text or item.question
    return f"Q{item.number}. {text}" if item.number is not None else text


@pytest.fixture(scope="module")
def seed_bank():
    """The seed as the library sees it, built the way the app builds it."""
    from kg.embed import load_embedder
    from kg.extract import load_nlp
    from kg.parse import parse_paths
    from kg.pipeline import build_bank
    from kg.vocabulary import find_vocabulary

    items, errors = parse_paths([SEED])
    assert not errors
    return build_bank(
        items,
        load_nlp(),
        vocabulary=find_vocabulary([SEED]),
        embedder=load_embedder(),
        accepted=read_accepted(accepted_path(SEED)),
    )


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _hub(bank) -> str:
    """The concept in most questions (ties by id) that has related concepts."""
    ranked = sorted(bank.concepts, key=lambda c: (-len(c.questions), c.id))
    return next(c.id for c in ranked if len(c.questions) > 1 and related_concepts(bank.graph, c.id))


def _question_with_duplicate(bank) -> tuple[str, str]:
    pair = next(p for p in bank.pairs if p.kind == "duplicate")
    return pair.a, pair.b


def test_app_opens_on_the_seed_with_an_overview(seed_bank) -> None:
    at = _app()
    assert not at.exception
    assert _shown(at.subheader[0].value) == "Seed bank (data/questions.md)"
    assert f"{len(seed_bank.items)} questions · {len(seed_bank.concepts)} concepts" in at.caption[0].value


def test_app_legend_names_the_topics_under_the_graph(seed_bank) -> None:
    from kg.render import legend
    from kg.topics import topic_summaries

    at = _app()
    assert not at.exception
    shown = [h.proto.body for h in at.html if "kg-legend" in h.proto.body]
    assert len(shown) == 1
    entries, _ = legend(topic_summaries(seed_bank.graph, seed_bank.topics), seed_bank.topics)
    assert entries  # the seed has topics
    for e in entries:
        assert f'data-colour="{e.colour}"' in shown[0]
        assert html.escape(e.name) in shown[0]
    first = next(e for e in entries if e.topic is not None)
    assert first.name.count(" · ") == 2  # named by three concepts


def test_app_concept_by_query_param_lists_its_questions(seed_bank) -> None:
    cid = _hub(seed_bank)
    at = _app(concept=cid)
    assert not at.exception
    assert _shown(at.subheader[0].value) == seed_bank.concept(cid).label
    from ui.pages.explore import PAGE

    shown = [_shown(b.label) for b in at.button if b.key and b.key.startswith(f"cq-{cid}-")]
    expected = [_title(seed_bank.item(q)) for q in questions_of(seed_bank.graph, cid)]
    assert shown == expected[:PAGE]  # a page at a time (the rest after "Show more", tested below)
    assert len(shown) == min(len(seed_bank.concept(cid).questions), PAGE)


def test_app_relations_read_as_a_sentence(seed_bank) -> None:
    from kg.relations import confident

    r = next(r for r in confident(seed_bank.relations) if r.relation == "is_a")
    at = _app(concept=r.head)
    assert not at.exception
    said = [m.value for m in at.markdown if "*is a kind of*" in m.value]
    assert any(seed_bank.concept(r.tail).label in m for m in said), [m.value for m in at.markdown][:12]


def test_app_follows_a_related_concept(seed_bank) -> None:
    cid = _hub(seed_bank)
    at = _app(concept=cid)
    pills = at.pills(key=f"related-{cid}")
    related = related_concepts(seed_bank.graph, cid, top=RELATED_TOP)
    # the pills read the questions each shares, most first (ties as related_concepts ranks them)
    first = max(related, key=lambda r: len(r.shared_questions)).concept
    assert pills.options[0].startswith(seed_bank.concept(first).label)
    counts = [int(o.rsplit(" · ", 1)[1]) for o in pills.options]
    assert counts == sorted(counts, reverse=True) and len(counts) == len(related)
    pills.select(f"c:{first}").run()
    assert not at.exception
    assert at.query_params["concept"] == first
    assert at.subheader[0].value == seed_bank.concept(first).label


def test_app_question_shows_its_duplicate_side_by_side(seed_bank) -> None:
    a, b = _question_with_duplicate(seed_bank)
    at = _app(question=a)
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("**Duplicates and overlaps (") for t in texts)
    # Both questions side by side, as bold headings over their answers.
    headings = [t.replace("\\", "") for t in texts if t.startswith("**Q")]
    assert f"**{_title(seed_bank.item(a))}**" in headings
    assert f"**{_title(seed_bank.item(b))}**" in headings
    card = [t for t in texts if t.startswith("**Duplicate** · ")]
    assert any("likely a duplicate" in t and "wording" in t and "meaning" in t for t in card)
    # the seed's duplicate answers are one sentence, the same in both: the card says so in words
    assert any("answer sentence the same word for word" in t for t in card)
    assert any(btn.label.startswith("Open Q") for btn in at.button)


def test_app_opens_a_question_from_its_concept(seed_bank) -> None:
    cid = _hub(seed_bank)
    at = _app(concept=cid)
    first = questions_of(seed_bank.graph, cid)[0]
    at.button(key=f"cq-{cid}-{first}").click().run()
    assert at.query_params["question"] == first
    assert "concept" not in at.query_params
    assert any(p.key == f"concepts-{first}" for p in at.pills)


def test_app_search_tolerates_a_typo(seed_bank) -> None:
    cid = _hub(seed_bank)
    label = seed_bank.concept(cid).label
    typo = label[:2] + label[3] + label[2] + label[4:] if len(label) > 4 else label + "x"
    at = _app()
    at.text_input(key="search").input(typo).run()
    assert f"c:{cid}" in at.pills(key="search_hits").options or any(
        o.endswith(label) for o in at.pills(key="search_hits").options
    )


@pytest.mark.parametrize("query", ["relu", "RELU", "lstm"])
def test_app_search_ignores_case(seed_bank, query: str) -> None:
    at = _app()
    at.text_input(key="search").input(query).run()
    shown = [_shown(o) for o in at.pills(key="search_hits").options]
    assert any(o.lower() == f"● {query.lower()}" for o in shown), shown


@pytest.mark.parametrize(
    ("query", "first"),
    [("What is L1 regularization?", "Q1. What is the role of L1"), ("vanishing gradients", "● vanishing gradient")],
)
def test_app_search_ranks_the_right_hit_first(seed_bank, query: str, first: str) -> None:
    at = _app()
    at.text_input(key="search").input(query).run()
    options = [_shown(o) for o in at.pills(key="search_hits").options]
    assert len(options) <= 10
    assert options[0].startswith(first), options


def test_app_search_without_a_match_says_so(seed_bank) -> None:
    at = _app()
    at.text_input(key="search").input("zebra crossing").run()
    assert not [p for p in at.pills if p.key == "search_hits"]
    assert any("Nothing matches" in _shown(c.value) for c in at.caption)


def test_app_search_results_name_the_file_of_questions_from_several_files(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "nlp.md").write_text("## Q1. What is beam search decoding?\n\nBeam search keeps k paths.\n")
    (folder / "audio.md").write_text("## Q1. Why does beam search decoding help speech?\n\nIt keeps k paths.\n")
    monkeypatch.setenv("KG_BANKS", str(folder))
    at = _app()
    at.text_input(key="search").input("beam search decoding").run()
    questions = [_shown(o) for o in at.pills(key="search_hits").options if not _shown(o).startswith("●")]
    assert len(questions) == 2, questions
    assert sorted(q.rsplit(" · ", 1)[-1] for q in questions) == ["audio.md", "nlp.md"]


def test_app_search_results_go_once_one_is_opened(seed_bank) -> None:
    at = _app()
    at.text_input(key="search").input("relu").run()
    at.pills(key="search_hits").select("c:relu").run()
    assert at.query_params["concept"] == "relu"
    assert at.text_input(key="search").value == ""
    assert not [p for p in at.pills if p.key == "search_hits"]


@pytest.mark.parametrize("written", ["ReLU", "RELU", "rectified linear unit"])
def test_app_concept_link_may_name_it_as_written(seed_bank, written: str) -> None:
    assert seed_bank.concept(written) is None  # no id: found by its name
    at = _app(concept=written)
    assert not at.exception
    assert not at.warning
    assert _shown(at.subheader[0].value) == seed_bank.concept("relu").label
    assert at.query_params["concept"] == "relu"


def test_app_unknown_concept_says_so() -> None:
    at = _app(concept="no-such-concept")
    assert not at.exception
    assert [_shown(w.value) for w in at.warning] == ["No concept “no-such-concept” in this bank."]


def test_app_duplicates_page_lists_close_pairs(seed_bank) -> None:
    at = _app(page="duplicates")
    assert not at.exception
    close = [p for p in seed_bank.pairs if p.kind in ("duplicate", "overlap")]
    assert len(at.dataframe[0].value) == len(close)
    assert set(at.dataframe[0].value["kind"]) == {p.kind for p in close}
    # more rows than the table's frame shows: the caption says the rest is a scroll away
    caption = next(c.value for c in at.caption if "Select a row" in c.value)
    assert ("scroll it for the rest" in caption) == (len(close) > 9)


def test_app_duplicates_page_counts_each_kind_at_the_lowest_score(seed_bank) -> None:
    at = _app(page="duplicates")
    at.slider(key="dup_min").set_value(0.5).run()
    assert not at.exception
    kinds = ("duplicate", "overlap", "related")
    counts = {k: sum(p.kind == k and p.score >= 0.5 for p in seed_bank.pairs) for k in kinds}
    said = " · ".join(f"{k} {n:,}" for k, n in counts.items()) + " scored 0.50 or more"
    assert said in [c.value for c in at.caption]


def test_app_duplicates_page_says_which_pairs_the_filters_leave_out(seed_bank) -> None:
    at = _app(page="duplicates")
    at.multiselect(key="dup_kinds").set_value(["overlap"]).run()
    at.slider(key="dup_min").set_value(1.0).run()
    assert not at.exception and not at.dataframe  # no empty table
    copies = sum(1 for p in seed_bank.pairs if p.score >= 1.0)
    assert copies == sum(1 for p in seed_bank.pairs if p.kind == "duplicate" and p.score >= 1.0) == 1  # Q2 / Q30
    assert [i.value for i in at.info] == [
        "No overlap pairs scored 1.00 or more. "
        "1 duplicate pair is left out by the Kind filter: add duplicate to see it."
    ]
    at.multiselect(key="dup_kinds").set_value([]).run()
    assert [i.value for i in at.info] == ["No kind is chosen: choose one or more under Kind."]


def test_app_duplicates_page_steps_through_pairs_with_next_and_previous(seed_bank) -> None:
    at = _app(page="duplicates")
    shown = at.session_state["dup_shown"]
    assert len(shown) >= 2
    at.button(key="dup_next").click().run()  # none open: the first
    assert at.session_state["dup_pair"] == shown[0]
    at.button(key="dup_next").click().run()
    assert at.session_state["dup_pair"] == shown[1]
    # the table's tick follows: the row opened is the one selected
    assert at.session_state[at.session_state["dup_table"]]["selection"]["rows"] == [1]
    first_title = f"**{_title(seed_bank.item(shown[1][0]))}**"
    assert first_title in [m.value.replace("\\", "") for m in at.markdown]  # its card is open
    at.button(key="dup_prev").click().run()
    at.button(key="dup_prev").click().run()  # no further back than the first
    assert at.session_state["dup_pair"] == shown[0]


def test_app_duplicates_page_keeps_its_filters_and_open_pair_in_the_url_for_a_reload(seed_bank) -> None:
    at = _app(page="duplicates")
    at.multiselect(key="dup_kinds").set_value(["duplicate", "overlap", "related"]).run()
    at.slider(key="dup_min").set_value(0.2).run()
    at.button(key="dup_next").click().run()
    at.button(key="dup_next").click().run()
    assert not at.exception
    opened = at.session_state["dup_pair"]
    assert (at.query_params["kinds"], at.query_params["score"]) == ("duplicate,overlap,related", "0.2")
    assert at.query_params["pair"] == ",".join(opened)

    again = _app(page="duplicates", kinds="duplicate,overlap,related", score="0.2", pair=",".join(opened))
    assert not again.exception
    assert (again.multiselect(key="dup_kinds").value, again.slider(key="dup_min").value) == (
        ["duplicate", "overlap", "related"], 0.2)
    assert again.session_state["dup_pair"] == opened
    shown = again.session_state["dup_shown"]
    assert again.session_state[again.session_state["dup_table"]]["selection"]["rows"] == [shown.index(opened)]
    odd = _app(page="duplicates", kinds="bogus", score="7", pair="no,such")
    assert not odd.exception
    assert (odd.multiselect(key="dup_kinds").value, odd.slider(key="dup_min").value) == (["duplicate", "overlap"], 0.0)
    assert odd.session_state["dup_pair"] is None


def test_app_duplicates_page_says_where_a_pair_hidden_by_the_filters_went(seed_bank) -> None:
    at = _app(page="duplicates")
    at.button(key="dup_next").click().run()
    opened = at.session_state["dup_pair"]
    kind = next(p.kind for p in seed_bank.pairs if (p.a, p.b) == opened)
    others = [k for k in ("duplicate", "overlap", "related") if k != kind]
    at.multiselect(key="dup_kinds").set_value(others).run()
    assert not at.exception
    assert any("not of the kinds and scores chosen" in c.value for c in at.caption)
    # the same kinds again: the pair is listed and open, and the note is gone
    at.multiselect(key="dup_kinds").set_value([kind, *others]).run()
    assert at.session_state["dup_pair"] == opened
    assert not any("not of the kinds and scores chosen" in c.value for c in at.caption)


def _back(at: AppTest, params: dict[str, str]) -> AppTest:
    """The browser's Back to a URL with ``params``: the same session, run again on the URL as it was."""
    for k in list(at.query_params):
        del at.query_params[k]
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_app_duplicates_page_follows_the_url_on_back(seed_bank) -> None:
    at = _app(page="duplicates")
    before = dict(at.query_params)
    at.multiselect(key="dup_kinds").set_value(["duplicate", "overlap", "related"]).run()
    at.slider(key="dup_min").set_value(0.3).run()
    at.button(key="dup_next").click().run()
    assert at.session_state["dup_pair"] is not None
    back = _back(at, before)
    assert not back.exception
    shown = (back.multiselect(key="dup_kinds").value, back.slider(key="dup_min").value)
    assert shown == (["duplicate", "overlap"], 0.0)
    assert back.session_state["dup_pair"] is None, "the URL Back goes to names no pair"


def test_app_duplicates_page_opens_as_it_was_left_after_another_page(seed_bank) -> None:
    at = _app(page="duplicates")
    at.multiselect(key="dup_kinds").set_value(["overlap"]).run()
    at.button(key="dup_next").click().run()
    opened = at.session_state["dup_pair"]
    for page in ("explore", "duplicates"):
        (nav,) = [w for w in at.get("button_group") if w.key == "nav"]
        nav.set_value(page).run()
    assert not at.exception
    assert (at.query_params["kinds"], at.query_params["pair"]) == ("overlap", ",".join(opened))
    assert at.multiselect(key="dup_kinds").value == ["overlap"] and at.session_state["dup_pair"] == opened


def test_app_graph_settings_follow_the_url_on_back(seed_bank) -> None:
    hub = _hub(seed_bank)
    at = _app(concept=hub, whole="0")
    before = dict(at.query_params)
    _control(at, "hops").set_value(3).run()
    _control(at, "hide_generic").set_value(True).run()
    assert at.query_params["hops"] == "3"
    back = _back(at, before)
    assert not back.exception
    assert [_control(back, n).value for n in ("hops", "hide_generic")] == [2, False]
    forward = _back(back, {**before, "hops": "1"})
    assert _control(forward, "hops").value == 1


def test_app_concepts_filter_follows_the_url_on_back(seed_bank) -> None:
    at = _app(page="concepts")
    at.text_input(key="concept_filter").input("relu").run()
    at.text_input(key="concept_filter").input("dropout").run()
    back = _back(at, {"page": "concepts", "filter": "relu"})
    assert back.text_input(key="concept_filter").value == "relu"


@pytest.mark.parametrize(("verdict", "by"), [("duplicate", 1), ("duplicate", -1), ("different", 1), ("different", -1)])
def test_app_duplicates_page_steps_after_a_verdict_go_on_in_reading_order(
    seed_bank, tmp_path, monkeypatch, verdict, by
) -> None:
    """A verdict moves its pair up among the duplicates, or off the list: Next opens the pair that followed
    it when it was opened, Previous the one before it, not their neighbours at its new place."""
    bank = tmp_path / "bank" / "questions.md"
    bank.parent.mkdir()
    shutil.copy(SEED, bank)
    monkeypatch.setenv("KG_BANKS", str(bank))
    at = _app(bank="bank1", page="duplicates")
    before = list(at.session_state["dup_shown"])
    kinds = {(p.a, p.b): p.kind for p in seed_bank.pairs}
    # an overlap with an overlap before it: a duplicate verdict moves it up, past that one
    k = next(k for k in range(1, len(before) - 1) if kinds.get(before[k - 1]) == kinds.get(before[k]) == "overlap")
    for _ in range(k + 1):
        at.button(key="dup_next").click().run()
    a, b = at.session_state["dup_pair"]
    assert (a, b) == before[k]
    assert f"Pair {k + 1} of {len(before)} open." in " ".join(c.value for c in at.caption)
    at.button(key=f"dp-{a}-{b}-{verdict}").click().run()
    assert not at.exception
    after = at.session_state["dup_shown"]
    assert (a, b) not in after if verdict == "different" else after.index((a, b)) < k
    if verdict == "duplicate":  # the open pair's row is still ticked, at its new place
        assert at.session_state[at.session_state["dup_table"]]["selection"]["rows"] == [after.index((a, b))]
    at.button(key="dup_next" if by > 0 else "dup_prev").click().run()
    assert at.session_state["dup_pair"] == before[k + by]


def test_app_duplicates_page_card_opens_either_question(seed_bank) -> None:
    at = _app(page="duplicates")
    at.button(key="dup_next").click().run()
    a, b = at.session_state["dup_pair"]
    key = f"dp-{a}-{b}"
    at.button(key=f"{key}-open-1").click().run()
    assert at.query_params["question"] == b
    at = _app(page="duplicates")
    at.button(key="dup_next").click().run()
    at.button(key=f"{key}-open-0").click().run()
    assert at.query_params["question"] == a


def test_app_duplicate_group_opens_the_question_clicked(seed_bank) -> None:
    from kg.similar import group_duplicates

    groups = group_duplicates([p for p in seed_bank.pairs if p.kind in ("duplicate", "overlap")])
    assert groups, "the seed has duplicates"
    at = _app(page="duplicates")
    pills = [p for p in at.pills if p.key.startswith("dup_group-")]
    assert len(pills) == len(groups)
    for pill, group in zip(pills, groups, strict=True):  # each question by its title and line
        assert [_shown(o).split(" (questions.md:")[1] for o in pill.options] == [
            f"{seed_bank.item(i).line})" for i in group
        ]
    last = groups[0][-1]
    pills[0].select(qnode(last)).run()
    assert at.query_params["question"] == last
    assert "page" not in at.query_params  # the question opens on Explore, with its duplicates
    assert any("Duplicates and overlaps" in m.value for m in at.markdown)


def test_app_concepts_page_filter_says_when_nothing_matches(seed_bank) -> None:
    at = _app(page="concepts")
    at.text_input(key="concept_filter").input("relu").run()
    assert all("relu" in (c + a).lower() for c, a in zip(at.dataframe[0].value["concept"],
                                                          at.dataframe[0].value["aliases"], strict=True))
    at.text_input(key="concept_filter").input("zzqx").run()
    captions = [c.value for c in at.caption]
    assert "No concept or alias holds “zzqx”." in captions, captions
    assert not any("select a row" in c for c in captions), captions
    assert not at.dataframe, "no empty table below the caption"


def test_app_concepts_page_keeps_its_filter_in_the_url(seed_bank) -> None:
    at = _app(page="concepts")
    at.text_input(key="concept_filter").input("relu").run()
    assert at.query_params["filter"] == "relu"
    again = _app(page="concepts", filter="relu")  # a reload, or Back from the concept opened
    assert again.text_input(key="concept_filter").value == "relu"
    assert list(again.dataframe[0].value["concept"]) == list(at.dataframe[0].value["concept"])
    again.text_input(key="concept_filter").input("").run()
    assert "filter" not in again.query_params


def test_app_concepts_page_says_what_each_count_column_counts(seed_bank) -> None:
    import json

    at = _app(page="concepts")
    config = json.loads(at.dataframe[0].proto.columns)
    shown = [c for c in at.dataframe[0].proto.column_order if c != "concept"]
    assert shown and all(config.get(c, {}).get("help") for c in shown)


def test_app_concepts_page_has_every_concept(seed_bank) -> None:
    at = _app(page="concepts")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == len(seed_bank.concepts)
    assert sorted(table["concept"]) == sorted(c.label for c in seed_bank.concepts)



@pytest.fixture
def downloads(monkeypatch) -> dict[str, object]:
    """What the app's download buttons offer, by file name (AppTest shows only their labels)."""
    import streamlit as st

    offered: dict[str, object] = {}
    real = st.download_button

    def record(label, data, file_name=None, *args, **kwargs):
        offered[file_name] = data
        return real(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", record)
    return offered


def test_app_not_a_duplicate_goes_to_the_accepted_file(seed_bank, tmp_path, monkeypatch, downloads) -> None:
    bank = tmp_path / "bank" / "questions.md"
    bank.parent.mkdir()
    shutil.copy(SEED, bank)
    before = bank.read_bytes()
    monkeypatch.setenv("KG_BANKS", str(bank))
    a, b = _question_with_duplicate(seed_bank)
    at = _app(bank="bank1", question=a)
    assert not at.exception
    accept = next(btn for btn in at.button if btn.key and btn.key.endswith("-different"))
    accept.click().run()
    assert read_accepted(bank.parent / "kg-accepted.toml") >= {frozenset((a, b))}
    assert bank.read_bytes() == before  # the bank itself is never edited
    # Rebuilt without the accepted pair: it is no longer offered as a duplicate of a.
    headings = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**Q")]
    assert f"**{_title(seed_bank.item(b))}**" not in headings
    # The Duplicates page offers the decisions file as it is, named after the bank.
    _app(bank="bank1", page="duplicates")
    assert downloads["questions-kg-accepted.toml"] == (bank.parent / "kg-accepted.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("verdict", ["duplicate", "overlap", "different"])
def test_app_verdict_is_recorded_shown_and_undone(seed_bank, tmp_path, monkeypatch, verdict) -> None:
    from kg.decisions import read_decisions

    bank = tmp_path / "bank" / "questions.md"
    bank.parent.mkdir()
    shutil.copy(SEED, bank)
    decisions = bank.parent / "kg-accepted.toml"
    monkeypatch.setenv("KG_BANKS", str(bank))
    a, b = _question_with_duplicate(seed_bank)
    at = _app(bank="bank1", question=a)
    built = at.session_state["bank_memo"][1]
    next(btn for btn in at.button if btn.key and btn.key.endswith(f"-{verdict}")).click().run()
    assert not at.exception
    assert [d.verdict for d in read_decisions(decisions).values()] == [verdict]
    # Applied to the pairs of the bank already built: not built again.
    assert at.session_state["bank_memo"][1].items is built.items
    undo = [btn for btn in at.button if btn.key and btn.key.endswith("-undo")]
    assert len(undo) == 1
    if verdict != "different":
        assert any(m.value == f"Decided: **{verdict}**" for m in at.markdown)
    undo[0].click().run()
    assert not at.exception
    assert read_decisions(decisions) == {}
    assert not [btn for btn in at.button if btn.key and btn.key.endswith("-undo")]
    # the message names the questions as the verdict's did, by file and line, not by their ids
    (said,) = [_shown(t.value) for t in at.toast]
    assert said.startswith("Undid the verdict on questions.md:") and a not in said and b not in said
    assert said.endswith(" in kg-accepted.toml.")  # the file it changed, written beside the bank


def test_app_pairs_decided_different_box_goes_off_when_the_last_verdict_is_undone(tmp_path, monkeypatch) -> None:
    bank = tmp_path / "bank" / "questions.md"
    bank.parent.mkdir()
    shutil.copy(SEED, bank)
    monkeypatch.setenv("KG_BANKS", str(bank))
    at = _app(bank="bank1", page="duplicates")
    at.button(key="dup_next").click().run()
    next(btn for btn in at.button if btn.key and btn.key.endswith("-different")).click().run()
    box = at.checkbox(key="dup_aside")
    assert (box.label, box.disabled) == ("Pairs decided different (1)", False)
    box.check().run()
    next(btn for btn in at.button if btn.key and btn.key.endswith("-undo")).click().run()
    assert not at.exception
    box = at.checkbox(key="dup_aside")
    assert (box.label, box.disabled, box.value) == ("Pairs decided different (0)", True, False)


def test_app_opens_on_the_bank_named_on_the_command_line(tmp_path, monkeypatch) -> None:
    bank = tmp_path / "mine.md"
    bank.write_text("## 1. What is dropout?\n\nDropout drops units.\n\n## 2. What is ReLU?\n\nA function.\n")
    monkeypatch.setenv("KG_BANKS", str(bank))
    at = _app()
    assert not at.exception
    assert _shown(at.subheader[0].value) == "mine.md"
    assert at.selectbox(key="bank_choice").value == "bank1"


def test_app_lists_a_hub_concepts_questions_a_page_at_a_time(tmp_path, monkeypatch) -> None:
    from ui.pages.explore import PAGE

    bank = tmp_path / "hub.md"
    n = PAGE + 7
    text = "".join(f"## {i}. Why does dropout help model {i}?\n\nDropout drops units of model {i}.\n\n"
                   for i in range(1, n + 1))
    bank.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KG_BANKS", str(bank))
    at = _app(concept="dropout")
    assert not at.exception

    def listed() -> int:
        return len([b for b in at.button if b.key and b.key.startswith("cq-dropout-")])

    assert listed() == PAGE
    more = at.button(key="more-dropout")
    assert more.label == f"Show 7 more ({PAGE} of {n} shown)"
    more.click().run()
    assert listed() == n
    assert not [b for b in at.button if b.key == "more-dropout"]


def test_app_says_why_a_big_bank_opens_on_a_neighbourhood(seed_bank, monkeypatch) -> None:
    import kg.render.view

    monkeypatch.setattr(kg.render.view, "FULL_VIEW_LIMIT", 10)  # the seed, as big as a real bank
    top = max(seed_bank.concepts, key=lambda c: (len(c.questions), c.label))
    at = _app()
    captions = [_shown(c.value) for c in at.caption]
    assert f"Neighbourhood of “{top.label}”, the concept in most questions, 2 hops" in captions
    cid = _hub(seed_bank)
    at = _app(concept=cid)
    captions = [_shown(c.value) for c in at.caption]
    assert f"Neighbourhood of “{seed_bank.concept(cid).label}”, 2 hops" in captions


def test_app_whole_graph_switched_off_with_nothing_selected_opens_a_neighbourhood(seed_bank) -> None:
    """A bank drawn whole by default, with the switch off and nothing selected, draws the neighbourhood of
    its concept in most questions, as a big bank does, and the depth changes it; on, the whole graph."""
    top = max(seed_bank.concepts, key=lambda c: (not c.generic, len(c.questions), c.label))
    at = _app(whole="0", hops="1")
    assert not at.exception
    captions = [_shown(c.value) for c in at.caption]
    assert f"Neighbourhood of “{top.label}”, the concept in most questions, 1 hop" in captions
    one = {n["id"] for n in _drawn(at, True)}
    _control(at, "hops").set_value(2).run()
    two = {n["id"] for n in _drawn(at, True)}
    concepts = {n for n in seed_bank.graph if n.startswith("c:")}
    assert f"c:{top.id}" in one and one < two < concepts
    assert {n["id"] for n in _drawn(_app(whole="1"), True)} == concepts


def test_app_says_when_a_neighbourhood_is_cut_to_its_nearest_nodes(tmp_path, monkeypatch) -> None:
    from kg.render import NEIGHBOURHOOD_LIMIT

    # one concept in more questions than a view keeps
    topics = ["the learning rate", "the batch size", "weight decay", "early stopping", "label smoothing"]
    bank = tmp_path / "big.md"
    bank.write_text("".join(
        f"## Q{i}. How does dropout interact with {topics[i % 5]} in experiment {i}?\n\n"
        f"Dropout and {topics[i % 5]} both regularise the network.\n\n" for i in range(1, NEIGHBOURHOOD_LIMIT + 20)
    ), encoding="utf-8")
    monkeypatch.setenv("KG_BANKS", str(bank))
    at = _app(concept="dropout", whole="0")
    assert not at.exception
    captions = [_shown(c.value) for c in at.caption]
    assert f"Neighbourhood of “dropout”, 2 hops, cut to the {NEIGHBOURHOOD_LIMIT} nodes nearest it" in captions
    at = _app(concept="dropout", whole="0", questions="0")  # its related concepts alone: a few, all drawn
    assert "Neighbourhood of “dropout”, 2 hops" in [_shown(c.value) for c in at.caption]


def test_app_says_why_the_filters_leave_no_concept_to_draw(seed_bank) -> None:
    most = max(len(c.questions) for c in seed_bank.concepts)
    at = _app(whole="1", questions="0", min=str(most + 1))
    assert not at.exception
    assert [_shown(i.value) for i in at.info] == [
        f"No concept to draw: the Filters hide every concept in fewer than {most + 1} questions."]
    at = _app(whole="1", min=str(most))  # one concept left: drawn, and nothing to say
    assert not at.info


def test_app_says_when_the_filters_leave_the_selection_alone(seed_bank) -> None:
    relu = next(c for c in seed_bank.concepts if c.id == "relu")
    at = _app(concept="relu", whole="0", questions="0", min=str(len(relu.questions) + 20))
    assert not at.exception
    assert [_shown(i.value) for i in at.info] == [
        f"The Filters hide every neighbour of “ReLU”: concepts in fewer than {len(relu.questions) + 20} questions"
        " and questions."]
    at = _app(concept="relu", whole="0", questions="0", min=str(len(relu.questions) + 20), hide_generic="1")
    assert [_shown(i.value) for i in at.info] == [
        f"The Filters hide every neighbour of “ReLU”: concepts in fewer than {len(relu.questions) + 20} questions,"
        " generic concepts and questions."]
    at = _app(concept="relu", whole="0", questions="0")  # its related concepts drawn: nothing to say
    assert not at.info


def test_app_reports_a_bad_bank_with_its_file(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "notes.md"
    bad.write_text("Just a paragraph of prose, no question in it at all.\n", encoding="utf-8")
    monkeypatch.setenv("KG_BANKS", str(bad))
    at = _app(bank="bank1")
    assert not at.exception
    assert any(str(bad) in _shown(w.value) for w in at.warning)
    assert [i.value for i in at.info] == ["This bank holds no questions."]


def _question_of_a_bank(tmp_path, monkeypatch, name: str, text: str):
    """The app opened on the first question of a one-file bank ``name``.md holding ``text``."""
    bank = tmp_path / f"{name}.md"
    bank.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KG_BANKS", str(bank))
    at = _app(bank="bank1", question=f"{name}-1")
    assert not at.exception
    return at


def test_app_answer_is_shown_as_written(tmp_path, monkeypatch) -> None:
    """Formulas, code and lists of an answer reach the page as markdown; an image in it stays text."""
    at = _question_of_a_bank(
        tmp_path, monkeypatch, "vectors",
        "## 1. When are two vectors orthogonal?\n\n"
        "When their dot product is zero: $\\vec a\\cdot\\vec b=0$. ![plot](http://127.0.0.1:9/p.png)\n\n"
        "```python\nassert a @ b == 0\n```\n\n- first point\n- second point\n\n"
        "## 2. What is a dot product?\n\nThe sum of the products of matching entries.\n",
    )
    (answer,) = [m.value for m in at.markdown if "dot product is zero" in m.value]
    assert "$\\vec a\\cdot\\vec b=0$" in answer
    assert "```python\nassert a @ b == 0\n```" in answer
    assert "- first point\n- second point" in answer
    assert "![" not in answer and "*Image: plot* (`http://127.0.0.1:9/p.png`)" in answer


def test_app_question_shows_its_code_under_its_lead(tmp_path, monkeypatch) -> None:
    """A quiz question's code is shown as a code block under the question's lead, not run into its title."""
    at = _question_of_a_bank(
        tmp_path, monkeypatch, "quiz",
        "## 1. What's the output?\n```javascript\nconsole.log(typeof typeof 1)\n```\n\n- A: number\n- B: string\n\n"
        "The inner typeof gives a string.\n\n"
        "## 2. What does typeof null give?\n\nIt gives object, a known quirk.\n",
    )
    headings = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert headings == ["##### What's the output?"]
    (code,) = [m.value for m in at.markdown if "console.log" in m.value]
    assert "```javascript\nconsole.log(typeof typeof 1)\n```" in code
    assert "- A: number\n- B: string" in code


def test_app_question_heading_typesets_its_formulas_and_escapes_the_rest(tmp_path, monkeypatch) -> None:
    at = _question_of_a_bank(
        tmp_path, monkeypatch, "odds",
        "## 1. What are the odds of an event with probability $p$, priced at $5 each?\n\n"
        "They are $\\frac{p}{1-p}$.\n\n## 2. What is a log odds ratio?\n\nThe log of the odds ratio.\n",
    )
    (heading,) = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert "$p$" in heading  # typeset, as the answer's formulas are
    assert "\\$5" in heading  # a price stays text


def test_app_rebuilds_a_bank_when_its_concepts_file_changes(tmp_path, monkeypatch) -> None:
    """A concepts.toml written beside an open bank takes effect on the next open, in the same server."""
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "nets.md").write_text(
        "## 1. What does dropout do?\n\nDropout switches off units at random, which reduces overfitting.\n\n"
        "## 2. Why does dropout help a network generalise?\n\nDropout keeps units from co-adapting.\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KG_BANKS", str(folder))
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    before = _app(bank="bank1", concept="dropout")
    assert not before.exception
    assert not [w for w in before.warning if "No concept" in w.value]
    (folder / "concepts.toml").write_text('ignore = ["dropout"]\n', encoding="utf-8")
    after = _app(bank="bank1", concept="dropout")
    assert not after.exception
    assert [w for w in after.warning if "No concept" in w.value]


BANK_A = b"""## 1. What does dropout do in a neural network?

Dropout randomly switches off units during training, which reduces overfitting.

## 2. What is a learning rate?

The learning rate scales each gradient descent step.
"""
BANK_B = b"""## 1. What does dropout do in neural networks?

Dropout randomly switches off units while training, which reduces overfitting.

## 2. Why use batch normalization?

Batch normalization standardises layer inputs, which stabilises and speeds up training.
"""


def test_app_upload_several_files_and_switch_between_banks() -> None:
    at = _app()
    at.file_uploader(key="upload").set_value(
        [("first.md", BANK_A, "text/markdown"), ("second.md", BANK_B, "text/markdown")]
    ).run()
    assert not at.exception
    bank = at.query_params["bank"]
    assert bank.startswith("up-")
    assert at.selectbox(key="bank_choice").value == bank
    assert _shown(at.subheader[0].value) == "first.md, second.md"
    assert at.caption[0].value.startswith("4 questions")
    # The planted near-copy across the two files is found.
    at.query_params["page"] = "duplicates"
    at.run()
    kinds = list(at.dataframe[0].value["kind"])
    assert "duplicate" in kinds or "overlap" in kinds
    # Back to the seed through the bank switcher.
    at.selectbox(key="bank_choice").select("seed").run()
    assert "bank" not in at.query_params
    assert _shown(at.subheader[0].value) == "Seed bank (data/questions.md)"


def test_app_upload_that_is_not_utf8_is_reported() -> None:
    at = _app()
    text = "## 1. Why?\n\nBecause.\n\n## 2. Qué?\n\nSí.\n".encode("latin-1")
    at.file_uploader(key="upload").set_value(("latin.md", text, "text/markdown")).run()
    assert not at.exception
    expected = "latin.md:5: not UTF-8 text (invalid continuation byte); save it as UTF-8"
    assert [_shown(w.value) for w in at.warning] == [expected]


def test_app_many_notes_on_a_banks_files_fold_into_one_line() -> None:
    at = _app()
    broken = [(f"notes{n}.md", b"# Notes\n\nJust prose, no question here.\n", "text/markdown") for n in range(4)]
    good = ("good.md", b"## 1. Why?\n\nBecause.\n", "text/markdown")
    at.file_uploader(key="upload").set_value([*broken, good]).run()
    assert not at.exception
    (folded,) = [e for e in at.expander if "notes on this bank's files" in e.label]
    assert folded.label.startswith("⚠️ 4 notes")
    assert sorted(_shown(w.value).split(":")[0] for w in folded.warning) == [f"notes{n}.md" for n in range(4)]


def test_app_upload_in_another_language_says_what_is_read_of_it() -> None:
    from tests.test_language import SPANISH

    at = _app()
    at.file_uploader(key="upload").set_value(("redes.md", SPANISH.encode(), "text/markdown")).run()
    assert not at.exception
    (warning,) = [_shown(w.value) for w in at.warning]
    assert warning.startswith("redes.md: the text is in another language than English ('es')")
    assert at.caption[0].value.startswith("3 questions")


def test_app_upload_read_in_part_says_where_the_unread_questions_start() -> None:
    from tests.test_parse_unread import ANSWERED, UNREAD_ANSWERED

    at = _app()
    at.file_uploader(key="upload").set_value(
        ("net.md", (ANSWERED + UNREAD_ANSWERED).encode(), "text/markdown")).run()
    assert not at.exception
    (warning,) = [_shown(w.value) for w in at.warning]
    assert warning.startswith("net.md: read in part: 3 questions read, 6 more lines that ask a question not read")
    assert at.caption[0].value.startswith("3 questions")


def _upload(at: AppTest) -> str:
    """Upload the two-file bank with a planted duplicate; the new bank's key."""
    at.file_uploader(key="upload").set_value(
        [("first.md", BANK_A, "text/markdown"), ("second.md", BANK_B, "text/markdown")]
    ).run()
    assert not at.exception
    return at.query_params["bank"]


def test_app_upload_is_kept_and_opens_in_a_new_session(upload_store: Path) -> None:
    key = _upload(_app())
    assert (upload_store / key.removeprefix("up-") / "first.md").read_bytes() == BANK_A
    # A new session: the upload is in the selector, and its ?bank= link opens it.
    fresh = _app()
    assert key in fresh.session_state["sources"]
    assert list(fresh.session_state["sources"])[-1] == key
    opened = _app(bank=key)
    assert not opened.exception
    assert not opened.warning
    assert _shown(opened.subheader[0].value) == "first.md, second.md"
    assert opened.caption[0].value.startswith("4 questions")


def test_app_not_a_duplicate_on_an_upload_is_kept_with_it(upload_store: Path, downloads) -> None:
    key = _upload(_app())
    at = _app(bank=key, question="first-1")
    accept = next(btn for btn in at.button if btn.key and btn.key.endswith("-different"))
    accept.click().run()
    assert not at.exception
    decisions = upload_store / key.removeprefix("up-") / "kg-accepted.toml"
    assert read_accepted(decisions) == {frozenset(("first-1", "second-1"))}
    # Another session: the pair is gone from the question and from the Duplicates page.
    again = _app(bank=key, question="first-1")
    headings = [m.value.replace("\\", "") for m in again.markdown if m.value.startswith("**Q")]
    assert not any("dropout do in neural networks" in h for h in headings)
    # The Duplicates page offers the decisions file, named after the bank.
    page = _app(bank=key, page="duplicates")
    (download,) = [d for d in page.get("download_button") if d.proto.label.startswith("Download kg-accepted.toml")]
    assert download.proto.label == "Download kg-accepted.toml (1 different)"
    assert downloads["first-second-kg-accepted.toml"] == decisions.read_text(encoding="utf-8")


def test_app_upload_the_store_cannot_take_stays_for_the_session(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("KG_UPLOADS", str(blocker / "uploads"))
    at = _app()
    key = _upload(at)
    assert _shown(at.subheader[0].value) == "first.md, second.md"
    listed, kept = [_shown(w.value) for w in at.warning]
    assert listed == f"{blocker / 'uploads'}: cannot list the stored uploads: Not a directory"
    assert kept.startswith("This upload is open for this session only:")
    assert "could not keep the upload" in kept
    at.query_params["question"] = "first-1"
    at.run()
    next(btn for btn in at.button if btn.key and btn.key.endswith("-different")).click().run()
    assert not at.exception
    headings = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**Q")]
    assert not any("dropout do in neural networks" in h for h in headings)
    assert key.startswith("up-")


def test_app_damaged_stored_upload_is_named_and_skipped(upload_store: Path) -> None:
    broken = upload_store / "0123456789ab"
    broken.mkdir()
    (broken / "kg-upload.json").write_text("{not json", encoding="utf-8")
    at = _app()
    assert not at.exception
    assert list(at.session_state["sources"]) == ["seed"]
    (warning,) = [_shown(w.value) for w in at.warning]
    assert warning.startswith(f"{broken}: a damaged stored upload (its kg-upload.json cannot be read")
    assert _shown(at.subheader[0].value) == "Seed bank (data/questions.md)"


def _drawn(at, generic: bool) -> list[dict]:
    """The concept nodes of the graph the app last drew with the generic filter at ``generic``."""
    payloads = [v for k, v in at.session_state["derived"].items() if k[0] == "graph_payload" and k[-1] is generic]
    assert payloads, "no graph drawn with that filter"
    return [n for n in payloads[-1]["nodes"] if n["id"].startswith("c:")]


def test_app_filter_hides_generic_concepts_and_each_bank_keeps_its_own(tmp_path, monkeypatch) -> None:
    from test_specificity import BAKING

    from kg.render import GENERIC_COLOUR, GENERIC_SIZE

    bank = tmp_path / "baking.md"
    bank.write_text(BAKING, encoding="utf-8")
    monkeypatch.setenv("KG_BANKS", str(bank))
    at = _app()
    assert not at.exception
    # shown by default, drawn small and grey, and listed after the specific concepts
    recipe = next(n for n in _drawn(at, True) if n["id"] == "c:recipe")
    assert (recipe["size"], recipe["color"]) == (GENERIC_SIZE, GENERIC_COLOUR)
    # "recipe" is in the most questions, yet "In most questions" lists the specific concepts before it
    top = [_shown(o) for o in at.pills(key="top-concepts").options]
    assert not [o for o in top[:-1] if o.startswith("recipe ·")]
    assert int(top[0].rsplit("· ", 1)[1]) < 5

    (toggle,) = [t for t in at.toggle if t.key and t.key.startswith("hide_generic-")]
    assert toggle.value is False
    toggle.set_value(True).run()
    assert not at.exception
    drawn = {n["id"] for n in _drawn(at, False)}
    assert "c:recipe" not in drawn and "c:levain" in drawn
    assert any(b.proto.popover.label == "Filters (1)" for b in at.get("popover"))

    # another bank starts with the filter off; coming back finds it on
    at.selectbox(key="bank_choice").select("seed").run()
    assert not at.exception
    (seed_toggle,) = [t for t in at.toggle if t.key and t.key.startswith("hide_generic-")]
    assert seed_toggle.value is False
    at.selectbox(key="bank_choice").select("bank1").run()
    (toggle,) = [t for t in at.toggle if t.key and t.key.startswith("hide_generic-")]
    assert toggle.value is True


def test_app_related_concepts_leave_out_the_generic_ones_while_they_are_hidden(tmp_path, monkeypatch) -> None:
    from test_specificity import BAKING

    bank = tmp_path / "baking.md"
    bank.write_text(BAKING, encoding="utf-8")
    monkeypatch.setenv("KG_BANKS", str(bank))
    listed = [_shown(o) for o in _app(concept="hydration").pills(key="related-hydration").options]
    assert any(o.startswith("recipe ·") for o in listed), listed
    hidden = _app(concept="hydration", hide_generic="1")
    assert not hidden.exception
    kept = [_shown(o) for o in hidden.pills(key="related-hydration").options]
    assert kept and not any(o.startswith("recipe ·") for o in kept), kept


def test_app_whole_graph_switch_is_kept_in_the_url_for_a_reload_and_views_opened_after(seed_bank) -> None:
    """The seed is drawn whole by default; switched off, the URL says so, a view opened from there keeps it,
    and a new session on that URL (a reload, a link) opens with the switch as it was left."""
    hub = _hub(seed_bank)
    at = _app(concept=hub)
    (switch,) = [t for t in at.toggle if t.key and t.key.startswith("full_graph-")]
    assert switch.value is True
    switch.set_value(False).run()
    assert not at.exception
    assert at.query_params["whole"] == "0"
    first = related_concepts(seed_bank.graph, hub, top=RELATED_TOP)[0].concept
    at.pills(key=f"related-{hub}").select(f"c:{first}").run()
    assert (at.query_params["concept"], at.query_params["whole"]) == (first, "0")
    again = _app(concept=hub, whole="0")
    (switch,) = [t for t in again.toggle if t.key and t.key.startswith("full_graph-")]
    assert switch.value is False, "a reload opens the graph as it was left"


def _control(at: AppTest, name: str):
    """The Explore control whose widget key is ``<name>-<bank>``."""
    (widget,) = [w for kind in ("toggle", "number_input", "button_group") for w in at.get(kind)
                 if getattr(w, "key", None) and w.key.startswith(f"{name}-")]
    return widget


def test_app_graph_filters_are_kept_in_the_url_for_a_reload(seed_bank) -> None:
    """Depth and every filter go in the URL when changed, so a new session on that URL (a reload, a link)
    opens the graph as it was left; a value the controls cannot take is ignored."""
    hub = _hub(seed_bank)
    at = _app(concept=hub, whole="0")
    _control(at, "hops").set_value(3).run()
    _control(at, "questions").set_value(False).run()
    _control(at, "min_questions").set_value(2).run()
    _control(at, "hide_generic").set_value(True).run()
    _control(at, "uncertain").set_value(True).run()
    assert not at.exception
    kept = {k: at.query_params[k] for k in ("hops", "questions", "min", "hide_generic", "uncertain")}
    assert kept == {"hops": "3", "questions": "0", "min": "2", "hide_generic": "1", "uncertain": "1"}

    again = _app(concept=hub, whole="0", **kept)
    assert not again.exception
    assert [_control(again, n).value for n in ("hops", "questions", "min_questions", "hide_generic", "uncertain")] \
        == [3, False, 2, True, True]
    assert any(b.proto.popover.label == "Filters (4)" for b in again.get("popover"))

    odd = _app(concept=hub, whole="0", hops="9", min="many", questions="yes")
    assert not odd.exception
    assert [_control(odd, n).value for n in ("hops", "questions", "min_questions")] == [2, True, 1]


def test_app_explore_opens_its_last_selection_after_another_page(seed_bank) -> None:
    """Going to the Duplicates page and back to Explore opens the concept that was open, not the overview."""
    hub = _hub(seed_bank)
    at = _app(concept=hub)
    (nav,) = [w for w in at.get("button_group") if w.key == "nav"]
    nav.set_value("duplicates").run()
    assert (at.query_params.get("page"), at.query_params.get("concept")) == ("duplicates", None)
    (nav,) = [w for w in at.get("button_group") if w.key == "nav"]
    nav.set_value("explore").run()
    assert not at.exception
    assert (at.query_params.get("page"), at.query_params.get("concept")) == (None, hub)


def test_app_coverage_lists_say_when_they_are_cut_and_agree_with_each_other(seed_bank) -> None:
    """The seed asks about 38 concepts in one question each, and the page lists 20; no concept is both one
    that only answers mention and one the bank asks about again and again."""
    at = _app(page="concepts")
    assert not at.exception
    gaps = {p.key: p for p in at.get("button_group") if p.key and p.key.startswith("gap-")}
    asked = {(m.concept, m.item) for m in seed_bank.mentions if m.field == "question"}
    once = [c for c in seed_bank.concepts if sum(c.id == concept for concept, _ in asked) == 1]
    assert gaps["gap-1"].label == f"Asked in one question only, the most answered first: the first 20 of {len(once)}"
    answer_only, again = ({_shown(o) for o in gaps[k].options} for k in ("gap-0", "gap-2"))
    assert answer_only and again and not answer_only & again


def test_app_less_certain_relations_are_hidden_until_the_toggle_shows_them(seed_bank, tmp_path, monkeypatch) -> None:
    import json

    from kg.relations import confidence, confident

    # a threshold just above the seed's least confident relation, so that some are hidden whatever the
    # shipped weights make of the seed
    shipped = json.loads(confidence.default_weights_path().read_text(encoding="utf-8"))
    weights = tmp_path / "relation_confidence.json"
    least = min(r.confidence for r in seed_bank.relations)
    weights.write_text(json.dumps({**shipped, "threshold": least + 1e-9}), encoding="utf-8")
    monkeypatch.setattr(confidence, "default_weights_path", lambda: weights)

    def stated(cid: str) -> list:
        return [r for r in seed_bank.relations if cid in (r.head, r.tail)]

    cid = next(c.id for c in seed_bank.concepts if len(confident(stated(c.id))) < len(stated(c.id)))
    sure, every = len(confident(stated(cid))), len(stated(cid))
    at = _app(concept=cid)
    assert not at.exception
    hidden = every - sure
    assert any(c.value.startswith(f"{hidden} less certain relation") for c in at.caption)
    if sure:
        assert [e.label for e in at.expander if e.label.startswith("Relations")] == [f"Relations ({sure})"]
    toggle = next(t for t in at.toggle if t.key and t.key.startswith("uncertain-"))
    assert toggle.value is False
    toggle.set_value(True).run()
    assert not at.exception
    assert [e.label for e in at.expander if e.label.startswith("Relations")] == [f"Relations ({every})"]
    assert not any("less certain relation" in c.value for c in at.caption)


def test_app_fresh_server_draws_the_first_view_stored_with_the_bank(tmp_path, monkeypatch, caplog) -> None:
    """A bank read from the store opens on the legend and the view stored with it, drawn as when it was
    built and without computing either; a damaged one is computed again, with one warning."""
    import streamlit as st

    import kg.render
    import kg.render.view
    import kg.topics

    monkeypatch.setattr(kg.render.view, "FULL_VIEW_LIMIT", 30)  # so the seed opens on a neighbourhood
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))

    def fresh_server() -> AppTest:
        st.cache_resource.clear()
        st.cache_data.clear()
        at = _app()
        assert not at.exception
        return at

    def drawn(at: AppTest) -> tuple:
        (payload,) = [v for k, v in at.session_state["derived"].items() if k[0] == "graph_payload"]
        return payload, [h.proto.body for h in at.html if "kg-legend" in h.proto.body]

    built = drawn(fresh_server())
    assert 0 < len(built[0]["nodes"]) < 137 and len(built[1]) == 1  # a neighbourhood of the seed, its legend

    def refuse(*args, **kwargs):
        raise AssertionError("computed again on a fresh server")

    with monkeypatch.context() as m:
        for module, name in [(kg.render, "first_view"), (kg.render, "view_data"), (kg.topics, "topic_summaries")]:
            m.setattr(module, name, refuse)
        assert drawn(fresh_server()) == built

    (view,) = (tmp_path / "cache" / "banks").glob("*.view")
    view.write_bytes(view.read_bytes()[:-1] + b"\0")
    caplog.set_level(logging.WARNING, logger="kg.bankstore")
    assert drawn(fresh_server()) == built
    warnings = [r.getMessage() for r in caplog.records if r.name == "kg.bankstore"]
    assert len(warnings) == 1 and "stored first view not used (its checksum does not match)" in warnings[0]
    with monkeypatch.context() as m:
        m.setattr(kg.render, "first_view", refuse)
        assert drawn(fresh_server()) == built  # stored again


def test_app_fresh_server_opening_a_stored_bank_imports_no_heavy_library(tmp_path) -> None:
    """The first page of a stored bank is read from the stores: a fresh server's first run imports
    neither the stages' libraries, nor NumPy (layouts, embeddings), nor pyvis (one file of it is
    read), nor Streamlit's emoji catalogue (the page's icon); a build, in the same way, does."""
    heavy = ("numpy", "scipy", "PIL", "pandas", "pyarrow", "pyvis", "spacy", "torch", "sklearn", "streamlit.emojis")
    code = (
        "import sys; from streamlit.testing.v1 import AppTest; "
        f"at = AppTest.from_file({APP!r}, default_timeout={TIMEOUT}).run(); "
        "assert not at.exception, at.exception; "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}

    def fresh_server() -> str:
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                             check=True)
        return run.stdout.strip().splitlines()[-1]

    assert "numpy" in fresh_server()  # the first builds the seed and stores it
    assert fresh_server() == "[]"


def test_app_fresh_server_shows_a_stored_banks_duplicates_page_without_spacy(tmp_path) -> None:
    """The Duplicates page of a stored bank names its downloads without the stages: a fresh server
    that opens it imports no spaCy (seconds of start-up for a file name)."""
    code = (
        "import sys; from streamlit.testing.v1 import AppTest; "
        f"at = AppTest.from_file({APP!r}, default_timeout={TIMEOUT}); "
        "at.query_params['page'] = 'duplicates'; at.run(); "
        "assert not at.exception, at.exception; "
        "assert any(d.proto.label.startswith('Download CSV') for d in at.get('download_button')); "
        "print('spacy' in sys.modules)"
    )
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}

    def fresh_server() -> str:
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                             check=True)
        return run.stdout.strip().splitlines()[-1]

    assert fresh_server() == "True"  # the first builds the seed and stores it
    assert fresh_server() == "False"


def test_app_names_a_bank_on_the_command_line_that_is_not_there(tmp_path, monkeypatch) -> None:
    gone = tmp_path / "gone.md"
    there = tmp_path / "there.md"
    shutil.copy(SEED, there)
    monkeypatch.setenv("KG_BANKS", os.pathsep.join([str(gone), str(there)]))
    at = _app(bank="bank2")
    assert not at.exception
    assert any(f"{gone}: no such file or folder" in w.value.replace("\\", "") for w in at.warning)
    assert _shown(at.subheader[0].value) == "there.md"  # the other bank still opens
