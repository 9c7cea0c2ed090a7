"""What one click in the graph costs: CPU of the server and of the browser, the browser's main thread,
and what the server sends.

    python bench/app_click_cost.py [--bank FOLDER] [--clicks 15] [--cache DIR]

Starts ``streamlit run app.py -- FOLDER`` (embedding cache ``--cache``, else an empty one, so the bank
is built first), opens the bank in one headless Chromium and clicks ``--clicks`` concept nodes as
bench/app_speed.py does (the biggest visible one not clicked yet). For each click, from just before
it until the graph has taken the new view and stopped moving:

* panel, graph: ms from the click until the side panel shows the concept, and until the graph has
  taken its update;
* sent: bytes of the websocket messages the browser received, and how many;
* main thread: ms of the page's main thread busy (Chrome's ``TaskDuration``), of it running script
  (``ScriptDuration``), and laying out and styling the page;
* server CPU, browser CPU: CPU ms (user + system) of the Streamlit process and of all the Chromium
  processes.

Prints a row per click and the medians. CPU time, unlike wall time, does not grow much with what
else runs on the machine: under concurrent sessions on two cores, the CPU a click costs is what the
sessions compete for (bench/app_sessions.py measures the wall times).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from app_speed import GRAPH_SHOWS, PANEL_SHOWS, next_untried, settle  # noqa: E402
from shared_dir import SHARED_ROOT  # noqa: E402

from tests.test_browser import launch, serve_app, wait_for_graph  # noqa: E402

DEFAULT_BANK = SHARED_ROOT / "banks" / "ajitsingh98-ds-interview-qa"
COLUMNS = ("panel", "graph", "sent", "messages", "main", "script", "layout", "style", "server CPU", "browser CPU")


def _cpu_ms(processes: list) -> float:
    total = 0.0
    for p in processes:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except Exception:  # a Chromium helper that ended: its CPU is no longer counted
            continue
    return 1000 * total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bank", type=Path, default=DEFAULT_BANK, help="a bank (file or folder)")
    parser.add_argument("--clicks", type=int, default=15, help="clicks on concept nodes")
    parser.add_argument("--cache", type=Path, help="embedding cache to keep between runs (default: a new, empty one)")
    args = parser.parse_args()
    import psutil
    from playwright.sync_api import sync_playwright

    me = psutil.Process()
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp, serve_app(
        str(args.bank), env={"KG_CACHE_DIR": str(args.cache or tmp)}
    ) as url:
        server = [c for c in me.children(recursive=True) if "streamlit" in " ".join(c.cmdline())]
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            frames: list[int] = []
            page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(len(f))))
            page.goto(url + "/?bank=bank1")
            wait_for_graph(page)
            # after the page opened: its renderer is a process of its own
            chromium = [c for c in me.children(recursive=True) if "chrom" in c.name()]
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")

            def metrics() -> dict[str, float]:
                return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

            tried: set[str] = set()
            for _ in range(args.clicks):
                target = next_untried(page, tried)
                if target is None:
                    break
                frames.clear()
                m0, s0, b0 = metrics(), _cpu_ms(server), _cpu_ms(chromium)
                before, t0 = page.evaluate("() => [location.search, performance.now()]")
                page.mouse.click(target["x"], target["y"])
                panel = page.wait_for_function(PANEL_SHOWS, arg=before, polling="raf", timeout=60_000).json_value()
                page.wait_for_function(GRAPH_SHOWS, timeout=60_000)
                graph = page.evaluate("() => performance.now()")
                settle(page)
                m1, s1, b1 = metrics(), _cpu_ms(server), _cpu_ms(chromium)
                rows.append({
                    "panel": panel - t0,
                    "graph": graph - t0,
                    "sent": sum(frames),
                    "messages": len(frames),
                    "main": 1000 * (m1["TaskDuration"] - m0["TaskDuration"]),
                    "script": 1000 * (m1["ScriptDuration"] - m0["ScriptDuration"]),
                    "layout": 1000 * (m1["LayoutDuration"] - m0["LayoutDuration"]),
                    "style": 1000 * (m1["RecalcStyleDuration"] - m0["RecalcStyleDuration"]),
                    "server CPU": s1 - s0,
                    "browser CPU": b1 - b0,
                })
            browser.close()

    print(f"{args.bank.name}, {len(rows)} clicks; ms, bytes; load {os.getloadavg()[0]:.2f} at the end")
    print("  ".join(f"{c:>11}" for c in COLUMNS))
    for row in rows:
        print("  ".join(f"{row[c]:>11.0f}" for c in COLUMNS))
    if rows:
        print("  ".join(f"{statistics.median(r[c] for r in rows):>11.0f}" for c in COLUMNS) + "  median")


if __name__ == "__main__":
    main()
