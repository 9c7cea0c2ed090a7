"""The app under concurrent sessions: click → panel times for one session, then for several at once.

    python bench/app_sessions.py [--bank FOLDER] [--sessions 5] [--clicks 10] [--think SECONDS]
                                 [--wait raf|mutation|MS] [--cache DIR]

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

By default each session clicks again as soon as the graph has taken the last click and stopped moving
(back to back): five such sessions are a heavier load than five people, who read the panel before
they click again. ``--think SECONDS`` models them: after each click a session pauses a random time,
uniform between 0.5 and 2 times SECONDS, and before its first click a pause of 0 to 2 times SECONDS, so
that the sessions do not start in step (the same pauses on every run: session k draws from seed k).

How the harness waits for the panel is ``--wait``: ``raf`` runs the check on every animation frame (the
browser then draws frames the page itself would not), ``mutation`` runs it when the page's document
changes (and every 100 ms, for the URL), a number runs it every that many milliseconds. Under the
table, the CPU seconds each kind of process spent during each phase: the server, Chromium's processes,
and the harness's own (its Playwright drivers and Python), with the harness's share, and the ms of
the pages' main threads the harness's own scripts took (finding the next node to click, waiting).

Target from the issue: 5 concurrent sessions on the 1,309-question bank, click → panel p90 under 2×
the single-session time.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from app_speed import GRAPH_SHOWS, PANEL_SHOWS, open_page, settle  # noqa: E402
from proc_cpu import HARNESS, ROLES, CpuWatch, wait_quiet  # noqa: E402
from shared_dir import SHARED_ROOT  # noqa: E402

from tests.test_browser import GRAPH_HOST, launch, serve_app  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Page

DEFAULT_BANK = SHARED_ROOT / "banks" / "ajitsingh98-ds-interview-qa"
TARGET = 2.0
CORES = os.cpu_count() or 1

# The biggest concepts of the neighbourhood first drawn: where the sessions start.
START_CONCEPTS = f"""() => ({GRAPH_HOST})().__kg.nodes
    .get({{filter: n => n.id.startsWith('c:')}})
    .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id))
    .map(n => n.id.slice(2))"""

# The ``pick``-th biggest concept node not in ``tried`` that a click at its centre would hit (inside
# the canvas, not under another node), else the last such, and the page's ms this took. Biggest first,
# so that only the few nodes before the pick are hit-tested (each test walks every node).
NEXT_CONCEPT = f"""([tried, pick]) => {{
    const t0 = performance.now();
    const host = ({GRAPH_HOST})();
    const net = host.__kg.network;
    const r = host.getBoundingClientRect();
    const skip = new Set([...net.getSelectedNodes(), ...tried]);
    const nodes = host.__kg.nodes.get({{filter: n => n.id.startsWith('c:') && !skip.has(n.id)}})
        .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id));
    let found = null;
    let seen = 0;
    for (const n of nodes) {{
        const p = net.canvasToDOM(net.getPosition(n.id));
        const x = r.left + p.x, y = r.top + p.y;
        if (x <= r.left + 30 || x >= r.right - 30 || y <= r.top + 30 || y >= r.bottom - 30) continue;
        if (net.getNodeAt({{x: x - r.left, y: y - r.top}}) !== n.id) continue;
        found = {{id: n.id, x, y}};
        if (seen++ === pick) break;
    }}
    return [found, performance.now() - t0];
}}"""

# Resolves with ``check``'s value once it holds, checked when the document or a component's shadow
# root changes (MutationObservers) and every 100 ms (a URL change is no mutation), or with null after
# ``timeout`` ms; and the ms spent checking.
ON_MUTATION = """([arg, timeout]) => new Promise((resolve) => {
    const test = %s;
    let spent = 0;
    const observers = [];
    const done = (value) => {
        observers.forEach(o => o.disconnect()); clearInterval(poll); clearTimeout(limit); resolve([value, spent]);
    };
    const run = () => {
        const t = performance.now(); const v = test(arg); spent += performance.now() - t; if (v) done(v);
    };
    const roots = [document, ...[...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
        .map(e => e.shadowRoot).filter(Boolean)];
    for (const root of roots) {
        const o = new MutationObserver(run);
        o.observe(root, {subtree: true, childList: true, characterData: true, attributes: root !== document});
        observers.push(o);
    }
    const poll = setInterval(run, 100);
    const limit = setTimeout(() => done(null), timeout);
    run();
})"""


def wait_for(page: Page, check: str, arg: Any, how: str, timeout_ms: int) -> tuple[Any, float]:
    """Wait until ``check(arg)`` holds in the page; its value and the page's ms spent checking (known
    for ``mutation`` only: 0 otherwise). Raises Playwright's TimeoutError after ``timeout_ms``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if how == "mutation":
        value, spent = page.evaluate(ON_MUTATION % check, [arg, timeout_ms])
        if value is None:
            raise PlaywrightTimeout(f"no {check[:40]}… in {timeout_ms} ms")
        return value, spent
    polling: Any = "raf" if how == "raf" else int(how)
    return page.wait_for_function(check, arg=arg, polling=polling, timeout=timeout_ms).json_value(), 0.0


@dataclass
class Clicks:
    """What one session's clicks measured."""

    times: list[float] = field(default_factory=list)  # click → panel, ms
    failures: int = 0
    tried: list[str] = field(default_factory=list)
    harness_ms: float = 0.0  # of the page's main thread: finding nodes to click, checking for the panel


def timed_clicks(
    page: Page, n: int, timeout_ms: int, pick: int = 0, think: float = 0.0, seed: int = 0, how: str = "raf"
) -> Clicks:
    """Click ``n`` concept nodes, each the ``pick``-th biggest visible concept not clicked yet (or the
    smallest); after each, pause ``think`` seconds times a random factor in [0.5, 2] drawn from ``seed``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    rng = random.Random(seed)
    out = Clicks()
    if think > 0:  # people do not start together: the first click comes after a pause of 0-2 times ``think``
        time.sleep(think * rng.uniform(0.0, 2.0))
    for _ in range(n):
        try:
            settle(page)
        except PlaywrightTimeout:
            pass  # still moving after 30 s: click where the nodes are now
        target, spent = page.evaluate(NEXT_CONCEPT, [out.tried, pick])
        out.harness_ms += spent
        if target is None:
            break
        out.tried.append(target["id"])
        before, t0 = page.evaluate("() => [location.search, performance.now()]")
        page.mouse.click(target["x"], target["y"])
        try:
            shown, spent = wait_for(page, PANEL_SHOWS, before, how, timeout_ms)
            out.times.append(shown - t0)
            out.harness_ms += spent
            _, spent = wait_for(page, GRAPH_SHOWS, None, how, timeout_ms)
            out.harness_ms += spent
        except PlaywrightTimeout:
            out.failures += 1
        if think > 0:
            time.sleep(think * rng.uniform(0.5, 2.0))
    return out


def _session(
    url: str, clicks: int, pick: int, think: float, how: str, timeout_ms: int, barriers: Any, results: Any
) -> None:
    """One browser process: open the page, wait for the others (and for the machine to be quiet), click,
    wait for the others again."""
    from playwright.sync_api import sync_playwright

    ready, start, end = barriers
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page, _ = open_page(browser, url)
            ready.wait(timeout=600)
            start.wait(timeout=600)
            done = timed_clicks(page, clicks, timeout_ms, pick, think, seed=pick, how=how)
            end.wait(timeout=clicks * (timeout_ms / 1000 + 40 + 2 * think) + 900)  # the others still click
            browser.close()
        results.put((os.getpid(), done, None))
    except Exception as exc:  # the parent reports it; the other sessions go on
        for barrier in barriers:  # so that neither the parent nor the other sessions wait for this one
            barrier.abort()
        results.put((os.getpid(), Clicks(failures=clicks), f"{type(exc).__name__}: {exc}"))


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]


@dataclass
class Phase:
    """One phase of the run: the sessions' clicks, and the CPU each kind of process spent meanwhile."""

    sessions: int
    clicks: Clicks
    cpu: dict[str, float]
    wall: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bank", type=Path, default=DEFAULT_BANK, help="a big bank (file or folder)")
    parser.add_argument("--sessions", type=int, default=5, help="sessions at once")
    parser.add_argument("--clicks", type=int, default=10, help="clicks per session")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds a user reads before the next click")
    parser.add_argument("--wait", default="raf", help="how the panel is waited for: raf, mutation or every MS")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a click counts as failed")
    parser.add_argument("--cache", type=Path, help="embedding cache to keep between runs (default: a new, empty one)")
    args = parser.parse_args()
    if args.wait not in ("raf", "mutation") and not args.wait.isdigit():
        parser.error("--wait: raf, mutation or a number of milliseconds")
    import psutil
    from playwright.sync_api import sync_playwright

    timeout_ms = int(args.timeout * 1000)
    phases: list[Phase] = []
    errors: list[str] = []
    me = psutil.Process()
    watch = CpuWatch(me)
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; think {args.think} s, wait {args.wait}")
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
            wait_quiet(me)
            watch.start()
            t0 = time.perf_counter()
            one = timed_clicks(page, args.clicks, timeout_ms, think=args.think, how=args.wait)
            phases.append(Phase(1, one, watch.stop(), time.perf_counter() - t0))
            browser.close()

        ctx = multiprocessing.get_context("spawn")
        # the parent waits too, so that its CPU window is the sessions' clicking
        barriers = tuple(ctx.Barrier(args.sessions + 1) for _ in range(3))
        results = ctx.Queue()
        urls = [f"{bank_url}&concept={starts[(1 + i) % len(starts)]}" for i in range(args.sessions)]
        workers = [
            ctx.Process(target=_session, args=(u, args.clicks, i, args.think, args.wait, timeout_ms, barriers, results))
            for i, u in enumerate(urls)
        ]
        print(f"{args.sessions} sessions at once; load {os.getloadavg()[0]:.2f}", file=sys.stderr)
        for w in workers:
            w.start()
        limit = args.clicks * (args.timeout + 40 + 2 * args.think) + 900
        with contextlib.suppress(threading.BrokenBarrierError):  # a session failed: it says why
            barriers[0].wait(timeout=limit)
            quiet = wait_quiet(me)
            print(f"quiet after {quiet:.1f} s; load {os.getloadavg()[0]:.2f}", file=sys.stderr)
            barriers[1].wait(timeout=limit)
        watch.start()
        t0 = time.perf_counter()
        with contextlib.suppress(threading.BrokenBarrierError):
            barriers[2].wait(timeout=limit)
        cpu, wall = watch.stop(), time.perf_counter() - t0
        together = Clicks()
        for _ in workers:
            pid, done, error = results.get(timeout=limit)
            together.times += done.times
            together.failures += done.failures
            together.tried += done.tried
            together.harness_ms += done.harness_ms
            if error:
                errors.append(f"session {pid}: {error}")
        for w in workers:
            w.join()
        phases.append(Phase(args.sessions, together, cpu, wall))
        print(f"done; load {os.getloadavg()[0]:.2f}", file=sys.stderr)

    print(f"{'sessions':>8}  {'clicks':>6}  {'median':>8}  {'p90':>8}  {'max':>8}  {'failures':>8}")
    for phase in phases:
        times, failures = phase.clicks.times, phase.clicks.failures
        if times:
            s = [t / 1000 for t in times]
            figures = f"{statistics.median(s):>7.2f}s  {p90(s):>7.2f}s  {max(s):>7.2f}s"
        else:
            figures = f"{'-':>8}  {'-':>8}  {'-':>8}"
        print(f"{phase.sessions:>8}  {len(times) + failures:>6}  {figures}  {failures:>8}")
    one, many = phases[0].clicks, phases[1].clicks
    if one.times and many.times:
        ratio = p90(many.times) / p90(one.times)
        verdict = "met" if ratio < TARGET and not many.failures else "missed"
        print(f"p90({args.sessions}) / p90(1) = {ratio:.2f}  (target < {TARGET:.1f}, no failures: {verdict})")
    repeats = len(many.tried) - len(set(many.tried))
    print(f"clicks on a concept another concurrent session had clicked: {repeats} of {len(many.tried)}")
    print(f"CPU s by process, per phase ({CORES} cores; % of what they could give in the phase's wall time)")
    print(f"{'':<20}" + "".join(f"  {f'{ph.sessions} session(s)':>20}" for ph in phases))
    for name in (*ROLES, "harness, all"):
        cells = []
        for ph in phases:
            cpu = sum(ph.cpu[r] for r in HARNESS) if name == "harness, all" else ph.cpu[name]
            cells.append(f"{cpu:8.1f} s ({100 * cpu / (CORES * ph.wall):4.1f}%)")
        print(f"{name:<20}" + "".join(f"  {c:>20}" for c in cells))
    walls = "".join(f"  {f'{ph.wall:.1f} s, {sum(ph.cpu.values()):.1f} s CPU':>20}" for ph in phases)
    print(f"{'wall, all CPU':<20}" + walls)
    per_click = "".join(f"  {ph.clicks.harness_ms / max(len(ph.clicks.tried), 1):>17.1f} ms" for ph in phases)
    print(f"{'harness JS a click':<20}" + per_click)
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for error in errors:
        print(error)


if __name__ == "__main__":
    main()
