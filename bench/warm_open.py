"""A warm open against Streamlit's own floor: what a fresh server costs to draw a stored bank.

    python bench/warm_open.py [--bank PATH] [--cache DIR] [--runs N] [--profile DIR]

With a cache that does not hold the bank yet (by default a new temporary one), a fresh server first
opens the bank and the seed to build and store them (the cold open, printed). Then, ``--runs`` times
and in turn, each on a fresh server and in a fresh browser (nothing cached in either):

* floor: a page of one line of text (Streamlit's front end, its websocket and one script run, none
  of kg), until the text shows;
* seed: ``?bank=seed`` until vis-network has drawn the seed's graph (kg's app on a tiny bank);
* warm: ``?bank=bank1`` until vis-network has drawn the bank's first view, read from the store; the
  server runs app.py through a small script that times each script run, and the first run's time
  is printed as the server's share.

Times are on the page's own clock (milliseconds from the start of navigation), so the browser's and
the server's start-up are not in them. Each row prints the median and the range. The warm open's share
of the cold open is printed when this run built the cache; warm minus floor is what kg adds.

With ``--bytecode`` the servers keep the modules they compile, in a folder of this run
(``PYTHONPYCACHEPREFIX``), and read them back as Python does on a user's machine; without it they run
as this environment says, which may turn that off (``PYTHONDONTWRITEBYTECODE``): then every fresh
server compiles kg's and the app's modules again.

With ``--profile DIR`` the warm servers run app.py under cProfile, one file per script run
(``DIR/warmN-M.prof``, run M of server N), and the cumulative top of the first script run of the
first server is printed; that slows the warm runs, so their times are not comparable then.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.shared_dir import SHARED_ROOT  # noqa: E402
from tests.test_browser import GRAPH_HOST, launch, serve_app  # noqa: E402

APP = ROOT / "app.py"
DEFAULT_BANK = SHARED_ROOT / "banks" / "ajitsingh98-ds-interview-qa"
TIMEOUT_MS = 1_800_000
FLOOR_TEXT = "kg floor page"
FLOOR = "floor: one line of text"

FLOOR_APP = f"""
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.markdown("{FLOOR_TEXT}")
"""

# Runs app.py (named by KG_APP) and writes how long each script run took (OUT-M.time, run M of this
# server), under cProfile with KG_PROFILE (OUT-M.prof).
TIMED_APP = """
import cProfile, os, runpy, time

out = os.environ["KG_RUN_OUT"]
n = sum(1 for name in os.listdir(os.path.dirname(out)) if name.startswith(os.path.basename(out) + "-"))
profile = cProfile.Profile() if os.environ.get("KG_PROFILE") else None
start = time.perf_counter()
if profile:
    profile.enable()
try:
    runpy.run_path(os.environ["KG_APP"], run_name="__main__")
finally:
    elapsed = time.perf_counter() - start
    if profile:
        profile.disable()
        profile.dump_stats(f"{out}-{n}.prof")
    with open(f"{out}-{n}.time", "w") as f:
        f.write(f"{elapsed}\\n")
"""

DRAWN = f"() => {{ const h = ({GRAPH_HOST})(); return h && h.dataset.kgReady ? +h.dataset.kgReady : false; }}"
FLOOR_SHOWN = (
    "(text) => [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
    ".some(e => e.textContent.includes(text)) ? performance.now() : false"
)


def page_time(
    url: str, done: str, arg: str | None = None, *, banks: tuple[str, ...] = (), env: dict[str, str], script: Path = APP
) -> float:
    """Milliseconds on the page's clock until ``done`` (a JavaScript function) returns a time, on a
    fresh server (``streamlit run script -- banks``) and in a fresh browser."""
    from playwright.sync_api import sync_playwright

    with serve_app(*banks, env=env, script=script) as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(base + url)
        handle = page.wait_for_function(done, arg=arg, polling="raf", timeout=TIMEOUT_MS)
        value = float(handle.json_value())
        browser.close()
    return value


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} ms  ({min(values):.0f}-{max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bank", type=Path, default=DEFAULT_BANK, help="a big bank (file or folder)")
    parser.add_argument("--cache", type=Path, help="the cache folder to use (kept); a new temporary one by default")
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind")
    parser.add_argument("--profile", type=Path, help="profile the warm servers' script runs into this folder")
    parser.add_argument("--bytecode", action="store_true", help="servers keep and reuse compiled modules")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        cache = args.cache or Path(scratch) / "cache"
        env = {"KG_CACHE_DIR": str(cache)}
        if args.bytecode:
            env.update(PYTHONDONTWRITEBYTECODE="", PYTHONPYCACHEPREFIX=str(Path(scratch) / "pycache"))
        cold = None
        if not any((cache / "banks").glob("*.bank")):
            start = time.perf_counter()
            cold = page_time("/?bank=bank1", DRAWN, banks=(str(args.bank),), env=env)
            print(f"cold open, fresh server, empty cache: {cold:.0f} ms "
                  f"(page clock; {time.perf_counter() - start:.1f} s with the server's start)")
            page_time("/?bank=seed", DRAWN, banks=(str(args.bank),), env=env)
        floor_app = Path(scratch) / "floor.py"
        floor_app.write_text(textwrap.dedent(FLOOR_APP))
        banks = (str(args.bank),)
        timed = Path(scratch) / "timed.py"
        timed.write_text(textwrap.dedent(TIMED_APP))
        runs = args.profile or Path(scratch) / "runs"
        runs.mkdir(parents=True, exist_ok=True)

        def warm(n: int) -> float:
            # The bank from KG_BANKS: app.py reads its command line only when it is the script run.
            timed_env = {**env, "KG_APP": str(APP), "KG_BANKS": str(args.bank), "KG_RUN_OUT": str(runs / f"warm{n}")}
            if args.profile:
                timed_env["KG_PROFILE"] = "1"
            return page_time("/?bank=bank1", DRAWN, env=timed_env, script=timed)

        warm_name = f"warm {args.bank.name}: first view drawn"
        kinds: dict[str, Callable[[int], float]] = {
            FLOOR: lambda n: page_time("/", FLOOR_SHOWN, FLOOR_TEXT, env=env, script=floor_app),
            "seed: graph drawn": lambda n: page_time("/?bank=seed", DRAWN, banks=banks, env=env),
            warm_name: warm,
        }
        times: dict[str, list[float]] = {name: [] for name in kinds}
        for n in range(args.runs):
            for name, run in kinds.items():
                times[name].append(run(n))
        server = [float((runs / f"warm{n}-0.time").read_text()) * 1000 for n in range(args.runs)]
    width = max(len(name) for name in times)
    for name, values in times.items():
        print(f"{name:<{width}}  {summary(values)}")
    print(f"{'of which the first script run (server)':<{width}}  {summary(server)}")
    floor, opened = statistics.median(times[FLOOR]), statistics.median(times[warm_name])
    print(f"{'warm minus floor':<{width}}  {opened - floor:7.0f} ms")
    if cold is not None:
        print(f"{'warm / cold':<{width}}  {opened / cold:7.1%}")
    if args.profile:
        import pstats

        first = args.profile / "warm0-0.prof"
        if first.exists():
            pstats.Stats(str(first)).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
