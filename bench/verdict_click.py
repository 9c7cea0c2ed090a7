"""How long a curator's verdict takes in a real browser: click on the pair card until the card shows it.

    python bench/verdict_click.py [--bank FILE_OR_FOLDER] [--button Different] [--clicks 3] [--root REPO]
                                  [--question ID]

Copies the bank to a temporary folder (its decisions file is written there, never beside the
original), starts ``streamlit run app.py -- COPY`` from ``--root`` (this checkout by default; give
another checkout to time its app), opens the Duplicates page in Debian's Chromium (headless, as in
tests/test_browser.py), selects the first pair and clicks ``--button`` on its card ``--clicks`` times,
each time on the first pair listed then. Two times per click, wall-clock in the browser:

* card: from the click until the card shows the verdict (its Undo button), or, for an app before
  verdicts, until the "Recorded" message is shown and the app has finished its run;
* idle: until Streamlit has finished the rerun the click caused.

With ``--question`` the click is on the first card of that question's Explore page, the graph beside
it, and is timed until the "Recorded" message and the end of the run.

The bank is opened once before timing (a first open builds it), with the embedding cache in
``$KG_CACHE_DIR`` or a folder kept between runs, so that a second run does not embed again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_MS = 1_800_000
STATUS = "[data-testid=stStatusWidget]"


def _idle(page) -> None:
    """Wait until the app has no run in progress (the status widget says nothing about running)."""
    page.wait_for_function(
        f"() => {{ const s = document.querySelector('{STATUS}'); return !s || !/Running/i.test(s.innerText); }}",
        timeout=TIMEOUT_MS,
    )


def _select_first_row(page) -> None:
    """Tick the first row of the pairs table (glide-data-grid draws on a canvas: click its checkbox)."""
    grid = page.locator(".st-key-dup_table, [data-testid=stDataFrame]").first
    grid.wait_for(timeout=TIMEOUT_MS)
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)


def _question_click(page, url: str, question: str, button: str) -> None:
    """One click on the first pair card of a question's Explore page, its graph drawn beside it."""
    from tests.test_browser import wait_for_graph

    start = time.perf_counter()
    page.goto(url + f"/?question={question}")
    wait_for_graph(page, TIMEOUT_MS)
    _idle(page)
    print(f"opened {question} in {time.perf_counter() - start:.1f} s")
    card = page.locator(f"[class*='st-key-qp-{question}-0-']")
    start = time.perf_counter()
    card.get_by_role("button", name=button, exact=True).first.click()
    page.get_by_text("Recorded", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    card_time = time.perf_counter() - start
    _idle(page)
    wait_for_graph(page, TIMEOUT_MS)
    print(f"click on the question page: card {card_time:.2f} s, idle {time.perf_counter() - start:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=Path, default=ROOT / "data" / "questions.md")
    parser.add_argument("--button", default="Different", help='"Different" here, "Not a duplicate" before verdicts')
    parser.add_argument("--clicks", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app is timed")
    parser.add_argument("--question", help="time the card on this question's Explore page instead (one click)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    from playwright.sync_api import sync_playwright

    from tests.test_browser import launch, serve_app

    cache = os.environ.get("KG_CACHE_DIR") or str(Path(tempfile.gettempdir()) / "kg-bench-cache")
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / args.bank.name
        (shutil.copytree if args.bank.is_dir() else shutil.copy)(args.bank, bank)
        with serve_app(str(bank), env={"KG_CACHE_DIR": cache}, log=Path(tmp) / "streamlit.log") as url, \
                sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            if args.question:
                _question_click(page, url, args.question, args.button)
                browser.close()
                return
            start = time.perf_counter()
            page.goto(url + "/?page=duplicates")
            page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=TIMEOUT_MS)
            _idle(page)
            print(f"opened the Duplicates page in {time.perf_counter() - start:.1f} s")
            cards, idles = [], []
            for n in range(args.clicks):
                _select_first_row(page)
                button = page.get_by_role("button", name=args.button, exact=True).first
                button.wait_for(timeout=TIMEOUT_MS)
                _idle(page)
                start = time.perf_counter()
                button.click()
                if args.button == "Not a duplicate":
                    page.get_by_text("Recorded", exact=False).first.wait_for(timeout=TIMEOUT_MS)
                    _idle(page)
                else:
                    page.get_by_role("button", name="Undo", exact=True).first.wait_for(timeout=TIMEOUT_MS)
                cards.append(time.perf_counter() - start)
                _idle(page)
                idles.append(time.perf_counter() - start)
                print(f"click {n + 1}: card {cards[-1]:.2f} s, idle {idles[-1]:.2f} s")
                page.goto(url + "/?page=duplicates")  # a fresh page: the next click starts from no selection
                page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=TIMEOUT_MS)
                _idle(page)
            browser.close()
    print(f"median of {len(cards)}: card {statistics.median(cards):.2f} s, idle {statistics.median(idles):.2f} s")


if __name__ == "__main__":
    main()
