"""The app on a store (``streamlit run app.py -- bank.sqlite``) in headless Chromium: it shows what the
app shows for the same bank in memory, pages its pairs, and names a store it cannot read while the
other banks stay usable."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_browser import CHROMIUM, GRAPH_HOST, LOCAL_HOSTS, launch, request_host, serve_app, wait_for_graph

from kg.store import open_store
from tests.storefaults import other_version

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "questions.md"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.model,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    """The seed written by ``kg store`` (with sentence embeddings, as the app builds it in memory)."""
    out = tmp_path_factory.mktemp("store") / "seed.sqlite"
    # an empty cache of its own, as the app's in the tests: with the user's cache warm from other runs,
    # a score of the store's JSON came out one digit apart from the bank in memory's
    env = {**os.environ, "KG_CACHE_DIR": str(out.parent / "cache")}
    subprocess.run([sys.executable, "-m", "kg", "store", str(SEED), "-o", str(out)], cwd=ROOT, check=True,
                   capture_output=True, env=env)  # fmt: skip
    return out


def _keys(page, prefix: str) -> list[str]:
    """The Streamlit keys of the elements whose key starts with ``prefix``, in the page's order."""
    return page.evaluate(
        """(prefix) => [...document.querySelectorAll(`[class*="st-key-${prefix}"]`)]
            .map(e => [...e.classList].find(c => c.startsWith(`st-key-${prefix}`)))""",
        prefix,
    )


def _pills(page, key: str) -> list[str]:
    return page.locator(f".st-key-{key} button").all_inner_texts()


def _settled(page, read) -> dict:
    """``read()`` once the script has stopped and two reads a second apart agree: on a loaded machine the
    panel's later parts (related concepts, related questions) land after its first ones."""
    last: dict | None = None
    for _ in range(60):
        page.wait_for_selector("[data-test-script-state=notRunning]", timeout=60_000)
        now = read()
        if now == last:
            return now
        last = now
        page.wait_for_timeout(1000)
    raise AssertionError(f"the panel kept changing: {last}")


def _panel(page, url: str, bank: str, view: str) -> dict:
    """What the side panel lists for ``view`` (``concept=…`` or ``question=…``) of ``bank``."""
    page.goto(f"{url}/?bank={bank}&{view}")
    wait_for_graph(page)
    name, value = view.split("=", 1)
    if name == "concept":
        page.locator(f"[class*='st-key-cq-{value}-']").first.wait_for()
        return _settled(page, lambda: {
            "heading": page.locator("h3").first.inner_text(),
            "questions": _keys(page, f"cq-{value}-"),
            "related": _pills(page, f"related-{value}"),
        })  # fmt: skip
    page.locator(f".st-key-concepts-{value}").wait_for()
    return _settled(page, lambda: {
        "heading": page.locator("h5").first.inner_text(),
        "concepts": _pills(page, f"concepts-{value}"),
        "pairs": _keys(page, f"qp-{value}-"),
        "related": _keys(page, f"rq-{value}-"),
    })  # fmt: skip


def _search(page, url: str, bank: str, query: str) -> list[str]:
    page.goto(f"{url}/?bank={bank}")
    wait_for_graph(page)
    box = page.get_by_placeholder("Search concepts and questions")
    box.fill(query)  # the results follow after a pause; Enter would open the first
    page.locator(".st-key-search_hits button").first.wait_for()
    return _pills(page, "search_hits")


def test_browser_store_shows_what_the_bank_in_memory_shows(seed_store, tmp_path) -> None:
    """Concept and question panels, search, and the Duplicates page, on a store of the seed and on the
    seed in memory, in one server: the same questions and concepts."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from kg.parse import parse_file

    items = parse_file(SEED)
    rng = random.Random(0)
    concepts = ["neural-network", "relu", "dropout"]
    questions = [i.id for i in rng.sample(items, 3)] + ["questions-2"]  # questions-2 has a duplicate
    hosts: list[str] = []
    errors: list[str] = []
    env = {"KG_CACHE_DIR": str(tmp_path / "cache")}
    with serve_app(str(seed_store), env=env, log=tmp_path / "streamlit.log") as url, sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.on("request", lambda r: hosts.append(request_host(r.url)))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/")
        wait_for_graph(page, timeout=120_000)
        # The store is the first bank: the overview names it, and the graph is its opening neighbourhood.
        page.get_by_role("heading", name="seed.sqlite", exact=True).wait_for()
        page.get_by_text("Read from a store a neighbourhood at a time", exact=False).wait_for()
        opening = page.evaluate(f"() => ({GRAPH_HOST})().dataset.kgSelected")
        with open_store(seed_store) as store:
            assert opening == store.opening()  # its centre marked, as a selection is

        for view in [f"concept={c}" for c in concepts] + [f"question={q}" for q in questions]:
            from_store = _panel(page, url, "bank1", view)
            in_memory = _panel(page, url, "seed", view)
            assert from_store == in_memory, view
            assert from_store["heading"]
        assert _panel(page, url, "bank1", "question=questions-2")["pairs"]  # a pair card is there to compare

        # Search: names and words from the store; the bank in memory adds meaning, so its first hits
        # for a concept's name are the same.
        assert _search(page, url, "bank1", "relu")[0] == _search(page, url, "seed", "relu")[0] == "● ReLU"
        page.goto(f"{url}/?bank=bank1")
        box = page.get_by_placeholder("Search concepts and questions")
        box.fill("dying relu")
        page.get_by_text("a store keeps no sentence vectors", exact=False).wait_for()

        # A click in the graph opens the concept's panel.
        page.goto(f"{url}/?bank=bank1")
        wait_for_graph(page)
        from test_browser import node_point

        page.mouse.click(*node_point(page, "c:neural-network"))
        page.wait_for_url("**concept=neural-network*")
        page.get_by_role("heading", name="neural network", exact=True).wait_for()

        # The Duplicates page pages the store's pairs, 50 at a time; J opens a pair's card.
        page.goto(f"{url}/?bank=bank1&page=duplicates")
        page.get_by_text(re.compile(r"^Pairs 1–\d+ of \d+, best first")).wait_for()
        page.locator(".st-key-dup_kinds input").click()
        page.get_by_role("option", name="related", exact=True).click()
        page.keyboard.press("Escape")
        caption = page.get_by_text(re.compile(r"^Pairs 1–50 of (\d+), best first"))
        caption.wait_for()
        total = int(re.search(r"of (\d+)", caption.inner_text()).group(1))
        assert total > 50
        page.get_by_role("button", name="Next page").click()
        page.get_by_text(f"Pairs 51–{min(100, total)} of {total}, best first", exact=False).wait_for()
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.keyboard.press("j")
        page.locator("[class*='st-key-dp-']").first.wait_for()
        page.get_by_text("likely a duplicate or an overlap", exact=False).first.wait_for()
        browser.close()
    assert not errors, errors
    assert sorted({h for h in hosts if h not in LOCAL_HOSTS}) == []


def _duplicates_page(page, url: str, bank: str, steps: int) -> dict:
    """The Duplicates page of ``bank`` with the lowest score moved ``steps`` of 0.05 up: how many pairs
    it lists, its duplicate groups as shown, and its JSON download."""
    page.goto(f"{url}/?bank={bank}&page=duplicates")
    caption = page.get_by_text("Select a row to compare", exact=False).first
    caption.wait_for(timeout=180_000)
    before = caption.inner_text()
    slider = page.locator("input[type=range][aria-label='Lowest score']")
    slider.focus()
    for _ in range(steps):
        slider.press("ArrowRight")
    page.locator("[data-testid=stSliderThumbValue]").get_by_text(f"{steps * 0.05:.2f}", exact=True).wait_for()
    page.wait_for_function(
        "(before) => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
        ".some(c => c.textContent.includes('Select a row') && c.textContent !== before)",
        arg=before,
    )
    # Each arrow press reruns the page; on a loaded machine an earlier floor's caption can land after the
    # thumb shows the last one. Read the caption once the script has stopped and the caption holds.
    listed = ""
    for _ in range(60):
        page.wait_for_selector("[data-test-script-state=notRunning]", timeout=60_000)
        now = page.get_by_text("Select a row to compare", exact=False).first.inner_text()
        if now == listed:
            break
        listed = now
        page.wait_for_timeout(1000)
    total = int(re.search(r"(?:of )?([\d,]+)(?: pairs| scored|, best first)", listed).group(1).replace(",", ""))
    page.get_by_text(re.compile(r"^Duplicate groups \(\d+\)$")).click()
    groups = page.locator("[data-testid=stExpanderDetails] [data-testid=stButtonGroup]").all_inner_texts()
    # A click that lands while the page reruns can be lost (the expander's click may still be rerunning it), and
    # on a loaded machine the file takes a while: click again when no download comes. The file is written on
    # the click, and the button stays disabled until it is ready, or, after a lost click, until the page is
    # opened again (see _duplicates_page_again).
    from playwright.sync_api import TimeoutError as NoDownload

    for attempt in range(2):
        page.wait_for_selector("[data-test-script-state=notRunning]", timeout=60_000)
        try:
            with page.expect_download(timeout=90_000) as download:
                page.get_by_role("button", name="Download JSON").click(timeout=90_000)
            break
        except NoDownload:
            if attempt == 1:
                raise
    return {"total": total, "groups": groups, "json": Path(download.value.path()).read_bytes(),
            "name": download.value.suggested_filename}  # fmt: skip


def _duplicates_page_again(page, url: str, bank: str, steps: int) -> dict:
    """:func:`_duplicates_page`, opened afresh once more when its download never came."""
    from playwright.sync_api import TimeoutError as NoDownload

    try:
        return _duplicates_page(page, url, bank, steps)
    except NoDownload:
        return _duplicates_page(page, url, bank, steps)


def test_browser_store_duplicates_slider_groups_and_json_are_the_bank_s(seed_store, tmp_path) -> None:
    """The lowest score, the duplicate groups and the JSON download on a store's Duplicates page are
    those of the page for the same bank in memory: the same pairs above the floor, the same groups,
    the same file to the byte."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from kg.store import open_store

    errors: list[str] = []
    env = {"KG_CACHE_DIR": str(tmp_path / "cache")}
    with serve_app(str(seed_store), env=env, log=tmp_path / "streamlit.log") as url, sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        steps = 10  # a floor of 0.50
        from_store = _duplicates_page_again(page, url, "bank1", steps)
        in_memory = _duplicates_page_again(page, url, "seed", steps)
        browser.close()
    assert not errors, errors
    with open_store(seed_store) as store:
        above = sum(store.pair_count(k, steps * 0.05) for k in ("duplicate", "overlap"))
        close = sum(store.pair_count(k) for k in ("duplicate", "overlap"))
    # the floor leaves some of the close pairs out, so the page's count is the floor's, not the bank's
    assert 0 < from_store["total"] == in_memory["total"] == above < close
    assert from_store["groups"] == in_memory["groups"] and from_store["groups"]
    assert from_store["json"] == in_memory["json"]
    assert [p["score"] >= 0.5 for p in json.loads(from_store["json"])] == [True] * above
    assert from_store["name"] == "seed-pairs.json"


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 3, len(data), page):  # the header, the schema and the meta pages are kept
        data[start : start + page] = random.Random(start).randbytes(min(page, len(data) - start))
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()


def test_browser_store_that_cannot_be_read_is_named_and_the_other_banks_stay_usable(seed_store, tmp_path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    bad = {}
    for name, spoil, says in [
        ("missing", lambda p: p.unlink(), "no such file"),
        ("foreign", _foreign, "not a kg store"),
        ("other-version", other_version, "written by kg 0.0.1"),
        ("damaged", _damaged, "damaged|cannot be read|not a kg store"),
    ]:
        path = tmp_path / f"{name}.sqlite"
        path.write_bytes(seed_store.read_bytes())
        spoil(path)
        bad[path] = says
    env = {"KG_CACHE_DIR": str(tmp_path / "cache")}
    errors: list[str] = []
    with serve_app(*map(str, bad), str(SEED), env=env, log=tmp_path / "streamlit.log") as url, \
            sync_api.sync_playwright() as p:  # fmt: skip
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        for n, (path, says) in enumerate(bad.items(), start=1):
            page.goto(f"{url}/?bank=bank{n}&concept=relu")
            # one message naming the file; the damaged store may open and fail on its first query
            message = page.locator("[data-testid=stAlertContentError]")
            message.first.wait_for(timeout=120_000)
            text = message.first.inner_text()
            assert text.startswith(f"{path}: ") and re.search(says, text), text
            assert message.count() == 1
            assert "Traceback" not in page.content()
            page.locator(".st-key-bank_choice").wait_for()  # the bank selector is still there
        # another bank opens
        page.goto(f"{url}/?bank=bank{len(bad) + 1}&concept=relu")
        wait_for_graph(page)
        page.get_by_role("heading", name="ReLU", exact=True).wait_for()
        browser.close()
    assert not errors, errors


def test_browser_store_verdict_is_recorded_beside_the_bank_it_names(tmp_path) -> None:
    """A verdict on a store's pair goes to the decisions file beside the bank's files (as for the
    bank itself), is marked on the pair and undone by Undo; the store is not changed."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from kg.decisions import read_decisions

    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "questions.md").write_bytes(SEED.read_bytes())
    store = tmp_path / "bank.sqlite"
    subprocess.run([sys.executable, "-m", "kg", "store", str(folder), "--no-semantic", "-o", str(store)], cwd=ROOT,
                   check=True, capture_output=True)  # fmt: skip
    before = store.read_bytes()
    decisions = folder / "kg-accepted.toml"
    env = {"KG_CACHE_DIR": str(tmp_path / "cache")}
    with serve_app(str(store), env=env, log=tmp_path / "streamlit.log") as url, sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url + "/?question=questions-2")
        wait_for_graph(page, timeout=120_000)
        card = page.locator("[class*='st-key-qp-questions-2-']").first
        card.get_by_role("button", name="Overlap", exact=True).first.click()
        page.get_by_text("Decided: overlap").wait_for()
        assert [(d.verdict, {d.a, d.b}) for d in read_decisions(decisions).values()] == [
            ("overlap", {"questions-2", "questions-30"})
        ]
        card.get_by_role("button", name="Undo", exact=True).first.click()
        card.get_by_role("button", name="Duplicate", exact=True).first.wait_for()
        assert read_decisions(decisions) == {}
        browser.close()
    assert store.read_bytes() == before
