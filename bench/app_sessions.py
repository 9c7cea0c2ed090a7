"""The app under concurrent sessions: click → panel times for one session, then for several at once.

    python bench/app_sessions.py [--bank FOLDER] [--sessions 5] [--clicks 10] [--cache DIR]

Starts ``streamlit run app.py -- FOLDER`` with an empty embedding cache (or ``--cache``) and opens the bank once, so
that it is built (one built bank serves every session). Then, in headless Chromium (as in
tests/test_browser.py):

* one session opens the bank and clicks ``--clicks`` concept nodes, one after another;
* ``--sessions`` sessions, each in a browser process of its own, open the bank, wait for each other
  and click ``--clicks`` concept nodes each, at the same time.

A click is timed from the mouse click until the side panel shows the concept (as in
bench/app_speed.py); one whose panel, or graph, has not followed within ``--timeout`` seconds is a
failure, and the session goes on with the next click. Each session starts on a concept of its own, and
session k clicks the k-th biggest visible concept it has not clicked yet, so that the sessions do not
all ask for the same neighbourhoods (the last line says how often they did). Prints one table, and p90
of the concurrent clicks over p90 of the single session.

Target from the issue: 5 concurrent sessions on the 1,309-question bank, click → panel p90 under 2×
the single-session time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from app_speed import GRAPH_SHOWS, PANEL_SHOWS, VISIBLE_CONCEPTS, open_page, settle  # noqa: E402

from tests.test_browser import GRAPH_HOST, launch, serve_app  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Page

DEFAULT_BANK = Path("/work/shared/banks/ajitsingh98-ds-interview-qa")
TARGET = 2.0

# The biggest concepts of the neighbourhood first drawn: where the sessions start.
START_CONCEPTS = f"""() => ({GRAPH_HOST})().__kg.nodes
    .get({{filter: n => n.id.startsWith('c:')}})
    .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id))
    .map(n => n.id.slice(2))"""


def timed_clicks(page: Page, n: int, timeout_ms: int, pick: int = 0) -> tuple[list[float], int, list[str]]:
    """Click ``n`` concept nodes; the click → panel times in ms, the clicks that failed, the concepts clicked.

    Each click goes to the ``pick``-th biggest visible concept not clicked yet (or the smallest).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    times: list[float] = []
    failures = 0
    tried: list[str] = []
    for _ in range(n):
        try:
            settle(page)
        except PlaywrightTimeout:
            pass  # still moving after 30 s: click where the nodes are now
        candidates = [c for c in page.evaluate(VISIBLE_CONCEPTS) if c["id"] not in tried]
        if not candidates:
            break
        target = candidates[min(pick, len(candidates) - 1)]
        tried.append(target["id"])
        before, t0 = page.evaluate("() => [location.search, performance.now()]")
        page.mouse.click(target["x"], target["y"])
        try:
            done = page.wait_for_function(PANEL_SHOWS, arg=before, polling="raf", timeout=timeout_ms)
            times.append(done.json_value() - t0)
            page.wait_for_function(GRAPH_SHOWS, timeout=timeout_ms)
        except PlaywrightTimeout:
            failures += 1
    return times, failures, tried


def _session(url: str, clicks: int, pick: int, timeout_ms: int, barrier: Any, results: Any) -> None:
    """One browser process: open the page, wait for the others, click."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = launch(p)
            page, _ = open_page(browser, url)
            barrier.wait(timeout=600)
            times, failures, tried = timed_clicks(page, clicks, timeout_ms, pick)
            browser.close()
        results.put((os.getpid(), times, failures, tried, None))
    except Exception as exc:  # the parent reports it; the other sessions go on
        results.put((os.getpid(), [], clicks, [], f"{type(exc).__name__}: {exc}"))


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bank", type=Path, default=DEFAULT_BANK, help="a big bank (file or folder)")
    parser.add_argument("--sessions", type=int, default=5, help="sessions at once")
    parser.add_argument("--clicks", type=int, default=10, help="clicks per session")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a click counts as failed")
    parser.add_argument("--cache", type=Path, help="embedding cache to keep between runs (default: a new, empty one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    timeout_ms = int(args.timeout * 1000)
    rows: list[tuple[str, list[float], int]] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, serve_app(
        str(args.bank), env={"KG_CACHE_DIR": str(args.cache or tmp)}
    ) as url:
        bank_url = url + "/?bank=bank1"
        with sync_playwright() as p:
            browser = launch(p)
            page, cold = open_page(browser, bank_url)
            print(f"built {args.bank.name} in {cold['wall_s']:.1f} s", file=sys.stderr)
            starts = page.evaluate(START_CONCEPTS)
            page.close()
            # One session, on a concept of its own.
            page, _ = open_page(browser, f"{bank_url}&concept={starts[0]}")
            times, failures, _ = timed_clicks(page, args.clicks, timeout_ms)
            rows.append(("1", times, failures))
            browser.close()

        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(args.sessions)
        results = ctx.Queue()
        urls = [f"{bank_url}&concept={starts[(1 + i) % len(starts)]}" for i in range(args.sessions)]
        workers = [
            ctx.Process(target=_session, args=(u, args.clicks, i, timeout_ms, barrier, results))
            for i, u in enumerate(urls)
        ]
        print(f"{args.sessions} sessions at once; load {os.getloadavg()[0]:.2f}", file=sys.stderr)
        for w in workers:
            w.start()
        together: list[float] = []
        failed = 0
        clicked: list[str] = []
        for _ in workers:
            pid, times, failures, tried, error = results.get(timeout=args.clicks * (args.timeout + 40) + 900)
            together += times
            failed += failures
            clicked += tried
            if error:
                errors.append(f"session {pid}: {error}")
        for w in workers:
            w.join()
        rows.append((str(args.sessions), together, failed))
        print(f"done; load {os.getloadavg()[0]:.2f}", file=sys.stderr)

    print(f"{'sessions':>8}  {'clicks':>6}  {'median':>8}  {'p90':>8}  {'max':>8}  {'failures':>8}")
    for sessions, times, failures in rows:
        if times:
            s = [t / 1000 for t in times]
            figures = f"{statistics.median(s):>7.2f}s  {p90(s):>7.2f}s  {max(s):>7.2f}s"
        else:
            figures = f"{'-':>8}  {'-':>8}  {'-':>8}"
        print(f"{sessions:>8}  {len(times) + failures:>6}  {figures}  {failures:>8}")
    if rows[0][1] and rows[1][1]:
        ratio = p90(rows[1][1]) / p90(rows[0][1])
        verdict = "met" if ratio < TARGET and not rows[1][2] else "missed"
        print(f"p90({args.sessions}) / p90(1) = {ratio:.2f}  (target < {TARGET:.1f}, no failures: {verdict})")
    repeats = len(clicked) - len(set(clicked))
    print(f"clicks on a concept another concurrent session had clicked: {repeats} of {len(clicked)}")
    for error in errors:
        print(error)


if __name__ == "__main__":
    main()
