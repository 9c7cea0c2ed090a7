"""Progress of a long build: the fraction done and what is being done, for a progress bar.

A stage takes an optional ``progress`` callable and reports often enough that a bar never stands still
for long: every few dozen texts, every block of rows, every sub-step of the pair scoring. Counting is
by work done (texts, rows, pairs), never by the clock, so the same bank reports the same calls.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]
"""Called with the fraction done (0 to 1, never decreasing) and the stage, e.g. ``"embedding answers: 64 of 935"``."""

Count = Callable[[int], None]
"""Called with how many things of a stage are done."""


def no_progress(fraction: float, stage: str) -> None:
    """Report nothing: the default of every ``progress`` parameter."""


def part(report: Progress, start: float, end: float) -> Progress:
    """The report of one part of the work: its fractions 0 to 1 land on ``start`` to ``end`` of the whole.

    Examples
    --------
    >>> calls = []
    >>> half = part(lambda f, s: calls.append((f, s)), 0.5, 1.0)
    >>> half(0.5, "scoring"); calls
    [(0.75, 'scoring')]
    """

    def report_part(fraction: float, stage: str) -> None:
        report(start + (end - start) * min(max(fraction, 0.0), 1.0), stage)

    return report_part


def counted(report: Progress, stage: str, total: int, unit: str = "") -> Count:
    """A :data:`Count` for ``total`` things that reports ``"<stage>: <done> of <total> <unit>"``.

    Examples
    --------
    >>> counts = counted(lambda f, s: print(f"{f:.2f} {s}"), "embedding answers", 1300)
    >>> counts(800)
    0.62 embedding answers: 800 of 1,300
    """
    tail = f" {unit}" if unit else ""

    def count(done: int) -> None:
        report(done / total if total else 1.0, f"{stage}: {done:,} of {total:,}{tail}")

    return count
