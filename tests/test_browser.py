"""The app in a real browser: Debian's Chromium driven by Playwright, with the network cut off.

Starts ``streamlit run app.py`` on a free port, clicks a concept node on the vis-network canvas,
checks the side panel, follows a related concept, goes back, and fails on any request to a host other
than localhost. With KG_SCREENSHOT=docs/screenshot.png it refreshes the README's picture. Playwright never downloads a
browser here: it drives ``/usr/bin/chromium``.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.shared import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
# The README's picture is refreshed on request (KG_SCREENSHOT=docs/screenshot.png), so that a test run
# does not rewrite a tracked file; otherwise the picture goes to a temporary folder for inspection.
SCREENSHOT = os.environ.get("KG_SCREENSHOT")
START_TIMEOUT = 60.0
FIRST_RUN_TIMEOUT_MS = 600_000  # a cold first run loads spaCy (and the embedder) and builds the bank

# The graph's host element lives in the component's shadow root.
GRAPH_HOST = (
    "() => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
    ".map(e => e.shadowRoot && e.shadowRoot.querySelector('.kg-graph')).find(Boolean)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(
    *banks: str, env: dict[str, str] | None = None, log: Path | None = None, script: Path = ROOT / "app.py"
) -> Iterator[str]:
    """Run ``streamlit run app.py [-- banks]`` (or another ``script``) on a free local port; yield its URL;
    stop it after."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
    ]  # the rest (no usage statistics, no file watcher) comes from .streamlit/config.toml
    if banks:
        cmd += ["--", *banks]
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    log_file = open(log, "wb") if log else None  # noqa: SIM115 - closed below
    out = log_file if log_file is not None else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with status {proc.returncode} before serving {url}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer on {url} within {START_TIMEOUT:.0f} s")
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log_file is not None:
            log_file.close()


def request_host(url: str) -> str:
    """The host a request went to; blob: URLs count as the page that made them."""
    if url.startswith("blob:"):
        url = url[len("blob:") :]
    if url.startswith(("data:", "about:")):
        return "localhost"
    return urlparse(url).hostname or url


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


@contextlib.contextmanager
def seed_page(tmp_path: Path, *banks: str) -> Iterator[tuple]:
    """The app on the seed (or on ``banks``, named on its command line) in headless Chromium, drawn:
    ``(page, url)``. On leaving, the page must have raised no error and made no request off this machine."""
    sync_api = pytest.importorskip("playwright.sync_api")
    hosts: list[str] = []
    errors: list[str] = []
    with serve_app(*banks, env={"KG_CACHE_DIR": str(tmp_path / "cache")}, log=tmp_path / "streamlit.log") as url, \
            sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.on("request", lambda r: hosts.append(request_host(r.url)))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/")
        wait_for_graph(page)
        yield page, url
        browser.close()
    assert not errors, errors
    others = sorted({h for h in hosts if h not in LOCAL_HOSTS})
    assert others == [], f"requests left the machine: {others}"
    assert len(hosts) > 5  # the recorder saw the page load


def wait_for_graph(page, timeout: float = FIRST_RUN_TIMEOUT_MS) -> None:
    page.wait_for_function(f"() => {{ const h = ({GRAPH_HOST})(); return h && h.dataset.kgReady; }}", timeout=timeout)


def node_point(page, node: str) -> tuple[float, float]:
    """Where ``node`` is drawn, in page coordinates."""
    x, y = page.evaluate(
        f"""(node) => {{
            const host = ({GRAPH_HOST})();
            const net = host.__kg.network;
            const p = net.canvasToDOM(net.getPosition(node));
            const r = host.querySelector('canvas').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }}""",
        node,
    )
    return float(x), float(y)


pytestmark = [
    pytest.mark.browser,
    pytest.mark.model,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


def test_browser_click_a_concept_follow_a_relation_and_go_back(tmp_path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with seed_page(tmp_path) as (page, url):

        # The concept drawn biggest (the one in most questions): click it on the canvas.
        target = page.evaluate(
            f"""() => {{
                const ds = ({GRAPH_HOST})().__kg.nodes;
                return ds.get({{filter: n => n.id.startsWith('c:')}})
                    .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id))[0];
            }}"""
        )
        network_before = page.evaluate(f"() => {{ window.__kgNet = ({GRAPH_HOST})().__kg.network; return true; }}")
        assert network_before
        page.mouse.click(*node_point(page, target["id"]))
        concept = target["id"][2:]
        page.wait_for_url(f"**concept={concept}*")
        heading = page.get_by_role("heading", name=target["label"], exact=True)
        heading.wait_for()

        # The panel lists the concept's questions, a page at a time: as many as its node says.
        from ui.pages.explore import PAGE

        m = re.search(r"^(\d+) questions?$", target["title"], re.M)
        assert m is not None, target["title"]
        count = int(m.group(1))
        cards = page.locator(f"[class*='st-key-cq-{concept}-']")
        sync_api.expect(cards).to_have_count(min(count, PAGE), timeout=30_000)
        if count > PAGE:
            page.get_by_role("button", name=f"Show {min(PAGE, count - PAGE)} more").click()
            sync_api.expect(cards).to_have_count(min(count, 2 * PAGE), timeout=30_000)
        # The click selected the node without rebuilding the network.
        assert page.evaluate(f"() => ({GRAPH_HOST})().__kg.network === window.__kgNet")
        assert page.evaluate(f"() => ({GRAPH_HOST})().__kg.network.getSelectedNodes()") == [target["id"]]

        # Follow the first related concept.
        related = page.locator(f".st-key-related-{concept} button").first
        related_label = related.inner_text().rsplit(" · ", 1)[0]
        related.click()
        page.wait_for_function(f"() => !location.search.includes('concept={concept}&') && "
                               f"!location.search.endsWith('concept={concept}')")
        page.get_by_role("heading", name=related_label, exact=True).wait_for()
        assert "concept=" in page.url

        # Back: the first concept again, in the URL and in the panel.
        page.go_back()
        page.wait_for_url(f"**concept={concept}*")
        # the rerun Back starts took over 30 s once on two cores busy with other work
        page.get_by_role("heading", name=target["label"], exact=True).wait_for(timeout=90_000)
        wait_for_graph(page)
        box = page.locator(".st-key-kg_graph").bounding_box()
        page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 3)  # off the nodes: no tooltip
        page.mouse.move(5, 5)
        page.evaluate(f"() => ({GRAPH_HOST})().querySelectorAll('.vis-tooltip').forEach(t => t.remove())")
        page.wait_for_timeout(800)  # let the re-centring animation finish before the picture
        shot = Path(SCREENSHOT) if SCREENSHOT else tmp_path / "screenshot.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000  # a drawn page, not a blank one


def graph_nodes(page) -> list[dict]:
    """The nodes in the component's vis DataSet, as drawn now (opacity and font included)."""
    return page.evaluate(f"() => ({GRAPH_HOST})().__kg.nodes.get()")


def wait_for_swap(page, before: str, timeout: float = 60_000) -> None:
    """Wait until the graph has drawn a node set other than the one whose version was ``before``."""
    page.wait_for_function(
        f"(v) => {{ const h = ({GRAPH_HOST})(); return h && h.dataset.kgVersion && h.dataset.kgVersion !== v; }}",
        arg=before,
        timeout=timeout,
    )


def graph_version(page) -> str:
    return page.evaluate(f"() => ({GRAPH_HOST})().dataset.kgVersion || ''")


def test_browser_hover_lights_neighbours_depth_and_filters_redraw(tmp_path) -> None:
    """Hovering a node brings out its neighbours and fades the rest, without a rerun; the depth control
    grows the neighbourhood; the question filter takes the squares out; the page stays on localhost."""
    with seed_page(tmp_path) as (page, url):
        hub = max((n for n in graph_nodes(page) if n["id"].startswith("c:")), key=lambda n: (n["size"], n["id"]))
        page.goto(url + f"/?concept={hub['id'][2:]}")
        wait_for_graph(page)
        page.get_by_role("heading", name=hub["label"], exact=True).wait_for()

        # The neighbourhood instead of the whole graph, one hop, then three.
        version = graph_version(page)
        page.locator("[class*=st-key-full_graph-] label").click()
        wait_for_swap(page, version)
        version = graph_version(page)
        page.locator("[class*=st-key-hops-] button").filter(has_text="1 hop").click()
        wait_for_swap(page, version)
        one = len(graph_nodes(page))
        version = graph_version(page)
        page.locator("[class*=st-key-hops-] button").filter(has_text="3 hops").click()
        wait_for_swap(page, version)
        nodes = graph_nodes(page)
        assert len(nodes) > one
        # The selected node and its label are in view, once the view has moved there.
        page.wait_for_timeout(800)
        box = page.locator(".st-key-kg_graph").bounding_box()
        x, y = node_point(page, hub["id"])
        inside = page.evaluate(
            f"""(id) => {{ const h = ({GRAPH_HOST})(); const net = h.__kg.network; const b = net.getBoundingBox(id);
                const a = net.canvasToDOM({{x: b.left, y: b.top}}), z = net.canvasToDOM({{x: b.right, y: b.bottom}});
                return a.x >= 0 && a.y >= 0 && z.x <= h.clientWidth && z.y <= h.clientHeight; }}""",
            hub["id"],
        )
        assert inside

        # Hover a question: it and its neighbours in full, the rest faded; all back on leaving.
        page.evaluate(f"() => {{ window.__kgNet = ({GRAPH_HOST})().__kg.network; }}")
        # The question drawn nearest the centre: on the canvas whatever the zoom.
        question = min(
            (n["id"] for n in nodes if n["id"].startswith("q:")), key=lambda i: math.dist(node_point(page, i), (x, y))
        )
        page.mouse.move(*node_point(page, question), steps=4)
        page.wait_for_function(f"() => ({GRAPH_HOST})().__kg.hovered !== null", timeout=10_000)
        hovered, lit = page.evaluate(
            f"""() => {{ const s = ({GRAPH_HOST})().__kg;
                return [s.hovered, [s.hovered, ...s.network.getConnectedNodes(s.hovered)]]; }}"""
        )
        drawn = {n["id"]: n for n in graph_nodes(page)}
        assert {i for i, n in drawn.items() if n["opacity"] == 1} == set(lit), hovered
        sizes = page.evaluate(f"() => Object.fromEntries(({GRAPH_HOST})().__kg.plainNodes)")
        assert all(n["opacity"] < 0.5 for i, n in drawn.items() if i not in lit)
        assert all(n["font"]["size"] < sizes[i]["font"]["size"] for i, n in drawn.items() if i not in lit)
        edges = page.evaluate(f"() => ({GRAPH_HOST})().__kg.edges.get()")
        assert {e["id"] for e in edges if e["color"]["opacity"] == 1} == {
            e["id"] for e in edges if hovered in (e["from"], e["to"])
        }
        page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 3)
        page.mouse.move(5, 5)
        page.wait_for_function(f"() => ({GRAPH_HOST})().__kg.hovered === null", timeout=10_000)
        assert all(n["opacity"] == 1 for n in graph_nodes(page))
        assert page.evaluate(f"() => ({GRAPH_HOST})().__kg.network === window.__kgNet")  # no rebuild

        # Leaving the canvas in one jump, straight from a node to the panel, takes its tooltip away too.
        tip = f"({GRAPH_HOST})().querySelector('.vis-tooltip')"
        page.mouse.move(*node_point(page, question), steps=4)
        page.wait_for_function(f"() => {tip} && {tip}.style.visibility === 'visible'", timeout=10_000)
        page.mouse.move(5, 5)
        page.wait_for_function(f"() => {tip}.style.visibility === 'hidden'", timeout=10_000)
        # ... and vis-network's own hover of the node, which draws its label bold
        page.wait_for_function(
            f"() => !({GRAPH_HOST})().__kg.network.body.nodes[{question!r}].hover", timeout=10_000
        )

        # Without question nodes: concepts only, linked to their related concepts.
        version = graph_version(page)
        page.get_by_role("button", name="Filters").click()
        page.locator("[class*=st-key-questions-] label").click()
        wait_for_swap(page, version)
        ids = [n["id"] for n in graph_nodes(page)]
        assert ids and not [i for i in ids if i.startswith("q:")]
        assert hub["id"] in ids


def test_browser_generic_concepts_are_drawn_small_and_grey_and_the_filter_hides_them(tmp_path) -> None:
    from test_specificity import BAKING

    from kg.render import GENERIC_COLOUR

    bank = tmp_path / "baking.md"
    bank.write_text(BAKING, encoding="utf-8")
    with seed_page(tmp_path, str(bank)) as (page, _):
        nodes = {n["id"]: n for n in graph_nodes(page) if n["id"].startswith("c:")}
        recipe = nodes["c:recipe"]  # in the most questions of the bank
        assert recipe["size"] < min(n["size"] for i, n in nodes.items() if i != "c:recipe")
        colour = recipe["color"] if isinstance(recipe["color"], str) else recipe["color"]["background"]
        assert colour == GENERIC_COLOUR

        version = graph_version(page)
        page.get_by_role("button", name="Filters").click()
        page.locator("[class*=st-key-hide_generic-] label").click()
        wait_for_swap(page, version)
        ids = {n["id"] for n in graph_nodes(page)}
        assert "c:recipe" not in ids
        assert set(nodes) - {"c:recipe"} <= ids
        page.get_by_role("button", name="Filters (1)").wait_for()


# Markup, in code spans or raw, is shown as text in titles and panels.
HOSTILE = """## 1. What does `<img src="x" onerror="document.title='pwned'">` do to dropout?

Dropout `<script>document.title='pwned'</script>` switches off random units during training.

## 2. Why does dropout reduce overfitting?

Dropout keeps units from co-adapting, which reduces overfitting.
"""


def test_browser_tab_shows_the_title_and_the_web_icon(tmp_path) -> None:
    """The icon is set by the page's own script, not by Streamlit's emoji check, and stays set."""
    from kg.render import APP_ICON

    shows = "(icon) => document.querySelector(\"link[rel='shortcut icon']\").getAttribute('href') === icon"
    with seed_page(tmp_path) as (page, _):
        page.wait_for_function(shows, arg=APP_ICON, timeout=10_000)
        assert page.title() == "kg · question bank explorer"
        page.mouse.click(*node_point(page, "c:relu"))  # a rerun
        page.wait_for_url("**concept=relu*")
        page.wait_for_timeout(300)
        assert page.evaluate(shows, APP_ICON)


def test_browser_a_narrow_window_shows_every_page_and_depth_whole(tmp_path) -> None:
    """At 900 px the search box beside the page switch covered "Concepts", and "3 hops" was cut to "3 h"; the
    Concepts page it opens shows twenty rows of its table, where Streamlit's frame showed ten."""
    uncovered = """(label) => [...document.querySelectorAll('[data-testid=stButtonGroup] button')]
        .filter(b => b.innerText.trim() === label).some(b => {
            const r = b.getBoundingClientRect();
            return b.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2))
                && b.scrollWidth <= b.clientWidth + 1; })"""
    with seed_page(tmp_path) as (page, _):
        page.set_viewport_size({"width": 900, "height": 900})
        page.wait_for_timeout(500)
        for label in ("Explore", "Duplicates", "Concepts", "3 hops"):
            assert page.evaluate(uncovered, label), label
        page.locator(".st-key-nav button", has_text="Concepts").click()
        page.wait_for_function("() => location.href.includes('page=concepts')", timeout=30_000)
        # the concept table shows twenty rows before it scrolls (Streamlit's frame showed ten)
        table = page.locator(".st-key-concept_table")
        table.wait_for()
        assert table.bounding_box()["height"] >= 21 * 35


def test_browser_legend_shows_the_colours_the_concepts_are_drawn_in(tmp_path) -> None:
    """Under the graph, each topic's swatch is the colour its concepts have on the canvas, and every
    concept's colour is in the legend."""
    with seed_page(tmp_path) as (page, _):
        rows = page.locator("[data-testid=kg-legend] li")
        rows.first.wait_for()
        assert rows.first.is_visible()
        painted = "e => getComputedStyle(e).backgroundColor"
        swatches = {r.get_attribute("data-colour"): r.locator(".kg-swatch").evaluate(painted) for r in rows.all()}
        concepts = [n for n in graph_nodes(page) if n["id"].startswith("c:")]
        drawn = {n["color"] for n in concepts}
        assert drawn <= set(swatches), drawn - set(swatches)
        for colour, swatch in swatches.items():
            r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
            assert swatch == f"rgb({r}, {g}, {b})"  # the swatch shows the colour it names


def test_browser_duplicates_page_opens_pairs_from_the_keyboard(tmp_path) -> None:
    """J opens the next pair's card and K the previous one, with the keyboard alone."""
    with seed_page(tmp_path) as (page, url):
        page.goto(url + "/?page=duplicates")
        page.get_by_role("button", name="Next pair").wait_for()
        page.evaluate("document.activeElement && document.activeElement.blur()")  # no widget has the focus
        page.keyboard.press("j")
        card = page.locator("[class*='st-key-dp-']")
        card.first.wait_for()
        first = card.first.get_attribute("class")
        page.keyboard.press("j")
        page.wait_for_function(
            "(first) => { const c = document.querySelector(\"[class*='st-key-dp-']\"); "
            "return c && c.getAttribute('class') !== first; }",
            arg=first,
        )
        page.keyboard.press("k")
        page.wait_for_function(
            "(first) => { const c = document.querySelector(\"[class*='st-key-dp-']\"); "
            "return c && c.getAttribute('class') === first; }",
            arg=first,
        )
        page.get_by_text("likely a duplicate or an overlap", exact=False).first.wait_for()


def test_browser_back_puts_the_filters_and_depth_back_as_the_url_says(tmp_path) -> None:
    """Back after a filter or the depth changed: the URL goes back, and so do the widgets and the view
    (they kept the choice Back undid, as Streamlit keeps a widget's value across runs)."""
    with seed_page(tmp_path) as (page, url):
        page.goto(url + "/?page=duplicates")
        kinds = page.locator(".st-key-dup_kinds")
        kinds.get_by_text("overlap", exact=True).wait_for()
        page.locator(".st-key-dup_kinds input").click()
        page.get_by_role("option", name="related", exact=True).click()
        page.keyboard.press("Escape")
        page.wait_for_url("**kinds=duplicate%2Coverlap%2Crelated*")
        kinds.get_by_text("related", exact=True).wait_for()
        page.go_back()
        page.wait_for_url(re.compile(r"page=duplicates$"))
        kinds.get_by_text("related", exact=True).wait_for(state="detached")

        page.goto(url + "/?concept=relu&whole=0")
        wait_for_graph(page)
        page.get_by_text("Neighbourhood of “ReLU”, 2 hops").wait_for()
        page.locator("[class*=st-key-hops-] button").filter(has_text="3 hops").click()
        page.get_by_text("Neighbourhood of “ReLU”, 3 hops").wait_for()
        page.go_back()
        page.get_by_text("Neighbourhood of “ReLU”, 2 hops").wait_for()


def test_browser_a_clicked_nodes_tooltip_goes_with_the_view_it_was_drawn_in(tmp_path) -> None:
    """The tooltip of the node clicked stayed on screen where the node had been while the graph redrew."""
    with seed_page(tmp_path) as (page, url):
        page.goto(url + "/?concept=relu&whole=0")
        wait_for_graph(page)
        node = next(n["id"] for n in graph_nodes(page) if n["id"].startswith("c:") and n["id"] != "c:relu")
        tip = f"({GRAPH_HOST})().querySelector('.vis-tooltip')"
        page.mouse.move(*node_point(page, node), steps=4)
        page.wait_for_function(f"() => {tip} && {tip}.style.visibility === 'visible'", timeout=10_000)
        page.mouse.click(*node_point(page, node))
        page.wait_for_function(f"() => {tip}.style.visibility === 'hidden'", timeout=5_000)
        page.wait_for_url(f"**concept={node[2:]}*")


def test_browser_bank_text_stays_text(tmp_path) -> None:
    """Markup in a bank is shown as text in the panel and the graph's tooltip, never run."""
    sync_api = pytest.importorskip("playwright.sync_api")
    bank = tmp_path / "hostile.md"
    bank.write_text(HOSTILE, encoding="utf-8")
    paths: list[str] = []
    env = {"KG_CACHE_DIR": str(tmp_path / "cache"), "KG_BANKS": str(bank)}
    with serve_app(env=env, log=tmp_path / "streamlit.log") as url, sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.on("request", lambda r: paths.append(urlparse(r.url).path))
        page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
        page.goto(url + "/?bank=bank1&question=hostile-1")
        wait_for_graph(page)
        page.get_by_text("do to dropout?", exact=False).first.wait_for()
        # Hover the question's node: vis-network shows its title in a tooltip.
        page.mouse.move(*node_point(page, "q:hostile-1"))
        tooltip = page.wait_for_function(
            f"() => {{ const t = ({GRAPH_HOST})().querySelector('.vis-tooltip');"
            " return t && t.style.visibility !== 'hidden' && t.innerText; }",
            timeout=10_000,
        ).json_value()
        assert '<img src="x" onerror=' in tooltip
        page.wait_for_timeout(500)
        title = page.title()
        injected = page.evaluate(
            """() => [document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot).filter(Boolean)]
                .flatMap(root => [...root.querySelectorAll('img[src="x"], script')])
                .filter(e => e.tagName === 'IMG' || e.textContent.includes('pwned')).length"""
        )
        panel = page.locator("[data-testid=stMarkdownContainer]").all_inner_texts()
        browser.close()
    assert title != "pwned"
    assert injected == 0
    assert "/x" not in paths
    assert any("<img src=" in text for text in panel)
    assert any("<script>document.title='pwned'</script>" in text for text in panel)


class _Probe:
    """An HTTP server on another local port that counts the requests a page sends it."""

    def __init__(self) -> None:
        import http.server
        import threading

        hits: list[str] = []
        self.hits = hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}.png"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# Made in the page after it has loaded, as injected markup would be: the page's policy must stop them.
LOAD_FROM = """(urls) => {
    window.__kgBlocked = [];
    document.addEventListener('securitypolicyviolation', e => window.__kgBlocked.push(e.violatedDirective));
    new Image().src = urls[0];
    const box = document.createElement('div');
    box.style.cssText = `width: 10px; height: 10px; background-image: url("${urls[1]}")`;
    document.body.appendChild(box);
    new FontFace('kg-probe', `url("${urls[2]}")`).load().catch(() => null);
}"""


def test_browser_bank_text_loads_nothing_from_other_hosts(tmp_path) -> None:
    """Images in a bank's questions, answers, concept labels, file names and URLs stay text (a link to a web
    page is a link, fetched only on a click); the page's Content-Security-Policy stops images and fonts from
    other hosts; titles show tags as text."""
    sync_api = pytest.importorskip("playwright.sync_api")
    probe = _Probe()
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "probe.md").write_text(
        f"## 1. What does ![q]({probe.url('question')}) <img src=\"{probe.url('tag')}\"> show about dropout?\n\n"
        f"Dropout ![a]({probe.url('answer')}) and &lt;img src=\"{probe.url('entity')}\"&gt; reduce overfitting "
        f"([the paper]({probe.url('page')})).\n\n"
        "## 2. Why does dropout reduce overfitting?\n\nDropout keeps units from co-adapting.\n\n"
        f"## 3. What does ![q]({probe.url('question')}) <img src=\"{probe.url('tag')}\"> show about dropout?\n\n"
        "Dropout reduces overfitting.\n",  # a duplicate of the first, for the pairs' download
        encoding="utf-8",
    )
    (folder / "concepts.toml").write_text(
        f'[aliases]\n"dropout ![c]({probe.url("concept")})" = ["dropout"]\n', encoding="utf-8"
    )
    origins: list[str] = []
    made: list[str] = []  # asked for by the test's own script: the policy stops them (probe.hits stays empty)
    env = {"KG_CACHE_DIR": str(tmp_path / "cache"), "KG_BANKS": str(folder)}
    try:
        with serve_app(env=env, log=tmp_path / "streamlit.log") as url, sync_api.sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.on("request", lambda r: (made if "/probe-" in r.url else origins).append(r.url))
            page.goto(url + "/?bank=bank1&question=probe-1")
            wait_for_graph(page)
            page.get_by_text("show about dropout?", exact=False).first.wait_for()
            # The question's heading keeps the tag as text (it used to be dropped with the NLP text).
            heading = page.locator("h5").filter(has_text="show about dropout?").first.inner_text()
            assert f'<img src="{probe.url("tag")}">' in heading, heading
            # The page's policy is in force: what a script makes after the load loads nothing.
            policy = page.evaluate("() => document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content")
            assert policy is not None and "img-src 'self' data: blob:" in policy
            page.evaluate(LOAD_FROM, [probe.url("probe-image"), probe.url("probe-css"), probe.url("probe-font")])
            page.wait_for_function("() => window.__kgBlocked.length >= 3", timeout=5_000)
            assert sorted(set(page.evaluate("() => window.__kgBlocked"))) == ["font-src", "img-src"]
            # An entity-encoded tag is decoded once and shown as text.
            page.get_by_text('and <img src="', exact=False).first.wait_for()
            # A link to a web page is one the reader may follow, in a new tab; nothing is fetched before
            paper = page.get_by_role("link", name="the paper").first
            assert paper.get_attribute("href") == probe.url("page")
            assert paper.get_attribute("target") == "_blank"
            # The concept's pill, then its page: the label is the heading.
            page.locator(".st-key-concepts-probe-1 button").filter(has_text="dropout").first.click()
            page.get_by_role("heading", name=f"dropout ![c]({probe.url('concept')})", exact=True).wait_for()
            # A crafted link: the unknown concept is named in a warning.
            page.goto(url + f"/?bank=bank1&concept=![u]({probe.url('link')})")
            page.get_by_text(f"![u]({probe.url('link')})", exact=False).first.wait_for()
            # An upload whose name is markup, and which holds no question.
            page.goto(url + "/")
            wait_for_graph(page)
            page.get_by_role("button", name="Upload").click()
            page.locator("input[type=file]").set_input_files(
                [{"name": f"![f]({probe.url('upload')}).md", "mimeType": "text/markdown", "buffer": b"no question"}]
            )
            page.get_by_text(f"![f]({probe.url('upload')})", exact=False).first.wait_for()
            # A download still works under the policy, and the pairs' CSV keeps the tag as text.
            page.goto(url + "/?bank=bank1&page=duplicates")
            with page.expect_download() as download:
                page.get_by_role("button", name="Download CSV").click()
            assert f'<img src=""{probe.url("tag")}"">' in Path(download.value.path()).read_text(encoding="utf-8")
            page.wait_for_timeout(1500)
            browser.close()
    finally:
        probe.close()
    assert probe.hits == []
    app_origin = urlparse(url).netloc
    off = sorted({urlparse(u).netloc for u in origins} - {app_origin, ""})
    assert off == [], f"requests off the app's origin: {off}"



TINY = b"""## 1. What does dropout do in a neural network?

Dropout randomly switches off units during training, which reduces overfitting.

## 2. What does dropout do in neural networks?

Dropout randomly switches off units while training, which reduces overfitting.

## 3. What is a learning rate?

The learning rate scales each gradient descent step.
"""


def test_browser_upload_is_kept_with_its_decisions(tmp_path) -> None:
    """An upload outlives its session: listed after a reload, opened by its URL, its decisions kept."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from kg.accepted import read_accepted
    from kg.uploads import content_digest

    store = tmp_path / "uploads"
    key = f"up-{content_digest([('tiny.md', TINY)])}"
    hosts: list[str] = []
    errors: list[str] = []
    env = {"KG_CACHE_DIR": str(tmp_path / "cache"), "KG_UPLOADS": str(store)}
    with serve_app(env=env, log=tmp_path / "streamlit.log") as url, sync_api.sync_playwright() as p:
        browser = launch(p)

        def new_page():
            # A context of its own: no cookies or storage shared, so a new Streamlit session.
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            page.on("request", lambda r: hosts.append(request_host(r.url)))
            page.on("pageerror", lambda e: errors.append(str(e)))
            return page

        page = new_page()
        page.goto(url + "/")
        wait_for_graph(page)
        page.get_by_role("button", name="Upload").click()
        page.locator("input[type=file]").set_input_files(
            [{"name": "tiny.md", "mimeType": "text/markdown", "buffer": TINY}]
        )
        page.wait_for_url(f"**bank={key}*")
        page.get_by_role("heading", name="tiny.md", exact=True).wait_for()
        assert (store / key[3:] / "tiny.md").read_bytes() == TINY

        # Reloaded: the same bank, from the store.
        page.reload()
        wait_for_graph(page)
        page.get_by_role("heading", name="tiny.md", exact=True).wait_for()

        # A new session on the default bank: the upload is in the selector and opens from it.
        other = new_page()
        other.goto(url + "/")
        wait_for_graph(other)
        option = other.get_by_role("option", name="tiny.md", exact=True)
        for _ in range(3):  # a rerun of the page can close the list as it opens: open it again
            other.locator(".st-key-bank_choice").click()
            try:
                option.wait_for(timeout=10_000)
                break
            except sync_api.TimeoutError:
                other.keyboard.press("Escape")
        option.click()
        other.wait_for_url(f"**bank={key}*")
        other.get_by_role("heading", name="tiny.md", exact=True).wait_for()

        # Its duplicate pair, given a verdict in a session opened by URL: shown, undone, then called different.
        from kg.decisions import read_decisions

        decisions = store / key[3:] / "kg-accepted.toml"
        other.goto(url + f"/?bank={key}&question=tiny-1")
        wait_for_graph(other)
        card = other.locator("[class*='st-key-qp-tiny-1-']")
        # The button once: Streamlit also draws a hidden copy of a button with help, to measure it.
        card.get_by_role("button", name="Overlap", exact=True).first.click()
        other.get_by_text("Decided: overlap").wait_for()
        assert [(d.a, d.b, d.verdict) for d in read_decisions(decisions).values()] == [("tiny-1", "tiny-2", "overlap")]
        card.get_by_role("button", name="Undo", exact=True).first.click()
        card.get_by_role("button", name="Duplicate", exact=True).first.wait_for()
        # A verdict reruns the panel, then the whole page (its pairs change), which says what it did: a click
        # before that run ends can be lost with the page it lands on (seen once in CI, under load).
        undone = r"^Undid the verdict on tiny\.md:\d+ and tiny\.md:\d+ in kg-accepted\.toml\.$"
        other.get_by_text(re.compile(undone)).wait_for()
        assert read_decisions(decisions) == {}
        card.get_by_role("button", name="Different", exact=True).first.click()
        decided = r"^Recorded tiny\.md:\d+ and tiny\.md:\d+ as different in kg-accepted\.toml\.$"
        other.get_by_text(re.compile(decided)).wait_for()
        sync_api.expect(card).to_have_count(0, timeout=30_000)
        assert read_accepted(decisions) == {frozenset(("tiny-1", "tiny-2"))}
        other.get_by_text("Decided different (1): left out of the pairs").wait_for()  # with its Undo

        # Reloaded: the pair stays gone.
        other.reload()
        wait_for_graph(other)
        # Related questions come after the pairs in the panel: once they are drawn, the pairs would be.
        other.locator(".st-key-rq-tiny-1-tiny-2").first.wait_for()
        assert other.get_by_text("Duplicates and overlaps", exact=False).count() == 0
        assert card.count() == 0
        browser.close()

    assert not errors, errors
    others = sorted({h for h in hosts if h not in LOCAL_HOSTS})
    assert others == [], f"requests left the machine: {others}"
    assert len(hosts) > 5


def test_browser_search_results_follow_the_typing(tmp_path) -> None:
    """Results come as the query is typed, without Enter, and follow it as it changes."""
    with seed_page(tmp_path) as (page, _url):
        box = page.get_by_placeholder("Search concepts and questions")
        box.click()
        box.press_sequentially("relu", delay=60)
        page.get_by_text(re.compile(r"^● ReLU$")).first.wait_for()
        box.press_sequentially(" dying", delay=60)
        page.get_by_text(re.compile(r"Q13\. Why do ReLU neurons face")).first.wait_for()
        assert box.input_value() == "relu dying"  # nothing typed was lost to the reruns


def test_browser_enter_opens_the_first_search_result(tmp_path) -> None:
    """Enter on a query whose results are shown opens the first of them, as a search box does."""
    with seed_page(tmp_path) as (page, _url):
        box = page.get_by_placeholder("Search concepts and questions")
        box.click()
        box.press_sequentially("relu", delay=60)
        first = page.locator(".st-key-search_hits button").first
        first.wait_for()
        name = first.inner_text().lstrip("● ").strip()
        box.press("Enter")
        page.wait_for_function("() => /[?&](concept|question)=/.test(location.search)")
        page.get_by_role("heading", name=re.compile(rf"^{re.escape(name)}$", re.I)).wait_for()
        assert box.input_value() == ""  # the results have done their job


def test_browser_enter_before_the_results_come_opens_the_first_when_they_do(tmp_path) -> None:
    """Enter pressed at once after typing, before the pause commits the query, opens its first result once
    the results are shown; before, it only committed the query."""
    with seed_page(tmp_path) as (page, _url):
        box = page.get_by_placeholder("Search concepts and questions")
        box.click()
        box.press_sequentially("leakyrelu", delay=20)
        box.press("Enter")
        page.wait_for_function("() => /[?&]concept=leakyrelu/.test(location.search)", timeout=90_000)
        page.get_by_role("heading", name="LeakyReLU", exact=True).wait_for()


# One file of the 1,309-question folder: a bank nobody here wrote, with formulas and a few pairs.
SHARED_FILE = SHARED_ROOT / "banks" / "ajitsingh98-ds-interview-qa" / "calculus_and_algorithmic_differentiation.md"


@pytest.mark.skipif(not SHARED_FILE.is_file(), reason=f"{SHARED_FILE} is not beside this checkout")
def test_browser_shared_bank_by_command_line_search_formula_and_pair_card(tmp_path) -> None:
    """A bank nobody here wrote, named on the command line: it opens (and again after a reload),
    "relu" finds ReLU, an answer's formula is typeset, and a pair card names both files and lines."""
    from kg.parse import parse_paths

    sync_api = pytest.importorskip("playwright.sync_api")
    items, _ = parse_paths([SHARED_FILE])
    with_math = next(i for i in items if re.search(r"\$[^$\n]+\$", i.answer))
    with seed_page(tmp_path, str(SHARED_FILE)) as (page, url):
        page.get_by_text("In most questions").wait_for()
        page.reload()
        wait_for_graph(page)
        page.get_by_text(SHARED_FILE.name, exact=False).first.wait_for()  # the same bank, not the seed

        page.get_by_placeholder("Search concepts and questions").fill("relu")  # results after a pause
        hit = page.get_by_text(re.compile(r"^● ReLU$", re.I)).first  # a concept pill among the results
        hit.wait_for()
        hit.click()
        page.get_by_role("heading", name=re.compile(r"^ReLU$", re.I)).wait_for()

        page.goto(url + f"/?question={with_math.id}")
        page.locator(".katex").first.wait_for()  # typeset by KaTeX, not shown as "$...$"

        page.goto(url + "/?page=duplicates")
        page.get_by_role("button", name="Next pair").wait_for()
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.keyboard.press("j")
        card = page.locator("[class*='st-key-dp-']").first
        card.wait_for()
        # the card's two sides come in one run, but its text can be read while the second is drawn
        sync_api.expect(card).to_contain_text(re.compile(rf"{re.escape(SHARED_FILE.name)}:\d+[\s\S]*"
                                                          rf"{re.escape(SHARED_FILE.name)}:\d+"), timeout=15_000)
        places = re.findall(rf"{re.escape(SHARED_FILE.name)}:\d+", card.inner_text())
        assert len(places) >= 2, card.inner_text()
