"""CPU time of a process tree by role: the Streamlit server, each kind of Chromium process, the
Playwright drivers and the benchmark's own Python, for the app benchmarks.

Under concurrent sessions on two cores, what a click waits for is the CPU the others hold: this says
who holds it, the harness included.
"""

from __future__ import annotations

import threading
import time
from typing import Any

ROLES = ("server", "chromium renderer", "chromium gpu", "chromium browser", "chromium other", "playwright driver",
         "harness python")  # fmt: skip
# What the benchmark spends on itself rather than on what a user runs.
HARNESS = ("playwright driver", "harness python")


def role(name: str, cmdline: list[str]) -> str:
    """The role of a process, from its name and command line.

    Examples
    --------
    >>> role("python", ["python", "-m", "streamlit", "run", "app.py"])
    'server'
    >>> role("chromium", ["/usr/lib/chromium/chromium", "--type=renderer", "--lang=en"])
    'chromium renderer'
    >>> role("chromium", ["/usr/lib/chromium/chromium --type=gpu-process --no-sandbox"])
    'chromium gpu'
    >>> role("chromium", ["/usr/lib/chromium/chromium", "--headless", "--remote-debugging-pipe"])
    'chromium browser'
    >>> role("node", ["node", "/x/playwright/driver/package/cli.js", "run-driver"])
    'playwright driver'
    >>> role("python", ["python", "-c", "from multiprocessing.spawn import spawn_main"])
    'harness python'
    """
    line = " ".join(cmdline)
    if "streamlit" in line:
        return "server"
    if "chrom" in name.lower():
        # a process forked from Chromium's zygote may show its arguments as one string
        kind = line.split("--type=", 1)[1].split(" ", 1)[0] if "--type=" in line else ""
        if kind == "":
            return "chromium browser"
        if kind == "renderer":
            return "chromium renderer"
        if kind == "gpu-process":
            return "chromium gpu"
        return "chromium other"
    if name == "node" or "playwright" in line:
        return "playwright driver"
    return "harness python"


class CpuWatch:
    """CPU seconds (user + system) that each role of ``root``'s process tree spent since :meth:`start`.

    A process that ends between two samples loses what it spent after the last one, so the tree is
    sampled every ``every`` seconds in a thread of its own; a process born after the start counts
    from zero.
    """

    def __init__(self, root: Any, every: float = 0.25) -> None:
        self.root = root
        self.every = every
        self._base: dict[int, float] = {}
        self._last: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _read(self) -> dict[int, tuple[str, float]]:
        seen: dict[int, tuple[str, float]] = {}
        for p in [self.root, *self.root.children(recursive=True)]:
            try:
                with p.oneshot():
                    t = p.cpu_times()
                    seen[p.pid] = (role(p.name(), p.cmdline()), t.user + t.system)
            except Exception:  # ended while being read
                continue
        return seen

    def start(self) -> None:
        self._last = self._read()
        self._base = {pid: cpu for pid, (_, cpu) in self._last.items()}
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._last.update(self._read())

    def stop(self) -> dict[str, float]:
        """Stop sampling; the CPU seconds of each role in :data:`ROLES` since the start."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._last.update(self._read())
        totals = dict.fromkeys(ROLES, 0.0)
        for pid, (name, cpu) in self._last.items():
            totals[name] += cpu - self._base.get(pid, 0.0)
        return totals


def wait_quiet(root: Any, below: float = 0.1, every: float = 1.0, limit: float = 60.0) -> float:
    """Wait until ``root``'s process tree spends under ``below`` of a core over ``every`` seconds (or
    ``limit`` seconds have passed); the seconds waited. A Chromium just launched keeps working for
    several seconds (its own pages and services): that is no click's cost."""
    start = time.monotonic()
    watch = CpuWatch(root, every=every / 4)
    while time.monotonic() - start < limit:
        watch.start()
        time.sleep(every)
        if sum(watch.stop().values()) < below * every:
            break
    return time.monotonic() - start
