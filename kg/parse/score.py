"""Picking the question shape of a file: every label found (``h3-q``, ``list-num``) is scored by
how many candidates it has, how many read as questions, how many number in sequence and how many
are followed by an answer, times the weight of its :class:`~kg.parse.shapes.Shape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.parse.shapes import Candidate, question_like


@dataclass(frozen=True)
class ShapeStats:
    """How much the candidates of one shape look like the questions of a bank."""

    shape: str
    count: int
    question_like: float  # share of candidates that read as questions
    sequential: float  # share of consecutive numbers that go up by one or restart at 1
    answered: float  # share followed by some content before the next of the same shape
    score: float


#: The share of a shape's candidates that must read as questions for the shape to score at all.
QUESTION_SHARE = 0.5
#: Where no shape reaches QUESTION_SHARE: the share, and the number of candidates that ask, a shape needs to be
#: taken all the same (a FAQ whose headings state problems as often as they ask, a bare list of questions).
FALLBACK_SHARE = 1 / 3
FALLBACK_ASKED = 3


def shape_stats(cands: Sequence[Candidate], lines: Sequence[str], *, fallback: bool = False) -> list[ShapeStats]:
    """Score every shape found, best first; with ``fallback``, shapes whose candidates ask less often
    (:data:`FALLBACK_SHARE`, at least :data:`FALLBACK_ASKED` of them) score too."""
    by_shape: dict[str, list[Candidate]] = {}
    for c in cands:
        by_shape.setdefault(c.shape, []).append(c)
    stats = []
    for shape, cs in by_shape.items():
        qlike = sum(c.kind == "q" or question_like(c.text) for c in cs) / len(cs)
        numbers = [c.number for c in cs if c.number is not None]
        if len(numbers) == len(cs):
            steps = list(zip(numbers, numbers[1:]))
            # Counting up by one, or starting again at 1 in a new section.
            counted = sum(b == a + 1 or (b == 1 < a) for a, b in steps)
            sequential = counted / len(steps) if steps else 1.0
        else:
            sequential = 0.0
        ends = [c.line for c in cs[1:]] + [len(lines)]
        answered = sum(
            bool(c.inline) or any(lines[k].strip() for k in range(c.last + 1, end)) for c, end in zip(cs, ends)
        ) / len(cs)
        # A numbered run of headings or bold lines counts as evidence of questions even when the
        # titles are terse ("14. Expected value"); not for shapes whose numbers prove nothing.
        found_by = cs[0].found_by  # one label, one shape
        evidence = qlike
        if found_by.numbered_run and sequential >= 0.6:
            evidence = max(evidence, sequential)
        if cs[0].kind == "q":
            evidence = 1.0
        weight = found_by.weight
        enough = evidence >= QUESTION_SHARE or (
            fallback and evidence >= FALLBACK_SHARE and qlike * len(cs) >= FALLBACK_ASKED
        )
        score = len(cs) * evidence * (0.5 + 0.5 * answered) * weight if enough else 0.0
        stats.append(ShapeStats(shape, len(cs), qlike, sequential, answered, score))
    return sorted(stats, key=lambda s: (-s.score, s.shape))
