"""How fast the app is in a real browser: first draw, rerun after a click, cold open and reopen.

    python bench/app_speed.py [--bank FOLDER] [--clicks N]

Starts ``streamlit run app.py -- FOLDER`` with an empty cache (readings, embeddings, built banks),
drives Debian's Chromium (headless, as in tests/test_browser.py) and prints one table. Times are
wall-clock in the browser:

* open: from ``page.goto`` until vis-network has drawn the graph (cold = the first session of a fresh
  server with an empty cache, opening FOLDER first, so it imports kg's stages, loads spaCy and the
  embedder and builds the bank; reopen = a new session afterwards; warm = the first session of a
  second server, started after the first stopped, over the same cache, so the built bank is read
  from the store);
* export: ``python -m kg export FOLDER --format json -o FILE`` with an empty cache of its own, as a
  user runs it (the process's whole wall time: imports, models, build, writing), which the cold open
  is compared with;
* first draw: the page's own clock when the graph was first drawn, and the part of it spent in
  vis-network (data handed over to drawn);
* click: from the mouse click on a node until the side panel shows that concept;
* whole graph: from switching "Whole graph" on until the whole bank is drawn.

Targets from the issue: the seed's graph draws in under 2 s; a 1,300-question bank's in under 5 s;
a rerun after a click on the seed under 300 ms; a 1,300-question bank reopens in under 3 s, opens
cold in at most 1.3 times its ``kg export``, and opens on a fresh server with the bank stored in
under 5% of its cold open.

    python bench/app_speed.py --store SIZE [--kind realistic|tiny] [--clicks N] [--work FOLDER]

times the app on a store (``streamlit run app.py -- bank.sqlite``) of a generated bank of SIZE
questions (``bench/scale.py``'s reworded copies of the shared banks, built without embeddings, as
``bench/store.py`` builds them; ``--kind tiny``: short made-up ones, quicker to build): writing the
store, then on a fresh server the warm open (the file read before, so in the OS's cache; from
``page.goto`` until the opening neighbourhood is drawn), first with no layout cached and then on a
second fresh server over the same cache, and the click on a concept node until its panel shows
(median and p90 of N clicks). Targets from issue 13: warm open under 5 s, click to panel under 1 s.
Then the Duplicates page: from ``page.goto`` until its table is drawn and the run is over, and, where
the page has a Lowest score slider, from each of ``--moves`` steps of 0.05 up (the arrow key) until
the page has been drawn again for the new floor (its caption changed, the run over).
The built bank is kept in FOLDER (``bank<KIND><SIZE>.pkl``, its markdown in ``gen<KIND><SIZE>/``)
and used again by a later run: delete it after changing kg's stages.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.shared_dir import SHARED_ROOT  # noqa: E402
from tests.test_browser import GRAPH_HOST, launch, serve_app  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

DEFAULT_BANK = SHARED_ROOT / "banks" / "ajitsingh98-ds-interview-qa"
TIMEOUT_MS = 1_800_000


def open_page(browser: Browser, url: str) -> tuple[Page, dict[str, float]]:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    seen_progress = []
    start = time.perf_counter()
    page.goto(url)
    # Watch for the progress bar while the bank is built.
    while not page.evaluate(f"() => {{ const h = ({GRAPH_HOST})(); return !!(h && h.dataset.kgReady); }}"):
        if page.locator("[data-testid=stProgress]").count():
            seen_progress.append(True)
        if (time.perf_counter() - start) * 1000 > TIMEOUT_MS:
            raise TimeoutError(f"{url} did not draw a graph in {TIMEOUT_MS / 1000:.0f} s")
        page.wait_for_timeout(50)
    wall = time.perf_counter() - start
    marks = page.evaluate(
        f"() => {{ const h = ({GRAPH_HOST})(); return [+h.dataset.kgReady, +h.dataset.kgDrawMs, h.__kg.nodes.length,"
        " h.__kg.edges.length]; }"
    )
    return page, {
        "wall_s": wall,
        "first_draw_ms": marks[0],
        "vis_ms": marks[1],
        "nodes": marks[2],
        "edges": marks[3],
        "progress_bar": bool(seen_progress),
    }


def settle(page: Page) -> None:
    """Wait until the view stops moving (the re-centring after a click is animated)."""
    page.wait_for_function(
        f"""() => {{
            const net = ({GRAPH_HOST})().__kg.network;
            const now = JSON.stringify([net.getViewPosition(), net.getScale()]);
            const still = window.__kgLastView === now;
            window.__kgLastView = now;
            return still;
        }}""",
        polling=150,
        timeout=30_000,
    )


# Concept nodes drawn inside the canvas where a click would hit them, biggest first.
VISIBLE_CONCEPTS = f"""() => {{
    const host = ({GRAPH_HOST})();
    const net = host.__kg.network;
    const r = host.getBoundingClientRect();
    const selected = net.getSelectedNodes();
    return host.__kg.nodes.get({{filter: n => n.id.startsWith('c:') && !selected.includes(n.id)}})
        .map(n => {{ const p = net.canvasToDOM(net.getPosition(n.id));
                    return {{id: n.id, label: n.label, size: n.size, x: r.left + p.x, y: r.top + p.y}}; }})
        .filter(n => n.x > r.left + 30 && n.x < r.right - 30 && n.y > r.top + 30 && n.y < r.bottom - 30)
        .filter(n => net.getNodeAt({{x: n.x - r.left, y: n.y - r.top}}) === n.id)
        .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id));
}}"""

# The side panel shows the concept now in the URL (a click that lands on another node counts too).
PANEL_SHOWS = """(before) => {
    const q = new URLSearchParams(location.search);
    if (location.search === before) return false;
    const nodes = (%s)().__kg.nodes;
    if (q.get('question')) {
        const node = nodes.get('q:' + q.get('question'));
        return [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
            .some(c => node && c.textContent.startsWith(node.label + ' ·')) ? performance.now() : false;
    }
    const node = nodes.get('c:' + q.get('concept'));
    const label = node ? node.label : q.get('concept');
    return [...document.querySelectorAll('h3')].some(h => h.textContent.trim() === label) ? performance.now() : false;
}""".replace("%s", GRAPH_HOST)


# The graph has taken the update for the node in the URL (vis-network selects a clicked node by
# itself at once, so its selection does not tell).
GRAPH_SHOWS = """() => {
    const q = new URLSearchParams(location.search);
    const id = q.get('concept') ? 'c:' + q.get('concept') : 'q:' + q.get('question');
    return (%s)().dataset.kgSelected === id;
}""".replace("%s", GRAPH_HOST)


def next_untried(page: Page, tried: set[str]) -> dict[str, Any] | None:
    """Once the page has settled, the first visible concept node not in ``tried`` (added to it), or None."""
    settle(page)
    candidates = [c for c in page.evaluate(VISIBLE_CONCEPTS) if c["id"] not in tried]
    if not candidates:
        return None
    tried.add(candidates[0]["id"])
    return candidates[0]


def click_times(page: Page, n: int, drawn: list[float] | None = None) -> list[float]:
    """Milliseconds from a click on a concept node to the panel showing it, for ``n`` clicks; to the
    graph showing its neighbourhood too, in ``drawn`` when given."""
    times: list[float] = []
    tried: set[str] = set()
    for _ in range(n):
        target = next_untried(page, tried)
        if target is None:
            break
        before, t0 = page.evaluate("() => [location.search, performance.now()]")
        page.mouse.click(target["x"], target["y"])
        done = page.wait_for_function(PANEL_SHOWS, arg=before, polling="raf", timeout=60_000)
        times.append(done.json_value() - t0)
        # The panel is drawn before the graph takes its update: wait for that too before the next
        # click reads node positions.
        page.wait_for_function(GRAPH_SHOWS, timeout=60_000)
        if drawn is not None:
            drawn.append(page.evaluate("() => performance.now()") - t0)
    return times


def whole_graph(page: Page) -> dict[str, float]:
    before = page.evaluate(f"() => ({GRAPH_HOST})().dataset.kgVersion || ''")
    t0 = page.evaluate("() => performance.now()")
    page.locator("[class*=st-key-full_graph] label").click()
    page.wait_for_function(
        f"(before) => {{ const h = ({GRAPH_HOST})(); return h.dataset.kgVersion && h.dataset.kgVersion !== before"
        " && h.__kg.nodes.length > 0; }",
        arg=before,
        timeout=TIMEOUT_MS,
        polling=100,
    )
    marks = page.evaluate(
        f"() => {{ const h = ({GRAPH_HOST})(); return [performance.now(), +h.dataset.kgSwapMs, h.__kg.nodes.length,"
        " h.__kg.edges.length]; }"
    )
    return {"wall_ms": marks[0] - t0, "vis_ms": marks[1], "nodes": marks[2], "edges": marks[3]}


# The page has finished a run: Streamlit's status widget (shown while the script runs) is gone.
RUN_OVER = "() => !document.querySelector('[data-testid=stStatusWidget]')"
CAPTION = """() => { const c = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .find(c => / of [\\d,]+.*, best first/.test(c.textContent)); return c ? c.textContent : null; }"""


def duplicates_times(page: Page, url: str, moves: int) -> tuple[float, list[float], tuple[float, int] | None]:
    """Milliseconds from opening the Duplicates page until its table is drawn, and, with the related
    pairs chosen too (their scores spread, so each step changes the list), from each step of the Lowest
    score slider until the page is drawn again for it (none when the page has no slider); and, before
    the slider moves, the milliseconds and bytes of the JSON download of every pair (none without one)."""
    start = time.perf_counter()
    page.goto(url + "/?page=duplicates")
    page.wait_for_function(f"() => ({CAPTION})() && document.querySelector('[data-testid=stDataFrame] canvas')"
                           f" && ({RUN_OVER})()", timeout=120_000, polling="raf")  # fmt: skip
    opened = (time.perf_counter() - start) * 1000
    slider = page.locator("input[type=range][aria-label='Lowest score']")
    if not slider.count():
        return opened, [], None
    before = page.evaluate(CAPTION)
    page.locator(".st-key-dup_kinds input").click()
    page.get_by_role("option", name=re.compile(r"^related")).click()
    page.keyboard.press("Escape")
    page.wait_for_function(f"(before) => ({CAPTION})() !== before && ({RUN_OVER})()", arg=before, timeout=60_000)
    start = time.perf_counter()  # every pair, of every kind
    with page.expect_download(timeout=600_000) as download:
        page.get_by_role("button", name="Download JSON").click()
    saved = ((time.perf_counter() - start) * 1000, Path(download.value.path()).stat().st_size)
    times = []
    for _ in range(moves):
        before = page.evaluate(CAPTION)
        slider.focus()
        start = time.perf_counter()
        slider.press("ArrowRight")
        page.wait_for_function(f"(before) => ({CAPTION})() !== before && ({RUN_OVER})()", arg=before,
                               timeout=60_000, polling="raf")  # fmt: skip
        times.append((time.perf_counter() - start) * 1000)
    return opened, times, saved


def export_time(bank: Path) -> float:
    """Seconds of ``python -m kg export BANK --format json -o FILE`` with an empty cache of its own."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "KG_CACHE_DIR": cache, "HF_HUB_OFFLINE": "1"}
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kg", "export", str(bank), "--format", "json", "-o", str(Path(cache) / "bank.json")],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def _built(size: int, kind: str, work: Path):
    """The generated bank of ``size`` questions (``bench/scale.py``'s ``kind``), built without embeddings,
    kept in ``work``."""
    import pickle

    import scale

    found = work / f"bank{kind}{size}.pkl"
    if found.is_file():
        with open(found, "rb") as handle:
            return pickle.load(handle), work / f"gen{kind}{size}", None
    from kg.extract import load_nlp
    from kg.parse import parse_paths
    from kg.pipeline import build_bank

    folder = work / f"gen{kind}{size}"
    folder.mkdir(parents=True, exist_ok=True)
    scale.write_bank(scale.realistic(size) if kind == "realistic" else scale.tiny(size), folder)
    items, _ = parse_paths([folder])
    start = time.perf_counter()
    bank = build_bank(items, load_nlp(), n_process=2)
    took = time.perf_counter() - start
    with open(found, "wb") as handle:
        pickle.dump(bank, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return bank, folder, took


def store_rows(size: int, kind: str, clicks: int, work: Path, moves: int = 6) -> list[tuple[str, str, str]]:
    """The store's rows of the table: write, warm open on two fresh servers, click to panel, the
    Duplicates page and its slider."""
    from playwright.sync_api import sync_playwright

    from kg.store import write_store

    sys.path.insert(0, str(ROOT / "bench"))
    bank, folder, took = _built(size, kind, work)
    path = work / f"bank{size}.sqlite"
    start = time.perf_counter()
    write_store(bank, path, files=[folder])
    wrote = time.perf_counter() - start
    name = f"store of {len(bank.items):,} {kind} questions"
    rows = [(f"{name}: build (kept in {work})" if took else f"{name}: built before, read from {work}",
             f"{took:.0f} s" if took else "", ""),
            (f"{name}: write ({path.stat().st_size / 1e6:.0f} MB, {len(bank.concepts):,} concepts, "
             f"{len(bank.pairs):,} pairs)", f"{wrote:.1f} s", "")]  # fmt: skip
    del bank
    with tempfile.TemporaryDirectory() as cache:
        for server in ("fresh server, empty cache", "second fresh server, same cache"):
            with serve_app(str(path), env={"KG_CACHE_DIR": cache}) as url, sync_playwright() as p:
                browser = launch(p)
                page, opened = open_page(browser, url + "/")
                rows.append((f"{name}: warm open, {server} ({opened['nodes']} nodes)",
                             f"{opened['wall_s']:.2f} s", "< 5 s"))  # fmt: skip
                if server == "fresh server, empty cache":
                    drawn: list[float] = []
                    times = click_times(page, clicks, drawn)
                    rows.append((f"{name}: click -> panel, median of {len(times)} (p90)",
                                 f"{statistics.median(times):.0f} ms ({_p90(times):.0f})", "< 1 s"))
                    rows.append((f"{name}: click -> graph redrawn around it, median (p90)",
                                 f"{statistics.median(drawn):.0f} ms ({_p90(drawn):.0f})", ""))  # fmt: skip
                    shown, moved, saved = duplicates_times(page, url, moves)
                    rows.append((f"{name}: Duplicates page, open until its table is drawn", f"{shown:.0f} ms", ""))
                    rows.append((f"{name}: Duplicates page, slider moved -> drawn again, median of {len(moved)} (max)",
                                 f"{statistics.median(moved):.0f} ms ({max(moved):.0f})" if moved else "no slider",
                                 ""))  # fmt: skip
                    if saved is not None:
                        rows.append((f"{name}: Duplicates page, Download JSON of every pair ({saved[1] / 1e6:.0f} MB)",
                                     f"{saved[0] / 1000:.1f} s", ""))  # fmt: skip
                browser.close()
    return rows


def _print(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'time':>14}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>14}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bank", type=Path, default=DEFAULT_BANK, help="a big bank (file or folder)")
    parser.add_argument("--clicks", type=int, default=7, help="clicks to time on the seed (or the store)")
    parser.add_argument("--store", type=int, help="time the app on a store of a generated bank of this many questions")
    parser.add_argument("--kind", choices=("realistic", "tiny"), default="realistic", help="bench/scale.py's banks")
    parser.add_argument("--moves", type=int, default=6, help="steps of the Duplicates page's slider to time (store)")
    parser.add_argument("--work", type=Path, help="where the generated bank is kept (default: a temporary folder)")
    args = parser.parse_args()
    if args.store:
        print("load before:", os.getloadavg())
        with tempfile.TemporaryDirectory() as tmp:
            _print(store_rows(args.store, args.kind, args.clicks, args.work or Path(tmp), args.moves))
        print("load after:", os.getloadavg())
        return
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as cache:
        with serve_app(str(args.bank), env={"KG_CACHE_DIR": cache}) as url, sync_playwright() as p:
            browser = launch(p)
            big_url = url + "/?bank=bank1"
            page, big_cold = open_page(browser, big_url)
            page.close()
            # "/" opens the first bank named on the command line, so the seed is asked for by name.
            page, cold = open_page(browser, url + "/?bank=seed")
            rows.append(("seed: first open (build; models loaded)", f"{cold['wall_s']:.1f} s", ""))
            page.close()
            page, seed = open_page(browser, url + "/?bank=seed")
            rows.append(
                (
                    f"seed: reopen, graph drawn ({seed['nodes']} nodes, {seed['edges']} edges)",
                    f"{seed['wall_s']:.2f} s",
                    "< 2 s",
                )
            )
            rows.append(("seed: first draw on the page clock", f"{seed['first_draw_ms']:.0f} ms", ""))
            rows.append(("seed: of which vis-network", f"{seed['vis_ms']:.0f} ms", ""))
            clicks = click_times(page, args.clicks)
            rows.append(
                (
                    f"seed: rerun after a click, median of {len(clicks)} (max)",
                    f"{statistics.median(clicks):.0f} ms ({max(clicks):.0f})",
                    "< 300 ms",
                )
            )
            page.close()

            page, big = open_page(browser, big_url)
            rows.append(
                (
                    f"{args.bank.name}: reopen, neighbourhood drawn ({big['nodes']} nodes)",
                    f"{big['wall_s']:.2f} s",
                    "< 3 s",
                )
            )
            big_clicks = click_times(page, 3)
            rows.append(
                (
                    f"{args.bank.name}: click in a neighbourhood, median of {len(big_clicks)}",
                    f"{statistics.median(big_clicks):.0f} ms",
                    "",
                )
            )
            first = whole_graph(page)
            rows.append(
                (
                    f"{args.bank.name}: whole graph, first time ({first['nodes']} nodes, {first['edges']} edges)",
                    f"{first['wall_ms'] / 1000:.2f} s",
                    "",
                )
            )
            page.locator("[class*=st-key-full_graph] label").click()  # off again, then on: the layout is cached
            page.wait_for_function(
                f"() => ({GRAPH_HOST})().__kg.nodes.length < {first['nodes']}", timeout=60_000, polling=100
            )
            again = whole_graph(page)
            rows.append((f"{args.bank.name}: whole graph, layout cached", f"{again['wall_ms'] / 1000:.2f} s", "< 5 s"))
            rows.append((f"{args.bank.name}: of which vis-network", f"{again['vis_ms']:.0f} ms", ""))
            browser.close()
        # A new server over the same cache: what a restart costs once the bank is stored (kg.bankstore).
        with serve_app(str(args.bank), env={"KG_CACHE_DIR": cache}) as url, sync_playwright() as p:
            browser = launch(p)
            page, warm = open_page(browser, url + "/?bank=bank1")
            browser.close()
    export = export_time(args.bank)
    ratio = big_cold["wall_s"] / export
    rows.append((f"{args.bank.name}: kg export, empty cache", f"{export:.1f} s", ""))
    seen = "shown" if big_cold["progress_bar"] else "NOT seen"
    rows.append(
        (
            f"{args.bank.name}: cold open, fresh server, empty cache ({ratio:.2f}x export), progress bar {seen}",
            f"{big_cold['wall_s']:.1f} s",
            "<= 1.3x export",
        )
    )
    share = warm["wall_s"] / big_cold["wall_s"]
    rows.append(
        (
            f"{args.bank.name}: warm open, fresh server, bank stored ({share:.1%} of cold)",
            f"{warm['wall_s']:.2f} s",
            "< 5% of cold",
        )
    )

    _print(rows)


if __name__ == "__main__":
    main()
